//! Confirmatory factor analysis by maximum likelihood, as lavaan 0.6's `cfa()` with its defaults:
//! marker-variable identification (first loading 1), free factor (co)variances and residual
//! variances, the sample covariance with divisor N, expected-information standard errors. The
//! estimation is the SEM engine's (src/sem, through `engine`), so `cipa measure` and
//! `cipa sem` share one ML implementation.

mod engine;
mod fit_measures;
mod model;

use crate::numeric::dist::z_p_two_sided;
use crate::numeric::matrix::spd_inverse;

use super::stats::{covariance, first_dependent, largest_eigen};
use super::MeasureError;
pub use fit_measures::{fit_measures, pchisq_nc, FitMeasures};
pub use model::CfaModel;

/// A loading with its unstandardized estimate, SE, z, p, and standardized (`std.all`) value and
/// its delta-method SE.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Loading {
    pub construct: String,
    pub item: String,
    pub estimate: f64,
    /// `NaN` for a marker (fixed) loading.
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub std: f64,
    pub std_se: f64,
}

/// A factor covariance and correlation; `z` and `p` test the covariance (estimate / SE, two-sided
/// normal p, as lavaan's `parameterEstimates`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FactorCorrelation {
    pub a: String,
    pub b: String,
    pub covariance: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub correlation: f64,
    pub correlation_se: f64,
}

/// A factor variance with its SE, z and p (as lavaan's `parameterEstimates`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FactorVariance {
    pub construct: String,
    pub estimate: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
}

/// A residual variance with its SE, z and p (`std` is `1 − std loading²`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Residual {
    pub item: String,
    pub estimate: f64,
    pub se: f64,
    pub z: f64,
    pub p: f64,
    pub std: f64,
}

/// z = estimate / SE and its two-sided normal p (`NaN` for a fixed parameter).
fn z_test(estimate: f64, se: f64) -> (f64, f64) {
    let z = estimate / se;
    (
        z,
        if z.is_finite() {
            z_p_two_sided(z)
        } else {
            f64::NAN
        },
    )
}

/// A fitted CFA.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CfaFit {
    pub n: usize,
    pub n_params: usize,
    pub fit: FitMeasures,
    pub loadings: Vec<Loading>,
    pub factor_variances: Vec<FactorVariance>,
    pub factor_correlations: Vec<FactorCorrelation>,
    pub residuals: Vec<Residual>,
    pub iterations: u64,
    /// Always true: the engine's fit errors rather than return an unconverged solution (kept
    /// because the JSON schema promises `cfa.converged`).
    pub converged: bool,
    /// Heywood cases and convergence problems.
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub params: Vec<f64>,
    #[serde(skip)]
    pub model: CfaModel,
}

impl CfaFit {
    /// Standardized loadings of factor `k`'s items.
    pub fn std_loadings(&self, k: usize) -> Vec<f64> {
        self.loadings
            .iter()
            .zip(&self.model.factor_of)
            .filter(|(_, &f)| f == k)
            .map(|(l, _)| l.std)
            .collect()
    }
}

/// Fits the CFA of item columns `cols` (named `items`) with item `i` on factor `factor_of[i]`
/// (named `factors`).
pub fn fit_cfa(
    items: &[String],
    factors: &[String],
    factor_of: &[usize],
    cols: &[Vec<f64>],
) -> Result<CfaFit, MeasureError> {
    let p = items.len();
    let m = factors.len();
    let n = cols.first().map_or(0, Vec::len);
    for (k, f) in factors.iter().enumerate() {
        let count = factor_of.iter().filter(|&&g| g == k).count();
        let needed = if m == 1 { 3 } else { 2 };
        if count < needed {
            return Err(MeasureError::TooFewItems {
                construct: f.clone(),
                count,
                needed,
                what: if m == 1 {
                    "a one-factor CFA"
                } else {
                    "a factor of a CFA with correlated factors"
                },
            });
        }
    }
    if n <= p {
        return Err(MeasureError::TooFewRows {
            what: format!("the {p} items of the CFA"),
            n,
            needed: p + 1,
        });
    }
    let model = CfaModel::new(factor_of.to_vec(), m);
    let q = model.n_params();
    let df = (p * (p + 1) / 2) as f64 - q as f64;
    if df < 0.0 {
        return Err(MeasureError::Unidentified {
            reason: format!(
                "{q} free parameters but only {} variances and covariances",
                p * (p + 1) / 2
            ),
        });
    }
    let s = covariance(cols, 0);
    let not_pd = |j: usize| MeasureError::NotPositiveDefinite {
        items: items.to_vec(),
        dependent: items[j.min(p - 1)].clone(),
    };
    if let Some(j) = first_dependent(&s, p) {
        return Err(not_pd(j));
    }
    // A factor with two items among several is identified only through its covariances with
    // the others; when those are near zero the likelihood is flat and the engine does not
    // settle: that is the same empirical under-identification as a singular information.
    let two_item = m > 1 && (0..m).any(|k| factor_of.iter().filter(|&&f| f == k).count() == 2);
    let engine = engine::estimate(items, factors, &model, &s, n).map_err(|e| match e {
        crate::sem::SemError::Unidentified { .. } => {
            unidentified(items, factors, factor_of, &s, 0.0)
        }
        crate::sem::SemError::NotConverged { .. } if two_item => {
            unidentified(items, factors, factor_of, &s, f64::NAN)
        }
        crate::sem::SemError::SampleNotPositiveDefinite { .. } => not_pd(p - 1),
        other => MeasureError::NotConverged {
            reason: other.to_string(),
        },
    })?;
    let (x, hinv, f_min, iterations) = (engine.x, engine.hinv, engine.f_min, engine.iterations);
    let converged = true;
    let mut warnings = Vec::new();
    let h =
        spd_inverse(&hinv, q).ok_or_else(|| unidentified(items, factors, factor_of, &s, 0.0))?;
    // lavaan warns that "the information matrix could not be inverted ... the model may not be
    // identified". An information matrix that inverts only numerically (scaled reciprocal
    // condition below 1e-6; proper solutions of the golden cases are above 0.02, the
    // empirically unidentified ones below 1e-7) gives estimates that are arbitrary along its
    // near-null direction: loadings of 4 and more, a CR above 1. That is an error, not a warning.
    let rcond = scaled_rcond(&h, &hinv, q);
    if rcond.is_nan() || rcond < 1e-6 {
        return Err(unidentified(items, factors, factor_of, &s, rcond));
    }
    // Var(x̂) = (N · ½H)⁻¹ with ½H the per-observation expected information.
    let nf = n as f64;
    let vcov: Vec<f64> = hinv.iter().map(|v| 2.0 * v / nf).collect();
    let se = |a: usize| vcov[a * q + a].sqrt();
    let std = model.standardized(&x);
    let std_vcov = delta_method(&model, &x, &vcov);
    let sigma = model.sigma(&x);
    let fit = fit_measures(f_min, &s, &sigma, p, nf, df, q);
    let (_, phi, theta) = model.unpack(&x);
    let mut loadings = Vec::with_capacity(p);
    for i in 0..p {
        let (est, se_i) = match model.loading_index[i] {
            Some(a) => (x[a], se(a)),
            None => (1.0, f64::NAN),
        };
        let (z, p_value) = z_test(est, se_i);
        loadings.push(Loading {
            construct: factors[factor_of[i]].clone(),
            item: items[i].clone(),
            estimate: est,
            se: se_i,
            z,
            p: p_value,
            std: std[i],
            std_se: std_vcov[i].sqrt(),
        });
        if theta[i] < 0.0 {
            warnings.push(format!(
                "Heywood case: item '{}' has a negative residual variance ({:.4}); its standardized loading exceeds 1. Check the item, or the factor it is assigned to",
                items[i], theta[i]
            ));
        } else if std[i].abs() > 1.0 {
            warnings.push(format!(
                "Heywood case: item '{}' has a standardized loading of {:.4}",
                items[i], std[i]
            ));
        }
    }
    let mut factor_correlations = Vec::new();
    let mut c = p;
    for k in 0..m {
        for l in 0..k {
            let a = model.phi_index(k, l);
            let (z, p_value) = z_test(phi[k * m + l], se(a));
            factor_correlations.push(FactorCorrelation {
                a: factors[l].clone(),
                b: factors[k].clone(),
                covariance: phi[k * m + l],
                se: se(a),
                z,
                p: p_value,
                correlation: std[c],
                correlation_se: std_vcov[c].sqrt(),
            });
            if std[c].abs() >= 1.0 {
                warnings.push(format!(
                    "factors '{}' and '{}' correlate {:.4} (not a proper solution)",
                    factors[l], factors[k], std[c]
                ));
            }
            c += 1;
        }
    }
    for k in 0..m {
        if phi[k * m + k] <= 0.0 {
            warnings.push(format!(
                "factor '{}' has a non-positive variance ({:.4})",
                factors[k],
                phi[k * m + k]
            ));
        }
    }
    let factor_variances = (0..m)
        .map(|k| {
            let (estimate, se) = (phi[k * m + k], se(model.phi_index(k, k)));
            let (z, p) = z_test(estimate, se);
            FactorVariance {
                construct: factors[k].clone(),
                estimate,
                se,
                z,
                p,
            }
        })
        .collect();
    let residuals = (0..p)
        .map(|i| {
            let (estimate, se) = (theta[i], se(model.theta_index(i)));
            let (z, p_value) = z_test(estimate, se);
            Residual {
                item: items[i].clone(),
                estimate,
                se,
                z,
                p: p_value,
                std: theta[i] / sigma[i * p + i],
            }
        })
        .collect();
    Ok(CfaFit {
        n,
        n_params: q,
        fit,
        loadings,
        factor_variances,
        factor_correlations,
        residuals,
        iterations,
        converged,
        warnings,
        params: x,
        model,
    })
}

/// The Unidentified error for an information matrix that is singular or nearly so (`rcond`, 0
/// when it could not be inverted at all). A factor with two items is identified only through its
/// covariances with the other factors (Kenny 1979); when those are near zero in the sample the
/// model is empirically unidentified, the usual cause in survey data, so the message names such
/// factors and how far their items correlate with the rest.
fn unidentified(
    items: &[String],
    factors: &[String],
    factor_of: &[usize],
    s: &[f64],
    rcond: f64,
) -> MeasureError {
    let p = items.len();
    let what = if rcond.is_nan() {
        "the ML estimation does not settle (the likelihood is flat along some direction)"
            .to_string()
    } else if rcond > 0.0 {
        format!("the information matrix at the solution is nearly singular (reciprocal condition number {rcond:.1e}; lavaan would warn that it cannot be inverted)")
    } else {
        "the information matrix at the solution cannot be inverted".to_string()
    };
    let two: Vec<String> = (0..factors.len())
        .filter(|&k| factors.len() > 1 && factor_of.iter().filter(|&&f| f == k).count() == 2)
        .map(|k| {
            let mut r_max: f64 = 0.0;
            for i in (0..p).filter(|&i| factor_of[i] == k) {
                for j in (0..p).filter(|&j| factor_of[j] != k) {
                    let r = s[i * p + j] / (s[i * p + i] * s[j * p + j]).sqrt();
                    r_max = r_max.max(r.abs());
                }
            }
            format!(
                "'{}' (its items correlate at most {r_max:.3} with other factors' items)",
                factors[k]
            )
        })
        .collect();
    let reason = if two.is_empty() {
        format!("{what}: some loading, variance or factor covariance cannot be estimated from these data; check for an item that belongs to no factor or two items that duplicate each other")
    } else {
        format!(
            "{what}. A two-item factor's loadings are identified only through its correlations with the other factors, and two-item factor(s) {} are nearly uncorrelated with the others in these data, so their loadings and the CR and AVE built on them are arbitrary. Add a third item to each two-item construct, or leave it out of this CFA and report its alpha (or the Spearman-Brown coefficient) alone",
            two.join(", ")
        )
    };
    MeasureError::Unidentified { reason }
}

/// Reciprocal condition number (smallest over largest eigenvalue) of the information matrix
/// scaled to unit diagonal, so that parameters on different scales do not count as
/// ill-conditioning; `hinv` is its inverse.
fn scaled_rcond(h: &[f64], hinv: &[f64], q: usize) -> f64 {
    let d: Vec<f64> = (0..q).map(|a| h[a * q + a].sqrt()).collect();
    let hs: Vec<f64> = (0..q * q).map(|i| h[i] / (d[i / q] * d[i % q])).collect();
    let hsi: Vec<f64> = (0..q * q).map(|i| hinv[i] * d[i / q] * d[i % q]).collect();
    let (top, _) = largest_eigen(&hs, q);
    let (top_inv, _) = largest_eigen(&hsi, q);
    1.0 / (top * top_inv)
}

/// Variances of the standardized values (`CfaModel::standardized`) by the delta method with a
/// central-difference Jacobian.
fn delta_method(model: &CfaModel, x: &[f64], vcov: &[f64]) -> Vec<f64> {
    let q = x.len();
    let base = model.standardized(x);
    let r = base.len();
    let mut jac = vec![0.0; r * q];
    for a in 0..q {
        let h = 1e-6 * x[a].abs().max(1.0);
        let mut xp = x.to_vec();
        let mut xm = x.to_vec();
        xp[a] += h;
        xm[a] -= h;
        let (fp, fm) = (model.standardized(&xp), model.standardized(&xm));
        for i in 0..r {
            jac[i * q + a] = (fp[i] - fm[i]) / (2.0 * h);
        }
    }
    (0..r)
        .map(|i| {
            let mut v = 0.0;
            for a in 0..q {
                for b in 0..q {
                    v += jac[i * q + a] * vcov[a * q + b] * jac[i * q + b];
                }
            }
            v
        })
        .collect()
}
