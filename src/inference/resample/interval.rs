//! Confidence intervals from draws: percentile, bias-corrected and BCa (Efron 1987), with the
//! order statistics PROCESS v4 uses, and the jackknife acceleration of BCa.

use super::driver::{ColumnDraws, Draws};
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
    if let Some(bounds) = tail_percentile_bounds(draws, lo_p, hi_p) {
        return bounds;
    }
    let (lo, hi) = bound_ranks(b, lo_p, hi_p);
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
    (from_key(key(&lower)), from_key(key(&upper)))
}

/// The 1-based ranks of [`percentile_bounds`]' order statistics among `b` draws.
fn bound_ranks(b: usize, lo_p: f64, hi_p: f64) -> (usize, usize) {
    let lo = ((b as f64 * lo_p).round() as usize).clamp(1, b);
    let hi = ((b as f64 * hi_p).trunc() as usize + 1).clamp(1, b);
    (lo, hi)
}

/// The value whose [`total_order_key`] is `k` (the transform is its own inverse).
fn from_key(k: i64) -> f64 {
    f64::from_bits(total_order_key(f64::from_bits(k as u64)))
}

/// [`percentile_bounds`] found in the tails by [`tail_bounds`], reading the draws without
/// reordering them (so the summaries need no copy of a column); `None` when the tails do not
/// hold the bounds (then [`percentile_bounds`] selects among all draws).
fn tail_percentile_bounds(draws: &[f64], lo_p: f64, hi_p: f64) -> Option<(f64, f64)> {
    if draws.len() < 4 * SAMPLE {
        return None;
    }
    let (lo, hi) = bound_ranks(draws.len(), lo_p, hi_p);
    let (lower, upper) = tail_bounds(draws, lo, hi)?;
    Some((from_key(lower), from_key(upper)))
}

/// Keys sampled by [`tail_bounds`] for its thresholds.
const SAMPLE: usize = 128;

/// The [`total_order_key`]s of the `lo`-th and `hi`-th smallest (1-based) of `values`, selected among the few keys beyond two thresholds rather than among all: a percentile
/// interval's order statistics lie in the tails (draws 125 and 4876 of 5000), and selecting
/// among all draws twice was a third of the summaries' time. The thresholds are order
/// statistics of an evenly spaced sample, a few sample ranks further in than the bounds should
/// lie; one pass keeps the keys at or below the lower threshold and at or above the upper one.
/// Exact whenever the kept keys include the bounds, which their counts prove: if at least `lo`
/// keys are at or below the lower threshold, the `lo`-th smallest key is the `lo`-th smallest of
/// those (likewise from above). `None` (select among all) when a count falls short. At least
/// `4 · SAMPLE` values.
fn tail_bounds(values: &[f64], lo: usize, hi: usize) -> Option<(i64, i64)> {
    let b = values.len();
    let key = |v: &f64| total_order_key(*v) as i64;
    let mut sample: [i64; SAMPLE] = std::array::from_fn(|i| key(&values[i * b / SAMPLE]));
    sample.sort_unstable();
    // A sample rank's expected share of the keys is (rank + 1) / (SAMPLE + 1); four ranks more
    // than the bound needs leave the count short rarely (then the full selection runs).
    const MARGIN: usize = 4;
    let rank = |need: usize| ((need * (SAMPLE + 1)).div_ceil(b) + MARGIN).min(SAMPLE - 1);
    let need_above = b - hi + 1;
    let (low_cut, high_cut) = (sample[rank(lo)], sample[SAMPLE - 1 - rank(need_above)]);
    let (mut below, mut above) = (Vec::with_capacity(b / 8), Vec::with_capacity(b / 8));
    // Without branches: every key is stored and the count advances when it is kept (in random
    // order a kept key was a mispredicted branch), a chunk at a time through the stack.
    const CHUNK: usize = 256;
    let (mut low, mut high) = ([0i64; CHUNK], [0i64; CHUNK]);
    for chunk in values.chunks(CHUNK) {
        let (mut nl, mut nh) = (0, 0);
        for k in chunk.iter().map(key) {
            low[nl] = k;
            nl += usize::from(k <= low_cut);
            high[nh] = k;
            nh += usize::from(k >= high_cut);
        }
        below.extend_from_slice(&low[..nl]);
        above.extend_from_slice(&high[..nh]);
    }
    if below.len() < lo || above.len() < need_above {
        return None;
    }
    let lower = *below.select_nth_unstable(lo - 1).1;
    let at = hi - 1 - (b - above.len());
    let upper = *above.select_nth_unstable(at).1;
    Some((lower, upper))
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
    summarise_finite(values, se, estimate, conf, method, accel)
}

/// The interval of finite draws `values` whose standard error is `se` (see
/// [`summarise_in_place`]); reorders `values`.
fn summarise_finite(
    values: &mut [f64],
    se: f64,
    estimate: f64,
    conf: f64,
    method: CiMethod,
    accel: f64,
) -> BootSummary {
    let (lo_p, hi_p) = interval_levels(values, estimate, conf, method, accel);
    let (lower, upper) = percentile_bounds(values, lo_p, hi_p);
    BootSummary { se, lower, upper }
}

/// The levels of the percentiles that bound the interval of finite draws `values`: the
/// interval's tails, moved by the bias correction (and the acceleration) for BC and BCa.
fn interval_levels(
    values: &[f64],
    estimate: f64,
    conf: f64,
    method: CiMethod,
    accel: f64,
) -> (f64, f64) {
    let n = values.len() as f64;
    let c = conf / 100.0;
    let alpha = 1.0 - c;
    match method {
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
    }
}

/// Columns summarised together by [`summarise_columns`].
const INTERLEAVED: usize = 4;

/// The standard errors of [`INTERLEAVED`] columns of finite draws of one length, each column's
/// sums added in the order [`summarise_in_place`] adds them (so the results are the same bits),
/// but the columns' sums advanced together: one column's sum is a chain of dependent additions
/// that waits on the adder's latency, four independent chains keep it busy (the two sums were
/// most of the summaries' own time).
// Indexing keeps the four chains in step, one element of each per iteration.
#[allow(clippy::needless_range_loop)]
fn interleaved_se(cols: [&[f64]; INTERLEAVED]) -> [f64; INTERLEAVED] {
    let len = cols[0].len();
    let n = len as f64;
    // -0.0: the start of `Iterator::sum` for floats.
    let mut sum = [-0.0; INTERLEAVED];
    for i in 0..len {
        for k in 0..INTERLEAVED {
            sum[k] += cols[k][i];
        }
    }
    let mean = sum.map(|s| s / n);
    let mut ss = [-0.0; INTERLEAVED];
    for i in 0..len {
        for k in 0..INTERLEAVED {
            ss[k] += (cols[k][i] - mean[k]).powi(2);
        }
    }
    ss.map(|s| (s / (n - 1.0)).sqrt())
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

/// Where [`summarise_derived`] reads each statistic's draws: stored columns, or columns
/// computed when they are read (the grid points of a curve, from the draws of its polynomial's
/// coefficients), so a run need not keep every statistic of every draw.
pub trait DrawColumns: Sync {
    /// How many statistics there are.
    fn statistics(&self) -> usize;
    /// Statistic `j`'s draws: a stored column, or computed into `buffer` and borrowed from it.
    fn column<'a>(&'a self, j: usize, buffer: &'a mut Vec<f64>) -> &'a [f64];
}

impl DrawColumns for ColumnDraws {
    fn statistics(&self) -> usize {
        self.m
    }

    fn column<'a>(&'a self, j: usize, _: &'a mut Vec<f64>) -> &'a [f64] {
        ColumnDraws::column(self, j)
    }
}

/// [`summarise_all`] for draws stored by statistic: the finite draws of [`INTERLEAVED`] columns
/// at a time are copied into their worker's buffer (a contiguous read of each column) and
/// summarised there, groups of columns spread over `threads` workers (0 = all). Each summary is
/// the one [`summarise_with`] gives its column alone, so the thread count changes nothing.
pub fn summarise_columns(
    draws: &ColumnDraws,
    point: &[f64],
    how: (f64, CiMethod),
    accel: &[f64],
    threads: usize,
) -> Vec<BootSummary> {
    summarise_derived(draws, point, how, accel, threads)
}

/// A worker's buffers for [`summarise_derived`]: one per column of a group (for computed
/// columns; a group's four fit in L2, 160 KB at B = 5000) and one for a full selection.
type Buffers = ([Vec<f64>; INTERLEAVED], Vec<f64>);

/// [`summarise_columns`] for any [`DrawColumns`]: a group's computed columns are made in its
/// worker's buffers just before they are summarised, while they are in cache. Each summary is
/// the one [`summarise_with`] gives its column alone.
pub fn summarise_derived(
    draws: &impl DrawColumns,
    point: &[f64],
    (conf, method): (f64, CiMethod),
    accel: &[f64],
    threads: usize,
) -> Vec<BootSummary> {
    let m = draws.statistics();
    let group = |(buffers, t): &mut Buffers, g: usize| -> Vec<BootSummary> {
        let cols = g * INTERLEAVED..((g + 1) * INTERLEAVED).min(m);
        let columns: Vec<&[f64]> = cols
            .clone()
            .zip(buffers.iter_mut())
            .map(|(j, buffer)| draws.column(j, buffer))
            .collect();
        // A column's finite draws: the column itself when every draw is finite (no copy), or
        // a copy without the others.
        let copies: Vec<Option<Vec<f64>>> = columns
            .iter()
            .map(|c| {
                let finite = c.iter().fold(true, |all, v| all & v.is_finite());
                (!finite).then(|| c.iter().copied().filter(|v| v.is_finite()).collect())
            })
            .collect();
        let parts: Vec<&[f64]> = columns
            .iter()
            .zip(&copies)
            .map(|(&c, copy)| copy.as_deref().unwrap_or(c))
            .collect();
        let same_len = parts.iter().all(|p| p.len() == parts[0].len());
        let se: Vec<f64> = match <[&[f64]; INTERLEAVED]>::try_from(&parts[..]) {
            Ok(four) if same_len => interleaved_se(four).to_vec(),
            _ => parts
                .iter()
                .map(|v| {
                    let n = v.len() as f64;
                    let mean = v.iter().sum::<f64>() / n;
                    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                })
                .collect(),
        };
        cols.zip(parts)
            .zip(se)
            .map(|((j, v), se)| {
                let (lo_p, hi_p) = interval_levels(v, point[j], conf, method, accel[j]);
                let (lower, upper) = match tail_percentile_bounds(v, lo_p, hi_p) {
                    Some(bounds) => bounds,
                    None if v.is_empty() => (f64::NAN, f64::NAN),
                    None => {
                        t.clear();
                        t.extend_from_slice(v);
                        percentile_bounds(t, lo_p, hi_p)
                    }
                };
                BootSummary { se, lower, upper }
            })
            .collect()
    };
    let groups = m.div_ceil(INTERLEAVED);
    #[cfg(feature = "parallel")]
    let per_group: Vec<Vec<BootSummary>> = {
        use rayon::prelude::*;
        super::driver::on_threads(threads, || {
            (0..groups)
                .into_par_iter()
                .map_init(Buffers::default, group)
                .collect()
        })
    };
    #[cfg(not(feature = "parallel"))]
    let per_group: Vec<Vec<BootSummary>> = {
        let _ = threads;
        let mut buffers = Buffers::default();
        (0..groups).map(|g| group(&mut buffers, g)).collect()
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
        // Orders where the sampled thresholds of tail_bounds are extreme: sorted, reversed,
        // all equal, and one draw far out with the rest equal (its counts fall short).
        let n = 5000;
        let sorted: Vec<f64> = (0..n).map(|i| i as f64 - 2000.0).collect();
        let reversed: Vec<f64> = sorted.iter().rev().copied().collect();
        let mut outlier = vec![1.0; n];
        outlier[17] = -1e9;
        for values in [sorted.clone(), reversed, vec![0.5; n], outlier] {
            let mut by_sort = values.clone();
            by_sort.sort_by(f64::total_cmp);
            for (lo_p, hi_p) in [(0.025, 0.975), (0.0001, 0.9999), (0.6, 0.4)] {
                let (lower, upper) = percentile_bounds(&mut values.clone(), lo_p, hi_p);
                let lo = ((n as f64 * lo_p).round() as usize).clamp(1, n);
                let hi = ((n as f64 * hi_p).trunc() as usize + 1).clamp(1, n);
                assert_eq!(lower.to_bits(), by_sort[lo - 1].to_bits(), "lower {lo_p}");
                assert_eq!(upper.to_bits(), by_sort[hi - 1].to_bits(), "upper {hi_p}");
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
        // With non-finite draws (columns of different lengths) and without (the columns summarised
        // together by summarise_columns).
        // B = 600 is large enough for the summaries' tail selection.
        for with_nan in [true, false] {
            summarise_each_column_as_alone(with_nan, 37, 45);
            summarise_each_column_as_alone(with_nan, 600, 9);
        }
    }

    fn summarise_each_column_as_alone(with_nan: bool, b: usize, m: usize) {
        let values: Vec<f64> = (0..b * m)
            .map(|i| match i % 53 {
                0 if with_nan => f64::NAN,
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
            let by_column = ColumnDraws::from(draws.clone());
            let cols =
                summarise_columns(&by_column, &point, (95.0, CiMethod::Bca), &accel, threads);
            let bits = |v: &[BootSummary]| -> Vec<[u64; 3]> {
                v.iter()
                    .map(|s| [s.se.to_bits(), s.lower.to_bits(), s.upper.to_bits()])
                    .collect()
            };
            assert_eq!(bits(&cols), bits(&all));
        }
    }
}
