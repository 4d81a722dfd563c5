//! Measuring contenders against each other within one run: interleaved rounds, paired ratios.
//!
//! Every round runs each contender once, in an order that rotates from round to round, so that a
//! drift of the shared machine (another process, frequency changes) falls on all contenders
//! alike. A ratio is taken within each round, and the median of those ratios is reported with
//! their spread.

use std::fmt;
use std::time::Duration;

/// Runs every contender once per round for `rounds` rounds; returns each contender's durations,
/// in the order the contenders were given.
pub fn interleaved_rounds(
    rounds: usize,
    contenders: &mut [&mut dyn FnMut() -> Duration],
) -> Vec<Vec<Duration>> {
    let mut durations = vec![Vec::with_capacity(rounds); contenders.len()];
    for round in 0..rounds {
        for offset in 0..contenders.len() {
            let index = (round + offset) % contenders.len();
            durations[index].push((contenders[index])());
        }
    }
    durations
}

/// The median of some durations.
pub fn median_duration(durations: &[Duration]) -> Duration {
    Duration::from_secs_f64(median(
        durations.iter().map(Duration::as_secs_f64).collect(),
    ))
}

/// `numerators[i] / denominators[i]` for each round, summarised.
pub fn paired_ratios(numerators: &[Duration], denominators: &[Duration]) -> Spread {
    let ratios: Vec<f64> = numerators
        .iter()
        .zip(denominators)
        .map(|(numerator, denominator)| numerator.as_secs_f64() / denominator.as_secs_f64())
        .collect();
    Spread {
        min: ratios.iter().copied().fold(f64::INFINITY, f64::min),
        max: ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        median: median(ratios),
    }
}

/// The median and range of per-round ratios.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl fmt::Display for Spread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.3}x (rounds: {:.3}x to {:.3}x)",
            self.median, self.min, self.max
        )
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    assert!(!values.is_empty(), "a median needs at least one value");
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}
