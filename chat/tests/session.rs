//! A chat session against local mocks of both halves on 127.0.0.1: the REST API
//! (wiremock) and the WebSocket (a tokio-tungstenite server). It subscribes, receives,
//! sends, survives a dropped socket (reconnecting, the transcript filling the gap without
//! duplicates) and ends on `chat.ended`; a dropped session closes its socket.

use std::time::Duration;

use connectparticipant::{Client, Config};
use connectparticipant_chat::event::{ChatEvent, EVENT_CONTENT_TYPE};
use connectparticipant_chat::machine::SessionEvent;
use connectparticipant_chat::session::ChatSession;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn chat_frame(id: &str, second: u32, content_type: &str, content: &str) -> Message {
    let item = json!({
        "Id": id, "Type": "MESSAGE", "ContentType": content_type, "Content": content,
        "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z"),
    });
    Message::Text(json!({"topic": "aws/chat", "content": item.to_string()}).to_string())
}

/// What each WebSocket connection the server accepts does, in order.
enum Script {
    /// Acknowledge the subscribe, send these frames, then drop the connection.
    SendThenDrop(Vec<Message>),
    /// Acknowledge the subscribe, send these frames, then wait for the client to close.
    SendThenWait(Vec<Message>),
}

/// A WebSocket server on 127.0.0.1 playing `scripts`, one per connection; it reports
/// each connection's end on the returned channel.
async fn websocket_server(scripts: Vec<Script>) -> (String, mpsc::UnboundedReceiver<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/chat", listener.local_addr().unwrap());
    let (ended_tx, ended) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for (n, script) in scripts.into_iter().enumerate() {
            let (stream, _) = listener.accept().await.unwrap();
            let ended_tx = ended_tx.clone();
            tokio::spawn(async move {
                let mut socket = tokio_tungstenite::accept_async(stream).await.unwrap();
                let subscribe = socket.next().await.unwrap().unwrap();
                assert!(subscribe.to_text().unwrap().contains("aws/subscribe"));
                let ack = json!({"topic": "aws/subscribe", "content": {"status": "success", "topics": ["aws/chat"]}});
                socket.send(Message::Text(ack.to_string())).await.unwrap();
                let (frames, wait) = match script {
                    Script::SendThenDrop(frames) => (frames, false),
                    Script::SendThenWait(frames) => (frames, true),
                };
                for frame in frames {
                    socket.send(frame).await.unwrap();
                }
                if wait {
                    while let Some(Ok(message)) = socket.next().await {
                        if message.is_close() {
                            break;
                        }
                    }
                }
                let _ = ended_tx.send(n);
            });
        }
    });
    (url, ended)
}

async fn rest_server(websocket: &str) -> MockServer {
    let server = MockServer::start().await;
    let ok = |body: serde_json::Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("POST"))
        .and(path("/participant/connection"))
        .and(header("x-amz-bearer", "participant-token"))
        .respond_with(ok(json!({
            "Websocket": {"Url": websocket, "ConnectionExpiry": "2030-01-01T00:00:00.000Z"},
            "ConnectionCredentials": {"ConnectionToken": "connection-token", "Expiry": "2030-01-01T00:00:00.000Z"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(header("x-amz-bearer", "connection-token"))
        .respond_with(ok(
            json!({"Id": "sent-1", "AbsoluteTime": "2026-12-01T12:00:03.000Z"}),
        ))
        .mount(&server)
        .await;
    let item = |id: &str, second: u32, content: &str| {
        json!({"Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": content,
               "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z")})
    };
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .respond_with(ok(json!({"Transcript": [item("m1", 1, "hello"), item("m2", 5, "sent while you were away")]})))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build()
        .unwrap();
    Client::new(&config).unwrap()
}

/// The ids (or names) of the next `n` events.
async fn next(session: &mut ChatSession, n: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..n {
        let event = tokio::time::timeout(Duration::from_secs(15), session.next_event())
            .await
            .expect("an event within 15 s");
        seen.push(match event {
            Some(SessionEvent::Chat(event)) => {
                let kind = match *event {
                    ChatEvent::Message(_) => "message",
                    ChatEvent::ChatEnded(_) => "ended",
                    _ => "other",
                };
                format!("{kind}:{}", event.item().id().unwrap_or("?"))
            }
            Some(other) => format!("{other:?}"),
            None => "None".to_owned(),
        });
    }
    seen
}

#[tokio::test]
async fn a_session_survives_a_dropped_socket_and_ends_with_the_chat() {
    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, _ended) = websocket_server(vec![
        Script::SendThenDrop(vec![chat_frame("m1", 1, "text/plain", "hello")]),
        Script::SendThenWait(vec![
            // Replayed after the reconnect: not shown again.
            chat_frame("m1", 1, "text/plain", "hello"),
            chat_frame("e1", 9, &ended, ""),
        ]),
    ])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");

    assert_eq!(next(&mut session, 1).await, ["message:m1"]);
    assert_eq!(
        session
            .send_message("text/plain", "hi!")
            .await
            .unwrap()
            .as_deref(),
        Some("sent-1")
    );
    // The server dropped the socket; after 2 s the session is back, and the transcript
    // brings what was said meanwhile (and nothing twice).
    assert_eq!(
        next(&mut session, 3).await,
        ["ConnectionLost", "ConnectionRestored", "message:m2"]
    );
    assert_eq!(next(&mut session, 3).await, ["ended:e1", "Ended", "None"]);
}

#[tokio::test]
async fn dropping_the_session_closes_its_socket() {
    let (url, mut ended) = websocket_server(vec![Script::SendThenWait(vec![chat_frame(
        "m1",
        1,
        "text/plain",
        "hello",
    )])])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 1).await, ["message:m1"]);
    drop(session);
    let closed = tokio::time::timeout(Duration::from_secs(5), ended.recv()).await;
    assert_eq!(closed.expect("the socket closed within 5 s"), Some(0));
}

/// A frame over the 256 KiB limit is never read into memory: the socket is dropped as
/// broken and the session reconnects.
#[tokio::test]
async fn an_oversized_frame_breaks_the_socket_not_the_session() {
    let huge = chat_frame("big", 2, "text/plain", &"x".repeat(300 * 1024));
    let (url, _ended) = websocket_server(vec![
        Script::SendThenWait(vec![huge]),
        Script::SendThenWait(Vec::new()),
    ])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(
        next(&mut session, 4).await,
        [
            "ConnectionLost",
            "ConnectionRestored",
            "message:m1",
            "message:m2"
        ]
    );
}
