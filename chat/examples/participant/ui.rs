//! The terminal participant's screen, without a terminal: what each session event and
//! key does to it ([`App`]), how it is drawn ([`App::draw`]), and the loop that joins it
//! to a session ([`step`], [`run`]). `main.rs` gives it a real terminal;
//! `chat/tests/terminal.rs` gives it ratatui's test backend and local mocks.
//!
//! Everything the service sends is shown as text only: control characters (a terminal
//! escape sequence in a message) and bidirectional overrides are replaced before they
//! reach the screen.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use connectparticipant::types::{Item, ParticipantRole};
use connectparticipant_chat::{
    Change, ChatEvent, ChatSession, ChatUpdate, EndReason, SessionEvent, Source, Streaming,
};
use ratatui::backend::Backend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::{Frame, Terminal};
use tokio::sync::mpsc;
use unicode_width::UnicodeWidthChar;

/// How long "… is typing" shows after a typing event (ChatJS's typing validity).
pub const TYPING_SHOWN: Duration = Duration::from_secs(10);

/// Older items asked for each time the user scrolls past the top.
pub const HISTORY_PAGE: i32 = 20;

/// Items kept on screen, as many as the session keeps; beyond it the oldest go.
pub const MAX_ENTRIES: usize = 10_000;

/// Characters a message may have (`SendMessage`'s `Content`: 1 to 16,384).
pub const MAX_INPUT: usize = 16_384;

/// How often the screen is redrawn when nothing happens (the typing line expires).
pub const TICK: Duration = Duration::from_secs(1);

/// What the loop asks the session to do for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Send this message.
    Send(String),
    /// The user is typing (the session sends at most one event per throttle window).
    Typing,
    /// The user has seen this message of the others.
    Read(String),
    /// Load older items.
    History,
    /// Leave the chat (the session stays until the chat ends).
    Leave,
}

/// One input to the screen.
#[derive(Debug)]
pub enum Input {
    /// From the session (`None`: it is over).
    Session(Option<SessionEvent>),
    /// From the terminal: a key, a resize.
    Terminal(Event),
    /// Time passed.
    Tick,
}

/// Where the connection stands, as the banner shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Connection {
    Connecting,
    Connected,
    Reconnecting,
    Leaving,
    Ended(String),
}

/// Whether older items can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum History {
    Idle,
    Loading,
    /// The start of the chat was reached.
    Exhausted,
}

/// A delivered or read mark on one of this participant's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    None,
    Sending,
    NotSent,
    Delivered,
    Read,
}

/// What an entry shows.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// An item the screen does not show (typing, receipts): kept for its place, as later
    /// items say which item they follow.
    Hidden,
    /// A message, and for a streamed one where it stands.
    Message {
        text: String,
        streaming: Option<Streaming>,
    },
    /// Shared files: name and status of each.
    Files(Vec<String>),
    /// Something that happened (joined, left, transferred...).
    Notice(String),
}

/// One item of the chat, as the screen shows it.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    time: String,
    who: String,
    role: Role,
    own: bool,
    body: Body,
    mark: Mark,
}

/// Whose an entry is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Me,
    Agent,
    Customer,
    Bot,
    System,
}

/// The screen's state.
#[derive(Debug)]
pub struct App {
    /// In time order.
    entries: VecDeque<Entry>,
    connection: Connection,
    /// Who is typing, and since when.
    typing: Option<(String, Instant)>,
    input: String,
    /// Rows scrolled up from the newest.
    scroll: usize,
    /// From the last draw: how far up the transcript can scroll, and a page's rows.
    max_scroll: usize,
    page: usize,
    history: History,
    /// Messages of the others that arrived while the user was scrolled away.
    unread: Vec<String>,
    /// The latest thing worth telling (a lag, a send that failed).
    status: Option<String>,
    /// Messages sent, in order, awaiting the id their send returns.
    sending: u64,
    quit: bool,
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An empty screen, connecting.
    pub fn new() -> App {
        App {
            entries: VecDeque::new(),
            connection: Connection::Connecting,
            typing: None,
            input: String::new(),
            scroll: 0,
            max_scroll: 0,
            page: 1,
            history: History::Idle,
            unread: Vec::new(),
            status: None,
            sending: 0,
            quit: false,
        }
    }

    /// Whether the user asked to quit.
    pub fn quit(&self) -> bool {
        self.quit
    }

    /// Whether the session has nothing more to say.
    pub fn ended(&self) -> bool {
        matches!(self.connection, Connection::Ended(_))
    }

    /// Takes one input; returns what the session should do.
    pub fn handle(&mut self, input: Input, now: Instant) -> Vec<Command> {
        match input {
            Input::Session(Some(event)) => self.on_event(event, now),
            Input::Session(None) => {
                if !self.ended() {
                    self.connection = Connection::Ended("the session is over".into());
                }
                Vec::new()
            }
            Input::Terminal(Event::Key(key)) if key.kind == KeyEventKind::Press => self.on_key(key),
            Input::Terminal(_) => Vec::new(),
            Input::Tick => {
                if self
                    .typing
                    .as_ref()
                    .is_some_and(|(_, since)| now.duration_since(*since) >= TYPING_SHOWN)
                {
                    self.typing = None;
                }
                Vec::new()
            }
        }
    }

    fn on_event(&mut self, event: SessionEvent, now: Instant) -> Vec<Command> {
        match event {
            SessionEvent::Connected => self.connection = Connection::Connected,
            SessionEvent::ConnectionLost if !self.ended() => {
                self.connection = Connection::Reconnecting;
            }
            SessionEvent::ConnectionRestored => {
                self.connection = Connection::Connected;
                self.status =
                    Some("reconnected; messages missed meanwhile are being fetched".into());
            }
            SessionEvent::Lagged(n) => {
                self.status = Some(format!(
                    "{n} events skipped; the transcript brings them again"
                ));
            }
            SessionEvent::GapNotFilled(why) => {
                self.status = Some(format!("some messages may be missing: {}", clean(&why)));
            }
            SessionEvent::Ended(reason) => self.connection = Connection::Ended(ended(&reason)),
            SessionEvent::Chat(update) => return self.on_chat(*update, now),
            _ => {}
        }
        Vec::new()
    }

    fn on_chat(&mut self, update: ChatUpdate, now: Instant) -> Vec<Command> {
        let Some(id) = update.item().id().map(str::to_owned) else {
            return Vec::new();
        };
        let mut commands = Vec::new();
        match &update.event {
            ChatEvent::Typing(item) if !update.own => {
                self.typing = Some((name(item, false), now));
            }
            ChatEvent::Delivered(item) | ChatEvent::Read(item) if !update.own => {
                let mark = if matches!(update.event, ChatEvent::Read(_)) {
                    Mark::Read
                } else {
                    Mark::Delivered
                };
                let target = item.message_metadata().and_then(|m| m.message_id());
                if let Some(entry) =
                    target.and_then(|t| self.entries.iter_mut().find(|e| e.id == t))
                {
                    if entry.own {
                        entry.mark = entry.mark.max(mark);
                    }
                }
            }
            ChatEvent::Message(item) if !update.own => {
                if self
                    .typing
                    .as_ref()
                    .is_some_and(|(who, _)| *who == name(item, false))
                {
                    self.typing = None;
                }
                if update.change == Change::Added && update.source != Source::History {
                    if self.scroll == 0 {
                        commands.push(Command::Read(id.clone()));
                    } else if self.unread.len() < MAX_ENTRIES {
                        self.unread.push(id.clone());
                    }
                }
            }
            _ => {}
        }
        let entry = entry_of(&id, &update);
        self.place(entry, &update);
        commands
    }

    /// Puts `entry` where the update says: in place of the item it updates, or after the
    /// item it follows in time.
    fn place(&mut self, mut entry: Entry, update: &ChatUpdate) {
        if let Some(old) = self.entries.iter_mut().rev().find(|e| e.id == entry.id) {
            // An update (a streamed reply's next chunk), or the echo of a message this
            // screen showed as it was sent: its marks stay.
            entry.mark = old.mark;
            *old = entry;
            return;
        }
        let at = match update.after.as_deref() {
            // Most items are the newest: look from the end. One whose predecessor is no
            // longer on screen goes last.
            Some(after) => self
                .entries
                .iter()
                .rposition(|e| e.id == after)
                .map_or(self.entries.len(), |i| i + 1),
            None => 0,
        };
        self.entries.insert(at, entry);
        if self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if control => self.quit = true,
            KeyCode::Esc if self.ended() => self.quit = true,
            KeyCode::Esc if self.connection != Connection::Leaving => {
                self.connection = Connection::Leaving;
                return vec![Command::Leave];
            }
            KeyCode::Enter => return self.send(),
            KeyCode::Backspace => {
                self.input.pop();
            }
            KeyCode::Char(c) if !control && !self.ended() => {
                if self.input.chars().count() < MAX_INPUT {
                    self.input.push(c);
                }
                return vec![Command::Typing];
            }
            KeyCode::PageUp => return self.scroll_up(self.page.saturating_sub(1).max(1)),
            KeyCode::Up => return self.scroll_up(1),
            KeyCode::PageDown => return self.scroll_down(self.page.saturating_sub(1).max(1)),
            KeyCode::Down => return self.scroll_down(1),
            KeyCode::End => return self.scroll_down(usize::MAX),
            _ => {}
        }
        Vec::new()
    }

    fn send(&mut self) -> Vec<Command> {
        let text = std::mem::take(&mut self.input);
        if text.trim().is_empty() || self.ended() {
            return Vec::new();
        }
        // Shown at once as being sent; the send's answer gives it its id.
        self.sending += 1;
        self.entries.push_back(Entry {
            id: format!("sending:{}", self.sending),
            time: utc_time_now(),
            who: "you".into(),
            role: Role::Me,
            own: true,
            body: Body::Message {
                text: clean(&text),
                streaming: None,
            },
            mark: Mark::Sending,
        });
        self.scroll = 0;
        vec![Command::Send(text)]
    }

    /// The oldest message being sent gets the id its send returned (or is shown as not
    /// sent); its echo may have come first, in which case it is dropped.
    pub fn sent(&mut self, result: Result<Option<String>, String>) {
        let Some(at) = self.entries.iter().position(|e| e.mark == Mark::Sending) else {
            return;
        };
        match result {
            Ok(Some(id)) if self.entries.iter().any(|e| e.id == id) => {
                self.entries.remove(at);
            }
            Ok(id) => {
                if let Some(id) = id {
                    self.entries[at].id = id;
                }
                self.entries[at].mark = Mark::None;
            }
            Err(why) => {
                self.entries[at].mark = Mark::NotSent;
                self.status = Some(format!("not sent: {}", clean(&why)));
            }
        }
    }

    /// Older items were asked for: how many came, or why none did.
    pub fn history_loaded(&mut self, result: Result<usize, String>) {
        self.history = match result {
            Ok(0) => {
                self.status = Some("this is the start of the chat".into());
                History::Exhausted
            }
            Ok(_) => History::Idle,
            Err(why) => {
                self.status = Some(format!(
                    "older messages could not be loaded: {}",
                    clean(&why)
                ));
                History::Idle
            }
        };
    }

    /// Leaving failed: the chat goes on.
    pub fn leave_failed(&mut self, why: &str) {
        self.connection = Connection::Connected;
        self.status = Some(format!("could not leave: {}", clean(why)));
    }

    fn scroll_up(&mut self, rows: usize) -> Vec<Command> {
        if self.scroll >= self.max_scroll {
            if self.history == History::Idle && !self.ended() {
                self.history = History::Loading;
                self.status = Some("loading older messages…".into());
                return vec![Command::History];
            }
            return Vec::new();
        }
        self.scroll = (self.scroll + rows).min(self.max_scroll);
        Vec::new()
    }

    fn scroll_down(&mut self, rows: usize) -> Vec<Command> {
        self.scroll = self.scroll.saturating_sub(rows);
        if self.scroll > 0 {
            return Vec::new();
        }
        // Back at the newest: what arrived meanwhile has now been seen.
        std::mem::take(&mut self.unread)
            .into_iter()
            .map(Command::Read)
            .collect()
    }

    /// Draws the whole screen: the banner, the transcript, who is typing (or the latest
    /// status), and the message being typed.
    pub fn draw(&mut self, frame: &mut Frame) {
        let [banner, transcript, typing, input] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(3),
        ])
        .areas(frame.area());
        frame.render_widget(self.banner(), banner);
        self.draw_transcript(frame, transcript);
        frame.render_widget(self.typing_line(), typing);
        self.draw_input(frame, input);
    }

    fn banner(&self) -> Paragraph<'static> {
        let (text, style) = match &self.connection {
            Connection::Connecting => ("Connecting…".to_owned(), Style::new().fg(Color::Yellow)),
            Connection::Connected => (
                "● Connected · Enter sends · PgUp scrolls back · Esc leaves".to_owned(),
                Style::new().fg(Color::Green),
            ),
            Connection::Reconnecting => (
                "Connection lost: reconnecting…".to_owned(),
                Style::new().fg(Color::Black).bg(Color::Yellow),
            ),
            Connection::Leaving => (
                "Leaving: the chat stays open until it ends…".to_owned(),
                Style::new().fg(Color::Yellow),
            ),
            Connection::Ended(reason) => (
                format!("The chat has ended · Esc quits · {reason}"),
                Style::new().fg(Color::White).bg(Color::Red),
            ),
        };
        Paragraph::new(text).style(style)
    }

    fn draw_transcript(&mut self, frame: &mut Frame, area: Rect) {
        let title = if self.scroll > 0 {
            format!(
                " Transcript (UTC) · {} rows below · End returns ",
                self.scroll
            )
        } else {
            " Transcript (UTC) ".to_owned()
        };
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        let width = usize::from(inner.width);
        let rows: Vec<Line> = self.entries.iter().flat_map(|e| e.lines(width)).collect();
        let height = usize::from(inner.height);
        self.page = height.max(1);
        self.max_scroll = rows.len().saturating_sub(height);
        self.scroll = self.scroll.min(self.max_scroll);
        let end = rows.len() - self.scroll;
        let start = end.saturating_sub(height);
        let shown: Vec<Line> = rows[start..end].to_vec();
        frame.render_widget(Paragraph::new(shown).block(block), area);
    }

    fn typing_line(&self) -> Paragraph<'static> {
        let italic = Style::new().add_modifier(Modifier::ITALIC);
        if let Some((who, _)) = &self.typing {
            return Paragraph::new(format!("{who} is typing…")).style(italic);
        }
        let status = self.status.clone().unwrap_or_default();
        Paragraph::new(status).style(Style::new().fg(Color::DarkGray))
    }

    fn draw_input(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(" Message ");
        let inner = block.inner(area);
        // The end of what is typed, as much as fits before the cursor.
        let room = usize::from(inner.width).saturating_sub(1);
        let mut shown = String::new();
        let mut used = 0;
        for c in self.input.chars().rev() {
            let w = width(c);
            if used + w > room {
                break;
            }
            used += w;
            shown.insert(0, c);
        }
        let shown = clean(&shown);
        frame.render_widget(Paragraph::new(shown).block(block), area);
        if !self.ended() {
            let x = inner.x + u16::try_from(used).unwrap_or(0);
            frame.set_cursor_position(Position::new(x, inner.y));
        }
    }
}

impl Entry {
    /// The entry's rows at `width` columns: a header (time, who, marks), then the text,
    /// wrapped and indented; a notice is one dim row.
    fn lines(&self, width: usize) -> Vec<Line<'static>> {
        let dim = Style::new().fg(Color::DarkGray);
        let text = match &self.body {
            Body::Hidden => return Vec::new(),
            Body::Notice(notice) => {
                let row = format!("{} — {notice}", self.time);
                return wrap(&row, width)
                    .into_iter()
                    .map(|r| Line::styled(r, dim))
                    .collect();
            }
            Body::Message { text, streaming } => match streaming {
                Some(Streaming::InProgress) => format!("{text}▍"),
                Some(Streaming::Abandoned) => format!("{text} (incomplete)"),
                _ => text.clone(),
            },
            Body::Files(files) => files.join("\n"),
        };
        let mark = match self.mark {
            Mark::None => "",
            Mark::Sending => " sending…",
            Mark::NotSent => " not sent",
            Mark::Delivered => " ✓",
            Mark::Read => " ✓✓",
        };
        let header = Line::from(vec![
            Span::styled(format!("{} ", self.time), dim),
            Span::styled(self.who.clone(), self.role.style()),
            Span::styled(mark.to_owned(), dim),
        ]);
        let mut lines = vec![header];
        let indent = 2;
        for row in wrap(&text, width.saturating_sub(indent)) {
            lines.push(Line::from(format!("{:indent$}{row}", "")));
        }
        lines
    }
}

impl Role {
    fn of(item: &Item, own: bool) -> Role {
        if own {
            return Role::Me;
        }
        match item.participant_role() {
            Some(ParticipantRole::Agent) => Role::Agent,
            Some(ParticipantRole::Customer) => Role::Customer,
            Some(ParticipantRole::CustomBot) => Role::Bot,
            _ => Role::System,
        }
    }

    fn style(self) -> Style {
        let colour = match self {
            Role::Me => Color::Cyan,
            Role::Agent => Color::Green,
            Role::Customer => Color::Blue,
            Role::Bot => Color::Magenta,
            Role::System => Color::Yellow,
        };
        Style::new().fg(colour).add_modifier(Modifier::BOLD)
    }
}

/// What `update` shows as an entry.
fn entry_of(id: &str, update: &ChatUpdate) -> Entry {
    let item = update.item();
    let who = name(item, update.own);
    let body = match &update.event {
        ChatEvent::Message(_) => Body::Message {
            text: message_text(item),
            streaming: update.streaming,
        },
        ChatEvent::Attachment(_) => Body::Files(
            item.attachments()
                .iter()
                .map(|a| {
                    let name = clean(a.attachment_name().unwrap_or("a file"));
                    match a.status() {
                        Some(status) => {
                            format!("📎 {name} ({})", clean(status.as_str()).to_lowercase())
                        }
                        None => format!("📎 {name}"),
                    }
                })
                .collect(),
        ),
        event => notice(event, &who).map_or(Body::Hidden, Body::Notice),
    };
    Entry {
        id: id.to_owned(),
        time: time_of(item),
        who,
        role: Role::of(item, update.own),
        own: update.own,
        body,
        mark: Mark::None,
    }
}

/// What a message shows: its text, or what kind of content it holds.
fn message_text(item: &Item) -> String {
    match item.content_type() {
        Some("text/plain" | "text/markdown") | None => clean(item.content().unwrap_or_default()),
        Some(kind) if kind.contains("interactive") => "[an interactive message]".into(),
        Some(kind) => format!("[{}]", clean(kind)),
    }
}

/// The line an event shows, if any.
fn notice(event: &ChatEvent, who: &str) -> Option<String> {
    Some(match event {
        ChatEvent::ParticipantJoined(_) => format!("{who} joined"),
        ChatEvent::ParticipantLeft(_) => format!("{who} left"),
        ChatEvent::ParticipantIdle(_) => format!("{who} is idle"),
        ChatEvent::ParticipantReturned(_) => format!("{who} is back"),
        ChatEvent::ParticipantInvited(_) => format!("{who} was invited"),
        ChatEvent::AutoDisconnection(_) => format!("{who} was disconnected for being idle"),
        ChatEvent::DisplayNameUpdated(_) => format!("now shown as {who}"),
        ChatEvent::TransferSucceeded(_) => "the chat was transferred".into(),
        ChatEvent::TransferFailed(_) => "a transfer failed".into(),
        ChatEvent::ChatRehydrated(_) => "this chat continues an earlier one".into(),
        ChatEvent::AuthenticationInitiated(_) => "authentication was asked for".into(),
        ChatEvent::AuthenticationSucceeded(_) => "authenticated".into(),
        ChatEvent::AuthenticationFailed(_) => "authentication failed".into(),
        ChatEvent::AuthenticationTimedOut(_) => "authentication timed out".into(),
        ChatEvent::AuthenticationExpired(_) => "the authentication link expired".into(),
        ChatEvent::AuthenticationCancelled(_) => "authentication was cancelled".into(),
        ChatEvent::ChatEnded(_) => "the chat has ended".into(),
        _ => return None,
    })
}

/// Who an item is from: "you", its display name, or its role.
fn name(item: &Item, own: bool) -> String {
    if own {
        return "you".into();
    }
    match (item.display_name(), item.participant_role()) {
        (Some(name), _) if !name.trim().is_empty() => clean(name),
        (_, Some(role)) => clean(role.as_str()).to_lowercase(),
        _ => "someone".into(),
    }
}

/// The item's time of day, `HH:MM:SS` (UTC), from its ISO 8601 `AbsoluteTime`.
fn time_of(item: &Item) -> String {
    item.absolute_time()
        .and_then(|t| t.get(11..19))
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b':'))
        .unwrap_or("--:--:--")
        .to_owned()
}

/// The time of day now, `HH:MM:SS` (UTC), for a message until the service dates it.
fn utc_time_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn ended(reason: &EndReason) -> String {
    match reason {
        EndReason::ChatEnded => "ended by the agent or the flow".into(),
        EndReason::Disconnected => "you left".into(),
        EndReason::TokenRefused(why) => format!("the token was refused: {}", clean(why)),
        EndReason::JoinFailed(why) => format!("could not join: {}", clean(why)),
        EndReason::GaveUp { attempts, .. } => {
            format!("gave up reconnecting after {attempts} attempts")
        }
        _ => "ended".into(),
    }
}

/// `text` safe to put on a terminal: control characters (escape sequences among them)
/// and bidirectional overrides replaced, line breaks kept, tabs as spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() || is_bidi_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// `text` in rows of at most `columns` columns, broken at spaces where a word fits.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut rows = Vec::new();
    for paragraph in text.split('\n') {
        let mut row = String::new();
        let mut used = 0;
        for c in paragraph.chars() {
            let w = width(c);
            if used + w > columns && c == ' ' {
                // A space where the row is full: the break itself.
                rows.push(std::mem::take(&mut row));
                used = 0;
                continue;
            }
            if used + w > columns && !row.is_empty() {
                match row.rfind(' ') {
                    // Carry the last word over whole.
                    Some(space) if space > 0 => {
                        let rest = row.split_off(space + 1);
                        row.truncate(space);
                        rows.push(std::mem::take(&mut row));
                        used = rest.chars().map(width).sum();
                        row = rest;
                    }
                    _ => {
                        rows.push(std::mem::take(&mut row));
                        used = 0;
                    }
                }
            }
            row.push(c);
            used += w;
        }
        rows.push(row);
    }
    rows
}

/// The next input: a session event (until the session is over), a terminal event, or a
/// tick.
pub async fn next_input(
    app: &App,
    session: &mut ChatSession,
    terminal_events: &mut mpsc::Receiver<Event>,
) -> Input {
    let over = app.ended();
    tokio::select! {
        event = session.next_event(), if !over => Input::Session(event),
        Some(event) = terminal_events.recv() => Input::Terminal(event),
        () = tokio::time::sleep(TICK) => Input::Tick,
    }
}

/// Asks the session for what the screen wants, and shows the answers.
pub async fn perform(app: &mut App, session: &ChatSession, command: Command) {
    match command {
        Command::Send(text) => {
            let sent = session.send_message("text/plain", &text).await;
            app.sent(sent.map_err(|e| e.to_string()));
        }
        // At most one per throttle window goes; one that fails is not worth a line.
        Command::Typing => drop(session.typing().await),
        Command::Read(id) => session.mark_read(&id),
        Command::History => {
            let loaded = session.history(HISTORY_PAGE).await;
            app.history_loaded(loaded.map_err(|e| e.to_string()));
        }
        Command::Leave => {
            if let Err(e) = session.disconnect().await {
                app.leave_failed(&e.to_string());
            }
        }
    }
}

/// One turn of the loop: draw, wait for an input, take it, and do what it asks (drawing
/// first, so that a message shows as being sent while it is). `false` once the user quit.
pub async fn step<B: Backend>(
    app: &mut App,
    session: &mut ChatSession,
    terminal: &mut Terminal<B>,
    terminal_events: &mut mpsc::Receiver<Event>,
) -> io::Result<bool> {
    terminal.draw(|frame| app.draw(frame))?;
    let input = next_input(app, session, terminal_events).await;
    let commands = app.handle(input, Instant::now());
    if app.quit() {
        return Ok(false);
    }
    if !commands.is_empty() {
        terminal.draw(|frame| app.draw(frame))?;
    }
    for command in commands {
        perform(app, session, command).await;
    }
    Ok(true)
}

/// Runs the screen until the user quits.
pub async fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    mut session: ChatSession,
    mut terminal_events: mpsc::Receiver<Event>,
) -> io::Result<()> {
    let mut app = App::new();
    while step(&mut app, &mut session, terminal, &mut terminal_events).await? {}
    Ok(())
}
