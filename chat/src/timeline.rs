//! The chat so far, as a participant shows it: in order of `AbsoluteTime`, each `Id`
//! once. An item that arrives again — the socket replays it after a reconnect, the
//! transcript that fills the gap repeats it, a streamed bot reply sends its next chunk
//! under the same `Id` — updates the one it repeats; it is never dropped blindly or shown
//! twice.

use std::collections::HashMap;

use awsgen_runtime::DateTime;
use connectparticipant::types::Item;

/// At most this many items are kept; beyond it the oldest go first, so a server that
/// never stops sending cannot exhaust memory.
pub const MAX_ITEMS: usize = 10_000;

/// What [`Timeline::insert`] did with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new item.
    Added,
    /// An item with this `Id` was there and differs: it was replaced.
    Updated,
    /// The same item again (a replay after a reconnect): nothing changed.
    Unchanged,
}

/// Chat items in order, each `Id` once.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Sorted by [`Key`].
    items: Vec<(Key, Item)>,
    by_id: HashMap<String, Key>,
    arrivals: u64,
    dropped: u64,
}

/// Order: by time (items whose time cannot be read last), then by first arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    untimed: bool,
    time: Option<DateTime>,
    arrival: u64,
}

impl Timeline {
    /// An empty timeline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, or replaces the item with its `Id`; says which.
    pub fn insert(&mut self, item: Item) -> Change {
        let time = item.absolute_time().and_then(DateTime::parse_iso8601);
        let id = item.id().map(str::to_owned);
        let previous = id.as_ref().and_then(|id| self.by_id.get(id)).copied();
        let (arrival, change) = match previous {
            Some(old) => {
                let at = self.position(&old);
                if self.items[at].1 == item {
                    return Change::Unchanged;
                }
                self.items.remove(at);
                (old.arrival, Change::Updated)
            }
            None => {
                self.arrivals += 1;
                (self.arrivals, Change::Added)
            }
        };
        let key = Key {
            untimed: time.is_none(),
            time,
            arrival,
        };
        self.place(key, id, item);
        if self.items.len() > MAX_ITEMS {
            let (_, oldest) = self.items.remove(0);
            if let Some(id) = oldest.id() {
                self.by_id.remove(id);
            }
            self.dropped += 1;
        }
        change
    }

    /// Adds every item of a transcript page (to fill a gap after a reconnect).
    pub fn extend(&mut self, items: impl IntoIterator<Item = Item>) {
        for item in items {
            self.insert(item);
        }
    }

    /// The items, oldest first.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().map(|(_, item)| item)
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many old items were dropped to stay within [`MAX_ITEMS`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    fn position(&self, key: &Key) -> usize {
        self.items.partition_point(|(k, _)| k < key)
    }

    fn place(&mut self, key: Key, id: Option<String>, item: Item) {
        let at = self.position(&key);
        self.items.insert(at, (key, item));
        if let Some(id) = id {
            self.by_id.insert(id, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, time: &str, content: &str) -> Item {
        let json = serde_json::json!({"Id": id, "AbsoluteTime": time, "Type": "MESSAGE", "Content": content});
        serde_json::from_value(json).unwrap()
    }

    fn contents(timeline: &Timeline) -> Vec<&str> {
        timeline
            .items()
            .map(|i| i.content().unwrap_or(""))
            .collect()
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
    fn a_flood_keeps_the_newest_items() {
        let mut timeline = Timeline::new();
        for i in 0..(MAX_ITEMS + 5) {
            let time = format!(
                "2026-12-01T12:{:02}:{:02}.{:03}Z",
                i / 60_000 % 60,
                i / 1000 % 60,
                i % 1000
            );
            timeline.insert(item(&i.to_string(), &time, "x"));
        }
        assert_eq!(timeline.len(), MAX_ITEMS);
        assert_eq!(timeline.dropped(), 5);
        assert_eq!(timeline.items().next().unwrap().id(), Some("5"));
        // A dropped item's id is forgotten with it.
        assert_eq!(
            timeline.insert(item("0", "2026-12-01T11:00:00Z", "x")),
            Change::Added
        );
    }
}
