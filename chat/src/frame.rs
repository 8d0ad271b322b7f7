//! The frames of the chat WebSocket: what a participant sends (subscribe, heartbeat, ping)
//! and what the service sends back, parsed without trusting it.

use connectparticipant::types::Item;
use serde_json::Value;

/// The frame that subscribes to the chat's messages, sent once the socket is open.
pub const SUBSCRIBE: &str = r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#;
/// Sent every 10 s; the service answers with the same frame.
pub const HEARTBEAT: &str = r#"{"topic":"aws/heartbeat"}"#;
/// Sent every 10 s; the service answers with a status.
pub const PING: &str = r#"{"topic":"aws/ping"}"#;

/// The largest frame read, in bytes. A chat message's content is at most 16 KiB (the
/// service's limit), encoded twice (the item is JSON text inside the frame's JSON), with
/// its metadata: 256 KiB leaves room, and stops a hostile server from making the client
/// hold whatever it sends.
pub const MAX_FRAME: usize = 256 * 1024;

/// A frame the service sent. Its `Debug` shows a chat item as [`ChatEvent`](crate::event::ChatEvent)
/// does: no content.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum Incoming {
    /// The reply to [`SUBSCRIBE`]: subscribed when `success`; `status` as sent.
    SubscribeAck {
        /// Whether the status was `success`.
        success: bool,
        /// The status the service sent.
        status: String,
    },
    /// The reply to [`HEARTBEAT`].
    Heartbeat,
    /// The reply to [`PING`].
    Pong,
    /// A message or event of the chat: the frame's content, as a transcript item.
    Chat(Box<Item>),
    /// One chunk of a message streamed in parts (a bot's reply): its
    /// `MessageMetadata` has `MessageCompleted`, and the chunks share the message's `Id`.
    Chunk(Box<Item>, Chunk),
    /// A frame without a topic: the service refusing something (`{"message":"Forbidden"}`).
    Refused {
        /// The service's message.
        message: String,
    },
    /// A topic this client does not read.
    Other {
        /// The frame's topic.
        topic: String,
    },
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Incoming::SubscribeAck { success, status } => f
                .debug_struct("SubscribeAck")
                .field("success", success)
                .field("status", status)
                .finish(),
            Incoming::Heartbeat => f.write_str("Heartbeat"),
            Incoming::Pong => f.write_str("Pong"),
            Incoming::Chat(item) => f
                .debug_struct("Chat")
                .field("id", &item.id())
                .field("content_type", &item.content_type())
                .finish_non_exhaustive(),
            Incoming::Chunk(item, chunk) => f
                .debug_struct("Chunk")
                .field("id", &item.id())
                .field("chunk", chunk)
                .finish_non_exhaustive(),
            Incoming::Refused { message } => {
                f.debug_struct("Refused").field("message", message).finish()
            }
            Incoming::Other { topic } => f.debug_struct("Other").field("topic", topic).finish(),
        }
    }
}

/// A frame that is not what the protocol says. The message names what is wrong and
/// never quotes the frame, which may hold chat content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    message: String,
}

impl FrameError {
    fn new(message: impl Into<String>) -> Self {
        FrameError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable chat frame: {}", self.message)
    }
}

impl std::error::Error for FrameError {}

/// Where a chunk of a streamed message stands (`MessageMetadata.ChunkNumber` and
/// `MessageCompleted`, which the model does not list yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Its number, from 1; `None` when not given.
    pub number: Option<u64>,
    /// The last one: its content is the whole message.
    pub completed: bool,
}

/// Reads one text frame.
pub fn parse(text: &str) -> Result<Incoming, FrameError> {
    if text.len() > MAX_FRAME {
        return Err(FrameError::new(format!(
            "{} bytes, more than the {MAX_FRAME} accepted",
            text.len()
        )));
    }
    let frame: Value = serde_json::from_str(text).map_err(|e| {
        FrameError::new(format!(
            "not JSON ({:?} at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let Some(object) = frame.as_object() else {
        return Err(FrameError::new("not a JSON object"));
    };
    let Some(topic) = object.get("topic").and_then(Value::as_str) else {
        return match object.get("message").and_then(Value::as_str) {
            Some(message) => Ok(Incoming::Refused {
                message: message.to_owned(),
            }),
            None => Err(FrameError::new("no topic and no message")),
        };
    };
    let content = object.get("content");
    match topic {
        "aws/subscribe" => {
            let status = content
                .and_then(|c| c.get("status"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            Ok(Incoming::SubscribeAck {
                success: status.eq_ignore_ascii_case("success"),
                status,
            })
        }
        "aws/heartbeat" => Ok(Incoming::Heartbeat),
        "aws/ping" => Ok(Incoming::Pong),
        "aws/chat" => {
            let item = chat_item(content)?;
            Ok(match chunk_of(content) {
                Some(chunk) => Incoming::Chunk(Box::new(item), chunk),
                None => Incoming::Chat(Box::new(item)),
            })
        }
        other => Ok(Incoming::Other {
            topic: other.to_owned(),
        }),
    }
}

/// The item in an `aws/chat` frame: its `content` is the item's JSON as a string (or,
/// tolerated, the item itself).
fn chat_item(content: Option<&Value>) -> Result<Item, FrameError> {
    let unreadable = |e: serde_json::Error| {
        FrameError::new(format!(
            "its item is not a transcript item ({:?})",
            e.classify()
        ))
    };
    match content {
        Some(Value::String(text)) => {
            let mut json = serde_json::Deserializer::from_str(text);
            read_item(&mut json)
                .and_then(|item| json.end().map(|()| item))
                .map_err(unreadable)
        }
        Some(item @ Value::Object(_)) => read_item(item).map_err(unreadable),
        _ => Err(FrameError::new("an aws/chat frame without content")),
    }
}

/// The chunk a chat item is, when it is part of a streamed message (its
/// `MessageMetadata.MessageCompleted` is a boolean).
fn chunk_of(content: Option<&Value>) -> Option<Chunk> {
    let parsed;
    let item = match content? {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).ok()?;
            &parsed
        }
        item => item,
    };
    let metadata = item.get("MessageMetadata")?;
    Some(Chunk {
        completed: metadata.get("MessageCompleted")?.as_bool()?,
        number: metadata.get("ChunkNumber").and_then(Value::as_u64),
    })
}

/// An item as the service writes it, read as `GetTranscript`'s are (the generated crate's
/// wire form: JSON names, `null` list entries dropped, timestamps read leniently).
pub(crate) fn read_item<'de, D: awsgen_runtime::serde::Deserializer<'de>>(
    json: D,
) -> Result<Item, D::Error> {
    <Item as awsgen_runtime::wire::FromJson>::from_json(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outgoing_frames_are_the_protocols() {
        for frame in [SUBSCRIBE, HEARTBEAT, PING] {
            let json: Value = serde_json::from_str(frame).unwrap();
            assert!(json["topic"].as_str().unwrap().starts_with("aws/"));
        }
        let subscribe: Value = serde_json::from_str(SUBSCRIBE).unwrap();
        assert_eq!(subscribe["content"]["topics"][0], "aws/chat");
    }

    #[test]
    fn the_subscribe_ack_succeeds_only_with_success() {
        let ack = |status: &str| {
            parse(&format!(
                r#"{{"topic":"aws/subscribe","content":{{"status":"{status}","topics":["aws/chat"]}}}}"#
            ))
            .unwrap()
        };
        assert_eq!(
            ack("success"),
            Incoming::SubscribeAck {
                success: true,
                status: "success".into()
            }
        );
        assert!(matches!(
            ack("failure"),
            Incoming::SubscribeAck { success: false, .. }
        ));
        assert!(matches!(
            parse(r#"{"topic":"aws/subscribe"}"#).unwrap(),
            Incoming::SubscribeAck { success: false, .. }
        ));
    }

    #[test]
    fn replies_and_chat_items_are_read() {
        assert_eq!(parse(HEARTBEAT).unwrap(), Incoming::Heartbeat);
        assert_eq!(
            parse(r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#).unwrap(),
            Incoming::Pong
        );
        let item = r#"{"AbsoluteTime":"2026-12-01T12:00:00.000Z","Content":"hi","ContentType":"text/plain","Id":"m1","Type":"MESSAGE","ParticipantRole":"AGENT"}"#;
        let frame = serde_json::json!({"topic": "aws/chat", "contentType": "application/json", "content": item});
        let Incoming::Chat(chat) = parse(&frame.to_string()).unwrap() else {
            panic!("not a chat item");
        };
        assert_eq!((chat.id(), chat.content()), (Some("m1"), Some("hi")));
    }

    #[test]
    fn hostile_or_broken_frames_are_errors_that_quote_nothing() {
        assert_eq!(
            parse(r#"{"message":"Forbidden","connectionId":"x"}"#).unwrap(),
            Incoming::Refused {
                message: "Forbidden".into()
            }
        );
        for bad in [
            "not json at all: secret",
            "[1,2]",
            r#"{"connectionId":"x"}"#,
            r#"{"topic":"aws/chat"}"#,
            r#"{"topic":"aws/chat","content":"{\"Id\": 5, \"Content\": \"secret\"}"}"#,
        ] {
            let error = parse(bad).unwrap_err().to_string();
            assert!(!error.contains("secret"), "{error}");
        }
        let huge = format!(
            r#"{{"topic":"aws/chat","content":"{}"}}"#,
            "x".repeat(MAX_FRAME)
        );
        assert!(parse(&huge).unwrap_err().to_string().contains("more than"));
        assert_eq!(
            parse(r#"{"topic":"aws/typing"}"#).unwrap(),
            Incoming::Other {
                topic: "aws/typing".into()
            }
        );
    }
}
