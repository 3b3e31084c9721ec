//! Stage 7b, curvilinear paths (issue 15): every equation of the model in which a variable
//! enters with its square (`m ~ x + x^2`) gets the tests `regress` reports for a quadratic
//! (turning point with its delta-method SE and Fieller's interval, Lind and Mehlum's U test on
//! the observed range), and with the nonparametric bootstrap the percentile interval of the
//! turning point from the same seed, so from the same resamples of the rows as the effects.

use super::prepare::Prepared;
use super::{attach_turning_boot, turning_point_bootstrap, AnalysisOptions, Refit};
use crate::effects::{quadratic_tests, quadratic_variables, QuadraticTests};
use crate::estimation::{EquationFit, Method, R2Change};

/// The tests of every quadratic in `equations` (in equation order), with their bootstraps.
pub(super) fn curvilinear_paths(
    prep: &Prepared,
    equations: &[(EquationFit, Vec<R2Change>)],
    opts: &AnalysisOptions,
    notes: &mut Vec<String>,
) -> Vec<QuadraticTests> {
    let mut out = Vec::new();
    for ((fit, _), design) in equations.iter().zip(&prep.designs) {
        for v in quadratic_variables(fit) {
            let Some(mut q) = quadratic_tests(fit, &v, None) else {
                continue;
            };
            if let Some(tp) = q.turning_point.filter(|_| bootstraps_rows(prep, opts)) {
                let start = fit.estimates();
                let refit = match fit.method {
                    Method::Logistic => Refit::Logistic(&start),
                    _ => Refit::Ols,
                };
                let run = turning_point_bootstrap(
                    design,
                    refit,
                    (&q.term, &q.square),
                    (opts.boot, opts.seed, opts.threads),
                    (opts.conf, tp.x),
                );
                let subject = format!("{} on {}", q.variable, q.outcome);
                attach_turning_boot(&mut q, run, &subject, notes);
            }
            out.push(q);
        }
    }
    if !out.is_empty() && opts.boot > 0 && !bootstraps_rows(prep, opts) {
        notes.push("The turning points have no bootstrap interval: it resamples rows, and this analysis resamples clusters or draws Monte Carlo coefficients (their delta-method SEs and Fieller's intervals are reported).".into());
    }
    out
}

/// The turning points are bootstrapped with the analysis's own row resampling only.
fn bootstraps_rows(prep: &Prepared, opts: &AnalysisOptions) -> bool {
    let clustered = prep.designs.iter().any(|d| d.clusters.is_some());
    opts.boot > 0 && opts.mc == 0 && !clustered
}
