//! Stage 3: lavaan's LISREL "all-y" representation (`lav_lisrel`, lavaan 0.6-14): Λ (p × m),
//! Θ (p × p), Ψ (m × m), B (m × m), ν (p), α (m). Every observed variable in a regression (and
//! any observed variable covarying with one, or with a latent) becomes a *dummy* latent with
//! loading 1 and residual variance 0, so regressions live in B and their (co)variances in Ψ.
//! Each parameter-table row maps to one cell (mirrored when symmetric).

use super::linalg::Mat;
use super::partable::{Op, ParTable};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Lambda,
    Theta,
    Psi,
    Beta,
    Nu,
    Alpha,
}

/// Where a row's value goes: matrix, row, column (column 0 for the vectors ν and α).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub which: Which,
    pub r: usize,
    pub c: usize,
}

/// The model's matrices at one parameter value.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrices {
    pub lambda: Mat,
    pub theta: Mat,
    pub psi: Mat,
    pub beta: Mat,
    pub nu: Vec<f64>,
    pub alpha: Vec<f64>,
}

/// The layout: variable names of the rows/columns and the cell of every parameter-table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Representation {
    /// Observed variables (rows of Λ), in the parameter table's order.
    pub ov: Vec<String>,
    /// Latent variables, then the dummy latents of observed variables.
    pub lv: Vec<String>,
    /// The number of true latents (the first entries of `lv`).
    pub n_latent: usize,
    /// For each dummy latent (after the true ones), the index of its observed variable.
    pub dummy_ov: Vec<usize>,
    /// The cell of each parameter-table row.
    pub cells: Vec<Cell>,
}

/// `ParTable` puts the left side of every `=~` row in `lv`.
const LHS_OF_MEASURE: &str = "the left side of =~ is a latent of ParTable.lv";
/// `dummy_names` makes every observed variable of a `~` row a dummy latent.
const IN_REGRESSION: &str = "both sides of ~ are latents or dummy latents";

impl Representation {
    pub fn build(pt: &ParTable) -> Representation {
        let dummies = dummy_names(pt);
        let mut lv = pt.lv.clone();
        let dummy_ov: Vec<usize> = (0..pt.ov.len())
            .filter(|&i| dummies.contains(&pt.ov[i]))
            .collect();
        lv.extend(dummy_ov.iter().map(|&i| pt.ov[i].clone()));
        let ov_ix = |s: &str| {
            pt.ov
                .iter()
                .position(|o| o == s)
                .expect("ParTable.ov holds every observed name of its rows")
        };
        let lv_ix = |s: &str| lv.iter().position(|o| o == s);
        let cells = pt
            .rows
            .iter()
            .map(|r| {
                let (l, rr) = (lv_ix(&r.lhs), lv_ix(&r.rhs));
                let cell = |which, r, c| Cell { which, r, c };
                match r.op {
                    Op::Measure => match rr {
                        Some(j) => cell(Which::Beta, j, l.expect(LHS_OF_MEASURE)),
                        None => cell(Which::Lambda, ov_ix(&r.rhs), l.expect(LHS_OF_MEASURE)),
                    },
                    Op::Regress => cell(
                        Which::Beta,
                        l.expect(IN_REGRESSION),
                        rr.expect(IN_REGRESSION),
                    ),
                    Op::Covary => match (l, rr) {
                        (Some(a), Some(b)) => cell(Which::Psi, a, b),
                        _ => cell(Which::Theta, ov_ix(&r.lhs), ov_ix(&r.rhs)),
                    },
                    Op::Intercept => match l {
                        Some(a) => cell(Which::Alpha, a, 0),
                        None => cell(Which::Nu, ov_ix(&r.lhs), 0),
                    },
                }
            })
            .collect();
        Representation {
            ov: pt.ov.clone(),
            n_latent: pt.lv.len(),
            lv,
            dummy_ov,
            cells,
        }
    }

    pub fn p(&self) -> usize {
        self.ov.len()
    }

    pub fn m(&self) -> usize {
        self.lv.len()
    }

    /// The matrices holding `values` (one per parameter-table row); dummy loadings are 1.
    pub fn fill<T: Copy + Into<f64>>(&self, values: &[T]) -> Matrices {
        let (p, m) = (self.p(), self.m());
        let mut mats = Matrices {
            lambda: Mat::zeros(p, m),
            theta: Mat::zeros(p, p),
            psi: Mat::zeros(m, m),
            beta: Mat::zeros(m, m),
            nu: vec![0.0; p],
            alpha: vec![0.0; m],
        };
        for (k, &i) in self.dummy_ov.iter().enumerate() {
            mats.lambda[(i, self.n_latent + k)] = 1.0;
        }
        for (cell, &v) in self.cells.iter().zip(values) {
            let v: f64 = v.into();
            let (r, c) = (cell.r, cell.c);
            match cell.which {
                Which::Lambda => mats.lambda[(r, c)] = v,
                Which::Beta => mats.beta[(r, c)] = v,
                Which::Theta => {
                    mats.theta[(r, c)] = v;
                    mats.theta[(c, r)] = v;
                }
                Which::Psi => {
                    mats.psi[(r, c)] = v;
                    mats.psi[(c, r)] = v;
                }
                Which::Nu => mats.nu[r] = v,
                Which::Alpha => mats.alpha[r] = v,
            }
        }
        mats
    }
}

/// lavaan's dummy latents: observed variables in regressions, observed variables covarying
/// with those, and observed variables covarying with a latent.
fn dummy_names(pt: &ParTable) -> Vec<String> {
    let is_lv = |s: &str| pt.lv.iter().any(|l| l == s);
    let mut d1: Vec<String> = Vec::new();
    for r in pt.rows.iter().filter(|r| r.op == Op::Regress) {
        for s in [&r.lhs, &r.rhs] {
            if !is_lv(s) && !d1.contains(s) {
                d1.push(s.clone());
            }
        }
    }
    let covs: Vec<&super::partable::ParRow> =
        pt.rows.iter().filter(|r| r.op == Op::Covary).collect();
    let idx: Vec<usize> = (0..covs.len())
        .filter(|&i| d1.contains(&covs[i].lhs) || d1.contains(&covs[i].rhs))
        .collect();
    let lhs_set: Vec<&String> = idx.iter().map(|&i| &covs[i].lhs).collect();
    let rhs_set: Vec<&String> = idx.iter().map(|&i| &covs[i].rhs).collect();
    let mut out = d1.clone();
    for c in &covs {
        if lhs_set.contains(&&c.lhs) || rhs_set.contains(&&c.rhs) {
            for s in [&c.lhs, &c.rhs] {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        let ov_lv = !is_lv(&c.lhs) && is_lv(&c.rhs);
        let lv_ov = is_lv(&c.lhs) && !is_lv(&c.rhs);
        if ov_lv && !out.contains(&c.lhs) {
            out.push(c.lhs.clone());
        }
        if lv_ov && !out.contains(&c.rhs) {
            out.push(c.rhs.clone());
        }
    }
    out.retain(|s| !is_lv(s));
    out
}
