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
///
/// The identification test asks whether the smallest eigenvalue of the unit-diagonal
/// A = D⁻¹(K′IK)D⁻¹ exceeds `SINGULAR` times its largest. The Cholesky factor that inverts K′IK
/// decides that without eigenvectors in the usual case (`identified_by_cholesky`); the Jacobi
/// eigen-decomposition runs only when that bound is inconclusive or the factorisation fails,
/// and it alone names the parameters of a null direction, so the decisions are the same.
pub fn vcov(
    info: &Mat,
    re: &Reparam,
    n: f64,
    names: &dyn Fn(usize) -> String,
) -> Result<Mat, SemError> {
    let kik = re.k.t().mul(info).mul(&re.k);
    let d: Vec<f64> = (0..kik.rows)
        .map(|i| kik[(i, i)].abs().sqrt().max(f64::MIN_POSITIVE))
        .collect();
    let inv = match spd_inverse_logdet(&kik) {
        Some((inv, _)) if identified_by_cholesky(&inv, &d) => inv,
        _ => by_eigen(&kik, &d, re, names)?,
    };
    Ok(re.k.mul(&inv).mul(&re.k.t()).scale(1.0 / n))
}

/// A sufficient condition for λ_min(A) > SINGULAR·λ_max(A), A = D⁻¹(K′IK)D⁻¹ with unit
/// diagonal, from (K′IK)⁻¹: λ_min(A) ≥ 1/tr(A⁻¹) (every eigenvalue of A⁻¹ is at most its trace)
/// and λ_max(A) ≤ tr(A) = r, so 1/tr(A⁻¹) > SINGULAR·r proves the check passes; A⁻¹ =
/// D(K′IK)⁻¹D gives tr(A⁻¹) = Σ dᵢ²·(K′IK)⁻¹ᵢᵢ. Golub & Van Loan (2013), §2.4 and §8.1 (trace
/// and eigenvalue bounds of a symmetric positive-definite matrix). `false` means inconclusive.
fn identified_by_cholesky(inv: &Mat, d: &[f64]) -> bool {
    let r = inv.rows;
    let trace: f64 = (0..r).map(|i| d[i] * d[i] * inv[(i, i)]).sum();
    trace.is_finite() && trace > 0.0 && 1.0 / trace > SINGULAR * r as f64
}

/// The eigenvalue test on A (see `vcov`): the identification error naming the parameters of
/// every null direction, or (K′IK)⁻¹ when the model is identified.
fn by_eigen(
    kik: &Mat,
    d: &[f64],
    re: &Reparam,
    names: &dyn Fn(usize) -> String,
) -> Result<Mat, SemError> {
    let r = kik.rows;
    // A coordinate without information (a zero or non-finite diagonal of K′IK) is a null
    // direction by itself, and D⁻¹ cannot scale it (A's eigenvalues would be NaN and name no
    // parameter): it is named directly. Such a K′IK never reaches here identified (its
    // Cholesky factor fails), so the decision is unchanged.
    let blind: Vec<usize> = (0..r)
        .filter(|&i| kik[(i, i)] == 0.0 || !kik[(i, i)].is_finite())
        .collect();
    if !blind.is_empty() {
        let mut parameters = Vec::new();
        for &c in &blind {
            let e: Vec<f64> = (0..r).map(|i| f64::from(u8::from(i == c))).collect();
            name_direction(&re.k.mul_vec(&e), names, &mut parameters);
        }
        return Err(SemError::Unidentified { parameters });
    }
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
            name_direction(&re.k.mul_vec(&u), names, &mut parameters);
        }
        if parameters.is_empty() {
            // NaN off the diagonal leaves no eigenvector to name a parameter by.
            parameters.push("(the information matrix has entries that are not numbers)".into());
        }
        return Err(SemError::Unidentified { parameters });
    }
    let (inv, _) = spd_inverse_logdet(kik).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(the information matrix is not positive definite)".into()],
    })?;
    Ok(inv)
}

/// Adds the parameters that move along the direction `v` in θ (its entries above a tenth of
/// the largest) to `parameters`, once each.
fn name_direction(v: &[f64], names: &dyn Fn(usize) -> String, parameters: &mut Vec<String>) {
    let top = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    for k in (0..v.len()).filter(|&k| v[k].abs() > 0.1 * top) {
        let name = names(k);
        if !parameters.contains(&name) {
            parameters.push(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity_reparam(q: usize) -> Reparam {
        Reparam {
            k: Mat::identity(q),
            k0: vec![0.0; q],
            rank: 0,
        }
    }

    /// A unit-diagonal 3 × 3 matrix with smallest eigenvalue `lo` (others 1 and 2 − lo) in a
    /// rotated basis, scaled by `s` per row and column.
    fn with_smallest(lo: f64, s: [f64; 3]) -> Mat {
        let c = 1.0 - lo;
        let a = Mat::from_rows(3, 3, vec![1.0, c, 0.0, c, 1.0, 0.0, 0.0, 0.0, 1.0]);
        let mut m = a.clone();
        for i in 0..3 {
            for j in 0..3 {
                m[(i, j)] = a[(i, j)] * s[i] * s[j];
            }
        }
        m
    }

    #[test]
    fn the_cholesky_bound_and_the_eigen_test_agree() {
        let names = |k: usize| format!("p{k}");
        let re = identity_reparam(3);
        let scales = [0.5, 0.8, 30.0];
        // Well identified: decided by the bound, Var = I⁻¹/N.
        let info = with_smallest(0.2, scales);
        let v = vcov(&info, &re, 10.0, &names).unwrap();
        let (inv, _) = spd_inverse_logdet(&info).unwrap();
        let d: Vec<f64> = scales.to_vec();
        assert!(identified_by_cholesky(&inv, &d));
        assert!(v
            .data
            .iter()
            .zip(&inv.data)
            .all(|(a, b)| (a - b / 10.0).abs() <= 1e-15 * b.abs()));
        // Between the bound and the threshold: inconclusive bound, the eigen test passes it.
        let info = with_smallest(2.5e-9, scales);
        let (inv, _) = spd_inverse_logdet(&info).unwrap();
        assert!(!identified_by_cholesky(&inv, &d));
        assert!(vcov(&info, &re, 10.0, &names).is_ok());
        // Below the threshold (positive definite all the same): the eigen test names p0, p1.
        let info = with_smallest(1e-11, scales);
        match vcov(&info, &re, 10.0, &names) {
            Err(SemError::Unidentified { parameters }) => assert_eq!(parameters, ["p0", "p1"]),
            other => panic!("{other:?}"),
        }
    }
}
