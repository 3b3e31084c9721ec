//! Expressions of labels (`:=` definitions, `==` constraints): evaluated from a lookup of label
//! values, and their delta-method variances Var = J V J′ (lavaan's `lav_model_vcov_se`, whose
//! Jacobian is a complex-step derivative). J of the `:=` parameters, and of the constraints
//! (`nonlinear.rs`), is exact: forward-mode dual numbers through the expression tree
//! ([`Dual`]; Griewank & Walther 2008, *Evaluating Derivatives*, ch. 3). The standardized
//! values, functions of θ through the implied moments, take central differences
//! ([`jacobian`]).

use std::collections::HashMap;

use crate::spec::{Expr, Func};

use super::partable::ParTable;

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

/// A value and its gradient in θ.
#[derive(Debug, Clone)]
pub(super) struct Dual {
    pub v: f64,
    pub d: Vec<f64>,
}

impl Dual {
    pub fn constant(v: f64, q: usize) -> Dual {
        Dual { v, d: vec![0.0; q] }
    }

    /// f(self) with value `v` and derivative `slope`.
    fn chain(&self, v: f64, slope: f64) -> Dual {
        let d = if slope == 0.0 {
            vec![0.0; self.d.len()]
        } else {
            self.d.iter().map(|x| x * slope).collect()
        };
        Dual { v, d }
    }

    /// f(self, b) with value `v` and partial derivatives `da`, `db`.
    pub fn join(&self, b: &Dual, v: f64, da: f64, db: f64) -> Dual {
        let d = self
            .d
            .iter()
            .zip(&b.d)
            .map(|(x, y)| {
                // A zero partial contributes nothing even where the other factor is not finite.
                let x = if da == 0.0 { 0.0 } else { da * x };
                let y = if db == 0.0 { 0.0 } else { db * y };
                x + y
            })
            .collect();
        Dual { v, d }
    }

    fn is_constant(&self) -> bool {
        self.d.iter().all(|x| *x == 0.0)
    }
}

/// `e` and its gradient, labels looked up by `look`.
pub(super) fn dual(e: &Expr, q: usize, look: &dyn Fn(&str) -> Option<Dual>) -> Option<Dual> {
    let two = |a: &Expr, b: &Expr| Some((dual(a, q, look)?, dual(b, q, look)?));
    Some(match e {
        Expr::Num(v) => Dual::constant(*v, q),
        Expr::Label(l) => look(l)?,
        Expr::Neg(a) => {
            let a = dual(a, q, look)?;
            a.chain(-a.v, -1.0)
        }
        Expr::Add(a, b) => {
            let (a, b) = two(a, b)?;
            a.join(&b, a.v + b.v, 1.0, 1.0)
        }
        Expr::Sub(a, b) => {
            let (a, b) = two(a, b)?;
            a.join(&b, a.v - b.v, 1.0, -1.0)
        }
        Expr::Mul(a, b) => {
            let (a, b) = two(a, b)?;
            a.join(&b, a.v * b.v, b.v, a.v)
        }
        Expr::Div(a, b) => {
            let (a, b) = two(a, b)?;
            a.join(&b, a.v / b.v, 1.0 / b.v, -a.v / (b.v * b.v))
        }
        Expr::Pow(a, b) => {
            let (a, b) = two(a, b)?;
            let v = a.v.powf(b.v);
            let db = if b.is_constant() { 0.0 } else { v * a.v.ln() };
            a.join(&b, v, b.v * a.v.powf(b.v - 1.0), db)
        }
        Expr::Call(f, a) => {
            let a = dual(a, q, look)?;
            let (v, slope) = match f {
                Func::Exp => (a.v.exp(), a.v.exp()),
                Func::Log => (a.v.ln(), 1.0 / a.v),
                Func::Sqrt => (a.v.sqrt(), 0.5 / a.v.sqrt()),
                Func::Abs => (a.v.abs(), a.v.signum()),
            };
            a.chain(v, slope)
        }
    })
}

/// The `:=` parameters at the row values `values` with their gradients in θ (q free
/// parameters), in order, each seeing the rows and the earlier ones (partable.rs has checked
/// that every label is known); one that cannot be evaluated is NaN.
pub(super) fn defined_duals<'p>(
    pt: &'p ParTable,
    labels: &HashMap<&str, usize>,
    values: &[f64],
    q: usize,
) -> Vec<(&'p str, Dual)> {
    let mut defined: Vec<(&str, Dual)> = Vec::new();
    for def in &pt.defined {
        let look = |l: &str| lookup(pt, labels, &defined, values, l, q);
        let v = dual(&def.expr, q, &look).unwrap_or_else(|| Dual::constant(f64::NAN, q));
        defined.push((def.name.as_str(), v));
    }
    defined
}

/// A label as a dual in θ (q free parameters): a row's value, seeded with its free
/// parameter's unit vector, else an earlier `:=` parameter.
pub(super) fn lookup(
    pt: &ParTable,
    labels: &HashMap<&str, usize>,
    defined: &[(&str, Dual)],
    values: &[f64],
    l: &str,
    q: usize,
) -> Option<Dual> {
    if let Some(&i) = labels.get(l) {
        let mut d = Dual::constant(values[i], q);
        if pt.rows[i].free > 0 {
            d.d[pt.rows[i].free - 1] = 1.0;
        }
        return Some(d);
    }
    defined
        .iter()
        .rev()
        .find(|(n, _)| *n == l)
        .map(|(_, d)| d.clone())
}

/// The `:=` parameters at the row values `values` and their exact Jacobian in θ (q free
/// parameters): what their delta-method SEs need.
pub(super) fn defined_jacobian(
    pt: &ParTable,
    values: &[f64],
    q: usize,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    defined_duals(pt, &pt.label_map(), values, q)
        .into_iter()
        .map(|(_, d)| (d.v, d.d))
        .unzip()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: f64, d: &[f64]) -> Dual {
        Dual { v, d: d.to_vec() }
    }

    #[test]
    fn dual_gradients_match_the_calculus() {
        let text = "y ~ a*x + b*w\nd := exp(a) * b^2 / sqrt(a) - log(b) + abs(-a)";
        let flat = crate::spec::syntax::parse_flat("t", text).expect("parses");
        let e = flat.defined[0].expr.clone();
        let look = |l: &str| match l {
            "a" => Some(d(0.7, &[1.0, 0.0])),
            "b" => Some(d(1.3, &[0.0, 1.0])),
            _ => None,
        };
        let got = dual(&e, 2, &look).expect("finite");
        let f = |a: f64, b: f64| a.exp() * b * b / a.sqrt() - b.ln() + a;
        let h = 1e-6;
        let da = (f(0.7 + h, 1.3) - f(0.7 - h, 1.3)) / (2.0 * h);
        let db = (f(0.7, 1.3 + h) - f(0.7, 1.3 - h)) / (2.0 * h);
        assert!((got.v - f(0.7, 1.3)).abs() < 1e-14);
        assert!((got.d[0] - da).abs() < 1e-8, "{} vs {da}", got.d[0]);
        assert!((got.d[1] - db).abs() < 1e-8, "{} vs {db}", got.d[1]);
    }
}
