//! The per-draw step of every SEM bootstrap: a draw is a vector of row counts; its moments are
//! the count-weighted sums of the rows' products (the engine's [`Moments`] kernel, a batch of
//! draws at once), and the model is refitted by ML from them, warm-started at θ̂ (lavaan's
//! `lav_bootstrap_internal` also reuses the fitted model's values as the start). A draw whose
//! sample covariance is not positive definite or whose fit does not converge fails, and the
//! engine replaces it and records why (lavaan keeps such draws as NA rows and drops them).

use crate::inference::resample::Step;

use super::super::auglag::{solve_from, Multipliers};
use super::super::constraints::Reparam;
use super::super::estimate::estimate;
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::nonlinear::Constraints;
use super::super::partable::{Op, ParTable};
use super::super::sample::SampleStats;
use super::super::standardize::standardize;
use super::solve::{minimise, Objective};
use super::weighted::DrawMoments;

/// What a draw yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    /// θ*, the defined parameters at θ*, and their std.all values.
    Estimates,
    /// The test statistic T* = n·F_ML(θ*) (Bollen-Stine).
    ChiSquare,
}

/// Where a fixed.x row's value comes from in a draw's moments.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Exo {
    Mean(usize),
    Cov(usize, usize),
}

/// How a draw is refitted under nonlinear or inequality constraints: by the augmented
/// Lagrangian from θ̂ (lavaan's bootstrap refits every draw with nlminb.constr from the fitted
/// values, `lav_bootstrap.R`), its outer loop starting at the full sample's multipliers.
pub(super) struct Lagrangian<'a> {
    pub cons: Constraints<'a>,
    pub warm: Multipliers,
}

/// Draws whose weighted sums are formed together (one pass over the rows' products per batch).
const BATCH: usize = 32;

/// The refit of a draw: everything fixed across draws is made once here.
pub(super) struct Refit<'a> {
    pt: &'a ParTable,
    model: Model,
    re: &'a Reparam,
    start: &'a [f64],
    /// fixed.x rows: their row index and the draw moment they take.
    exo: Vec<(usize, Exo)>,
    moments: DrawMoments,
    output: Output,
    /// z of θ̂ and the full sample's inverse Hessian there (the start of every draw's steps).
    z0: Vec<f64>,
    h0: Option<Mat>,
    /// Set under nonlinear or inequality constraints, which θ = K z + k₀ cannot express.
    lagrangian: Option<Lagrangian<'a>>,
}

/// A worker's memory: the batch's sums and its own model (whose fixed.x rows change per draw).
pub(super) struct Work {
    sums: Vec<f64>,
    model: Model,
}

impl<'a> Refit<'a> {
    /// The step for the rows `rows` (row-major n × p in `pt.ov`'s order) of the model fitted at
    /// `start` (θ̂).
    pub fn new(
        pt: &'a ParTable,
        model: Model,
        re: &'a Reparam,
        start: &'a [f64],
        rows: &[f64],
        output: Output,
    ) -> Refit<'a> {
        let mut refit = Refit::build(pt, model, re, start, rows, output);
        refit.h0 = refit.full_sample_inverse_hessian();
        refit
    }

    /// The step of a model with nonlinear or inequality constraints: every draw is refitted by
    /// the augmented Lagrangian `lag` (`re` is the null space of the active constraints at θ̂).
    pub fn lagrangian(
        pt: &'a ParTable,
        model: Model,
        (re, start): (&'a Reparam, &'a [f64]),
        rows: &[f64],
        output: Output,
        lag: Lagrangian<'a>,
    ) -> Refit<'a> {
        let mut refit = Refit::build(pt, model, re, start, rows, output);
        refit.lagrangian = Some(lag);
        refit
    }

    fn build(
        pt: &'a ParTable,
        model: Model,
        re: &'a Reparam,
        start: &'a [f64],
        rows: &[f64],
        output: Output,
    ) -> Refit<'a> {
        Refit {
            exo: exo_rows(pt),
            pt,
            model,
            re,
            start,
            moments: DrawMoments::new(&pt.ov, rows),
            output,
            z0: re.z(start),
            h0: None,
            lagrangian: None,
        }
    }

    /// The inverse Hessian of F at θ̂ on every row counted once.
    fn full_sample_inverse_hessian(&self) -> Option<Mat> {
        let mut sums = vec![0.0; self.moments.width()];
        self.moments.sums(&[vec![1u32; self.rows()]], &mut sums);
        let s = self.sample(&sums).ok()?;
        let mut model = self.model.clone();
        self.set_exo(&mut model, &s);
        let ob = Objective {
            model: &model,
            s: &s,
            re: self.re,
        };
        ob.inverse_hessian(&self.z0)
    }

    /// The fixed.x rows at the draw's moments of the covariates.
    fn set_exo(&self, model: &mut Model, s: &SampleStats) {
        for &(row, from) in &self.exo {
            model.base[row] = match from {
                Exo::Mean(j) => s.mean[j],
                Exo::Cov(i, j) => s.cov[(i, j)],
            };
        }
    }

    /// θ* and F(θ*): quasi-Newton steps from θ̂ (`solve.rs`), else the general search.
    fn solve(&self, model: &Model, s: &SampleStats) -> Result<(Vec<f64>, f64), String> {
        if let Some(lag) = &self.lagrangian {
            return solve_lagrangian(model, s, lag, self.start);
        }
        let ob = Objective {
            model,
            s,
            re: self.re,
        };
        if let Some((z, f)) = self.h0.as_ref().and_then(|h| minimise(&ob, &self.z0, h)) {
            return Ok((self.re.theta(&z), f));
        }
        let est = estimate(model, s, self.re, self.start).map_err(|e| match e {
            super::super::SemError::NotConverged { .. } => {
                "the ML fit did not converge".to_string()
            }
            e => e.to_string(),
        })?;
        Ok((est.theta, est.f))
    }

    /// How many rows a draw counts.
    pub fn rows(&self) -> usize {
        self.moments.rows()
    }

    /// The draw's n, ȳ* and S* (divisor n) from its weighted sums.
    fn sample(&self, sums: &[f64]) -> Result<SampleStats, String> {
        self.moments.sample(sums)
    }

    /// Fits the draw with weighted sums `sums` and writes its statistics.
    fn fit(&self, model: &mut Model, sums: &[f64], out: &mut [f64]) -> Result<(), String> {
        let s = self.sample(sums)?;
        self.set_exo(model, &s);
        let (theta, f) = self.solve(model, &s)?;
        match self.output {
            Output::ChiSquare => out[0] = s.n * f,
            Output::Estimates => self.estimates(model, &theta, out),
        }
        Ok(())
    }

    fn estimates(&self, model: &Model, theta: &[f64], out: &mut [f64]) {
        estimates(self.pt, model, theta, out);
    }
}

/// θ* and F(θ*) under nonlinear or inequality constraints: the augmented Lagrangian from θ̂
/// with the full sample's multipliers, else (as a fit from scratch would) from λ = 0.
fn solve_lagrangian(
    model: &Model,
    s: &SampleStats,
    lag: &Lagrangian<'_>,
    start: &[f64],
) -> Result<(Vec<f64>, f64), String> {
    let fit = |warm| solve_from(model, s, &lag.cons, start, warm);
    let est = match fit(lag.warm.clone()) {
        Err(super::super::SemError::NotConverged { .. }) => fit(Multipliers::cold(lag.cons.len())),
        other => other,
    };
    match est {
        Ok((est, _)) => Ok((est.theta, est.f)),
        Err(super::super::SemError::NotConverged { .. }) => {
            Err("the constrained (augmented Lagrangian) fit did not converge".to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// θ, the defined parameters at θ, and their std.all values, into `out` (every bootstrap's
/// statistics, complete-data or FIML).
pub(super) fn estimates(pt: &ParTable, model: &Model, theta: &[f64], out: &mut [f64]) {
    let (q, nd) = (theta.len(), pt.defined.len());
    out[..q].copy_from_slice(theta);
    if nd == 0 {
        return;
    }
    let values = model.row_values(theta);
    let defined = super::super::assemble::defined_all(pt, &values);
    out[q..q + nd].copy_from_slice(&defined);
    let n_rows = pt.rows.len();
    match model.implied(theta) {
        Some((_, imp)) => {
            let st = standardize(pt, &values, &imp);
            out[q + nd..].copy_from_slice(&st.std_all[n_rows..n_rows + nd]);
        }
        None => out[q + nd..].fill(f64::NAN),
    }
}

/// The fixed.x rows of the table: their values are the draw's own moments of the covariates.
pub(crate) fn exo_rows(pt: &ParTable) -> Vec<(usize, Exo)> {
    let ix = |v: &str| {
        pt.ov
            .iter()
            .position(|o| o == v)
            .expect("ParTable.ov holds every observed name of its rows")
    };
    pt.rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.exo)
        .map(|(i, r)| match r.op {
            Op::Intercept => (i, Exo::Mean(ix(&r.lhs))),
            _ => (i, Exo::Cov(ix(&r.lhs), ix(&r.rhs))),
        })
        .collect()
}

impl Step<[u32]> for Refit<'_> {
    type Scratch = Work;

    fn statistics(&self) -> usize {
        match self.output {
            Output::ChiSquare => 1,
            Output::Estimates => self.start.len() + 2 * self.pt.defined.len(),
        }
    }

    fn scratch(&self) -> Work {
        Work {
            sums: vec![0.0; BATCH * self.moments.width()],
            model: self.model.clone(),
        }
    }

    fn draw(&self, work: &mut Work, counts: &mut [u32], out: &mut [f64]) -> Result<(), String> {
        let w = self.moments.width();
        self.moments.sums(&[&*counts], &mut work.sums[..w]);
        self.fit(&mut work.model, &work.sums[..w], out)
    }

    fn batch(&self) -> usize {
        BATCH
    }

    fn draws(
        &self,
        work: &mut Work,
        draws: &mut [&mut [u32]],
        out: &mut [f64],
        failed: &mut [Option<String>],
    ) {
        let w = self.moments.width();
        let counts: Vec<&[u32]> = draws.iter().map(|d| &**d).collect();
        self.moments
            .sums(&counts, &mut work.sums[..counts.len() * w]);
        let m = self.statistics();
        for (k, (out, f)) in out.chunks_mut(m).zip(failed).enumerate() {
            let sums = &work.sums[k * w..(k + 1) * w];
            *f = self.fit(&mut work.model, sums, out).err();
        }
    }
}
