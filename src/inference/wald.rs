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

/// `F = (Lb)ᵀ (L V Lᵀ)⁻¹ (Lb) / q` for the `q` linear combinations in the rows of `l` (each of
/// length k): the Wald test that they are jointly zero (Greene, *Econometric Analysis*, 7th ed.,
/// eq. 5-23 divided by q). With `l` selecting coefficients this is [`wald_f`]. Returns `None`
/// when `L V Lᵀ` is not positive definite.
pub fn wald_f_rows(coef: &[f64], cov: &[f64], l: &[Vec<f64>], df2: f64) -> Option<WaldTest> {
    let k = coef.len();
    let q = l.len();
    if q == 0 || l.iter().any(|r| r.len() != k) {
        return None;
    }
    let lb: Vec<f64> = l
        .iter()
        .map(|r| r.iter().zip(coef).map(|(a, b)| a * b).sum())
        .collect();
    let mut lvl = vec![0.0; q * q];
    for (i, ri) in l.iter().enumerate() {
        let vri: Vec<f64> = (0..k)
            .map(|a| (0..k).map(|b| cov[a * k + b] * ri[b]).sum())
            .collect();
        for (j, rj) in l.iter().enumerate() {
            lvl[i * q + j] = rj.iter().zip(&vri).map(|(a, b)| a * b).sum();
        }
    }
    let inv = spd_inverse(&lvl, q)?;
    let f = crate::numeric::matrix::quad_form(&inv, &lb) / q as f64;
    Some(WaldTest {
        f,
        df1: q as f64,
        df2,
        p: f_p_upper(f, q as f64, df2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows that select coefficients give the coefficient test.
    #[test]
    fn rows_selecting_coefficients_match_the_subset_test() {
        let coef = [1.0, 0.5, -0.3];
        let cov = [0.4, 0.1, 0.0, 0.1, 0.3, 0.05, 0.0, 0.05, 0.2];
        let a = wald_f(&coef, &cov, &[1, 2], 50.0).unwrap();
        let l = vec![vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0]];
        let b = wald_f_rows(&coef, &cov, &l, 50.0).unwrap();
        assert!((a.f - b.f).abs() < 1e-12 && (a.p - b.p).abs() < 1e-12);
        assert_eq!(b.df1, 2.0);
        // One row: F is the squared t of l'b.
        let r = vec![vec![0.0, 1.0, 2.0]];
        let t = (0.5 - 0.6) / (0.3f64 + 4.0 * 0.05 + 4.0 * 0.2).sqrt();
        let c = wald_f_rows(&coef, &cov, &r, 50.0).unwrap();
        assert!((c.f - t * t).abs() < 1e-12);
    }
}
