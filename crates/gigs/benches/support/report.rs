//! How the benchmarks print whether a target was met.

/// `met` or `MISSED`, for the last line of a benchmark's report.
pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}
