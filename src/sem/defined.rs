//! Expressions of labels (`:=` definitions, `==` constraints): evaluated from a lookup of label
//! values, and their delta-method variances Var = J V J′ (lavaan's `lav_model_vcov_se`, whose
//! Jacobian is a complex-step derivative; a central difference agrees to ~1e-10 here).

use crate::spec::Expr;

/// The value of `e` with labels looked up by `value`; `None` for an unknown label.
pub fn eval(e: &Expr, value: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
    Some(match e {
        Expr::Num(v) => *v,
        Expr::Label(l) => value(l)?,
        Expr::Neg(a) => -eval(a, value)?,
        Expr::Add(a, b) => eval(a, value)? + eval(b, value)?,
        Expr::Sub(a, b) => eval(a, value)? - eval(b, value)?,
        Expr::Mul(a, b) => eval(a, value)? * eval(b, value)?,
        Expr::Div(a, b) => eval(a, value)? / eval(b, value)?,
        Expr::Pow(a, b) => eval(a, value)?.powf(eval(b, value)?),
        Expr::Call(f, a) => f.apply(eval(a, value)?),
    })
}

/// The Jacobian (rows × θ) of a vector function of θ by central differences with a step
/// relative to each coordinate.
pub fn jacobian(f: &dyn Fn(&[f64]) -> Vec<f64>, theta: &[f64]) -> Vec<Vec<f64>> {
    let q = theta.len();
    let rows = f(theta).len();
    let mut jac = vec![vec![0.0; q]; rows];
    let mut x = theta.to_vec();
    for k in 0..q {
        let h = 1e-6 * theta[k].abs().max(1.0);
        x[k] = theta[k] + h;
        let up = f(&x);
        x[k] = theta[k] - h;
        let down = f(&x);
        x[k] = theta[k];
        for r in 0..rows {
            let d = (up[r] - down[r]) / (2.0 * h);
            // A quantity that does not depend on θ_k (a standardized fixed value) gives only
            // rounding noise (~1e-11); lavaan's complex-step derivative gives exactly 0.
            jac[r][k] = if d.abs() < 1e-9 { 0.0 } else { d };
        }
    }
    jac
}

/// diag(J V J′) for a q × q row-major covariance `v`.
pub fn delta_variances(jac: &[Vec<f64>], v: &super::linalg::Mat) -> Vec<f64> {
    jac.iter()
        .map(|row| {
            let vr = v.mul_vec(row);
            row.iter().zip(&vr).map(|(a, b)| a * b).sum()
        })
        .collect()
}
