//! The echo bot example runs, as a user runs it, against local mocks: it answers the
//! agent's message once (not its own echo) and exits when the chat ends.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{chat_frame, example, rest_server, websocket_server, Script};
use connectparticipant_chat::EVENT_CONTENT_TYPE;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_echo_bot_answers_once_and_leaves_when_the_chat_ends() {
    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, _ended) = websocket_server(vec![Script::Paced(
        vec![
            chat_frame("agent-1", 1, "text/plain", "hi bot"),
            // The bot's own echo comes back on the socket: it must not answer it.
            chat_frame("sent-1", 2, "text/plain", "echo: hi bot"),
            chat_frame("e1", 3, &ended, ""),
        ],
        Duration::from_millis(300),
    )])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(body_partial_json(json!({"Content": "echo: hi bot"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "sent-1"})))
        .with_priority(1)
        .expect(1)
        .mount(&rest)
        .await;
    let binary = tokio::task::spawn_blocking(|| example("echo_bot"))
        .await
        .unwrap();
    let endpoint = rest.uri();
    let run = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .args(["--endpoint-url", &endpoint])
            .env("PARTICIPANT_TOKEN", "participant-token")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_ENDPOINT_URL_CONNECTPARTICIPANT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    });
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the bot finished within a minute")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("the chat has ended"), "{stdout}");
    rest.verify().await;
}

/// The parity table (`chat/PARITY.md`, in the crate docs and the README) names, for each
/// feature this crate has, the test that keeps it true: each must exist.
#[test]
fn every_parity_row_names_a_test_that_exists() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let table = std::fs::read_to_string(format!("{root}/chat/PARITY.md")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    assert!(
        readme.contains(table.trim()),
        "the README shows chat/PARITY.md"
    );
    let mut checked = 0;
    for row in table.lines().skip(2) {
        let ours = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        let quoted: Vec<&str> = ours.split('`').skip(1).step_by(2).collect();
        if ours.starts_with("not yet") {
            continue;
        }
        let [file, test] = quoted[..] else {
            panic!("a row without a file and a test: {row}")
        };
        let code = std::fs::read_to_string(format!("{root}/{file}"))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            code.contains(&format!("fn {test}(")),
            "{file} has no test {test}"
        );
        checked += 1;
    }
    assert!(checked >= 13, "{checked} rows checked");
}
