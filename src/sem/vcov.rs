//! Stage 7: information and covariance of the estimates. Standard ML uses the expected
//! information at the structured moments (lavaan's `information = "expected"`,
//! `h1.information = "structured"`), I = Δ′A1Δ per observation, and Var(θ̂) = I⁻¹/N. Under
//! equality constraints lavaan inverts the augmented matrix [[I + H′H, H′], [H, 0]] and keeps its
//! top-left block; with H K = 0 that block equals K(K′IK)⁻¹K′, which is what is computed here.
//! A singular K′IK means the model is not identified (at these data): a typed error names the
//! parameters in the null direction.

use super::constraints::Reparam;
use super::error::SemError;
use super::gradient::{delta, expected_information, gradient};
use super::linalg::{spd_inverse_logdet, symmetric_eigen, Mat};
use super::model::Model;
use super::objective::f_ml;
use super::sample::SampleStats;

/// Which information matrix the standard errors use (lavaan's `information`): expected for
/// ML; observed (the Hessian) for MLR, FIML and the bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Information {
    Expected,
    Observed,
}

/// A scaled eigenvalue below this (smallest over largest of the unit-diagonal K′IK) counts as
/// singular. The golden models sit above 1e-3; a model identified only through a near-zero
/// correlation sits near 1e-9 and its estimates are arbitrary along that direction.
const SINGULAR: f64 = 1e-9;

/// The unit information (q × q, of fmin = F/2) at θ.
pub fn information(
    model: &Model,
    s: &SampleStats,
    theta: &[f64],
    kind: Information,
) -> Option<Mat> {
    match kind {
        Information::Expected => {
            let (m, imp) = model.implied(theta)?;
            let (_, inv) = f_ml(&imp, s, model.meanstructure)?;
            let d = delta(model, &m, &imp);
            Some(expected_information(&d, &inv, model.meanstructure))
        }
        Information::Observed => observed_information(model, s, theta),
    }
}

/// ∂fmin/∂θ (half the gradient of F).
fn half_gradient(model: &Model, s: &SampleStats, theta: &[f64]) -> Option<Vec<f64>> {
    let (m, imp) = model.implied(theta)?;
    let (_, inv) = f_ml(&imp, s, model.meanstructure)?;
    let d = delta(model, &m, &imp);
    let g = gradient(&d, &imp, &inv, s, model.meanstructure);
    Some(g.iter().map(|v| v / 2.0).collect())
}

/// lavaan's observed information (`lav_model_hessian`): the Hessian of fmin by a 5-point
/// central difference of the analytic gradient with absolute step 1e-6, symmetrised.
pub fn observed_information(model: &Model, s: &SampleStats, theta: &[f64]) -> Option<Mat> {
    hessian_5point(theta, &|t: &[f64]| half_gradient(model, s, t))
}

/// The Hessian of a function from its gradient `grad` at θ as `lav_model_hessian` takes it:
/// (g(θ−2h) − 8g(θ−h) + 8g(θ+h) − g(θ+2h))/(12h) per coordinate, h = 1e-6, symmetrised.
pub fn hessian_5point(theta: &[f64], grad: &dyn Fn(&[f64]) -> Option<Vec<f64>>) -> Option<Mat> {
    let q = theta.len();
    let h = 1e-6;
    let mut hess = Mat::zeros(q, q);
    let mut x = theta.to_vec();
    for j in 0..q {
        let mut at = |t: f64| -> Option<Vec<f64>> {
            x[j] = theta[j] + t;
            let g = grad(&x);
            x[j] = theta[j];
            g
        };
        let (g1, g2, g3, g4) = (at(-2.0 * h)?, at(-h)?, at(h)?, at(2.0 * h)?);
        for i in 0..q {
            hess[(i, j)] = (g1[i] - 8.0 * g2[i] + 8.0 * g3[i] - g4[i]) / (12.0 * h);
        }
    }
    Some(hess.add(&hess.t()).scale(0.5))
}

/// Var(θ̂) = K(K′IK)⁻¹K′/N, or the identification error.
pub fn vcov(
    info: &Mat,
    re: &Reparam,
    n: f64,
    names: &dyn Fn(usize) -> String,
) -> Result<Mat, SemError> {
    let kik = re.k.t().mul(info).mul(&re.k);
    let r = kik.rows;
    let d: Vec<f64> = (0..r)
        .map(|i| kik[(i, i)].abs().sqrt().max(f64::MIN_POSITIVE))
        .collect();
    let mut scaled = kik.clone();
    for i in 0..r {
        for j in 0..r {
            scaled[(i, j)] /= d[i] * d[j];
        }
    }
    let (vals, vecs) = symmetric_eigen(&scaled);
    let (lo, hi) = (
        vals.first().copied().unwrap_or(1.0),
        vals.last().copied().unwrap_or(1.0),
    );
    if r > 0 && (lo.is_nan() || lo <= SINGULAR * hi) {
        // Every null direction in θ (K times the unscaled eigenvector) names the parameters
        // that move along it.
        let mut parameters: Vec<String> = Vec::new();
        for (c, val) in vals.iter().enumerate() {
            if *val > SINGULAR * hi {
                continue;
            }
            let u: Vec<f64> = (0..r).map(|i| vecs[(i, c)] / d[i]).collect();
            let v = re.k.mul_vec(&u);
            let top = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for k in (0..v.len()).filter(|&k| v[k].abs() > 0.1 * top) {
                let name = names(k);
                if !parameters.contains(&name) {
                    parameters.push(name);
                }
            }
        }
        return Err(SemError::Unidentified { parameters });
    }
    let (inv, _) = spd_inverse_logdet(&kik).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(the information matrix is not positive definite)".into()],
    })?;
    Ok(re.k.mul(&inv).mul(&re.k.t()).scale(1.0 / n))
}
