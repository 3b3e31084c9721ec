//! Confidence intervals from draws: percentile, bias-corrected and BCa (Efron 1987), with the
//! order statistics PROCESS v4 uses, and the jackknife acceleration of BCa.

use super::driver::Draws;
use serde::Serialize;

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
/// curves over a moderator's range summarise hundreds of statistics). `draws` is scratch: it is
/// left reordered, its values re-encoded.
fn percentile_bounds(draws: &mut [f64], lo_p: f64, hi_p: f64) -> (f64, f64) {
    let b = draws.len();
    if b == 0 {
        return (f64::NAN, f64::NAN);
    }
    let lo = ((b as f64 * lo_p).round() as usize).clamp(1, b);
    let hi = ((b as f64 * hi_p).trunc() as usize + 1).clamp(1, b);
    // The selection runs on integer keys in `f64::total_cmp`'s order, made once per value
    // instead of twice per comparison (the selections were 3% of a model 58 run on one thread).
    for v in draws.iter_mut() {
        *v = f64::from_bits(total_order_key(*v));
    }
    let key = |v: &f64| v.to_bits() as i64;
    let by_key = |a: &f64, b: &f64| key(a).cmp(&key(b));
    let (below, &mut lower, above) = draws.select_nth_unstable_by(lo - 1, by_key);
    let upper = match hi.cmp(&lo) {
        std::cmp::Ordering::Equal => lower,
        std::cmp::Ordering::Greater => *above.select_nth_unstable_by(hi - lo - 1, by_key).1,
        std::cmp::Ordering::Less => *below.select_nth_unstable_by(hi - 1, by_key).1,
    };
    // The key's transform is its own inverse.
    let value = |k: f64| f64::from_bits(total_order_key(k));
    (value(lower), value(upper))
}

/// The bits of `v` rearranged so that, read as an `i64`, they order as `f64::total_cmp` orders
/// the values (the transform `total_cmp` applies to both sides of each comparison): negative
/// values have all but the sign bit flipped. Applied twice it gives `v` back.
fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    bits ^ (((bits as i64 >> 63) as u64) >> 1)
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

/// The BCa acceleration of each of `m` statistics from the jackknife: `leave_out(i, out)`
/// computes the statistics with observation `i` of `n` left out. Fails with the first replicate
/// that cannot be computed (the caller then falls back to no acceleration, a BC interval).
pub fn jackknife(
    n: usize,
    m: usize,
    mut leave_out: impl FnMut(usize, &mut [f64]) -> Result<(), String>,
) -> Result<Vec<f64>, String> {
    let mut jack = vec![0.0; n * m];
    for i in 0..n {
        leave_out(i, &mut jack[i * m..(i + 1) * m])?;
    }
    Ok((0..m)
        .map(|j| acceleration(&(0..n).map(|i| jack[i * m + j]).collect::<Vec<_>>()))
        .collect())
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
    summarise_in_place(&mut draws.to_vec(), estimate, conf, method, accel)
}

/// [`summarise_with`] in the draws' own buffer, which it reorders.
fn summarise_in_place(
    draws: &mut [f64],
    estimate: f64,
    conf: f64,
    method: CiMethod,
    accel: f64,
) -> BootSummary {
    // The finite draws, in their order, moved to the front.
    let mut kept = 0;
    for i in 0..draws.len() {
        if draws[i].is_finite() {
            draws[kept] = draws[i];
            kept += 1;
        }
    }
    let values = &mut draws[..kept];
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let se = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
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
    let (lower, upper) = percentile_bounds(values, lo_p, hi_p);
    BootSummary { se, lower, upper }
}

/// Every statistic of `draws` summarised as [`summarise_with`] does (statistic `j` with the
/// estimate `point[j]` and the acceleration `accel[j]`), on `threads` workers (0 = all) with the
/// `parallel` feature: with B = 5000 and a curve of conditional indirect effects the summaries
/// were a sixth of a model 58 run on one thread (docs/PERFORMANCE.md). Each statistic's summary
/// is computed alone, so the thread count changes nothing.
pub fn summarise_all(
    draws: &Draws,
    point: &[f64],
    (conf, method): (f64, CiMethod),
    accel: &[f64],
    threads: usize,
) -> Vec<BootSummary> {
    // Statistics in groups whose columns are copied out of the row-major draws together: one
    // pass over the draws per group instead of a strided pass per statistic (which missed the
    // cache on every value).
    // The group's buffer is reused from group to group (a fresh one per group was a megabyte
    // of new pages each time).
    const GROUP: usize = 32;
    let group = |t: &mut Vec<f64>, g: usize| -> Vec<BootSummary> {
        let (b, m) = (draws.b, draws.m);
        let cols = g * GROUP..((g + 1) * GROUP).min(m);
        t.resize(cols.len() * b, 0.0);
        // Eight draws at a time, so each column receives a whole cache line of consecutive
        // draws per visit rather than one value (32 stores each B·8 bytes apart per draw). The
        // values are only copied. What this copy costs (5-6% of a model 58 run) is reading the
        // draws from memory, which this does not change (docs/PERFORMANCE.md).
        const ROWS: usize = 8;
        for (r, rows) in draws.values.chunks(ROWS * m.max(1)).enumerate() {
            for (k, c) in cols.clone().enumerate() {
                let dest = &mut t[k * b + r * ROWS..];
                for (o, row) in dest.iter_mut().zip(rows.chunks_exact(m)) {
                    *o = row[c];
                }
            }
        }
        // With B = 0 there are no chunks, and each statistic gets an empty column.
        let mut columns = t.chunks_mut(b.max(1));
        let mut each = |j: usize| {
            let column = columns.next().unwrap_or_default();
            summarise_in_place(column, point[j], conf, method, accel[j])
        };
        cols.map(&mut each).collect()
    };
    let groups = draws.m.div_ceil(GROUP);
    #[cfg(feature = "parallel")]
    let per_group: Vec<Vec<BootSummary>> = {
        use rayon::prelude::*;
        super::driver::on_threads(threads, || {
            (0..groups)
                .into_par_iter()
                .map_init(Vec::new, group)
                .collect()
        })
    };
    #[cfg(not(feature = "parallel"))]
    let per_group: Vec<Vec<BootSummary>> = {
        let _ = threads;
        let mut t = Vec::new();
        (0..groups).map(|g| group(&mut t, g)).collect()
    };
    per_group.into_iter().flatten().collect()
}

fn normal_cdf(z: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().cdf(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_indices_follow_process() {
        let draws: Vec<f64> = (1..=1000).map(|v| v as f64).collect();
        let s = summarise(&draws, 500.0, 95.0, CiMethod::Percentile);
        assert_eq!((s.lower, s.upper), (25.0, 976.0));
        let draws: Vec<f64> = (1..=5000).map(|v| v as f64).collect();
        let s = summarise(&draws, 2500.0, 95.0, CiMethod::Percentile);
        assert_eq!((s.lower, s.upper), (125.0, 4876.0));
    }

    /// The selection on integer keys picks the same order statistics as a full sort by
    /// `f64::total_cmp`, for values of both signs, zeros of both signs and ties.
    #[test]
    fn percentile_bounds_match_a_total_order_sort() {
        let mut state = 7u64;
        for b in [1usize, 2, 3, 40, 999, 5000] {
            let values: Vec<f64> = (0..b)
                .map(|i| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    match i % 7 {
                        0 => -0.0,
                        1 => 0.0,
                        2 => ((state >> 40) % 5) as f64 - 2.0,
                        _ => ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e3,
                    }
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for (lo_p, hi_p) in [(0.025, 0.975), (0.005, 0.995), (0.3, 0.2)] {
                let (lower, upper) = percentile_bounds(&mut values.clone(), lo_p, hi_p);
                let lo = ((b as f64 * lo_p).round() as usize).clamp(1, b);
                let hi = ((b as f64 * hi_p).trunc() as usize + 1).clamp(1, b);
                assert_eq!(lower.to_bits(), sorted[lo - 1].to_bits(), "b {b} lower");
                assert_eq!(upper.to_bits(), sorted[hi - 1].to_bits(), "b {b} upper");
            }
        }
        for v in [-1.5, -0.0, 0.0, 2.0, f64::MIN, f64::MAX] {
            let twice = total_order_key(f64::from_bits(total_order_key(v)));
            assert_eq!(twice, v.to_bits());
        }
    }

    /// The jackknife of a mean: leave-one-out means are `(S - x_i)/(n - 1)`, whose skewness the
    /// acceleration formula gives in closed form; a failing replicate is passed on.
    #[test]
    fn jackknife_acceleration_of_a_mean() {
        let x = [1.0, 2.0, 2.5, 4.0, 9.0];
        let (n, sum) = (x.len(), x.iter().sum::<f64>());
        let a = jackknife(n, 2, |i, out| {
            out[0] = (sum - x[i]) / (n - 1) as f64;
            out[1] = 3.0;
            Ok(())
        })
        .unwrap();
        let loo: Vec<f64> = x.iter().map(|v| (sum - v) / (n - 1) as f64).collect();
        assert_eq!(a, vec![acceleration(&loo), 0.0]);
        assert!(
            a[0] > 0.0,
            "a right-skewed sample has positive acceleration"
        );
        let e = jackknife(n, 1, |i, _| {
            if i == 3 {
                Err("singular".into())
            } else {
                Ok(())
            }
        });
        assert_eq!(e, Err("singular".to_string()));
    }

    /// The blocked copy of the draws into columns gives every statistic the summary of its own
    /// column, whatever B and the number of statistics (neither a multiple of the blocks here),
    /// non-finite draws included, on one thread or two.
    #[test]
    fn summarise_all_summarises_each_column_as_alone() {
        let (b, m) = (37, 45);
        let values: Vec<f64> = (0..b * m)
            .map(|i| match i % 53 {
                0 => f64::NAN,
                _ => ((i * 7919) % 1009) as f64 / 97.0 - (i % m) as f64,
            })
            .collect();
        let draws = Draws {
            b,
            m,
            values,
            ledger: crate::inference::resample::Ledger::default(),
            seed: 1,
        };
        let point: Vec<f64> = (0..m).map(|j| 5.0 - j as f64).collect();
        let accel = vec![0.01; m];
        for threads in [1, 2] {
            let all = summarise_all(&draws, &point, (95.0, CiMethod::Bca), &accel, threads);
            for (j, s) in all.iter().enumerate() {
                let alone = summarise_with(&draws.column(j), point[j], 95.0, CiMethod::Bca, 0.01);
                assert_eq!(s.se.to_bits(), alone.se.to_bits(), "column {j}");
                assert_eq!(s.lower.to_bits(), alone.lower.to_bits(), "column {j}");
                assert_eq!(s.upper.to_bits(), alone.upper.to_bits(), "column {j}");
            }
        }
    }
}
