//! The resampling kernel: all equations' design columns and outcomes stacked once into one
//! row-major matrix, so a bootstrap draw is one weighted cross-product (from row counts) and each
//! equation's normal equations are a block of it.

use crate::estimation::Design;
use crate::numeric::matrix::cholesky_solve_in_place;

/// Stacked columns of every equation, and where each equation's predictors and outcome sit.
#[derive(Debug, Clone)]
pub struct Stacked {
    n: usize,
    q: usize,
    /// Row-major `n × q`.
    z: Vec<f64>,
    /// Per equation: indices of its predictor columns and of its outcome column.
    eqs: Vec<(Vec<usize>, usize)>,
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
            let y_name = format!("{}\u{0}outcome", d.outcome);
            let yi = find_or_push(&mut names, &mut cols, &y_name, &d.y);
            eqs.push((idx, yi));
        }
        let q = cols.len();
        let mut z = vec![0.0; n * q];
        for (j, c) in cols.iter().enumerate() {
            for i in 0..n {
                z[i * q + j] = c[i];
            }
        }
        Stacked { n, q, z, eqs }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of distinct stacked columns (the side of the cross-product matrix).
    pub fn q(&self) -> usize {
        self.q
    }

    /// Coefficients of every equation on the resample with row `counts`, into `betas` (one vector
    /// per equation, already sized). `gram` is a `q × q` scratch buffer. Fails when an equation's
    /// cross-product matrix is singular in this resample.
    pub fn solve(
        &self,
        counts: &[u32],
        gram: &mut [f64],
        betas: &mut [Vec<f64>],
    ) -> Result<(), String> {
        let q = self.q;
        gram.iter_mut().for_each(|g| *g = 0.0);
        for (i, &c) in counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let w = c as f64;
            let row = &self.z[i * q..(i + 1) * q];
            for a in 0..q {
                let wa = w * row[a];
                let g = &mut gram[a * q..a * q + a + 1];
                for (b, gb) in g.iter_mut().enumerate() {
                    *gb += wa * row[b];
                }
            }
        }
        let at = |a: usize, b: usize| {
            if a >= b {
                gram[a * q + b]
            } else {
                gram[b * q + a]
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
