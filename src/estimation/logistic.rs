//! Logistic regression by maximum likelihood: Newton-Raphson (for the canonical logit link the
//! same iteration as R's IRLS) with step-halving, iterated to full convergence so the estimates
//! are the exact MLE rather than glm's early stop, and with detection of complete and
//! quasi-complete separation (where the MLE does not exist).
//!
//! Each step solves `(X'WX) δ = X'(y - p)` through the Cholesky factor `R` of `X'WX`
//! (`X'WX = R'R`). `R` is taken from a Householder QR of `W^½ X`, which gives the Cholesky factor
//! without forming `X'WX` (so its accuracy depends on the condition number of `W^½ X`, not on
//! its square); the covariance is `(R'R)⁻¹`, as R's `summary.glm` computes it.

use faer::Mat;

use crate::data::{format_number, DataError};
use crate::error::Result;
use crate::inference::CovType;
use crate::numeric::dist::{chisq_p_upper, z_p_two_sided, z_quantile};
use crate::numeric::matrix::{a_at, upper_tri_inverse};
use crate::numeric::{lstsq::RANK_TOL, qr_least_squares};

use super::design::Design;
use super::fit::{Coefficient, ColumnStats, EquationFit, LogisticSummary, Method, Summary};
use super::EstimationError;

/// Options for Newton-Raphson.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticOptions {
    pub max_iter: usize,
    /// Convergence when the change in -2LL falls below this.
    pub tol: f64,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            max_iter: 100,
            tol: 1e-10,
        }
    }
}

/// The same bound OLS uses to flag near-collinear designs.
const ILL_CONDITIONED: f64 = 1e10;
/// A step converges when every coefficient moves by less than this, relative to
/// `|b_j| + 1/sd(x_j)`; Newton converges quadratically, so what remains is at rounding level.
const STEP_TOL: f64 = 1e-8;
/// `ln(1e10)`: a row whose linear predictor is beyond this (on the side of its outcome) has a
/// fitted probability within 1e-10 of its outcome.
const BOUNDARY_ETA: f64 = 23.025_850_929_940_457;
/// A weaker boundary (probability within about 3e-7) used when the iteration limit or a
/// singular information matrix stops the iterations before the separation pattern is clear.
const NEAR_BOUNDARY_ETA: f64 = 15.0;
/// A row counts as fitted to 0 or 1 in a separation report when its linear predictor is beyond
/// this on its outcome's side (probability within 0.7% of it) and still moving outward.
const DIVERGING_ETA: f64 = 5.0;
/// Separation moves the boundary rows outward by about one logit per Newton step.
const OUTWARD_MIN: f64 = 0.1;
/// The likelihood has stopped changing (in -2LL) for separation purposes.
const PLATEAU: f64 = 1e-6;
/// At the iteration limit, -2LL changes less than this under separation (by then the diverging
/// rows contribute almost nothing), while a fit still on its way to a finite optimum changes more.
const LIMIT_PLATEAU: f64 = 1e-3;
/// Consecutive iterations of the separation pattern needed before reporting it.
const SEPARATION_STREAK: usize = 3;
/// Consecutive iterations with -2LL flat and no divergence after which the estimates are taken as
/// converged to the precision rounding allows.
const PLATEAU_STREAK: usize = 5;
/// Step-halvings tried before giving up on a step.
const MAX_HALVINGS: usize = 60;
/// -2LL below which separation is complete (every row fitted to within about 5e-4).
const COMPLETE_DEV: f64 = 1e-3;

/// Fits a logistic regression on a prepared design (outcome coded 0/1).
pub fn fit_logistic_design(d: &Design, conf: f64, opts: &LogisticOptions) -> Result<EquationFit> {
    if !(conf > 0.0 && conf < 100.0) {
        return Err(crate::Error::Usage(format!(
            "confidence level {conf} is not between 0 and 100 (exclusive); use e.g. 95"
        )));
    }
    let n = d.n();
    let k = d.k();
    check_binary(d)?;
    check_design(d)?;
    let ls = qr_least_squares(&d.columns, &d.y).map_err(|def| EstimationError::Collinear {
        dependent: name_of(d, def.dependent),
        involved: def.involved.iter().map(|&i| name_of(d, i)).collect(),
    })?;
    let y: Vec<bool> = d.y.iter().map(|&v| v == 1.0).collect();
    let n1 = y.iter().filter(|&&v| v).count();
    let n0 = n - n1;
    let (nf, n1f, n0f) = (n as f64, n1 as f64, n0 as f64);
    let neg2ll_null = -2.0 * (n1f * (n1f / nf).ln() + n0f * (n0f / nf).ln());

    let est = newton(d, &y, opts)?;
    let coefficients = wald_coefficients(d, &est.b, &est.cov, conf);
    let fitted: Vec<f64> = est.eta.iter().map(|&e| sigmoid(e)).collect();
    let residuals: Vec<f64> = est
        .eta
        .iter()
        .zip(&y)
        .map(|(&e, &yi)| if yi { sigmoid(-e) } else { -sigmoid(e) })
        .collect();
    let summary = likelihood_summary(est.dev, neg2ll_null, k, nf, est.iterations);
    let warnings = fit_warnings(d, (n1, n0), ls.r_diag_ratio, &est.eta);
    let cov = est.cov;

    Ok(EquationFit {
        outcome: d.outcome.clone(),
        method: Method::Logistic,
        n,
        n_dropped: d.cases.n_dropped(),
        dropped_rows: d.cases.dropped_lines.clone(),
        cov_type: CovType::Ols,
        cluster: None,
        conf,
        coefficients,
        summary: Summary::Logistic(summary),
        coding: d.coding.clone(),
        xtx_inv: cov.clone(),
        cov,
        residuals,
        fitted,
        warnings,
        column_stats: d.columns.iter().map(|c| ColumnStats::of(c)).collect(),
    })
}

/// Each coefficient with its Wald z test and interval at `conf` percent.
fn wald_coefficients(d: &Design, b: &[f64], cov: &[f64], conf: f64) -> Vec<Coefficient> {
    let k = d.k();
    let zcrit = z_quantile(0.5 + conf / 200.0);
    d.names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let bj = b.get(j).copied().unwrap_or(f64::NAN);
            let se = cov.get(j * k + j).map_or(f64::NAN, |v| v.sqrt());
            let z = bj / se;
            Coefficient {
                term: name.clone(),
                estimate: bj,
                se,
                stat: z,
                p: z_p_two_sided(z),
                ci_lower: bj - zcrit * se,
                ci_upper: bj + zcrit * se,
            }
        })
        .collect()
}

/// The likelihood-ratio test against the constant-only model and the pseudo-R² measures
/// (McFadden; Cox and Snell; Nagelkerke's rescaling of it).
fn likelihood_summary(
    neg2ll: f64,
    neg2ll_null: f64,
    k: usize,
    nf: f64,
    iterations: usize,
) -> LogisticSummary {
    let chisq = neg2ll_null - neg2ll;
    let df = (k - 1) as f64;
    let p = if k > 1 {
        chisq_p_upper(chisq, df)
    } else {
        f64::NAN
    };
    let mcfadden = 1.0 - neg2ll / neg2ll_null;
    let cox_snell = -((neg2ll - neg2ll_null) / nf).exp_m1();
    let nagelkerke = cox_snell / -(-neg2ll_null / nf).exp_m1();
    LogisticSummary {
        neg2ll,
        neg2ll_null,
        chisq,
        df,
        p,
        mcfadden,
        cox_snell,
        nagelkerke,
        iterations,
    }
}

/// Warnings about few events per predictor, near-collinear predictors and fitted probabilities
/// at 0 or 1; `(n1, n0)` are the counts of the two outcomes.
fn fit_warnings(
    d: &Design,
    (n1, n0): (usize, usize),
    r_diag_ratio: f64,
    eta: &[f64],
) -> Vec<String> {
    let k = d.k();
    let df = (k - 1) as f64;
    let mut warnings = Vec::new();
    if k > 1 {
        let (events, level) = if n1 <= n0 { (n1, 1) } else { (n0, 0) };
        let per = events as f64 / df;
        if per < 10.0 {
            warnings.push(format!(
                "only {events} cases have the less frequent outcome ('{}' = {level}) for {} predictor column(s), {per:.1} per predictor (fewer than 10): estimates may be biased away from zero and Wald tests unreliable; consider fewer predictors",
                d.outcome,
                k - 1
            ));
        }
    }
    if r_diag_ratio > ILL_CONDITIONED {
        warnings.push(format!(
            "the predictors are nearly collinear (QR diagonal ratio {:.1e}); estimates may be unstable: consider centring product terms' components or dropping redundant predictors",
            r_diag_ratio
        ));
    }
    // As R's glm warns: fitted probabilities within 10 machine epsilons of 0 or 1.
    let extreme = eta
        .iter()
        .filter(|&&e| sigmoid(-e.abs()) < 10.0 * f64::EPSILON)
        .count();
    if extreme > 0 {
        warnings.push(format!(
            "fitted probabilities numerically 0 or 1 for {extreme} row(s): the model is close to separation, so Wald standard errors and tests may be unreliable"
        ));
    }
    warnings
}

fn name_of(d: &Design, j: usize) -> String {
    d.names
        .get(j)
        .cloned()
        .unwrap_or_else(|| format!("column {}", j + 1))
}

/// The outcome must hold only 0 and 1, and both.
fn check_binary(d: &Design) -> Result<()> {
    let mut distinct: Vec<f64> = d.y.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup_by(|a, b| a.total_cmp(b).is_eq());
    if distinct.len() == 2 && distinct[0] == 0.0 && distinct[1] == 1.0 {
        return Ok(());
    }
    Err(EstimationError::NotBinary {
        column: d.outcome.clone(),
        n_values: distinct.len(),
        examples: distinct
            .iter()
            .take(5)
            .map(|&v| format_number(v))
            .collect::<Vec<_>>()
            .join(", "),
    }
    .into())
}

/// Shape and finiteness checks, so nothing below can index out of bounds or iterate on NaN.
fn check_design(d: &Design) -> Result<()> {
    let n = d.n();
    let k = d.k();
    if k == 0 || d.names.len() != k || d.columns.iter().any(|c| c.len() != n) {
        return Err(DataError::Invalid(format!(
            "the design for '{}' is inconsistent ({} rows, {} columns, {} names)",
            d.outcome,
            n,
            k,
            d.names.len()
        ))
        .into());
    }
    if n <= k {
        return Err(DataError::TooFewRows {
            n,
            k,
            detail: String::new(),
        }
        .into());
    }
    for (name, col) in d.names.iter().zip(&d.columns) {
        if col.iter().any(|v| !v.is_finite()) {
            return Err(DataError::Invalid(format!(
                "predictor column '{name}' has non-finite values; logistic regression needs finite numbers"
            ))
            .into());
        }
    }
    Ok(())
}

/// `1 / (1 + e^-x)` without overflow.
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^x)` without overflow or loss of precision.
fn log1p_exp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// `p (1 - p)` at linear predictor `x`.
fn weight(x: f64) -> f64 {
    let e = (-x.abs()).exp();
    e / ((1.0 + e) * (1.0 + e))
}

/// -2 log-likelihood: each row contributes `2 ln(1 + e^-η)` if y = 1 and `2 ln(1 + e^η)` if 0.
fn deviance(eta: &[f64], y: &[bool]) -> f64 {
    2.0 * eta
        .iter()
        .zip(y)
        .map(|(&e, &yi)| log1p_exp(if yi { -e } else { e }))
        .sum::<f64>()
}

fn linear_predictor(cols: &[Vec<f64>], b: &[f64], n: usize) -> Vec<f64> {
    let mut eta = vec![0.0; n];
    for (col, &bj) in cols.iter().zip(b) {
        for (e, &x) in eta.iter_mut().zip(col) {
            *e += bj * x;
        }
    }
    eta
}

/// The linear predictor on the side of the row's outcome: large means fitted (almost) exactly.
fn signed(eta: f64, y: bool) -> f64 {
    if y {
        eta
    } else {
        -eta
    }
}

/// The upper-triangular `R` (row-major `k × k`) with `R'R = X'WX`, from a QR of `W^½ X`; `None`
/// when `W^½ X` is numerically rank deficient.
fn info_factor(cols: &[Vec<f64>], eta: &[f64]) -> Option<Vec<f64>> {
    let n = eta.len();
    let k = cols.len();
    let sw: Vec<f64> = eta.iter().map(|&e| weight(e).sqrt()).collect();
    let a = Mat::<f64>::from_fn(n, k, |i, j| sw[i] * cols[j][i]);
    let qr = a.qr();
    let r_full = qr.thin_R();
    if r_full.nrows() < k || r_full.ncols() < k {
        return None;
    }
    let mut r = vec![0.0; k * k];
    for i in 0..k {
        for j in i..k {
            r[i * k + j] = r_full[(i, j)];
        }
    }
    for j in 0..k {
        let norm = cols[j]
            .iter()
            .zip(&sw)
            .map(|(x, s)| (x * s) * (x * s))
            .sum::<f64>()
            .sqrt();
        let rjj = r[j * k + j];
        if !rjj.is_finite() || !norm.is_finite() || norm == 0.0 || rjj.abs() <= RANK_TOL * norm {
            return None;
        }
    }
    Some(r)
}

/// Solves `R'R x = g` for upper-triangular `R` (row-major `k × k`).
fn chol_solve(r: &[f64], g: &[f64]) -> Vec<f64> {
    let k = g.len();
    // R' z = g (forward substitution; R' is lower triangular).
    let mut z = vec![0.0; k];
    for i in 0..k {
        let s: f64 = (0..i).map(|m| r[m * k + i] * z[m]).sum();
        z[i] = (g[i] - s) / r[i * k + i];
    }
    // R x = z (back substitution).
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        let s: f64 = (i + 1..k).map(|m| r[i * k + m] * x[m]).sum();
        x[i] = (z[i] - s) / r[i * k + i];
    }
    x
}

/// The MLE and what the output needs from it.
struct Estimate {
    b: Vec<f64>,
    cov: Vec<f64>,
    eta: Vec<f64>,
    dev: f64,
    iterations: usize,
}

/// How the iterations ended without a usable optimum.
enum Stop {
    /// The iteration limit was reached.
    Limit,
    /// The information matrix became singular (weights underflow on some rows).
    Singular,
    /// No step length decreased -2LL.
    NoDescent,
    /// The separation pattern: boundary rows pushed outward while -2LL stays flat.
    Separation,
}

fn newton(d: &Design, y: &[bool], opts: &LogisticOptions) -> Result<Estimate> {
    let n = d.n();
    let cols = &d.columns;
    let scale = column_scales(cols, n);
    let is_constant: Vec<bool> = cols.iter().map(|c| c.iter().all(|&v| v == 1.0)).collect();
    let mut it = Iterate::start(cols, y, &is_constant, n);
    let stop = loop {
        match it.step(cols, y, &scale, opts) {
            Next::Continue => {}
            Next::Converged => return finish(cols, it.b, it.eta, it.dev, it.iterations),
            Next::Stop(stop) => break stop,
        }
    };
    Err(it.failure(d, y, stop, &scale, &is_constant))
}

/// Coefficient scales: the sd of each column (the RMS for a constant column).
fn column_scales(cols: &[Vec<f64>], n: usize) -> Vec<f64> {
    cols.iter()
        .map(|c| {
            let m = c.iter().sum::<f64>() / n as f64;
            let sd = (c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n as f64).sqrt();
            if sd > 0.0 {
                sd
            } else {
                (c.iter().map(|v| v * v).sum::<f64>() / n as f64)
                    .sqrt()
                    .max(f64::MIN_POSITIVE)
            }
        })
        .collect()
}

/// The gradient of the log-likelihood, `X'(y - p)`.
fn score(cols: &[Vec<f64>], eta: &[f64], y: &[bool]) -> Vec<f64> {
    cols.iter()
        .map(|c| {
            c.iter()
                .zip(eta)
                .zip(y)
                .map(|((&x, &e), &yi)| x * if yi { sigmoid(-e) } else { -sigmoid(e) })
                .sum()
        })
        .collect()
}

/// Step-halving: the first step length along `delta` that does not increase -2LL beyond
/// rounding, with the coefficients, linear predictor and -2LL there.
fn halved_step(
    cols: &[Vec<f64>],
    y: &[bool],
    b: &[f64],
    delta: &[f64],
    dev: f64,
) -> Option<(Vec<f64>, Vec<f64>, f64)> {
    let n = y.len();
    let allowance = 1e-12 * (1.0 + dev);
    let mut t = 1.0;
    for _ in 0..MAX_HALVINGS {
        let bn: Vec<f64> = b.iter().zip(delta).map(|(bj, dj)| bj + t * dj).collect();
        let eta_n = linear_predictor(cols, &bn, n);
        let dev_n = deviance(&eta_n, y);
        if dev_n.is_finite() && dev_n <= dev + allowance {
            return Some((bn, eta_n, dev_n));
        }
        t *= 0.5;
    }
    None
}

/// The fastest outward move from `eta` to `eta_n` of a row fitted beyond `bound` on its
/// outcome's side.
fn outward_beyond(eta_n: &[f64], eta: &[f64], y: &[bool], bound: f64) -> f64 {
    eta_n
        .iter()
        .zip(eta)
        .zip(y)
        .filter(|((&en, _), &yi)| signed(en, yi) > bound)
        .map(|((&en, &eo), &yi)| signed(en - eo, yi))
        .fold(f64::NEG_INFINITY, f64::max)
}

/// What one Newton iteration decided.
enum Next {
    Continue,
    Converged,
    Stop(Stop),
}

/// The Newton iterate and what the convergence and separation checks remember of the last
/// iterations.
struct Iterate {
    b: Vec<f64>,
    eta: Vec<f64>,
    dev: f64,
    iterations: usize,
    sep_streak: usize,
    plateau_streak: usize,
    last_change: f64,
    last_step: Vec<f64>,
    last_outward: f64,
    prev_eta: Option<Vec<f64>>,
}

impl Iterate {
    /// Zero slopes and the constant at the log-odds of the outcome's mean.
    fn start(cols: &[Vec<f64>], y: &[bool], is_constant: &[bool], n: usize) -> Self {
        let k = cols.len();
        let mut b = vec![0.0; k];
        if let Some(j) = is_constant.iter().position(|&c| c) {
            let ybar = y.iter().filter(|&&v| v).count() as f64 / n as f64;
            b[j] = (ybar / (1.0 - ybar)).ln();
        }
        let eta = linear_predictor(cols, &b, n);
        let dev = deviance(&eta, y);
        Iterate {
            b,
            eta,
            dev,
            iterations: 0,
            sep_streak: 0,
            plateau_streak: 0,
            last_change: f64::NAN,
            last_step: vec![0.0; k],
            last_outward: 0.0,
            prev_eta: None,
        }
    }

    /// One Newton step with step-halving.
    fn step(
        &mut self,
        cols: &[Vec<f64>],
        y: &[bool],
        scale: &[f64],
        opts: &LogisticOptions,
    ) -> Next {
        let k = cols.len();
        if self.iterations >= opts.max_iter {
            return Next::Stop(Stop::Limit);
        }
        self.iterations += 1;
        let Some(r) = info_factor(cols, &self.eta) else {
            return Next::Stop(Stop::Singular);
        };
        let g = score(cols, &self.eta, y);
        let delta = chol_solve(&r, &g);
        if delta.iter().any(|v| !v.is_finite()) {
            return Next::Stop(Stop::Singular);
        }
        let Some((bn, eta_n, dev_n)) = halved_step(cols, y, &self.b, &delta, self.dev) else {
            // No descent at all: at the optimum to rounding if the full step was negligible.
            let b = &self.b;
            let tiny = (0..k).all(|j| delta[j].abs() <= 1e-6 * (b[j].abs() + 1.0 / scale[j]));
            if tiny {
                return Next::Converged;
            }
            return Next::Stop(Stop::NoDescent);
        };
        self.accept(bn, eta_n, dev_n, y, scale, opts)
    }

    /// Moves to the accepted point and checks convergence and the separation pattern.
    fn accept(
        &mut self,
        bn: Vec<f64>,
        eta_n: Vec<f64>,
        dev_n: f64,
        y: &[bool],
        scale: &[f64],
        opts: &LogisticOptions,
    ) -> Next {
        let k = bn.len();
        let change = self.dev - dev_n;
        let step: Vec<f64> = bn.iter().zip(&self.b).map(|(a, c)| a - c).collect();
        let small_step = (0..k).all(|j| step[j].abs() <= STEP_TOL * (bn[j].abs() + 1.0 / scale[j]));
        // The fastest outward move of a row already fitted to within 1e-10 (and, for the checks
        // after the iteration limit, of a row fitted to within about 3e-7).
        let outward = outward_beyond(&eta_n, &self.eta, y, BOUNDARY_ETA);
        let outward_near = outward_beyond(&eta_n, &self.eta, y, NEAR_BOUNDARY_ETA);
        self.b = bn;
        self.prev_eta = Some(std::mem::replace(&mut self.eta, eta_n));
        self.dev = dev_n;
        self.last_change = change;
        self.last_step = step;
        self.last_outward = outward_near;
        let tol = opts.tol.max(16.0 * f64::EPSILON * self.dev);
        if change.abs() < tol && small_step {
            return Next::Converged;
        }
        if outward > OUTWARD_MIN && change.abs() < PLATEAU {
            self.sep_streak += 1;
            if self.sep_streak >= SEPARATION_STREAK {
                return Next::Stop(Stop::Separation);
            }
        } else {
            self.sep_streak = 0;
        }
        if change.abs() < tol && outward <= OUTWARD_MIN {
            self.plateau_streak += 1;
            if self.plateau_streak >= PLATEAU_STREAK {
                return Next::Converged;
            }
        } else {
            self.plateau_streak = 0;
        }
        Next::Continue
    }

    /// Not converged: separation if rows sit at the boundary and were still being pushed
    /// outward (or the information became singular there), otherwise a plain failure to
    /// converge.
    fn failure(
        &self,
        d: &Design,
        y: &[bool],
        stop: Stop,
        scale: &[f64],
        is_constant: &[bool],
    ) -> crate::Error {
        let near = self
            .eta
            .iter()
            .zip(y)
            .filter(|(&e, &yi)| signed(e, yi) > NEAR_BOUNDARY_ETA)
            .count();
        let separated = match stop {
            Stop::Separation => true,
            Stop::Limit => {
                near > 0
                    && self.last_outward > OUTWARD_MIN
                    && self.last_change.abs() < LIMIT_PLATEAU
            }
            Stop::Singular | Stop::NoDescent => near > 0,
        };
        if separated {
            return separation_error(d, y, self, scale, is_constant).into();
        }
        EstimationError::NoConvergence {
            outcome: d.outcome.clone(),
            iterations: self.iterations,
            change: self.last_change.abs(),
        }
        .into()
    }
}

/// The covariance at the optimum, `(X'WX)⁻¹ = R⁻¹R⁻ᵀ`.
fn finish(
    cols: &[Vec<f64>],
    b: Vec<f64>,
    eta: Vec<f64>,
    dev: f64,
    iterations: usize,
) -> Result<Estimate> {
    let k = cols.len();
    let cov = match info_factor(cols, &eta) {
        Some(r) => a_at(&upper_tri_inverse(&r, k), k),
        None => vec![f64::NAN; k * k],
    };
    Ok(Estimate {
        b,
        cov,
        eta,
        dev,
        iterations,
    })
}

/// Describes the separation: complete when every row is on its outcome's side (-2LL → 0), the terms
/// whose coefficients were still running off (the direction of the last step), and the rows whose
/// fitted probabilities go to 0 or 1 (those the last step pushed further outward).
fn separation_error(
    d: &Design,
    y: &[bool],
    it: &Iterate,
    scale: &[f64],
    is_constant: &[bool],
) -> EstimationError {
    let eta = &it.eta;
    // Coefficients that put every row strictly on its outcome's side certify complete separation;
    // under quasi-complete separation no such coefficients exist.
    let all_sides = eta.iter().zip(y).all(|(&e, &yi)| signed(e, yi) > 0.0);
    let kind = if it.dev < COMPLETE_DEV || all_sides {
        "complete"
    } else {
        "quasi-complete"
    };
    let exact = match it.prev_eta.as_deref() {
        _ if kind == "complete" => y.len(),
        Some(prev) => eta
            .iter()
            .zip(prev)
            .zip(y)
            .filter(|((&e, &ep), &yi)| {
                signed(e, yi) > DIVERGING_ETA && signed(e - ep, yi) > OUTWARD_MIN
            })
            .count(),
        None => eta
            .iter()
            .zip(y)
            .filter(|(&e, &yi)| signed(e, yi) > NEAR_BOUNDARY_ETA)
            .count(),
    };
    let terms = running_terms(d, &it.last_step, scale, is_constant);
    let subject = match terms.len() {
        0 => "the coefficients grow".to_string(),
        1 => format!("the coefficient of {} grows", terms[0]),
        _ => format!("the coefficients of {} grow", terms.join(", ")),
    };
    let rows = match exact {
        0 => String::new(),
        1 => " (fitted probabilities of exactly 0 or 1 for 1 row)".to_string(),
        m => format!(" (fitted probabilities of exactly 0 or 1 for {m} rows)"),
    };
    EstimationError::Separation {
        outcome: d.outcome.clone(),
        kind,
        detail: format!("{subject} without bound{rows}"),
    }
}

/// The quoted names of the non-constant terms whose last step (in sd units) was at least a tenth
/// of the largest, or of every non-constant term when no step stands out.
fn running_terms(d: &Design, step: &[f64], scale: &[f64], is_constant: &[bool]) -> Vec<String> {
    let moves: Vec<(usize, f64)> = step
        .iter()
        .zip(scale)
        .enumerate()
        .filter(|(j, _)| !is_constant.get(*j).copied().unwrap_or(false))
        .map(|(j, (s, sc))| (j, (s * sc).abs()))
        .collect();
    let largest = moves.iter().map(|m| m.1).fold(0.0, f64::max);
    let terms: Vec<String> = if largest > 0.0 {
        moves
            .iter()
            .filter(|m| m.1 >= 0.1 * largest)
            .map(|m| format!("'{}'", name_of(d, m.0)))
            .collect()
    } else {
        Vec::new()
    };
    if !terms.is_empty() {
        return terms;
    }
    d.names
        .iter()
        .zip(is_constant)
        .filter(|(_, &c)| !c)
        .map(|(name, _)| format!("'{name}'"))
        .collect()
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // R's values are pasted as printed with digits = 17
mod tests {
    use super::*;
    use crate::data::{read_csv_str, ReadOptions};
    use crate::estimation::{build_design, Term};

    fn design(csv: &str, outcome: &str, terms: &[&str]) -> Design {
        let data = read_csv_str("test", csv, b',', &ReadOptions::default()).unwrap();
        let terms: Vec<Term> = terms.iter().map(|t| Term::parse(t).unwrap()).collect();
        build_design(&data, outcome, &terms, &[], None, true).unwrap()
    }

    fn fit(csv: &str, terms: &[&str]) -> Result<EquationFit> {
        fit_logistic_design(&design(csv, "y", terms), 95.0, &LogisticOptions::default())
    }

    fn summary(f: &EquationFit) -> &LogisticSummary {
        match &f.summary {
            Summary::Logistic(s) => s,
            Summary::Ols(_) => panic!("not a logistic summary"),
        }
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    fn assert_close(what: &str, a: f64, b: f64, rel: f64) {
        assert!(close(a, b, rel), "{what}: got {a:.17e}, R {b:.17e}");
    }

    /// 30 rows simulated in R 4.2.2 (set.seed(20240611); x = round(rnorm(30, 5, 2), 1);
    /// w = round(runif(30, 0, 3), 2); y = rbinom(30, 1, plogis(-3 + .5x + .6w - .15xw))).
    const DATA: &str = "y,x,w
0,1.7,0.51
0,6.5,2.92
0,0.9,0.73
0,5,2.27
1,3.3,2.3
1,5.3,0.27
0,3.2,2.81
1,5.1,1.61
0,3.8,0.97
0,2.2,1.05
0,6.6,2.82
0,7.8,1.43
0,3.1,1.74
0,0.2,2.37
0,4.7,2.49
0,5.8,2.15
0,3.7,0.22
1,4.9,0.24
0,3.2,2.25
0,5.2,2.06
0,4.8,1.72
0,5.2,1.61
0,2.8,2.31
0,5.7,0.5
1,7.7,1.18
0,4.2,1.54
0,4.2,2.65
1,5.2,1.07
1,6.5,2.61
1,5.5,2.59
";

    /// summary(m)$coefficients with confint.default(m, level = 0.90): term, estimate, se, z, p,
    /// lower, upper (the model and call in [`matches_r_glm`]).
    const R_GLM_COEFFICIENTS: [(&str, f64, f64, f64, f64, f64, f64); 4] = [
        (
            "constant",
            -5.08138217029705075,
            4.06314210549387056,
            -1.25060409859315369,
            0.21107895453393852,
            -11.76465619933788709,
            1.60189185874378115,
        ),
        (
            "x",
            1.03744426338590423,
            0.79888656050375462,
            1.29861273762287621,
            0.19407686441491862,
            -0.27660719318148375,
            2.35149571995329154,
        ),
        (
            "w",
            0.89644948395210855,
            2.16703698712728476,
            0.41367521148795877,
            0.67911198344458290,
            -2.66800916406219724,
            4.46090813196641189,
        ),
        (
            "x:w",
            -0.29641135992153939,
            0.42134222349019668,
            -0.70349313075297792,
            0.48174848614468174,
            -0.98945764441718742,
            0.39663492457410815,
        ),
    ];

    /// R 4.2.2 (2022-11-10), options(digits = 17), d = DATA:
    /// ctl <- glm.control(epsilon = 1e-14, maxit = 100)
    /// m0 <- glm(y ~ x + w + x:w, family = binomial, data = d, control = ctl)
    /// m <- glm(y ~ x + w + x:w, family = binomial, data = d, start = coef(m0), control = ctl)
    /// summary(m)$coefficients; vcov(m); deviance(m); m$null.deviance;
    /// confint.default(m, level = 0.90); range(fitted(m))
    /// glm computes its standard errors from the weights of the iteration before its last, and
    /// stops at a relative deviance change of 1e-8; the tight epsilon and the restart from m0's
    /// estimates make those weights the ones at the MLE. (With the default control the standard
    /// errors here differ by about 5e-7 relative from the exact inverse information.)
    #[test]
    fn matches_r_glm() {
        let f = fit_logistic_design(
            &design(DATA, "y", &["x", "w", "x:w"]),
            90.0,
            &LogisticOptions::default(),
        )
        .unwrap();
        assert_eq!(f.method, Method::Logistic);
        assert_eq!(f.n, 30);
        for (c, (term, b, se, z, p, lo, hi)) in f.coefficients.iter().zip(R_GLM_COEFFICIENTS) {
            assert_eq!(c.term, term);
            assert_close(term, c.estimate, b, 1e-8);
            assert_close(term, c.se, se, 1e-8);
            assert_close(term, c.stat, z, 1e-8);
            assert_close(term, c.p, p, 1e-7);
            assert_close(term, c.ci_lower, lo, 1e-8);
            assert_close(term, c.ci_upper, hi, 1e-8);
        }
        // vcov(m)[1, 2] and vcov(m)[4, 4]; cov and xtx_inv are the inverse information.
        assert_close("cov[0,1]", f.cov[1], -3.1470193024128905, 1e-8);
        assert_close("cov[1,0]", f.cov[4], -3.1470193024128905, 1e-8);
        assert_close("cov[3,3]", f.cov[15], 0.17752926929566284, 1e-8);
        assert_eq!(f.cov, f.xtx_inv);
        assert_r_glm_summary(&f);
        // range(fitted(m))
        let min = f.fitted.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = f.fitted.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        assert_close("min fitted", min, 0.024410787268915383, 1e-8);
        assert_close("max fitted", max, 0.781008896047528545, 1e-8);
        let d = design(DATA, "y", &["x", "w", "x:w"]);
        for ((r, p), y) in f.residuals.iter().zip(&f.fitted).zip(&d.y) {
            assert!((r - (y - p)).abs() < 1e-15);
        }
        // 8 events for 3 predictors.
        assert!(f.warnings.iter().any(|w| w.contains("fewer than 10")));
    }

    /// deviance(m), m$null.deviance and the likelihood-ratio test and pseudo-R² computed from
    /// them (the model in [`matches_r_glm`]).
    fn assert_r_glm_summary(f: &EquationFit) {
        let s = summary(f);
        assert_close("deviance", s.neg2ll, 29.416045713209694, 1e-10);
        assert_close("null deviance", s.neg2ll_null, 34.794910285086047, 1e-12);
        // D0 - D; pchisq(D0 - D, 3, lower.tail = FALSE); 1 - D/D0; cs <- 1 - exp((D - D0)/30);
        // cs / (1 - exp(-D0/30))
        assert_close("chisq", s.chisq, 5.37886457187635258, 1e-9);
        assert_eq!(s.df, 3.0);
        assert_close("p", s.p, 0.14606607269889527, 1e-8);
        assert_close("mcfadden", s.mcfadden, 0.15458768330786199, 1e-9);
        assert_close("cox-snell", s.cox_snell, 0.16414112146697868, 1e-9);
        assert_close("nagelkerke", s.nagelkerke, 0.23911221478713091, 1e-9);
    }

    /// A legitimate MLE with one row fitted to 1 - 1e-20 must not be taken for separation.
    /// R 4.2.2: d <- data.frame(x = c(1:20, 100),
    ///   y = c(0,0,0,0,0,0,0,1,0,1,0,1,0,1,1,1,1,1,1,1,1))
    /// ctl <- glm.control(epsilon = 1e-14, maxit = 100)
    /// m0 <- glm(y ~ x, binomial, d, control = ctl)
    /// m <- glm(y ~ x, binomial, d, start = coef(m0), control = ctl)
    /// Without the restart glm's standard errors here are off by 2e-8 relative (weights from an
    /// iterate 1e-7 away); the restarted ones equal sqrt(diag(solve(t(X) %*% (X * p * (1 - p)))))
    /// at the MLE to 1e-15.
    #[test]
    fn extreme_fitted_probability_is_not_separation() {
        let ys = [
            0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
        ];
        let mut csv = String::from("y,x\n");
        for (i, y) in ys.iter().enumerate() {
            let x = if i == 20 { 100 } else { i + 1 };
            csv.push_str(&format!("{y},{x}\n"));
        }
        let f = fit(&csv, &["x"]).unwrap();
        assert_close("b0", f.coefficients[0].estimate, -5.39614825560545963, 1e-8);
        assert_close("b1", f.coefficients[1].estimate, 0.51391888148623421, 1e-8);
        assert_close("se0", f.coefficients[0].se, 2.40588443679718234, 1e-8);
        assert_close("se1", f.coefficients[1].se, 0.21859924502231576, 1e-8);
        let s = summary(&f);
        assert_close("deviance", s.neg2ll, 12.480664771998310, 1e-10);
        assert_close("null deviance", s.neg2ll_null, 29.064544522938697, 1e-12);
        assert!(f.warnings.iter().any(|w| w.contains("numerically 0 or 1")));
    }

    fn separation(csv: &str, terms: &[&str]) -> (&'static str, String) {
        match fit(csv, terms) {
            Err(crate::Error::Estimation(EstimationError::Separation { kind, detail, .. })) => {
                (kind, detail)
            }
            other => panic!("expected separation, got {other:?}"),
        }
    }

    #[test]
    fn complete_separation() {
        let csv = "y,x,w\n0,1,3\n0,2,1\n0,3,4\n0,4,1\n0,5,5\n1,6,9\n1,7,2\n1,8,6\n1,9,5\n1,10,3\n";
        let (kind, detail) = separation(csv, &["x"]);
        assert_eq!(kind, "complete");
        assert!(detail.contains("'x'"), "{detail}");
        assert!(detail.contains("for 10 rows"), "{detail}");
        let (kind, detail) = separation(csv, &["x", "w"]);
        assert_eq!(kind, "complete");
        assert!(detail.contains("'x'"), "{detail}");
    }

    #[test]
    fn quasi_complete_separation() {
        // Ties at x = 5 with both outcomes: the slope diverges, -2LL tends to 2·2·ln 2.
        let csv = "y,x\n0,1\n0,2\n0,3\n0,4\n0,5\n1,5\n1,6\n1,7\n1,8\n1,9\n";
        let (kind, detail) = separation(csv, &["x"]);
        assert_eq!(kind, "quasi-complete");
        assert!(
            detail.contains("'x'") && detail.contains("8 rows"),
            "{detail}"
        );
        // A dummy whose group has only zeros, next to a predictor that does not separate.
        let csv = "y,g,x\n0,1,1.2\n0,1,0.3\n0,1,2.2\n0,1,1.7\n0,0,0.5\n1,0,1.1\n0,0,2.3\n1,0,0.2\n1,0,1.9\n0,0,0.8\n1,0,1.4\n0,0,2.6\n";
        let (kind, detail) = separation(csv, &["g", "x"]);
        assert_eq!(kind, "quasi-complete");
        assert!(
            detail.contains("'g'") && !detail.contains("'x'"),
            "{detail}"
        );
        assert!(detail.contains("4 rows"), "{detail}");
    }

    #[test]
    fn non_binary_outcome() {
        let csv = "y,x\n0,1\n1,2\n2,3\n0,4\n1,5\n2,6\n";
        match fit(csv, &["x"]) {
            Err(crate::Error::Estimation(EstimationError::NotBinary {
                column, n_values, ..
            })) => {
                assert_eq!(column, "y");
                assert_eq!(n_values, 3);
            }
            other => panic!("expected NotBinary, got {other:?}"),
        }
        // Two values, but not 0 and 1.
        let mut d = design(csv, "y", &["x"]);
        d.y = vec![1.0, 2.0, 1.0, 2.0, 1.0, 2.0];
        let err = fit_logistic_design(&d, 95.0, &LogisticOptions::default()).unwrap_err();
        assert!(matches!(
            err,
            crate::Error::Estimation(EstimationError::NotBinary { n_values: 2, .. })
        ));
        // Only one value.
        d.y = vec![1.0; 6];
        let err = fit_logistic_design(&d, 95.0, &LogisticOptions::default()).unwrap_err();
        assert!(matches!(
            err,
            crate::Error::Estimation(EstimationError::NotBinary { n_values: 1, .. })
        ));
    }

    #[test]
    fn collinear_design() {
        let csv = "y,x,z\n0,1,2\n1,2,4\n0,3,6\n1,4,8\n1,5,10\n0,6,12\n";
        let err = fit(csv, &["x", "z"]).unwrap_err();
        assert!(
            matches!(
                &err,
                crate::Error::Estimation(EstimationError::Collinear { dependent, .. })
                    if dependent == "z"
            ),
            "{err:?}"
        );
    }

    #[test]
    fn pseudo_r2_identities() {
        for terms in [&["x"][..], &["x", "w"], &["x", "w", "x:w"]] {
            let f = fit(DATA, terms).unwrap();
            let s = summary(&f);
            assert!(s.cox_snell > 0.0 && s.cox_snell <= s.nagelkerke && s.nagelkerke <= 1.0);
            assert!(s.mcfadden > 0.0 && s.mcfadden < 1.0);
            assert_eq!(s.chisq, s.neg2ll_null - s.neg2ll);
            assert_eq!(s.df, terms.len() as f64);
            assert!((s.mcfadden - (1.0 - s.neg2ll / s.neg2ll_null)).abs() < 1e-15);
            // The null -2LL is what an intercept-only fit reaches: 22 zeros and 8 ones.
            let null = -2.0 * (8.0 * (8.0f64 / 30.0).ln() + 22.0 * (22.0f64 / 30.0).ln());
            assert!((s.neg2ll_null - null).abs() < 1e-12);
            // Score equations at the optimum: X'(y - p) = 0.
            let d = design(DATA, "y", terms);
            for col in &d.columns {
                let g: f64 = col.iter().zip(&f.residuals).map(|(x, r)| x * r).sum();
                assert!(g.abs() < 1e-10, "score {g}");
            }
        }
        // Intercept-only: b0 = logit(8/30), -2LL equals the null, chi-square 0 on 0 df.
        let d = design(DATA, "y", &[]);
        let f = fit_logistic_design(&d, 95.0, &LogisticOptions::default()).unwrap();
        assert_close(
            "b0",
            f.coefficients[0].estimate,
            (8.0f64 / 22.0).ln(),
            1e-12,
        );
        let s = summary(&f);
        assert!((s.neg2ll - s.neg2ll_null).abs() < 1e-10 && s.df == 0.0 && s.p.is_nan());
    }

    #[test]
    fn two_level_text_outcome_and_iteration_limit() {
        // The same data with the outcome as text: the second level ("yes") is coded 1.
        let text: String = DATA
            .lines()
            .map(|l| match (l.strip_prefix("0,"), l.strip_prefix("1,")) {
                (Some(rest), _) => format!("no,{rest}\n"),
                (_, Some(rest)) => format!("yes,{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        let a = fit(DATA, &["x", "w"]).unwrap();
        let b = fit(&text, &["x", "w"]).unwrap();
        for (ca, cb) in a.coefficients.iter().zip(&b.coefficients) {
            assert!((ca.estimate - cb.estimate).abs() < 1e-12);
        }
        let d = design(DATA, "y", &["x", "w"]);
        let opts = LogisticOptions {
            max_iter: 2,
            tol: 1e-10,
        };
        let err = fit_logistic_design(&d, 95.0, &opts).unwrap_err();
        assert!(matches!(
            err,
            crate::Error::Estimation(EstimationError::NoConvergence { iterations: 2, .. })
        ));
    }
}
