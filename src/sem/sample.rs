//! The sample statistics the ML engine works with: n, ȳ and S with divisor n (from
//! `moments.rs`, lavaan's `sample.cov.rescale`) as a matrix, and ln|S|, after checking that S
//! is positive definite. Complete-data ML sees the data only through these.

use super::error::SemError;
use super::linalg::{spd_inverse_logdet, Mat};

/// n, ȳ, S (divisor n) and ln|S| of the observed variables in the model's order.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleStats {
    pub n: f64,
    pub mean: Vec<f64>,
    pub cov: Mat,
    pub logdet: f64,
}

impl SampleStats {
    /// From given moments (S with divisor n), checking S is positive definite.
    pub fn new(
        names: &[String],
        n: f64,
        mean: Vec<f64>,
        cov: Mat,
    ) -> Result<SampleStats, SemError> {
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
        Ok(SampleStats {
            n,
            mean,
            cov,
            logdet,
        })
    }
}
