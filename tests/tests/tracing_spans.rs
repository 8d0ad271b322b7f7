//! A span per call and per attempt, with operation, attempt, status and request id, and
//! no secret in any field.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectparticipant::{Client, Config};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tracing-secret-token";
/// Chat content is customer data: it must not reach logs either.
const CONTENT: &str = "tracing-secret-chat-content";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_name_operation_attempt_status_and_request_id_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        // TRACE, so that what the HTTP stack logs is captured too.
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-amzn-RequestId", "req-first"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-RequestId", "req-second")
                .set_body_json(json!({"Id": "m"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token(TOKEN)
        .content_type("t")
        .content(CONTENT)
        .send()
        .await
        .unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "operation",
        "SendMessage",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "request_id=\"req-second\"",
        "request_id=\"req-first\"",
        "retrying",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from:\n{log}");
    }
    assert!(!log.contains(TOKEN), "token leaked into traces:\n{log}");
    assert!(
        !log.contains(CONTENT),
        "chat content leaked into traces:\n{log}"
    );
}
