//! A real-time Amazon Connect chat participant, built on the generated
//! `connectparticipant` client. Amazon's ChatJS and its iOS and Android SDKs receive a
//! chat's messages and events over the WebSocket that `CreateParticipantConnection`
//! returns; this crate does the same in Rust.
//!
//! **Status:** a first [`session::ChatSession`] (join, events, send a message or an
//! event, share and fetch attachments, disconnect; reconnection, rollover and token
//! refresh inside), over the protocol core, whose parts are tested on their own without
//! I/O:
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
//! - [`session`]: the machine driven with real WebSockets (tokio-tungstenite over the
//!   client's rustls with ring, frames bounded to 256 KiB), the client's REST calls and
//!   the clock; dropping the session stops its task and closes its sockets.
//!
//! - [`attachment`]: upload (the pre-signed PUT with exactly the headers the service
//!   returned) and download, sizes checked (20 MB), pre-signed URLs never in errors.
//!
//! Not built yet: the examples, and tests of the rollover and token refresh over real
//! sockets (the machine's tests cover them with a controllable clock).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attachment;
pub mod backoff;
pub mod event;
pub mod frame;
pub mod lifecycle;
pub mod machine;
pub mod session;
pub mod timeline;
