//! The README's client example is the compiled example, word for word.

#[test]
fn readme_example_matches_the_compiled_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example =
        std::fs::read_to_string(format!("{root}/tests/examples/chat_session.rs")).unwrap();
    let code = &example[example.find("use connectparticipant::").unwrap()..];
    assert!(
        readme.contains(code.trim()),
        "README.md's example differs from tests/examples/chat_session.rs; copy the example into the README"
    );
}
