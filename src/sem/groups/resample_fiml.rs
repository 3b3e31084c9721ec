//! The per-draw step of the bootstrap of a multi-group FIML fit (lavaan 0.6-14's
//! `se = "bootstrap"` with `group =` and `missing = "ml"`: `lav_bootstrap.R` draws
//! `sample(n_g, replace = TRUE)` within each group, incomplete rows with their missing cells,
//! and refits). A draw is one count vector over the groups' rows (the engine's `Strata`); each
//! group's casewise likelihood is the count-weighted sum over its rows, which its pattern
//! statistics carry (`MissingPatterns::weighted`: the group's patterns, the draw's sizes,
//! means and covariances), so no row is copied. F = Σ (n_g/N)·F_g (groups/fiml.rs) is refitted
//! by BFGS in z from θ̂ with the full sample's inverse Hessian, and by the grouped FIML search
//! (fiml/pipeline.rs's `minimise`) when that stalls: the single-group FIML refit's rule
//! (resample/fiml_refit.rs). Under fixed.x each group's covariate moments are the draw's own
//! (resample/covariates.rs), as lavaan rebuilds a draw's model.

use crate::inference::resample::Step;

use super::super::constraints::{self, Reparam};
use super::super::estimate::GRADIENT_TOL;
use super::super::fiml::pipeline::{information_of, minimise};
use super::super::fiml::{bfgs_from, FimlData};
use super::super::linalg::{spd_inverse_logdet, Mat};
use super::super::missing::MissingPatterns;
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::resample::Covariates;
use super::super::sample::SampleStats;
use super::super::SemError;
use super::estimate::Groups;
use super::fiml::{objective, FimlGroup};
use super::resample::{estimates, statistics};
use super::GroupedTable;

/// BFGS iterations before the grouped search takes over (as resample/fiml_refit.rs).
const MAX_STEPS: usize = 200;
/// A search that stalls with a gradient below this has reached the rounding floor of F.
const STALL_TOL: f64 = 1e-7;

/// One group's resampled rows: those with an observed model variable (rows with none carry no
/// likelihood, and lavaan drops them before resampling), their patterns and EM H1.
struct DrawGroup {
    rows: Vec<f64>,
    n: usize,
    fd: FimlData,
    covariates: Option<Covariates>,
}

/// The refit of a grouped FIML draw: everything fixed across draws, made once.
pub(super) struct GroupFimlRefit<'a> {
    gt: &'a GroupedTable,
    models: Vec<Model>,
    /// Each group's EM moments: their n_g give the weights n_g/N, fixed across draws.
    stats: Vec<SampleStats>,
    re: Reparam,
    start: &'a [f64],
    groups: Vec<DrawGroup>,
    /// Each group's first row in a draw's counts.
    first: Vec<usize>,
    p: usize,
    z0: Vec<f64>,
    /// The inverse of ∂²F/∂z∂z′ at θ̂ on the full sample.
    h0: Mat,
}

impl<'a> GroupFimlRefit<'a> {
    /// The step for the FIML groups `groups` of `gt`, fitted at `start` (θ̂).
    pub fn new(
        gt: &'a GroupedTable,
        groups: &[FimlGroup],
        start: &'a [f64],
    ) -> Result<Self, SemError> {
        let stats: Vec<SampleStats> = groups.iter().map(|d| d.data.stats.clone()).collect();
        let models: Vec<Model> = gt
            .groups
            .iter()
            .zip(&stats)
            .map(|(pt, s)| Model::new(pt, s))
            .collect();
        let base: Vec<f64> = models.iter().flat_map(|m| m.base.iter().copied()).collect();
        let re = constraints::reparametrise(&gt.combined, &base)?;
        let p = gt.combined.ov.len();
        let draw_groups = gt
            .groups
            .iter()
            .zip(groups)
            .map(|(pt, d)| draw_group(pt, d, p))
            .collect::<Result<Vec<_>, _>>()?;
        let first = draw_groups
            .iter()
            .scan(0, |at, d| {
                let here = *at;
                *at += d.n;
                Some(here)
            })
            .collect();
        let h0 = {
            let w = Groups {
                models: &models,
                stats: &stats,
                offset: &gt.free_offset,
                q: gt.combined.n_free,
            };
            let fds: Vec<&FimlData> = draw_groups.iter().map(|d| &d.fd).collect();
            let obj = |t: &[f64]| objective(&models, &fds, &w, t);
            let info = information_of(&obj, start).ok_or_else(not_pd)?;
            // ∂²F/∂z∂z′ = 2K′IK, I the unit information of fmin = F/2.
            let hz = re.k.t().mul(&info).mul(&re.k).scale(2.0);
            spd_inverse_logdet(&hz).ok_or_else(not_pd)?.0
        };
        Ok(GroupFimlRefit {
            z0: re.z(start),
            gt,
            models,
            stats,
            re,
            start,
            groups: draw_groups,
            first,
            p,
            h0,
        })
    }

    /// Each group's number of resampled rows.
    pub fn sizes(&self) -> Vec<usize> {
        self.groups.iter().map(|d| d.n).collect()
    }

    /// θ* of the draw whose groups' patterns carry its counts (`models` holding its fixed.x
    /// values): BFGS from θ̂, else the grouped FIML search from θ̂.
    fn solve(&self, w: &Groups<'_>, fds: &[&FimlData]) -> Result<Vec<f64>, String> {
        let obj = |t: &[f64]| objective(w.models, fds, w, t);
        let eval = |z: &[f64]| -> Option<(f64, Vec<f64>)> {
            let (f, g) = obj(&self.re.theta(z))?;
            Some((f, self.re.k.t().mul_vec(&g)))
        };
        let quick = bfgs_from(&eval, &self.z0, self.h0.clone(), GRADIENT_TOL, MAX_STEPS);
        if let Some(end) = quick.filter(|e| e.gmax < STALL_TOL) {
            return Ok(self.re.theta(&end.x));
        }
        match minimise(&obj, &self.re, self.start) {
            Ok(est) => Ok(est.theta),
            Err(SemError::NotConverged { .. }) => {
                Err("the grouped FIML fit did not converge".into())
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Group `d`'s non-empty rows, their patterns (rebuilt without the empty rows, so a draw's
/// counts index exactly the rows it resamples), its EM H1 and its fixed.x covariates.
fn draw_group(pt: &super::super::ParTable, d: &FimlGroup, p: usize) -> Result<DrawGroup, SemError> {
    let prep = &d.prep;
    let empty = &prep.fd.patterns.empty_rows;
    let rows: Vec<f64> = (0..prep.n_rows)
        .filter(|i| !empty.contains(i))
        .flat_map(|i| prep.rows[i * p..(i + 1) * p].iter().copied())
        .collect();
    let n = rows.len() / p;
    let patterns = MissingPatterns::new(DataView::new(&rows, n, p)?)?;
    Ok(DrawGroup {
        covariates: Covariates::new(pt, &rows, p),
        fd: FimlData {
            patterns,
            h1: prep.fd.h1.clone(),
        },
        rows,
        n,
    })
}

fn not_pd() -> SemError {
    SemError::Unidentified {
        parameters: vec![
            "(the observed information of the grouped FIML fit is not positive definite at the estimate)".into(),
        ],
    }
}

impl Step<[u32]> for GroupFimlRefit<'_> {
    /// A worker's own models, whose fixed.x rows change per draw.
    type Scratch = Vec<Model>;

    fn statistics(&self) -> usize {
        statistics(self.gt, self.start)
    }

    fn scratch(&self) -> Vec<Model> {
        self.models.clone()
    }

    fn draw(
        &self,
        models: &mut Vec<Model>,
        counts: &mut [u32],
        out: &mut [f64],
    ) -> Result<(), String> {
        let mut fds = Vec::with_capacity(self.groups.len());
        for (g, d) in self.groups.iter().enumerate() {
            let c = &counts[self.first[g]..self.first[g] + d.n];
            let view = DataView::new(&d.rows, d.n, self.p).map_err(|e| e.to_string())?;
            let patterns = d.fd.patterns.weighted(view, c).map_err(|e| e.to_string())?;
            fds.push(FimlData {
                patterns,
                h1: d.fd.h1.clone(),
            });
            if let Some(x) = &d.covariates {
                x.set(&mut models[g], c);
            }
        }
        let w = Groups {
            models,
            stats: &self.stats,
            offset: &self.gt.free_offset,
            q: self.gt.combined.n_free,
        };
        let refs: Vec<&FimlData> = fds.iter().collect();
        let theta = self.solve(&w, &refs)?;
        estimates(self.gt, &w, &theta, out);
        Ok(())
    }
}
