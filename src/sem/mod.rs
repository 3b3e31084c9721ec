//! Latent-variable structural equation models by maximum likelihood, with lavaan 0.6-14's
//! conventions (../shared/SEM-DESIGN.md). The pipeline, one stage per file, in the order data
//! flows (lavaan's `lav_lavaan_step*`):
//!
//! 1. `partable` — flat model + the data's columns + options → the parameter table with
//!    `sem()`'s defaults, free indices, labels, equality constraints, defined parameters;
//! 2. `moments` (n, ȳ, S with divisor n of the listwise complete rows), `sample` (with ln|S|
//!    and the positive-definiteness check);
//! 3. `model`, `matrices` — the LISREL all-y matrices and the map from free parameters to cells;
//! 4. `implied`, `objective`, `gradient` — Σ(θ), μ(θ), F_ML and its analytic gradient, Δ;
//! 5. `constraints`, `estimate` — θ = K z + k₀, start values, Fisher scoring / BFGS;
//! 6. `vcov` — expected information, Var(θ̂), the identification check;
//! 7. `fit_measures` (with `rmsea`) — test statistic, baseline model, fit indices;
//! 8. `standardize`, `defined`, `r2` — std.lv / std.all and defined parameters with
//!    delta-method SEs, R²;
//! 9. `assemble` (here) — the immutable [`SemFit`].
//!
//! [`fit`] runs it on a data set; [`fit_moments`] from sample moments (what a bootstrap draw
//! will call).

mod assemble;
mod auglag;
pub mod checks;
pub mod cluster;
mod constraint_values;
mod constraints;
pub mod defined;
mod error;
mod estimate;
mod fiml;
pub mod fit_measures;
mod gradient;
pub mod groups;
pub mod h1;
mod implied;
pub mod interaction;
pub mod linalg;
pub mod lms;
pub mod lrt;
mod matrices;
pub mod missing;
mod model;
pub mod modindices;
pub mod moments;
mod nonlinear;
mod objective;
pub mod partable;
pub mod products;
mod r2;
pub mod reliability;
pub mod resample;
pub mod residuals;
mod rmsea;
mod robust;
pub mod sample;
mod scaled_test;
mod standardize;
mod start;
pub mod vcov;
pub mod wald;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

pub use checks::SemWarning;
pub use constraint_values::ConstraintValue;
pub use error::SemError;
pub use fit_measures::FitMeasures;
pub use linalg::Mat;
pub use modindices::ModIndex;
pub use partable::ParTable;
pub use residuals::Residuals;
pub use sample::SampleStats;
pub use vcov::Information;

/// The estimator (lavaan's `estimator`); MLR arrives with the robust wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    #[default]
    Ml,
    Mlr,
}

/// Missing data handling (lavaan's `missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Rows with a missing value in a model variable are dropped (lavaan's default).
    #[default]
    Listwise,
    /// Full-information ML (lavaan's `missing = "ml"`): fiml/pipeline.rs.
    Fiml,
}

/// Options with lavaan `sem()`'s defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemOptions {
    /// Identify latents by unit variances instead of a first loading of 1.
    pub std_lv: bool,
    /// Model the means (also switched on by any `~ 1` row).
    pub meanstructure: bool,
    /// Exogenous observed covariates' moments fixed at their sample values.
    pub fixed_x: bool,
    pub estimator: Estimator,
    pub missing: Missing,
    /// The information matrix of the standard errors (lavaan's `information`).
    pub information: Information,
    /// Confidence level of the parameters' intervals.
    pub level: f64,
    /// How latent product terms are estimated (interaction/).
    pub interaction: interaction::InteractionOptions,
}

impl Default for SemOptions {
    fn default() -> Self {
        SemOptions {
            std_lv: false,
            meanstructure: false,
            fixed_x: true,
            estimator: Estimator::Ml,
            missing: Missing::Listwise,
            information: Information::Expected,
            level: 0.95,
            interaction: interaction::InteractionOptions::default(),
        }
    }
}

/// One row of the parameter table as lavaan's `parameterEstimates(standardized = TRUE)`
/// prints it (fixed rows have `se` 0 and `z`, `p` NaN; defined rows have op `:=`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterRow {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub label: String,
    /// 0 when fixed, else the free parameter's index.
    pub free: usize,
    pub est: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub std_lv: f64,
    pub std_all: f64,
    pub std_lv_se: f64,
    pub std_all_se: f64,
}

/// A fitted model: immutable, every number a report prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemFit {
    pub parameters: Vec<ParameterRow>,
    pub fit: FitMeasures,
    /// R² of every indicator and regression outcome, in parameter-table order (in JSON an
    /// object `{name: value}`).
    #[serde(serialize_with = "ordered_map")]
    pub r2: Vec<(String, f64)>,
    /// The observed variables in the model's order (rows of the implied covariance).
    pub observed: Vec<String>,
    pub implied_cov: Mat,
    pub implied_mean: Vec<f64>,
    pub n: usize,
    /// File lines of the rows dropped for a missing value in a model variable (listwise), or
    /// under FIML for having no model variable observed.
    pub dropped_lines: Vec<u64>,
    /// Free parameters before equality constraints (lavaan's `lavInspect(fit, "npar")`; the
    /// fit measures' `npar` subtracts the independent constraints).
    pub n_free: usize,
    pub iterations: usize,
    /// |∂F/∂z|∞ at the estimate.
    pub gradient: f64,
    /// θ̂, the free parameters (a warm start for refits).
    pub theta: Vec<f64>,
    pub options: SemOptions,
    /// Var(θ̂) of the free parameters (before equality constraints).
    #[serde(skip)]
    pub vcov: Mat,
    /// Inadmissible estimates (Heywood cases, non-positive-definite covariance matrices),
    /// which lavaan too reports as warnings and keeps.
    pub warnings: Vec<SemWarning>,
    /// The clusters of a cluster-robust fit (`cluster::fit_clustered`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<cluster::ClusterInfo>,
    /// The parameter table and sample moments the fit came from (for the diagnostics).
    #[serde(skip)]
    pub source: Option<std::sync::Arc<FitSource>>,
    /// The latent product terms and the product indicators built for them (interaction/).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<interaction::ProductLatent>,
}

/// What a fit was computed from: its parameter table and sample moments.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSource {
    pub table: ParTable,
    pub sample: SampleStats,
    /// Under FIML, the missing-data patterns and the EM H1 (`sample` then holds the EM moments).
    pub(crate) fiml: Option<fiml::FimlData>,
}

impl SemFit {
    fn source(&self) -> Result<&FitSource, SemError> {
        self.source
            .as_deref()
            .ok_or_else(|| SemError::UnsupportedOption {
                what: "diagnostics of a fit without its parameter table and sample moments".into(),
            })
    }

    /// lavaan's `modindices()` (expected information; under FIML that of the casewise
    /// likelihood, fiml/modindices.rs), in its order.
    pub fn modification_indices(&self) -> Result<Vec<ModIndex>, SemError> {
        let src = self.source()?;
        match &src.fiml {
            Some(fd) => {
                fiml::modindices::modification_indices(&src.table, &src.sample, fd, &self.theta)
            }
            None => modindices::modification_indices(&src.table, &src.sample, &self.theta),
        }
    }

    /// lavaan's `residuals()` of every type (under FIML against the EM moments, with SEs from
    /// the casewise observed information, fiml/residuals.rs).
    pub fn residuals(&self) -> Result<Residuals, SemError> {
        let src = self.source()?;
        match &src.fiml {
            Some(fd) => fiml::residuals::residuals(&src.table, &src.sample, fd, &self.theta),
            None => residuals::residuals(&src.table, &src.sample, &self.theta),
        }
    }

    /// semTools' omega (compRelSEM) and AVE of every latent with two or more indicators.
    pub fn reliability(&self) -> Result<Vec<reliability::LatentReliability>, SemError> {
        let src = self.source()?;
        let model = model::Model::new(&src.table, &src.sample);
        let (_, imp) = model
            .implied(&self.theta)
            .ok_or_else(|| SemError::Unidentified {
                parameters: vec!["(I - B is singular at the estimate)".into()],
            })?;
        Ok(reliability::reliability(
            &src.table,
            &model.row_values(&self.theta),
            &imp.veta,
            &src.sample.cov,
        ))
    }
}

impl Serialize for Mat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows: Vec<&[f64]> = self.data.chunks(self.cols.max(1)).collect();
        rows.serialize(s)
    }
}

/// Pairs as a JSON object, keeping their order.
fn ordered_map<S: serde::Serializer>(pairs: &[(String, f64)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

/// Fits `flat` to the data: the listwise complete rows of the model's observed variables, or
/// under [`Missing::Fiml`] every row with one of them observed (fiml/pipeline.rs).
pub fn fit(flat: &FlatModel, data: &Dataset, opts: &SemOptions) -> Result<SemFit, SemError> {
    if opts.interaction.method == interaction::InteractionMethod::Lms
        && interaction::has_latent_products(flat, data)?
    {
        return lms::fit(flat, data, opts);
    }
    let ex = interaction::expand(flat, data, &opts.interaction, opts.missing)?;
    let mut fit = fit_expanded(&ex.flat, &ex.data, opts)?;
    fit.interactions = ex.products;
    Ok(fit)
}

/// [`fit`] of a model whose latent products are expanded.
fn fit_expanded(flat: &FlatModel, data: &Dataset, opts: &SemOptions) -> Result<SemFit, SemError> {
    if opts.missing == Missing::Fiml {
        return fiml::fit(flat, &*products::with_products(flat, data)?, opts);
    }
    let prep = prepare(flat, data, opts)?;
    let by_column = prep.by_column(opts.estimator);
    let refs: Vec<&[f64]> = by_column.iter().map(Vec::as_slice).collect();
    let mut fit = fit_data(&prep.pt, &prep.stats, opts, Some(&refs), None)?;
    fit.dropped_lines = prep.dropped_lines;
    Ok(fit)
}

/// What a fit (and a resampling of it) starts from: the parameter table, the listwise complete
/// rows of its observed variables (row-major n × p in `pt.ov`'s order) and their moments.
pub(crate) struct Prepared {
    pub pt: ParTable,
    pub rows: Vec<f64>,
    pub n: usize,
    pub stats: SampleStats,
    pub dropped_lines: Vec<u64>,
}

impl Prepared {
    /// The rows by variable, for MLR's case scores (none for ML).
    pub(crate) fn by_column(&self, estimator: Estimator) -> Vec<Vec<f64>> {
        let (n, p) = (self.n, self.pt.ov.len());
        if estimator != Estimator::Mlr {
            return Vec::new();
        }
        (0..p)
            .map(|j| (0..n).map(|r| self.rows[r * p + j]).collect())
            .collect()
    }
}

/// The parameter table of `flat` on the data, and the listwise complete rows it is fitted to
/// (complete-data ML; FIML keeps every row in `fiml::fit`).
pub(crate) fn prepare(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
) -> Result<Prepared, SemError> {
    let ex = interaction::expand(flat, data, &opts.interaction, opts.missing)?;
    let (flat, data) = (&*ex.flat, &*ex.data);
    let data = &*products::with_products(flat, data)?;
    let names: Vec<String> = data.names().map(str::to_string).collect();
    let pt = partable::build(flat, &names, opts)?;
    let vars: Vec<&str> = pt.ov.iter().map(String::as_str).collect();
    let complete = crate::data::complete_cases(data, &vars)?;
    let cols: Vec<&[f64]> = vars
        .iter()
        .map(|v| data.numeric(v))
        .collect::<Result<_, _>>()?;
    let (n, p) = (complete.rows.len(), cols.len());
    if n <= p {
        return Err(SemError::TooFewRows { n, p });
    }
    let rows: Vec<f64> = complete
        .rows
        .iter()
        .flat_map(|&r| cols.iter().map(move |c| c[r]))
        .collect();
    let m = moments::Moments::complete(moments::DataView::new(&rows, n, p)?)?;
    let stats = SampleStats::new(&pt.ov, m.n, m.mean, Mat::from_rows(p, p, m.cov))?;
    Ok(Prepared {
        pt,
        rows,
        n,
        stats,
        dropped_lines: complete.dropped_lines,
    })
}

/// Fits the parameter table `pt` to sample moments `s` (in `pt.ov`'s order).
pub fn fit_moments(pt: &ParTable, s: &SampleStats, opts: &SemOptions) -> Result<SemFit, SemError> {
    fit_data(pt, s, opts, None, None)
}

/// θ̂ under the table's constraints, the basis K of the directions they leave free at θ̂ (for
/// the SEs), and npar (free parameters less the independent equalities): linear equalities by
/// θ = K z + k₀ (`constraints.rs`), anything else by the augmented Lagrangian (`nonlinear.rs`).
fn estimate_constrained(
    model: &model::Model,
    pt: &ParTable,
    s: &SampleStats,
    ndat: usize,
) -> Result<(estimate::Estimate, constraints::Reparam, usize), SemError> {
    let starts = || {
        (
            start::start_values(pt, s),
            start::simple_start_values(pt, s),
        )
    };
    if constraints::needs_lagrangian(pt, &model.base) {
        // Equalities can only lower npar: this bound refuses before the search.
        if pt.n_free.saturating_sub(pt.equalities.len()) > ndat {
            let npar = pt.n_free - pt.equalities.len();
            return Err(SemError::NegativeDf { npar, ndat });
        }
        let (start, simple) = starts();
        let c = nonlinear::estimate(model, s, pt, &start, &simple)?;
        let npar = pt.n_free - c.eq_rank;
        if npar > ndat {
            return Err(SemError::NegativeDf { npar, ndat });
        }
        return Ok((c.est, c.re, npar));
    }
    let re = constraints::reparametrise(pt, &model.base)?;
    let npar = pt.n_free - re.rank;
    if npar > ndat {
        return Err(SemError::NegativeDf { npar, ndat });
    }
    // lavaan's second attempt after a failed first: start = "simple" (loadings 1, everything
    // else as before).
    let (start, simple) = starts();
    // A third, quasi-Newton attempt from the default start when both fail (estimate.rs
    // `estimate_quasi_newton` says why).
    let est = match estimate::estimate(model, s, &re, &start) {
        Err(SemError::NotConverged { .. }) => match estimate::estimate(model, s, &re, &simple) {
            Err(SemError::NotConverged { .. }) => {
                estimate::estimate_quasi_newton(model, s, &re, &start)?
            }
            other => other?,
        },
        other => other?,
    };
    Ok((est, re, npar))
}

/// The pipeline; `rows` (one complete column per observed variable) are needed by MLR, and
/// `cluster` makes its robust parts cluster-robust (cluster.rs).
fn fit_data(
    pt: &ParTable,
    s: &SampleStats,
    opts: &SemOptions,
    rows: Option<&[&[f64]]>,
    cluster: Option<&cluster::Clusters>,
) -> Result<SemFit, SemError> {
    let model = model::Model::new(pt, s);
    let p = pt.ov.len();
    let x: Vec<usize> = pt
        .ov_x
        .iter()
        .map(|v| {
            pt.ov
                .iter()
                .position(|o| o == v)
                .expect("ParTable.ov_x is a subset of ParTable.ov")
        })
        .collect();
    let px_fixed = if pt.fixed_x { x.len() } else { 0 };
    let ndat = fit_measures::ndat(p, px_fixed, pt.meanstructure);
    let (est, re, npar) = estimate_constrained(&model, pt, s, ndat)?;
    let info = vcov::information(&model, s, &est.theta, opts.information).ok_or_else(|| {
        SemError::Unidentified {
            parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
        }
    })?;
    let free_name = |k: usize| {
        let i = model.free_rows[k][0];
        pt.row_name(i)
    };
    let mut v = vcov::vcov(&info, &re, s.n, &free_name)?;
    let mlr = match (opts.estimator, rows) {
        (Estimator::Ml, _) => None,
        (Estimator::Mlr, Some(cols)) => {
            let fx: &[usize] = if pt.fixed_x { &x } else { &[] };
            let r = robust::mlr(
                &model, s, &est.theta, &info, &re, cols, fx, &free_name, cluster,
            )?;
            v = r.vcov.clone();
            Some((r, cols))
        }
        (Estimator::Mlr, None) => {
            return Err(SemError::UnsupportedOption {
                what: "MLR from sample moments alone (its standard errors need the data rows)"
                    .into(),
            })
        }
    };
    let (_, imp) = model
        .implied(&est.theta)
        .expect("I − B is invertible at θ̂: the search evaluated F there");
    let mut fit = fit_measures::fit_measures(
        fit_measures::FitInput {
            f: est.f,
            npar,
            df: (ndat - npar) as f64,
            meanstructure: pt.meanstructure,
            x: &x,
            fixed_x: pt.fixed_x,
        },
        s,
        &imp,
    );
    if let Some((r, cols)) = &mlr {
        fit.scaled = Some(robust::scaled_measures(
            &fit,
            r,
            s,
            cols,
            pt.meanstructure,
            (&x, pt.fixed_x),
            cluster,
        ));
    }
    let mut out = assemble::assemble(pt, &model, &est, v, imp, fit, opts, s.n);
    out.source = Some(std::sync::Arc::new(FitSource {
        table: pt.clone(),
        sample: s.clone(),
        fiml: None,
    }));
    Ok(out)
}
