//! The resampling kernel: all equations' design columns and outcomes stacked once into one
//! column-major matrix, so a bootstrap draw is one weighted cross-product (from row counts) and each
//! equation's normal equations are a block of it.

use super::kernel::{weighted_gram, GramBuffers};
use crate::estimation::Design;
use crate::numeric::matrix::cholesky_solve_in_place;

/// Per-worker buffers of [`Stacked::solve`].
#[derive(Debug, Clone)]
pub struct Scratch {
    gram: Vec<f64>,
    buffers: GramBuffers,
}

/// Stacked columns of every equation, and where each equation's predictors and outcome sit.
#[derive(Debug, Clone)]
pub struct Stacked {
    n: usize,
    q: usize,
    /// Column-major `n × q`: column j is `z[j*n .. (j+1)*n]`.
    z: Vec<f64>,
    /// Per equation: indices of its predictor columns and of its outcome column.
    eqs: Vec<(Vec<usize>, usize)>,
    names: Vec<String>,
}

impl Stacked {
    /// Stacks the designs (all over the same rows). Columns with the same name and values are
    /// shared between equations.
    pub fn new(designs: &[Design]) -> Stacked {
        let n = designs.first().map_or(0, |d| d.n());
        let mut names: Vec<String> = Vec::new();
        let mut cols: Vec<&[f64]> = Vec::new();
        let mut eqs = Vec::new();
        for d in designs {
            let mut idx = Vec::with_capacity(d.k());
            for (name, col) in d.names.iter().zip(&d.columns) {
                idx.push(find_or_push(&mut names, &mut cols, name, col));
            }
            // An outcome that is also a predictor elsewhere (a mediator) shares its column.
            let yi = find_or_push(&mut names, &mut cols, &d.outcome, &d.y);
            eqs.push((idx, yi));
        }
        let q = cols.len();
        let mut z = Vec::with_capacity(n * q);
        for c in &cols {
            z.extend_from_slice(c);
        }
        Stacked {
            n,
            q,
            z,
            eqs,
            names,
        }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of distinct stacked columns (the side of the cross-product matrix).
    pub fn q(&self) -> usize {
        self.q
    }

    /// Index of a stacked column by name (`constant`, a variable, or a product term).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Standard deviation (n - 1) of stacked column `j` in the resample whose cross-products the
    /// last [`Stacked::solve`] left in `s`, from `Σc·z`, `Σc·z²` and `Σc` (the constant column
    /// `one`).
    pub fn resample_sd(&self, s: &Scratch, one: usize, j: usize) -> f64 {
        let q = self.q;
        let at = |a: usize, b: usize| {
            if a >= b {
                s.gram[b * q + a]
            } else {
                s.gram[a * q + b]
            }
        };
        let (n, sum, sumsq) = (at(one, one), at(j, one), at(j, j));
        ((sumsq - sum * sum / n) / (n - 1.0)).max(0.0).sqrt()
    }

    /// Buffers for [`Stacked::solve`], one set per worker.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            gram: vec![0.0; self.q * self.q],
            buffers: GramBuffers::new(self.q),
        }
    }

    /// Coefficients of every equation on the resample with row `counts`, into `betas` (one vector
    /// per equation, already sized). Fails when an equation's cross-product matrix is singular in
    /// this resample.
    ///
    /// The hot loop of the bootstrap (see benches/process.rs): the lower triangle of the
    /// weighted cross-products `G = Zᵀ(C·Z)` in one pass over row blocks (src/analysis/kernel.rs).
    /// (Compacting the drawn rows first, with square-root weights, measured slower: the gather
    /// costs more than the product it saves.)
    pub fn solve(
        &self,
        counts: &[u32],
        s: &mut Scratch,
        betas: &mut [Vec<f64>],
    ) -> Result<(), String> {
        weighted_gram(&self.z, self.n, self.q, counts, &mut s.buffers, &mut s.gram);
        self.solve_gram(s, betas)
    }

    /// The cross-products of the full sample with row `i` left out (a jackknife replicate), from
    /// the full sample's `full` cross-products, into `s`; then the equations as in `solve`.
    pub fn solve_without(
        &self,
        full: &[f64],
        i: usize,
        s: &mut Scratch,
        betas: &mut [Vec<f64>],
    ) -> Result<(), String> {
        let (n, q) = (self.n, self.q);
        for a in 0..q {
            let za = self.z[a * n + i];
            for b in 0..q {
                s.gram[b * q + a] = full[b * q + a] - za * self.z[b * n + i];
            }
        }
        self.solve_gram(s, betas)
    }

    /// The current cross-products in `s` (for [`Stacked::solve_without`]).
    pub fn gram<'a>(&self, s: &'a Scratch) -> &'a [f64] {
        &s.gram
    }

    fn solve_gram(&self, s: &Scratch, betas: &mut [Vec<f64>]) -> Result<(), String> {
        let q = self.q;
        let gram = &s.gram;
        // faer stores column-major: entry (a, b) of the lower triangle (a >= b) is gram[b*q + a].
        let at = |a: usize, b: usize| {
            if a >= b {
                gram[b * q + a]
            } else {
                gram[a * q + b]
            }
        };
        for (e, (idx, yi)) in self.eqs.iter().enumerate() {
            let k = idx.len();
            let mut xtx = vec![0.0; k * k];
            let mut xty = vec![0.0; k];
            for (r, &a) in idx.iter().enumerate() {
                for (s, &b) in idx.iter().enumerate() {
                    xtx[r * k + s] = at(a, b);
                }
                xty[r] = at(a, *yi);
            }
            if !cholesky_solve_in_place(&mut xtx, &mut xty, k) {
                return Err(
                    "singular design in the resample (a predictor is constant or collinear in it)"
                        .into(),
                );
            }
            betas[e].copy_from_slice(&xty);
        }
        Ok(())
    }
}

fn find_or_push<'a>(
    names: &mut Vec<String>,
    cols: &mut Vec<&'a [f64]>,
    name: &str,
    col: &'a [f64],
) -> usize {
    match names
        .iter()
        .zip(cols.iter())
        .position(|(n, c)| n == name && *c == col)
    {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            cols.push(col);
            names.len() - 1
        }
    }
}
