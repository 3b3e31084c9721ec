//! Stage 2, the equations: fit each design (OLS with the asked covariance, or logistic for a
//! two-valued Y), test its highest-order product terms as PROCESS prints them (R² change, or the
//! likelihood ratio in a logistic equation), fit the total effect model when asked, test a
//! categorical X's codes where X is not moderated, and with `process_t` recompute every coefficient interval with
//! PROCESS's approximation of the critical value so the printed bounds match PROCESS's.

use super::interaction_tests::highest_order_tests;
use super::linear::critical;
use super::omnibus::{unconditional_omnibus, OmnibusTest};
use super::prepare::Prepared;
use super::AnalysisOptions;
use crate::error::Result;
use crate::estimation::{
    fit_logistic_design, fit_ols_design, Design, EquationFit, R2Change, Regression,
};
use crate::spec::ModelSpec;

/// Each equation's fit with its tests of highest-order product terms, and the total effect
/// model (Y on X and the covariates) when `opts.total`.
pub(super) struct Fitted {
    pub equations: Vec<(EquationFit, Vec<R2Change>)>,
    pub total_model: Option<EquationFit>,
    /// The omnibus tests of a categorical X's codes where X is not moderated (`omnibus.rs`).
    pub omnibus: Vec<OmnibusTest>,
}

pub(super) fn fit_equations(
    prep: &Prepared,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<Fitted> {
    let mut equations = Vec::new();
    for (e, design) in spec.equations.iter().zip(&prep.designs) {
        let fit = if e.outcome == spec.y && prep.y_logistic {
            fit_logistic_design(design, opts.conf, &Default::default())?
        } else {
            let cov = super::prepare::cov_type(opts);
            fit_ols_design(design, cov, opts.conf, opts.cluster.as_deref())?
        };
        let tests = highest_order_tests((&fit, design), e, spec)?;
        equations.push((fit, tests));
    }
    let total = if opts.total {
        Some(total_effect_model(prep, spec, opts)?)
    } else {
        None
    };
    let omnibus = unconditional_omnibus(
        &equations,
        &prep.designs,
        total.as_ref().map(|(f, d)| (f, d)),
        &spec.x,
    );
    let mut total_model = total.map(|(f, _)| f);
    if opts.process_t {
        for fit in equations
            .iter_mut()
            .map(|(f, _)| f)
            .chain(total_model.as_mut())
        {
            process_intervals(fit, opts.conf);
        }
    }
    Ok(Fitted {
        equations,
        total_model,
        omnibus,
    })
}

/// Recomputes an equation's coefficient intervals with PROCESS's critical value.
fn process_intervals(fit: &mut EquationFit, conf: f64) {
    let (crit, _) = critical(fit, conf, true);
    for c in fit.coefficients.iter_mut() {
        c.ci_lower = c.estimate - crit * c.se;
        c.ci_upper = c.estimate + crit * c.se;
    }
}

/// Y on X and the covariates of Y's equation (PROCESS's total effect model), with its design.
fn total_effect_model(
    prep: &Prepared,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<(EquationFit, Design)> {
    let mut terms: Vec<&str> = vec![spec.x.as_str()];
    if let Some(y_eq) = spec.equations.iter().find(|e| e.outcome == spec.y) {
        for t in &y_eq.terms {
            if t.factors.len() == 1 && spec.covariates.contains(&t.factors[0]) {
                terms.push(&t.factors[0]);
            }
        }
    }
    let mut reg = Regression::new(&spec.y, &terms).conf(opts.conf);
    if let Some(c) = &opts.cluster {
        reg = reg.cluster(c);
    }
    for (v, c) in &opts.codings {
        if v == &spec.x {
            reg = reg.coding(v, c.clone());
        }
    }
    let design = reg.design(&prep.sub, prep.y_logistic)?;
    let fit = if prep.y_logistic {
        fit_logistic_design(&design, opts.conf, &Default::default())?
    } else {
        fit_ols_design(&design, opts.cov, opts.conf, None)?
    };
    Ok((fit, design))
}
