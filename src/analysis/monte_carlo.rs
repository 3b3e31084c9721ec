//! The Monte Carlo step: a draw is every equation's coefficient vector drawn, independently,
//! from its estimated sampling distribution N(b, V) (V = L·Lᵀ by Cholesky), and the statistics
//! evaluated on them; standardized effects keep the full sample's scale.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::point::Statistics;
use crate::error::Result;
use crate::estimation::{EquationFit, R2Change};
use crate::inference::Step;

/// The per-draw step of Monte Carlo intervals.
pub(super) struct NormalStep<'a> {
    betas: Vec<Vec<f64>>,
    /// Per equation, the lower Cholesky factor of its covariance (row-major k × k).
    factors: Vec<Vec<f64>>,
    stats: &'a Statistics,
}

impl<'a> NormalStep<'a> {
    /// Fails when a coefficient covariance is not positive definite.
    pub fn new(
        equations: &[(EquationFit, Vec<R2Change>)],
        stats: &'a Statistics,
    ) -> Result<NormalStep<'a>> {
        let factors = equations
            .iter()
            .map(|(f, _)| crate::numeric::matrix::cholesky(&f.cov, f.k()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| crate::Error::Usage("a coefficient covariance is not positive definite; Monte Carlo intervals are not available".into()))?;
        Ok(NormalStep {
            betas: equations.iter().map(|(f, _)| f.estimates()).collect(),
            factors,
            stats,
        })
    }
}

impl Step<Xoshiro256PlusPlus> for NormalStep<'_> {
    type Scratch = Vec<Vec<f64>>;

    fn statistics(&self) -> usize {
        self.stats.draw_len()
    }

    fn scratch(&self) -> Vec<Vec<f64>> {
        self.betas.clone()
    }

    fn draw(
        &self,
        b: &mut Vec<Vec<f64>>,
        rng: &mut Xoshiro256PlusPlus,
        out: &mut [f64],
    ) -> std::result::Result<(), String> {
        for (e, l) in self.factors.iter().enumerate() {
            let beta = &self.betas[e];
            let k = beta.len();
            let z: Vec<f64> = (0..k)
                .map(|_| rng.sample(rand_distr::StandardNormal))
                .collect();
            for i in 0..k {
                b[e][i] = beta[i] + (0..=i).map(|j| l[i * k + j] * z[j]).sum::<f64>();
            }
        }
        let scale = self.stats.standardized.point_scale;
        self.stats.evaluate_draw(b, || scale, out);
        Ok(())
    }
}
