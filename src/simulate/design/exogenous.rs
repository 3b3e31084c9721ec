//! Builder stage for the correlations of the exogenous nodes (drawn jointly normal).

use super::builder::Builder;
use crate::simulate::SimulateError;

impl Builder {
    /// The exogenous nodes in node order and their correlation matrix (row-major), identity
    /// except for the pairs written; it must be positive definite to be drawn from.
    pub(super) fn correlations(
        &self,
        written: &[(String, String, f64)],
    ) -> Result<(Vec<usize>, Vec<f64>), SimulateError> {
        let exogenous: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.is_exogenous(i))
            .collect();
        let k = exogenous.len();
        let mut correlation = vec![0.0; k * k];
        for i in 0..k {
            correlation[i * k + i] = 1.0;
        }
        for (a, b, r) in written {
            let (ia, ib) = (
                self.lookup(a, "correlations")?,
                self.lookup(b, "correlations")?,
            );
            let pa = exogenous.iter().position(|&x| x == ia);
            let pb = exogenous.iter().position(|&x| x == ib);
            let (Some(pa), Some(pb)) = (pa, pb) else {
                return Err(self.invalid(format!(
                    "correlation ({a}, {b}): both must be exogenous (a construct without an equation, a variable or a categorical)"
                )));
            };
            if pa == pb || r.is_nan() || r.abs() >= 1.0 {
                return Err(self.invalid(format!(
                    "correlation ({a}, {b}, {r}): needs two variables and |r| < 1"
                )));
            }
            correlation[pa * k + pb] = *r;
            correlation[pb * k + pa] = *r;
        }
        if k > 0 && crate::numeric::matrix::cholesky(&correlation, k).is_none() {
            return Err(self.invalid(
                "the correlations of the exogenous variables do not form a positive-definite matrix; lower some of them",
            ));
        }
        Ok((exogenous, correlation))
    }
}
