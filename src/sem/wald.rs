//! The Wald test of constraints on a fitted model, as lavaan 0.6-14's `lavTestWald`
//! (lav_test_Wald.R): the constraints are written like the model's `==` rows, with labels and
//! `:=` names (`a1 == a2; b1 == 0; a*b == 0.3`), each taken as r(θ) = lhs − rhs; with R = ∂r/∂θ′
//! at θ̂ (exact, by the forward-mode dual numbers of `nonlinear.rs`; lavaan uses a complex-step
//! derivative, equal to rounding) and V̂ the fit's Var(θ̂) — Huber-White under MLR —
//! W = r′(R V̂ R′)⁻¹r on as many df as constraints, p = P(χ²_df > W) (Wald 1943; Buse 1982).
//! Like lavaan the test does not drop redundant constraints: R V̂ R′ must be invertible.

use serde::Serialize;

use crate::numeric::dist::chisq_p_upper;
use crate::spec::flat::{Constraint, ConstraintOp};
use crate::spec::Expr;

use super::error::SemError;
use super::linalg::{spd_inverse_logdet, Mat};
use super::model::Model;
use super::nonlinear::Constraints;
use super::partable::{EqConstraint, ParTable};
use super::{Estimator, SemFit};

/// lavTestWald's result, with the constraints as written and r(θ̂) of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaldTest {
    pub constraints: Vec<String>,
    /// lhs − rhs of each constraint at θ̂.
    pub values: Vec<f64>,
    pub stat: f64,
    pub df: usize,
    pub pvalue: f64,
    /// The covariance the test used, in lavaan's names ("standard", "robust.huber.white").
    pub se: String,
}

/// What the test needs of a fitted model, one group or several (`groups::GroupedFit`): the
/// parameter table whose labels, plabels and `:=` names the constraints use (for groups the
/// stacked table, so `c(a1, a2)*x` gives a1 in group 1 and a2 in group 2, lavaan's plabels
/// numbered over all groups), every row's value at θ̂, and Var(θ̂) in the table's free indices.
pub struct WaldInput<'a> {
    pub table: &'a ParTable,
    pub values: Vec<f64>,
    pub vcov: &'a Mat,
    pub estimator: Estimator,
}

impl<'a> WaldInput<'a> {
    /// The input of a single-group fit.
    pub fn from_fit(fit: &'a SemFit) -> Result<WaldInput<'a>, SemError> {
        let src = fit.source.as_deref().ok_or_else(|| {
            wald_error("the fit has no parameter table to evaluate the constraints with".into())
        })?;
        Ok(WaldInput {
            table: &src.table,
            values: Model::new(&src.table, &src.sample).row_values(&fit.theta),
            vcov: &fit.vcov,
            estimator: fit.options.estimator,
        })
    }
}

/// Parses `text` (constraints separated by `;` or new lines, lavaan's `constraints =`) and
/// tests them on `fit`.
pub fn wald_text(fit: &SemFit, text: &str) -> Result<WaldTest, crate::Error> {
    Ok(wald(&WaldInput::from_fit(fit)?, &parse(text)?)?)
}

/// The `--wald` text as constraints.
pub fn parse(text: &str) -> Result<Vec<Constraint>, crate::Error> {
    Ok(crate::spec::syntax::parse_constraints(
        "--wald",
        &text.replace(';', "\n"),
    )?)
}

fn wald_error(reason: String) -> SemError {
    SemError::Wald { reason }
}

/// The Wald test of the equality `constraints` (labels, plabels and `:=` names of the fit).
pub fn wald(input: &WaldInput<'_>, constraints: &[Constraint]) -> Result<WaldTest, SemError> {
    if constraints.is_empty() {
        return Err(wald_error(
            "no constraints were given; write them as 'a1 == a2; b1 == 0'".into(),
        ));
    }
    // lavaan drops the model's own == rows and evaluates only the tested ones.
    let mut pt = input.table.clone();
    pt.inequalities.clear();
    pt.equalities = constraints
        .iter()
        .map(|c| as_equality(c, &pt))
        .collect::<Result<_, _>>()?;
    let q = input.vcov.rows;
    let (r, jac) = Constraints::new(&pt)
        .eval_at(&input.values, q)
        .ok_or_else(|| {
            wald_error(
                "a constraint is not finite at the estimate (a log or a division by 0?)".into(),
            )
        })?;
    let rv: Vec<Vec<f64>> = jac.iter().map(|row| input.vcov.mul_vec(row)).collect();
    let k = r.len();
    let mut m = Mat::zeros(k, k);
    for a in 0..k {
        for b in 0..k {
            m[(a, b)] = (0..q).map(|j| rv[a][j] * jac[b][j]).sum();
        }
    }
    let (inv, _) = spd_inverse_logdet(&m).ok_or_else(|| {
        wald_error("the constraints' covariance R V R′ is singular: a constraint repeats another, or names only fixed parameters; drop it".into())
    })?;
    let stat: f64 = r.iter().zip(inv.mul_vec(&r)).map(|(a, b)| a * b).sum();
    Ok(WaldTest {
        constraints: constraints.iter().map(|c| c.text.clone()).collect(),
        values: r,
        stat,
        df: k,
        pvalue: chisq_p_upper(stat, k as f64),
        se: match input.estimator {
            Estimator::Ml => "standard",
            Estimator::Mlr => "robust.huber.white",
        }
        .into(),
    })
}

/// `c` as an equality of the table, its labels checked against the table's labels and `:=`s.
fn as_equality(c: &Constraint, pt: &ParTable) -> Result<EqConstraint, SemError> {
    if c.op != ConstraintOp::Equal {
        return Err(wald_error(format!(
            "'{}' is an inequality; the Wald test takes equalities (==) only",
            c.text
        )));
    }
    let labels = pt.label_map();
    let known = |l: &str| labels.contains_key(l) || pt.defined.iter().any(|d| d.name == l);
    for e in [&c.lhs, &c.rhs] {
        if let Some(l) = unknown_label(e, &known) {
            return Err(SemError::UnknownLabel {
                label: l.to_string(),
                pos: c.pos,
            });
        }
    }
    Ok(EqConstraint {
        lhs: c.lhs.clone(),
        rhs: c.rhs.clone(),
        text: c.text.clone(),
        pos: c.pos,
    })
}

/// The first label of `e` that `known` does not know.
fn unknown_label<'e>(e: &'e Expr, known: &dyn Fn(&str) -> bool) -> Option<&'e str> {
    match e {
        Expr::Num(_) => None,
        Expr::Label(l) => (!known(l)).then_some(l.as_str()),
        Expr::Neg(a) | Expr::Call(_, a) => unknown_label(a, known),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
            unknown_label(a, known).or_else(|| unknown_label(b, known))
        }
    }
}
