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
