//! Covariance estimators as pure functions of the design, residuals and leverages; Wald tests.

mod covariance;
mod wald;

pub use covariance::{cluster_cov, hc_cov, ols_cov, CovType};
pub use wald::{wald_f, WaldTest};
