//! The FIML objective against lavaan 0.6-14 (tests/golden/sem_hs_fiml/ml: the HS CFA with 8% of
//! item cells blanked, `missing = "ml"`): its analytic gradient against central differences,
//! and its minimum against lavaan's estimates, chi-square and log-likelihood.

use std::path::PathBuf;

use super::super::h1::{EmOptions, H1};
use super::super::missing::MissingPatterns;
use super::super::model::Model;
use super::super::moments::DataView;
use super::super::partable::{self, Op};
use super::super::sample::SampleStats;
use super::super::start::start_values;
use super::super::SemOptions;
use super::*;

const MODEL: &str = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// x1..x9 of HolzingerSwineford1939 with the cells of blank.csv set missing, row-major; `None`
/// (the test skips) when ../shared is absent.
fn data() -> Option<(Vec<String>, Vec<f64>, usize)> {
    let csv = root().join("../shared/datasets/lavaan_pkg/HolzingerSwineford1939.csv");
    let Ok(text) = std::fs::read_to_string(&csv) else {
        eprintln!("skipped: {} is absent", csv.display());
        return None;
    };
    let unq = |s: &str| s.trim().trim_matches('"').to_string();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next()?.split(',').map(unq).collect();
    let names: Vec<String> = (1..=9).map(|i| format!("x{i}")).collect();
    let idx: Vec<usize> = names
        .iter()
        .map(|n| header.iter().position(|h| h == n).expect("column"))
        .collect();
    let mut rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            idx.iter().map(|&j| f[j].trim().parse().unwrap()).collect()
        })
        .collect();
    let blank = std::fs::read_to_string(root().join("tests/golden/sem_hs_fiml/blank.csv")).ok()?;
    for l in blank.lines().skip(1) {
        let f: Vec<String> = l.split(',').map(unq).collect();
        let line: usize = f[0].parse().unwrap();
        let col = names.iter().position(|n| *n == f[1]).unwrap();
        rows[line - 2][col] = f64::NAN;
    }
    let n = rows.len();
    Some((names, rows.concat(), n))
}

struct Setup {
    pt: partable::ParTable,
    model: Model,
    fd: FimlData,
    start: Vec<f64>,
}

fn setup() -> Option<Setup> {
    let (names, values, n) = data()?;
    let p = names.len();
    let flat = crate::spec::syntax::parse_flat("model", MODEL).unwrap();
    let opts = SemOptions {
        meanstructure: true,
        ..SemOptions::default()
    };
    let pt = partable::build(&flat, &names, &opts).unwrap();
    let view = DataView::new(&values, n, p).unwrap();
    let patterns = MissingPatterns::new(view).unwrap();
    let h1 = H1::em(&patterns, EmOptions::default()).unwrap();
    // Start values from the EM moments (the engine's start needs complete-data moments).
    let s = SampleStats::new(
        &names,
        patterns.n,
        h1.mean.clone(),
        Mat::from_rows(p, p, h1.cov.clone()),
    )
    .unwrap();
    let model = Model::new(&pt, &s);
    let start = start_values(&pt, &s);
    Some(Setup {
        pt,
        model,
        fd: FimlData { patterns, h1 },
        start,
    })
}

#[test]
fn gradient_matches_central_differences() {
    let Some(su) = setup() else { return };
    let theta: Vec<f64> = su.start.iter().map(|v| v * 1.05 + 0.01).collect();
    let (_, g) = objective_gradient(&su.model, &su.fd, &theta).unwrap();
    let mut x = theta.clone();
    for k in 0..theta.len() {
        let h = 1e-5;
        x[k] = theta[k] + h;
        let up = objective(&su.model, &su.fd, &x).unwrap();
        x[k] = theta[k] - h;
        let down = objective(&su.model, &su.fd, &x).unwrap();
        x[k] = theta[k];
        let fd = (up - down) / (2.0 * h);
        assert!(
            (fd - g[k]).abs() < 1e-7 * g[k].abs().max(1.0),
            "θ_{k}: analytic {} vs difference {fd}",
            g[k]
        );
    }
}

#[test]
fn minimum_matches_lavaan() {
    let Some(su) = setup() else { return };
    let text =
        std::fs::read_to_string(root().join("tests/golden/sem_hs_fiml/ml/expected.json")).unwrap();
    let exp: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (theta, f, gmax) = fit_theta(&su.model, &su.fd, &su.start, 1e-9, 5000).unwrap();
    assert!(gmax < 1e-9);
    let n = su.fd.patterns.n;
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-300);
    let chisq = exp["fit"]["chisq"].as_f64().unwrap();
    assert!(rel(n * f, chisq) < 1e-5, "chisq {} vs {chisq}", n * f);
    assert_eq!(n, exp["n"].as_f64().unwrap());
    let logl = exp["fit"]["logl"].as_f64().unwrap();
    assert!(rel(su.fd.h1.logl - n * f / 2.0, logl) < 1e-7);
    let ul = exp["fit"]["unrestricted_logl"].as_f64().unwrap();
    assert!(rel(su.fd.h1.logl, ul) < 1e-7, "{} vs {ul}", su.fd.h1.logl);
    // Every free row's estimate, to 1e-5 of its lavaan SE (lavaan's θ̂ is good to ~1e-6 of it).
    let values = su.model.row_values(&theta);
    let rows = exp["parameters"].as_array().unwrap();
    let mut checked = 0;
    for (i, r) in su.pt.rows.iter().enumerate().filter(|(_, r)| r.free > 0) {
        let e = rows
            .iter()
            .find(|e| {
                e["op"] == r.op.symbol()
                    && ((e["lhs"] == r.lhs.as_str() && e["rhs"] == r.rhs.as_str())
                        || (r.op == Op::Covary
                            && e["lhs"] == r.rhs.as_str()
                            && e["rhs"] == r.lhs.as_str()))
            })
            .unwrap_or_else(|| panic!("{} {} {}", r.lhs, r.op.symbol(), r.rhs));
        let (est, se) = (e["est"].as_f64().unwrap(), e["se"].as_f64().unwrap());
        assert!(
            (values[i] - est).abs() < 1e-5 * se.max(est.abs()),
            "{} {} {}: {} vs {est}",
            r.lhs,
            r.op.symbol(),
            r.rhs,
            values[i]
        );
        checked += 1;
    }
    assert_eq!(checked, exp["npar"].as_u64().unwrap() as usize);
}
