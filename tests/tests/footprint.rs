//! The footprint of a program that makes one call (`tests/fixture-crates/one-call`):
//! every crate it compiles comes in one version, and there are at most 100 of them, the
//! program included. The stripped binary's size is measured by
//! `tests/benches/footprint.sh` (a release build is too slow for a test). And the
//! generated crate itself stays compact: at most 6,600 lines of code, 9,000 in all.

use std::collections::BTreeMap;
use std::process::Command;

/// `name version` of every package the program compiles (normal and build dependencies).
fn packages() -> Vec<(String, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "one-call",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut packages: Vec<(String, String)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect();
    packages.sort();
    packages.dedup();
    packages
}

#[test]
fn one_call_compiles_one_version_of_each_crate_and_at_most_100() {
    let packages = packages();
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, version) in &packages {
        versions.entry(name).or_default().push(version);
    }
    let repeated: Vec<String> = versions
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(name, v)| format!("{name} {}", v.join(" ")))
        .collect();
    assert!(repeated.is_empty(), "crates in two versions: {repeated:?}");
    assert!(
        packages.len() <= 100,
        "{} crates (at most 100): {:?}",
        packages.len(),
        versions.keys().collect::<Vec<_>>()
    );
    // The test reads a real tree: the generated crate, its runtime and TLS are in it.
    for expected in ["connectparticipant", "awsgen-runtime", "rustls", "ring"] {
        assert!(versions.contains_key(expected), "{expected} missing");
    }
}

/// Builders' methods and open enums' conversions come from the runtime's macros
/// (`builder_member!`, `open_enum!`), so the generated crate holds what is particular to
/// the service: 9,616 lines before, under 6,000 lines of code since. The JSON bodies are
/// then written out per shape (`src/wire.rs`, about 570 lines) instead of serde derives
/// corrected at run time: 6,488 lines of code. Documentation (the model's, and each
/// member's checks) is counted apart; in all, at most 9,000 lines. The `test-util` mock's
/// module (`src/mock.rs`: each output written and each input read back, about 750
/// lines) is in the 9,000 but not in the code a default build compiles.
#[test]
fn the_generated_crate_is_at_most_6600_lines_of_code() {
    /// (all lines, lines of code: neither blank nor `///`/`//!` documentation)
    fn count(dir: &std::path::Path) -> (usize, usize) {
        let mut totals = (0, 0);
        for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
            let (all, code) = if path.is_dir() {
                count(&path)
            } else if path.ends_with("src/mock.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                (text.lines().count(), 0)
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text
                    .lines()
                    .map(str::trim_start)
                    .filter(|l| !l.is_empty() && !l.starts_with("///") && !l.starts_with("//!"))
                    .count();
                (text.lines().count(), code)
            } else {
                (0, 0)
            };
            totals = (totals.0 + all, totals.1 + code);
        }
        totals
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../connectparticipant/src");
    let (lines, code) = count(&src);
    assert!(
        code > 1_000,
        "{code} lines of code: is {} the generated crate?",
        src.display()
    );
    assert!(
        code <= 6_600,
        "the generated crate has {code} lines of code (at most 6,600)"
    );
    assert!(
        lines <= 9_000,
        "the generated crate has {lines} lines (at most 9,000)"
    );
}
