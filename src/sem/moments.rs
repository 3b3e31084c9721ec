//! Sample moments of one group (stage 4 of docs/sem/PLAN.md): n, the means and the covariance
//! matrix with divisor n, lavaan's ML default (`likelihood = "normal"`, lav_samplestats.R); and
//! the same from a bootstrap draw's row counts, so that a draw never copies rows: with counts
//! c_i summing to n*, ȳ* = Σ c_i y_i / n* and S* = Σ c_i (y_i − ȳ*)(y_i − ȳ*)ᵀ / n*.
//!
//! Matrices are row-major `p × p` `Vec<f64>`; a missing cell is `NaN`.

use thiserror::Error;

use crate::numeric::matrix::cholesky;

/// Why sample moments cannot be computed.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum MomentsError {
    #[error("the data hold {len} values, not n × p = {n} × {p}")]
    Shape { len: usize, n: usize, p: usize },
    #[error("{len} row counts for {n} rows")]
    Counts { len: usize, n: usize },
    #[error("no cases to compute sample moments from")]
    NoCases,
    #[error(
        "row {row}, variable {column}: a missing value where complete data are needed; use \
         listwise deletion or missing = fiml"
    )]
    Missing { row: usize, column: usize },
    #[error(
        "the covariance matrix of the variables observed together in a missing-data pattern \
         ({variables:?}) is not positive definite"
    )]
    NotPositiveDefinite { variables: Vec<usize> },
}

/// The observed data of one group: `n` rows of `p` variables, row-major; `NaN` is missing.
#[derive(Debug, Clone, Copy)]
pub struct DataView<'a> {
    values: &'a [f64],
    n: usize,
    p: usize,
}

impl<'a> DataView<'a> {
    pub fn new(values: &'a [f64], n: usize, p: usize) -> Result<Self, MomentsError> {
        if n.checked_mul(p) != Some(values.len()) {
            return Err(MomentsError::Shape {
                len: values.len(),
                n,
                p,
            });
        }
        Ok(DataView { values, n, p })
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn p(&self) -> usize {
        self.p
    }

    /// Row `i` (`i < n`).
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.values[i * self.p..(i + 1) * self.p]
    }

    fn check_counts(&self, counts: &[u32]) -> Result<(), MomentsError> {
        if counts.len() != self.n {
            return Err(MomentsError::Counts {
                len: counts.len(),
                n: self.n,
            });
        }
        Ok(())
    }
}

/// n, ȳ and S (divisor n) of complete data.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    /// The number of cases (the sum of the counts for a bootstrap draw).
    pub n: f64,
    pub mean: Vec<f64>,
    /// Row-major `p × p`, divisor n.
    pub cov: Vec<f64>,
}

impl Moments {
    /// The moments of complete data; a missing value is an error naming its cell.
    pub fn complete(data: DataView) -> Result<Moments, MomentsError> {
        Self::from_weights(data, |_| 1.0)
    }

    /// The moments of a bootstrap draw given as row counts (`counts[i]` copies of row `i`).
    pub fn weighted(data: DataView, counts: &[u32]) -> Result<Moments, MomentsError> {
        data.check_counts(counts)?;
        Self::from_weights(data, |i| f64::from(counts[i]))
    }

    /// Two passes (means, then centred cross-products) keep S accurate when the means are large
    /// relative to the spread.
    fn from_weights(data: DataView, w: impl Fn(usize) -> f64) -> Result<Moments, MomentsError> {
        let p = data.p;
        let mut n = 0.0;
        let mut mean = vec![0.0; p];
        for i in 0..data.n {
            let wi = w(i);
            if wi == 0.0 {
                continue;
            }
            let row = data.row(i);
            if let Some(column) = row.iter().position(|v| v.is_nan()) {
                return Err(MomentsError::Missing { row: i, column });
            }
            n += wi;
            for (m, v) in mean.iter_mut().zip(row) {
                *m += wi * v;
            }
        }
        if n <= 0.0 {
            return Err(MomentsError::NoCases);
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut cov = vec![0.0; p * p];
        let mut d = vec![0.0; p];
        for i in 0..data.n {
            let wi = w(i);
            if wi == 0.0 {
                continue;
            }
            for ((dj, v), m) in d.iter_mut().zip(data.row(i)).zip(&mean) {
                *dj = v - m;
            }
            for a in 0..p {
                let wa = wi * d[a];
                for b in 0..=a {
                    cov[a * p + b] += wa * d[b];
                }
            }
        }
        symmetrize_lower(&mut cov, p, n);
        Ok(Moments { n, mean, cov })
    }

    pub fn p(&self) -> usize {
        self.mean.len()
    }

    /// The saturated (H1) log-likelihood of complete data, −n/2·(p·ln 2π + ln|S| + p), lavaan's
    /// `unrestricted.logl` without fixed.x (lav_mvnorm_h1_loglik_samplestats); `None` when S is
    /// not positive definite.
    pub fn h1_loglik(&self) -> Option<f64> {
        let p = self.p();
        let logdet = log_det_spd(&self.cov, p)?;
        Some(-self.n / 2.0 * (p as f64 * LN_2PI + logdet + p as f64))
    }
}

pub(crate) const LN_2PI: f64 = 1.837_877_066_409_345_5; // ln(2π)

/// Fills the upper triangle from the lower one and divides by `n`.
pub(crate) fn symmetrize_lower(m: &mut [f64], p: usize, n: f64) {
    for a in 0..p {
        for b in 0..=a {
            let v = m[a * p + b] / n;
            m[a * p + b] = v;
            m[b * p + a] = v;
        }
    }
}

/// ln|A| of a symmetric positive-definite matrix, by Cholesky; `None` if it is not PD.
pub(crate) fn log_det_spd(a: &[f64], p: usize) -> Option<f64> {
    let l = cholesky(a, p)?;
    Some((0..p).map(|i| 2.0 * l[i * p + i].ln()).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: [f64; 8] = [1.0, 2.0, 2.0, 1.0, 4.0, 5.0, 3.0, 0.0];

    #[test]
    fn means_and_covariance_with_divisor_n() {
        let m = Moments::complete(DataView::new(&Y, 4, 2).unwrap()).unwrap();
        assert_eq!(m.n, 4.0);
        assert_eq!(m.mean, vec![2.5, 2.0]);
        // x: 1 2 4 3 (deviations -1.5 -.5 1.5 .5), y: 2 1 5 0 (0 -1 3 -2)
        let sxx = (2.25 + 0.25 + 2.25 + 0.25) / 4.0;
        let sxy = (0.0 + 0.5 + 4.5 - 1.0) / 4.0;
        let syy = (0.0 + 1.0 + 9.0 + 4.0) / 4.0;
        for (a, b) in m.cov.iter().zip([sxx, sxy, sxy, syy]) {
            assert!((a - b).abs() < 1e-15, "{a} {b}");
        }
        let logdet = (sxx * syy - sxy * sxy).ln();
        let want = -2.0 * (2.0 * LN_2PI + logdet + 2.0);
        assert!((m.h1_loglik().unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn counts_equal_copied_rows() {
        let counts = [2u32, 0, 1, 3];
        let data = DataView::new(&Y, 4, 2).unwrap();
        let w = Moments::weighted(data, &counts).unwrap();
        let mut copied = Vec::new();
        for (i, &c) in counts.iter().enumerate() {
            for _ in 0..c {
                copied.extend_from_slice(data.row(i));
            }
        }
        let c = Moments::complete(DataView::new(&copied, 6, 2).unwrap()).unwrap();
        assert_eq!(w.n, 6.0);
        for (a, b) in w.mean.iter().chain(&w.cov).zip(c.mean.iter().chain(&c.cov)) {
            assert!((a - b).abs() < 1e-14, "{a} {b}");
        }
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(
            DataView::new(&Y, 3, 2),
            Err(MomentsError::Shape { len: 8, .. })
        ));
        let mut y = Y;
        y[5] = f64::NAN;
        let data = DataView::new(&y, 4, 2).unwrap();
        assert_eq!(
            Moments::complete(data),
            Err(MomentsError::Missing { row: 2, column: 1 })
        );
        // A row with count 0 is not used, missing or not.
        assert!(Moments::weighted(data, &[1, 1, 0, 1]).is_ok());
        assert_eq!(
            Moments::weighted(data, &[1, 1]),
            Err(MomentsError::Counts { len: 2, n: 4 })
        );
        assert_eq!(
            Moments::weighted(data, &[0, 0, 0, 0]),
            Err(MomentsError::NoCases)
        );
        // Collinear columns: S is singular, no log-likelihood.
        let m = Moments::complete(DataView::new(&[1.0, 2.0, 2.0, 4.0, 3.0, 6.0], 3, 2).unwrap());
        assert_eq!(m.unwrap().h1_loglik(), None);
    }
}
