//! The timing rules of a chat connection, as ChatJS applies them, written as plain state
//! that is told the time: a session drives them with its clock, tests with any instants
//! they like (no real waiting).
//!
//! - [`Subscription`]: send the subscribe frame; without a reply after 1 s send it again;
//!   after 3 tries give up.
//! - [`Heartbeat`]: every 10 s send a heartbeat (and a ping); a heartbeat still
//!   unanswered at the next tick means the socket is dead.
//! - [`Connection`]: a WebSocket URL must be opened within its ~100 s (one older than
//!   85 s is replaced before a reconnect); a socket is rolled over before 59 minutes; the
//!   connection token is refreshed 60 s before it expires.

use std::time::{Duration, Instant, SystemTime};

use awsgen_runtime::DateTime;

/// How long a subscribe waits for its reply before it is sent again.
pub const SUBSCRIBE_RETRY: Duration = Duration::from_secs(1);
/// How many subscribe frames are sent before giving up.
pub const SUBSCRIBE_TRIES: u32 = 3;
/// The heartbeat period.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(10);
/// A WebSocket URL older than this is replaced (with `CreateParticipantConnection`)
/// rather than opened: the service gives about 100 s.
pub const URL_MAX_AGE: Duration = Duration::from_secs(85);
/// A socket open this long is replaced by a new one (the service closes it at 60 min).
pub const ROLLOVER_AFTER: Duration = Duration::from_secs(59 * 60);
/// The connection token is refreshed this long before it expires.
pub const TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What to do next about something timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Send the frame now.
    Send,
    /// Nothing until then (ask again at that instant).
    WaitUntil(Instant),
    /// Done: subscribed, or no more waiting to do.
    Done,
    /// It failed: no subscription after every try, or a heartbeat went unanswered.
    Failed,
}

/// The subscribe handshake on a newly opened socket.
#[derive(Debug, Clone)]
pub struct Subscription {
    tries: u32,
    sent_at: Option<Instant>,
    outcome: Option<bool>,
}

impl Default for Subscription {
    fn default() -> Self {
        Self::new()
    }
}

impl Subscription {
    /// Nothing sent yet.
    pub fn new() -> Self {
        Subscription {
            tries: 0,
            sent_at: None,
            outcome: None,
        }
    }

    /// What to do at `now`; after `Send`, the frame counts as sent at `now`.
    pub fn poll(&mut self, now: Instant) -> Next {
        match (self.outcome, self.sent_at) {
            (Some(true), _) => Next::Done,
            (Some(false), _) => Next::Failed,
            (None, Some(sent)) if now < sent + SUBSCRIBE_RETRY => {
                Next::WaitUntil(sent + SUBSCRIBE_RETRY)
            }
            (None, _) if self.tries >= SUBSCRIBE_TRIES => {
                self.outcome = Some(false);
                Next::Failed
            }
            (None, _) => {
                self.tries += 1;
                self.sent_at = Some(now);
                Next::Send
            }
        }
    }

    /// The service answered: subscribed when `success`, failed otherwise.
    pub fn answered(&mut self, success: bool) {
        self.outcome = Some(success);
    }

    /// When [`poll`](Self::poll) has something to do next (send again, or fail), while
    /// a subscribe is unanswered; read without changing anything.
    pub fn deadline(&self) -> Option<Instant> {
        match (self.outcome, self.sent_at) {
            (None, Some(sent)) => Some(sent + SUBSCRIBE_RETRY),
            _ => None,
        }
    }
}

/// Heartbeats on a live socket.
#[derive(Debug, Clone)]
pub struct Heartbeat {
    next: Instant,
    unanswered: bool,
}

impl Heartbeat {
    /// The first heartbeat is due one period after `now` (the socket just subscribed).
    pub fn new(now: Instant) -> Self {
        Heartbeat {
            next: now + HEARTBEAT_INTERVAL,
            unanswered: false,
        }
    }

    /// What to do at `now`: send a heartbeat when one is due, or fail when the last
    /// one is still unanswered then.
    pub fn poll(&mut self, now: Instant) -> Next {
        if now < self.next {
            return Next::WaitUntil(self.next);
        }
        if self.unanswered {
            return Next::Failed;
        }
        self.unanswered = true;
        self.next = now + HEARTBEAT_INTERVAL;
        Next::Send
    }

    /// The service answered the heartbeat.
    pub fn answered(&mut self) {
        self.unanswered = false;
    }

    /// When [`poll`](Self::poll) has something to do next: send the next heartbeat, or
    /// fail if the last one is still unanswered then.
    pub fn deadline(&self) -> Instant {
        self.next
    }
}

/// A connection's URL, socket and token ages.
#[derive(Debug, Clone)]
pub struct Connection {
    url_created: Instant,
    socket_opened: Option<Instant>,
    token_expires: Option<Instant>,
}

impl Connection {
    /// A connection whose URL and token `CreateParticipantConnection` returned at `now`;
    /// `token_expiry` is the credentials' `Expiry` (ISO 8601), read against `wall_now`,
    /// the wall-clock time of `now`.
    pub fn created(now: Instant, wall_now: SystemTime, token_expiry: Option<&str>) -> Self {
        Connection {
            url_created: now,
            socket_opened: None,
            token_expires: token_expiry.and_then(|e| expiry_instant(e, now, wall_now)),
        }
    }

    /// This connection with the URL and token of `fresh` (a token refresh), keeping the
    /// open time of the socket in use.
    pub fn with_new_credentials(&self, fresh: Connection) -> Connection {
        Connection {
            socket_opened: self.socket_opened,
            ..fresh
        }
    }

    /// The socket opened at `now`.
    pub fn opened(&mut self, now: Instant) {
        self.socket_opened = Some(now);
    }

    /// When the connection token expires, if the service said.
    pub fn token_expires(&self) -> Option<Instant> {
        self.token_expires
    }

    /// Whether the URL may still be opened at `now`; otherwise a new one is needed.
    pub fn url_usable(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.url_created) < URL_MAX_AGE
    }

    /// Whether the socket must be replaced by a new one at `now`.
    pub fn rollover_due(&self, now: Instant) -> bool {
        self.socket_opened
            .is_some_and(|opened| now.saturating_duration_since(opened) >= ROLLOVER_AFTER)
    }

    /// Whether the connection token must be refreshed at `now`.
    pub fn token_refresh_due(&self, now: Instant) -> bool {
        self.token_expires
            .is_some_and(|expires| now + TOKEN_REFRESH_MARGIN >= expires)
    }

    /// The next instant one of the above becomes due, to sleep until.
    pub fn next_deadline(&self) -> Option<Instant> {
        let rollover = self.socket_opened.map(|opened| opened + ROLLOVER_AFTER);
        let refresh = self
            .token_expires
            .map(|expires| expires.checked_sub(TOKEN_REFRESH_MARGIN).unwrap_or(expires));
        rollover.into_iter().chain(refresh).min()
    }
}

/// The instant an ISO 8601 wall-clock time falls on, given that `now` is `wall_now`
/// (before the first instant the clock can show, that first instant); unreadable, `None`.
/// A time in the past stays in the past: the same expiry given again maps to the same
/// instant, so a refresh that returns it is seen not to last longer.
fn expiry_instant(expiry: &str, now: Instant, wall_now: SystemTime) -> Option<Instant> {
    let expiry = DateTime::parse_iso8601(expiry)?;
    let wall = wall_now.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    let expiry_nanos =
        i128::from(expiry.secs()) * 1_000_000_000 + i128::from(expiry.subsec_nanos());
    let ahead = expiry_nanos - wall.as_nanos() as i128;
    if ahead <= 0 {
        let behind = Duration::from_nanos(u64::try_from(-ahead).unwrap_or(u64::MAX));
        return Some(now.checked_sub(behind).unwrap_or(now));
    }
    let ahead = Duration::from_nanos(u64::try_from(ahead).unwrap_or(u64::MAX));
    now.checked_add(ahead)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, seconds: f64) -> Instant {
        start + Duration::from_secs_f64(seconds)
    }

    #[test]
    fn subscribe_is_sent_again_after_a_second_and_given_up_after_three() {
        let start = Instant::now();
        let mut subscription = Subscription::new();
        assert_eq!(subscription.poll(start), Next::Send);
        assert_eq!(
            subscription.poll(at(start, 0.5)),
            Next::WaitUntil(at(start, 1.0))
        );
        assert_eq!(subscription.poll(at(start, 1.0)), Next::Send);
        assert_eq!(subscription.poll(at(start, 2.0)), Next::Send);
        assert_eq!(subscription.poll(at(start, 3.0)), Next::Failed);
        assert_eq!(subscription.poll(at(start, 60.0)), Next::Failed);

        let mut subscription = Subscription::new();
        assert_eq!(subscription.poll(start), Next::Send);
        subscription.answered(true);
        assert_eq!(subscription.poll(at(start, 5.0)), Next::Done);

        let mut refused = Subscription::new();
        refused.poll(start);
        refused.answered(false);
        assert_eq!(refused.poll(start), Next::Failed);
    }

    #[test]
    fn a_heartbeat_unanswered_at_the_next_tick_means_the_socket_is_dead() {
        let start = Instant::now();
        let mut heartbeat = Heartbeat::new(start);
        assert_eq!(
            heartbeat.poll(at(start, 9.9)),
            Next::WaitUntil(at(start, 10.0))
        );
        assert_eq!(heartbeat.poll(at(start, 10.0)), Next::Send);
        heartbeat.answered();
        assert_eq!(heartbeat.poll(at(start, 20.0)), Next::Send);
        // No answer this time.
        assert_eq!(
            heartbeat.poll(at(start, 25.0)),
            Next::WaitUntil(at(start, 30.0))
        );
        assert_eq!(heartbeat.poll(at(start, 30.0)), Next::Failed);
    }

    #[test]
    fn urls_age_sockets_roll_over_and_tokens_refresh_on_time() {
        let start = Instant::now();
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        // Expires 2 hours after `wall`.
        let expiry = DateTime::from_secs(1_800_000_000 + 7_200).to_iso8601();
        let mut connection = Connection::created(start, wall, Some(&expiry));
        assert!(connection.url_usable(at(start, 84.0)));
        assert!(!connection.url_usable(at(start, 85.0)));

        connection.opened(at(start, 5.0));
        assert!(!connection.rollover_due(at(start, 5.0 + 58.0 * 60.0)));
        assert!(connection.rollover_due(at(start, 5.0 + 59.0 * 60.0)));

        assert!(!connection.token_refresh_due(at(start, 7_200.0 - 61.0)));
        assert!(connection.token_refresh_due(at(start, 7_200.0 - 60.0)));
        assert_eq!(
            connection.next_deadline(),
            Some(at(start, 5.0 + 59.0 * 60.0))
        );
    }

    #[test]
    fn an_expired_or_unreadable_expiry_is_handled() {
        let start = Instant::now();
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let past = DateTime::from_secs(1_700_000_000).to_iso8601();
        let expired = Connection::created(start, wall, Some(&past));
        assert!(
            expired.token_refresh_due(start),
            "an expired token is refreshed now"
        );
        let unreadable = Connection::created(start, wall, Some("next Tuesday"));
        assert!(!unreadable.token_refresh_due(at(start, 1e6)));
        assert_eq!(unreadable.next_deadline(), None);
    }
}
