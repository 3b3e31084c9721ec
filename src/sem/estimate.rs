//! Stage 6: estimation from lavaan's start values (`start.rs`). The search runs over z of
//! θ = K z + k₀ (equality constraints): Fisher scoring with step halving (the expected
//! information is positive definite wherever the model is identified), Newton steps with a
//! Hessian from differences of the analytic gradient once |∇F| < 1e-3 (scoring alone converges
//! only linearly under misfit), BFGS steps when neither decreases F, until |∂F/∂z|∞ < 1e-10
//! (lavaan's nlminb stops at rel.tol 1e-10 on F, about 1e-6 on θ).

use super::constraints::Reparam;
use super::error::SemError;
use super::gradient::{delta, expected_information, gradient_direct};
use super::linalg::{spd_inverse_logdet, Mat};
use super::model::Model;
use super::objective::f_ml;
use super::sample::SampleStats;

/// Gradient tolerance on F (twice lavaan's fmin) in z.
pub const GRADIENT_TOL: f64 = 1e-10;
/// A search that cannot decrease F further stops; if its gradient is below this it has reached
/// the rounding floor of F and counts as converged.
const STALL_TOL: f64 = 1e-7;
const MAX_ITER: usize = 2000;
/// Below this gradient, steps are taken whole (see `estimate`).
const NEAR: f64 = 1e-5;
/// Below this gradient, Newton steps replace scoring steps.
const NEWTON: f64 = 1e-3;

/// The estimate: θ̂, F(θ̂), and how the search went.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub theta: Vec<f64>,
    pub f: f64,
    pub iterations: usize,
    /// |∂F/∂z|∞ at the end.
    pub gradient: f64,
}

/// The problem in z: F, its gradient and its expected Hessian 2·K′IK.
struct Problem<'a> {
    model: &'a Model,
    s: &'a SampleStats,
    re: &'a Reparam,
}

impl Problem<'_> {
    fn f(&self, z: &[f64]) -> Option<f64> {
        let (_, imp) = self.model.implied(&self.re.theta(z))?;
        f_ml(&imp, self.s, self.model.meanstructure).map(|(f, _)| f)
    }
}

impl Scored for Problem<'_> {
    /// F, ∂F/∂z and (when asked) 2K′IK.
    fn eval(&self, z: &[f64], want_info: bool) -> Option<(f64, Vec<f64>, Option<Mat>)> {
        let theta = self.re.theta(z);
        let (m, imp) = self.model.implied(&theta)?;
        let (f, inv) = f_ml(&imp, self.s, self.model.meanstructure)?;
        let g = gradient_direct(self.model, &m, &imp, &inv, self.s);
        let gz = self.re.k.t_mul_vec(&g);
        let info = want_info.then(|| {
            let d = delta(self.model, &m, &imp);
            let i = expected_information(&d, &inv, self.model.meanstructure);
            self.re.k.t().mul(&i).mul(&self.re.k).scale(2.0)
        });
        Some((f, gz, info))
    }
}

/// What the scoring search needs of a problem in z: F, ∂F/∂z and, when asked, the expected
/// Hessian 2K′IK (one group's ML here; the weighted sum over groups in groups/estimate.rs).
pub(super) trait Scored: Objective {
    fn eval(&self, z: &[f64], want_info: bool) -> Option<(f64, Vec<f64>, Option<Mat>)>;

    /// ∂²F/∂z∂z′ by central differences of the analytic gradient, symmetrised.
    fn hessian(&self, z: &[f64]) -> Option<Mat> {
        let r = z.len();
        let mut h = Mat::zeros(r, r);
        let mut x = z.to_vec();
        for j in 0..r {
            let step = 1e-6 * z[j].abs().max(1.0);
            x[j] = z[j] + step;
            let up = self.eval(&x, false)?.1;
            x[j] = z[j] - step;
            let down = self.eval(&x, false)?.1;
            x[j] = z[j];
            for i in 0..r {
                h[(i, j)] = (up[i] - down[i]) / (2.0 * step);
            }
        }
        Some(h.add(&h.t()).scale(0.5))
    }
}

pub(super) fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Minimises F from `theta0`.
pub fn estimate(
    model: &Model,
    s: &SampleStats,
    re: &Reparam,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    minimise(&Problem { model, s, re }, re, theta0)
}

/// The fallback after both start values failed (mod.rs `estimate_constrained`): quasi-Newton
/// (BFGS) steps from `theta0` until |∇F|∞ < 1e-6, then the search of [`estimate`] to finish.
/// From lavaan's starts (latent variances 0.05) a full scoring step can cross into the basin of
/// a degenerate solution, where a loading changes sign against a fixed marker and then runs off
/// while a latent variance goes to 0 and F creeps down forever (seen on double-mean-centred
/// product-indicator models with markers fixed at 0.8, docs/simulations/latent_interaction.md).
/// lavaan's optimiser, nlminb, is a quasi-Newton method whose first steps are gradient steps,
/// which stay in the start's basin; this does the same.
pub fn estimate_quasi_newton(
    model: &Model,
    s: &SampleStats,
    re: &Reparam,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    let pb = Problem { model, s, re };
    let mut z = re.z(theta0);
    if pb.f(&z).is_none() {
        z.iter_mut().for_each(|v| *v /= 10.0);
    }
    let (next, _) = bfgs(&pb, &z, MAX_ITER);
    minimise(&pb, re, &re.theta(&next.unwrap_or(z)))
}

/// Minimises the problem `pb` in z from `theta0` (see the module comment).
pub(super) fn minimise(
    pb: &impl Scored,
    re: &Reparam,
    theta0: &[f64],
) -> Result<Estimate, SemError> {
    let mut z = re.z(theta0);
    // lavaan divides the start by 10 when F is not finite there.
    if pb.f(&z).is_none() {
        z.iter_mut().for_each(|v| *v /= 10.0);
    }
    let mut iterations = 0;
    let mut bfgs_left: usize = 200;
    let (mut best_g, mut stalled) = (f64::INFINITY, 0);
    loop {
        iterations += 1;
        let Some((f, g, info)) = pb.eval(&z, true) else {
            return Err(not_converged(iterations, f64::NAN));
        };
        let gmax = max_abs(&g);
        if gmax < GRADIENT_TOL {
            return Ok(finish(re, z, f, iterations, gmax));
        }
        if iterations > MAX_ITER {
            return Err(not_converged(iterations, gmax));
        }
        let info = info.expect("Scored::eval(z, true) always returns the information");
        // Scoring converges only linearly when the model misfits (the expected information is
        // not the Hessian); close to the optimum Newton steps with the Hessian from central
        // differences of the analytic gradient (2r gradients, the cost of one information
        // matrix) converge quadratically. Far from it the Hessian may be indefinite.
        let newton = (gmax < NEWTON)
            .then(|| pb.hessian(&z))
            .flatten()
            .and_then(|h| spd_inverse_logdet(&h));
        let step = newton
            .or_else(|| spd_inverse_logdet(&info))
            .map(|(inv, _)| inv.mul_vec(&g));
        if let Some(step) = step {
            // Close to the optimum a step changes F by about |g|², below F's rounding (~1e-14),
            // so F cannot judge it: take full scoring steps there while the gradient shrinks.
            if gmax < NEAR && stalled < 10 {
                let next: Vec<f64> = z.iter().zip(&step).map(|(a, d)| a - d).collect();
                if pb.f(&next).is_some() {
                    stalled = if gmax < best_g { 0 } else { stalled + 1 };
                    best_g = best_g.min(gmax);
                    z = next;
                    continue;
                }
            }
            if gmax >= NEAR {
                if let Some((next, _)) = line_search(pb, &z, (f, &g), &step, None) {
                    z = next;
                    continue;
                }
            }
        }
        if bfgs_left > 0 {
            let (next, used) = bfgs(pb, &z, 50);
            // Saturating: a run of 50 may overdraw what is left of the budget.
            bfgs_left = bfgs_left.saturating_sub(used.max(1));
            iterations += used;
            if let Some(next) = next {
                z = next;
                continue;
            }
        }
        if gmax < STALL_TOL {
            return Ok(finish(re, z, f, iterations, gmax));
        }
        return Err(not_converged(iterations, gmax));
    }
}

fn finish(re: &Reparam, z: Vec<f64>, f: f64, iterations: usize, gradient: f64) -> Estimate {
    Estimate {
        theta: re.theta(&z),
        f,
        iterations,
        gradient,
    }
}

fn not_converged(iterations: usize, gradient: f64) -> SemError {
    SemError::NotConverged {
        iterations,
        gradient,
        advice: "check that every latent has a scale (a fixed loading or variance) and enough indicators, rescale variables with very different variances, or give start values with start(value)*item".into(),
    }
}

/// F and its gradient in z: what a line search evaluates.
pub(super) trait Objective {
    fn f(&self, z: &[f64]) -> Option<f64>;
    fn fg(&self, z: &[f64]) -> Option<(f64, Vec<f64>)>;

    /// F at a trial point, with the gradient when `gradient` asks for it or when it costs the
    /// objective little more than F (then the search hands it on and the caller need not
    /// evaluate the accepted point again).
    fn trial(&self, z: &[f64], gradient: bool) -> Option<(f64, Option<Vec<f64>>)> {
        if gradient {
            self.fg(z).map(|(f, g)| (f, Some(g)))
        } else {
            self.f(z).map(|f| (f, None))
        }
    }
}

impl Objective for Problem<'_> {
    fn f(&self, z: &[f64]) -> Option<f64> {
        Problem::f(self, z)
    }

    fn fg(&self, z: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.eval(z, false).map(|(f, g, _)| (f, g))
    }
}

/// The point a line search accepted, with F and the gradient there when the search evaluated
/// them (the near-optimum rule does).
pub(super) type Accepted = (Vec<f64>, Option<(f64, Vec<f64>)>);

/// The one backtracking search of the engine (the general search here and the bootstrap's
/// refits, `resample/solve.rs`): z − t·dir for the first t in 1, ½, ¼, ... (40 halvings) that
/// decreases F enough (Armijo, c = 1e-4; Nocedal & Wright 2006, Alg. 3.1), the full step also
/// when F rises by no more than its rounding. With `near` = Some(|∇F|∞ at z), the caller is so
/// close to the optimum that a change of F is at its rounding level, so a step is judged by the
/// gradient instead: the first t whose |∇F|∞ is smaller.
pub(super) fn line_search(
    ob: &impl Objective,
    z: &[f64],
    (f0, g): (f64, &[f64]),
    dir: &[f64],
    near: Option<f64>,
) -> Option<Accepted> {
    let slope: f64 = g.iter().zip(dir).map(|(a, b)| a * b).sum();
    if slope.is_nan() || slope <= 0.0 {
        return None;
    }
    let mut t = 1.0;
    for _ in 0..40 {
        let cand: Vec<f64> = z.iter().zip(dir).map(|(a, d)| a - t * d).collect();
        if let Some((f1, g1)) = ob.trial(&cand, near.is_some()) {
            let accept = match (near, &g1) {
                (Some(gmax), Some(g1)) => max_abs(g1) < gmax,
                (Some(_), None) => false,
                (None, _) => {
                    f1 <= f0 - 1e-4 * t * slope
                        || (f1 <= f0 + 1e-15 * f0.abs().max(1.0) && t == 1.0)
                }
            };
            if accept {
                return Some((cand, g1.map(|g1| (f1, g1))));
            }
        }
        t *= 0.5;
    }
    None
}

/// Up to `max` BFGS iterations (Nocedal & Wright 2006, Alg. 6.1) with a backtracking Armijo
/// search; returns the last point if it improved F, and the iterations used.
fn bfgs(pb: &impl Scored, z0: &[f64], max: usize) -> (Option<Vec<f64>>, usize) {
    let r = z0.len();
    let Some((f_start, mut g, _)) = pb.eval(z0, false) else {
        return (None, 0);
    };
    let mut z = z0.to_vec();
    let mut f = f_start;
    let mut h = Mat::identity(r);
    let mut used = 0;
    for _ in 0..max {
        used += 1;
        let dir = h.mul_vec(&g);
        let Some((next, _)) = line_search(pb, &z, (f, &g), &dir, None) else {
            break;
        };
        let Some((f1, g1, _)) = pb.eval(&next, false) else {
            break;
        };
        let s: Vec<f64> = next.iter().zip(&z).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g1.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-14 {
            bfgs_update(&mut h, &s, &y, sy);
        }
        z = next;
        f = f1;
        g = g1;
        if max_abs(&g) < 1e-6 {
            break;
        }
    }
    ((f < f_start).then_some(z), used)
}

/// H ← (I − ρsy′)H(I − ρys′) + ρss′ with ρ = 1/(y′s).
pub(super) fn bfgs_update(h: &mut Mat, s: &[f64], y: &[f64], sy: f64) {
    let r = s.len();
    let rho = 1.0 / sy;
    let hy = h.mul_vec(y);
    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
    let c = rho * rho * yhy + rho;
    if r == 0 {
        return;
    }
    // Row slices: every refit step of the bootstrap updates this r × r matrix.
    for (i, row) in h.data.chunks_exact_mut(r).enumerate() {
        let (hy_i, s_i) = (hy[i], s[i]);
        for ((h_ij, &s_j), &hy_j) in row.iter_mut().zip(s).zip(&hy) {
            *h_ij += -rho * (hy_i * s_j + s_i * hy_j) + c * s_i * s_j;
        }
    }
}
