//! When a failed attempt is tried again, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// How many times a request is tried again, and how long to wait between attempts.
///
/// This is the one place the retry defaults are stated; everything else links here.
///
/// - **Retries**: up to 2 (3 attempts in all).
/// - **Waits**: 0.5 s before the first retry, doubling up to 8 s, each shortened by a random part
///   of up to half (jitter) so that many clients do not retry in step.
/// - **`Retry-After`** (seconds or an HTTP date): waited out exactly up to 60 s; a longer one ends
///   the retries and the error carries it.
/// - **Retried**: connection failures, timeouts, bodies cut off, and the statuses 408, 429, 500,
///   502, 503, 504 ([`is_retryable_status`]).
/// - **Which requests**: a failure that proves the server did nothing (no connection was made:
///   refused, DNS, TLS handshake, connect timeout; or a 429) is retried for every request. Any
///   other retried failure only for a request that is safe to repeat: GET and PATCH, an
///   operation the spec marks `x-gigs-idempotent` (the searches sent as POST), and a POST or
///   DELETE that carries an [`IdempotencyKey`](crate::IdempotencyKey), sent unchanged on every
///   attempt. The `gigs` crate docs have this as a table ("Errors and retries").
///
/// ```
/// use std::time::Duration;
/// use gigs_client::RetryPolicy;
///
/// let default = RetryPolicy::default();
/// assert_eq!(default.max_retries(), 2);
/// assert_eq!(default.initial_backoff(), Duration::from_millis(500));
/// assert_eq!(default.max_backoff(), Duration::from_secs(8));
/// assert_eq!(default.max_retry_after(), Duration::from_secs(60));
/// assert!(default.jitter());
/// let retried = [408, 429, 500, 502, 503, 504];
/// for status in 100..600 {
///     let status = reqwest::StatusCode::from_u16(status).unwrap();
///     let expected = retried.contains(&status.as_u16());
///     assert_eq!(gigs_client::retry::is_retryable_status(status), expected);
/// }
///
/// let patient = default.with_max_retries(4).with_initial_backoff(Duration::from_secs(1));
/// assert_eq!(patient.max_retries(), 4);
/// assert_eq!(RetryPolicy::none().max_retries(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self::default().with_max_retries(0)
    }

    /// How many times a failed request may be sent again (0 turns retries off).
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry; it doubles for each further retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest computed wait between attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` that is waited out. A response asking for a longer wait is
    /// returned as it is, so the caller can decide.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Whether computed waits are shortened by a random part of up to half.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// How many times a failed request may be sent again.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest computed wait between attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` that is waited out.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether computed waits are shortened by a random part of up to half.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The wait before retry number `retry` (1 for the first retry), before jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }

    fn jittered_backoff(&self, retry: u32) -> Duration {
        let backoff = self.backoff(retry);
        if self.jitter {
            backoff.mul_f64(1.0 - fastrand::f64() / 2.0)
        } else {
            backoff
        }
    }

    /// The wait before retry number `retry` after a response with `status` and `headers`, or
    /// `None` when the response is final.
    pub(crate) fn wait_after_response(
        &self,
        retry: u32,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Option<Duration> {
        if !is_retryable_status(status) {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait <= self.max_retry_after => Some(wait),
            Some(_) => None,
            None => Some(self.jittered_backoff(retry)),
        }
    }

    /// The wait before retry number `retry` after a transport failure, or `None` when it is final.
    pub(crate) fn wait_after_failure(
        &self,
        retry: u32,
        error: &reqwest::Error,
    ) -> Option<Duration> {
        is_retryable_failure(error).then(|| self.jittered_backoff(retry))
    }
}

/// Whether a response with this status is worth sending again.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a transport failure is worth sending again: the connection failed, was reset, or an
/// attempt took too long. Requests that could not be built or redirected are not.
///
/// A body that breaks off midway can surface as a body or a decode error, depending on how it
/// is read; both are retried (the runtime decodes no JSON at this stage).
pub fn is_retryable_failure(error: &reqwest::Error) -> bool {
    error.is_timeout()
        || error.is_connect()
        || error.is_request()
        || error.is_body()
        || error.is_decode()
}

/// The wait a `Retry-After` header asks for: delay seconds, or an HTTP date (a date in the past
/// means no wait).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        HeaderMap::from_iter([(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap())])
    }

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight() {
        let policy = RetryPolicy::default();
        let waits: Vec<u128> = (1..=7).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(8));
    }

    #[test]
    fn jitter_shortens_by_at_most_half() {
        let policy = RetryPolicy::default();
        for _ in 0..1000 {
            let wait = policy.jittered_backoff(2);
            assert!(wait <= Duration::from_secs(1) && wait >= Duration::from_millis(500));
        }
        let exact = policy.with_jitter(false);
        assert_eq!(exact.jittered_backoff(2), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 22 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("Sun, 22 Nov 2026 10:00:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Sun, 22 Nov 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let status = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            policy.wait_after_response(1, status, &headers("60")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(policy.wait_after_response(1, status, &headers("61")), None);
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let policy = RetryPolicy::default().with_jitter(false);
        for status in [408, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                policy.wait_after_response(1, status, &HeaderMap::new()),
                Some(Duration::from_millis(500)),
                "{status}"
            );
        }
        for status in [200, 400, 401, 403, 404, 409, 422, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                policy.wait_after_response(1, status, &headers("1")),
                None,
                "{status}"
            );
        }
    }
}
