//! The saturated (H1) model of one group: the unrestricted means and covariance matrix and their
//! log-likelihood, which the chi-square test compares a model against (T = 2(ℓ_H1 − ℓ_H0)).
//!
//! With complete data H1 is (ȳ, S) ([`Moments::h1_loglik`]). With missing data lavaan estimates
//! it by EM (`lav_mvnorm_missing_h1_estimate_moments`, lavaan 0.6-14 `R/lav_mvnorm_missing_h1.R`;
//! Dempster, Laird & Rubin 1977; Little & Rubin 2002, §11.2), and its stopping rule leaks into
//! `unrestricted.logl`, the chi-square and the SRMR, so it is replicated exactly here:
//!
//! - start: available-case means and variances, zero covariances;
//! - E-step: the expected sums T₁ = E Σ yᵢ and T₂ = E Σ yᵢyᵢᵀ given the observed values, from the
//!   pattern statistics alone (below);
//! - M-step: μ = T₁/N, Σ = T₂/N − μμᵀ; when an eigenvalue of Σ falls below 1e-6, add
//!   max(diag Σ)·1e-8 to the diagonal;
//! - stop when max |Δ(μ, vech Σ)| < 1e-5 (`em.h1.tol`) or after 500 iterations
//!   (`em.h1.iter.max`).
//!
//! The E-step by pattern: with o the observed and m the missing variables of a pattern of n_p
//! cases with means ȳ and covariance S (divisor n_p), B = Σ_mo Σ_oo⁻¹ and m̄ = μ_m + B(ȳ − μ_o),
//! the pattern adds n_p·ȳ and n_p·m̄ to T₁, and to T₂: n_p(S + ȳȳᵀ) in (o, o),
//! n_p(m̄ȳᵀ + BS) in (m, o), and n_p(m̄m̄ᵀ + BSBᵀ + Σ_mm − BΣ_om) in (m, m). Summing the filled-in
//! rows, as lavaan does, gives the same sums; working from the statistics lets a bootstrap draw
//! reuse the patterns and reweight them.

use crate::numeric::matrix::cholesky;

use super::missing::{loglik, MissingPatterns, PatternInverse};
use super::moments::{Moments, MomentsError};

/// lavaan's EM settings for H1 (`em.h1.iter.max`, `em.h1.tol`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmOptions {
    pub max_iter: usize,
    pub tol: f64,
}

impl Default for EmOptions {
    fn default() -> Self {
        EmOptions {
            max_iter: 500,
            tol: 1e-5,
        }
    }
}

/// The saturated model's moments and log-likelihood.
#[derive(Debug, Clone, PartialEq)]
pub struct H1 {
    pub mean: Vec<f64>,
    /// Row-major `p × p`.
    pub cov: Vec<f64>,
    /// ℓ_H1 with the ln 2π terms: lavaan's `unrestricted.logl` (without fixed.x).
    pub logl: f64,
    /// EM iterations (0 for complete data).
    pub iterations: usize,
    /// Whether EM met its tolerance (always true for complete data). lavaan goes on with the
    /// last iterate when it did not (and warns only when asked); so does this.
    pub converged: bool,
}

impl H1 {
    /// H1 of complete data: (ȳ, S) and its log-likelihood.
    pub fn complete(m: &Moments) -> Result<H1, MomentsError> {
        let logl = m.h1_loglik().ok_or(MomentsError::NotPositiveDefinite {
            variables: (0..m.p()).collect(),
        })?;
        Ok(H1 {
            mean: m.mean.clone(),
            cov: m.cov.clone(),
            logl,
            iterations: 0,
            converged: true,
        })
    }

    /// H1 under missing data by lavaan's EM.
    pub fn em(pats: &MissingPatterns, options: EmOptions) -> Result<H1, MomentsError> {
        let p = pats.p;
        let (mut mu0, var0) = pats.available_case();
        let mut sigma0 = vec![0.0; p * p];
        for j in 0..p {
            sigma0[j * p + j] = var0[j];
        }
        let (mut mu, mut sigma) = (mu0.clone(), sigma0.clone());
        let mut iterations = 0;
        let mut converged = false;
        for it in 1..=options.max_iter.max(1) {
            iterations = it;
            let (t1, t2) = e_step(pats, &mu, &sigma)?;
            m_step(&t1, &t2, pats.n, &mut mu, &mut sigma);
            let delta = max_abs_change(&mu, &mu0, &sigma, &sigma0, p);
            if delta < options.tol {
                converged = true;
                break;
            }
            mu0.clone_from(&mu);
            sigma0.clone_from(&sigma);
        }
        let logl = loglik(pats, &mu, &sigma)?;
        Ok(H1 {
            mean: mu,
            cov: sigma,
            logl,
            iterations,
            converged,
        })
    }
}

/// T₁ (length p) and T₂ (p × p) given the current μ and Σ.
fn e_step(
    pats: &MissingPatterns,
    mu: &[f64],
    sigma: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), MomentsError> {
    let p = pats.p;
    let mut t1 = vec![0.0; p];
    let mut t2 = vec![0.0; p * p];
    for pat in pats.patterns.iter().filter(|q| q.n > 0.0) {
        let (o, k, n) = (&pat.observed, pat.observed.len(), pat.n);
        let (ybar, s) = (&pat.mean, &pat.cov);
        for a in 0..k {
            t1[o[a]] += n * ybar[a];
            for b in 0..k {
                t2[o[a] * p + o[b]] += n * (s[a * k + b] + ybar[a] * ybar[b]);
            }
        }
        if k == p {
            continue;
        }
        let m: Vec<usize> = (0..p).filter(|j| !o.contains(j)).collect();
        let inv = PatternInverse::new(sigma, p, o).ok_or(MomentsError::NotPositiveDefinite {
            variables: o.clone(),
        })?;
        // B = Σ_mo Σ_oo⁻¹ (|m| × k).
        let bmat: Vec<Vec<f64>> = m
            .iter()
            .map(|&i| {
                (0..k)
                    .map(|b| {
                        (0..k)
                            .map(|c| sigma[i * p + o[c]] * inv.inv[c * k + b])
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let mbar: Vec<f64> = m
            .iter()
            .zip(&bmat)
            .map(|(&i, brow)| mu[i] + (0..k).map(|c| brow[c] * (ybar[c] - mu[o[c]])).sum::<f64>())
            .collect();
        // B S, row by row.
        let bs: Vec<Vec<f64>> = bmat
            .iter()
            .map(|brow| {
                (0..k)
                    .map(|b| (0..k).map(|c| brow[c] * s[c * k + b]).sum())
                    .collect()
            })
            .collect();
        for (r, &i) in m.iter().enumerate() {
            t1[i] += n * mbar[r];
            for (a, &j) in o.iter().enumerate() {
                let v = n * (mbar[r] * ybar[a] + bs[r][a]);
                t2[i * p + j] += v;
                t2[j * p + i] += v;
            }
            for (r2, &j) in m.iter().enumerate() {
                let bsb: f64 = (0..k).map(|c| bs[r][c] * bmat[r2][c]).sum();
                let b_sigma_om: f64 = (0..k).map(|c| bmat[r][c] * sigma[o[c] * p + j]).sum();
                t2[i * p + j] += n * (mbar[r] * mbar[r2] + bsb + sigma[i * p + j] - b_sigma_om);
            }
        }
    }
    Ok((t1, t2))
}

/// μ = T₁/N, Σ = T₂/N − μμᵀ, with lavaan's ridge when Σ is nearly singular.
fn m_step(t1: &[f64], t2: &[f64], n: f64, mu: &mut [f64], sigma: &mut [f64]) {
    let p = mu.len();
    for j in 0..p {
        mu[j] = t1[j] / n;
    }
    for a in 0..p {
        for b in 0..p {
            sigma[a * p + b] = t2[a * p + b] / n - mu[a] * mu[b];
        }
    }
    // Symmetric to the last bit (T₂ is accumulated symmetrically, but the products are not).
    for a in 0..p {
        for b in 0..a {
            let v = 0.5 * (sigma[a * p + b] + sigma[b * p + a]);
            sigma[a * p + b] = v;
            sigma[b * p + a] = v;
        }
    }
    if smallest_eigenvalue_below(sigma, p, 1e-6) {
        let max_diag = (0..p).map(|j| sigma[j * p + j]).fold(f64::MIN, f64::max);
        for j in 0..p {
            sigma[j * p + j] += max_diag * 1e-8;
        }
    }
}

/// Whether the smallest eigenvalue of symmetric `a` is below `tol`: exactly when a − tol·I has
/// no Cholesky factor.
fn smallest_eigenvalue_below(a: &[f64], p: usize, tol: f64) -> bool {
    let mut shifted = a.to_vec();
    for j in 0..p {
        shifted[j * p + j] -= tol;
    }
    cholesky(&shifted, p).is_none()
}

/// max |Δ| over μ and vech Σ (lavaan's DELTA).
fn max_abs_change(mu: &[f64], mu0: &[f64], sigma: &[f64], sigma0: &[f64], p: usize) -> f64 {
    let dm = mu
        .iter()
        .zip(mu0)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let mut ds: f64 = 0.0;
    for a in 0..p {
        for b in a..p {
            ds = ds.max((sigma[a * p + b] - sigma0[a * p + b]).abs());
        }
    }
    dm.max(ds)
}

#[cfg(test)]
mod tests {
    use super::super::missing::{casewise_loglik, loglik_gradient};
    use super::super::moments::DataView;
    use super::*;

    /// Six cases of three variables, three of them with a missing value.
    fn data() -> Vec<f64> {
        let nan = f64::NAN;
        vec![
            1.0, 2.0, 0.5, //
            2.0, 1.5, 1.0, //
            3.0, 3.5, nan, //
            0.5, nan, 2.0, //
            2.5, 2.0, 1.5, //
            1.5, 1.0, 0.0, //
            nan, 2.5, 1.0, //
            nan, nan, nan, //
        ]
    }

    #[test]
    fn complete_data_h1_is_the_sample_moments() {
        let all = data();
        let y: Vec<f64> = [0, 1, 4, 5]
            .iter()
            .flat_map(|&i| all[i * 3..i * 3 + 3].to_vec())
            .collect();
        let view = DataView::new(&y, 4, 3).unwrap();
        let m = Moments::complete(view).unwrap();
        let pats = MissingPatterns::new(view).unwrap();
        assert!(!pats.has_missing());
        let em = H1::em(&pats, EmOptions::default()).unwrap();
        // One E/M step reproduces (ȳ, S); the second sees no change.
        assert!(em.converged && em.iterations == 2, "{em:?}");
        let h1 = H1::complete(&m).unwrap();
        for (a, b) in em
            .mean
            .iter()
            .chain(&em.cov)
            .zip(h1.mean.iter().chain(&h1.cov))
        {
            assert!((a - b).abs() < 1e-14, "{a} {b}");
        }
        assert!((em.logl - h1.logl).abs() < 1e-10);
        // Two cases of three variables: S is singular.
        let two = DataView::new(&y[..6], 2, 3).unwrap();
        assert!(H1::complete(&Moments::complete(two).unwrap()).is_err());
    }

    #[test]
    fn em_maximises_the_loglikelihood() {
        let y = data();
        let view = DataView::new(&y, 8, 3).unwrap();
        let pats = MissingPatterns::new(view).unwrap();
        assert_eq!(pats.empty_rows, vec![7]);
        assert_eq!(pats.n, 7.0);
        assert_eq!(pats.len(), 4);
        let tight = EmOptions {
            max_iter: 10_000,
            tol: 1e-13,
        };
        let h1 = H1::em(&pats, tight).unwrap();
        assert!(h1.converged);
        // At the maximum the gradient vanishes.
        let g = loglik_gradient(&pats, &h1.mean, &h1.cov).unwrap();
        assert!((g.logl - h1.logl).abs() < 1e-12);
        for v in g.d_mu.iter().chain(&g.d_sigma) {
            assert!(v.abs() < 1e-8, "{v}");
        }
        // The casewise log-likelihoods sum to the pattern one.
        let cw = casewise_loglik(view, &pats, &h1.mean, &h1.cov).unwrap();
        assert_eq!(cw[7], 0.0);
        assert!((cw.iter().sum::<f64>() - h1.logl).abs() < 1e-10);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let y = data();
        let view = DataView::new(&y, 8, 3).unwrap();
        let pats = MissingPatterns::new(view).unwrap();
        let mu = [1.7, 2.1, 0.9];
        let sigma = [1.0, 0.3, 0.2, 0.3, 0.9, -0.1, 0.2, -0.1, 0.7];
        let g = loglik_gradient(&pats, &mu, &sigma).unwrap();
        let h = 1e-6;
        for j in 0..3 {
            let (mut up, mut down) = (mu, mu);
            up[j] += h;
            down[j] -= h;
            let fd = (loglik(&pats, &up, &sigma).unwrap() - loglik(&pats, &down, &sigma).unwrap())
                / (2.0 * h);
            assert!((fd - g.d_mu[j]).abs() < 1e-6, "mu {j}: {fd} {}", g.d_mu[j]);
        }
        for a in 0..3 {
            for b in 0..=a {
                // Moving σ_ab and σ_ba together: the sum of the two entries.
                let (mut up, mut down) = (sigma, sigma);
                up[a * 3 + b] += h;
                down[a * 3 + b] -= h;
                if a != b {
                    up[b * 3 + a] += h;
                    down[b * 3 + a] -= h;
                }
                let fd = (loglik(&pats, &mu, &up).unwrap() - loglik(&pats, &mu, &down).unwrap())
                    / (2.0 * h);
                let an = if a == b {
                    g.d_sigma[a * 3 + a]
                } else {
                    g.d_sigma[a * 3 + b] + g.d_sigma[b * 3 + a]
                };
                assert!((fd - an).abs() < 1e-6, "sigma {a}{b}: {fd} {an}");
            }
        }
    }

    #[test]
    fn counts_reweight_the_patterns() {
        let y = data();
        let view = DataView::new(&y, 8, 3).unwrap();
        let pats = MissingPatterns::new(view).unwrap();
        let counts = [2u32, 0, 1, 1, 0, 3, 1, 2];
        let w = pats.weighted(view, &counts).unwrap();
        let mut copied = Vec::new();
        for (i, &c) in counts.iter().enumerate() {
            for _ in 0..c {
                copied.extend_from_slice(view.row(i));
            }
        }
        let copy_view = DataView::new(&copied, 10, 3).unwrap();
        let direct = MissingPatterns::new(copy_view).unwrap();
        assert_eq!(w.n, 8.0);
        let a = H1::em(&w, EmOptions::default()).unwrap();
        let b = H1::em(&direct, EmOptions::default()).unwrap();
        assert_eq!(a.iterations, b.iterations);
        for (x, z) in a.mean.iter().chain(&a.cov).zip(b.mean.iter().chain(&b.cov)) {
            assert!((x - z).abs() < 1e-12, "{x} {z}");
        }
        // Duplicated rows make Σ nearly singular here, which magnifies rounding in ℓ.
        assert!((a.logl - b.logl).abs() < 1e-7 * a.logl.abs(), "{a:?} {b:?}");
        assert!(matches!(
            pats.weighted(view, &[0; 8]),
            Err(MomentsError::NoCases)
        ));
    }
}
