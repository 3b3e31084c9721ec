//! The equations of a bootstrap draw from count-weighted moments: all equations' design columns and
//! outcomes are stacked once (a column shared by several equations, such as a mediator that is
//! one equation's outcome and another's predictor, once), the products each equation's normal
//! equations need are formed once per row ([`Moments`]), and a draw's equations are solved from
//! its weighted sums of those products. A batch of draws' sums is one matrix product of their
//! counts with the products (the bootstrap's hot loop, `inference/resample/tiles.rs`).

use crate::estimation::Design;
use crate::inference::resample::Moments;
use crate::numeric::matrix::{cholesky_in_place, cholesky_solve_factored};

/// Per-worker buffers of [`Stacked`]'s solves.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// The weighted sums of the current batch of draws (`batch × width`).
    sums: Vec<f64>,
    /// Working memory of [`Stacked::weigh_streams`].
    streams: crate::inference::resample::StreamWork,
    /// Each equation's Cholesky factor (an equation with another's predictors uses that one's).
    factors: Vec<Vec<f64>>,
}

/// One equation's normal equations as positions in a draw's sums.
#[derive(Debug, Clone)]
struct Normal {
    /// `XᵀX`, row-major `k × k`.
    xtx: Vec<usize>,
    /// `Xᵀy`.
    xty: Vec<usize>,
    /// An earlier equation with the same predictors, whose factor this one reuses.
    same_as: Option<usize>,
}

/// Stacked columns of every equation, and where each equation's normal equations sit in a draw's
/// sums.
#[derive(Debug, Clone)]
pub struct Stacked {
    q: usize,
    moments: Moments,
    eqs: Vec<Normal>,
    names: Vec<String>,
    /// `pos[a * q + b]`: where the sum of columns a and b's product sits, if it was asked for.
    pos: Vec<Option<usize>>,
}

impl Stacked {
    /// Stacks the designs (all over the same rows). Columns with the same name and values are
    /// shared between equations. `sd_of` names stacked columns whose resample standard deviation
    /// will be asked for ([`Stacked::resample_sd`]).
    pub fn new(designs: &[Design], sd_of: &[&str]) -> Stacked {
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
        let mut pairs = Vec::new();
        let mut pos = vec![None; q * q];
        let mut ask = |a: usize, b: usize| {
            let (a, b) = (a.max(b), a.min(b));
            if pos[a * q + b].is_none() {
                pos[a * q + b] = Some(pairs.len());
                pos[b * q + a] = Some(pairs.len());
                pairs.push((a, b));
            }
            pos[a * q + b].unwrap_or_default()
        };
        let mut normals: Vec<Normal> = Vec::new();
        for (idx, yi) in &eqs {
            let xtx = idx.iter().flat_map(|&a| idx.iter().map(move |&b| (a, b)));
            let xtx: Vec<usize> = xtx.map(|(a, b)| ask(a, b)).collect();
            let xty = idx.iter().map(|&a| ask(a, *yi)).collect();
            let same_as = eqs.iter().position(|(other, _)| other == idx);
            let same_as = same_as.filter(|&e| e < normals.len());
            normals.push(Normal { xtx, xty, same_as });
        }
        let one = names.iter().position(|n| n == crate::estimation::CONSTANT);
        for name in sd_of {
            if let (Some(j), Some(one)) = (names.iter().position(|n| n == name), one) {
                ask(one, one);
                ask(j, one);
                ask(j, j);
            }
        }
        let moments = Moments::new(&cols, &pairs);
        // Pair numbers become positions in a draw's sums (pairs with equal products share one).
        for eq in &mut normals {
            for k in eq.xtx.iter_mut().chain(eq.xty.iter_mut()) {
                *k = moments.at(*k);
            }
        }
        let pos = pos.iter().map(|p| p.map(|k| moments.at(k))).collect();
        Stacked {
            q,
            moments,
            eqs: normals,
            names,
            pos,
        }
    }

    pub fn n(&self) -> usize {
        self.moments.rows()
    }

    /// Number of distinct stacked columns.
    pub fn q(&self) -> usize {
        self.q
    }

    /// How many sums a draw has (the stride of [`Stacked::sums`]).
    pub fn width(&self) -> usize {
        self.moments.width()
    }

    /// Index of a stacked column by name (`constant`, a variable, or a product term).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Standard deviation (n - 1) of stacked column `j` in the resample with weighted sums
    /// `sums`, from `Σc·z`, `Σc·z²` and `Σc` (the constant column `one`); NaN unless the column
    /// was named in [`Stacked::new`]'s `sd_of`.
    pub fn resample_sd(&self, sums: &[f64], one: usize, j: usize) -> f64 {
        let at = |a: usize, b: usize| self.pos[a * self.q + b].map_or(f64::NAN, |k| sums[k]);
        let (n, sum, sumsq) = (at(one, one), at(j, one), at(j, j));
        ((sumsq - sum * sum / n) / (n - 1.0)).max(0.0).sqrt()
    }

    /// Buffers for the solves of up to `batch` draws at a time, one set per worker.
    pub fn scratch(&self, batch: usize) -> Scratch {
        Scratch {
            sums: vec![0.0; batch * self.width()],
            streams: Default::default(),
            factors: self.eqs.iter().map(|e| vec![0.0; e.xtx.len()]).collect(),
        }
    }

    /// The weighted sums of a batch of draws (row counts), into the scratch: draw `k`'s are
    /// [`Stacked::sums`]`(scratch, k)`.
    pub fn weigh<C: AsRef<[u32]>>(&self, counts: &[C], s: &mut Scratch) {
        let w = self.width();
        s.sums.resize(counts.len() * w, 0.0);
        self.moments.sums(counts, &mut s.sums);
    }

    /// Readies [`Stacked::weigh_streams`] ([`crate::inference::Moments::prepare_stream_sums`]).
    pub fn prepare_stream_sums(&mut self) {
        self.moments.prepare_stream_sums();
    }

    /// The weighted sums of the plain bootstrap's draws `(seed, streams[k])`, drawn and summed
    /// together ([`crate::inference::Moments::sums_of_streams`]): the same as drawing their
    /// counts and [`Stacked::weigh`]. False, and nothing done, unless
    /// [`Stacked::prepare_stream_sums`] readied them.
    pub fn weigh_streams(&self, seed: u64, streams: &[u64], s: &mut Scratch) -> bool {
        let w = self.width();
        s.sums.resize(streams.len() * w, 0.0);
        self.moments
            .sums_of_streams(seed, streams, &mut s.streams, &mut s.sums)
    }

    /// As [`Stacked::weigh`], and leaves the counts zero (cleared as they are read).
    pub fn weigh_clearing<C: AsMut<[u32]>>(&self, counts: &mut [C], s: &mut Scratch) {
        let w = self.width();
        s.sums.resize(counts.len() * w, 0.0);
        self.moments.sums_clearing(counts, &mut s.sums);
    }

    /// Draw `k`'s sums from the last [`Stacked::weigh`].
    pub fn sums<'a>(&self, s: &'a Scratch, k: usize) -> &'a [f64] {
        &s.sums[k * self.width()..(k + 1) * self.width()]
    }

    /// Coefficients of every equation on the resample of the last [`Stacked::weigh`]'s draw `k`,
    /// into `betas` (one vector per equation, already sized). Fails when an equation's
    /// cross-product matrix is singular in this resample.
    pub fn solve(&self, s: &mut Scratch, k: usize, betas: &mut [Vec<f64>]) -> Result<(), String> {
        let w = self.width();
        let Scratch { sums, factors, .. } = s;
        solve_normal(&self.eqs, &sums[k * w..(k + 1) * w], factors, betas)
    }

    /// The equations of the full sample with row `i` left out (a jackknife replicate), from the
    /// full sample's sums `full`; `sums` receives the replicate's sums.
    pub fn solve_without(
        &self,
        full: &[f64],
        i: usize,
        s: &mut Scratch,
        sums: &mut Vec<f64>,
        betas: &mut [Vec<f64>],
    ) -> Result<(), String> {
        sums.clear();
        sums.extend(full.iter().zip(self.moments.row(i)).map(|(f, r)| f - r));
        solve_normal(&self.eqs, sums, &mut s.factors, betas)
    }
}

/// Each equation's coefficients from the sums: its normal equations gathered and solved by
/// Cholesky (an equation with an earlier one's predictors reuses that one's factor).
fn solve_normal(
    eqs: &[Normal],
    sums: &[f64],
    factors: &mut [Vec<f64>],
    betas: &mut [Vec<f64>],
) -> Result<(), String> {
    for (e, eq) in eqs.iter().enumerate() {
        let k = eq.xty.len();
        let b = &mut betas[e];
        for (b, &at) in b.iter_mut().zip(&eq.xty) {
            *b = sums[at];
        }
        let f = match eq.same_as {
            Some(other) => other,
            None => {
                for (l, &at) in factors[e].iter_mut().zip(&eq.xtx) {
                    *l = sums[at];
                }
                if !cholesky_in_place(&mut factors[e], k) {
                    return Err(
                        "singular design in the resample (a predictor is constant or collinear in it)"
                            .into(),
                    );
                }
                e
            }
        };
        cholesky_solve_factored(&factors[f], b, k);
    }
    Ok(())
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
