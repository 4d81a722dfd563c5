//! The settings a caller gives one request, on top of the client's.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::idempotency::IdempotencyKey;
use crate::retry::RetryPolicy;

/// Settings for one request, given to [`Operation::exchange`](crate::operation::Operation::exchange)
/// (and `gigs`' `call_with`); unset ones follow the client's [`ClientSettings`](crate::ClientSettings).
///
/// ```
/// use std::time::Duration;
/// use gigs_client::{IdempotencyKey, RequestOptions, RetryPolicy};
/// use reqwest::header::{HeaderName, HeaderValue};
///
/// let options = RequestOptions::new()
///     .idempotency_key(IdempotencyKey::new("order-4711-activate")?)
///     .retry_policy(RetryPolicy::default().with_max_retries(5))
///     .timeout(Duration::from_secs(60))
///     .deadline(Duration::from_secs(120))
///     .header(HeaderName::from_static("x-correlation-id"), HeaderValue::from_static("c-42"));
/// # let _ = options;
/// # Ok::<(), gigs_client::InvalidIdempotencyKey>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<IdempotencyKey>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: HeaderMap,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Send this request once, whatever happens.
    pub fn no_retries(self) -> Self {
        self.retry_policy(RetryPolicy::none())
    }

    /// The `Idempotency-Key` of this request, sent unchanged on every attempt. It makes a POST or
    /// DELETE retryable, and lets the caller repeat the request later (after a crash, say)
    /// without applying it twice. GET and PATCH requests do not send it (the API ignores it there).
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// The time each attempt of this request may take, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A bound on this whole call, retries and waits included, instead of the client's (see
    /// [`ClientSettings::with_deadline`](crate::ClientSettings::with_deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// An extra header on this request (a correlation id, a header the spec does not list yet).
    /// It replaces a header of the same name that the generated client would send; the
    /// `Authorization` header cannot be replaced this way (the call is refused before sending).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The extra headers set with [`header`](Self::header).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}
