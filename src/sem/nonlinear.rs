//! Nonlinear equality (`a*b == 0.1`, `a == b^2`) and inequality (`a > b`, `v > 0`) constraints,
//! as lavaan 0.6-14 fits them once any constraint is not a linear equality
//! (`lav_model_estimate.R`, optimizer "NLMINB.CONSTR"): every constraint, linear ones too, is a
//! function of θ with its Jacobian, and F is minimised over θ by an augmented Lagrangian
//! (`auglag.rs`). Afterwards (`nlminb.constr`'s last lines) an inequality counts as active when
//! its slack lhs − rhs is at most 1e-5; the equalities and the active inequalities form H.
//!
//! - SEs: lavaan inverts the augmented information [[I + H′H, H′], [H, 0]] (with an extra
//!   block 2·diag(λ) that no other block touches, so it leaves the top-left block alone) by
//!   `MASS::ginv` and keeps the top-left block (`lav_model_information_augment_invert`,
//!   lav_model_information.R). With H K = 0 for an orthonormal basis K of H's null space that
//!   block is K(K′IK)⁻¹K′, which `vcov::vcov` computes from the local [`Reparam`] built here.
//! - df: ndat − #free + rank of the equalities' rows of H (`lav_model_test`); inequalities,
//!   active or not, change neither df nor npar.
//!
//! The Jacobian is exact: forward-mode dual numbers through the constraint's expression and
//! the `:=` parameters it names.

use std::collections::HashMap;

use crate::spec::flat::Pos;
use crate::spec::{Expr, Func};

use super::constraints::{independent_rows, null_space, Reparam};
use super::error::SemError;
use super::estimate::Estimate;
use super::model::Model;
use super::partable::ParTable;
use super::sample::SampleStats;

/// lavaan's threshold on lhs − rhs above which an inequality is inactive at the estimate.
const INACTIVE_SLACK: f64 = 1e-5;

/// A value and its gradient in θ.
#[derive(Debug, Clone)]
struct Dual {
    v: f64,
    d: Vec<f64>,
}

impl Dual {
    fn constant(v: f64, q: usize) -> Dual {
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
    fn join(&self, b: &Dual, v: f64, da: f64, db: f64) -> Dual {
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
fn dual(e: &Expr, q: usize, look: &dyn Fn(&str) -> Option<Dual>) -> Option<Dual> {
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

/// The table's constraints as functions of θ: the equalities' lhs − rhs (zero when met), then
/// the inequalities' lhs − rhs (non-negative when met).
pub(super) struct Constraints<'a> {
    pt: &'a ParTable,
    labels: HashMap<&'a str, usize>,
}

impl<'a> Constraints<'a> {
    pub fn new(pt: &'a ParTable) -> Constraints<'a> {
        Constraints {
            pt,
            labels: pt.label_map(),
        }
    }

    pub fn n_eq(&self) -> usize {
        self.pt.equalities.len()
    }

    pub fn len(&self) -> usize {
        self.pt.equalities.len() + self.pt.inequalities.len()
    }

    /// The constraint's text and position in the model, for messages.
    pub fn source(&self, j: usize) -> (&str, Pos) {
        let c = self
            .pt
            .equalities
            .iter()
            .chain(&self.pt.inequalities)
            .nth(j)
            .expect("a constraint index");
        (&c.text, c.pos)
    }

    /// c(θ) and its Jacobian (one row per constraint); `None` when a value is not finite.
    pub fn eval(&self, model: &Model, theta: &[f64]) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
        self.each(model, theta)
            .into_iter()
            .map(|d| d.map(|d| (d.v, d.d)))
            .collect::<Option<Vec<_>>>()
            .map(|pairs| pairs.into_iter().unzip())
    }

    /// The first constraint whose value or gradient is not finite at θ.
    pub fn first_not_finite(&self, model: &Model, theta: &[f64]) -> Option<usize> {
        self.each(model, theta).iter().position(Option::is_none)
    }

    /// Every constraint's lhs − rhs with its gradient, `None` where not finite.
    fn each(&self, model: &Model, theta: &[f64]) -> Vec<Option<Dual>> {
        let q = theta.len();
        let values = model.row_values(theta);
        let row = |i: usize| {
            let mut d = Dual::constant(values[i], q);
            if self.pt.rows[i].free > 0 {
                d.d[self.pt.rows[i].free - 1] = 1.0;
            }
            d
        };
        // Defined parameters in order, each seeing the rows and the earlier ones (partable.rs
        // has checked that every label is known).
        let mut defined: Vec<(&str, Dual)> = Vec::new();
        for def in &self.pt.defined {
            let look = |l: &str| lookup(&self.labels, &defined, l, &row);
            let v = dual(&def.expr, q, &look).unwrap_or_else(|| Dual::constant(f64::NAN, q));
            defined.push((def.name.as_str(), v));
        }
        let look = |l: &str| lookup(&self.labels, &defined, l, &row);
        let finite = |d: &Dual| d.v.is_finite() && d.d.iter().all(|x| x.is_finite());
        self.pt
            .equalities
            .iter()
            .chain(&self.pt.inequalities)
            .map(|con| {
                let (l, r) = (dual(&con.lhs, q, &look)?, dual(&con.rhs, q, &look)?);
                Some(l.join(&r, l.v - r.v, 1.0, -1.0)).filter(finite)
            })
            .collect()
    }
}

fn lookup(
    labels: &HashMap<&str, usize>,
    defined: &[(&str, Dual)],
    l: &str,
    row: &dyn Fn(usize) -> Dual,
) -> Option<Dual> {
    if let Some(&i) = labels.get(l) {
        return Some(row(i));
    }
    defined
        .iter()
        .rev()
        .find(|(n, _)| *n == l)
        .map(|(_, d)| d.clone())
}

/// The estimate under the constraints, the null space of the active constraints' Jacobian
/// there (for `vcov::vcov`), and the rank of the equalities' Jacobian (for df and npar).
pub(super) struct Constrained {
    pub est: Estimate,
    pub re: Reparam,
    pub eq_rank: usize,
}

/// Fits from `start`, then (as lavaan's second attempt) from `simple` when that does not
/// converge.
pub(super) fn estimate(
    model: &Model,
    s: &SampleStats,
    pt: &ParTable,
    start: &[f64],
    simple: &[f64],
) -> Result<Constrained, SemError> {
    let cons = Constraints::new(pt);
    let est = match super::auglag::solve(model, s, &cons, start) {
        Err(SemError::NotConverged { .. }) => super::auglag::solve(model, s, &cons, simple)?,
        other => other?,
    };
    let (re, eq_rank) = active_null_space(&cons, model, &est.theta)?;
    Ok(Constrained { est, re, eq_rank })
}

/// The null space of the Jacobian of the equalities and the active inequalities at θ (the
/// local θ = K z the SEs, the sandwich, the modification indices and the standardized
/// residuals use: lavaan's augmented information keeps exactly these rows of `con.jac`), and
/// the rank of the equalities' Jacobian.
fn active_null_space(
    cons: &Constraints<'_>,
    model: &Model,
    theta: &[f64],
) -> Result<(Reparam, usize), SemError> {
    let (c, jac) = cons
        .eval(model, theta)
        .ok_or_else(|| not_finite(cons, model, theta))?;
    let active: Vec<Vec<f64>> = (0..cons.len())
        .filter(|&j| j < cons.n_eq() || c[j] <= INACTIVE_SLACK)
        .map(|j| jac[j].clone())
        .collect();
    let (rows, basis) = independent_rows(&active);
    let q = theta.len();
    let re = Reparam {
        k: null_space(&basis, q),
        k0: vec![0.0; q],
        rank: rows.len(),
    };
    let eq_rank = independent_rows(&jac[..cons.n_eq()]).0.len();
    Ok((re, eq_rank))
}

/// The directions the table's constraints leave free at θ̂: θ = K z + k₀ for linear
/// equalities (`constraints::reparametrise`), else the null space of the active constraints'
/// Jacobian there (k₀ = 0: only K is used). What every analysis after the fit that inverts an
/// information under the constraints needs (lavaan's `inverted.information`, the top-left block
/// of the augmented inverse).
pub(super) fn reparam_at(pt: &ParTable, model: &Model, theta: &[f64]) -> Result<Reparam, SemError> {
    if !super::constraints::needs_lagrangian(pt, &model.base) {
        return super::constraints::reparametrise(pt, &model.base);
    }
    Ok(active_null_space(&Constraints::new(pt), model, theta)?.0)
}

/// A constraint that cannot be evaluated at θ (a log or root of a negative value).
pub(super) fn not_finite(cons: &Constraints<'_>, model: &Model, theta: &[f64]) -> SemError {
    let (text, pos) = cons.source(cons.first_not_finite(model, theta).unwrap_or(0));
    SemError::InconsistentConstraints {
        text: text.to_string(),
        pos,
    }
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
