//! Survey measurement: descriptives and correlation tables (the statistics behind
//! `cipa describe`).
//!
//! * [`describe`]: n, missing, mean, SD, min, max, and the bias-corrected skewness G1 and excess
//!   kurtosis G2 with their standard errors, as SPSS `DESCRIPTIVES` (and SAS, Excel,
//!   `psych::describe(type = 2)`) report them. Each variable uses its own non-missing values.
//! * [`correlations`]: Pearson correlation matrix with `n` per pair and two-sided p-values as R
//!   `cor.test` and SPSS `CORRELATIONS`, with listwise (default) or pairwise deletion
//!   ([`MissingPolicy`]).
//!
//! ```
//! use cipa::data::{read_csv_str, ReadOptions};
//! use cipa::measure::{correlations, describe, MissingPolicy};
//!
//! let csv = "x,y\n1,2\n2,1\n3,4\n4,3\n5,6\n";
//! let data = read_csv_str("example", csv, b',', &ReadOptions::default()).unwrap();
//! let d = describe(&data, &["x", "y"]).unwrap();
//! assert_eq!(d[0].mean, 3.0);
//! let m = correlations(&data, &["x", "y"], MissingPolicy::Listwise).unwrap();
//! assert!((m.r(0, 1) - 0.8219949365267864).abs() < 1e-12);
//! ```

mod correlation;
mod descriptives;

pub use correlation::{correlations, CorrelationMatrix, MissingPolicy};
pub use descriptives::{describe, Descriptive};
