//! Bad input that must become a clear error or a visible warning (issue 13): each case runs the
//! `cipa` binary and checks the exit code, that the message names the file, column, line, value
//! or option and says what to do, and that an error leaves no output file behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder with the files a case needs; `cipa` runs inside it.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> &Self {
        std::fs::write(self.path(name), content).expect("temp file is writable");
        self
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cipa"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("the cipa binary runs")
    }

    /// The names in the folder, sorted (hidden staging files included).
    fn listing(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("list temp dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Runs a command that must fail with exit code 2, mention every needle, not panic, and
    /// leave the folder as it was.
    fn refuses(&self, args: &[&str], needles: &[&str]) -> String {
        let before = self.listing();
        let o = self.run(args);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: exit code; stderr: {err}"
        );
        for n in needles {
            assert!(
                err.contains(n),
                "{args:?}: stderr should mention {n:?}: {err}"
            );
        }
        assert!(
            !err.contains("panicked") && !err.contains("internal error"),
            "{err}"
        );
        assert_eq!(
            self.listing(),
            before,
            "{args:?}: files changed by a failed run"
        );
        err
    }

    /// Runs a command that must succeed; returns (stdout, stderr).
    fn succeeds(&self, args: &[&str]) -> (String, String) {
        let o = self.run(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: stderr: {err}");
        (String::from_utf8_lossy(&o.stdout).into_owned(), err)
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Ten rows: a numeric x, w, m and a two-valued text outcome y.
const TEXT_Y: &str = "y,x,w,m\nyes,1,2,3\nno,2,3,1\nyes,3,1,2\nno,4,5,3\nyes,5,2,4\nno,6,3,2\nyes,2,4,5\nyes,3,1,2\nno,1,2,4\nno,5,5,1\n";

fn sme() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/sme_example.csv"
    ))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

// ------------------------------------------------------------------ resource bounds

#[test]
fn resource_flags_have_upper_limits_checked_before_any_work() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let fit = [
        "fit", "--data", "d.csv", "--model", "1", "--x", "x", "--w", "w", "--y", "m",
    ];
    let with = |extra: &[&'static str]| {
        let mut v = fit.to_vec();
        v.extend_from_slice(extra);
        v
    };
    c.refuses(
        &with(&["--boot", "100000000000"]),
        &["--boot 100000000000", "1,000,000"],
    );
    c.refuses(
        &with(&["--mc", "100000000000"]),
        &["--mc 100000000000", "1,000,000"],
    );
    c.refuses(
        &with(&["--boot", "1000", "--threads", "100000"]),
        &["--threads 100000", "1,024"],
    );
    c.refuses(
        &[
            "simulate",
            "--n",
            "10",
            "--population-n",
            "100000000000",
            "--seed",
            "1",
        ],
        &["--population-n 100000000000", "5,000,000"],
    );
    c.refuses(
        &[
            "power",
            "--n",
            "100,100000000000",
            "--reps",
            "2",
            "--boot",
            "0",
        ],
        &["--n 100000000000", "1,000,000"],
    );
    c.refuses(
        &["power", "--reps", "100000000", "--boot", "0"],
        &["--reps", "1,000,000"],
    );
    c.refuses(
        &[
            "measure",
            "--data",
            "d.csv",
            "--construct",
            "c=x,w,m",
            "--boot",
            "5000000",
        ],
        &["--boot 5000000", "1,000,000"],
    );
    c.refuses(
        &["example", "--boot", "5000000", "--out", "ex"],
        &["--boot 5000000", "1,000,000"],
    );
}

// ------------------------------------------------------------------ --out

#[test]
fn out_never_replaces_an_input_file() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.write("m.cipa", "m ~ x\nw ~ m + x\n");
    let err = c.refuses(
        &[
            "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out", "d.csv",
        ],
        &["--out 'd.csv'", "input file", "another file name"],
    );
    assert!(err.contains("d.csv"));
    c.refuses(
        &[
            "fit", "--data", "d.csv", "--spec", "m.cipa", "--boot", "0", "--out", "d.csv",
        ],
        &["--out 'd.csv'"],
    );
    c.refuses(
        &[
            "fit",
            "--data",
            "d.csv",
            "--spec",
            "m.cipa",
            "--boot",
            "100",
            "--seed",
            "1",
            "--save-boot",
            "d.csv",
        ],
        &["'d.csv'", "input file"],
    );
    c.refuses(
        &[
            "fit",
            "--data",
            "d.csv",
            "--spec",
            "m.cipa",
            "--boot",
            "100",
            "--seed",
            "1",
            "--save-boot",
            "draws.txt",
        ],
        &["--save-boot 'draws.txt'", ".csv"],
    );
    assert_eq!(std::fs::read_to_string(c.path("d.csv")).unwrap(), TEXT_Y);
}

#[test]
fn out_never_replaces_a_file_cipa_did_not_write() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.write("notes.md", "# My manuscript notes\n");
    c.write("other.csv", "a,b\n1,2\n");
    c.write("fig.png", b"\x89PNG\r\n\x1a\nnot cipa's");
    let regress = [
        "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out",
    ];
    for target in ["notes.md", "other.csv"] {
        let mut args = regress.to_vec();
        args.push(target);
        c.refuses(&args, &[target, "not written by cipa", "new file name"]);
    }
    c.refuses(
        &[
            "diagram", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--out", "fig.png",
        ],
        &["fig.png", "not written by cipa"],
    );
    c.refuses(
        &["simulate", "--n", "20", "--seed", "1", "--out", "other.csv"],
        &["other.csv", "not written by cipa"],
    );
    assert_eq!(
        std::fs::read_to_string(c.path("notes.md")).unwrap(),
        "# My manuscript notes\n"
    );
}

#[test]
fn out_replaces_what_cipa_wrote_in_every_format() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    for ext in ["txt", "md", "csv", "json", "tex", "html"] {
        let out = format!("r.{ext}");
        for apa in [false, true] {
            if apa && ext == "json" {
                continue;
            }
            let mut args = vec![
                "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out", &out,
            ];
            if apa {
                args.push("--apa");
            }
            // Written, then replaced by the same command.
            c.succeeds(&args);
            c.succeeds(&args);
        }
    }
    for ext in ["svg", "png", "pdf", "dot", "tex"] {
        let out = format!("diagram.{ext}");
        let args = [
            "diagram", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--out", &out,
        ];
        c.succeeds(&args);
        c.succeeds(&args);
    }
    let sim = [
        "simulate",
        "--n",
        "20",
        "--seed",
        "1",
        "--population-n",
        "1000",
        "--out",
        "sim.csv",
    ];
    c.succeeds(&sim);
    c.succeeds(&sim);
    let boot = [
        "fit",
        "--data",
        "d.csv",
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "w",
        "--boot",
        "50",
        "--seed",
        "1",
        "--save-boot",
        "draws.csv",
    ];
    c.succeeds(&boot);
    c.succeeds(&boot);
}

#[test]
fn out_with_an_unknown_extension_is_an_error_not_a_folder() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    for target in ["results.xlsx", "results.docx", "results.v2"] {
        c.refuses(
            &[
                "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out", target,
            ],
            &[
                target,
                "does not write",
                ".txt, .md, .csv, .json, .tex or .html",
                "end it with /",
            ],
        );
    }
    c.refuses(
        &["simulate", "--n", "20", "--seed", "1", "--out", "sim.xlsx"],
        &["--out 'sim.xlsx'", ".csv"],
    );
    // A trailing separator makes a dotted name a results folder.
    c.succeeds(&[
        "regress",
        "--data",
        "d.csv",
        "--y",
        "w",
        "--x",
        "x",
        "--out",
        "results.v2/",
    ]);
    assert!(c.path("results.v2/manifest.json").is_file());
}

#[test]
fn sme_fixture_is_present() {
    assert!(sme().is_file());
    assert!(fixture("survey.sav").is_file());
}

// ------------------------------------------------------------------ two-valued outcomes

#[test]
fn a_text_outcome_states_its_event_and_event_flips_it() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let base = [
        "regress",
        "--data",
        "d.csv",
        "--y",
        "y",
        "--x",
        "x,w",
        "--logistic",
    ];
    let (out, _) = c.succeeds(&base);
    assert!(
        out.contains("Event           : 1 = 'yes', 0 = 'no'"),
        "{out}"
    );
    assert!(out.contains("--event 'no' codes the other one 1"), "{out}");
    let coef = |text: &str, name: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no row {name}: {text}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let mut flipped = base.to_vec();
    flipped.extend(["--event", "no"]);
    let (out2, _) = c.succeeds(&flipped);
    assert!(out2.contains("1 = 'no', 0 = 'yes'") && out2.contains("as chosen with --event"));
    assert!((coef(&out, "w") + coef(&out2, "w")).abs() < 1e-12);
    // JSON records the coding.
    let mut json = base.to_vec();
    json.extend(["--format", "json"]);
    let (doc, _) = c.succeeds(&json);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["options"]["event"]["event"], "yes");
    assert_eq!(v["options"]["event"]["chosen"], false);
    // fit: the same statement, in the header and the notes.
    let fit = [
        "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--boot",
        "0", "--seed", "1",
    ];
    let (out, _) = c.succeeds(&fit);
    assert!(out.contains("y (1 = 'yes', 0 = 'no')"), "{out}");
    assert!(out.contains("coefficients are log-odds of 'yes'"), "{out}");
}

#[test]
fn event_errors_name_the_values_and_the_flag() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.write(
        "three.csv",
        "y,x,m\na,1,2\nb,2,1\nc,3,3\na,4,5\nb,5,4\nc,6,7\na,2,2\nb,7,5\n",
    );
    c.refuses(
        &["regress", "--data", "d.csv", "--y", "y", "--x", "x"],
        &[
            "'y' has two text values ('no' and 'yes')",
            "--logistic",
            "--event LEVEL",
        ],
    );
    c.refuses(
        &[
            "regress",
            "--data",
            "d.csv",
            "--y",
            "y",
            "--x",
            "x",
            "--logistic",
            "--event",
            "Yes",
        ],
        &["--event 'Yes' is not a value of 'y'", "'no', 'yes'"],
    );
    c.refuses(
        &[
            "fit",
            "--data",
            "three.csv",
            "--model",
            "4",
            "--x",
            "x",
            "--m",
            "m",
            "--y",
            "y",
            "--event",
            "a",
        ],
        &[
            "column 'y'",
            "--event 'a'",
            "exactly two values",
            "'a', 'b', 'c'",
        ],
    );
    c.refuses(
        &[
            "regress",
            "--data",
            "three.csv",
            "--y",
            "y",
            "--x",
            "x",
            "--logistic",
            "--event",
            "a",
        ],
        &["column 'y'", "exactly two values", "'c'"],
    );
}

#[test]
fn event_by_value_label_of_an_spss_variable() {
    let c = Case::new();
    let sav = fixture("survey.sav");
    let (out, _) = c.succeeds(&[
        "regress",
        "--data",
        sav.to_str().unwrap(),
        "--y",
        "group",
        "--x",
        "id",
        "--logistic",
        "--event",
        "treatment",
    ]);
    assert!(out.contains("1 = '2', 0 = '1'"), "{out}");
}
