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

/// Above this share of failed (replaced) draws, or of a quantity's draws that are not finite, no
/// resampled interval is reported. Failures are not at random (a resample fails when it separates
/// a logistic outcome or makes a predictor or item constant), so the draws that succeed stop
/// being a sample of the sampling distribution; 5% keeps the distortion of a 95% interval's tails
/// within the order of their own Monte Carlo error.
pub const MAX_FAILED_SHARE: f64 = 0.05;

impl Ledger {
    /// Whether `b` draws with these failures can give intervals: at most [`MAX_FAILED_SHARE`]
    /// of `b` failed draws were replaced.
    pub fn usable(&self, b: usize) -> bool {
        self.failed as f64 <= MAX_FAILED_SHARE * b as f64
    }

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
