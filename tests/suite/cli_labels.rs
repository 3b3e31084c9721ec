//! Variable labels end to end: an SPSS or Stata file's variable labels name the variables in the
//! figures and APA tables; `--labels` may relabel just some of them; long labels wrap in boxes;
//! a label with characters the bundled font lacks gets a warning naming it.
#![cfg(feature = "plot")]

use std::process::{Command, Output};

fn cipa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(args)
        .output()
        .expect("the cipa binary runs")
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// survey.sav: group is labelled "Experimental group", score "Attitude score", agree has no
/// label (tests/fixtures/make_fixtures.py).
fn fit_survey(out: &std::path::Path, labels: &[&str]) -> Output {
    let data = fixture("survey.sav");
    let out = out.to_str().unwrap();
    let mut args = vec![
        "fit", "--data", &data, "--model", "1", "--x", "group", "--w", "agree", "--y", "score",
        "--boot", "0", "--out", out,
    ];
    args.extend_from_slice(labels);
    cipa(&args)
}

#[test]
fn spss_variable_labels_name_variables_in_figures_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let o = fit_survey(&out, &["--labels", "agree=Agreement"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let apa = std::fs::read_to_string(out.join("apa.md")).unwrap();
    for label in ["Experimental group", "Attitude score", "Agreement"] {
        assert!(apa.contains(label), "{label} in the APA tables:\n{apa}");
    }
    assert!(
        !apa.contains("| group"),
        "the label replaces the name:\n{apa}"
    );
    let svg = std::fs::read_to_string(out.join("plots/diagram_statistical.svg")).unwrap();
    // The drawn text, line after line (a box may wrap a label onto two lines).
    let text: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once("</text>"))
        .map(|(body, _)| body.trim())
        .collect();
    let text = text.join(" ");
    for label in ["Experimental group", "Attitude score", "Agreement"] {
        assert!(
            text.contains(label),
            "{label} in the statistical diagram: {text}"
        );
    }
    assert!(String::from_utf8_lossy(&o.stderr).find("warning").is_none());
}

#[test]
fn stata_variable_labels_name_variables_in_a_regression_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let data = fixture("survey.dta");
    let o = cipa(&[
        "regress",
        "--data",
        &data,
        "--y",
        "rating",
        "--x",
        "treat",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let apa = std::fs::read_to_string(out.join("apa.md")).unwrap();
    assert!(apa.contains("Treatment arm"), "{apa}");
}

#[test]
fn long_labels_wrap_and_missing_glyphs_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let long = "agree=Agreement with the statement that collaboration helps internationalization";
    let o = fit_survey(&out, &["--labels", long]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(out.join("plots/diagram_statistical.svg")).unwrap();
    assert!(
        !svg.contains("Agreement with the statement that collaboration helps"),
        "a long label is not one line"
    );
    assert!(svg.contains("internationalization"));
    let o = fit_survey(&out, &["--labels", "agree=同意 🤝"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning") && err.contains("'同意 🤝'") && err.contains("'agree'"),
        "{err}"
    );
    assert!(err.contains("同意🤝"), "the characters are listed: {err}");
}
