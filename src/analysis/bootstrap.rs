//! The bootstrap step: a draw is a vector of row counts; every equation is refitted from the
//! count-weighted cross-products of the stacked design columns ([`Stacked`]; a batch of draws'
//! cross-products is one matrix product), a logistic Y by weighted Newton steps from the
//! full-sample estimates, and the statistics evaluated on the new coefficients, standardized
//! effects with the resample's own SDs. The jackknife for BCa leaves one row at a time out of the
//! full sample's cross-products, or, when the bootstrap resamples clusters, one cluster at a time
//! (the jackknife matching the resampling unit).

use super::point::Statistics;
use super::prepare::Prepared;
use super::system::{Scratch, Stacked};
use crate::error::Result;
use crate::estimation::{Design, EquationFit, R2Change};
use crate::inference::{jackknife, Clusters, Step};
use crate::spec::ModelSpec;

/// The per-draw step of the nonparametric bootstrap of an analysis.
pub(super) struct RowStep<'a> {
    stacked: Stacked,
    designs: &'a [Design],
    stats: &'a Statistics,
    /// Full-sample coefficients (the start of a logistic refit).
    betas: Vec<Vec<f64>>,
    /// The equation refitted by logistic regression, if Y's is.
    logistic_eq: Option<usize>,
    /// The rows' clusters, when the bootstrap resamples whole clusters.
    clusters: Option<Clusters>,
    /// Stacked columns of the constant, Y and X (for the resample SDs of standardized effects).
    one: usize,
    y_col: Option<usize>,
    x_col: Option<usize>,
}

impl<'a> RowStep<'a> {
    pub fn new(
        prep: &'a Prepared,
        spec: &ModelSpec,
        equations: &[(EquationFit, Vec<R2Change>)],
        stats: &'a Statistics,
    ) -> RowStep<'a> {
        let sd_of: &[&str] = if stats.standardized.idx.is_empty() {
            &[]
        } else {
            &[&spec.y, &spec.x]
        };
        let mut stacked = Stacked::new(&prep.designs, sd_of);
        let logistic_eq = prep
            .designs
            .iter()
            .position(|d| prep.y_logistic && d.outcome == spec.y);
        let clusters = prep
            .designs
            .first()
            .and_then(|d| d.clusters.clone())
            .and_then(Clusters::new);
        // Only the plain bootstrap of rows without a logistic refit takes its draws as streams
        // (`draws_from_streams`).
        if logistic_eq.is_none() && clusters.is_none() {
            stacked.prepare_stream_sums();
        }
        RowStep {
            one: stacked.column(crate::estimation::CONSTANT).unwrap_or(0),
            y_col: stacked.column(&spec.y),
            x_col: stacked.column(&spec.x),
            stacked,
            designs: &prep.designs,
            stats,
            betas: equations.iter().map(|(f, _)| f.estimates()).collect(),
            logistic_eq,
            clusters,
        }
    }

    /// The clusters the bootstrap resamples, if it resamples clusters rather than rows.
    pub fn clusters(&self) -> Option<&Clusters> {
        self.clusters.as_ref()
    }

    /// Rows of the sample.
    pub fn rows(&self) -> usize {
        self.stacked.n()
    }

    /// Everything after the equations are solved: shared by the bootstrap and the jackknife.
    /// A draw (`Layout::Draw`) keeps the curves' coefficients, the jackknife every grid point.
    fn evaluate(&self, sums: &[f64], b: &[Vec<f64>], layout: Layout, out: &mut [f64]) {
        let (st, one) = (&self.stacked, self.one);
        let scale = || {
            let sd_y = self
                .y_col
                .map_or(f64::NAN, |j| st.resample_sd(sums, one, j));
            let sd_x = self
                .x_col
                .map_or(f64::NAN, |j| st.resample_sd(sums, one, j));
            self.stats.standardized.scale(sd_x, sd_y)
        };
        match layout {
            Layout::Draw => self.stats.evaluate_draw(b, scale, out),
            Layout::Full => self.stats.evaluate(b, scale, out),
        }
    }

    /// A logistic outcome is refitted by weighted Newton steps from the full-sample estimates;
    /// its (wasted) least-squares block is still solved with the others.
    fn refit_logistic(&self, counts: &[u32], b: &mut [Vec<f64>]) -> Result<(), String> {
        if let Some(e) = self.logistic_eq {
            b[e] = crate::estimation::logistic_weighted(&self.designs[e], counts, &self.betas[e])?;
        }
        Ok(())
    }

    /// Draw `k` of the last weighing: its equations, then its statistics.
    fn finish(
        &self,
        work: &mut Work,
        (k, counts): (usize, &[u32]),
        layout: Layout,
        out: &mut [f64],
    ) -> Result<(), String> {
        let (scratch, b) = work;
        self.stacked.solve(scratch, k, b)?;
        self.refit_logistic(counts, b)?;
        self.evaluate(self.stacked.sums(scratch, k), b, layout, out);
        Ok(())
    }

    /// The jackknife acceleration of every statistic, or the reason a replicate failed (BCa then
    /// has no acceleration). Fails outright when the full sample cannot be solved.
    pub fn acceleration(&self) -> Result<std::result::Result<Vec<f64>, String>> {
        if let Some(c) = &self.clusters {
            return Ok(self.cluster_acceleration(c));
        }
        let n = self.rows();
        let (mut scratch, mut b) = self.scratch();
        let mut counts = vec![1u32; n];
        self.stacked.weigh(&[&counts], &mut scratch);
        self.stacked
            .solve(&mut scratch, 0, &mut b)
            .map_err(crate::Error::Usage)?;
        let full = self.stacked.sums(&scratch, 0).to_vec();
        let mut sums = Vec::with_capacity(full.len());
        Ok(jackknife(n, self.stats.len(), |i, out| {
            counts[i] = 0;
            let solved = self
                .stacked
                .solve_without(&full, i, &mut scratch, &mut sums, &mut b)
                .and_then(|_| self.refit_logistic(&counts, &mut b));
            counts[i] = 1;
            solved?;
            self.evaluate(&sums, &b, Layout::Full, out);
            Ok(())
        }))
    }

    /// The delete-one-cluster jackknife: each replicate drops every row of one cluster.
    fn cluster_acceleration(&self, c: &Clusters) -> std::result::Result<Vec<f64>, String> {
        let mut work = self.scratch();
        let mut counts = vec![1u32; self.rows()];
        jackknife(c.count(), self.stats.len(), |g, out| {
            for (k, &id) in counts.iter_mut().zip(c.ids()) {
                *k = u32::from(id as usize != g);
            }
            self.stacked.weigh(&[&counts], &mut work.0);
            self.finish(&mut work, (0, &counts), Layout::Full, out)
        })
    }
}

/// Which statistics [`RowStep::evaluate`] writes: a draw's ([`super::point::Statistics::evaluate_draw`]:
/// the curves as coefficients) or every one ([`super::point::Statistics::evaluate`], for the
/// jackknife, whose accelerations are per grid point).
#[derive(Clone, Copy)]
enum Layout {
    Draw,
    Full,
}

/// Draws whose cross-products are formed together (the counts of a batch stay in cache).
const BATCH: usize = 32;

type Work = (Scratch, Vec<Vec<f64>>);

impl Step<[u32]> for RowStep<'_> {
    type Scratch = Work;

    fn statistics(&self) -> usize {
        self.stats.draw_len()
    }

    fn scratch(&self) -> Work {
        let b = self.betas.iter().map(|b| vec![0.0; b.len()]).collect();
        (self.stacked.scratch(BATCH), b)
    }

    fn draw(&self, work: &mut Work, counts: &mut [u32], out: &mut [f64]) -> Result<(), String> {
        self.stacked.weigh(&[&*counts], &mut work.0);
        self.finish(work, (0, counts), Layout::Draw, out)
    }

    fn batch(&self) -> usize {
        BATCH
    }

    /// Only a logistic refit reads a draw's counts after its sums are formed.
    fn clears_draws(&self) -> bool {
        self.logistic_eq.is_none()
    }

    /// A draw whose counts are not read after its sums (no logistic refit, see `clears_draws`)
    /// needs only its sums, which `Moments::sums_of_streams` makes from the draws' streams.
    fn draws_from_streams(
        &self,
        work: &mut Work,
        seed: u64,
        streams: &[u64],
        out: &mut [f64],
        failed: &mut [Option<String>],
    ) -> bool {
        if !self.clears_draws() || !self.stacked.weigh_streams(seed, streams, &mut work.0) {
            return false;
        }
        let m = self.stats.draw_len().max(1);
        for (k, (out, f)) in out.chunks_mut(m).zip(failed).enumerate() {
            *f = self.finish(work, (k, &[]), Layout::Draw, out).err();
        }
        true
    }

    fn draws(
        &self,
        work: &mut Work,
        draws: &mut [&mut [u32]],
        out: &mut [f64],
        failed: &mut [Option<String>],
    ) {
        if self.clears_draws() {
            self.stacked.weigh_clearing(draws, &mut work.0);
        } else {
            self.stacked.weigh(draws, &mut work.0);
        }
        let m = self.stats.draw_len().max(1);
        for (k, ((counts, out), f)) in draws.iter().zip(out.chunks_mut(m)).zip(failed).enumerate() {
            *f = self.finish(work, (k, counts), Layout::Draw, out).err();
        }
    }
}
