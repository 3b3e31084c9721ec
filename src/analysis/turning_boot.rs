//! The percentile bootstrap of a quadratic's turning point `-b1 / (2 b2)` in one OLS equation
//! (issue 15): every resample of the rows refits the equation from its count-weighted moments
//! ([`Stacked`], the engine's batched sums) through the shared resampling engine, so the draws
//! are seeded per draw and identical whatever the thread count.

use crate::effects::TurningBoot;
use crate::estimation::Design;
use crate::inference::resample::{step_fn, summarise, CiMethod, Resampler};

use super::system::Stacked;

/// Draws of `-b(term) / (2 b(square))` for `b` resamples of `design`'s rows, summarised as a
/// percentile interval at `conf` percent. `None` when the design has no such columns.
pub fn turning_point_bootstrap(
    design: &Design,
    term: &str,
    square: &str,
    (b, seed, threads): (usize, u64, usize),
    conf: f64,
    estimate: f64,
) -> Option<Result<TurningBoot, String>> {
    let i = design.names.iter().position(|n| n == term)?;
    let j = design.names.iter().position(|n| n == square)?;
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
            let (b1, b2) = (betas[0][i], betas[0][j]);
            let x = -b1 / (2.0 * b2);
            if !x.is_finite() {
                return Err("the square's coefficient is zero in the resample".into());
            }
            out[0] = x;
            Ok(())
        },
    );
    let draws = match Resampler::new(b, seed)
        .threads(threads)
        .bootstrap(design.n(), &step)
    {
        Ok(d) => d,
        Err(f) => {
            return Some(Err(format!(
                "resample {} failed on every replacement: {}",
                f.draw + 1,
                f.reason
            )))
        }
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
