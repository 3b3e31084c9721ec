//! Parquet input and `Dataset` <-> `polars::DataFrame` conversion (feature `polars`).

use std::path::Path;

use super::RawTable;
use crate::data::DataError;

pub(super) fn read(path: &Path) -> Result<RawTable, DataError> {
    Err(DataError::UnsupportedFormat {
        path: path.display().to_string(),
        ext: "parquet (not yet)".into(),
    })
}
