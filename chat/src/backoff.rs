//! When to try again after the socket closed or stopped answering: ChatJS's schedule.

use std::time::Duration;

/// The wait before reconnection attempt `attempt` (0 for the first):
/// `min(2^attempt × 2 s, 30 s)`.
pub fn reconnect_delay(attempt: u32) -> Duration {
    let seconds = 2u64.saturating_mul(1u64.checked_shl(attempt).unwrap_or(u64::MAX));
    Duration::from_secs(seconds.min(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_up_to_thirty_seconds() {
        let delays: Vec<u64> = (0..6).map(|n| reconnect_delay(n).as_secs()).collect();
        assert_eq!(delays, [2, 4, 8, 16, 30, 30]);
        assert_eq!(reconnect_delay(64), Duration::from_secs(30));
        assert_eq!(reconnect_delay(u32::MAX), Duration::from_secs(30));
    }
}
