//! The review as the `xtask` library makes it, without a process: the JSON report that
//! `cargo xtask diff --from --to --format json` prints. The tests of what the review decides
//! (rules, verdicts, names, 3.1 forms, lifecycle) use it; the tests of the command itself
//! (arguments, exit status, output formats, git refs) run the binary.

use std::path::Path;

use contract_review::{Accepted, Format};
use serde_json::Value;

/// The JSON report of `from` (base) against `to` (head), with the breaks in `accepted` accepted
/// and `today` (`YYYY-MM-DD`) as the date sunsets are compared with.
///
/// # Panics
/// When the review cannot compare the two files, with its error.
pub fn json_report(from: &Path, to: &Path, accepted: &Path, today: &str) -> Value {
    let today = xtask::diff::parse_date(today).unwrap();
    let report = xtask::diff::compare_files(from, to, Accepted::Required(accepted), today)
        .unwrap_or_else(|error| {
            panic!("diff {} {} failed: {error:#}", from.display(), to.display())
        });
    serde_json::from_str(&contract_review::render(&report, Format::Json, None)).unwrap()
}
