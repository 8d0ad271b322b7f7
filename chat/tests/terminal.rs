//! The terminal participant (`chat/examples/participant`) without a terminal: its screen
//! drawn on ratatui's test backend, fed first by the protocol machine, then by a real
//! session against the local mocks with keys typed into it.

#[path = "../examples/participant/ui.rs"]
#[allow(dead_code)] // The example's `run` is its `main`'s.
mod ui;

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::{client, rest_server, websocket_server, Script};
use connectparticipant_chat::machine::{Action, Input as MachineInput, Machine};
use connectparticipant_chat::{ChatSession, EVENT_CONTENT_TYPE};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use ratatui::Terminal;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_websockets::Message;
use ui::{App, Input};
use unicode_width::UnicodeWidthStr;

/// A chat item as the socket sends it.
fn frame(item: Value) -> String {
    json!({"topic": "aws/chat", "content": item.to_string()}).to_string()
}

fn message(id: &str, second: u32, who: &str, role: &str, content: &str) -> Value {
    json!({"Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": content,
           "DisplayName": who, "ParticipantRole": role, "ParticipantId": who,
           "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z")})
}

fn event(id: &str, second: u32, who: &str, kind: &str) -> Value {
    json!({"Id": id, "Type": "EVENT", "ContentType": format!("{EVENT_CONTENT_TYPE}{kind}"),
           "DisplayName": who, "ParticipantRole": "AGENT", "ParticipantId": who,
           "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z")})
}

fn chunk(id: &str, number: u64, completed: bool, content: &str) -> Value {
    let mut item = message(id, 20, "Bot", "CUSTOM_BOT", content);
    item["MessageMetadata"] =
        json!({"MessageId": id, "ChunkNumber": number, "MessageCompleted": completed});
    item
}

fn attachment(id: &str, second: u32, name: &str) -> Value {
    json!({"Id": id, "Type": "ATTACHMENT", "ContentType": "application/pdf",
           "DisplayName": "Agent Smith", "ParticipantRole": "AGENT",
           "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z"),
           "Attachments": [{"AttachmentId": "a1", "AttachmentName": name,
                            "ContentType": "application/pdf", "Status": "APPROVED"}]})
}

/// The screen's rows, as text.
fn rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| {
            // A wide character's second cell is not a character of its own.
            let mut text = String::new();
            let mut covered = 0;
            for cell in row {
                if covered > 0 {
                    covered -= 1;
                    continue;
                }
                text.push_str(cell.symbol());
                covered = cell.symbol().width().saturating_sub(1);
            }
            text
        })
        .collect()
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    rows(terminal).join("\n")
}

/// Feeds the machine's events to the screen, as the session would.
struct Fed {
    machine: Machine,
    app: App,
    terminal: Terminal<TestBackend>,
    start: Instant,
}

impl Fed {
    fn connected(width: u16, height: u16) -> Fed {
        let mut fed = Fed {
            machine: Machine::new(),
            app: App::new(),
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
            start: Instant::now(),
        };
        fed.machine.start();
        fed.feed(MachineInput::Created {
            url: "wss://chat".into(),
            token: "t".into(),
            expiry: None,
            wall_now: SystemTime::now(),
        });
        fed.feed(MachineInput::Opened(1));
        let ack = json!({"topic": "aws/subscribe", "content": {"status": "success"}});
        fed.feed(MachineInput::Text(1, ack.to_string()));
        fed
    }

    fn feed(&mut self, input: MachineInput) {
        let now = self.start + Duration::from_secs(1);
        for action in self.machine.handle(now, input) {
            if let Action::Emit(event) = action {
                self.app.handle(Input::Session(Some(event)), now);
            }
        }
        self.terminal.draw(|frame| self.app.draw(frame)).unwrap();
    }

    fn item(&mut self, item: Value) {
        self.feed(MachineInput::Text(1, frame(item)));
    }

    fn key(&mut self, code: KeyCode) -> Vec<ui::Command> {
        let key = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        let commands = self.app.handle(Input::Terminal(key), self.start);
        self.terminal.draw(|frame| self.app.draw(frame)).unwrap();
        commands
    }
}

/// The whole screen, row by row: banner, transcript with times and names, the typing
/// line, the message box; a streamed reply grows in place and then stands complete.
#[test]
fn the_screen_shows_the_chat_with_times_names_typing_and_streamed_replies() {
    let mut fed = Fed::connected(44, 14);
    fed.item(message(
        "m1",
        1,
        "Agent Smith",
        "AGENT",
        "Hello! How can I help you today?",
    ));
    fed.item(event("t1", 2, "Agent Smith", "typing"));
    fed.item(chunk("r1", 1, false, "Let me"));
    assert!(
        screen(&fed.terminal).contains("  Let me▍"),
        "{}",
        screen(&fed.terminal)
    );
    fed.item(chunk("r1", 2, true, "Let me check."));
    let expected = [
        "● Connected · Enter sends · PgUp scrolls bac",
        "┌ Transcript (UTC) ────────────────────────┐",
        "│12:00:01 Agent Smith                      │",
        "│  Hello! How can I help you today?        │",
        "│12:00:20 Bot                              │",
        "│  Let me check.                           │",
        "│                                          │",
        "│                                          │",
        "│                                          │",
        "└──────────────────────────────────────────┘",
        "Agent Smith is typing…                      ",
        "┌ Message ─────────────────────────────────┐",
        "│                                          │",
        "└──────────────────────────────────────────┘",
    ];
    assert_eq!(rows(&fed.terminal), expected);
    // The typing line goes once its time is up.
    let typed_at = fed.start + Duration::from_secs(1);
    fed.app.handle(Input::Tick, typed_at + ui::TYPING_SHOWN / 2);
    fed.terminal.draw(|frame| fed.app.draw(frame)).unwrap();
    assert!(screen(&fed.terminal).contains("Agent Smith is typing…"));
    fed.app.handle(Input::Tick, typed_at + ui::TYPING_SHOWN);
    fed.terminal.draw(|frame| fed.app.draw(frame)).unwrap();
    assert!(!screen(&fed.terminal).contains("typing"));
}

/// Shared files are listed; joins and leaves are one dim line; a lost connection shows a
/// banner until the session reconnects; a long message wraps at word boundaries.
#[test]
fn files_notices_and_the_reconnect_banner() {
    let mut fed = Fed::connected(40, 16);
    fed.item(event("j1", 1, "Agent Smith", "participant.joined"));
    fed.item(attachment("f1", 2, "invoice.pdf"));
    fed.item(message(
        "m3",
        3,
        "Agent Smith",
        "AGENT",
        "one two three four five six seven eight nine ten",
    ));
    let shown = screen(&fed.terminal);
    assert!(shown.contains("12:00:01 — Agent Smith joined"), "{shown}");
    assert!(shown.contains("📎 invoice.pdf (approved)"), "{shown}");
    assert!(
        shown.contains("│  one two three four five six seven   │"),
        "{shown}"
    );
    assert!(
        shown.contains("│  eight nine ten                      │"),
        "{shown}"
    );

    fed.feed(MachineInput::Closed(1));
    let banner = &fed.terminal.backend().buffer()[(0, 0)];
    assert_eq!(banner.bg, Color::Yellow);
    assert!(rows(&fed.terminal)[0].starts_with("Connection lost: reconnecting…"));
}

/// What the service sends reaches the terminal as text only: an escape sequence or a
/// bidirectional override in a message or a name is replaced, never written.
#[test]
fn control_characters_from_the_service_never_reach_the_terminal() {
    let mut fed = Fed::connected(60, 12);
    let hostile = "\u{1b}[2J\u{1b}]0;pwned\u{7}evil\u{202e}txt.exe";
    fed.item(message("m1", 1, "\u{1b}[31mAgent", "AGENT", hostile));
    let shown = screen(&fed.terminal);
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{202e}'));
    assert!(shown.contains("�[2J�]0;pwned�evil�txt.exe"), "{shown}");
    assert!(shown.contains("�[31mAgent"), "{shown}");
}

/// Scrolling back: PgUp moves up a page at a time; past the top it asks for history
/// (once until the answer); End returns to the newest, and messages that arrived while
/// scrolled away are then marked read.
#[test]
fn scrolling_back_asks_for_history_at_the_top_and_reads_on_return() {
    let mut fed = Fed::connected(40, 10);
    for n in 1..=6 {
        fed.item(message(
            &format!("m{n}"),
            n,
            "Agent",
            "AGENT",
            &format!("message {n}"),
        ));
    }
    assert!(screen(&fed.terminal).contains("message 6"));
    assert_eq!(fed.key(KeyCode::PageUp), []);
    let shown = screen(&fed.terminal);
    assert!(
        !shown.contains("message 6") && shown.contains("rows below"),
        "{shown}"
    );
    let mut asked = Vec::new();
    for _ in 0..5 {
        asked.extend(fed.key(KeyCode::PageUp));
    }
    assert!(screen(&fed.terminal).contains("message 1"));
    assert_eq!(asked, [ui::Command::History], "asked once until answered");
    fed.app.history_loaded(Ok(0));
    assert_eq!(
        fed.key(KeyCode::PageUp),
        [],
        "the start of the chat was reached"
    );

    fed.item(message("m7", 7, "Agent", "AGENT", "message 7"));
    assert_eq!(
        fed.key(KeyCode::End),
        [ui::Command::Read("m7".into())],
        "read once seen"
    );
    assert!(screen(&fed.terminal).contains("message 7"));
}

#[test]
fn wrapping_keeps_words_whole_and_breaks_what_cannot_fit() {
    assert_eq!(ui::wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
    assert_eq!(ui::wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert_eq!(ui::wrap("a\nb", 4), ["a", "b"]);
    // Wide characters take two columns.
    assert_eq!(ui::wrap("日本語です", 4), ["日本", "語で", "す"]);
}

/// A key typed into the screen, as the terminal sends it.
fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The client against the local mocks, as a user runs it: a real session, the loop the
/// example runs, keys typed into it. It shows the agent's message, typing, a streamed
/// reply, a message sent with its read mark, a file, older history on PgUp, the banner
/// while reconnecting and the messages recovered after, leaving and the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_client_chats_against_the_local_mocks() {
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let (first_tx, first) = mpsc::unbounded_channel::<Message>();
    let (second_tx, second) = mpsc::unbounded_channel::<Message>();
    let (url, _ended) = websocket_server(vec![Script::Relay(first), Script::Relay(second)]).await;
    let rest = rest_server(&url).await;
    let ok = ResponseTemplate::new(200).set_body_json(json!({}));
    Mock::given(method("POST"))
        .and(path("/participant/event"))
        .respond_with(ok.clone())
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/disconnect"))
        .respond_with(ok)
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(body_partial_json(json!({"Content": "ok thanks"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "sent-1"})))
        .with_priority(1)
        .expect(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .and(body_partial_json(json!({"ScanDirection": "BACKWARD"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Transcript": [message("h1", 0, "Agent Smith", "AGENT", "An earlier question")]
        })))
        .with_priority(1)
        .mount(&rest)
        .await;

    let mut session = ChatSession::start(&client(&rest), "participant-token");
    let mut terminal = Terminal::new(TestBackend::new(60, 30)).unwrap();
    let (keys_tx, mut keys) = mpsc::channel(16);
    let mut app = App::new();
    // Runs the example's loop until the screen shows `wanted` (bounded).
    macro_rules! until {
        ($wanted:expr) => {{
            let wanted: &dyn Fn(&str) -> bool = &$wanted;
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                terminal.draw(|frame| app.draw(frame)).unwrap();
                if wanted(&screen(&terminal)) {
                    break;
                }
                assert!(Instant::now() < deadline, "{}", screen(&terminal));
                let step = ui::step(&mut app, &mut session, &mut terminal, &mut keys);
                let going = tokio::time::timeout(Duration::from_secs(10), step).await;
                assert!(going.unwrap().unwrap(), "the client quit early");
            }
        }};
    }
    let send = |tx: &mpsc::UnboundedSender<Message>, item: Value| {
        tx.send(Message::text(frame(item))).unwrap();
    };

    until!(|s| s.contains("● Connected"));
    send(
        &first_tx,
        message("a1", 10, "Agent Smith", "AGENT", "Hi, how can I help?"),
    );
    send(&first_tx, event("t1", 11, "Agent Smith", "typing"));
    until!(|s| s.contains("Hi, how can I help?") && s.contains("Agent Smith is typing…"));

    send(&first_tx, chunk("r1", 1, false, "Let me"));
    until!(|s| s.contains("Let me▍"));
    send(&first_tx, chunk("r1", 2, true, "Let me check."));
    until!(|s| s.contains("Let me check.") && !s.contains('▍'));
    assert_eq!(
        screen(&terminal).matches("Let me").count(),
        1,
        "grown in place"
    );

    for c in "ok thanks".chars() {
        keys_tx.send(key(KeyCode::Char(c))).await.unwrap();
    }
    keys_tx.send(key(KeyCode::Enter)).await.unwrap();
    until!(|s| s.contains("  ok thanks") && !s.contains("sending…"));
    let mut echo = message("sent-1", 21, "Customer", "CUSTOMER", "ok thanks");
    echo["ParticipantId"] = json!("me");
    send(&first_tx, echo);
    let mut read = event("rr1", 22, "Agent Smith", "message.read");
    read["MessageMetadata"] = json!({"MessageId": "sent-1",
        "Receipts": [{"ReadTimestamp": "2026-12-01T12:00:22.000Z", "RecipientParticipantId": "Agent Smith"}]});
    send(&first_tx, read);
    until!(|s| s.contains("you ✓✓"));
    assert_eq!(
        screen(&terminal).matches("ok thanks").count(),
        1,
        "shown once"
    );

    send(&first_tx, attachment("f1", 23, "invoice.pdf"));
    until!(|s| s.contains("📎 invoice.pdf (approved)"));

    keys_tx.send(key(KeyCode::PageUp)).await.unwrap();
    until!(|s| s.contains("An earlier question"));
    let shown = screen(&terminal);
    assert!(
        shown.find("An earlier question") < shown.find("Hi, how can I help?"),
        "older items go above: {shown}"
    );

    // The socket drops: the banner shows until the session is back, and the messages
    // sent meanwhile (the transcript mock's) are recovered in time order.
    drop(first_tx);
    until!(|s| s.contains("Connection lost: reconnecting…"));
    until!(|s| s.contains("● Connected") && s.contains("sent while you were away"));

    keys_tx.send(key(KeyCode::Esc)).await.unwrap();
    until!(|s| s.contains("Leaving"));
    send(&second_tx, event("end", 30, "SYSTEM", "chat.ended"));
    until!(|s| s.contains("The chat has ended · Esc quits · you left"));
    keys_tx.send(key(KeyCode::Esc)).await.unwrap();
    let last = ui::step(&mut app, &mut session, &mut terminal, &mut keys);
    let going = tokio::time::timeout(Duration::from_secs(10), last).await;
    assert!(
        !going.unwrap().unwrap(),
        "Esc quits once the chat has ended"
    );
    rest.verify().await;
}
