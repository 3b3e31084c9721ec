use serde::Serialize;

use crate::error::Result;
use crate::inference::{cluster_cov, hc_cov, ols_cov, wald_f, wald_f_rows, CovType};
use crate::numeric::dist::{f_p_upper, t_p_two_sided, t_quantile};
use crate::numeric::qr_least_squares;

use super::design::Design;
use super::fit::{Coefficient, ColumnStats, EquationFit, Method, OlsSummary, Summary};
use super::EstimationError;

/// A condition-number bound above which estimates are reported but flagged.
const ILL_CONDITIONED: f64 = 1e10;

/// Fits OLS on a prepared design and computes the requested covariance, tests and intervals.
pub fn fit_ols_design(
    d: &Design,
    cov_type: CovType,
    conf: f64,
    cluster: Option<&str>,
) -> Result<EquationFit> {
    let n = d.n();
    let k = d.k();
    let ls = qr_least_squares(&d.columns, &d.y).map_err(|def| EstimationError::Collinear {
        dependent: d.names[def.dependent].clone(),
        involved: def.involved.iter().map(|&i| d.names[i].clone()).collect(),
    })?;
    let (nf, kf) = (n as f64, k as f64);
    let df2 = nf - kf;
    let sse: f64 = ls.residuals.iter().map(|e| e * e).sum();
    let ybar = d.y.iter().sum::<f64>() / nf;
    let sst: f64 = d.y.iter().map(|y| (y - ybar).powi(2)).sum();
    let r2 = 1.0 - sse / sst;
    let adj_r2 = 1.0 - (1.0 - r2) * (nf - 1.0) / df2;
    let mse = sse / df2;
    let (cov, cluster_info) = coefficient_cov(d, &ls, cov_type, mse, cluster)?;
    let coefficients = coefficient_rows(&d.names, &ls.coef, &cov, conf, df2);
    let (f, df1, p) = overall_test(&ls.coef, &cov, cov_type, r2, df2);
    let warnings = fit_warnings(ls.r_diag_ratio, cluster_info.as_ref());
    Ok(EquationFit {
        outcome: d.outcome.clone(),
        method: Method::Ols,
        n,
        n_dropped: d.cases.n_dropped(),
        dropped_rows: d.cases.dropped_lines.clone(),
        cov_type,
        cluster: cluster_info,
        conf,
        coefficients,
        summary: Summary::Ols(OlsSummary {
            r2,
            adj_r2,
            mse,
            f,
            df1,
            df2,
            p,
        }),
        coding: d.coding.clone(),
        cov,
        xtx_inv: ls.xtx_inv,
        residuals: ls.residuals,
        fitted: ls.fitted,
        warnings,
        column_stats: d.columns.iter().map(|c| ColumnStats::of(c)).collect(),
    })
}

/// A CR1 fit's cluster variable and its number of clusters.
type Clustering = (String, usize);

/// The coefficients' covariance of the requested type, and for CR1 the cluster variable and
/// its number of clusters (at least two).
fn coefficient_cov(
    d: &Design,
    ls: &crate::numeric::LeastSquares,
    cov_type: CovType,
    mse: f64,
    cluster: Option<&str>,
) -> Result<(Vec<f64>, Option<Clustering>)> {
    match cov_type {
        CovType::Ols => Ok((ols_cov(&ls.xtx_inv, mse), None)),
        CovType::Cr1 => {
            let (name, ids) = match (cluster, &d.clusters) {
                (Some(name), Some(ids)) => (name, ids),
                _ => {
                    return Err(crate::Error::Usage(
                        "cluster-robust standard errors need a cluster variable (--cluster)".into(),
                    ))
                }
            };
            let g = ids.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
            if g < 2 {
                return Err(EstimationError::TooFewClusters {
                    column: name.to_string(),
                    clusters: g,
                }
                .into());
            }
            let cov = cluster_cov(&d.columns, &ls.xtx_inv, &ls.residuals, ids, g);
            Ok((cov, Some((name.to_string(), g))))
        }
        hc => Ok((
            hc_cov(&d.columns, &ls.xtx_inv, &ls.residuals, &ls.hat, hc),
            None,
        )),
    }
}

/// Each coefficient with its SE, t test and `conf`% interval on `df2` degrees of freedom.
fn coefficient_rows(
    names: &[String],
    coef: &[f64],
    cov: &[f64],
    conf: f64,
    df2: f64,
) -> Vec<Coefficient> {
    let k = names.len();
    let tcrit = t_quantile(0.5 + conf / 200.0, df2);
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let b = coef[j];
            let se = cov[j * k + j].sqrt();
            let t = b / se;
            Coefficient {
                term: name.clone(),
                estimate: b,
                se,
                stat: t,
                p: t_p_two_sided(t, df2),
                ci_lower: b - tcrit * se,
                ci_upper: b + tcrit * se,
            }
        })
        .collect()
}

/// The test that every slope is zero `(F, df1, p)`: the classical F from R² with OLS standard
/// errors, else the Wald F with the fit's own covariance; NaN for an intercept-only model.
fn overall_test(
    coef: &[f64],
    cov: &[f64],
    cov_type: CovType,
    r2: f64,
    df2: f64,
) -> (f64, f64, f64) {
    let k = coef.len();
    let kf = k as f64;
    let slopes: Vec<usize> = (1..k).collect();
    if k == 1 {
        (f64::NAN, 0.0, f64::NAN)
    } else if cov_type == CovType::Ols {
        let df1 = kf - 1.0;
        let f = (r2 / df1) / ((1.0 - r2) / df2);
        (f, df1, f_p_upper(f, df1, df2))
    } else {
        match wald_f(coef, cov, &slopes, df2) {
            Some(w) => (w.f, w.df1, w.p),
            None => (f64::NAN, kf - 1.0, f64::NAN),
        }
    }
}

/// Warnings about the fit: nearly collinear predictors, and few clusters for CR1.
fn fit_warnings(r_diag_ratio: f64, cluster: Option<&Clustering>) -> Vec<String> {
    let mut warnings = Vec::new();
    if r_diag_ratio > ILL_CONDITIONED {
        warnings.push(format!(
            "the predictors are nearly collinear (QR diagonal ratio {:.1e}); estimates may be unstable: consider centring product terms' components or dropping redundant predictors",
            r_diag_ratio
        ));
    }
    if let Some((name, g)) = cluster {
        if *g < 30 {
            warnings.push(format!(
                "only {g} clusters in '{name}'; cluster-robust standard errors can be too small with fewer than about 30-50 clusters"
            ));
        }
    }
    warnings
}

/// The test of R² change for a set of terms: ΔR² from the classical F, and the F test itself
/// with the fit's own covariance (a Wald F with a robust covariance, as PROCESS does).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct R2Change {
    /// How reports name the test: the terms joined by ", " as `r2_change` makes it; `fit` sets
    /// PROCESS's labels (`X*W`, `BOTH(X)`, `M1*W*Z`).
    pub label: String,
    pub terms: Vec<String>,
    pub r2_change: f64,
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub p: f64,
    /// A logistic equation's likelihood-ratio (or Wald) chi-square, with `df1` its df and `p` its
    /// p; `r2_change`, `f` and `df2` are then NaN (PROCESS's "Likelihood ratio test").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chisq: Option<f64>,
}

/// The coefficients whose names are in `terms` (a categorical term names all its columns by the
/// variable), sorted; an error names the terms the equation lacks.
pub(crate) fn term_columns(fit: &EquationFit, terms: &[String]) -> Result<Vec<usize>> {
    let mut idx = Vec::new();
    let mut missing = Vec::new();
    for t in terms {
        let hits: Vec<usize> = (0..fit.k())
            .filter(|&j| {
                let name = &fit.coefficients[j].term;
                name == t || crate::estimation::fit::term_base(name) == *t
            })
            .collect();
        if hits.is_empty() {
            missing.push(t.clone());
        }
        idx.extend(hits);
    }
    if !missing.is_empty() {
        return Err(EstimationError::UnknownTerms {
            outcome: fit.outcome.clone(),
            terms: missing,
        }
        .into());
    }
    idx.sort_unstable();
    idx.dedup();
    Ok(idx)
}

/// Tests the columns whose names are in `terms` (a categorical term names all its columns by the
/// variable: `group` selects `group[2]`, `group[3]`).
pub fn r2_change(fit: &EquationFit, terms: &[String]) -> Result<R2Change> {
    let Summary::Ols(s) = &fit.summary else {
        return Err(crate::Error::Usage(
            "the R² change test applies to OLS equations only".into(),
        ));
    };
    let idx = term_columns(fit, terms)?;
    let coef = fit.estimates();
    let q = idx.len() as f64;
    let test = wald_f(&coef, &fit.cov, &idx, s.df2).ok_or_else(|| {
        crate::Error::Usage("the tested coefficients' covariance is singular".into())
    })?;
    // ΔR² from the classical F: F = (ΔR²/q) / ((1 - R²)/df2).
    let f_classical = if fit.cov_type == crate::inference::CovType::Ols {
        test.f
    } else {
        let ols = ols_cov_from_fit(fit, s.mse);
        wald_f(&coef, &ols, &idx, s.df2).map_or(f64::NAN, |w| w.f)
    };
    let r2_change = f_classical * q * (1.0 - s.r2) / s.df2;
    Ok(R2Change {
        label: terms.join(", "),
        terms: terms.to_vec(),
        r2_change,
        f: test.f,
        df1: test.df1,
        df2: test.df2,
        p: test.p,
        chisq: None,
    })
}

/// The joint test that the linear combinations in the rows of `l` are all zero, reported as
/// [`r2_change`] reports a set of terms (the Wald F with the fit's covariance; ΔR² from the
/// classical F, which is the R² lost by constraining them to zero). `terms` names what is tested.
pub fn r2_change_rows(fit: &EquationFit, l: &[Vec<f64>], terms: &[String]) -> Result<R2Change> {
    let Summary::Ols(s) = &fit.summary else {
        return Err(crate::Error::Usage(
            "the R² change test applies to OLS equations only".into(),
        ));
    };
    let coef = fit.estimates();
    let singular = || crate::Error::Usage("the tested combinations' covariance is singular".into());
    let test = wald_f_rows(&coef, &fit.cov, l, s.df2).ok_or_else(singular)?;
    let f_classical = if fit.cov_type == crate::inference::CovType::Ols {
        test.f
    } else {
        let ols = ols_cov_from_fit(fit, s.mse);
        wald_f_rows(&coef, &ols, l, s.df2).map_or(f64::NAN, |w| w.f)
    };
    Ok(R2Change {
        label: terms.join(", "),
        terms: terms.to_vec(),
        r2_change: f_classical * l.len() as f64 * (1.0 - s.r2) / s.df2,
        f: test.f,
        df1: test.df1,
        df2: test.df2,
        p: test.p,
        chisq: None,
    })
}

fn ols_cov_from_fit(fit: &EquationFit, mse: f64) -> Vec<f64> {
    fit.xtx_inv.iter().map(|v| v * mse).collect()
}
