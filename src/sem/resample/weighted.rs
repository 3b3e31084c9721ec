//! A draw's sample moments from its row counts: the count-weighted sums of the rows' products
//! (the engine's [`Moments`] kernel, several draws in one pass), turned into n*, ȳ* and S*
//! (divisor n). Every complete-data bootstrap step holds one per sample (the single-group
//! refit, and one per group in the multi-group refit).

use crate::inference::resample::Moments;

use super::super::linalg::Mat;
use super::super::sample::SampleStats;

/// The weighted moments of fixed rows under varying counts.
pub(crate) struct DrawMoments {
    names: Vec<String>,
    /// The columns are centred at the full sample's means (the sums stay well conditioned).
    center: Vec<f64>,
    moments: Moments,
    /// Positions in a draw's sums: Σc, then Σc·x̃_j, then Σc·x̃_i·x̃_j (i ≤ j, row by row).
    at_n: usize,
    at_sum: Vec<usize>,
    at_cross: Vec<usize>,
}

impl DrawMoments {
    /// The moments of `rows` (row-major n × p, the columns named `names`).
    pub fn new(names: &[String], rows: &[f64]) -> DrawMoments {
        let p = names.len();
        let n = rows.len() / p.max(1);
        let center: Vec<f64> = (0..p)
            .map(|j| (0..n).map(|i| rows[i * p + j]).sum::<f64>() / n as f64)
            .collect();
        let mut columns: Vec<Vec<f64>> = vec![vec![1.0; n]];
        columns.extend((0..p).map(|j| (0..n).map(|i| rows[i * p + j] - center[j]).collect()));
        let mut pairs = vec![(0, 0)];
        pairs.extend((0..p).map(|j| (0, j + 1)));
        for i in 0..p {
            pairs.extend((i..p).map(|j| (i + 1, j + 1)));
        }
        let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let moments = Moments::new(&refs, &pairs);
        let at: Vec<usize> = (0..pairs.len()).map(|k| moments.at(k)).collect();
        DrawMoments {
            names: names.to_vec(),
            center,
            at_n: at[0],
            at_sum: at[1..=p].to_vec(),
            at_cross: at[p + 1..].to_vec(),
            moments,
        }
    }

    /// How many rows a draw counts.
    pub fn rows(&self) -> usize {
        self.moments.rows()
    }

    /// The length of one draw's sums.
    pub fn width(&self) -> usize {
        self.moments.width()
    }

    /// The sums of the draws `counts` into `out` (one block of [`DrawMoments::width`] each).
    pub fn sums<C: AsRef<[u32]>>(&self, counts: &[C], out: &mut [f64]) {
        self.moments.sums(counts, out);
    }

    /// The draw's n, ȳ* and S* (divisor n) from its weighted sums; an S* that is not positive
    /// definite is an error (the draw fails and is replaced).
    pub fn sample(&self, sums: &[f64]) -> Result<SampleStats, String> {
        let p = self.center.len();
        let n = sums[self.at_n];
        let d: Vec<f64> = self.at_sum.iter().map(|&k| sums[k] / n).collect();
        let mean = self.center.iter().zip(&d).map(|(c, x)| c + x).collect();
        let mut cov = Mat::zeros(p, p);
        let mut k = 0;
        for i in 0..p {
            for j in i..p {
                let v = sums[self.at_cross[k]] / n - d[i] * d[j];
                cov[(i, j)] = v;
                cov[(j, i)] = v;
                k += 1;
            }
        }
        SampleStats::new(&self.names, n, mean, cov).map_err(|e| e.to_string())
    }
}
