//! Belongs here: what callers get around one call, against local servers: the response's metadata on success,
//! raw requests, whole-call deadlines, extra headers, a shared reqwest client, and errors that
//! print one line.

use std::time::{Duration, Instant};

use gigs::{
    types, ApiError, Call, Error, Gigs, GigsBuilder, RequestOptions, RetryPolicy, WithProject,
};
use gigs_tests::examples::spec_example;
use gigs_tests::server::{
    answering_in_turn, gigs_builder, in_turn, quick_retries, received, retrieve_subscription,
    slow_subscription, subscription_example, SUBSCRIPTION_PATH, TOKEN,
};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> GigsBuilder<WithProject> {
    gigs_builder(&server.uri())
}

// Response metadata

#[tokio::test]
async fn a_successful_call_gives_status_headers_request_id_and_attempts() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200)
                .set_body_json(subscription_example())
                .insert_header("x-request-id", "req_ok_2")
                .insert_header("x-ratelimit-remaining", "41"),
        ],
    )
    .await;
    let gigs = builder(&server).build().unwrap();

    let response = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.request_id(), Some("req_ok_2"));
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "41");
    // Deref reads the body's fields; into_inner gives the body.
    assert_eq!(response.id, subscription_example()["id"].as_str().unwrap());
    let body: types::Subscription = response.into_inner();
    assert_eq!(
        serde_json::to_value(&body).unwrap()["id"],
        subscription_example()["id"]
    );
}

#[tokio::test]
async fn a_response_with_options_and_no_request_id_says_so() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(200).set_body_json(subscription_example())],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let response = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call_with_response_and(RequestOptions::new().no_retries())
        .await
        .unwrap();
    assert_eq!(response.request_id(), None);
    assert_eq!(response.attempts(), 1);
}

// Extra headers

#[tokio::test]
async fn an_extra_header_is_sent_on_every_attempt_and_authorization_cannot_be_replaced() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(subscription_example()),
        ],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let correlation = HeaderName::from_static("x-correlation-id");
    gigs.subscriptions()
        .retrieve("sub_1")
        .call_with(
            RequestOptions::new().header(correlation.clone(), HeaderValue::from_static("c-42")),
        )
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.headers[&correlation], "c-42");
        assert_eq!(
            request.headers[AUTHORIZATION],
            format!("Bearer {TOKEN}").as_str()
        );
    }

    let error = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call_with(
            RequestOptions::new().header(AUTHORIZATION, HeaderValue::from_static("Bearer other")),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("Authorization"), "{error}");
    assert_eq!(received(&server).await.len(), 2, "nothing more was sent");
}

#[tokio::test]
async fn headers_are_written_as_in_reqwest_and_typed_ones_still_work() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(200).set_body_json(subscription_example())],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let tenant = String::from("x-tenant");
    let options = RequestOptions::new()
        .header("x-trace", "abc")
        .header(tenant.clone(), format!("t-{}", 7))
        .header(&tenant, "t-8") // replaces the header of the same name
        .header(
            HeaderName::from_static("x-typed"),
            HeaderValue::from_static("typed"),
        )
        .header("X-Mixed-Case", b"bytes".as_slice())
        .header("x-number", 42_u16);
    gigs.subscriptions()
        .retrieve("sub_1")
        .call_with(options)
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let headers = &requests[0].headers;
    for (name, value) in [
        ("x-trace", "abc"),
        ("x-tenant", "t-8"),
        ("x-typed", "typed"),
        ("x-mixed-case", "bytes"),
        ("x-number", "42"),
    ] {
        assert_eq!(headers[name], value, "{name}");
    }
}

#[tokio::test]
async fn an_invalid_header_is_refused_before_sending_and_named() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(200).set_body_json(subscription_example())],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let cases = [
        (
            RequestOptions::new().header("x trace", "abc"),
            "header name \"x trace\" is not a valid header name",
        ),
        (
            RequestOptions::new().header("x-note", "secret\r\nx-injected: 1"),
            "the value of header `x-note` is not a valid header value",
        ),
        (
            // The first invalid header is the one named, whatever follows.
            RequestOptions::new()
                .header("x-ok", "1")
                .header(String::from("bad:name"), "v")
                .header("x-note", "\n"),
            "header name \"bad:name\" is not a valid header name",
        ),
        (
            RequestOptions::new().header("authorization", "Bearer other"),
            "the Authorization header cannot be set per request",
        ),
    ];
    for (options, expected) in cases {
        let error = gigs
            .subscriptions()
            .retrieve("sub_1")
            .call_with(options)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        let text = error.to_string();
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("secret"), "the value is not printed: {text}");
    }
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_raw_request_takes_the_same_headers_and_refuses_the_same_way() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/gigs/things"))
        .and(header("x-trace", "abc"))
        .and(header("x-typed", "typed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let gigs = builder(&server).build().unwrap();
    let response = gigs
        .request(Method::GET, "/projects/gigs/things")
        .header("x-trace", "abc")
        .options(RequestOptions::new().header("x-typed", "replaced below"))
        .header(
            HeaderName::from_static("x-typed"),
            HeaderValue::from_static("typed"),
        )
        .send::<Value>()
        .await
        .unwrap();
    assert_eq!(response["ok"], true);

    // An invalid header set before `.options(..)` still refuses the request.
    let error = gigs
        .request(Method::GET, "/projects/gigs/things")
        .header("x-note", "a\nb")
        .options(RequestOptions::new().no_retries())
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        error.to_string().contains("the value of header `x-note`"),
        "{error}"
    );
    assert_eq!(
        received(&server).await.len(),
        1,
        "the refused one was not sent"
    );
}

// Deadlines

#[tokio::test]
async fn a_deadline_cuts_a_retry_sequence_short() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(503).set_delay(Duration::from_millis(150))],
    )
    .await;
    // Without a deadline: 1 + 5 attempts of 150 ms each.
    let gigs = builder(&server)
        .retry_policy(quick_retries().with_max_retries(5))
        .deadline(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(elapsed < Duration::from_millis(700), "{elapsed:?}");
    let attempts = received(&server).await.len();
    assert!((2..=3).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn a_deadline_cuts_an_attempt_off_mid_response() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_secs(5))],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let started = Instant::now();
    let error = retrieve_subscription(
        &gigs,
        RequestOptions::new().deadline(Duration::from_millis(200)),
    )
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            error,
            Error::Timeout {
                deadline_reached: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(error.to_string().contains("deadline"), "{error}");
}

#[tokio::test]
async fn a_retry_after_ending_past_the_deadline_is_not_waited_out() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(429)
            .insert_header("retry-after", "30")
            .set_body_json(
                json!({"object": "error", "type": "rateLimited", "message": "Slow down."}),
            )],
    )
    .await;
    let gigs = builder(&server)
        .deadline(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 1);
    assert!(error.is_timeout(), "{error:?}");
    let api = error.as_api().expect("the API's answer is kept");
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(30)));
    assert!(api.deadline_reached());
}

#[tokio::test]
async fn without_a_deadline_the_same_retry_after_is_waited_out() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![
            ResponseTemplate::new(429).insert_header("retry-after", "1"),
            ResponseTemplate::new(200).set_body_json(subscription_example()),
        ],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let response = gigs
        .subscriptions()
        .retrieve("sub_1")
        .call_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
}

// Raw requests

#[tokio::test]
async fn a_raw_request_has_the_token_query_body_headers_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/projects/gigs/portings"))
        .and(query_param("dryRun", "true"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-extra", "1"))
        .and(body_json(json!({"phoneNumber": "+19591234567"})))
        .respond_with(in_turn(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(201)
                .set_body_json(json!({"object": "porting", "id": "prt_1"}))
                .insert_header("request-id", "req_raw"),
        ]))
        .mount(&server)
        .await;
    let gigs = builder(&server).build().unwrap();
    let key = gigs::IdempotencyKey::new("porting-1").unwrap();

    let response = gigs
        .request(Method::POST, "/projects/gigs/portings")
        .query(&[("dryRun", "true")])
        .json(&json!({"phoneNumber": "+19591234567"}))
        .header(
            HeaderName::from_static("x-extra"),
            HeaderValue::from_static("1"),
        )
        .options(RequestOptions::new().idempotency_key(key))
        .send::<Value>()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response["id"], "prt_1");
    assert_eq!(response.request_id(), Some("req_raw"));
    assert_eq!(response.attempts(), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "a POST with a key is retried");
    for request in &requests {
        assert_eq!(request.headers["idempotency-key"], "porting-1");
    }
}

#[tokio::test]
async fn a_raw_post_without_a_key_is_sent_once() {
    let server = answering_in_turn(
        "POST",
        "/projects/gigs/portings",
        vec![ResponseTemplate::new(503)],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let error = gigs
        .request(Method::POST, "/projects/gigs/portings")
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn raw_requests_give_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/projects/gigs/things/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(spec_example("response.NotFound"))
                .insert_header("x-request-id", "req_404"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/projects/gigs/things/odd"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    Mock::given(path("/projects/gigs/things/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let gigs = builder(&server).build().unwrap();

    let error = gigs
        .request(Method::GET, "/projects/gigs/things/missing")
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let api = error.as_api().unwrap();
    assert_eq!(api.request_id(), Some("req_404"));
    assert_eq!(api.operation(), gigs::RAW_OPERATION);

    let error = gigs
        .request(Method::GET, "/projects/gigs/things/odd")
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    let empty = gigs
        .request(Method::DELETE, "/projects/gigs/things/empty")
        .send::<()>()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn raw_paths_cannot_leave_the_api() {
    let server = MockServer::start().await;
    let gigs = builder(&server).build().unwrap();
    for path in [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/projects/../admin",
        "/projects/%2e%2E/admin",
        "/x?token=1",
        "relative",
    ] {
        let error = gigs
            .request(Method::GET, path)
            .send::<Value>()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{path}: {error:?}"
        );
        assert!(error.to_string().contains(path), "{error}");
    }
    assert!(received(&server).await.is_empty());
}

// A shared reqwest client

#[tokio::test]
async fn a_built_reqwest_client_is_used_and_gets_the_token_per_request() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(200).set_body_json(subscription_example())],
    )
    .await;
    // The shared client has its own user agent: seeing it proves this client sent the request.
    let shared = reqwest::Client::builder()
        .user_agent("shared-service/2.0")
        .build()
        .unwrap();
    let gigs = builder(&server).http_client(shared).build().unwrap();
    gigs.subscriptions().retrieve("sub_1").call().await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[0].headers["user-agent"], "shared-service/2.0");
    assert_eq!(
        requests[0].headers[AUTHORIZATION],
        format!("Bearer {TOKEN}").as_str()
    );
    assert!(!format!("{gigs:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_built_reqwest_client_without_a_timeout_gets_the_builders_timeout_per_request() {
    // The shared client has no timeout of its own; the builder's must still bound each attempt.
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![slow_subscription(Duration::from_secs(5))],
    )
    .await;
    let gigs = builder(&server)
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

// Errors that print one line

#[tokio::test]
async fn an_api_error_prints_operation_status_code_message_and_request_id_on_one_line() {
    let server = answering_in_turn(
        "GET",
        SUBSCRIPTION_PATH,
        vec![ResponseTemplate::new(422)
            .set_body_json(json!({
                "object": "error",
                "type": "validationFailed",
                "code": "subscriptionEnded",
                "message": "The subscription has ended."
            }))
            .insert_header("x-request-id", "req_422")],
    )
    .await;
    let gigs = builder(&server).build().unwrap();
    let error = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "retrieveSubscription: the API answered 422 Unprocessable Entity \
         (validationFailed, subscriptionEnded): The subscription has ended. [request id req_422]"
    );
    assert!(
        !format!("{error:?}").contains("[123,"),
        "the raw body shows as text: {error:?}"
    );
}

#[tokio::test]
async fn a_connection_error_prints_one_line() {
    let gigs = Gigs::builder()
        .token(TOKEN)
        .project("gigs")
        .base_url("http://127.0.0.1:9")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = retrieve_subscription(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    let line = error.to_string();
    assert!(
        line.starts_with("retrieveSubscription: connection failed after 1 attempt(s): "),
        "{line}"
    );
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn errors_can_be_built_for_tests_of_code_that_handles_them() {
    let error: Error = ApiError::builder("createDevice", StatusCode::TOO_MANY_REQUESTS)
        .error_type("rateLimited")
        .message("Slow down.")
        .retry_after(Duration::from_secs(3))
        .attempts(3)
        .build()
        .into();
    assert!(error.is_retryable());
    let api = error.as_api().unwrap();
    assert_eq!(api.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(api.attempts(), 3);
    assert_eq!(api.message(), Some("Slow down."));

    let html = ApiError::builder("listSims", StatusCode::BAD_GATEWAY)
        .raw_body("<html>bad gateway</html>")
        .build();
    assert_eq!(html.body(), None);
    assert_eq!(html.raw_body(), b"<html>bad gateway</html>");
}
