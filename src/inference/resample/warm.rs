//! Waking the thread pool ahead of a resampling. A worker that has slept for a while (between
//! calls from Python, say, while another library ran) sits on a virtual CPU the hypervisor has
//! halted; the first parallel task of a run then waited 0.5-5 ms for it (the stage time stamps
//! of docs/PERFORMANCE.md, "From Python"), the first blocks ran on one core meanwhile. Waking one
//! worker when a run starts, and keeping it spinning until the run hands out parallel work (at
//! most [`SPIN`]), takes that wait off the run's wall time: it overlaps the serial stages
//! (arguments, plan, the full-sample fits) instead. OpenMP runtimes do the same (an active wait
//! policy, e.g. `KMP_BLOCKTIME`). Nothing a run computes depends on it.

// Without the `parallel` feature there is no pool to wake: only `wake_workers` is used.
#![cfg_attr(not(feature = "parallel"), allow(dead_code, unused_imports))]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Counts the parallel stages that started: a spinning worker stops when it changes.
static STARTED: AtomicU64 = AtomicU64::new(0);

/// The longest a worker spins: longer than the serial stages of a fit before its resampling
/// (about 2-2.5 ms for model 58 at n = 2,000 from Python, cold), short enough that a run that
/// ends early (an error, a fit without draws) wastes little of an otherwise idle core.
#[cfg(feature = "parallel")]
const SPIN: std::time::Duration = std::time::Duration::from_millis(5);

/// Wakes one worker of the global pool, which then spins until [`parallel_work_starts`] is
/// called or [`SPIN`] has passed. Without the `parallel` feature, or with a single worker,
/// nothing.
pub fn wake_workers() {
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        let epoch = STARTED.load(Ordering::Acquire);
        rayon::spawn(move || {
            spin_until_work(epoch, Instant::now() + SPIN);
        });
    }
}

#[cfg(any(feature = "parallel", test))]
/// Spins until parallel work starts after `epoch` (true) or `until` passes (false).
fn spin_until_work(epoch: u64, until: Instant) -> bool {
    loop {
        if STARTED.load(Ordering::Acquire) != epoch {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        for _ in 0..64 {
            std::hint::spin_loop();
        }
    }
}

/// Says that parallel work is being handed out: a worker woken by [`wake_workers`] stops
/// spinning and takes its share.
pub(super) fn parallel_work_starts() {
    STARTED.fetch_add(1, Ordering::AcqRel);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spinning worker stops when parallel work starts, not at its time limit (a minute
    /// here: were the signal lost, the test would take that long and fail).
    #[test]
    fn spinning_stops_when_work_starts() {
        let epoch = STARTED.load(Ordering::Acquire);
        let limit = Instant::now() + std::time::Duration::from_secs(60);
        let spinner = std::thread::spawn(move || spin_until_work(epoch, limit));
        parallel_work_starts();
        assert!(spinner.join().unwrap(), "the spinner ran to its time limit");
        // A spin begun after the signal runs to its limit: it waits for the next work.
        let epoch = STARTED.load(Ordering::Acquire);
        let soon = Instant::now() + std::time::Duration::from_millis(1);
        assert!(!spin_until_work(epoch, soon) || STARTED.load(Ordering::Acquire) != epoch);
    }
}
