//! The generated manifest declares the same minimum Rust as the workspace, which CI
//! checks with that toolchain (`.ci/run`).

#[test]
fn generated_crates_declare_the_workspace_rust_version() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let workspace = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let declared = workspace
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("the workspace declares rust-version");
    let generated =
        std::fs::read_to_string(format!("{root}/connectparticipant/Cargo.toml")).unwrap();
    assert!(
        generated.contains(&format!("rust-version = {declared}")),
        "connectparticipant/Cargo.toml should declare rust-version = {declared}:\n{generated}"
    );
}

/// The generated crate's `test-util` feature (its mocks) only turns on the runtime's,
/// which brings no dependency: users' test builds compile nothing more.
#[test]
fn the_mock_feature_adds_no_dependency() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let generated =
        std::fs::read_to_string(format!("{root}/connectparticipant/Cargo.toml")).unwrap();
    assert!(
        generated.contains("test-util = [\"awsgen-runtime/test-util\"]"),
        "{generated}"
    );
    let runtime = std::fs::read_to_string(format!("{root}/runtime/Cargo.toml")).unwrap();
    assert!(
        runtime.lines().any(|line| line == "test-util = []"),
        "the runtime's test-util feature must enable nothing:\n{runtime}"
    );
}

/// The generated crate's `serde` feature enables nothing: its derives come through the
/// runtime's serde, which every build already compiles.
#[test]
fn the_serde_feature_adds_no_dependency() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let generated =
        std::fs::read_to_string(format!("{root}/connectparticipant/Cargo.toml")).unwrap();
    assert!(
        generated.lines().any(|line| line == "serde = []"),
        "{generated}"
    );
    let runtime = std::fs::read_to_string(format!("{root}/runtime/Cargo.toml")).unwrap();
    assert!(
        runtime
            .lines()
            .any(|line| line.starts_with("serde = { workspace = true }")),
        "the runtime depends on serde unconditionally:\n{runtime}"
    );
}

/// The generated crate can be published: its runtime dependency has a version (the one
/// the generator writes code against, which must be the runtime's), nothing says
/// `publish = false`, docs.rs builds every feature, and its README is generated beside it.
#[test]
fn the_generated_crate_can_be_published() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let runtime = std::fs::read_to_string(format!("{root}/runtime/Cargo.toml")).unwrap();
    let runtime_version = runtime
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .expect("the runtime has a version");
    assert_eq!(
        runtime_version,
        format!("\"{}\"", awsgen_codegen::emit::RUNTIME_VERSION)
    );
    let generated =
        std::fs::read_to_string(format!("{root}/connectparticipant/Cargo.toml")).unwrap();
    assert!(
        generated.contains(&format!(
            "awsgen-runtime = {{ path = \"../runtime\", version = {runtime_version} }}"
        )),
        "{generated}"
    );
    assert!(!generated.contains("publish = false"), "{generated}");
    assert!(
        generated.contains("[package.metadata.docs.rs]\nall-features = true"),
        "{generated}"
    );
    assert!(generated.contains("readme = \"README.md\""), "{generated}");
    let readme = std::fs::read_to_string(format!("{root}/connectparticipant/README.md")).unwrap();
    assert!(readme.contains("# connectparticipant\n"), "{readme}");
}
