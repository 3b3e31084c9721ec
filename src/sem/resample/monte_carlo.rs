//! Monte Carlo intervals of the `:=` parameters (MacKinnon, Lockwood & Williams 2004; Preacher
//! & Selig 2012): θ drawn from N(θ̂, V̂) and the defined parameters evaluated on each draw, with
//! the engine's conventions (draw b from the stream of (seed, b), standard normals as `cipa fit
//! --mc` draws them). V̂ is singular under equality constraints (V = K(K′IK)⁻¹K′/N), so its
//! square root is the symmetric one from the eigen decomposition, not a Cholesky factor.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::inference::resample::{step_fn, summarise_all, CiMethod};

use super::super::assemble::defined_all;
use super::super::linalg::{symmetric_eigen, Mat};
use super::super::partable::ParTable;
use super::super::{ParameterRow, SemError};
use super::{BootParameter, SemBootOptions};

/// Monte Carlo intervals (percentile) of the defined parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarlo {
    pub draws: usize,
    pub seed: u64,
    pub defined: Vec<BootParameter>,
}

/// L with L·L′ = V (columns of eigenvectors scaled by √λ, negative rounding clamped to 0).
fn root(v: &Mat) -> Mat {
    let (values, vectors) = symmetric_eigen(v);
    let mut l = vectors;
    for (k, &lambda) in values.iter().enumerate() {
        let s = lambda.max(0.0).sqrt();
        for i in 0..l.rows {
            l[(i, k)] *= s;
        }
    }
    l
}

/// What the Monte Carlo draws need of a fit (single-group or grouped).
pub(crate) struct McInput<'a> {
    /// The table whose `:=` rows are evaluated (under `--group` the stacked one).
    pub pt: &'a ParTable,
    pub theta: &'a [f64],
    pub vcov: &'a Mat,
    /// Every row's value at θ̂ (fixed rows keep theirs in every draw).
    pub base: Vec<f64>,
    /// The `:=` rows, with their group under `--group`.
    pub defined: Vec<(Option<usize>, &'a ParameterRow)>,
    pub level: f64,
}

pub(crate) fn intervals(
    input: &McInput<'_>,
    opts: &SemBootOptions,
) -> Result<MonteCarlo, SemError> {
    let McInput {
        pt, theta, base, ..
    } = input;
    let l = root(input.vcov);
    let q = theta.len();
    let nd = pt.defined.len();
    // Only the free rows' values change; fixed rows (fixed.x moments too) keep the fit's.
    let step = step_fn(
        nd,
        || (vec![0.0; q], base.clone()),
        |(z, values): &mut (Vec<f64>, Vec<f64>), rng: &mut Xoshiro256PlusPlus, out: &mut [f64]| {
            for v in z.iter_mut() {
                *v = rng.sample(rand_distr::StandardNormal);
            }
            for (r, v) in pt.rows.iter().zip(values.iter_mut()) {
                if r.free > 0 {
                    let i = r.free - 1;
                    *v = theta[i] + (0..q).map(|k| l[(i, k)] * z[k]).sum::<f64>();
                }
            }
            out.copy_from_slice(&defined_all(pt, values));
            Ok(())
        },
    );
    let draws = super::driver(opts, opts.mc)
        .monte_carlo(&step)
        .map_err(|f| super::failed("Monte Carlo", f))?;
    let rows = &input.defined;
    let point: Vec<f64> = rows.iter().map(|(_, r)| r.est).collect();
    let how = (100.0 * input.level, CiMethod::Percentile);
    let sums = summarise_all(&draws, &point, how, &vec![0.0; nd], opts.threads);
    let defined = rows
        .iter()
        .zip(&sums)
        .enumerate()
        .map(|(k, ((group, r), s))| BootParameter {
            group: *group,
            lhs: r.lhs.clone(),
            op: r.op.clone(),
            rhs: r.rhs.clone(),
            label: r.label.clone(),
            est: r.est,
            se: Some(s.se),
            ci_lower: Some(s.lower),
            ci_upper: Some(s.upper),
            acceleration: None,
            column: k,
        })
        .collect();
    Ok(MonteCarlo {
        draws: opts.mc,
        seed: opts.seed,
        defined,
    })
}
