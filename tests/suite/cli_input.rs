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

// ------------------------------------------------------------------ options

#[test]
fn conf_as_a_proportion_names_the_percentage() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.refuses(
        &[
            "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--conf", "0.95",
        ],
        &["--conf 0.95", "in percent", "--conf 95"],
    );
    c.refuses(
        &[
            "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "w", "--conf",
            "0.9",
        ],
        &["--conf 0.9", "--conf 90"],
    );
    c.refuses(
        &[
            "measure",
            "--data",
            "d.csv",
            "--construct",
            "c=x,w,m",
            "--conf",
            "0.99",
        ],
        &["--conf 99"],
    );
    c.refuses(&["power", "--conf", "0.95", "--boot", "0"], &["--conf 95"]);
    c.refuses(
        &[
            "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--conf", "100",
        ],
        &["--conf 100", "between 1 and 100"],
    );
}

#[test]
fn probe_values_must_be_finite_and_apply_to_the_model() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let m1 = [
        "fit", "--data", "d.csv", "--model", "1", "--x", "x", "--w", "w", "--y", "m", "--boot", "0",
    ];
    for bad in ["1,NaN", "inf", "2,-inf"] {
        let mut args = m1.to_vec();
        args.extend(["--wvals", bad]);
        c.refuses(&args, &["--wvals", "finite numbers"]);
    }
    c.refuses(
        &[
            "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "w", "--boot",
            "0", "--wvals", "1,2",
        ],
        &[
            "--wvals",
            "PROCESS model 4 has no moderator W",
            "drop --wvals",
        ],
    );
    let mut z = m1.to_vec();
    z.extend(["--zvals", "1"]);
    c.refuses(&z, &["--zvals", "no second moderator Z"]);
    // Outside the observed range (1 to 5): a warning, on stderr and in the report.
    let mut out = m1.to_vec();
    out.extend(["--wvals", "2,40"]);
    let (report, err) = c.succeeds(&out);
    for text in [&report, &err] {
        assert!(
            text.contains("--wvals 40 is outside the observed range of 'w' (1 to 5)"),
            "{text}"
        );
    }
    assert!(!err.contains("--wvals 2 "), "{err}");
}

#[test]
fn monte_carlo_and_bootstrap_counts() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let m4 = [
        "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "w",
    ];
    let with = |extra: &[&'static str]| {
        let mut v = m4.to_vec();
        v.extend_from_slice(extra);
        v
    };
    c.refuses(
        &with(&["--mc", "0"]),
        &["--mc 0", "--mc 10000", "drop --mc"],
    );
    c.refuses(
        &with(&["--mc", "10"]),
        &["--mc 10", "too few draws", "at least 50"],
    );
    c.refuses(
        &with(&["--mc", "1000", "--boot", "1000"]),
        &["--mc", "drop --boot"],
    );
    c.refuses(
        &with(&["--boot", "10"]),
        &["--boot 10", "at least 50", "--boot 0"],
    );
    // power runs fit's bootstrap in every replication, with the same minimum.
    c.refuses(
        &["power", "--n", "50", "--reps", "2", "--boot", "20"],
        &["--boot 20", "at least 50"],
    );
}

#[test]
fn outcome_among_its_own_predictors() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.refuses(
        &["regress", "--data", "d.csv", "--y", "w", "--x", "x,w"],
        &["--y 'w' is also a predictor", "remove it from --x"],
    );
    c.refuses(
        &["regress", "--data", "d.csv", "--y", "w", "--x", "x,x:w"],
        &["'x:w'"],
    );
    c.refuses(
        &[
            "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "m",
        ],
        &["'m' in two roles"],
    );
    c.write("self.cipa", "m ~ x + m\nw ~ m\n");
    c.refuses(
        &[
            "fit",
            "--data",
            "d.csv",
            "--spec",
            "self.cipa",
            "--boot",
            "0",
        ],
        &["self.cipa:1:", "regressed on itself"],
    );
}

#[test]
fn options_that_change_nothing_get_a_note() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let (report, err) = c.succeeds(&[
        "fit",
        "--data",
        "d.csv",
        "--model",
        "1",
        "--x",
        "x",
        "--w",
        "w",
        "--y",
        "m",
        "--boot",
        "0",
        "--contrast",
        "--total",
    ]);
    for text in [&report, &err] {
        assert!(
            text.contains("--contrast changes nothing here: PROCESS model 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "--total: the total effect of X is defined for mediation models without moderation"
            ),
            "{text}"
        );
    }
    let (report, _) = c.succeeds(&[
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
        "0",
        "--jn",
        "--contrast",
    ]);
    assert!(
        report.contains("--jn changes nothing here: PROCESS model 4 has no moderator"),
        "{report}"
    );
    assert!(
        report.contains("--contrast changes nothing here"),
        "{report}"
    );
    // Where the option does something, no note.
    let (report, _) = c.succeeds(&[
        "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "w", "--boot",
        "0", "--total",
    ]);
    assert!(!report.contains("--total:"), "{report}");
}

// ------------------------------------------------------------------ data

#[test]
fn missing_value_codes_far_outside_the_data_suggest_missing() {
    let c = Case::new();
    let sme = sme().to_str().unwrap();
    // datasets/sme_example.csv codes "no answer" on intl_experience as -99 (6 rows).
    let args = [
        "fit",
        "--data",
        sme,
        "--model",
        "1",
        "--x",
        "network_ties",
        "--w",
        "intl_experience",
        "--y",
        "export_intensity",
        "--boot",
        "0",
    ];
    let (report, err) = c.succeeds(&args);
    let needle = "column 'intl_experience' has 6 values of -99 (lines 8, 24, 46, 120, 253, ...), far outside its other values (1 to 32): if -99 marks a missing answer, declare it with --missing -99";
    assert!(err.contains(needle), "{err}");
    assert!(report.contains(needle), "{report}");
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let (doc, _) = c.succeeds(&json);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["input_warnings"][0], needle);
    // Declared missing, the warning goes.
    let mut declared = args.to_vec();
    declared.extend(["--missing", "-99"]);
    let (_, err) = c.succeeds(&declared);
    assert!(!err.contains("-99"), "{err}");
    // regress, describe and measure warn too.
    for cmd in [
        vec![
            "regress",
            "--data",
            sme,
            "--y",
            "export_intensity",
            "--x",
            "intl_experience",
        ],
        vec![
            "describe",
            "--data",
            sme,
            "--vars",
            "intl_experience,collab",
        ],
    ] {
        let (_, err) = c.succeeds(&cmd);
        assert!(err.contains(needle), "{cmd:?}: {err}");
    }
    c.write(
        "items.csv",
        "a,b,c\n1,2,2\n2,2,3\n3,3,3\n4,4,5\n5,4,4\n999,5,5\n2,1,2\n",
    );
    let (_, err) = c.succeeds(&[
        "measure",
        "--data",
        "items.csv",
        "--construct",
        "k=a,b,c",
        "--boot",
        "0",
    ]);
    assert!(
        err.contains("column 'a' has 1 value of 999 (line 7)") && err.contains("--missing 999"),
        "{err}"
    );
}

#[test]
fn an_empty_column_is_named() {
    let c = Case::new();
    c.write("e.csv", "y,x,e\n1,2,\n2,3,\n3,5,NA\n4,4,\n5,7,\n");
    c.refuses(
        &["regress", "--data", "e.csv", "--y", "y", "--x", "x,e"],
        &["'e.csv' column 'e' is empty", "none of its 5 cells"],
    );
    c.refuses(
        &[
            "fit", "--data", "e.csv", "--model", "1", "--x", "x", "--w", "e", "--y", "y",
        ],
        &["column 'e' is empty"],
    );
    let (report, err) = c.succeeds(&["describe", "--data", "e.csv"]);
    for text in [&report, &err] {
        assert!(
            text.contains(
                "column 'e' is empty (none of its 5 cells holds a value), so it is left out"
            ),
            "{text}"
        );
    }
    assert!(report.contains("Listwise deletion: n = 5."), "{report}");
}

#[test]
fn a_negatively_keyed_item_gets_a_reverse_coding_warning() {
    let c = Case::new();
    // a4 runs against a1-a3 (a reverse-keyed item entered without its '-'); each item is the
    // trait plus its own noise from a small linear congruential generator.
    let mut state: u64 = 12345;
    let mut noise = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 3) as i64 - 1
    };
    let mut csv = String::from("a1,a2,a3,a4\n");
    for r in 0..60 {
        let t = 1 + (r % 7) as i64;
        let v = |x: i64| x.clamp(1, 7);
        let (e1, e2, e3, e4) = (noise(), noise(), noise(), noise());
        csv += &format!(
            "{},{},{},{}\n",
            v(t + e1),
            v(t + e2),
            v(t + e3),
            v(8 - t + e4)
        );
    }
    c.write("items.csv", &csv);
    let (report, err) = c.succeeds(&[
        "measure",
        "--data",
        "items.csv",
        "--construct",
        "c=a1,a2,a3,a4",
        "--boot",
        "0",
    ]);
    let needle = "construct 'c': item 'a4' correlates negatively with the rest of its items";
    assert!(
        report.contains(needle) && report.contains("write it as -a4"),
        "{report}"
    );
    assert!(!err.contains("panicked"));
    // Reversed, the warning goes.
    let (report, _) = c.succeeds(&[
        "measure",
        "--data",
        "items.csv",
        "--construct",
        "c=a1,a2,a3,-a4",
        "--scale",
        "1,7",
        "--boot",
        "0",
    ]);
    assert!(!report.contains("correlates negatively"), "{report}");
}

#[test]
fn a_defined_quantity_dividing_by_zero_says_so() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    c.write("zero.cipa", "m ~ a*x\nw ~ b*m + x\nr := a/(2 - 2)\n");
    c.refuses(
        &[
            "fit",
            "--data",
            "d.csv",
            "--spec",
            "zero.cipa",
            "--boot",
            "0",
        ],
        &["zero.cipa:3:8", "division by zero"],
    );
    c.write("same.cipa", "m ~ a*x\nw ~ b*m + x\nr := a/(b - b)\n");
    let (report, err) = c.succeeds(&[
        "fit",
        "--data",
        "d.csv",
        "--spec",
        "same.cipa",
        "--boot",
        "0",
    ]);
    let needle =
        "defined quantity 'r' := a/(b - b) is infinite at the estimates: it divides by zero";
    assert!(err.contains(needle), "{err}");
    assert!(report.contains(needle), "{report}");
}

#[test]
fn a_design_with_min_above_max_says_so() {
    let c = Case::new();
    c.write(
        "bad.toml",
        "name = \"bad\"\n[[variable]]\nname = \"x\"\nmin = 5\nmax = 1\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nterms = { x = 0.5 }\n",
    );
    c.refuses(
        &[
            "simulate", "--design", "bad.toml", "--n", "10", "--seed", "1", "--out", "s.csv",
        ],
        &[
            "bad.toml",
            "variable 'x': min 5 is greater than max 1",
            "swap them",
        ],
    );
    c.write(
        "bad2.toml",
        "name = \"bad\"\n[[variable]]\nname = \"x\"\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nmin = 10\nmax = 0\nterms = { x = 0.5 }\n",
    );
    c.refuses(
        &[
            "power",
            "--design",
            "bad2.toml",
            "--model",
            "4",
            "--x",
            "x",
            "--m",
            "x",
            "--y",
            "y",
            "--boot",
            "0",
        ],
        &["equation of 'y': min 10 is greater than max 0"],
    );
}

// ------------------------------------------------------------------ interrupted writes

#[test]
fn staging_left_by_a_killed_run_is_removed_by_the_next_run() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    // What a run killed while writing leaves: its staging folder, a results folder moved aside,
    // and a staging file of a single report (pid above any Linux pid_max: not running).
    std::fs::create_dir_all(c.path(".res.cipa-tmp-99999999/plots")).unwrap();
    c.write(".res.cipa-tmp-99999999/report.txt", "half");
    std::fs::create_dir_all(c.path(".res.cipa-old-99999998")).unwrap();
    c.write(".r.txt.cipa-tmp-99999999", "half a report");
    c.write(".other.cipa-tmp-99999999", "another target's: left alone");
    c.succeeds(&[
        "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out", "res",
    ]);
    c.succeeds(&[
        "regress", "--data", "d.csv", "--y", "w", "--x", "x", "--out", "r.txt",
    ]);
    assert_eq!(
        c.listing(),
        vec![".other.cipa-tmp-99999999", "d.csv", "r.txt", "res"],
    );
}

#[test]
fn fit_lists_the_dropped_rows_lines() {
    let c = Case::new();
    c.write(
        "d.csv",
        "y,x,m\n1,2,3\n2,,1\n3,3,2\n4,4,\n5,5,4\n6,6,2\n7,2,5\n8,3,2\n9,1,4\n",
    );
    let (report, _) = c.succeeds(&[
        "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--boot", "0",
    ]);
    assert!(
        report.contains("Rows dropped      : 2 (missing values; lines 3, 5)"),
        "{report}"
    );
}

// ------------------------------------------------------------------ spreadsheet exports

#[test]
fn spreadsheet_exports_are_read_with_a_note_or_refused_naming_the_option() {
    let c = Case::new();
    for name in [
        "semicolon_decimal_comma.csv",
        "tab_separated.csv",
        "latin1.csv",
        "thousands_percent.csv",
        "utf16_unicode.txt",
    ] {
        let f = fixture(name);
        let (report, err) = c.succeeds(&[
            "regress",
            "--data",
            f.to_str().unwrap(),
            "--y",
            "score",
            "--x",
            "income,share",
        ]);
        assert!(report.contains("Sample size     : 5"), "{name}: {report}");
        assert!(err.contains("cipa: note:"), "{name}: {err}");
        assert!(report.contains("NOTES"), "{name}: {report}");
        // The same coefficients from every export.
        assert!(
            report.contains("  share      -0.0532   0.0114   -4.6511   0.0432"),
            "{name}: {report}"
        );
    }
    let f = fixture("decimal_comma_in_commas.csv");
    let f = f.to_str().unwrap();
    c.refuses(
        &["regress", "--data", f, "--y", "score", "--x", "id"],
        &["column 'score' line 2", "'3,5'", "--decimal ,"],
    );
    c.succeeds(&[
        "regress",
        "--data",
        f,
        "--y",
        "score",
        "--x",
        "id",
        "--decimal",
        ",",
    ]);
    let f = fixture("ambiguous_tab.tsv");
    c.refuses(
        &["describe", "--data", f.to_str().unwrap()],
        &[
            "ambiguous_tab.tsv' line 2",
            "'1,250'",
            "--decimal , or --decimal .",
        ],
    );
    c.refuses(
        &["describe", "--data", f.to_str().unwrap(), "--decimal", ";"],
        &["--decimal ';' must be '.' or ','"],
    );
}

// ------------------------------------------------------------------ failed bootstrap draws

#[test]
fn a_bootstrap_with_many_failed_draws_reports_no_intervals() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    // Ten cases and a logistic Y: about half the resamples separate the outcome.
    let args = [
        "fit", "--data", "d.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--boot",
        "1000", "--seed", "1", "--format", "json",
    ];
    let (doc, _) = c.succeeds(&args);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let failed = v["bootstrap"]["failed"].as_u64().unwrap();
    assert!(
        failed > 50,
        "the case must fail more than 5% of 1000 draws: {failed}"
    );
    let indirect = &v["effects"]["indirect"][0];
    assert!(
        indirect["ci_lower"].is_null() && indirect["ci_upper"].is_null(),
        "{indirect}"
    );
    assert!(indirect["boot_se"].is_null(), "{indirect}");
    assert!(indirect["effect"].is_number());
    let notes = v["notes"].to_string();
    assert!(
        notes.contains(&format!("No bootstrap intervals are reported: {failed} failed draws were replaced to complete 1000")),
        "{notes}"
    );
    // The text report says so too, with NA in place of the bounds.
    let (report, _) = c.succeeds(&args[..args.len() - 2]);
    assert!(report.contains("more than 5%"), "{report}");
    // With few failures, intervals as before.
    c.write(
        "ok.csv",
        "y,x,m\n1,2,3\n2,2,1\n3,4,2\n4,4,3\n5,6,4\n6,5,2\n7,8,5\n8,7,2\n9,9,4\n10,9,1\n",
    );
    let (doc, _) = c.succeeds(&[
        "fit", "--data", "ok.csv", "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--boot",
        "200", "--seed", "1", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["bootstrap"]["failed"], 0);
    assert!(
        v["effects"]["indirect"][0]["ci_lower"].is_number(),
        "{}",
        v["effects"]
    );
}

#[test]
fn withheld_intervals_do_not_depend_on_the_thread_count() {
    let c = Case::new();
    c.write("d.csv", TEXT_Y);
    let run = |threads: &str| {
        let (doc, _) = c.succeeds(&[
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
            "y",
            "--boot",
            "400",
            "--seed",
            "7",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
        (
            v["bootstrap"].clone(),
            v["effects"].clone(),
            v["notes"].clone(),
        )
    };
    let one = run("1");
    assert!(one.0["failed"].as_u64().unwrap() > 20, "{}", one.0);
    assert!(
        one.2.to_string().contains("No bootstrap intervals"),
        "{}",
        one.2
    );
    for t in ["2", "3"] {
        assert_eq!(run(t), one, "--threads {t}");
    }
}

#[test]
fn an_htmt_bootstrap_with_many_failed_draws_reports_no_intervals() {
    let c = Case::new();
    // b3 is 2 in two rows of fourteen: a resample without either row makes it constant (over a
    // tenth of them), so HTMT cannot be computed in those resamples. The other items are a
    // trait plus noise from a small linear congruential generator.
    let mut state: u64 = 12345;
    let mut noise = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 3) as i64 - 1
    };
    let mut csv = String::from("a1,a2,a3,b1,b2,b3\n");
    for r in 0..14 {
        let (t, u) = (2 + r % 5, 2 + (r * 3) % 5);
        let b3 = if r == 4 || r == 9 { 2 } else { 1 };
        let (e1, e2, e3, e4, e5) = (noise(), noise(), noise(), noise(), noise());
        csv += &format!(
            "{},{},{},{},{},{b3}\n",
            t + e1,
            t + e2,
            t + e3,
            u + e4,
            u + e5
        );
    }
    c.write("items.csv", &csv);
    let args = [
        "measure",
        "--data",
        "items.csv",
        "--construct",
        "A=a1,a2,a3",
        "--construct",
        "B=b1,b2,b3",
        "--boot",
        "500",
        "--seed",
        "3",
        "--format",
        "json",
    ];
    let (doc, _) = c.succeeds(&args);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let text = v.to_string();
    assert!(
        text.contains("no HTMT intervals are reported") && text.contains("more than 5%"),
        "{text}"
    );
    let htmt = &v["htmt"][0];
    assert!(htmt["value"].is_number(), "{htmt}");
    assert!(
        htmt["ci_lower"].is_null() && htmt["ci_upper"].is_null(),
        "{htmt}"
    );
    // The HTMT table's note says why it has no intervals, not that they are percentile
    // bootstrap.
    let mut text_args = args.to_vec();
    text_args.truncate(args.len() - 2);
    let (report, _) = c.succeeds(&text_args);
    assert!(
        report.contains("no intervals: more than 5% of the bootstrap draws failed")
            && !report.contains("intervals are percentile bootstrap"),
        "{report}"
    );
}

#[test]
fn an_interval_excluding_its_estimate_is_flagged() {
    let c = Case::new();
    let sme = sme().to_str().unwrap();
    // b is about 3.9: the ratio's denominator comes near zero in some draws.
    c.write("near.cipa", "collab ~ a*network_ties\nexport_intensity ~ b*collab + cp*network_ties\nr := a/(b - 3.9)\n");
    let (report, _) = c.succeeds(&[
        "fit",
        "--data",
        sme,
        "--spec",
        "near.cipa",
        "--x",
        "network_ties",
        "--boot",
        "1000",
        "--seed",
        "1",
    ]);
    assert!(
        report.contains("The bootstrap interval of defined quantity 'r' (-24.3399 to 18.1867) does not contain its estimate (-46.8584)"),
        "{report}"
    );
}

#[test]
fn a_spreadsheet_with_a_value_in_its_last_cell_is_read() {
    // survey.xlsx with a value typed into XFD1048576 (and its dimension saying so): calamine's
    // dense range of 17 billion cells aborted on allocation; cipa reads the sheet cell by cell.
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus/reader/found-far-cell-v0.xlsx");
    let c = Case::new();
    let (report, _) = c.succeeds(&[
        "describe",
        "--data",
        f.to_str().unwrap(),
        "--vars",
        "id,score,V16384",
    ]);
    assert!(report.contains("V16384"), "{report}");
}

#[test]
fn a_stata_file_with_a_damaged_length_is_refused_at_once() {
    // A 2.6 KB file whose long string claims 1.9 GB: the dta crate allocated and zeroed it all
    // (19 s and 1.9 GB here; an abort with a longer claim). Found by the fuzz campaign.
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus/reader/found-dta-strl-length-v2.dta");
    let c = Case::new();
    let t = std::time::Instant::now();
    c.refuses(
        &["describe", "--data", f.to_str().unwrap()],
        &[
            "not a readable Stata file",
            "long strings section claims 1920925890 bytes",
            "damaged",
        ],
    );
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn a_design_with_a_damaged_count_is_refused_at_once() {
    // Found by the fuzz campaign: a construct of 99,999,999,999 items made the design parser
    // allocate 800 GB and abort; decimals of 4,294,967,295 would make every number a string of
    // gigabytes.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus/design");
    let c = Case::new();
    for (file, needles) in [
        (
            "found-items-count-s1.toml",
            ["99999999999 items", "at most 100"],
        ),
        (
            "found-decimals-s1.toml",
            ["decimals 4294967295", "at most 15"],
        ),
    ] {
        let f = corpus.join(file);
        c.refuses(
            &[
                "simulate",
                "--design",
                f.to_str().unwrap(),
                "--n",
                "10",
                "--seed",
                "1",
            ],
            &needles,
        );
    }
}
