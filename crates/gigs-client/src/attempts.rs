//! Sending a prepared request: the attempt loop with its retry rule and deadline, one attempt
//! read to its end inside a `gigs.request` span, and the warning logged for each retry (see the
//! request path drawn in [`crate::call`]).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use reqwest::header::HeaderMap;
use reqwest::{ResponseBuilderExt, StatusCode};
use tracing::{field, Instrument, Span};

use crate::endpoint::Endpoint;
use crate::idempotency::{IdempotencyKey, IDEMPOTENCY_KEY};
use crate::operation::OperationSpec;
use crate::options::RequestOptions;
use crate::retry::RetryPolicy;
use crate::settings::ClientSettings;

/// What governs the attempts of one call, resolved once from the call's options and the client.
struct AttemptPlan {
    policy: RetryPolicy,
    /// Retries allowed by the policy.
    max_retries: u32,
    /// Whether sending the request again cannot apply it twice, whatever the failure: its
    /// method takes no idempotency key (GET, PATCH), it carries one, or the spec marks the
    /// operation safe to repeat. Otherwise only failures that prove the server did nothing are
    /// retried ([`Retry::decide`]).
    repeatable: bool,
    timeout: Option<Duration>,
    /// The timeout the HTTP client applies to a request that carries none.
    http_client_timeout: Option<Duration>,
    /// When the whole call must be over.
    deadline: Option<Instant>,
}

impl AttemptPlan {
    fn new(
        settings: &ClientSettings,
        options: &RequestOptions,
        operation: Option<&OperationSpec>,
        request: &reqwest::Request,
    ) -> Self {
        let policy = options.retry.unwrap_or(settings.retry);
        let repeatable = operation.is_some_and(|operation| operation.idempotent)
            || IdempotencyKey::allows_repeat(
                request.method(),
                request.headers().contains_key(IDEMPOTENCY_KEY),
            );
        let deadline = options.deadline.or(settings.deadline);
        Self {
            policy,
            max_retries: policy.max_retries(),
            repeatable,
            timeout: options.timeout.or(settings.timeout),
            http_client_timeout: settings.timeout.filter(|_| settings.timeout_on_http_client),
            deadline: deadline.map(|deadline| Instant::now() + deadline),
        }
    }

    /// The timeout of the next attempt: the per-attempt timeout, cut to what the deadline leaves.
    fn attempt_timeout(&self) -> Option<Duration> {
        let left = self
            .deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()));
        match (self.timeout, left) {
            (Some(timeout), Some(left)) => Some(timeout.min(left)),
            (timeout, left) => timeout.or(left),
        }
    }

    /// Gives `request` the next attempt's timeout, unless the HTTP client applies that one by
    /// itself: reqwest allocates a map for a request's own timeout, for each attempt.
    fn set_attempt_timeout(&self, request: &mut reqwest::Request) {
        let own = self
            .attempt_timeout()
            .filter(|timeout| Some(*timeout) != self.http_client_timeout);
        // A copy kept for a retry carries the previous attempt's timeout: replace or clear it.
        if own.is_some() || request.timeout().is_some() {
            *request.timeout_mut() = own;
        }
    }

    /// The wait before the next attempt after `outcome`, or `None` when it is final: the
    /// policy's wait, for a failure that is transient and that this request may be repeated
    /// after ([`Retry::decide`]).
    fn next_wait(
        &self,
        attempt: u32,
        outcome: &Result<ReadResponse, AttemptFailure>,
    ) -> Option<Duration> {
        let (retry, wait) = match outcome {
            Ok(response) => (
                Retry::after_status(response.status()),
                self.policy
                    .wait_after_response(attempt, response.status(), response.headers()),
            ),
            Err(failure) => (
                Retry::after_failure(&failure.error),
                self.policy.wait_after_failure(attempt, &failure.error),
            ),
        };
        wait.filter(|_| retry.decide(self.repeatable))
    }

    fn deadline_passed(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// Whether waiting `wait` would end past the deadline.
    fn wait_passes_deadline(&self, wait: Duration) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() + wait >= deadline)
    }
}

/// What a failed attempt says about whether the server acted on the request, which decides
/// whether a request that is not [repeatable](AttemptPlan::repeatable) may be sent again. The
/// policy decides separately whether the failure is transient and how long to wait.
///
/// | the attempt ended with | repeatable request | POST or DELETE without a key |
/// |---|---|---|
/// | no connection: refused, DNS, TLS handshake, connect timeout (nothing was sent) | retried | retried |
/// | 429 Too Many Requests (the API refused the call) | retried | retried |
/// | 408, 500, 502, 503, 504 | retried | not retried |
/// | timeout or broken connection after the request was sent | retried | not retried |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retry {
    /// The server cannot have acted on the request: it is retried whatever its method.
    NothingHappened,
    /// The server may have acted on it: retried only if repeating is safe.
    MayHaveHappened,
}

impl Retry {
    fn after_status(status: StatusCode) -> Self {
        if status == StatusCode::TOO_MANY_REQUESTS {
            Self::NothingHappened
        } else {
            Self::MayHaveHappened
        }
    }

    /// reqwest marks as connect errors the failures of its connector (DNS, the TCP
    /// connection, the TLS handshake, a proxy's CONNECT, the connect timeout): all before the
    /// request's first byte is written.
    fn after_failure(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            Self::NothingHappened
        } else {
            Self::MayHaveHappened
        }
    }

    fn decide(self, repeatable: bool) -> bool {
        repeatable || self == Self::NothingHappened
    }
}

/// What the attempts of one call came to.
pub(crate) struct Attempts {
    /// The last attempt's response, read to its end, or its failure.
    pub(crate) outcome: Result<ReadResponse, AttemptFailure>,
    /// How many attempts were sent.
    pub(crate) count: u32,
    /// Whether the deadline ended the call (see [`Exchange`](crate::exchange::Exchange)).
    pub(crate) deadline_reached: bool,
}

/// Sends `request` until an attempt succeeds, fails for good, or the retries or the deadline
/// run out.
pub(crate) async fn send_with_retries(
    endpoint: Endpoint<'_>,
    operation_id: &'static str,
    operation: Option<&OperationSpec>,
    mut request: reqwest::Request,
    options: &RequestOptions,
) -> Attempts {
    let plan = AttemptPlan::new(endpoint.settings, options, operation, &request);
    let mut attempt = 1;
    loop {
        plan.set_attempt_timeout(&mut request);
        // A request with a streaming body cannot be cloned; it is then sent once.
        let next = (attempt <= plan.max_retries)
            .then(|| request.try_clone())
            .flatten();
        let span = request_span(operation_id, &request, attempt);
        let outcome = attempt_once(endpoint.http, request, &span).await;
        let wait = plan.next_wait(attempt, &outcome);
        // The deadline ended the call if it cut the attempt off, or if a retry that was due
        // cannot be waited for.
        let deadline_reached = (outcome.is_err() && plan.deadline_passed())
            || (next.is_some() && wait.is_some_and(|wait| plan.wait_passes_deadline(wait)));
        match (wait, next) {
            (Some(wait), Some(next)) if !deadline_reached => {
                log_retry(&span, &outcome, wait);
                tokio::time::sleep(wait).await;
                request = next;
                attempt += 1;
            }
            _ => {
                return Attempts {
                    outcome,
                    count: attempt,
                    deadline_reached,
                }
            }
        }
    }
}

/// The span of one attempt, with the OpenTelemetry HTTP client conventions' names.
fn request_span(operation_id: &'static str, request: &reqwest::Request, attempt: u32) -> Span {
    let url = request.url();
    let span = tracing::info_span!(
        "gigs.request",
        otel.kind = "client",
        otel.name = field::Empty,
        gigs.operation = operation_id,
        http.request.method = request.method().as_str(),
        url.path = url.path(),
        server.address = url.host_str(),
        server.port = url.port_or_known_default(),
        http.request.resend_count = field::Empty,
        http.response.status_code = field::Empty,
        error.type = field::Empty,
        gigs.request_id = field::Empty,
        gigs.duration_ms = field::Empty,
    );
    if !span.is_disabled() {
        span.record(
            "otel.name",
            format!("{} {operation_id}", request.method().as_str()),
        );
        if attempt > 1 {
            span.record("http.request.resend_count", attempt - 1);
        }
    }
    span
}

/// Sends one attempt and reads the whole body, so that a connection that breaks mid-body is a
/// failed attempt like any other and the attempt's timeout covers the body too.
async fn attempt_once(
    http: &reqwest::Client,
    request: reqwest::Request,
    span: &Span,
) -> Result<ReadResponse, AttemptFailure> {
    if span.is_disabled() {
        return read_response(http, request).await;
    }
    let started = Instant::now();
    let outcome = read_response(http, request).instrument(span.clone()).await;
    span.record("gigs.duration_ms", started.elapsed().as_millis() as u64);
    let head = match &outcome {
        Ok(response) => Some(&response.parts),
        Err(failure) => failure.head.as_deref(),
    };
    if let Some(head) = head {
        span.record("http.response.status_code", head.status.as_u16());
        if let Some(request_id) = request_id(&head.headers) {
            span.record("gigs.request_id", request_id);
        }
    }
    match &outcome {
        Ok(response) => {
            let status = response.status();
            if status.as_u16() >= 400 {
                span.record("error.type", status.as_str());
                // The body itself is never logged: the runtime cannot tell what it holds (a
                // proxy may answer anything), and a secret must not reach a log.
                tracing::trace!(
                    parent: span,
                    body_bytes = response.body.len(),
                    "error response"
                );
            }
        }
        Err(failure) => {
            span.record("error.type", failure_type(&failure.error));
        }
    }
    outcome
}

/// A warning for each retry, saying why and how long the wait is.
fn log_retry(span: &Span, outcome: &Result<ReadResponse, AttemptFailure>, wait: Duration) {
    let wait_ms = wait.as_millis() as u64;
    match outcome {
        Ok(response) => tracing::warn!(
            parent: span,
            http.response.status_code = response.status().as_u16(),
            wait_ms,
            "retrying after a transient error status"
        ),
        Err(AttemptFailure { error, .. }) => tracing::warn!(
            parent: span,
            %error,
            wait_ms,
            "retrying after a transport failure"
        ),
    }
}

/// `error.type` of a failed attempt: a low-cardinality name of what went wrong.
fn failure_type(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else if error.is_request() {
        "request"
    } else {
        "_OTHER"
    }
}

/// The response headers that may carry the API's request id, in the order they are looked up.
/// Gigs does not document the header's name.
pub const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-gigs-request-id"];

/// The request id a response carries, under any of [`REQUEST_ID_HEADERS`].
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// Why an attempt has no whole response: reqwest's error, and the response's status and
/// headers when they had arrived before it (a body that timed out or broke off).
pub(crate) struct AttemptFailure {
    pub(crate) error: reqwest::Error,
    pub(crate) head: Option<Box<http::response::Parts>>,
}

impl From<reqwest::Error> for AttemptFailure {
    fn from(error: reqwest::Error) -> Self {
        Self { error, head: None }
    }
}

/// A response read to its end.
pub(crate) struct ReadResponse {
    pub(crate) parts: http::response::Parts,
    pub(crate) body: Bytes,
}

impl ReadResponse {
    fn status(&self) -> StatusCode {
        self.parts.status
    }

    fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The response again, for progenitor to decode. The URL goes back in too: without it
    /// reqwest parses a placeholder URL for every response, which costs more than the copy.
    pub(crate) fn into_response(self, url: reqwest::Url) -> reqwest::Response {
        // reqwest keeps the URL outside the parts, and only its response builder extension can
        // put it back.
        let (with_url, ()) = http::Response::builder()
            .url(url)
            .body(())
            .expect("a response with only a URL")
            .into_parts();
        let mut parts = self.parts;
        parts.extensions.extend(with_url.extensions);
        http::Response::from_parts(parts, self.body).into()
    }
}

async fn read_response(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<ReadResponse, AttemptFailure> {
    let response = http.execute(request).await?;
    // Through `http::Response` the headers move instead of being copied.
    let (parts, body) = http::Response::from(response).into_parts();
    match body.collect().await {
        Ok(body) => Ok(ReadResponse {
            parts,
            body: body.to_bytes(),
        }),
        Err(error) => Err(AttemptFailure {
            error,
            head: Some(Box::new(parts)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::StatusCode;

    use super::{AttemptPlan, Retry};
    use crate::options::RequestOptions;
    use crate::ClientSettings;

    fn get() -> reqwest::Request {
        reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/projects/p/devices".parse().unwrap(),
        )
    }

    const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Settings whose HTTP client applies `CLIENT_TIMEOUT` itself.
    fn timeout_on_http_client() -> ClientSettings {
        let settings = ClientSettings::default().with_timeout(CLIENT_TIMEOUT);
        let (_, settings) = settings
            .build_http_client(reqwest::ClientBuilder::new())
            .unwrap();
        settings
    }

    #[test]
    fn a_request_carries_a_timeout_only_when_the_http_client_does_not_apply_it() {
        let on_client = timeout_on_http_client();
        let per_request = ClientSettings::default().with_timeout(CLIENT_TIMEOUT);
        let shorter = RequestOptions::new().timeout(Duration::from_secs(1));
        let none = RequestOptions::new();
        let cases = [
            (&on_client, &none, None),
            (&on_client, &shorter, Some(Duration::from_secs(1))),
            (&per_request, &none, Some(CLIENT_TIMEOUT)),
            (&ClientSettings::default(), &none, None),
        ];
        for (settings, options, expected) in cases {
            let mut request = get();
            AttemptPlan::new(settings, options, None, &request).set_attempt_timeout(&mut request);
            assert_eq!(
                request.timeout().copied(),
                expected,
                "{settings:?} {options:?}"
            );
        }
    }

    #[test]
    fn only_a_429_says_that_nothing_happened_and_any_request_may_then_be_repeated() {
        for status in [408, 429, 500, 502, 503, 504] {
            let retry = Retry::after_status(StatusCode::from_u16(status).unwrap());
            assert!(retry.decide(true), "{status}");
            assert_eq!(retry.decide(false), status == 429, "{status}");
        }
    }

    #[test]
    fn a_post_is_repeatable_with_a_key_or_when_the_spec_marks_it_and_a_get_always() {
        let post = || {
            reqwest::Request::new(
                reqwest::Method::POST,
                "http://127.0.0.1/projects/p/sims/search".parse().unwrap(),
            )
        };
        let settings = ClientSettings::default();
        let options = RequestOptions::new();
        let search = crate::operation::OperationSpec::by_operation_id("searchSims").unwrap();
        let create = crate::operation::OperationSpec::by_operation_id("createDevice").unwrap();
        assert!(search.idempotent && !create.idempotent);
        assert!(AttemptPlan::new(&settings, &options, Some(search), &post()).repeatable);
        assert!(!AttemptPlan::new(&settings, &options, Some(create), &post()).repeatable);
        assert!(!AttemptPlan::new(&settings, &options, None, &post()).repeatable);
        let mut keyed = post();
        keyed.headers_mut().insert(
            crate::IDEMPOTENCY_KEY,
            reqwest::header::HeaderValue::from_static("k"),
        );
        assert!(AttemptPlan::new(&settings, &options, Some(create), &keyed).repeatable);
        assert!(AttemptPlan::new(&settings, &options, None, &get()).repeatable);
    }

    #[test]
    fn a_deadline_shorter_than_the_client_timeout_is_set_on_the_request() {
        let settings = timeout_on_http_client().with_deadline(Duration::from_secs(2));
        let mut request = get();
        AttemptPlan::new(&settings, &RequestOptions::new(), None, &request)
            .set_attempt_timeout(&mut request);
        let timeout = request.timeout().copied().expect("the deadline's cut");
        assert!(timeout <= Duration::from_secs(2), "{timeout:?}");
    }

    #[test]
    fn a_copy_kept_for_a_retry_loses_a_timeout_the_http_client_now_applies() {
        let settings = timeout_on_http_client();
        let mut request = get();
        *request.timeout_mut() = Some(Duration::from_secs(1));
        AttemptPlan::new(&settings, &RequestOptions::new(), None, &request)
            .set_attempt_timeout(&mut request);
        assert_eq!(request.timeout(), None);
    }
}
