//! The progress line of `--all` (pages, items, rate), on stderr when stderr is a terminal and
//! silent otherwise, so that scripts and pipes see only the data.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

/// Counts pages and items and redraws one stderr line per page.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    started: Instant,
    pages: u64,
    items: u64,
}

impl Progress {
    /// A progress line that is drawn only when stderr is a terminal.
    pub fn on_terminal() -> Self {
        Self::new(io::stderr().is_terminal())
    }

    /// A progress line that is drawn when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            started: Instant::now(),
            pages: 0,
            items: 0,
        }
    }

    /// Counts a page of `items` items and redraws the line.
    pub fn page(&mut self, items: usize) {
        self.pages += 1;
        self.items += items as u64;
        if self.enabled {
            let mut stderr = io::stderr().lock();
            let _ = write!(
                stderr,
                "\r\x1b[2K{}",
                line(self.pages, self.items, self.started.elapsed())
            );
            let _ = stderr.flush();
        }
    }

    /// Ends the line, so that what follows on stderr starts on a line of its own.
    pub fn finish(&self) {
        if self.enabled && self.pages > 0 {
            eprintln!();
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
