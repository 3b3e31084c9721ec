//! Cluster-robust MLR for a single-level model, as lavaan 0.6-14's `cluster =` (lav_options.R,
//! "clustered" block; ../shared/SEM-DESIGN.md §2 rule 23): the point estimates and the standard
//! T are those of ML with the mean structure forced on; only the robust parts change, since cases
//! of one cluster are not independent (Williams 2000, *Biometrics* 56; Muthén & Satorra 1995,
//! *Sociol. Methodology* 25):
//! - the meat: the case scores are summed within each cluster and multiplied by √(C/(C−1)),
//!   then B₀ = Σ_c s_c s_c′ / N with N the number of cases (`lav_mvnorm_information_firstorder`,
//!   lav_mvnorm.R), so Var(θ̂) = E⁻¹B₀E⁻¹/N with E the observed information as before;
//! - Γ of the Yuan-Bentler test: the centred rows zᵢ of (yᵢ, vech(dᵢdᵢ′)) (residualised on the
//!   fixed.x covariates) summed within clusters, Γ = C/(C−1)·Σ_c z_c z_c′/N
//!   (`lav_samplestats_Gamma`, lav_samplestats_gamma.R); the h1 trace tr(A₁ᵤΓ) then reads
//!   C/(C−1)/N · Σ_c [m_c′S⁻¹m_c + ½tr(S⁻¹M_cS⁻¹M_c)] with m_c, M_c the cluster sums of the
//!   mean and covariance parts; the h0 trace tr(B₀E⁻¹) uses the clustered B₀, the baseline's too.
//!
//! Under FIML (`missing = "ml"`, fiml/pipeline.rs) the same factor applies to the casewise
//! scores of the model, of the h1 and of the baseline (`lav_mvnorm_missing_information_firstorder`
//! with `cluster.idx`, lav_mvnorm_missing.R).

use serde::Serialize;

use super::linalg::{spd_inverse_logdet, Mat};
use super::robust::{add_outer_diff, deviation, dot, ols_fitted};
use super::SemError;
use crate::data::Dataset;

/// Below this many clusters the sandwich is known to be too optimistic; the report warns.
pub const FEW_CLUSTERS: usize = 30;

/// Which cluster each row used belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// 0-based cluster of each row, in the order the clusters first appear.
    pub index: Vec<usize>,
    pub count: usize,
}

/// What a clustered fit reports about its clusters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterInfo {
    pub variable: String,
    pub clusters: usize,
    pub smallest: usize,
    pub largest: usize,
}

impl Clusters {
    /// The clusters of data rows `rows` by the values of column `var`: a missing value is an
    /// error naming its file line, and so is a single cluster (no between-cluster variation).
    pub fn from_column(data: &Dataset, var: &str, rows: &[usize]) -> Result<Clusters, SemError> {
        let col = &data.var(var)?.data;
        let mut keys: Vec<String> = Vec::new();
        let mut index = Vec::with_capacity(rows.len());
        for &r in rows {
            if col.is_missing(r) {
                return Err(SemError::Cluster {
                    reason: format!(
                        "the cluster variable '{var}' is missing on line {} of the data; give every row a cluster (or drop the rows)",
                        data.lines().get(r).copied().unwrap_or(r as u64 + 2)
                    ),
                });
            }
            let key = col.display(r);
            let k = match keys.iter().position(|k| *k == key) {
                Some(k) => k,
                None => {
                    keys.push(key);
                    keys.len() - 1
                }
            };
            index.push(k);
        }
        if keys.len() < 2 {
            return Err(SemError::Cluster {
                reason: format!(
                    "the rows used all belong to one cluster of '{var}'; cluster-robust standard errors need two or more clusters (and 30 or more to be trusted)"
                ),
            });
        }
        Ok(Clusters {
            index,
            count: keys.len(),
        })
    }

    pub fn info(&self, variable: &str) -> ClusterInfo {
        let mut sizes = vec![0usize; self.count];
        for &k in &self.index {
            sizes[k] += 1;
        }
        ClusterInfo {
            variable: variable.to_string(),
            clusters: self.count,
            smallest: sizes.iter().copied().min().unwrap_or(0),
            largest: sizes.iter().copied().max().unwrap_or(0),
        }
    }

    /// C/(C−1), lavaan's small-sample factor.
    fn factor(&self) -> f64 {
        let c = self.count as f64;
        c / (c - 1.0)
    }

    /// B₀ from case scores G (n × q): rows summed within clusters, scaled by √(C/(C−1)),
    /// crossproduct divided by the number of cases.
    pub fn first_order(&self, scores: &Mat) -> Mat {
        let (n, q) = (scores.rows, scores.cols);
        let mut sums = Mat::zeros(self.count, q);
        for r in 0..n {
            let c = self.index[r];
            for k in 0..q {
                sums[(c, k)] += scores[(r, k)];
            }
        }
        sums.t().mul(&sums).scale(self.factor() / n as f64)
    }

    /// tr(A₁ᵤΓ) with the clustered Γ (see the module note) and the h1's ndat, for complete
    /// data; `x` the fixed.x covariates (their rows of Γ vanish after residualising).
    pub fn trace_h1(
        &self,
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
        // ŷ: the y columns' OLS fit on the covariates (none: the mean, so h = 0).
        let fitted = if x.is_empty() {
            None
        } else {
            match ols_fitted(cols, mean, cov, x) {
                Some(f) => Some(f),
                None => return (f64::NAN, f64::NAN),
            }
        };
        let fcols: Vec<&[f64]> = fitted.iter().flatten().map(Vec::as_slice).collect();
        let fmean: Vec<f64> = fcols
            .iter()
            .map(|c| c.iter().sum::<f64>() / n as f64)
            .collect();
        let (mut d, mut h) = (vec![0.0; p], vec![0.0; p]);
        let row = |r: usize, d: &mut Vec<f64>, h: &mut Vec<f64>| {
            deviation(d, cols, r, mean);
            if !fcols.is_empty() {
                deviation(h, &fcols, r, &fmean);
            }
        };
        // The column means of the covariance part (S, or S − S_ŷ under fixed.x).
        let mut zbar = Mat::zeros(p, p);
        for r in 0..n {
            row(r, &mut d, &mut h);
            add_outer_diff(&mut zbar, &d, &h, 1.0 / n as f64);
        }
        let mut m_sum = vec![vec![0.0; p]; self.count];
        let mut v_sum: Vec<Mat> = (0..self.count).map(|_| zbar.scale(0.0)).collect();
        for r in 0..n {
            row(r, &mut d, &mut h);
            let c = self.index[r];
            add_outer_diff(&mut v_sum[c], &d, &h, 1.0);
            v_sum[c] = v_sum[c].sub(&zbar);
            for (j, m) in m_sum[c].iter_mut().enumerate() {
                *m += d[j] - h[j];
            }
        }
        let mut total = 0.0;
        for (m, v) in m_sum.iter().zip(&v_sum) {
            let w = inv.mul(v);
            total += 0.5 * w.trace_mul(&w);
            if means {
                total += dot(m, &inv.mul_vec(m));
            }
        }
        let (pf, px) = (p as f64, x.len() as f64);
        let mf = if means { 1.0 } else { 0.0 };
        let ndat = pf * (pf + 1.0) / 2.0 + mf * pf - (px * (px + 1.0) / 2.0 + mf * px);
        (total * self.factor() / n as f64, ndat)
    }

    /// tr(B₀E⁻¹) of the independence model with the clustered B₀: its information is diagonal
    /// at the estimate (2s_jj² per variance, s_jj per mean inverted) and its scores are
    /// ½(d²/s² − 1/s) and d/s, so the trace is C/(C−1)/N · Σ_c Σ_j [2s_jj²(Σᵢ∈c ½(dᵢⱼ²/s_jj² −
    /// 1/s_jj))² + s_jj(Σᵢ∈c dᵢⱼ/s_jj)²] over the non-covariate columns.
    pub fn trace_h0_baseline(
        &self,
        cols: &[&[f64]],
        mean: &[f64],
        cov: &Mat,
        means: bool,
        x: &[usize],
    ) -> f64 {
        let n = cols.first().map_or(0, |c| c.len());
        let mut t = 0.0;
        for (j, col) in cols.iter().enumerate().filter(|(j, _)| !x.contains(j)) {
            let s = cov[(j, j)];
            let (mut var_sum, mut mean_sum) = (vec![0.0; self.count], vec![0.0; self.count]);
            for (r, v) in col.iter().enumerate() {
                let dv = v - mean[j];
                var_sum[self.index[r]] += 0.5 * (dv * dv / (s * s) - 1.0 / s);
                mean_sum[self.index[r]] += dv / s;
            }
            for c in 0..self.count {
                t += 2.0 * s * s * var_sum[c] * var_sum[c];
                if means {
                    t += s * mean_sum[c] * mean_sum[c];
                }
            }
        }
        t * self.factor() / n as f64
    }
}

/// Fits `flat` by ML with cluster-robust (MLR) standard errors and test: lavaan's
/// `sem(..., estimator = "MLR", cluster = var)` for a single-level model. The mean structure
/// is forced on as lavaan does; the listwise complete rows of the model's variables are used,
/// or under FIML every row with one of them observed.
pub fn fit_clustered(
    flat: &crate::spec::flat::FlatModel,
    data: &Dataset,
    opts: &super::SemOptions,
    var: &str,
) -> Result<super::SemFit, SemError> {
    if opts.estimator != super::Estimator::Mlr {
        return Err(SemError::Cluster {
            reason: "cluster-robust standard errors and test come with the MLR estimator (lavaan's cluster = with estimator = \"MLR\"): add --estimator mlr".into(),
        });
    }
    let opts = super::SemOptions {
        meanstructure: true,
        ..opts.clone()
    };
    let data = &*super::products::with_products(flat, data)?;
    // Refused before the fit, so a typo is named as a column rather than after the search.
    data.var(var)?;
    if opts.missing == super::Missing::Fiml {
        return super::fiml::fit_clustered(flat, data, &opts, Some(var));
    }
    let prep = super::prepare(flat, data, &opts)?;
    let vars: Vec<&str> = prep.pt.ov.iter().map(String::as_str).collect();
    if vars.contains(&var) {
        return Err(SemError::Cluster {
            reason: format!(
                "'{var}' is a variable of the model and the cluster variable; a cluster identifier cannot be modelled"
            ),
        });
    }
    let complete = crate::data::complete_cases(data, &vars)?;
    let clusters = Clusters::from_column(data, var, &complete.rows)?;
    let by_column = prep.by_column(opts.estimator);
    let refs: Vec<&[f64]> = by_column.iter().map(Vec::as_slice).collect();
    let mut fit = super::fit_data(&prep.pt, &prep.stats, &opts, Some(&refs), Some(&clusters))?;
    fit.dropped_lines = prep.dropped_lines;
    fit.cluster = Some(clusters.info(var));
    Ok(fit)
}
