//! The progress line of `--all`, drawn by indicatif into an in-memory terminal; off a terminal
//! it is not drawn at all (`pagination.rs` checks that stderr stays empty).

use gigs_cli::progress::Progress;
use indicatif::{InMemoryTerm, ProgressDrawTarget};

#[test]
fn the_line_counts_pages_and_items_and_stays_after_the_last_page() {
    let terminal = InMemoryTerm::new(4, 80);
    let mut progress = Progress::to(ProgressDrawTarget::term_like(Box::new(terminal.clone())));
    progress.page(200);
    progress.page(200);
    progress.page(17);
    progress.finish();
    let shown = terminal.contents();
    // One line, redrawn in place: the last counts, with the rate after them.
    assert_eq!(shown.lines().count(), 1, "{shown:?}");
    assert!(
        shown.starts_with("3 pages, 417 items, ") && shown.trim_end().ends_with(" items/s"),
        "{shown:?}"
    );
}

#[test]
fn a_walk_without_pages_leaves_nothing_behind() {
    let terminal = InMemoryTerm::new(4, 80);
    let progress = Progress::to(ProgressDrawTarget::term_like(Box::new(terminal.clone())));
    progress.finish();
    assert_eq!(terminal.contents(), "");
}
