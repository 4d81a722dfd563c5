//! Benchmark 3: peak resident memory while streaming a long device list with `.items()`.
//!
//! Each measurement is a child process (this benchmark run again with `GIGS_BENCH_STREAM_ITEMS`
//! set) that streams the list from a loopback server in the parent and reports its own peak
//! resident set (`VmHWM`), so nothing else this process did counts towards the figure. Run with
//! `cargo bench -p gigs --bench memory`.

#[path = "support/devices.rs"]
mod devices;
#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/report.rs"]
mod report;

use std::hint::black_box;
use std::pin::pin;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use gigs::{Gigs, Paginate, MAX_PAGE_SIZE};

use crate::devices::{device_id, device_page};
use crate::loopback::LoopbackServer;
use crate::report::verdict;

/// Set in a child process: how many items to stream.
const ITEMS_VAR: &str = "GIGS_BENCH_STREAM_ITEMS";
/// Set in a child process: the loopback server to stream from.
const BASE_URL_VAR: &str = "GIGS_BENCH_BASE_URL";
/// One page, then 500 and 5,000 pages of 200 small devices.
const ITEM_COUNTS: [usize; 3] = [200, 100_000, 1_000_000];
/// How long one child may take before it is killed and the benchmark fails.
const CHILD_TIME_LIMIT: Duration = Duration::from_secs(240);
/// The peak the benchmark is held to, in KiB.
const TARGET_KIB: u64 = 30 * 1024;
/// Growth from 100,000 to 1,000,000 items that still counts as flat, in KiB.
const FLAT_KIB: u64 = 1024;

fn main() {
    match std::env::var(ITEMS_VAR) {
        Ok(items) => stream_in_child(
            items.parse().expect("a number of items"),
            &std::env::var(BASE_URL_VAR).expect("the server's base URL"),
        ),
        Err(_) => measure_in_children(),
    }
}

/// A child's report line, as printed by [`stream_in_child`].
struct ChildReport {
    items: usize,
    peak_kib: u64,
    before_kib: u64,
    seconds: f64,
}

fn measure_in_children() {
    let this_benchmark = std::env::current_exe().expect("the path of this benchmark");
    let mut reports = Vec::new();
    for items in ITEM_COUNTS {
        // A server per size, so that each child starts from the same state.
        let server = LoopbackServer::start(CHILD_TIME_LIMIT, move |uri| {
            let page = device_page(uri.query(), items, 10);
            async move { page }
        });
        let mut child = Command::new(&this_benchmark)
            .env(ITEMS_VAR, items.to_string())
            .env(BASE_URL_VAR, server.base_url())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the streaming child");
        let started = Instant::now();
        while child.try_wait().expect("poll the child").is_none() {
            if started.elapsed() > CHILD_TIME_LIMIT {
                let _ = child.kill();
                panic!("streaming {items} items took longer than {CHILD_TIME_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().expect("the child's output");
        assert!(
            output.status.success(),
            "the child failed: {}",
            output.status
        );
        reports.push(parse_report(&String::from_utf8_lossy(&output.stdout)));
    }

    println!("memory: peak resident set of a process streaming devices with .items(), {MAX_PAGE_SIZE} per page");
    for report in &reports {
        println!(
            "  {:>9} items: peak {:>6.1} MiB (before streaming {:>5.1} MiB), {:>5.1} s, {:>7.0} items/s",
            report.items,
            report.peak_kib as f64 / 1024.0,
            report.before_kib as f64 / 1024.0,
            report.seconds,
            report.items as f64 / report.seconds,
        );
    }
    let peak = reports
        .iter()
        .map(|report| report.peak_kib)
        .max()
        .unwrap_or(0);
    let growth = reports[2].peak_kib.saturating_sub(reports[1].peak_kib);
    let extra_pages = (reports[2].items - reports[1].items) / MAX_PAGE_SIZE as usize;
    println!(
        "  growth from {} to {} items: {growth} KiB ({:.0} bytes per extra page)",
        reports[1].items,
        reports[2].items,
        (growth * 1024) as f64 / extra_pages as f64
    );
    println!(
        "  target: peak < {} MiB and flat in item count (growth < {FLAT_KIB} KiB): {}",
        TARGET_KIB / 1024,
        verdict(peak < TARGET_KIB && growth < FLAT_KIB)
    );
}

fn parse_report(line: &str) -> ChildReport {
    let field = |name: &str| -> &str {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("no {name} in the child's report: {line}"))
    };
    ChildReport {
        items: field("items").parse().expect("items"),
        peak_kib: field("peak_kib").parse().expect("peak_kib"),
        before_kib: field("before_kib").parse().expect("before_kib"),
        seconds: field("seconds").parse().expect("seconds"),
    }
}

/// Streams `items` devices from `base_url` as an application would, checks it saw all of them
/// in order, and prints its peak resident set.
fn stream_in_child(items: usize, base_url: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let gigs = Gigs::builder()
        .token("sk_bench")
        .project("bench")
        .base_url(base_url)
        .build()
        .expect("a gigs client");
    let before_kib = status_kib("VmRSS");
    let start = Instant::now();
    let count = runtime.block_on(async {
        let mut devices = pin!(gigs
            .devices()
            .list()
            .paginate()
            .limit(MAX_PAGE_SIZE)
            .items());
        let mut count = 0;
        while let Some(device) = devices.try_next().await.expect("gigs: list devices") {
            assert_eq!(device.id, device_id(count), "devices arrive in list order");
            black_box(device);
            count += 1;
        }
        count
    });
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(count, items, "the stream yielded every device");
    println!(
        "items={items} peak_kib={} before_kib={before_kib} seconds={seconds:.3}",
        status_kib("VmHWM")
    );
}

/// A `kB` field of `/proc/self/status`: `VmHWM` is the peak resident set so far.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().strip_suffix("kB"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}
