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

use super::tiles::{weighted_sums, weighted_sums_clearing, LANES};

/// The rows' products of the requested column pairs, ready to be summed under count draws.
#[derive(Debug, Clone)]
pub struct Moments {
    n: usize,
    /// Distinct products per row, padded with zeros to a multiple of eight.
    width: usize,
    /// Row-major `n × width`: row `i` holds that row's products.
    products: Vec<f64>,
    /// Where each requested pair's sum sits in a draw's sums.
    at: Vec<usize>,
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
        Moments {
            n,
            width,
            products,
            at,
        }
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
}
