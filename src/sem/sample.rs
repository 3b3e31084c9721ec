//! Sample moments for complete-data ML: n, ȳ and S with divisor n (lavaan's
//! `sample.cov.rescale`), ln|S|. A minimal stand-in until `moments.rs` (weighted moments,
//! missing-data patterns) lands; the engine sees the data only through these.

use super::error::SemError;
use super::linalg::{spd_inverse_logdet, Mat};

/// n, ȳ, S (divisor n) and ln|S| of the observed variables in the model's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub n: f64,
    pub mean: Vec<f64>,
    pub cov: Mat,
    pub logdet: f64,
}

impl Moments {
    /// From columns (one per observed variable, complete rows only).
    pub fn from_columns(names: &[String], cols: &[&[f64]]) -> Result<Moments, SemError> {
        let p = cols.len();
        let n = cols.first().map_or(0, |c| c.len());
        if n <= p {
            return Err(SemError::TooFewRows { n, p });
        }
        let nf = n as f64;
        let mean: Vec<f64> = cols.iter().map(|c| c.iter().sum::<f64>() / nf).collect();
        let mut cov = Mat::zeros(p, p);
        for i in 0..p {
            for j in 0..=i {
                let s: f64 = (0..n)
                    .map(|r| (cols[i][r] - mean[i]) * (cols[j][r] - mean[j]))
                    .sum::<f64>()
                    / nf;
                cov[(i, j)] = s;
                cov[(j, i)] = s;
            }
        }
        Moments::new(names, nf, mean, cov)
    }

    /// From given moments (S with divisor n), checking S is positive definite.
    pub fn new(names: &[String], n: f64, mean: Vec<f64>, cov: Mat) -> Result<Moments, SemError> {
        let p = cov.rows;
        let logdet = match spd_inverse_logdet(&cov) {
            Some((_, ld)) => ld,
            None => {
                let bad = (1..=p)
                    .find(|&k| {
                        spd_inverse_logdet(&cov.select(&(0..k).collect::<Vec<_>>())).is_none()
                    })
                    .unwrap_or(p);
                return Err(SemError::SampleNotPositiveDefinite {
                    variable: names.get(bad - 1).cloned().unwrap_or_default(),
                });
            }
        };
        Ok(Moments {
            n,
            mean,
            cov,
            logdet,
        })
    }
}
