//! The progress line of `--all` (pages, items, rate), drawn by
//! [indicatif](https://docs.rs/indicatif) on stderr when stderr is a terminal and silent
//! otherwise, so that scripts and pipes see only the data.

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts pages and items and redraws one stderr line per page (at most 20 times a second).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    pages: u64,
    items: u64,
}

impl Progress {
    /// A progress line on stderr if stderr is a terminal, drawn nowhere otherwise.
    pub fn on_terminal() -> Self {
        Self::to(if io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        })
    }

    /// A progress line drawn to `target` (tests give an in-memory terminal).
    ///
    /// ```
    /// use indicatif::ProgressDrawTarget;
    /// let mut progress = gigs_cli::progress::Progress::to(ProgressDrawTarget::hidden());
    /// progress.page(200);
    /// progress.finish();
    /// ```
    pub fn to(target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(ProgressStyle::with_template("{msg}").expect("a valid template"));
        Self {
            bar,
            started: Instant::now(),
            pages: 0,
            items: 0,
        }
    }

    /// Counts a page of `items` items and redraws the line.
    pub fn page(&mut self, items: usize) {
        self.pages += 1;
        self.items += items as u64;
        self.bar
            .set_message(line(self.pages, self.items, self.started.elapsed()));
    }

    /// Draws the last counts and leaves the line, so that what follows on stderr starts on a
    /// line of its own.
    pub fn finish(&self) {
        if self.pages > 0 {
            self.bar.finish();
        } else {
            self.bar.finish_and_clear();
        }
    }
}

/// `3 pages, 600 items, 1200 items/s`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(
///     gigs_cli::progress::line(3, 600, Duration::from_millis(500)),
///     "3 pages, 600 items, 1200 items/s"
/// );
/// ```
pub fn line(pages: u64, items: u64, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        (items as f64 / seconds).round() as u64
    } else {
        items
    };
    let page_word = if pages == 1 { "page" } else { "pages" };
    let item_word = if items == 1 { "item" } else { "items" };
    format!("{pages} {page_word}, {items} {item_word}, {rate} items/s")
}
