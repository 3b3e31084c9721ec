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
    draw_and_summarise, exo_rows,
    monte_carlo::{self, McInput},
    solve, DrawMoments, Exo, Labelled, SemBootOptions, SemBootstrap,
};
use super::super::sample::SampleStats;
use super::super::{ParameterRow, SemError};
use super::data::GroupData;
use super::estimate::{Groups, Problem};
use super::{GroupedFit, GroupedTable};

/// The bootstrap and Monte Carlo intervals `opts` asks for, of `fit` (the grouped fit of `flat`
/// to `data`).
pub fn bootstrap(
    flat: &FlatModel,
    data: &Dataset,
    fit: &GroupedFit,
    opts: &SemBootOptions,
) -> Result<SemBootstrap, SemError> {
    if opts.bollen_stine {
        return Err(SemError::UnsupportedOption {
            what: "the Bollen-Stine bootstrap with groups (use --boot for intervals)".into(),
        });
    }
    let mut out = SemBootstrap::empty(opts, fit.options.level);
    let rows = labelled(fit);
    if opts.boot > 0 {
        let (gt, gdata, _) = super::prepare(flat, data, &fit.options, &fit.group_options)?;
        let step = GroupRefit::new(&gt, &gdata, &fit.theta)?;
        let sizes = step.moments.iter().map(DrawMoments::rows).collect();
        draw_and_summarise(&Strata::new(sizes), &step, &rows, opts, &mut out)?;
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
        // std.all of a `:=` across groups would take every group's implied moments per draw;
        // not resampled yet.
        standardized: false,
    }
}

/// The refit of a grouped draw: what is fixed across draws, made once.
struct GroupRefit<'a> {
    gt: &'a GroupedTable,
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
    fn new(gt: &'a GroupedTable, gdata: &[GroupData], start: &'a [f64]) -> Result<Self, SemError> {
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
        self.start.len() + self.gt.combined.defined.len()
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
        let theta = match quick {
            Some((z, _)) => self.re.theta(&z),
            None => {
                let est = search::minimise(&pb, &self.re, self.start).map_err(|e| match e {
                    SemError::NotConverged { .. } => {
                        "the grouped ML fit did not converge".to_string()
                    }
                    e => e.to_string(),
                })?;
                est.theta
            }
        };
        let q = theta.len();
        out[..q].copy_from_slice(&theta);
        let values: Vec<f64> = (0..work.models.len())
            .flat_map(|g| work.models[g].row_values(groups.slice(g, &theta)))
            .collect();
        out[q..].copy_from_slice(&defined_all(&self.gt.combined, &values));
        Ok(())
    }
}
