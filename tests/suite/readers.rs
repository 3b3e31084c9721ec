//! Readers for SPSS, Stata, Excel and Parquet, on the small fixtures made by
//! tests/fixtures/make_fixtures.py (whose header lists every value checked here).

use std::path::{Path, PathBuf};

use cipa::data::{read_path, Column, DataError, Dataset, ProblemKind, ReadOptions};

use crate::readers_util::*;

// ---------------------------------------------------------------- SPSS

#[test]
fn spss_columns_types_and_lines() {
    let d = read("survey.sav");
    assert_eq!(
        names(&d),
        ["id", "group", "score", "agree", "city", "visit"]
    );
    assert_eq!(d.n_rows(), 8);
    assert_eq!(d.lines(), &[2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(
        nums(&d, "id"),
        (1..=8).map(|i| Some(i as f64)).collect::<Vec<_>>()
    );
    assert_eq!(
        nums(&d, "group"),
        [1., 2., 1., 2., 1., 2., 1., 2.].map(Some).to_vec()
    );
    for v in d.variables() {
        assert!(v.problem.is_none(), "{}: {:?}", v.name, v.problem);
    }
}

#[test]
fn spss_user_missing_values_and_ranges_are_missing() {
    let d = read("survey.sav");
    // 99 is a discrete user-missing value, -5 falls in the range -9..-1, case 5 is system-missing.
    assert_eq!(
        nums(&d, "score"),
        [
            Some(3.5),
            Some(4.0),
            None,
            Some(2.5),
            None,
            None,
            Some(5.0),
            Some(1.25)
        ]
    );
    // 98 and 99 are discrete user-missing values.
    assert_eq!(
        nums(&d, "agree"),
        [
            Some(1.),
            Some(5.),
            None,
            Some(3.),
            Some(4.),
            None,
            Some(2.),
            Some(5.)
        ]
    );
}

#[test]
fn spss_strings_are_trimmed_categorical_with_string_user_missing() {
    let d = read("survey.sav");
    assert_eq!(
        texts(&d, "city"),
        [
            s("Oslo"),
            s("Bergen"),
            None,
            s("Oslo"),
            None,
            s("Tromsø"),
            s("Bergen"),
            s("Oslo")
        ]
    );
    assert_eq!(levels(&d, "city"), ["Bergen", "Oslo", "Tromsø"]);
}

#[test]
fn spss_labels() {
    let d = read("survey.sav");
    assert_eq!(d.var("id").unwrap().label.as_deref(), Some("Respondent id"));
    assert_eq!(
        d.var("group").unwrap().label.as_deref(),
        Some("Experimental group")
    );
    assert_eq!(d.var("agree").unwrap().label, None);
    assert_eq!(
        d.var("group").unwrap().value_labels,
        labels(&[(1., "control"), (2., "treatment")])
    );
    let agree = &d.var("agree").unwrap().value_labels;
    assert_eq!(agree.len(), 7);
    assert!(agree.contains(&(98., "don't know".to_string())));
    assert!(agree.contains(&(5., "strongly agree".to_string())));
    assert!(d.var("score").unwrap().value_labels.is_empty());
}

#[test]
fn spss_dates_are_seconds_since_1582() {
    let d = read("survey.sav");
    let day = 86_400.0;
    // 2020-01-01 is 141428 + 18262 days after 1582-10-14.
    let jan1 = (141_428.0 + 18_262.0) * day;
    let visit = nums(&d, "visit");
    assert_eq!(visit[0], Some(jan1));
    assert_eq!(visit[1], Some(jan1 + day));
    assert_eq!(visit[2], None);
}

// ---------------------------------------------------------------- Stata

#[test]
fn stata_columns_values_and_missing() {
    let d = read("survey.dta");
    assert_eq!(names(&d), ["id", "treat", "income", "rating", "name"]);
    assert_eq!(d.lines(), &[2, 3, 4, 5, 6, 7]);
    assert_eq!(nums(&d, "id"), [1., 2., 3., 4., 5., 6.].map(Some).to_vec());
    // "." in obs 2, ".a" in obs 3 and ".b" in obs 5.
    assert_eq!(
        nums(&d, "income"),
        [Some(1200.5), None, None, Some(3400.25), None, Some(2100.0)]
    );
    assert_eq!(
        nums(&d, "rating"),
        [Some(1.1), Some(2.5), Some(3.3), None, Some(4.75), Some(5.0)]
    );
    assert_eq!(
        texts(&d, "name"),
        [s("Ann"), s("Bob"), None, s("Dee"), s("Eve"), s("Fay")]
    );
}

#[test]
fn stata_labels() {
    let d = read("survey.dta");
    let treat = d.var("treat").unwrap();
    assert_eq!(treat.label.as_deref(), Some("Treatment arm"));
    assert_eq!(
        treat.value_labels,
        labels(&[(0., "control"), (1., "treatment")])
    );
    assert_eq!(
        nums(&d, "treat"),
        [0., 1., 0., 1., 0., 1.].map(Some).to_vec()
    );
    assert_eq!(
        d.var("income").unwrap().label.as_deref(),
        Some("Monthly income")
    );
    assert_eq!(d.var("id").unwrap().label, None);
    assert!(d.var("id").unwrap().value_labels.is_empty());
}

#[test]
fn stata_float_storage_and_strl() {
    let d = read("types.dta");
    assert_eq!(names(&d), ["f", "b", "note"]);
    // Stata floats are read as the decimal Stata shows, not the widened binary value.
    assert_eq!(nums(&d, "f"), [Some(1.1), Some(2.2), None]);
    assert_eq!(nums(&d, "b"), [Some(1.), Some(2.), Some(-3.)]);
    assert_eq!(texts(&d, "note"), [s("a long note"), None, s("c")]);
}

// ---------------------------------------------------------------- Excel

#[test]
fn excel_first_sheet_by_default() {
    let d = read("survey.xlsx");
    assert_eq!(names(&d), ["id", "score", "group", "flag", "ratio", "note"]);
    // Worksheet rows: the header is on row 2, row 6 is empty.
    assert_eq!(d.lines(), &[3, 4, 5, 7, 8, 9]);
    assert_eq!(nums(&d, "id"), [1., 2., 3., 4., 5., 6.].map(Some).to_vec());
    // An empty cell is missing; text " 5.5 " is read as in a CSV file.
    assert_eq!(
        nums(&d, "score"),
        [Some(2.5), None, Some(3.), Some(4.25), Some(5.5), Some(6.)]
    );
    assert_eq!(
        texts(&d, "group"),
        [s("a"), s("b"), s("a"), s("b"), s("a"), None]
    );
    // Booleans are 0/1.
    assert_eq!(
        nums(&d, "flag"),
        [1., 0., 1., 0., 1., 0.].map(Some).to_vec()
    );
    // " 7 " is the number 7, NA is missing, the short last row is padded with a missing cell.
    assert_eq!(
        texts(&d, "note"),
        [s("7"), s("x"), None, None, s("y"), None]
    );
}

#[test]
fn excel_error_cell_is_reported_with_its_row() {
    let d = read("survey.xlsx");
    let ratio = d.var("ratio").unwrap();
    assert!(matches!(ratio.data, Column::Numeric(_)));
    let p = ratio
        .problem
        .as_ref()
        .expect("the #DIV/0! cell is a problem");
    assert_eq!(p.kind, ProblemKind::NonNumeric);
    assert_eq!(p.line, 5);
    assert_eq!(p.value, "#DIV/0!");
    match d.numeric("ratio") {
        Err(DataError::NonNumeric {
            column,
            line,
            value,
            path,
        }) => {
            assert_eq!(
                (column.as_str(), line, value.as_str()),
                ("ratio", 5, "#DIV/0!")
            );
            assert!(path.ends_with("survey.xlsx"));
        }
        other => panic!("expected a NonNumeric error, got {other:?}"),
    }
}

#[test]
fn excel_sheet_option() {
    let opts = ReadOptions {
        sheet: Some("other".into()),
        ..Default::default()
    };
    let d = read_path(fixture("survey.xlsx"), &opts).unwrap();
    assert_eq!(names(&d), ["x", "y"]);
    assert_eq!(d.lines(), &[2, 3, 4]);
    assert_eq!(nums(&d, "x"), [Some(1.), Some(2.), Some(3.)]);
    assert_eq!(texts(&d, "y"), [s("u"), s("v"), s("w")]);
}

#[test]
fn excel_unknown_sheet_lists_the_sheets() {
    let opts = ReadOptions {
        sheet: Some("nope".into()),
        ..Default::default()
    };
    match read_path(fixture("survey.xlsx"), &opts) {
        Err(DataError::Invalid(msg)) => {
            assert!(msg.contains("survey.xlsx"), "{msg}");
            assert!(msg.contains("'nope'"), "{msg}");
            assert!(msg.contains("'data'") && msg.contains("'other'"), "{msg}");
        }
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- corrupt files

#[test]
fn corrupt_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["sav", "zsav", "dta", "xlsx", "xls", "ods"] {
        for (i, len) in [0usize, 3, 64, 4096].into_iter().enumerate() {
            let path = dir.path().join(format!("x{i}.{ext}"));
            std::fs::write(&path, junk(len, 7 + i as u64)).unwrap();
            assert_err_mentions_file(&path);
        }
    }
}

#[test]
fn truncated_and_damaged_fixtures_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["survey.sav", "survey.dta", "types.dta", "survey.xlsx"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let ext = name.rsplit('.').next().unwrap();
        // Cut the file at several points, and overwrite a stretch in its middle with junk.
        for cut in [4, 16, 100, bytes.len() / 3, bytes.len() / 2] {
            let path = dir.path().join(format!("cut{cut}.{ext}"));
            std::fs::write(&path, &bytes[..cut.min(bytes.len())]).unwrap();
            let r = std::panic::catch_unwind(|| read_path(&path, &ReadOptions::default()));
            assert!(r.is_ok(), "{name} cut at {cut} made the reader panic");
        }
        for (k, at) in [8usize, 40, 200, bytes.len() / 2].into_iter().enumerate() {
            let mut damaged = bytes.clone();
            let end = (at + 32).min(damaged.len());
            damaged[at.min(end)..end].copy_from_slice(&junk(end - at.min(end), 99 + k as u64));
            let path = dir.path().join(format!("damaged{k}.{ext}"));
            std::fs::write(&path, &damaged).unwrap();
            let r = std::panic::catch_unwind(|| read_path(&path, &ReadOptions::default()));
            assert!(r.is_ok(), "{name} damaged at {at} made the reader panic");
        }
    }
}

// ---------------------------------------------------------------- Hayes (2018) SPSS files

fn hayes_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/hayes2018");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: {} is absent; the .sav vs .csv comparison did not run",
            dir.display()
        );
        None
    }
}

/// Rows of the numeric columns, in file order.
fn rows(d: &Dataset) -> Vec<Vec<f64>> {
    let cols: Vec<&[f64]> = d.names().map(|n| d.numeric(n).unwrap()).collect();
    (0..d.n_rows())
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

fn close(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(r, q)| {
            r.len() == q.len() && r.iter().zip(q).all(|(x, y)| (x - y).abs() <= 1e-12)
        })
}

#[test]
fn hayes_sav_files_match_their_csv_twins() {
    let Some(dir) = hayes_dir() else { return };
    let opts = ReadOptions::default();
    for name in [
        "caskets", "disaster", "estress", "glbwarm", "pmi", "protest", "teams",
    ] {
        let sav = read_path(dir.join(format!("{name}.sav")), &opts).unwrap();
        let csv = read_path(dir.join(format!("{name}.csv")), &opts).unwrap();
        assert_eq!(names(&sav), names(&csv), "{name}");
        assert_eq!(sav.n_rows(), csv.n_rows(), "{name}");
        // Case i is line i + 1. (The CSV twins have CRLF line ends, for which the CSV reader's
        // line numbers are not compared here.)
        let expected: Vec<u64> = (2..sav.n_rows() as u64 + 2).collect();
        assert_eq!(sav.lines(), expected.as_slice(), "{name}");
        let (mut a, mut b) = (rows(&sav), rows(&csv));
        if !close(&a, &b) {
            // glbwarm.sav holds the same cases as glbwarm.csv in another order.
            let order = |r: &mut Vec<Vec<f64>>| {
                r.sort_by(|p, q| {
                    p.iter()
                        .zip(q)
                        .map(|(x, y)| x.total_cmp(y))
                        .find(|o| o.is_ne())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            };
            order(&mut a);
            order(&mut b);
            assert!(close(&a, &b), "{name}: the .sav and .csv values differ");
            assert_eq!(name, "glbwarm", "{name}: rows in a different order");
        }
    }
}

#[test]
fn hayes_pmi_sav_first_row() {
    let Some(dir) = hayes_dir() else { return };
    let d = read_path(dir.join("pmi.sav"), &ReadOptions::default()).unwrap();
    assert_eq!(
        names(&d),
        ["cond", "pmi", "import", "reaction", "gender", "age"]
    );
    let first: Vec<f64> = d.names().map(|n| d.numeric(n).unwrap()[0]).collect();
    assert_eq!(first, [1., 7., 6., 5.25, 1., 51.]);
}
