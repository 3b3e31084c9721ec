//! The percentile bootstrap of a quadratic's turning point `-b1 / (2 b2)` in one equation
//! (issue 15): every resample of the rows refits the equation through the shared resampling
//! engine, so the draws are seeded per draw and identical whatever the thread count. An OLS
//! equation is refitted from its count-weighted moments ([`Stacked`], the engine's batched
//! sums); a logistic one by weighted Newton steps from the full-sample estimates
//! ([`logistic_weighted`], the refit the process bootstrap uses), its turning point on the
//! log-odds scale.

use crate::effects::{QuadraticTests, TurningBoot};
use crate::estimation::{logistic_weighted, Design};
use crate::inference::resample::{step_fn, summarise, CiMethod, Draws, Resampler, Step};

use super::system::Stacked;

/// How each resample refits the equation.
#[derive(Debug, Clone, Copy)]
pub enum Refit<'a> {
    /// Least squares from the count-weighted sums.
    Ols,
    /// Logistic maximum likelihood, starting from these full-sample coefficients.
    Logistic(&'a [f64]),
}

/// `-b1 / (2 b2)` of one resample's coefficients, or why the resample has none.
fn turning(b1: f64, b2: f64) -> Result<f64, String> {
    let x = -b1 / (2.0 * b2);
    if x.is_finite() {
        Ok(x)
    } else {
        Err("the square's coefficient is zero in the resample".into())
    }
}

/// Draws of `-b(term) / (2 b(square))` for `b` resamples of `design`'s rows, each refitted as
/// `refit` says, summarised as a percentile interval at `conf` percent. `None` when the design
/// has no such columns.
pub fn turning_point_bootstrap(
    design: &Design,
    refit: Refit<'_>,
    (term, square): (&str, &str),
    (b, seed, threads): (usize, u64, usize),
    (conf, estimate): (f64, f64),
) -> Option<Result<TurningBoot, String>> {
    let i = design.names.iter().position(|n| n == term)?;
    let j = design.names.iter().position(|n| n == square)?;
    let resampler = Resampler::new(b, seed).threads(threads);
    let run = match refit {
        Refit::Ols => ols_draws(design, (i, j), &resampler),
        Refit::Logistic(start) => {
            let step = step_fn(
                1,
                || (),
                |_: &mut (), counts: &mut [u32], out: &mut [f64]| {
                    let beta = logistic_weighted(design, counts, start)?;
                    out[0] = turning(beta[i], beta[j])?;
                    Ok(())
                },
            );
            draw(design, &resampler, &step)
        }
    };
    let draws = match run {
        Ok(d) => d,
        Err(e) => return Some(Err(e)),
    };
    let s = summarise(&draws.column(0), estimate, conf, CiMethod::Percentile);
    let usable = draws.ledger.usable(b);
    Some(Ok(TurningBoot {
        b,
        seed,
        method: "percentile",
        se: s.se,
        lower: usable.then_some(s.lower),
        upper: usable.then_some(s.upper),
        failed: draws.ledger.failed,
        reasons: draws.ledger.reasons,
    }))
}

/// The OLS draws: one weighted solve of the stacked sums per resample.
fn ols_draws(design: &Design, (i, j): (usize, usize), r: &Resampler) -> Result<Draws, String> {
    let stacked = Stacked::new(std::slice::from_ref(design), &[]);
    let k = design.k();
    let step = step_fn(
        1,
        || (stacked.scratch(1), vec![vec![0.0; k]]),
        |(scratch, betas): &mut (super::system::Scratch, Vec<Vec<f64>>),
         counts: &mut [u32],
         out: &mut [f64]| {
            stacked.weigh(&[&*counts], scratch);
            stacked.solve(scratch, 0, betas)?;
            out[0] = turning(betas[0][i], betas[0][j])?;
            Ok(())
        },
    );
    draw(design, r, &step)
}

fn draw<S: Step<[u32]>>(design: &Design, r: &Resampler, step: &S) -> Result<Draws, String> {
    r.bootstrap(design.n(), step).map_err(|f| {
        format!(
            "resample {} failed on every replacement: {}",
            f.draw + 1,
            f.reason
        )
    })
}

/// Stores a turning point's bootstrap on its tests, or says in `notes` why there is none;
/// `subject` names the curve as the report does ("size", or "size on coop" where a model has
/// several outcomes).
pub fn attach_turning_boot(
    q: &mut QuadraticTests,
    run: Option<Result<TurningBoot, String>>,
    subject: &str,
    notes: &mut Vec<String>,
) {
    match run {
        Some(Ok(boot)) => {
            if boot.lower.is_none() {
                notes.push(format!(
                    "No bootstrap interval of the turning point of {subject}: {} of {} resamples failed (more than 5%), so the rest are not a sample of its sampling distribution.",
                    boot.failed, boot.b
                ));
            }
            q.bootstrap = Some(boot);
        }
        Some(Err(e)) => notes.push(format!(
            "No bootstrap interval of the turning point of {subject}: {e}."
        )),
        None => {}
    }
}
