//! A real-time Amazon Connect chat participant, built on the generated
//! `connectparticipant` client. Amazon's ChatJS and its iOS and Android SDKs receive a
//! chat's messages and events over the WebSocket that `CreateParticipantConnection`
//! returns; this crate does the same in Rust.
//!
//! **Status:** this is the protocol core, without I/O, each part tested on its own:
//!
//! - [`frame`]: the WebSocket frames — the subscribe, heartbeat and ping frames to send,
//!   and every frame the service sends, parsed tolerantly (a frame without a topic is the
//!   service refusing something), with a size limit;
//! - [`event`]: a chat item as a typed event (message, typing, joined, left, receipts,
//!   attachment, chat ended, …), told apart by its content type as ChatJS does;
//! - [`timeline`]: the chat so far, in order of `AbsoluteTime`, where an item that
//!   arrives again (after a reconnect, or a streamed bot reply's next chunk) updates the
//!   one it repeats instead of being dropped or shown twice, and a transcript page fills
//!   a gap;
//! - [`lifecycle`]: the timing rules — subscribe retries, heartbeats, URL age, the
//!   59-minute rollover, token refresh — as state told the time (a controllable clock);
//! - [`backoff`]: when to reconnect, `min(2^n × 2 s, 30 s)`;
//! - [`machine`]: the session's decisions, without I/O: told what happened and what time
//!   it is, it answers with what to do (create a connection, open, send, close, fetch
//!   the transcript, emit an event), applying all of the above.
//!
//! The session itself (the WebSocket over the client's rustls driving the machine, the
//! REST calls, attachments) is not built yet.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backoff;
pub mod event;
pub mod frame;
pub mod lifecycle;
pub mod machine;
pub mod timeline;
