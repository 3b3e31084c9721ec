//! Count-weighted moments of columns, for estimators whose bootstrap draw needs only weighted
//! cross-products of fixed columns: the regressions of a conditional process model (their normal
//! equations) and a covariance structure's sample moments. A draw is a vector of row counts `c`,
//! and its moments are the sums `Σ_i c_i · z_a[i] · z_b[i]` over the pairs of columns `(a, b)`
//! the estimator asks for (a column of ones gives the weighted sums `Σ c_i z_a[i]` and `Σ c_i`).
//!
//! The products `z_a[i] · z_b[i]` of every row are formed once ([`Moments::new`]); distinct
//! products only (`1 · z` is `z`, `x · w` is the product column `xw` when that is `x * w`), so a
//! draw's moments are one row of a matrix product of the batch's counts with the products
//! ([`Moments::sums`], computed by the tiles of `tiles.rs`).

use super::amx::{self, Digits};
use super::counts::{resample_counts_bytes, resample_counts_interleaved};
use super::lanes;
use super::source::resample_counts;
use super::tiles::{weighted_sums, weighted_sums_clearing, LANES};

/// The rows' products of the requested column pairs, ready to be summed under count draws.
#[derive(Debug, Clone)]
pub struct Moments {
    n: usize,
    /// Distinct products per row, padded with zeros to a multiple of eight.
    width: usize,
    /// Distinct products (the rest of a row is padding).
    used: usize,
    /// Row-major `n × width`: row `i` holds that row's products.
    products: Vec<f64>,
    /// Where each requested pair's sum sits in a draw's sums.
    at: Vec<usize>,
    /// How [`Moments::sums_of_streams`] sums, once [`Moments::prepare_stream_sums`] chose.
    stream: Option<StreamSums>,
}

/// The kernel of [`Moments::sums_of_streams`].
#[derive(Debug, Clone)]
enum StreamSums {
    /// On the tile unit, the products as its digits (`amx.rs`).
    Tiles(Digits),
    /// In the lanes of AVX-512 registers (`lanes.rs`).
    Lanes,
}

/// Working memory of [`Moments::sums_of_streams`], one per worker (kept between calls; its
/// counts are all zero between them).
#[derive(Debug, Default, Clone)]
pub struct StreamWork {
    lanes: Vec<u32>,
    bytes: Vec<u8>,
    tile_sums: Vec<i32>,
    one: Vec<u32>,
}

impl Moments {
    /// The products of `pairs` of `columns` (all of the same length), shared where two pairs
    /// give the same values bit for bit.
    pub fn new(columns: &[&[f64]], pairs: &[(usize, usize)]) -> Moments {
        let n = columns.first().map_or(0, |c| c.len());
        let mut distinct: Vec<Vec<f64>> = Vec::new();
        let at = pairs
            .iter()
            .map(|&(a, b)| {
                let product: Vec<f64> = columns[a]
                    .iter()
                    .zip(columns[b])
                    .map(|(x, y)| x * y)
                    .collect();
                let same = |c: &Vec<f64>| {
                    c.iter()
                        .zip(&product)
                        .all(|(u, v)| u.to_bits() == v.to_bits())
                };
                distinct.iter().position(same).unwrap_or_else(|| {
                    distinct.push(product);
                    distinct.len() - 1
                })
            })
            .collect();
        let width = distinct.len().next_multiple_of(LANES);
        let mut products = vec![0.0; n * width];
        for (k, column) in distinct.iter().enumerate() {
            for (i, &v) in column.iter().enumerate() {
                products[i * width + k] = v;
            }
        }
        super::timing::mark("products");
        Moments {
            n,
            width,
            used: distinct.len(),
            products,
            at,
            stream: None,
        }
    }

    /// Readies [`Moments::sums_of_streams`] for a step that will draw its sums from streams:
    /// the tile unit's digits where the CPU has one and the products fit a grid, else the
    /// lanes where the CPU has them, else nothing (the step then uses count vectors). Only
    /// such a step pays for the digits (0.3-0.5 ms and 0.5 MB at model 58's n = 2,000).
    pub fn prepare_stream_sums(&mut self) {
        let digits = amx::available()
            .then(|| Digits::new(&self.products, self.width, self.used))
            .flatten();
        self.stream = match digits {
            Some(d) => Some(StreamSums::Tiles(d)),
            None => lanes::available().then_some(StreamSums::Lanes),
        };
        super::timing::mark("digits");
    }

    /// Rows of the columns.
    pub fn rows(&self) -> usize {
        self.n
    }

    /// How many sums a draw has (distinct products, padded): the stride of [`Moments::sums`].
    pub fn width(&self) -> usize {
        self.width
    }

    /// Where pair `k` (in the order given to [`Moments::new`]) sits in a draw's sums.
    pub fn at(&self, k: usize) -> usize {
        self.at[k]
    }

    /// Row `i`'s products (a jackknife replicate subtracts them from the full sample's sums).
    pub fn row(&self, i: usize) -> &[f64] {
        &self.products[i * self.width..(i + 1) * self.width]
    }

    /// The sums of every draw of the batch: `out[d * width + at(k)]` is `Σ_i counts[d][i] ·
    /// z_a[i] · z_b[i]` for pair `k = (a, b)`. A draw's sums do not depend on the other draws
    /// in the batch (a fixed summation order, see `tiles.rs`).
    pub fn sums<C: AsRef<[u32]>>(&self, counts: &[C], out: &mut [f64]) {
        weighted_sums(&self.products, self.width, counts, out);
    }

    /// The sums of the plain bootstrap's draws `(seed, streams[k])` of the rows, drawn and
    /// summed together without a count vector per draw, into `out` as [`Moments::sums`] writes
    /// them: on the tile unit, sixteen draws at a time, as exact sums on each product's grid
    /// (`amx.rs`); else in the lanes of `lanes.rs`, eight at a time, the same bits as
    /// [`Moments::sums`] of the draws' counts ([`super::resample_counts`]). False, and nothing
    /// done, without [`Moments::prepare_stream_sums`] or where the CPU has neither.
    pub fn sums_of_streams(
        &self,
        seed: u64,
        streams: &[u64],
        work: &mut StreamWork,
        out: &mut [f64],
    ) -> bool {
        match &self.stream {
            None => false,
            Some(StreamSums::Tiles(digits)) => {
                self.sums_on_tiles(digits, seed, streams, work, out);
                true
            }
            Some(StreamSums::Lanes) => {
                self.sums_in_lanes(seed, streams, work, out);
                true
            }
        }
    }

    /// [`Moments::sums_of_streams`] in the lanes, eight draws at a time.
    fn sums_in_lanes(&self, seed: u64, streams: &[u64], work: &mut StreamWork, out: &mut [f64]) {
        let counts = &mut work.lanes;
        counts.resize(self.n * lanes::LANES, 0);
        debug_assert!(counts.iter().all(|&c| c == 0));
        let per_group = lanes::LANES * self.width;
        for (group, out) in streams.chunks(lanes::LANES).zip(out.chunks_mut(per_group)) {
            resample_counts_interleaved(seed, group, counts);
            lanes::lane_sums(
                &self.products,
                self.width,
                self.used,
                counts,
                group.len(),
                out,
            );
        }
    }

    /// [`Moments::sums_of_streams`] on the tile unit. A draw whose byte counts wrapped (a row
    /// drawn 256 times or more: the counting says so, the draw's sum shows which) is summed
    /// again from its counts.
    fn sums_on_tiles(
        &self,
        digits: &Digits,
        seed: u64,
        streams: &[u64],
        work: &mut StreamWork,
        out: &mut [f64],
    ) {
        let stride = digits.stride();
        work.bytes.resize(amx::DRAWS * stride, 0);
        let per_group = amx::DRAWS * self.width;
        for (group, out) in streams.chunks(amx::DRAWS).zip(out.chunks_mut(per_group)) {
            let wrapped = resample_counts_bytes(seed, group, self.n, stride, &mut work.bytes);
            digits.sums16(&work.bytes, out, self.width, &mut work.tile_sums);
            if wrapped {
                for (l, &stream) in group.iter().enumerate() {
                    let counts = &work.bytes[l * stride..l * stride + self.n];
                    if counts.iter().map(|&c| u32::from(c)).sum::<u32>() as usize != self.n {
                        work.one.resize(self.n, 0);
                        resample_counts(seed, stream, &mut work.one);
                        let out = &mut out[l * self.width..(l + 1) * self.width];
                        digits.sums_exact(&work.one, out);
                    }
                }
            }
            work.bytes.fill(0);
        }
    }

    /// As [`Moments::sums`], and leaves every count of the batch zero (cleared as it is read),
    /// for a step that does not need the counts afterwards ([`super::Step::clears_draws`]).
    pub fn sums_clearing<C: AsMut<[u32]>>(&self, counts: &mut [C], out: &mut [f64]) {
        weighted_sums_clearing(&self.products, self.width, counts, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shared products are stored once, and every pair's sum is the plain weighted sum.
    #[test]
    fn sums_of_distinct_products() {
        let n = 300;
        let one = vec![1.0; n];
        let x: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let w: Vec<f64> = (0..n).map(|i| (i as f64 * 0.11).cos() * 2.0).collect();
        let xw: Vec<f64> = x.iter().zip(&w).map(|(a, b)| a * b).collect();
        let cols = [&one[..], &x, &w, &xw];
        // (x, w) is the column xw; (one, x) is x, (x, one) the same product.
        let pairs = [(0, 0), (0, 1), (1, 2), (0, 3), (1, 0), (1, 1), (3, 3)];
        let m = Moments::new(&cols, &pairs);
        assert_eq!(m.at(2), m.at(3));
        assert_eq!(m.at(1), m.at(4));
        assert_eq!(m.width(), 8, "five distinct products, padded to eight");
        let counts: Vec<Vec<u32>> = (0..5)
            .map(|d| (0..n).map(|i| ((i * 7 + d * 3) % 3) as u32).collect())
            .collect();
        let mut out = vec![0.0; counts.len() * m.width()];
        m.sums(&counts, &mut out);
        for (d, c) in counts.iter().enumerate() {
            for (k, &(a, b)) in pairs.iter().enumerate() {
                let plain: f64 = (0..n)
                    .map(|i| f64::from(c[i]) * cols[a][i] * cols[b][i])
                    .sum();
                let got = out[d * m.width() + m.at(k)];
                assert!(
                    (got - plain).abs() <= 1e-12 * plain.abs().max(1.0),
                    "{got} {plain}"
                );
            }
        }
        assert_eq!(m.row(5)[m.at(5)], x[5] * x[5]);
    }

    /// Unprepared, nothing is drawn from streams; prepared, drawing and summing together gives
    /// the sums of the draws' count vectors: bit for bit
    /// the floating-point sums in the lanes, the exact sums on the tiles (and those within
    /// rounding of the floating-point ones), for a whole group and a group of fewer.
    #[test]
    fn sums_of_streams_are_the_sums_of_their_counts() {
        let n = 257;
        let x: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let w: Vec<f64> = (0..n).map(|i| (i as f64 * 0.11).cos() * 2.0).collect();
        let one = vec![1.0; n];
        let mut m = Moments::new(
            &[&one[..], &x, &w],
            &[(0, 0), (0, 1), (1, 2), (2, 2), (1, 1)],
        );
        let mut unprepared = vec![f64::NAN; m.width()];
        let mut work = StreamWork::default();
        assert!(!m.sums_of_streams(9, &[1], &mut work, &mut unprepared));
        m.prepare_stream_sums();
        let streams: Vec<u64> = (40..59).collect();
        let mut together = vec![f64::NAN; streams.len() * m.width()];
        if !m.sums_of_streams(9, &streams, &mut work, &mut together) {
            eprintln!("skipped: this CPU has no AVX-512F, the lanes do not run here");
            return;
        }
        assert!(
            work.lanes.iter().all(|&c| c == 0),
            "counts left in the working memory"
        );
        assert!(
            work.bytes.iter().all(|&c| c == 0),
            "counts left in the working memory"
        );
        let counts: Vec<Vec<u32>> = streams
            .iter()
            .map(|&s| {
                let mut c = vec![0; n];
                resample_counts(9, s, &mut c);
                c
            })
            .collect();
        let mut plain = vec![f64::NAN; streams.len() * m.width()];
        m.sums(&counts, &mut plain);
        let expected = match &m.stream {
            Some(StreamSums::Tiles(d)) => {
                let mut exact = vec![f64::NAN; plain.len()];
                for (c, out) in counts.iter().zip(exact.chunks_mut(m.width())) {
                    d.sums_exact(c, out);
                }
                for (e, p) in exact.iter().zip(&plain) {
                    assert!((e - p).abs() <= 1e-12 * p.abs().max(1.0), "{e} {p}");
                }
                exact
            }
            _ => plain,
        };
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&together), bits(&expected));
    }
}
