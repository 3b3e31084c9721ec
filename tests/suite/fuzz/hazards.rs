//! Inputs that could end the process instead of giving a typed error (the hunt for campaign 1's
//! abort, docs/fuzzing.md): memory sized by the input, recursion on nested input. Each test is
//! the case that showed the hazard, run the way a user would meet it.

use std::process::Command;
use std::time::{Duration, Instant};

/// `rows` rows of `id,x,y` where `id` is different in every row (an identifier).
fn identifier_csv(rows: usize) -> String {
    let mut s = String::from("id,x,y\n");
    for i in 0..rows {
        let x = (i as f64 * 0.37).sin();
        s += &format!("firm{i},{x:.4},{:.4}\n", x + (i as f64 * 1.3).cos());
    }
    s
}

/// An identifier named as a predictor became one dummy column per row: 20,000 rows took 9.4 GB
/// and 29 s before "more parameters than rows" (release build), and 40,000 rows would need four
/// times that, beyond the machine's memory (an abort on the failed allocation or the OOM killer).
/// Now the level count is checked before any column is coded.
#[test]
fn an_identifier_as_a_categorical_predictor_is_refused_before_coding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("firms.csv");
    std::fs::write(&data, identifier_csv(1500)).expect("temp file");
    let start = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(["regress", "--data"])
        .arg(&data)
        .args(["--y", "y", "--x", "x,id"])
        .output()
        .expect("the cipa binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for needle in ["'id'", "1500 levels", "1,000", "identifier"] {
        assert!(err.contains(needle), "missing {needle:?} in: {err}");
    }
    assert!(!err.contains("  "), "a run of spaces in: {err}");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "refused only after {:?}",
        start.elapsed()
    );
}

#[test]
fn code_levels_refuses_more_levels_than_its_limit() {
    use cipa::data::{code_levels, Coding, MAX_LEVELS};
    let levels: Vec<String> = (0..=MAX_LEVELS).map(|i| format!("l{i:05}")).collect();
    let e = code_levels("country", &levels, &Coding::default())
        .expect_err("one level over the limit")
        .to_string();
    assert!(
        e.contains("'country'") && e.contains(&format!("{} levels", MAX_LEVELS + 1)),
        "{e}"
    );
    let cols = code_levels("country", &levels[..MAX_LEVELS], &Coding::default())
        .expect("the limit itself is allowed");
    assert_eq!(cols.len(), MAX_LEVELS - 1);
}

/// survey.xlsx (whose strings are inline) with a shared-strings part declaring `count` strings
/// and holding one.
fn workbook_declaring_shared_strings(count: u64) -> Vec<u8> {
    use std::io::{Read, Write};
    let seed = std::fs::read(super::root().join("tests/fixtures/survey.xlsx")).expect("fixture");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(seed)).expect("a zip archive");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("member");
        let name = f.name().expect("member name").to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).expect("member is readable");
        out.start_file(name, opts).expect("zip entry");
        out.write_all(&content).expect("zip write");
    }
    out.start_file("xl/sharedStrings.xml", opts)
        .expect("zip entry");
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"{count}\"><si><t>a</t></si></sst>"
    )
    .expect("zip write");
    out.finish().expect("zip archive").into_inner()
}

/// calamine reserves room for the declared number of shared strings when it opens a workbook:
/// two billion strings declared in a 4 KB file asked for 48 GB and the process aborted
/// ("memory allocation of 48000000000 bytes failed", SIGABRT; no panic guard catches that).
/// Run through the binary so that a regression fails this test instead of ending the suite.
#[test]
fn a_workbook_declaring_billions_of_shared_strings_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book.xlsx");
    std::fs::write(&book, workbook_declaring_shared_strings(2_000_000_000)).expect("temp file");
    let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(["describe", "--data"])
        .arg(&book)
        .output()
        .expect("the cipa binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{:?}: {err}", o.status);
    for needle in ["book.xlsx", "2000000000 strings", "damaged"] {
        assert!(err.contains(needle), "missing {needle:?} in: {err}");
    }
    // The same workbook declaring its one string honestly is read.
    std::fs::write(&book, workbook_declaring_shared_strings(1)).expect("temp file");
    let data = cipa::data::read_path(&book, &Default::default()).expect("readable");
    assert!(data.n_rows() > 0);
}

/// calamine reserves room for every cell a legacy workbook's DIMENSIONS record declares: a
/// damaged record (rows to 2^20, columns to 2^14) asked for 687 GB and the process aborted.
/// The fixtures keep the workbook stream in regular sectors and in the mini stream.
#[test]
fn a_legacy_workbook_with_damaged_dimensions_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in ["small.xls", "mini_stream.xls"] {
        let good = std::fs::read(super::root().join("tests/fixtures").join(f)).expect("fixture");
        let book = dir.path().join(f);
        std::fs::write(&book, &good).expect("temp file");
        let data = cipa::data::read_path(&book, &Default::default()).expect("readable");
        assert_eq!(data.n_rows(), 5, "{f}");
        let mut bad = good;
        let at = bad
            .windows(4)
            .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
            .expect("a DIMENSIONS record")
            + 8;
        bad[at..at + 4].copy_from_slice(&(1u32 << 20).to_le_bytes());
        bad[at + 6..at + 8].copy_from_slice(&(1u16 << 14).to_le_bytes());
        std::fs::write(&book, &bad).expect("temp file");
        let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
            .args(["describe", "--data"])
            .arg(&book)
            .output()
            .expect("the cipa binary runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{f}: {:?}: {err}", o.status);
        for needle in [f, "DIMENSIONS", "1048576", "damaged"] {
            assert!(err.contains(needle), "{f}: missing {needle:?} in: {err}");
        }
    }
}

/// `simulate --n` allowed 50 million rows, but the framework design's 75 columns took 1.57 GB at
/// a million rows (release build): 50 million would need about 80 GB. Rows times columns are
/// bounded now, before anything is drawn.
#[test]
fn a_simulation_beyond_memory_is_refused_before_drawing() {
    let d = cipa::simulate::Design::framework();
    let columns = cipa::simulate::generate::column_names(&d).len();
    let n = cipa::simulate::generate::MAX_VALUES / columns + 1;
    let start = Instant::now();
    let e = cipa::simulate::generate(&d, n, 1)
        .expect_err("too many values")
        .to_string();
    assert!(
        e.contains(&format!("{n} rows of the design's {columns} columns")) && e.contains("4 GB"),
        "{e}"
    );
    assert!(start.elapsed() < Duration::from_secs(10), "{e}");
}

/// `describe` of a wide file: every numeric column went into the correlation table, whose report
/// grows with the square of the columns (5,000 columns of a 149 KB file: 3.8 GB and 475 MB of
/// text in a release build; 20,000 would need about 60 GB). More than 1,000 are refused.
#[test]
fn describing_thousands_of_columns_at_once_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("wide.csv");
    let k = 1001;
    let header: Vec<String> = (0..k).map(|j| format!("v{j}")).collect();
    let mut text = header.join(",") + "\n";
    for i in 0..3 {
        let row: Vec<String> = (0..k).map(|j| ((i * 7 + j) % 11).to_string()).collect();
        text += &(row.join(",") + "\n");
    }
    std::fs::write(&data, text).expect("temp file");
    let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(["describe", "--data"])
        .arg(&data)
        .output()
        .expect("the cipa binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for needle in ["wide.csv", "1001 variables", "1,000", "--vars"] {
        assert!(err.contains(needle), "missing {needle:?} in: {err}");
    }
}

/// A 5.7 KB `.xls` (found by the reader target with the new `.xls` seeds) whose FAT makes the
/// directory's sector chain loop: calamine followed it without a bound until a 32 GB allocation
/// aborted the process. It is refused before calamine opens it.
#[test]
fn an_xls_whose_directory_chain_loops_is_refused() {
    let f = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz/corpus/reader/found-xls-directory-loop-v2.xls"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(["describe", "--data", f])
        .output()
        .expect("the cipa binary runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{:?}: {err}", o.status);
    for needle in ["found-xls-directory-loop-v2.xls", "loops", "damaged"] {
        assert!(err.contains(needle), "missing {needle:?} in: {err}");
    }
}
