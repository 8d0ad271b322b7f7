//! The chat session against hostile or broken servers on 127.0.0.1: a handshake never
//! answered, a 403 or a redirect at the handshake, `ws://` and `http://` downgrades, the
//! client's proxy, and a reader too slow for the messages. Each test asserts what
//! happened: events, connections made, calls made, time taken.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{rest_server, Script};
use connectparticipant::operation::create_participant_connection::{
    CreateParticipantConnection, CreateParticipantConnectionOutput,
};
use connectparticipant::operation::start_attachment_upload::{
    StartAttachmentUpload, StartAttachmentUploadOutput,
};
use connectparticipant::types::{ConnectionCredentials, UploadMetadata, Websocket};
use connectparticipant::{Client, Config, Mock};
use connectparticipant_chat::machine::{EndReason, SessionEvent};
use connectparticipant_chat::session::ChatSession;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The events until the end (or `limit`), with when each came.
async fn events_until_end(
    session: &mut ChatSession,
    limit: Duration,
) -> Vec<(Duration, SessionEvent)> {
    let start = Instant::now();
    let mut events = Vec::new();
    while let Ok(Some(event)) =
        tokio::time::timeout(limit.saturating_sub(start.elapsed()), session.next_event()).await
    {
        let ended = matches!(event, SessionEvent::Ended(_));
        events.push((start.elapsed(), event));
        if ended {
            break;
        }
    }
    events
}

/// A TCP server on 127.0.0.1 that answers every connection with `answer` (nothing when
/// `None`) and keeps it open; it counts the connections.
async fn raw_server(answer: Option<&'static str>) -> (String, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "ws://{}/chat?X-Amz-Signature=handshake-secret",
        listener.local_addr().unwrap()
    );
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let seen = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            seen.lock().unwrap().push(Instant::now());
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head).await;
                if let Some(answer) = answer {
                    let _ = stream.write_all(answer.as_bytes()).await;
                }
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    (url, accepted)
}

fn connection_calls(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/participant/connection")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_403_at_the_handshake_ends_the_session_within_15_seconds() {
    let (url, accepted) =
        raw_server(Some("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")).await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let events = events_until_end(&mut session, Duration::from_secs(20)).await;
    let (at, last) = events.last().expect("an event");
    let SessionEvent::Ended(EndReason::TokenRefused(why)) = last else {
        panic!("{events:?}")
    };
    assert!(*at < Duration::from_secs(15), "ended after {at:?}");
    assert!(
        why.contains("403") && !why.contains("handshake-secret"),
        "{why}"
    );
    // One fresh URL was asked for, and refused again.
    assert_eq!(accepted.lock().unwrap().len(), 2);
    assert_eq!(
        connection_calls(&rest.received_requests().await.unwrap()),
        2
    );
    assert!(session.next_event().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handshake_never_answered_is_given_up_after_ten_seconds_and_retried() {
    let (url, accepted) = raw_server(None).await;
    let rest = rest_server(&url).await;
    let _session = ChatSession::start(&common::client(&rest), "participant-token");
    let deadline = Instant::now() + Duration::from_secs(16);
    while accepted.lock().unwrap().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let accepted = accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 2, "a second try within 16 s");
    let gap = accepted[1] - accepted[0];
    // The open timeout (10 s), then the first backoff (2 s).
    assert!(
        gap >= Duration::from_secs(11) && gap < Duration::from_secs(14),
        "{gap:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_at_the_handshake_is_not_followed() {
    let (elsewhere, elsewhere_accepted) = raw_server(None).await;
    let answer: &'static str = Box::leak(
        format!("HTTP/1.1 302 Found\r\nLocation: {elsewhere}\r\ncontent-length: 0\r\n\r\n")
            .into_boxed_str(),
    );
    let (url, accepted) = raw_server(Some(answer)).await;
    let rest = rest_server(&url).await;
    let _session = ChatSession::start(&common::client(&rest), "participant-token");
    tokio::time::sleep(Duration::from_millis(2_600)).await;
    assert!(
        elsewhere_accepted.lock().unwrap().is_empty(),
        "the redirect was followed"
    );
    assert_eq!(
        accepted.lock().unwrap().len(),
        2,
        "tried again after 2 s instead"
    );
}

/// A client whose endpoint is HTTPS, answered by a mock.
fn https_client(mock: &Mock) -> Client {
    Client::mock(mock)
}

fn created(url: &str) -> CreateParticipantConnectionOutput {
    CreateParticipantConnectionOutput::builder()
        .websocket(Websocket::builder().url(url).build())
        .connection_credentials(
            ConnectionCredentials::builder()
                .connection_token("connection-token")
                .build(),
        )
        .build()
}

#[tokio::test]
async fn a_ws_url_for_an_https_client_is_a_downgrade_and_the_join_fails_saying_so() {
    let mock = Mock::new();
    mock.output::<CreateParticipantConnection>(created("ws://127.0.0.1:9/chat"));
    let mut session = ChatSession::start(&https_client(&mock), "participant-token");
    let events = events_until_end(&mut session, Duration::from_secs(5)).await;
    let Some((_, SessionEvent::Ended(EndReason::JoinFailed(why)))) = events.last() else {
        panic!("{events:?}")
    };
    assert!(why.contains("ws://") && why.contains("refused"), "{why}");
}

#[tokio::test]
async fn an_http_upload_url_for_an_https_client_is_refused_before_anything_is_sent() {
    let mock = Mock::new();
    // A socket that cannot open (nothing listens there): the session has its token meanwhile.
    mock.output::<CreateParticipantConnection>(created("wss://127.0.0.1:9/chat"));
    let upload = UploadMetadata::builder()
        .url("http://127.0.0.1:9/upload?X-Amz-Signature=upload-secret")
        .build();
    mock.output::<StartAttachmentUpload>(
        StartAttachmentUploadOutput::builder()
            .attachment_id("a1")
            .upload_metadata(upload)
            .build(),
    );
    let session = ChatSession::start(&https_client(&mock), "participant-token");
    let deadline = Instant::now() + Duration::from_secs(5);
    let error = loop {
        let error = session
            .upload("a.txt", "text/plain", &b"hello"[..])
            .await
            .unwrap_err()
            .to_string();
        if !error.contains("not connected yet") || Instant::now() > deadline {
            break error;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(error.contains("not https://"), "{error}");
    assert!(!error.contains("upload-secret"), "{error}");
}

/// An HTTP proxy on 127.0.0.1: `CONNECT` tunnels, other requests are forwarded to the
/// host their absolute URL names. It records each request line.
async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let line = text.lines().next().unwrap_or_default().to_owned();
                seen.lock().unwrap().push(line.clone());
                let mut parts = line.split(' ');
                let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                let authority = if method == "CONNECT" {
                    target.to_owned()
                } else {
                    target
                        .trim_start_matches("http://")
                        .split('/')
                        .next()
                        .unwrap_or("")
                        .to_owned()
                };
                let Ok(mut upstream) = TcpStream::connect(&authority).await else {
                    return;
                };
                if method == "CONNECT" {
                    let _ = client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await;
                } else {
                    let _ = upstream.write_all(&head).await;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (url, lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_websocket_goes_through_the_clients_proxy() {
    let (ws, _ended) =
        common::websocket_server(vec![Script::SendThenWait(vec![common::chat_frame(
            "m1",
            1,
            "text/plain",
            "via the proxy",
        )])])
        .await;
    let rest = rest_server(&ws).await;
    let (proxy, lines) = proxy().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(rest.uri())
        .max_attempts(1)
        .proxy(&proxy)
        .build()
        .unwrap();
    let mut session = ChatSession::start(&Client::new(&config).unwrap(), "participant-token");
    let first = tokio::time::timeout(Duration::from_secs(10), session.next_event())
        .await
        .unwrap();
    assert_eq!(first, Some(SessionEvent::Connected));
    let ws_authority = ws
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let lines = lines.lock().unwrap().clone();
    assert!(
        lines.contains(&format!("CONNECT {ws_authority} HTTP/1.1")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("POST http://") && l.contains("/participant/connection")),
        "{lines:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_is_told_it_lagged_and_gets_every_message_once_without_a_reconnect() {
    use connectparticipant_chat::clock::ManualClock;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock as Route, ResponseTemplate};

    const MESSAGES: usize = 1_000;
    let body = "x".repeat(1_000);
    let frames = (0..MESSAGES)
        .map(|n| common::chat_frame(&format!("m{n:04}"), (n / 100) as u32, "text/plain", &body))
        .collect();
    let (url, mut reports) = common::reporting_server(vec![Script::ServeAfter(frames)]).await;
    let rest = rest_server(&url).await;
    // The transcript has every message.
    let items: Vec<_> = (0..MESSAGES)
        .map(|n| serde_json::json!({"Id": format!("m{n:04}"), "Type": "MESSAGE", "ContentType": "text/plain",
            "Content": body, "AbsoluteTime": format!("2026-12-01T12:00:{:02}.000Z", n / 100)}))
        .collect();
    Route::given(method("POST"))
        .and(path("/participant/transcript"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"Transcript": items})),
        )
        .with_priority(1)
        .mount(&rest)
        .await;
    let clock = Arc::new(ManualClock::new());
    let mut session = ChatSession::builder(&common::client(&rest), "participant-token")
        .clock(clock.clone())
        .event_buffer(200 * 1024)
        .start();
    let accepted = tokio::time::timeout(Duration::from_secs(5), reports.recv()).await;
    assert!(
        matches!(accepted, Ok(Some((0, "accepted")))),
        "{accepted:?}"
    );
    // The application does not read for 30 s; the socket is kept alive meanwhile.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        clock.advance(Duration::from_secs(10));
        let heartbeat = tokio::time::timeout(Duration::from_secs(5), reports.recv()).await;
        assert!(
            matches!(heartbeat, Ok(Some((0, "heartbeat")))),
            "{heartbeat:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut lagged = 0;
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut others = Vec::new();
    while seen.len() < MESSAGES {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
        match event.expect("an event within 10 s").expect("not ended") {
            SessionEvent::Lagged(n) => lagged += n,
            SessionEvent::Chat(chat) => {
                *seen
                    .entry(chat.item().id().unwrap().to_owned())
                    .or_default() += 1
            }
            other => others.push(other),
        }
    }
    assert!(lagged > 0, "the buffer overflowed");
    // Connected may have been among the dropped; nothing was lost or restored.
    assert!(
        others.iter().all(|e| *e == SessionEvent::Connected),
        "{others:?}"
    );
    // Those lagged came again from the transcript, once; the others once.
    let delivered: usize = seen.values().sum();
    assert!(seen.values().all(|n| *n == 1), "a message twice");
    assert_eq!(delivered, MESSAGES);
    assert!(lagged as usize >= MESSAGES - 200 * 1024 / 1_000, "{lagged}");
    let requests = rest.received_requests().await.unwrap();
    assert_eq!(connection_calls(&requests), 1, "no reconnect");
}
