//! Stage time stamps, for finding where a run's wall time goes (docs/PERFORMANCE.md, "From
//! Python"): with `CIPA_TIMING` set in the environment, [`mark`] prints its label, the worker
//! that reached it and the milliseconds since the last [`begin`] to standard error. Unset (the
//! normal case), a mark costs one load of a flag read once per process. Nothing a run computes
//! depends on it.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static ENABLED: OnceLock<bool> = OnceLock::new();
static START: Mutex<Option<Instant>> = Mutex::new(None);

/// Whether `CIPA_TIMING` is set (read once).
pub fn enabled() -> bool {
    *ENABLED.get_or_init(|| std::env::var_os("CIPA_TIMING").is_some())
}

/// Starts the clock the following marks are measured from.
pub fn begin() {
    if enabled() {
        if let Ok(mut s) = START.lock() {
            *s = Some(Instant::now());
        }
    }
}

/// Prints `label` with the time since [`begin`] and the worker (`-` off the thread pool).
pub fn mark(label: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let Some(start) = START.lock().ok().and_then(|s| *s) else {
        return;
    };
    let ms = now.duration_since(start).as_secs_f64() * 1e3;
    eprintln!("cipa-timing {ms:9.3} ms [{}] {label}", worker());
}

#[cfg(feature = "parallel")]
fn worker() -> String {
    rayon::current_thread_index().map_or_else(|| "-".into(), |i| i.to_string())
}

#[cfg(not(feature = "parallel"))]
fn worker() -> String {
    "-".into()
}
