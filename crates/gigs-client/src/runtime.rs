//! The per-client and per-request settings the hooks apply, and what they report back about the
//! attempts of a request.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::retry::RetryPolicy;

/// The header that makes a POST or DELETE safe to send again.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The longest idempotency key the API accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// Whether Gigs honours an idempotency key on requests of this method (POST and DELETE);
/// elsewhere the key has no effect and is not sent.
pub(crate) fn takes_idempotency_key(method: &reqwest::Method) -> bool {
    matches!(*method, reqwest::Method::POST | reqwest::Method::DELETE)
}

/// Settings of one [`Client`](crate::Client), shared by all its requests: the retry policy and
/// whether POST and DELETE requests get an idempotency key.
///
/// This is progenitor's "inner type" of the generated client, so every request of a client (also
/// through builders, resource groups and pagers) follows it.
///
/// ```
/// use gigs_client::{Client, RetryPolicy, Runtime};
///
/// let runtime = Runtime::default()
///     .retry_policy(RetryPolicy::default().max_retries(5))
///     .idempotency_keys(true);
/// let client = Client::new("https://api.gigs.com", runtime);
/// # let _ = client;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Runtime {
    retry: RetryPolicy,
    idempotency_keys: bool,
}

impl Runtime {
    /// The retry policy for requests that set none of their own ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Attach a fresh UUIDv4 `Idempotency-Key` to every POST and DELETE that has none, so that
    /// they can be retried safely. Off by default: for some projects the Gigs feature is a beta
    /// that must be enabled before the header is accepted.
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
        self
    }

    /// The client's retry policy.
    pub fn get_retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Whether POST and DELETE requests get an idempotency key without being given one.
    pub fn sends_idempotency_keys(&self) -> bool {
        self.idempotency_keys
    }
}

/// Settings for one request, applied with [`with_options`]; unset ones follow the client's [`Runtime`].
///
/// ```
/// use std::time::Duration;
/// use gigs_client::{RequestOptions, RetryPolicy};
///
/// let options = RequestOptions::new()
///     .idempotency_key("order-4711-activate")
///     .retry_policy(RetryPolicy::default().max_retries(5))
///     .timeout(Duration::from_secs(60));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) timeout: Option<Duration>,
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

    /// The `Idempotency-Key` of this request (1 to 255 visible ASCII characters), sent unchanged
    /// on every attempt. It makes a POST or DELETE retryable, and lets the caller repeat the
    /// request later (after a crash, say) without applying it twice. GET and PATCH requests do
    /// not send it (the API ignores it there), but an unusable key is refused for any method.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The time each attempt of this request may take, instead of the HTTP client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// What the hooks saw of a request sent under [`with_options`]: how many attempts were made, the
/// last response's status, and, when that status is an error (400 or more), its headers and body.
///
/// It completes what a generated error says: progenitor reports a documented error status whose
/// body is not the expected JSON (an HTML page from a proxy) without the status.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallReport {
    /// The number of attempts sent (0 if the request was refused before sending).
    pub attempts: u32,
    /// The status of the last response, if an attempt got one.
    pub status: Option<StatusCode>,
    /// The headers of the last response if its status is an error (empty otherwise).
    pub headers: HeaderMap,
    /// The body of the last response when its status is 400 or more.
    pub error_body: Option<Bytes>,
}

impl CallReport {
    /// The wait the last response asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers, SystemTime::now())
    }
}

pub(crate) struct CallScope {
    pub(crate) options: RequestOptions,
    report: Mutex<CallReport>,
}

impl CallScope {
    /// Replaces the report with what attempt number `attempt` got: a response's status, headers
    /// and body, or nothing when it failed before a response.
    pub(crate) fn record(&self, attempt: u32, response: Option<(StatusCode, &HeaderMap, &Bytes)>) {
        let status = response.map(|(status, _, _)| status);
        // Only an error is built from the report: a success keeps no copies.
        let error = response.filter(|(status, _, _)| status.as_u16() >= 400);
        *self.report.lock().unwrap_or_else(PoisonError::into_inner) = CallReport {
            attempts: attempt,
            status,
            headers: error
                .map(|(_, headers, _)| headers.clone())
                .unwrap_or_default(),
            error_body: error.map(|(_, _, body)| body.clone()),
        };
    }
}

tokio::task_local! {
    static CALL: Arc<CallScope>;
}

/// The scope of the request being sent, if it runs under [`with_options`].
pub(crate) fn current_scope() -> Option<Arc<CallScope>> {
    CALL.try_with(Arc::clone).ok()
}

/// Runs `request` (a generated builder's `send()`) with `options`, and returns its result with
/// a [`CallReport`] of its attempts.
///
/// ```no_run
/// # async fn example(client: gigs_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use gigs_client::{with_options, RequestOptions};
///
/// let request = client.cancel_subscription().project("my-project").subscription("sub_123");
/// let options = RequestOptions::new().idempotency_key("cancel-sub_123");
/// let (result, report) = with_options(options, request.send()).await;
/// println!("{} attempt(s)", report.attempts);
/// let subscription = result?;
/// # let _ = subscription;
/// # Ok(())
/// # }
/// ```
pub async fn with_options<F: Future>(
    options: RequestOptions,
    request: F,
) -> (F::Output, CallReport) {
    let scope = Arc::new(CallScope {
        options,
        report: Mutex::default(),
    });
    let output = CALL.scope(Arc::clone(&scope), request).await;
    let report = std::mem::take(&mut *scope.report.lock().unwrap_or_else(PoisonError::into_inner));
    (output, report)
}
