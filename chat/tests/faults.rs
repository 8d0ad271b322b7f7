//! The chat session against hostile or broken servers on 127.0.0.1: a handshake never
//! answered, a 403 or a redirect at the handshake, `ws://` and `http://` downgrades, the
//! client's proxy, and a reader too slow for the messages. Each test asserts what
//! happened: events, connections made, calls made, time taken.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{rest_server, Script};
use connectparticipant::mock::Mock;
use connectparticipant::operation::create_participant_connection::{
    CreateParticipantConnection, CreateParticipantConnectionOutput,
};
use connectparticipant::operation::start_attachment_upload::{
    StartAttachmentUpload, StartAttachmentUploadOutput,
};
use connectparticipant::types::{ConnectionCredentials, UploadMetadata, Websocket};
use connectparticipant::{Client, Config};
use connectparticipant_chat::{ChatSession, SEND_TIMEOUT};
use connectparticipant_chat::{EndReason, SessionEvent};
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
    let deadline = Instant::now() + Duration::from_secs(20);
    while accepted.lock().unwrap().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let accepted = accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 2, "a second try within 20 s");
    let gap = accepted[1] - accepted[0];
    // The open timeout (10 s), then the first backoff (2 s).
    assert!(
        gap >= Duration::from_secs(11) && gap < Duration::from_secs(16),
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
    let deadline = Instant::now() + Duration::from_secs(8);
    while accepted.lock().unwrap().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let tries = accepted.lock().unwrap().clone();
    assert_eq!(tries.len(), 2, "tried again instead");
    assert!(
        tries[1] - tries[0] >= Duration::from_secs(2),
        "after the backoff"
    );
    assert!(
        elsewhere_accepted.lock().unwrap().is_empty(),
        "the redirect was followed"
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_websocket_and_attachments_go_through_the_clients_proxy() {
    let (ws, _ended) =
        common::websocket_server(vec![Script::SendThenWait(vec![common::chat_frame(
            "m1",
            1,
            "text/plain",
            "via the proxy",
        )])])
        .await;
    let rest = rest_server(&ws).await;
    let (proxy, lines) = common::proxy().await;
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
    // An attachment download goes through it too.
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("POST"))
        .and(path("/participant/attachment"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "Url": format!("{}/bucket/file?X-Amz-Signature=s", rest.uri()),
                "AttachmentSizeInBytes": 2
            })),
        )
        .mount(&rest)
        .await;
    wiremock::Mock::given(method("GET"))
        .and(path("/bucket/file"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_bytes(b"hi".to_vec()))
        .mount(&rest)
        .await;
    assert_eq!(session.download("a1").await.unwrap(), b"hi");
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
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET http://") && l.contains("/bucket/file")),
        "{lines:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_is_told_it_lagged_and_gets_every_message_once_without_a_reconnect() {
    use connectparticipant_chat::ManualClock;
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

/// What a hostile WebSocket server does with each connection, after the upgrade (done
/// here by hand so that bytes can be dripped).
type Behaviour =
    Arc<dyn Fn(usize, TcpStream) -> futures_util::future::BoxFuture<'static, ()> + Send + Sync>;

/// A WebSocket server on 127.0.0.1 that upgrades each connection by hand (optionally a
/// byte at a time) and hands the raw stream to `behaviour`; it records `accepted` and
/// `closed` (the client closed or dropped it) per connection.
async fn hostile_server(
    drip_upgrade: bool,
    behaviour: Behaviour,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "ws://{}/chat?X-Amz-Signature=ws-signature-secret",
        listener.local_addr().unwrap()
    );
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            seen.lock().unwrap().push(format!("{n} accepted"));
            let behaviour = behaviour.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let key = text
                    .lines()
                    .find_map(|l| l.strip_prefix("Sec-WebSocket-Key: "))
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                let answer = format!(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                    accept(&key)
                );
                write(&mut stream, answer.as_bytes(), drip_upgrade).await;
                behaviour(n, stream).await;
            });
            n += 1;
        }
    });
    (url, log)
}

fn accept(key: &str) -> String {
    use base64::Engine as _;
    let mut digest = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    digest.update(key.as_bytes());
    digest.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(digest.finish())
}

/// Writes `bytes`, a byte at a time (1 ms apart) when `drip`.
async fn write(stream: &mut TcpStream, bytes: &[u8], drip: bool) {
    if !drip {
        let _ = stream.write_all(bytes).await;
        return;
    }
    for byte in bytes {
        if stream.write_all(&[*byte]).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// An unmasked server text frame.
fn text_frame(text: &str) -> Vec<u8> {
    let mut frame = vec![0x81];
    match text.len() {
        n if n < 126 => frame.push(n as u8),
        n if n < 65_536 => {
            frame.push(126);
            frame.extend((n as u16).to_be_bytes());
        }
        n => {
            frame.push(127);
            frame.extend((n as u64).to_be_bytes());
        }
    }
    frame.extend(text.as_bytes());
    frame
}

const ACK: &str =
    r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#;

fn chat_text(id: &str, time: &str, content: &str) -> String {
    let item = serde_json::json!({"Id": id, "Type": "MESSAGE", "ContentType": "text/plain",
        "Content": content, "AbsoluteTime": time});
    serde_json::json!({"topic": "aws/chat", "content": item.to_string()}).to_string()
}

/// Reads (and drops) what the client sends until it closes; records `closed`.
async fn drain_until_closed(stream: &mut TcpStream, log: &Mutex<Vec<String>>, n: usize) {
    let mut buffer = [0u8; 1024];
    while let Ok(read) = stream.read(&mut buffer).await {
        if read == 0 {
            break;
        }
    }
    log.lock().unwrap().push(format!("{n} closed"));
}

/// Every event's `Debug` is free of the secrets the servers used.
fn assert_no_secret(events: &[SessionEvent]) {
    for event in events {
        let shown = format!("{event:?}");
        for secret in [
            "participant-token",
            "connection-token",
            "ws-signature-secret",
            "SECRET",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_dripped_a_byte_at_a_time_are_read_whole() {
    let behaviour: Behaviour = Arc::new(|_, mut stream| {
        Box::pin(async move {
            let mut subscribe = [0u8; 256];
            let _ = stream.read(&mut subscribe).await;
            write(&mut stream, &text_frame(ACK), true).await;
            let message = chat_text("m1", "2026-12-01T12:00:01Z", "SECRET dripped");
            write(&mut stream, &text_frame(&message), true).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
    });
    let (url, _log) = hostile_server(true, behaviour).await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let mut events = Vec::new();
    while events.len() < 2 {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
        events.push(event.expect("an event within 10 s").expect("running"));
    }
    assert_eq!(events[0], SessionEvent::Connected);
    let SessionEvent::Chat(chat) = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(chat.item().content(), Some("SECRET dripped"));
    assert_no_secret(&events);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_loop_ends_the_session_and_every_socket_is_closed() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let server_log = log.clone();
    let behaviour: Behaviour = Arc::new(move |n, mut stream| {
        let log = server_log.clone();
        Box::pin(async move {
            write(
                &mut stream,
                &text_frame(r#"{"message":"Forbidden","connectionId":"c"}"#),
                false,
            )
            .await;
            drain_until_closed(&mut stream, &log, n).await;
        })
    });
    let (url, accepted) = hostile_server(false, behaviour).await;
    let rest = rest_server(&url).await;
    let started = Instant::now();
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let events = events_until_end(&mut session, Duration::from_secs(15)).await;
    let took = started.elapsed();
    let (_, SessionEvent::Ended(EndReason::TokenRefused(why))) = events.last().unwrap() else {
        panic!("{events:?}")
    };
    assert!(why.contains("Forbidden"), "{why}");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert_eq!(
        connection_calls(&rest.received_requests().await.unwrap()),
        2
    );
    assert_eq!(accepted.lock().unwrap().len(), 2, "two sockets opened");
    // A close waits for the peer's answer at most SEND_TIMEOUT (5 s), then drops the socket.
    let deadline = Instant::now() + SEND_TIMEOUT + Duration::from_secs(2);
    while log.lock().unwrap().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut closed = log.lock().unwrap().clone();
    closed.sort();
    assert_eq!(
        closed,
        ["0 closed", "1 closed"],
        "both closed by the client"
    );
    assert_no_secret(&events.into_iter().map(|(_, e)| e).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colliding_ids_and_absurd_times_update_in_place_and_show_once() {
    let frames = vec![
        chat_text("same", "2026-12-01T12:00:01Z", "first"),
        chat_text("same", "2026-12-01T12:00:01Z", "first"),
        chat_text("same", "2026-12-01T12:00:01Z", "first, edited"),
        chat_text("future", "9999-12-31T23:59:59Z", "from the future"),
        chat_text("past", "0001-01-01T00:00:00Z", "from the past"),
        chat_text("nonsense", "yesterday-ish", "no time"),
        chat_text("future", "9999-12-31T23:59:59Z", "from the future"),
    ];
    let behaviour: Behaviour = Arc::new(move |_, mut stream| {
        let frames = frames.clone();
        Box::pin(async move {
            let mut subscribe = [0u8; 256];
            let _ = stream.read(&mut subscribe).await;
            write(&mut stream, &text_frame(ACK), false).await;
            for frame in frames {
                write(&mut stream, &text_frame(&frame), false).await;
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
    });
    let (url, _log) = hostile_server(false, behaviour).await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let mut shown = Vec::new();
    while shown.len() < 5 {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
        if let SessionEvent::Chat(chat) = event.expect("an event").expect("running") {
            shown.push(format!(
                "{}={}",
                chat.item().id().unwrap(),
                chat.item().content().unwrap()
            ));
        }
    }
    assert_eq!(
        shown,
        [
            "same=first",
            "same=first, edited",
            "future=from the future",
            "past=from the past",
            "nonsense=no time"
        ]
    );
    // The repeated item from the future is not shown again.
    let more = tokio::time::timeout(Duration::from_millis(500), session.next_event()).await;
    assert!(more.is_err(), "{more:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_transcript_is_cut_after_the_page_bound_and_reported() {
    use connectparticipant_chat::FILL_MAX_PAGES;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use wiremock::matchers::{method, path};

    struct Endless(AtomicUsize);
    impl wiremock::Respond for Endless {
        fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            let item = serde_json::json!({"Id": format!("t{n}"), "Type": "MESSAGE", "Content": "page",
                "AbsoluteTime": "2026-12-01T12:00:30.000Z"});
            wiremock::ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"Transcript": [item], "NextToken": format!("fresh-{n}")}),
            )
        }
    }
    let (url, _ended) = common::websocket_server(vec![
        Script::SendThenDrop(vec![common::chat_frame("m1", 1, "text/plain", "hello")]),
        Script::SendThenWait(Vec::new()),
    ])
    .await;
    let rest = rest_server(&url).await;
    wiremock::Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .respond_with(Endless(AtomicUsize::new(0)))
        .with_priority(1)
        .mount(&rest)
        .await;
    let started = Instant::now();
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let mut pages = 0;
    let why = loop {
        let event = tokio::time::timeout(Duration::from_secs(20), session.next_event()).await;
        match event.expect("an event").expect("running") {
            SessionEvent::GapNotFilled(why) => break why,
            SessionEvent::Chat(chat) if chat.item().id().is_some_and(|id| id.starts_with('t')) => {
                pages += 1
            }
            _ => {}
        }
    };
    assert!(
        why.contains(&format!("after {FILL_MAX_PAGES} pages")),
        "{why}"
    );
    assert_eq!(pages, FILL_MAX_PAGES);
    let requests = rest.received_requests().await.unwrap();
    let reads = requests
        .iter()
        .filter(|r| r.url.path() == "/participant/transcript")
        .count();
    assert_eq!(reads, FILL_MAX_PAGES, "no page past the bound");
    // The read starts from the newest item seen.
    let first: serde_json::Value = requests
        .iter()
        .find(|r| r.url.path() == "/participant/transcript")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert_eq!(first["StartPosition"]["Id"], "m1");
    assert_eq!(first["ScanDirection"], "FORWARD");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_items_are_each_shown_at_most_once_without_a_reconnect() {
    const ITEMS: usize = 20_000;
    let frames = (0..ITEMS)
        .map(|n| common::chat_frame(&format!("m{n}"), (n % 60) as u32, "text/plain", "x"))
        .collect();
    let (url, _ended) = common::websocket_server(vec![Script::SendThenWait(frames)]).await;
    let rest = rest_server(&url).await;
    let started = Instant::now();
    let mut session = ChatSession::start(&common::client(&rest), "participant-token");
    let mut seen = std::collections::HashSet::new();
    let mut lagged = 0u64;
    while (seen.len() as u64 + lagged) < ITEMS as u64 {
        let event = tokio::time::timeout(Duration::from_secs(20), session.next_event()).await;
        match event.expect("an event").expect("running") {
            SessionEvent::Chat(chat) => {
                let id = chat.item().id().unwrap().to_owned();
                // m1 may come again from the mock's transcript after a lag: not twice.
                assert!(seen.insert(id.clone()), "{id} twice");
            }
            SessionEvent::Lagged(n) => lagged += n,
            SessionEvent::Connected | SessionEvent::GapNotFilled(_) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        connection_calls(&rest.received_requests().await.unwrap()),
        1,
        "no reconnect"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_against_a_wrong_endpoint_fails_with_its_error() {
    // Nothing listens on port 9 of 127.0.0.1.
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .build()
        .unwrap();
    let mut session = ChatSession::start(&Client::new(&config).unwrap(), "participant-token");
    let events = events_until_end(&mut session, Duration::from_secs(10)).await;
    let Some((at, SessionEvent::Ended(EndReason::JoinFailed(why)))) = events.last() else {
        panic!("{events:?}")
    };
    assert!(
        why.contains("CreateParticipantConnection failed") && why.contains("connect"),
        "{why}"
    );
    assert!(*at < Duration::from_secs(5), "{at:?}");
}

/// A peer that stops reading until the TCP buffers are full (its receive buffer is made
/// tiny): the session notices (its heartbeats go unanswered once the connection
/// stalls), closes the socket within [`SEND_TIMEOUT`] although the close cannot be
/// written, and carries on with a new socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_reading_is_dropped_within_the_send_timeout_and_replaced() {
    use connectparticipant_chat::ManualClock;

    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let listener = socket.listen(16).unwrap();
    let url = format!("ws://{address}/chat");
    let dropped = Arc::new(Mutex::new(None::<Instant>));
    let dropped_at = dropped.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((stream, _)) = listener.accept().await {
            let stalls = n == 0;
            n += 1;
            let dropped_at = dropped_at.clone();
            tokio::spawn(async move {
                use futures_util::{SinkExt, StreamExt};
                let mut socket = tokio_websockets::ServerBuilder::new()
                    .accept(stream)
                    .await
                    .unwrap();
                let _subscribe = socket.next().await;
                let _ = socket.send(tokio_websockets::Message::text(ACK)).await;
                let (mut writer, mut reader) = socket.split();
                let beat = || tokio_websockets::Message::text(r#"{"topic":"aws/heartbeat"}"#);
                if !stalls {
                    // The next connection serves normally.
                    while let Some(Ok(message)) = reader.next().await {
                        if message.as_text().is_some_and(|t| t.contains("heartbeat")) {
                            let _ = writer.send(beat()).await;
                        }
                    }
                    return;
                }
                // Never reads again; answers heartbeats unasked until the client is gone.
                while writer.send(beat()).await.is_ok() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                *dropped_at.lock().unwrap() = Some(Instant::now());
            });
        }
    });
    let rest = rest_server(&url).await;
    let clock = Arc::new(ManualClock::new());
    let mut session = ChatSession::builder(&common::client(&rest), "participant-token")
        .clock(clock.clone())
        .start();
    let first = tokio::time::timeout(Duration::from_secs(5), session.next_event()).await;
    assert_eq!(first.unwrap(), Some(SessionEvent::Connected));
    // Heartbeats every (manual) 10 s until the connection stalls.
    let started = Instant::now();
    let mut ticks = 0;
    let lost_at = loop {
        clock.advance(Duration::from_secs(10));
        ticks += 1;
        match tokio::time::timeout(Duration::from_millis(2), session.next_event()).await {
            Ok(Some(SessionEvent::ConnectionLost)) => break Instant::now(),
            Ok(other) => panic!("{other:?}"),
            Err(_) => {}
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never noticed after {ticks} ticks"
        );
    };
    // The session carries on with a new socket meanwhile.
    clock.advance(Duration::from_secs(2));
    let back = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
    assert_eq!(back.unwrap(), Some(SessionEvent::ConnectionRestored));
    // The stalled socket's close cannot be written: it is dropped after SEND_TIMEOUT.
    let deadline = lost_at + SEND_TIMEOUT + Duration::from_secs(3);
    while dropped.lock().unwrap().is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let dropped = dropped
        .lock()
        .unwrap()
        .expect("the stalled socket was closed");
    let after = dropped - lost_at;
    assert!(
        after >= SEND_TIMEOUT - Duration::from_millis(500),
        "{after:?}: the close did not wait"
    );
}
