//! The chat session's decisions, without I/O: it is told what happened (a connection was
//! created, a socket opened, a frame arrived, a socket closed, time passed) and answers
//! with what to do (create a connection, open or close a socket, send a frame, fetch the
//! transcript, hand an event to the user, wake up at an instant). A session drives it
//! with real sockets and a real clock; tests drive it with neither.
//!
//! The rules it applies: subscribe on open (retried, see [`lifecycle`](crate::lifecycle)),
//! heartbeats, reconnect with backoff after a close or a missed heartbeat (with a fresh
//! URL when the old one is too old), fill the gap from the transcript after a reconnect,
//! roll a socket over to a new one before 59 minutes (the old one closes once the new one
//! is subscribed), refresh the connection token before it expires, and end on
//! `chat.ended`, on a refusal, or after [`GIVE_UP_AFTER`] without a healthy socket. Every
//! item goes through one [`Timeline`], so nothing is shown twice across sockets and
//! reconnects.
//!
//! What it guarantees, whatever it is told (a property test drives it with random
//! inputs): every socket it asks to open it later asks to close, exactly once, as soon as
//! it stops tracking it; at most two sockets are open or opening at once; at most one
//! `CreateParticipantConnection` and one transcript read are in flight; nothing is retried
//! without a pause.

use std::time::{Duration, Instant, SystemTime};

use connectparticipant::types::Item;

use crate::backoff::reconnect_delay;
use crate::event::ChatEvent;
use crate::frame::{self, Incoming};
use crate::lifecycle::{Connection, Heartbeat, Next, Subscription};
use crate::stream::{Stitched, Streaming, Streams};
use crate::timeline::{Change, Placement, Timeline};

/// A socket, by the number the machine gave it.
pub type SocketId = u64;

/// Without a healthy socket (subscribed, and its first heartbeat answered) for this long
/// after a failure, the session gives up ([`EndReason::GaveUp`]). Reconnection attempts
/// are `2 s, 4 s, 8 s, 16 s, 30 s, 30 s, …` apart meanwhile: about 14 of them.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(5 * 60);

/// After the participant leaves (`DisconnectParticipant`), what the chat still sends (a
/// post-chat survey, `chat.ended`) is delivered until `chat.ended` arrives or this long
/// has passed; then the session ends ([`EndReason::Disconnected`]).
pub const LEAVE_GRACE: Duration = Duration::from_secs(10);

/// What happened.
#[derive(Clone)]
pub enum Input {
    /// `CreateParticipantConnection` returned a WebSocket URL and connection credentials.
    Created {
        /// The WebSocket URL.
        url: String,
        /// The connection token.
        token: String,
        /// The token's `Expiry` (ISO 8601), if given.
        expiry: Option<String>,
        /// The wall-clock time of the instant it is handled at.
        wall_now: SystemTime,
    },
    /// `CreateParticipantConnection` failed.
    CreateFailed {
        /// How.
        kind: Failure,
        /// Why, as the user may read it (no token, no URL).
        error: String,
    },
    /// A socket opened.
    Opened(SocketId),
    /// A socket could not be opened.
    OpenFailed {
        /// The socket.
        id: SocketId,
        /// The service refused the upgrade (HTTP 401 or 403).
        refused: bool,
        /// Why, as the user may read it.
        error: String,
    },
    /// A socket sent a text frame.
    Text(SocketId, String),
    /// A socket closed, or broke.
    Closed(SocketId),
    /// A page of the transcript read to fill a gap.
    TranscriptPage(Vec<Item>),
    /// The transcript read ended: `Err` with why when it failed or was cut short.
    TranscriptDone(Result<(), String>),
    /// The user fell behind and these chat items (by id) were dropped before they saw
    /// them: the transcript is to bring them again.
    Lagged(Vec<String>),
    /// The application goes to the background: close the socket, stop heartbeats.
    Suspend,
    /// The application is back: reconnect, and fill the gap.
    Resume,
    /// Older items the application asked for ([`ChatSession::history`](crate::ChatSession::history)).
    History(Vec<Item>),
    /// The user left the chat (`DisconnectParticipant` succeeded): the session ends once
    /// `chat.ended` arrives or after [`LEAVE_GRACE`], at once without a live socket (or
    /// when told again).
    Disconnected,
}

/// How a `CreateParticipantConnection` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The service refused the participant token (HTTP 401 or 403).
    Refused,
    /// The service asked to try later (throttling, HTTP 5xx).
    Transient,
    /// Anything else: the network, DNS, another 4xx, an unreadable answer.
    Other,
}

/// Shows no token, URL or chat content.
impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Created { expiry, .. } => f
                .debug_struct("Created")
                .field("expiry", expiry)
                .finish_non_exhaustive(),
            Input::CreateFailed { kind, error } => f
                .debug_struct("CreateFailed")
                .field("kind", kind)
                .field("error", error)
                .finish(),
            Input::Opened(id) => f.debug_tuple("Opened").field(id).finish(),
            Input::OpenFailed { id, refused, error } => f
                .debug_struct("OpenFailed")
                .field("id", id)
                .field("refused", refused)
                .field("error", error)
                .finish(),
            Input::Text(id, text) => write!(f, "Text({id}, <{} bytes>)", text.len()),
            Input::Closed(id) => f.debug_tuple("Closed").field(id).finish(),
            Input::TranscriptPage(items) => write!(f, "TranscriptPage(<{} items>)", items.len()),
            Input::TranscriptDone(result) => f.debug_tuple("TranscriptDone").field(result).finish(),
            Input::Lagged(ids) => write!(f, "Lagged(<{} items>)", ids.len()),
            Input::History(items) => write!(f, "History(<{} items>)", items.len()),
            Input::Suspend => f.write_str("Suspend"),
            Input::Resume => f.write_str("Resume"),
            Input::Disconnected => f.write_str("Disconnected"),
        }
    }
}

/// What to do.
#[derive(Clone, PartialEq)]
pub enum Action {
    /// Call `CreateParticipantConnection` (WEBSOCKET and CONNECTION_CREDENTIALS).
    CreateConnection,
    /// Open a socket to `url`, known as `id` from now on.
    Open {
        /// The socket's number.
        id: SocketId,
        /// Where to connect.
        url: String,
    },
    /// Send a text frame on a socket.
    Send(SocketId, &'static str),
    /// Close a socket (or stop opening it).
    Close(SocketId),
    /// Read the transcript forward from the item `after` (from the start when `None`),
    /// handing it back as [`Input::TranscriptPage`]s and an [`Input::TranscriptDone`].
    FetchTranscript {
        /// The id of the item to read from.
        after: Option<String>,
    },
    /// Give the user an event.
    Emit(SessionEvent),
}

/// Shows no URL (a pre-signed URL grants access to the chat).
impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::CreateConnection => f.write_str("CreateConnection"),
            Action::Open { id, .. } => f
                .debug_struct("Open")
                .field("id", id)
                .finish_non_exhaustive(),
            Action::Send(id, frame) => f.debug_tuple("Send").field(id).field(frame).finish(),
            Action::Close(id) => f.debug_tuple("Close").field(id).finish(),
            Action::FetchTranscript { after } => f
                .debug_struct("FetchTranscript")
                .field("after", after)
                .finish(),
            Action::Emit(event) => f.debug_tuple("Emit").field(event).finish(),
        }
    }
}

/// What the user of a session sees.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// Subscribed for the first time: the session is ready to send and receive.
    Connected,
    /// A message or event of the chat, new or updated: what changed, where it came
    /// from, whose it is and its place in time (see [`ChatUpdate`]).
    Chat(Box<ChatUpdate>),
    /// The socket was lost; the session is reconnecting.
    ConnectionLost,
    /// The session is connected again (and the gap is being filled).
    ConnectionRestored,
    /// The user read events too slowly: this many of the oldest waiting events were
    /// dropped. The chat items among them come again from the transcript.
    Lagged(u64),
    /// Reading the transcript to fill a gap failed or was cut short: items sent during
    /// the gap may be missing. Why, as the user may read it.
    GapNotFilled(String),
    /// The session is over: no more events.
    Ended(EndReason),
}

/// A chat item as the session delivers it. It derefs to its [`ChatEvent`], so
/// `update.item()` and `update.kind()` read the event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChatUpdate {
    /// The event.
    pub event: ChatEvent,
    /// [`Change::Added`] for an item not delivered before, [`Change::Updated`] for one
    /// delivered before whose content changed (the next chunk of a streamed reply).
    pub change: Change,
    /// For an update, the item as it was delivered before.
    pub previous: Option<Item>,
    /// Whether it came live on the socket or from the transcript (a gap filled after a
    /// reconnect, or items the application read too slowly for).
    pub source: Source,
    /// A message this participant sent: its id is one `send_message` returned, or its
    /// `ParticipantId` is this participant's (given to the session builder, or learnt
    /// from the echo of a message this session sent). Until this participant's id is
    /// known, an echo that overtakes its send's answer is not marked.
    pub own: bool,
    /// The id of the item it comes after in time order (`None`: it comes first): where
    /// to insert an item that arrives late, such as one the transcript recovered.
    pub after: Option<String>,
    /// For a message streamed in chunks (a bot's reply), where it stands: in progress,
    /// completed, or abandoned after [`STREAM_TIMEOUT`](crate::STREAM_TIMEOUT) without a
    /// chunk. Its `MessageMetadata` has the `MessageProcessingStatus`, when the service
    /// sends one.
    pub streaming: Option<Streaming>,
}

impl std::ops::Deref for ChatUpdate {
    type Target = ChatEvent;

    fn deref(&self) -> &ChatEvent {
        &self.event
    }
}

/// Where a chat item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The socket, as it happened.
    Live,
    /// The transcript, read to fill a gap.
    Transcript,
    /// The transcript, read on request for older items (or a previous contact's).
    History,
}

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// The chat ended (`chat.ended`).
    ChatEnded,
    /// This participant left the chat.
    Disconnected,
    /// The service refused the participant or connection token: revoked or expired.
    TokenRefused(String),
    /// Joining failed: the first `CreateParticipantConnection` failed for a reason
    /// retrying cannot mend (a wrong region or endpoint, DNS, a refused input).
    JoinFailed(String),
    /// No socket stayed healthy for [`GIVE_UP_AFTER`] after a failure.
    GaveUp {
        /// Connection attempts made meanwhile.
        attempts: u32,
        /// The last failure.
        last_error: String,
    },
}

/// Where the session is, with the sockets it has there. What happens meanwhile (a token
/// refresh, a transcript read, a retry's backoff) is tracked beside it.
#[derive(Debug, Clone)]
enum State {
    /// No socket has subscribed yet: the first connection is being created or tried
    /// again, or `opening` is being opened and subscribed.
    Connecting { opening: Option<Socket> },
    /// `live` is subscribed and serves; `next`, when set, is the socket it rolls over to.
    Live { live: Socket, next: Option<Socket> },
    /// The live socket was lost: a connection is being created or tried again, or
    /// `opening` is being opened and subscribed; the gap is filled once it is.
    Reconnecting { opening: Option<Socket> },
    /// The participant left: `live` still delivers until `chat.ended` or `until`; nothing
    /// new is opened.
    Leaving { live: Socket, until: Instant },
    /// The application suspended the session: no socket, no timers, until it resumes.
    Suspended,
    /// Over; nothing more happens.
    Ended,
}

impl State {
    /// The subscribed socket that serves.
    fn live(&self) -> Option<&Socket> {
        match self {
            State::Live { live, .. } | State::Leaving { live, .. } => Some(live),
            _ => None,
        }
    }

    fn live_mut(&mut self) -> Option<&mut Socket> {
        match self {
            State::Live { live, .. } | State::Leaving { live, .. } => Some(live),
            _ => None,
        }
    }

    /// The socket being opened and subscribed: the first, a reconnection's, or a
    /// rollover's.
    fn opening(&self) -> Option<&Socket> {
        match self {
            State::Connecting { opening } | State::Reconnecting { opening } => opening.as_ref(),
            State::Live { next, .. } => next.as_ref(),
            State::Leaving { .. } | State::Suspended | State::Ended => None,
        }
    }

    /// Where the socket being opened goes; `None` when leaving or over (nothing opens
    /// then).
    fn opening_slot(&mut self) -> Option<&mut Option<Socket>> {
        match self {
            State::Connecting { opening } | State::Reconnecting { opening } => Some(opening),
            State::Live { next, .. } => Some(next),
            State::Leaving { .. } | State::Suspended | State::Ended => None,
        }
    }

    fn opening_mut(&mut self) -> Option<&mut Socket> {
        self.opening_slot()?.as_mut()
    }

    /// The live socket, then the one being opened.
    fn sockets(&self) -> impl Iterator<Item = &Socket> {
        self.live().into_iter().chain(self.opening())
    }
}

/// Where the session is, as [`Machine::phase`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Creating the first connection, or waiting to try again.
    Connecting,
    /// The first socket is being opened and subscribed.
    Subscribing,
    /// A socket is subscribed and serves.
    Live,
    /// A socket serves while the one replacing it is opened and subscribed.
    RollingOver,
    /// The live socket was lost: reconnecting, to fill the gap once subscribed again.
    Reconnecting,
    /// The participant left; what the chat still sends is delivered for a while.
    Leaving,
    /// Suspended by the application (in the background): no socket until it resumes.
    Suspended,
    /// Over; nothing more happens.
    Ended,
}

/// The session's timers, each a deadline read from the state it belongs to (see
/// [`Machine::timers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// The next reconnection attempt.
    Reconnect,
    /// Another try at a rollover that failed.
    RolloverRetry,
    /// Another try at a token refresh that failed.
    RefreshRetry,
    /// The subscribe on this socket goes unanswered: send again, or give up.
    Subscribe(SocketId),
    /// The next heartbeat on this socket (and the check that the last one was answered).
    Heartbeat(SocketId),
    /// The connection's own deadline: its rollover or token refresh falls due.
    Connection,
    /// The end of [`LEAVE_GRACE`] after the participant left.
    Leave,
    /// A streamed message waits too long for its next chunk.
    Stream,
}

/// What a `CreateParticipantConnection` in flight is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// The first one.
    Join,
    /// No socket serves: a new URL to open.
    Reconnect,
    /// The live socket serves; a new URL for the socket that replaces it.
    Rollover,
    /// The live socket serves; a new token for the REST calls.
    Refresh,
}

#[derive(Debug, Clone)]
struct Socket {
    id: SocketId,
    /// The subscribe handshake starts once the socket is open.
    open: bool,
    /// When it opened: its hour is counted from then, once it is the live socket.
    opened_at: Option<Instant>,
    subscription: Subscription,
    /// Set once subscribed.
    heartbeat: Option<Heartbeat>,
    /// Subscribed and a heartbeat answered: only then does the backoff start over.
    healthy: bool,
}

/// A delay that grows with each failure, for retries of one kind.
#[derive(Debug, Clone, Default)]
struct Retry {
    at: Option<Instant>,
    failures: u32,
}

impl Retry {
    fn failed(&mut self, now: Instant) {
        self.at = Some(now + reconnect_delay(self.failures));
        self.failures = self.failures.saturating_add(1);
    }

    fn may_try(&self, now: Instant) -> bool {
        self.at.is_none_or(|at| now >= at)
    }

    fn reset(&mut self) {
        *self = Retry::default();
    }
}

/// The session's state, told what happens and what time it is. Its `Debug` shows no
/// token, URL or chat content.
#[derive(Clone)]
pub struct Machine {
    connection: Option<Connection>,
    url: Option<String>,
    token: Option<String>,
    /// Where the session is, with its sockets.
    state: State,
    next_id: SocketId,
    creating: Option<Purpose>,
    /// After a loss: when to try again.
    reconnect_at: Option<Instant>,
    /// Tries since a socket was last healthy.
    attempts: u32,
    /// Since when no socket has been healthy, counted from the first failure.
    unhealthy_since: Option<Instant>,
    last_error: Option<String>,
    /// Refusals (of the upgrade, or a refusal frame) since a socket last subscribed.
    refusals: u32,
    rollover: Retry,
    refresh: Retry,
    /// A transcript read is in flight; and the one to start when it ends.
    filling: bool,
    queued_fill: Option<Option<String>>,
    timeline: Timeline,
    streams: Streams,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("live", &self.state.live().map(|s| s.id))
            .field("opening", &self.state.opening().map(|s| s.id))
            .field("creating", &self.creating)
            .field("attempts", &self.attempts)
            .field("phase", &self.phase())
            .field("timeline", &self.timeline)
            .finish_non_exhaustive()
    }
}

impl Default for Machine {
    fn default() -> Self {
        Self::new()
    }
}

impl Machine {
    /// A session not started yet.
    pub fn new() -> Self {
        Machine {
            connection: None,
            url: None,
            token: None,
            state: State::Connecting { opening: None },
            next_id: 0,
            creating: None,
            reconnect_at: None,
            attempts: 0,
            unhealthy_since: None,
            last_error: None,
            refusals: 0,
            rollover: Retry::default(),
            refresh: Retry::default(),
            filling: false,
            queued_fill: None,
            timeline: Timeline::new(),
            streams: Streams::new(),
        }
    }

    /// The first thing to do: create the connection.
    pub fn start(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        self.create(Purpose::Join, &mut actions);
        actions
    }

    /// The connection token for the REST calls (send a message, an event, disconnect).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether the chat is over.
    pub fn ended(&self) -> bool {
        matches!(self.state, State::Ended)
    }

    /// Where the session is.
    pub fn phase(&self) -> Phase {
        match &self.state {
            State::Connecting { opening: None } => Phase::Connecting,
            State::Connecting { opening: Some(_) } => Phase::Subscribing,
            State::Live { next: None, .. } => Phase::Live,
            State::Live { next: Some(_), .. } => Phase::RollingOver,
            State::Reconnecting { .. } => Phase::Reconnecting,
            State::Leaving { .. } => Phase::Leaving,
            State::Suspended => Phase::Suspended,
            State::Ended => Phase::Ended,
        }
    }

    /// The chat so far.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The id of the oldest item the session has: where older history starts.
    pub fn oldest_id(&self) -> Option<&str> {
        self.timeline.items().next().and_then(|item| item.id())
    }

    /// Handles what happened at `now`, then whatever time requires.
    pub fn handle(&mut self, now: Instant, input: Input) -> Vec<Action> {
        if self.ended() {
            return Vec::new();
        }
        let mut actions = Vec::new();
        match input {
            Input::Created {
                url,
                token,
                expiry,
                wall_now,
            } => {
                let fresh = Connection::created(now, wall_now, expiry.as_deref());
                self.created(now, url, token, fresh, &mut actions);
            }
            Input::CreateFailed { kind, error } => {
                self.create_failed(now, kind, error, &mut actions)
            }
            Input::Opened(id) => {
                if let Some(socket) = self.state.opening_mut().filter(|s| s.id == id && !s.open) {
                    socket.open = true;
                    socket.opened_at = Some(now);
                }
            }
            Input::OpenFailed { id, refused, error } => {
                if refused {
                    self.refused(id, error, &mut actions);
                } else {
                    self.socket_failed(now, id, error, &mut actions);
                }
            }
            Input::Text(id, text) => self.frame(now, id, &text, &mut actions),
            Input::Closed(id) => {
                self.socket_failed(now, id, "the socket closed".into(), &mut actions)
            }
            Input::TranscriptPage(items) => {
                if self.filling {
                    for item in items {
                        if let Some(id) = item.id() {
                            // The transcript has the whole message.
                            self.streams.forget(id);
                        }
                        self.record(item, Source::Transcript, &mut actions);
                    }
                }
            }
            Input::TranscriptDone(result) => {
                if std::mem::take(&mut self.filling) {
                    if let Err(error) = result {
                        actions.push(Action::Emit(SessionEvent::GapNotFilled(error)));
                    }
                    if let Some(after) = self.queued_fill.take() {
                        self.fill(after, &mut actions);
                    }
                }
            }
            Input::Lagged(ids) => {
                let after = self.timeline.forget(ids.iter().map(String::as_str));
                self.fill(after, &mut actions);
            }
            Input::Suspend => self.suspend(&mut actions),
            Input::Resume => self.resume(now),
            Input::History(items) => {
                for item in items {
                    self.record(item, Source::History, &mut actions);
                }
            }
            Input::Disconnected => self.leave(now, &mut actions),
        }
        if !self.ended() {
            self.tick(now, &mut actions);
        }
        actions
    }

    /// What time requires at `now` (call it when the instant from
    /// [`next_wakeup`](Self::next_wakeup) comes).
    pub fn poll(&mut self, now: Instant) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.ended() {
            self.tick(now, &mut actions);
        }
        actions
    }

    /// When to call [`poll`](Self::poll) next, if anything is timed: always after `now`
    /// (what is due at `now` was done by the call that returned the actions).
    pub fn next_wakeup(&self, now: Instant) -> Option<Instant> {
        self.timers().map(|(_, at)| at).filter(|at| *at > now).min()
    }

    /// Every timer that is set, with its deadline; none once the chat is over.
    pub fn timers(&self) -> impl Iterator<Item = (Timer, Instant)> + '_ {
        // Over or suspended: no timer runs.
        let running = !self.ended() && !matches!(self.state, State::Suspended);
        // Once over there are no sockets.
        let sockets = self.state.sockets().filter(|s| s.open);
        let socket_timers = sockets.flat_map(|socket| {
            [
                socket
                    .subscription
                    .deadline()
                    .map(|at| (Timer::Subscribe(socket.id), at)),
                socket
                    .heartbeat
                    .as_ref()
                    .map(|h| (Timer::Heartbeat(socket.id), h.deadline())),
            ]
        });
        let session_timers = [
            (Timer::Reconnect, self.reconnect_at),
            (Timer::RolloverRetry, self.rollover.at),
            (Timer::RefreshRetry, self.refresh.at),
            (
                Timer::Connection,
                self.connection.as_ref().and_then(Connection::next_deadline),
            ),
            (Timer::Leave, self.leave_by()),
            (Timer::Stream, self.streams.next_deadline()),
        ]
        .map(|(timer, at)| at.filter(|_| running).map(|at| (timer, at)));
        session_timers.into_iter().chain(socket_timers).flatten()
    }

    fn create(&mut self, purpose: Purpose, actions: &mut Vec<Action>) {
        if self.creating.is_none() {
            self.creating = Some(purpose);
            actions.push(Action::CreateConnection);
        }
    }

    fn created(
        &mut self,
        now: Instant,
        url: String,
        token: String,
        fresh: Connection,
        actions: &mut Vec<Action>,
    ) {
        let Some(purpose) = self.creating.take() else {
            return; // Nothing was asked for.
        };
        let old = self
            .connection
            .as_ref()
            .filter(|_| self.state.live().is_some());
        if purpose == Purpose::Refresh {
            let old_expiry = self.connection.as_ref().and_then(Connection::token_expires);
            if fresh.token_expires() <= old_expiry {
                // It would not last longer: keep the token we have, ask again later.
                self.refresh.failed(now);
                return;
            }
            self.refresh.reset();
        }
        // While the live socket serves, its hour still counts.
        self.connection = Some(match old {
            Some(old) => old.with_new_credentials(fresh),
            None => fresh,
        });
        self.token = Some(token);
        self.url = Some(url.clone());
        if purpose != Purpose::Refresh {
            self.open(&url, actions);
        }
    }

    fn create_failed(
        &mut self,
        now: Instant,
        kind: Failure,
        error: String,
        actions: &mut Vec<Action>,
    ) {
        let Some(purpose) = self.creating.take() else {
            return;
        };
        if kind == Failure::Refused {
            return self.end(EndReason::TokenRefused(error), actions);
        }
        if purpose == Purpose::Join && kind == Failure::Other {
            return self.end(EndReason::JoinFailed(error), actions);
        }
        self.last_error = Some(error);
        match purpose {
            Purpose::Refresh => self.refresh.failed(now),
            // A rollover's failure leaves the live socket alone.
            _ if self.state.live().is_some() => self.rollover.failed(now),
            _ if self.state.opening().is_none() && self.reconnect_at.is_none() => {
                self.schedule_reconnect(now, actions)
            }
            _ => {}
        }
    }

    /// Starts opening a socket to `url` (replacing one being opened, which is closed).
    fn open(&mut self, url: &str, actions: &mut Vec<Action>) {
        let Some(slot) = self.state.opening_slot() else {
            return; // Over: nothing opens.
        };
        if let Some(old) = slot.take() {
            actions.push(Action::Close(old.id));
        }
        self.next_id += 1;
        let id = self.next_id;
        *slot = Some(Socket {
            id,
            open: false,
            opened_at: None,
            subscription: Subscription::new(),
            heartbeat: None,
            healthy: false,
        });
        actions.push(Action::Open {
            id,
            url: url.to_owned(),
        });
    }

    /// Stops tracking socket `id` and asks for it to be closed; says whether it was the
    /// live one (the session is then reconnecting). `None` for a socket not tracked.
    fn release(&mut self, id: SocketId, actions: &mut Vec<Action>) -> Option<bool> {
        let live = if self.state.live().is_some_and(|s| s.id == id) {
            self.state = match std::mem::replace(&mut self.state, State::Ended) {
                // A socket opened to roll over to carries on as the reconnection's.
                State::Live { next, .. } => State::Reconnecting { opening: next },
                other => other,
            };
            true
        } else if self.state.opening().is_some_and(|s| s.id == id) {
            if let Some(slot) = self.state.opening_slot() {
                *slot = None;
            }
            false
        } else {
            return None;
        };
        actions.push(Action::Close(id));
        Some(live)
    }

    fn frame(&mut self, now: Instant, id: SocketId, text: &str, actions: &mut Vec<Action>) {
        let incoming = match frame::parse(text) {
            Ok(incoming) => incoming,
            // A frame that cannot be read is dropped; the socket stays.
            Err(_) => return,
        };
        match incoming {
            Incoming::SubscribeAck { success, .. } => self.subscribed(now, id, success, actions),
            Incoming::Heartbeat => {
                if let Some(socket) = self.state.live_mut().filter(|s| s.id == id) {
                    if let Some(heartbeat) = socket.heartbeat.as_mut() {
                        heartbeat.answered();
                    }
                    if !std::mem::replace(&mut socket.healthy, true) {
                        // A heartbeat cycle on a subscribed socket: healthy again.
                        self.attempts = 0;
                        self.unhealthy_since = None;
                    }
                }
            }
            // Late frames of a socket no longer tracked are not shown.
            Incoming::Chat(item) if self.tracks(id) => self.record(*item, Source::Live, actions),
            Incoming::Chunk(item, chunk) if self.tracks(id) => {
                if let Some(stitched) = self.streams.chunk(*item, chunk, now) {
                    self.record_stitched(stitched, actions);
                }
            }
            Incoming::Refused { .. } => self.refused(
                id,
                "the service refused the socket (Forbidden)".into(),
                actions,
            ),
            _ => {}
        }
    }

    fn tracks(&self, id: SocketId) -> bool {
        self.state.sockets().any(|s| s.id == id)
    }

    fn subscribed(&mut self, now: Instant, id: SocketId, success: bool, actions: &mut Vec<Action>) {
        // Only the socket being opened subscribes; an answer on any other is ignored.
        if !self.state.opening().is_some_and(|s| s.id == id && s.open) {
            return;
        }
        if !success {
            self.last_error = Some("the service refused the subscription".into());
            self.release(id, actions);
            return self.opening_failed(now, actions);
        }
        let Some(mut socket) = self.state.opening_slot().and_then(Option::take) else {
            return;
        };
        socket.subscription.answered(true);
        socket.heartbeat = Some(Heartbeat::new(now));
        // The rollover clock follows the live socket (not one that failed to subscribe,
        // which would put the live one's rollover off by an hour).
        if let (Some(connection), Some(opened)) = (&mut self.connection, socket.opened_at) {
            connection.opened(opened);
        }
        let before = std::mem::replace(
            &mut self.state,
            State::Live {
                live: socket,
                next: None,
            },
        );
        self.refusals = 0;
        self.reconnect_at = None;
        self.rollover.reset();
        match before {
            // A rollover: the new socket took over.
            State::Live { live: old, .. } => actions.push(Action::Close(old.id)),
            State::Connecting { .. } => actions.push(Action::Emit(SessionEvent::Connected)),
            State::Reconnecting { .. } => {
                actions.push(Action::Emit(SessionEvent::ConnectionRestored));
                let after = self.timeline.newest_id();
                self.fill(after, actions);
            }
            // Nothing is opened in these (see `State::opening_slot`).
            State::Leaving { .. } | State::Suspended | State::Ended => {}
        }
    }

    /// A streamed message as it now stands; a stream that ended is news even when its
    /// content is what was shown.
    fn record_stitched(&mut self, stitched: Stitched, actions: &mut Vec<Action>) {
        let Stitched {
            item,
            streaming,
            ended,
        } = stitched;
        self.record_as(item, Source::Live, Some(streaming), ended, actions);
    }

    fn record(&mut self, item: Item, source: Source, actions: &mut Vec<Action>) {
        self.record_as(item, source, None, false, actions);
    }

    /// Records `item` and shows what changed; `always`: even when nothing in it did.
    fn record_as(
        &mut self,
        item: Item,
        source: Source,
        streaming: Option<Streaming>,
        always: bool,
        actions: &mut Vec<Action>,
    ) {
        let Placement {
            mut change,
            previous,
            after,
        } = self.timeline.place(item.clone());
        if change == Change::Unchanged {
            if !always {
                return;
            }
            change = Change::Updated;
        }
        let event = ChatEvent::classify(item);
        let ends = event.ends_chat();
        let update = ChatUpdate {
            event,
            change,
            previous,
            source,
            // The session knows whose messages are whose (see `ChatUpdate::own`).
            own: false,
            after,
            streaming,
        };
        actions.push(Action::Emit(SessionEvent::Chat(Box::new(update))));
        if ends {
            let reason = if self.phase() == Phase::Leaving {
                EndReason::Disconnected
            } else {
                EndReason::ChatEnded
            };
            self.end(reason, actions);
        }
    }

    /// Reads the transcript from `after`, or once the read in flight ends (from the
    /// earlier of the two starts).
    fn fill(&mut self, after: Option<String>, actions: &mut Vec<Action>) {
        if !self.filling {
            self.filling = true;
            actions.push(Action::FetchTranscript { after });
            return;
        }
        self.queued_fill = Some(match self.queued_fill.take() {
            None => after,
            Some(queued) => self.timeline.earlier(queued, after),
        });
    }

    /// Socket `id` failed (closed, broke, could not open, a heartbeat went unanswered).
    fn socket_failed(
        &mut self,
        now: Instant,
        id: SocketId,
        error: String,
        actions: &mut Vec<Action>,
    ) {
        if self.phase() == Phase::Leaving && self.tracks(id) {
            return self.end(EndReason::Disconnected, actions);
        }
        let Some(was_live) = self.release(id, actions) else {
            return;
        };
        self.last_error = Some(error);
        if !was_live {
            return self.opening_failed(now, actions);
        }
        self.lose(actions);
        // A socket already being opened (a rollover) takes over when it subscribes.
        if self.state.opening().is_none() {
            self.schedule_reconnect(now, actions);
        }
    }

    /// The service refused socket `id` (at the upgrade, or with a refusal frame). Once,
    /// a fresh URL is asked for at once: an expired URL is told from a revoked token.
    /// Twice before a socket subscribes, and the session ends.
    fn refused(&mut self, id: SocketId, error: String, actions: &mut Vec<Action>) {
        if self.phase() == Phase::Leaving && self.tracks(id) {
            return self.end(EndReason::Disconnected, actions);
        }
        let Some(was_live) = self.release(id, actions) else {
            return;
        };
        self.refusals += 1;
        if self.refusals >= 2 {
            let reason = format!("{error}, again with a fresh URL");
            return self.end(EndReason::TokenRefused(reason), actions);
        }
        self.last_error = Some(error);
        if was_live {
            self.lose(actions);
        }
        if self.state.opening().is_some() {
            return; // Being opened with another URL: its answer decides.
        }
        self.reconnect_at = None;
        let purpose = if self.state.live().is_some() {
            Purpose::Rollover
        } else {
            Purpose::Reconnect
        };
        match &mut self.creating {
            // The answer in flight brings the fresh URL; make sure it is opened.
            Some(in_flight) => *in_flight = purpose,
            None => self.create(purpose, actions),
        }
    }

    /// The live socket is gone (released: the session is reconnecting).
    fn lose(&mut self, actions: &mut Vec<Action>) {
        actions.push(Action::Emit(SessionEvent::ConnectionLost));
    }

    /// The socket being opened is gone. During a rollover the live socket carries on and
    /// the rollover is tried again after the same backoff as a reconnect; otherwise the
    /// session reconnects.
    fn opening_failed(&mut self, now: Instant, actions: &mut Vec<Action>) {
        if self.state.live().is_some() {
            self.rollover.failed(now);
        } else {
            self.schedule_reconnect(now, actions);
        }
    }

    /// The next reconnection attempt, after the backoff; or the end, once no socket has
    /// been healthy for [`GIVE_UP_AFTER`].
    fn schedule_reconnect(&mut self, now: Instant, actions: &mut Vec<Action>) {
        let since = *self.unhealthy_since.get_or_insert(now);
        if now.saturating_duration_since(since) >= GIVE_UP_AFTER {
            let reason = EndReason::GaveUp {
                attempts: self.attempts,
                last_error: self.last_error.clone().unwrap_or_default(),
            };
            return self.end(reason, actions);
        }
        self.reconnect_at = Some(now + reconnect_delay(self.attempts));
        self.attempts = self.attempts.saturating_add(1);
    }

    /// The participant left. While a socket serves, what the chat still sends is
    /// delivered until `chat.ended` or [`LEAVE_GRACE`] (a socket being opened to roll
    /// over to is closed); otherwise the session ends at once.
    fn leave(&mut self, now: Instant, actions: &mut Vec<Action>) {
        match std::mem::replace(&mut self.state, State::Ended) {
            State::Live { live, next } => {
                if let Some(next) = next {
                    actions.push(Action::Close(next.id));
                }
                self.state = State::Leaving {
                    live,
                    until: now + LEAVE_GRACE,
                };
            }
            other => {
                self.state = other;
                self.end(EndReason::Disconnected, actions);
            }
        }
    }

    /// Closes every socket and waits for [`Input::Resume`]; a connection being created
    /// is left to finish (its URL is opened on resuming, if still fresh).
    fn suspend(&mut self, actions: &mut Vec<Action>) {
        if matches!(self.state, State::Leaving { .. } | State::Suspended) {
            return;
        }
        let before = std::mem::replace(&mut self.state, State::Suspended);
        for socket in before.sockets() {
            actions.push(Action::Close(socket.id));
        }
        self.reconnect_at = None;
        self.rollover.reset();
    }

    /// Reconnects at once after a suspension, as after a loss (the gap is filled once
    /// subscribed), the backoff and the give-up budget starting over.
    fn resume(&mut self, now: Instant) {
        if !matches!(self.state, State::Suspended) {
            return;
        }
        self.state = State::Reconnecting { opening: None };
        self.attempts = 0;
        self.unhealthy_since = None;
        self.reconnect_at = Some(now);
    }

    /// When a session that is leaving ends at the latest.
    fn leave_by(&self) -> Option<Instant> {
        match self.state {
            State::Leaving { until, .. } => Some(until),
            _ => None,
        }
    }

    fn end(&mut self, reason: EndReason, actions: &mut Vec<Action>) {
        let before = std::mem::replace(&mut self.state, State::Ended);
        for socket in before.sockets() {
            actions.push(Action::Close(socket.id));
        }
        actions.push(Action::Emit(SessionEvent::Ended(reason)));
    }

    /// Subscriptions, heartbeats, streams given up, the reconnect timer, rollover and
    /// token refresh.
    fn tick(&mut self, now: Instant, actions: &mut Vec<Action>) {
        for stitched in self.streams.expire(now) {
            self.record_stitched(stitched, actions);
        }
        if let Some(socket) = self.state.opening_mut().filter(|s| s.open) {
            match socket.subscription.poll(now) {
                Next::Send => actions.push(Action::Send(socket.id, frame::SUBSCRIBE)),
                Next::Failed => {
                    let id = socket.id;
                    let error = "the subscription went unanswered".to_owned();
                    self.socket_failed(now, id, error, actions);
                }
                _ => {}
            }
        }
        if let Some(socket) = self.state.live_mut() {
            let id = socket.id;
            match socket.heartbeat.as_mut().map(|h| h.poll(now)) {
                // ChatJS sends both every 10 s; only the heartbeat's reply is tracked.
                Some(Next::Send) => {
                    actions.push(Action::Send(id, frame::HEARTBEAT));
                    actions.push(Action::Send(id, frame::PING));
                }
                Some(Next::Failed) => {
                    let error = "a heartbeat went unanswered".to_owned();
                    self.socket_failed(now, id, error, actions);
                }
                _ => {}
            }
        }
        if let Some(until) = self.leave_by() {
            if now >= until {
                self.end(EndReason::Disconnected, actions);
            }
            return; // Leaving: nothing is reconnected, rolled over or refreshed.
        }
        if matches!(self.state, State::Suspended) {
            return; // Nothing happens until the application resumes.
        }
        if self.ended() || self.creating.is_some() {
            return;
        }
        // The URL may be opened again while it is fresh and the token not about to expire.
        let usable_url = self
            .connection
            .as_ref()
            .filter(|c| c.url_usable(now) && !c.token_refresh_due(now))
            .and(self.url.clone());
        if self.reconnect_at.is_some_and(|at| now >= at) && self.state.opening().is_none() {
            self.reconnect_at = None;
            match usable_url {
                Some(url) => self.open(&url, actions),
                // A join that failed in a way worth retrying is still a join.
                None if self.connection.is_none() => self.create(Purpose::Join, actions),
                None => self.create(Purpose::Reconnect, actions),
            }
            return;
        }
        let Some(connection) = &self.connection else {
            return;
        };
        if self.phase() == Phase::Live && connection.rollover_due(now) && self.rollover.may_try(now)
        {
            // The new socket needs a URL it may still open.
            match usable_url {
                Some(url) => self.open(&url, actions),
                None => self.create(Purpose::Rollover, actions),
            }
        } else if self.state.live().is_some()
            && connection.token_refresh_due(now)
            && self.refresh.may_try(now)
        {
            self.create(Purpose::Refresh, actions);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::event::EVENT_CONTENT_TYPE;

    const WALL: u64 = 1_800_000_000;

    /// A machine and a clock it is driven with.
    struct Drive {
        machine: Machine,
        start: Instant,
    }

    impl Drive {
        fn new() -> Self {
            Drive {
                machine: Machine::new(),
                start: Instant::now(),
            }
        }

        /// A session subscribed on socket 1 at 0 s, URL `wss://one`, token `t` valid `valid` s.
        fn connected(valid: u64) -> Self {
            let mut drive = Drive::new();
            drive.machine.start();
            drive.created(0, "wss://one", "t", valid);
            drive.connect(0, 1);
            drive
        }

        fn at(&self, seconds: u64) -> Instant {
            self.start + Duration::from_secs(seconds)
        }

        fn handle(&mut self, seconds: u64, input: Input) -> Vec<Action> {
            let now = self.at(seconds);
            self.machine.handle(now, input)
        }

        fn poll(&mut self, seconds: u64) -> Vec<Action> {
            let now = self.at(seconds);
            self.machine.poll(now)
        }

        /// `CreateParticipantConnection` answered at `seconds`, its token valid `valid` s.
        fn created(&mut self, seconds: u64, url: &str, token: &str, valid: u64) -> Vec<Action> {
            let expiry = awsgen_runtime::DateTime::from_secs((WALL + seconds + valid) as i64);
            let wall_now = SystemTime::UNIX_EPOCH + Duration::from_secs(WALL + seconds);
            self.handle(
                seconds,
                Input::Created {
                    url: url.to_owned(),
                    token: token.to_owned(),
                    expiry: Some(expiry.to_iso8601()),
                    wall_now,
                },
            )
        }

        /// Polls every 10 s from `from` to `to`, answering each heartbeat on socket `id`.
        fn keep_alive(&mut self, from: u64, to: u64, id: SocketId) {
            for second in (from..=to).step_by(10) {
                let actions = self.poll(second);
                if !actions.is_empty() {
                    assert_eq!(actions, beat(id), "at {second} s");
                    self.handle(second, Input::Text(id, frame::HEARTBEAT.into()));
                }
            }
        }

        /// Opens and subscribes socket `id` at `seconds`; returns the ack's actions.
        fn connect(&mut self, seconds: u64, id: SocketId) -> Vec<Action> {
            let sent = self.handle(seconds, Input::Opened(id));
            assert_eq!(sent, [Action::Send(id, frame::SUBSCRIBE)]);
            self.handle(seconds, Input::Text(id, ack(true)))
        }
    }

    /// What a heartbeat tick sends on socket `id`.
    fn beat(id: SocketId) -> Vec<Action> {
        vec![
            Action::Send(id, frame::HEARTBEAT),
            Action::Send(id, frame::PING),
        ]
    }

    fn failed(kind: Failure) -> Input {
        let error = match kind {
            Failure::Refused => "refused",
            _ => "failed",
        };
        Input::CreateFailed {
            kind,
            error: error.into(),
        }
    }

    fn ack(success: bool) -> String {
        let status = if success { "success" } else { "failure" };
        format!(
            r#"{{"topic":"aws/subscribe","content":{{"status":"{status}","topics":["aws/chat"]}}}}"#
        )
    }

    fn chat(id: &str, second: u64, content_type: &str, content: &str) -> String {
        let item = serde_json::json!({
            "Id": id, "Type": "MESSAGE", "ContentType": content_type, "Content": content,
            "AbsoluteTime": awsgen_runtime::DateTime::from_secs((WALL + second) as i64).to_iso8601(),
        });
        serde_json::json!({"topic": "aws/chat", "content": item.to_string()}).to_string()
    }

    fn item(id: &str, second: u64) -> Item {
        let Ok(Incoming::Chat(item)) = frame::parse(&chat(id, second, "text/plain", id)) else {
            unreachable!("a chat frame")
        };
        *item
    }

    fn emitted(actions: &[Action]) -> Vec<String> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::Emit(SessionEvent::Chat(event)) => {
                    Some(event.item().id().unwrap_or("?").to_owned())
                }
                Action::Emit(other) => Some(format!("{other:?}")),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_session_connects_subscribes_and_emits_each_item_once() {
        let mut drive = Drive::new();
        assert_eq!(drive.machine.start(), [Action::CreateConnection]);
        let opened = drive.created(0, "wss://one", "token-1", 3_600);
        assert_eq!(
            opened,
            [Action::Open {
                id: 1,
                url: "wss://one".into()
            }]
        );
        assert_eq!(drive.machine.token(), Some("token-1"));
        assert_eq!(
            drive.connect(0, 1),
            [Action::Emit(SessionEvent::Connected)],
            "a first connection: ready, nothing to restore"
        );

        let got = drive.handle(1, Input::Text(1, chat("m1", 1, "text/plain", "hi")));
        assert_eq!(emitted(&got), ["m1"]);
        // The same item again (the service repeats itself): nothing.
        assert!(drive
            .handle(2, Input::Text(1, chat("m1", 1, "text/plain", "hi")))
            .is_empty());
        // A streamed reply's next chunk: an update.
        assert_eq!(
            emitted(&drive.handle(3, Input::Text(1, chat("m1", 1, "text/plain", "hi there")))),
            ["m1"]
        );
        // Garbage and unknown topics change nothing.
        assert!(drive
            .handle(3, Input::Text(1, "not json".into()))
            .is_empty());
        assert_eq!(drive.machine.timeline().len(), 1);
    }

    #[test]
    fn a_refused_subscription_is_retried_on_a_new_socket_after_backoff() {
        let mut drive = Drive::new();
        drive.machine.start();
        drive.created(0, "wss://one", "t", 3_600);
        drive.handle(0, Input::Opened(1));
        let refused = drive.handle(0, Input::Text(1, ack(false)));
        assert_eq!(refused, [Action::Close(1)]);
        assert_eq!(drive.machine.next_wakeup(drive.at(0)), Some(drive.at(2)));
        assert!(drive.poll(1).is_empty());
        assert_eq!(
            drive.poll(2),
            [Action::Open {
                id: 2,
                url: "wss://one".into()
            }]
        );
    }

    #[test]
    fn an_unanswered_subscribe_is_sent_three_times_then_the_socket_is_replaced() {
        let mut drive = Drive::new();
        drive.machine.start();
        drive.created(0, "wss://one", "t", 3_600);
        assert_eq!(
            drive.handle(0, Input::Opened(1)),
            [Action::Send(1, frame::SUBSCRIBE)]
        );
        assert_eq!(drive.poll(1), [Action::Send(1, frame::SUBSCRIBE)]);
        assert_eq!(drive.poll(2), [Action::Send(1, frame::SUBSCRIBE)]);
        assert_eq!(drive.poll(3), [Action::Close(1)]);
        assert_eq!(
            drive.poll(5),
            [Action::Open {
                id: 2,
                url: "wss://one".into()
            }]
        );
    }

    #[test]
    fn a_missed_heartbeat_reconnects_and_the_transcript_fills_the_gap() {
        let mut drive = Drive::connected(3_600);
        drive.handle(1, Input::Text(1, chat("m1", 1, "text/plain", "m1")));
        assert_eq!(drive.poll(10), beat(1));
        drive.handle(10, Input::Text(1, frame::HEARTBEAT.into()));
        assert_eq!(drive.poll(20), beat(1));
        // No answer: at the next tick the socket is dead.
        let lost = drive.poll(30);
        assert_eq!(lost[0], Action::Close(1));
        assert_eq!(emitted(&lost), ["ConnectionLost"]);
        // Backoff 2 s; the URL is 32 s old, so it is opened again.
        assert_eq!(
            drive.poll(32),
            [Action::Open {
                id: 2,
                url: "wss://one".into()
            }]
        );
        let restored = drive.connect(32, 2);
        assert_eq!(emitted(&restored), ["ConnectionRestored"]);
        // Read from the newest item seen.
        assert!(restored.contains(&Action::FetchTranscript {
            after: Some("m1".into())
        }));
        // Messages 2 and 3 were sent during the outage; the transcript has 1, 2 and 3.
        let filled = drive.handle(
            33,
            Input::TranscriptPage(vec![item("m1", 1), item("m2", 25), item("m3", 31)]),
        );
        assert_eq!(emitted(&filled), ["m2", "m3"]);
        assert!(drive.handle(33, Input::TranscriptDone(Ok(()))).is_empty());
        let order: Vec<_> = drive
            .machine
            .timeline()
            .items()
            .map(|i| i.id().unwrap())
            .collect();
        assert_eq!(order, ["m1", "m2", "m3"]);
    }

    #[test]
    fn after_a_long_outage_a_new_url_is_fetched_and_backoff_grows() {
        let mut drive = Drive::connected(7_200);
        drive.handle(100, Input::Closed(1));
        // The URL is 102 s old at the retry: a new connection is created first.
        assert_eq!(drive.poll(102), [Action::CreateConnection]);
        // That fails (not a refusal): the next try waits 4 s.
        assert!(drive.handle(103, failed(Failure::Transient)).is_empty());
        assert!(drive.poll(106).is_empty());
        assert_eq!(drive.poll(107), [Action::CreateConnection]);
        assert_eq!(
            drive.created(107, "wss://two", "t2", 7_200),
            [Action::Open {
                id: 2,
                url: "wss://two".into()
            }]
        );
        assert_eq!(emitted(&drive.connect(108, 2)), ["ConnectionRestored"]);
        assert_eq!(drive.machine.token(), Some("t2"));
    }

    #[test]
    fn a_refusal_while_reconnecting_ends_the_chat() {
        let mut drive = Drive::connected(7_200);
        drive.handle(100, Input::Closed(1));
        drive.poll(102);
        let ended = drive.handle(102, failed(Failure::Refused));
        assert_eq!(
            ended,
            [Action::Emit(SessionEvent::Ended(EndReason::TokenRefused(
                "refused".into()
            )))]
        );
        assert!(drive.machine.ended());
        assert!(drive.poll(200).is_empty());
        assert_eq!(drive.machine.next_wakeup(drive.at(200)), None);
    }

    #[test]
    fn the_socket_rolls_over_before_an_hour_without_duplicates() {
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Text(1, chat("m1", 5, "text/plain", "one")));
        drive.keep_alive(10, 59 * 60 - 10, 1);
        let due = 59 * 60;
        let actions = drive.poll(due);
        assert!(actions.contains(&Action::CreateConnection), "{actions:?}");
        let opened = drive.created(due, "wss://two", "t", 7_200);
        assert_eq!(
            opened,
            [Action::Open {
                id: 2,
                url: "wss://two".into()
            }]
        );
        // Both sockets deliver the same item meanwhile: shown once.
        assert_eq!(
            emitted(&drive.handle(due, Input::Text(1, chat("m2", due, "text/plain", "two")))),
            ["m2"]
        );
        let switched = drive.connect(due + 1, 2);
        assert_eq!(
            switched,
            [Action::Close(1)],
            "the old socket closes once the new one is subscribed"
        );
        assert!(drive
            .handle(
                due + 1,
                Input::Text(2, chat("m2", due, "text/plain", "two"))
            )
            .is_empty());
        assert_eq!(drive.machine.timeline().len(), 2);
    }

    #[test]
    fn the_phase_names_where_the_session_is() {
        let mut drive = Drive::new();
        assert_eq!(drive.machine.phase(), Phase::Connecting);
        drive.machine.start();
        drive.created(0, "wss://one", "t", 7_200);
        assert_eq!(drive.machine.phase(), Phase::Subscribing);
        drive.connect(0, 1);
        assert_eq!(drive.machine.phase(), Phase::Live);
        drive.keep_alive(10, 59 * 60 - 10, 1);
        drive.poll(59 * 60);
        drive.created(59 * 60, "wss://two", "t", 7_200);
        assert_eq!(drive.machine.phase(), Phase::RollingOver);
        // The live socket is lost mid-rollover: the new one carries on as the reconnection.
        let lost = drive.handle(59 * 60, Input::Closed(1));
        assert_eq!(emitted(&lost), ["ConnectionLost"]);
        assert_eq!(drive.machine.phase(), Phase::Reconnecting);
        assert_eq!(
            emitted(&drive.connect(59 * 60 + 1, 2)),
            ["ConnectionRestored"]
        );
        assert_eq!(drive.machine.phase(), Phase::Live);
        drive.handle(59 * 60 + 2, Input::Disconnected);
        assert_eq!(drive.machine.phase(), Phase::Leaving);
        let ended = drive.poll(59 * 60 + 2 + LEAVE_GRACE.as_secs());
        assert_eq!(ended_with(&ended), Some(&EndReason::Disconnected));
        assert_eq!(drive.machine.phase(), Phase::Ended);
        assert_eq!(drive.machine.timers().count(), 0);
    }

    /// A chunk of streamed reply `id` as the socket sends it.
    fn chunk(id: &str, number: u64, completed: bool, content: &str) -> String {
        let item = serde_json::json!({
            "Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": content,
            "ParticipantRole": "SYSTEM", "AbsoluteTime": "2026-12-01T12:00:01.000Z",
            "MessageMetadata": {"MessageId": id, "ChunkNumber": number, "MessageCompleted": completed},
        });
        serde_json::json!({"topic": "aws/chat", "content": item.to_string()}).to_string()
    }

    /// What each chat update shows: content and stream state.
    fn streamed(actions: &[Action]) -> Vec<(String, Option<Streaming>)> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::Emit(SessionEvent::Chat(update)) => Some((
                    update.item().content().unwrap_or_default().to_owned(),
                    update.streaming,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_streamed_reply_is_stitched_one_event_per_visible_change() {
        let mut drive = Drive::connected(7_200);
        let mut shown = Vec::new();
        for (number, content) in [(2, "lo"), (1, "Hel"), (1, "Hel"), (3, "!")] {
            let text = chunk("r1", number, false, content);
            shown.extend(streamed(&drive.handle(1, Input::Text(1, text))));
        }
        let done = chunk("r1", 4, true, "Hello!");
        shown.extend(streamed(&drive.handle(2, Input::Text(1, done))));
        let in_progress = Some(Streaming::InProgress);
        assert_eq!(
            shown,
            [
                ("Hello".to_owned(), in_progress),
                ("Hello!".to_owned(), in_progress),
                ("Hello!".to_owned(), Some(Streaming::Completed)),
            ]
        );
        assert_eq!(drive.machine.timeline().len(), 1);
    }

    #[test]
    fn a_stream_never_completed_is_shown_abandoned_after_the_timeout() {
        let mut drive = Drive::connected(7_200);
        drive.handle(1, Input::Text(1, chunk("r1", 1, false, "half")));
        assert!(drive
            .machine
            .timers()
            .any(|(timer, _)| timer == Timer::Stream));
        drive.keep_alive(10, 60, 1);
        let given_up = drive.poll(61);
        assert_eq!(
            streamed(&given_up),
            [("half".to_owned(), Some(Streaming::Abandoned))]
        );
        assert!(!drive
            .machine
            .timers()
            .any(|(timer, _)| timer == Timer::Stream));
    }

    #[test]
    fn a_suspended_session_has_no_socket_and_no_timer_and_resumes_filling_the_gap() {
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Text(1, chat("m1", 5, "text/plain", "one")));
        assert_eq!(drive.handle(6, Input::Suspend), [Action::Close(1)]);
        assert_eq!(drive.machine.phase(), Phase::Suspended);
        assert_eq!(drive.machine.timers().count(), 0);
        assert!(drive.poll(3_000).is_empty(), "nothing while suspended");
        // An hour later: the URL is stale, so a new connection, then the gap.
        let resumed = drive.handle(3_600, Input::Resume);
        assert_eq!(resumed, [Action::CreateConnection]);
        drive.created(3_601, "wss://two", "t2", 7_200);
        let restored = drive.connect(3_601, 2);
        assert_eq!(emitted(&restored), ["ConnectionRestored"]);
        assert!(restored.contains(&Action::FetchTranscript {
            after: Some("m1".into())
        }));
        assert_eq!(drive.machine.phase(), Phase::Live);
    }

    #[test]
    fn after_leaving_the_chat_is_delivered_until_chat_ended() {
        assert_eq!(LEAVE_GRACE, Duration::from_secs(10), "as the docs say");
        let mut drive = Drive::connected(7_200);
        assert!(drive.handle(5, Input::Disconnected).is_empty());
        assert!(drive
            .machine
            .timers()
            .any(|(timer, at)| timer == Timer::Leave && at == drive.at(5 + LEAVE_GRACE.as_secs())));
        // Heartbeats go on; a post-chat survey arrives, then the end.
        assert_eq!(drive.poll(10), beat(1));
        drive.handle(10, Input::Text(1, frame::HEARTBEAT.into()));
        let survey = drive.handle(11, Input::Text(1, chat("s1", 11, "text/plain", "Rate us?")));
        assert_eq!(emitted(&survey), ["s1"]);
        let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
        let end = drive.handle(12, Input::Text(1, chat("e1", 12, &ended, "")));
        assert_eq!(emitted(&end), ["e1", "Ended(Disconnected)"]);
        assert!(end.contains(&Action::Close(1)));
        assert!(drive.poll(60).is_empty());
    }

    #[test]
    fn leaving_ends_at_once_when_no_socket_serves_or_the_socket_goes() {
        // Reconnecting when the participant leaves: nothing to deliver.
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Closed(1));
        let left = drive.handle(6, Input::Disconnected);
        assert_eq!(ended_with(&left), Some(&EndReason::Disconnected));
        // Leaving, and the socket closes: the end, with no reconnection.
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Disconnected);
        let closed = drive.handle(6, Input::Closed(1));
        assert_eq!(ended_with(&closed), Some(&EndReason::Disconnected));
        assert!(!closed.contains(&Action::CreateConnection), "{closed:?}");
        // Told twice: the second ends at once.
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Disconnected);
        let again = drive.handle(6, Input::Disconnected);
        assert_eq!(ended_with(&again), Some(&EndReason::Disconnected));
    }

    #[test]
    fn a_failed_rollover_is_retried_after_backoff_while_the_old_socket_serves() {
        let mut drive = Drive::connected(7_200);
        drive.keep_alive(10, 59 * 60 - 10, 1);
        let due = 59 * 60;
        drive.poll(due);
        drive.created(due, "wss://two", "t", 7_200);
        // The new socket is refused: closed, the old one stays, no loss is reported.
        drive.handle(due, Input::Opened(2));
        assert_eq!(
            drive.handle(due, Input::Text(2, ack(false))),
            [Action::Close(2)]
        );
        assert_eq!(
            drive.machine.next_wakeup(drive.at(due)),
            Some(drive.at(due + 2))
        );
        assert!(drive.poll(due + 1).is_empty(), "not again at once");
        let open = |id: SocketId| Action::Open {
            id,
            url: "wss://two".into(),
        };
        assert_eq!(drive.poll(due + 2), [open(3)]);
        // The next fails before it opens: the wait doubles.
        // (A socket the machine stops tracking is always closed, even a failed one.)
        assert_eq!(drive.handle(due + 2, Input::Closed(3)), [Action::Close(3)]);
        assert!(drive.poll(due + 5).is_empty());
        assert_eq!(drive.poll(due + 6), [open(4)]);
        // The old socket still delivers meanwhile.
        assert_eq!(
            emitted(&drive.handle(due + 6, Input::Text(1, chat("m1", due, "text/plain", "hi")))),
            ["m1"]
        );
        assert_eq!(drive.connect(due + 7, 4), [Action::Close(1)]);
        // A later rollover starts from the first delay again.
        let next = due + 7 + 59 * 60;
        drive.keep_alive(due + 17, next - 1, 4);
        assert!(drive.poll(next).contains(&Action::CreateConnection));
        drive.created(next, "wss://two", "t", 7_200);
        drive.handle(next, Input::Closed(5));
        assert_eq!(
            drive.machine.next_wakeup(drive.at(next)),
            Some(drive.at(next + 2))
        );
    }

    #[test]
    fn the_token_is_refreshed_a_minute_before_it_expires_without_reconnecting() {
        let mut drive = Drive::new();
        drive.machine.start();
        drive.created(0, "wss://one", "token-1", 600);
        drive.connect(0, 1);
        assert_eq!(drive.machine.next_wakeup(drive.at(0)), Some(drive.at(10)));
        drive.keep_alive(10, 530, 1);
        assert!(!drive.poll(539).contains(&Action::CreateConnection));
        assert!(drive.poll(540).contains(&Action::CreateConnection));
        let refreshed = drive.created(541, "wss://fresh", "token-2", 600);
        assert!(refreshed.is_empty(), "the socket stays: {refreshed:?}");
        assert_eq!(drive.machine.token(), Some("token-2"));
    }

    /// A wakeup is always in the future: one at the current instant would make a driver
    /// whose clock does not move (a test's) poll forever.
    #[test]
    fn the_next_wakeup_is_strictly_later() {
        let mut drive = Drive::connected(600);
        for second in [0, 10, 20, 539, 540] {
            let now = drive.at(second);
            drive.machine.poll(now);
            drive.handle(second, Input::Text(1, frame::HEARTBEAT.into()));
            if let Some(at) = drive.machine.next_wakeup(now) {
                assert!(at > now, "a wakeup at {second} s is not later");
            }
        }
    }

    /// The timers read the state they belong to: a live socket's heartbeat and the
    /// connection's own deadline; after a loss, the reconnection; once over, none.
    #[test]
    fn the_timers_name_what_is_pending() {
        let mut drive = Drive::connected(3_600);
        let named = |drive: &Drive| {
            let mut timers: Vec<Timer> = drive.machine.timers().map(|(timer, _)| timer).collect();
            timers.sort_by_key(|t| format!("{t:?}"));
            timers
        };
        assert_eq!(named(&drive), [Timer::Connection, Timer::Heartbeat(1)]);
        let heartbeat = drive
            .machine
            .timers()
            .find(|(timer, _)| *timer == Timer::Heartbeat(1))
            .map(|(_, at)| at);
        assert_eq!(heartbeat, Some(drive.at(10)));
        drive.poll(10);
        drive.poll(20); // unanswered: the socket is lost at the next tick
        assert_eq!(named(&drive), [Timer::Connection, Timer::Reconnect]);
        assert_eq!(drive.machine.next_wakeup(drive.at(20)), Some(drive.at(22)));
        drive.handle(21, Input::Disconnected);
        assert_eq!(named(&drive), []);
        assert_eq!(drive.machine.next_wakeup(drive.at(21)), None);
    }

    #[test]
    fn chat_ended_ends_the_session() {
        let mut drive = Drive::connected(3_600);
        let ended_type = format!("{EVENT_CONTENT_TYPE}chat.ended");
        let actions = drive.handle(5, Input::Text(1, chat("e1", 5, &ended_type, "")));
        assert_eq!(emitted(&actions), ["e1", "Ended(ChatEnded)"]);
        assert!(actions.contains(&Action::Close(1)));
        assert!(drive
            .handle(6, Input::Text(1, chat("m9", 6, "text/plain", "late")))
            .is_empty());
    }

    fn ended_with(actions: &[Action]) -> Option<&EndReason> {
        actions.iter().find_map(|a| match a {
            Action::Emit(SessionEvent::Ended(reason)) => Some(reason),
            _ => None,
        })
    }

    #[test]
    fn a_refused_upgrade_asks_once_for_a_fresh_url_then_ends() {
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Closed(1));
        assert_eq!(
            drive.poll(7),
            [Action::Open {
                id: 2,
                url: "wss://one".into()
            }]
        );
        let refused = Input::OpenFailed {
            id: 2,
            refused: true,
            error: "HTTP 403".into(),
        };
        // At once, without backoff: a fresh URL tells an expired URL from a revoked token.
        assert_eq!(
            drive.handle(7, refused),
            [Action::Close(2), Action::CreateConnection]
        );
        drive.created(7, "wss://two", "t2", 7_200);
        let again = Input::OpenFailed {
            id: 3,
            refused: true,
            error: "HTTP 403".into(),
        };
        let ended = drive.handle(8, again);
        assert!(
            matches!(ended_with(&ended), Some(EndReason::TokenRefused(why)) if why.contains("fresh URL")),
            "{ended:?}"
        );
        assert!(drive.machine.ended());
    }

    #[test]
    fn a_refusal_frame_on_the_live_socket_closes_it_and_asks_for_a_fresh_url() {
        let mut drive = Drive::connected(7_200);
        let refused = drive.handle(5, Input::Text(1, r#"{"message":"Forbidden"}"#.into()));
        assert_eq!(
            refused,
            [
                Action::Close(1),
                Action::Emit(SessionEvent::ConnectionLost),
                Action::CreateConnection
            ]
        );
        // Refused by CreateParticipantConnection too: over, with the service's reason.
        let ended = drive.handle(6, failed(Failure::Refused));
        assert_eq!(
            ended_with(&ended),
            Some(&EndReason::TokenRefused("refused".into()))
        );
    }

    #[test]
    fn a_join_that_cannot_succeed_ends_at_once_and_a_throttled_one_is_retried() {
        let mut drive = Drive::new();
        drive.machine.start();
        let ended = drive.handle(1, failed(Failure::Other));
        assert_eq!(
            ended_with(&ended),
            Some(&EndReason::JoinFailed("failed".into()))
        );

        let mut drive = Drive::new();
        drive.machine.start();
        assert!(drive.handle(0, failed(Failure::Transient)).is_empty());
        assert!(drive.poll(1).is_empty());
        assert_eq!(drive.poll(2), [Action::CreateConnection]);
        // Still the join: a failure that retrying cannot mend ends it.
        let ended = drive.handle(2, failed(Failure::Other));
        assert!(matches!(ended_with(&ended), Some(EndReason::JoinFailed(_))));
    }

    #[test]
    fn reconnecting_gives_up_after_the_budget_with_the_last_error() {
        let mut drive = Drive::connected(7_200);
        drive.handle(10, Input::Closed(1));
        let mut second = 10;
        let mut ended = None;
        while second < 10 + GIVE_UP_AFTER.as_secs() + 60 && ended.is_none() {
            second += 1;
            let mut work = drive.poll(second);
            while let Some(action) = work.pop() {
                let next = match action {
                    Action::Open { id, .. } => {
                        let error = "connection refused".to_owned();
                        drive.handle(
                            second,
                            Input::OpenFailed {
                                id,
                                refused: false,
                                error,
                            },
                        )
                    }
                    Action::CreateConnection => drive.created(second, "wss://next", "t", 7_200),
                    _ => Vec::new(),
                };
                ended = ended.or(ended_with(&next).cloned().map(|r| (second, r)));
                work.extend(next);
            }
        }
        let (at, reason) = ended.expect("gave up");
        assert!(
            at >= 10 + GIVE_UP_AFTER.as_secs() && at <= 10 + GIVE_UP_AFTER.as_secs() + 30,
            "{at}"
        );
        let EndReason::GaveUp {
            attempts,
            last_error,
        } = reason
        else {
            panic!("{reason:?}")
        };
        assert!((10..=20).contains(&attempts), "{attempts}");
        assert_eq!(last_error, "connection refused");
    }

    #[test]
    fn the_backoff_starts_over_only_after_a_heartbeat_cycle() {
        let mut drive = Drive::connected(7_200);
        // Subscribes, then drops before its first heartbeat, again and again.
        drive.handle(10, Input::Closed(1));
        let mut at = 10;
        let mut waits = Vec::new();
        for id in 2..=5 {
            let wakeup = drive.machine.next_wakeup(drive.at(at)).unwrap();
            let next = at + (wakeup - drive.at(at)).as_secs();
            waits.push(next - at);
            assert!(matches!(drive.poll(next).as_slice(), [Action::Open { .. }]));
            drive.connect(next, id);
            drive.handle(next + 1, Input::Closed(id));
            at = next + 1;
        }
        assert_eq!(waits, [2, 4, 8, 16], "no reset at each subscription");
        // This one stays: heartbeat answered, so the next loss waits 2 s again.
        let next = at + 30;
        drive.poll(next);
        drive.connect(next, 6);
        assert_eq!(drive.poll(next + 10), beat(6));
        drive.handle(next + 10, Input::Text(6, frame::HEARTBEAT.into()));
        drive.handle(next + 11, Input::Closed(6));
        assert_eq!(
            drive.machine.next_wakeup(drive.at(next + 11)),
            Some(drive.at(next + 13))
        );
    }

    #[test]
    fn an_expiry_in_the_past_is_refreshed_with_backoff_not_in_a_loop() {
        let mut drive = Drive::new();
        drive.machine.start();
        let expiry = awsgen_runtime::DateTime::from_secs((WALL - 10) as i64).to_iso8601();
        // The same expiry each time, read at the wall-clock time of each answer.
        let created = |second: u64| Input::Created {
            url: "wss://one".into(),
            token: "t".into(),
            expiry: Some(expiry.clone()),
            wall_now: SystemTime::UNIX_EPOCH + Duration::from_secs(WALL + second),
        };
        drive.handle(0, created(0));
        let connected = drive.connect(0, 1);
        assert!(
            connected.contains(&Action::CreateConnection),
            "due at once: {connected:?}"
        );
        // The service answers with the same expiry: not accepted, asked again after 2 s, 4 s…
        assert!(drive.handle(0, created(0)).is_empty());
        assert_eq!(drive.machine.token(), Some("t"));
        let mut creations = Vec::new();
        for second in 1..=20 {
            let mut actions = drive.poll(second);
            actions.extend(drive.handle(second, Input::Text(1, frame::HEARTBEAT.into())));
            if actions.contains(&Action::CreateConnection) {
                creations.push(second);
                let answered = drive.handle(second, created(second));
                assert!(
                    !answered.contains(&Action::CreateConnection),
                    "at {second} s"
                );
            }
        }
        assert_eq!(creations, [2, 6, 14]);
        assert_eq!(
            drive.machine.state.live().map(|s| s.id),
            Some(1),
            "the socket stays"
        );
    }

    #[test]
    fn a_failed_refresh_leaves_the_live_socket_alone() {
        let mut drive = Drive::connected(600);
        drive.keep_alive(10, 530, 1);
        assert!(drive.poll(540).contains(&Action::CreateConnection));
        let after = drive.handle(541, failed(Failure::Transient));
        assert!(after.is_empty(), "no loss, no reconnect: {after:?}");
        assert_eq!(
            drive.machine.next_wakeup(drive.at(541)),
            Some(drive.at(543))
        );
        assert!(drive.poll(543).contains(&Action::CreateConnection));
    }

    #[test]
    fn every_socket_it_stops_tracking_is_closed() {
        let mut drive = Drive::connected(7_200);
        drive.handle(5, Input::Closed(1));
        // Socket 2 is being opened when a newer URL arrives (a refusal asked for one).
        assert_eq!(
            drive.poll(7),
            [Action::Open {
                id: 2,
                url: "wss://one".into()
            }]
        );
        drive.handle(7, Input::Text(2, r#"{"message":"Forbidden"}"#.into()));
        // A subscribe answer on an unknown socket does not discard the one being opened.
        let created = drive.created(8, "wss://two", "t2", 7_200);
        assert_eq!(
            created,
            [Action::Open {
                id: 3,
                url: "wss://two".into()
            }]
        );
        drive.handle(8, Input::Opened(3));
        assert!(drive.handle(8, Input::Text(99, ack(true))).is_empty());
        assert_eq!(
            emitted(&drive.handle(8, Input::Text(3, ack(true)))),
            ["ConnectionRestored"]
        );
    }

    #[test]
    fn lagged_items_are_forgotten_and_read_again_one_fill_at_a_time() {
        let mut drive = Drive::connected(7_200);
        for (n, id) in ["m1", "m2", "m3"].iter().enumerate() {
            drive.handle(1, Input::Text(1, chat(id, n as u64 + 1, "text/plain", id)));
        }
        let fill = drive.handle(2, Input::Lagged(vec!["m2".into(), "m3".into()]));
        assert_eq!(
            fill,
            [Action::FetchTranscript {
                after: Some("m1".into())
            }]
        );
        // Another lag while that read runs: queued, not a second read.
        assert!(drive.handle(2, Input::Lagged(vec![])).is_empty());
        let page = drive.handle(
            3,
            Input::TranscriptPage(vec![item("m1", 1), item("m2", 2), item("m3", 3)]),
        );
        assert_eq!(emitted(&page), ["m2", "m3"]);
        let done = drive.handle(3, Input::TranscriptDone(Err("cut".into())));
        assert_eq!(
            done,
            [
                Action::Emit(SessionEvent::GapNotFilled("cut".into())),
                Action::FetchTranscript { after: None }
            ]
        );
    }
}
