//! Estimation: design matrices with product terms and categorical coding, OLS and logistic
//! regression, and joint tests of coefficients (R² change, likelihood ratio).

mod design;
mod error;
mod fit;
mod joint;
mod logistic;
mod logistic_weighted;
mod ols;
mod regression;

pub use design::{build_design, column_factors, Design, Term};
pub use error::EstimationError;
pub(crate) use fit::term_base;
pub use fit::{
    CodingInfo, Coefficient, ColumnStats, EquationFit, LogisticSummary, Method, OlsSummary,
    Summary, CONSTANT,
};
pub use joint::{joint_rows_test, joint_test};
pub use logistic::{fit_logistic_design, LogisticOptions};
pub use logistic_weighted::logistic_weighted;
pub use ols::{fit_ols_design, r2_change, r2_change_rows, R2Change};
pub use regression::Regression;
