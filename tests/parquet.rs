//! Parquet input and the DataFrame conversion, which need the polars feature: CI runs
//! `cargo test --features polars --test parquet` (a small binary, so the polars build does not
//! compile the whole suite a second time).

// Not every helper is used here.
#[allow(dead_code)]
#[path = "suite/readers_util.rs"]
mod readers_util;

use cipa::data::read::{from_polars, to_polars};
use cipa::data::{Column, DataError, Dataset, Variable};
use readers_util::*;

/// Equal data sets, with NaN (missing) equal to NaN.
fn assert_same(a: &Dataset, b: &Dataset) {
    assert_eq!(a.source, b.source);
    assert_eq!(a.lines(), b.lines());
    assert_eq!(names(a), names(b));
    for (v, w) in a.variables().iter().zip(b.variables()) {
        match (&v.data, &w.data) {
            (Column::Numeric(x), Column::Numeric(y)) => {
                let bits = |x: &[f64]| {
                    x.iter()
                        .map(|x| if x.is_nan() { None } else { Some(x.to_bits()) })
                        .collect::<Vec<_>>()
                };
                assert_eq!(bits(x), bits(y), "{}", v.name);
            }
            (x, y) => assert_eq!(x, y, "{}", v.name),
        }
        assert_eq!(
            (&v.label, &v.value_labels, &v.problem),
            (&w.label, &w.value_labels, &w.problem),
            "{}",
            v.name
        );
    }
}

#[test]
fn parquet_columns_values_and_missing() {
    let d = read("survey.parquet");
    assert_eq!(names(&d), ["x", "n", "flag", "city", "cat", "day"]);
    assert_eq!(d.lines(), &[2, 3, 4, 5, 6]);
    assert_eq!(nums(&d, "x"), [Some(1.5), None, Some(3.), Some(4.5), None]);
    assert_eq!(
        nums(&d, "n"),
        [Some(10.), Some(20.), None, Some(40.), Some(50.)]
    );
    assert_eq!(
        nums(&d, "flag"),
        [Some(1.), Some(0.), Some(1.), None, Some(0.)]
    );
    assert_eq!(
        texts(&d, "city"),
        [s("Oslo"), s("Bergen"), None, s("Oslo"), None]
    );
    assert_eq!(levels(&d, "cat"), ["hi", "lo", "mid"]);
    assert_eq!(
        texts(&d, "cat"),
        [s("lo"), s("hi"), s("lo"), s("mid"), s("hi")]
    );
    // Dates are days since 1970-01-01.
    assert_eq!(
        nums(&d, "day"),
        [Some(18262.), Some(18263.), None, Some(18265.), Some(18266.)]
    );
}

#[test]
fn dataset_to_polars_and_back() {
    let d = Dataset::new(
        "memory",
        vec![
            Variable::numeric("y", vec![1.5, f64::NAN, -2.0, 4.0]),
            Variable::categorical("g", &[Some("b"), None, Some("a"), Some("b")]),
        ],
    )
    .unwrap();
    let df = to_polars(&d).unwrap();
    assert_eq!(df.height(), 4);
    assert_eq!(df.width(), 2);
    let y = df.column("y").unwrap();
    assert_eq!(y.null_count(), 1);
    assert!(df.column("g").unwrap().dtype().is_enum());
    let back = from_polars("memory", &df).unwrap();
    assert_same(&back, &d);
}

#[test]
fn parquet_file_round_trip() {
    let d = read("survey.parquet");
    let df = to_polars(&d).unwrap();
    let back = from_polars(&d.source, &df).unwrap();
    assert_same(&back, &d);
}

#[test]
fn to_polars_reports_a_bad_cell() {
    let d = read("survey.xlsx");
    match to_polars(&d) {
        Err(DataError::NonNumeric { column, line, .. }) => {
            assert_eq!((column.as_str(), line), ("ratio", 5));
        }
        other => panic!("expected NonNumeric, got {other:?}"),
    }
}

#[test]
fn corrupt_parquet_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for (i, len) in [0usize, 8, 4096].into_iter().enumerate() {
        let path = dir.path().join(format!("x{i}.parquet"));
        std::fs::write(&path, junk(len, 3 + i as u64)).unwrap();
        assert_err_mentions_file(&path);
    }
}
