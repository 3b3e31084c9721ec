//! Data layer: the [`Dataset`] type, readers for CSV/TSV, SPSS, Stata, Excel (and Parquet with the
//! `polars` feature), missing values and listwise deletion, categorical coding and transforms.

mod coding;
mod dataset;
mod error;
mod event;
mod inspect;
mod missing;
pub mod read;
mod transform;

pub use coding::{check_level_count, code_levels, CodedColumn, Coding, Contrast, MAX_LEVELS};
pub use dataset::{
    closest_names, code_text, format_number, CellProblem, Column, Dataset, ProblemKind, Variable,
};
pub use error::DataError;
pub use event::{code_event, EventCoding};
pub use inspect::{looks_like_code, suspect_codes, SuspectCode};
pub use missing::{complete_cases, CompleteCases};
pub use read::{read_csv_str, read_path, ColumnKind, ReadOptions};
pub use transform::{apply_transform, Transform};
