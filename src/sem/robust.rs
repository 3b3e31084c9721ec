//! MLR (lavaan's `estimator = "MLR"`, 0.6-14 defaults, ../shared/SEM-DESIGN.md §2 rules 6, 9,
//! 10): ML point estimates with
//! - Huber-White standard errors: Var(θ̂) = E⁻¹ B₀ E⁻¹ / N, where E is the observed information
//!   of fmin (lavaan's `information = "observed"`, `observed.information = "hessian"`, the
//!   engine's 5-point difference; under equality constraints E⁻¹ = K(K′EK)⁻¹K′, the top-left
//!   block of lavaan's augmented inverse) and B₀ = n⁻¹ Σᵢ gᵢ gᵢ′ the outer product of the case
//!   scores ∂ℓᵢ/∂θ at the *structured* moments (`h1.information.meat = "structured"`;
//!   `lav_model_nvcov_robust_sandwich`, `lav_mvnorm_information_firstorder`; Huber 1967,
//!   White 1982);
//! - the Yuan-Bentler T₂* scaled test in Mplus's variant (`lav_test_yuan_bentler_mplus_trace`;
//!   Yuan & Bentler 2000, Asparouhov & Muthén 2005): tr(UΓ) = tr(A₁ᵤ⁻¹B₁ᵤ) − tr(B₀E⁻¹), with the
//!   h1 information A₁ᵤ and the h1 first-order information B₁ᵤ at the sample moments
//!   ("unstructured"), and c = tr(UΓ)/df.
//!
//! For complete data the h1 trace has a closed form: with the unstructured scores
//! sᵢ = (S⁻¹dᵢ, ½D′vec(S⁻¹dᵢdᵢ′S⁻¹ − S⁻¹)), dᵢ = xᵢ − ȳ, and A₁ᵤ = blockdiag(S⁻¹, ½D′(S⁻¹⊗S⁻¹)D),
//! sᵢ′A₁ᵤ⁻¹sᵢ = qᵢ + ½(qᵢ² − 2qᵢ + p) with qᵢ = dᵢ′S⁻¹dᵢ (the mean term only with a mean
//! structure), so tr(A₁ᵤ⁻¹B₁ᵤ) = ½(b₂,ₚ − p) + p·[mean structure], b₂,ₚ being Mardia's
//! multivariate kurtosis n⁻¹Σqᵢ² (n⁻¹Σqᵢ = p exactly).

use super::cluster::Clusters;
use super::constraints::Reparam;
use super::error::SemError;
use super::fit_measures::FitMeasures;
use super::gradient::{delta, Delta};
use super::linalg::{spd_inverse_logdet, Mat};
use super::model::Model;
use super::sample::SampleStats;
use super::scaled_test::{scaled_fit, Scaled, ScaledFit, ScaledInput};
use super::vcov::vcov;

/// What MLR adds to an ML fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Robust {
    /// Var(θ̂) = E⁻¹B₀E⁻¹/N.
    pub vcov: Mat,
    /// The scaled test's parts (`None` when df = 0: lavaan reports no scaling then).
    pub test: YuanBentler,
}

/// The Yuan-Bentler (Mplus) scaling of one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YuanBentler {
    /// tr(A₁ᵤ⁻¹B₁ᵤ), summed over groups.
    pub trace_h1: f64,
    /// tr(B₀E⁻¹).
    pub trace_h0: f64,
    /// Sample moments of the h1 trace (p(p+1)/2 + p·[means], less the masked x moments).
    pub ndat_h1: f64,
    /// Free parameters (lavaan's nx.free, before equality constraints).
    pub npar: f64,
}

impl YuanBentler {
    /// The scaled tests of the model (this) and of the baseline (`base`, its own h0 trace) for
    /// `scaled_fit`; complete data and FIML differ only in how the traces were computed.
    pub fn scaled_input(&self, base: &YuanBentler, fit: &FitMeasures, n: f64) -> ScaledInput {
        ScaledInput {
            model: Scaled {
                t: fit.chisq,
                df: fit.df,
                c: self.scaling_factor(fit.df),
            },
            baseline: Scaled {
                t: fit.baseline_chisq,
                df: fit.baseline_df,
                c: base.scaling_factor(fit.baseline_df),
            },
            n,
            scaling_factor_h1: self.trace_h1 / self.ndat_h1,
            scaling_factor_h0: self.trace_h0 / self.npar,
        }
    }

    /// tr(UΓ).
    pub fn trace(&self) -> f64 {
        self.trace_h1 - self.trace_h0
    }

    /// c = tr(UΓ)/df; NaN when df = 0 or the trace is negative (lavaan's NA).
    pub fn scaling_factor(&self, df: f64) -> f64 {
        let c = self.trace() / df;
        if df > 0.0 && c >= 0.0 {
            c
        } else {
            f64::NAN
        }
    }
}

/// The complete-data case scores ∂ℓᵢ/∂θ (n × q) at (μ, Σ⁻¹): for θ_k with derivatives
/// (μ_k, Σ_k), wᵢ′μ_k + ½(wᵢ′Σ_k wᵢ − tr(Σ⁻¹Σ_k)) with wᵢ = Σ⁻¹(xᵢ − μ) — the θ-space image Δ′sᵢ
/// of lavaan's moment scores (vec(M)′D vech(Σ_k) = tr(MΣ_k)). Without a mean structure μ is ȳ
/// and the mean part is dropped, as lavaan does.
pub fn case_scores(d: &Delta, inv: &Mat, mu: &[f64], cols: &[&[f64]], means: bool) -> Mat {
    let p = inv.rows;
    let q = d.sigma.len();
    let n = cols.first().map_or(0, |c| c.len());
    let tr: Vec<f64> = d.sigma.iter().map(|ds| inv.trace_mul(ds)).collect();
    let mut out = Mat::zeros(n, q);
    let mut dev = vec![0.0; p];
    for r in 0..n {
        deviation(&mut dev, cols, r, mu);
        let w = inv.mul_vec(&dev);
        for k in 0..q {
            let sw = d.sigma[k].mul_vec(&w);
            let mut g = 0.5 * (dot(&w, &sw) - tr[k]);
            if means {
                g += dot(&w, &d.mu[k]);
            }
            out[(r, k)] = g;
        }
    }
    out
}

/// Row `r` of the data less `center`, into `dev`.
pub(super) fn deviation(dev: &mut [f64], cols: &[&[f64]], r: usize, center: &[f64]) {
    for ((d, c), m) in dev.iter_mut().zip(cols).zip(center) {
        *d = c[r] - m;
    }
}

pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// B₀ = n⁻¹ G′G from the case scores G (n × q).
pub fn first_order(scores: &Mat) -> Mat {
    let (n, q) = (scores.rows, scores.cols);
    let mut b = Mat::zeros(q, q);
    for r in 0..n {
        let row = &scores.data[r * q..(r + 1) * q];
        for a in 0..q {
            for c in 0..=a {
                b[(a, c)] += row[a] * row[c];
            }
        }
    }
    for a in 0..q {
        for c in 0..=a {
            let v = b[(a, c)] / n as f64;
            b[(a, c)] = v;
            b[(c, a)] = v;
        }
    }
    b
}

/// tr(A₁ᵤ⁻¹B₁ᵤ) for complete data and its ndat (NaN when S is singular). Without fixed x this
/// is the module's closed form. Under fixed.x lavaan masks the x moments in A₁ᵤ and builds Γ
/// from zᵢ = z(yᵢ) − z(ŷᵢ), where ŷᵢ replaces the y columns by their OLS fit on the x
/// (`lav_samplestats_Gamma` with fixed.x); the x moments of zᵢ vanish, so the trace is
/// n⁻¹Σᵢ [mᵢ′S⁻¹mᵢ + ½tr(VᵢS⁻¹VᵢS⁻¹)] over the centred mean part mᵢ and covariance part Vᵢ.
pub fn trace_h1_complete(
    cols: &[&[f64]],
    mean: &[f64],
    cov: &Mat,
    means: bool,
    x: &[usize],
) -> (f64, f64) {
    let p = cov.rows;
    let n = cols.first().map_or(0, |c| c.len());
    let Some((inv, _)) = spd_inverse_logdet(cov) else {
        return (f64::NAN, f64::NAN);
    };
    let pf = p as f64;
    let m = if means { 1.0 } else { 0.0 };
    if x.is_empty() {
        let mut dev = vec![0.0; p];
        let mut q2 = 0.0;
        for r in 0..n {
            deviation(&mut dev, cols, r, mean);
            let q = dot(&dev, &inv.mul_vec(&dev));
            q2 += q * q;
        }
        let trace = 0.5 * (q2 / n as f64 - pf) + m * pf;
        return (trace, pf * (pf + 1.0) / 2.0 + m * pf);
    }
    let Some(fitted) = ols_fitted(cols, mean, cov, x) else {
        return (f64::NAN, f64::NAN);
    };
    let fcols: Vec<&[f64]> = fitted.iter().map(Vec::as_slice).collect();
    let fmean: Vec<f64> = fitted
        .iter()
        .map(|c| c.iter().sum::<f64>() / n as f64)
        .collect();
    // Z's column means: the mean part is ȳ − mean(ŷ); the covariance part S − S_ŷ.
    let mut zbar_v = Mat::zeros(p, p);
    let (mut d, mut h) = (vec![0.0; p], vec![0.0; p]);
    for r in 0..n {
        deviation(&mut d, cols, r, mean);
        deviation(&mut h, &fcols, r, &fmean);
        add_outer_diff(&mut zbar_v, &d, &h, 1.0 / n as f64);
    }
    let mut total = 0.0;
    for r in 0..n {
        deviation(&mut d, cols, r, mean);
        deviation(&mut h, &fcols, r, &fmean);
        let mut v = zbar_v.scale(-1.0);
        add_outer_diff(&mut v, &d, &h, 1.0);
        let w = inv.mul(&v);
        total += 0.5 * w.trace_mul(&w);
        if means {
            let e: Vec<f64> = d.iter().zip(&h).map(|(a, b)| a - b).collect();
            total += dot(&e, &inv.mul_vec(&e));
        }
    }
    let px = x.len() as f64;
    let ndat = pf * (pf + 1.0) / 2.0 + m * pf - (px * (px + 1.0) / 2.0 + m * px);
    (total / n as f64, ndat)
}

/// `v += s·(d d′ − h h′)`.
pub(super) fn add_outer_diff(v: &mut Mat, d: &[f64], h: &[f64], s: f64) {
    let p = d.len();
    for i in 0..p {
        for j in 0..p {
            v[(i, j)] += s * (d[i] * d[j] - h[i] * h[j]);
        }
    }
}

/// The data with every non-x column replaced by its OLS fit on the x columns (with an
/// intercept): ŷ = ȳ + S_yx S_xx⁻¹ (x − x̄).
pub(super) fn ols_fitted(
    cols: &[&[f64]],
    mean: &[f64],
    cov: &Mat,
    x: &[usize],
) -> Option<Vec<Vec<f64>>> {
    let (sxx_inv, _) = spd_inverse_logdet(&cov.select(x))?;
    let p = cov.rows;
    let n = cols.first().map_or(0, |c| c.len());
    let mut out: Vec<Vec<f64>> = cols.iter().map(|c| c.to_vec()).collect();
    for (j, col) in out.iter_mut().enumerate().filter(|(j, _)| !x.contains(j)) {
        let syx: Vec<f64> = x.iter().map(|&k| cov[(j, k)]).collect();
        let b = sxx_inv.mul_vec(&syx);
        for (r, v) in col.iter_mut().enumerate() {
            *v = mean[j]
                + x.iter()
                    .zip(&b)
                    .map(|(&k, bk)| bk * (cols[k][r] - mean[k]))
                    .sum::<f64>();
        }
    }
    debug_assert_eq!(out.len(), p);
    debug_assert!(out.iter().all(|c| c.len() == n));
    Some(out)
}

/// tr(B₀E⁻¹) of the independence (baseline) model at its complete-data ML estimate
/// (variances s_ii and, with a mean structure, means ȳ_i): its observed information is diagonal
/// there (1/(2s_ii²) per variance, 1/s_ii per mean) and its scores are ½(dᵢ²/s_ii² − 1/s_ii)
/// and dᵢ/s_ii, so the trace is Σᵢ ½(m₄ᵢ/s_ii² − 1) + p·[means], m₄ᵢ the fourth central moment.
/// Under fixed.x the x moments are fixed and Σ_B is block diagonal, so only the y terms count.
pub fn trace_h0_baseline_complete(
    cols: &[&[f64]],
    mean: &[f64],
    cov: &Mat,
    means: bool,
    x: &[usize],
) -> f64 {
    let mut t = 0.0;
    for (i, c) in cols.iter().enumerate().filter(|(i, _)| !x.contains(i)) {
        let s = cov[(i, i)];
        let m4 = c.iter().map(|v| (v - mean[i]).powi(4)).sum::<f64>() / c.len() as f64;
        t += 0.5 * (m4 / (s * s) - 1.0);
        if means {
            t += 1.0;
        }
    }
    t
}

/// The sandwich and the model's trace: `e_inv` is the (constrained) inverse of the observed
/// unit information, `b0` the first-order information at the structured moments.
pub fn sandwich(e_inv: &Mat, b0: &Mat, n: f64) -> Mat {
    e_inv.mul(b0).mul(e_inv).scale(1.0 / n)
}

/// Everything MLR needs at the ML estimate θ̂ of `model`: `info` is the unit information the
/// SEs use (observed under lavaan's MLR defaults), `cols` the complete data rows (one slice
/// per observed variable, in the model's order).
#[allow(clippy::too_many_arguments)]
pub fn mlr(
    model: &Model,
    s: &SampleStats,
    theta: &[f64],
    info: &Mat,
    re: &Reparam,
    cols: &[&[f64]],
    x: &[usize],
    names: &dyn Fn(usize) -> String,
    cluster: Option<&Clusters>,
) -> Result<Robust, SemError> {
    let (m, imp) = model.implied(theta).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(implied moments undefined at the estimate)".into()],
    })?;
    let (inv, _) = spd_inverse_logdet(&imp.sigma).ok_or_else(|| SemError::Unidentified {
        parameters: vec!["(implied covariance not positive definite at the estimate)".into()],
    })?;
    let d = delta(model, &m, &imp);
    // lavaan's structured meat: the implied mean with a mean structure, else the sample mean.
    let mu = if model.meanstructure {
        &imp.mu
    } else {
        &s.mean
    };
    let scores = case_scores(&d, &inv, mu, cols, model.meanstructure);
    // cluster.rs: scores and Γ summed within clusters (lavaan's `cluster =`).
    let b0 = match cluster {
        Some(c) => c.first_order(&scores),
        None => first_order(&scores),
    };
    let e_inv = vcov(info, re, 1.0, names)?;
    let (trace_h1, ndat_h1) = match cluster {
        Some(c) => c.trace_h1(cols, &s.mean, &s.cov, model.meanstructure, x),
        None => trace_h1_complete(cols, &s.mean, &s.cov, model.meanstructure, x),
    };
    Ok(Robust {
        vcov: sandwich(&e_inv, &b0, s.n),
        test: YuanBentler {
            trace_h1,
            trace_h0: b0.trace_mul(&e_inv),
            ndat_h1,
            npar: theta.len() as f64,
        },
    })
}

/// The scaled and robust fit measures of an MLR fit on complete data (the baseline's trace in
/// closed form, [`trace_h0_baseline_complete`]); `x` are the covariates, `fixed_x` whether
/// their moments are fixed.
pub fn scaled_measures(
    fit: &FitMeasures,
    r: &Robust,
    s: &SampleStats,
    cols: &[&[f64]],
    means: bool,
    (x, fixed_x): (&[usize], bool),
    cluster: Option<&Clusters>,
) -> ScaledFit {
    let yb = r.test;
    let mut trace_h0 = match cluster {
        Some(c) => c.trace_h0_baseline(cols, &s.mean, &s.cov, means, x),
        None => trace_h0_baseline_complete(cols, &s.mean, &s.cov, means, x),
    };
    if !fixed_x && !x.is_empty() {
        // Random x: the baseline's x block is saturated, contributing its own h1 trace.
        let xcols: Vec<&[f64]> = x.iter().map(|&i| cols[i]).collect();
        let xmean: Vec<f64> = x.iter().map(|&i| s.mean[i]).collect();
        let xcov = s.cov.select(x);
        trace_h0 += match cluster {
            Some(c) => c.trace_h1(&xcols, &xmean, &xcov, means, &[]).0,
            None => trace_h1_complete(&xcols, &xmean, &xcov, means, &[]).0,
        };
    }
    let base = YuanBentler { trace_h0, ..yb };
    scaled_fit(yb.scaled_input(&base, fit, s.n))
}

impl super::SemOptions {
    /// lavaan's defaults for an estimator and missing-data method: MLR and FIML take their
    /// standard errors from the observed information (`lav_options.R`).
    pub fn lavaan(estimator: super::Estimator, missing: super::Missing) -> Self {
        let observed = estimator == super::Estimator::Mlr || missing == super::Missing::Fiml;
        super::SemOptions {
            estimator,
            missing,
            information: if observed {
                super::Information::Observed
            } else {
                super::Information::Expected
            },
            ..super::SemOptions::default()
        }
    }
}
