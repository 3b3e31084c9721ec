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

pub mod cfa;
mod collinearity;
mod constructs;
mod correlation;
mod descriptives;
mod error;
mod method_bias;
mod reliability;
mod stats;
mod survey;
mod validity;

pub use cfa::{fit_cfa, CfaFit, FitMeasures};
pub use collinearity::{vif, Vif};
pub use constructs::{
    check_constructs, parse_constructs, parse_constructs_file, score_constructs, Construct, Item,
    ItemMatrix, ScoreMethod,
};
pub use correlation::{correlations, CorrelationMatrix, MissingPolicy};
pub use descriptives::{describe, Descriptive};
pub use error::MeasureError;
pub use method_bias::{harman, lindell_whitney, Harman, MarkerCorrection, MarkerPair};
pub use reliability::{alpha_from_cov, cronbach_alpha, item_stats, Alpha, ItemStat};
pub use survey::{measure, CrMethod, MeasureOptions, Measurement, Reliability, ScoreTable};
pub use validity::{
    ave, comp_rel_sem, composite_reliability, htmt, htmt_values, FornellLarcker, Htmt,
};
