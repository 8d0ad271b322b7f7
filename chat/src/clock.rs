//! The session's clock: the real one by default; a [`ManualClock`] lets a test move time
//! forward (heartbeats, reconnection backoff, rollover, token refresh) without waiting.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// What the session reads the time from and sleeps on.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
    /// Resolves once [`now`](Self::now) has reached `at`.
    fn sleep_until(&self, at: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The real clock (tokio's timers).
#[derive(Debug, Clone, Copy, Default)]
pub struct RealClock;

impl Clock for RealClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep_until(&self, at: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep_until(at.into()))
    }
}

/// A clock that only moves when told to ([`advance`](Self::advance)).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Instant>,
    moved: watch::Sender<Instant>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock standing at the current instant.
    pub fn new() -> Self {
        let now = Instant::now();
        ManualClock {
            now: Mutex::new(now),
            moved: watch::channel(now).0,
        }
    }

    /// Moves the clock forward by `by`, waking whatever sleeps until then.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
        self.moved.send_replace(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sleep_until(&self, at: Instant) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let mut moved = self.moved.subscribe();
        Box::pin(async move {
            while *moved.borrow_and_update() < at {
                if moved.changed().await.is_err() {
                    return;
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_sleepers_when_it_reaches_their_instant() {
        let clock = ManualClock::new();
        let start = clock.now();
        let sleeper = clock.sleep_until(start + Duration::from_secs(10));
        tokio::pin!(sleeper);
        let waiting = tokio::time::timeout(Duration::from_millis(20), &mut sleeper).await;
        assert!(waiting.is_err(), "not yet");
        clock.advance(Duration::from_secs(9));
        assert!(
            tokio::time::timeout(Duration::from_millis(20), &mut sleeper)
                .await
                .is_err()
        );
        clock.advance(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_millis(200), &mut sleeper)
            .await
            .expect("woken at 10 s");
        assert_eq!(clock.now(), start + Duration::from_secs(10));
    }
}
