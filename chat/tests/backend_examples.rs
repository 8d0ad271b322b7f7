//! The whole chat flow, as a user runs the examples, against local mocks of both APIs:
//! `start_chat` starts a chat with `StartChatContact` (its SigV4 signature checked by the
//! mock, with the credentials the example took from the environment) and joins it as the
//! customer; `chat_bot` joins a running chat with `CreateParticipant` (role `CUSTOM_BOT`)
//! and answers over its session.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{chat_frame, example, rest_server, websocket_server, Script, SignedFor};
use connectparticipant_chat::EVENT_CONTENT_TYPE;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs example `name` with `args` against `rest`, credentials in the environment (and
/// nowhere else: instance metadata off, an empty HOME).
async fn run(name: &'static str, rest: &MockServer, args: &[&str]) -> (bool, String) {
    let binary = tokio::task::spawn_blocking(move || example(name))
        .await
        .unwrap();
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.extend(["--endpoint-url".to_owned(), rest.uri()]);
    let home = std::env::temp_dir().join(format!("awsgen-examples-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let run = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .args(&args)
            .env_clear()
            .env("HOME", &home)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", common::ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", common::SECRET_ACCESS_KEY)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    });
    let output = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the example finished within a minute")
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_starts_a_chat_signed_and_joins_it_as_the_customer() {
    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, _ended) = websocket_server(vec![Script::Paced(
        vec![
            chat_frame("agent-1", 1, "text/plain", "Hi, how can I help?"),
            chat_frame("e1", 3, &ended, ""),
        ],
        Duration::from_millis(300),
    )])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("PUT"))
        .and(path("/contact/chat"))
        .and(body_partial_json(json!({"InstanceId": "instance-1", "ContactFlowId": "flow-1"})))
        .and(SignedFor { region: "us-east-1", service: "connect" })
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ContactId": "contact-1", "ParticipantId": "p-1", "ParticipantToken": "participant-token"
        })))
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(body_partial_json(json!({"Content": "Hello from Rust!"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "sent-1"})))
        .with_priority(1)
        .expect(1)
        .mount(&rest)
        .await;
    let (ok, output) = run(
        "start_chat",
        &rest,
        &["--instance-id", "instance-1", "--contact-flow-id", "flow-1"],
    )
    .await;
    assert!(ok, "{output}");
    assert!(output.contains("started contact contact-1"), "{output}");
    assert!(output.contains("Hi, how can I help?"), "{output}");
    assert!(output.contains("the chat has ended: ChatEnded"), "{output}");
    rest.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_joins_a_running_chat_and_answers() {
    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, _ended) = websocket_server(vec![Script::Paced(
        vec![
            chat_frame("customer-1", 1, "text/plain", "where is my order?"),
            // The bot's own answer comes back on the socket: not answered again.
            chat_frame("sent-1", 2, "text/plain", "You said: where is my order?"),
            chat_frame("e1", 3, &ended, ""),
        ],
        Duration::from_millis(300),
    )])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/contact/create-participant"))
        .and(body_partial_json(json!({
            "InstanceId": "instance-1", "ContactId": "contact-1",
            "ParticipantDetails": {"ParticipantRole": "CUSTOM_BOT"}
        })))
        .and(SignedFor { region: "us-east-1", service: "connect" })
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ParticipantId": "bot-1",
            "ParticipantCredentials": {"ParticipantToken": "participant-token", "Expiry": "2030-01-01T00:00:00Z"}
        })))
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(body_partial_json(
            json!({"Content": "You said: where is my order?"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "sent-1"})))
        .with_priority(1)
        .expect(1)
        .mount(&rest)
        .await;
    let (ok, output) = run(
        "chat_bot",
        &rest,
        &["--instance-id", "instance-1", "--contact-id", "contact-1"],
    )
    .await;
    assert!(ok, "{output}");
    assert!(output.contains("the chat has ended"), "{output}");
    rest.verify().await;
}
