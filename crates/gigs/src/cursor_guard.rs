//! Catching an API that hands out a page cursor it has handed out before, without keeping
//! every cursor of a walk.

use std::collections::VecDeque;

/// How many of the latest cursors are remembered exactly: a loop this short is caught on its
/// first repeat.
const RECENT: usize = 32;

/// Remembers the latest cursors exactly, and catches longer loops with Brent's cycle detection:
/// one cursor is kept as a landmark and compared with every later one, and the landmark moves
/// forward after 1, 2, 4, 8, ... pages. A loop of any length is caught within about twice its
/// length, and memory stays constant however long the list is.
#[derive(Debug)]
pub(crate) struct CursorGuard {
    recent: VecDeque<String>,
    landmark: Option<String>,
    pages_since_landmark: u64,
    landmark_interval: u64,
}

impl CursorGuard {
    /// A guard for a walk that starts at `start` (a cursor the caller gave), if any.
    pub(crate) fn new(start: Option<String>) -> Self {
        Self {
            recent: start.iter().cloned().collect(),
            landmark: start,
            pages_since_landmark: 0,
            landmark_interval: 1,
        }
    }

    /// Records the next cursor; `false` if it was handed out before (within the guard's reach).
    pub(crate) fn is_new(&mut self, cursor: &str) -> bool {
        if self.landmark.as_deref() == Some(cursor) || self.recent.iter().any(|seen| seen == cursor)
        {
            return false;
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(cursor.to_owned());
        self.pages_since_landmark += 1;
        if self.pages_since_landmark == self.landmark_interval {
            self.landmark = Some(cursor.to_owned());
            self.pages_since_landmark = 0;
            self.landmark_interval = self.landmark_interval.saturating_mul(2);
        }
        true
    }

    /// How many cursors the guard holds.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.recent.len() + usize::from(self.landmark.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds the guard `tail` distinct cursors, then a loop of `length` cursors forever; returns
    /// the number of cursors accepted before the repeat was caught.
    fn accepted_before_caught(tail: usize, length: usize) -> usize {
        let mut guard = CursorGuard::new(None);
        let cursors = (0..tail)
            .map(|n| format!("tail_{n}"))
            .chain((0..).map(|n| format!("loop_{}", n % length)));
        for (accepted, cursor) in cursors.take(100 * (tail + length)).enumerate() {
            if !guard.is_new(&cursor) {
                return accepted;
            }
            assert!(guard.remembered() <= RECENT + 1);
        }
        panic!("a loop of {length} after {tail} pages was never caught");
    }

    #[test]
    fn short_loops_are_caught_on_their_first_repeat() {
        for length in 1..=RECENT {
            assert_eq!(
                accepted_before_caught(5, length),
                5 + length,
                "loop of {length}"
            );
        }
    }

    #[test]
    fn long_loops_are_caught_within_about_twice_their_length() {
        for (tail, length) in [(0, 33), (10, 100), (1000, 1000), (3, 5000)] {
            let accepted = accepted_before_caught(tail, length);
            assert!(accepted >= tail + length, "{accepted}");
            assert!(accepted <= 2 * (tail + length) + length, "{accepted}");
        }
    }

    #[test]
    fn a_million_distinct_cursors_are_all_accepted_in_constant_memory() {
        let mut guard = CursorGuard::new(Some("start".to_owned()));
        for n in 0..1_000_000 {
            assert!(guard.is_new(&format!("cursor_{n}")));
        }
        assert!(guard.remembered() <= RECENT + 1);
    }

    #[test]
    fn the_start_cursor_counts_as_seen() {
        let mut guard = CursorGuard::new(Some("sim_1".to_owned()));
        assert!(!guard.is_new("sim_1"));
    }
}
