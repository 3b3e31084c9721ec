//! PROCESS's counterfactual form of model 4 (`xmint`): one mediator, an X×M product in Y's
//! equation, and the natural and controlled direct and indirect effects of
//! [`crate::effects::counterfactual_effects`] in place of model 74's conditional effects.
//!
//! - `resolve` (end of stage 1): the two values of X compared and M's value for the controlled
//!   direct effect, by PROCESS's rules (PROCESS for SPSS/R, `xrefval` and `cdeval`): a
//!   dichotomous X compares its two values unless told otherwise; a continuous X needs a
//!   reference value, and the counterfactual value defaults to the reference + 1; the controlled
//!   direct effect holds M at its mean unless `cdeval` says otherwise. The covariates enter
//!   M̂ at their sample means, as PROCESS's do.
//! - `apply` (after stage 3a): X is probed at the two values (the conditional effects of M on Y
//!   that PROCESS prints), and the plan's effects become the counterfactual ones.

use super::plan::{design_columns, Planned};
use super::{AnalysisOptions, Counterfactual, Xmint};
use crate::data::Dataset;
use crate::effects::{counterfactual_effects, CounterfactualModel, EqShape};
use crate::error::Result;
use crate::estimation::{Design, EquationFit, R2Change};
use crate::spec::ModelSpec;

fn usage<T>(message: String) -> Result<T> {
    Err(crate::Error::Usage(message))
}

/// Options that do not go with `xmint`.
pub(super) fn check_options(opts: &AnalysisOptions) -> Result<()> {
    if opts.xmint.is_none() {
        return Ok(());
    }
    for (on, flag) in [
        (opts.contrasts, "--contrast"),
        (opts.effsize, "--effsize"),
        (opts.normal, "--normal"),
    ] {
        if on {
            return usage(format!(
                "{flag} is not defined for the counterfactual effects of --xmint (PROCESS prints none); drop it"
            ));
        }
    }
    Ok(())
}

/// The counterfactual settings resolved on the analysed rows `sub`, or an error naming what to
/// change. `designs` are the equations' designs, in the spec's order.
pub(super) fn resolve(
    sub: &Dataset,
    designs: &[Design],
    spec: &ModelSpec,
    y_logistic: bool,
    xmint: &Xmint,
) -> Result<Counterfactual> {
    let (x, m_eq) = check_model(spec, designs)?;
    if y_logistic {
        return usage(format!(
            "--xmint defines the counterfactual effects for a linear outcome, but '{}' has two values and its equation is logistic (PROCESS refuses this too); add --linear-y for a linear probability model",
            spec.y
        ));
    }
    let Ok(xs) = sub.numeric(x) else {
        return usage(format!(
            "--xmint needs a numeric or dichotomous X, but '{x}' is categorical; code it as a number (0/1 for two groups)"
        ));
    };
    let (x_ref, x_cf) = reference_values(x, xs, &xmint.xrefval)?;
    let m = &spec.mediators[0];
    let cde_m = match xmint.cdeval {
        Some(v) => v,
        None => mean(sub.numeric(m)?),
    };
    let design = &designs[m_eq];
    let mut m_columns_at_zero = Vec::new();
    let mut covariates = Vec::new();
    for (name, col) in design.names.iter().zip(&design.columns) {
        m_columns_at_zero.push(if name == crate::estimation::CONSTANT {
            1.0
        } else if name == x {
            0.0
        } else {
            covariates.push((name.clone(), mean(col)));
            mean(col)
        });
    }
    Ok(Counterfactual {
        x_ref,
        x_cf,
        cde_m,
        cde_m_is_mean: xmint.cdeval.is_none(),
        covariates,
        m_columns_at_zero,
    })
}

/// X's name and M's equation, when the spec is model 4 with one mediator and an X×M product.
fn check_model<'a>(spec: &'a ModelSpec, designs: &[Design]) -> Result<(&'a str, usize)> {
    let shape = "PROCESS's model 4 with one mediator (Y ~ X + M + M:X)";
    if spec.mediators.len() != 1 || !spec.moderators.is_empty() {
        return usage(format!(
            "--xmint is {shape}; this model has {} mediator(s) and {} moderator(s): give --model 4 with one --m",
            spec.mediators.len(),
            spec.moderators.len()
        ));
    }
    let (x, m) = (spec.x.as_str(), spec.mediators[0].as_str());
    let has = |d: &Design, f: &[&str]| {
        design_columns(d)
            .iter()
            .any(|c| c.len() == f.len() && f.iter().all(|v| c.iter().any(|g| g == v)))
    };
    let m_eq = designs.iter().position(|d| d.outcome == m);
    let y_eq = designs.iter().position(|d| d.outcome == spec.y);
    match (m_eq, y_eq) {
        (Some(me), Some(ye)) if has(&designs[me], &[x]) && has(&designs[ye], &[x, m]) => {
            Ok((x, me))
        }
        _ => usage(format!(
            "--xmint is {shape}: the equation for '{}' needs the product {m}:{x} and the one for '{m}' needs '{x}'",
            spec.y
        )),
    }
}

/// PROCESS's `xrefval` rules: (reference, counterfactual) values of X.
fn reference_values(x: &str, values: &[f64], given: &[f64]) -> Result<(f64, f64)> {
    let distinct = crate::numeric::distinct_finite(values);
    let two = (distinct.len() == 2).then(|| (distinct[0], distinct[1]));
    let not_a_value = |v: f64, (lo, hi): (f64, f64)| {
        usage(format!(
            "--xrefval {v} is not a value of the dichotomous '{x}' (it has {lo} and {hi}); give one or both of them"
        ))
    };
    let (r, c) = match (given, two) {
        ([], Some(pair)) => pair,
        ([], None) => {
            return usage(format!(
                "--xmint with a continuous X needs --xrefval: the reference value of '{x}' and, optionally, the counterfactual value (default: the reference + 1), e.g. --xrefval 3,5"
            ))
        }
        ([v], Some((lo, hi))) if *v == lo => (lo, hi),
        ([v], Some((lo, hi))) if *v == hi => (hi, lo),
        ([v], Some(pair)) => return not_a_value(*v, pair),
        ([v], None) => (*v, v + 1.0),
        ([a, b], Some((lo, hi))) => {
            if ![lo, hi].contains(a) {
                return not_a_value(*a, (lo, hi));
            }
            if ![lo, hi].contains(b) {
                return not_a_value(*b, (lo, hi));
            }
            (*a, *b)
        }
        ([a, b], None) => (*a, *b),
        _ => {
            return usage(format!(
                "--xrefval takes one or two values of '{x}' (the reference and the counterfactual), not {}",
                given.len()
            ))
        }
    };
    if !(r.is_finite() && c.is_finite()) || r == c {
        return usage(format!(
            "--xrefval needs two different finite values of '{x}' to compare, not {r} and {c}"
        ));
    }
    Ok((r, c))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The plan's effects replaced by the counterfactual ones, computed from the fitted
/// equations' point estimates where the direct effects' tests need them.
pub(super) fn apply(
    planned: &mut Planned,
    cf: &Counterfactual,
    spec: &ModelSpec,
    designs: &[Design],
    equations: &[(EquationFit, Vec<R2Change>)],
) -> Result<()> {
    let shapes: Vec<EqShape> = designs
        .iter()
        .map(|d| EqShape {
            outcome: d.outcome.clone(),
            columns: design_columns(d),
        })
        .collect();
    let model = CounterfactualModel {
        x: spec.x.clone(),
        m: spec.mediators[0].clone(),
        y: spec.y.clone(),
        x_ref: cf.x_ref,
        x_cf: cf.x_cf,
        m_cde: cf.cde_m,
        m_columns_at_zero: cf.m_columns_at_zero.clone(),
    };
    let betas: Vec<Vec<f64>> = equations.iter().map(|(f, _)| f.estimates()).collect();
    planned.plan.effects =
        counterfactual_effects(&shapes, &model, &betas).map_err(|e| crate::Error::Usage(e.0))?;
    // Model 74's notes are about its conditional effects, which are not reported here.
    planned.plan.notes.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::reference_values;

    #[test]
    fn reference_values_follow_process() {
        let cont = [1.0, 2.5, 3.0, 4.0];
        let dich = [0.0, 1.0, 1.0, 0.0];
        assert_eq!(
            reference_values("x", &cont, &[3.0, 5.0]).unwrap(),
            (3.0, 5.0)
        );
        assert_eq!(reference_values("x", &cont, &[3.0]).unwrap(), (3.0, 4.0));
        assert!(reference_values("x", &cont, &[]).is_err());
        assert_eq!(reference_values("x", &dich, &[]).unwrap(), (0.0, 1.0));
        assert_eq!(reference_values("x", &dich, &[1.0]).unwrap(), (1.0, 0.0));
        assert_eq!(
            reference_values("x", &dich, &[1.0, 0.0]).unwrap(),
            (1.0, 0.0)
        );
        let e = reference_values("x", &dich, &[2.0])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a value of the dichotomous 'x'"), "{e}");
        assert!(reference_values("x", &cont, &[1.0, 2.0, 3.0]).is_err());
        assert!(reference_values("x", &cont, &[2.0, 2.0]).is_err());
    }
}
