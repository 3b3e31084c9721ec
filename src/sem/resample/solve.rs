//! The refit of one draw: quasi-Newton (BFGS) steps in z of θ = K z + k₀ from θ̂, whose inverse
//! Hessian starts at the full sample's (Nocedal & Wright 2006, Alg. 6.1; the draw's Hessian
//! differs from it by O(n^−½), so the first steps are nearly Newton steps and BFGS's updates do
//! the rest). A draw costs a few gradient evaluations instead of the general search's expected
//! information and differenced Hessian at every iteration (`estimate.rs`), which stays the
//! fallback when these steps do not converge. Convergence is the engine's: |∂F/∂z|∞ < 1e-10.

use super::super::constraints::Reparam;
use super::super::estimate::{self, bfgs_update, line_search, max_abs, GRADIENT_TOL};
use super::super::gradient::gradient_direct;
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::model::Model;
use super::super::objective::f_ml;
use super::super::sample::SampleStats;

/// Iterations before the general search takes over.
const MAX_STEPS: usize = 100;
/// Below this gradient a change of F is at its rounding level, so steps are judged by the
/// gradient instead (as `estimate.rs` does).
const NEAR: f64 = 1e-5;
/// A search that stalls with a gradient below this has reached the rounding floor of F.
const STALL_TOL: f64 = 1e-7;

/// F and ∂F/∂z of one draw.
pub(super) struct Objective<'a> {
    pub model: &'a Model,
    pub s: &'a SampleStats,
    pub re: &'a Reparam,
}

impl estimate::Objective for Objective<'_> {
    fn f(&self, z: &[f64]) -> Option<f64> {
        let (_, imp) = self.model.implied(&self.re.theta(z))?;
        f_ml(&imp, self.s, self.model.meanstructure).map(|(f, _)| f)
    }

    fn fg(&self, z: &[f64]) -> Option<(f64, Vec<f64>)> {
        let (m, imp) = self.model.implied(&self.re.theta(z))?;
        let (f, inv) = f_ml(&imp, self.s, self.model.meanstructure)?;
        let g = gradient_direct(self.model, &m, &imp, &inv, self.s);
        Some((f, self.re.k.t_mul_vec(&g)))
    }

    /// Quasi-Newton steps from θ̂ are mostly taken whole, so the gradient a trial point needs
    /// next is formed with its F (Σ and Σ⁻¹ are not built twice).
    fn trial(&self, z: &[f64], _: bool) -> Option<(f64, Option<Vec<f64>>)> {
        self.fg(z).map(|(f, g)| (f, Some(g)))
    }
}

impl Objective<'_> {
    /// The inverse of ∂²F/∂z∂z′ at z, if it is positive definite.
    pub fn inverse_hessian(&self, z: &[f64]) -> Option<Mat> {
        inverse_hessian(self, z)
    }
}

/// The inverse of ∂²F/∂z∂z′ of any objective (one group's or the groups' weighted F) at z by
/// central differences of its analytic gradient, if it is positive definite.
pub(in crate::sem) fn inverse_hessian(ob: &impl estimate::Objective, z: &[f64]) -> Option<Mat> {
    let r = z.len();
    let mut h = Mat::zeros(r, r);
    let mut x = z.to_vec();
    for j in 0..r {
        let step = 1e-6 * z[j].abs().max(1.0);
        x[j] = z[j] + step;
        let up = ob.fg(&x)?.1;
        x[j] = z[j] - step;
        let down = ob.fg(&x)?.1;
        x[j] = z[j];
        for i in 0..r {
            h[(i, j)] = (up[i] - down[i]) / (2.0 * step);
        }
    }
    spd_inverse_logdet(&h.add(&h.t()).scale(0.5)).map(|(inv, _)| inv)
}

/// The minimum of F from z0 with the starting inverse Hessian `h0`: (z, F), or `None` when the
/// steps do not converge (the caller then runs the general search).
pub(in crate::sem) fn minimise(
    ob: &impl estimate::Objective,
    z0: &[f64],
    h0: &Mat,
) -> Option<(Vec<f64>, f64)> {
    let mut z = z0.to_vec();
    let (mut f, mut g) = ob.fg(&z)?;
    let mut h = h0.clone();
    for _ in 0..MAX_STEPS {
        let gmax = max_abs(&g);
        if gmax < GRADIENT_TOL {
            return Some((z, f));
        }
        let dir = h.mul_vec(&g);
        let near = (gmax < NEAR).then_some(gmax);
        let Some((next, known)) = line_search(ob, &z, (f, &g), &dir, near) else {
            return (gmax < STALL_TOL).then_some((z, f));
        };
        let (f1, g1) = match known {
            Some(fg) => fg,
            None => ob.fg(&next)?,
        };
        let s: Vec<f64> = next.iter().zip(&z).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g1.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 0.0 {
            bfgs_update(&mut h, &s, &y, sy);
        }
        (z, f, g) = (next, f1, g1);
    }
    None
}
