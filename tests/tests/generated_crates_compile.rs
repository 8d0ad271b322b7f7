//! Every model we have generates a crate that compiles without warnings (with and without
//! its features) and documents without rustdoc warnings: connectparticipant's whole
//! history, eight other rest-json services, a sample of 24 botocore services chosen for
//! the features they use (`tests/fixtures/botocore/README.md`), and an edge-case fixture
//! (keywords, recursion, unions, colliding member names, every primitive).
//!
//! The crates are generated into one scratch workspace under `target/` and checked in
//! one cargo run with its own target directory, so dependencies build once.

use std::path::{Path, PathBuf};
use std::process::Command;

use awsgen_codegen::write::{write_files, Mode};
use awsgen_codegen::{generate, Options, RuntimeDependency};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// (crate name, model path) for every model to build.
fn models() -> Vec<(String, PathBuf)> {
    let sample = workspace_root().join("tests/fixtures/botocore");
    let mut models = history_and_other_models();
    for entry in std::fs::read_dir(&sample).unwrap().flatten() {
        if entry.path().join("service-2.json").exists() {
            let service = entry.file_name().to_string_lossy().into_owned();
            models.push((
                format!("sample_{}", service.replace('-', "_")),
                entry.path().join("service-2.json"),
            ));
        }
    }
    models.sort();
    models
}

/// connectparticipant's history and the eight other models in `tests/data`.
fn history_and_other_models() -> Vec<(String, PathBuf)> {
    let root = workspace_root();
    let data = root.join("tests/data");
    let mut models = Vec::new();
    for version in ["1.13.50", "1.19.63", "1.29.165", "1.34.162", "1.44.5"] {
        let name = format!("connectparticipant_{}", version.replace('.', "_"));
        models.push((
            name,
            data.join(format!(
                "connectparticipant/service-2.botocore-{version}.json"
            )),
        ));
    }
    for service in [
        "apigatewaymanagementapi",
        "connectcases",
        "iot-data",
        "ivschat",
        "mwaa",
        "signer-data",
        "sso",
        "workmailmessageflow",
    ] {
        models.push((
            service.replace('-', "_"),
            data.join(format!("other/{service}.service-2.json")),
        ));
    }
    models.push((
        "edge_cases".to_owned(),
        root.join("tests/fixtures/edge-cases.service-2.json"),
    ));
    models
}

fn cargo(scratch: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        // A one-off build: incremental state and debug info would only fill the disk
        // (incremental alone was 1.5 GB here).
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .output()
        .expect("cargo runs")
}

#[test]
fn every_model_generates_a_crate_that_compiles_and_documents_cleanly() {
    let root = workspace_root();
    let scratch = root.join("target/generated-crates");
    let runtime = std::fs::canonicalize(root.join("runtime")).unwrap();
    let mut members = Vec::new();
    for (name, model) in models() {
        let options = Options {
            model: model.clone(),
            customizations: None,
            endpoint_rules: None,
            // botocore's sample has rule sets beside the models; the table is ours.
            partitions: Some(root.join("models/partitions.json")),
            paginators: None,
            crate_name: name.clone(),
            runtime: RuntimeDependency {
                path: runtime.display().to_string(),
            },
        };
        let generated = generate(&options).unwrap_or_else(|e| panic!("{}: {e}", model.display()));
        write_files(&scratch.join(&name), &generated.files, Mode::Write)
            .unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // Same dependency versions as the main workspace. Not `--offline`: a crate only
    // these builds use (none today) would not be downloaded yet on a fresh machine.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let target = root.join("target/generated-crates-build");
    // Only rustdoc's warnings matter here. Re-documenting a crate into a doc folder that
    // already holds all forty costs rustdoc about 40 s each (it merges the shared search
    // index and implementor lists); from an empty folder the whole run takes under 2 min.
    let _ = std::fs::remove_dir_all(target.join("doc"));
    for args in [
        &["check", "--workspace", "--quiet"][..],
        // The `serde` and `test-util` features too.
        &["check", "--workspace", "--all-features", "--quiet"][..],
        &["doc", "--workspace", "--no-deps", "--quiet"][..],
    ] {
        let output = cargo(&scratch, &target, args);
        assert!(
            output.status.success(),
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
