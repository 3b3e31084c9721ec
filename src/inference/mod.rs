//! Covariance estimators as pure functions of the design, residuals and leverages; Wald tests;
//! the resampling engine (bootstrap and Monte Carlo draws, their ledger and intervals).

mod covariance;
pub mod resample;
mod wald;

pub use covariance::{cluster_cov, hc_cov, ols_cov, CovType};
/// The resampling engine under its former name.
pub use resample as bootstrap;
pub use resample::{
    acceleration, jackknife, step_fn, summarise, summarise_all, summarise_with, BootSummary,
    BootstrapFailure, CiMethod, Clusters, Draws, Ledger, Resampler, Step,
};
pub use wald::{wald_f, wald_f_rows, WaldTest};
