//! Belongs here: which failures are retried for which requests, one test (or more) per row of
//! the retry table in the `gigs` crate docs (crates/gigs/README.md, "Errors and retries"),
//! against the fake (gigs-testing) and its fault injection.
//!
//! | the attempt ended with | GET, PATCH, a key, `x-gigs-idempotent` | POST, DELETE without a key |
//! |---|---|---|
//! | no connection (refused, DNS): nothing was sent | retried | retried |
//! | 429 (`Retry-After` honoured) | retried | retried |
//! | 408, 500, 502, 503, 504 | retried | not retried |
//! | a timeout or broken connection after sending | retried | not retried |
//! | any other status | not retried | not retried |
//!
//! A refused connection is made real: the client resolves the fake's host name to a loopback
//! address nothing listens on for its first lookups (another address of 127.0.0.0/8), then to
//! the fake's own; a failed lookup stands for DNS.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gigs::types::{CreateDeviceRequest, Device, SearchSimsRequest, SimList};
use gigs::{Call, Error, Gigs, GigsBuilder, IdempotencyKey, RequestOptions};
use gigs_testing::{FakeGigs, Fault, Seed};
use gigs_tests::server::quick_retries;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The ICCID of the seed's eSIM, which `searchSims` finds.
const ICCID: &str = "89883070000007537119";
/// An IMEI no device of the seed has (the seed's device has the reference's example IMEI).
const IMEI: &str = "356938035643809";

/// A fake with the workspace's seed (crates/gigs-testing/seed.json).
async fn seeded_fake() -> FakeGigs {
    let seed = Seed::from_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/gigs-testing/seed.json"
    )))
    .expect("the workspace's seed");
    FakeGigs::builder()
        .seed(seed)
        .start()
        .await
        .expect("a fake on a free port")
}

/// How the first lookups of the fake's host name fail.
#[derive(Clone, Copy)]
enum Unreachable {
    /// A loopback address nothing listens on: the connection is refused.
    Refused,
    /// No address at all: a DNS failure.
    NoSuchHost,
}

/// Resolves every name to the fake's address, except the first `failures` lookups.
struct FlakyResolver {
    fake: SocketAddr,
    failures: usize,
    how: Unreachable,
    lookups: Arc<AtomicUsize>,
}

impl Resolve for FlakyResolver {
    fn resolve(&self, _: Name) -> Resolving {
        let lookup = self.lookups.fetch_add(1, Ordering::SeqCst);
        let (fake, how, failing) = (self.fake, self.how, lookup < self.failures);
        Box::pin(async move {
            if !failing {
                return Ok(Box::new(std::iter::once(fake)) as Addrs);
            }
            match how {
                // The same port on another loopback address, where the fake does not listen.
                Unreachable::Refused => Ok(Box::new(std::iter::once(SocketAddr::new(
                    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
                    fake.port(),
                ))) as Addrs),
                Unreachable::NoSuchHost => Err("no such host (a lookup failed on purpose)".into()),
            }
        })
    }
}

/// A client of `fake` by host name, whose first `failures` connections cannot be made; the
/// counter says how many lookups (so connection attempts) there were.
fn unreachable_at_first(
    fake: &FakeGigs,
    failures: usize,
    how: Unreachable,
) -> (GigsBuilder<gigs::WithProject>, Arc<AtomicUsize>) {
    let lookups = Arc::new(AtomicUsize::new(0));
    let resolver = FlakyResolver {
        fake: fake.address(),
        failures,
        how,
        lookups: Arc::clone(&lookups),
    };
    let http = reqwest::Client::builder().dns_resolver(Arc::new(resolver));
    let builder = fake
        .gigs_builder()
        .base_url(format!("http://gigs-fake.test:{}", fake.address().port()))
        .http_client_builder(http)
        .retry_policy(quick_retries());
    (builder, lookups)
}

fn quick(fake: &FakeGigs) -> Gigs {
    fake.gigs_builder()
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

async fn create_device(gigs: &Gigs, options: RequestOptions) -> Result<Device, Error> {
    gigs.devices()
        .create()
        .body(CreateDeviceRequest::builder().imei(IMEI))
        .call_with(options)
        .await
}

async fn search_sims(gigs: &Gigs, options: RequestOptions) -> Result<SimList, Error> {
    gigs.sims()
        .search()
        .body(SearchSimsRequest::builder().iccid(ICCID))
        .call_with(options)
        .await
}

fn created_devices(fake: &FakeGigs) -> usize {
    fake.devices()
        .iter()
        .filter(|device| device.imei.as_deref() == Some(IMEI))
        .count()
}

#[test]
fn the_searches_and_only_they_are_marked_safe_to_repeat_in_the_operation_table() {
    let operations = gigs::client::operation::OperationSpec::ALL;
    let marked: Vec<&str> = operations
        .iter()
        .filter(|operation| operation.idempotent)
        .map(|operation| operation.operation_id)
        .collect();
    // Every read-only search of the spec (a POST to `…/search`), however many it has.
    let searches: Vec<&str> = operations
        .iter()
        .filter(|operation| operation.operation_id.starts_with("search"))
        .map(|operation| operation.operation_id)
        .collect();
    assert!(searches.contains(&"searchSims") && searches.contains(&"searchUsers"));
    assert_eq!(marked, searches);
}

// Row: no connection (nothing was sent): retried for every method.

#[tokio::test]
async fn a_search_and_a_create_ride_out_a_refused_connection() {
    let fake = seeded_fake().await;

    let (builder, lookups) = unreachable_at_first(&fake, 1, Unreachable::Refused);
    let gigs = builder.build().unwrap();
    let found = search_sims(&gigs, RequestOptions::new()).await.unwrap();
    assert_eq!(found.items[0].iccid, ICCID);
    assert_eq!(lookups.load(Ordering::SeqCst), 2);
    assert_eq!(fake.calls("searchSims"), 1);

    // A POST without an idempotency key: the refused attempt never reached the server.
    let (builder, lookups) = unreachable_at_first(&fake, 2, Unreachable::Refused);
    let gigs = builder.build().unwrap();
    let response = gigs
        .devices()
        .create()
        .body(CreateDeviceRequest::builder().imei(IMEI))
        .call_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(lookups.load(Ordering::SeqCst), 3);
    assert_eq!(fake.calls("createDevice"), 1);
    assert_eq!(created_devices(&fake), 1);
}

#[tokio::test]
async fn a_delete_without_a_key_rides_out_a_failed_lookup() {
    let fake = seeded_fake().await;
    let device = fake.devices()[0].id.clone();
    let (builder, lookups) = unreachable_at_first(&fake, 1, Unreachable::NoSuchHost);
    let gigs = builder.build().unwrap();

    let deleted = gigs.devices().delete(&device).call().await.unwrap();

    assert_eq!(deleted.id, device);
    assert_eq!(lookups.load(Ordering::SeqCst), 2);
    assert_eq!(fake.calls("deleteDevice"), 1);
}

#[tokio::test]
async fn a_connection_never_made_ends_as_a_connection_error_once_the_retries_are_used() {
    let fake = seeded_fake().await;
    let (builder, lookups) = unreachable_at_first(&fake, usize::MAX, Unreachable::Refused);
    let gigs = builder.build().unwrap();

    let error = create_device(&gigs, RequestOptions::new())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Connection { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(lookups.load(Ordering::SeqCst), 3);
    assert_eq!(fake.calls("createDevice"), 0);
}

// Row: 429, `Retry-After` honoured: retried for every method.

#[tokio::test]
async fn a_search_and_a_create_ride_out_a_429_waiting_its_retry_after() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);

    fake.inject(
        "searchSims",
        1,
        Fault::status(429).retry_after(Duration::ZERO),
    )
    .unwrap();
    let found = search_sims(&gigs, RequestOptions::new()).await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(fake.calls("searchSims"), 2);

    fake.inject(
        "createDevice",
        1,
        Fault::status(429).retry_after(Duration::from_secs(1)),
    )
    .unwrap();
    let started = Instant::now();
    create_device(&gigs, RequestOptions::new()).await.unwrap();
    // The quick policy would wait 10 ms; only the header explains a second.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.calls("createDevice"), 2);
    assert_eq!(created_devices(&fake), 1);
}

#[tokio::test]
async fn a_persistent_429_on_a_create_is_returned_after_the_retries() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);
    fake.inject("createDevice", 5, Fault::status(429)).unwrap();

    let error = create_device(&gigs, RequestOptions::new())
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(reqwest::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.as_api().unwrap().attempts(), 3);
    assert_eq!(fake.calls("createDevice"), 3);
    assert_eq!(created_devices(&fake), 0);
}

// Row: 408, 500, 502, 503, 504: retried only when repeating is safe.

#[tokio::test]
async fn a_transient_status_is_retried_for_a_search_and_a_keyed_create_only() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);

    for status in [408, 500, 502, 503, 504] {
        let before = fake.calls("searchSims");
        fake.inject("searchSims", 1, Fault::status(status)).unwrap();
        search_sims(&gigs, RequestOptions::new()).await.unwrap();
        assert_eq!(fake.calls("searchSims") - before, 2, "{status}");
    }

    fake.inject("createDevice", 1, Fault::status(503)).unwrap();
    let error = create_device(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.as_api().unwrap().attempts(), 1);
    assert_eq!(fake.calls("createDevice"), 1);

    fake.inject("createDevice", 1, Fault::status(503)).unwrap();
    let key = IdempotencyKey::new("create-492388841798923").unwrap();
    create_device(&gigs, RequestOptions::new().idempotency_key(key))
        .await
        .unwrap();
    assert_eq!(fake.calls("createDevice"), 3);
}

#[tokio::test]
async fn a_get_and_a_patch_are_retried_after_a_transient_status() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);
    let sim = fake.sims()[0].id.clone();
    fake.inject("retrieveSim", 1, Fault::status(502)).unwrap();
    fake.inject("updateSim", 1, Fault::status(504)).unwrap();

    gigs.sims().retrieve(&sim).call().await.unwrap();
    gigs.sims()
        .update(&sim)
        .body(gigs::types::UpdateSimRequest::builder())
        .call()
        .await
        .unwrap();

    assert_eq!(fake.calls("retrieveSim"), 2);
    assert_eq!(fake.calls("updateSim"), 2);
}

// Row: a timeout or a broken connection after the request was sent.

#[tokio::test]
async fn a_create_that_timed_out_after_sending_is_not_repeated_but_a_search_is() {
    let fake = seeded_fake().await;
    let gigs = fake
        .gigs_builder()
        .retry_policy(quick_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    fake.inject("createDevice", 1, Fault::delay(Duration::from_secs(1)))
        .unwrap();
    let error = create_device(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    // Give a second attempt, were there one, the time to arrive.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(fake.calls("createDevice"), 1);

    fake.inject("searchSims", 1, Fault::delay(Duration::from_secs(1)))
        .unwrap();
    let found = search_sims(&gigs, RequestOptions::new()).await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(fake.calls("searchSims"), 2);
}

#[tokio::test]
async fn a_create_whose_connection_broke_after_sending_is_not_repeated_but_a_search_is() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);

    fake.inject("createDevice", 1, Fault::drop_connection())
        .unwrap();
    let error = create_device(&gigs, RequestOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(fake.calls("createDevice"), 1);

    fake.inject("searchSims", 2, Fault::drop_connection())
        .unwrap();
    search_sims(&gigs, RequestOptions::new()).await.unwrap();
    assert_eq!(fake.calls("searchSims"), 3);
}

// Row: any other status is final, whatever the request.

#[tokio::test]
async fn other_error_statuses_are_never_retried() {
    let fake = seeded_fake().await;
    let gigs = quick(&fake);
    for status in [400, 401, 403, 404, 409, 422, 501] {
        let before = (fake.calls("searchSims"), fake.calls("retrieveSim"));
        fake.inject("searchSims", 1, Fault::status(status)).unwrap();
        fake.inject("retrieveSim", 1, Fault::status(status))
            .unwrap();
        let search = search_sims(&gigs, RequestOptions::new()).await.unwrap_err();
        let sim = fake.sims()[0].id.clone();
        let get = gigs.sims().retrieve(&sim).call().await.unwrap_err();
        assert_eq!(search.status().unwrap().as_u16(), status);
        assert_eq!(get.status().unwrap().as_u16(), status);
        let after = (fake.calls("searchSims"), fake.calls("retrieveSim"));
        assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1), "{status}");
    }
}
