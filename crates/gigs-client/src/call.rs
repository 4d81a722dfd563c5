//! One call: the options a caller gives it, and the report of its attempts that comes back.
//!
//! Both travel through a task-local scope that [`with_options`] opens around the generated
//! builder's `send()`; the hooks read the options and write the report. This is the only
//! task-local of the crate; [`crate::hooks`] draws the whole path.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;

use crate::idempotency::IdempotencyKey;
use crate::retry::RetryPolicy;

/// Settings for one request, applied with [`with_options`]; unset ones follow the client's
/// [`ClientSettings`](crate::ClientSettings).
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
    /// Whether the call's deadline ended it: an attempt was cut off by it, or a retry was not
    /// made because its wait would have ended past it.
    pub deadline_reached: bool,
}

impl CallReport {
    /// The wait the last response asked for in `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers, SystemTime::now())
    }
}

/// The options of the call in progress and the report its hooks write. It lives in the
/// task-local for the duration of one call and comes back out of it when the call ends, so it
/// needs no reference counting or lock.
pub(crate) struct CallScope {
    pub(crate) options: RequestOptions,
    report: RefCell<CallReport>,
}

impl CallScope {
    /// Replaces the report with what attempt number `attempt` got: a response's status, headers
    /// and body, or nothing when it failed before a response.
    pub(crate) fn record(&self, attempt: u32, response: Option<(StatusCode, &HeaderMap, &Bytes)>) {
        let status = response.map(|(status, _, _)| status);
        // Only an error is built from the report: a success keeps no copies.
        let error = response.filter(|(status, _, _)| status.as_u16() >= 400);
        *self.report.borrow_mut() = CallReport {
            attempts: attempt,
            status,
            headers: error
                .map(|(_, headers, _)| headers.clone())
                .unwrap_or_default(),
            error_body: error.map(|(_, _, body)| body.clone()),
            deadline_reached: false,
        };
    }

    /// Marks the call as ended by its deadline.
    pub(crate) fn record_deadline(&self) {
        self.report.borrow_mut().deadline_reached = true;
    }
}

tokio::task_local! {
    static CALL: CallScope;
}

/// Runs `f` with the scope of the call being sent, or with `None` outside [`with_options`].
/// The scope is lent for the length of `f` only: hooks copy out what they need across awaits.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&CallScope>) -> R) -> R {
    let mut f = Some(f);
    CALL.try_with(|scope| (f.take().expect("called once"))(Some(scope)))
        .unwrap_or_else(|_| (f.take().expect("called once"))(None))
}

/// Runs `request` (a generated builder's `send()`) with `options`, and returns its result with
/// a [`CallReport`] of its attempts.
///
/// ```no_run
/// # async fn example(client: gigs_client::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use gigs_client::{with_options, IdempotencyKey, RequestOptions};
///
/// let request = client.cancel_subscription().project("my-project").subscription("sub_123");
/// let options = RequestOptions::new().idempotency_key(IdempotencyKey::new("cancel-sub_123")?);
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
    let scope = CallScope {
        options,
        report: RefCell::default(),
    };
    let mut call = pin!(CALL.scope(scope, request));
    let output = call.as_mut().await;
    let report = call
        .take_value()
        .map(|scope| scope.report.into_inner())
        .unwrap_or_default();
    (output, report)
}
