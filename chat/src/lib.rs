//! A real-time Amazon Connect chat participant, built on the generated
//! `connectparticipant` client. Amazon's ChatJS and its iOS and Android SDKs receive a
//! chat's messages and events over the WebSocket that `CreateParticipantConnection`
//! returns; this crate does the same in Rust.
//!
//! ## Quick start
//!
//! Add `connectparticipant`, `connectparticipant-chat` and `tokio` (with `macros` and
//! `rt-multi-thread`) to your dependencies; the participant token comes from your
//! backend's `StartChatContact` or `CreateParticipant` call.
//!
//! ```no_run
//! use connectparticipant::{Client, Config};
//! use connectparticipant_chat::{ChatEvent, ChatSession, SessionEvent};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(&Config::from_env().region("us-east-1").build()?)?;
//! // The participant token comes from StartChatContact (your backend calls it).
//! let mut session = ChatSession::start(&client, "participant-token");
//! while let Some(event) = session.next_event().await {
//!     match event {
//!         SessionEvent::Connected => session.send_message("text/plain", "Hello!").await.map(drop)?,
//!         SessionEvent::Chat(event) => {
//!             if let ChatEvent::Message(item) = event.event {
//!                 println!("{:?}: {:?}", item.display_name(), item.content());
//!             }
//!         }
//!         SessionEvent::ConnectionLost => println!("reconnecting…"),
//!         SessionEvent::Ended(reason) => println!("ended: {reason:?}"),
//!         _ => {}
//!     }
//! }
//! // `None`: the chat has ended.
//! # Ok(())
//! # }
//! ```
//!
//! # Rendering a chat
//!
//! Each [`SessionEvent::Chat`] is a [`ChatUpdate`]: the [`ChatEvent`] (which it derefs
//! to), whether it is new ([`Change::Added`]) or replaces an item already delivered
//! ([`Change::Updated`], with the `previous` item: the next chunk of a streamed reply),
//! whether it came [`Source::Live`] or from the [`Source::Transcript`] (a gap filled after
//! a reconnect), whether it is this participant's `own` message, and the id of the item it
//! comes `after` in time, where to insert one that arrives late. A bot's reply streamed in
//! chunks (`MessageMetadata.ChunkNumber`, `MessageCompleted`) is stitched as ChatJS
//! stitches it, chunks that come early held and repeated ones ignored, one update per
//! visible change, its [`Streaming`] state in `streaming` (given up as
//! [`Streaming::Abandoned`] after [`STREAM_TIMEOUT`], 60 s, without a chunk).
//! `examples/render.rs`
//! keeps a chat in time order with them, tested with recovered and streamed items
//! (`tests/render.rs`):
//!
//! ```no_run
//! # use connectparticipant_chat::{Change, ChatUpdate};
//! # fn apply(lines: &mut Vec<(String, String)>, update: &ChatUpdate, id: &str, line: (String, String)) {
//! match update.change {
//!     // The next chunk of a streamed reply: replace its line.
//!     Change::Updated => {
//!         if let Some(old) = lines.iter_mut().find(|(line_id, _)| line_id == id) {
//!             *old = line;
//!         }
//!     }
//!     // New (live, or recovered by the transcript): right after the item it follows.
//!     _ => {
//!         let at = update
//!             .after
//!             .as_deref()
//!             .and_then(|after| lines.iter().position(|(line_id, _)| line_id == after))
//!             .map_or(0, |position| position + 1);
//!         lines.insert(at, line);
//!     }
//! }
//! # }
//! ```
//!
//! # Lifecycle
//!
//! [`ChatSession::start`] creates the connection (WEBSOCKET and
//! CONNECTION_CREDENTIALS, connecting the participant), opens the WebSocket (within
//! [`OPEN_TIMEOUT`], 10 s) and subscribes (sent again after 1 s without a reply,
//! given up after 3 tries), then sends a heartbeat and a ping every 10 s. A closed socket
//! or a heartbeat unanswered at the next tick means the socket is lost
//! ([`SessionEvent::ConnectionLost`]): the session reconnects after
//! `min(2^n × 2 s, 30 s)` (the count starts over only once a socket has answered a
//! heartbeat), with a new URL from `CreateParticipantConnection` when the old one is over
//! 85 s old, and once subscribed again ([`SessionEvent::ConnectionRestored`])
//! reads the transcript forward from the newest item it has, to fill the gap. Items are
//! shown once each: one that arrives again (a replay, the transcript, a streamed reply's
//! next chunk under the same `Id`) updates the one it repeats. Before 59 minutes the
//! socket rolls over to a new one (the old one closes once the new one is subscribed; a
//! new one that fails is tried again after the reconnect backoff while the old one
//! serves); a minute before the connection token expires it is refreshed (a refresh that
//! fails, or returns a token that does not last longer, is tried again after the backoff,
//! and the live socket is left alone). Dropping the session stops its task and closes its
//! sockets.
//!
//! # How a session ends
//!
//! [`SessionEvent::Ended`], then `None`, with an [`EndReason`]:
//!
//! - `ChatEnded`: `chat.ended` arrived;
//! - `Disconnected`: [`ChatSession::disconnect`] left the chat, and what the chat still
//!   sent (a post-chat survey) was delivered until `chat.ended` or for
//!   [`LEAVE_GRACE`] (10 s); [`ChatSession::close`] (or dropping
//!   the session) stops at once, without leaving;
//! - `TokenRefused`: `CreateParticipantConnection` answered 401/403, or the socket was
//!   refused (401/403 at the upgrade, or a `Forbidden` frame) twice, the second time with
//!   a fresh URL asked for at once: within seconds of the first refusal;
//! - `JoinFailed`: the first `CreateParticipantConnection` failed for a reason retrying
//!   cannot mend (a wrong region or endpoint, DNS, another 4xx, a `ws://` URL): its error,
//!   as soon as the client's own retries are done (throttling and 5xx are retried);
//! - `GaveUp`: no socket was healthy for [`GIVE_UP_AFTER`] (5 minutes, about 14
//!   attempts) after a failure, with the last error.
//!
//! # Limits
//!
//! WebSocket frames and messages over [`MAX_FRAME`] (256 KiB) break the socket
//! (and the session reconnects) rather than being read; an upgrade or proxy answer's head
//! over [`MAX_RESPONSE_HEAD`] is refused. Sending a frame or closing a socket is
//! bounded by [`SEND_TIMEOUT`]. Events wait for the application in a buffer of
//! [`EVENT_BUFFER`] bytes (1 MiB; [`SessionBuilder::event_buffer`]):
//! the task keeps reading frames and answering heartbeats however slowly the application
//! reads, and when the buffer is full the oldest events are dropped, the application gets
//! [`SessionEvent::Lagged`] with how many, and once it has caught up the dropped
//! messages come again from the transcript. A transcript read is one at a time, within
//! [`FILL_MAX_PAGES`] pages, [`MAX_ITEMS`] items and
//! [`FILL_TIMEOUT`]; a failed or cut read is reported
//! ([`SessionEvent::GapNotFilled`]). The [`Timeline`] keeps at most
//! [`MAX_ITEMS`] items and [`MAX_BYTES`] bytes, evicting the first
//! arrivals and remembering the last [`EVICTED_MEMORY`] evicted ids so that their
//! replays are not shown again. Attachments over [`MAX_ATTACHMENT`] (20 MB)
//! are refused both ways, and a transfer may take [`TRANSFER_TIMEOUT`].
//!
//! # Security
//!
//! The WebSocket URL must be `wss://` and pre-signed attachment URLs `https://`, unless
//! the client's own endpoint is plain `http://` (the user's choice, for local testing):
//! a downgrade is refused with an error that says so. Sockets and attachment transfers go
//! through the client's proxy (sockets with HTTP `CONNECT`); proxy environment variables
//! are ignored, as by the client. No token, pre-signed URL or chat content appears in any
//! `Debug` of this crate's types, in its errors, or in any log record the session causes
//! (the WebSocket library logs nothing; the upgrade, whose request line carries the
//! pre-signed URL's credentials, is done here without logging).
//!
//! # Parts
//!
//! The decisions are made without I/O, so that each part is tested on its own (the
//! timing with a controllable clock; the session too, over local sockets, with a
//! [`ManualClock`]):
//!
//! - `frame`: the frames to send, and every frame the service sends, parsed
//!   tolerantly (a frame without a topic is the service refusing something);
//! - `event`: a chat item as a typed event, told apart by its content type as ChatJS
//!   does;
//! - `timeline`: the chat so far, in order of `AbsoluteTime`, each `Id` once;
//! - `lifecycle`: the timing rules as state told the time;
//! - `backoff`: when to reconnect;
//! - `machine`: the session's decisions: told what happened and what time it is, it
//!   answers with what to do;
//! - `connect`: opening a socket (the URL checked, the proxy, TLS, the upgrade);
//! - `session`: the machine driven with real WebSockets (tokio-websockets over the
//!   client's rustls with ring), the client's REST calls and a `clock` (the real one,
//!   or a manual one tests move forward);
//! - `attachment`: upload (the pre-signed PUT with exactly the headers the service
//!   returned) and download.

//!
//! # Against Amazon's chat SDKs
//!
#![doc = include_str!("../PARITY.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// What an application uses is re-exported here; the modules are the parts (see "Parts"),
// hidden from the docs: the sans-I/O core is public only for this crate's own tests and
// benchmarks, and may change without notice.
#[doc(hidden)]
pub mod attachment;
#[doc(hidden)]
pub mod backoff;
#[doc(hidden)]
pub mod clock;
#[doc(hidden)]
pub mod connect;
#[doc(hidden)]
pub mod event;
#[doc(hidden)]
pub mod frame;
#[doc(hidden)]
pub mod lifecycle;
#[doc(hidden)]
pub mod machine;
#[doc(hidden)]
pub mod receipts;
#[doc(hidden)]
pub mod session;
#[doc(hidden)]
pub mod stream;
#[doc(hidden)]
pub mod timeline;

pub use attachment::{MAX_ATTACHMENT, TRANSFER_TIMEOUT};
pub use clock::{Clock, ManualClock, RealClock};
pub use connect::{MAX_RESPONSE_HEAD, OPEN_TIMEOUT};
pub use event::{ChatEvent, EVENT_CONTENT_TYPE};
pub use frame::MAX_FRAME;
pub use machine::Failure;
pub use machine::{ChatUpdate, EndReason, SessionEvent, Source, GIVE_UP_AFTER, LEAVE_GRACE};
pub use receipts::{DELIVERED_HOLD, RECEIPT_THROTTLE, TYPING_THROTTLE};
pub use session::{
    ChatError, ChatSession, ConnectionProvider, ProvidedConnection, ProviderError, Receipt,
    SessionBuilder, EVENT_BUFFER, FILL_MAX_PAGES, FILL_TIMEOUT, SEND_TIMEOUT,
};
pub use stream::{Streaming, MAX_HELD, MAX_STREAMS, MAX_STREAM_BYTES, STREAM_TIMEOUT};
pub use timeline::{Change, Placement, Timeline, EVICTED_MEMORY, MAX_BYTES, MAX_ITEMS};
