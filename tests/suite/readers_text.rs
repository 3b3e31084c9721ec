//! Text files as spreadsheets export them (tests/fixtures/make_text_fixtures.py lists every value):
//! a `;`-separated file with decimal commas, a tab-separated `.csv`, Windows-1252 and UTF-16
//! text, thousands separators and percentages are read to the same numbers, each with a note
//! saying how; what cannot be told apart is an error naming the option that settles it.

use std::path::{Path, PathBuf};

use cipa::data::read::Decimal;
use cipa::data::{read_path, Column, Dataset, ReadOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Dataset {
    read_path(fixture(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn nums(d: &Dataset, col: &str) -> Vec<Option<f64>> {
    match &d.var(col).unwrap().data {
        Column::Numeric(v) => v.iter().map(|x| (!x.is_nan()).then_some(*x)).collect(),
        other => panic!("{col} is not numeric: {other:?}"),
    }
}

fn cities(d: &Dataset) -> Vec<String> {
    let c = &d.var("city").unwrap().data;
    (0..c.len()).map(|i| c.display(i)).collect()
}

/// The six rows every fixture holds.
fn check_values(name: &str) -> Dataset {
    let d = read(name);
    assert_eq!(
        d.names().collect::<Vec<_>>(),
        ["id", "score", "income", "share", "city"],
        "{name}"
    );
    assert_eq!(
        nums(&d, "score"),
        [
            Some(3.5),
            Some(4.0),
            Some(2.25),
            None,
            Some(5.0),
            Some(1.75)
        ],
        "{name}"
    );
    assert_eq!(
        nums(&d, "income"),
        [
            Some(1234.5),
            Some(980.0),
            Some(15000.0),
            Some(1_000_000.25),
            Some(0.5),
            Some(2500.0)
        ],
        "{name}"
    );
    assert_eq!(
        nums(&d, "share"),
        [
            Some(12.5),
            Some(7.0),
            Some(0.0),
            Some(100.0),
            Some(3.75),
            Some(50.0)
        ],
        "{name}"
    );
    assert_eq!(
        cities(&d),
        [
            "München",
            "Zürich",
            "Besançon",
            "São Paulo",
            "Tromsø",
            "Köln"
        ],
        "{name}"
    );
    assert_eq!(d.lines(), [2, 3, 4, 5, 6, 7], "{name}");
    d
}

fn notes(d: &Dataset) -> String {
    d.read_notes().join("\n")
}

#[test]
fn semicolons_with_decimal_commas_are_detected() {
    let d = check_values("semicolon_decimal_comma.csv");
    let n = notes(&d);
    assert!(
        n.contains("separated by semicolons rather than commas"),
        "{n}"
    );
    assert!(n.contains("--delimiter ';'"), "{n}");
    assert!(
        n.contains("decimal commas") && n.contains("'score' (such as '3,5' on line 2)"),
        "{n}"
    );
    assert!(n.contains("--decimal ,"), "{n}");
    assert!(
        n.contains("thousands separators") && n.contains("'1.234,5'"),
        "{n}"
    );
    assert!(n.contains("percentages") && n.contains("12% as 12"), "{n}");
}

#[test]
fn a_tab_separated_csv_is_detected() {
    let d = check_values("tab_separated.csv");
    assert!(notes(&d).contains("separated by tabs rather than commas"));
    assert!(notes(&d).contains("--delimiter tab"));
}

#[test]
fn windows_1252_and_utf16_text_are_decoded() {
    let d = check_values("latin1.csv");
    assert!(notes(&d).contains("not UTF-8 text, so it was read as Windows-1252 (Latin-1)"));
    let d = check_values("utf16_unicode.txt");
    assert!(notes(&d).contains("UTF-16LE"), "{}", notes(&d));
}

#[test]
fn thousands_separators_and_percentages() {
    let d = check_values("thousands_percent.csv");
    let n = notes(&d);
    assert!(n.contains("'income' (such as '1,234.5' on line 2)"), "{n}");
    assert!(n.contains("'share' (such as '12.5%' on line 2)"), "{n}");
}

#[test]
fn plain_files_read_without_notes() {
    let d =
        cipa::data::read_csv_str("t", "a,b\n1.5,2\n3,4\n", b',', &ReadOptions::default()).unwrap();
    assert!(d.read_notes().is_empty());
}

#[test]
fn an_ambiguous_decimal_mark_names_both_options() {
    let e = read_path(fixture("ambiguous_tab.tsv"), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("'") && e.contains("ambiguous_tab.tsv' line 2"),
        "{e}"
    );
    assert!(
        e.contains("column 'income': '1,250' is 1.25 with a decimal comma and 1250"),
        "{e}"
    );
    assert!(e.contains("--decimal , or --decimal ."), "{e}");
    for (mark, first) in [(Decimal::Comma, 1.25), (Decimal::Point, 1250.0)] {
        let opts = ReadOptions {
            decimal: Some(mark),
            ..Default::default()
        };
        let d = read_path(fixture("ambiguous_tab.tsv"), &opts).unwrap();
        assert_eq!(nums(&d, "income")[0], Some(first));
    }
}

#[test]
fn a_decimal_comma_in_a_comma_file_names_the_option() {
    let d = read("decimal_comma_in_commas.csv");
    let e = d.numeric("score").unwrap_err().to_string();
    assert!(
        e.contains("column 'score' line 2: value '3,5' is not a number"),
        "{e}"
    );
    assert!(e.contains("--decimal , reads those"), "{e}");
    let opts = ReadOptions {
        decimal: Some(Decimal::Comma),
        ..Default::default()
    };
    let d = read_path(fixture("decimal_comma_in_commas.csv"), &opts).unwrap();
    assert_eq!(nums(&d, "score")[0], Some(3.5));
}

/// A file written to a temporary folder (the reader's file path, with its size check).
fn temp_file(name: &str, text: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

#[test]
fn a_file_of_thousands_of_rows_is_read_cell_for_cell() {
    // Past the rows after which the columns reserve room for the rest (1,024): CRLF line ends,
    // a quoted line break, blank lines, a text column of few levels, a stray text cell and
    // an infinite number in numeric columns, a missing token and a missing code.
    let mut text = String::from("id;score;group;note\r\n");
    let mut expected_lines = Vec::new();
    let mut line = 2;
    for i in 0..3000u64 {
        if i == 1500 {
            text.push_str("\r\n");
            line += 1;
        }
        let score = match i {
            2000 => "n/a".to_string(),
            2500 => "inf".to_string(),
            7 => "-99".to_string(),
            _ => format!("{},5", i % 7),
        };
        let group = ["north", "south", "east"][(i % 3) as usize];
        let note = if i == 10 { "\"two\r\nlines\"" } else { "NA" };
        text.push_str(&format!("{i};{score};{group};{note}\r\n"));
        expected_lines.push(line);
        line += if i == 10 { 2 } else { 1 };
    }
    let (_dir, p) = temp_file("many.csv", text.as_bytes());
    let opts = ReadOptions {
        missing_codes: vec![-99.0],
        ..ReadOptions::default()
    };
    let d = read_path(&p, &opts).unwrap();
    assert_eq!(d.lines(), expected_lines.as_slice());
    let score = nums(&d, "score");
    assert_eq!(score[0], Some(0.5));
    assert_eq!(score[6], Some(6.5));
    assert_eq!(score[7], None, "the missing code");
    assert_eq!(score[2999], Some(3.5));
    assert_eq!(score[2000], None);
    let v = d.var("score").unwrap();
    let problem = v.problem.as_ref().expect("the first bad cell");
    assert_eq!(problem.line, expected_lines[2000]);
    assert_eq!((problem.line, problem.value.as_str()), (2004, "n/a"));
    match &d.var("group").unwrap().data {
        Column::Categorical { codes, levels } => {
            assert_eq!(levels, &["east", "north", "south"]);
            assert_eq!(codes[..4], [Some(1), Some(2), Some(0), Some(1)]);
        }
        other => panic!("group is not categorical: {other:?}"),
    }
    let note = &d.var("note").unwrap().data;
    assert_eq!(note.display(10), "two\r\nlines");
    assert!(notes(&d).contains("decimal commas"), "{}", notes(&d));
}

#[test]
fn errors_after_thousands_of_rows_name_their_line() {
    // A tab-separated file whose first cells settle a decimal point, then a ragged row: the
    // detection pass stops early, the reading pass finds the row.
    let mut text = String::from("a\tb\n1.5\t2\n");
    for i in 0..2000 {
        text.push_str(&format!("{i}\t{i}\n"));
    }
    text.push_str("1\t2\t3\n");
    let (_dir, p) = temp_file("ragged.tsv", text.as_bytes());
    let e = read_path(&p, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2003") && e.contains("found 3"), "{e}");
    // Only cells both marks read, the first far down: the error names where it is.
    let mut text = String::from("a\tb\n");
    for i in 0..2000 {
        text.push_str(&format!("{i}\t{i}\n"));
    }
    text.push_str("7\t1,250\n");
    let (_dir, p) = temp_file("late.tsv", text.as_bytes());
    let e = read_path(&p, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2002") && e.contains("column 'b'") && e.contains("'1,250'"),
        "{e}"
    );
}
