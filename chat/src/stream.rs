//! Messages streamed in chunks (a bot's reply arriving as it is written), stitched as
//! ChatJS stitches them (its `PartialMessageUtil`), without I/O. Chunks share the
//! message's `Id`; `MessageMetadata.ChunkNumber` counts them from 1 and the last one has
//! `MessageCompleted`, its content the whole message.
//!
//! - Chunks are joined in number order; one that comes early is held until those before
//!   it arrive (ChatJS drops it and waits for the completed message), a repeated one is
//!   ignored, so every change shown is a visible one.
//! - The completed chunk replaces what was stitched.
//! - A stream without a new chunk for [`STREAM_TIMEOUT`] is given up: shown as it stands,
//!   marked [`Streaming::Abandoned`].
//! - At most [`MAX_STREAMS`] streams at once, [`MAX_HELD`] chunks held for each, and
//!   [`MAX_STREAM_BYTES`] of content joined and held in all: a server cannot grow the
//!   session without bound (a chunk over it is ignored; the completed message still
//!   comes whole).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use connectparticipant::types::Item;

use crate::frame::Chunk;

/// A stream without a new chunk for this long is given up.
pub const STREAM_TIMEOUT: Duration = Duration::from_secs(60);

/// Streams stitched at once; chunks of more are ignored until one ends.
pub const MAX_STREAMS: usize = 64;

/// Early chunks held per stream.
pub const MAX_HELD: usize = 256;

/// Content joined and chunks held, in all streams, in bytes.
pub const MAX_STREAM_BYTES: usize = 1024 * 1024;

/// Where a streamed message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streaming {
    /// More chunks are coming.
    InProgress,
    /// The last chunk came: the message is whole.
    Completed,
    /// No chunk came for [`STREAM_TIMEOUT`]: the message may be incomplete.
    Abandoned,
}

#[derive(Clone)]
struct Stream {
    /// The first chunk's time: the message's.
    time: Option<String>,
    /// The latest chunk joined, and the content so far.
    latest: Item,
    content: String,
    /// The number of the latest chunk joined (0: none yet).
    joined: u64,
    held: BTreeMap<u64, Item>,
    last_chunk_at: Instant,
}

impl Stream {
    /// Joins the held chunks that now follow; whether any did.
    fn join_held(&mut self) -> bool {
        let mut joined = false;
        while let Some(item) = self.held.remove(&(self.joined + 1)) {
            if self.joined == 0 {
                self.time = item.absolute_time().map(str::to_owned);
            }
            self.content.push_str(item.content().unwrap_or_default());
            self.latest = item;
            self.joined += 1;
            joined = true;
        }
        joined
    }

    /// The message as it stands.
    fn stitched(&self) -> Item {
        with_content(&self.latest, self.content.clone(), self.time.as_deref())
    }
}

/// A streamed message as it now stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Stitched {
    /// The message so far (or whole).
    pub item: Item,
    /// Where it stands.
    pub streaming: Streaming,
    /// A stream ended here (completed or given up): news even when its content is what
    /// was already shown.
    pub ended: bool,
}

impl Stream {
    /// The bytes it holds: content joined, and chunks held.
    fn bytes(&self) -> usize {
        self.content.len() + self.held.values().map(chunk_bytes).sum::<usize>()
    }
}

fn chunk_bytes(item: &Item) -> usize {
    item.content().map_or(0, str::len)
}

/// The streams being stitched. Its `Debug` shows no chat content.
#[derive(Clone, Default)]
pub struct Streams {
    open: HashMap<String, Stream>,
    /// What every stream holds, in bytes (see [`MAX_STREAM_BYTES`]).
    bytes: usize,
}

impl std::fmt::Debug for Streams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streams")
            .field("open", &self.open.len())
            .field("bytes", &self.bytes)
            .finish()
    }
}

impl Streams {
    /// None yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A chunk arrived at `now`: the message as it now stands when that changed what is
    /// shown, `None` when it did not (early, repeated, or over the bounds).
    pub fn chunk(&mut self, item: Item, chunk: Chunk, now: Instant) -> Option<Stitched> {
        let whole = |item, ended| Stitched {
            item,
            streaming: Streaming::Completed,
            ended,
        };
        let Some(id) = item.id().map(str::to_owned) else {
            return Some(whole(item, false)); // Nothing to join it to.
        };
        if chunk.completed {
            let ended = self.remove(&id).is_some();
            return Some(whole(item, ended));
        }
        let number = chunk.number.filter(|n| *n > 0)?;
        if !self.open.contains_key(&id) && self.open.len() >= MAX_STREAMS {
            return None;
        }
        let stream = self.open.entry(id).or_insert_with(|| Stream {
            time: None,
            latest: item.clone(),
            content: String::new(),
            joined: 0,
            held: BTreeMap::new(),
            last_chunk_at: now,
        });
        let repeated = number <= stream.joined || stream.held.contains_key(&number);
        let too_big = self.bytes + chunk_bytes(&item) > MAX_STREAM_BYTES;
        if repeated || too_big || stream.held.len() >= MAX_HELD {
            return None;
        }
        self.bytes += chunk_bytes(&item);
        stream.last_chunk_at = now;
        stream.held.insert(number, item);
        stream.join_held().then(|| Stitched {
            item: stream.stitched(),
            streaming: Streaming::InProgress,
            ended: false,
        })
    }

    /// When the stream that has waited longest for a chunk is given up.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.open
            .values()
            .map(|s| s.last_chunk_at + STREAM_TIMEOUT)
            .min()
    }

    /// Gives up the streams without a chunk for [`STREAM_TIMEOUT`] by `now`: each as it
    /// stands (one with nothing joined yet has nothing to show).
    pub fn expire(&mut self, now: Instant) -> Vec<Stitched> {
        let expired: Vec<String> = self
            .open
            .iter()
            .filter(|(_, s)| now >= s.last_chunk_at + STREAM_TIMEOUT)
            .map(|(id, _)| id.clone())
            .collect();
        let mut given_up: Vec<Stitched> = expired
            .iter()
            .filter_map(|id| self.remove(id))
            .filter(|s| s.joined > 0)
            .map(|s| Stitched {
                item: s.stitched(),
                streaming: Streaming::Abandoned,
                ended: true,
            })
            .collect();
        // In a fixed order (a map's is not).
        given_up.sort_by(|a, b| a.item.id().cmp(&b.item.id()));
        given_up
    }

    /// The whole message `id` arrived otherwise (from the transcript): its stream ends.
    pub fn forget(&mut self, id: &str) {
        self.remove(id);
    }

    /// Ends stream `id`, giving back what it held.
    fn remove(&mut self, id: &str) -> Option<Stream> {
        let stream = self.open.remove(id)?;
        self.bytes -= stream.bytes();
        Some(stream)
    }
}

/// `item` with `content`, and the message's time when given. Every other member is
/// copied by name (the generated `Item` has no `to_builder`): the test
/// `a_stitched_item_keeps_every_member_the_model_gives_it` fails when the model gives
/// `Item` a member this does not copy.
fn with_content(item: &Item, content: String, time: Option<&str>) -> Item {
    let owned = |text: Option<&str>| text.map(str::to_owned);
    let attachments = item.attachments();
    Item::builder()
        .set_absolute_time(owned(time.or(item.absolute_time())))
        .content(content)
        .set_content_type(owned(item.content_type()))
        .set_id(owned(item.id()))
        .set_type(item.r#type().cloned())
        .set_participant_id(owned(item.participant_id()))
        .set_display_name(owned(item.display_name()))
        .set_participant_role(item.participant_role().cloned())
        .set_attachments((!attachments.is_empty()).then(|| attachments.to_vec()))
        .set_message_metadata(item.message_metadata().cloned())
        .set_related_contact_id(owned(item.related_contact_id()))
        .set_contact_id(owned(item.contact_id()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value of `shape` as the model describes it, every member of a structure set.
    fn sample(shapes: &serde_json::Value, shape: &str, depth: usize) -> serde_json::Value {
        use serde_json::{json, Value};
        let def = &shapes[shape];
        match def["type"].as_str().unwrap_or_default() {
            "structure" if depth < 4 => {
                let members = def["members"].as_object().cloned().unwrap_or_default();
                let object = members.iter().map(|(name, member)| {
                    let value = sample(shapes, member["shape"].as_str().unwrap(), depth + 1);
                    (name.clone(), value)
                });
                Value::Object(object.collect())
            }
            "list" => json!([sample(
                shapes,
                def["member"]["shape"].as_str().unwrap(),
                depth + 1
            )]),
            "string" => match def["enum"].as_array().and_then(|values| values.first()) {
                Some(value) => value.clone(),
                None => json!(format!("{shape}-value")),
            },
            "boolean" => json!(true),
            "integer" | "long" => json!(7),
            _ => Value::Null,
        }
    }

    /// Stitching keeps every member of the chunk's item but its content and time: an
    /// item with every member the model gives `Item` (read from the checked-in model, so
    /// a member a model update adds is covered) comes back whole.
    #[test]
    fn a_stitched_item_keeps_every_member_the_model_gives_it() {
        let model = include_str!("../../models/service-2.json");
        let model: serde_json::Value = serde_json::from_str(model).unwrap();
        let full = sample(&model["shapes"], "Item", 0);
        let members = full.as_object().unwrap().len();
        assert!(members >= 12, "{full}");
        let item = crate::frame::read_item(full).unwrap();
        let kept = with_content(
            &item,
            item.content().unwrap().to_owned(),
            item.absolute_time(),
        );
        assert_eq!(kept, item);
        assert!(!item.attachments().is_empty() && item.message_metadata().is_some());
    }

    fn part(n: u64, text: &str) -> (Item, Chunk) {
        let item = Item::builder()
            .id("r1")
            .content(text)
            .absolute_time(format!("2026-12-01T12:00:{n:02}.000Z"))
            .build();
        let chunk = Chunk {
            number: Some(n),
            completed: false,
        };
        (item, chunk)
    }

    /// The content shown after each chunk (`-` when nothing changed).
    fn shown(streams: &mut Streams, chunks: &[(u64, &str)], now: Instant) -> Vec<String> {
        chunks
            .iter()
            .map(|(n, text)| {
                let (item, chunk) = part(*n, text);
                match streams.chunk(item, chunk, now) {
                    Some(stitched) => stitched.item.content().unwrap_or_default().to_owned(),
                    None => "-".to_owned(),
                }
            })
            .collect()
    }

    #[test]
    fn chunks_in_order_grow_the_message_and_keep_its_first_time() {
        let now = Instant::now();
        let mut streams = Streams::new();
        let grown = shown(&mut streams, &[(1, "Hel"), (2, "lo "), (3, "there")], now);
        assert_eq!(grown, ["Hel", "Hello ", "Hello there"]);
        let (item, chunk) = part(4, "");
        let last = streams.chunk(item, chunk, now).unwrap();
        assert_eq!(last.streaming, Streaming::InProgress);
        assert_eq!(last.item.absolute_time(), Some("2026-12-01T12:00:01.000Z"));
        let done = Item::builder().id("r1").content("Hello there!").build();
        let complete = Chunk {
            number: Some(5),
            completed: true,
        };
        let whole = streams.chunk(done.clone(), complete, now).unwrap();
        assert_eq!(whole.item.content(), Some("Hello there!"));
        assert_eq!((whole.streaming, whole.ended), (Streaming::Completed, true));
        // The completed message again (a replay): whole, but no stream ended.
        assert!(!streams.chunk(done, complete, now).unwrap().ended);
        assert_eq!(streams.next_deadline(), None);
    }

    #[test]
    fn reversed_chunks_are_held_until_those_before_them_arrive() {
        let now = Instant::now();
        let mut streams = Streams::new();
        let grown = shown(&mut streams, &[(3, "c"), (2, "b"), (1, "a")], now);
        assert_eq!(grown, ["-", "-", "abc"]);
    }

    #[test]
    fn repeated_chunks_change_nothing() {
        let now = Instant::now();
        let mut streams = Streams::new();
        let grown = shown(
            &mut streams,
            &[(1, "a"), (1, "a"), (3, "c"), (3, "c"), (2, "b")],
            now,
        );
        assert_eq!(grown, ["a", "-", "-", "-", "abc"]);
    }

    #[test]
    fn a_stream_never_completed_is_given_up_after_the_timeout() {
        assert_eq!(STREAM_TIMEOUT, Duration::from_secs(60), "as the docs say");
        let now = Instant::now();
        let mut streams = Streams::new();
        shown(&mut streams, &[(1, "half a "), (2, "reply")], now);
        assert_eq!(streams.next_deadline(), Some(now + STREAM_TIMEOUT));
        assert!(streams.expire(now + Duration::from_secs(59)).is_empty());
        let given_up = streams.expire(now + STREAM_TIMEOUT);
        assert_eq!(given_up.len(), 1);
        assert_eq!(given_up[0].item.content(), Some("half a reply"));
        assert_eq!(given_up[0].streaming, Streaming::Abandoned);
        assert_eq!(streams.next_deadline(), None);
    }

    #[test]
    fn streams_and_held_chunks_are_bounded() {
        let now = Instant::now();
        let mut streams = Streams::new();
        for n in 0..MAX_STREAMS + 5 {
            let item = Item::builder().id(format!("s{n}")).content("x").build();
            let chunk = Chunk {
                number: Some(2),
                completed: false,
            };
            assert!(streams.chunk(item, chunk, now).is_none());
        }
        assert_eq!(streams.open.len(), MAX_STREAMS);
        let mut streams = Streams::new();
        for n in 2..MAX_HELD as u64 + 10 {
            let (item, chunk) = part(n, "x");
            streams.chunk(item, chunk, now);
        }
        assert_eq!(streams.open["r1"].held.len(), MAX_HELD);
        // Bytes too: a chunk that would pass the bound is ignored, and the bytes come
        // back when the stream ends.
        let mut streams = Streams::new();
        let big = "x".repeat(MAX_STREAM_BYTES / 2 + 1);
        let (item, chunk) = part(1, &big);
        assert!(streams.chunk(item, chunk, now).is_some());
        let (item, chunk) = part(2, &big);
        assert!(
            streams.chunk(item, chunk, now).is_none(),
            "over the byte bound"
        );
        assert_eq!(streams.bytes, big.len());
        streams.forget("r1");
        assert_eq!(streams.bytes, 0);
        assert_eq!(format!("{streams:?}"), "Streams { open: 0, bytes: 0 }");
    }
}
