//! The fixed.x covariates of a FIML bootstrap draw. Under fixed.x (lavaan's default when a
//! model has exogenous observed covariates) the covariates' means, variances and covariances
//! are not parameters but the sample's values; a draw is a new sample, so they are the draw's
//! own moments (lavaan's `lav_bootstrap_internal` rebuilds the model of every draw from the
//! draw's sample statistics when `fixed.x` holds, instead of reusing the fitted one). The
//! covariates are complete in every row a FIML fit keeps (fiml/pipeline.rs deletes the rows
//! with a missing one, as lavaan does), so their moments are plain count-weighted moments
//! (divisor n, as lavaan's sample statistics), formed from the counts with no row copied.

use super::super::model::Model;
use super::super::partable::ParTable;
use super::refit::{exo_rows, Exo};

/// The covariates' columns and the model rows that take their moments.
pub(crate) struct Covariates {
    /// fixed.x rows of the table and the moment each takes (indices into `pt.ov`).
    exo: Vec<(usize, Exo)>,
    /// `pt.ov` index → column here.
    column: Vec<Option<usize>>,
    /// The covariates of every row, row-major n × k, centred at `center` (the sums of the
    /// cross-products stay well conditioned).
    values: Vec<f64>,
    center: Vec<f64>,
}

impl Covariates {
    /// The covariates of `rows` (row-major n × p in `pt.ov`'s order); `None` without fixed.x
    /// rows.
    pub fn new(pt: &ParTable, rows: &[f64], p: usize) -> Option<Covariates> {
        let exo = exo_rows(pt);
        if exo.is_empty() {
            return None;
        }
        let mut xs: Vec<usize> = exo
            .iter()
            .flat_map(|&(_, e)| match e {
                Exo::Mean(j) => vec![j],
                Exo::Cov(i, j) => vec![i, j],
            })
            .collect();
        xs.sort_unstable();
        xs.dedup();
        let mut column = vec![None; p];
        for (k, &j) in xs.iter().enumerate() {
            column[j] = Some(k);
        }
        let n = rows.len() / p;
        let center: Vec<f64> = xs
            .iter()
            .map(|&j| (0..n).map(|i| rows[i * p + j]).sum::<f64>() / n as f64)
            .collect();
        let values = (0..n)
            .flat_map(|i| {
                xs.iter()
                    .zip(&center)
                    .map(move |(&j, c)| rows[i * p + j] - c)
            })
            .collect();
        Some(Covariates {
            exo,
            column,
            values,
            center,
        })
    }

    /// Sets the fixed.x rows of `model` to the moments of the draw with row counts `counts`.
    pub fn set(&self, model: &mut Model, counts: &[u32]) {
        let k = self.center.len();
        let (mut n, mut d) = (0.0, vec![0.0; k]);
        for (x, &c) in self.values.chunks(k).zip(counts) {
            let c = f64::from(c);
            n += c;
            d.iter_mut().zip(x).for_each(|(s, v)| *s += c * v);
        }
        d.iter_mut().for_each(|s| *s /= n);
        // Two passes: the cross-products about the draw's own means.
        let mut cov = vec![0.0; k * k];
        for (x, &c) in self.values.chunks(k).zip(counts) {
            let c = f64::from(c);
            for a in 0..k {
                for b in 0..=a {
                    cov[a * k + b] += c * (x[a] - d[a]) * (x[b] - d[b]);
                }
            }
        }
        let col =
            |j: usize| self.column[j].expect("`new` gave a column to every variable of `exo`");
        for &(row, from) in &self.exo {
            model.base[row] = match from {
                Exo::Mean(j) => self.center[col(j)] + d[col(j)],
                Exo::Cov(i, j) => {
                    let (a, b) = (col(i).max(col(j)), col(i).min(col(j)));
                    cov[a * k + b] / n
                }
            };
        }
    }
}
