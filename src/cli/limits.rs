//! Upper limits of the flags that size memory or threads, checked before any allocation: a typo
//! such as `--boot 50000000000` must be a usage error, not an abort on a failed allocation or a
//! machine swapping for an hour. Each limit is far above what a study needs (docs/input.md lists
//! them and says why).

use super::{usage, CliError};

/// Bootstrap resamples (`--boot` of fit, measure, power and example). Percentile bounds settle
/// to their Monte Carlo error well before 100,000 draws; a million keeps the draws' matrix of a
/// large model within a few hundred MB.
pub const MAX_BOOT: usize = 1_000_000;
/// Monte Carlo draws of the coefficients (`fit --mc`, `sem --mc`), for the same reason as
/// [`MAX_BOOT`].
pub const MAX_MC: usize = 1_000_000;
/// Worker threads (`--threads`): more than any single machine has cores; each thread holds its
/// own buffers, so a runaway number would only cost memory.
pub const MAX_THREADS: usize = 1024;
/// Rows of the large sample behind `observed_ols` (`simulate --population-n`; default 100,000):
/// 5,000,000 rows of the framework design take about 1 GB.
pub const MAX_POPULATION_N: usize = 5_000_000;
/// A sample size of `power --n`: each replication simulates and fits a data set of that size.
pub const MAX_POWER_N: usize = 1_000_000;
/// Replications per sample size (`power --reps`).
pub const MAX_REPS: usize = 1_000_000;

/// Refuses `value` above `max` for `flag`, saying what the limit is and what is usual.
pub fn at_most(flag: &str, value: usize, max: usize, usual: &str) -> Result<(), CliError> {
    if value <= max {
        return Ok(());
    }
    Err(usage(format!(
        "{flag} {value} is above cipa's limit of {} ({usual}); give a smaller number",
        thousands(max)
    )))
}

/// `--threads` (0 = all cores).
pub fn threads(value: usize) -> Result<(), CliError> {
    at_most(
        "--threads",
        value,
        MAX_THREADS,
        "0 uses every core; results do not depend on the number of threads",
    )
}

/// `1000000` -> `1,000,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_inclusive_and_named() {
        assert!(at_most("--boot", MAX_BOOT, MAX_BOOT, "").is_ok());
        let e = at_most("--boot", MAX_BOOT + 1, MAX_BOOT, "5,000 is usual")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--boot 1000001") && e.contains("1,000,000"),
            "{e}"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_000_000), "5,000,000");
    }
}
