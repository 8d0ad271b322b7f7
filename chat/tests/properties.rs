//! Property tests of the chat's protocol core: the frame parser, the timeline and the
//! session machine, over random frames, items and sequences of inputs.
//!
//! `cargo test` runs 1,000 cases of the parser and the timeline and 10,000 sequences of
//! the machine. The long run (over a million cases in all) is
//!
//! ```sh
//! PROPTEST_CASES=400000 cargo test --release -p connectparticipant-chat --test properties
//! ```
//!
//! (the figure applies to each of the four properties: 1,600,000 cases, 370 s on 2 cores;
//! none failed). A case that ever fails is to be kept as a named regression test in the
//! module it concerns.

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

use connectparticipant::types::Item;
use connectparticipant_chat::frame::{self, Incoming, MAX_FRAME};
use connectparticipant_chat::machine::{
    Action, Failure, Input, Machine, SessionEvent, LEAVE_GRACE,
};
use connectparticipant_chat::timeline::{item_size, Change, Timeline, MAX_BYTES, MAX_ITEMS};
use proptest::prelude::*;
use serde_json::json;

/// The number of cases: `PROPTEST_CASES` when set, else `ci`.
fn cases(ci: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ci);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SECRET: &str = "SECRET-CONTENT";

/// An item's JSON: ids from a small pool (so they repeat), times that may be absurd,
/// content that names itself.
fn item_json(id: u8, time: i64, content: &str) -> serde_json::Value {
    let time = match time % 7 {
        0 => "not a time".to_owned(),
        1 => "9999-12-31T23:59:59Z".to_owned(),
        2 => "0001-01-01T00:00:00Z".to_owned(),
        _ => awsgen_runtime::DateTime::from_secs(1_800_000_000 + time).to_iso8601(),
    };
    json!({"Id": format!("i{id}"), "Type": "MESSAGE", "ContentType": "text/plain",
           "Content": content, "AbsoluteTime": time})
}

fn chat_frame(id: u8, time: i64, content: &str) -> String {
    json!({"topic": "aws/chat", "content": item_json(id, time, content).to_string()}).to_string()
}

proptest! {
    #![proptest_config(cases(1_000))]

    /// Any text: no panic, and an error never quotes the frame.
    #[test]
    fn any_text_parses_or_fails_without_quoting_it(text in ".{0,200}", prefix in 0u8..6) {
        let text = match prefix {
            0 => format!("{{\"topic\":\"aws/chat\",\"content\":{text:?}}}"),
            1 => format!("{{\"message\":{text:?}}}"),
            2 => format!("{{\"topic\":{text:?}}}"),
            _ => text,
        };
        let framed = format!("{text}{SECRET}");
        if let Err(error) = frame::parse(&framed) {
            prop_assert!(!error.to_string().contains(SECRET));
        }
    }

    /// A well-formed chat frame gives back exactly its item.
    #[test]
    fn a_chat_frame_gives_back_its_item(id in any::<u8>(), time in any::<i32>(), content in "\\PC{0,100}") {
        let parsed = frame::parse(&chat_frame(id, i64::from(time), &content)).unwrap();
        let Incoming::Chat(item) = parsed else {
            return Err(TestCaseError::fail("not a chat item"));
        };
        let expected = format!("i{id}");
        prop_assert_eq!(item.id(), Some(expected.as_str()));
        prop_assert_eq!(item.content(), Some(content.as_str()));
        let shown = format!("{:?}", frame::parse(&chat_frame(id, 0, SECRET)).unwrap());
        prop_assert!(!shown.contains(SECRET), "{}", shown);
    }

    /// Over random inserts (repeated ids, updates, absurd times): each id once, in
    /// order, within the bounds, the byte count exact.
    #[test]
    fn the_timeline_keeps_each_id_once_in_order_within_bounds(
        inserts in prop::collection::vec((any::<u8>(), any::<i32>(), 0usize..3), 1..400),
    ) {
        let mut timeline = Timeline::new();
        for (id, time, size) in inserts {
            let content = "x".repeat([1, 100, 10_000][size]);
            let item: Item = serde_json::from_value(item_json(id, i64::from(time), &content)).unwrap();
            let again = timeline.insert(item.clone());
            prop_assert!(matches!(again, Change::Added | Change::Updated | Change::Unchanged));
            // The same item at once again is a replay.
            prop_assert_eq!(timeline.insert(item), Change::Unchanged);
        }
        let ids: Vec<_> = timeline.items().map(|i| i.id().unwrap().to_owned()).collect();
        let unique: BTreeSet<_> = ids.iter().collect();
        prop_assert_eq!(unique.len(), ids.len(), "an id twice");
        prop_assert!(timeline.len() <= MAX_ITEMS);
        prop_assert!(timeline.bytes() <= MAX_BYTES || timeline.len() == 1);
        prop_assert_eq!(timeline.items().map(item_size).sum::<usize>(), timeline.bytes());
        let times: Vec<_> = timeline
            .items()
            .map(|i| i.absolute_time().and_then(awsgen_runtime::DateTime::parse_iso8601))
            .collect();
        // Timed items in time order, the untimed last.
        let timed: Vec<_> = times.iter().take_while(|t| t.is_some()).collect();
        prop_assert!(timed.windows(2).all(|w| w[0] <= w[1]), "out of order");
        prop_assert!(times[timed.len()..].iter().all(Option::is_none), "untimed not last");
    }
}

/// One step of a random session: what the driver tells the machine next.
#[derive(Debug, Clone)]
enum Step {
    /// Time passes (seconds), then the machine is polled.
    Wait(u16),
    /// Something happens to a socket: which (an index into the open ones, or an unknown
    /// id), and what.
    Socket(u8, SocketEvent),
    /// The `CreateParticipantConnection` in flight answers (if any).
    Create(u8, u16),
    /// The transcript read in flight sends a page, or ends.
    Transcript(bool, Vec<u8>),
    /// The user fell behind.
    Lagged(Vec<u8>),
    /// The application goes to the background, or comes back.
    Suspend(bool),
    Disconnect,
}

#[derive(Debug, Clone)]
enum SocketEvent {
    Opened,
    OpenFailed(bool),
    Closed,
    Ack(bool),
    Heartbeat,
    Chat(u8, i32),
    Forbidden,
    Garbage,
}

fn step() -> impl Strategy<Value = Step> {
    let socket_event = prop_oneof![
        3 => Just(SocketEvent::Opened),
        1 => any::<bool>().prop_map(SocketEvent::OpenFailed),
        1 => Just(SocketEvent::Closed),
        3 => any::<bool>().prop_map(SocketEvent::Ack),
        3 => Just(SocketEvent::Heartbeat),
        2 => (any::<u8>(), any::<i32>()).prop_map(|(id, t)| SocketEvent::Chat(id, t)),
        1 => Just(SocketEvent::Forbidden),
        1 => Just(SocketEvent::Garbage),
    ];
    prop_oneof![
        4 => prop_oneof![0u16..3, 0u16..40, 0u16..4000].prop_map(Step::Wait),
        8 => (any::<u8>(), socket_event).prop_map(|(s, e)| Step::Socket(s, e)),
        3 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Step::Create(k, v)),
        2 => (any::<bool>(), prop::collection::vec(any::<u8>(), 0..4))
            .prop_map(|(done, ids)| Step::Transcript(done, ids)),
        1 => prop::collection::vec(any::<u8>(), 0..4).prop_map(Step::Lagged),
        1 => any::<bool>().prop_map(Step::Suspend),
        1 => prop_oneof![99 => Just(Step::Wait(1)), 1 => Just(Step::Disconnect)],
    ]
}

/// What a driver would know, and the invariants checked on every answer.
struct World {
    machine: Machine,
    start: Instant,
    now: Instant,
    /// Sockets asked to open and not yet closed.
    open: BTreeSet<u64>,
    creating: bool,
    filling: bool,
    ended: bool,
}

impl World {
    fn apply(&mut self, actions: Vec<Action>) -> Result<(), TestCaseError> {
        if self.ended {
            prop_assert!(actions.is_empty(), "actions after the end: {:?}", actions);
        }
        for action in actions {
            match action {
                Action::CreateConnection => {
                    prop_assert!(
                        !self.creating,
                        "a second CreateParticipantConnection in flight"
                    );
                    self.creating = true;
                }
                Action::Open { id, url } => {
                    prop_assert!(self.open.insert(id), "socket {} opened twice", id);
                    prop_assert!(!url.is_empty());
                }
                Action::Close(id) => {
                    prop_assert!(self.open.remove(&id), "socket {} closed but not open", id);
                }
                Action::Send(id, _) => {
                    prop_assert!(self.open.contains(&id), "a send on closed {}", id)
                }
                Action::FetchTranscript { .. } => {
                    prop_assert!(!self.filling, "a second transcript read in flight");
                    self.filling = true;
                }
                Action::Emit(SessionEvent::Ended(_)) => self.ended = true,
                Action::Emit(_) => {}
            }
            prop_assert!(self.open.len() <= 2, "{} sockets open", self.open.len());
        }
        if self.ended {
            prop_assert!(
                self.open.is_empty(),
                "sockets left open at the end: {:?}",
                self.open
            );
        }
        if let Some(at) = self.machine.next_wakeup(self.now) {
            prop_assert!(at > self.now, "a wakeup that is not later");
        }
        Ok(())
    }

    fn handle(&mut self, input: Input) -> Result<(), TestCaseError> {
        let actions = self.machine.handle(self.now, input);
        self.apply(actions)
    }

    fn step(&mut self, step: Step) -> Result<(), TestCaseError> {
        match step {
            Step::Wait(seconds) => {
                self.now += Duration::from_secs(u64::from(seconds));
                let actions = self.machine.poll(self.now);
                self.apply(actions)
            }
            Step::Socket(which, event) => {
                let open: Vec<u64> = self.open.iter().copied().collect();
                let id = open
                    .get(usize::from(which) % 3)
                    .copied()
                    .unwrap_or(1000 + u64::from(which));
                let input = match event {
                    SocketEvent::Opened => Input::Opened(id),
                    SocketEvent::OpenFailed(refused) => Input::OpenFailed {
                        id,
                        refused,
                        error: "no".into(),
                    },
                    SocketEvent::Closed => Input::Closed(id),
                    SocketEvent::Ack(success) => {
                        let status = if success { "success" } else { "failure" };
                        Input::Text(
                            id,
                            json!({"topic": "aws/subscribe", "content": {"status": status}})
                                .to_string(),
                        )
                    }
                    SocketEvent::Heartbeat => Input::Text(id, frame::HEARTBEAT.into()),
                    SocketEvent::Chat(item, time) => {
                        Input::Text(id, chat_frame(item % 32, i64::from(time), "hi"))
                    }
                    SocketEvent::Forbidden => Input::Text(id, r#"{"message":"Forbidden"}"#.into()),
                    SocketEvent::Garbage => Input::Text(id, "\u{0}{]".into()),
                };
                self.handle(input)
            }
            Step::Create(kind, valid) if self.creating => {
                self.creating = false;
                let wall = SystemTime::UNIX_EPOCH
                    + Duration::from_secs(1_800_000_000)
                    + (self.now - self.start);
                let expiry = awsgen_runtime::DateTime::from_secs(
                    1_800_000_000 + (self.now - self.start).as_secs() as i64 + i64::from(valid)
                        - 300,
                );
                let input = match kind % 5 {
                    0 => Input::CreateFailed {
                        kind: Failure::Refused,
                        error: "403".into(),
                    },
                    1 => Input::CreateFailed {
                        kind: Failure::Transient,
                        error: "503".into(),
                    },
                    2 => Input::CreateFailed {
                        kind: Failure::Other,
                        error: "dns".into(),
                    },
                    _ => Input::Created {
                        url: format!("wss://chat/{valid}"),
                        token: "t".into(),
                        expiry: Some(expiry.to_iso8601()),
                        wall_now: wall,
                    },
                };
                self.handle(input)
            }
            Step::Create(..) => Ok(()),
            Step::Transcript(done, ids) if self.filling => {
                if done {
                    self.filling = false;
                    return self.handle(Input::TranscriptDone(Ok(())));
                }
                let items = ids
                    .iter()
                    .map(|id| {
                        serde_json::from_value(item_json(id % 32, i64::from(*id), "t")).unwrap()
                    })
                    .collect();
                self.handle(Input::TranscriptPage(items))
            }
            Step::Transcript(..) => Ok(()),
            Step::Lagged(ids) => self.handle(Input::Lagged(
                ids.iter().map(|i| format!("i{}", i % 32)).collect(),
            )),
            Step::Suspend(true) => self.handle(Input::Suspend),
            Step::Suspend(false) => self.handle(Input::Resume),
            Step::Disconnect => self.handle(Input::Disconnected),
        }
    }
}

proptest! {
    #![proptest_config(cases(10_000))]

    /// Whatever happens: no panic; every socket asked to open is asked to close exactly
    /// once (all of them by the end); at most two open or opening; at most one
    /// `CreateParticipantConnection` and one transcript read in flight; wakeups later
    /// than now; nothing after the end.
    #[test]
    fn the_machine_keeps_its_invariants(steps in prop::collection::vec(step(), 1..150)) {
        let start = Instant::now();
        let mut world = World {
            machine: Machine::new(),
            start,
            now: start,
            open: BTreeSet::new(),
            creating: false,
            filling: false,
            ended: false,
        };
        let actions = world.machine.start();
        world.apply(actions)?;
        for step in steps {
            world.step(step)?;
        }
        // However it stands, leaving closes everything: at once, or once the grace
        // for what the chat still sends is over.
        world.handle(Input::Disconnected)?;
        world.step(Step::Wait(LEAVE_GRACE.as_secs() as u16))?;
        prop_assert!(world.ended);
        prop_assert!(world.open.is_empty());
    }
}

#[test]
fn a_frame_over_the_limit_is_refused_unread() {
    let huge = format!(
        r#"{{"topic":"aws/chat","content":"{}"}}"#,
        "x".repeat(MAX_FRAME)
    );
    assert!(frame::parse(&huge).is_err());
}
