//! Latent moderated structural equations (LMS; Klein & Moosbrugger 2000, *Psychometrika* 65,
//! 457-474): ML estimation of a model with one latent product term `y ~ f:g`, as modsem's
//! `method = "lms"` (../shared/SEM-DESIGN.md §3). Given the value of the exogenous factor f,
//! the observed variables are multivariate normal, so their density is a mixture over
//! Gauss-Hermite nodes of f, maximised by EM (estep.rs, mstep.rs, em.rs) and polished by
//! Newton's method on the observed-data log-likelihood (newton.rs), whose Hessian gives the
//! observed-information SEs.
//!
//! The model without the product term is the engine's (partable.rs, matrices.rs) with a mean
//! structure and random covariates (fixed.x off: the log-likelihood is the joint one); its ML
//! fit is the start, with ω = 0. Listwise complete rows; ML only.

mod assemble;
mod conditional;
mod em;
mod estep;
mod mstep;
mod newton;
mod quadrature;
mod spec;

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::linalg::Mat;
use super::{Estimator, Missing, SemError, SemFit, SemOptions};

pub use quadrature::standard_normal_rule;
pub use spec::MAX_INTERACTIONS;

/// The numerical settings of LMS.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsOptions {
    /// Gauss-Hermite nodes over the quadrature factor (modsem's `nodes`).
    pub nodes: usize,
    /// EM iterations before the Newton polish, at most (EM is the warm-up; Newton converges
    /// in a few steps from where EM's gains fall below `em_tol`).
    pub em_max_iter: usize,
    /// EM stops when ℓ rises by less than this (modsem's `convergence.abs`).
    pub em_tol: f64,
    /// Newton iterations, at most.
    pub newton_max_iter: usize,
}

impl Default for LmsOptions {
    fn default() -> Self {
        LmsOptions {
            nodes: 32,
            em_max_iter: 50,
            em_tol: 1e-2,
            newton_max_iter: 25,
        }
    }
}

/// An LMS fit with its EM history.
#[derive(Debug, Clone)]
pub struct LmsFit {
    pub fit: SemFit,
    /// The observed log-likelihood at the start of each EM iteration (and at its end).
    pub em_loglik: Vec<f64>,
    pub newton_iterations: usize,
}

/// Fits `flat` (with one latent product term) by LMS with the default settings.
pub fn fit(flat: &FlatModel, data: &Dataset, opts: &SemOptions) -> Result<SemFit, SemError> {
    Ok(fit_with(flat, data, opts, &LmsOptions::default())?.fit)
}

/// Fits `flat` by LMS with `lms`'s settings.
pub fn fit_with(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    lms: &LmsOptions,
) -> Result<LmsFit, SemError> {
    check_options(opts)?;
    let columns: Vec<String> = data.names().map(str::to_string).collect();
    let (rest, it) = spec::split(flat, &columns)?;
    let it = it.ok_or_else(|| SemError::UnsupportedOption {
        what: "LMS without a latent product term (write one as 'y ~ f + g + f:g'; a model \
               without one is fitted by plain ML)"
            .into(),
    })?;
    spec::refuse_constraints(flat, &it)?;
    let lopts = SemOptions {
        meanstructure: true,
        fixed_x: false,
        ..opts.clone()
    };
    let prep = super::prepare(&rest, data, &lopts)?;
    if !(prep.pt.equalities.is_empty()
        && prep.pt.inequalities.is_empty()
        && prep.pt.defined.is_empty())
    {
        return Err(SemError::UnsupportedOption {
            what: "equality or inequality constraints, shared labels and defined parameters (:=) under LMS".into(),
        });
    }
    let linear = super::fit_moments(&prep.pt, &prep.stats, &lopts)?;
    let model = conditional::LmsModel::new(&prep.pt, &prep.stats, &it, lms.nodes)?;
    let (theta0, hinv0) = start(&linear, &model, it.start, prep.n);
    let rows = estep::Rows {
        x: &prep.rows,
        n: prep.n,
        p: prep.pt.ov.len(),
    };
    let not_converged = |what: &str, gradient: f64, iterations: usize| {
        SemError::NotConverged {
        iterations,
        gradient,
        advice: format!("LMS {what}; check that the model without the product term fits, or give ω a start value (start(0.1)*f:g)"),
    }
    };
    let em = em::em(&model, &rows, &theta0, hinv0, lms.em_max_iter, lms.em_tol)
        .ok_or_else(|| not_converged("started outside the parameter space", f64::NAN, 0))?;
    let opt = newton::maximise(&model, &rows, &em.theta, lms.newton_max_iter)
        .ok_or_else(|| not_converged("left the parameter space", f64::NAN, em.loglik.len()))?;
    if !opt.converged {
        return Err(not_converged(
            "did not converge (Newton)",
            opt.gradient,
            em.loglik.len() + opt.iterations,
        ));
    }
    let vcov = opt.vcov.clone().ok_or_else(|| SemError::Unidentified {
        parameters: vec![
            "(the LMS observed information is not positive definite at the estimate)".into(),
        ],
    })?;
    let cx = assemble::Context {
        pt: &prep.pt,
        model: &model,
        it: &it,
        opts,
        n: prep.n,
        dropped_lines: prep.dropped_lines,
        iterations: em.loglik.len() + opt.iterations,
    };
    Ok(LmsFit {
        fit: assemble::assemble(cx, &opt, vcov),
        em_loglik: em.loglik,
        newton_iterations: opt.iterations,
    })
}

fn check_options(opts: &SemOptions) -> Result<(), SemError> {
    if opts.estimator != Estimator::Ml {
        return Err(SemError::UnsupportedOption {
            what:
                "LMS with the MLR estimator (LMS is ML; its SEs come from the observed information)"
                    .into(),
        });
    }
    if opts.missing != Missing::Listwise {
        return Err(SemError::UnsupportedOption {
            what: "LMS with missing = fiml (rows with a missing value are dropped listwise)".into(),
        });
    }
    Ok(())
}

/// θ₀ = the linear model's ML estimate with ω at its start (0 unless given), and a start for the
/// inverse Hessian of −ℓ: the linear fit's Var(θ̂), and 1/n for ω.
fn start(
    linear: &SemFit,
    model: &conditional::LmsModel,
    omega: Option<f64>,
    n: usize,
) -> (Vec<f64>, Mat) {
    let q = model.n_theta();
    let mut theta = linear.theta.clone();
    let mut h = Mat::zeros(q, q);
    let nf = linear.theta.len();
    for r in 0..nf {
        for c in 0..nf {
            h[(r, c)] = linear.vcov[(r, c)];
        }
    }
    if q > nf {
        theta.push(omega.unwrap_or(0.0));
        h[(nf, nf)] = 1.0 / n as f64;
    }
    (theta, h)
}
