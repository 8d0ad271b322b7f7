//! Attachments against local mocks: an upload sends exactly the headers the service asked
//! for to the pre-signed URL and completes; a download reads the pre-signed URL and
//! checks the size; oversized files are refused before anything is sent; errors never
//! show a pre-signed URL.

mod common;

use std::time::Duration;

use common::{client, rest_server, websocket_server, Script};
use connectparticipant_chat::{ChatSession, Receipt};
use connectparticipant_chat::{SessionEvent, MAX_ATTACHMENT};
use serde_json::json;
use wiremock::matchers::{body_bytes, body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SIGNATURE: &str = "X-Amz-Signature=secret-signature";

/// A connected session (subscribed), with the REST mock to add expectations to.
async fn connected() -> (ChatSession, MockServer) {
    let (url, _ended) = websocket_server(vec![Script::SendThenWait(Vec::new())]).await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    let first = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
    assert_eq!(
        first.expect("connected within 10 s"),
        Some(SessionEvent::Connected)
    );
    (session, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_puts_exactly_the_asked_headers_and_completes() {
    let (session, rest) = connected().await;
    let upload_url = format!("{}/bucket/file?{SIGNATURE}", rest.uri());
    Mock::given(method("POST"))
        .and(path("/participant/start-attachment-upload"))
        .and(header("x-amz-bearer", "connection-token"))
        .and(body_partial_json(json!({"AttachmentName": "notes.txt", "AttachmentSizeInBytes": 5, "ContentType": "text/plain"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "AttachmentId": "att-1",
            "UploadMetadata": {"Url": upload_url, "UrlExpiry": "2030-01-01T00:00:00Z",
                               "HeadersToInclude": {"Content-Type": "text/plain", "x-amz-meta-chat": "c1"}}
        })))
        .mount(&rest)
        .await;
    Mock::given(method("PUT"))
        .and(path("/bucket/file"))
        .and(header("content-type", "text/plain"))
        .and(header("x-amz-meta-chat", "c1"))
        .and(body_bytes(b"hello".to_vec()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/complete-attachment-upload"))
        .and(body_partial_json(json!({"AttachmentIds": ["att-1"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&rest)
        .await;
    let id = session
        .upload("notes.txt", "text/plain", b"hello".to_vec())
        .await
        .unwrap();
    assert_eq!(id, "att-1");
    rest.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_reads_the_url_and_checks_the_size() {
    let (session, rest) = connected().await;
    let file_url = format!("{}/bucket/report?{SIGNATURE}", rest.uri());
    for (id, size) in [
        ("att-ok", 7),
        ("att-short", 70),
        ("att-huge", MAX_ATTACHMENT + 1),
    ] {
        Mock::given(method("POST"))
            .and(path("/participant/attachment"))
            .and(body_partial_json(json!({"AttachmentId": id})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Url": file_url, "UrlExpiry": "2030-01-01T00:00:00Z", "AttachmentSizeInBytes": size
            })))
            .mount(&rest)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/bucket/report"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"content".to_vec()))
        .mount(&rest)
        .await;
    assert_eq!(session.download("att-ok").await.unwrap(), b"content");
    let short = session.download("att-short").await.unwrap_err().to_string();
    assert!(
        short.contains("7 bytes where GetAttachment said 70"),
        "{short}"
    );
    let huge = session.download("att-huge").await.unwrap_err().to_string();
    assert!(huge.contains("more than"), "{huge}");
    for error in [short, huge] {
        assert!(
            !error.contains("secret-signature") && !error.contains("/bucket/"),
            "{error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_or_refused_uploads_fail_without_leaking_the_url() {
    let (session, rest) = connected().await;
    let too_big = session
        .upload(
            "big.bin",
            "application/octet-stream",
            vec![0u8; MAX_ATTACHMENT + 1],
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(too_big.contains("more than"), "{too_big}");

    let upload_url = format!("{}/bucket/denied?{SIGNATURE}", rest.uri());
    Mock::given(method("POST"))
        .and(path("/participant/start-attachment-upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "AttachmentId": "att-2",
            "UploadMetadata": {"Url": upload_url, "HeadersToInclude": {}}
        })))
        .mount(&rest)
        .await;
    Mock::given(method("PUT"))
        .and(path("/bucket/denied"))
        .respond_with(ResponseTemplate::new(403).set_body_string(format!("denied {SIGNATURE}")))
        .mount(&rest)
        .await;
    let denied = session
        .upload("a.txt", "text/plain", b"x".to_vec())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        denied.contains("uploading the attachment failed: HTTP 403"),
        "{denied}"
    );
    assert!(!denied.contains("secret-signature"), "{denied}");
}

/// `upload_file` names the attachment after the file; `send_event`, `send_receipt` and
/// `disconnect` reach the service with the connection token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_events_and_disconnect_use_the_connection_token() {
    let (session, rest) = connected().await;
    let upload_url = format!("{}/bucket/from-file?{SIGNATURE}", rest.uri());
    Mock::given(method("POST"))
        .and(path("/participant/start-attachment-upload"))
        .and(body_partial_json(
            json!({"AttachmentName": "report.csv", "AttachmentSizeInBytes": 4}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "AttachmentId": "att-3", "UploadMetadata": {"Url": upload_url, "HeadersToInclude": {}}
        })))
        .mount(&rest)
        .await;
    Mock::given(method("PUT"))
        .and(path("/bucket/from-file"))
        .and(body_bytes(b"a,b\n".to_vec()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/complete-attachment-upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&rest)
        .await;
    for (uri, body) in [
        (
            "/participant/event",
            json!({"ContentType": "application/vnd.amazonaws.connect.event.typing"}),
        ),
        ("/participant/disconnect", json!({})),
    ] {
        Mock::given(method("POST"))
            .and(path(uri))
            .and(header("x-amz-bearer", "connection-token"))
            .and(body_partial_json(body))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&rest)
            .await;
    }
    let dir = std::env::temp_dir().join(format!("chat-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.csv");
    std::fs::write(&file, "a,b\n").unwrap();
    assert_eq!(
        session.upload_file(&file, "text/csv").await.unwrap(),
        "att-3"
    );
    std::fs::remove_dir_all(&dir).ok();
    session
        .send_event("application/vnd.amazonaws.connect.event.typing")
        .await
        .unwrap();
    Mock::given(method("POST"))
        .and(path("/participant/event"))
        .and(header("x-amz-bearer", "connection-token"))
        .and(body_partial_json(json!({
            "ContentType": "application/vnd.amazonaws.connect.event.message.read",
            "Content": "{\"messageId\":\"m-7\"}"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&rest)
        .await;
    session.send_receipt(Receipt::Read, "m-7").await.unwrap();
    session.disconnect().await.unwrap();
    rest.verify().await;
}
