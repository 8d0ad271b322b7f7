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
//! `chat.ended` or on a refusal (403) while reconnecting. Every item goes through one
//! [`Timeline`], so nothing is shown twice across sockets and reconnects.

use std::time::{Instant, SystemTime};

use connectparticipant::types::Item;

use crate::backoff::reconnect_delay;
use crate::event::ChatEvent;
use crate::frame::{self, Incoming};
use crate::lifecycle::{Connection, Heartbeat, Next, Subscription};
use crate::timeline::{Change, Timeline};

/// A socket, by the number the machine gave it.
pub type SocketId = u64;

/// What happened.
#[derive(Debug, Clone)]
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
    /// `CreateParticipantConnection` failed; `forbidden` when the service refused (403).
    CreateFailed {
        /// The service refused the participant token: the chat is over.
        forbidden: bool,
    },
    /// A socket opened.
    Opened(SocketId),
    /// A socket sent a text frame.
    Text(SocketId, String),
    /// A socket closed, or could not be opened.
    Closed(SocketId),
    /// The transcript (every page) after a reconnect, to fill the gap.
    Transcript(Vec<Item>),
}

/// What to do.
#[derive(Debug, Clone, PartialEq)]
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
    /// Close a socket.
    Close(SocketId),
    /// Read the whole transcript and hand it back as [`Input::Transcript`].
    FetchTranscript,
    /// Give the user an event.
    Emit(SessionEvent),
}

/// What the user of a session sees.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// Subscribed for the first time: the session is ready to send and receive.
    Connected,
    /// A message or event of the chat, new or updated.
    Chat(Box<ChatEvent>),
    /// The socket was lost; the session is reconnecting.
    ConnectionLost,
    /// The session is connected again (and the gap is being filled).
    ConnectionRestored,
    /// The chat is over: no more events.
    Ended,
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
}

/// The session's state, told what happens and what time it is.
#[derive(Debug, Clone)]
pub struct Machine {
    connection: Option<Connection>,
    url: Option<String>,
    token: Option<String>,
    /// The subscribed socket, and during a rollover or a reconnect the one being opened.
    live: Option<Socket>,
    opening: Option<Socket>,
    next_id: SocketId,
    /// After a loss: when to try again, and how many tries so far.
    reconnect_at: Option<Instant>,
    attempts: u32,
    /// After a rollover's new socket failed (the old one still serves): when to try
    /// again, and how many failures so far.
    rollover_retry_at: Option<Instant>,
    rollover_failures: u32,
    lost: bool,
    /// Whether a socket was ever subscribed.
    connected: bool,
    /// A token refresh is under way (its `Created` updates the token, nothing else).
    refreshing: bool,
    creating: bool,
    ended: bool,
    timeline: Timeline,
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
            live: None,
            opening: None,
            next_id: 0,
            reconnect_at: None,
            attempts: 0,
            rollover_retry_at: None,
            rollover_failures: 0,
            lost: false,
            connected: false,
            refreshing: false,
            creating: false,
            ended: false,
            timeline: Timeline::new(),
        }
    }

    /// The first thing to do: create the connection.
    pub fn start(&mut self) -> Vec<Action> {
        self.creating = true;
        vec![Action::CreateConnection]
    }

    /// The connection token for the REST calls (send a message, an event, disconnect).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether the chat is over.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// The chat so far.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Handles what happened at `now`, then whatever time requires.
    pub fn handle(&mut self, now: Instant, input: Input) -> Vec<Action> {
        if self.ended {
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
                self.creating = false;
                self.token = Some(token);
                self.url = Some(url.clone());
                let mut connection = Connection::created(now, wall_now, expiry.as_deref());
                if let Some(old) = self.connection.as_ref().filter(|_| self.live.is_some()) {
                    // A refresh or a rollover: the live socket serves until another is
                    // subscribed (never, for a refresh), so its hour still counts.
                    connection = old.with_new_credentials(connection);
                }
                self.connection = Some(connection);
                if !std::mem::take(&mut self.refreshing) {
                    self.open(&url, &mut actions);
                }
            }
            Input::CreateFailed { forbidden } => {
                self.creating = false;
                self.refreshing = false;
                if forbidden {
                    self.end(&mut actions);
                } else {
                    self.schedule_reconnect(now);
                }
            }
            Input::Opened(id) => {
                if let Some(socket) = self.opening.as_mut().filter(|s| s.id == id) {
                    socket.open = true;
                    socket.opened_at = Some(now);
                    if socket.subscription.poll(now) == Next::Send {
                        actions.push(Action::Send(id, frame::SUBSCRIBE));
                    }
                }
            }
            Input::Text(id, text) => self.frame(now, id, &text, &mut actions),
            Input::Closed(id) => self.closed(now, id, &mut actions),
            Input::Transcript(items) => {
                for item in items {
                    self.record(item, &mut actions);
                }
            }
        }
        self.tick(now, &mut actions);
        actions
    }

    /// What time requires at `now` (call it when the instant from
    /// [`next_wakeup`](Self::next_wakeup) comes).
    pub fn poll(&mut self, now: Instant) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.ended {
            self.tick(now, &mut actions);
        }
        actions
    }

    /// When to call [`poll`](Self::poll) next, if anything is timed: always after `now`
    /// (what is due at `now` was done by the call that returned the actions).
    pub fn next_wakeup(&self, now: Instant) -> Option<Instant> {
        let mut wakeups = Vec::new();
        wakeups.extend(self.reconnect_at);
        wakeups.extend(self.rollover_retry_at);
        for socket in self.live.iter().chain(&self.opening).filter(|s| s.open) {
            let mut subscription = socket.subscription.clone();
            if let Next::WaitUntil(at) = subscription.poll(now) {
                wakeups.push(at);
            }
            if let Some(Next::WaitUntil(at)) = socket.heartbeat.clone().map(|mut h| h.poll(now)) {
                wakeups.push(at);
            }
        }
        wakeups.extend(self.connection.as_ref().and_then(Connection::next_deadline));
        wakeups
            .into_iter()
            .filter(|at| !self.ended && *at > now)
            .min()
    }

    fn open(&mut self, url: &str, actions: &mut Vec<Action>) {
        self.next_id += 1;
        let id = self.next_id;
        self.opening = Some(Socket {
            id,
            open: false,
            opened_at: None,
            subscription: Subscription::new(),
            heartbeat: None,
        });
        actions.push(Action::Open {
            id,
            url: url.to_owned(),
        });
    }

    fn frame(&mut self, now: Instant, id: SocketId, text: &str, actions: &mut Vec<Action>) {
        let incoming = match frame::parse(text) {
            Ok(incoming) => incoming,
            // A frame that cannot be read is dropped; the socket stays.
            Err(_) => return,
        };
        match incoming {
            Incoming::SubscribeAck { success, .. } => {
                let Some(mut socket) = self.opening.take().filter(|s| s.id == id) else {
                    return;
                };
                socket.subscription.answered(success);
                if !success {
                    actions.push(Action::Close(id));
                    self.opening_failed(now);
                    return;
                }
                socket.heartbeat = Some(Heartbeat::new(now));
                // The rollover clock follows the live socket (not one that failed to
                // subscribe, which would put the live one's rollover off by an hour).
                if let (Some(connection), Some(opened)) = (&mut self.connection, socket.opened_at) {
                    connection.opened(opened);
                }
                if let Some(old) = self.live.replace(socket) {
                    // A rollover: the new socket took over.
                    actions.push(Action::Close(old.id));
                }
                self.attempts = 0;
                self.reconnect_at = None;
                self.rollover_failures = 0;
                self.rollover_retry_at = None;
                if !std::mem::replace(&mut self.connected, true) {
                    self.lost = false;
                    actions.push(Action::Emit(SessionEvent::Connected));
                } else if std::mem::take(&mut self.lost) {
                    actions.push(Action::Emit(SessionEvent::ConnectionRestored));
                    actions.push(Action::FetchTranscript);
                }
            }
            Incoming::Heartbeat => {
                if let Some(h) = self.socket_mut(id).and_then(|s| s.heartbeat.as_mut()) {
                    h.answered();
                }
            }
            Incoming::Chat(item) => self.record(*item, actions),
            Incoming::Refused { .. } => self.closed(now, id, actions),
            _ => {}
        }
    }

    fn socket_mut(&mut self, id: SocketId) -> Option<&mut Socket> {
        self.live
            .as_mut()
            .filter(|s| s.id == id)
            .or(self.opening.as_mut().filter(|s| s.id == id))
    }

    fn record(&mut self, item: Item, actions: &mut Vec<Action>) {
        if self.timeline.insert(item.clone()) == Change::Unchanged {
            return;
        }
        let event = ChatEvent::classify(item);
        let ends = event.ends_chat();
        actions.push(Action::Emit(SessionEvent::Chat(Box::new(event))));
        if ends {
            self.end(actions);
        }
    }

    fn closed(&mut self, now: Instant, id: SocketId, actions: &mut Vec<Action>) {
        if self.opening.as_ref().is_some_and(|s| s.id == id) {
            self.opening_failed(now);
            return;
        }
        if self.live.as_ref().is_some_and(|s| s.id == id) {
            self.live = None;
            actions.push(Action::Close(id));
            if !std::mem::replace(&mut self.lost, true) {
                actions.push(Action::Emit(SessionEvent::ConnectionLost));
            }
            // A socket already being opened (a rollover) takes over when it subscribes.
            if self.opening.is_none() {
                self.schedule_reconnect(now);
            }
        }
    }

    /// The socket being opened is gone. During a rollover the live socket carries on and
    /// the rollover is tried again after the same backoff as a reconnect (a service that
    /// keeps refusing new sockets is not asked again at once); otherwise the session
    /// reconnects.
    fn opening_failed(&mut self, now: Instant) {
        self.opening = None;
        if self.live.is_some() {
            self.rollover_retry_at = Some(now + reconnect_delay(self.rollover_failures));
            self.rollover_failures += 1;
        } else {
            self.schedule_reconnect(now);
        }
    }

    fn schedule_reconnect(&mut self, now: Instant) {
        self.lost = true;
        self.reconnect_at = Some(now + reconnect_delay(self.attempts));
        self.attempts += 1;
    }

    fn end(&mut self, actions: &mut Vec<Action>) {
        self.ended = true;
        for socket in self.live.take().into_iter().chain(self.opening.take()) {
            actions.push(Action::Close(socket.id));
        }
        actions.push(Action::Emit(SessionEvent::Ended));
    }

    /// Subscriptions, heartbeats, the reconnect timer, rollover and token refresh.
    fn tick(&mut self, now: Instant, actions: &mut Vec<Action>) {
        if let Some(socket) = self.opening.as_mut().filter(|s| s.open) {
            match socket.subscription.poll(now) {
                Next::Send => actions.push(Action::Send(socket.id, frame::SUBSCRIBE)),
                Next::Failed => {
                    actions.push(Action::Close(socket.id));
                    self.opening_failed(now);
                }
                _ => {}
            }
        }
        if let Some(socket) = &mut self.live {
            let id = socket.id;
            match socket.heartbeat.as_mut().map(|h| h.poll(now)) {
                // ChatJS sends both every 10 s; only the heartbeat's reply is tracked.
                Some(Next::Send) => {
                    actions.push(Action::Send(id, frame::HEARTBEAT));
                    actions.push(Action::Send(id, frame::PING));
                }
                Some(Next::Failed) => self.closed(now, id, actions),
                _ => {}
            }
        }
        if self.ended {
            return;
        }
        if self.reconnect_at.is_some_and(|at| now >= at) && !self.creating {
            self.reconnect_at = None;
            match (&self.connection, &self.url) {
                (Some(connection), Some(url)) if connection.url_usable(now) => {
                    let url = url.clone();
                    self.open(&url, actions);
                }
                _ => {
                    self.creating = true;
                    actions.push(Action::CreateConnection);
                }
            }
        }
        let Some(connection) = &self.connection else {
            return;
        };
        let rollover_may_retry = self.rollover_retry_at.is_none_or(|at| now >= at);
        if self.live.is_some()
            && self.opening.is_none()
            && connection.rollover_due(now)
            && rollover_may_retry
        {
            // The new socket needs a URL it may still open.
            if connection.url_usable(now) {
                let url = self.url.clone().unwrap_or_default();
                self.open(&url, actions);
            } else if !self.creating {
                self.creating = true;
                actions.push(Action::CreateConnection);
            }
        } else if connection.token_refresh_due(now) && !self.creating {
            self.creating = true;
            self.refreshing = self.live.is_some();
            actions.push(Action::CreateConnection);
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
        assert!(restored.contains(&Action::FetchTranscript));
        // Messages 2 and 3 were sent during the outage; the transcript has 1, 2 and 3.
        let filled = drive.handle(
            33,
            Input::Transcript(vec![item("m1", 1), item("m2", 25), item("m3", 31)]),
        );
        assert_eq!(emitted(&filled), ["m2", "m3"]);
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
        assert!(drive
            .handle(103, Input::CreateFailed { forbidden: false })
            .is_empty());
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
        let ended = drive.handle(102, Input::CreateFailed { forbidden: true });
        assert_eq!(emitted(&ended), ["Ended"]);
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
        assert!(drive.handle(due + 2, Input::Closed(3)).is_empty());
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

    #[test]
    fn chat_ended_ends_the_session() {
        let mut drive = Drive::connected(3_600);
        let ended_type = format!("{EVENT_CONTENT_TYPE}chat.ended");
        let actions = drive.handle(5, Input::Text(1, chat("e1", 5, &ended_type, "")));
        assert_eq!(emitted(&actions), ["e1", "Ended"]);
        assert!(actions.contains(&Action::Close(1)));
        assert!(drive
            .handle(6, Input::Text(1, chat("m9", 6, "text/plain", "late")))
            .is_empty());
    }
}
