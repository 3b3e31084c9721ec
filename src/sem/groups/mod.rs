//! Multi-group SEM (lavaan's `group =`, lavaan 0.6-14): one model per group over one shared
//! free-parameter vector (`partable.rs`: the stacked parameter table with lavaan's group
//! column, `c(...)` modifiers, `group.equal` and `group.partial`), fitted by the weighted ML
//! discrepancy F = Σ (n_g/N)·F_g (`estimate.rs`) through the single-group engine's search, with
//! the fit measures over groups (`measures.rs`) and the parameters, standardized values and R²
//! of every group (`assemble.rs`); FIML per group with its own patterns and EM H1
//! (`fiml.rs`, `fiml_measures.rs`); the bootstrap within groups and Monte Carlo intervals
//! (`resample.rs`); each group as a single-group fit for the diagnostics, diagrams and APA
//! tables (`view.rs`); cluster-robust MLR (`cluster.rs`). Nonlinear or inequality constraints
//! are refused with typed errors for now.

mod assemble;
pub mod cluster;
pub mod data;
pub mod diagnostics;
mod estimate;
mod fiml;
mod fiml_measures;
mod interaction;
pub mod invariance;
mod measures;
pub mod partable;
mod partial;
pub mod resample;
mod resample_fiml;
mod robust;
mod view;

use serde::Serialize;

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::constraints::{self, Reparam};
use super::error::SemError;
use super::linalg::Mat;
use super::model::Model;
use super::partable::{Op, ParRow, ParTable};
use super::robust::YuanBentler;
use super::vcov::{self, Information};
use super::{
    estimate as search, products, start, Estimator, FitMeasures, Missing, ParameterRow, SemOptions,
    SemWarning,
};

pub use partable::{Equal, GroupedTable};

/// lavaan's `group.equal` kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupEqual {
    Loadings,
    Intercepts,
    Means,
    Residuals,
    ResidualCovariances,
    LvVariances,
    LvCovariances,
    Regressions,
}

impl GroupEqual {
    pub const ALL: [(&'static str, GroupEqual); 8] = [
        ("loadings", GroupEqual::Loadings),
        ("intercepts", GroupEqual::Intercepts),
        ("means", GroupEqual::Means),
        ("residuals", GroupEqual::Residuals),
        ("residual.covariances", GroupEqual::ResidualCovariances),
        ("lv.variances", GroupEqual::LvVariances),
        ("lv.covariances", GroupEqual::LvCovariances),
        ("regressions", GroupEqual::Regressions),
    ];

    /// From lavaan's name ("loadings", "residual.covariances", ...).
    pub fn parse(s: &str) -> Option<GroupEqual> {
        let s = s.trim();
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, e)| *e)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("", |(n, _)| n)
    }

    /// Whether a group-1 row is one this kind makes equal (`lav_partable_labels`; intercepts,
    /// residuals and residual covariances of observed non-x variables, means, variances and
    /// covariances of latents).
    fn covers(self, r: &ParRow, pt: &ParTable) -> bool {
        let ov_nox = |v: &str| pt.ov.iter().any(|o| o == v) && !pt.ov_x.iter().any(|x| x == v);
        let lv = |v: &str| pt.lv.iter().any(|l| l == v);
        let var = r.lhs == r.rhs;
        match self {
            GroupEqual::Loadings => r.op == Op::Measure,
            GroupEqual::Regressions => r.op == Op::Regress,
            GroupEqual::Intercepts => r.op == Op::Intercept && ov_nox(&r.lhs),
            GroupEqual::Means => r.op == Op::Intercept && lv(&r.lhs),
            GroupEqual::Residuals => r.op == Op::Covary && var && ov_nox(&r.lhs),
            GroupEqual::ResidualCovariances => r.op == Op::Covary && !var && ov_nox(&r.lhs),
            GroupEqual::LvVariances => r.op == Op::Covary && var && lv(&r.lhs),
            GroupEqual::LvCovariances => r.op == Op::Covary && !var && lv(&r.lhs),
        }
    }
}

/// What `group =` adds to the options.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct GroupOptions {
    /// The grouping column.
    pub column: String,
    pub equal: Vec<GroupEqual>,
    /// lavaan's `group.partial` ("x3 ~ 1", "visual =~ x2").
    pub partial: Vec<String>,
}

/// A parameter row with its group (1-based, lavaan's `group` column; 0 for `:=` rows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupParameterRow {
    pub group: usize,
    #[serde(flatten)]
    pub row: ParameterRow,
}

/// One group's sample and per-group results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    pub level: String,
    pub n: usize,
    /// This group's contribution n_g·F_g to the chi-square (lavaan's `chisq.group`).
    pub chisq: f64,
    #[serde(serialize_with = "super::ordered_map")]
    pub r2: Vec<(String, f64)>,
    pub implied_cov: Mat,
    pub implied_mean: Vec<f64>,
    /// This group's own table (group-local free indices) and sample moments, and its slice
    /// θ_g of θ̂: what [`GroupedFit::group_fit`] hands the single-group diagnostics.
    #[serde(skip)]
    pub source: Option<std::sync::Arc<super::FitSource>>,
    #[serde(skip)]
    pub theta: Vec<f64>,
}

/// A fitted multi-group model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupedFit {
    pub group: String,
    pub groups: Vec<GroupResult>,
    pub parameters: Vec<GroupParameterRow>,
    pub fit: FitMeasures,
    pub observed: Vec<String>,
    pub n: usize,
    pub dropped_lines: Vec<u64>,
    pub n_free: usize,
    pub iterations: usize,
    pub gradient: f64,
    pub theta: Vec<f64>,
    pub options: SemOptions,
    pub group_options: GroupOptions,
    #[serde(skip)]
    pub vcov: Mat,
    pub warnings: Vec<GroupWarning>,
    /// The stacked table (labels, plabels, `:=`) and its rows' values at θ̂: what the Wald
    /// test evaluates its constraints on.
    #[serde(skip)]
    pub table: ParTable,
    #[serde(skip)]
    pub row_values: Vec<f64>,
    /// Each group's clusters of a cluster-robust fit (`cluster::fit_clustered`); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster: Vec<super::cluster::ClusterInfo>,
    /// The tables and moments behind the fit, for the diagnostics (diagnostics.rs).
    #[serde(skip)]
    pub source: Option<std::sync::Arc<GroupSource>>,
    /// The latent product terms the fit built (interaction.rs); empty without one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<super::interaction::ProductLatent>,
}

/// What the diagnostics of a grouped fit read: the stacked table and each group's moments
/// (the EM moments under FIML).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSource {
    pub tables: GroupedTable,
    pub stats: Vec<super::SampleStats>,
    pub missing: Missing,
    /// Under FIML, each group's missing-data patterns and EM H1 (empty otherwise).
    pub(crate) fiml: Vec<super::fiml::FimlData>,
}

impl GroupedFit {
    /// The Wald test's view of the fit (the same `wald.rs` as one group).
    pub fn wald_input(&self) -> super::wald::WaldInput<'_> {
        super::wald::WaldInput {
            table: &self.table,
            values: self.row_values.clone(),
            vcov: &self.vcov,
            estimator: self.options.estimator,
        }
    }

    /// lavTestWald on the fit: `text` as `--wald` takes it.
    pub fn wald_text(&self, text: &str) -> Result<super::wald::WaldTest, crate::Error> {
        let constraints = super::wald::parse(text)?;
        Ok(super::wald::wald(&self.wald_input(), &constraints)?)
    }
}

/// An inadmissible estimate (a Heywood case, ...) in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupWarning {
    pub group: String,
    pub warning: SemWarning,
}

impl std::fmt::Display for GroupWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "group {}: {}", self.group, self.warning)
    }
}

/// Fits `flat` in every group of `gopts.column` (complete-data ML or MLR).
pub fn fit(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
) -> Result<GroupedFit, SemError> {
    fit_with(flat, data, opts, gopts, None)
}

/// [`fit`], with MLR's robust parts summed within the clusters of column `cluster` in each
/// group when given (cluster.rs).
fn fit_with(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
    cluster: Option<&str>,
) -> Result<GroupedFit, SemError> {
    let ex = interaction::expand(flat, data, opts, gopts)?;
    let mut out = fit_expanded(&ex.flat, &ex.data, opts, gopts, cluster)?;
    out.interactions = ex.products;
    Ok(out)
}

/// [`fit_with`] of a model whose latent products are expanded.
fn fit_expanded(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
    cluster: Option<&str>,
) -> Result<GroupedFit, SemError> {
    if opts.missing == Missing::Fiml {
        return fiml::fit(flat, data, opts, gopts, cluster);
    }
    let (gt, gdata, dropped) = prepare(flat, data, opts, gopts)?;
    let clusters = match cluster {
        Some(var) => {
            let vars: Vec<&str> = gt.combined.ov.iter().map(String::as_str).collect();
            let data = &*products::with_products(flat, data)?;
            Some(cluster::of_groups(data, gopts, &vars, var)?)
        }
        None => None,
    };
    let mut out = fit_groups(&gt, &gdata, opts, clusters.as_deref())?;
    if let (Some(var), Some(c)) = (cluster, &clusters) {
        out.cluster = c.iter().map(|c| c.info(var)).collect();
    }
    out.group = gopts.column.clone();
    out.group_options = gopts.clone();
    out.dropped_lines = dropped;
    Ok(out)
}

/// The stacked table, each group's complete rows and moments, and the file lines of the rows
/// dropped (what `fit` fits and the bootstrap resamples).
pub(crate) fn prepare(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
) -> Result<(GroupedTable, Vec<data::GroupData>, Vec<u64>), SemError> {
    let ex = interaction::expand(flat, data, opts, gopts)?;
    let (flat, data) = (&*ex.flat, &*ex.data);
    let data = &*products::with_products(flat, data)?;
    let names: Vec<String> = data.names().map(str::to_string).collect();
    // The level count first: it decides whether the table is a grouped one at all.
    let (levels, _) = data::levels(data, &gopts.column)?;
    let eq = Equal {
        equal: gopts.equal.clone(),
        partial: gopts.partial.clone(),
    };
    let gt = partable::build(flat, &names, opts, levels.len(), &eq)?;
    let vars: Vec<&str> = gt.combined.ov.iter().map(String::as_str).collect();
    let (split, dropped) = data::split(data, &gopts.column, &vars)?;
    let p = vars.len();
    let mut gdata = Vec::with_capacity(split.len());
    for (g, (level, rows)) in split.into_iter().enumerate() {
        // A group needs more rows than variables (its S must be positive definite) and at
        // least as many as its own free parameters.
        let (n, npar) = (rows.len() / p.max(1), gt.groups[g].n_free.max(p + 1));
        if n < npar {
            return Err(SemError::GroupTooSmall {
                column: gopts.column.clone(),
                group: level,
                n,
                npar,
            });
        }
        gdata.push(data::group_data(
            &gopts.column,
            level,
            rows,
            &gt.combined.ov,
        )?);
    }
    Ok((gt, gdata, dropped))
}

/// Each group's model, the equality constraints as a reparametrisation and the degrees of
/// freedom: what the complete-data and the FIML fit both start from.
pub(super) struct Setup {
    pub models: Vec<Model>,
    pub re: Reparam,
    pub npar: usize,
    pub ndat: usize,
}

pub(super) fn setup(gt: &GroupedTable, stats: &[super::SampleStats]) -> Result<Setup, SemError> {
    let models: Vec<Model> = gt
        .groups
        .iter()
        .zip(stats)
        .map(|(pt, s)| Model::new(pt, s))
        .collect();
    let base: Vec<f64> = models.iter().flat_map(|m| m.base.iter().copied()).collect();
    if constraints::needs_lagrangian(&gt.combined, &base) {
        return Err(SemError::UnsupportedOption {
            what: "nonlinear or inequality constraints with groups (use labels for equalities)"
                .into(),
        });
    }
    let re = constraints::reparametrise(&gt.combined, &base)?;
    let npar = gt.combined.n_free - re.rank;
    let ndat = measures::ndat(gt);
    if npar > ndat {
        return Err(SemError::NegativeDf { npar, ndat });
    }
    Ok(Setup {
        models,
        re,
        npar,
        ndat,
    })
}

/// The fitted state the later stages share.
pub(crate) struct Fitted<'a> {
    pub gt: &'a GroupedTable,
    pub models: Vec<Model>,
    pub re: Reparam,
    pub npar: usize,
    pub est: search::Estimate,
}

/// The pipeline on the groups' data.
fn fit_groups(
    gt: &GroupedTable,
    gdata: &[data::GroupData],
    opts: &SemOptions,
    clusters: Option<&[super::cluster::Clusters]>,
) -> Result<GroupedFit, SemError> {
    let stats: Vec<_> = gdata.iter().map(|d| d.stats.clone()).collect();
    let Setup {
        models,
        re,
        npar,
        ndat,
    } = setup(gt, &stats)?;
    let groups = estimate::Groups {
        models: &models,
        stats: &stats,
        offset: &gt.free_offset,
        q: gt.combined.n_free,
    };
    let est = estimate_groups(gt, &groups, &stats, &re)?;
    let fitted = Fitted {
        gt,
        models: models.clone(),
        re,
        npar,
        est,
    };
    let (v, yb) = standard_errors(&fitted, &groups, gdata, opts, clusters)?;
    let mut fit = measures::fit_measures(&fitted, &groups, ndat);
    if let Some((yb, base_h0)) = yb {
        let n = groups.n_total();
        fit.scaled = Some(robust::scaled(&fit, &yb, base_h0, n, gdata.len()));
    }
    Ok(assemble::assemble(&fitted, &groups, gdata, v, fit, opts))
}

/// θ̂ from lavaan's start values of each group (stacked), with its "simple" start as the
/// second attempt.
fn estimate_groups(
    gt: &GroupedTable,
    groups: &estimate::Groups<'_>,
    stats: &[super::SampleStats],
    re: &Reparam,
) -> Result<search::Estimate, SemError> {
    let stack = |f: fn(&ParTable, &super::SampleStats) -> Vec<f64>| -> Vec<f64> {
        gt.groups
            .iter()
            .zip(stats)
            .flat_map(|(pt, s)| f(pt, s))
            .collect()
    };
    let pb = estimate::Problem { groups, re };
    match search::minimise(&pb, re, &stack(start::start_values)) {
        Err(SemError::NotConverged { .. }) => {
            search::minimise(&pb, re, &stack(start::simple_start_values))
        }
        other => other,
    }
}

/// Var(θ̂) (ML: expected or observed information; MLR: the sandwich over groups) and, under
/// MLR, the Yuan-Bentler parts of the model and the baseline's h0 trace.
fn standard_errors(
    f: &Fitted<'_>,
    groups: &estimate::Groups<'_>,
    gdata: &[data::GroupData],
    opts: &SemOptions,
    clusters: Option<&[super::cluster::Clusters]>,
) -> Result<(Mat, Option<(YuanBentler, f64)>), SemError> {
    let theta = &f.est.theta;
    let kind = match opts.estimator {
        Estimator::Ml => opts.information,
        Estimator::Mlr => Information::Observed,
    };
    let info = match kind {
        Information::Expected => groups.eval(theta, true).and_then(|(_, _, i)| i),
        Information::Observed => observed_information(groups, theta),
    }
    .ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    })?;
    let names = |k: usize| free_name(f.gt, k);
    match opts.estimator {
        Estimator::Ml => Ok((vcov::vcov(&info, &f.re, groups.n_total(), &names)?, None)),
        Estimator::Mlr => {
            let (v, yb, base_h0) = robust::mlr(f, groups, gdata, &info, &names, clusters)?;
            Ok((v, Some((yb, base_h0))))
        }
    }
}

/// The observed information of fmin (lavaan's `lav_model_hessian`: 5-point differences of the
/// analytic gradient of fmin = F/2 over all groups).
fn observed_information(groups: &estimate::Groups<'_>, theta: &[f64]) -> Option<Mat> {
    let half = |t: &[f64]| -> Option<Vec<f64>> {
        let (_, g, _) = groups.eval(t, false)?;
        Some(g.iter().map(|v| v / 2.0).collect())
    };
    vcov::hessian_5point(theta, &half)
}

/// "lhs op rhs (group g)" of free parameter k (0-based), for messages.
fn free_name(gt: &GroupedTable, k: usize) -> String {
    let i = gt
        .combined
        .rows
        .iter()
        .position(|r| r.free == k + 1)
        .unwrap_or(0);
    let g = gt.row_offset.iter().rposition(|&o| o <= i).unwrap_or(0);
    format!("{} (group {})", gt.combined.row_name(i), g + 1)
}
