//! Benchmark 2: walking 50 pages when the server takes 20 ms per page and the consumer spends
//! 20 ms on each page. `.items()` requests the next page while the consumer works; without
//! prefetch, and in a hand-written loop, the two waits add up. Run with
//! `cargo bench -p gigs --bench pagination`.

#[path = "support/devices.rs"]
mod devices;
#[path = "support/http.rs"]
mod http;
#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/report.rs"]
mod report;
#[path = "support/rounds.rs"]
mod rounds;

use std::hint::black_box;
use std::pin::pin;
use std::time::{Duration, Instant};

use futures::{Stream, TryStreamExt};
use gigs::types::{Device, DeviceList};
use gigs::{Gigs, Paginate};

use crate::devices::{device_id, device_page};
use crate::http::{configured_http_client, get_json, PROJECT, TOKEN};
use crate::loopback::LoopbackServer;
use crate::report::verdict;
use crate::rounds::{interleaved_rounds, median_duration, paired_ratios};

const PAGES: usize = 50;
const PAGE_SIZE: usize = 20;
const SERVER_TIME_PER_PAGE: Duration = Duration::from_millis(20);
const CONSUMER_TIME_PER_PAGE: Duration = Duration::from_millis(20);
/// Each round takes about 1 + 2 + 2 seconds.
const ROUNDS: usize = 5;
/// Prefetch wall time over the hand-written sequential loop's that the benchmark is held to.
const TARGET: f64 = 0.55;

fn main() {
    let server = LoopbackServer::start(Duration::from_secs(300), |uri| {
        let page = device_page(uri.query(), PAGES * PAGE_SIZE, PAGE_SIZE);
        async move {
            tokio::time::sleep(SERVER_TIME_PER_PAGE).await;
            page
        }
    });
    let base_url = server.base_url().to_owned();
    // The runtime `#[tokio::main]` gives an application; the server has its own thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let gigs = Gigs::builder()
        .token(TOKEN)
        .project(PROJECT)
        .base_url(&base_url)
        .build()
        .expect("a gigs client");
    let hand_written = configured_http_client();
    let devices_url = format!("{base_url}/projects/{PROJECT}/devices");

    let mut with_prefetch = || runtime.block_on(consume_items(gigs.devices().list().items()));
    let mut without_prefetch = || {
        runtime.block_on(consume_items(
            gigs.devices().list().paginate().prefetch(false).items(),
        ))
    };
    let mut sequential_loop = || {
        runtime.block_on(async {
            let start = Instant::now();
            let mut after: Option<String> = None;
            let mut count = 0;
            loop {
                let query = after.iter().map(|cursor| ("after", cursor.as_str()));
                let url = reqwest::Url::parse_with_params(&devices_url, query).expect("a URL");
                let page: DeviceList = get_json(&hand_written, url)
                    .await
                    .expect("hand-written: GET devices");
                tokio::time::sleep(CONSUMER_TIME_PER_PAGE).await;
                count += page.items.len();
                black_box(&page.items);
                match page.more_items_after {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
            assert_eq!(count, PAGES * PAGE_SIZE, "the loop saw every device");
            start.elapsed()
        })
    };
    // Connections and the pool warm up on a first walk that is not counted.
    with_prefetch();
    let durations = interleaved_rounds(
        ROUNDS,
        &mut [
            &mut with_prefetch,
            &mut without_prefetch,
            &mut sequential_loop,
        ],
    );
    drop(server);

    let [prefetch_times, no_prefetch_times, sequential_times] = &durations[..] else {
        unreachable!("three contenders")
    };
    let prefetch_ratio = paired_ratios(prefetch_times, sequential_times);
    let no_prefetch_ratio = paired_ratios(no_prefetch_times, sequential_times);
    let ideal = (SERVER_TIME_PER_PAGE + CONSUMER_TIME_PER_PAGE) * PAGES as u32;
    println!(
        "pagination: {PAGES} pages of {PAGE_SIZE}, server {SERVER_TIME_PER_PAGE:?}/page, consumer {CONSUMER_TIME_PER_PAGE:?}/page, {ROUNDS} rounds (sequential lower bound {ideal:?})"
    );
    println!(
        "  hand-written sequential loop:        {:>8.3?}",
        median_duration(sequential_times)
    );
    println!(
        "  .paginate().prefetch(false).items(): {:>8.3?}  ratio {no_prefetch_ratio}",
        median_duration(no_prefetch_times)
    );
    println!(
        "  .items() (prefetch):                 {:>8.3?}  ratio {prefetch_ratio}",
        median_duration(prefetch_times)
    );
    println!(
        "  target: prefetch wall time <= {TARGET:.2}x the sequential loop: {}",
        verdict(prefetch_ratio.median <= TARGET)
    );
}

/// Reads every device, spending the consumer's time on each page as its first device arrives.
async fn consume_items(items: impl Stream<Item = Result<Device, gigs::Error>>) -> Duration {
    let start = Instant::now();
    let mut items = pin!(items);
    let mut count: usize = 0;
    let mut last = None;
    while let Some(device) = items.try_next().await.expect("gigs: list devices") {
        if count.is_multiple_of(PAGE_SIZE) {
            tokio::time::sleep(CONSUMER_TIME_PER_PAGE).await;
        }
        count += 1;
        last = Some(black_box(device).id);
    }
    assert_eq!(count, PAGES * PAGE_SIZE, "the stream yielded every device");
    assert_eq!(last, Some(device_id(PAGES * PAGE_SIZE - 1)));
    start.elapsed()
}
