use std::path::Path;

use super::RawTable;
use crate::data::DataError;

pub(super) fn read(path: &Path, _sheet: Option<&str>) -> Result<RawTable, DataError> {
    Err(DataError::UnsupportedFormat {
        path: path.display().to_string(),
        ext: "excel (not yet)".into(),
    })
}
