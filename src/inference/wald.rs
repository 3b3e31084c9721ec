use serde::Serialize;

use crate::numeric::dist::f_p_upper;
use crate::numeric::matrix::{spd_inverse, submatrix};

/// A Wald F test that a set of coefficients is jointly zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaldTest {
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
}

/// `F = b_Sᵀ V_S⁻¹ b_S / q` for the coefficients at `idx`, with `df2` denominator degrees of
/// freedom. With the classical covariance this equals the F test of R² change for those terms.
/// Returns `None` when `V_S` is not positive definite.
pub fn wald_f(coef: &[f64], cov: &[f64], idx: &[usize], df2: f64) -> Option<WaldTest> {
    let k = coef.len();
    let q = idx.len();
    if q == 0 {
        return None;
    }
    let v = submatrix(cov, k, idx);
    let vinv = spd_inverse(&v, q)?;
    let b: Vec<f64> = idx.iter().map(|&i| coef[i]).collect();
    let f = crate::numeric::matrix::quad_form(&vinv, &b) / q as f64;
    Some(WaldTest {
        f,
        df1: q as f64,
        df2,
        p: f_p_upper(f, q as f64, df2),
    })
}
