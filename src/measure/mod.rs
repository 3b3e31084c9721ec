//! Survey measurement: descriptives and correlation tables (the statistics behind
//! `cipa describe`) and the measurement table of a survey paper (`cipa measure`).
//!
//! * [`describe`]: n, missing, mean, SD, min, max, and the bias-corrected skewness G1 and excess
//!   kurtosis G2 with their standard errors, as SPSS `DESCRIPTIVES` (and SAS, Excel,
//!   `psych::describe(type = 2)`) report them. Each variable uses its own non-missing values.
//! * [`correlations`]: Pearson correlation matrix with `n` per pair and two-sided p-values as R
//!   `cor.test` and SPSS `CORRELATIONS`, with listwise (default) or pairwise deletion
//!   ([`MissingPolicy`]).
//! * [`Construct`]s from items (`collab=c1,c2,-c3`, a `-` reverse-codes on a scale range) and
//!   [`score_constructs`] (mean or sum into new columns).
//! * [`measure`]: item statistics; Cronbach's alpha with Feldt's and Duhachek's intervals (as
//!   psych::alpha); omega total from a one-factor ML CFA; the CFA of all constructs by ML
//!   ([`fit_cfa`] by the SEM engine, src/sem; lavaan's defaults, SEs and fit measures);
//!   CR and AVE from standardized loadings (or semTools::compRelSEM's version); Fornell-Larcker;
//!   HTMT and HTMT2 with seeded bootstrap intervals; construct-score descriptives and correlations;
//!   VIFs; Harman's single-factor test and the Lindell-Whitney marker correction. Bad input gives
//!   a [`MeasureError`] naming the construct or item.
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
//!
//! The measurement table of the simulated survey shipped with the tests:
//!
//! ```
//! use cipa::data::{read_path, ReadOptions};
//! use cipa::measure::{measure, parse_constructs, MeasureOptions};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/measure_sim/data.csv");
//! let data = read_path(path, &ReadOptions::default()).unwrap();
//! let constructs = parse_constructs(&["network=n1,n2,n3,n4", "collab=c1,c2,-c3,c4"]).unwrap();
//! let opts = MeasureOptions { scale: Some((1.0, 7.0)), boot: 200, seed: 1, ..Default::default() };
//! let m = measure(&data, &constructs, &opts).unwrap();
//! assert!(m.cfa.converged);
//! for r in &m.reliability {
//!     println!("{}: alpha {:.3}, CR {:.3}, AVE {:.3}", r.construct, r.alpha, r.cr, r.ave);
//! }
//! println!("CFI {:.3}, RMSEA {:.3}, HTMT {:.3}", m.cfa.fit.cfi, m.cfa.fit.rmsea, m.htmt[0].value);
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
