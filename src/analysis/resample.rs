//! Stage 4, resampling: the statistics of stage 3 on `B` draws, by the engine of
//! [`crate::inference::resample`] with this analysis' per-draw step:
//!
//! - Monte Carlo (`mc`): each equation's coefficients drawn from N(b, V) ([`monte_carlo`]);
//! - otherwise the nonparametric bootstrap (`boot`): the equations refitted on each resample's row
//!   counts ([`bootstrap`]), and for BCa the jackknife's acceleration of every statistic. With a
//!   cluster variable the resamples draw whole clusters (and the jackknife leaves clusters out).
//!
//! Draw b uses the stream of (seed, b) whatever the threads; failed draws are replaced and kept in
//! the ledger.

use super::bootstrap::RowStep;
use super::monte_carlo::NormalStep;
use super::point::Statistics;
use super::prepare::Prepared;
use super::AnalysisOptions;
use crate::error::Result;
use crate::estimation::{EquationFit, R2Change};
use crate::inference::resample::{summarise_derived, ColumnDraws, DrawColumns, Normal, Rows};
use crate::inference::{BootSummary, CiMethod, Resampler};
use crate::spec::ModelSpec;

/// The draws of every statistic, the BCa acceleration of each (zeros unless BCa), and each one's
/// summary (standard error and interval; empty until [`Resampled::summarise`]).
pub(super) struct Resampled {
    /// By statistic, the layout the summaries read; the curves as their coefficients
    /// ([`Statistics::evaluate_draw`]), so the statistics `0..n_curve` are as in the point
    /// vector and the curves' grid points are not stored.
    pub draws: ColumnDraws,
    pub accel: Vec<f64>,
    /// How many clusters each draw resampled (a cluster bootstrap).
    pub clusters: Option<usize>,
    pub summaries: Vec<BootSummary>,
}

impl Resampled {
    fn new(draws: ColumnDraws, accel: Vec<f64>, clusters: Option<usize>) -> Resampled {
        Resampled {
            draws,
            accel,
            clusters,
            summaries: Vec::new(),
        }
    }

    /// Summarises every statistic of `stats` (estimates `point`, the curves' grid points
    /// included) at the options' level and method.
    pub fn summarise(mut self, stats: &Statistics, point: &[f64], opts: &AnalysisOptions) -> Self {
        let how = (opts.conf, opts.ci);
        let columns = WithCurves {
            draws: &self.draws,
            stats,
        };
        self.summaries = summarise_derived(&columns, point, how, &self.accel, opts.threads);
        self
    }
}

/// Every statistic's draws as the summaries read them: the stored columns, and each curve's
/// grid point evaluated from its coefficients' columns when it is read (the same bits as a
/// draw that evaluated the point; `CurveSet::point_draws`).
struct WithCurves<'a> {
    draws: &'a ColumnDraws,
    stats: &'a Statistics,
}

impl DrawColumns for WithCurves<'_> {
    fn statistics(&self) -> usize {
        self.stats.len()
    }

    fn column<'a>(&'a self, j: usize, buffer: &'a mut Vec<f64>) -> &'a [f64] {
        let at = self.stats.n_curve;
        if j < at {
            return self.draws.column(j);
        }
        let coefficient = |k: usize| self.draws.column(at + k);
        self.stats.curves.point_draws(j - at, coefficient, buffer);
        buffer
    }
}

/// The draws, or `None` when the analysis resamples nothing (no draws asked, or no statistic
/// needs them). Notes what the report should say (a singular jackknife).
pub(super) fn resample(
    prep: &Prepared,
    spec: &ModelSpec,
    equations: &[(EquationFit, Vec<R2Change>)],
    stats: &Statistics,
    opts: &AnalysisOptions,
    progress: &(dyn Fn(usize) + Sync),
    notes: &mut Vec<String>,
) -> Result<Option<Resampled>> {
    // Every statistic has an acceleration; the draws keep fewer values (the curves' coefficients).
    let m = stats.len();
    if m == 0 {
        return Ok(None);
    }
    let driver = |b: usize| {
        Resampler::new(b, opts.seed)
            .threads(opts.threads)
            .observe(progress)
    };
    if opts.mc > 0 {
        let step = NormalStep::new(equations, stats)?;
        let draws = driver(opts.mc).run_by_column(&Normal, &step).map_err(|f| {
            crate::Error::Usage(format!(
                "the Monte Carlo draws failed at draw {} ({})",
                f.draw, f.reason
            ))
        })?;
        return Ok(Some(Resampled::new(draws, vec![0.0; m], None)));
    }
    if opts.boot == 0 {
        return Ok(None);
    }
    let step = RowStep::new(prep, spec, equations, stats);
    let run = match step.clusters() {
        Some(c) => {
            notes.push(format!(
                "The bootstrap resampled whole clusters of '{}' ({} clusters drawn with replacement in each resample), as the cluster-robust standard errors treat them.",
                opts.cluster.as_deref().unwrap_or_default(),
                c.count()
            ));
            driver(opts.boot).run_by_column(c, &step)
        }
        None => driver(opts.boot).run_by_column(&Rows { n: step.rows() }, &step),
    };
    let draws = run.map_err(|f| {
        crate::Error::Usage(format!(
            "the bootstrap failed: draw {} could not be computed after 100 replacements ({})",
            f.draw, f.reason
        ))
    })?;
    let accel = if opts.ci == CiMethod::Bca {
        step.acceleration()?.unwrap_or_else(|_| {
            notes.push("A jackknife replicate was singular, so BCa intervals use no acceleration (they are bias-corrected intervals).".into());
            vec![0.0; m]
        })
    } else {
        vec![0.0; m]
    };
    let clusters = step.clusters().map(|c| c.count());
    Ok(Some(Resampled::new(draws, accel, clusters)))
}

#[cfg(test)]
mod tests {
    use super::super::{fit, plan, point, prepare};
    use super::*;
    use crate::data::{Dataset, Variable};
    use crate::inference::resample::{summarise_columns, Draws, Ledger};
    use crate::inference::BootSummary;
    use crate::spec::{template::template, Roles};

    /// Model 58 (two mediators, W moderating both paths: three curves of 41 points in W) on a
    /// small made-up sample: its statistics and the full sample's coefficients.
    fn model_58() -> (Statistics, Vec<f64>, Vec<Vec<f64>>, AnalysisOptions) {
        let n = 60;
        let mut state = 3u64;
        let mut noise = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let x: Vec<f64> = (0..n).map(|_| noise()).collect();
        let w: Vec<f64> = (0..n).map(|_| noise() * 3.0).collect();
        let m1: Vec<f64> = (0..n)
            .map(|i| 0.4 * x[i] + 0.2 * x[i] * w[i] + noise())
            .collect();
        let m2: Vec<f64> = (0..n).map(|i| 0.3 * x[i] + noise()).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| 0.3 * m1[i] + 0.2 * m2[i] + 0.1 * m1[i] * w[i] + noise())
            .collect();
        let vars = [("x", x), ("w", w), ("m1", m1), ("m2", m2), ("y", y)];
        let data = Dataset::new(
            "made up",
            vars.map(|(k, v)| Variable::numeric(k, v)).to_vec(),
        );
        let roles = Roles {
            x: "x".into(),
            y: "y".into(),
            m: vec!["m1".into(), "m2".into()],
            w: Some("w".into()),
            ..Default::default()
        };
        let spec = template(58).unwrap().instantiate(&roles).unwrap();
        let opts = AnalysisOptions {
            boot: 1000,
            ..Default::default()
        };
        let data = data.unwrap();
        let prep = prepare::prepare(&data, &spec, &opts).unwrap();
        let fitted = fit::fit_equations(&prep, &spec, &opts).unwrap();
        let planned = plan::effect_plan(&prep, &spec, &opts).unwrap();
        let eqs = &fitted.equations;
        let (stats, point) = point::point_effects(&planned, &prep, &spec, eqs, &opts).unwrap();
        let betas = eqs.iter().map(|(f, _)| f.estimates()).collect();
        (stats, point, betas, opts)
    }

    /// `b` draws of the coefficients around `betas`, some of them NaN or infinite (so some
    /// draws of the curves are not finite), each draw's statistics by `evaluate`, by draw.
    fn draws(
        b: usize,
        betas: &[Vec<f64>],
        m: usize,
        evaluate: impl Fn(&[Vec<f64>], &mut [f64]),
    ) -> Draws {
        let mut values = vec![0.0; b * m];
        for (d, out) in values.chunks_mut(m).enumerate() {
            let mut drawn = betas.to_vec();
            for (e, beta) in drawn.iter_mut().enumerate() {
                for (j, v) in beta.iter_mut().enumerate() {
                    *v *= 1.0 + 0.8 * ((d * 7 + e * 3 + j) as f64 * 0.61).sin();
                }
            }
            match d % 41 {
                // X's coefficient in M1's equation (the curves through M1), and X·W's in
                // M2's (the curve through M2: infinite, or NaN where W is zero).
                5 => drawn[0][1] = f64::NAN,
                9 => drawn[1][3] = f64::INFINITY,
                _ => {}
            }
            evaluate(&drawn, out);
        }
        Draws {
            b,
            m,
            values,
            ledger: Ledger::default(),
            seed: 1,
        }
    }

    fn bits(v: &[BootSummary]) -> Vec<[u64; 3]> {
        let f = |s: &BootSummary| [s.se.to_bits(), s.lower.to_bits(), s.upper.to_bits()];
        v.iter().map(f).collect()
    }

    /// The curves' grid points summarised from the draws of their coefficients, each point's
    /// draws evaluated when the summaries read it, equal bit for bit what the summaries of
    /// draws that kept every grid point give (the layout before): B not a multiple of the
    /// summaries' groups or of 128 (the tail selection's sample; B = 37 takes the full
    /// selection), 123 curve statistics (not a multiple of the groups), NaN and infinite
    /// draws, every interval method, one thread or two.
    #[test]
    fn curve_points_from_coefficients_summarise_as_stored_points() {
        let (stats, point, betas, opts) = model_58();
        assert_eq!(stats.curves.len(), 123);
        assert_eq!(stats.draw_len(), stats.n_curve + 9);
        let full = |b: &[Vec<f64>], out: &mut [f64]| stats.evaluate(b, || 0.7, out);
        let compact = |b: &[Vec<f64>], out: &mut [f64]| stats.evaluate_draw(b, || 0.7, out);
        let accel: Vec<f64> = (0..stats.len()).map(|j| 0.001 * j as f64 - 0.05).collect();
        for b in [37, 601, 1000] {
            let old = ColumnDraws::from(draws(b, &betas, stats.len(), full));
            let new = ColumnDraws::from(draws(b, &betas, stats.draw_len(), compact));
            let columns = WithCurves {
                draws: &new,
                stats: &stats,
            };
            let mut buffer = Vec::new();
            for j in 0..stats.len() {
                let same = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let col = columns.column(j, &mut buffer);
                assert_eq!(same(col), same(old.column(j)), "B {b}, statistic {j}");
            }
            let bad = (0..stats.len()).filter(|&j| old.column(j).iter().any(|v| !v.is_finite()));
            let bad = bad.filter(|&j| j >= stats.n_curve).count();
            assert!(
                bad >= 82,
                "{bad} curve points with draws that are not finite"
            );
            for ci in [CiMethod::Percentile, CiMethod::BiasCorrected, CiMethod::Bca] {
                for threads in [1, 2] {
                    let how = (opts.conf, ci);
                    let before = summarise_columns(&old, &point, how, &accel, threads);
                    let opts = AnalysisOptions {
                        ci,
                        threads,
                        ..opts.clone()
                    };
                    let r = Resampled::new(new.clone(), accel.clone(), None);
                    let after = r.summarise(&stats, &point, &opts).summaries;
                    assert_eq!(
                        bits(&after),
                        bits(&before),
                        "B {b}, {ci:?}, {threads} threads"
                    );
                }
            }
        }
    }
}
