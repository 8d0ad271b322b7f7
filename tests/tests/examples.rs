//! The examples run, as a user runs them, against a local mock of the service:
//! `chat_session --endpoint-url http://127.0.0.1:PORT` connects, sends, reads the whole
//! transcript through the paginator (two pages) and disconnects.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Builds the example (a no-op after `cargo test` built it) and returns its path.
fn example(name: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "awsgen-tests", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the example {name} does not build");
    // This test runs from target/<profile>/deps; examples are in target/<profile>/examples.
    let deps = std::env::current_exe().unwrap();
    deps.parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join(name))
        .unwrap()
}

async fn mock_service() -> MockServer {
    let server = MockServer::start().await;
    let ok = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("POST"))
        .and(path("/participant/connection"))
        .and(header("x-amz-bearer", "participant-token"))
        .respond_with(ok(json!({
            "ConnectionCredentials": {"ConnectionToken": "connection-token", "Expiry": "2030-01-01T00:00:00.000Z"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ok(
            json!({"Id": "message-1", "AbsoluteTime": "2026-12-01T12:00:00.000Z"}),
        ))
        .mount(&server)
        .await;
    let item = |id: &str, content: &str| json!({"Id": id, "Type": "MESSAGE", "ParticipantRole": "AGENT", "DisplayName": "Ana", "Content": content});
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .and(body_partial_json(json!({"NextToken": "page-2"})))
        .respond_with(ok(json!({"Transcript": [item("i3", "third")]})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .respond_with(ok(json!({
            "Transcript": [item("i1", "first"), item("i2", "second")],
            "NextToken": "page-2"
        })))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/disconnect"))
        .respond_with(ok(json!({})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn chat_session_runs_against_a_local_endpoint() {
    let server = mock_service().await;
    let binary = tokio::task::spawn_blocking(|| example("chat_session"))
        .await
        .unwrap();
    let endpoint = server.uri();
    let run = tokio::task::spawn_blocking(move || {
        let child = Command::new(binary)
            .args(["--endpoint-url", &endpoint])
            .env("PARTICIPANT_TOKEN", "participant-token")
            .env_remove("AWS_ENDPOINT_URL")
            .env_remove("AWS_ENDPOINT_URL_CONNECTPARTICIPANT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        child.wait_with_output().unwrap()
    });
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the example finished within a minute")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("sent message Some(\"message-1\")"),
        "{stdout}"
    );
    for content in ["first", "second", "third"] {
        assert!(stdout.contains(&format!("Some(\"{content}\")")), "{stdout}");
    }

    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/participant/connection",
            "/participant/message",
            "/participant/transcript",
            "/participant/transcript",
            "/participant/disconnect"
        ]
    );
    for request in &requests[1..] {
        assert_eq!(request.headers["x-amz-bearer"], "connection-token");
    }
    let pages: Vec<Value> = requests[2..4]
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(pages[0]["MaxResults"], 20);
    assert_eq!(pages[0]["ScanDirection"], "BACKWARD");
    assert_eq!(pages[1]["NextToken"], "page-2");
}
