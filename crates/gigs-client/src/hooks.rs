//! The hooks progenitor's generated `Client` calls around every request, and the path a request
//! takes through them.
//!
//! ```text
//!  caller            gigs::Call::call_with(options)    (or gigs_client::with_options)
//!    │  opens the call scope: a task-local holding the RequestOptions and an empty CallReport
//!    ▼
//!  builder.send()    generated: builds the reqwest::Request from the builder's parameters
//!    │
//!    ▼
//!  pre               finish the request, or refuse it before anything is sent
//!    │  check_path        an id of `.`/`..` must not change the path
//!    │  check_cursors     `after` and `before` are never sent together
//!    │  restore_commas    comma-separated filters go out as `a,b`, not `a%2Cb`
//!    │  add_headers       token, per-call headers (never a second Authorization)
//!    │  add_idempotency_key  the call's key, or a fresh one when the client makes them
//!    ▼
//!  exec              send_with_retries: the attempt loop
//!    │  timeout           the attempt's own, unless the HTTP client applies it (AttemptPlan)
//!    │  attempt           one send, the body read to its end, inside a `gigs.request` span
//!    │  (record)          the attempt's status / error body written to the CallReport
//!    │  next_wait         the RetryPolicy's wait, or none: retryable? repeatable? in time?
//!    │  log_retry         a warning per retry, then sleep and send the next attempt
//!    ▼
//!  builder.send()    generated: decodes the last response into the result
//!    │
//!    ▼
//!  caller            the scope closes; the result comes back with the CallReport
//! ```
//!
//! Options and the report go through the task-local because the generated `send()` takes no
//! argument beyond the builder and hands the hooks only the request and the operation's name.
//! Outside a call scope (a plain `send()`) the hooks follow the client's
//! [`ClientSettings`] alone and report nothing.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::{ResponseBuilderExt, StatusCode};
use tracing::{field, Instrument, Span};

use crate::call::{self, CallScope, RequestOptions};
use crate::idempotency::{IdempotencyKey, IDEMPOTENCY_KEY};
use crate::operation::OperationSpec;
use crate::retry::RetryPolicy;
use crate::{Client, ClientSettings};

/// Why a request is refused before it is sent; it becomes progenitor's `InvalidRequest`.
type Refusal = Result<(), String>;

impl ClientHooks<ClientSettings> for Client {
    /// Finishes the request, or refuses it before it is sent (see the module's diagram).
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        call::with_current(|scope| {
            let options = scope.map(|scope| &scope.options);
            OperationSpec::by_method_name(info.operation_id)
                .map_or(Ok(()), |operation| {
                    check_path(operation, base_path(self.baseurl()), request)
                })
                .and_then(|()| check_cursors(request))
                .and_then(|()| {
                    restore_commas(request);
                    add_headers(self.inner(), options, request)
                })
                .map(|()| add_idempotency_key(self.inner(), options, request))
        })
        .map_err(progenitor_client::Error::InvalidRequest)
    }

    /// Sends the request, and sends it again while the failure is transient, the policy allows
    /// another attempt, repeating cannot apply it twice, and the deadline leaves time.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let operation_id = OperationSpec::by_method_name(info.operation_id)
            .map_or(info.operation_id, |operation| operation.operation_id);
        send_with_retries(self, operation_id, request)
            .await
            .map(ReadResponse::into_response)
    }
}

// ---- pre: one function per concern -------------------------------------------------------

/// Refuses a request whose path a parameter changed. An id of `.` or `..` is not
/// percent-encoded, and URL parsing then removes segments: the request would reach another
/// resource.
fn check_path(operation: &OperationSpec, base_path: &str, request: &reqwest::Request) -> Refusal {
    let path = request.url().path();
    let below_base = path.strip_prefix(base_path).unwrap_or(path);
    if operation.matches_path(below_base) {
        Ok(())
    } else {
        Err(format!(
            "{}: a path parameter changes the request path (to `{path}`); \
             `.` and `..` cannot be ids",
            operation.operation_id
        ))
    }
}

/// The API takes `after` or `before`, never both; the mistake is caught before it is sent.
fn check_cursors(request: &reqwest::Request) -> Refusal {
    let Some(query) = request.url().query() else {
        return Ok(());
    };
    let has = |name: &str| {
        query
            .split('&')
            .any(|pair| pair.split_once('=').map_or(pair, |(key, _)| key) == name)
    };
    if has("after") && has("before") {
        return Err("`after` and `before` cannot be sent together: set only one cursor".to_owned());
    }
    Ok(())
}

/// The URL encoder progenitor goes through writes `,` as `%2C`. Both decode to the same value,
/// so this changes nothing a form decoder sees, but it keeps requests in the form the Gigs
/// reference documents (`?status=active,pending`) and readable in logs.
fn restore_commas(request: &mut reqwest::Request) {
    if let Some(query) = request.url().query().filter(|query| query.contains("%2C")) {
        let query = query.replace("%2C", ",");
        request.url_mut().set_query(Some(&query));
    }
}

/// The client's token and the call's extra headers. A token set on the HTTP client itself (as
/// a default header) is left alone when the settings carry none.
fn add_headers(
    settings: &ClientSettings,
    options: Option<&RequestOptions>,
    request: &mut reqwest::Request,
) -> Refusal {
    if let Some(authorization) = &settings.authorization {
        request
            .headers_mut()
            .insert(AUTHORIZATION, authorization.clone());
    }
    if let Some(options) = options.filter(|options| !options.headers.is_empty()) {
        if options.headers.contains_key(AUTHORIZATION) {
            return Err("the Authorization header cannot be set per request: \
                 it carries the client's token"
                .to_owned());
        }
        for (name, value) in &options.headers {
            request.headers_mut().insert(name, value.clone());
        }
    }
    Ok(())
}

/// The call's idempotency key, or a fresh one when the client makes them, on the methods that
/// take one ([`IdempotencyKey::applies_to`]).
fn add_idempotency_key(
    settings: &ClientSettings,
    options: Option<&RequestOptions>,
    request: &mut reqwest::Request,
) {
    if !IdempotencyKey::applies_to(request.method())
        || request.headers().contains_key(IDEMPOTENCY_KEY)
    {
        return;
    }
    let key = match options.and_then(|options| options.idempotency_key.as_ref()) {
        Some(key) => key.clone(),
        None if settings.idempotency_keys => IdempotencyKey::generate(),
        None => return,
    };
    request
        .headers_mut()
        .insert(IDEMPOTENCY_KEY, key.header_value().clone());
}

// ---- exec: the attempt loop, one attempt, and what is logged --------------------------------

/// What governs the attempts of one call, resolved once from the call's options and the client.
struct AttemptPlan {
    policy: RetryPolicy,
    /// Retries allowed: none when repeating could apply the request twice.
    max_retries: u32,
    timeout: Option<Duration>,
    /// The timeout the HTTP client applies to a request that carries none.
    http_client_timeout: Option<Duration>,
    /// When the whole call must be over.
    deadline: Option<Instant>,
}

impl AttemptPlan {
    fn new(
        settings: &ClientSettings,
        options: Option<&RequestOptions>,
        request: &reqwest::Request,
    ) -> Self {
        let policy = options
            .and_then(|options| options.retry)
            .unwrap_or(settings.retry);
        let repeatable = IdempotencyKey::allows_repeat(
            request.method(),
            request.headers().contains_key(IDEMPOTENCY_KEY),
        );
        let deadline = options
            .and_then(|options| options.deadline)
            .or(settings.deadline);
        Self {
            policy,
            max_retries: if repeatable { policy.max_retries() } else { 0 },
            timeout: options
                .and_then(|options| options.timeout)
                .or(settings.timeout),
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

async fn send_with_retries(
    client: &Client,
    operation_id: &'static str,
    mut request: reqwest::Request,
) -> reqwest::Result<ReadResponse> {
    let plan = call::with_current(|scope| {
        AttemptPlan::new(client.inner(), scope.map(|scope| &scope.options), &request)
    });
    let mut attempt = 1;
    loop {
        plan.set_attempt_timeout(&mut request);
        // A request with a streaming body cannot be cloned; it is then sent once.
        let next = (attempt <= plan.max_retries)
            .then(|| request.try_clone())
            .flatten();
        let span = request_span(operation_id, &request, attempt);
        let outcome = attempt_once(client.client(), request, &span).await;
        let seen = outcome
            .as_ref()
            .ok()
            .map(|response| (response.status(), response.headers(), &response.body));
        call::with_current(|scope| scope.map(|scope| scope.record(attempt, seen)));
        let wait = match &outcome {
            Ok(response) => {
                plan.policy
                    .wait_after_response(attempt, response.status(), response.headers())
            }
            Err(error) => plan.policy.wait_after_failure(attempt, error),
        };
        // The deadline ended the call if it cut the attempt off, or if a retry that was due
        // cannot be waited for.
        let deadline_reached = (outcome.is_err() && plan.deadline_passed())
            || (next.is_some() && wait.is_some_and(|wait| plan.wait_passes_deadline(wait)));
        if deadline_reached {
            call::with_current(|scope| scope.map(CallScope::record_deadline));
            return outcome;
        }
        match (wait, next) {
            (Some(wait), Some(next)) => {
                log_retry(&span, &outcome, wait);
                tokio::time::sleep(wait).await;
                request = next;
                attempt += 1;
            }
            _ => return outcome,
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
) -> reqwest::Result<ReadResponse> {
    if span.is_disabled() {
        return read_response(http, request).await;
    }
    let started = Instant::now();
    let outcome = read_response(http, request).instrument(span.clone()).await;
    span.record("gigs.duration_ms", started.elapsed().as_millis() as u64);
    match &outcome {
        Ok(response) => {
            let status = response.status();
            span.record("http.response.status_code", status.as_u16());
            if let Some(request_id) = request_id(response.headers()) {
                span.record("gigs.request_id", request_id);
            }
            if status.as_u16() >= 400 {
                span.record("error.type", status.as_str());
                tracing::trace!(
                    parent: span,
                    body = %String::from_utf8_lossy(&response.body),
                    "error response body"
                );
            }
        }
        Err(error) => {
            span.record("error.type", failure_type(error));
        }
    }
    outcome
}

/// A warning for each retry, saying why and how long the wait is.
fn log_retry(span: &Span, outcome: &reqwest::Result<ReadResponse>, wait: Duration) {
    let wait_ms = wait.as_millis() as u64;
    match outcome {
        Ok(response) => tracing::warn!(
            parent: span,
            http.response.status_code = response.status().as_u16(),
            wait_ms,
            "retrying after a transient error status"
        ),
        Err(error) => tracing::warn!(
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

/// A response read to its end.
struct ReadResponse {
    url: reqwest::Url,
    parts: http::response::Parts,
    body: Bytes,
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
    fn into_response(self) -> reqwest::Response {
        // reqwest keeps the URL outside the parts, and only its response builder extension can
        // put it back.
        let (with_url, ()) = http::Response::builder()
            .url(self.url)
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
) -> reqwest::Result<ReadResponse> {
    let response = http.execute(request).await?;
    let url = response.url().clone();
    // Through `http::Response` the headers move instead of being copied.
    let (parts, body) = http::Response::from(response).into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(ReadResponse { url, parts, body })
}

/// The path of a base URL (`https://host/v1/` has `/v1`), which prefixes every request path.
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |start| &after_scheme[start..])
        .trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{base_path, AttemptPlan};
    use crate::call::RequestOptions;
    use crate::ClientSettings;

    fn get() -> reqwest::Request {
        reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/projects/p/devices".parse().unwrap(),
        )
    }

    const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

    #[test]
    fn a_request_carries_a_timeout_only_when_the_http_client_does_not_apply_it() {
        let on_client = ClientSettings::default().with_timeout_on_http_client(CLIENT_TIMEOUT);
        let per_request = ClientSettings::default().with_timeout(CLIENT_TIMEOUT);
        let shorter = RequestOptions::new().timeout(Duration::from_secs(1));
        let cases = [
            (&on_client, None, None),
            (&on_client, Some(&shorter), Some(Duration::from_secs(1))),
            (&per_request, None, Some(CLIENT_TIMEOUT)),
            (&ClientSettings::default(), None, None),
        ];
        for (settings, options, expected) in cases {
            let mut request = get();
            AttemptPlan::new(settings, options, &request).set_attempt_timeout(&mut request);
            assert_eq!(
                request.timeout().copied(),
                expected,
                "{settings:?} {options:?}"
            );
        }
    }

    #[test]
    fn a_deadline_shorter_than_the_client_timeout_is_set_on_the_request() {
        let settings = ClientSettings::default()
            .with_timeout_on_http_client(CLIENT_TIMEOUT)
            .with_deadline(Duration::from_secs(2));
        let mut request = get();
        AttemptPlan::new(&settings, None, &request).set_attempt_timeout(&mut request);
        let timeout = request.timeout().copied().expect("the deadline's cut");
        assert!(timeout <= Duration::from_secs(2), "{timeout:?}");
    }

    #[test]
    fn a_copy_kept_for_a_retry_loses_a_timeout_the_http_client_now_applies() {
        let settings = ClientSettings::default().with_timeout_on_http_client(CLIENT_TIMEOUT);
        let mut request = get();
        *request.timeout_mut() = Some(Duration::from_secs(1));
        AttemptPlan::new(&settings, None, &request).set_attempt_timeout(&mut request);
        assert_eq!(request.timeout(), None);
    }

    #[test]
    fn the_base_path_is_what_precedes_operation_paths() {
        assert_eq!(base_path("https://api.gigs.com"), "");
        assert_eq!(base_path("https://api.gigs.com/"), "");
        assert_eq!(base_path("http://127.0.0.1:4010/v1/"), "/v1");
        assert_eq!(base_path("http://127.0.0.1:4010/a/b"), "/a/b");
    }
}
