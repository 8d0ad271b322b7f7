//! AWS "standard" retry mode: which failures are retried, exponential backoff with full
//! jitter, and a per-client retry quota (token bucket) so that an outage does not turn
//! every caller into a retry storm.

use std::sync::Mutex;
use std::time::Duration;

use crate::config::RetryConfig;

const INITIAL_QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REFILL: u32 = 1;

/// Error codes that mean "slow down"; always retried.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for transient server-side failures.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

const TRANSIENT_STATUS: &[u16] = &[500, 502, 503, 504];

/// What kind of failure an attempt ended with, for the retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// Throttling or a transient server error: retry.
    Transient,
    /// A timeout or broken connection: retry, at a higher quota cost.
    Timeout,
    /// A client error or anything else: do not retry.
    Never,
}

/// Classifies an error response.
pub fn classify_response(status: u16, code: Option<&str>) -> RetryKind {
    let code_retryable =
        code.is_some_and(|c| THROTTLING_CODES.contains(&c) || TRANSIENT_CODES.contains(&c));
    if code_retryable || status == 429 || TRANSIENT_STATUS.contains(&status) {
        RetryKind::Transient
    } else {
        RetryKind::Never
    }
}

/// The retry quota shared by every call of one client.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            available: Mutex::new(INITIAL_QUOTA),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of one retry; `None` when the quota is spent (do not retry).
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
            RetryKind::Transient => RETRY_COST,
            RetryKind::Never => return None,
        };
        let mut available = self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// After a success: give back the cost of the retry that succeeded (only the last
    /// one, as standard mode does: the failed retries before it stay spent), or a little
    /// when the call needed none.
    pub fn release(&self, last_retry_cost: Option<u32>) {
        let mut available = self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let refill = last_retry_cost.unwrap_or(SUCCESS_REFILL);
        *available = (*available + refill).min(INITIAL_QUOTA);
    }

    /// The retry quota left: each retry takes from it, successes give some back.
    pub fn available(&self) -> u32 {
        *self
            .available
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The pause before attempt `next_attempt` (2 for the first retry): a random duration
/// up to `initial × 2^(retries - 1)`, capped at `max` (full jitter).
pub fn backoff(config: &RetryConfig, next_attempt: u32) -> Duration {
    let exponent = next_attempt.saturating_sub(2).min(30);
    let ceiling = config
        .initial_backoff
        .saturating_mul(1u32 << exponent)
        .min(config.max_backoff);
    ceiling.mul_f64(crate::random::unit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_and_server_errors_are_retried_client_errors_are_not() {
        assert_eq!(
            classify_response(400, Some("ThrottlingException")),
            RetryKind::Transient
        );
        assert_eq!(classify_response(429, None), RetryKind::Transient);
        assert_eq!(classify_response(503, None), RetryKind::Transient);
        assert_eq!(
            classify_response(400, Some("ValidationException")),
            RetryKind::Never
        );
        assert_eq!(
            classify_response(403, Some("AccessDeniedException")),
            RetryKind::Never
        );
        assert_eq!(classify_response(501, None), RetryKind::Never);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let config = RetryConfig::default();
        for _ in 0..100 {
            assert!(backoff(&config, 2) <= Duration::from_secs(1));
            assert!(backoff(&config, 3) <= Duration::from_secs(2));
            assert!(backoff(&config, 20) <= Duration::from_secs(20));
        }
    }

    /// Full jitter spreads pauses over the whole range: the mean of many is half the
    /// ceiling and some come close to it (a backoff of zero, or a constant, fails here).
    #[test]
    fn backoff_is_spread_over_the_whole_range() {
        let config = RetryConfig::default();
        for (attempt, ceiling) in [(2, 1.0), (3, 2.0), (4, 4.0), (9, 20.0)] {
            let samples: Vec<f64> = (0..4000)
                .map(|_| backoff(&config, attempt).as_secs_f64())
                .collect();
            let mean = samples.iter().sum::<f64>() / samples.len() as f64;
            let max = samples.iter().cloned().fold(0.0, f64::max);
            let min = samples.iter().cloned().fold(f64::MAX, f64::min);
            assert!(
                (0.45 * ceiling..0.55 * ceiling).contains(&mean),
                "attempt {attempt}: mean {mean}"
            );
            assert!(
                max > 0.95 * ceiling && max <= ceiling,
                "attempt {attempt}: max {max}"
            );
            assert!(min < 0.05 * ceiling, "attempt {attempt}: min {min}");
        }
    }

    #[test]
    fn only_the_last_retry_is_refunded() {
        let quota = RetryQuota::default();
        let first = quota.acquire(RetryKind::Timeout).unwrap();
        let last = quota.acquire(RetryKind::Transient).unwrap();
        quota.release(Some(last));
        assert_eq!(quota.available(), INITIAL_QUOTA - first);
        // A success without retries adds a little, never above the initial quota.
        quota.release(None);
        assert_eq!(quota.available(), INITIAL_QUOTA - first + SUCCESS_REFILL);
    }

    #[test]
    fn the_quota_runs_out_and_refills_on_success() {
        let quota = RetryQuota::default();
        let mut taken = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            taken += 1;
        }
        assert_eq!(taken, INITIAL_QUOTA / RETRY_COST);
        assert!(quota.acquire(RetryKind::Timeout).is_none());
        quota.release(Some(RETRY_COST));
        assert!(quota.acquire(RetryKind::Transient).is_some());
    }
}
