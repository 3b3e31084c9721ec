//! The FIML branch of [`crate::sem::fit`] (lavaan's `missing = "ml"`): the rows with at least
//! one observed model variable, their missing-data patterns, the saturated H1 by EM, then the
//! model fitted to the casewise likelihood (mean structure always on, as lavaan forces it),
//! SEs from the observed information (lavaan's default for `missing = "ml"`, `information =
//! "observed"`, `observed.information = "hessian"`, ../shared/SEM-DESIGN.md), the fit measures
//! against the EM H1 and the FIML baseline (measures.rs).

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::super::cluster::Clusters;
use super::super::constraints::{self, Reparam};
use super::super::estimate::{Estimate, GRADIENT_TOL};
use super::super::h1::{EmOptions, H1};
use super::super::linalg::{spd_inverse_logdet, symmetric_eigen, Mat};
use super::super::missing::MissingPatterns;
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::partable::{self, ParTable};
use super::super::vcov::{self, hessian_5point, Information};
use super::super::SemOptions;
use super::super::{assemble, fit_measures, start, Estimator, SampleStats, SemError, SemFit};
use super::{bfgs, measures, objective_gradient, robust, FimlData};

/// BFGS hands over to Newton steps below this gradient.
const BFGS_TOL: f64 = 1e-7;

/// Fits `flat` to every row of `data` with at least one observed model variable, by FIML.
pub fn fit(flat: &FlatModel, data: &Dataset, opts: &SemOptions) -> Result<SemFit, SemError> {
    fit_clustered(flat, data, opts, None)
}

/// [`fit`], with MLR's robust parts cluster-robust when `cluster` names the column of cluster
/// ids (lavaan's `cluster =` with `missing = "ml"`: the casewise scores of the model, of the h1
/// and of the baseline summed within clusters, sem/cluster.rs).
pub fn fit_clustered(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    cluster: Option<&str>,
) -> Result<SemFit, SemError> {
    let opts = SemOptions {
        meanstructure: true,
        ..opts.clone()
    };
    check(&opts)?;
    let names: Vec<String> = data.names().map(str::to_string).collect();
    let pt = partable::build(flat, &names, &opts)?;
    let mut prep = fiml_data(&pt, data)?;
    if let Some(var) = cluster {
        prep.clusters = Some((prep.clusters_of(data, var)?, var.to_string()));
    }
    let fd = &prep.fd;
    let p = pt.ov.len();
    // The engine's start values and fixed values read the (EM) moments as sample moments.
    let s = SampleStats::new(
        &pt.ov,
        fd.patterns.n,
        fd.h1.mean.clone(),
        Mat::from_rows(p, p, fd.h1.cov.clone()),
    )?;
    let model = Model::new(&pt, &s);
    let re = constraints::reparametrise(&pt, &model.base)?;
    let px_fixed = if pt.fixed_x { pt.ov_x.len() } else { 0 };
    let ndat = fit_measures::ndat(p, px_fixed, true);
    let npar = pt.n_free - re.rank;
    if npar > ndat {
        return Err(SemError::NegativeDf { npar, ndat });
    }
    let est = match estimate(&model, fd, &re, &start::start_values(&pt, &s)) {
        Err(SemError::NotConverged { .. }) => {
            estimate(&model, fd, &re, &start::simple_start_values(&pt, &s))?
        }
        other => other?,
    };
    finish(&pt, &model, &re, &prep, &s, est, &opts, npar)
}

/// Standard errors, fit measures (robust ones by the estimator) and the assembled fit.
#[allow(clippy::too_many_arguments)]
fn finish(
    pt: &ParTable,
    model: &Model,
    re: &Reparam,
    prep: &Prepared,
    s: &SampleStats,
    est: Estimate,
    opts: &SemOptions,
    npar: usize,
) -> Result<SemFit, SemError> {
    let (fd, p) = (&prep.fd, pt.ov.len());
    let info = information(model, fd, &est.theta).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    })?;
    let free_name = |k: usize| pt.row_name(model.free_rows[k][0]);
    let mut v = vcov::vcov(&info, re, fd.patterns.n, &free_name)?;
    let (_, imp) = model
        .implied(&est.theta)
        .expect("I − B is invertible at θ̂: the search evaluated F there");
    let data = DataView::new(&prep.rows, prep.n_rows, p)?;
    let x: Vec<usize> = pt
        .ov_x
        .iter()
        .filter_map(|v| pt.ov.iter().position(|o| o == v))
        .collect();
    let base = measures::Baseline::fit(&fd.patterns, data, &x, pt.fixed_x)?;
    let df = (base.ndat - npar) as f64;
    let mut fit = measures::fit_measures(fd, &base, s, &imp, npar, df, est.f);
    let cx = robust::Context {
        model,
        fd,
        data,
        em: s,
        theta: &est.theta,
        re,
        info: &info,
        names: &free_name,
        base: &base,
        x: &x,
        fixed_x: pt.fixed_x,
        cluster: prep.clusters.as_ref().map(|(c, _)| c),
    };
    match opts.estimator {
        Estimator::Ml => fit.fiml_robust = Some(robust::corrected(&cx, robust::Version::V6, &fit)),
        Estimator::Mlr => {
            let (robust_v, scaled) = robust::mlr(&cx, &fit)?;
            v = robust_v;
            fit.scaled = Some(scaled);
        }
    }
    let mut out = assemble::assemble(pt, model, &est, v, imp, fit, opts, fd.patterns.n);
    out.dropped_lines = prep.dropped_lines.clone();
    out.cluster = prep.clusters.as_ref().map(|(c, var)| c.info(var));
    // Under FIML lavaan's `sampstat` (read by semTools' reliability) is the EM H1's moments.
    out.source = Some(std::sync::Arc::new(super::super::FitSource {
        table: pt.clone(),
        sample: s.clone(),
        fiml: Some(fd.clone()),
    }));
    Ok(out)
}

pub(crate) fn check(opts: &SemOptions) -> Result<(), SemError> {
    if opts.information != Information::Observed {
        return Err(SemError::UnsupportedOption {
            what: "the expected information under full-information ML (use the observed information, lavaan's default for missing = \"ml\")".into(),
        });
    }
    Ok(())
}

/// What the FIML fit reads of the data.
pub(crate) struct Prepared {
    pub fd: FimlData,
    /// The model variables of every row, row-major, NaN where missing.
    pub rows: Vec<f64>,
    pub n_rows: usize,
    /// File lines of the rows with no observed model variable.
    pub dropped_lines: Vec<u64>,
    /// The data rows behind `rows` (rows with a missing fixed.x covariate are left out).
    kept: Vec<usize>,
    /// The clusters of the score rows and their variable (`fit_clustered`).
    clusters: Option<(Clusters, String)>,
}

impl Prepared {
    /// The clusters of column `var` of `data` (the data these rows were prepared from), one id
    /// per score row: the patterns' rows in pattern order (fiml/h1info.rs `scores`).
    pub(crate) fn clusters_of(&self, data: &Dataset, var: &str) -> Result<Clusters, SemError> {
        let rows: Vec<usize> = (self.fd.patterns.patterns.iter())
            .flat_map(|q| q.rows.iter().map(|&i| self.kept[i]))
            .collect();
        Clusters::from_column(data, var, &rows)
    }
}

/// The model variables of every row (NaN where missing), their patterns and the EM H1; rows
/// with no observed model variable are dropped as lavaan does, and their file lines returned.
pub(crate) fn fiml_data(pt: &ParTable, data: &Dataset) -> Result<Prepared, SemError> {
    let vars: Vec<&str> = pt.ov.iter().map(String::as_str).collect();
    // Names a variable missing in every row (and a non-numeric one) before anything else.
    crate::data::complete_cases(data, &vars)?;
    let cols: Vec<&[f64]> = vars
        .iter()
        .map(|v| data.numeric(v))
        .collect::<Result<_, _>>()?;
    let p = cols.len();
    // Under fixed.x the covariates' moments are fixed at their sample values: lavaan deletes
    // the rows with a missing covariate (with a warning), and so does this.
    let x: Vec<usize> = if pt.fixed_x {
        pt.ov_x
            .iter()
            .filter_map(|v| pt.ov.iter().position(|o| o == v))
            .collect()
    } else {
        Vec::new()
    };
    let (kept, mut dropped): (Vec<usize>, Vec<usize>) =
        (0..data.n_rows()).partition(|&r| x.iter().all(|&j| !cols[j][r].is_nan()));
    let n = kept.len();
    let rows: Vec<f64> = kept
        .iter()
        .flat_map(|&r| cols.iter().map(move |c| c[r]))
        .collect();
    let patterns = MissingPatterns::new(DataView::new(&rows, n, p)?)?;
    let used = patterns.n as usize;
    if used <= p {
        return Err(SemError::TooFewRows { n: used, p });
    }
    let h1 = H1::em(&patterns, EmOptions::default())?;
    check_h1(&pt.ov, &h1)?;
    dropped.extend(patterns.empty_rows.iter().map(|&i| kept[i]));
    dropped.sort_unstable();
    let dropped_lines = dropped.iter().map(|&r| data.lines()[r]).collect();
    Ok(Prepared {
        fd: FimlData { patterns, h1 },
        rows,
        n_rows: n,
        dropped_lines,
        kept,
        clusters: None,
    })
}

/// A scaled eigenvalue of the EM covariance (as a correlation matrix) below this counts as
/// singular: EM keeps a singular Σ just positive definite by a ridge of 1e-8·max σ_ii
/// (h1.rs), which would only defer the failure to the model's search.
const H1_SINGULAR: f64 = 1e-7;

/// The typed error for a (numerically) singular EM H1, naming the first variable that is a
/// linear combination of those before it.
fn check_h1(names: &[String], h1: &H1) -> Result<(), SemError> {
    let p = names.len();
    let sd: Vec<f64> = (0..p).map(|i| h1.cov[i * p + i].sqrt()).collect();
    let min_eigen = |k: usize| -> f64 {
        let mut r = Mat::zeros(k, k);
        for i in 0..k {
            for j in 0..k {
                r[(i, j)] = h1.cov[i * p + j] / (sd[i] * sd[j]);
            }
        }
        let (vals, _) = symmetric_eigen(&r);
        vals.first().copied().unwrap_or(1.0)
    };
    if min_eigen(p) >= H1_SINGULAR {
        return Ok(());
    }
    let bad = (1..=p).find(|&k| min_eigen(k) < H1_SINGULAR).unwrap_or(p);
    Err(SemError::MissingDataH1Singular {
        variable: names[bad - 1].clone(),
    })
}

/// The unit observed information of fmin = F/2 at θ (lavaan's `lav_model_hessian`).
pub(crate) fn information(model: &Model, fd: &FimlData, theta: &[f64]) -> Option<Mat> {
    information_of(&|t: &[f64]| objective_gradient(model, fd, t), theta)
}

/// F and ∂F/∂θ at θ, `None` outside the parameter space: one group's FIML discrepancy, or the
/// n_g/N-weighted sum over groups (groups/fiml.rs).
pub(crate) type ThetaObjective<'a> = dyn Fn(&[f64]) -> Option<(f64, Vec<f64>)> + 'a;

/// The unit observed information of fmin = F/2 at θ: 5-point differences of ∂F/∂θ / 2.
pub(crate) fn information_of(obj: &ThetaObjective<'_>, theta: &[f64]) -> Option<Mat> {
    hessian_5point(theta, &|t: &[f64]| {
        obj(t).map(|(_, g)| g.iter().map(|v| v / 2.0).collect())
    })
}

/// Minimises the FIML F in z (θ = K z + k₀).
pub(crate) fn estimate(
    model: &Model,
    fd: &FimlData,
    re: &Reparam,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    minimise(&|t: &[f64]| objective_gradient(model, fd, t), re, theta0)
}

/// Minimises `obj` in z (θ = K z + k₀): BFGS, then Newton steps with the observed Hessian
/// (F's rounding hides the last decreases from a line search, so a Newton step is kept while
/// it shrinks the gradient) to |∂F/∂z|∞ < [`GRADIENT_TOL`].
pub(crate) fn minimise(
    obj: &ThetaObjective<'_>,
    re: &Reparam,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    let eval = |z: &[f64]| -> Option<(f64, Vec<f64>)> {
        let (f, g) = obj(&re.theta(z))?;
        Some((f, re.k.t().mul_vec(&g)))
    };
    let mut z0 = re.z(theta0);
    // lavaan divides the start by 10 when F is not finite there.
    if eval(&z0).is_none() {
        z0.iter_mut().for_each(|v| *v /= 10.0);
    }
    let b = bfgs(&eval, &z0, BFGS_TOL, 5000).ok_or_else(|| not_converged(0, f64::NAN))?;
    let (mut z, mut f, mut g, mut gmax) = (b.x, b.f, b.g, b.gmax);
    let mut iterations = b.iterations;
    for _ in 0..20 {
        if gmax < GRADIENT_TOL {
            break;
        }
        let Some(step) = newton_step(obj, re, &z, &g) else {
            break;
        };
        let next: Vec<f64> = z.iter().zip(&step).map(|(a, d)| a - d).collect();
        let Some((fn_, gn)) = eval(&next) else { break };
        let gn_max = gn.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gn_max >= gmax {
            break;
        }
        iterations += 1;
        (z, f, g, gmax) = (next, fn_, gn, gn_max);
    }
    // A search that reached F's rounding floor short of the tolerance still counts (as in
    // estimate.rs).
    if gmax >= 1e-7 {
        return Err(not_converged(iterations, gmax));
    }
    Ok(Estimate {
        theta: re.theta(&z),
        f,
        iterations,
        gradient: gmax,
    })
}

/// H⁻¹g with H = ∂²F/∂z∂z′ = 2K′IK (I the observed information of F/2).
fn newton_step(obj: &ThetaObjective<'_>, re: &Reparam, z: &[f64], g: &[f64]) -> Option<Vec<f64>> {
    let info = information_of(obj, &re.theta(z))?;
    let h = re.k.t().mul(&info).mul(&re.k).scale(2.0);
    let (inv, _) = spd_inverse_logdet(&h)?;
    Some(inv.mul_vec(g))
}

fn not_converged(iterations: usize, gradient: f64) -> SemError {
    SemError::NotConverged {
        iterations,
        gradient,
        advice: "check that every latent has a scale (a fixed loading or variance) and enough indicators, check that the variables with many missing values are observed together often enough, or give start values with start(value)*item".into(),
    }
}
