//! One group of a grouped fit seen as a single-group [`SemFit`], so that what `cipa sem` draws
//! and tabulates for one model (the path diagram, the APA tables, semTools' compRelSEM/AVE)
//! serves every group without a second copy. lavaan does the same per block: `lavInspect(fit,
//! "est")` and semTools' `compRelSEM()` on a multi-group fit return one result per group.

use super::super::linalg::Mat;
use super::super::reliability::LatentReliability;
use super::super::{SemError, SemFit};
use super::GroupedFit;

impl GroupedFit {
    /// Group `g` (0-based) as a fit of its own: its parameter rows (without the `:=` rows,
    /// which may span groups), its R², implied moments, n, table and sample moments, θ_g and
    /// its block of Var(θ̂). The fit measures are the multi-group model's (there are no
    /// per-group ones), and the free indices of the rows stay the stacked model's.
    pub fn group_fit(&self, g: usize) -> Option<SemFit> {
        let res = self.groups.get(g)?;
        let start: usize = self.groups[..g].iter().map(|r| r.theta.len()).sum();
        let idx: Vec<usize> = (start..start + res.theta.len()).collect();
        let vcov = if self.vcov.rows >= start + res.theta.len() {
            self.vcov.select(&idx)
        } else {
            Mat::zeros(0, 0)
        };
        Some(SemFit {
            parameters: self
                .parameters
                .iter()
                .filter(|r| r.group == g + 1)
                .map(|r| r.row.clone())
                .collect(),
            fit: self.fit.clone(),
            r2: res.r2.clone(),
            observed: self.observed.clone(),
            implied_cov: res.implied_cov.clone(),
            implied_mean: res.implied_mean.clone(),
            n: res.n,
            dropped_lines: Vec::new(),
            n_free: res.theta.len(),
            iterations: self.iterations,
            gradient: self.gradient,
            theta: res.theta.clone(),
            options: self.options.clone(),
            vcov,
            warnings: self
                .warnings
                .iter()
                .filter(|w| w.group == res.level)
                .map(|w| w.warning.clone())
                .collect(),
            cluster: None,
            source: res.source.clone(),
            interactions: Vec::new(),
        })
    }

    /// semTools' compRelSEM (omega) and AVE of every latent in every group, in group order
    /// (semTools returns one row per group for a multi-group fit): the single-group formulas
    /// on group g's loadings, latent variances and sample covariance.
    pub fn reliability(&self) -> Result<Vec<Vec<LatentReliability>>, SemError> {
        (0..self.groups.len())
            .map(|g| match self.group_fit(g) {
                Some(f) if f.source.is_some() => f.reliability(),
                _ => Ok(Vec::new()),
            })
            .collect()
    }
}
