//! # cipa: Conditional and Indirect Path Analysis
//!
//! Regression, mediation, moderation and moderated mediation for survey data, agreeing with
//! Hayes' PROCESS and R (lm, sandwich, glm) to the printed digit.
//!
//! ```
//! use cipa::prelude::*;
//!
//! let csv = "y,x,w\n1,1,0\n3,2,1\n2,3,0\n5,4,1\n4,5,0\n7,6,1\n";
//! let data = read_csv_str("example", csv, b',', &ReadOptions::default()).unwrap();
//! let model = Regression::new("y", &["x", "w", "x:w"]);
//! let fit = model.fit_ols(&data, CovType::Hc3).unwrap();
//! assert_eq!(fit.n, 6);
//! assert_eq!(fit.coefficients[0].term, "constant");
//! ```

pub mod analysis;
#[cfg(feature = "cli")]
pub mod cli;
pub mod data;
pub mod domain;
pub mod effects;
pub mod error;
pub mod estimation;
pub mod inference;
pub mod measure;
pub mod numeric;
#[cfg(feature = "plot")]
pub mod plot;
pub mod prelude;
pub mod report;
pub mod sem;
pub mod simulate;
pub mod spec;

pub use error::{Error, Result};

/// The version printed in every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
