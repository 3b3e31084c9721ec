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
        let (a, b) =
            choose_quadrature_factor(&base, a, b).ok_or_else(|| SemError::Unsupported {
                what: format!(
                    "the latent product '{}:{}' under LMS with neither factor exogenous \
                     (one of them must not be regressed on anything)",
                    it.a, it.b
                ),
                pos: it.pos,
            })?;
        let (nodes, w) = standard_normal_rule(n_nodes);
        Ok(LmsModel {
            base,
            a,
            b,
            c,
            omega_fixed: it.fixed,
            nodes,
            log_w: w.iter().map(|w| w.ln()).collect(),
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
    /// variance of a, I − B(v) singular).
    pub fn node_moments(&self, theta: &[f64]) -> Option<Vec<NodeMoments>> {
        let m = self.matrices(theta);
        let omega = self.omega(theta);
        let (a, psi_aa) = (self.a, m.psi[(self.a, self.a)]);
        if !(psi_aa > 0.0 && psi_aa.is_finite()) {
            return None;
        }
        let cond = conditional_disturbances(&m, a);
        self.nodes
            .iter()
            .map(|z| {
                let v = m.alpha[a] + psi_aa.sqrt() * z;
                let mut mj = cond.clone();
                for (k, al) in mj.alpha.iter_mut().enumerate() {
                    *al += m.psi[(k, a)] / psi_aa * (v - m.alpha[a]);
                }
                mj.alpha[a] = v;
                mj.beta[(self.c, self.b)] += omega * v;
                let imp = implied(&mj)?;
                Some(NodeMoments {
                    mu: imp.mu,
                    sigma: imp.sigma,
                })
            })
            .collect()
    }
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
/// cell), the first if both are; (a, b) with a the quadrature factor, or `None` when neither is.
fn choose_quadrature_factor(base: &Model, a: usize, b: usize) -> Option<(usize, usize)> {
    let exogenous = |i: usize| {
        !base
            .rep
            .cells
            .iter()
            .any(|c| c.which == super::super::matrices::Which::Beta && c.r == i)
    };
    if exogenous(a) {
        Some((a, b))
    } else if exogenous(b) {
        Some((b, a))
    } else {
        None
    }
}
