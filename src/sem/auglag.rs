//! The augmented Lagrangian under nonlinear and inequality constraints (lavaan 0.6-14's
//! `nlminb.constr`, after Madsen, Nielsen & Tingleff 2004, *Optimization with constraints*,
//! and Nocedal & Wright 2006, §17.3–17.4): minimise over θ
//!
//!   Φ(θ) = F(θ) − Σ λⱼ c̃ⱼ(θ) + μ/2 Σ c̃ⱼ(θ)²,
//!
//! where c̃ⱼ = cⱼ for an equality and, for an inequality cⱼ ≥ 0, c̃ⱼ = min(cⱼ, λⱼ/μ) (slack
//! enough to be held at the constant λⱼ/μ, so it has no gradient). After each inner
//! minimisation, as lavaan: if max|c̃| fell to a quarter of its last value the multipliers move,
//! λ ← λ − μ c̃ (for an inequality this is max(0, λ − μ c)), else μ grows tenfold. lavaan stops
//! at |c̃| < 1e-6 with nlminb's rel.tol; here the inner search is Fisher scoring on Φ (Hessian
//! 2I + μ Σ∇c̃∇c̃′) then Newton steps, with the engine's one backtracking line search
//! (`estimate::line_search`, Φ being an `estimate::Objective`), to |∇Φ|∞ < 1e-10, and the outer
//! loop to |c̃| < 1e-10, so that the estimate meets the Karush-Kuhn-Tucker conditions to
//! rounding. A bootstrap draw starts the outer loop at the full sample's multipliers
//! ([`solve_from`]).

use super::error::SemError;
use super::estimate::{line_search, max_abs, Estimate, Objective, GRADIENT_TOL};
use super::gradient::{delta, expected_information, gradient};
use super::linalg::{spd_inverse_logdet, Mat};
use super::model::Model;
use super::nonlinear::{not_finite, Constraints};
use super::objective::f_ml;
use super::sample::SampleStats;

/// Constraint tolerance at the end (lavaan's outer tol is 1e-6).
const CONSTRAINT_TOL: f64 = 1e-10;
/// An inner search that cannot decrease Φ further counts as converged below this gradient.
const STALL_TOL: f64 = 1e-7;
/// Below this gradient, Newton steps (Hessian from differences of ∇Φ) replace scoring.
const NEWTON: f64 = 1e-3;
/// Below this gradient, steps are taken whole (Φ's rounding cannot judge them).
const NEAR: f64 = 1e-6;
const MAX_INNER: usize = 500;
const MAX_OUTER: usize = 100;
/// μ beyond this with the constraints still missed by [`INFEASIBLE_GAP`]: they cannot all hold
/// (with F's slopes of order 1, a penalty this heavy leaves a feasible problem's constraints
/// off by ~1/μ).
const MAX_MU: f64 = 1e8;
const INFEASIBLE_GAP: f64 = 1e-5;
/// An inner search failing at this penalty or more counts as infeasibility.
const INFEASIBLE_MU: f64 = 1e6;

/// Φ for fixed multipliers and penalty.
struct Lagrangian<'a> {
    model: &'a Model,
    s: &'a SampleStats,
    cons: &'a Constraints<'a>,
    lambda: Vec<f64>,
    mu: f64,
}

impl Lagrangian<'_> {
    /// c̃ and whether each term depends on θ.
    fn shifted(&self, c: &[f64]) -> (Vec<f64>, Vec<bool>) {
        let n_eq = self.cons.n_eq();
        c.iter()
            .enumerate()
            .map(|(j, &v)| {
                let hold = self.lambda[j] / self.mu;
                if j >= n_eq && v > hold {
                    (hold, false)
                } else {
                    (v, true)
                }
            })
            .unzip()
    }

    fn penalty(&self, ct: &[f64]) -> f64 {
        ct.iter()
            .zip(&self.lambda)
            .map(|(c, l)| -l * c + 0.5 * self.mu * c * c)
            .sum()
    }

    fn value(&self, theta: &[f64]) -> Option<f64> {
        let (_, imp) = self.model.implied(theta)?;
        let (f, _) = f_ml(&imp, self.s, self.model.meanstructure)?;
        let (c, _) = self.cons.eval(self.model, theta)?;
        Some(f + self.penalty(&self.shifted(&c).0))
    }

    /// Φ, ∇Φ and (when asked) the scoring Hessian 2I + μ Σ ∇c̃∇c̃′.
    fn eval(&self, theta: &[f64], want_info: bool) -> Option<(f64, Vec<f64>, Option<Mat>)> {
        let (m, imp) = self.model.implied(theta)?;
        let (f, inv) = f_ml(&imp, self.s, self.model.meanstructure)?;
        let (c, jac) = self.cons.eval(self.model, theta)?;
        let (ct, live) = self.shifted(&c);
        let d = delta(self.model, &m, &imp);
        let mut g = gradient(&d, &imp, &inv, self.s, self.model.meanstructure);
        for j in (0..c.len()).filter(|&j| live[j]) {
            let w = self.mu * ct[j] - self.lambda[j];
            g.iter_mut().zip(&jac[j]).for_each(|(gi, a)| *gi += w * a);
        }
        let info = want_info.then(|| {
            let mut h = expected_information(&d, &inv, self.model.meanstructure).scale(2.0);
            for j in (0..c.len()).filter(|&j| live[j]) {
                let a = &jac[j];
                for r in 0..a.len() {
                    for k in 0..a.len() {
                        h[(r, k)] += self.mu * a[r] * a[k];
                    }
                }
            }
            // The constraints' own curvature, weighted by μc̃ − λ, matters as much as μ∇c∇c′
            // where a constraint cannot be met (a² == −1 at a = 0); kept when it leaves the
            // matrix positive definite.
            let live_w: Vec<(usize, f64)> = (0..c.len())
                .filter(|&j| live[j])
                .map(|j| (j, self.mu * ct[j] - self.lambda[j]))
                .collect();
            match self.curvature(theta, &live_w) {
                Some(w) if spd_inverse_logdet(&h.add(&w)).is_some() => h.add(&w),
                _ => h,
            }
        });
        Some((f + self.penalty(&ct), g, info))
    }

    /// Σ wⱼ ∇²cⱼ by central differences of the exact Jacobian.
    fn curvature(&self, theta: &[f64], weights: &[(usize, f64)]) -> Option<Mat> {
        let q = theta.len();
        let mut h = Mat::zeros(q, q);
        if weights.is_empty() {
            return Some(h);
        }
        let mut x = theta.to_vec();
        for k in 0..q {
            let step = 1e-6 * theta[k].abs().max(1.0);
            x[k] = theta[k] + step;
            let (_, up) = self.cons.eval(self.model, &x)?;
            x[k] = theta[k] - step;
            let (_, down) = self.cons.eval(self.model, &x)?;
            x[k] = theta[k];
            for &(j, w) in weights {
                for i in 0..q {
                    h[(i, k)] += w * (up[j][i] - down[j][i]) / (2.0 * step);
                }
            }
        }
        Some(h.add(&h.t()).scale(0.5))
    }
    /// ∂²Φ/∂θ∂θ′ by central differences of ∇Φ, symmetrised.
    fn hessian(&self, theta: &[f64]) -> Option<Mat> {
        let q = theta.len();
        let mut h = Mat::zeros(q, q);
        let mut x = theta.to_vec();
        for j in 0..q {
            let step = 1e-6 * theta[j].abs().max(1.0);
            x[j] = theta[j] + step;
            let up = self.eval(&x, false)?.1;
            x[j] = theta[j] - step;
            let down = self.eval(&x, false)?.1;
            x[j] = theta[j];
            for i in 0..q {
                h[(i, j)] = (up[i] - down[i]) / (2.0 * step);
            }
        }
        Some(h.add(&h.t()).scale(0.5))
    }
}

/// Φ is what the engine's one line search (`estimate::line_search`) backtracks on.
impl Objective for Lagrangian<'_> {
    fn f(&self, theta: &[f64]) -> Option<f64> {
        self.value(theta)
    }

    fn fg(&self, theta: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.eval(theta, false).map(|(f, g, _)| (f, g))
    }
}

/// The multipliers λ and the penalty μ of the outer loop: where a search starts (λ = 0, μ =
/// 100 cold; a bootstrap draw starts from the full sample's) and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Multipliers {
    pub lambda: Vec<f64>,
    pub mu: f64,
}

impl Multipliers {
    pub fn cold(n: usize) -> Multipliers {
        Multipliers {
            lambda: vec![0.0; n],
            mu: 100.0,
        }
    }
}

/// How an inner minimisation ended.
struct Inner {
    theta: Vec<f64>,
    gradient: f64,
    iterations: usize,
}

/// Minimises Φ from `theta`; `None` when it stalls above [`STALL_TOL`] or leaves the
/// parameter space.
fn minimise(lag: &Lagrangian<'_>, theta: Vec<f64>) -> Option<Inner> {
    let mut x = theta;
    let (mut best_g, mut stalled) = (f64::INFINITY, 0);
    for it in 1..=MAX_INNER {
        let (f, g, info) = lag.eval(&x, true)?;
        let gmax = max_abs(&g);
        let done = |x: Vec<f64>| {
            Some(Inner {
                theta: x,
                gradient: gmax,
                iterations: it,
            })
        };
        if gmax < GRADIENT_TOL {
            return done(x);
        }
        let newton = (gmax < NEWTON)
            .then(|| lag.hessian(&x))
            .flatten()
            .and_then(|h| spd_inverse_logdet(&h));
        let step = newton
            .or_else(|| {
                spd_inverse_logdet(&info.expect("eval(x, true) always returns the information"))
            })
            .map(|(inv, _)| inv.mul_vec(&g));
        if let Some(step) = &step {
            if gmax < NEAR && stalled < 10 {
                let next: Vec<f64> = x.iter().zip(step).map(|(a, d)| a - d).collect();
                if lag.value(&next).is_some() {
                    stalled = if gmax < best_g { 0 } else { stalled + 1 };
                    best_g = best_g.min(gmax);
                    x = next;
                    continue;
                }
            }
            if let Some((next, _)) = line_search(lag, &x, (f, &g), step, None) {
                x = next;
                continue;
            }
        }
        // Steepest descent when the model step fails.
        if let Some((next, _)) = line_search(lag, &x, (f, &g), &g, None) {
            x = next;
            continue;
        }
        return (gmax < STALL_TOL).then(|| done(x)).flatten();
    }
    None
}

/// The constrained minimum of F from `theta0`, the outer loop starting cold.
pub(super) fn solve(
    model: &Model,
    s: &SampleStats,
    cons: &Constraints<'_>,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    solve_from(model, s, cons, theta0, Multipliers::cold(cons.len())).map(|(est, _)| est)
}

/// The constrained minimum of F from `theta0` with the outer loop starting at `warm`, and the
/// multipliers it ended with (a bootstrap draw starts from the full sample's θ̂ and λ̂, where
/// its own optimum is O(n^−½) away).
pub(super) fn solve_from(
    model: &Model,
    s: &SampleStats,
    cons: &Constraints<'_>,
    theta0: &[f64],
    warm: Multipliers,
) -> Result<(Estimate, Multipliers), SemError> {
    let mut theta = theta0.to_vec();
    // lavaan divides the start by 10 when F is not finite there.
    let finite = |t: &[f64]| {
        model
            .implied(t)
            .and_then(|(_, imp)| f_ml(&imp, s, model.meanstructure))
            .is_some()
    };
    if !finite(&theta) {
        theta.iter_mut().for_each(|v| *v /= 10.0);
    }
    let mut lag = Lagrangian {
        model,
        s,
        cons,
        lambda: warm.lambda,
        mu: warm.mu,
    };
    let (mut k_prev, mut iterations) = (f64::INFINITY, 0);
    for _ in 0..MAX_OUTER {
        let Some(inner) = minimise(&lag, theta.clone()) else {
            // A search that fails under a heavy penalty is fighting constraints that cannot
            // hold together.
            if lag.mu >= INFEASIBLE_MU {
                let (c, _) = cons
                    .eval(model, &theta)
                    .ok_or_else(|| not_finite(cons, model, &theta))?;
                return Err(infeasible(cons, &lag.shifted(&c).0));
            }
            return Err(not_converged(iterations));
        };
        iterations += inner.iterations;
        theta = inner.theta;
        let (c, _) = cons
            .eval(model, &theta)
            .ok_or_else(|| not_finite(cons, model, &theta))?;
        let (ct, _) = lag.shifted(&c);
        let k = max_abs(&ct);
        if k < CONSTRAINT_TOL && inner.gradient < STALL_TOL {
            let (_, imp) = model
                .implied(&theta)
                .ok_or_else(|| not_converged(iterations))?;
            let (f, _) =
                f_ml(&imp, s, model.meanstructure).ok_or_else(|| not_converged(iterations))?;
            let est = Estimate {
                theta,
                f,
                iterations,
                gradient: inner.gradient,
            };
            let end = Multipliers {
                lambda: lag.lambda,
                mu: lag.mu,
            };
            return Ok((est, end));
        }
        if k <= k_prev / 4.0 {
            let mu = lag.mu;
            lag.lambda
                .iter_mut()
                .zip(&ct)
                .for_each(|(l, c)| *l -= mu * c);
            k_prev = k;
        } else {
            lag.mu *= 10.0;
            if lag.mu > MAX_MU && k > INFEASIBLE_GAP {
                return Err(infeasible(cons, &ct));
            }
        }
    }
    Err(not_converged(iterations))
}

/// The constraint furthest from holding when no θ meets them all.
fn infeasible(cons: &Constraints<'_>, ct: &[f64]) -> SemError {
    let worst = (0..ct.len())
        .max_by(|&a, &b| ct[a].abs().total_cmp(&ct[b].abs()))
        .unwrap_or(0);
    let (text, pos) = cons.source(worst);
    SemError::InconsistentConstraints {
        text: text.to_string(),
        pos,
    }
}

fn not_converged(iterations: usize) -> SemError {
    SemError::NotConverged {
        iterations,
        gradient: f64::NAN,
        advice: "the constrained (augmented Lagrangian) search did not settle; check that the constraints can hold together with the model, that every latent has a scale, or give start values with start(value)*item".into(),
    }
}
