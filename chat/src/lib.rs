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
//! CONNECTION_CREDENTIALS, connecting the participant), opens the WebSocket and
//! subscribes (sent again after 1 s without a reply, given up after 3 tries), then sends
//! a heartbeat and a ping every 10 s. A closed socket or a heartbeat unanswered at the next tick
//! means the socket is lost ([`machine::SessionEvent::ConnectionLost`]): the session
//! reconnects after `min(2^n × 2 s, 30 s)`, with a new URL from
//! `CreateParticipantConnection` when the old one is over 85 s old, and once subscribed
//! again ([`machine::SessionEvent::ConnectionRestored`]) reads the transcript to fill the
//! gap. Items are shown once each: one that arrives again (a replay, the transcript, a
//! streamed reply's next chunk under the same `Id`) updates the one it repeats. Before
//! 59 minutes the socket rolls over to a new one (the old one closes once the new one is
//! subscribed; a new one that fails is tried again after the reconnect backoff while the
//! old one serves); a minute before the connection token expires it is refreshed.
//! `chat.ended`, or a refusal (403) while reconnecting, ends the session
//! ([`machine::SessionEvent::Ended`], then `None`). Dropping the session stops its task
//! and closes its sockets.
//!
//! # Limits
//!
//! WebSocket frames and messages over [`frame::MAX_FRAME`] (256 KiB) break the socket
//! (and the session reconnects) rather than being read; attachments over
//! [`attachment::MAX_ATTACHMENT`] (20 MB) are refused both ways, and a transfer may take
//! [`attachment::TRANSFER_TIMEOUT`]; the [`timeline::Timeline`] keeps the newest
//! [`timeline::MAX_ITEMS`] items. Errors never show a pre-signed URL or chat content.
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
//! - [`session`]: the machine driven with real WebSockets (tokio-tungstenite over the
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
