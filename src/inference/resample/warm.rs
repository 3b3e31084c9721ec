//! Keeping the pool's workers awake around a resampling. A worker that has slept for a while
//! (between calls from Python, say, while another library ran, or in the gap between the
//! draw-free stages and the draws) sits on a virtual CPU the hypervisor has halted; waking it
//! took 0.5-5 ms (the stage time stamps of docs/PERFORMANCE.md, "From Python"), and the draws
//! ran on one core meanwhile. So a fit that will resample wakes one worker as it starts and
//! keeps it spinning until the run hands out parallel work, and a worker that finishes its side
//! of [`super::join_on`] early spins until the other side hands out work or ends, each for at
//! most a few milliseconds. OpenMP runtimes do the same (an active wait policy, e.g.
//! `KMP_BLOCKTIME`). Nothing a run computes depends on it.

// Without the `parallel` feature there is no pool to keep awake: only `wake_workers` is used.
#![cfg_attr(not(feature = "parallel"), allow(dead_code, unused_imports))]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Counts the events a spinning worker waits for (parallel work handed out, or the side of a
/// join it waits beside ended): a spinning worker stops when it changes.
static EPOCH: AtomicU64 = AtomicU64::new(0);

/// The longest a woken worker spins: longer than the serial stages of a fit before its
/// resampling (about 2-2.5 ms for model 58 at n = 2,000 from Python, cold), short enough that a
/// run that ends early (an error, a fit without draws) wastes little of an otherwise idle core.
const SPIN: Duration = Duration::from_millis(5);

/// The longest a worker that finished its side of a join early spins for the other side.
pub(super) const LINGER: Duration = Duration::from_millis(3);

/// Wakes one worker of the current pool (the global one, or the caller's of
/// [`join_pool_from_this_thread`] on its thread 0), which then spins until [`release`] is called or
/// [`SPIN`] has passed. Without the `parallel` feature, or with a single worker, nothing.
pub fn wake_workers() {
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        let epoch = EPOCH.load(Ordering::Acquire);
        rayon::spawn(move || {
            spin_until_released(epoch, Instant::now() + SPIN);
        });
    }
}

/// Makes the calling thread worker 0 of a pool of its own (rayon's `use_current_thread`, as
/// many workers as the global pool), for a program whose quick calls come from one thread,
/// such as the Python module (called on import): that thread's calls then run their part of
/// every join and of the draws themselves, and hand the rest to a worker that `wake_workers`
/// keeps awake, instead of sleeping until the pool's workers finish (two more thread wake-ups
/// a call, each up to 2 ms on a halted virtual CPU). Work started on any other thread (the
/// Python module's interruptible runs, which run on a thread of their own while the calling
/// thread watches for Ctrl-C) uses the global pool, all of whose workers are free for it. Does
/// nothing the second time, or without the `parallel` feature.
pub fn join_pool_from_this_thread() {
    #[cfg(feature = "parallel")]
    {
        static CALLER: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
        if CALLER.get().is_none() {
            // Kept for the life of the process (rayon leaks a pool that holds the current
            // thread anyway). An error leaves the thread outside any pool, as before.
            if let Ok(pool) = rayon::ThreadPoolBuilder::new().use_current_thread().build() {
                let _ = CALLER.set(pool);
            }
        }
    }
}

/// Says that parallel work is being handed out (or that the side of a join another worker
/// waits beside has ended): spinning workers stop. Returns the new epoch.
pub(super) fn release() -> u64 {
    EPOCH.fetch_add(1, Ordering::AcqRel) + 1
}

/// Spins until [`release`] is called after `epoch` (true) or `until` passes (false).
pub(super) fn spin_until_released(epoch: u64, until: Instant) -> bool {
    loop {
        if EPOCH.load(Ordering::Acquire) != epoch {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A spinning worker stops when it is released, not at its time limit (a minute here:
    /// were the release lost, the test would take that long and fail).
    #[test]
    fn spinning_stops_when_released() {
        let epoch = EPOCH.load(Ordering::Acquire);
        let limit = Instant::now() + Duration::from_secs(60);
        let spinner = std::thread::spawn(move || spin_until_released(epoch, limit));
        assert!(release() > epoch);
        assert!(spinner.join().unwrap(), "the spinner ran to its time limit");
    }
}
