//! Discriminant validity: the Fornell-Larcker table (sqrt(AVE) against the factor correlations),
//! composite reliability and AVE, and the heterotrait-monotrait ratio (HTMT with arithmetic means,
//! HTMT2 with geometric means; absolute correlations, as semTools::htmt's default) with
//! percentile bootstrap intervals on seeded per-draw streams.

use crate::inference::resample::{
    step_fn, summarise, BootstrapFailure, CiMethod, Draws, Resampler, MAX_FAILED_SHARE,
};

use super::stats::{cov_to_cor, covariance};

/// Composite reliability as Fornell & Larcker from standardized loadings:
/// `(Σλ)² / ((Σλ)² + Σ(1 − λ²))`.
pub fn composite_reliability(std_loadings: &[f64]) -> f64 {
    let s: f64 = std_loadings.iter().sum();
    let e: f64 = std_loadings.iter().map(|l| 1.0 - l * l).sum();
    s * s / (s * s + e)
}

/// Average variance extracted: the mean squared standardized loading.
pub fn ave(std_loadings: &[f64]) -> f64 {
    std_loadings.iter().map(|l| l * l).sum::<f64>() / std_loadings.len() as f64
}

/// semTools::compRelSEM's reliability, one formula with the SEM engine's.
pub use crate::sem::reliability::comp_rel_sem;

/// HTMT of one pair of constructs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Htmt {
    pub a: String,
    pub b: String,
    /// Arithmetic-mean HTMT (Henseler, Ringle & Sarstedt 2015).
    pub value: f64,
    /// Geometric-mean HTMT2 (Roemer, Schuberth & Henseler 2021).
    pub htmt2: f64,
    /// Percentile bootstrap interval of `value` (`NaN` without a bootstrap).
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub htmt2_ci_lower: f64,
    pub htmt2_ci_upper: f64,
}

/// HTMT and HTMT2 of every pair `(a, b)` with `b < a` from a correlation matrix; `groups[k]` lists
/// the item indices of construct `k`. Returns `[htmt, htmt2]` per pair in that order.
pub fn htmt_values(r: &[f64], p: usize, groups: &[Vec<usize>]) -> Vec<[f64; 2]> {
    let mono = |g: &[usize]| -> (f64, f64) {
        let (mut s, mut l, mut c) = (0.0, 0.0, 0.0);
        for (x, &i) in g.iter().enumerate() {
            for &j in &g[..x] {
                let v = r[i * p + j].abs();
                s += v;
                l += v.ln();
                c += 1.0;
            }
        }
        (s / c, (l / c).exp())
    };
    let monos: Vec<(f64, f64)> = groups.iter().map(|g| mono(g)).collect();
    let mut out = Vec::new();
    for a in 0..groups.len() {
        for b in 0..a {
            let (mut s, mut l, mut c) = (0.0, 0.0, 0.0);
            for &i in &groups[a] {
                for &j in &groups[b] {
                    let v = r[i * p + j].abs();
                    s += v;
                    l += v.ln();
                    c += 1.0;
                }
            }
            let h1 = (s / c) / (monos[a].0 * monos[b].0).sqrt();
            let h2 = (l / c).exp() / (monos[a].1 * monos[b].1).sqrt();
            out.push([h1, h2]);
        }
    }
    out
}

/// HTMT for every pair of constructs with `b` bootstrap draws (0 for none) at confidence `conf`
/// (percent), seeded per draw so results do not depend on `threads`. The second value reports
/// resamples that failed (an item constant in the resample) and were replaced, or a bootstrap
/// that could not be completed; it is `None` when every draw succeeded.
pub fn htmt(
    cols: &[Vec<f64>],
    groups: &[Vec<usize>],
    names: &[String],
    boot: usize,
    seed: u64,
    conf: f64,
    threads: usize,
) -> (Vec<Htmt>, Option<String>) {
    let p = cols.len();
    let r = cov_to_cor(&covariance(cols, 1), p);
    let est = htmt_values(&r, p, groups);
    let (draws, problem) = if boot > 0 && !est.is_empty() {
        usable_draws(htmt_draws(cols, groups, boot, seed, threads), boot)
    } else {
        (None, None)
    };
    let mut out = Vec::with_capacity(est.len());
    let mut k = 0;
    for a in 0..groups.len() {
        for b in 0..a {
            let ci = |j: usize, e: f64| match &draws {
                Some(d) => {
                    let s = summarise(&d.column(j), e, conf, CiMethod::Percentile);
                    (s.lower, s.upper)
                }
                None => (f64::NAN, f64::NAN),
            };
            let (l1, u1) = ci(2 * k, est[k][0]);
            let (l2, u2) = ci(2 * k + 1, est[k][1]);
            out.push(Htmt {
                a: names[b].clone(),
                b: names[a].clone(),
                value: est[k][0],
                htmt2: est[k][1],
                ci_lower: l1,
                ci_upper: u1,
                htmt2_ci_lower: l2,
                htmt2_ci_upper: u2,
            });
            k += 1;
        }
    }
    (out, problem)
}

/// HTMT and HTMT2 of every pair in each of `boot` resamples (a resample with a constant item
/// fails and is replaced).
fn htmt_draws(
    cols: &[Vec<f64>],
    groups: &[Vec<usize>],
    boot: usize,
    seed: u64,
    threads: usize,
) -> Result<Draws, BootstrapFailure> {
    let p = cols.len();
    let n = cols.first().map_or(0, Vec::len);
    let m = groups.len() * groups.len().saturating_sub(1) / 2;
    let step = step_fn(
        2 * m,
        || (),
        |_: &mut (), counts: &mut [u32], out: &mut [f64]| {
            let rr = weighted_correlation(cols, counts);
            for (k, v) in htmt_values(&rr, p, groups).iter().enumerate() {
                out[2 * k] = v[0];
                out[2 * k + 1] = v[1];
            }
            if out.iter().all(|v| v.is_finite()) {
                Ok(())
            } else {
                Err("an item is constant in the resample".into())
            }
        },
    );
    Resampler::new(boot, seed)
        .threads(threads)
        .bootstrap(n, &step)
}

/// The draws when few enough failed to be a sample of the sampling distribution, and a note on
/// the failures (or on a bootstrap that was abandoned).
fn usable_draws(
    draws: Result<Draws, BootstrapFailure>,
    boot: usize,
) -> (Option<Draws>, Option<String>) {
    let d = match draws {
        Ok(d) => d,
        Err(f) => {
            return (
                None,
                Some(format!(
                    "HTMT bootstrap abandoned at draw {} ({}); no HTMT intervals are reported",
                    f.draw, f.reason
                )),
            )
        }
    };
    let usable = d.ledger.usable(boot);
    let note = (d.ledger.failed > 0).then(|| {
        format!(
            "HTMT bootstrap: {} of {} resamples failed and were replaced ({}){}",
            d.ledger.failed,
            boot,
            d.ledger
                .reasons
                .iter()
                .map(|(r, k)| format!("{r}: {k}"))
                .collect::<Vec<_>>()
                .join("; "),
            if usable {
                String::new()
            } else {
                format!(
                    "; that is more than {:.0}% of the draws, and failures are tied to the data, so the draws that succeed are not a sample of the sampling distribution: no HTMT intervals are reported (more cases, or items that vary in every resample, avoid it)",
                    100.0 * MAX_FAILED_SHARE
                )
            }
        )
    });
    (usable.then_some(d), note)
}

/// Correlation matrix of the resample given by row counts.
fn weighted_correlation(cols: &[Vec<f64>], counts: &[u32]) -> Vec<f64> {
    let p = cols.len();
    let w: f64 = counts.iter().map(|&c| c as f64).sum();
    let means: Vec<f64> = cols
        .iter()
        .map(|c| {
            c.iter()
                .zip(counts)
                .map(|(x, &k)| x * k as f64)
                .sum::<f64>()
                / w
        })
        .collect();
    let mut s = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let v: f64 = cols[i]
                .iter()
                .zip(&cols[j])
                .zip(counts)
                .map(|((a, b), &k)| k as f64 * (a - means[i]) * (b - means[j]))
                .sum();
            s[i * p + j] = v;
            s[j * p + i] = v;
        }
    }
    cov_to_cor(&s, p)
}

/// One row of the Fornell-Larcker check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FornellLarcker {
    pub a: String,
    pub b: String,
    /// The factor correlation from the CFA.
    pub correlation: f64,
    pub sqrt_ave_a: f64,
    pub sqrt_ave_b: f64,
    /// Both square roots of AVE exceed the absolute correlation; `None` when an AVE is withheld
    /// (an improper CFA solution for either construct).
    pub passes: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cr_and_ave_of_equal_loadings() {
        let l = [0.7, 0.7, 0.7];
        assert!((ave(&l) - 0.49).abs() < 1e-15);
        // (2.1)² / ((2.1)² + 3·0.51)
        assert!((composite_reliability(&l) - 4.41 / (4.41 + 1.53)).abs() < 1e-15);
    }

    #[test]
    fn htmt_of_a_block_matrix() {
        // Two constructs of two items: within 0.6 and 0.4, between 0.3.
        let r = [
            1.0, 0.6, 0.3, 0.3, 0.6, 1.0, 0.3, 0.3, 0.3, 0.3, 1.0, 0.4, 0.3, 0.3, 0.4, 1.0,
        ];
        let v = htmt_values(&r, 4, &[vec![0, 1], vec![2, 3]]);
        assert!((v[0][0] - 0.3 / (0.24f64).sqrt()).abs() < 1e-14);
        assert!((v[0][1] - v[0][0]).abs() < 1e-14);
    }
}
