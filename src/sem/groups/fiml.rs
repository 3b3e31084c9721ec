//! Multi-group FIML (lavaan 0.6-14, `group =` with `missing = "ml"`): every group has its own
//! missing-data patterns and EM saturated (H1) moments (`lav_mvnorm_missing`, h1.rs), and the
//! discrepancy is the n_g/N-weighted sum of the groups' FIML discrepancies
//! (`lav_model_objective`): F = Σ (n_g/N)·F_g with F_g = 2(ℓ_H1,g − ℓ_g(θ_g))/n_g, so that
//! T = N·F = Σ 2(ℓ_H1,g − ℓ_g) (`lav_test.R`'s stat.group per group). The search is
//! fiml/pipeline.rs's (BFGS then Newton steps), the SEs come from the observed information of
//! fmin = F/2 over all groups (lavaan's default for `missing = "ml"`), and the fit measures,
//! MLR sandwich and scaled tests from fiml_measures.rs.

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::super::cluster::Clusters;
use super::super::error::SemError;
use super::super::fiml::pipeline::{self, fiml_data, information_of, minimise, Prepared};
use super::super::fiml::{objective_gradient, FimlData};
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::robust::first_order;
use super::super::sample::SampleStats;
use super::super::{estimate as search, products, start, vcov, SemOptions};
use super::data::{self, GroupData};
use super::estimate::Groups;
use super::partable::{self, Equal, GroupedTable};
use super::{fiml_measures, free_name, Fitted, GroupOptions, GroupedFit};

/// Fits `flat` by FIML in every group of `gopts.column`; with `cluster`, MLR's casewise scores
/// (of the model, the h1 and the baseline) are summed within each group's clusters of that
/// column (lavaan's `cluster =` with `group =` and `missing = "ml"`: one `cluster.idx` per group,
/// lav_data.R, C_g/(C_g−1) per group; sem/cluster.rs).
pub(super) fn fit(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
    cluster: Option<&str>,
) -> Result<GroupedFit, SemError> {
    let (opts, gt, groups, dropped) = prepare(flat, data, opts, gopts, cluster)?;
    let mut out = fit_groups(&gt, &groups, &opts)?;
    out.group = gopts.column.clone();
    out.group_options = gopts.clone();
    out.dropped_lines = dropped;
    if let Some(var) = cluster {
        out.cluster = (groups.iter())
            .filter_map(|g| g.clusters.as_ref().map(|c| c.info(var)))
            .collect();
    }
    Ok(out)
}

/// The options as FIML takes them (the mean structure on), the stacked table, each group's
/// FIML data and the file lines of the rows left out: what `fit` fits and the bootstrap
/// resamples (resample_fiml.rs); with `cluster`, each group's clusters of that column.
pub(super) fn prepare(
    flat: &FlatModel,
    data: &Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
    cluster: Option<&str>,
) -> Result<(SemOptions, GroupedTable, Vec<FimlGroup>, Vec<u64>), SemError> {
    // lavaan forces the mean structure under missing = "ml".
    let opts = SemOptions {
        meanstructure: true,
        ..opts.clone()
    };
    pipeline::check(&opts)?;
    let data = &*products::with_products(flat, data)?;
    let names: Vec<String> = data.names().map(str::to_string).collect();
    let (levels, of_row) = data::levels(data, &gopts.column)?;
    let eq = Equal {
        equal: gopts.equal.clone(),
        partial: gopts.partial.clone(),
    };
    let gt = partable::build(flat, &names, &opts, levels.len(), &eq)?;
    if let Some(var) = cluster.filter(|v| gt.combined.ov.iter().any(|o| o == v)) {
        return Err(SemError::Cluster {
            reason: format!(
                "'{var}' is a variable of the model and the cluster variable; a cluster identifier cannot be modelled"
            ),
        });
    }
    let mut dropped: Vec<u64> = (0..data.n_rows())
        .filter(|&r| of_row[r].is_none())
        .map(|r| data.lines()[r])
        .collect();
    let mut groups = Vec::with_capacity(levels.len());
    for (g, level) in levels.into_iter().enumerate() {
        let rows: Vec<usize> = (0..data.n_rows())
            .filter(|&r| of_row[r] == Some(g))
            .collect();
        let sub = data.take_rows(&rows);
        let mut one = group(&gt, g, gopts, level, &sub)?;
        if let Some(var) = cluster {
            one.clusters = Some(one.prep.clusters_of(&sub, var)?);
        }
        dropped.extend(one.prep.dropped_lines.iter().copied());
        groups.push(one);
    }
    dropped.sort_unstable();
    Ok((opts, gt, groups, dropped))
}

/// One group's FIML data: its rows, patterns, EM H1, and the EM moments as sample statistics
/// (the engine's start values and fixed values read them as the sample moments).
pub(super) struct FimlGroup {
    pub prep: Prepared,
    pub data: GroupData,
    /// The group's clusters of its score rows under `cluster =`.
    pub clusters: Option<Clusters>,
}

impl FimlGroup {
    pub fn fd(&self) -> &FimlData {
        &self.prep.fd
    }

    /// The first-order information of casewise scores, summed within the group's clusters if
    /// any.
    pub fn first_order(&self, scores: &Mat) -> Mat {
        match &self.clusters {
            Some(c) => c.first_order(scores),
            None => first_order(scores),
        }
    }
}

/// Group g's patterns and EM moments, with the group named in its errors' place.
fn group(
    gt: &GroupedTable,
    g: usize,
    gopts: &GroupOptions,
    level: String,
    rows: &Dataset,
) -> Result<FimlGroup, SemError> {
    let pt = &gt.groups[g];
    let p = pt.ov.len();
    let too_small = |n: usize| SemError::GroupTooSmall {
        column: gopts.column.clone(),
        group: level.clone(),
        n,
        npar: pt.n_free.max(p + 1),
    };
    // A variable with no value in this group: name the group, not only the column.
    for v in &pt.ov {
        let col = rows.numeric(v)?;
        if col.iter().all(|x| x.is_nan()) && !col.is_empty() {
            return Err(SemError::GroupMissingItem {
                column: gopts.column.clone(),
                group: level.clone(),
                variable: v.clone(),
            });
        }
    }
    let prep = match fiml_data(pt, rows) {
        Err(SemError::TooFewRows { n, .. }) => return Err(too_small(n)),
        other => other?,
    };
    let n = prep.fd.patterns.n as usize;
    if n < pt.n_free.max(p + 1) {
        return Err(too_small(n));
    }
    let h1 = &prep.fd.h1;
    let cov = Mat::from_rows(p, p, h1.cov.clone());
    let stats = SampleStats::new(&pt.ov, n as f64, h1.mean.clone(), cov)?;
    let data = GroupData {
        level,
        rows: prep.rows.clone(),
        stats,
    };
    Ok(FimlGroup {
        prep,
        data,
        clusters: None,
    })
}

/// F = Σ (n_g/N)·F_g over the groups and its gradient, stacked in θ.
pub(super) fn objective(
    models: &[Model],
    fds: &[&FimlData],
    w: &Groups<'_>,
    theta: &[f64],
) -> Option<(f64, Vec<f64>)> {
    let mut f = 0.0;
    let mut grad = vec![0.0; w.q];
    for (g, model) in models.iter().enumerate() {
        let (fg, gg) = objective_gradient(model, fds[g], w.slice(g, theta))?;
        let wg = w.weight(g);
        f += wg * fg;
        for (k, v) in gg.iter().enumerate() {
            grad[w.offset[g] + k] = wg * v;
        }
    }
    Some((f, grad))
}

/// The pipeline on the groups' FIML data.
fn fit_groups(
    gt: &GroupedTable,
    groups: &[FimlGroup],
    opts: &SemOptions,
) -> Result<GroupedFit, SemError> {
    let stats: Vec<SampleStats> = groups.iter().map(|d| d.data.stats.clone()).collect();
    let super::Setup {
        models,
        re,
        npar,
        ndat,
    } = super::setup(gt, &stats)?;
    let w = Groups {
        models: &models,
        stats: &stats,
        offset: &gt.free_offset,
        q: gt.combined.n_free,
    };
    let fds: Vec<&FimlData> = groups.iter().map(FimlGroup::fd).collect();
    let obj = |t: &[f64]| objective(&models, &fds, &w, t);
    let stack = |f: fn(&super::super::ParTable, &SampleStats) -> Vec<f64>| -> Vec<f64> {
        (gt.groups.iter().zip(&stats))
            .flat_map(|(pt, s)| f(pt, s))
            .collect()
    };
    let est: search::Estimate = match minimise(&obj, &re, &stack(start::start_values)) {
        Err(SemError::NotConverged { .. }) => {
            minimise(&obj, &re, &stack(start::simple_start_values))?
        }
        other => other?,
    };
    let info = information_of(&obj, &est.theta).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    })?;
    let names = |k: usize| free_name(gt, k);
    let fitted = Fitted {
        gt,
        models: models.clone(),
        re,
        npar,
        est,
    };
    let v = vcov::vcov(&info, &fitted.re, w.n_total(), &names)?;
    let (v, fit) = fiml_measures::measures(&fitted, &w, groups, &info, v, ndat, opts)?;
    let gdata: Vec<GroupData> = groups.iter().map(|d| d.data.clone()).collect();
    let mut out = super::assemble::assemble(&fitted, &w, &gdata, v, fit, opts);
    if let Some(src) = out.source.as_mut() {
        std::sync::Arc::make_mut(src).fiml = groups.iter().map(|g| g.fd().clone()).collect();
    }
    // Each group's share of T is 2(ℓ_H1,g − ℓ_g) = n_g·F_g under FIML (lavaan's stat.group).
    for (g, r) in out.groups.iter_mut().enumerate() {
        let fg = objective_gradient(&models[g], groups[g].fd(), w.slice(g, &fitted.est.theta));
        r.chisq = fg.map_or(f64::NAN, |(f, _)| groups[g].fd().patterns.n * f);
    }
    Ok(out)
}
