//! `cipa sem --model framework:latent_mediation` on the shipped survey data against lavaan
//! 0.6-14 (tests/golden/sem_framework_latent, made by its make.R), the SEM's APA tables (the
//! library's numbers in every cell; snapshots of each format) and the results folder with every
//! file a results folder of `fit` has.

use serde_json::Value;

use cipa::report::apa::{apa_html, apa_latex, apa_markdown, apa_sem, ApaOptions, Cell};

use crate::common::cli::{cipa, json, ok};
use crate::common::{crate_root, golden_dir, read_data};

fn survey() -> String {
    crate_root()
        .join("datasets/sme_survey.csv")
        .display()
        .to_string()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// `a` equals `b` to `rel` on the scale max(|b|, 1): lavaan's optimizer stops near 1e-6.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= rel * b.abs().max(1.0)
}

fn framework_fit() -> cipa::sem::SemFit {
    let text = cipa::spec::framework::model("latent_mediation").expect("shipped model");
    let flat = cipa::spec::syntax::parse_flat("latent_mediation", text).unwrap();
    let data = read_data(std::path::Path::new(&survey()));
    cipa::sem::fit(&flat, &data, &cipa::sem::SemOptions::default()).unwrap()
}

#[test]
fn framework_latent_mediation_matches_lavaan() {
    let doc = json(&cipa(&[
        "sem",
        "--data",
        &survey(),
        "--model",
        "framework:latent_mediation",
        "--format",
        "json",
    ]));
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir("sem_framework_latent").join("expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["n"], exp["n"]);
    assert_eq!(
        doc["dropped_lines"].as_array().map(Vec::len),
        Some(400 - 371)
    );
    let rows = doc["parameters"].as_array().unwrap();
    let mut checked = 0;
    for e in exp["parameters"].as_array().unwrap() {
        let key = |v: &Value| {
            (
                v["lhs"].as_str().map(str::to_string),
                v["op"].as_str().map(str::to_string),
                v["rhs"].as_str().map(|s| s.replace(' ', "")),
            )
        };
        let Some(j) = rows.iter().find(|r| key(r) == key(e)) else {
            panic!("lavaan's row {e} is not in cipa's parameters");
        };
        for (k, ek) in [
            ("est", "est"),
            ("se", "se"),
            ("p", "pvalue"),
            ("std_all", "std_all"),
        ] {
            let (c, l) = (num(&j[k]), num(&e[ek]));
            assert!(close(c, l, 1e-5), "{e}: {k} cipa {c} lavaan {l}");
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} rows compared");
    for k in [
        "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "logl", "bic",
    ] {
        let (c, l) = (num(&doc["fit"][k]), num(&exp["fit"][k]));
        assert!(close(c, l, 1e-5), "fit {k}: cipa {c} lavaan {l}");
    }
}

/// The value a numeric cell holds (NaN for an empty one).
fn cell(c: &Cell) -> f64 {
    match c {
        Cell::Num { value, .. } => *value,
        _ => f64::NAN,
    }
}

#[test]
fn apa_tables_hold_the_fit() {
    let fit = framework_fit();
    let tables = apa_sem(&fit, &ApaOptions::default());
    let slugs: Vec<&str> = tables.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["measurement", "paths", "defined"]);
    assert_eq!(
        tables.iter().map(|t| t.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );

    // Measurement: one panel per latent, a row per item with B, SE, β, p.
    let m = &tables[0];
    let latents: Vec<String> = m
        .panels
        .iter()
        .map(|p| p.heading.as_ref().unwrap().to_plain())
        .collect();
    // Each panel names its latent with semTools' omega and AVE, two decimals, no leading zero.
    let rel = fit.reliability().unwrap();
    let expected: Vec<String> = ["ties", "eo", "collab_act", "perf"]
        .iter()
        .map(|name| {
            let l = rel.iter().find(|l| l.latent == *name).unwrap();
            format!(
                "{name} (ω = {}, AVE = {})",
                format!("{:.2}", l.omega).trim_start_matches('0'),
                format!("{:.2}", l.ave).trim_start_matches('0')
            )
        })
        .collect();
    assert_eq!(latents, expected);
    let loadings: Vec<_> = fit.parameters.iter().filter(|r| r.op == "=~").collect();
    let rows: Vec<_> = m.panels.iter().flat_map(|p| &p.rows).collect();
    assert_eq!(rows.len(), loadings.len());
    for (row, r) in rows.iter().zip(&loadings) {
        assert_eq!(row.label.to_plain(), r.rhs);
        assert_eq!(cell(&row.cells[0]), r.est);
        assert_eq!(cell(&row.cells[2]), r.std_all);
        if r.free == 0 {
            // The marker loading: fixed, so no SE or p.
            assert_eq!(row.cells[1], Cell::Empty);
            assert_eq!(row.cells[3], Cell::Empty);
        } else {
            assert_eq!(cell(&row.cells[1]), r.se);
            assert_eq!(cell(&row.cells[3]), r.p);
        }
    }

    // Paths and defined effects: B, SE, β, p, CI.
    let paths: Vec<_> = fit.parameters.iter().filter(|r| r.op == "~").collect();
    let defined: Vec<_> = fit.parameters.iter().filter(|r| r.op == ":=").collect();
    for (t, params) in [(&tables[1], &paths), (&tables[2], &defined)] {
        let rows = &t.panels[0].rows;
        assert_eq!(rows.len(), params.len());
        for (row, r) in rows.iter().zip(params.iter()) {
            let want = [r.est, r.se, r.std_all, r.p, r.ci_lower, r.ci_upper];
            let got: Vec<f64> = row.cells.iter().map(cell).collect();
            assert_eq!(got, want, "{}", row.label.to_plain());
        }
    }
    assert_eq!(
        tables[1].panels[0].rows[0].label.to_plain(),
        "ties → collab_act (a)"
    );

    // The fit line, as APA prints it.
    let note = tables[1].notes[0].to_plain();
    assert!(
        note.contains(
            "χ²(145) = 132.01, p = .773, CFI = 1.000, TLI = 1.005, RMSEA = .000 [90% CI .000, .018], SRMR = .029."
        ),
        "{note}"
    );
    assert!(
        note.contains("N = 371 (listwise deletion, 29 cases excluded)"),
        "{note}"
    );
}

#[test]
fn apa_tables_every_format_snapshot() {
    let tables = apa_sem(&framework_fit(), &ApaOptions::default());
    let unversioned = |s: String| s.replace(env!("CARGO_PKG_VERSION"), "VERSION");
    insta::assert_snapshot!("sem_apa_markdown", apa_markdown(&tables));
    insta::assert_snapshot!("sem_apa_latex", unversioned(apa_latex(&tables)));
    insta::assert_snapshot!("sem_apa_html", unversioned(apa_html(&tables)));
}

#[test]
fn results_folder_has_every_format_the_apa_tables_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let o = out.display().to_string();
    ok(&cipa(&[
        "sem",
        "--data",
        &survey(),
        "--model",
        "framework:latent_mediation",
        "--out",
        &o,
    ]));
    for f in [
        "report.txt",
        "report.md",
        "report.tex",
        "report.html",
        "results.json",
        "apa.md",
        "apa.tex",
        "apa.html",
        "index.html",
        "figures.json",
        "manifest.json",
        "tables/apa-1-measurement.csv",
        "tables/apa-2-paths.csv",
        "tables/apa-3-defined.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing from the results folder");
    }
    let apa = std::fs::read_to_string(out.join("apa.md")).unwrap();
    assert!(apa.contains("Measurement model"), "{apa}");
    assert!(apa.contains(r"ties → collab\_act (a)"), "{apa}");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("apa.md") || page.contains("Measurement model"));
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["command"], "sem");
}

/// `cipa sem --apa` prints the APA tables (the library's, in Markdown) instead of the report.
#[test]
fn apa_flag_prints_the_tables() {
    let Some(data) =
        crate::common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
    else {
        return;
    };
    let d = data.display().to_string();
    let text = ok(&cipa(&[
        "sem",
        "--data",
        &d,
        "--syntax",
        "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9",
        "--apa",
    ]));
    assert!(
        text.contains("Measurement model: factor loadings"),
        "{text}"
    );
    assert!(text.contains("visual (ω = "), "{text}");
    assert!(text.contains("CFI"), "{text}");
    assert!(!text.contains("Model Test User Model"), "{text}");
}
