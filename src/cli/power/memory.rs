//! The memory a power study takes on this machine, estimated before anything is simulated: every
//! replication running at once holds its simulated data set and its fit, so the peak grows with
//! `--n` times the threads, and `--n 1000000` on all cores of a small machine would otherwise
//! end in a failed allocation (an abort) part-way through.

use super::super::limits::thousands;
use super::super::{usage, CliError};

/// Bytes besides the replications (the study's setup, the binary, the results).
const BASE_BYTES: f64 = 150e6;
/// Bytes per simulated value (row times design column) held once, whatever the threads.
const SHARED_PER_VALUE: f64 = 14.0;
/// Bytes per simulated value of each replication running at once (its data, design matrices and
/// a bootstrap resample).
///
/// Measured with `/usr/bin/time -v` on release builds, December 2026, framework design (75
/// columns), `--effects coef:collab~network_ties --boot 0` with `--reps` equal to the threads:
/// n = 100,000: 0.44 GB with one thread, 0.67 GB with two (0.74 GB with `--boot 50`);
/// n = 1,000,000: 3.40 GB with one thread, 5.47 GB with two. Each replication at once takes
/// about 2.1 KB a row (28 bytes a value); 32 leaves room for the bootstrap's resample.
const PER_VALUE_PER_REPLICATION: f64 = 32.0;

/// Estimated peak bytes of `concurrent` replications of `n` rows of `columns` columns.
pub(super) fn estimated_bytes(n: usize, columns: usize, concurrent: usize) -> f64 {
    let values = n as f64 * columns as f64;
    BASE_BYTES + values * (SHARED_PER_VALUE + PER_VALUE_PER_REPLICATION * concurrent as f64)
}

/// The largest sample size whose estimate fits in `available` bytes.
pub(super) fn largest_n(available: u64, columns: usize, concurrent: usize) -> usize {
    let per_row = columns.max(1) as f64
        * (SHARED_PER_VALUE + PER_VALUE_PER_REPLICATION * concurrent.max(1) as f64);
    ((available as f64 - BASE_BYTES).max(0.0) / per_row) as usize
}

/// Refuses a study whose largest sample size `n`, with `concurrent` replications at once,
/// would take more than the `available` memory (unknown: nothing is checked), saying the
/// largest n that fits with these threads and with one.
pub(super) fn check(
    n: usize,
    columns: usize,
    concurrent: usize,
    available: Option<u64>,
) -> Result<(), CliError> {
    let Some(available) = available else {
        return Ok(());
    };
    let need = estimated_bytes(n, columns, concurrent);
    if need <= available as f64 {
        return Ok(());
    }
    let gb = |b: f64| format!("{:.1} GB", b / 1e9);
    let one = if concurrent > 1 {
        format!(
            " ({} with --threads 1)",
            thousands(largest_n(available, columns, 1))
        )
    } else {
        String::new()
    };
    Err(usage(format!(
        "--n {n} with {concurrent} replication(s) at once would take about {} of memory (each \
         holds its simulated data, {columns} columns, and its fit), more than the {} this machine \
         has available; at most --n {} fits{one}: use fewer --threads or a smaller --n, or run \
         the study as shards (--slurm) on machines with more memory",
        gb(need),
        gb(available as f64),
        thousands(largest_n(available, columns, concurrent)),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_follows_the_measured_peaks() {
        // Within 15% of the peaks measured for the framework design (above).
        for (n, threads, measured) in [
            (1_000_000, 1, 3.40e9),
            (1_000_000, 2, 5.47e9),
            (100_000, 2, 0.67e9),
        ] {
            let e = estimated_bytes(n, 75, threads);
            assert!(
                e >= measured * 0.95 && e <= measured * 1.15,
                "{n} {threads}: {e}"
            );
        }
    }

    #[test]
    fn a_study_beyond_available_memory_is_refused_with_the_largest_n() {
        assert!(check(1_000_000, 75, 2, None).is_ok());
        assert!(check(1_000_000, 75, 2, Some(8_000_000_000)).is_ok());
        let e = check(1_000_000, 75, 2, Some(4_000_000_000))
            .unwrap_err()
            .to_string();
        let fits = largest_n(4_000_000_000, 75, 2);
        assert!(estimated_bytes(fits, 75, 2) <= 4e9);
        assert!(estimated_bytes(fits + 1, 75, 2) > 4e9);
        assert!(
            e.contains("--n 1000000")
                && e.contains("6.0 GB")
                && e.contains("4.0 GB")
                && e.contains(&thousands(fits))
                && e.contains(&format!(
                    "{} with --threads 1",
                    thousands(largest_n(4_000_000_000, 75, 1))
                )),
            "{e}"
        );
    }
}
