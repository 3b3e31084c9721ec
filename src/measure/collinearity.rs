//! Variance inflation factors: `VIF_j = 1 / (1 − R²_j)` from regressing predictor `j` on the
//! others, read off the diagonal of the inverse correlation matrix (as car::vif for numeric
//! predictors). Full-collinearity VIFs (Kock & Lynn 2012) take every construct score as a
//! predictor of the others; values above 3.3 are the usual flag of common-method variance.

use super::stats::{cov_to_cor, covariance, first_dependent, spd_inverse_checked};
use super::MeasureError;

/// VIF of one variable.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Vif {
    pub variable: String,
    pub vif: f64,
}

/// VIFs of the columns `cols` (named `names`) as predictors in one regression.
pub fn vif(names: &[String], cols: &[Vec<f64>]) -> Result<Vec<Vif>, MeasureError> {
    let p = cols.len();
    if p < 2 {
        return Ok(names
            .iter()
            .map(|n| Vif {
                variable: n.clone(),
                vif: 1.0,
            })
            .collect());
    }
    let r = cov_to_cor(&covariance(cols, 1), p);
    if let Some(j) = first_dependent(&r, p) {
        return Err(MeasureError::NotPositiveDefinite {
            items: names.to_vec(),
            dependent: names[j].clone(),
        });
    }
    let inv = spd_inverse_checked(&r, p).ok_or_else(|| MeasureError::NotPositiveDefinite {
        items: names.to_vec(),
        dependent: names[p - 1].clone(),
    })?;
    Ok((0..p)
        .map(|j| Vif {
            variable: names[j].clone(),
            vif: inv[j * p + j],
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncorrelated_predictors_have_vif_one() {
        let a = vec![1.0, -1.0, 1.0, -1.0];
        let b = vec![1.0, 1.0, -1.0, -1.0];
        let v = vif(&["a".into(), "b".into()], &[a, b]).unwrap();
        assert!(v.iter().all(|v| (v.vif - 1.0).abs() < 1e-12));
        let e = vif(
            &["a".into(), "b".into()],
            &[vec![1.0, 2.0, 3.0], vec![2.0, 4.0, 6.0]],
        );
        assert!(e.is_err());
    }
}
