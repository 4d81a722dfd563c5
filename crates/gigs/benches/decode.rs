//! Benchmark 4: decoding a 200-subscription list page into the generated envelope
//! `SubscriptionList` against decoding it into `serde_json::Value`. Run with
//! `cargo bench -p gigs --bench decode`.

#[path = "support/alternate.rs"]
mod alternate;
#[path = "support/report.rs"]
mod report;
#[path = "support/spec.rs"]
mod spec;

use std::hint::black_box;

use gigs::types::SubscriptionList;
use serde_json::{json, Value};

use crate::alternate::{take_turns, Timings};
use crate::report::verdict;

const ITEMS_PER_PAGE: usize = 200;
/// Decodes of the page each contender runs, taking turns with the other.
const DECODES: usize = 400;
/// Typed decoding's rate over `Value`'s that the benchmark is held to.
const TARGET: f64 = 1.0;

fn main() {
    let example = spec::subscription_example();
    let items: Vec<Value> = (0..ITEMS_PER_PAGE)
        .map(|index| {
            let mut subscription = example.clone();
            subscription["id"] = json!(format!("sub_{index:026}"));
            subscription
        })
        .collect();
    let page = serde_json::to_vec(&json!({
        "object": "list",
        "items": items,
        "moreItemsAfter": format!("sub_{:026}", ITEMS_PER_PAGE - 1),
        "moreItemsBefore": null,
    }))
    .expect("serialise the page");
    let typed: SubscriptionList = serde_json::from_slice(&page).expect("a SubscriptionList");
    assert_eq!(typed.items.len(), ITEMS_PER_PAGE);

    let timings = take_turns(
        DECODES,
        &mut [
            &mut || {
                black_box(serde_json::from_slice::<SubscriptionList>(black_box(&page)).unwrap());
            },
            &mut || {
                black_box(serde_json::from_slice::<Value>(black_box(&page)).unwrap());
            },
        ],
    );
    let [typed_timings, value_timings] = &timings[..] else {
        unreachable!("two contenders")
    };
    // A rate ratio is the inverse of the time ratio.
    let ratio = value_timings.median().as_secs_f64() / typed_timings.median().as_secs_f64();
    println!(
        "decode: a {ITEMS_PER_PAGE}-subscription list page ({} KiB), {DECODES} decodes each, taking turns",
        page.len() / 1024
    );
    let row = |name: &str, timings: &Timings| {
        println!(
            "  {name:<38} median {:>8.2?} (p10 - p90 {:>8.2?} - {:>8.2?}), {:>6.1} pages/s ({:>6.1} over all decodes), {:>7.0} items/s",
            timings.median(),
            timings.percentile(10),
            timings.percentile(90),
            timings.rate(),
            timings.throughput(),
            timings.rate() * ITEMS_PER_PAGE as f64,
        );
    };
    row("serde_json::Value", value_timings);
    row("gigs_client::types::SubscriptionList", typed_timings);
    println!(
        "  target: typed >= {TARGET:.1}x Value (median rates): {ratio:.3}x, {}",
        verdict(ratio >= TARGET)
    );
}
