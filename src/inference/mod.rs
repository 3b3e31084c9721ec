//! Covariance estimators as pure functions of the design, residuals and leverages; Wald tests.

pub mod bootstrap;
mod covariance;
mod wald;

pub use bootstrap::{
    bootstrap, bootstrap_progress, bootstrap_with, summarise, BootSummary, CiMethod, Draws, Ledger,
};
pub use covariance::{cluster_cov, hc_cov, ols_cov, CovType};
pub use wald::{wald_f, WaldTest};
