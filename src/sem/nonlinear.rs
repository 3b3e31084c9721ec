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
//! The Jacobian is exact: forward-mode dual numbers (`defined.rs`) through the constraint's
//! expression and the `:=` parameters it names.

use std::collections::HashMap;

use crate::spec::flat::Pos;

use super::constraints::{independent_rows, null_space, Reparam};
use super::defined::{defined_duals, dual, lookup, Dual};
use super::error::SemError;
use super::estimate::Estimate;
use super::model::Model;
use super::partable::ParTable;
use super::sample::SampleStats;

/// lavaan's threshold on lhs − rhs above which an inequality is inactive at the estimate.
const INACTIVE_SLACK: f64 = 1e-5;

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
            .expect("j < len(): the augmented Lagrangian runs only for a table with constraints");
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

    /// c and its Jacobian at the row values `values` of q free parameters (a fit's θ̂ spread
    /// over its rows), for a table that no one `Model` covers (groups, `wald.rs`).
    pub fn eval_at(&self, values: &[f64], q: usize) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
        self.each_at(values, q)
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
        self.each_at(&model.row_values(theta), theta.len())
    }

    fn each_at(&self, values: &[f64], q: usize) -> Vec<Option<Dual>> {
        let defined = defined_duals(self.pt, &self.labels, values, q);
        let look = |l: &str| lookup(self.pt, &self.labels, &defined, values, l, q);
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
