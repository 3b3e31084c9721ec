//! Snapshot tests of every renderer on a fixed model, so a change in layout is a reviewed diff
//! (accept new snapshots with `INSTA_UPDATE=always cargo test --test render_snapshots`).

use cipa::data::{read_csv_str, ReadOptions};
use cipa::estimation::{r2_change, Regression};
use cipa::inference::CovType;
use cipa::measure::{correlations, describe, MissingPolicy};
use cipa::report::{describe_report, json::regress_json, regress_report, render, Format};

const DATA: &str = "y,x,w,g\n\
1.2,1,0,a\n2.3,2,1,b\n2.9,3,0,c\n4.1,4,1,a\n5.2,5,0,b\n5.8,6,1,c\n7.1,7,0,a\n8.3,8,1,b\n\
6.6,2,1,c\n3.3,5,0,a\n,4,1,b\n4.4,3,,c\n";

/// The version changes with every release; the layout is what these snapshots pin down.
fn unversioned(s: String) -> String {
    s.replace(cipa::VERSION, "<version>")
}

/// Full-precision numbers can differ in the last bits between CPUs (SIMD kernels); snapshots of
/// full-precision output compare them at 9 significant digits.
fn rounded(x: f64) -> f64 {
    format!("{x:.8e}").parse().unwrap()
}

fn round_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            *v = serde_json::json!(rounded(n.as_f64().unwrap()))
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(round_json),
        serde_json::Value::Object(o) => o.values_mut().for_each(round_json),
        _ => {}
    }
}

fn round_csv(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split(',')
                .map(|f| match f.parse::<f64>() {
                    Ok(x) if f.contains('.') || f.contains('e') => rounded(x).to_string(),
                    _ => f.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn regress_output() -> (cipa::report::Report, serde_json::Value) {
    let data = read_csv_str("snapshot.csv", DATA, b',', &ReadOptions::default()).unwrap();
    let fit = Regression::new("y", &["x", "w", "x:w", "g"])
        .fit_ols(&data, CovType::Hc3)
        .unwrap();
    let changes = vec![r2_change(&fit, &["x:w".to_string()]).unwrap()];
    let header = vec![("Data".to_string(), "snapshot.csv".to_string())];
    let fits = vec![(fit, changes)];
    let report = regress_report(header, &fits, vec!["a note".into()]);
    let json = regress_json(
        "snapshot.csv",
        data.n_rows(),
        serde_json::json!({"cov_type": "hc3"}),
        &fits,
    );
    (report, json)
}

#[test]
fn regress_text() {
    insta::assert_snapshot!(unversioned(render(&regress_output().0, Format::Text)));
}

#[test]
fn regress_markdown() {
    insta::assert_snapshot!(unversioned(render(&regress_output().0, Format::Markdown)));
}

#[test]
fn regress_csv() {
    insta::assert_snapshot!(round_csv(&render(&regress_output().0, Format::Csv)));
}

#[test]
fn regress_json_document() {
    let mut v = regress_output().1;
    v["cipa_version"] = serde_json::json!("<version>");
    round_json(&mut v);
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn describe_text_and_markdown() {
    let data = read_csv_str("snapshot.csv", DATA, b',', &ReadOptions::default()).unwrap();
    let vars = ["y", "x", "w"];
    let stats = describe(&data, &vars).unwrap();
    let cor = correlations(&data, &vars, MissingPolicy::Pairwise).unwrap();
    let report = describe_report(vec![], &stats, &cor, vec![]);
    insta::assert_snapshot!("describe_text", unversioned(render(&report, Format::Text)));
    insta::assert_snapshot!(
        "describe_markdown",
        unversioned(render(&report, Format::Markdown))
    );
}

#[test]
fn regress_latex_and_html() {
    let report = regress_output().0;
    let tex = unversioned(render(&report, Format::Latex));
    check_latex(&tex);
    insta::assert_snapshot!("regress_latex", tex);
    let html = render(&report, Format::Html);
    check_html(&html);
    let html = unversioned(html);
    insta::assert_snapshot!("regress_html", html);
}

#[test]
fn describe_latex_and_html() {
    let data = read_csv_str("snapshot.csv", DATA, b',', &ReadOptions::default()).unwrap();
    let vars = ["y", "x", "w"];
    let stats = describe(&data, &vars).unwrap();
    let cor = correlations(&data, &vars, MissingPolicy::Listwise).unwrap();
    let report = describe_report(
        vec![("Data".into(), "a_b & c.csv".into())],
        &stats,
        &cor,
        vec![],
    );
    let tex = unversioned(render(&report, Format::Latex));
    check_latex(&tex);
    assert!(tex.contains(r"a\_b \& c.csv"), "specials are escaped");
    insta::assert_snapshot!("describe_latex", tex);
    let html = render(&report, Format::Html);
    check_html(&html);
    let html = unversioned(html);
    assert!(html.contains("a_b &amp; c.csv"), "specials are escaped");
    insta::assert_snapshot!("describe_html", html);
}

/// A moderated mediation (PROCESS model 14) on the shipped SME data, with a small seeded bootstrap.
fn fit_analysis() -> cipa::analysis::Analysis {
    let data = crate::common::sme_example();
    let roles = cipa::spec::Roles {
        x: "network_ties".into(),
        y: "export_intensity".into(),
        m: vec!["collab".into()],
        w: Some("psychic_distance".into()),
        cov: vec!["family_owned".into()],
        ..Default::default()
    };
    let spec = cipa::spec::template::template(14)
        .unwrap()
        .instantiate(&roles)
        .unwrap();
    let opts = cipa::analysis::AnalysisOptions {
        boot: 500,
        seed: 7,
        process_t: true,
        ..Default::default()
    };
    cipa::analysis::analyse(&data, &spec, &opts).unwrap()
}

fn fit_report() -> cipa::report::Report {
    cipa::report::process_report(
        &fit_analysis(),
        vec![("Model".into(), "PROCESS model 14".into())],
    )
}

#[test]
fn fit_text_markdown_csv() {
    let r = fit_report();
    insta::assert_snapshot!("fit_text", unversioned(render(&r, Format::Text)));
    insta::assert_snapshot!("fit_markdown", unversioned(render(&r, Format::Markdown)));
    insta::assert_snapshot!("fit_csv", round_csv(&render(&r, Format::Csv)));
}

/// The JSON document of `cipa fit`: the regress schema plus effects, Johnson-Neyman, curves and
/// the bootstrap's record (docs/json-schema.md).
#[test]
fn fit_json_document() {
    let mut v = cipa::report::json::analysis_json(
        &fit_analysis(),
        "sme_example.csv",
        400,
        serde_json::json!({"boot": 500, "seed": 7}),
    );
    v["cipa_version"] = serde_json::json!("<version>");
    round_json(&mut v);
    insta::assert_snapshot!("fit_json", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn fit_latex_and_html() {
    let r = fit_report();
    let tex = unversioned(render(&r, Format::Latex));
    check_latex(&tex);
    insta::assert_snapshot!("fit_latex", tex);
    let html = render(&r, Format::Html);
    check_html(&html);
    let html = unversioned(html);
    insta::assert_snapshot!("fit_html", html);
}

fn apa_regression_table(stars: bool) -> cipa::report::apa::ApaTable {
    let data = read_csv_str("snapshot.csv", DATA, b',', &ReadOptions::default()).unwrap();
    let fit = Regression::new("y", &["x", "w", "x:w"])
        .fit_ols(&data, CovType::Hc3)
        .unwrap();
    let opts = cipa::report::apa::ApaOptions {
        stars,
        ..Default::default()
    };
    cipa::report::apa::apa_regression(&[&fit], &opts)
}

#[test]
fn apa_regression_every_format() {
    use cipa::report::apa::*;
    let t = apa_regression_table(true);
    insta::assert_snapshot!(
        "apa_regression_markdown",
        apa_markdown(std::slice::from_ref(&t))
    );
    let tex = unversioned(apa_latex(std::slice::from_ref(&t)));
    check_latex(&tex);
    insta::assert_snapshot!("apa_regression_latex", tex);
    let html = apa_html(std::slice::from_ref(&t));
    check_html(&html);
    let html = unversioned(html);
    insta::assert_snapshot!("apa_regression_html", html);
    insta::assert_snapshot!("apa_regression_csv", round_csv(&apa_csv(&t)));
}

#[test]
fn apa_process_every_format() {
    use cipa::report::apa::*;
    let tables = apa_process(&fit_analysis(), &ApaOptions::default());
    assert_eq!(tables.len(), 2, "coefficients and effects");
    insta::assert_snapshot!("apa_process_markdown", apa_markdown(&tables));
    let tex = unversioned(apa_latex(&tables));
    check_latex(&tex);
    insta::assert_snapshot!("apa_process_latex", tex);
    let html = apa_html(&tables);
    check_html(&html);
    let html = unversioned(html);
    insta::assert_snapshot!("apa_process_html", html);
    for t in &tables {
        insta::assert_snapshot!(
            format!("apa_process_csv_{}", t.slug),
            round_csv(&apa_csv(t))
        );
    }
}

/// No TeX on the test machines: check what a compile would trip on. Environments and groups
/// balance, every tabular row has as many cells as the column spec (counting \multicolumn spans),
/// and no special character is left unescaped outside commands.
fn check_latex(tex: &str) {
    assert!(tex.starts_with('%') && tex.contains("\\documentclass"));
    assert!(tex.trim_end().ends_with("\\end{document}"));
    let mut stack: Vec<&str> = Vec::new();
    let mut pos = 0;
    while let Some(k) = tex[pos..].find(['\\']) {
        let at = pos + k;
        let rest = &tex[at..];
        if let Some(r) = rest.strip_prefix("\\begin{") {
            let name = &r[..r.find('}').unwrap()];
            stack.push(name);
        } else if let Some(r) = rest.strip_prefix("\\end{") {
            let name = &r[..r.find('}').unwrap()];
            assert_eq!(stack.pop(), Some(name), "unbalanced \\end{{{name}}}");
        }
        pos = at + 1;
    }
    assert!(stack.is_empty(), "unclosed environments: {stack:?}");
    // Braces balance (escaped ones excluded).
    let mut depth = 0i64;
    let mut prev = ' ';
    for c in tex.chars() {
        if prev != '\\' {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "a closing brace without an opening one");
        }
        prev = if prev == '\\' && c == '\\' { ' ' } else { c };
    }
    assert_eq!(depth, 0, "unbalanced braces");
    // Row widths match the column spec in every tabular.
    for block in tex.split("\\begin{tabular}{").skip(1) {
        let spec_end = block.find("}\n").unwrap();
        let spec = &block[..spec_end];
        let ncol = spec
            .split_whitespace()
            .map(|c| if c.starts_with('S') { 1 } else { c.len() })
            .sum::<usize>();
        let body = &block[spec_end..block.find("\\end{tabular}").unwrap()];
        for line in body.lines().filter(|l| l.ends_with("\\\\")) {
            let mut width = 0;
            for cell in line.trim_end_matches("\\\\").split(" & ") {
                width += match cell.trim().strip_prefix("\\multicolumn{") {
                    Some(r) => r[..r.find('}').unwrap()].parse::<usize>().unwrap(),
                    None => 1,
                };
            }
            assert_eq!(width, ncol, "row `{line}` against spec `{spec}`");
        }
    }
    for special in ['#', '%', '&', '_', '$'] {
        for line in tex.lines().filter(|l| !l.starts_with('%')) {
            for (i, _) in line.match_indices(special) {
                let escaped = i > 0 && line.as_bytes()[i - 1] == b'\\';
                let column_sep = special == '&' && line[i..].starts_with("& ") && i > 0;
                assert!(escaped || column_sep, "unescaped {special} in `{line}`");
            }
        }
    }
}

/// Tags balance and nest (void elements excepted), the document has its doctype and charset.
fn check_html(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    const VOID: &[&str] = &["meta", "br", "hr", "img", "link", "col"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag closes");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "misnested </{name}>");
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(!name.is_empty(), "a bare '<' in text: {tag}");
            if !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    // No raw ampersand outside an entity.
    for (i, _) in html.match_indices('&') {
        let tail = &html[i..];
        let entity = tail.find(';').is_some_and(|e| {
            e > 1
                && e < 8
                && tail[1..e]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
        });
        assert!(entity, "raw & at {}", &tail[..tail.len().min(20)]);
    }
}

#[test]
fn apa_descriptives_every_format() {
    use cipa::report::apa::*;
    let data = read_csv_str("snapshot.csv", DATA, b',', &ReadOptions::default()).unwrap();
    let vars = ["y", "x", "w"];
    let stats = describe(&data, &vars).unwrap();
    let cor = correlations(&data, &vars, MissingPolicy::Listwise).unwrap();
    let opts = ApaOptions {
        stars: true,
        ..Default::default()
    };
    let t = apa_descriptives(&stats, &cor, &opts);
    let tables = std::slice::from_ref(&t);
    insta::assert_snapshot!("apa_descriptives_markdown", apa_markdown(tables));
    let tex = apa_latex(tables);
    check_latex(&tex);
    assert!(
        tex.contains("\\begin{tabular}{lrrrrr}"),
        "correlation columns stay right-aligned despite the diagonal dashes"
    );
    insta::assert_snapshot!("apa_descriptives_latex", unversioned(tex));
    let html = apa_html(tables);
    check_html(&html);
    insta::assert_snapshot!("apa_descriptives_html", unversioned(html));
    insta::assert_snapshot!("apa_descriptives_csv", round_csv(&apa_csv(&t)));
}
