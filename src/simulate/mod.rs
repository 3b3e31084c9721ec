//! Data generators for the collaborative-internationalization framework: a design (TOML) of
//! constructs, Likert items, observed and categorical variables, structural equations with
//! moderation, and missingness -> a data set and the true parameters behind it.
//!
//! ```
//! use cipa::simulate::{generate, truth, Design, Measurement};
//!
//! let design = Design::framework().with_measurement(Measurement::Exact);
//! let data = generate(&design, 50, 7).unwrap();
//! assert_eq!(data.n, 50);
//! let t = truth(&design, 50, 7, 0).unwrap();
//! assert!(t.equations.iter().any(|e| e.outcome == "export_intensity"));
//! ```

mod clusters;
pub mod design;
mod error;
pub mod examples;
pub mod generate;
pub mod power;
pub mod truth;

pub use design::{Design, Measurement, FRAMEWORK_DESIGN};
pub use error::SimulateError;
pub use examples::{example, example_csv, EXAMPLES};
pub use generate::{generate, Simulated};
pub use truth::{truth, Truth};
