//! The fake's own costs: how long `FakeGigs::start()` takes (so that a test can start one of
//! its own), and how many requests per second it serves through `gigs`, one at a time and 16
//! at a time. Run with `cargo bench -p gigs-testing`; prints its figures (no libtest harness).

use std::time::{Duration, Instant};

use futures::future::join_all;
use gigs::{Call, Gigs, RetryPolicy};
use gigs_testing::{FakeGigs, Seed};

const STARTS: usize = 200;
const REQUESTS: usize = 10_000;
const CONCURRENCY: usize = 16;
const START_TARGET: Duration = Duration::from_millis(50);

const SEED: &str = include_str!("../seed.json");
const SUBSCRIPTION: &str = "sub_0SNlurA049MEWV2gSfSxi00xlPIi";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn requests_per_second(gigs: &Gigs, concurrency: usize) -> f64 {
    let per_task = REQUESTS / concurrency;
    let started = Instant::now();
    join_all((0..concurrency).map(|_| async {
        for _ in 0..per_task {
            let subscription = gigs
                .subscriptions()
                .retrieve(SUBSCRIPTION)
                .call()
                .await
                .expect("the fake answers");
            assert_eq!(subscription.id, SUBSCRIPTION);
        }
    }))
    .await;
    (per_task * concurrency) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    runtime.block_on(async {
        let seed = Seed::from_json(SEED).expect("seed.json is a valid seed");

        // Start-up: bind, load the catalog, start serving, and answer a first request (what a
        // test waits for before its first call), then drop.
        let mut starts = Vec::with_capacity(STARTS);
        for _ in 0..STARTS {
            let started = Instant::now();
            let fake = FakeGigs::builder().seed(seed.clone()).start().await.expect("start");
            starts.push(started.elapsed());
            drop(fake);
        }
        starts.sort();
        let median = percentile(&starts, 0.5);
        let p95 = percentile(&starts, 0.95);
        println!(
            "FakeGigs::start() with seed.json, {STARTS} starts: median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            starts[STARTS - 1].as_secs_f64() * 1e3,
        );
        let first = {
            let started = Instant::now();
            let fake = FakeGigs::builder().seed(seed.clone()).start().await.expect("start");
            fake.gigs().sims().list().call().await.expect("a first answer");
            started.elapsed()
        };
        println!("start + first listSims through gigs (new client): {:.3} ms", first.as_secs_f64() * 1e3);

        let fake = FakeGigs::builder().seed(seed).start().await.expect("start");
        let gigs = fake.gigs_builder().retry_policy(RetryPolicy::none()).build().expect("client");
        requests_per_second(&gigs, 1).await; // warm-up
        let sequential = requests_per_second(&gigs, 1).await;
        let concurrent = requests_per_second(&gigs, CONCURRENCY).await;
        println!("retrieveSubscription through gigs, {REQUESTS} requests: one at a time {sequential:.0} req/s; {CONCURRENCY} at a time {concurrent:.0} req/s");

        let verdict = if p95 < START_TARGET { "met" } else { "MISSED" };
        println!("target: FakeGigs::start() p95 under {} ms: {verdict}", START_TARGET.as_millis());
    });
}
