//! End-to-end tests of the `cipa` binary: formats, exit codes, and for every kind of bad input an
//! exit code of 2, a message naming the problem, no panic and no output file left behind.

use crate::common::cli::{cipa, cipa_in, json, ok, stderr, stdout, usage_error, with, write};
use crate::common::crate_root;

const GOOD: &str = "y,x,w,g\n1.2,1,0,a\n2.3,2,1,b\n2.9,3,0,c\n4.1,4,1,a\n5.2,5,0,b\n5.8,6,1,c\n7.1,7,0,a\n8.3,8,1,b\n";

/// Runs `regress` on `csv` with `--out` and checks: exit code 2, every `needles` in stderr, no
/// panic text, and no output file (nor temporary file) left in the folder.
fn bad_input(csv: Option<&str>, extra: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = match csv {
        Some(c) => write(dir.path(), "data.csv", c),
        None => dir.path().join("does_not_exist.csv"),
    };
    let out = dir.path().join("result.json");
    let mut args = vec![
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ];
    if !extra.contains(&"--y") {
        args.extend(["--y", "y"]);
    }
    if !extra.contains(&"--x") {
        args.extend(["--x", "x,w"]);
    }
    args.extend(extra);
    let o = cipa(&args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit code for {needles:?}; stderr: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "stderr should mention {n:?}: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    assert!(!out.exists(), "no output file after a failure");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list temp dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data.csv")
        .collect();
    assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
}

#[test]
fn missing_file() {
    bad_input(None, &[], &["does_not_exist.csv", "not found"]);
}

#[test]
fn unknown_column_suggests_closest_names() {
    bad_input(
        Some(GOOD),
        &["--x", "x,W"],
        &["unknown column 'W'", "did you mean 'w'"],
    );
}

#[test]
fn non_numeric_value_names_column_line_and_value() {
    let csv = "y,x,w\n1,1,0\n2,2,1\n3,abc,0\n4,4,1\n5,5,0\n6,6,1\n7,7,0\n";
    bad_input(Some(csv), &[], &["column 'x'", "line 4", "'abc'"]);
}

#[test]
fn constant_after_deletion() {
    let csv = "y,x,w\n1,1,0\n2,2,\n3,3,0\n4,4,\n5,5,0\n6,6,NA\n7,7,0\n";
    bad_input(
        Some(csv),
        &[],
        &["'w' is constant", "3 rows with missing values were dropped"],
    );
}

#[test]
fn fewer_rows_than_parameters() {
    let csv = "y,x,w\n1,1,0\n2,2,1\n3,4,0\n";
    bad_input(Some(csv), &[], &["3 complete rows for 3 parameters"]);
}

#[test]
fn perfect_collinearity_names_columns() {
    let csv = "y,x,w,z\n1,1,0,2\n2,2,1,4\n3,3,0,6\n4,4,1,8\n5,5,0,10\n6,6,1,12\n";
    bad_input(
        Some(csv),
        &["--x", "x,w,z"],
        &["collinearity", "'z'", "'x'"],
    );
}

#[test]
fn non_finite_value() {
    let csv = "y,x,w\n1,1,0\n2,inf,1\n3,3,0\n4,4,1\n5,5,0\n6,6,1\n";
    bad_input(Some(csv), &[], &["column 'x'", "line 3", "not finite"]);
}

#[test]
fn empty_file() {
    bad_input(Some(""), &[], &["empty"]);
    bad_input(Some("y,x,w\n"), &[], &["empty"]);
}

#[test]
fn ragged_row() {
    let csv = "y,x,w\n1,1,0\n2,2,1,9\n3,3,0\n";
    bad_input(Some(csv), &[], &["line 3", "expected 3 fields", "found 4"]);
}

#[test]
fn non_binary_logistic_outcome() {
    bad_input(Some(GOOD), &["--logistic"], &["must be binary"]);
}

#[test]
fn bad_options_are_usage_errors() {
    bad_input(Some(GOOD), &["--conf", "120"], &["--conf"]);
    bad_input(
        Some(GOOD),
        &["--hc", "hc3", "--cluster", "g"],
        &["--cluster"],
    );
    bad_input(Some(GOOD), &["--hc", "hc9"], &["hc9"]);
    bad_input(Some(GOOD), &["--x", "x*w"], &["':'"]);
    bad_input(
        Some(GOOD),
        &["--x", "x,g", "--ref", "g=z"],
        &["reference level 'z'"],
    );
}

#[test]
fn dropped_rows_are_reported_with_file_lines() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "y,x,w\n1,1,0\n2,-99,1\n3,3,0\n4,4,\n5,5,0\n6,6,1\n7,7.5,0\n8,8,1\n";
    let data = write(dir.path(), "d.csv", csv);
    let o = cipa(&[
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "y",
        "--x",
        "x,w",
        "--missing",
        "-99",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["n"], 6);
    assert_eq!(v["n_dropped"], 2);
    assert_eq!(v["dropped_rows"], serde_json::json!([3, 5]));
}

#[test]
fn json_schema_fields() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", GOOD);
    let o = cipa(&[
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "y",
        "--x",
        "x,w,x:w,g",
        "--hc",
        "hc1",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["cipa_version"], env!("CARGO_PKG_VERSION"));
    for key in ["n", "n_dropped", "dropped_rows", "options", "equations"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let eq = &v["equations"][0];
    assert_eq!(eq["outcome"], "y");
    assert_eq!(eq["method"], "ols");
    for key in [
        "r2",
        "adj_r2",
        "mse",
        "f",
        "df1",
        "df2",
        "p",
        "coefficients",
    ] {
        assert!(eq.get(key).is_some(), "equation lacks {key}");
    }
    let terms: Vec<&str> = eq["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["constant", "x", "w", "x:w", "g[b]", "g[c]"]);
    let c = &eq["coefficients"][3];
    for key in ["estimate", "se", "t", "p", "ci_lower", "ci_upper"] {
        assert!(c[key].is_number(), "coefficient lacks {key}");
    }
    assert_eq!(eq["df2"], 2.0);
    assert_eq!(eq["r2_change"][0]["terms"], serde_json::json!(["x:w"]));
}

#[test]
fn logistic_json_uses_z() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "y,x\n0,1\n0,2\n1,3\n0,4\n1,5\n0,6\n1,7\n1,8\n0,3.5\n1,6.5\n";
    let data = write(dir.path(), "d.csv", csv);
    let o = cipa(&[
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "y",
        "--x",
        "x",
        "--logistic",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let eq = &v["equations"][0];
    assert_eq!(eq["method"], "logistic");
    assert!(eq["coefficients"][1]["z"].is_number());
    assert!(eq["nagelkerke"].is_number());
    assert!(eq["r2"].is_null());
}

#[test]
fn text_markdown_and_csv_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", GOOD);
    let base = [
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "y",
        "--x",
        "x,w",
    ];
    let text = cipa(&base);
    assert_eq!(text.status.code(), Some(0));
    assert!(stdout(&text).contains("Outcome Variable: y"));
    let md = cipa(&[&base[..], &["--format", "markdown"]].concat());
    assert!(stdout(&md).contains("| constant |"));
    let out = dir.path().join("r.csv");
    let csv = cipa(
        &[
            &base[..],
            &["--format", "csv", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(csv.status.code(), Some(0));
    assert!(stdout(&csv).is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("section,table,"), "{written}");
    assert!(written.contains("Outcome Variable: y,Model,constant,"));
}

#[test]
fn describe_command() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "d.csv", GOOD);
    let o = cipa(&[
        "describe",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = v["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["y", "x", "w"]);
    assert_eq!(v["variables"][1]["mean"], 4.5);
    let bad = cipa(&[
        "describe",
        "--data",
        data.to_str().unwrap(),
        "--vars",
        "y,g",
    ]);
    let err = usage_error(&bad);
    assert!(err.contains("'g' is categorical"), "{err}");
}

#[test]
fn usage_errors_and_help() {
    let o = cipa(&["regress", "--y", "y"]);
    assert_eq!(o.status.code(), Some(2));
    let h = cipa(&["regress", "--help"]);
    assert_eq!(h.status.code(), Some(0));
    assert!(stdout(&h).contains("--hc"));
}

/// `regress --vif` against car::vif (tests/golden/vif_sme, script and versions beside it).
#[test]
fn regress_vif_matches_car() {
    let root = crate_root();
    let v = json(&cipa_in(
        &root,
        &[
            "regress",
            "--data",
            "datasets/sme_example.csv",
            "--y",
            "export_intensity",
            "--x",
            "collab,network_ties,psychic_distance,collab:psychic_distance,family_owned",
            "--missing",
            "-99",
            "--vif",
            "--format",
            "json",
        ],
    ));
    let expected = std::fs::read_to_string(root.join("tests/golden/vif_sme/expected.csv")).unwrap();
    let mut n = 0;
    for line in expected.lines().skip(1) {
        let (term, value) = line.split_once(',').unwrap();
        let value: f64 = value.parse().unwrap();
        let got = v["vif"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["variable"] == term)
            .unwrap_or_else(|| panic!("no VIF for {term}"))["vif"]
            .as_f64()
            .unwrap();
        assert!(
            (got - value).abs() < 1e-8 * value,
            "{term}: {got} vs {value}"
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn simulate_writes_the_data_and_the_truth_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("survey.csv");
    let o = cipa(&[
        "simulate",
        "--n",
        "50",
        "--seed",
        "7",
        "--population-n",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 51);
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("survey.truth.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(truth["seed"], 7);
    assert_eq!(truth["design"], "framework");
    assert!(truth["command"]
        .as_str()
        .unwrap()
        .contains("--n 50 --seed 7"));
    // The same seed makes the same data; a bad design is exit code 2 naming the file.
    let again = cipa(&[
        "simulate",
        "--n",
        "50",
        "--seed",
        "7",
        "--population-n",
        "0",
    ]);
    assert_eq!(stdout(&again), csv);
    let bad = write(dir.path(), "bad.toml", "name = \"x\"\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nterms = { z = 1.0 }\n");
    let o = cipa(&[
        "simulate",
        "--design",
        bad.to_str().unwrap(),
        "--n",
        "10",
        "--seed",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.toml") && stderr(&o).contains("unknown variable 'z'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn example_data_load_by_name() {
    let o = cipa(&[
        "describe",
        "--data",
        "example:sme",
        "--vars",
        "export_intensity,collab",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("sme_survey.csv"));
    let o = cipa(&["describe", "--data", "example:smee"]);
    let err = usage_error(&o);
    assert!(err.contains("example:sme"), "{err}");
}

#[test]
fn distance_between_countries_and_as_a_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scores = write(
        dir.path(),
        "h.csv",
        "ctr;country;pdi;idv;mas;uai;ltowvs;ivr\nGER;Germany;35;67;66;65;83;40\nJPN;Japan;54;46;95;92;88;42\nFRA;France;68;71;43;86;63;48\n",
    );
    let s = scores.to_str().unwrap();
    let o = cipa(&[
        "distance", "--scores", s, "--from", "Germany", "--to", "JPN", "--format", "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Variances over the three rows: pdi 823/3 = 274.3333, idv 541/3 = 180.3333, mas 679,
    // uai 201; (19²/274.3333 + 21²/180.3333 + 29²/679 + 27²/201) / 4 = 2.15671.
    let ks = v["kogut_singh"].as_f64().unwrap();
    let want: f64 =
        (361.0 / (823.0 / 3.0) + 441.0 / (541.0 / 3.0) + 841.0 / 679.0 + 729.0 / 201.0) / 4.0;
    assert!((want - 2.15671).abs() < 1e-5);
    assert!((ks - want).abs() < 1e-12, "{ks} vs {want}");
    assert_eq!(v["dims"], 4);
    let o = cipa(&[
        "distance", "--scores", s, "--from", "Germny", "--to", "Japan",
    ]);
    let err = usage_error(&o);
    assert!(err.contains("did you mean Germany"), "{err}");
    let data = write(
        dir.path(),
        "d.csv",
        "id,home,host\n1,Germany,Japan\n2,GER,\n3,France,Germany\n",
    );
    let out = dir.path().join("with_ks.csv");
    let o = cipa(&[
        "distance",
        "--scores",
        s,
        "--data",
        data.to_str().unwrap(),
        "--home",
        "home",
        "--host",
        "host",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,home,host,kogut_singh");
    assert!(
        lines[1].starts_with(&format!("1,Germany,Japan,{}", &want.to_string()[..6])),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], "2,GER,,");
    let loc = write(
        dir.path(),
        "loc.csv",
        "name,lat,lon\nEquator,0,0\nPole,90,0\n",
    );
    let o = cipa(&[
        "distance",
        "--locations",
        loc.to_str().unwrap(),
        "--from",
        "Equator",
        "--to",
        "Pole",
    ]);
    assert!(stdout(&o).contains("10007.6 km"), "{}", stdout(&o));
    let pts = write(dir.path(), "pts.csv", "a,b,c,d\n0,0,90,0\n0,0,,1\n");
    let o = cipa(&[
        "distance",
        "--data",
        pts.to_str().unwrap(),
        "--coords",
        "a,b,c,d",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("0,0,90,0,10007.557"), "{}", lines[1]);
    assert_eq!(lines[2], "0,0,,1,");
    let bad = write(dir.path(), "swap.csv", "a,b,c,d\n0,0,95,0\n");
    let o = cipa(&[
        "distance",
        "--data",
        bad.to_str().unwrap(),
        "--coords",
        "a,b,c,d",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2") && stderr(&o).contains("latitude 95"),
        "{}",
        stderr(&o)
    );
}

/// `cipa example`, the README's main job, writes a complete results folder.
#[test]
fn example_writes_the_results_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ex");
    let o = cipa(&[
        "example",
        "--boot",
        "200",
        "--threads",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    let stdout = stdout(&o);
    assert!(stdout.contains("--spec framework:combined"), "{stdout}");
    let report = std::fs::read_to_string(out.join("report.txt")).unwrap();
    assert!(report.contains("Outcome Variable: export_intensity"));
    assert!(
        report.contains("cultural_distance"),
        "the third moderator is probed"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 2026);
    assert_eq!(manifest["B"], 200);
    let text = cipa::simulate::example_csv("sme").unwrap();
    assert_eq!(manifest["data"]["bytes"], text.len());
    for f in [
        "results.json",
        "apa.md",
        "report.html",
        "plots/diagram_conceptual.png",
        "plots/interaction_network_ties_on_collab.png",
    ] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
}

/// `--size-class` adds the EU class of an employee count as a categorical column any command can
/// use; an unknown scheme is a usage error.
#[test]
fn size_class_column() {
    let o = cipa(&[
        "regress",
        "--data",
        "example:sme",
        "--y",
        "export_intensity",
        "--x",
        "employees_class",
        "--size-class",
        "employees",
        "--ref",
        "employees_class=micro",
        "--format",
        "json",
    ]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let terms: Vec<String> = v["equations"][0]["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap().to_string())
        .collect();
    // Classes in size order, the smallest (micro) the reference, not alphabetical order.
    assert_eq!(
        terms,
        [
            "constant",
            "employees_class[small]",
            "employees_class[medium]"
        ]
    );
    // The shipped data's own EU class column agrees with the one computed here.
    let (_, text) = cipa::simulate::example("sme").unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (e, c) = (
        header.iter().position(|h| *h == "employees").unwrap(),
        header.iter().position(|h| *h == "size_class").unwrap(),
    );
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if let Ok(n) = f[e].parse::<f64>() {
            let scheme = cipa::domain::SizeScheme::Eu;
            assert_eq!(cipa::domain::size_class(n, scheme).unwrap(), f[c]);
        }
    }
    let bad = cipa(&[
        "describe",
        "--data",
        "example:sme",
        "--size-class",
        "employees:bogus",
    ]);
    assert!(usage_error(&bad).contains("size-class scheme"));
}

/// `fit --labels` names the variables in the results folder's figures; `--greyscale` changes
/// them; a malformed label list is refused before anything runs.
#[test]
fn fit_figures_take_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    const FIT: &[&str] = &[
        "fit",
        "--data",
        "example:sme",
        "--model",
        "4",
        "--x",
        "network_ties",
        "--m",
        "collab",
        "--y",
        "export_intensity",
        "--boot",
        "100",
        "--seed",
        "1",
    ];
    let o = cipa(&with(
        FIT,
        &[
            "--labels",
            "network_ties=Network ties,collab=Collaboration",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    ok(&o);
    let svg = std::fs::read_to_string(out.join("plots/diagram_conceptual.svg")).unwrap();
    assert!(svg.contains("Network ties") && svg.contains("Collaboration"));
    // Every figure also as a PDF with its text.
    let pdf = std::fs::read(out.join("plots/diagram_conceptual.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).contains("DejaVuSans"));
    for bad_labels in ["network_ties", "network_tie=Network ties"] {
        let bad = cipa(&with(
            FIT,
            &["--labels", bad_labels, "--out", out.to_str().unwrap()],
        ));
        let err = usage_error(&bad);
        assert!(err.contains("network_tie"), "{bad_labels}: {err}");
    }
    // Without a results folder, figure options do nothing, and fit says so.
    let o = cipa(&with(FIT, &["--greyscale"]));
    assert!(o.status.success());
    assert!(stderr(&o).contains("only change the figures"));
}

/// `fit --diagram-coef ci` writes confidence intervals instead of stars on the statistical
/// diagram of a results folder.
#[test]
fn fit_diagram_coefficients_as_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let o = cipa(&[
        "fit",
        "--data",
        "example:sme",
        "--model",
        "1",
        "--x",
        "network_ties",
        "--w",
        "cultural_distance",
        "--y",
        "export_intensity",
        "--diagram-coef",
        "ci",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    let dot = std::fs::read_to_string(out.join("plots/diagram_statistical.dot")).unwrap();
    assert!(dot.contains(" ["), "an interval on the arrows: {dot}");
    assert!(!dot.contains("*\""), "no stars: {dot}");
    let svg = std::fs::read_to_string(out.join("plots/diagram_statistical.svg")).unwrap();
    assert!(svg.contains("confidence intervals"));
    let help = stdout(&cipa(&["fit", "--help"]));
    assert!(help.contains("--diagram-coef") && help.contains("confidence interval"));
    let bad = cipa(&[
        "fit",
        "--data",
        "example:sme",
        "--model",
        "1",
        "--diagram-coef",
        "p",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
