//! Benchmark 1: the cost of one `retrieveSubscription` call through the SDK over a hand-written
//! `reqwest` + `serde_json` call, against a loopback server answering with the reference's
//! example. Run with `cargo bench -p gigs --bench request_overhead`.

#[path = "support/alternate.rs"]
mod alternate;
#[path = "support/http.rs"]
mod http;
#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/report.rs"]
mod report;
#[path = "support/spec.rs"]
mod spec;
#[path = "support/subscription_calls.rs"]
mod subscription_calls;

use std::hint::black_box;

use crate::alternate::{take_turns, Timings};
use crate::report::verdict;
use crate::subscription_calls::SubscriptionCalls;

/// Requests each contender sends, taking turns with the others.
const REQUESTS: usize = 20_000;
const WARM_UP_REQUESTS: usize = 500;
/// `.call()`'s rate over the hand-written one that the benchmark is held to (issue 11).
const TARGET: f64 = 0.97;
/// The generated client's own `send()`, which goes through progenitor's decoding, is held to
/// the SDK's first target.
const GENERATED_TARGET: f64 = 0.95;

fn main() {
    let calls = SubscriptionCalls::start();
    // One thread for the client, the server has its own: each gets one of the two cores.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let through_gigs = || calls.through_gigs();
    let through_generated = || calls.through_generated();
    let by_hand = || calls.by_hand();
    let expected = &calls.expected;

    // Warm-up, and a check that all three read the same subscription.
    runtime.block_on(async {
        assert_eq!(&through_gigs().await, expected);
        assert_eq!(&through_generated().await, expected);
        assert_eq!(&by_hand().await, expected);
        for _ in 0..WARM_UP_REQUESTS {
            black_box(through_gigs().await);
            black_box(through_generated().await);
            black_box(by_hand().await);
        }
    });
    let timings = take_turns(
        REQUESTS,
        &mut [
            &mut || {
                black_box(runtime.block_on(through_gigs()));
            },
            &mut || {
                black_box(runtime.block_on(through_generated()));
            },
            &mut || {
                black_box(runtime.block_on(by_hand()));
            },
        ],
    );
    drop(calls);

    let [gigs_timings, generated_timings, hand_timings] = &timings[..] else {
        unreachable!("three contenders")
    };
    println!(
        "request overhead: retrieveSubscription over loopback, {REQUESTS} requests each, taking turns"
    );
    println!(
        "  {:<34} {:>9} {:>19} {:>14} {:>11} {:>14} {:>11}",
        "", "median", "p10 - p90", "req/s (median)", "req/s (all)", "ratio (median)", "ratio (p10)"
    );
    let row = |name: &str, timings: &Timings| {
        // A rate ratio is the inverse of the time ratio. The p10 ratio compares requests that
        // no other process interrupted; the median is what the target is judged on.
        let ratio_at = |percent| {
            hand_timings.percentile(percent).as_secs_f64()
                / timings.percentile(percent).as_secs_f64()
        };
        let ratio = ratio_at(50);
        println!(
            "  {name:<34} {:>9.1?} {:>8.1?} - {:>8.1?} {:>14.0} {:>11.0} {ratio:>13.3}x {:>10.3}x",
            timings.median(),
            timings.percentile(10),
            timings.percentile(90),
            timings.rate(),
            timings.throughput(),
            ratio_at(10),
        );
        ratio
    };
    row("hand-written reqwest + serde_json", hand_timings);
    let gigs_ratio = row("gigs (Gigs::subscriptions)", gigs_timings);
    let generated_ratio = row("generated gigs_client::Client", generated_timings);
    println!(
        "  target: .call() >= {TARGET:.2}x hand-written (median rates): {}",
        verdict(gigs_ratio >= TARGET)
    );
    println!(
        "  target: generated send() >= {GENERATED_TARGET:.2}x hand-written (median rates): {}",
        verdict(generated_ratio >= GENERATED_TARGET)
    );
}
