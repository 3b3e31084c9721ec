//! The ledger of failed draws: how many draws failed and why, reported with every resampling
//! result (lavaan keeps failed draws as NA; pyprocessmacro silently redraws; cipa replaces them
//! and says so).

use serde::Serialize;

/// Failed draws and why, as reported with every bootstrap result.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Ledger {
    /// Resamples that failed and were replaced.
    pub failed: usize,
    /// The reasons, with how often each occurred.
    pub reasons: Vec<(String, usize)>,
}

impl Ledger {
    pub(super) fn record(&mut self, reason: &str) {
        self.failed += 1;
        match self.reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => self.reasons.push((reason.to_string(), 1)),
        }
    }

    pub(super) fn merge(&mut self, other: Ledger) {
        for (r, n) in other.reasons {
            for _ in 0..n {
                self.record(&r);
            }
        }
    }
}
