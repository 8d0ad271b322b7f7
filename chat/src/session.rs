//! The chat session: one task drives the [`Machine`] with real WebSockets (over the same
//! rustls as the client, frames bounded to [`MAX_FRAME`]), the client's REST calls and
//! the clock, and hands the events to the [`ChatSession`]. Dropping the session stops the
//! task and every socket it opened.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime};

use connectparticipant::types::{ConnectionType, Item};
use connectparticipant::Client;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::clock::{Clock, RealClock};
use crate::frame::MAX_FRAME;
use crate::machine::{Action, Input, Machine, SessionEvent, SocketId};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// How long sending one frame (or closing a socket) may take before the socket counts
/// as broken.
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
type Writer = futures_util::stream::SplitSink<Socket, Message>;

/// A failed call of the session: what it was doing, and why.
#[derive(Debug)]
pub struct ChatError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ChatError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ChatError {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn from(what: &str, error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ChatError {
            message: format!("{what} failed: {error}"),
            source: Some(Box::new(error)),
        }
    }
}

impl std::fmt::Display for ChatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ChatError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A receipt for a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The message reached this participant.
    Delivered,
    /// This participant read the message.
    Read,
}

/// A participant in a chat: its events as they happen, and what it can do.
#[derive(Debug)]
pub struct ChatSession {
    client: Client,
    token: Arc<Mutex<Option<String>>>,
    events: mpsc::Receiver<SessionEvent>,
    driver: JoinHandle<()>,
}

impl ChatSession {
    /// Joins the chat as the participant whose token (from `StartChatContact`) is given:
    /// creates the connection, opens and subscribes the WebSocket, and keeps it alive
    /// (heartbeats, reconnection, rollover, token refresh) until the chat ends or the
    /// session is dropped. Must be called within a tokio runtime.
    pub fn start(client: &Client, participant_token: impl Into<String>) -> ChatSession {
        Self::start_with_clock(client, participant_token, Arc::new(RealClock))
    }

    /// [`start`](Self::start) with another clock, such as a
    /// [`ManualClock`](crate::clock::ManualClock) a test moves forward.
    pub fn start_with_clock(
        client: &Client,
        participant_token: impl Into<String>,
        clock: Arc<dyn Clock>,
    ) -> ChatSession {
        let (events_tx, events) = mpsc::channel(256);
        let token = Arc::new(Mutex::new(None));
        let driver = Driver {
            client: client.clone(),
            participant_token: participant_token.into(),
            token: token.clone(),
            events: events_tx,
            tls: Arc::new(tls_config()),
            clock,
        };
        ChatSession {
            client: client.clone(),
            token,
            events,
            driver: tokio::spawn(driver.run()),
        }
    }

    /// The next event; `None` once the chat has ended (after [`SessionEvent::Ended`]).
    pub async fn next_event(&mut self) -> Option<SessionEvent> {
        self.events.recv().await
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn connection_token(&self) -> Result<String, ChatError> {
        self.token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| ChatError::new("not connected yet: no connection token"))
    }

    /// Sends a message (`text/plain`, `text/markdown`, …); returns its id. It also comes
    /// back as an event, like everyone else's.
    pub async fn send_message(
        &self,
        content_type: &str,
        content: &str,
    ) -> Result<Option<String>, ChatError> {
        let sent = self
            .client
            .send_message()
            .connection_token(self.connection_token()?)
            .content_type(content_type)
            .content(content)
            .send()
            .await
            .map_err(|e| ChatError::from("SendMessage", e))?;
        Ok(sent.id().map(str::to_owned))
    }

    /// Sends an event, such as `application/vnd.amazonaws.connect.event.typing`.
    pub async fn send_event(&self, content_type: &str) -> Result<(), ChatError> {
        self.event(content_type, None).await
    }

    /// Tells the others that message `message_id` was delivered or read (the receipt
    /// events ChatJS sends).
    pub async fn send_receipt(&self, receipt: Receipt, message_id: &str) -> Result<(), ChatError> {
        let content_type = match receipt {
            Receipt::Delivered => "application/vnd.amazonaws.connect.event.message.delivered",
            Receipt::Read => "application/vnd.amazonaws.connect.event.message.read",
        };
        let content = serde_json::json!({ "messageId": message_id }).to_string();
        self.event(content_type, Some(content)).await
    }

    async fn event(&self, content_type: &str, content: Option<String>) -> Result<(), ChatError> {
        self.client
            .send_event()
            .connection_token(self.connection_token()?)
            .content_type(content_type)
            .set_content(content)
            .send()
            .await
            .map_err(|e| ChatError::from("SendEvent", e))?;
        Ok(())
    }

    /// Leaves the chat (`DisconnectParticipant`) and stops the session.
    pub async fn disconnect(self) -> Result<(), ChatError> {
        let token = self.connection_token()?;
        self.driver.abort();
        self.client
            .disconnect_participant()
            .connection_token(token)
            .send()
            .await
            .map_err(|e| ChatError::from("DisconnectParticipant", e))?;
        Ok(())
    }
}

/// The events, as a stream (the same as [`ChatSession::next_event`]).
impl futures_util::Stream for ChatSession {
    type Item = SessionEvent;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<SessionEvent>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for ChatSession {
    fn drop(&mut self) {
        // The driver owns every socket and task: aborting it stops them all.
        self.driver.abort();
    }
}

/// rustls (ring, the only provider built in: one TLS stack) with the webpki roots, as
/// the client's HTTP stack.
fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// What the driver's tasks report.
enum Report {
    Input(Input),
    Opened(SocketId, Box<Socket>),
}

struct Driver {
    client: Client,
    participant_token: String,
    token: Arc<Mutex<Option<String>>>,
    events: mpsc::Sender<SessionEvent>,
    tls: Arc<rustls::ClientConfig>,
    clock: Arc<dyn Clock>,
}

impl Driver {
    async fn run(self) {
        let mut machine = Machine::new();
        let (reports_tx, mut reports) = mpsc::channel::<Report>(256);
        let mut writers: HashMap<SocketId, Writer> = HashMap::new();
        let mut readers: HashMap<SocketId, AbortHandle> = HashMap::new();
        // Calls, connects and socket readers; aborted when the driver ends or is dropped.
        let mut tasks = JoinSet::new();
        let mut pending = machine.start();
        loop {
            let mut inputs = Vec::new();
            for action in pending.drain(..) {
                match action {
                    Action::CreateConnection => {
                        tasks.spawn(create(
                            self.client.clone(),
                            self.participant_token.clone(),
                            reports_tx.clone(),
                        ));
                    }
                    Action::Open { id, url } => {
                        tasks.spawn(open(id, url, self.tls.clone(), reports_tx.clone()));
                    }
                    Action::Send(id, frame) => {
                        let sent = match writers.get_mut(&id) {
                            // A peer that stops reading must not stall the session.
                            Some(writer) => tokio::time::timeout(
                                SEND_TIMEOUT,
                                writer.send(Message::Text(frame.to_owned())),
                            )
                            .await
                            .is_ok_and(|sent| sent.is_ok()),
                            None => false,
                        };
                        if !sent {
                            inputs.push(Input::Closed(id));
                        }
                    }
                    Action::Close(id) => {
                        if let Some(mut writer) = writers.remove(&id) {
                            let _ = tokio::time::timeout(SEND_TIMEOUT, writer.close()).await;
                        }
                        if let Some(reader) = readers.remove(&id) {
                            reader.abort();
                        }
                    }
                    Action::FetchTranscript => {
                        let token = machine.token().unwrap_or_default().to_owned();
                        tasks.spawn(transcript(self.client.clone(), token, reports_tx.clone()));
                    }
                    Action::Emit(event) => {
                        if self.events.send(event).await.is_err() {
                            return; // Nobody listens any more.
                        }
                    }
                }
            }
            *self.token.lock().unwrap_or_else(PoisonError::into_inner) =
                machine.token().map(str::to_owned);
            if machine.ended() {
                return;
            }
            if !inputs.is_empty() {
                let now = self.clock.now();
                pending = inputs
                    .into_iter()
                    .flat_map(|input| machine.handle(now, input))
                    .collect();
                continue;
            }
            // Time may have passed while the actions ran: do what is due by now first, so
            // that the next wakeup is always later.
            let now = self.clock.now();
            let due = machine.poll(now);
            if !due.is_empty() {
                pending = due;
                continue;
            }
            let wakeup = machine.next_wakeup(now);
            tokio::select! {
                report = reports.recv() => match report {
                    Some(Report::Input(input)) => pending = machine.handle(self.clock.now(), input),
                    Some(Report::Opened(id, socket)) => {
                        let (writer, stream) = (*socket).split();
                        writers.insert(id, writer);
                        readers.insert(id, tasks.spawn(read(id, stream, reports_tx.clone())));
                        pending = machine.handle(self.clock.now(), Input::Opened(id));
                    }
                    None => return,
                },
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                _ = sleep_until(&*self.clock, wakeup), if wakeup.is_some() => {
                    pending = machine.poll(self.clock.now());
                }
            }
        }
    }
}

async fn sleep_until(clock: &dyn Clock, at: Option<Instant>) {
    if let Some(at) = at {
        clock.sleep_until(at).await;
    }
}

/// `CreateParticipantConnection` for the WebSocket and the connection credentials.
async fn create(client: Client, participant_token: String, reports: mpsc::Sender<Report>) {
    let result = client
        .create_participant_connection()
        .participant_token(participant_token)
        .r#type(ConnectionType::Websocket)
        .r#type(ConnectionType::ConnectionCredentials)
        .connect_participant(true)
        .send()
        .await;
    let input = match result {
        Ok(output) => {
            let url = output.websocket().and_then(|w| w.url()).map(str::to_owned);
            let credentials = output.connection_credentials();
            let token = credentials
                .and_then(|c| c.connection_token())
                .map(str::to_owned);
            match (url, token) {
                (Some(url), Some(token)) => Input::Created {
                    url,
                    token,
                    expiry: credentials.and_then(|c| c.expiry()).map(str::to_owned),
                    wall_now: SystemTime::now(),
                },
                _ => Input::CreateFailed { forbidden: false },
            }
        }
        Err(error) => Input::CreateFailed {
            forbidden: error.status() == Some(403),
        },
    };
    let _ = reports.send(Report::Input(input)).await;
}

/// Opens socket `id` with frames and messages bounded to [`MAX_FRAME`].
async fn open(
    id: SocketId,
    url: String,
    tls: Arc<rustls::ClientConfig>,
    reports: mpsc::Sender<Report>,
) {
    let config = WebSocketConfig {
        max_message_size: Some(MAX_FRAME),
        max_frame_size: Some(MAX_FRAME),
        ..WebSocketConfig::default()
    };
    let connector = tokio_tungstenite::Connector::Rustls(tls);
    let connected = tokio_tungstenite::connect_async_tls_with_config(
        url.as_str(),
        Some(config),
        false,
        Some(connector),
    )
    .await;
    let report = match connected {
        Ok((socket, _)) => Report::Opened(id, Box::new(socket)),
        Err(_) => Report::Input(Input::Closed(id)),
    };
    let _ = reports.send(report).await;
}

/// Reports each text frame of socket `id`, then its close.
async fn read(
    id: SocketId,
    mut stream: futures_util::stream::SplitStream<Socket>,
    reports: mpsc::Sender<Report>,
) {
    while let Some(Ok(message)) = stream.next().await {
        let Message::Text(text) = message else {
            if message.is_close() {
                break;
            }
            continue;
        };
        if reports
            .send(Report::Input(Input::Text(id, text)))
            .await
            .is_err()
        {
            return;
        }
    }
    let _ = reports.send(Report::Input(Input::Closed(id))).await;
}

/// The whole transcript, through the paginator.
async fn transcript(client: Client, token: String, reports: mpsc::Sender<Report>) {
    let mut items = client
        .get_transcript()
        .connection_token(token)
        .into_paginator()
        .page_size(100)
        .items();
    let mut all: Vec<Item> = Vec::new();
    while let Some(Ok(item)) = items.next().await {
        all.push(item);
    }
    let _ = reports.send(Report::Input(Input::Transcript(all))).await;
}
