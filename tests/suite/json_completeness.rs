//! The JSON output holds every number the text report prints: over runs of `fit` that together
//! use every option that changes what is computed (covariates, a categorical X or W, a logistic
//! Y, `--total`, `--effsize`, `--normal`, `--contrast`, `--jn`, `--mc`, `--hc`, three-way models,
//! path-syntax models with defined quantities, ...) and of `regress`, every number in the text
//! report must equal, rounded as printed, some number of the JSON document (a number field, or a
//! number inside a string such as a probe label or a note). A table or note the text prints from
//! a quantity the JSON lacks fails here.

use crate::common::cli::{cipa, json, ok};

/// The runs, on the shipped example data, `fit` with `--seed 1`. Bootstrap counts are small: the point is which numbers
/// appear, not their precision.
const RUNS: &[&str] = &[
    "fit --model 4 --x network_ties --m collab --y export_intensity --cov firm_age --boot 50 --total --effsize --normal",
    "fit --model 4 --x network_ties --m collab,social_capital --y export_intensity --boot 50 --contrast --total",
    "fit --model 1 --x collab --w cultural_distance --y export_intensity --cov log_employees --jn --intprobe 1 --boot 0",
    "fit --model 3 --x collab --w cultural_distance --z log_employees --y export_intensity --jn --intprobe 1 --boot 0",
    "fit --model 7 --x network_ties --m collab --w log_employees --y export_intensity --boot 50 --hc hc3",
    "fit --model 4 --x ownership --m collab --y export_intensity --boot 50 --total --effsize",
    "fit --model 1 --x collab --w ownership --y export_intensity --boot 0 --intprobe 1",
    "fit --model 4 --x network_ties --m collab --y exporter --boot 50 --total",
    "fit --model 7 --x network_ties --m collab --w log_employees --y export_intensity --mc 200",
    "fit --model 8 --x network_ties --m collab --w log_employees --y export_intensity --boot 100 --ci bca --center all --probe meansd --jn --intprobe 1",
    "fit --spec framework:combined --x network_ties --w log_employees --z family_owned --boot 50 --intprobe 1 --jn",
    "fit --spec framework:mediation --x network_ties --boot 50 --total --effsize --normal",
    "fit --model 6 --x network_ties --m collab,social_capital --y export_intensity --boot 50 --contrast --total --effsize --conf 90 --ci bc",
    "fit --model 2 --x collab --w cultural_distance --z log_employees --y export_intensity --jn --intprobe 1 --boot 0 --wvals 0.5,1,1.5 --zvals 2,3",
    "fit --model 14 --x network_ties --m collab --w family_owned --y exporter --boot 50 --intprobe 1",
    "fit --model 58 --x network_ties --m collab --w log_employees --y export_intensity --boot 50 --intprobe 1 --jn --hc hc1",
    "fit --model 74 --x network_ties --m collab --y export_intensity --boot 50 --intprobe 1",
    "fit --model 4 --x ownership --m collab --y export_intensity --boot 50 --total --coding effect --contrast",
    "fit --model 4 --x ownership --m collab --y exporter --boot 50 --total",
    "fit --model 7 --x ownership --m collab --w log_employees --y export_intensity --boot 50 --intprobe 1",
    "fit --model 1 --x ownership --w log_employees --y export_intensity --boot 0 --intprobe 1 --hc hc3",
    "fit --model 4 --x network_ties --m collab --y exporter --boot 50 --linear-y --total --effsize",
    "fit --model 4 --x network_ties --m collab --y export_intensity --boot 50 --cov firm_age,rd_intensity --cov-y firm_age --total",
    "fit --model 17 --x network_ties --m collab --w log_employees --z cultural_distance --y export_intensity --boot 50 --intprobe 1 --jn",
    "fit --model 11 --x network_ties --m collab --w log_employees --z cultural_distance --y export_intensity --boot 50 --intprobe 1 --jn --center continuous",
    "fit --model 4 --x network_ties --m collab --y export_intensity --boot 50 --ci bca --effsize --total --decimals 3",
    "fit --preset pyprocessmacro --model 7 --x network_ties --m collab --w log_employees --y export_intensity --boot 50",
    "fit --construct ties=ties_1,ties_2,-ties_3 --scale 1,7 --model 4 --x ties --m collab --y export_intensity --boot 50",
    "fit --size-class employees --model 1 --x collab --w employees_class --y export_intensity --boot 0 --intprobe 1",
    "fit --model 3 --x ownership --w log_employees --z cultural_distance --y export_intensity --boot 0 --intprobe 1",
    "fit --model 1 --x ownership --w log_employees --y exporter --boot 0 --intprobe 1 --total",
    "regress --y export_intensity --x collab,cultural_distance,collab:cultural_distance,ownership --vif --hc hc3",
    "regress --y exporter --x collab,ownership --logistic",
    "regress --y export_intensity --x collab,firm_age --test collab --test firm_age --log employees --center firm_age",
];

/// The numbers written in `text`, each with its count of decimals: a run of digits with an
/// optional sign and fraction, not part of a name (`Int_1`, `M2`, a level `protest[1]`), a version
/// (`0.1.0`) or an ordinal (`16th`).
fn numbers_in(text: &str) -> Vec<(f64, usize)> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let neg = b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(b[i].is_ascii_digit() || neg) {
            i += 1;
            continue;
        }
        let prev = (i > 0).then(|| b[i - 1]);
        let in_name = prev.is_some_and(|p| word(p) || p == b'.')
            || (prev == Some(b'[') && i > 1 && word(b[i - 2]));
        let start = i;
        i += usize::from(neg);
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut decimals = 0;
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
                decimals += 1;
            }
        }
        let next = b.get(i).copied();
        let tail = next.is_some_and(word)
            || (next == Some(b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        if !in_name && !tail {
            out.push((text[start..i].parse().expect("digits parse"), decimals));
        }
    }
    out
}

/// Every number of a JSON document: number fields and the numbers inside strings.
fn json_numbers(v: &serde_json::Value, out: &mut Vec<f64>) {
    match v {
        serde_json::Value::Number(n) => out.extend(n.as_f64()),
        serde_json::Value::String(s) => out.extend(numbers_in(s).into_iter().map(|(x, _)| x)),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_numbers(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_numbers(x, out)),
        _ => {}
    }
}

/// The printed numbers of `text` that no number of `doc` rounds to, with their lines.
fn unmatched(text: &str, doc: &serde_json::Value) -> Vec<String> {
    let mut have = Vec::new();
    json_numbers(doc, &mut have);
    have.sort_by(f64::total_cmp);
    let mut out = Vec::new();
    for line in text.lines() {
        for (x, d) in numbers_in(line) {
            let half = 0.5 * 10f64.powi(-(d as i32)) * (1.0 + 1e-9) + 1e-12;
            let i = have.partition_point(|v| *v < x - half);
            if !have.get(i).is_some_and(|v| *v <= x + half) {
                out.push(format!("{x} in `{}`", line.trim()));
            }
        }
    }
    out
}

#[test]
fn tokens_are_numbers_not_names() {
    let got: Vec<f64> =
        numbers_in("Int_1 : M2 x protest[1] (v0.1.0) 16th -0.5 [-2.7833, 1.7] 95% p <= 0.1.")
            .into_iter()
            .map(|(x, _)| x)
            .collect();
    assert_eq!(got, [-0.5, -2.7833, 1.7, 95.0, 0.1]);
    assert_eq!(numbers_in("12.3450")[0].1, 4);
}

#[test]
fn a_number_missing_from_the_json_is_found() {
    let doc = serde_json::json!({"a": 1.23456, "note": "n = 12"});
    assert!(unmatched("1.2346 12", &doc).is_empty());
    assert_eq!(unmatched("1.2346 0.5 12", &doc), ["0.5 in `1.2346 0.5 12`"]);
}

#[test]
fn json_holds_every_number_the_text_report_prints() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for run in RUNS {
        let mut args: Vec<&str> = run.split_whitespace().collect();
        args.extend(["--data", "example:sme"]);
        if args[0] == "fit" {
            args.extend(["--seed", "1"]);
        }
        let text = ok(&cipa(&[args.as_slice(), &["--format", "text"]].concat()));
        let doc = json(&cipa(&[args.as_slice(), &["--format", "json"]].concat()));
        checked += text.lines().map(|l| numbers_in(l).len()).sum::<usize>();
        let missing = unmatched(&text, &doc);
        if !missing.is_empty() {
            failures.push(format!("cipa {run}:\n  {}", missing.join("\n  ")));
        }
    }
    println!("{checked} printed numbers over {} runs", RUNS.len());
    assert!(
        failures.is_empty(),
        "numbers printed in the text report but absent from the JSON:\n{}",
        failures.join("\n")
    );
}
