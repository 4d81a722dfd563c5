//! Fault injection observed through gigs: statuses with Retry-After, 503s then success, delays
//! past the client's timeout, dropped connections, and the binary's admin route.

use std::time::{Duration, Instant};

use gigs::{Call, RetryPolicy};
use gigs_testing::{FakeError, Fault};

use crate::ids::SUBSCRIPTION;
use crate::seeded;

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(2)
        .with_initial_backoff(Duration::from_millis(10))
        .with_jitter(false)
}

#[tokio::test]
async fn two_503s_then_success_takes_three_attempts() {
    let fake = seeded().await;
    let gigs = fake
        .gigs_builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    fake.inject("retrieveSubscription", 2, Fault::status(503))
        .unwrap();
    let subscription = gigs
        .subscriptions()
        .retrieve(SUBSCRIPTION)
        .call()
        .await
        .unwrap();
    assert_eq!(subscription.id, SUBSCRIPTION);
    assert_eq!(fake.calls("retrieveSubscription"), 3);
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let fake = seeded().await;
    let gigs = fake
        .gigs_builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    fake.inject(
        "listSims",
        1,
        Fault::status(429).retry_after(Duration::from_secs(1)),
    )
    .unwrap();
    let started = Instant::now();
    gigs.sims().list().call().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(fake.calls("listSims"), 2);
}

#[tokio::test]
async fn persistent_faults_reach_the_caller_with_the_gigs_error() {
    let fake = seeded().await;
    let gigs = fake
        .gigs_builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    fake.inject("*", 10, Fault::status(503)).unwrap();
    let error = gigs.sims().list().call().await.unwrap_err();
    let api = error.as_api().expect("an API error");
    assert_eq!((api.status().as_u16(), api.attempts()), (503, 3));
    assert_eq!(api.body().unwrap().type_, "internal");
    fake.clear_faults();
    gigs.sims().list().call().await.unwrap();
}

#[tokio::test]
async fn dropped_connections_and_delays() {
    let fake = seeded().await;
    let gigs = fake
        .gigs_builder()
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    fake.inject("listDevices", 1, Fault::drop_connection())
        .unwrap();
    let error = gigs.devices().list().call().await.unwrap_err();
    assert!(matches!(error, gigs::Error::Connection { .. }), "{error:?}");
    fake.inject("listDevices", 1, Fault::delay(Duration::from_millis(600)))
        .unwrap();
    let error = gigs.devices().list().call().await.unwrap_err();
    assert!(matches!(error, gigs::Error::Timeout { .. }), "{error:?}");
    gigs.devices().list().call().await.unwrap();
}

#[tokio::test]
async fn unknown_operations_and_non_error_statuses_are_refused() {
    let fake = seeded().await;
    assert_eq!(
        fake.inject("getSubscription", 1, Fault::status(503)),
        Err(FakeError::UnknownOperation("getSubscription".to_owned()))
    );
    assert!(matches!(
        fake.inject("listSims", 1, Fault::status(200)),
        Err(FakeError::InvalidFault(_))
    ));
}

#[tokio::test]
async fn the_admin_route_queues_faults() {
    let fake = seeded().await;
    let client = reqwest::Client::new();
    let admin = format!("{}{}/faults", fake.base_url(), gigs_testing::ADMIN_PREFIX);
    let queued = client
        .post(&admin)
        .body(r#"{"operation": "listSubscriptions", "times": 1, "status": 429, "retryAfter": 7}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status(), 200);
    let gigs = fake
        .gigs_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = gigs.subscriptions().list().call().await.unwrap_err();
    assert_eq!(
        error.as_api().unwrap().retry_after(),
        Some(Duration::from_secs(7))
    );
    for bad in [
        r#"{"operation": "nope", "status": 503}"#,
        r#"{"operation": "*"}"#,
        "{",
    ] {
        let answer = client.post(&admin).body(bad).send().await.unwrap();
        assert_eq!(answer.status(), 400, "{bad}");
    }
}
