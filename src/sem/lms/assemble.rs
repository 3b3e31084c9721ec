//! The LMS estimate as a [`SemFit`], so `cipa sem`'s reports print it: the parameter table's
//! rows with the interaction row after the outcome's regressions, SEs from the observed
//! information, and the information criteria from the observed-data log-likelihood.
//! Standardized values, R², χ² and the χ²-based fit indices are not defined for the LMS mixture
//! (modsem reports none of them for "lms") and are NaN.

use crate::numeric::dist::{z_p_two_sided, z_quantile};

use super::super::interaction::{DmcPairs, FactorMoments, InteractionMethod, ProductLatent};
use super::super::linalg::Mat;
use super::super::partable::{Op, ParTable};
use super::super::{FitMeasures, ParameterRow, SemFit, SemOptions};
use super::conditional::LmsModel;
use super::newton::Optimum;
use super::spec::Interaction;

/// One row's estimate with its z test and Wald interval (`free` = 0: fixed, no test).
fn row(
    [lhs, op, rhs, label]: [&str; 4],
    free: usize,
    est: f64,
    v: &Mat,
    crit: f64,
) -> ParameterRow {
    let se = if free > 0 {
        v[(free - 1, free - 1)].max(0.0).sqrt()
    } else {
        0.0
    };
    let (z, p) = if free > 0 && se > 0.0 {
        (est / se, z_p_two_sided(est / se))
    } else {
        (f64::NAN, f64::NAN)
    };
    ParameterRow {
        lhs: lhs.into(),
        op: op.into(),
        rhs: rhs.into(),
        label: label.into(),
        free,
        est,
        se,
        z,
        p,
        ci_lower: est - crit * se,
        ci_upper: est + crit * se,
        std_lv: f64::NAN,
        std_all: f64::NAN,
        std_lv_se: f64::NAN,
        std_all_se: f64::NAN,
    }
}

/// The parameter rows: the table's, with ω's after the outcome's last regression.
fn parameter_rows(
    pt: &ParTable,
    model: &LmsModel,
    it: &Interaction,
    opt: &Optimum,
    v: &Mat,
    crit: f64,
) -> Vec<ParameterRow> {
    let nf = model.base.n_free();
    let values = model.base.row_values(&opt.theta[..nf]);
    let mut out: Vec<ParameterRow> = pt
        .rows
        .iter()
        .zip(&values)
        .map(|(r, &e)| {
            row(
                [&r.lhs, r.op.symbol(), &r.rhs, &r.label],
                r.free,
                e,
                v,
                crit,
            )
        })
        .collect();
    let free = if it.fixed.is_none() { nf + 1 } else { 0 };
    let term = format!("{}:{}", it.a, it.b);
    let omega = row(
        [&it.outcome, "~", &term, &it.label],
        free,
        model.omega(&opt.theta),
        v,
        crit,
    );
    let at = pt
        .rows
        .iter()
        .rposition(|r| r.op == Op::Regress && r.lhs == it.outcome)
        .map(|i| i + 1)
        .or_else(|| pt.rows.iter().position(|r| r.op != Op::Measure))
        .unwrap_or(out.len());
    out.insert(at, omega);
    out
}

/// The marginal moments of the mixture: μ = Σ w_j μ_j, Σ = Σ w_j (Σ_j + μ_jμ_j′) − μμ′.
fn marginal_moments(model: &LmsModel, theta: &[f64]) -> (Mat, Vec<f64>) {
    let Some(nodes) = model.node_moments(theta) else {
        return (Mat::zeros(0, 0), Vec::new());
    };
    let p = nodes[0].mu.len();
    let (mut mu, mut second) = (vec![0.0; p], Mat::zeros(p, p));
    for (nm, lw) in nodes.iter().zip(&model.log_w) {
        let w = lw.exp();
        for r in 0..p {
            mu[r] += w * nm.mu[r];
            for c in 0..p {
                second[(r, c)] += w * (nm.sigma[(r, c)] + nm.mu[r] * nm.mu[c]);
            }
        }
    }
    for r in 0..p {
        for c in 0..p {
            second[(r, c)] -= mu[r] * mu[c];
        }
    }
    (second, mu)
}

/// ℓ, AIC, BIC and the sample-size adjusted BIC (SEM-DESIGN.md §2 rule 15); the rest NaN.
fn fit_measures(loglik: f64, npar: usize, n: usize) -> FitMeasures {
    let (k, nf) = (npar as f64, n as f64);
    let nan = f64::NAN;
    FitMeasures {
        npar,
        fmin: nan,
        chisq: nan,
        df: nan,
        pvalue: nan,
        baseline_chisq: nan,
        baseline_df: nan,
        baseline_pvalue: nan,
        cfi: nan,
        tli: nan,
        nnfi: nan,
        rfi: nan,
        nfi: nan,
        pnfi: nan,
        ifi: nan,
        rni: nan,
        logl: loglik,
        unrestricted_logl: nan,
        aic: -2.0 * loglik + 2.0 * k,
        bic: -2.0 * loglik + k * nf.ln(),
        ntotal: n,
        bic2: -2.0 * loglik + k * ((nf + 2.0) / 24.0).ln(),
        rmsea: nan,
        rmsea_ci_lower: nan,
        rmsea_ci_upper: nan,
        rmsea_pvalue: nan,
        srmr: nan,
        scaled: None,
        fiml_robust: None,
    }
}

/// What the fit was computed from, besides the optimum.
pub struct Context<'a> {
    pub pt: &'a ParTable,
    pub model: &'a LmsModel,
    pub it: &'a Interaction,
    pub opts: &'a SemOptions,
    pub n: usize,
    pub dropped_lines: Vec<u64>,
    pub iterations: usize,
}

/// The product term as the report and the probing see it (analysis/sem_slopes.rs): its
/// factors as written and their model-implied moments.
fn product(cx: &Context, theta: &[f64]) -> ProductLatent {
    let factor_moments = [&cx.it.a, &cx.it.b]
        .into_iter()
        .map(|f| {
            let (mean, variance) = cx
                .model
                .lv_index(f)
                .and_then(|k| cx.model.latent_moments(theta, k))
                .unwrap_or((f64::NAN, f64::NAN));
            FactorMoments {
                name: f.clone(),
                latent: cx.it.observed.as_deref() != Some(f.as_str()),
                mean,
                variance,
            }
        })
        .collect();
    ProductLatent {
        name: format!("{}:{}", cx.it.a, cx.it.b),
        factors: vec![cx.it.a.clone(), cx.it.b.clone()],
        indicators: Vec::new(),
        residual_covariances: Vec::new(),
        pairs: DmcPairs::default(),
        n_rows: cx.n,
        method: InteractionMethod::Lms,
        factor_moments,
        centres: Vec::new(),
    }
}

pub fn assemble(cx: Context, opt: &Optimum, vcov: Mat) -> SemFit {
    let crit = z_quantile(1.0 - (1.0 - cx.opts.level) / 2.0);
    let parameters = parameter_rows(cx.pt, cx.model, cx.it, opt, &vcov, crit);
    let (implied_cov, implied_mean) = marginal_moments(cx.model, &opt.theta);
    let interactions = vec![product(&cx, &opt.theta)];
    SemFit {
        parameters,
        fit: fit_measures(opt.loglik, opt.theta.len(), cx.n),
        r2: Vec::new(),
        observed: cx.pt.ov.clone(),
        implied_cov,
        implied_mean,
        n: cx.n,
        dropped_lines: cx.dropped_lines,
        n_free: opt.theta.len(),
        iterations: cx.iterations,
        gradient: opt.gradient,
        theta: opt.theta.clone(),
        options: cx.opts.clone(),
        vcov,
        warnings: Vec::new(),
        source: None,
        cluster: None,
        interactions,
    }
}
