//! The nonparametric bootstrap engine. A draw is a vector of row counts, not a copied data set;
//! draw `b` takes its own random stream from `(seed, b)` (xoshiro256++ seeded through SplitMix64
//! from the pair), so results are bit-identical whatever the number of threads. A statistic that cannot be
//! computed on a resample (a singular design, say) fails that draw; the draw is replaced by a
//! deterministic retry and the failure is recorded in the ledger, never hidden.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

/// How many times one draw may be replaced before the bootstrap gives up.
const MAX_RETRIES: u64 = 100;

/// Failed draws and why, as reported with every bootstrap result.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Ledger {
    /// Resamples that failed and were replaced.
    pub failed: usize,
    /// The reasons, with how often each occurred.
    pub reasons: Vec<(String, usize)>,
}

impl Ledger {
    fn record(&mut self, reason: &str) {
        self.failed += 1;
        match self.reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => self.reasons.push((reason.to_string(), 1)),
        }
    }

    fn merge(&mut self, other: Ledger) {
        for (r, n) in other.reasons {
            for _ in 0..n {
                self.record(&r);
            }
        }
    }
}

/// The draws of a bootstrap: `values[b * m + j]` is statistic j in draw b.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    pub b: usize,
    pub m: usize,
    pub values: Vec<f64>,
    pub ledger: Ledger,
    pub seed: u64,
}

impl Draws {
    /// All draws of statistic `j`.
    pub fn column(&self, j: usize) -> Vec<f64> {
        (0..self.b).map(|b| self.values[b * self.m + j]).collect()
    }
}

/// Why the bootstrap as a whole could not be completed.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapFailure {
    pub draw: usize,
    pub reason: String,
}

/// Fills `counts` (length n) with the row counts of resample `(seed, stream)`.
pub fn resample_counts(seed: u64, stream: u64, counts: &mut [u32]) {
    let n = counts.len();
    counts.iter_mut().for_each(|c| *c = 0);
    let mut rng = stream_rng(seed, stream);
    // Lemire's multiply-high maps a 64-bit draw onto 0..n; its bias (at most n/2^64) is far below
    // anything a bootstrap can detect, and it avoids rejection loops in the hot path.
    let n64 = n as u128;
    for _ in 0..n {
        let i = ((rng.next_u64() as u128 * n64) >> 64) as usize;
        counts[i] += 1;
    }
}

/// SplitMix64's finaliser: spreads (seed, draw) pairs over the generator's seed space.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs `b` draws of a statistic of `m` values. `stat(counts, out)` computes the statistic on the
/// resample with the given row counts into `out`, or returns the reason it failed; `threads = 0`
/// uses every core (with the `parallel` feature).
pub fn bootstrap<F>(
    n: usize,
    b: usize,
    m: usize,
    seed: u64,
    threads: usize,
    stat: F,
) -> Result<Draws, BootstrapFailure>
where
    F: Fn(&[u32], &mut [f64]) -> Result<(), String> + Sync,
{
    bootstrap_with(
        n,
        b,
        m,
        seed,
        threads,
        || (),
        |_: &mut (), c: &[u32], out: &mut [f64]| stat(c, out),
    )
}

/// As [`bootstrap`], with scratch state made once per block of draws by `init` and handed to
/// every call of `stat`, so the hot loop allocates nothing.
pub fn bootstrap_with<S, I, F>(
    n: usize,
    b: usize,
    m: usize,
    seed: u64,
    threads: usize,
    init: I,
    stat: F,
) -> Result<Draws, BootstrapFailure>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &[u32], &mut [f64]) -> Result<(), String> + Sync,
{
    bootstrap_progress(n, b, m, seed, threads, init, stat, &|_| {})
}

/// As [`bootstrap_with`], calling `progress(k)` after every block of `k` finished draws (from
/// whichever worker finished it), for a progress display, and `progress(0)` before each block
/// starts (where an embedding program can stop a run by unwinding). It does not affect the draws.
#[allow(clippy::too_many_arguments)]
pub fn bootstrap_progress<S, I, F>(
    n: usize,
    b: usize,
    m: usize,
    seed: u64,
    threads: usize,
    init: I,
    stat: F,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Draws, BootstrapFailure>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &[u32], &mut [f64]) -> Result<(), String> + Sync,
{
    let init = || (vec![0u32; n], init());
    let draw = |st: &mut (Vec<u32>, S), stream: u64, out: &mut [f64]| {
        resample_counts(seed, stream, &mut st.0);
        stat(&mut st.1, &st.0, out)
    };
    run_draws(b, m, seed, threads, init, draw, progress)
}

/// Monte Carlo draws: `stat(state, rng, out)` computes draw `b` from its own generator, seeded
/// from `(seed, b)` as the bootstrap's are (for Monte Carlo confidence intervals, which sample
/// coefficients from their estimated sampling distribution instead of resampling rows).
#[allow(clippy::too_many_arguments)]
pub fn monte_carlo<S, I, F>(
    b: usize,
    m: usize,
    seed: u64,
    threads: usize,
    init: I,
    stat: F,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Draws, BootstrapFailure>
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &mut Xoshiro256PlusPlus, &mut [f64]) -> Result<(), String> + Sync,
{
    let draw = |st: &mut S, stream: u64, out: &mut [f64]| {
        let mut rng = stream_rng(seed, stream);
        stat(st, &mut rng, out)
    };
    run_draws(b, m, seed, threads, init, draw, progress)
}

/// The generator of draw `stream` under `seed`.
pub fn stream_rng(seed: u64, stream: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(seed ^ splitmix64(stream)))
}

/// Runs `b` draws in blocks (in parallel with the `parallel` feature). `draw(state, stream, out)`
/// computes one draw from its stream number; a failed draw is retried on a stream beyond every
/// first attempt's and recorded in the ledger.
fn run_draws<S, I, D>(
    b: usize,
    m: usize,
    seed: u64,
    threads: usize,
    init: I,
    draw_fn: D,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Draws, BootstrapFailure>
where
    I: Fn() -> S + Sync,
    D: Fn(&mut S, u64, &mut [f64]) -> Result<(), String> + Sync,
{
    let mut values = vec![0.0; b * m];
    let run_chunk = |start: usize, chunk: &mut [f64]| -> Result<Ledger, BootstrapFailure> {
        // Before a block too, so an observer can stop a run between blocks (by unwinding);
        // zero draws done, nothing for a display to count.
        progress(0);
        let mut state = init();
        let mut ledger = Ledger::default();
        for (k, out) in chunk.chunks_mut(m.max(1)).enumerate() {
            let draw = start + k;
            let mut attempt = 0u64;
            loop {
                let stream = draw as u64 + attempt * (b as u64);
                match draw_fn(&mut state, stream, out) {
                    Ok(()) => break,
                    Err(reason) => {
                        ledger.record(&reason);
                        attempt += 1;
                        if attempt > MAX_RETRIES {
                            return Err(BootstrapFailure { draw, reason });
                        }
                    }
                }
            }
        }
        progress(chunk.len() / m.max(1));
        Ok(ledger)
    };
    let chunk_draws = 256usize;
    let ledgers: Vec<Result<Ledger, BootstrapFailure>> = {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let work = |values: &mut [f64]| -> Vec<Result<Ledger, BootstrapFailure>> {
                values
                    .par_chunks_mut(chunk_draws * m.max(1))
                    .enumerate()
                    .map(|(i, chunk)| run_chunk(i * chunk_draws, chunk))
                    .collect()
            };
            if threads == 0 {
                work(&mut values)
            } else {
                match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                    Ok(pool) => pool.install(|| work(&mut values)),
                    Err(_) => work(&mut values),
                }
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            values
                .chunks_mut(chunk_draws * m.max(1))
                .enumerate()
                .map(|(i, chunk)| run_chunk(i * chunk_draws, chunk))
                .collect()
        }
    };
    let mut ledger = Ledger::default();
    for l in ledgers {
        ledger.merge(l?);
    }
    Ok(Draws {
        b,
        m,
        values,
        ledger,
        seed,
    })
}

/// Confidence interval methods for bootstrap draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CiMethod {
    /// Percentiles of the draws (PROCESS v4's default).
    #[default]
    Percentile,
    /// Bias-corrected percentiles (pyprocessmacro's default; PROCESS v3).
    BiasCorrected,
    /// Bias-corrected and accelerated (Efron 1987), with the acceleration from the jackknife.
    Bca,
}

impl CiMethod {
    pub fn label(self) -> &'static str {
        match self {
            CiMethod::Percentile => "percentile",
            CiMethod::BiasCorrected => "bias-corrected",
            CiMethod::Bca => "BCa",
        }
    }
}

impl std::str::FromStr for CiMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "percentile" | "perc" | "pc" => Ok(CiMethod::Percentile),
            "bc" | "bias-corrected" | "bias_corrected" => Ok(CiMethod::BiasCorrected),
            "bca" => Ok(CiMethod::Bca),
            _ => Err(format!(
                "unknown CI method '{s}': use percentile, bc or bca"
            )),
        }
    }
}

/// A bootstrap summary of one statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootSummary {
    /// Standard deviation of the draws (n - 1), PROCESS's BootSE.
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The order statistics PROCESS v4 uses (`process.pboot3`, `process.bcboot3`): with `B` sorted
/// draws, the lower bound is draw `round(B·lo_p)` and the upper is draw `trunc(B·hi_p) + 1`
/// (1-based), clamped to `1..=B`: draws 125 and 4876 of 5000 for a 95% percentile interval.
/// Found by selection rather than a full sort (the same order statistics, in linear time: the
/// curves over a moderator's range summarise hundreds of statistics).
fn percentile_bounds(draws: &mut [f64], lo_p: f64, hi_p: f64) -> (f64, f64) {
    let b = draws.len();
    if b == 0 {
        return (f64::NAN, f64::NAN);
    }
    let lo = ((b as f64 * lo_p).round() as usize).clamp(1, b);
    let hi = ((b as f64 * hi_p).trunc() as usize + 1).clamp(1, b);
    let (below, &mut lower, above) = draws.select_nth_unstable_by(lo - 1, f64::total_cmp);
    let upper = match hi.cmp(&lo) {
        std::cmp::Ordering::Equal => lower,
        std::cmp::Ordering::Greater => *above.select_nth_unstable_by(hi - lo - 1, f64::total_cmp).1,
        std::cmp::Ordering::Less => *below.select_nth_unstable_by(hi - 1, f64::total_cmp).1,
    };
    (lower, upper)
}

/// The jackknife acceleration of BCa: `Σd³ / (6 (Σd²)^{3/2})` with `d_i = mean − θ_(i)` over the
/// leave-one-out estimates `jack`.
pub fn acceleration(jack: &[f64]) -> f64 {
    let n = jack.len() as f64;
    let mean = jack.iter().sum::<f64>() / n;
    let (s2, s3) = jack.iter().fold((0.0, 0.0), |(a, b), &t| {
        let d = mean - t;
        (a + d * d, b + d * d * d)
    });
    if s2 > 0.0 {
        s3 / (6.0 * s2.powf(1.5))
    } else {
        0.0
    }
}

/// Summarises the draws of one statistic whose full-sample estimate is `estimate`.
pub fn summarise(draws: &[f64], estimate: f64, conf: f64, method: CiMethod) -> BootSummary {
    summarise_with(draws, estimate, conf, method, 0.0)
}

/// As [`summarise`], with the BCa acceleration `accel` (ignored by the other methods).
pub fn summarise_with(
    draws: &[f64],
    estimate: f64,
    conf: f64,
    method: CiMethod,
    accel: f64,
) -> BootSummary {
    let finite: Vec<f64> = draws.iter().copied().filter(|v| v.is_finite()).collect();
    let n = finite.len() as f64;
    let mean = finite.iter().sum::<f64>() / n;
    let se = (finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let mut values = finite;
    let c = conf / 100.0;
    let alpha = 1.0 - c;
    let (lo_p, hi_p) = match method {
        CiMethod::Percentile => (alpha / 2.0, 1.0 - alpha / 2.0),
        CiMethod::BiasCorrected | CiMethod::Bca => {
            let below = values.iter().filter(|&&v| v < estimate).count() as f64;
            let p0 = below / n;
            if p0 <= 0.0 || p0 >= 1.0 {
                (alpha / 2.0, 1.0 - alpha / 2.0)
            } else {
                let z0 = crate::numeric::dist::z_quantile(p0);
                let a = if method == CiMethod::Bca { accel } else { 0.0 };
                let adj = |z: f64| normal_cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)));
                let za = crate::numeric::dist::z_quantile(alpha / 2.0);
                (adj(za), adj(-za))
            }
        }
    };
    let (lower, upper) = percentile_bounds(&mut values, lo_p, hi_p);
    BootSummary { se, lower, upper }
}

fn normal_cdf(z: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().cdf(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sum_to_n_and_streams_differ() {
        let mut a = vec![0u32; 50];
        let mut b = vec![0u32; 50];
        resample_counts(7, 0, &mut a);
        resample_counts(7, 1, &mut b);
        assert_eq!(a.iter().sum::<u32>(), 50);
        assert_ne!(a, b);
        let mut a2 = vec![0u32; 50];
        resample_counts(7, 0, &mut a2);
        assert_eq!(a, a2);
    }

    #[test]
    fn same_draws_for_any_thread_count() {
        let x: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin()).collect();
        let stat = |c: &[u32], out: &mut [f64]| {
            let n: u32 = c.iter().sum();
            out[0] = c.iter().zip(&x).map(|(&k, v)| k as f64 * v).sum::<f64>() / n as f64;
            if c[3] == 5 {
                return Err("rare".into());
            }
            Ok(())
        };
        let one = bootstrap(40, 500, 1, 42, 1, stat).unwrap();
        let many = bootstrap(40, 500, 1, 42, 4, stat).unwrap();
        assert_eq!(one, many);
    }

    #[test]
    fn percentile_indices_follow_process() {
        let draws: Vec<f64> = (1..=1000).map(|v| v as f64).collect();
        let s = summarise(&draws, 500.0, 95.0, CiMethod::Percentile);
        assert_eq!((s.lower, s.upper), (25.0, 976.0));
        let draws: Vec<f64> = (1..=5000).map(|v| v as f64).collect();
        let s = summarise(&draws, 2500.0, 95.0, CiMethod::Percentile);
        assert_eq!((s.lower, s.upper), (125.0, 4876.0));
    }
}
