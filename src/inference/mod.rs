//! Covariance estimators as pure functions of the design, residuals and leverages; Wald tests.

pub mod bootstrap;
mod covariance;
mod wald;

pub use bootstrap::{
    acceleration, bootstrap, bootstrap_progress, bootstrap_with, monte_carlo, summarise,
    summarise_with, BootSummary, CiMethod, Draws, Ledger,
};
pub use covariance::{cluster_cov, hc_cov, ols_cov, CovType};
pub use wald::{wald_f, WaldTest};
