//! A real-time Amazon Connect chat participant, built on the generated
//! `connectparticipant` client. Amazon's ChatJS and its iOS and Android SDKs receive a
//! chat's messages and events over the WebSocket that `CreateParticipantConnection`
//! returns; this crate does the same in Rust.
//!
//! ```no_run
//! use connectparticipant::{Client, Config};
//! use connectparticipant_chat::event::ChatEvent;
//! use connectparticipant_chat::machine::SessionEvent;
//! use connectparticipant_chat::session::ChatSession;
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(&Config::from_env().region("us-east-1").build()?)?;
//! // The participant token comes from StartChatContact (your backend calls it).
//! let mut session = ChatSession::start(&client, "participant-token");
//! while let Some(event) = session.next_event().await {
//!     match event {
//!         SessionEvent::Connected => session.send_message("text/plain", "Hello!").await.map(drop)?,
//!         SessionEvent::Chat(event) => {
//!             if let ChatEvent::Message(item) = *event {
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
//! # Lifecycle
//!
//! [`session::ChatSession::start`] creates the connection (WEBSOCKET and
//! CONNECTION_CREDENTIALS, connecting the participant), opens the WebSocket (within
//! [`connect::OPEN_TIMEOUT`], 10 s) and subscribes (sent again after 1 s without a reply,
//! given up after 3 tries), then sends a heartbeat and a ping every 10 s. A closed socket
//! or a heartbeat unanswered at the next tick means the socket is lost
//! ([`machine::SessionEvent::ConnectionLost`]): the session reconnects after
//! `min(2^n × 2 s, 30 s)` (the count starts over only once a socket has answered a
//! heartbeat), with a new URL from `CreateParticipantConnection` when the old one is over
//! 85 s old, and once subscribed again ([`machine::SessionEvent::ConnectionRestored`])
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
//! [`machine::SessionEvent::Ended`], then `None`, with an [`machine::EndReason`]:
//!
//! - `ChatEnded`: `chat.ended` arrived;
//! - `Disconnected`: [`session::ChatSession::disconnect`] left the chat;
//! - `TokenRefused`: `CreateParticipantConnection` answered 401/403, or the socket was
//!   refused (401/403 at the upgrade, or a `Forbidden` frame) twice, the second time with
//!   a fresh URL asked for at once: within seconds of the first refusal;
//! - `JoinFailed`: the first `CreateParticipantConnection` failed for a reason retrying
//!   cannot mend (a wrong region or endpoint, DNS, another 4xx, a `ws://` URL): its error,
//!   as soon as the client's own retries are done (throttling and 5xx are retried);
//! - `GaveUp`: no socket was healthy for [`machine::GIVE_UP_AFTER`] (5 minutes, about 14
//!   attempts) after a failure, with the last error.
//!
//! # Limits
//!
//! WebSocket frames and messages over [`frame::MAX_FRAME`] (256 KiB) break the socket
//! (and the session reconnects) rather than being read; an upgrade or proxy answer's head
//! over [`connect::MAX_RESPONSE_HEAD`] is refused. Sending a frame or closing a socket is
//! bounded by [`session::SEND_TIMEOUT`]. Events wait for the application in a buffer of
//! [`session::EVENT_BUFFER`] bytes (1 MiB; [`session::SessionBuilder::event_buffer`]):
//! the task keeps reading frames and answering heartbeats however slowly the application
//! reads, and when the buffer is full the oldest events are dropped, the application gets
//! [`machine::SessionEvent::Lagged`] with how many, and once it has caught up the dropped
//! messages come again from the transcript. A transcript read is one at a time, within
//! [`session::FILL_MAX_PAGES`] pages, [`timeline::MAX_ITEMS`] items and
//! [`session::FILL_TIMEOUT`]; a failed or cut read is reported
//! ([`machine::SessionEvent::GapNotFilled`]). The [`timeline::Timeline`] keeps at most
//! [`timeline::MAX_ITEMS`] items and [`timeline::MAX_BYTES`] bytes, evicting the first
//! arrivals and remembering the last [`timeline::EVICTED_MEMORY`] evicted ids so that their
//! replays are not shown again. Attachments over [`attachment::MAX_ATTACHMENT`] (20 MB)
//! are refused both ways, and a transfer may take [`attachment::TRANSFER_TIMEOUT`].
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
//! [`clock::ManualClock`]):
//!
//! - [`frame`]: the frames to send, and every frame the service sends, parsed
//!   tolerantly (a frame without a topic is the service refusing something);
//! - [`event`]: a chat item as a typed event, told apart by its content type as ChatJS
//!   does;
//! - [`timeline`]: the chat so far, in order of `AbsoluteTime`, each `Id` once;
//! - [`lifecycle`]: the timing rules as state told the time;
//! - [`backoff`]: when to reconnect;
//! - [`machine`]: the session's decisions: told what happened and what time it is, it
//!   answers with what to do;
//! - [`connect`]: opening a socket (the URL checked, the proxy, TLS, the upgrade);
//! - [`session`]: the machine driven with real WebSockets (tokio-websockets over the
//!   client's rustls with ring), the client's REST calls and a [`clock`] (the real one,
//!   or a manual one tests move forward);
//! - [`attachment`]: upload (the pre-signed PUT with exactly the headers the service
//!   returned) and download.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attachment;
pub mod backoff;
pub mod clock;
pub mod connect;
pub mod event;
pub mod frame;
pub mod lifecycle;
pub mod machine;
pub mod session;
pub mod timeline;
