//! No token, pre-signed URL or chat content reaches a log: with a `log` logger and a
//! `tracing` subscriber installed at TRACE (capturing every record of this crate and of
//! its dependencies), a session connects, receives a message, loses its socket and
//! reconnects, sends a message, shares a file and downloads one; then neither capture
//! holds a secret, and neither does the `Debug` of the session or of its events. (This
//! file holds one test: a logger is installed once per process.)

mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::{chat_frame, client, rest_server, websocket_server, Script};
use connectparticipant_chat::{ChatSession, SessionEvent};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

static CAPTURED: Mutex<String> = Mutex::new(String::new());

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        // The test's own REST mock logs the requests it did not expect, tokens and all:
        // it plays the service, its logs are not the client's.
        if record.target().starts_with("wiremock") {
            return;
        }
        let line = format!("log {} {}\n", record.target(), record.args());
        CAPTURED.lock().unwrap().push_str(&line);
    }
    fn flush(&self) {}
}

#[derive(Clone)]
struct Writer;

impl std::io::Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED
            .lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(bytes));
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const SECRETS: [&str; 6] = [
    "participant-token",
    "connection-token",
    "ws-signature-secret",
    "upload-signature-secret",
    "download-signature-secret",
    "SECRET-CHAT-CONTENT",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_a_log_or_a_debug_string() {
    log::set_boxed_logger(Box::new(Logger)).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(|| Writer)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    // Both captures work: a record of each kind shows.
    log::trace!("log-capture-works");
    tracing::trace!("tracing-capture-works");

    let (url, _ended) = websocket_server(vec![
        Script::SendThenDrop(vec![chat_frame(
            "m1",
            1,
            "text/plain",
            "SECRET-CHAT-CONTENT",
        )]),
        Script::SendThenWait(Vec::new()),
    ])
    .await;
    let url = format!("{url}?X-Amz-Signature=ws-signature-secret");
    let rest = rest_server(&url).await;
    let upload_url = format!(
        "{}/bucket/file?X-Amz-Signature=upload-signature-secret",
        rest.uri()
    );
    Mock::given(method("POST"))
        .and(path("/participant/start-attachment-upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "AttachmentId": "att-1",
            "UploadMetadata": {"Url": upload_url, "HeadersToInclude": {"Content-Type": "text/plain"}}
        })))
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/disconnect"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&rest)
        .await;
    Mock::given(method("PUT"))
        .and(path("/bucket/file"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/complete-attachment-upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&rest)
        .await;

    let mut session = ChatSession::start(&client(&rest), "participant-token");
    let mut shown = Vec::new();
    for _ in 0..5 {
        let event = tokio::time::timeout(Duration::from_secs(15), session.next_event())
            .await
            .expect("an event")
            .expect("not ended");
        shown.push(format!("{event:?}"));
        if event == SessionEvent::ConnectionRestored {
            break;
        }
    }
    assert!(shown.iter().any(|e| e.contains("m1")), "{shown:?}");
    assert!(
        shown.contains(&"ConnectionRestored".to_owned()),
        "{shown:?}"
    );
    session
        .send_message("text/plain", "SECRET-CHAT-CONTENT")
        .await
        .unwrap();
    session
        .upload("notes.txt", "text/plain", &b"hello"[..])
        .await
        .unwrap();
    let download = format!(
        "{}/bucket/shared?X-Amz-Signature=download-signature-secret",
        rest.uri()
    );
    Mock::given(method("POST"))
        .and(path("/participant/attachment"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Url": download})))
        .mount(&rest)
        .await;
    Mock::given(method("GET"))
        .and(path("/bucket/shared"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"SECRET-CHAT-CONTENT".to_vec()))
        .mount(&rest)
        .await;
    assert_eq!(
        session.download("a1").await.unwrap(),
        b"SECRET-CHAT-CONTENT"
    );
    shown.push(format!("{session:?}"));
    session.disconnect().await.unwrap();
    // What is still queued (the gap fill's items), then the end (after the grace for
    // what the chat still sends).
    while let Ok(Some(event)) =
        tokio::time::timeout(Duration::from_secs(15), session.next_event()).await
    {
        shown.push(format!("{event:?}"));
    }
    assert_eq!(shown.last().unwrap(), "Ended(Disconnected)", "{shown:?}");

    let captured = CAPTURED.lock().unwrap().clone();
    assert!(captured.contains("log-capture-works") && captured.contains("tracing-capture-works"));
    for secret in SECRETS {
        let line = captured.lines().find(|l| l.contains(secret));
        assert!(line.is_none(), "{secret} was logged: {line:?}");
        for debug in &shown {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }
}
