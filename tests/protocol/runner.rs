//! Runs every generated protocol case and holds the result against the checked-in
//! expectations file: a listed case must still fail (so the list stays true), an
//! unlisted case must pass. Copied into the generated harness crate as its test.

use std::collections::BTreeMap;

use protocol_harness::cases::CASES;

#[test]
fn protocol_suites() {
    let path = std::env::var("PROTOCOL_EXPECTATIONS").expect("PROTOCOL_EXPECTATIONS names the expectations file");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // `file#suite.case id: reason`; `#` lines are comments.
    let expected_failures: BTreeMap<String, String> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .filter_map(|l| l.split_once(": ").map(|(k, r)| (k.trim().to_owned(), r.trim().to_owned())))
        .collect();

    let mut per_file: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    for case in CASES {
        let key = format!("{}#{}.{} {}", case.file, case.suite, case.case, case.id);
        let outcome = std::panic::catch_unwind(case.run).unwrap_or_else(|_| Err("panicked".to_owned()));
        let counts = per_file.entry(case.file).or_default();
        match (&outcome, expected_failures.contains_key(&key)) {
            (Ok(()), false) => counts.0 += 1,
            (Ok(()), true) => {
                counts.0 += 1;
                fixed.push(key);
            }
            (Err(_), true) => counts.1 += 1,
            (Err(problem), false) => {
                counts.1 += 1;
                unexpected.push(format!("{key}: {problem}"));
            }
        }
    }
    for (file, (passed, failed)) in &per_file {
        println!("{file}: {passed} passed, {failed} failed");
    }
    for (key, reason) in &expected_failures {
        println!("  known failure {key}: {reason}");
    }
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "\n{} case(s) failed that the expectations file does not list:\n  {}\n{} listed case(s) now pass: remove them from {path}:\n  {}",
        unexpected.len(),
        unexpected.join("\n  "),
        fixed.len(),
        fixed.join("\n  ")
    );
}
