//! The chat session: one task drives the [`Machine`] with real WebSockets (opened by
//! [`connect`]: the client's rustls and proxy, frames bounded to
//! [`MAX_FRAME`](crate::frame::MAX_FRAME)), the client's REST calls and the clock, and
//! hands the events to the [`ChatSession`] through a buffer bounded in bytes. The task
//! never waits for the application: it keeps reading frames and answering heartbeats
//! however slowly events are read. Dropping the session stops the task and every socket
//! it opened.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use awsgen_runtime::SdkError;
use connectparticipant::types::{ConnectionType, ScanDirection, SortKey, StartPosition};
use connectparticipant::Client;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::task::AtomicWaker;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, Notify};
use tokio::task::{AbortHandle, JoinHandle, JoinSet};
use tokio_websockets::Message;

use crate::clock::{Clock, RealClock};
use crate::connect::{self, OpenError, Proxy, Socket, Target, OPEN_TIMEOUT};
use crate::event::ChatEvent;
use crate::machine::{Action, ChatUpdate, Failure, Input, Machine, SessionEvent, SocketId};
pub use crate::receipts::Receipt;
use crate::receipts::{Receipts, Typing};
use crate::timeline::{item_size, MAX_ITEMS};

/// How long sending one frame (or closing a socket) may take before the socket counts
/// as broken.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// The events waiting for the application are bounded to this many bytes by default
/// (see [`SessionBuilder::event_buffer`]): beyond it the oldest are dropped and the
/// application is told ([`SessionEvent::Lagged`]).
pub const EVENT_BUFFER: usize = 1024 * 1024;

/// A transcript read that fills a gap stops after this many pages (of up to 100 items)…
pub const FILL_MAX_PAGES: usize = 100;
/// …or this long, whichever comes first; either is reported
/// ([`SessionEvent::GapNotFilled`]).
pub const FILL_TIMEOUT: Duration = Duration::from_secs(60);

type Writer = SplitSink<Socket, Message>;

/// A fresh `ClientToken` for a send (a UUID, as the client would make).
fn new_client_token() -> String {
    use awsgen_runtime::IdempotencyTokenProvider;
    awsgen_runtime::UuidTokens.make_token()
}

/// A failed call of the session: what it was doing, and why; for a failed send, the
/// `ClientToken` to send it again with ([`client_token`](Self::client_token)).
#[derive(Debug)]
pub struct ChatError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    client_token: Option<String>,
}

impl ChatError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ChatError {
            message: message.into(),
            source: None,
            client_token: None,
        }
    }

    /// The `ClientToken` a failed `send_message` or `send_event` used: give it to
    /// [`ChatSession::resend_message`] or [`ChatSession::resend_event`], and the service
    /// keeps the message (or event) once however many of the sends reached it.
    pub fn client_token(&self) -> Option<&str> {
        self.client_token.as_deref()
    }

    fn with_client_token(mut self, token: &str) -> Self {
        self.client_token = Some(token.to_owned());
        self
    }

    /// `what` failed because of `error` (kept as the source).
    pub(crate) fn failed(
        what: &str,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        ChatError {
            message: format!("{what} failed: {error}"),
            source: Some(Box::new(error)),
            client_token: None,
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

/// A connection as a [`ConnectionProvider`] gives it, in place of
/// `CreateParticipantConnection`'s. Its `Debug` shows no URL or token.
#[derive(Clone)]
pub struct ProvidedConnection {
    /// The WebSocket URL (`wss://`).
    pub url: String,
    /// The connection token for the REST calls.
    pub token: String,
    /// The token's expiry (ISO 8601), if known: it is refreshed a minute before.
    pub expiry: Option<String>,
}

impl std::fmt::Debug for ProvidedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvidedConnection")
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

/// Why a [`ConnectionProvider`] gave no connection, handled as the service's own errors
/// are: [`Failure::Refused`] ends the session (`TokenRefused`), [`Failure::Transient`] is
/// tried again with backoff, [`Failure::Other`] fails the join (and is tried again
/// later on).
#[derive(Debug, Clone)]
pub struct ProviderError {
    /// How it failed.
    pub kind: Failure,
    /// Why, as the user may read it (no secrets).
    pub message: String,
}

/// Where the session gets its WebSocket URL and connection token, in place of
/// `CreateParticipantConnection` (to route through a backend of your own, as the iOS and
/// Android SDKs allow). Any `Fn() -> impl Future<Output = Result<ProvidedConnection,
/// ProviderError>>` is one.
pub trait ConnectionProvider: Send + Sync + 'static {
    /// A connection, each time the session needs one (joining, reconnecting with a
    /// fresh URL, rolling over, refreshing the token).
    fn connect(
        &self,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<ProvidedConnection, ProviderError>> + Send>,
    >;
}

impl<F, Fut> ConnectionProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<ProvidedConnection, ProviderError>> + Send + 'static,
{
    fn connect(
        &self,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<ProvidedConnection, ProviderError>> + Send>,
    > {
        Box::pin(self())
    }
}

/// The content type of a typing event.
const TYPING: &str = "application/vnd.amazonaws.connect.event.typing";

/// The event that carries a receipt: its content type and content.
fn receipt_event(receipt: Receipt, message_id: &str) -> (&'static str, String) {
    let content_type = match receipt {
        Receipt::Delivered => "application/vnd.amazonaws.connect.event.message.delivered",
        Receipt::Read => "application/vnd.amazonaws.connect.event.message.read",
    };
    let content = serde_json::json!({ "messageId": message_id }).to_string();
    (content_type, content)
}

/// Sends a receipt the session's rules made due; one that fails is not retried (the
/// next covers it).
async fn send_due_receipt(client: Client, token: String, receipt: Receipt, message_id: String) {
    let (content_type, content) = receipt_event(receipt, &message_id);
    // Best effort, as in ChatJS: a receipt is a courtesy, and the next one covers it.
    let _ = client
        .send_event()
        .connection_token(token)
        .client_token(new_client_token())
        .content_type(content_type)
        .content(content)
        .send()
        .await;
}

/// What the session and its task share.
struct Shared {
    /// The connection token for the REST calls, once there is one.
    token: Mutex<Option<String>>,
    events: Mutex<EventQueue>,
    /// Wakes the application when an event is queued.
    ready: AtomicWaker,
    /// Wakes the task when the application has read everything after a lag.
    caught_up: Notify,
    /// Tells the task the participant left.
    disconnected: Notify,
    receipts: Mutex<ReceiptState>,
    /// The id of the oldest item the session has, for history.
    oldest: Mutex<Option<String>>,
    /// What the application asked of the task (suspend, resume, older items to merge
    /// into the chat), in order.
    control: Mutex<Vec<Input>>,
    /// Wakes the task for what the application asked (and for a receipt it marked).
    control_ready: Notify,
}

/// The receipts and typing events the session sends by ChatJS's rules
/// ([`crate::receipts`]), and what tells this participant's messages from the others'.
#[derive(Debug, Default)]
struct ReceiptState {
    policy: Receipts,
    typing: Typing,
    /// Delivered receipts for the others' messages, on their own.
    automatic: bool,
    /// This participant's id: given, or learnt from the echo of a message it sent.
    own_participant: Option<String>,
    /// Ids of the messages this session sent, until their echo tells who it is.
    own_messages: HashSet<String>,
    /// The last messages delivered (id, participant), for an echo that overtook the
    /// answer of its send.
    recent: VecDeque<(String, Option<String>)>,
}

/// How many delivered messages [`ReceiptState::recent`] keeps, and how many sent ids
/// wait for their echo (beyond that the oldest are dropped: only the "own" mark of an
/// echo that never came is lost).
const RECENT: usize = 64;
const AWAITING_ECHO: usize = 256;

/// Ids longer than this (a hostile server's) are not remembered for the "own" mark.
const MAX_ID: usize = 256;

impl ReceiptState {
    /// Whether `item`, being delivered, is a message this participant sent (learning who
    /// that is from the echo of one it sent).
    fn is_own(&mut self, item: &connectparticipant::types::Item) -> bool {
        let participant = item.participant_id().filter(|p| p.len() <= MAX_ID);
        if let Some(id) = item.id().filter(|id| id.len() <= MAX_ID) {
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent
                .push_back((id.to_owned(), participant.map(str::to_owned)));
        }
        if item.id().is_some_and(|id| self.own_messages.remove(id)) {
            if self.own_participant.is_none() {
                self.own_participant = item.participant_id().map(str::to_owned);
            }
            return true;
        }
        self.own_participant.is_some() && self.own_participant.as_deref() == item.participant_id()
    }

    /// Message `id` was sent by this session: its echo is this participant's, and so is
    /// the participant of an echo already delivered.
    fn sent(&mut self, id: &str) {
        if self.own_participant.is_some() {
            return;
        }
        match self.recent.iter().find(|(recent, _)| recent == id) {
            Some((_, participant)) => self.own_participant = participant.clone(),
            None if id.len() <= MAX_ID => {
                if self.own_messages.len() >= AWAITING_ECHO {
                    self.own_messages.clear();
                }
                self.own_messages.insert(id.to_owned());
            }
            None => {}
        }
    }
}

impl Shared {
    fn events(&self) -> MutexGuard<'_, EventQueue> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn receipts(&self) -> MutexGuard<'_, ReceiptState> {
        self.receipts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, event: SessionEvent) {
        self.events().push(event);
        self.ready.wake();
    }

    fn close(&self) {
        self.events().closed = true;
        self.ready.wake();
    }
}

/// The events the application has not read yet, bounded in bytes.
struct EventQueue {
    events: VecDeque<(SessionEvent, usize)>,
    bytes: usize,
    limit: usize,
    /// Events dropped since the application was last told.
    lagged: u64,
    /// The chat items among them (at most [`MAX_ITEMS`]), for the transcript to bring
    /// again once the application has caught up.
    dropped_ids: Vec<String>,
    closed: bool,
}

impl EventQueue {
    fn new(limit: usize) -> Self {
        EventQueue {
            events: VecDeque::new(),
            bytes: 0,
            limit,
            lagged: 0,
            dropped_ids: Vec::new(),
            closed: false,
        }
    }

    /// Queues `event`, dropping the oldest events while the bound is exceeded (the
    /// newest event always stays).
    fn push(&mut self, event: SessionEvent) {
        let size = event_size(&event);
        while self.bytes + size > self.limit {
            let Some((old, old_size)) = self.events.pop_front() else {
                break;
            };
            self.bytes -= old_size;
            self.lagged += 1;
            if let SessionEvent::Chat(chat) = &old {
                if let (Some(id), true) = (chat.item().id(), self.dropped_ids.len() < MAX_ITEMS) {
                    self.dropped_ids.push(id.to_owned());
                }
            }
        }
        self.bytes += size;
        self.events.push_back((event, size));
    }

    /// The next event for the application: first how many were dropped, if any.
    fn pop(&mut self) -> Option<SessionEvent> {
        if self.lagged > 0 {
            return Some(SessionEvent::Lagged(std::mem::take(&mut self.lagged)));
        }
        let (event, size) = self.events.pop_front()?;
        self.bytes -= size;
        Some(event)
    }

    /// Whether the application has read everything while dropped items wait for a refill.
    fn caught_up(&self) -> bool {
        self.events.is_empty() && !self.dropped_ids.is_empty()
    }
}

/// The bytes an event is counted for in the buffer.
fn event_size(event: &SessionEvent) -> usize {
    match event {
        SessionEvent::Chat(chat) => {
            item_size(chat.item()) + chat.previous.as_ref().map_or(0, item_size)
        }
        SessionEvent::GapNotFilled(why) => 64 + why.len(),
        _ => 64,
    }
}

/// How a session is started: [`ChatSession::builder`].
pub struct SessionBuilder {
    client: Client,
    participant_token: String,
    clock: Arc<dyn Clock>,
    event_buffer: usize,
    automatic_receipts: bool,
    participant_id: Option<String>,
    provider: Option<Arc<dyn ConnectionProvider>>,
}

impl std::fmt::Debug for SessionBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("event_buffer", &self.event_buffer)
            .finish_non_exhaustive()
    }
}

impl SessionBuilder {
    /// The clock the session reads and sleeps on, such as a
    /// [`ManualClock`](crate::clock::ManualClock) a test moves forward.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The bound, in bytes, of the events waiting for the application
    /// ([`EVENT_BUFFER`] by default; a chat item counts for its text).
    pub fn event_buffer(mut self, bytes: usize) -> Self {
        self.event_buffer = bytes;
        self
    }

    /// Sends a delivered receipt for every message of the others the session delivers,
    /// by ChatJS's rules ([`DELIVERED_HOLD`](crate::DELIVERED_HOLD),
    /// [`RECEIPT_THROTTLE`](crate::RECEIPT_THROTTLE)); read receipts follow
    /// [`ChatSession::mark_read`]. Off by default: a receipt tells the other side
    /// something about this participant, which a bot or a backend reading the chat
    /// should not claim unasked; a chat window turns it on.
    pub fn automatic_receipts(mut self, on: bool) -> Self {
        self.automatic_receipts = on;
        self
    }

    /// Gets the WebSocket URL and connection token from `provider` instead of
    /// `CreateParticipantConnection` (the participant token is then not used for it).
    pub fn connection_provider(mut self, provider: impl ConnectionProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// This participant's id (`ParticipantId` from `StartChatContact` or
    /// `CreateParticipant`), so that its own messages get no receipts from the start;
    /// otherwise it is learnt from the echo of the first message the session sends.
    pub fn participant_id(mut self, id: impl Into<String>) -> Self {
        self.participant_id = Some(id.into());
        self
    }

    /// Starts the session. Must be called within a tokio runtime.
    pub fn start(self) -> ChatSession {
        let shared = Arc::new(Shared {
            token: Mutex::new(None),
            events: Mutex::new(EventQueue::new(self.event_buffer)),
            ready: AtomicWaker::new(),
            caught_up: Notify::new(),
            disconnected: Notify::new(),
            receipts: Mutex::new(ReceiptState {
                automatic: self.automatic_receipts,
                own_participant: self.participant_id,
                ..ReceiptState::default()
            }),
            oldest: Mutex::new(None),
            control: Mutex::new(Vec::new()),
            control_ready: Notify::new(),
        });
        let endpoint = self.client.endpoint();
        let driver = Driver {
            client: self.client.clone(),
            participant_token: self.participant_token,
            shared: shared.clone(),
            tls: tls_config(),
            // Plain ws:// only for a client that itself talks plain HTTP (local testing).
            allow_plain: endpoint.starts_with("http://"),
            proxy: self.client.config().proxy().map(Proxy::parse),
            clock: self.clock.clone(),
            provider: self.provider,
        };
        ChatSession {
            client: self.client,
            shared,
            clock: self.clock,
            driver: tokio::spawn(driver.run()),
        }
    }
}

/// A participant in a chat: its events as they happen, and what it can do. Its `Debug`
/// shows no token.
pub struct ChatSession {
    client: Client,
    shared: Arc<Shared>,
    clock: Arc<dyn Clock>,
    driver: JoinHandle<()>,
}

impl std::fmt::Debug for ChatSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let connected = self
            .shared
            .token
            .lock()
            .map(|t| t.is_some())
            .unwrap_or(false);
        f.debug_struct("ChatSession")
            .field("endpoint", &self.client.endpoint())
            .field("connected", &connected)
            .field("ended", &self.driver.is_finished())
            .finish()
    }
}

impl ChatSession {
    /// Joins the chat as the participant whose token (from `StartChatContact`) is given:
    /// creates the connection, opens and subscribes the WebSocket, and keeps it alive
    /// (heartbeats, reconnection, rollover, token refresh) until the chat ends or the
    /// session is dropped. Must be called within a tokio runtime.
    pub fn start(client: &Client, participant_token: impl Into<String>) -> ChatSession {
        Self::builder(client, participant_token).start()
    }

    /// [`start`](Self::start) with another clock, such as a
    /// [`ManualClock`](crate::clock::ManualClock) a test moves forward.
    pub fn start_with_clock(
        client: &Client,
        participant_token: impl Into<String>,
        clock: Arc<dyn Clock>,
    ) -> ChatSession {
        Self::builder(client, participant_token)
            .clock(clock)
            .start()
    }

    /// A session to start with settings of its own (clock, event buffer).
    pub fn builder(client: &Client, participant_token: impl Into<String>) -> SessionBuilder {
        SessionBuilder {
            client: client.clone(),
            participant_token: participant_token.into(),
            clock: Arc::new(RealClock),
            event_buffer: EVENT_BUFFER,
            automatic_receipts: false,
            participant_id: None,
            provider: None,
        }
    }

    /// The next event; `None` once the session has ended (after
    /// [`SessionEvent::Ended`]).
    pub async fn next_event(&mut self) -> Option<SessionEvent> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&self, cx: &mut Context<'_>) -> Poll<Option<SessionEvent>> {
        self.shared.ready.register(cx.waker());
        let mut events = self.shared.events();
        if let Some(event) = events.pop() {
            if events.caught_up() {
                self.shared.caught_up.notify_one();
            }
            return Poll::Ready(Some(event));
        }
        if events.closed {
            return Poll::Ready(None);
        }
        Poll::Pending
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn connection_token(&self) -> Result<String, ChatError> {
        self.shared
            .token
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
        self.resend_message(&new_client_token(), content_type, content)
            .await
    }

    /// Sends a message with `client_token`, the `ClientToken` the service deduplicates
    /// by: a send that failed (its [`ChatError::client_token`]) is sent again with the
    /// same one, across reconnects too, and the message is shown once however many of the
    /// sends reached the service.
    pub async fn resend_message(
        &self,
        client_token: &str,
        content_type: &str,
        content: &str,
    ) -> Result<Option<String>, ChatError> {
        let sent = self
            .client
            .send_message()
            .connection_token(self.connection_token()?)
            .client_token(client_token)
            .content_type(content_type)
            .content(content)
            .send()
            .await
            .map_err(|e| ChatError::failed("SendMessage", e).with_client_token(client_token))?;
        if let Some(id) = sent.id() {
            self.shared.receipts().sent(id);
        }
        Ok(sent.id().map(str::to_owned))
    }

    /// Sends an event, such as `application/vnd.amazonaws.connect.event.typing`.
    pub async fn send_event(&self, content_type: &str) -> Result<(), ChatError> {
        self.event(&new_client_token(), content_type, None).await
    }

    /// Sends an event again with the `ClientToken` of a send that failed (see
    /// [`resend_message`](Self::resend_message)).
    pub async fn resend_event(
        &self,
        client_token: &str,
        content_type: &str,
    ) -> Result<(), ChatError> {
        self.event(client_token, content_type, None).await
    }

    /// Marks message `message_id` read: its read receipt goes by ChatJS's rules (at once,
    /// or at the end of the [`RECEIPT_THROTTLE`](crate::RECEIPT_THROTTLE) window, once per
    /// message, the delivered one then moot). Sent by the session's task; a receipt that
    /// fails is not retried.
    pub fn mark_read(&self, message_id: &str) {
        self.shared.receipts().policy.read(message_id);
        self.shared.control_ready.notify_one();
    }

    /// Sends a typing event, at most one per [`TYPING_THROTTLE`](crate::TYPING_THROTTLE)
    /// (10 s): call it on every keystroke. `Ok(false)` when the window's event already
    /// went.
    pub async fn typing(&self) -> Result<bool, ChatError> {
        if !self.shared.receipts().typing.may_send(self.clock.now()) {
            return Ok(false);
        }
        self.send_event(TYPING).await.map(|()| true)
    }

    /// Suspends the session, as a mobile app does in the background: the socket closes
    /// and heartbeats stop (no traffic, no timers) until [`resume`](Self::resume). The
    /// participant stays in the chat.
    pub fn suspend(&self) {
        self.control(Input::Suspend);
    }

    /// Resumes a suspended session: it reconnects at once (with a new URL when the old
    /// one is stale) and, once subscribed ([`SessionEvent::ConnectionRestored`]), fills
    /// the gap from the transcript.
    pub fn resume(&self) {
        self.control(Input::Resume);
    }

    /// Asks the task to suspend or resume: the latest ask replaces one still waiting (so
    /// the queue holds at most that and a page of history).
    fn control(&self, input: Input) {
        let mut control = self
            .shared
            .control
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        control.retain(|waiting| matches!(waiting, Input::History(_)));
        control.push(input);
        drop(control);
        self.shared.control_ready.notify_one();
    }

    /// Reads up to `max` items older than the oldest the session has (`GetTranscript`
    /// backward from it), as a chat window does when the user scrolls back; they come as
    /// [`SessionEvent::Chat`] updates from [`Source::History`](crate::Source::History),
    /// each placed in time (`after`), none twice. Returns how many the service returned:
    /// `0` at the start of the chat.
    pub async fn history(&self, max: i32) -> Result<usize, ChatError> {
        let oldest = self
            .shared
            .oldest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut request = self
            .client
            .get_transcript()
            .connection_token(self.connection_token()?)
            .scan_direction(ScanDirection::Backward)
            .sort_order(SortKey::Ascending)
            .max_results(max);
        if let Some(oldest) = oldest {
            request = request.start_position(StartPosition::builder().id(oldest).build());
        }
        let page = request
            .send()
            .await
            .map_err(|e| ChatError::failed("GetTranscript", e))?;
        self.merge_history(page.transcript())
    }

    /// A page of a previous contact's transcript in a persistent chat (its id from
    /// [`ChatEvent::ChatRehydrated`] or an item's
    /// `RelatedContactId`), oldest first, merged into the chat as
    /// [`history`](Self::history) does. `next_token`: the one the previous page returned;
    /// returns the next (`None`: no more).
    pub async fn contact_history(
        &self,
        contact_id: &str,
        next_token: Option<String>,
        max: i32,
    ) -> Result<Option<String>, ChatError> {
        let page = self
            .client
            .get_transcript()
            .connection_token(self.connection_token()?)
            .contact_id(contact_id)
            .scan_direction(ScanDirection::Forward)
            .sort_order(SortKey::Ascending)
            .max_results(max)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| ChatError::failed("GetTranscript", e))?;
        self.merge_history(page.transcript())?;
        Ok(page.next_token().map(str::to_owned))
    }

    /// Hands `items` to the task, which merges them into the chat; how many there are.
    /// At most one page waits for the task: a second is refused until the first is
    /// merged (the queue stays bounded however fast the application asks).
    fn merge_history(&self, items: &[connectparticipant::types::Item]) -> Result<usize, ChatError> {
        if !items.is_empty() {
            let mut control = self
                .shared
                .control
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if control
                .iter()
                .any(|input| matches!(input, Input::History(_)))
            {
                return Err(ChatError::new(
                    "the previous page of history is still being merged: ask again",
                ));
            }
            control.push(Input::History(items.to_vec()));
            drop(control);
            self.shared.control_ready.notify_one();
        }
        Ok(items.len())
    }

    /// Tells the others that message `message_id` was delivered or read, now (the
    /// receipt events ChatJS sends), without the rules [`mark_read`](Self::mark_read)
    /// and automatic receipts follow.
    pub async fn send_receipt(&self, receipt: Receipt, message_id: &str) -> Result<(), ChatError> {
        let (content_type, content) = receipt_event(receipt, message_id);
        self.event(&new_client_token(), content_type, Some(content))
            .await
    }

    async fn event(
        &self,
        client_token: &str,
        content_type: &str,
        content: Option<String>,
    ) -> Result<(), ChatError> {
        self.client
            .send_event()
            .connection_token(self.connection_token()?)
            .client_token(client_token)
            .content_type(content_type)
            .set_content(content)
            .send()
            .await
            .map_err(|e| ChatError::failed("SendEvent", e).with_client_token(client_token))?;
        Ok(())
    }

    /// Leaves the chat (`DisconnectParticipant`). What the chat still sends (a post-chat
    /// survey, `chat.ended`) keeps coming as events until `chat.ended` arrives or
    /// [`LEAVE_GRACE`](crate::LEAVE_GRACE) (10 s) has passed; the session then
    /// ends with [`EndReason::Disconnected`](crate::machine::EndReason::Disconnected),
    /// closing its socket (at once when no socket serves). If the call fails the
    /// participant is still in the chat and the session carries on. To stop at once,
    /// [`close`](Self::close) the session.
    pub async fn disconnect(&self) -> Result<(), ChatError> {
        let token = self.connection_token()?;
        self.client
            .disconnect_participant()
            .connection_token(token)
            .send()
            .await
            .map_err(|e| ChatError::failed("DisconnectParticipant", e))?;
        self.shared.disconnected.notify_one();
        Ok(())
    }
}

/// The events, as a stream (the same as [`ChatSession::next_event`]).
impl futures_util::Stream for ChatSession {
    type Item = SessionEvent;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<SessionEvent>> {
        self.poll_event(cx)
    }
}

impl ChatSession {
    /// Closes the session at once, without leaving the chat: its sockets close and no
    /// more events come (the participant stays in the chat, and a new session may join
    /// it again). The same as dropping the session.
    pub fn close(self) {}
}

impl Drop for ChatSession {
    fn drop(&mut self) {
        // The driver owns every socket and task: aborting it stops them all.
        self.driver.abort();
    }
}

/// rustls (ring, the only provider built in: one TLS stack) with the webpki roots, as
/// the client's HTTP stack; built once and shared by every session (the roots alone are
/// some 20 KiB).
fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: std::sync::OnceLock<Arc<rustls::ClientConfig>> = std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("ring supports TLS 1.2 and 1.3")
                .with_root_certificates(roots)
                .with_no_client_auth();
            Arc::new(config)
        })
        .clone()
}

/// What the driver's tasks report.
enum Report {
    Input(Input),
    Opened(SocketId, Box<Socket>),
}

struct Driver {
    client: Client,
    participant_token: String,
    shared: Arc<Shared>,
    tls: Arc<rustls::ClientConfig>,
    allow_plain: bool,
    proxy: Option<Result<Proxy, String>>,
    clock: Arc<dyn Clock>,
    provider: Option<Arc<dyn ConnectionProvider>>,
}

/// The driver's sockets: open ones (a writer and a reader task) and ones being opened.
#[derive(Default)]
struct Sockets {
    writers: HashMap<SocketId, Writer>,
    readers: HashMap<SocketId, AbortHandle>,
    connecting: HashMap<SocketId, AbortHandle>,
}

impl Sockets {
    /// Stops socket `id` however far it got: a connect is aborted, a reader stopped, a
    /// writer closed (in a task of its own, bounded by [`SEND_TIMEOUT`], so that the
    /// close frame goes out even when the session is ending).
    fn close(&mut self, id: SocketId) {
        if let Some(connecting) = self.connecting.remove(&id) {
            connecting.abort();
        }
        if let Some(reader) = self.readers.remove(&id) {
            reader.abort();
        }
        if let Some(writer) = self.writers.remove(&id) {
            tokio::spawn(close_bounded(writer));
        }
    }
}

impl Driver {
    /// A message (or attachment) being delivered: marked when it is this participant's
    /// own; with automatic receipts, one of the others' asks for its delivered receipt.
    fn note_delivered(&self, update: &mut ChatUpdate) {
        let (ChatEvent::Message(item) | ChatEvent::Attachment(item)) = &update.event else {
            return;
        };
        let mut receipts = self.shared.receipts();
        update.own = receipts.is_own(item);
        if !receipts.automatic || update.own {
            return;
        }
        if let Some(id) = item.id() {
            receipts.policy.delivered(id, self.clock.now());
        }
    }

    /// Hands `inputs` to the machine, at the time it is now.
    fn handle_all(&self, machine: &mut Machine, inputs: Vec<Input>) -> Vec<Action> {
        let now = self.clock.now();
        inputs
            .into_iter()
            .flat_map(|input| machine.handle(now, input))
            .collect()
    }

    /// Shares the connection token and the id of the oldest item (copied only when it
    /// changed), for the application's calls.
    fn share(&self, machine: &Machine) {
        *self
            .shared
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = machine.token().map(str::to_owned);
        let mut shared = self
            .shared
            .oldest
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shared.as_deref() != machine.oldest_id() {
            *shared = machine.oldest_id().map(str::to_owned);
        }
    }

    /// Sends the receipts due by `now`, each in a task of its own (none before there is
    /// a connection token); returns when more fall due.
    fn send_due_receipts(
        &self,
        now: Instant,
        machine: &Machine,
        tasks: &mut JoinSet<()>,
    ) -> Option<Instant> {
        let mut receipts = self.shared.receipts();
        let token = machine.token();
        for (receipt, id) in receipts.policy.poll(now) {
            if let Some(token) = token {
                let send = send_due_receipt(self.client.clone(), token.to_owned(), receipt, id);
                tasks.spawn(send);
            }
        }
        receipts.policy.next_wakeup()
    }

    /// Carries out the machine's actions; what they make happen at once (a send that
    /// failed closes its socket) comes back as inputs.
    async fn perform(
        &self,
        actions: impl Iterator<Item = Action>,
        machine: &Machine,
        sockets: &mut Sockets,
        tasks: &mut JoinSet<()>,
        reports_tx: &mpsc::Sender<Report>,
    ) -> Vec<Input> {
        let mut inputs = Vec::new();
        for action in actions {
            match action {
                Action::CreateConnection => match &self.provider {
                    Some(provider) => {
                        let connect =
                            provided(provider.clone(), self.allow_plain, reports_tx.clone());
                        tasks.spawn(connect);
                    }
                    None => {
                        tasks.spawn(create(
                            self.client.clone(),
                            self.participant_token.clone(),
                            self.allow_plain,
                            reports_tx.clone(),
                        ));
                    }
                },
                Action::Open { id, url } => {
                    let opening = open(
                        id,
                        url,
                        self.allow_plain,
                        self.proxy.clone(),
                        self.tls.clone(),
                        reports_tx.clone(),
                    );
                    sockets.connecting.insert(id, tasks.spawn(opening));
                }
                Action::Send(id, frame) => {
                    let sent = match sockets.writers.get_mut(&id) {
                        Some(writer) => send_bounded(writer, frame).await,
                        None => false,
                    };
                    if !sent {
                        inputs.push(Input::Closed(id));
                    }
                }
                Action::Close(id) => sockets.close(id),
                Action::FetchTranscript { after } => {
                    let token = machine.token().unwrap_or_default().to_owned();
                    let fill = transcript(self.client.clone(), token, after, reports_tx.clone());
                    tasks.spawn(fill);
                }
                Action::Emit(mut event) => {
                    if let SessionEvent::Chat(chat) = &mut event {
                        self.note_delivered(chat);
                    }
                    self.shared.push(event);
                }
            }
        }
        inputs
    }

    async fn run(self) {
        let mut machine = Machine::new();
        let (reports_tx, mut reports) = mpsc::channel::<Report>(256);
        let mut sockets = Sockets::default();
        // Calls, connects and socket readers; aborted when the driver ends or is dropped.
        let mut tasks = JoinSet::new();
        let mut pending = machine.start();
        loop {
            // Shared before the events go out: an application that reacts to an event
            // (asking for history, say) sees the state that event came from.
            self.share(&machine);
            let inputs = self
                .perform(
                    pending.drain(..),
                    &machine,
                    &mut sockets,
                    &mut tasks,
                    &reports_tx,
                )
                .await;
            if machine.ended() {
                self.shared.close();
                return;
            }
            if !inputs.is_empty() {
                pending = self.handle_all(&mut machine, inputs);
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
            let receipts_due = self.send_due_receipts(now, &machine, &mut tasks);
            let wakeup = machine
                .next_wakeup(now)
                .into_iter()
                .chain(receipts_due)
                .min();
            tokio::select! {
                report = reports.recv() => match report {
                    Some(Report::Input(input)) => pending = machine.handle(self.clock.now(), input),
                    Some(Report::Opened(id, socket)) => {
                        if sockets.connecting.remove(&id).is_none() {
                            // No longer wanted (closed while it opened): dropping it closes it.
                            continue;
                        }
                        let (writer, stream) = (*socket).split();
                        sockets.writers.insert(id, writer);
                        sockets.readers.insert(id, tasks.spawn(read(id, stream, reports_tx.clone())));
                        pending = machine.handle(self.clock.now(), Input::Opened(id));
                    }
                    None => return,
                },
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                () = self.shared.caught_up.notified() => {
                    let dropped = std::mem::take(&mut self.shared.events().dropped_ids);
                    if !dropped.is_empty() {
                        pending = machine.handle(self.clock.now(), Input::Lagged(dropped));
                    }
                }
                () = self.shared.control_ready.notified() => {
                    let asked = std::mem::take(
                        &mut *self.shared.control.lock().unwrap_or_else(PoisonError::into_inner),
                    );
                    pending = self.handle_all(&mut machine, asked);
                }
                () = self.shared.disconnected.notified() => {
                    pending = machine.handle(self.clock.now(), Input::Disconnected);
                }
                _ = sleep_until(&*self.clock, wakeup), if wakeup.is_some() => {
                    pending = machine.poll(self.clock.now());
                }
            }
        }
    }
}

/// Sends one frame; `false` when it failed or took over [`SEND_TIMEOUT`] (a peer that
/// stops reading must not stall the session): the socket then counts as broken.
async fn send_bounded(writer: &mut Writer, frame: &'static str) -> bool {
    tokio::time::timeout(SEND_TIMEOUT, writer.send(Message::text(frame)))
        .await
        .is_ok_and(|sent| sent.is_ok())
}

/// Closes a socket (the close frame, then the peer's answer), giving up after
/// [`SEND_TIMEOUT`]; the socket is dropped either way.
async fn close_bounded(mut writer: Writer) {
    let _ = tokio::time::timeout(SEND_TIMEOUT, writer.close()).await;
}

async fn sleep_until(clock: &dyn Clock, at: Option<Instant>) {
    if let Some(at) = at {
        clock.sleep_until(at).await;
    }
}

/// How a failed call counts: refused, worth retrying, or neither.
fn failure_of<E>(error: &SdkError<E>) -> Failure {
    match error.status() {
        Some(401 | 403) => Failure::Refused,
        Some(429) => Failure::Transient,
        Some(status) if status >= 500 => Failure::Transient,
        _ if error.code().is_some_and(|c| c.contains("Throttl")) => Failure::Transient,
        _ => Failure::Other,
    }
}

/// `CreateParticipantConnection` for the WebSocket and the connection credentials; a
/// WebSocket URL that would be a downgrade (or is not a URL) is a failure too.
async fn create(
    client: Client,
    participant_token: String,
    allow_plain: bool,
    reports: mpsc::Sender<Report>,
) {
    let result = client
        .create_participant_connection()
        .participant_token(participant_token)
        .r#type(ConnectionType::Websocket)
        .r#type(ConnectionType::ConnectionCredentials)
        .connect_participant(true)
        .send()
        .await;
    let failed = |kind, error: String| Input::CreateFailed { kind, error };
    let input = match result {
        Ok(output) => {
            let url = output.websocket().and_then(|w| w.url());
            let credentials = output.connection_credentials();
            let token = credentials.and_then(|c| c.connection_token());
            match (url, token) {
                (Some(url), Some(token)) => match Target::parse(url, allow_plain) {
                    Ok(_) => Input::Created {
                        url: url.to_owned(),
                        token: token.to_owned(),
                        expiry: credentials.and_then(|c| c.expiry()).map(str::to_owned),
                        wall_now: SystemTime::now(),
                    },
                    Err(why) => failed(
                        Failure::Other,
                        format!("CreateParticipantConnection: {why}"),
                    ),
                },
                _ => failed(
                    Failure::Other,
                    "CreateParticipantConnection returned no WebSocket URL or connection token"
                        .into(),
                ),
            }
        }
        Err(error) => failed(
            failure_of(&error),
            format!("CreateParticipantConnection failed: {error}"),
        ),
    };
    let _ = reports.send(Report::Input(input)).await;
}

/// A connection from the application's provider, checked as the service's would be.
async fn provided(
    provider: Arc<dyn ConnectionProvider>,
    allow_plain: bool,
    reports: mpsc::Sender<Report>,
) {
    // The application's backend gets the same bound as a socket's opening.
    let connected = tokio::time::timeout(OPEN_TIMEOUT, provider.connect()).await;
    let connected = connected.unwrap_or_else(|_| {
        Err(ProviderError {
            kind: Failure::Transient,
            message: format!("no answer within {OPEN_TIMEOUT:?}"),
        })
    });
    let input = match connected {
        Ok(connection) => match Target::parse(&connection.url, allow_plain) {
            Ok(_) => Input::Created {
                url: connection.url,
                token: connection.token,
                expiry: connection.expiry,
                wall_now: SystemTime::now(),
            },
            Err(why) => Input::CreateFailed {
                kind: Failure::Other,
                error: format!("the connection provider: {why}"),
            },
        },
        Err(error) => Input::CreateFailed {
            kind: error.kind,
            error: format!("the connection provider failed: {}", error.message),
        },
    };
    let _ = reports.send(Report::Input(input)).await;
}

/// Opens socket `id` within [`OPEN_TIMEOUT`].
async fn open(
    id: SocketId,
    url: String,
    allow_plain: bool,
    proxy: Option<Result<Proxy, String>>,
    tls: Arc<rustls::ClientConfig>,
    reports: mpsc::Sender<Report>,
) {
    let opened = async {
        let target = Target::parse(&url, allow_plain).map_err(OpenError::Failed)?;
        let proxy = proxy.transpose().map_err(OpenError::Failed)?;
        match tokio::time::timeout(OPEN_TIMEOUT, connect::open(&target, proxy.as_ref(), &tls)).await
        {
            Ok(opened) => opened,
            Err(_) => Err(OpenError::Failed(format!(
                "opening the WebSocket took more than {OPEN_TIMEOUT:?}"
            ))),
        }
    };
    let report = match opened.await {
        Ok(socket) => Report::Opened(id, Box::new(socket)),
        Err(error) => Report::Input(Input::OpenFailed {
            id,
            refused: matches!(error, OpenError::Refused(_)),
            error: error.to_string(),
        }),
    };
    let _ = reports.send(report).await;
}

/// Reports each text frame of socket `id`, then its close.
async fn read(id: SocketId, mut stream: SplitStream<Socket>, reports: mpsc::Sender<Report>) {
    while let Some(Ok(message)) = stream.next().await {
        if message.is_close() {
            break;
        }
        let Some(text) = message.as_text() else {
            continue;
        };
        let input = Input::Text(id, text.to_owned());
        if reports.send(Report::Input(input)).await.is_err() {
            return;
        }
    }
    let _ = reports.send(Report::Input(Input::Closed(id))).await;
}

/// The transcript forward from item `after`, page by page, within [`FILL_MAX_PAGES`],
/// [`MAX_ITEMS`] items and [`FILL_TIMEOUT`].
async fn transcript(
    client: Client,
    token: String,
    after: Option<String>,
    reports: mpsc::Sender<Report>,
) {
    let read = async {
        let mut request = client
            .get_transcript()
            .connection_token(token)
            .scan_direction(ScanDirection::Forward)
            .sort_order(SortKey::Ascending);
        if let Some(after) = after {
            request = request.start_position(StartPosition::builder().id(after).build());
        }
        let mut pages = request.into_paginator().page_size(100);
        let (mut count, mut items) = (0, 0);
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| format!("GetTranscript failed: {e}"))?;
            items += page.transcript().len();
            let input = Input::TranscriptPage(page.transcript().to_vec());
            if reports.send(Report::Input(input)).await.is_err() {
                return Ok(());
            }
            count += 1;
            if page.next_token().is_none() {
                break;
            }
            if count >= FILL_MAX_PAGES || items >= MAX_ITEMS {
                return Err(format!(
                    "the transcript was cut after {count} pages and {items} items"
                ));
            }
        }
        Ok(())
    };
    let result = match tokio::time::timeout(FILL_TIMEOUT, read).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "reading the transcript took more than {FILL_TIMEOUT:?}"
        )),
    };
    let _ = reports
        .send(Report::Input(Input::TranscriptDone(result)))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A socket over an in-memory pipe whose buffer holds `capacity` bytes, and the
    /// pipe's other end (the peer, which never reads).
    fn socket_to_a_peer_that_never_reads(capacity: usize) -> (Writer, tokio::io::DuplexStream) {
        let (ours, peer) = tokio::io::duplex(capacity);
        let stream: Box<dyn connect::Io> = Box::new(ours);
        let socket = tokio_websockets::ClientBuilder::new()
            .take_over(tokio::io::BufReader::with_capacity(512, stream));
        let (writer, _reader) = socket.split();
        (writer, peer)
    }

    #[tokio::test(start_paused = true)]
    async fn a_send_to_a_peer_that_stops_reading_gives_up_after_the_send_timeout() {
        let (mut writer, _peer) = socket_to_a_peer_that_never_reads(256);
        let started = tokio::time::Instant::now();
        let mut sent = 0;
        while send_bounded(&mut writer, crate::frame::HEARTBEAT).await {
            sent += 1;
            assert!(sent < 100, "the buffer never filled");
        }
        // The frames that fit went at once; the one that did not waited SEND_TIMEOUT.
        assert!(sent >= 5, "{sent}");
        assert_eq!(started.elapsed(), SEND_TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_close_to_a_peer_that_stops_reading_gives_up_after_the_send_timeout() {
        let (mut writer, _peer) = socket_to_a_peer_that_never_reads(256);
        while send_bounded(&mut writer, crate::frame::HEARTBEAT).await {}
        let started = tokio::time::Instant::now();
        close_bounded(writer).await;
        assert_eq!(started.elapsed(), SEND_TIMEOUT);
    }
}
