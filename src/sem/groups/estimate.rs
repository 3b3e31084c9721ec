//! The multi-group ML problem (lavaan's `lav_model_objective`, `lav_model_gradient`,
//! `lav_model_information`, lavaan 0.6-14): one model per group, each reading its slice θ_g of
//! the shared free-parameter vector; F = Σ_g (n_g/N)·F_g (lavaan's fmin = Σ (n_g/N)·fmin_g with
//! fmin_g = F_g/2), its gradient and expected information stacked the same way (block
//! diagonal before the equality constraints tie the groups), so T = N·F = Σ_g n_g·F_g.

use super::super::constraints::Reparam;
use super::super::estimate::{Objective, Scored};
use super::super::gradient::{delta, expected_information, gradient_direct};
use super::super::linalg::Mat;
use super::super::model::Model;
use super::super::objective::f_ml;
use super::super::sample::SampleStats;

/// The groups' models and moments with their weights n_g/N.
pub(crate) struct Groups<'a> {
    pub models: &'a [Model],
    pub stats: &'a [SampleStats],
    /// Index of group g's first free parameter in θ.
    pub offset: &'a [usize],
    pub q: usize,
}

impl Groups<'_> {
    pub fn n_total(&self) -> f64 {
        self.stats.iter().map(|s| s.n).sum()
    }

    pub fn weight(&self, g: usize) -> f64 {
        self.stats[g].n / self.n_total()
    }

    /// θ_g, group g's slice of θ.
    pub fn slice<'t>(&self, g: usize, theta: &'t [f64]) -> &'t [f64] {
        let k = self.models[g].n_free();
        &theta[self.offset[g]..self.offset[g] + k]
    }

    /// Each group's F_g at θ, or `None` where some Σ_g is not positive definite.
    pub fn f_groups(&self, theta: &[f64]) -> Option<Vec<f64>> {
        (0..self.models.len())
            .map(|g| {
                let (_, imp) = self.models[g].implied(self.slice(g, theta))?;
                f_ml(&imp, &self.stats[g], self.models[g].meanstructure).map(|(f, _)| f)
            })
            .collect()
    }

    /// F = Σ (n_g/N) F_g.
    pub fn f(&self, theta: &[f64]) -> Option<f64> {
        let fg = self.f_groups(theta)?;
        Some(fg.iter().enumerate().map(|(g, f)| self.weight(g) * f).sum())
    }

    /// F, ∂F/∂θ and (when asked) the unit expected information Σ (n_g/N) I_g (of fmin).
    pub fn eval(&self, theta: &[f64], want_info: bool) -> Option<(f64, Vec<f64>, Option<Mat>)> {
        let mut f = 0.0;
        let mut grad = vec![0.0; self.q];
        let mut info = want_info.then(|| Mat::zeros(self.q, self.q));
        for (g, model) in self.models.iter().enumerate() {
            let (w, o) = (self.weight(g), self.offset[g]);
            let (m, imp) = model.implied(self.slice(g, theta))?;
            let (fg, inv) = f_ml(&imp, &self.stats[g], model.meanstructure)?;
            f += w * fg;
            let gg = gradient_direct(model, &m, &imp, &inv, &self.stats[g]);
            for (k, v) in gg.iter().enumerate() {
                grad[o + k] = w * v;
            }
            if let Some(info) = info.as_mut() {
                let d = delta(model, &m, &imp);
                let ig = expected_information(&d, &inv, model.meanstructure);
                add_block(info, &ig, o, w);
            }
        }
        Some((f, grad, info))
    }

    /// The unit information of any kind: the groups' blocks weighted by n_g/N.
    pub fn stack(&self, blocks: &[Mat]) -> Mat {
        let mut out = Mat::zeros(self.q, self.q);
        for (g, b) in blocks.iter().enumerate() {
            add_block(&mut out, b, self.offset[g], self.weight(g));
        }
        out
    }
}

/// out[o.., o..] += w·block.
fn add_block(out: &mut Mat, block: &Mat, o: usize, w: f64) {
    for i in 0..block.rows {
        for j in 0..block.cols {
            out[(o + i, o + j)] += w * block[(i, j)];
        }
    }
}

/// The grouped problem in z of θ = K z + k₀.
pub(crate) struct Problem<'a> {
    pub groups: &'a Groups<'a>,
    pub re: &'a Reparam,
}

impl Objective for Problem<'_> {
    fn f(&self, z: &[f64]) -> Option<f64> {
        self.groups.f(&self.re.theta(z))
    }

    fn fg(&self, z: &[f64]) -> Option<(f64, Vec<f64>)> {
        self.eval(z, false).map(|(f, g, _)| (f, g))
    }
}

impl Scored for Problem<'_> {
    fn eval(&self, z: &[f64], want_info: bool) -> Option<(f64, Vec<f64>, Option<Mat>)> {
        let (f, g, info) = self.groups.eval(&self.re.theta(z), want_info)?;
        let gz = self.re.k.t_mul_vec(&g);
        let info = info.map(|i| self.re.k.t().mul(&i).mul(&self.re.k).scale(2.0));
        Some((f, gz, info))
    }
}
