//! Stage 5a: the implied moments (`computeSigmaHat`, `computeMuHat.LISREL`):
//! Σ = Λ(I−B)⁻¹Ψ(I−B)⁻ᵀΛ′ + Θ and μ = ν + Λ(I−B)⁻¹α, keeping the intermediate products the
//! derivatives reuse.

use super::linalg::{inverse, Mat};
use super::matrices::Matrices;

/// Σ(θ), μ(θ) and the products they are built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Implied {
    pub sigma: Mat,
    pub mu: Vec<f64>,
    /// (I − B)⁻¹.
    pub ib: Mat,
    /// Λ(I − B)⁻¹ (p × m).
    pub lambda_ib: Mat,
    /// V(η) = (I − B)⁻¹Ψ(I − B)⁻ᵀ, the latent (total) covariance (lavaan's `computeVETA`).
    pub veta: Mat,
    /// E(η) = (I − B)⁻¹α.
    pub eta_mean: Vec<f64>,
}

/// The implied moments, or `None` when I − B is singular.
pub fn implied(m: &Matrices) -> Option<Implied> {
    let k = m.beta.rows;
    let ib = inverse(&Mat::identity(k).sub(&m.beta))?;
    let veta = ib.mul(&m.psi).mul(&ib.t());
    let lambda_ib = m.lambda.mul(&ib);
    let sigma = m.lambda.mul(&veta).mul(&m.lambda.t()).add(&m.theta);
    let eta_mean = ib.mul_vec(&m.alpha);
    let lm = m.lambda.mul_vec(&eta_mean);
    let mu = m.nu.iter().zip(&lm).map(|(a, b)| a + b).collect();
    Some(Implied {
        sigma,
        mu,
        ib,
        lambda_ib,
        veta,
        eta_mean,
    })
}
