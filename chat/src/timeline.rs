//! The chat so far, as a participant shows it: in order of `AbsoluteTime`, each `Id`
//! once. An item that arrives again — the socket replays it after a reconnect, the
//! transcript that fills the gap repeats it, a streamed bot reply sends its next chunk
//! under the same `Id` — updates the one it repeats; it is never dropped blindly or shown
//! twice.
//!
//! It is bounded: at most [`MAX_ITEMS`] items and [`MAX_BYTES`] bytes of item text.
//! Beyond either, the items that *arrived* first are evicted (whatever time they claim,
//! so that items dated in the future cannot make every new item evict itself), and the
//! ids of the last [`EVICTED_MEMORY`] evicted items are remembered (as 64-bit keyed
//! hashes), so that a replay of an evicted item is not shown again. Inserting is
//! O(log n).

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::hash::BuildHasher;

use awsgen_runtime::DateTime;
use connectparticipant::types::Item;

/// At most this many items are kept; beyond it the first to arrive go first.
pub const MAX_ITEMS: usize = 10_000;

/// At most this many bytes of item text (content, ids, names, times; see
/// [`item_size`]) are kept; beyond it the first to arrive go first.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// How many evicted ids are remembered, so that their replays are not shown again.
pub const EVICTED_MEMORY: usize = 100_000;

/// What [`Timeline::insert`] did with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new item.
    Added,
    /// An item with this `Id` was there and differs: it was replaced.
    Updated,
    /// The same item again (a replay after a reconnect), or the replay of an item
    /// evicted earlier: nothing changed.
    Unchanged,
}

/// What inserting an item did, and where it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Added, updated or unchanged.
    pub change: Change,
    /// For an update, the item it replaced.
    pub previous: Option<Item>,
    /// The id of the item just before it in time order; `None` when it comes first (or
    /// that item has no id).
    pub after: Option<String>,
}

/// Chat items in order, each `Id` once.
#[derive(Clone, Default)]
pub struct Timeline {
    /// The items, in display order.
    items: BTreeMap<Key, Item>,
    /// Each item's key, by first arrival: the oldest arrival is evicted first.
    by_arrival: BTreeMap<u64, Key>,
    by_id: HashMap<String, Key>,
    bytes: usize,
    arrivals: u64,
    dropped: u64,
    evicted: EvictedIds,
}

/// Shows sizes only: the items are chat content.
impl std::fmt::Debug for Timeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timeline")
            .field("items", &self.items.len())
            .field("bytes", &self.bytes)
            .field("dropped", &self.dropped)
            .finish()
    }
}

/// Order: by time (items whose time cannot be read last), then by first arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    untimed: bool,
    time: Option<DateTime>,
    arrival: u64,
}

/// The last [`EVICTED_MEMORY`] evicted ids, as keyed hashes (a server cannot choose ids
/// that collide without knowing the key).
#[derive(Clone, Default)]
struct EvictedIds {
    hasher: RandomState,
    set: HashSet<u64>,
    order: VecDeque<u64>,
}

impl EvictedIds {
    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }

    fn remember(&mut self, id: &str) {
        let hash = self.hash(id);
        if self.set.insert(hash) {
            self.order.push_back(hash);
            if self.order.len() > EVICTED_MEMORY {
                if let Some(old) = self.order.pop_front() {
                    self.set.remove(&old);
                }
            }
        }
    }

    fn contains(&self, id: &str) -> bool {
        !self.set.is_empty() && self.set.contains(&self.hash(id))
    }
}

/// The bytes an item is counted for: its text, plus a fixed amount per item and per
/// attachment or receipt for the rest.
pub fn item_size(item: &Item) -> usize {
    let text = |s: Option<&str>| s.map_or(0, str::len);
    let attachments: usize = item
        .attachments()
        .iter()
        .map(|a| 64 + text(a.attachment_id()) + text(a.attachment_name()) + text(a.content_type()))
        .sum();
    let receipts = item
        .message_metadata()
        .map_or(0, |m| 64 + text(m.message_id()) + 128 * m.receipts().len());
    256 + text(item.id())
        + text(item.content())
        + text(item.content_type())
        + text(item.absolute_time())
        + text(item.display_name())
        + text(item.participant_id())
        + text(item.contact_id())
        + text(item.related_contact_id())
        + attachments
        + receipts
}

impl Timeline {
    /// An empty timeline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, or replaces the item with its `Id`; says which.
    pub fn insert(&mut self, item: Item) -> Change {
        self.place(item).change
    }

    /// Adds `item`, or replaces the item with its `Id`; says which, what it replaced, and
    /// which item it now follows.
    pub fn place(&mut self, item: Item) -> Placement {
        let unchanged = Placement {
            change: Change::Unchanged,
            previous: None,
            after: None,
        };
        let time = item.absolute_time().and_then(DateTime::parse_iso8601);
        let old_key = item.id().and_then(|id| self.by_id.get(id)).copied();
        let mut previous = None;
        let arrival = match old_key {
            Some(old) => {
                if self.items.get(&old) == Some(&item) {
                    return unchanged;
                }
                previous = self.take(&old);
                old.arrival
            }
            None if item.id().is_some_and(|id| self.evicted.contains(id)) => {
                return unchanged;
            }
            None => {
                self.arrivals += 1;
                self.arrivals
            }
        };
        let key = Key {
            untimed: time.is_none(),
            time,
            arrival,
        };
        self.bytes += item_size(&item);
        if let Some(id) = item.id() {
            self.by_id.insert(id.to_owned(), key);
        }
        self.by_arrival.insert(arrival, key);
        self.items.insert(key, item);
        self.evict(key);
        let after = self.items.range(..key).next_back();
        Placement {
            change: if old_key.is_some() {
                Change::Updated
            } else {
                Change::Added
            },
            previous,
            after: after.and_then(|(_, item)| item.id()).map(str::to_owned),
        }
    }

    /// Adds every item of a transcript page (to fill a gap after a reconnect).
    pub fn extend(&mut self, items: impl IntoIterator<Item = Item>) {
        for item in items {
            self.insert(item);
        }
    }

    /// Forgets the items with these ids, as if they had never arrived (nor been
    /// evicted): the user never saw them, and the transcript will bring them again.
    /// Returns the id of the newest item older than all of them that stays, where to
    /// read the transcript from.
    pub fn forget<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Option<String> {
        let mut earliest: Option<Key> = None;
        for id in ids {
            if let Some(key) = self.by_id.get(id).copied() {
                self.take(&key);
                earliest = Some(earliest.map_or(key, |e| e.min(key)));
            }
        }
        let before = earliest?;
        self.items
            .range(..before)
            .rev()
            .find_map(|(_, item)| item.id().map(str::to_owned))
    }

    /// The id of the newest item, in display order, that has an id and a time: where a
    /// gap fill reads the transcript from.
    pub fn newest_id(&self) -> Option<String> {
        self.items
            .iter()
            .rev()
            .filter(|(key, _)| !key.untimed)
            .find_map(|(_, item)| item.id().map(str::to_owned))
    }

    /// Of two places to read the transcript from, the one earlier in the chat: `None`
    /// (the start) when either is, or is not known.
    pub fn earlier(&self, a: Option<String>, b: Option<String>) -> Option<String> {
        let (a, b) = (a?, b?);
        let (key_a, key_b) = (self.by_id.get(&a)?, self.by_id.get(&b)?);
        Some(if key_a <= key_b { a } else { b })
    }

    /// The items, oldest first.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The bytes the items are counted for (see [`item_size`]).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many items were evicted to stay within [`MAX_ITEMS`] and [`MAX_BYTES`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Removes the item at `key` from every index.
    fn take(&mut self, key: &Key) -> Option<Item> {
        let item = self.items.remove(key)?;
        self.by_arrival.remove(&key.arrival);
        if let Some(id) = item.id() {
            self.by_id.remove(id);
        }
        self.bytes -= item_size(&item);
        Some(item)
    }

    /// Evicts the first arrivals until the bounds hold (never `keep`, the item just
    /// inserted, so that one item larger than the byte bound still shows).
    fn evict(&mut self, keep: Key) {
        while self.items.len() > MAX_ITEMS || (self.bytes > MAX_BYTES && self.items.len() > 1) {
            let Some((_, &oldest)) = self.by_arrival.iter().find(|(_, k)| **k != keep) else {
                return;
            };
            if let Some(item) = self.take(&oldest) {
                if let Some(id) = item.id() {
                    self.evicted.remember(id);
                }
                self.dropped += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, time: &str, content: &str) -> Item {
        let json = serde_json::json!({"Id": id, "AbsoluteTime": time, "Type": "MESSAGE", "Content": content});
        crate::frame::read_item(json).unwrap()
    }

    fn contents(timeline: &Timeline) -> Vec<&str> {
        timeline
            .items()
            .map(|i| i.content().unwrap_or(""))
            .collect()
    }

    fn time(i: usize) -> String {
        format!(
            "2026-12-01T12:{:02}:{:02}.{:03}Z",
            i / 60_000 % 60,
            i / 1000 % 60,
            i % 1000
        )
    }

    #[test]
    fn items_are_ordered_by_time_not_arrival() {
        let mut timeline = Timeline::new();
        timeline.insert(item("b", "2026-12-01T12:00:02.000Z", "third"));
        timeline.insert(item("a", "2026-12-01T12:00:01.500Z", "second"));
        // No fraction: as text it sorts after "01.500Z"; as an instant it is earlier.
        timeline.insert(item("c", "2026-12-01T12:00:01Z", "first"));
        timeline.insert(item("u", "not a time", "untimed"));
        assert_eq!(contents(&timeline), ["first", "second", "third", "untimed"]);
        assert_eq!(timeline.newest_id().as_deref(), Some("b"));
    }

    #[test]
    fn a_repeated_id_updates_and_a_replay_changes_nothing() {
        let mut timeline = Timeline::new();
        assert_eq!(
            timeline.insert(item("m", "2026-12-01T12:00:01Z", "Hel")),
            Change::Added
        );
        assert_eq!(
            timeline.insert(item("n", "2026-12-01T12:00:02Z", "next")),
            Change::Added
        );
        // The bot's reply streams: same Id, more content.
        assert_eq!(
            timeline.insert(item("m", "2026-12-01T12:00:01Z", "Hello")),
            Change::Updated
        );
        // After a reconnect the socket replays it: nothing new.
        assert_eq!(
            timeline.insert(item("m", "2026-12-01T12:00:01Z", "Hello")),
            Change::Unchanged
        );
        assert_eq!(contents(&timeline), ["Hello", "next"]);
        assert_eq!(timeline.len(), 2);
        // An update that moves the item in time moves it in the order.
        timeline.insert(item("m", "2026-12-01T12:00:03Z", "Hello!"));
        assert_eq!(contents(&timeline), ["next", "Hello!"]);
        assert_eq!(timeline.len(), 2);
    }

    #[test]
    fn a_transcript_page_fills_the_gap_without_duplicates() {
        let mut timeline = Timeline::new();
        timeline.insert(item("1", "2026-12-01T12:00:01Z", "one"));
        timeline.insert(item("4", "2026-12-01T12:00:04Z", "four"));
        // Messages 2 and 3 were sent while the socket was down; the transcript has them all.
        timeline.extend([
            item("1", "2026-12-01T12:00:01Z", "one"),
            item("2", "2026-12-01T12:00:02Z", "two"),
            item("3", "2026-12-01T12:00:03Z", "three"),
            item("4", "2026-12-01T12:00:04Z", "four"),
        ]);
        assert_eq!(contents(&timeline), ["one", "two", "three", "four"]);
    }

    #[test]
    fn a_flood_keeps_the_newest_arrivals_and_does_not_show_evicted_replays() {
        let mut timeline = Timeline::new();
        for i in 0..(MAX_ITEMS + 5) {
            timeline.insert(item(&i.to_string(), &time(i), "x"));
        }
        assert_eq!(timeline.len(), MAX_ITEMS);
        assert_eq!(timeline.dropped(), 5);
        assert_eq!(timeline.items().next().unwrap().id(), Some("5"));
        // An evicted item replayed (after a reconnect): remembered, not shown again.
        assert_eq!(timeline.insert(item("0", &time(0), "x")), Change::Unchanged);
        assert_eq!(timeline.len(), MAX_ITEMS);
    }

    #[test]
    fn items_dated_in_the_future_do_not_make_new_items_evict_themselves() {
        let mut timeline = Timeline::new();
        for i in 0..MAX_ITEMS {
            timeline.insert(item(&format!("f{i}"), "2999-01-01T00:00:00Z", "future"));
        }
        // A real item arrives: it stays (the first arrival goes), and shows before them.
        assert_eq!(
            timeline.insert(item("now", "2026-12-01T12:00:00Z", "now")),
            Change::Added
        );
        assert_eq!(timeline.items().next().unwrap().id(), Some("now"));
        assert_eq!(timeline.len(), MAX_ITEMS);
        assert_eq!(timeline.dropped(), 1);
    }

    #[test]
    fn bytes_are_bounded_too() {
        let mut timeline = Timeline::new();
        let big = "x".repeat(64 * 1024);
        let n = MAX_BYTES / big.len() + 10;
        for i in 0..n {
            timeline.insert(item(&i.to_string(), &time(i), &big));
        }
        assert!(timeline.bytes() <= MAX_BYTES, "{}", timeline.bytes());
        assert!(timeline.len() < n);
        assert_eq!(timeline.len() as u64 + timeline.dropped(), n as u64);
        let sum: usize = timeline.items().map(item_size).sum();
        assert_eq!(sum, timeline.bytes(), "the count follows the items");
        // One item over the bound on its own is still kept (alone).
        let huge = "y".repeat(MAX_BYTES + 1);
        assert_eq!(
            timeline.insert(item("huge", &time(n), &huge)),
            Change::Added
        );
        assert_eq!(timeline.len(), 1);
    }

    #[test]
    fn forgotten_items_come_back_and_the_fill_starts_before_them() {
        let mut timeline = Timeline::new();
        for i in 1..=5 {
            timeline.insert(item(&i.to_string(), &time(i), "x"));
        }
        assert_eq!(timeline.forget(["4", "3", "unknown"]).as_deref(), Some("2"));
        assert_eq!(timeline.len(), 3);
        assert_eq!(timeline.insert(item("3", &time(3), "x")), Change::Added);
        assert_eq!(timeline.forget(["1"]), None);
        assert_eq!(timeline.forget(["nothing"]), None);
    }
}
