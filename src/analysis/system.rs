//! The resampling kernel: all equations' design columns and outcomes stacked once into one
//! column-major matrix, so a bootstrap draw is one weighted cross-product (from row counts) and each
//! equation's normal equations are a block of it.

use crate::estimation::Design;
use crate::numeric::matrix::cholesky_solve_in_place;

/// Square roots of small row counts (a row is rarely drawn more than a few times).
const SQRT: [f64; 8] = [
    0.0,
    1.0,
    std::f64::consts::SQRT_2,
    1.7320508075688772,
    2.0,
    2.23606797749979,
    2.449489742783178,
    2.6457513110645907,
];

/// Per-worker buffers of [`Stacked::solve`].
#[derive(Debug, Clone)]
pub struct Scratch {
    gram: Vec<f64>,
    a: Vec<f64>,
    rows: Vec<u32>,
    weights: Vec<f64>,
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
        Stacked { n, q, z, eqs }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of distinct stacked columns (the side of the cross-product matrix).
    pub fn q(&self) -> usize {
        self.q
    }

    /// Buffers for [`Stacked::solve`], one set per worker.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            gram: vec![0.0; self.q * self.q],
            a: vec![0.0; self.n * self.q],
            rows: Vec::with_capacity(self.n),
            weights: Vec::with_capacity(self.n),
        }
    }

    /// Coefficients of every equation on the resample with row `counts`, into `betas` (one vector
    /// per equation, already sized). Fails when an equation's cross-product matrix is singular in
    /// this resample.
    ///
    /// The hot loop of the bootstrap (see benches/process.rs): only rows drawn at least once
    /// (about 63% of them) enter, each scaled by the square root of its count, so the weighted
    /// cross-product is `G = AᵀA` with `A = √C·Z` on those rows, one matrix product in faer, which
    /// picks the machine's SIMD width at run time.
    pub fn solve(
        &self,
        counts: &[u32],
        s: &mut Scratch,
        betas: &mut [Vec<f64>],
    ) -> Result<(), String> {
        let (n, q) = (self.n, self.q);
        // Branch-free compaction: write every row, advance only past rows that were drawn.
        s.rows.resize(n + 1, 0);
        s.weights.resize(n + 1, 0.0);
        let mut m = 0;
        for (i, &c) in counts.iter().enumerate() {
            s.rows[m] = i as u32;
            s.weights[m] = if (c as usize) < SQRT.len() {
                SQRT[c as usize]
            } else {
                (c as f64).sqrt()
            };
            m += (c > 0) as usize;
        }
        let (rows, weights) = (&s.rows[..m], &s.weights[..m]);
        for a in 0..q {
            let za = &self.z[a * n..(a + 1) * n];
            let col = &mut s.a[a * m..(a + 1) * m];
            for ((dst, &r), &w) in col.iter_mut().zip(rows).zip(weights) {
                *dst = w * za[r as usize];
            }
        }
        let a_mat = faer::MatRef::from_column_major_slice(&s.a[..m * q], m, q);
        let g = faer::MatMut::from_column_major_slice_mut(&mut s.gram[..q * q], q, q);
        faer::linalg::matmul::matmul(
            g,
            faer::Accum::Replace,
            a_mat.transpose(),
            a_mat,
            1.0,
            faer::Par::Seq,
        );
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
