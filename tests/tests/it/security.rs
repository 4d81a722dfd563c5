//! Belongs here: what the SDK must never leak (the token, bodies in logs) or let a value change
//! (paths, queries, schemes).
//!
//! What the SDK must never give away, and what it must always tell: the API token stays out of
//! every error, `Debug` output and log line; response bodies stay out of logs above TRACE and
//! success bodies (which can hold eSIM credentials) out of logs entirely; every attempt is a
//! `gigs.request` span with its outcome; requests go over https unless plain http is asked for;
//! and no parameter value can change which path or query a request is sent to.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use gigs::{ApiToken, Call, ConfigError, Error, Gigs, Paginate, RequestOptions};
use gigs_tests::examples::spec_example;
use gigs_tests::server::{answering_any, closed_port_url, gigs_builder, header, received, PROJECT};
use serde_json::{json, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Instrument, Level, Subscriber};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token distinctive enough that finding it anywhere in printed text can only be a leak.
const TOKEN: &str = "sk_live_SECRET_do_not_print_4711";
/// Sent in an error body: may be logged at TRACE, never above.
const ERROR_BODY_MARKER: &str = "error_body_marker_8235";
/// Sent in a success body: never logged at any level.
const SUCCESS_BODY_MARKER: &str = "success_body_marker_9146";

/// A client of the local server at `base_url` that sends [`TOKEN`], with quick retries.
fn client_for(base_url: &str) -> Gigs {
    gigs_builder(base_url)
        .token(TOKEN)
        .build()
        .expect("a client for the local server")
}

fn subscription_path(id: &str) -> String {
    format!("/projects/{PROJECT}/subscriptions/{id}")
}

/// The documented subscription example, with `marker` as its phone number.
fn subscription_body(marker: &str) -> Value {
    let mut body = spec_example("retrieveSubscription.200");
    body["phoneNumber"] = json!(marker);
    body
}

fn gigs_error_body(message: &str) -> Value {
    json!({
        "object": "error",
        "type": "unauthenticated",
        "code": "invalidToken",
        "message": message,
    })
}

/// Every way an error can end up printed: Display, Debug, pretty Debug, and the same for each
/// error in its `source()` chain.
fn printed_forms(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut forms = vec![
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut source = error.source();
    while let Some(cause) = source {
        forms.push(format!("{cause}"));
        forms.push(format!("{cause:?}"));
        source = cause.source();
    }
    forms
}

fn assert_token_not_printed(error: &Error) {
    for form in printed_forms(error) {
        assert!(!form.contains(TOKEN), "the token is printed in: {form}");
    }
}

/// Proves the token was really in play: the local server saw it in every request.
async fn assert_token_was_sent(server: &MockServer) {
    let requests = received(server).await;
    assert!(!requests.is_empty(), "the server received no request");
    for request in requests {
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn api_errors_do_not_print_the_token() {
    let server = MockServer::start().await;
    Mock::given(path(subscription_path("sub_json")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(gigs_error_body("The API token is not valid."))
                .insert_header("x-request-id", "req_123"),
        )
        .mount(&server)
        .await;
    Mock::given(path(subscription_path("sub_html")))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_raw("<html><body>Forbidden by proxy</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let gigs = client_for(&server.uri());

    let json_error = gigs
        .subscriptions()
        .retrieve("sub_json")
        .call()
        .await
        .unwrap_err();
    let api = json_error.as_api().expect("an API error");
    assert_eq!(api.status(), 401);
    assert_eq!(api.code(), Some("invalidToken"));
    assert_token_not_printed(&json_error);

    let html_error = gigs
        .subscriptions()
        .retrieve("sub_html")
        .call()
        .await
        .unwrap_err();
    let api = html_error.as_api().expect("an API error");
    assert_eq!(api.status(), 403);
    assert!(api.body().is_none(), "an HTML body is not a Gigs error");
    assert_token_not_printed(&html_error);

    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn transport_errors_do_not_print_the_token() {
    let server = answering_any(
        ResponseTemplate::new(200)
            .set_body_json(subscription_body("+19591234567"))
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let timeout = client_for(&server.uri())
        .subscriptions()
        .retrieve("sub_1")
        .call_with(
            RequestOptions::new()
                .no_retries()
                .timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");
    assert_token_not_printed(&timeout);
    assert_token_was_sent(&server).await;

    let connection = client_for(&closed_port_url())
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(connection, Error::Connection { attempts: 3, .. }),
        "{connection:?}"
    );
    assert_token_not_printed(&connection);
}

#[tokio::test]
async fn decode_and_unexpected_status_errors_do_not_print_the_token() {
    let server = MockServer::start().await;
    Mock::given(path(subscription_path("sub_bad_body")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": 42})))
        .mount(&server)
        .await;
    Mock::given(path(subscription_path("sub_accepted")))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let gigs = client_for(&server.uri());

    let decode = gigs
        .subscriptions()
        .retrieve("sub_bad_body")
        .call()
        .await
        .unwrap_err();
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    assert_token_not_printed(&decode);

    let unexpected = gigs
        .subscriptions()
        .retrieve("sub_accepted")
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(unexpected, Error::UnexpectedStatus { status, .. } if status == 202),
        "{unexpected:?}"
    );
    assert_token_not_printed(&unexpected);

    assert_token_was_sent(&server).await;
}

#[tokio::test]
async fn refused_requests_do_not_print_the_token() {
    let server = MockServer::start().await;
    let gigs = client_for(&server.uri());

    let both_cursors = gigs
        .sims()
        .list()
        .after("a")
        .before("b")
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(both_cursors, Error::InvalidRequest(_)),
        "{both_cursors:?}"
    );
    assert_token_not_printed(&both_cursors);

    let page_size = gigs
        .sims()
        .list()
        .paginate()
        .limit(0)
        .pages()
        .next()
        .await
        .expect("the stream yields the error")
        .unwrap_err();
    assert!(
        matches!(page_size, Error::InvalidPageSize { limit: 0 }),
        "{page_size:?}"
    );
    assert_token_not_printed(&page_size);

    let sent = received(&server).await;
    assert!(sent.is_empty(), "refused requests were sent: {sent:?}");
}

#[test]
fn config_errors_do_not_print_the_token() {
    let builders = [
        Gigs::builder().token(format!("{TOKEN}\n")),
        Gigs::builder().token(format!("{TOKEN}\r\nX-Injected: 1")),
        Gigs::builder().token(TOKEN).base_url("ftp://api.gigs.com"),
        Gigs::builder().token(TOKEN).base_url("not a url"),
        Gigs::builder().token(TOKEN).user_agent("agent\n"),
    ];
    for builder in builders {
        let printed_builder = format!("{builder:?}");
        assert!(!printed_builder.contains(TOKEN), "{printed_builder}");
        let error = builder.build_unscoped().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert_token_not_printed(&error);
    }
}

#[test]
fn clients_and_tokens_do_not_print_the_token() {
    let builder = Gigs::builder()
        .token(TOKEN)
        .project(PROJECT)
        .http_client_builder(reqwest::Client::builder());
    let printed_builder = format!("{builder:?} {builder:#?}");
    assert!(!printed_builder.contains(TOKEN), "{printed_builder}");

    let gigs = builder.build().expect("a valid configuration");
    // The generated client's reqwest client prints its default headers, Authorization included.
    for printed in [
        format!("{gigs:?}"),
        format!("{gigs:#?}"),
        format!("{:?}", gigs.clone()),
        format!("{:?}", gigs.client()),
        format!("{:#?}", gigs.client()),
    ] {
        assert!(!printed.contains(TOKEN), "{printed}");
    }

    let token = ApiToken::new(TOKEN).expect("a non-empty token");
    let printed_token = format!("{token:?} {token:#?}");
    assert!(!printed_token.contains(TOKEN), "{printed_token}");
}

/// Makes `subscriber` the default of this thread until the guard is dropped.
///
/// tracing caches whether a span or event is wanted per callsite, for the whole process. While a
/// single subscriber is registered, a callsite first reached on another thread (another test,
/// which has none) is cached as unwanted, and this thread's subscriber would never see it. A
/// second subscriber kept alive for the whole run makes tracing ask every live subscriber
/// instead, so the captures here do not depend on what the other tests of the binary run first.
fn capture_on_this_thread(
    subscriber: impl Subscriber + Send + Sync + 'static,
) -> tracing::subscriber::DefaultGuard {
    static ALWAYS_REGISTERED: OnceLock<tracing::Dispatch> = OnceLock::new();
    ALWAYS_REGISTERED
        .get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
    let guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    guard
}

/// An in-memory log destination for a `fmt` subscriber.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Everything logged at `level` and above while a retried request succeeds and another fails
/// with a 401. The subscriber is the default of this thread only, so the test must run on a
/// current-thread runtime.
async fn logged_while_calling(level: Level) -> String {
    let server = MockServer::start().await;
    Mock::given(path(subscription_path("sub_1")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(subscription_path("sub_1")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(subscription_body(SUCCESS_BODY_MARKER)),
        )
        .mount(&server)
        .await;
    Mock::given(path(subscription_path("sub_denied")))
        .respond_with(ResponseTemplate::new(401).set_body_json(gigs_error_body(ERROR_BODY_MARKER)))
        .mount(&server)
        .await;

    let buffer = LogBuffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(level)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let guard = capture_on_this_thread(subscriber);

    let gigs = client_for(&server.uri());
    let subscription = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .expect("the retry succeeds");
    assert_eq!(
        subscription.phone_number.as_deref(),
        Some(SUCCESS_BODY_MARKER)
    );
    let denied = gigs
        .subscriptions()
        .retrieve("sub_denied")
        .call()
        .await
        .unwrap_err();
    assert_eq!(denied.status().map(|status| status.as_u16()), Some(401));

    drop(guard);
    assert_token_was_sent(&server).await;
    buffer.contents()
}

#[tokio::test(flavor = "current_thread")]
async fn trace_logs_show_the_size_of_error_bodies_but_never_a_body_or_the_token() {
    let logs = logged_while_calling(Level::TRACE).await;
    assert!(logs.contains("gigs.request"), "{logs}");
    // No body is logged: the runtime cannot tell what one holds (a secret, a proxy's page).
    assert!(logs.contains("error response body_bytes="), "{logs}");
    assert!(!logs.contains(ERROR_BODY_MARKER), "{logs}");
    assert!(!logs.contains(SUCCESS_BODY_MARKER), "{logs}");
    assert!(!logs.contains(TOKEN), "{logs}");
}

#[tokio::test(flavor = "current_thread")]
async fn logs_above_trace_show_no_bodies_and_never_the_token() {
    for level in [Level::DEBUG, Level::INFO] {
        let logs = logged_while_calling(level).await;
        assert!(
            logs.contains("retrying after a transient error status"),
            "{level}: {logs}"
        );
        assert!(!logs.contains(ERROR_BODY_MARKER), "{level}: {logs}");
        assert!(!logs.contains(SUCCESS_BODY_MARKER), "{level}: {logs}");
        assert!(!logs.contains(TOKEN), "{level}: {logs}");
    }
}

/// A `gigs.request` span as it was when it closed.
#[derive(Debug, Default)]
struct RequestSpan {
    parent: Option<String>,
    fields: BTreeMap<&'static str, String>,
}

impl RequestSpan {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

impl Visit for RequestSpan {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.insert(field.name(), value.to_string());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields.insert(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields.insert(field.name(), format!("{value:?}"));
    }
}

/// Collects every closed `gigs.request` span, in the order they closed.
#[derive(Clone, Default)]
struct RequestSpans(Arc<Mutex<Vec<RequestSpan>>>);

impl RequestSpans {
    fn take(&self) -> Vec<RequestSpan> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<S> Layer<S> for RequestSpans
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "gigs.request" {
            return;
        }
        let span = ctx.span(id).expect("a new span is registered");
        let mut recorded = RequestSpan {
            parent: span.parent().map(|parent| parent.name().to_owned()),
            ..RequestSpan::default()
        };
        attrs.record(&mut recorded);
        span.extensions_mut().insert(recorded);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(recorded) = span.extensions_mut().get_mut::<RequestSpan>() {
                values.record(recorded);
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            if let Some(recorded) = span.extensions_mut().remove::<RequestSpan>() {
                self.0
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(recorded);
            }
        }
    }
}

fn duration_ms(span: &RequestSpan) -> u64 {
    span.field("gigs.duration_ms")
        .expect("gigs.duration_ms is recorded")
        .parse()
        .expect("gigs.duration_ms is a number")
}

#[tokio::test(flavor = "current_thread")]
async fn every_attempt_is_a_request_span_with_its_outcome() {
    let server = MockServer::start().await;
    Mock::given(path(subscription_path("sub_1")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(subscription_path("sub_1")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(subscription_body("+19591234567"))
                .insert_header("x-request-id", "req_span_1")
                .set_delay(Duration::from_millis(50)),
        )
        .mount(&server)
        .await;
    let spans = RequestSpans::default();
    let _guard = capture_on_this_thread(tracing_subscriber::registry().with(spans.clone()));

    client_for(&server.uri())
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .instrument(tracing::info_span!("caller"))
        .await
        .expect("the retry succeeds");

    let spans = spans.take();
    assert_eq!(spans.len(), 2, "{spans:#?}");
    // OpenTelemetry's HTTP client names, so that backends understand them as they are.
    let expected = [
        (None, "503", Some("503"), None),
        (Some("1"), "200", None, Some("req_span_1")),
    ];
    for (span, (resend_count, status, error_type, request_id)) in spans.iter().zip(expected) {
        assert_eq!(span.parent.as_deref(), Some("caller"), "{span:?}");
        assert_eq!(
            span.field("gigs.operation"),
            Some("retrieveSubscription"),
            "{span:?}"
        );
        assert_eq!(span.field("otel.kind"), Some("client"), "{span:?}");
        assert_eq!(span.field("http.request.method"), Some("GET"), "{span:?}");
        assert_eq!(
            span.field("url.path"),
            Some(subscription_path("sub_1").as_str()),
            "{span:?}"
        );
        assert_eq!(span.field("server.address"), Some("127.0.0.1"), "{span:?}");
        assert!(span.field("server.port").is_some(), "{span:?}");
        assert_eq!(
            span.field("http.request.resend_count"),
            resend_count,
            "{span:?}"
        );
        assert_eq!(
            span.field("http.response.status_code"),
            Some(status),
            "{span:?}"
        );
        assert_eq!(span.field("error.type"), error_type, "{span:?}");
        assert_eq!(span.field("gigs.request_id"), request_id, "{span:?}");
    }
    duration_ms(&spans[0]);
    assert!(duration_ms(&spans[1]) >= 50, "{:?}", spans[1]);
}

#[tokio::test(flavor = "current_thread")]
async fn failed_attempts_are_request_spans_without_a_status() {
    let spans = RequestSpans::default();
    let _guard = capture_on_this_thread(tracing_subscriber::registry().with(spans.clone()));

    let error = client_for(&closed_port_url())
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");

    let spans = spans.take();
    let resends: Vec<Option<&str>> = spans
        .iter()
        .map(|span| span.field("http.request.resend_count"))
        .collect();
    assert_eq!(resends, [None, Some("1"), Some("2")], "{spans:#?}");
    for span in &spans {
        assert_eq!(span.field("http.response.status_code"), None, "{span:?}");
        assert_eq!(span.field("error.type"), Some("connect"), "{span:?}");
        duration_ms(span);
    }
}

#[test]
fn the_default_base_url_is_https() {
    assert!(
        gigs::DEFAULT_BASE_URL.starts_with("https://"),
        "{}",
        gigs::DEFAULT_BASE_URL
    );
    let gigs = Gigs::builder()
        .token(TOKEN)
        .build_unscoped()
        .expect("a token is enough");
    assert_eq!(gigs.base_url(), gigs::DEFAULT_BASE_URL);
}

#[tokio::test]
async fn plain_http_is_used_when_set_explicitly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(subscription_path("sub_1")))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription_body("+19591234567")))
        .mount(&server)
        .await;
    assert!(server.uri().starts_with("http://"), "{}", server.uri());
    let gigs = client_for(&server.uri());
    assert_eq!(gigs.base_url(), server.uri());

    let subscription = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .expect("the local server answers over plain http");
    assert_eq!(subscription.phone_number.as_deref(), Some("+19591234567"));
}

#[test]
fn base_urls_of_other_schemes_are_rejected_naming_the_url() {
    for url in [
        "ftp://api.gigs.com",
        "file:///etc/passwd",
        "ws://127.0.0.1:8080",
        "api.gigs.com",
    ] {
        let error = Gigs::builder()
            .token(TOKEN)
            .base_url(url)
            .build_unscoped()
            .unwrap_err();
        match &error {
            Error::Config(ConfigError::InvalidBaseUrl { url: named, .. }) => {
                assert_eq!(named, url);
            }
            other => panic!("{url}: expected an invalid base URL, got {other:?}"),
        }
        assert!(error.to_string().contains(url), "{error}");
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_does_not_carry_the_token() {
    let elsewhere =
        answering_any(ResponseTemplate::new(200).set_body_json(subscription_body("+19591234567")))
            .await;
    let server = answering_any(
        ResponseTemplate::new(302).insert_header("location", format!("{}/moved", elsewhere.uri())),
    )
    .await;

    // Whether the call succeeds depends on the redirect policy; only what was sent matters.
    let _ = client_for(&server.uri())
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await;

    assert_token_was_sent(&server).await;
    let forwarded = received(&elsewhere).await;
    for request in &forwarded {
        assert!(
            !request.headers.contains_key("authorization"),
            "the token followed the redirect: {request:?}"
        );
    }
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let server =
        answering_any(ResponseTemplate::new(404).set_body_json(gigs_error_body("Not found.")))
            .await;
    let gigs = client_for(&server.uri());
    let cases = [
        ("../x", "..%2Fx"),
        ("a/b?c=d", "a%2Fb%3Fc=d"),
        ("a#b", "a%23b"),
        ("%2F", "%252F"),
        ("%2e%2e", "%252e%252e"),
        ("sub_1/../../devices", "sub_1%2F..%2F..%2Fdevices"),
        ("a b\r\nX-Injected: 1", "a%20b%0D%0AX-Injected:%201"),
    ];
    for (id, _) in cases {
        let error = gigs.subscriptions().retrieve(id).call().await.unwrap_err();
        assert!(error.is_not_found(), "{id:?}: {error:?}");
    }
    let foreign_project = gigs
        .project("../other")
        .subscriptions()
        .retrieve("sub_1")
        .call()
        .await
        .unwrap_err();
    assert!(foreign_project.is_not_found(), "{foreign_project:?}");

    let requests = received(&server).await;
    let expected: Vec<String> = cases
        .iter()
        .map(|(_, encoded)| subscription_path(encoded))
        .chain(["/projects/..%2Fother/subscriptions/sub_1".to_owned()])
        .collect();
    let sent: Vec<&str> = requests.iter().map(|request| request.url.path()).collect();
    assert_eq!(sent, expected);
    for request in &requests {
        assert_eq!(request.url.query(), None, "{}", request.url);
    }
}

#[tokio::test]
async fn query_values_cannot_add_parameters() {
    let server =
        answering_any(ResponseTemplate::new(404).set_body_json(gigs_error_body("Not found.")))
            .await;
    let cursor = "x&limit=1&before=y#z";
    let _ = client_for(&server.uri())
        .sims()
        .list()
        .after(cursor)
        .call()
        .await;

    let requests = received(&server).await;
    let [request] = requests.as_slice() else {
        panic!("expected one request, got {requests:?}");
    };
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("after".to_owned(), cursor.to_owned())]);
    assert_eq!(request.url.path(), format!("/projects/{PROJECT}/sims"));
}

#[tokio::test]
async fn dot_segment_ids_are_refused_before_sending() {
    let server =
        answering_any(ResponseTemplate::new(404).set_body_json(gigs_error_body("Not found.")))
            .await;
    let gigs = client_for(&server.uri());
    for (project, subscription) in [(PROJECT, ".."), (PROJECT, "."), ("..", "sub_1")] {
        let error = gigs
            .project(project)
            .subscriptions()
            .retrieve(subscription)
            .call()
            .await
            .unwrap_err();
        match &error {
            Error::InvalidRequest(message) => {
                assert!(message.contains("retrieveSubscription"), "{message}");
            }
            other => panic!("{project:?}/{subscription:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    let sent = received(&server).await;
    assert!(sent.is_empty(), "dot segments were sent: {sent:?}");
}
