//! What the reader tests share (tests/suite/readers.rs, and tests/parquet.rs, which CI builds
//! with the polars feature on its own so the whole suite is not compiled twice).

use std::path::{Path, PathBuf};

use cipa::data::{read_path, Column, Dataset, ReadOptions};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn read(name: &str) -> Dataset {
    read_path(fixture(name), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

pub fn names(d: &Dataset) -> Vec<&str> {
    d.names().collect()
}

/// The values of a numeric column, with `None` for missing.
pub fn nums(d: &Dataset, col: &str) -> Vec<Option<f64>> {
    match &d.var(col).unwrap().data {
        Column::Numeric(v) => v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect(),
        other => panic!("column {col} is not numeric: {other:?}"),
    }
}

/// The values of a categorical column as text, with `None` for missing.
pub fn texts(d: &Dataset, col: &str) -> Vec<Option<String>> {
    let data = &d.var(col).unwrap().data;
    assert!(data.is_categorical(), "column {col} is not categorical");
    (0..data.len())
        .map(|i| Some(data.display(i)).filter(|_| !data.is_missing(i)))
        .collect()
}

pub fn levels(d: &Dataset, col: &str) -> Vec<String> {
    match &d.var(col).unwrap().data {
        Column::Categorical { levels, .. } => levels.clone(),
        other => panic!("column {col} is not categorical: {other:?}"),
    }
}

pub fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

pub fn labels(pairs: &[(f64, &str)]) -> Vec<(f64, String)> {
    pairs.iter().map(|(c, l)| (*c, l.to_string())).collect()
}

/// Random-looking bytes (a fixed linear congruential sequence, so failures reproduce).
pub fn junk(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as u8
        })
        .collect()
}

pub fn assert_err_mentions_file(path: &Path) {
    let result = std::panic::catch_unwind(|| read_path(path, &ReadOptions::default()));
    match result {
        Ok(Err(e)) => {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(e.to_string().contains(name), "{e}");
        }
        Ok(Ok(d)) => panic!("{} read as data: {d:?}", path.display()),
        Err(_) => panic!("{} made the reader panic", path.display()),
    }
}
