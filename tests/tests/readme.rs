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

/// The README's mock example is the first test of `tests/tests/mocks.rs`, word for word.
#[test]
fn readme_mock_example_matches_the_tested_one() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let tests = std::fs::read_to_string(format!("{root}/tests/tests/mocks.rs")).unwrap();
    let start = tests
        .find("// The README's example starts here.\n")
        .unwrap();
    let end = tests.find("// The README's example ends here.").unwrap();
    let code = tests[start..end].split_once('\n').unwrap().1.trim();
    assert!(
        readme.contains(code),
        "README.md's mock example differs from tests/tests/mocks.rs; copy the test into the README"
    );
}

/// The README's example of a validation error is what the client prints, word for word
/// (chat content redacted).
#[tokio::test]
async fn readme_validation_error_line_is_what_the_client_prints() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let config = connectparticipant::Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let error = connectparticipant::Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token("t")
        .content_type("text/plain")
        .content("a".repeat(16385))
        .send()
        .await
        .unwrap_err()
        .to_string();
    assert!(readme.contains(&error), "README.md should show:\n{error}");
}
