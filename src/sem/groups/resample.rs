//! Resampled inference for a multi-group fit (`cipa sem --group VAR --boot B | --mc R`) through
//! the one resampling engine (`inference::resample`) and the single-group bootstrap's summaries
//! (`sem::resample`):
//!
//! - the nonparametric bootstrap resamples each group's rows within that group, the group sizes
//!   fixed, as lavaan 0.6-14 does with groups (`lav_bootstrap.R` draws `sample(n_g, replace =
//!   TRUE)` per group): a draw is one count vector over the groups' rows, all groups from the
//!   draw's one seeded stream ([`Strata`]); each group's weighted moments give its S*, ȳ*, and
//!   the grouped ML problem F = Σ (n_g/N)·F_g is refitted from θ̂. Every free parameter of every
//!   group and every `:=` (across groups: group-specific indirect effects and their
//!   difference) gets a bootstrap SE and percentile, BC or BCa interval;
//!   The std.all values of the `:=` rows (standardized indirect effects, each group
//!   standardized by its own implied moments) are resampled with them;
//! - under FIML each group's rows, incomplete ones with their missing cells, are resampled
//!   within the group and the groups' casewise likelihoods refitted (resample_fiml.rs; lavaan's
//!   `se = "bootstrap"` with `group =` and `missing = "ml"`);
//! - the Bollen-Stine p value of the chi-square over groups: each group's rows transformed to
//!   that group's implied moments (lavaan's `bootstrapLavaan(type = "bollen.stine")` transforms
//!   per group), resampled within groups, T* = Σ n_g·F_g(θ*) against T (complete data only,
//!   as lavaan: "bollen.stine/yuan bootstrap not available for missing data");
//! - Monte Carlo intervals of the `:=` parameters from N(θ̂, V̂) of the grouped fit.
//!
//! Draw b uses the stream of (seed, b) whatever the threads; failed draws are replaced and
//! counted, and above the engine's share of failures no interval is reported (the single-group
//! rule).

use crate::data::Dataset;
use crate::inference::resample::{Step, Strata};
use crate::spec::flat::FlatModel;

use super::super::assemble::defined_all;
use super::super::constraints::{self, Reparam};
use super::super::estimate as search;
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::resample::{
    draw_and_summarise, driver, exo_rows, failed,
    monte_carlo::{self, McInput},
    solve, transform_rows, BollenStine, DrawMoments, Exo, Labelled, SemBootOptions, SemBootstrap,
};
use super::super::sample::SampleStats;
use super::super::{Missing, ParameterRow, SemError};
use super::assemble::defined_std_all;
use super::data::{self, GroupData};
use super::estimate::{Groups, Problem};
use super::resample_fiml::GroupFimlRefit;
use super::{GroupedFit, GroupedTable};

/// The bootstrap, Bollen-Stine and Monte Carlo results `opts` asks for, of `fit` (the grouped
/// fit of `flat` to `data`).
pub fn bootstrap(
    flat: &FlatModel,
    data: &Dataset,
    fit: &GroupedFit,
    opts: &SemBootOptions,
) -> Result<SemBootstrap, SemError> {
    let fiml = fit.options.missing == Missing::Fiml;
    if opts.bollen_stine && fiml {
        // Savalei & Yuan's (2009) per-pattern transformation has no peer: lavaan 0.6-14
        // refuses it ("bollen.stine/yuan bootstrap not available for missing data").
        return Err(SemError::UnsupportedOption {
            what: "the Bollen-Stine bootstrap of a full-information ML fit (lavaan 0.6-14 refuses it too; use --missing listwise for it, or --boot for intervals)".into(),
        });
    }
    let mut out = SemBootstrap::empty(opts, fit.options.level);
    let rows = labelled(fit);
    if opts.boot > 0 && fiml {
        let (_, gt, groups, _) =
            super::fiml::prepare(flat, data, &fit.options, &fit.group_options, None)?;
        let step = GroupFimlRefit::new(&gt, &groups, &fit.theta)?;
        draw_and_summarise(&Strata::new(step.sizes()), &step, &rows, opts, &mut out)?;
    } else if opts.boot > 0 {
        let (gt, gdata, _) = super::prepare(flat, data, &fit.options, &fit.group_options)?;
        let step = GroupRefit::new(&gt, &gdata, &fit.theta, Yield::Estimates)?;
        let sizes = step.moments.iter().map(DrawMoments::rows).collect();
        draw_and_summarise(&Strata::new(sizes), &step, &rows, opts, &mut out)?;
        if opts.bollen_stine {
            out.bollen_stine = Some(bollen_stine(&gt, &gdata, fit, opts)?);
        }
    }
    if opts.mc > 0 {
        let mc = McInput {
            pt: &fit.table,
            theta: &fit.theta,
            vcov: &fit.vcov,
            base: fit.row_values.clone(),
            defined: rows.defined.clone(),
            level: fit.options.level,
        };
        out.monte_carlo = Some(monte_carlo::intervals(&mc, opts)?);
    }
    Ok(out)
}

/// The Bollen-Stine p value over groups (Bollen & Stine 1992; lavaan's `lav_bootstrap.R`
/// transforms each group's rows to its own Σ̂_g, μ̂_g and resamples within groups): T* of
/// every draw of the transformed rows, refitted from θ̂, against the sample's T.
fn bollen_stine(
    gt: &GroupedTable,
    gdata: &[GroupData],
    fit: &GroupedFit,
    opts: &SemBootOptions,
) -> Result<BollenStine, SemError> {
    let names = &gt.combined.ov;
    let moved = gdata
        .iter()
        .zip(&fit.groups)
        .zip(&gt.groups)
        .map(|((d, r), pt)| {
            let mu = pt.meanstructure.then_some(r.implied_mean.as_slice());
            let rows = transform_rows(&d.rows, &d.stats, &r.implied_cov, mu);
            data::group_data(&fit.group, d.level.clone(), rows, names)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let step = GroupRefit::new(gt, &moved, &fit.theta, Yield::ChiSquare)?;
    let sizes = step.moments.iter().map(DrawMoments::rows).collect();
    let draws = driver(opts, opts.boot)
        .run(&Strata::new(sizes), &step)
        .map_err(|f| failed("Bollen-Stine bootstrap", f))?;
    let t = fit.fit.chisq;
    let reached = draws.values.iter().filter(|&&v| v >= t).count();
    Ok(BollenStine {
        b: opts.boot,
        chisq: t,
        pvalue: reached as f64 / opts.boot as f64,
        failed: draws.ledger,
    })
}

/// The grouped fit's free and `:=` rows with lavaan's group column (0 for `:=`).
fn labelled(fit: &GroupedFit) -> Labelled<'_> {
    let rows = |keep: fn(&ParameterRow) -> bool| -> Vec<(Option<usize>, &ParameterRow)> {
        fit.parameters
            .iter()
            .filter(|r| keep(&r.row))
            .map(|r| (Some(r.group), &r.row))
            .collect()
    };
    Labelled {
        theta: &fit.theta,
        free: rows(|r| r.free > 0),
        defined: rows(|r| r.op == ":="),
        level: fit.options.level,
        standardized: true,
    }
}

/// What a grouped draw yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yield {
    /// θ*, the `:=` rows at θ* and their std.all values.
    Estimates,
    /// T* = Σ n_g·F_g(θ*) (Bollen-Stine).
    ChiSquare,
}

/// The refit of a grouped draw: what is fixed across draws, made once.
struct GroupRefit<'a> {
    gt: &'a GroupedTable,
    yields: Yield,
    /// Each group's model at the full sample (its fixed.x rows change per draw).
    models: Vec<Model>,
    re: Reparam,
    start: &'a [f64],
    /// Each group's weighted moments, and its first row in a draw's counts.
    moments: Vec<DrawMoments>,
    first: Vec<usize>,
    /// Each group's fixed.x rows (a draw's own covariate moments, as lavaan rebuilds them).
    exo: Vec<Vec<(usize, Exo)>>,
    /// z of θ̂ and the full sample's inverse Hessian there: a draw's quasi-Newton steps start
    /// from them (as the single-group refit's, `resample/solve.rs`).
    z0: Vec<f64>,
    h0: Option<Mat>,
}

/// A worker's memory: the groups' models and one group's sums.
struct Work {
    models: Vec<Model>,
    sums: Vec<f64>,
}

impl<'a> GroupRefit<'a> {
    fn new(
        gt: &'a GroupedTable,
        gdata: &[GroupData],
        start: &'a [f64],
        yields: Yield,
    ) -> Result<Self, SemError> {
        let models: Vec<Model> = gt
            .groups
            .iter()
            .zip(gdata)
            .map(|(pt, d)| Model::new(pt, &d.stats))
            .collect();
        let base: Vec<f64> = models.iter().flat_map(|m| m.base.iter().copied()).collect();
        let re = constraints::reparametrise(&gt.combined, &base)?;
        let moments: Vec<DrawMoments> = gdata
            .iter()
            .map(|d| DrawMoments::new(&gt.combined.ov, &d.rows))
            .collect();
        let first = moments
            .iter()
            .scan(0, |at, m| {
                let here = *at;
                *at += m.rows();
                Some(here)
            })
            .collect();
        let h0 = {
            let stats: Vec<SampleStats> = gdata.iter().map(|d| d.stats.clone()).collect();
            let groups = Groups {
                models: &models,
                stats: &stats,
                offset: &gt.free_offset,
                q: gt.combined.n_free,
            };
            let pb = Problem {
                groups: &groups,
                re: &re,
            };
            solve::inverse_hessian(&pb, &re.z(start))
        };
        Ok(GroupRefit {
            yields,
            exo: gt.groups.iter().map(exo_rows).collect(),
            z0: re.z(start),
            h0,
            gt,
            models,
            re,
            start,
            moments,
            first,
        })
    }

    /// Group g's draw moments from its slice of the counts, its fixed.x rows set in `model`.
    fn group_sample(
        &self,
        g: usize,
        counts: &[u32],
        work: &mut Work,
    ) -> Result<SampleStats, String> {
        let m = &self.moments[g];
        let (from, w) = (self.first[g], m.width());
        m.sums(&[&counts[from..from + m.rows()]], &mut work.sums[..w]);
        let s = m.sample(&work.sums[..w])?;
        let model = &mut work.models[g];
        for &(row, at) in &self.exo[g] {
            model.base[row] = match at {
                Exo::Mean(j) => s.mean[j],
                Exo::Cov(i, j) => s.cov[(i, j)],
            };
        }
        Ok(s)
    }
}

impl Step<[u32]> for GroupRefit<'_> {
    type Scratch = Work;

    fn statistics(&self) -> usize {
        match self.yields {
            Yield::Estimates => statistics(self.gt, self.start),
            Yield::ChiSquare => 1,
        }
    }

    fn scratch(&self) -> Work {
        let w = self
            .moments
            .iter()
            .map(DrawMoments::width)
            .max()
            .unwrap_or(0);
        Work {
            models: self.models.clone(),
            sums: vec![0.0; w],
        }
    }

    /// θ* from θ̂ by quasi-Newton steps on F = Σ (n_g/N)·F_g (else the grouped search of
    /// `estimate.rs`), to the engine's |∂F/∂z|∞ < 1e-10 either way; then the `:=` rows at θ*.
    fn draw(&self, work: &mut Work, counts: &mut [u32], out: &mut [f64]) -> Result<(), String> {
        let stats = (0..self.moments.len())
            .map(|g| self.group_sample(g, counts, work))
            .collect::<Result<Vec<_>, _>>()?;
        let groups = Groups {
            models: &work.models,
            stats: &stats,
            offset: &self.gt.free_offset,
            q: self.gt.combined.n_free,
        };
        let pb = Problem {
            groups: &groups,
            re: &self.re,
        };
        let quick = self
            .h0
            .as_ref()
            .and_then(|h| solve::minimise(&pb, &self.z0, h));
        let (theta, f) = match quick {
            Some((z, f)) => (self.re.theta(&z), f),
            None => {
                let est = search::minimise(&pb, &self.re, self.start).map_err(|e| match e {
                    SemError::NotConverged { .. } => {
                        "the grouped ML fit did not converge".to_string()
                    }
                    e => e.to_string(),
                })?;
                (est.theta, est.f)
            }
        };
        match self.yields {
            Yield::ChiSquare => out[0] = groups.n_total() * f,
            Yield::Estimates => estimates(self.gt, &groups, &theta, out),
        }
        Ok(())
    }
}

/// How many statistics a draw of the estimates holds: θ*, the `:=` rows, their std.all.
pub(super) fn statistics(gt: &GroupedTable, theta: &[f64]) -> usize {
    theta.len() + 2 * gt.combined.defined.len()
}

/// θ*, the `:=` rows at θ* and their std.all values (each group standardized by its own
/// implied moments; NaN where some Σ_g is not positive definite) into `out`: the statistics
/// of every grouped bootstrap draw, complete-data or FIML.
pub(super) fn estimates(gt: &GroupedTable, groups: &Groups<'_>, theta: &[f64], out: &mut [f64]) {
    let (q, nd) = (theta.len(), gt.combined.defined.len());
    out[..q].copy_from_slice(theta);
    if nd == 0 {
        return;
    }
    let values: Vec<f64> = (0..groups.models.len())
        .flat_map(|g| groups.models[g].row_values(groups.slice(g, theta)))
        .collect();
    out[q..q + nd].copy_from_slice(&defined_all(&gt.combined, &values));
    match defined_std_all(gt, groups, theta) {
        Some(std) => out[q + nd..q + 2 * nd].copy_from_slice(&std),
        None => out[q + nd..q + 2 * nd].fill(f64::NAN),
    }
}
