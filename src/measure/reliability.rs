//! Cronbach's alpha with Feldt's and Duhachek's confidence intervals (both as psych::alpha 2.2.9
//! prints them), the standardized alpha, and item statistics (mean, SD, corrected item-total
//! correlation, alpha if the item is deleted).

use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use crate::numeric::dist::z_quantile;

use super::stats::{cov_to_cor, covariance, mean};

/// Cronbach's alpha of a set of items.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alpha {
    /// Raw alpha from the covariance matrix (psych's `raw_alpha`).
    pub alpha: f64,
    /// Alpha from the correlation matrix (psych's `std.alpha`).
    pub std_alpha: f64,
    /// Feldt's interval: `1 − (1 − α) F` at the F quantiles on `(n − 1, (n − 1)(k − 1))` df.
    pub feldt_lower: f64,
    pub feldt_upper: f64,
    /// Duhachek's asymptotic standard error and `α ± z · ase` (psych's `ase`).
    pub ase: f64,
    pub duhachek_lower: f64,
    pub duhachek_upper: f64,
    /// Mean inter-item correlation.
    pub average_r: f64,
}

/// Alpha `k/(k − 1) · (1 − tr C / 1'C1)` of a `k × k` covariance (or correlation) matrix.
pub fn alpha_from_cov(c: &[f64], k: usize) -> f64 {
    let total: f64 = c.iter().sum();
    let trace: f64 = (0..k).map(|i| c[i * k + i]).sum();
    let kf = k as f64;
    kf / (kf - 1.0) * (1.0 - trace / total)
}

/// Alpha and its intervals at confidence `conf` (e.g. 0.95) for item columns over `n` rows.
/// Needs `k ≥ 2` items and `n ≥ 2` (checked by the caller).
pub fn cronbach_alpha(cols: &[Vec<f64>], conf: f64) -> Alpha {
    let k = cols.len();
    let n = cols[0].len() as f64;
    let c = covariance(cols, 1);
    let alpha = alpha_from_cov(&c, k);
    let r = cov_to_cor(&c, k);
    let std_alpha = alpha_from_cov(&r, k);
    let kf = k as f64;
    let average_r = (r.iter().sum::<f64>() - kf) / (kf * (kf - 1.0));
    let level = 1.0 - conf;
    let (df1, df2) = (n - 1.0, (n - 1.0) * (kf - 1.0));
    let (feldt_lower, feldt_upper) = match FisherSnedecor::new(df1, df2) {
        Ok(f) => (
            1.0 - (1.0 - alpha) * f.inverse_cdf(1.0 - level / 2.0),
            1.0 - (1.0 - alpha) * f.inverse_cdf(level / 2.0),
        ),
        Err(_) => (f64::NAN, f64::NAN),
    };
    // Duhachek & Iacobucci (2004), as psych computes it.
    let sum_c: f64 = c.iter().sum();
    let tr_c: f64 = (0..k).map(|i| c[i * k + i]).sum();
    let mut cc = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            cc[i * k + j] = (0..k).map(|l| c[i * k + l] * c[l * k + j]).sum();
        }
    }
    let tr_cc: f64 = (0..k).map(|i| cc[i * k + i]).sum();
    let sum_cc: f64 = cc.iter().sum();
    let q = 2.0 * kf * kf / ((kf - 1.0).powi(2) * sum_c.powi(3))
        * (sum_c * (tr_cc + tr_c * tr_c) - 2.0 * tr_c * sum_cc);
    let ase = (q / n).sqrt();
    let z = z_quantile(1.0 - level / 2.0);
    Alpha {
        alpha,
        std_alpha,
        feldt_lower,
        feldt_upper,
        ase,
        duhachek_lower: alpha - z * ase,
        duhachek_upper: alpha + z * ase,
        average_r,
    }
}

/// Statistics of one item within its construct.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ItemStat {
    pub construct: String,
    pub item: String,
    pub reversed: bool,
    pub mean: f64,
    pub sd: f64,
    /// Correlation of the item with the sum of the other items (psych's `r.drop`).
    pub item_total: f64,
    /// Raw alpha of the other items (`NaN` for a two-item construct, where one item is left).
    pub alpha_if_deleted: f64,
}

/// Item statistics of one construct's item columns.
pub fn item_stats(
    construct: &str,
    names: &[String],
    reversed: &[bool],
    cols: &[Vec<f64>],
) -> Vec<ItemStat> {
    let k = cols.len();
    let c = covariance(cols, 1);
    (0..k)
        .map(|i| {
            let rest: Vec<usize> = (0..k).filter(|&j| j != i).collect();
            let var_rest: f64 = rest
                .iter()
                .flat_map(|&a| rest.iter().map(move |&b| (a, b)))
                .map(|(a, b)| c[a * k + b])
                .sum();
            let cov_rest: f64 = rest.iter().map(|&j| c[i * k + j]).sum();
            let item_total = cov_rest / (c[i * k + i] * var_rest).sqrt();
            let alpha_if_deleted = if rest.len() >= 2 {
                let sub: Vec<f64> = rest
                    .iter()
                    .flat_map(|&a| rest.iter().map(move |&b| (a, b)))
                    .map(|(a, b)| c[a * k + b])
                    .collect();
                alpha_from_cov(&sub, rest.len())
            } else {
                f64::NAN
            };
            ItemStat {
                construct: construct.to_string(),
                item: names[i].clone(),
                reversed: reversed[i],
                mean: mean(&cols[i]),
                sd: c[i * k + i].sqrt(),
                item_total,
                alpha_if_deleted,
            }
        })
        .collect()
}

/// Omega total as `psych::omega(x, nfactors = 1)` computes it: `1 − Σu² / 1'R1` with the
/// uniquenesses `u² = 1 − λ²` of a one-factor minimum-residual (ULS) fit to the correlation
/// matrix `R`, found here by iterated principal axes from squared multiple correlations (whose
/// fixed point is the ULS solution). `NaN` when the iteration does not settle.
pub fn omega_psych_1f(r: &[f64], k: usize) -> f64 {
    let Some(inv) = crate::numeric::matrix::spd_inverse(r, k) else {
        return f64::NAN;
    };
    let mut h2: Vec<f64> = (0..k).map(|i| 1.0 - 1.0 / inv[i * k + i]).collect();
    let mut reduced = r.to_vec();
    for _ in 0..100_000 {
        for i in 0..k {
            reduced[i * k + i] = h2[i];
        }
        let (l, v) = super::stats::largest_eigen(&reduced, k);
        let next: Vec<f64> = v.iter().map(|x| l * x * x).collect();
        let delta = next
            .iter()
            .zip(&h2)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        h2 = next;
        if delta < 1e-13 {
            let vt: f64 = r.iter().sum();
            let u2: f64 = h2.iter().map(|h| 1.0 - h).sum();
            return (vt - u2) / vt;
        }
    }
    f64::NAN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_of_parallel_items_is_high_and_ci_brackets_it() {
        let base: Vec<f64> = (0..50).map(|i| ((i * 37) % 11) as f64).collect();
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|j| {
                base.iter()
                    .enumerate()
                    .map(|(i, b)| b + ((i * (j + 3)) % 5) as f64 * 0.3)
                    .collect()
            })
            .collect();
        let a = cronbach_alpha(&cols, 0.95);
        assert!(a.alpha > 0.9 && a.alpha < 1.0, "{a:?}");
        assert!(a.feldt_lower < a.alpha && a.alpha < a.feldt_upper);
        assert!(a.duhachek_lower < a.alpha && a.alpha < a.duhachek_upper);
        let s = item_stats(
            "c",
            &["a".into(), "b".into(), "c".into(), "d".into()],
            &[false; 4],
            &cols,
        );
        assert!(s
            .iter()
            .all(|i| i.item_total > 0.5 && i.alpha_if_deleted < 1.0));
    }
}
