//! Stage 3b, the point effects: the vector of statistics that the full sample and every draw
//! compute by the same function ([`Statistics::evaluate`]), laid out as
//!
//! ```text
//! [ effects | defined quantities | standardized effects | coefficients | curves' grid points ]
//!   0..n_eff  n_eff..n_base        n_base..n_coef         n_coef..n_curve n_curve..len
//! ```
//!
//! Standardized effects (`effsize`) scale an effect by SD(X)/SD(Y) (completely standardized, for
//! a numeric X) or 1/SD(Y) (partially, for a dichotomous or categorical X); a draw scales by its
//! own resample's SDs. With `modelbt` every equation's coefficients ride along too (PROCESS's
//! bootstrap results for the regression parameters). The curves (conditional indirect effects over a moderator's range) exist
//! only when there are draws to give them bands. A draw keeps the curves' polynomial
//! coefficients in place of their grid points ([`Statistics::evaluate_draw`]); the summaries
//! evaluate the points from them.

use super::curve::CurveSet;
use super::defined::DefinedSet;
use super::plan::Planned;
use super::prepare::{is_binary, Prepared};
use super::AnalysisOptions;
use crate::effects::{CompiledPlan, EffectKind};
use crate::error::Result;
use crate::estimation::{EquationFit, R2Change};
use crate::spec::ModelSpec;

/// The statistics every draw computes, and where each block sits.
pub(super) struct Statistics {
    effects: CompiledPlan,
    pub defined: DefinedSet,
    pub standardized: Standardizer,
    pub curves: CurveSet,
    /// Start of the defined quantities (= number of effects).
    pub n_eff: usize,
    /// Start of the standardized effects.
    pub n_base: usize,
    /// Start of the coefficients (`modelbt`; empty otherwise).
    pub n_coef: usize,
    /// (equation, coefficient) of each statistic of the coefficients' block.
    pub coefficients: Vec<(usize, usize)>,
    /// Start of the curves' grid points.
    pub n_curve: usize,
}

/// Which effects are standardized, and how.
pub(super) struct Standardizer {
    /// The effects (indices into the plan's effects) that get a standardized version.
    pub idx: Vec<usize>,
    /// Completely standardized (· SD(X) / SD(Y)); otherwise partially (/ SD(Y)).
    pub complete: bool,
    /// The scale on the full sample.
    pub point_scale: f64,
}

impl Standardizer {
    /// The factor that standardizes an effect, given SD(X) and SD(Y).
    pub fn scale(&self, sd_x: f64, sd_y: f64) -> f64 {
        if self.complete {
            sd_x / sd_y
        } else {
            1.0 / sd_y
        }
    }
}

impl Statistics {
    /// How many statistics a draw computes.
    pub fn len(&self) -> usize {
        self.n_curve + self.curves.len()
    }

    /// How many values a draw keeps: the statistics before the curves, then the curves'
    /// polynomial coefficients ([`Statistics::evaluate_draw`]).
    pub fn draw_len(&self) -> usize {
        self.n_curve + self.curves.coefficients()
    }

    /// Every statistic from the equations' coefficients `betas` into `out`; `scale()` gives the
    /// standardizing factor (asked only when some effect is standardized).
    pub fn evaluate(&self, betas: &[Vec<f64>], scale: impl FnOnce() -> f64, out: &mut [f64]) {
        self.evaluate_before_curves(betas, scale, out);
        self.curves.evaluate(betas, &mut out[self.n_curve..]);
    }

    /// What a resampling draw keeps ([`Statistics::draw_len`] values): the statistics as
    /// [`Statistics::evaluate`] gives them up to the curves, then the curves' coefficients,
    /// from which the summaries evaluate each grid point's draws with the same bits.
    pub fn evaluate_draw(&self, betas: &[Vec<f64>], scale: impl FnOnce() -> f64, out: &mut [f64]) {
        self.evaluate_before_curves(betas, scale, out);
        self.curves
            .evaluate_coefficients(betas, &mut out[self.n_curve..]);
    }

    /// The statistics `0..n_curve`.
    fn evaluate_before_curves(
        &self,
        betas: &[Vec<f64>],
        scale: impl FnOnce() -> f64,
        out: &mut [f64],
    ) {
        self.effects.evaluate(betas, &mut out[..self.n_eff]);
        self.defined
            .evaluate(betas, &mut out[self.n_eff..self.n_base]);
        if !self.standardized.idx.is_empty() {
            let s = scale();
            for (k, &i) in self.standardized.idx.iter().enumerate() {
                out[self.n_base + k] = out[i] * s;
            }
        }
        for (o, &(e, j)) in out[self.n_coef..self.n_curve]
            .iter_mut()
            .zip(&self.coefficients)
        {
            *o = betas[e][j];
        }
    }
}

/// The statistics of the analysis and their values on the full sample.
pub(super) fn point_effects(
    planned: &Planned,
    prep: &Prepared,
    spec: &ModelSpec,
    equations: &[(EquationFit, Vec<R2Change>)],
    opts: &AnalysisOptions,
) -> Result<(Statistics, Vec<f64>)> {
    let plan = &planned.plan;
    let names: Vec<Vec<String>> = prep.designs.iter().map(|d| d.names.clone()).collect();
    let defined = DefinedSet::new(spec, &names).map_err(crate::Error::Usage)?;
    let standardized = standardizer(planned, prep, spec, opts)?;
    let n_eff = plan.effects.len();
    let n_base = n_eff + defined.count();
    let n_coef = n_base + standardized.idx.len();
    let coefficients: Vec<(usize, usize)> = if opts.modelbt && opts.boot > 0 && opts.mc == 0 {
        let eq = prep.designs.iter().enumerate();
        eq.flat_map(|(e, d)| (0..d.k()).map(move |j| (e, j)))
            .collect()
    } else {
        Vec::new()
    };
    let n_curve = n_coef + coefficients.len();
    let resampled = opts.mc > 0 || opts.boot > 0;
    let curves = CurveSet::new(plan, &prep.sub, resampled && n_curve > 0);
    let stats = Statistics {
        effects: plan.compile(),
        defined,
        standardized,
        curves,
        n_eff,
        n_base,
        n_coef,
        coefficients,
        n_curve,
    };
    let betas: Vec<Vec<f64>> = equations.iter().map(|(f, _)| f.estimates()).collect();
    let mut point = vec![0.0; stats.len()];
    stats.evaluate(&betas, || stats.standardized.point_scale, &mut point);
    Ok((stats, point))
}

/// With `effsize`: the unmoderated indirect, total indirect, contrast and total effects, and
/// their scale on the full sample (sample SDs, n - 1).
fn standardizer(
    planned: &Planned,
    prep: &Prepared,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<Standardizer> {
    let idx: Vec<usize> = if opts.effsize {
        planned
            .plan
            .effects
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.moderators.is_empty()
                    && matches!(
                        e.kind,
                        EffectKind::Indirect
                            | EffectKind::TotalIndirect
                            | EffectKind::Contrast
                            | EffectKind::Total
                    )
            })
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let sub = &prep.sub;
    let complete = opts.effsize
        && planned.focal.len() == 1
        && !is_binary(sub, &spec.x)
        && sub.numeric(&spec.x).is_ok();
    let mut st = Standardizer {
        idx,
        complete,
        point_scale: f64::NAN,
    };
    if !st.idx.is_empty() {
        let sample_sd = |v: &str| {
            sub.numeric(v).map(|x| {
                let n = x.len() as f64;
                let m = x.iter().sum::<f64>() / n;
                (x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            })
        };
        let sd_y = sample_sd(&spec.y)?;
        let sd_x = if complete {
            sample_sd(&spec.x)?
        } else {
            f64::NAN
        };
        st.point_scale = st.scale(sd_x, sd_y);
    }
    Ok(st)
}
