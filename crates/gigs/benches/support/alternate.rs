//! Comparing short operations within one run: the contenders take turns one operation at a time,
//! and each operation is timed on its own.
//!
//! On a shared 2-core machine another process can take a core for tens of milliseconds. Taking
//! turns per operation spreads such pauses over all contenders alike, and comparing the medians
//! of the per-operation times keeps an operation that was paused from moving the result.

use std::time::{Duration, Instant};

/// Runs the contenders in turn, one operation each, `samples` times over; returns each
/// contender's operation times, sorted, in the order the contenders were given.
pub fn take_turns(samples: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<Timings> {
    let mut times = vec![Vec::with_capacity(samples); contenders.len()];
    for sample in 0..samples {
        // The first to go changes every turn, so that none always follows the same one.
        for offset in 0..contenders.len() {
            let index = (sample + offset) % contenders.len();
            let start = Instant::now();
            (contenders[index])();
            times[index].push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut times| {
            times.sort();
            Timings(times)
        })
        .collect()
}

/// The sorted times of one contender's operations.
pub struct Timings(Vec<Duration>);

impl Timings {
    /// The time below which `percent` of the operations finished.
    pub fn percentile(&self, percent: usize) -> Duration {
        self.0[(self.0.len() - 1) * percent / 100]
    }

    /// The median operation time.
    pub fn median(&self) -> Duration {
        self.percentile(50)
    }

    /// Operations per second at the median time.
    pub fn rate(&self) -> f64 {
        1.0 / self.median().as_secs_f64()
    }

    /// Operations per second over all operations, pauses included.
    pub fn throughput(&self) -> f64 {
        self.0.len() as f64 / self.0.iter().sum::<Duration>().as_secs_f64()
    }
}
