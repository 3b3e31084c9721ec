//! Confirmatory factor analysis by maximum likelihood, as lavaan 0.6's `cfa()` with its defaults:
//! marker-variable identification (first loading 1), free factor (co)variances and residual
//! variances, the sample covariance with divisor N, expected-information standard errors. The
//! whole fit is the SEM engine's (src/sem, through `engine`): one `sem` fit of the CFA's lavaan
//! model, whose estimates, SEs, standardized solution (with its delta-method SEs), fit measures
//! and warnings are mapped into a [`CfaFit`], so `cipa measure` and `cipa sem` share one ML
//! implementation and report the same numbers.

mod engine;
mod fit_measures;
mod model;

use crate::numeric::matrix::spd_inverse;
use crate::sem::{ParameterRow, SemFit, SemWarning};

use super::stats::{covariance, first_dependent, largest_eigen};
use super::MeasureError;
pub use fit_measures::FitMeasures;
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

/// Checks that every factor has enough items and the data enough rows and degrees of freedom
/// for the CFA; returns the model's structure.
fn check_design(
    items: &[String],
    factors: &[String],
    factor_of: &[usize],
    n: usize,
) -> Result<CfaModel, MeasureError> {
    let p = items.len();
    let m = factors.len();
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
    if q > p * (p + 1) / 2 {
        return Err(MeasureError::Unidentified {
            reason: format!(
                "{q} free parameters but only {} variances and covariances",
                p * (p + 1) / 2
            ),
        });
    }
    Ok(model)
}

/// Fits the CFA of item columns `cols` (named `items`) with item `i` on factor `factor_of[i]`
/// (named `factors`): one call of the SEM engine, whose `SemFit` is mapped into a [`CfaFit`].
pub fn fit_cfa(
    items: &[String],
    factors: &[String],
    factor_of: &[usize],
    cols: &[Vec<f64>],
) -> Result<CfaFit, MeasureError> {
    let p = items.len();
    let n = cols.first().map_or(0, Vec::len);
    let model = check_design(items, factors, factor_of, n)?;
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
    let m = factors.len();
    let two_item = m > 1 && (0..m).any(|k| factor_of.iter().filter(|&&f| f == k).count() == 2);
    let fit = engine::fit(items, factors, factor_of, &s, n).map_err(|e| match e {
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
    // lavaan warns that "the information matrix could not be inverted ... the model may not be
    // identified". An information matrix that inverts only numerically (scaled reciprocal
    // condition below 1e-6; proper solutions of the golden cases are above 0.02, the
    // empirically unidentified ones below 1e-7) gives estimates that are arbitrary along its
    // near-null direction: loadings of 4 and more, a CR above 1. That is an error, not a warning.
    let q = fit.vcov.rows;
    let info = spd_inverse(&fit.vcov.data, q)
        .ok_or_else(|| unidentified(items, factors, factor_of, &s, 0.0))?;
    let rcond = scaled_rcond(&info, &fit.vcov.data, q);
    if rcond.is_nan() || rcond < 1e-6 {
        return Err(unidentified(items, factors, factor_of, &s, rcond));
    }
    map_fit(&fit, items, factors, model)
}

/// The row `lhs op rhs` of the engine's parameter table (a covariance in either order).
fn row<'a>(
    rows: &'a [ParameterRow],
    lhs: &str,
    op: &str,
    rhs: &str,
) -> Result<&'a ParameterRow, MeasureError> {
    rows.iter()
        .find(|r| {
            r.op == op
                && ((r.lhs == lhs && r.rhs == rhs) || (op == "~~" && r.lhs == rhs && r.rhs == lhs))
        })
        .ok_or_else(|| MeasureError::NotConverged {
            reason: format!("the SEM engine's solution has no parameter '{lhs} {op} {rhs}'"),
        })
}

/// SE, z and p of a row as the measure reports them: NaN for a fixed (marker) parameter.
fn se_z_p(r: &ParameterRow) -> (f64, f64, f64) {
    if r.free == 0 {
        (f64::NAN, f64::NAN, f64::NAN)
    } else {
        (r.se, r.z, r.p)
    }
}

/// The engine's solution as a [`CfaFit`].
fn map_fit(
    fit: &SemFit,
    items: &[String],
    factors: &[String],
    model: CfaModel,
) -> Result<CfaFit, MeasureError> {
    let (loadings, residuals) = item_rows(&fit.parameters, items, factors, &model)?;
    let (factor_variances, factor_correlations) = factor_rows(&fit.parameters, factors)?;
    let params = model_params(
        &model,
        &loadings,
        &factor_variances,
        &factor_correlations,
        &residuals,
    );
    let warnings = warnings(fit, items, &factor_correlations);
    Ok(CfaFit {
        n: fit.n,
        n_params: model.n_params(),
        fit: fit_measures::from_sem(&fit.fit),
        loadings,
        factor_variances,
        factor_correlations,
        residuals,
        iterations: fit.iterations as u64,
        converged: true,
        warnings,
        params,
        model,
    })
}

/// Each item's loading and residual variance.
fn item_rows(
    rows: &[ParameterRow],
    items: &[String],
    factors: &[String],
    model: &CfaModel,
) -> Result<(Vec<Loading>, Vec<Residual>), MeasureError> {
    let mut loadings = Vec::with_capacity(items.len());
    let mut residuals = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let construct = &factors[model.factor_of[i]];
        let l = row(rows, construct, "=~", item)?;
        let (se, z, p) = se_z_p(l);
        loadings.push(Loading {
            construct: construct.clone(),
            item: item.clone(),
            estimate: l.est,
            se,
            z,
            p,
            std: l.std_all,
            std_se: l.std_all_se,
        });
        let r = row(rows, item, "~~", item)?;
        let (se, z, p) = se_z_p(r);
        residuals.push(Residual {
            item: item.clone(),
            estimate: r.est,
            se,
            z,
            p,
            std: r.std_all,
        });
    }
    Ok((loadings, residuals))
}

/// Each factor's variance and its covariances (and correlations) with the factors before it.
fn factor_rows(
    rows: &[ParameterRow],
    factors: &[String],
) -> Result<(Vec<FactorVariance>, Vec<FactorCorrelation>), MeasureError> {
    let mut factor_variances = Vec::with_capacity(factors.len());
    let mut factor_correlations = Vec::new();
    for (k, f) in factors.iter().enumerate() {
        let v = row(rows, f, "~~", f)?;
        let (se, z, p) = se_z_p(v);
        factor_variances.push(FactorVariance {
            construct: f.clone(),
            estimate: v.est,
            se,
            z,
            p,
        });
        for g in &factors[..k] {
            let c = row(rows, g, "~~", f)?;
            let (se, z, p) = se_z_p(c);
            factor_correlations.push(FactorCorrelation {
                a: g.clone(),
                b: f.clone(),
                covariance: c.est,
                se,
                z,
                p,
                correlation: c.std_all,
                correlation_se: c.std_all_se,
            });
        }
    }
    Ok((factor_variances, factor_correlations))
}

/// The estimates in [`CfaModel`]'s parameter order (for its implied covariance).
fn model_params(
    model: &CfaModel,
    loadings: &[Loading],
    variances: &[FactorVariance],
    correlations: &[FactorCorrelation],
    residuals: &[Residual],
) -> Vec<f64> {
    let mut x = vec![0.0; model.n_params()];
    for (l, ix) in loadings.iter().zip(&model.loading_index) {
        if let Some(a) = ix {
            x[*a] = l.estimate;
        }
    }
    let mut c = correlations.iter();
    for k in 0..model.m {
        for l in 0..k {
            if let Some(fc) = c.next() {
                x[model.phi_index(k, l)] = fc.covariance;
            }
        }
        x[model.phi_index(k, k)] = variances[k].estimate;
    }
    for (i, r) in residuals.iter().enumerate() {
        x[model.theta_index(i)] = r.estimate;
    }
    x
}

/// The engine's warnings (lavaan's: negative variances, standardized loadings above 1, a
/// latent covariance matrix that is not positive definite) in the measure's words, which name
/// the item or factor and say what to check. A factor correlation of ±1 or beyond is named
/// pairwise, as the factors it involves are what the user can act on.
fn warnings(fit: &SemFit, items: &[String], correlations: &[FactorCorrelation]) -> Vec<String> {
    let name = |parameter: &str, last: bool| {
        let mut words = parameter.split(' ');
        let w = if last {
            words.next_back()
        } else {
            words.next()
        };
        w.unwrap_or_default().to_string()
    };
    let negative_residual = |item: &str| {
        fit.warnings.iter().any(|w| {
            matches!(w, SemWarning::NegativeVariance { parameter, .. } if name(parameter, false) == item)
        })
    };
    let mut out = Vec::new();
    for w in &fit.warnings {
        match w {
            SemWarning::NegativeVariance {
                parameter,
                estimate,
            } => {
                let v = name(parameter, false);
                out.push(if items.contains(&v) {
                    format!("Heywood case: item '{v}' has a negative residual variance ({estimate:.4}); its standardized loading exceeds 1. Check the item, or the factor it is assigned to")
                } else {
                    format!("factor '{v}' has a non-positive variance ({estimate:.4})")
                });
            }
            SemWarning::StandardizedLoadingAboveOne { parameter, std_all } => {
                let item = name(parameter, true);
                if !negative_residual(&item) {
                    out.push(format!(
                        "Heywood case: item '{item}' has a standardized loading of {std_all:.4}"
                    ));
                }
            }
            SemWarning::LatentCovNotPositiveDefinite { .. } => {}
            other => out.push(other.to_string()),
        }
    }
    let improper: Vec<String> = correlations
        .iter()
        .filter(|c| c.correlation.abs() >= 1.0)
        .map(|c| {
            format!(
                "factors '{}' and '{}' correlate {:.4} (not a proper solution)",
                c.a, c.b, c.correlation
            )
        })
        .collect();
    let latent_not_pd = fit
        .warnings
        .iter()
        .find(|w| matches!(w, SemWarning::LatentCovNotPositiveDefinite { .. }));
    if let (true, Some(w)) = (improper.is_empty(), latent_not_pd) {
        out.push(w.to_string());
    }
    out.extend(improper);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    // A one-factor CFA of three items is saturated (df = 0): it reproduces S, so the measure
    // reports chi-square 0 and CFI, TLI 1 and RMSEA 0 (lavaan's printout) rather than the
    // engine's rounding residue of N·F.
    #[test]
    fn saturated_cfa_fits_perfectly() {
        let f: Vec<f64> = (0..60).map(|t| (t as f64 * 0.7).sin()).collect();
        let cols: Vec<Vec<f64>> = (1..=3)
            .map(|k| {
                f.iter()
                    .enumerate()
                    .map(|(t, v)| {
                        v * (0.5 + 0.2 * k as f64) + 0.6 * (t as f64 * 1.3 * k as f64).cos()
                    })
                    .collect()
            })
            .collect();
        let items: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let fit = fit_cfa(&items, &["F".to_string()], &[0, 0, 0], &cols).unwrap();
        let m = &fit.fit;
        assert_eq!(m.df, 0.0);
        assert_eq!((m.chisq, m.cfi, m.tli, m.rmsea), (0.0, 1.0, 1.0, 0.0));
        assert!(m.p.is_nan());
        // The marker loading is fixed: no SE, z or p; its standardized value is mapped.
        assert!(fit.loadings[0].se.is_nan() && fit.loadings[0].p.is_nan());
        assert!(fit.loadings[0].std > 0.0 && fit.loadings[1].se > 0.0);
        // The implied covariance of the mapped estimates reproduces S (saturated model).
        let sigma = fit.model.sigma(&fit.params);
        let s = covariance(&cols, 0);
        for (a, b) in sigma.iter().zip(&s) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }
}
