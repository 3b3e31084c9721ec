//! The boundary between cipa and Python: cipa's errors as the `cipa.CipaError` family, panics
//! caught (never an interpreter crash), the GIL released while cipa works, and Ctrl-C honoured
//! between blocks of bootstrap draws or power replications.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use cipa::cli::CliError;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    cipa,
    CipaError,
    PyException,
    "Any error cipa reports: bad data, a model that cannot be estimated, bad options."
);
create_exception!(
    cipa,
    DataError,
    CipaError,
    "The data cannot be read or used: a missing column, a non-numeric value, too few rows."
);
create_exception!(
    cipa,
    ModelError,
    CipaError,
    "The model is invalid or cannot be estimated from the data given."
);
create_exception!(
    cipa,
    UsageError,
    CipaError,
    "An option, or a combination of options, is invalid."
);
create_exception!(
    cipa,
    OutputError,
    CipaError,
    "A file or folder cannot be written."
);
create_exception!(
    cipa,
    InternalError,
    CipaError,
    "A bug in cipa (please report it with the call that raised it)."
);

/// cipa's error as the matching Python exception, with cipa's message.
pub fn to_py(e: CliError) -> PyErr {
    match e {
        CliError::Input(e) => {
            let msg = e.to_string();
            match e {
                cipa::Error::Data(_) | cipa::Error::Domain(_) => DataError::new_err(msg),
                cipa::Error::Usage(_) => UsageError::new_err(msg),
                cipa::Error::Output { .. } => OutputError::new_err(msg),
                _ => ModelError::new_err(msg),
            }
        }
        CliError::Internal(m) => InternalError::new_err(format!(
            "internal error: {m} (this is a bug in cipa; please report it)"
        )),
    }
}

/// The payload an interrupted run unwinds with (never a panic: no hook sees it).
struct Interrupted;

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

fn internal(payload: Box<dyn std::any::Any + Send>) -> PyErr {
    InternalError::new_err(format!(
        "internal error: {} (this is a bug in cipa; please report it with the call that raised it)",
        panic_message(payload.as_ref())
    ))
}

/// Runs `f` without the GIL and with panics caught; for quick work.
pub fn guarded<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, CliError> + Send,
) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(r) => r.map_err(to_py),
        Err(payload) => Err(internal(payload)),
    }
}

/// Runs `f` on a worker thread without the GIL, checking for signals (Ctrl-C) every 50 ms. On a
/// signal the progress hook handed to `f` stops the run at its next call (the bootstrap calls
/// it before and after every block of draws; power after every replication) and the signal's
/// exception (KeyboardInterrupt) is raised. The hook does not touch the draws, so an
/// uninterrupted run gives the same numbers as the command line.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    f: impl FnOnce(&(dyn Fn(usize) + Sync)) -> Result<T, CliError> + Send,
) -> PyResult<T> {
    let stop = AtomicBool::new(false);
    let hook = |_: usize| {
        if stop.load(Ordering::Relaxed) {
            std::panic::resume_unwind(Box::new(Interrupted));
        }
    };
    // The worker says it is done through `done`; the waiting side wakes at once, or every
    // 50 ms to look for a signal.
    let done = (Mutex::new(false), Condvar::new());
    let wait = |limit: Option<Duration>| {
        let (lock, cv) = &done;
        let mut finished = lock.lock().unwrap_or_else(|e| e.into_inner());
        while !*finished {
            match limit {
                Some(t) => {
                    let (g, timeout) = cv
                        .wait_timeout(finished, t)
                        .unwrap_or_else(|e| e.into_inner());
                    finished = g;
                    if timeout.timed_out() {
                        break;
                    }
                }
                None => finished = cv.wait(finished).unwrap_or_else(|e| e.into_inner()),
            }
        }
        *finished
    };
    std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let r = catch_unwind(AssertUnwindSafe(|| f(&hook)));
            let (lock, cv) = &done;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
            cv.notify_all();
            r
        });
        let mut signal: Option<PyErr> = None;
        loop {
            if py.detach(|| wait(Some(Duration::from_millis(50)))) {
                break;
            }
            if let Err(e) = py.check_signals() {
                stop.store(true, Ordering::Relaxed);
                signal = Some(e);
                break;
            }
        }
        let joined = py.detach(|| worker.join());
        match joined {
            Ok(Ok(r)) => match signal {
                // The run finished before it saw the stop: keep the interrupt all the same.
                Some(e) => Err(e),
                None => r.map_err(to_py),
            },
            Ok(Err(payload)) if payload.is::<Interrupted>() => Err(signal
                .unwrap_or_else(|| pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted"))),
            Ok(Err(payload)) | Err(payload) => Err(internal(payload)),
        }
    })
}

/// A panic hook that stays silent for panics cipa turns into errors itself (a third-party
/// reader failing on a malformed file) and for interrupted runs, and otherwise reports as
/// before.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if cipa::data::read::in_guarded_parser() {
            return;
        }
        previous(info);
    }));
}
