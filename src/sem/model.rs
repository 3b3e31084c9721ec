//! The model as a function of its free parameters θ: parameter-table rows → matrices → implied
//! moments. Fixed rows keep their values (user-fixed numbers, 0/1 defaults, the sample moments
//! of fixed.x covariates); free row k takes θ[k − 1].

use super::implied::{implied, Implied};
use super::matrices::{Matrices, Representation};
use super::partable::ParTable;
use super::sample::SampleStats;

/// What the objective, gradient and information need to know about a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub rep: Representation,
    /// Every row's value with the fixed ones filled in (free entries are overwritten).
    pub base: Vec<f64>,
    /// Rows of each free parameter (one each before equality constraints).
    pub free_rows: Vec<Vec<usize>>,
    pub meanstructure: bool,
}

impl Model {
    /// The model of `pt` with fixed rows at their values; fixed.x rows take the sample moments
    /// (lavaan's `lav_start` for exo rows, divisor n).
    pub fn new(pt: &ParTable, s: &SampleStats) -> Model {
        let rep = Representation::build(pt);
        let ov_ix = |v: &str| {
            pt.ov
                .iter()
                .position(|o| o == v)
                .expect("ParTable.ov holds every observed name of its rows")
        };
        let base = pt
            .rows
            .iter()
            .map(|r| {
                if r.exo {
                    match r.op {
                        super::partable::Op::Intercept => s.mean[ov_ix(&r.lhs)],
                        _ => s.cov[(ov_ix(&r.lhs), ov_ix(&r.rhs))],
                    }
                } else if r.free == 0 {
                    r.ustart.unwrap_or(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        let mut free_rows = vec![Vec::new(); pt.n_free];
        for (i, r) in pt.rows.iter().enumerate() {
            if r.free > 0 {
                free_rows[r.free - 1].push(i);
            }
        }
        Model {
            rep,
            base,
            free_rows,
            meanstructure: pt.meanstructure,
        }
    }

    pub fn n_free(&self) -> usize {
        self.free_rows.len()
    }

    /// Every row's value at θ.
    pub fn row_values(&self, theta: &[f64]) -> Vec<f64> {
        let mut v = self.base.clone();
        for (k, rows) in self.free_rows.iter().enumerate() {
            for &i in rows {
                v[i] = theta[k];
            }
        }
        v
    }

    pub fn matrices(&self, theta: &[f64]) -> Matrices {
        self.rep.fill(&self.row_values(theta))
    }

    /// The implied moments at θ, or `None` when I − B is singular.
    pub fn implied(&self, theta: &[f64]) -> Option<(Matrices, Implied)> {
        let m = self.matrices(theta);
        let imp = implied(&m)?;
        Some((m, imp))
    }
}
