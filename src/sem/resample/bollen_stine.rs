//! The Bollen-Stine bootstrap p value of the chi-square (Bollen & Stine 1992, Sociological
//! Methods & Research 21(2)): the rows are transformed so that their moments are the model's
//! implied moments, X̃ = (X − 1ȳ′)·S^{−½}·Σ̂^{½} (+ 1μ̂′ with a mean structure; symmetric square
//! roots, lavaan's `lav_bootstrap_internal` with type = "bollen.stine"), so the model holds
//! exactly in the resampled population; p is the share of draws whose T* = n·F(θ*) reaches the
//! sample's T.

use serde::Serialize;

use crate::inference::resample::Ledger;

use super::super::constraints::Reparam;
use super::super::linalg::{symmetric_eigen, Mat};
use super::super::model::Model;
use super::super::sample::SampleStats;
use super::super::{Prepared, SemError, SemFit};
use super::refit::{Lagrangian, Output, Refit};
use super::SemBootOptions;

/// The Bollen-Stine test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BollenStine {
    /// Draws of the transformed data.
    pub b: usize,
    /// The sample's chi-square.
    pub chisq: f64,
    /// #(T* ≥ T) / B.
    pub pvalue: f64,
    pub failed: Ledger,
}

/// A^{power} of a symmetric positive definite matrix by its eigen decomposition.
fn sym_power(a: &Mat, power: f64) -> Mat {
    let (values, vectors) = symmetric_eigen(a);
    let n = a.rows;
    let mut out = Mat::zeros(n, n);
    for (k, &l) in values.iter().enumerate() {
        let w = l.max(0.0).powf(power);
        for i in 0..n {
            for j in 0..n {
                out[(i, j)] += vectors[(i, k)] * w * vectors[(j, k)];
            }
        }
    }
    out
}

/// The rows transformed to the implied moments.
pub(super) fn transform(prep: &Prepared, fit: &SemFit) -> Vec<f64> {
    let mu = prep.pt.meanstructure.then_some(fit.implied_mean.as_slice());
    transform_rows(&prep.rows, &prep.stats, &fit.implied_cov, mu)
}

/// `rows` (row-major n × p, with sample moments `stats`, S of divisor n) transformed to the
/// implied moments: (X − 1ȳ′)·S^{−½}·Σ̂^{½}, plus 1μ̂′ when the model has a mean structure
/// (one sample, or one group of a multi-group fit: lavaan transforms each group by its own).
pub(crate) fn transform_rows(
    rows: &[f64],
    stats: &SampleStats,
    implied_cov: &Mat,
    implied_mean: Option<&[f64]>,
) -> Vec<f64> {
    let p = stats.mean.len();
    let a = sym_power(&stats.cov, -0.5).mul(&sym_power(implied_cov, 0.5));
    let mean = &stats.mean;
    let mut out = vec![0.0; rows.len()];
    for (row, x) in out.chunks_mut(p).zip(rows.chunks(p)) {
        for (j, o) in row.iter_mut().enumerate() {
            let shift = implied_mean.map_or(0.0, |m| m[j]);
            *o = shift + (0..p).map(|i| (x[i] - mean[i]) * a[(i, j)]).sum::<f64>();
        }
    }
    out
}

/// The p value from `opts.boot` draws of the transformed rows, each refitted from θ̂ (by the
/// augmented Lagrangian `lagrangian` under nonlinear or inequality constraints).
pub(super) fn p_value<'a>(
    prep: &'a Prepared,
    base: Model,
    (re, lagrangian): (&'a Reparam, Option<Lagrangian<'a>>),
    fit: &'a SemFit,
    opts: &SemBootOptions,
) -> Result<BollenStine, SemError> {
    let rows = transform(prep, fit);
    let step = match lagrangian {
        Some(lag) => Refit::lagrangian(
            &prep.pt,
            base,
            (re, &fit.theta),
            &rows,
            Output::ChiSquare,
            lag,
        ),
        None => Refit::new(&prep.pt, base, re, &fit.theta, &rows, Output::ChiSquare),
    };
    let draws = super::driver(opts, opts.boot)
        .bootstrap(step.rows(), &step)
        .map_err(|f| super::failed("Bollen-Stine bootstrap", f))?;
    let t = fit.fit.chisq;
    let reached = draws.values.iter().filter(|&&v| v >= t).count();
    Ok(BollenStine {
        b: opts.boot,
        chisq: t,
        pvalue: reached as f64 / opts.boot as f64,
        failed: draws.ledger,
    })
}
