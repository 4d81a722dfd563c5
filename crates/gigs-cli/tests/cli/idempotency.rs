//! `--idempotency-key` on the commands that send a POST or DELETE the spec does not mark safe
//! to repeat: the header goes out on every attempt, and it makes the request retryable.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{gigs, success_example};

/// `POST /projects/gigs/devices` answers 503 once, then the documented device.
async fn unavailable_once() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/projects/gigs/devices"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/projects/gigs/devices"))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_example("createDevice")))
        .mount(&server)
        .await;
    server
}

fn keys(requests: &[wiremock::Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|request| {
            request
                .headers
                .get("idempotency-key")
                .map(|value| value.to_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_with_a_key_sends_it_on_every_attempt_and_is_retried() {
    let server = unavailable_once().await;
    let output = gigs(&[
        "devices",
        "create",
        "--imei",
        "356938035643809",
        "--idempotency-key",
        "create-356938035643809",
        "-o",
        "json",
    ])
    .at(&server)
    .run()
    .await;
    output.assert_code(0);
    let requests = server.received_requests().await.unwrap();
    let key = Some("create-356938035643809".to_owned());
    assert_eq!(keys(&requests), [key.clone(), key]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_without_a_key_is_sent_once() {
    let server = unavailable_once().await;
    let output = gigs(&["devices", "create", "--imei", "356938035643809"])
        .at(&server)
        .run()
        .await;
    output.assert_code(1);
    assert!(output.stderr.contains("503"), "{}", output.stderr);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(keys(&requests), [None]);
}

#[test]
fn a_key_that_cannot_be_one_is_a_usage_error_and_reads_and_searches_take_none() {
    let output = gigs(&[
        "devices",
        "create",
        "--imei",
        "356938035643809",
        "--idempotency-key",
        "has space",
    ])
    .run_blocking();
    output.assert_code(2);
    assert!(output.stderr.contains("visible ASCII"), "{}", output.stderr);

    for command in [
        &["sims", "retrieve", "sim_1", "--idempotency-key", "k"][..],
        &[
            "sims",
            "search",
            "--iccid",
            "89883070000007537119",
            "--idempotency-key",
            "k",
        ],
    ] {
        let output = gigs(command).run_blocking();
        output.assert_code(2);
        assert!(
            output.stderr.contains("--idempotency-key"),
            "{}",
            output.stderr
        );
    }
}
