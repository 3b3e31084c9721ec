//! Everything a script needs: `use cipa::prelude::*;`.

pub use crate::data::{
    read_csv_str, read_path, Coding, ColumnKind, Contrast, Dataset, ReadOptions, Transform,
};
pub use crate::estimation::{EquationFit, LogisticOptions, Regression};
pub use crate::inference::CovType;
pub use crate::{Error, Result};
