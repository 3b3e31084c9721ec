//! Covariance-based structural equation models (issue 11; the plan is docs/sem/PLAN.md).

pub mod h1;
pub mod missing;
pub mod moments;
