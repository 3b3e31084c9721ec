//! Missing-data patterns and the pieces of the FIML (casewise normal) log-likelihood, by pattern
//! (lavaan 0.6-14 `R/lav_data_patterns.R`, `R/lav_mvnorm_missing.R`).
//!
//! Cases with the same observed variables form a pattern; a pattern keeps its rows, its size
//! n_p and the means ȳ_p and covariance S_p (divisor n_p) of its observed variables. Then, with
//! Σ_p and μ_p the parts of Σ and μ for those variables,
//!
//! ℓ = Σ_p −n_p/2·[k_p·ln 2π + ln|Σ_p| + tr(Σ_p⁻¹(S_p + (ȳ_p − μ_p)(ȳ_p − μ_p)ᵀ))],
//!
//! the sum of the casewise log-likelihoods (`lav_mvnorm_missing_loglik_samplestats`), and
//! ∂ℓ/∂μ and ∂ℓ/∂Σ need only the pattern statistics too. A bootstrap draw keeps the patterns and
//! recomputes the statistics from its row counts ([`MissingPatterns::weighted`]). Cases with every
//! value missing are set aside (lavaan's `empty.idx`).

use crate::numeric::matrix::{a_at, cholesky, upper_tri_inverse};

use super::moments::{symmetrize_lower, DataView, MomentsError, LN_2PI};

/// One missing-data pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The observed variables, ascending.
    pub observed: Vec<usize>,
    /// The rows with this pattern, ascending.
    pub rows: Vec<usize>,
    /// The number of cases (the sum of their counts in a bootstrap draw).
    pub n: f64,
    /// Means of the observed variables.
    pub mean: Vec<f64>,
    /// Their covariance, `k × k` row-major with k = `observed.len()`, divisor n.
    pub cov: Vec<f64>,
}

/// The patterns of one group's data, in lavaan's order (by the 0/1 string of observed
/// variables, as R's `table` sorts it).
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPatterns {
    /// The number of variables.
    pub p: usize,
    pub patterns: Vec<Pattern>,
    /// Rows with every value missing: not used.
    pub empty_rows: Vec<usize>,
    /// The number of cases used (rows that are not empty, or the sum of their counts).
    pub n: f64,
}

impl MissingPatterns {
    /// Finds the patterns of `data` and their statistics.
    pub fn new(data: DataView) -> Result<Self, MomentsError> {
        let p = data.p();
        let mut keys: Vec<(Vec<u8>, usize)> = Vec::new();
        let mut empty_rows = Vec::new();
        for i in 0..data.n() {
            let key: Vec<u8> = data
                .row(i)
                .iter()
                .map(|v| if v.is_nan() { b'0' } else { b'1' })
                .collect();
            if key.iter().all(|&k| k == b'0') {
                empty_rows.push(i);
            } else {
                keys.push((key, i));
            }
        }
        // Stable: rows stay ascending within a pattern.
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut last: Option<&[u8]> = None;
        for (key, row) in &keys {
            if last != Some(key.as_slice()) {
                patterns.push(Pattern {
                    observed: (0..p).filter(|&j| key[j] == b'1').collect(),
                    rows: Vec::new(),
                    n: 0.0,
                    mean: Vec::new(),
                    cov: Vec::new(),
                });
                last = Some(key.as_slice());
            }
            if let Some(pat) = patterns.last_mut() {
                pat.rows.push(*row);
            }
        }
        if patterns.is_empty() {
            return Err(MomentsError::NoCases);
        }
        let mut out = MissingPatterns {
            p,
            patterns,
            empty_rows,
            n: 0.0,
        };
        out.fill_statistics(data, |_| 1.0);
        Ok(out)
    }

    /// The same patterns with statistics from a bootstrap draw's row counts (`counts[i]` copies
    /// of row `i`); a pattern may then have n = 0.
    pub fn weighted(&self, data: DataView, counts: &[u32]) -> Result<Self, MomentsError> {
        if counts.len() != data.n() {
            return Err(MomentsError::Counts {
                len: counts.len(),
                n: data.n(),
            });
        }
        let mut out = self.clone();
        out.fill_statistics(data, |i| f64::from(counts[i]));
        if out.n <= 0.0 {
            return Err(MomentsError::NoCases);
        }
        Ok(out)
    }

    fn fill_statistics(&mut self, data: DataView, w: impl Fn(usize) -> f64) {
        self.n = 0.0;
        for pat in &mut self.patterns {
            let k = pat.observed.len();
            let (mut n, mut mean, mut cov) = (0.0, vec![0.0; k], vec![0.0; k * k]);
            for &i in &pat.rows {
                let wi = w(i);
                let row = data.row(i);
                n += wi;
                for (m, &j) in mean.iter_mut().zip(&pat.observed) {
                    *m += wi * row[j];
                }
            }
            if n > 0.0 {
                mean.iter_mut().for_each(|m| *m /= n);
                let mut d = vec![0.0; k];
                for &i in &pat.rows {
                    let wi = w(i);
                    let row = data.row(i);
                    for ((dj, &j), m) in d.iter_mut().zip(&pat.observed).zip(&mean) {
                        *dj = row[j] - m;
                    }
                    for a in 0..k {
                        for b in 0..=a {
                            cov[a * k + b] += wi * d[a] * d[b];
                        }
                    }
                }
                symmetrize_lower(&mut cov, k, n);
            }
            pat.n = n;
            pat.mean = mean;
            pat.cov = cov;
            self.n += n;
        }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether any case has a missing value.
    pub fn has_missing(&self) -> bool {
        self.patterns.iter().any(|p| p.observed.len() < self.p)
    }

    /// Available-case means and variances (divisor: the cases observing each variable), the
    /// EM's start (lavaan: `.colMeans(Y, na.rm = TRUE)`); a variance that is 0 or not finite
    /// becomes 1, as lavaan's sanity check does.
    pub fn available_case(&self) -> (Vec<f64>, Vec<f64>) {
        let p = self.p;
        let (mut n, mut mean) = (vec![0.0; p], vec![0.0; p]);
        for pat in &self.patterns {
            for (a, &j) in pat.observed.iter().enumerate() {
                n[j] += pat.n;
                mean[j] += pat.n * pat.mean[a];
            }
        }
        for j in 0..p {
            mean[j] /= n[j];
        }
        let mut var = vec![0.0; p];
        for pat in &self.patterns {
            let k = pat.observed.len();
            for (a, &j) in pat.observed.iter().enumerate() {
                let d = pat.mean[a] - mean[j];
                var[j] += pat.n * (pat.cov[a * k + a] + d * d);
            }
        }
        for j in 0..p {
            var[j] /= n[j];
            if !var[j].is_finite() || var[j] == 0.0 {
                var[j] = 1.0;
            }
        }
        (mean, var)
    }
}

/// Σ_p⁻¹ and ln|Σ_p| for the observed variables of a pattern, by Cholesky.
pub(crate) struct PatternInverse {
    pub inv: Vec<f64>,
    pub logdet: f64,
}

impl PatternInverse {
    /// `None` when Σ_p is not positive definite.
    pub fn new(sigma: &[f64], p: usize, observed: &[usize]) -> Option<Self> {
        let k = observed.len();
        let mut sub = vec![0.0; k * k];
        for (a, &i) in observed.iter().enumerate() {
            for (b, &j) in observed.iter().enumerate() {
                sub[a * k + b] = sigma[i * p + j];
            }
        }
        let l = cholesky(&sub, k)?;
        let logdet = (0..k).map(|i| 2.0 * l[i * k + i].ln()).sum();
        let mut lt = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                lt[i * k + j] = l[j * k + i];
            }
        }
        // Σ⁻¹ = L⁻ᵀL⁻¹ = U⁻¹U⁻ᵀ with U = Lᵀ.
        let inv = a_at(&upper_tri_inverse(&lt, k), k);
        Some(PatternInverse { inv, logdet })
    }
}

fn not_pd(observed: &[usize]) -> MomentsError {
    MomentsError::NotPositiveDefinite {
        variables: observed.to_vec(),
    }
}

/// The FIML log-likelihood ℓ(μ, Σ) (with the ln 2π terms), from the pattern statistics.
pub fn loglik(pats: &MissingPatterns, mu: &[f64], sigma: &[f64]) -> Result<f64, MomentsError> {
    let mut total = 0.0;
    for pat in pats.patterns.iter().filter(|p| p.n > 0.0) {
        let inv = PatternInverse::new(sigma, pats.p, &pat.observed)
            .ok_or_else(|| not_pd(&pat.observed))?;
        let k = pat.observed.len();
        let d: Vec<f64> = pat
            .observed
            .iter()
            .zip(&pat.mean)
            .map(|(&j, m)| m - mu[j])
            .collect();
        // tr(Σ_p⁻¹(S_p + d dᵀ)).
        let mut tr = 0.0;
        for a in 0..k {
            for b in 0..k {
                tr += inv.inv[a * k + b] * (pat.cov[b * k + a] + d[b] * d[a]);
            }
        }
        total -= pat.n / 2.0 * (k as f64 * LN_2PI + inv.logdet + tr);
    }
    Ok(total)
}

/// ∂ℓ/∂μ (length p) and ∂ℓ/∂Σ (row-major p × p, treating the p² entries as distinct, as
/// lavaan's `lav_mvnorm_missing_dlogl_dSigma` does: the derivative in a symmetric off-diagonal
/// pair σ_ij = σ_ji is the sum of the two entries).
#[derive(Debug, Clone, PartialEq)]
pub struct LoglikGradient {
    pub logl: f64,
    pub d_mu: Vec<f64>,
    pub d_sigma: Vec<f64>,
}

/// ℓ and its gradient by pattern: ∂ℓ/∂μ_p = n_p Σ_p⁻¹(ȳ_p − μ_p) and
/// ∂ℓ/∂Σ_p = −n_p/2·(Σ_p⁻¹ − Σ_p⁻¹ W_p Σ_p⁻¹) with W_p = S_p + (ȳ_p − μ_p)(ȳ_p − μ_p)ᵀ,
/// scattered into the observed rows and columns.
pub fn loglik_gradient(
    pats: &MissingPatterns,
    mu: &[f64],
    sigma: &[f64],
) -> Result<LoglikGradient, MomentsError> {
    let p = pats.p;
    let mut out = LoglikGradient {
        logl: 0.0,
        d_mu: vec![0.0; p],
        d_sigma: vec![0.0; p * p],
    };
    for pat in pats.patterns.iter().filter(|p| p.n > 0.0) {
        let inv =
            PatternInverse::new(sigma, p, &pat.observed).ok_or_else(|| not_pd(&pat.observed))?;
        let k = pat.observed.len();
        let s = &inv.inv;
        let d: Vec<f64> = pat
            .observed
            .iter()
            .zip(&pat.mean)
            .map(|(&j, m)| m - mu[j])
            .collect();
        let mut w = pat.cov.clone();
        for a in 0..k {
            for b in 0..k {
                w[a * k + b] += d[a] * d[b];
            }
        }
        let sw = mat_mul(s, &w, k);
        let sws = mat_mul(&sw, s, k);
        let tr: f64 = (0..k).map(|a| sw[a * k + a]).sum();
        out.logl -= pat.n / 2.0 * (k as f64 * LN_2PI + inv.logdet + tr);
        for (a, &i) in pat.observed.iter().enumerate() {
            let sd: f64 = (0..k).map(|b| s[a * k + b] * d[b]).sum();
            out.d_mu[i] += pat.n * sd;
            for (b, &j) in pat.observed.iter().enumerate() {
                out.d_sigma[i * p + j] -= pat.n / 2.0 * (s[a * k + b] - sws[a * k + b]);
            }
        }
    }
    Ok(out)
}

/// The log-likelihood of each row (0 for a row with every value missing), lavaan's
/// `lav_mvnorm_missing_llik_casewise`; they sum to [`loglik`].
pub fn casewise_loglik(
    data: DataView,
    pats: &MissingPatterns,
    mu: &[f64],
    sigma: &[f64],
) -> Result<Vec<f64>, MomentsError> {
    let mut out = vec![0.0; data.n()];
    for pat in &pats.patterns {
        let inv = PatternInverse::new(sigma, pats.p, &pat.observed)
            .ok_or_else(|| not_pd(&pat.observed))?;
        let k = pat.observed.len();
        let constant = k as f64 * LN_2PI + inv.logdet;
        let mut d = vec![0.0; k];
        for &i in &pat.rows {
            let row = data.row(i);
            for (dj, &j) in d.iter_mut().zip(&pat.observed) {
                *dj = row[j] - mu[j];
            }
            let q: f64 = (0..k)
                .map(|a| d[a] * (0..k).map(|b| inv.inv[a * k + b] * d[b]).sum::<f64>())
                .sum();
            out[i] = -0.5 * (constant + q);
        }
    }
    Ok(out)
}

/// `A B` for row-major `k × k` matrices.
pub(crate) fn mat_mul(a: &[f64], b: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for l in 0..k {
            let ail = a[i * k + l];
            for j in 0..k {
                out[i * k + j] += ail * b[l * k + j];
            }
        }
    }
    out
}
