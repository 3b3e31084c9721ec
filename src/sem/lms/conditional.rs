//! The LMS model: given the quadrature node value v of the exogenous latent a, every observed
//! variable is normal (Klein & Moosbrugger 2000, eqs. 9-13; modsem's `muLms`/`sigmaLms`). With
//! a fixed at v, the product ω·a·b in the equation of c is linear in b, so it joins B as the path
//! b → c with coefficient ω·v; a's disturbance is fixed at v − α_a, and the other disturbances
//! take their conditional normal distribution given it. The engine's all-y matrices
//! (matrices.rs) and implied moments (implied.rs) then give μ(v) and Σ(v).

use super::super::implied::implied;
use super::super::linalg::Mat;
use super::super::matrices::Matrices;
use super::super::model::Model;
use super::super::partable::ParTable;
use super::super::sample::SampleStats;
use super::super::SemError;
use super::quadrature::standard_normal_rule;
use super::spec::Interaction;

/// The conditional moments of the observed variables at one quadrature node.
#[derive(Debug, Clone)]
pub struct NodeMoments {
    pub mu: Vec<f64>,
    pub sigma: Mat,
}

/// The linear model of the engine, the interaction's cells and the quadrature rule. θ holds the
/// engine's free parameters, then ω when it is free.
#[derive(Debug, Clone)]
pub struct LmsModel {
    pub base: Model,
    /// Latent indices (in the all-y `lv` order) of the factors a, b and the outcome c.
    pub a: usize,
    pub b: usize,
    pub c: usize,
    /// ω's value when fixed (`None`: θ's last entry).
    pub omega_fixed: Option<f64>,
    pub nodes: Vec<f64>,
    pub log_w: Vec<f64>,
    /// No path leads from c to b, so μ(v) and Σ(v) are quadratics in v (see
    /// [`LmsModel::node_moments`]).
    quadratic: bool,
}

impl LmsModel {
    pub fn new(
        pt: &ParTable,
        s: &SampleStats,
        it: &Interaction,
        n_nodes: usize,
    ) -> Result<LmsModel, SemError> {
        let base = Model::new(pt, s);
        let ix = |v: &str| base.rep.lv.iter().position(|l| l == v);
        let (Some(a), Some(b), Some(c)) = (ix(&it.a), ix(&it.b), ix(&it.outcome)) else {
            return Err(SemError::Unsupported {
                what: format!(
                    "the latent product '{}:{}' on '{}' (LMS needs the outcome and both factors \
                     among the model's latent or regression variables)",
                    it.a, it.b, it.outcome
                ),
                pos: it.pos,
            });
        };
        let observed = [it.a == it.observed_name(), it.b == it.observed_name()];
        let (a, b) = choose_quadrature_factor(&base, [a, b], observed)
            .ok_or_else(|| no_quadrature_factor(it))?;
        let (nodes, w) = standard_normal_rule(n_nodes);
        let quadratic = !reaches(&base, c, b);
        Ok(LmsModel {
            base,
            a,
            b,
            c,
            omega_fixed: it.fixed,
            nodes,
            log_w: w.iter().map(|w| w.ln()).collect(),
            quadratic,
        })
    }

    /// The number of free parameters (ω included when free).
    pub fn n_theta(&self) -> usize {
        self.base.n_free() + usize::from(self.omega_fixed.is_none())
    }

    pub fn omega(&self, theta: &[f64]) -> f64 {
        self.omega_fixed
            .unwrap_or_else(|| theta[self.base.n_free()])
    }

    /// The engine's matrices at θ (ω left out).
    pub fn matrices(&self, theta: &[f64]) -> Matrices {
        self.base.matrices(&theta[..self.base.n_free()])
    }

    /// μ(v_j), Σ(v_j) at every node, or `None` outside the parameter space (a non-positive
    /// variance of a, I − B(v) singular). When b does not depend on c, (I − B − ωv·e_c e_b′)⁻¹ =
    /// (I − B)⁻¹ + ωv·(I − B)⁻¹e_c e_b′(I − B)⁻¹ (Sherman-Morrison with e_b′(I − B)⁻¹e_c = 0) is
    /// linear in v and the conditional means α(v) are too, so μ(v) and Σ(v) are quadratics:
    /// three evaluations give every node exactly.
    pub fn node_moments(&self, theta: &[f64]) -> Option<Vec<NodeMoments>> {
        let m = self.matrices(theta);
        let omega = self.omega(theta);
        let (a, psi_aa) = (self.a, m.psi[(self.a, self.a)]);
        if !(psi_aa > 0.0 && psi_aa.is_finite()) {
            return None;
        }
        let cond = conditional_disturbances(&m, a);
        let at = |v: f64| {
            let imp = implied(&self.at_node(&m, &cond, omega, v))?;
            Some(NodeMoments {
                mu: imp.mu,
                sigma: imp.sigma,
            })
        };
        let values = self.nodes.iter().map(|z| m.alpha[a] + psi_aa.sqrt() * z);
        if !self.quadratic {
            return values.map(at).collect();
        }
        let (zero, up, down) = (at(0.0)?, at(1.0)?, at(-1.0)?);
        Some(values.map(|v| quadratic_at(&zero, &up, &down, v)).collect())
    }
}

impl LmsModel {
    /// The matrices given a = v: a's mean v, the others' means shifted by their regression on
    /// a's disturbance, `cond`'s disturbance covariances, and ω·v on the path b → c.
    fn at_node(&self, m: &Matrices, cond: &Matrices, omega: f64, v: f64) -> Matrices {
        let a = self.a;
        let mut mj = cond.clone();
        for (k, al) in mj.alpha.iter_mut().enumerate() {
            *al += m.psi[(k, a)] / m.psi[(a, a)] * (v - m.alpha[a]);
        }
        mj.alpha[a] = v;
        mj.beta[(self.c, self.b)] += omega * v;
        mj
    }

    /// The mean and variance of latent `k` (an index into the all-y `lv`) over the mixture at
    /// θ: E = Σ w_j E_j, V = Σ w_j (V_j + E_j²) − E² over the nodes, the factors' model-implied
    /// moments that the simple slopes probe at (analysis/sem_slopes.rs).
    pub fn latent_moments(&self, theta: &[f64], k: usize) -> Option<(f64, f64)> {
        let m = self.matrices(theta);
        let (a, omega) = (self.a, self.omega(theta));
        let psi_aa = m.psi[(a, a)];
        if !(psi_aa > 0.0 && psi_aa.is_finite()) {
            return None;
        }
        let cond = conditional_disturbances(&m, a);
        let (mut mean, mut second) = (0.0, 0.0);
        for (z, lw) in self.nodes.iter().zip(&self.log_w) {
            let imp = implied(&self.at_node(&m, &cond, omega, m.alpha[a] + psi_aa.sqrt() * z))?;
            let (e, v, w) = (imp.eta_mean[k], imp.veta[(k, k)], lw.exp());
            mean += w * e;
            second += w * (v + e * e);
        }
        Some((mean, second - mean * mean))
    }

    /// The all-y index of latent or regression variable `name`.
    pub fn lv_index(&self, name: &str) -> Option<usize> {
        self.base.rep.lv.iter().position(|l| l == name)
    }
}

/// The quadratic through f(0), f(1), f(−1), at v (elementwise for μ and Σ).
fn quadratic_at(zero: &NodeMoments, up: &NodeMoments, down: &NodeMoments, v: f64) -> NodeMoments {
    let f = |f0: f64, f1: f64, fm: f64| f0 + v * 0.5 * (f1 - fm) + v * v * (0.5 * (f1 + fm) - f0);
    let mu = (0..zero.mu.len())
        .map(|i| f(zero.mu[i], up.mu[i], down.mu[i]))
        .collect();
    let mut sigma = zero.sigma.clone();
    for (i, s) in sigma.data.iter_mut().enumerate() {
        *s = f(zero.sigma.data[i], up.sigma.data[i], down.sigma.data[i]);
    }
    NodeMoments { mu, sigma }
}

/// Whether a path of B leads from latent `from` to latent `to` (or `from` is `to`).
fn reaches(base: &Model, from: usize, to: usize) -> bool {
    use super::super::matrices::Which;
    let mut seen = vec![false; base.rep.m()];
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        if i == to {
            return true;
        }
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        // A Beta cell (r, c) is the path c → r.
        stack.extend(
            base.rep
                .cells
                .iter()
                .filter(|c| c.which == Which::Beta && c.c == i)
                .map(|c| c.r),
        );
    }
    false
}

/// The matrices with Ψ replaced by the disturbances' covariance given a's (row and column a
/// zero: Ψ − ψ_·a ψ_a· / ψ_aa).
fn conditional_disturbances(m: &Matrices, a: usize) -> Matrices {
    let mut out = m.clone();
    let k = m.psi.rows;
    let paa = m.psi[(a, a)];
    for i in 0..k {
        for j in 0..k {
            out.psi[(i, j)] = m.psi[(i, j)] - m.psi[(i, a)] * m.psi[(a, j)] / paa;
        }
    }
    out
}

/// The factor to integrate over: an exogenous latent (no path into it: its row of B has no
/// cell) that is not an observed factor (whose residual variance is 0, so its density given a
/// node would be degenerate; modsem's vignette `observed_lms_qml` integrates over the latent
/// one for the same reason), the first if both qualify; (a, b) with a the quadrature factor, or
/// `None` when neither does.
fn choose_quadrature_factor(
    base: &Model,
    [a, b]: [usize; 2],
    observed: [bool; 2],
) -> Option<(usize, usize)> {
    let exogenous = |i: usize| {
        !base
            .rep
            .cells
            .iter()
            .any(|c| c.which == super::super::matrices::Which::Beta && c.r == i)
    };
    if exogenous(a) && !observed[0] {
        Some((a, b))
    } else if exogenous(b) && !observed[1] {
        Some((b, a))
    } else {
        None
    }
}

fn no_quadrature_factor(it: &Interaction) -> SemError {
    let what = match &it.observed {
        Some(w) => format!(
            "the product '{}:{}' under LMS with its latent factor regressed on something (LMS \
             integrates over the latent factor, which must be exogenous; the observed '{w}' \
             has no measurement error to integrate over); use --interaction dmc",
            it.a, it.b
        ),
        None => format!(
            "the latent product '{}:{}' under LMS with neither factor exogenous (one of them \
             must not be regressed on anything); use --interaction dmc",
            it.a, it.b
        ),
    };
    SemError::Unsupported { what, pos: it.pos }
}
