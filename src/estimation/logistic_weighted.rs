//! Logistic regression with integer row weights: the refit of a logistic outcome equation on a
//! bootstrap resample (weights = how often each row was drawn) or a jackknife replicate (one
//! weight zero). It starts from the full-sample estimates, so a few Newton steps suffice; the
//! full-sample fit (with glm's conventions and diagnostics) is `fit_logistic_design`.

use super::Design;
use crate::numeric::matrix::cholesky_solve_in_place;

const MAX_ITER: usize = 50;
const MAX_HALVINGS: usize = 30;
/// Relative change of the deviance at which the iterations stop (glm's rule, tighter).
const TOL: f64 = 1e-12;
/// A linear predictor beyond this on a drawn row means fitted probabilities of 0 or 1: the
/// resample is (quasi-)separated and has no finite maximum-likelihood estimate.
const SEPARATED_ETA: f64 = 34.0;

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

fn deviance(d: &Design, counts: &[u32], eta: &[f64]) -> f64 {
    2.0 * counts
        .iter()
        .zip(eta)
        .zip(&d.y)
        .filter(|((&c, _), _)| c > 0)
        .map(|((&c, &e), &y)| c as f64 * (softplus(e) - y * e))
        .sum::<f64>()
}

fn linear_predictor(d: &Design, b: &[f64], eta: &mut [f64]) {
    eta.iter_mut().for_each(|e| *e = 0.0);
    for (col, &bj) in d.columns.iter().zip(b) {
        for (e, &x) in eta.iter_mut().zip(col) {
            *e += bj * x;
        }
    }
}

/// Maximum-likelihood coefficients of the logistic equation `d` with row weights `counts`, by
/// Newton-Raphson with step-halving from `start`. Fails (with the reason, for the bootstrap's
/// ledger) when the information matrix is singular, the resample is separated, or the
/// iterations do not converge.
pub fn logistic_weighted(d: &Design, counts: &[u32], start: &[f64]) -> Result<Vec<f64>, String> {
    let (n, k) = (d.n(), d.k());
    let mut b = start.to_vec();
    let mut eta = vec![0.0; n];
    let mut trial = vec![0.0; n];
    linear_predictor(d, &b, &mut eta);
    let mut dev = deviance(d, counts, &eta);
    let mut info = vec![0.0; k * k];
    let mut grad = vec![0.0; k];
    for _ in 0..MAX_ITER {
        info.iter_mut().for_each(|v| *v = 0.0);
        grad.iter_mut().for_each(|v| *v = 0.0);
        for i in (0..n).filter(|&i| counts[i] > 0) {
            let c = counts[i] as f64;
            let p = 1.0 / (1.0 + (-eta[i]).exp());
            let w = c * p * (1.0 - p);
            let r = c * (d.y[i] - p);
            for a in 0..k {
                let xa = d.columns[a][i];
                grad[a] += xa * r;
                for bb in 0..=a {
                    info[a * k + bb] += w * xa * d.columns[bb][i];
                }
            }
        }
        for a in 0..k {
            for bb in a + 1..k {
                info[a * k + bb] = info[bb * k + a];
            }
        }
        if !cholesky_solve_in_place(&mut info, &mut grad, k) {
            return Err("the logistic outcome's information matrix is singular in this resample (a constant predictor or separation)".into());
        }
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..MAX_HALVINGS {
            let bn: Vec<f64> = b.iter().zip(&grad).map(|(bj, dj)| bj + t * dj).collect();
            linear_predictor(d, &bn, &mut trial);
            let dn = deviance(d, counts, &trial);
            if dn.is_finite() && dn <= dev + 1e-12 * (1.0 + dev) {
                accepted = Some((bn, dn));
                break;
            }
            t *= 0.5;
        }
        let Some((bn, dn)) = accepted else {
            return Err("the logistic outcome's fit found no descent in this resample".into());
        };
        b = bn;
        std::mem::swap(&mut eta, &mut trial);
        let change = (dev - dn).abs();
        dev = dn;
        if change <= TOL * (dev.abs() + 0.1) {
            let separated = (0..n)
                .filter(|&i| counts[i] > 0)
                .any(|i| eta[i].abs() > SEPARATED_ETA);
            if separated {
                return Err("the logistic outcome is separated in this resample (fitted probabilities of 0 or 1)".into());
            }
            return Ok(b);
        }
    }
    Err(format!(
        "the logistic outcome's fit did not converge in {MAX_ITER} Newton steps in this resample"
    ))
}
