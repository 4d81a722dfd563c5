//! The settings of one client, shared by all its requests.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderValue, InvalidHeaderValue};

use crate::retry::RetryPolicy;

/// Settings of one [`Client`](crate::Client), shared by all its requests: the token, the retry
/// policy, timeouts and whether POST and DELETE requests get an idempotency key.
///
/// This is progenitor's "inner type" of the generated client, so every request of a client (also
/// through builders, resource groups and pagers) follows it. Because the token lives here and is
/// added to each request, any `reqwest::Client` can carry the requests, also one a service
/// already shares.
///
/// ```
/// use std::time::Duration;
/// use gigs_client::{Client, ClientSettings, RetryPolicy};
///
/// let settings = ClientSettings::default()
///     .with_bearer_token("sk_test_123")?
///     .with_retry_policy(RetryPolicy::default().with_max_retries(5))
///     .with_timeout(Duration::from_secs(10))
///     .with_deadline(Duration::from_secs(30))
///     .with_idempotency_keys(true);
/// assert_eq!(settings.retry_policy().max_retries(), 5);
/// assert!(!format!("{settings:?}").contains("sk_test_123"));
/// let client = Client::new("https://api.gigs.com", settings);
/// # let _ = client;
/// # Ok::<(), reqwest::header::InvalidHeaderValue>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ClientSettings {
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) retry: RetryPolicy,
    pub(crate) idempotency_keys: bool,
    pub(crate) timeout: Option<Duration>,
    /// Whether the HTTP client was built with `timeout` and applies it by itself.
    pub(crate) timeout_on_http_client: bool,
    pub(crate) deadline: Option<Duration>,
}

impl ClientSettings {
    /// Sends `Authorization: Bearer <token>` on every request, as a sensitive header (never
    /// printed by `Debug`, kept out of HTTP/2 header compression tables).
    ///
    /// # Errors
    /// When the token holds characters an HTTP header cannot carry.
    pub fn with_bearer_token(mut self, token: &str) -> Result<Self, InvalidHeaderValue> {
        let mut value = HeaderValue::from_str(&format!("Bearer {token}"))?;
        value.set_sensitive(true);
        self.authorization = Some(value);
        Ok(self)
    }

    /// The retry policy for requests that set none of their own ([`RetryPolicy::default`] unless set).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Attach a fresh [`IdempotencyKey`](crate::IdempotencyKey) to every POST and DELETE that has
    /// none, so that they can be retried safely. Off by default: for some projects the Gigs
    /// feature is a beta that must be enabled before the header is accepted.
    pub fn with_idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
        self
    }

    /// The time each attempt may take (connection, response and body), instead of the HTTP
    /// client's own timeout. It is set on every request.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self.timeout_on_http_client = false;
        self
    }

    /// Builds the HTTP client from `builder` with this per-attempt timeout applied by the
    /// client itself, and returns it with settings that say so: a request then gets a timeout
    /// of its own only when it needs another one (a per-call timeout, or what a deadline
    /// leaves). reqwest keeps a request's own timeout in a map it allocates for that request
    /// (and for each copy kept for a retry), so this saves every call that work.
    ///
    /// Private to the crate, and used only by the generated `Client::from_http_client_builder`:
    /// the settings that skip the per-request timeout never meet an HTTP client built without it.
    pub(crate) fn build_http_client(
        mut self,
        builder: reqwest::ClientBuilder,
    ) -> reqwest::Result<(reqwest::Client, Self)> {
        let builder = match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        };
        let http = builder.build()?;
        self.timeout_on_http_client = self.timeout.is_some();
        Ok((http, self))
    }

    /// A bound on a whole call: every attempt and every wait between attempts. An attempt is
    /// cut off when the deadline passes, and a retry whose wait would end past it is not made.
    /// None by default.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The client's retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Whether POST and DELETE requests get an idempotency key without being given one.
    pub fn idempotency_keys(&self) -> bool {
        self.idempotency_keys
    }

    /// The per-attempt timeout, if one is set here (see [`with_timeout`](Self::with_timeout)).
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The bound on a whole call, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSettings")
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "Bearer [redacted]"),
            )
            .field("retry", &self.retry)
            .field("idempotency_keys", &self.idempotency_keys)
            .field("timeout", &self.timeout)
            .field("timeout_on_http_client", &self.timeout_on_http_client)
            .field("deadline", &self.deadline)
            .finish()
    }
}
