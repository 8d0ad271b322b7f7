//! The footprint of a program that makes one call (`tests/fixture-crates/one-call`):
//! every crate it compiles comes in one version, and there are at most 100 of them, the
//! program included. The stripped binary's size is measured by
//! `tests/benches/footprint.sh` (a release build is too slow for a test).

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
