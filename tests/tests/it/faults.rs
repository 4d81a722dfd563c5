//! Belongs here: what the SDK does when the API or the network misbehaves (retries, timeouts,
//! broken bodies, idempotency keys).
//!
//! Fault injection: what a caller gets back, and how many attempts reach the server, when the
//! API or the network misbehaves: rate limits with `Retry-After`, transient 5xx statuses,
//! connections cut mid-body, slow responses, cut-off or mistyped JSON, HTML error pages from a
//! proxy, non-idempotent requests with and without an idempotency key, client errors, and a
//! failing page in the middle of a list. Every server is local (wiremock, or a raw TCP listener
//! for the faults wiremock cannot produce).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use futures::{StreamExt, TryStreamExt};
use gigs::{
    ApiError, Call, Error, Gigs, GigsBuilder, IdempotencyKey, Paginate, RequestOptions,
    RetryPolicy, WithProject,
};
use gigs_tests::examples::spec_example;
use gigs_tests::server::{
    answering, answering_in_turn, gigs_builder, header, mount_in_turn, query, quick_retries,
    received, retrieve_subscription, slow_subscription, subscription_example, RawReply, RawServer,
    PROJECT, RAW_REQUEST_ID, SUBSCRIPTION_PATH, TOKEN,
};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

const CANCEL_PATH: &str = "/projects/gigs/subscriptions/sub_1/cancel";
const DEVICE_PATH: &str = "/projects/gigs/devices/dev_1";
const SIMS_PATH: &str = "/projects/gigs/sims";
const IDEMPOTENCY_KEY: &str = "idempotency-key";
const HTML_BAD_GATEWAY: &str =
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

/// An SDK client for `server` with the default project and quick retries.
fn client(server: &MockServer) -> Gigs {
    gigs_tests::server::gigs(&server.uri())
}

/// `GET /projects/p/subscriptions/sub_1`, the request most scenarios send.
fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

/// The Gigs error example `location` with its message replaced.
fn gigs_error(location: &str, message: &str) -> Value {
    let mut error = spec_example(location);
    error["message"] = json!(message);
    error
}

fn expect_api(result: Result<impl std::fmt::Debug, Error>) -> Box<ApiError> {
    match result {
        Err(Error::Api(error)) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn idempotency_keys(requests: &[Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|request| header(request, IDEMPOTENCY_KEY))
        .collect()
}

// Retry-After

#[tokio::test]
async fn rate_limited_request_waits_out_retry_after_seconds_then_succeeds() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![
            status(429).insert_header("Retry-After", "1"),
            ok(subscription_example()),
        ],
    )
    .await;
    let gigs = client(&server);

    let started = Instant::now();
    let found = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap();

    assert_eq!(found.id, subscription_example()["id"].as_str().unwrap());
    assert_eq!(received(&server).await.len(), 2);
    // The quick policy would retry after 10 ms; only the header explains a one-second wait.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_given_as_an_http_date_is_waited_out() {
    // HTTP dates have whole seconds: two seconds ahead is still more than one second ahead once
    // rounded down, far beyond the 10 ms the quick policy would wait.
    let header = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let retry_at = httpdate::parse_http_date(&header).unwrap();
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![
            status(503).insert_header("Retry-After", header.as_str()),
            ok(subscription_example()),
        ],
    )
    .await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(received(&server).await.len(), 2);
    assert!(SystemTime::now() >= retry_at, "returned before {header}");
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_returned_to_the_caller_instead_of_waited() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![status(429)
            .insert_header("Retry-After", "120")
            .set_body_json(spec_example("response.TooManyRequests"))],
    )
    .await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(received(&server).await.len(), 1);
    let error = result.unwrap_err();
    assert!(error.is_retryable(), "{error}");
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(api.attempts(), 1);
    assert_eq!(
        api.error_type(),
        spec_example("response.TooManyRequests")["type"].as_str()
    );
}

// Transient statuses

#[tokio::test]
async fn transient_503s_are_retried_until_the_request_succeeds() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![status(503), status(503), ok(subscription_example())],
    )
    .await;
    let gigs = client(&server);

    let found = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap();

    assert_eq!(found.id, subscription_example()["id"].as_str().unwrap());
    assert_eq!(received(&server).await.len(), 3);
}

/// A 503 whose Gigs error message names the attempt it answers.
fn numbered_503s() -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    let served = AtomicUsize::new(0);
    move |_: &Request| {
        let attempt = served.fetch_add(1, Ordering::SeqCst) + 1;
        status(503).set_body_json(gigs_error(
            "response.InternalServerError",
            &format!("unavailable (attempt {attempt})"),
        ))
    }
}

async fn always_503(route: &str, http_method: &str) -> MockServer {
    answering(http_method, route, numbered_503s()).await
}

#[tokio::test]
async fn a_client_with_no_retry_settings_retries_twice_with_backoff() {
    let server = always_503(SUBSCRIPTION_PATH, "GET").await;
    let gigs = Gigs::builder()
        .token(TOKEN)
        .project(PROJECT)
        .base_url(server.uri())
        .build()
        .unwrap();

    let started = Instant::now();
    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(expect_api(result).attempts(), 3);
    // Default waits are 0.5 s then 1 s, each shortened by at most half by jitter.
    assert!(
        started.elapsed() >= Duration::from_millis(750),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_persistent_503_returns_the_last_response_once_retries_are_used_up() {
    let server = always_503(SUBSCRIPTION_PATH, "GET").await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let error = expect_api(result);
    assert_eq!(error.status(), 503);
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.message(), Some("unavailable (attempt 3)"));
    let last_body: Value = serde_json::from_slice(error.raw_body()).unwrap();
    assert_eq!(last_body["message"], "unavailable (attempt 3)");
}

#[tokio::test]
async fn max_retries_bounds_the_attempts_per_client_and_per_request() {
    let cases = [
        (Some(quick_retries().with_max_retries(4)), None, 5),
        (Some(RetryPolicy::none()), None, 1),
        (
            Some(quick_retries().with_max_retries(4)),
            Some(quick_retries().with_max_retries(1)),
            2,
        ),
        (None, Some(RetryPolicy::none()), 1),
    ];
    for (client_policy, request_policy, expected_attempts) in cases {
        let server = always_503(SUBSCRIPTION_PATH, "GET").await;
        let mut builder = gigs_builder(&server.uri());
        if let Some(policy) = client_policy {
            builder = builder.retry_policy(policy);
        }
        let gigs = builder.build().unwrap();
        let mut options = RequestOptions::new();
        if let Some(policy) = request_policy {
            options = options.retry_policy(policy);
        }

        let result = retrieve_subscription(&gigs, options).await;

        let case = format!("client {client_policy:?}, request {request_policy:?}");
        assert_eq!(received(&server).await.len(), expected_attempts, "{case}");
        let error = expect_api(result);
        assert_eq!(error.attempts() as usize, expected_attempts, "{case}");
        let last = format!("unavailable (attempt {expected_attempts})");
        assert_eq!(error.message(), Some(last.as_str()), "{case}");
    }
}

// Connections that break mid-body

/// Retrieves `sub_1` and checks it is the one served.
async fn retrieve(builder: GigsBuilder<WithProject>) -> Result<(), Error> {
    let gigs = builder.build().unwrap();
    let found = retrieve_subscription(&gigs, RequestOptions::new()).await?;
    assert_eq!(found.id, subscription_example()["id"].as_str().unwrap());
    Ok(())
}

fn subscription_bytes() -> Vec<u8> {
    serde_json::to_vec(&subscription_example()).unwrap()
}

/// Cuts every response short with `cut`: all attempts are used, and the failure is reported as
/// a connection error.
async fn assert_cut_every_time_is_retried_then_a_connection_error(cut: RawReply) {
    let server = RawServer::start(subscription_bytes(), move |_| cut).await;

    let result = retrieve(gigs_builder(server.base_url())).await;

    assert_eq!(server.requests(), 3, "{result:?}");
    match result {
        Err(Error::Connection { attempts, .. }) => assert_eq!(attempts, 3),
        other => panic!("expected a connection error, got {other:?}"),
    }
}

/// Cuts the first response short with `cut` and serves the second whole: the retry recovers.
async fn assert_cut_once_recovers(cut: RawReply) {
    let server = RawServer::start(subscription_bytes(), move |request| {
        if request == 0 {
            cut
        } else {
            RawReply::Whole
        }
    })
    .await;

    let result = retrieve(gigs_builder(server.base_url())).await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_then_reported_as_a_connection_error() {
    assert_cut_every_time_is_retried_then_a_connection_error(RawReply::ResetMidBody).await;
}

#[tokio::test]
async fn a_connection_reset_mid_body_once_recovers_on_the_next_attempt() {
    assert_cut_once_recovers(RawReply::ResetMidBody).await;
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_retried_then_reported_as_a_connection_error() {
    assert_cut_every_time_is_retried_then_a_connection_error(RawReply::CloseMidBody).await;
}

#[tokio::test]
async fn a_connection_closed_mid_body_once_recovers_on_the_next_attempt() {
    assert_cut_once_recovers(RawReply::CloseMidBody).await;
}

#[tokio::test]
async fn a_body_that_stalls_times_out_each_attempt_and_is_retried() {
    let server = RawServer::start(subscription_bytes(), |_| RawReply::StallMidBody).await;
    let builder = gigs_builder(server.base_url()).timeout(Duration::from_millis(200));

    let result = retrieve(builder).await;

    assert_eq!(server.requests(), 3);
    let error = result.unwrap_err();
    match &error {
        Error::Timeout { attempts, .. } => assert_eq!(*attempts, 3),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // The status and headers had arrived: the error says which request it was.
    assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(error.request_id(), Some(RAW_REQUEST_ID));
    assert!(
        error
            .to_string()
            .ends_with(&format!("[request id {RAW_REQUEST_ID}]")),
        "{error}"
    );
}

// Timeouts

fn expect_timeout(result: Result<impl std::fmt::Debug, Error>) -> u32 {
    match result {
        Err(Error::Timeout { attempts, .. }) => attempts,
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_response_slower_than_the_client_timeout_times_out_each_attempt() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_secs(3))],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(expect_timeout(result), 3);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_request_timeout_overrides_the_client_timeout_both_ways() {
    // Shorter than the client's 30 s: each attempt times out.
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_secs(3))],
    )
    .await;
    let gigs = client(&server);
    let result = retrieve_subscription(
        &gigs,
        RequestOptions::new().timeout(Duration::from_millis(200)),
    )
    .await;
    assert_eq!(expect_timeout(result), 3);
    assert_eq!(received(&server).await.len(), 3);

    // Longer than the client's 200 ms: the slow response arrives.
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_millis(500))],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let result =
        retrieve_subscription(&gigs, RequestOptions::new().timeout(Duration::from_secs(5))).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn no_retries_sends_a_timed_out_request_once() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_secs(3))],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let result = retrieve_subscription(&gigs, RequestOptions::new().no_retries()).await;

    assert_eq!(expect_timeout(result), 1);
    assert_eq!(received(&server).await.len(), 1);
}

// Bodies that do not decode

#[tokio::test]
async fn truncated_json_on_200_is_a_decode_error_with_the_body_and_is_not_retried() {
    let whole = subscription_bytes();
    let truncated = whole[..whole.len() / 2].to_vec();
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(200).set_body_raw(truncated.clone(), "application/json")],
    )
    .await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(received(&server).await.len(), 1);
    let error = result.unwrap_err();
    assert!(!error.is_retryable());
    assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.body(), truncated.as_slice());
    assert!(!decode.path().is_empty());
    assert!(!error.to_string().is_empty());
}

#[tokio::test]
async fn a_wrong_type_deep_in_a_list_is_a_decode_error_naming_the_field() {
    let mut page = spec_example("listSims.200");
    page["items"][0]["status"] = json!(5);
    let server = answering_in_turn("GET", SIMS_PATH, vec![ok(page)]).await;
    let gigs = client(&server);

    let result = gigs.sims().list().call().await;

    assert_eq!(received(&server).await.len(), 1);
    let error = result.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        decode.path().contains("items[0]") && decode.path().contains("status"),
        "{}",
        decode.path()
    );
    assert!(error.to_string().contains(decode.path()), "{error}");
}

// Error bodies that are not Gigs JSON

#[tokio::test]
async fn an_html_502_from_a_proxy_is_retried_then_kept_as_the_raw_body() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(502).set_body_raw(HTML_BAD_GATEWAY, "text/html")],
    )
    .await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(received(&server).await.len(), 3);
    let error = expect_api(result);
    assert_eq!(error.status(), 502);
    assert_eq!(error.attempts(), 3);
    assert!(error.body().is_none());
    assert_eq!(error.message(), None);
    assert_eq!(error.raw_body(), HTML_BAD_GATEWAY.as_bytes());
}

#[tokio::test]
async fn a_non_json_body_on_a_documented_error_status_keeps_the_status_and_raw_body() {
    let html_not_found = "<html><body>Not Found</body></html>";
    let cut_error = r#"{"object":"error","type":"internal","mess"#;
    let cases: [(u16, &str, &str, usize); 7] = [
        (404, html_not_found, "text/html", 1),
        (401, "", "text/plain", 1),
        (500, cut_error, "application/json", 3),
        (400, "Bad Request", "text/plain", 1),
        (403, html_not_found, "text/html", 1),
        (422, cut_error, "application/json", 1),
        (429, html_not_found, "text/html", 3),
    ];
    for (code, body, mime, expected_attempts) in cases {
        let server = answering_in_turn(
            "GET",
            SUBSCRIPTION_PATH,
            vec![ResponseTemplate::new(code).set_body_raw(body, mime)],
        )
        .await;
        let gigs = client(&server);

        let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

        assert_eq!(received(&server).await.len(), expected_attempts, "{code}");
        let error = expect_api(result);
        assert_eq!(error.status(), code);
        assert_eq!(error.attempts() as usize, expected_attempts, "{code}");
        assert!(error.body().is_none(), "{code}");
        assert_eq!(error.raw_body(), body.as_bytes(), "{code}");
    }
}

// Idempotency keys

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_never_retried() {
    let server = answering_in_turn("POST", CANCEL_PATH, vec![status(503)]).await;
    let gigs = client(&server);

    let result = gigs.subscriptions().cancel("sub_1").call().await;

    let requests = received(&server).await;
    assert_eq!(idempotency_keys(&requests), [None]);
    let error = expect_api(result);
    assert_eq!(error.status(), 503);
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn a_post_with_a_request_idempotency_key_is_retried_with_that_key() {
    let server = answering_in_turn(
        "POST",
        CANCEL_PATH,
        vec![
            status(503),
            status(503),
            ok(spec_example("cancelSubscription.200")),
        ],
    )
    .await;
    let gigs = client(&server);

    let result = gigs
        .subscriptions()
        .cancel("sub_1")
        .call_with(RequestOptions::new().idempotency_key(IdempotencyKey::new("k-1").unwrap()))
        .await;

    assert!(result.is_ok(), "{result:?}");
    let key = Some("k-1".to_owned());
    assert_eq!(
        idempotency_keys(&received(&server).await),
        [key.clone(), key.clone(), key]
    );
}

/// The one key all `requests` carried, checked to be a UUIDv4.
fn shared_generated_key(requests: &[Request]) -> uuid::Uuid {
    let keys = idempotency_keys(requests);
    let first = keys[0].clone().expect("an idempotency key");
    assert!(
        keys.iter().all(|key| key.as_ref() == Some(&first)),
        "{keys:?}"
    );
    let uuid = uuid::Uuid::parse_str(&first).unwrap();
    assert_eq!(uuid.get_version(), Some(uuid::Version::Random), "{first}");
    uuid
}

#[tokio::test]
async fn generated_idempotency_keys_make_a_post_retryable_with_one_uuid_per_request() {
    let server = answering_in_turn(
        "POST",
        CANCEL_PATH,
        vec![
            status(503),
            status(503),
            ok(spec_example("cancelSubscription.200")),
        ],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .idempotency_keys(true)
        .build()
        .unwrap();

    let first = gigs.subscriptions().cancel("sub_1").call().await;
    assert!(first.is_ok(), "{first:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let first_key = shared_generated_key(&requests);

    // A new request is a new operation: it gets a key of its own.
    let second = gigs.subscriptions().cancel("sub_1").call().await;
    assert!(second.is_ok(), "{second:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4);
    assert_ne!(shared_generated_key(&requests[3..]), first_key);
}

#[tokio::test]
async fn a_delete_is_retried_only_with_an_idempotency_key() {
    let deleted = spec_example("deleteDevice.200");

    let server = answering_in_turn("DELETE", DEVICE_PATH, vec![status(503)]).await;
    let result = client(&server).devices().delete("dev_1").call().await;
    assert_eq!(idempotency_keys(&received(&server).await), [None]);
    assert_eq!(expect_api(result).attempts(), 1);

    let server = answering_in_turn(
        "DELETE",
        DEVICE_PATH,
        vec![status(503), status(503), ok(deleted)],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .idempotency_keys(true)
        .build()
        .unwrap();
    let result = gigs.devices().delete("dev_1").call().await;
    assert!(result.is_ok(), "{result:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    shared_generated_key(&requests);
}

#[tokio::test]
async fn get_and_patch_are_retried_without_ever_carrying_an_idempotency_key() {
    let server = MockServer::start().await;
    mount_in_turn(
        &server,
        "GET",
        SUBSCRIPTION_PATH,
        vec![status(503), ok(subscription_example())],
    )
    .await;
    mount_in_turn(
        &server,
        "PATCH",
        SUBSCRIPTION_PATH,
        vec![status(503), ok(spec_example("updateSubscription.200"))],
    )
    .await;
    let gigs = gigs_builder(&server.uri())
        .idempotency_keys(true)
        .build()
        .unwrap();

    let retrieved = retrieve_subscription(&gigs, RequestOptions::new()).await;
    let updated = gigs.subscriptions().update("sub_1").call().await;

    assert!(retrieved.is_ok(), "{retrieved:?}");
    assert!(updated.is_ok(), "{updated:?}");
    let requests = received(&server).await;
    let methods: Vec<String> = requests.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "GET", "PATCH", "PATCH"]);
    assert_eq!(idempotency_keys(&requests), [None, None, None, None]);
}

#[tokio::test]
async fn an_unusable_idempotency_key_cannot_be_made_and_the_longest_is_sent_whole() {
    // The key is checked when it is made: a request can only carry a valid one, so nothing
    // unusable can reach the wire.
    for key in [
        "k".repeat(256),
        "k-1\nInjected: yes".to_owned(),
        "é".repeat(100),
        "with space".to_owned(),
        String::new(),
    ] {
        let error = IdempotencyKey::new(key.clone()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid idempotency key: it "),
            "{key:?}: {error}"
        );
    }

    let server = answering_in_turn(
        "POST",
        CANCEL_PATH,
        vec![ok(spec_example("cancelSubscription.200"))],
    )
    .await;
    let gigs = client(&server);
    let longest = "k".repeat(255);
    let result = gigs
        .subscriptions()
        .cancel("sub_1")
        .call_with(
            RequestOptions::new().idempotency_key(IdempotencyKey::new(longest.clone()).unwrap()),
        )
        .await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(idempotency_keys(&received(&server).await), [Some(longest)]);
}

// Client errors

#[tokio::test]
async fn not_found_is_returned_at_once_with_every_detail_of_the_error() {
    let mut body = spec_example("response.NotFound");
    body["hint"] = json!("Check the subscription id.");
    body["documentation"] = json!(["https://developers.gigs.com/docs/api/errors"]);
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(404)
            .insert_header("X-Request-Id", "req_faults_404")
            .set_body_json(&body)],
    )
    .await;
    let gigs = client(&server);

    let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

    assert_eq!(received(&server).await.len(), 1);
    let error = result.unwrap_err();
    assert!(error.is_not_found());
    assert!(!error.is_retryable());
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
    assert_eq!(error.code(), body["code"].as_str());
    let api = error.as_api().expect("an API error");
    assert_eq!(api.attempts(), 1);
    assert_eq!(api.error_type(), body["type"].as_str());
    assert_eq!(api.message(), body["message"].as_str());
    assert_eq!(api.hint(), body["hint"].as_str());
    assert_eq!(
        api.documentation(),
        [body["documentation"][0].as_str().unwrap()]
    );
    assert_eq!(api.request_id(), Some("req_faults_404"));
    assert_eq!(api.retry_after(), None);
}

#[tokio::test]
async fn other_client_errors_are_returned_at_once() {
    let cases = [
        (400, "response.BadRequest"),
        (401, "response.Unauthorized"),
        (403, "response.Forbidden"),
        (409, "response.Conflict"),
        (422, "response.UnprocessableEntity"),
    ];
    for (code, location) in cases {
        let body = spec_example(location);
        let server = answering_in_turn(
            "GET",
            SUBSCRIPTION_PATH,
            vec![ResponseTemplate::new(code).set_body_json(&body)],
        )
        .await;
        let gigs = client(&server);

        let result = retrieve_subscription(&gigs, RequestOptions::new()).await;

        assert_eq!(received(&server).await.len(), 1, "{code}");
        let error = result.unwrap_err();
        assert!(!error.is_retryable(), "{code}");
        assert_eq!(error.code(), body["code"].as_str(), "{code}");
        let api = error.as_api().expect("an API error");
        assert_eq!(api.status(), code);
        assert_eq!(api.attempts(), 1, "{code}");
        assert_eq!(api.error_type(), body["type"].as_str(), "{code}");
        assert_eq!(api.message(), body["message"].as_str(), "{code}");
    }
}

// Pagination

fn sim(id: &str) -> Value {
    let mut sim = spec_example("retrieveSim.200");
    sim["id"] = json!(id);
    sim
}

fn sim_page(ids: &[&str], after: Option<&str>) -> ResponseTemplate {
    ok(json!({
        "object": "list",
        "items": ids.iter().map(|id| sim(id)).collect::<Vec<_>>(),
        "moreItemsAfter": after,
        "moreItemsBefore": null,
    }))
}

/// Two pages of SIMs; the second answers `second_page_failures` 503s before it is served.
async fn two_pages_with_flaky_second(second_page_failures: usize) -> MockServer {
    let second_page_requests = AtomicUsize::new(0);
    answering("GET", SIMS_PATH, move |request: &Request| {
        match query(request, "after").as_deref() {
            None => sim_page(&["sim_1", "sim_2"], Some("sim_2")),
            Some("sim_2") => {
                if second_page_requests.fetch_add(1, Ordering::SeqCst) < second_page_failures {
                    status(503)
                } else {
                    sim_page(&["sim_3"], None)
                }
            }
            Some(other) => status(404).set_body_string(format!("no page after {other}")),
        }
    })
    .await
}

fn page_cursors(requests: &[Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|request| query(request, "after"))
        .collect()
}

#[tokio::test]
async fn a_503_on_a_later_page_is_retried_and_the_list_continues() {
    let server = two_pages_with_flaky_second(1).await;
    let gigs = client(&server);

    let sims: Vec<_> = gigs.sims().list().items().try_collect().await.unwrap();

    let ids: Vec<&str> = sims.iter().map(|sim| sim.id.as_str()).collect();
    assert_eq!(ids, ["sim_1", "sim_2", "sim_3"]);
    let after_sim_2 = Some("sim_2".to_owned());
    assert_eq!(
        page_cursors(&received(&server).await),
        [None, after_sim_2.clone(), after_sim_2]
    );
}

#[tokio::test]
async fn a_page_that_keeps_failing_ends_the_list_with_the_error_after_the_retries() {
    let server = two_pages_with_flaky_second(usize::MAX).await;
    let gigs = client(&server);

    let results: Vec<_> = gigs.sims().list().items().collect().await;

    let ids: Vec<&str> = results
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .map(|sim| sim.id.as_str())
        .collect();
    assert_eq!(ids, ["sim_1", "sim_2"]);
    let error = match results.last() {
        Some(Err(Error::Api(error))) => error,
        other => panic!("expected the list to end with an API error, got {other:?}"),
    };
    assert_eq!(error.status(), 503);
    assert_eq!(error.attempts(), 3);
    assert_eq!(received(&server).await.len(), 1 + 3);
}
