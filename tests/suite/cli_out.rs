//! End-to-end tests of `--out`: a results folder (every format, tables, APA tables, draws and a
//! manifest with hashes), written atomically and replaced only when it is cipa's own; a report
//! file when the path has a report extension; `--format latex|html` on standard output.

use crate::common::cli::{cipa, sme_example, stderr, usage_error};
use std::path::Path;

use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn fit_args<'a>(data: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "fit",
        "--data",
        data,
        "--model",
        "14",
        "--x",
        "network_ties",
        "--m",
        "collab",
        "--y",
        "export_intensity",
        "--w",
        "psychic_distance",
        "--cov",
        "family_owned",
        "--missing",
        "-99",
        "--seed",
        "3",
        "--boot",
        "300",
        "--threads",
        "2",
        "--out",
        out,
    ]
}

fn manifest(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json exists");
    serde_json::from_str(&text).expect("manifest.json is JSON")
}

/// Nothing but `keep` in `dir`: no temporary or half-written folders left behind.
fn only(dir: &Path, keep: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    keep.sort();
    assert_eq!(names, keep, "unexpected entries in {}", dir.display());
}

#[test]
fn fit_results_folder_has_every_output_and_a_true_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("model14");
    let data = sme_example();
    let mut args = fit_args(data.to_str().unwrap(), out.to_str().unwrap());
    args.push("--save-boot");
    let o = cipa(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "a results folder prints nothing on stdout"
    );
    for f in [
        "report.txt",
        "report.md",
        "report.tex",
        "report.html",
        "report.csv",
        "results.json",
        "apa.md",
        "apa.tex",
        "apa.html",
        "draws.csv",
        "tables/apa-1-coefficients.csv",
        "tables/apa-2-effects.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} is written");
    }
    let tables: Vec<_> = std::fs::read_dir(out.join("tables")).unwrap().collect();
    assert!(
        tables.len() >= 8,
        "every report table has a CSV: {}",
        tables.len()
    );
    let draws = std::fs::read_to_string(out.join("draws.csv")).unwrap();
    assert_eq!(draws.lines().count(), 301, "a header and one line per draw");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    // The rows complete on the model's variables (export_intensity has 6 empty cells).
    assert_eq!(results["n"], 394);

    let m = manifest(&out);
    assert_eq!(m["cipa_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["command"], "fit");
    let cmd: Vec<&str> = m["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(&cmd[1..], &args[..], "the command line as given");
    let bytes = std::fs::read(&data).unwrap();
    assert_eq!(m["data"]["sha256"], sha256_hex(&bytes));
    assert_eq!(m["data"]["bytes"], bytes.len());
    assert_eq!(m["data"]["name"], "sme_example.csv");
    assert_eq!(m["data"]["rows"], 400);
    assert_eq!(m["data"]["rows_used"], 394);
    assert_eq!(m["data"]["rows_dropped"], 6);
    assert_eq!(m["data"]["dropped_lines"].as_array().unwrap().len(), 6);
    assert_eq!(m["seed"], 3);
    assert_eq!(m["B"], 300);
    assert_eq!(m["resampling"], "nonparametric");
    assert_eq!(m["threads"]["requested"], 2);
    assert_eq!(m["threads"]["used"], 2);
    assert_eq!(m["options"]["preset"], "process4");
    assert_eq!(m["options"]["analysis_options"]["boot"], 300);
    assert!(m["options"]["defaults_in_force"].is_array());
    // RFC 3339 in UTC: 2026-01-02T03:04:05Z
    let t = m["created"].as_str().unwrap();
    assert_eq!(t.len(), 20, "{t}");
    assert!(
        t.ends_with('Z') && &t[4..5] == "-" && &t[10..11] == "T",
        "{t}"
    );
    // Every file but the manifest is listed with its true size and hash.
    let files = m["files"].as_array().unwrap();
    let mut on_disk = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != "manifest.json" {
                on_disk.push(p);
            }
        }
    }
    assert_eq!(files.len(), on_disk.len());
    for f in files {
        let p = out.join(f["path"].as_str().unwrap());
        let b = std::fs::read(&p).unwrap();
        assert_eq!(f["sha256"], sha256_hex(&b), "{}", p.display());
        assert_eq!(f["bytes"], b.len());
    }
    only(tmp.path(), &["model14"]);
}

#[test]
fn missing_parent_folders_are_made() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("results/2026/model14");
    let data = sme_example();
    let o = cipa(&fit_args(data.to_str().unwrap(), out.to_str().unwrap()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("manifest.json").is_file());
    only(&tmp.path().join("results/2026"), &["model14"]);
}

#[test]
fn rerun_replaces_a_results_folder_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    let data = sme_example();
    let args = fit_args(data.to_str().unwrap(), out.to_str().unwrap());
    assert_eq!(cipa(&args).status.code(), Some(0));
    std::fs::write(out.join("stale.txt"), "from an earlier run").unwrap();
    let o = cipa(&[
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "export_intensity",
        "--x",
        "collab,psychic_distance,collab:psychic_distance",
        "--missing",
        "-99",
        "--out",
        &format!("{}/", out.display()),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("stale.txt").exists(), "the old folder is gone");
    assert!(!out.join("draws.csv").exists());
    assert_eq!(manifest(&out)["command"], "regress");
    assert!(out.join("tables/apa-1-regression.csv").is_file());
    assert!(manifest(&out)["seed"].is_null());
    only(tmp.path(), &["res"]);
}

#[test]
fn refuses_to_replace_a_folder_cipa_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("thesis");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("chapter1.tex"), "precious").unwrap();
    let data = sme_example();
    let o = cipa(&fit_args(data.to_str().unwrap(), out.to_str().unwrap()));
    let err = usage_error(&o);
    assert!(err.contains("not a cipa results folder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("chapter1.tex")).unwrap(),
        "precious"
    );
    only(tmp.path(), &["thesis"]);
    // A manifest.json that cipa did not write does not count either.
    std::fs::write(out.join("manifest.json"), "{\"name\": \"other tool\"}").unwrap();
    assert_eq!(
        cipa(&fit_args(data.to_str().unwrap(), out.to_str().unwrap()))
            .status
            .code(),
        Some(2)
    );
    assert!(out.join("chapter1.tex").exists());
}

#[test]
fn failed_run_leaves_no_folder_and_keeps_an_old_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res");
    let data = sme_example();
    let mut args = fit_args(data.to_str().unwrap(), out.to_str().unwrap());
    let bad = args.iter().position(|a| *a == "collab").unwrap();
    args[bad] = "colab";
    let o = cipa(&args);
    let err = usage_error(&o);
    assert!(err.contains("colab"), "{err}");
    only(tmp.path(), &[]);
    // With an earlier results folder in place, a failed run leaves it as it was.
    args[bad] = "collab";
    assert_eq!(cipa(&args).status.code(), Some(0));
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    args[bad] = "colab";
    assert_eq!(cipa(&args).status.code(), Some(2));
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    only(tmp.path(), &["res"]);
}

#[test]
fn refuses_a_folder_holding_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("sme.csv");
    std::fs::copy(sme_example(), &data).unwrap();
    let o = cipa(&[
        "describe",
        "--data",
        data.to_str().unwrap(),
        "--missing",
        "-99",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    let err = usage_error(&o);
    assert!(err.contains("holds the input file"), "{err}");
    assert!(data.exists());
}

#[test]
fn describe_results_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("desc");
    let o = cipa(&[
        "describe",
        "--data",
        sme_example().to_str().unwrap(),
        "--vars",
        "collab,network_ties,export_intensity",
        "--missing",
        "-99",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = manifest(&out);
    assert_eq!(m["command"], "describe");
    assert_eq!(m["data"]["rows"], 400);
    let used = m["data"]["rows_used"].as_u64().unwrap();
    let dropped = m["data"]["rows_dropped"].as_u64().unwrap();
    assert_eq!(used + dropped, 400);
    assert!(out.join("report.html").is_file() && out.join("results.json").is_file());
    assert!(out.join("tables/apa-1-descriptives.csv").is_file());
    let apa = std::fs::read_to_string(out.join("apa.md")).unwrap();
    assert!(apa.contains("| 3. export\\_intensity |"), "{apa}");
}

#[test]
fn out_file_with_a_report_extension_is_one_file_in_that_format() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sme_example();
    for (name, start) in [
        ("r.md", "# cipa"),
        ("r.tex", "% Written by cipa"),
        ("r.html", "<!DOCTYPE html>"),
        ("r.json", "{"),
        ("r.txt", "cipa "),
    ] {
        let path = tmp.path().join(name);
        let o = cipa(&[
            "regress",
            "--data",
            data.to_str().unwrap(),
            "--y",
            "export_intensity",
            "--x",
            "collab",
            "--missing",
            "-99",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(start),
            "{name}: {}",
            &text[..40.min(text.len())]
        );
    }
    // --format wins over the extension.
    let path = tmp.path().join("plain.md");
    let o = cipa(&[
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "export_intensity",
        "--x",
        "collab",
        "--missing",
        "-99",
        "--format",
        "html",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
}

#[test]
fn latex_html_and_apa_on_stdout() {
    let data = sme_example();
    let base = [
        "regress",
        "--data",
        data.to_str().unwrap(),
        "--y",
        "export_intensity",
        "--x",
        "collab,network_ties",
        "--missing",
        "-99",
    ];
    let run = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        let o = cipa(&a);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let tex = run(&["--format", "latex"]);
    assert!(tex.contains("\\toprule") && tex.contains("\\bottomrule"));
    assert!(tex.contains("export\\_intensity"));
    let html = run(&["--format", "html"]);
    assert!(html.contains("<table>") && html.trim_end().ends_with("</html>"));
    let apa = run(&["--apa", "--stars"]);
    assert!(apa.starts_with("**Table 1**"), "{apa}");
    assert!(
        apa.contains("\\*\\*\\*"),
        "stars on a significant coefficient"
    );
    let apa_csv = run(&["--apa", "--format", "csv"]);
    assert!(apa_csv.starts_with("panel,row,export_intensity b,"));
    let o = cipa(&[base.as_slice(), &["--apa", "--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn save_boot_without_file_needs_a_results_folder() {
    let data = sme_example();
    let mut args = fit_args(data.to_str().unwrap(), "unused");
    args.truncate(args.len() - 2);
    args.push("--save-boot");
    let o = cipa(&args);
    let err = usage_error(&o);
    assert!(err.contains("--save-boot"), "{err}");
}
