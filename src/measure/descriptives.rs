//! Univariate descriptive statistics, as SPSS `DESCRIPTIVES` prints them.

use crate::data::Dataset;

/// Descriptive statistics of one numeric variable, computed from its own non-missing values.
///
/// With `n` non-missing values `x₁ … xₙ`, mean `x̄` and central moments
/// `m_k = Σ (xᵢ − x̄)^k / n`:
///
/// * `sd = sqrt(Σ (xᵢ − x̄)² / (n − 1))`
/// * `skewness` is the bias-corrected sample skewness **G1** (SPSS, SAS, Excel `SKEW`,
///   R `e1071::skewness(type = 2)`, `psych::describe(type = 2)`):
///   `g1 = m3 / m2^(3/2)`, `G1 = g1 · sqrt(n(n − 1)) / (n − 2)`
/// * `kurtosis` is the bias-corrected sample *excess* kurtosis **G2** (SPSS, SAS, Excel `KURT`,
///   `e1071::kurtosis(type = 2)`, `psych::describe(type = 2)`):
///   `g2 = m4 / m2² − 3`, `G2 = ((n + 1) g2 + 6) (n − 1) / ((n − 2)(n − 3))`
/// * `se_skewness = sqrt(6n(n − 1) / ((n − 2)(n + 1)(n + 3)))` and
///   `se_kurtosis = 2 · se_skewness · sqrt((n² − 1) / ((n − 3)(n + 5)))`, the standard errors
///   SPSS prints next to them (they depend on `n` only).
///
/// `psych::describe()` by default (`type = 3`, also the default of `e1071`) reports different
/// estimators, `b1 = g1 · ((n − 1)/n)^(3/2)` and `b2 = (g2 + 3) · ((n − 1)/n)² − 3`. From the
/// values here: `b1 = G1 · (n − 1)(n − 2) / n²` and
/// `b2 = (g2 + 3)((n − 1)/n)² − 3` with `g2 = (G2 (n − 2)(n − 3)/(n − 1) − 6) / (n + 1)`;
/// [`Descriptive::skewness_type3`] and [`Descriptive::kurtosis_type3`] do the conversion. The
/// two agree closely only for large `n`.
///
/// Statistics that are undefined are `NaN` (serialized as `null` in JSON): `mean`, `min`, `max`
/// when `n = 0`; `sd` when `n < 2`; `skewness` and `se_skewness` when `n < 3`; `kurtosis` and
/// `se_kurtosis` when `n < 4`; `skewness` and `kurtosis` also when the variable is constant.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Descriptive {
    pub name: String,
    /// Number of non-missing values.
    pub n: usize,
    /// Number of missing values.
    pub missing: usize,
    pub mean: f64,
    /// Standard deviation with divisor `n − 1`.
    pub sd: f64,
    pub min: f64,
    pub max: f64,
    /// Bias-corrected sample skewness G1.
    pub skewness: f64,
    /// Standard error of the skewness, as SPSS prints it.
    pub se_skewness: f64,
    /// Bias-corrected sample excess kurtosis G2.
    pub kurtosis: f64,
    /// Standard error of the kurtosis, as SPSS prints it.
    pub se_kurtosis: f64,
}

impl Descriptive {
    /// Computes the statistics of `values` (`NaN` = missing).
    pub fn from_values(name: impl Into<String>, values: &[f64]) -> Descriptive {
        let x: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        let n = x.len();
        let missing = values.len() - n;
        let nf = n as f64;
        let (mean, min, max) = if n == 0 {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            // Two passes with a correction, as R's mean(): exact to rounding for any offset.
            let m0 = x.iter().sum::<f64>() / nf;
            let m = m0 + x.iter().map(|v| v - m0).sum::<f64>() / nf;
            let min = x.iter().copied().fold(f64::INFINITY, f64::min);
            let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (m, min, max)
        };
        let (mut s2, mut s3, mut s4) = (0.0, 0.0, 0.0);
        for v in &x {
            let d = v - mean;
            let d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
        let sd = if n >= 2 {
            (s2 / (nf - 1.0)).sqrt()
        } else {
            f64::NAN
        };
        let (m2, m3, m4) = (s2 / nf, s3 / nf, s4 / nf);
        let (skewness, se_skewness) = if n >= 3 {
            let g1 = m3 / m2.powf(1.5);
            let skew = if m2 > 0.0 {
                g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0)
            } else {
                f64::NAN
            };
            (skew, se_skew(nf))
        } else {
            (f64::NAN, f64::NAN)
        };
        let (kurtosis, se_kurtosis) = if n >= 4 {
            let g2 = m4 / (m2 * m2) - 3.0;
            let kurt = if m2 > 0.0 {
                ((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0))
            } else {
                f64::NAN
            };
            let sek = 2.0 * se_skew(nf) * ((nf * nf - 1.0) / ((nf - 3.0) * (nf + 5.0))).sqrt();
            (kurt, sek)
        } else {
            (f64::NAN, f64::NAN)
        };
        Descriptive {
            name: name.into(),
            n,
            missing,
            mean,
            sd,
            min,
            max,
            skewness,
            se_skewness,
            kurtosis,
            se_kurtosis,
        }
    }

    /// The skewness `b1 = G1 · (n − 1)(n − 2) / n²` that `psych::describe()` reports by default
    /// (`type = 3`).
    pub fn skewness_type3(&self) -> f64 {
        let n = self.n as f64;
        self.skewness * (n - 1.0) * (n - 2.0) / (n * n)
    }

    /// The excess kurtosis `b2 = (g2 + 3)((n − 1)/n)² − 3` that `psych::describe()` reports by
    /// default (`type = 3`), with `g2 = (G2 (n − 2)(n − 3)/(n − 1) − 6) / (n + 1)`.
    pub fn kurtosis_type3(&self) -> f64 {
        let n = self.n as f64;
        let g2 = (self.kurtosis * (n - 2.0) * (n - 3.0) / (n - 1.0) - 6.0) / (n + 1.0);
        let r = (n - 1.0) / n;
        (g2 + 3.0) * r * r - 3.0
    }
}

/// SPSS's standard error of the skewness for `n` values.
fn se_skew(n: f64) -> f64 {
    (6.0 * n * (n - 1.0) / ((n - 2.0) * (n + 1.0) * (n + 3.0))).sqrt()
}

/// Descriptive statistics of each variable in `vars`, in order (see [`Descriptive`] for the
/// formulas). Each variable uses its own non-missing values (pairwise availability, as SPSS
/// `DESCRIPTIVES` does), so the `n` may differ between variables.
///
/// Errors: an unknown column, a categorical column ([`crate::data::DataError::NotNumeric`]) or a
/// numeric column with a cell that is not a finite number.
pub fn describe(data: &Dataset, vars: &[&str]) -> Result<Vec<Descriptive>, crate::Error> {
    vars.iter()
        .map(|name| Ok(Descriptive::from_values(*name, data.numeric(name)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
    }

    // R 4.2.2: x <- c(2, 4, 4, 5, 7, 9, 10); e1071::skewness(x, type = 2),
    // e1071::kurtosis(x, type = 2), and type = 3 for the psych default.
    #[test]
    fn matches_r_small_sample() {
        let d = Descriptive::from_values("x", &[2.0, 4.0, f64::NAN, 4.0, 5.0, 7.0, 9.0, 10.0]);
        assert_eq!((d.n, d.missing), (7, 1));
        assert!(close(d.mean, 41.0 / 7.0));
        assert!(close(d.sd, 2.911389784311004), "{}", d.sd);
        assert_eq!((d.min, d.max), (2.0, 10.0));
        assert!(close(d.skewness, 0.3102885059860314), "{}", d.skewness);
        assert!(close(d.kurtosis, -1.246054791061734), "{}", d.kurtosis);
        assert!(close(d.skewness_type3(), 0.1899725546853254));
        assert!(close(d.kurtosis_type3(), -1.728384119712775));
        assert!(
            close(d.se_skewness, 0.7937253933193772),
            "{}",
            d.se_skewness
        );
        assert!(close(d.se_kurtosis, 1.587450786638754), "{}", d.se_kurtosis);
    }

    #[test]
    fn small_n_and_constant_are_nan() {
        let d = Descriptive::from_values("x", &[]);
        assert!(d.mean.is_nan() && d.sd.is_nan() && d.min.is_nan() && d.skewness.is_nan());
        let d = Descriptive::from_values("x", &[3.0]);
        assert_eq!((d.mean, d.min, d.max), (3.0, 3.0, 3.0));
        assert!(d.sd.is_nan() && d.skewness.is_nan() && d.se_skewness.is_nan());
        let d = Descriptive::from_values("x", &[1.0, 2.0, 6.0]);
        assert!(d.sd.is_finite() && d.skewness.is_finite() && d.se_skewness.is_finite());
        assert!(d.kurtosis.is_nan() && d.se_kurtosis.is_nan());
        let d = Descriptive::from_values("x", &[4.0; 5]);
        assert_eq!(d.sd, 0.0);
        assert!(d.skewness.is_nan() && d.kurtosis.is_nan());
        assert!(d.se_skewness.is_finite() && d.se_kurtosis.is_finite());
    }
}
