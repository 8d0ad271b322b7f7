//! When message receipts and typing events go out, by ChatJS's rules (its
//! `MessageReceiptsUtil` and typing throttle), without I/O: told what was asked and what
//! time it is, it answers with what to send now and when to ask again.
//!
//! - Each message gets at most one delivered and one read receipt; once a message is
//!   read, a delivered receipt for it is moot.
//! - A delivered receipt is held [`DELIVERED_HOLD`] (300 ms), and dropped when the read
//!   receipt for the same message follows meanwhile.
//! - A read receipt is due at once.
//! - At most one round of receipts per [`RECEIPT_THROTTLE`] (5 s): the first goes at once,
//!   what falls due within the window waits for its end, and only the latest delivered and
//!   the latest read go then (a receipt for a later message covers the earlier ones).
//!   ChatJS holds even the first round for the window; here it goes at once.
//! - At most one typing event per [`TYPING_THROTTLE`] (10 s, leading: the first goes).

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

/// A receipt for a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The message reached this participant.
    Delivered,
    /// This participant read the message.
    Read,
}

/// How long a delivered receipt waits for the read receipt that would make it moot.
pub const DELIVERED_HOLD: Duration = Duration::from_millis(300);

/// At most one round of receipts per this long.
pub const RECEIPT_THROTTLE: Duration = Duration::from_secs(5);

/// At most one typing event per this long (ChatJS's `TYPING_VALIDITY_TIME`).
pub const TYPING_THROTTLE: Duration = Duration::from_secs(10);

/// Message ids remembered per kind of receipt, and their bytes; the oldest are forgotten
/// beyond either, so a long chat (or a server sending huge ids) does not grow the session
/// without bound.
const REMEMBERED: usize = 4_096;
const REMEMBERED_BYTES: usize = 256 * 1024;

/// Ids in the order they were added, the oldest forgotten beyond [`REMEMBERED`].
#[derive(Debug, Default)]
struct Seen {
    ids: HashSet<String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Seen {
    fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Adds `id`; `false` when it was there already.
    fn insert(&mut self, id: &str) -> bool {
        if !self.ids.insert(id.to_owned()) {
            return false;
        }
        self.order.push_back(id.to_owned());
        self.bytes += id.len();
        while self.order.len() > REMEMBERED || self.bytes > REMEMBERED_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.bytes -= oldest.len();
            self.ids.remove(&oldest);
        }
        true
    }
}

/// The receipts asked for and not sent yet.
#[derive(Debug, Default)]
pub struct Receipts {
    delivered: Seen,
    read: Seen,
    /// Delivered receipts held until their instant, oldest first.
    held: VecDeque<(String, Instant)>,
    due_delivered: Option<String>,
    due_read: Option<String>,
    /// No round goes before this (the throttle window of the last one).
    window_ends: Option<Instant>,
}

impl Receipts {
    /// Nothing asked yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Message `id` reached this participant.
    pub fn delivered(&mut self, id: &str, now: Instant) {
        if self.read.contains(id) || !self.delivered.insert(id) {
            return;
        }
        self.held.push_back((id.to_owned(), now + DELIVERED_HOLD));
    }

    /// This participant read message `id`.
    pub fn read(&mut self, id: &str) {
        if !self.read.insert(id) {
            return;
        }
        // The read receipt makes the delivered one moot.
        self.held.retain(|(held, _)| held != id);
        if self.due_delivered.as_deref() == Some(id) {
            self.due_delivered = None;
        }
        self.due_read = Some(id.to_owned());
    }

    /// The receipts to send now: the latest delivered, then the latest read.
    pub fn poll(&mut self, now: Instant) -> Vec<(Receipt, String)> {
        while let Some((id, at)) = self.held.front() {
            if *at > now {
                break;
            }
            if !self.read.contains(id) {
                self.due_delivered = Some(id.clone());
            }
            self.held.pop_front();
        }
        let nothing_due = self.due_delivered.is_none() && self.due_read.is_none();
        if nothing_due || self.window_ends.is_some_and(|end| now < end) {
            return Vec::new();
        }
        self.window_ends = Some(now + RECEIPT_THROTTLE);
        let delivered = self.due_delivered.take().map(|id| (Receipt::Delivered, id));
        let read = self.due_read.take().map(|id| (Receipt::Read, id));
        delivered.into_iter().chain(read).collect()
    }

    /// When [`poll`](Self::poll) has something to send, if anything is waiting: the end
    /// of a hold, or of the throttle window.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let hold = self.held.front().map(|(_, at)| *at);
        let due = self.due_delivered.is_some() || self.due_read.is_some();
        let window = self.window_ends.filter(|_| due);
        hold.into_iter().chain(window).min()
    }
}

/// At most one typing event per [`TYPING_THROTTLE`].
#[derive(Debug, Default)]
pub struct Typing {
    last: Option<Instant>,
}

impl Typing {
    /// Whether a typing event may go at `now` (and if so, it counts as sent).
    pub fn may_send(&mut self, now: Instant) -> bool {
        if self.last.is_some_and(|last| now < last + TYPING_THROTTLE) {
            return false;
        }
        self.last = Some(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    fn sent(list: &[(Receipt, &str)]) -> Vec<(Receipt, String)> {
        list.iter().map(|(r, id)| (*r, (*id).to_owned())).collect()
    }

    #[test]
    fn a_delivered_receipt_waits_300_ms_and_a_read_one_goes_at_once() {
        assert_eq!(
            DELIVERED_HOLD,
            Duration::from_millis(300),
            "as the docs say"
        );
        let t = Instant::now();
        let mut receipts = Receipts::new();
        receipts.delivered("m1", t);
        assert!(receipts.poll(ms(t, 299)).is_empty());
        assert_eq!(receipts.next_wakeup(), Some(ms(t, 300)));
        assert_eq!(
            receipts.poll(ms(t, 300)),
            sent(&[(Receipt::Delivered, "m1")])
        );
        let mut receipts = Receipts::new();
        receipts.read("m2");
        assert_eq!(receipts.poll(t), sent(&[(Receipt::Read, "m2")]));
    }

    #[test]
    fn a_read_receipt_within_the_hold_drops_the_delivered_one() {
        let t = Instant::now();
        let mut receipts = Receipts::new();
        receipts.delivered("m1", t);
        receipts.read("m1");
        assert_eq!(receipts.poll(ms(t, 10)), sent(&[(Receipt::Read, "m1")]));
        assert!(receipts.poll(ms(t, 400)).is_empty());
        assert_eq!(receipts.next_wakeup(), None);
        // A delivered receipt asked after the read is moot too.
        receipts.delivered("m1", ms(t, 500));
        assert!(receipts.poll(ms(t, 6_000)).is_empty());
    }

    #[test]
    fn each_message_gets_one_receipt_of_each_kind() {
        let t = Instant::now();
        let mut receipts = Receipts::new();
        receipts.read("m1");
        assert_eq!(receipts.poll(t).len(), 1);
        receipts.read("m1");
        receipts.delivered("m2", t);
        receipts.delivered("m2", t);
        assert_eq!(
            receipts.poll(ms(t, 5_000)),
            sent(&[(Receipt::Delivered, "m2")])
        );
        assert!(receipts.poll(ms(t, 20_000)).is_empty());
    }

    #[test]
    fn receipts_within_the_throttle_window_wait_and_only_the_latest_go() {
        assert_eq!(RECEIPT_THROTTLE, Duration::from_secs(5), "as the docs say");
        let t = Instant::now();
        let mut receipts = Receipts::new();
        receipts.read("m1");
        assert_eq!(receipts.poll(t), sent(&[(Receipt::Read, "m1")]));
        receipts.read("m2");
        receipts.read("m3");
        receipts.delivered("m4", ms(t, 100));
        assert!(receipts.poll(ms(t, 1_000)).is_empty(), "inside the window");
        assert_eq!(receipts.next_wakeup(), Some(ms(t, 5_000)));
        assert_eq!(
            receipts.poll(ms(t, 5_000)),
            sent(&[(Receipt::Delivered, "m4"), (Receipt::Read, "m3")])
        );
        assert_eq!(receipts.next_wakeup(), None);
    }

    #[test]
    fn memory_is_bounded_in_a_long_chat() {
        let t = Instant::now();
        let mut receipts = Receipts::new();
        for n in 0..REMEMBERED + 10 {
            receipts.read(&format!("m{n}"));
        }
        assert_eq!(receipts.read.ids.len(), REMEMBERED);
        assert_eq!(receipts.read.order.len(), REMEMBERED);
        assert!(!receipts.read.contains("m0") && receipts.read.contains("m10"));
        assert_eq!(receipts.poll(t).len(), 1, "the latest");
        let huge = "x".repeat(REMEMBERED_BYTES / 2 + 1);
        receipts.read(&format!("a{huge}"));
        receipts.read(&format!("b{huge}"));
        assert!(receipts.read.bytes <= REMEMBERED_BYTES);
        assert!(!receipts.read.contains(&format!("a{huge}")));
    }

    #[test]
    fn one_typing_event_per_window_the_first_goes() {
        assert_eq!(TYPING_THROTTLE, Duration::from_secs(10), "as the docs say");
        let t = Instant::now();
        let mut typing = Typing::default();
        assert!(typing.may_send(t));
        assert!(!typing.may_send(ms(t, 9_999)));
        assert!(typing.may_send(ms(t, 10_000)));
    }
}
