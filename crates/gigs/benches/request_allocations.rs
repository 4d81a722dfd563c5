//! Benchmark 1b: the heap allocations of one `retrieveSubscription` call through the SDK and by
//! hand, counted on the client's thread. A count does not move when another process takes the
//! CPU, so it shows what a change to the request path costs or saves even on a busy machine,
//! where the times of benchmark 1 move by a few percent. Run with
//! `cargo bench -p gigs --bench request_allocations`.

#[path = "support/http.rs"]
mod http;
#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/spec.rs"]
mod spec;
#[path = "support/subscription_calls.rs"]
mod subscription_calls;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;

use gigs::types::Subscription;

use crate::subscription_calls::SubscriptionCalls;

/// Calls counted per contender; the figures are their mean.
const CALLS: u64 = 1_000;

/// The system allocator, counting what the current thread allocates while counting is on.
struct Counting;

thread_local! {
    /// `Some((allocations, bytes))` while the thread counts.
    static COUNT: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
}

// SAFETY: every call goes to `System` unchanged; the thread-local is a `Cell` of plain integers
// with a const initialiser, so using it allocates nothing and cannot re-enter the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

fn count(bytes: usize) {
    // `try_with`: the allocator also runs while the thread's locals are torn down.
    let _ = COUNT.try_with(|count| {
        if let Some((allocations, total)) = count.get() {
            count.set(Some((allocations + 1, total + bytes as u64)));
        }
    });
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations and bytes allocated per call of `call` on this thread, the mean of [`CALLS`].
fn per_call<F, Fut>(runtime: &tokio::runtime::Runtime, call: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Subscription>,
{
    COUNT.with(|count| count.set(Some((0, 0))));
    for _ in 0..CALLS {
        black_box(runtime.block_on(call()));
    }
    let (allocations, bytes) = COUNT.with(|count| count.take()).expect("counting was on");
    (
        allocations as f64 / CALLS as f64,
        bytes as f64 / CALLS as f64,
    )
}

fn main() {
    let calls = SubscriptionCalls::start();
    // The client's connection tasks run on this thread too, so their allocations count.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    // Warm-up: the connections are open and every lazily built value exists before counting.
    runtime.block_on(async {
        for _ in 0..10 {
            assert_eq!(calls.through_gigs().await, calls.expected);
            assert_eq!(calls.through_generated().await, calls.expected);
            assert_eq!(calls.by_hand().await, calls.expected);
        }
    });
    let hand = per_call(&runtime, || calls.by_hand());
    let gigs = per_call(&runtime, || calls.through_gigs());
    let generated = per_call(&runtime, || calls.through_generated());

    println!(
        "request allocations: retrieveSubscription over loopback, mean of {CALLS} calls, client thread"
    );
    println!(
        "  {:<34} {:>12} {:>10} {:>18}",
        "", "allocations", "bytes", "allocations added"
    );
    let row = |name: &str, (allocations, bytes): (f64, f64)| {
        println!(
            "  {name:<34} {allocations:>12.1} {bytes:>10.0} {:>+18.1}",
            allocations - hand.0
        );
    };
    row("hand-written reqwest + serde_json", hand);
    row("gigs (Gigs::subscriptions)", gigs);
    row("generated gigs_client::Client", generated);
}
