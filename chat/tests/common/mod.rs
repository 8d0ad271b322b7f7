//! Local mocks of both halves of the service on 127.0.0.1: the REST API (wiremock) and
//! the chat WebSocket (a tokio-websockets server playing one script per connection).

#![allow(dead_code)] // Each test file uses its part.

use connectparticipant::{Client, Config};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_websockets::{Message, ServerBuilder};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub fn chat_frame(id: &str, second: u32, content_type: &str, content: &str) -> Message {
    let item = json!({
        "Id": id, "Type": "MESSAGE", "ContentType": content_type, "Content": content,
        "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z"),
    });
    Message::text(json!({"topic": "aws/chat", "content": item.to_string()}).to_string())
}

/// What each WebSocket connection the server accepts does, in order.
pub enum Script {
    /// Acknowledge the subscribe, send these frames, then drop the connection.
    SendThenDrop(Vec<Message>),
    /// Acknowledge the subscribe, send these frames, then wait for the client to close.
    SendThenWait(Vec<Message>),
    /// The same, pausing this long before each frame.
    Paced(Vec<Message>, std::time::Duration),
    /// Acknowledge, then answer heartbeats (or not) until the client closes; each
    /// heartbeat received is reported as `(connection, "heartbeat")`.
    Serve { answer_heartbeats: bool },
    /// Refuse the subscription, then wait for the client to close.
    Refuse,
    /// Acknowledge, send these frames at once, then serve as [`Script::Serve`] with
    /// heartbeats answered.
    ServeAfter(Vec<Message>),
    /// Acknowledge, then send each frame the test pushes, as it pushes it; drop the
    /// connection when the test drops its sender.
    Relay(mpsc::UnboundedReceiver<Message>),
}

/// What a [`Script::Serve`] connection reports: its number and what happened.
pub type Reports = mpsc::UnboundedReceiver<(usize, &'static str)>;

/// A WebSocket server on 127.0.0.1 like [`websocket_server`], reporting for every
/// connection `accepted`, each `heartbeat` and `closed`.
pub async fn reporting_server(scripts: Vec<Script>) -> (String, Reports) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/chat", listener.local_addr().unwrap());
    let (tx, reports) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for (n, script) in scripts.into_iter().enumerate() {
            let (stream, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut socket = ServerBuilder::new().accept(stream).await.unwrap();
                let _ = tx.send((n, "accepted"));
                let _subscribe = socket.next().await;
                let (status, answer, frames) = match script {
                    Script::Serve { answer_heartbeats } => {
                        ("success", answer_heartbeats, Vec::new())
                    }
                    Script::ServeAfter(frames) => ("success", true, frames),
                    _ => ("failure", false, Vec::new()),
                };
                let ack = json!({"topic": "aws/subscribe", "content": {"status": status, "topics": ["aws/chat"]}});
                let _ = socket.send(Message::text(ack.to_string())).await;
                for frame in frames {
                    let _ = socket.send(frame).await;
                }
                while let Some(Ok(message)) = socket.next().await {
                    if message.is_close() {
                        break;
                    }
                    if message
                        .as_text()
                        .is_some_and(|t| t.contains("aws/heartbeat"))
                    {
                        let _ = tx.send((n, "heartbeat"));
                        if answer {
                            let _ = socket
                                .send(Message::text(r#"{"topic":"aws/heartbeat"}"#))
                                .await;
                        }
                    }
                }
                let _ = tx.send((n, "closed"));
            });
        }
    });
    (url, reports)
}

/// Sends what is pushed until the pusher is gone or the client closes.
async fn relay(
    socket: &mut tokio_websockets::WebSocketStream<TcpStream>,
    pushed: &mut mpsc::UnboundedReceiver<Message>,
) {
    loop {
        tokio::select! {
            frame = pushed.recv() => match frame {
                Some(frame) => {
                    if socket.send(frame).await.is_err() {
                        return;
                    }
                }
                None => return,
            },
            incoming = socket.next() => match incoming {
                Some(Ok(message)) if !message.is_close() => {}
                _ => return,
            },
        }
    }
}

/// A WebSocket server on 127.0.0.1 playing `scripts`, one per connection; it reports
/// each connection's end on the returned channel.
pub async fn websocket_server(scripts: Vec<Script>) -> (String, mpsc::UnboundedReceiver<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/chat", listener.local_addr().unwrap());
    let (ended_tx, ended) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        for (n, script) in scripts.into_iter().enumerate() {
            let (stream, _) = listener.accept().await.unwrap();
            let ended_tx = ended_tx.clone();
            tokio::spawn(async move {
                let mut socket = ServerBuilder::new().accept(stream).await.unwrap();
                let subscribe = socket.next().await.unwrap().unwrap();
                assert!(subscribe.as_text().unwrap().contains("aws/subscribe"));
                let ack = json!({"topic": "aws/subscribe", "content": {"status": "success", "topics": ["aws/chat"]}});
                socket.send(Message::text(ack.to_string())).await.unwrap();
                if let Script::Relay(mut pushed) = script {
                    relay(&mut socket, &mut pushed).await;
                    let _ = ended_tx.send(n);
                    return;
                }
                let (frames, wait, pause) = match script {
                    Script::SendThenDrop(frames) => (frames, false, None),
                    Script::SendThenWait(frames) | Script::ServeAfter(frames) => {
                        (frames, true, None)
                    }
                    Script::Paced(frames, pause) => (frames, true, Some(pause)),
                    Script::Serve { .. } | Script::Refuse | Script::Relay(_) => {
                        (Vec::new(), true, None)
                    }
                };
                for frame in frames {
                    if let Some(pause) = pause {
                        tokio::time::sleep(pause).await;
                    }
                    if socket.send(frame).await.is_err() {
                        break;
                    }
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

pub async fn rest_server(websocket: &str) -> MockServer {
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

pub fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build()
        .unwrap();
    Client::new(&config).unwrap()
}

/// An HTTP proxy on 127.0.0.1: `CONNECT` tunnels, other requests are forwarded to the
/// host their absolute URL names. It records each request line.
pub async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let Some(text) = read_head(&mut client).await else {
                    return;
                };
                let head = text.as_bytes().to_vec();
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

/// An HTTP request head read a byte at a time (nothing past it), or `None` when the
/// connection ends first.
pub async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// How many `CreateParticipantConnection` calls the REST mock received.
pub fn creations(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/participant/connection")
        .count()
}

/// Matches a request whose SigV4 signature verifies, as AWS checks it: the signed
/// headers as received, signed again with the test's credentials at the request's own
/// time, for `region` and `service`.
pub struct SignedFor {
    pub region: &'static str,
    pub service: &'static str,
}

pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

impl wiremock::Match for SignedFor {
    fn matches(&self, request: &wiremock::Request) -> bool {
        use awsgen_runtime::http::{HeaderMap, HeaderName, Method};
        use awsgen_runtime::sigv4::{sign, Credentials, SigningParams};
        let Some(authorization) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let Some(signed) = authorization
            .split("SignedHeaders=")
            .nth(1)
            .and_then(|rest| rest.split(',').next())
        else {
            return false;
        };
        let mut headers = HeaderMap::new();
        for name in signed.split(';') {
            for value in request.headers.get_all(name) {
                headers.append(HeaderName::try_from(name).unwrap(), value.clone());
            }
        }
        let Some(date) = request
            .headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &date[0..4],
            &date[4..6],
            &date[6..8],
            &date[9..11],
            &date[11..13],
            &date[13..15]
        );
        let Some(time) = awsgen_runtime::DateTime::parse_iso8601(&iso) else {
            return false;
        };
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(time.secs() as u64);
        let mut again = awsgen_runtime::HttpRequest {
            method: Method::try_from(request.method.as_str()).unwrap(),
            url: request.url.to_string(),
            headers,
            body: awsgen_runtime::bytes::Bytes::from(request.body.clone()),
            operation: None,
        };
        let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
        let params = SigningParams::new(&credentials, self.region, self.service, time);
        sign(&mut again, &params).is_ok()
            && again.headers["authorization"].to_str().ok() == Some(authorization)
    }
}

/// Builds example `name` (a no-op after `cargo test` built it) and returns its path.
pub fn example(name: &str) -> std::path::PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .args([
            "build",
            "-q",
            "-p",
            "connectparticipant-chat",
            "--example",
            name,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the example {name} does not build");
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(|deps| deps.parent()).unwrap();
    profile.join("examples").join(name)
}
