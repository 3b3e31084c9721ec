//! The simulator's items as SEM input (issue 11): continuous and skewed items (their moments,
//! reproducibility, bad values), lavaan 0.6-14 goldens on simulated data with missing item cells
//! (FIML, ML and MLR) and with skewed items (MLR) in tests/golden/sem_sim (made by its make.R),
//! and recovery of the design's loadings and paths at n = 20,000.

use serde_json::Value;

use crate::common;
use crate::sem_golden::check_fit;
use cipa::sem::{self, Estimator, Missing, SemOptions};
use cipa::simulate::generate::{calibrate, SimColumn};
use cipa::simulate::{generate, truth, Design, SimulateError};

/// One construct of three items with loadings .8, .6, .4; `extra` adds keys to the construct.
fn one_construct(measurement: &str, extra: &str) -> Design {
    let text = format!(
        "name = \"items\"\nmeasurement = \"{measurement}\"\n[[construct]]\nname = \"f\"\nitems = 3\nloadings = [0.8, 0.6, 0.4]\n{extra}\n"
    );
    Design::parse("items.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn column(sim: &cipa::simulate::Simulated, name: &str) -> Vec<f64> {
    match sim.columns.iter().find(|(n, _)| n == name) {
        Some((_, SimColumn::Numeric { values, .. })) => values.clone(),
        _ => panic!("no numeric column {name}"),
    }
}

/// Mean, variance (divisor n), skewness.
fn moments(x: &[f64]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / n;
    let s = x.iter().map(|a| (a - m).powi(3)).sum::<f64>() / n / v.powf(1.5);
    (m, v, s)
}

fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let (mx, vx, _) = moments(x);
    let (my, vy, _) = moments(y);
    let c = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / x.len() as f64;
    c / (vx * vy).sqrt()
}

const LOADINGS: [f64; 3] = [0.8, 0.6, 0.4];

/// Continuous items: mean 0, variance 1, no skew, correlations λ_j·λ_k (so the loadings are the
/// standardized ones), written with 4 decimals; the same seed gives the same data. Tolerances
/// are 5 standard errors at n = 40,000 (SE of a mean 0.005, of a variance 0.007, of a
/// correlation at most 0.005, of a skewness 0.012).
#[test]
fn continuous_items_have_the_design_loadings() {
    let d = one_construct("continuous", "");
    let n = 40_000;
    let sim = generate(&d, n, 3).expect("generates");
    assert_eq!(
        sim,
        generate(&d, n, 3).expect("again"),
        "same seed, same data"
    );
    assert_ne!(
        column(&sim, "f_1"),
        column(&generate(&d, n, 4).unwrap(), "f_1")
    );
    let items: Vec<Vec<f64>> = (1..=3).map(|j| column(&sim, &format!("f_{j}"))).collect();
    for (j, x) in items.iter().enumerate() {
        let (m, v, s) = moments(x);
        assert!(m.abs() < 0.025, "item {j}: mean {m}");
        assert!((v - 1.0).abs() < 0.035, "item {j}: variance {v}");
        assert!(s.abs() < 0.06, "item {j}: skewness {s}");
        assert!(x.iter().all(|a| (a * 1e4 - (a * 1e4).round()).abs() < 1e-6));
        for k in j + 1..3 {
            let r = correlation(x, &items[k]);
            let want = LOADINGS[j] * LOADINGS[k];
            assert!((r - want).abs() < 0.025, "r({j},{k}) {r} vs {want}");
        }
    }
    // The composite (mean of the items) is still written, as for Likert items.
    assert_eq!(column(&sim, "f").len(), n);
    let t = truth(&d, n, 3, 0).expect("truth");
    let json = serde_json::to_value(&t).expect("json");
    let m = &json["measurement"][0];
    assert_eq!(m["measurement"], "continuous");
    assert_eq!(m["items"].as_array().map(Vec::len), Some(3));
    assert!(m.get("skew").is_none(), "skew 0 is not written");
}

/// `skew = s`: each item keeps variance 1 and correlations λ_j·λ_k, and its skewness is
/// (1 − λ²)^(3/2)·s (the error's skewness s carried by its share of the item), mirrored for
/// s < 0. Tolerances: 5 SEs at n = 60,000 (the skewness of such items has SE under 0.02).
#[test]
fn skewed_items_have_the_documented_skewness() {
    let n = 60_000;
    for s in [1.5, -1.0] {
        let d = one_construct("continuous", &format!("skew = {s}"));
        let sim = generate(&d, n, 11).expect("generates");
        assert_eq!(
            sim,
            generate(&d, n, 11).expect("again"),
            "same seed, same data"
        );
        let items: Vec<Vec<f64>> = (1..=3).map(|j| column(&sim, &format!("f_{j}"))).collect();
        for (j, x) in items.iter().enumerate() {
            let (m, v, sk) = moments(x);
            let want = (1.0 - LOADINGS[j] * LOADINGS[j]).powf(1.5) * s;
            assert!(m.abs() < 0.025, "skew {s} item {j}: mean {m}");
            assert!((v - 1.0).abs() < 0.05, "skew {s} item {j}: variance {v}");
            assert!((sk - want).abs() < 0.1, "skew {s} item {j}: {sk} vs {want}");
            for k in j + 1..3 {
                let r = correlation(x, &items[k]);
                let want = LOADINGS[j] * LOADINGS[k];
                assert!(
                    (r - want).abs() < 0.025,
                    "skew {s}: r({j},{k}) {r} vs {want}"
                );
            }
        }
        let json = serde_json::to_value(truth(&d, n, 11, 0).expect("truth")).expect("json");
        assert_eq!(json["measurement"][0]["skew"].as_f64(), Some(s));
    }
}

/// Skewed Likert items: the cut of a right-skewed response piles up in the low categories and
/// thins out in the high ones, against the symmetric default.
#[test]
fn skewed_likert_items_are_asymmetric() {
    let n = 20_000;
    let share = |skew: f64, cat: f64| {
        let d = one_construct("likert", &format!("skew = {skew}"));
        let x = column(&generate(&d, n, 5).expect("generates"), "f_3");
        x.iter().filter(|v| **v == cat).count() as f64 / n as f64
    };
    let (bottom, top) = (share(2.0, 1.0), share(2.0, 7.0));
    let (bottom0, top0) = (share(0.0, 1.0), share(0.0, 7.0));
    assert!(
        (bottom0 - top0).abs() < 0.01,
        "symmetric: {bottom0} vs {top0}"
    );
    assert!(top > bottom0 + 0.005, "long right tail: {top} vs {top0}");
    assert!(bottom < top, "{bottom} vs {top}");
}

/// Bad `skew` and `measurement` values are typed errors naming the construct and value.
#[test]
fn bad_item_options_are_explained() {
    let base = "name = \"x\"\n[[construct]]\nname = \"trust\"\nitems = 3\n";
    for (extra, words) in [
        ("skew = 5.0", &["trust", "skew 5", "-4 to 4"][..]),
        ("skew = nan", &["trust", "skew NaN"][..]),
        ("skew = -4.5", &["trust", "skew -4.5"][..]),
    ] {
        let e = Design::parse("x.toml", &format!("{base}{extra}\n")).unwrap_err();
        assert!(matches!(e, SimulateError::Invalid { .. }), "{e:?}");
        let msg = e.to_string();
        for w in words {
            assert!(msg.contains(w), "{extra}: {msg}");
        }
    }
    let e = Design::parse("x.toml", &format!("{base}measurement = \"ordinal\"\n")).unwrap_err();
    assert!(matches!(e, SimulateError::Toml { .. }), "{e:?}");
    assert!(e.to_string().contains("ordinal"), "{e}");
    assert!(e.to_string().contains("continuous"), "{e}");
}

/// The model of every case: NT -> CA -> IP with EO and log_employees (tests/golden/sem_sim).
const MODEL: &str = "NT =~ nt_1 + nt_2 + nt_3
EO =~ eo_1 + eo_2 + eo_3
CA =~ ca_1 + ca_2 + ca_3
IP =~ ip_1 + ip_2 + ip_3
CA ~ a*NT + EO + log_employees
IP ~ b*CA + c*NT + EO + log_employees
ind := a*b
total := c + a*b";

/// A golden case's data (`folder`/data.csv) after checking it is what its design and seed make.
fn golden_data(folder: &str, seed: u64) -> cipa::data::Dataset {
    let dir = common::golden_dir("sem_sim").join(folder);
    let design = Design::read(&dir.join("design.toml")).unwrap_or_else(|e| panic!("{e}"));
    let made = generate(&design, 500, seed).expect("generates").to_csv();
    let committed = std::fs::read_to_string(dir.join("data.csv")).expect("data.csv");
    assert!(
        made == committed,
        "{folder}/data.csv is not what its design makes (see tests/golden/sem_sim/README.md)"
    );
    common::read_data(&dir.join("data.csv"))
}

fn golden_case(case: &str, data: &cipa::data::Dataset, opts: &SemOptions) {
    let dir = common::golden_dir(case);
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        exp["model"].as_str(),
        Some(MODEL),
        "make.R and the test fit one model"
    );
    let flat = cipa::spec::syntax::parse_flat(case, MODEL).unwrap_or_else(|e| panic!("{e}"));
    let fit = sem::fit(&flat, data, opts).unwrap_or_else(|e| panic!("{case}: {e}"));
    check_fit(case, &fit, &exp, 1e-5);
}

/// FIML (ML) with MCAR + MAR item cells: every estimate, SE, std.all with SE, the defined
/// indirect and total effects, every fit measure, R² and Σ̂ to 1e-5 relative.
#[test]
fn simulated_mediation_fiml_ml() {
    let data = golden_data("fiml", 20261205);
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Fiml);
    golden_case("sem_sim/fiml/ml", &data, &opts);
}

/// FIML with MLR: sandwich SEs from the casewise scores, the Yuan-Bentler scaled test and the
/// robust fit measures.
#[test]
fn simulated_mediation_fiml_mlr() {
    let data = golden_data("fiml", 20261205);
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Fiml);
    golden_case("sem_sim/fiml/mlr", &data, &opts);
}

/// Complete data with skewed items under MLR.
#[test]
fn simulated_mediation_skewed_items_mlr() {
    let data = golden_data("skew", 20261206);
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    golden_case("sem_sim/skew/mlr", &data, &opts);
}

/// The diagnostics of the complete skewed case: every modification index, EPC and sEPC (std.all)
/// and Bentler's residual correlations. lavaan lists the fixed.x covariate's own moments with an
/// MI of ~0 and cipa leaves them out, so rows with MI below 1e-20 are not compared (as in
/// sem_diagnostics.rs). Tolerance 5e-4 on a floor of 0.01 (1e-3 for the MI): an MI is a
/// quadratic form in the gradient at θ̂, so lavaan's stop ~1e-6 from the optimum moves it more
/// than the estimates; e.g. EO ~ IP's MI is 0.149150 at lavaan's default stop and 0.149079 with
/// control = list(rel.tol = 1e-14) (which then reports non-convergence), cipa 0.149071.
#[test]
fn simulated_mediation_skewed_items_diagnostics() {
    let data = golden_data("skew", 20261206);
    let case = "sem_sim/skew/mlr";
    let text = std::fs::read_to_string(common::golden_dir(case).join("expected.json"))
        .expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let flat = cipa::spec::syntax::parse_flat(case, MODEL).expect("model");
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{e}"));
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let close = |c: &mut common::Checker, what: String, v: f64, ev: f64| {
        let rel = if what.ends_with(" mi") { 1e-3 } else { 5e-4 };
        let tol = rel * ev.abs().max(0.01) / ev.abs().max(1e-300);
        c.num_tol(what, v, ev, tol);
    };
    let mut c = common::Checker::new(case);
    let ours: Vec<_> = fit
        .modification_indices()
        .expect("modification indices")
        .into_iter()
        .filter(|m| m.mi > 1e-20)
        .collect();
    let theirs: Vec<&Value> = exp["modindices"]
        .as_array()
        .expect("modindices")
        .iter()
        .filter(|e| num(&e["mi"]) > 1e-20)
        .collect();
    let key = |l: &str, o: &str, r: &str| format!("{l} {o} {r}");
    c.eq(
        "rows",
        ours.iter()
            .map(|m| key(&m.lhs, &m.op, &m.rhs))
            .collect::<Vec<_>>(),
        theirs
            .iter()
            .map(|e| {
                key(
                    e["lhs"].as_str().unwrap(),
                    e["op"].as_str().unwrap(),
                    e["rhs"].as_str().unwrap(),
                )
            })
            .collect::<Vec<_>>(),
    );
    for (m, e) in ours.iter().zip(&theirs) {
        let what = key(&m.lhs, &m.op, &m.rhs);
        for (col, v) in [("mi", m.mi), ("epc", m.epc), ("sepc_all", m.sepc_all)] {
            close(&mut c, format!("{what} {col}"), v, num(&e[col]));
        }
    }
    let r = fit.residuals().expect("residuals").cor_bentler.cov;
    for i in 0..r.rows {
        for j in 0..r.cols {
            let ev = num(&exp["residual_cor"][i][j]);
            close(&mut c, format!("residual cor [{i},{j}]"), r[(i, j)], ev);
        }
    }
    c.finish();
}

/// (model latent, design construct) of the recovery model.
const LATENTS: [(&str, &str); 4] = [
    ("NT", "network_ties"),
    ("EO", "entre_orientation"),
    ("CA", "collab_activity"),
    ("IP", "intl_performance"),
];

fn design_name(model: &str) -> &str {
    LATENTS
        .iter()
        .find(|(m, _)| *m == model)
        .map_or(model, |(_, d)| d)
}

/// The population covariance of the design's structural nodes (exogenous by their correlations
/// and SDs, each equation's outcome from its terms and calibrated error SD): exact for a design
/// of linear terms, which the recovery design is.
fn population_cov(d: &Design) -> Vec<Vec<f64>> {
    use cipa::simulate::design::NodeKind;
    let p = d.nodes.len();
    let mut cov = vec![vec![0.0; p]; p];
    let k = d.exogenous.len();
    let sd = |i: usize| match d.nodes[i].kind {
        NodeKind::Variable { sd, .. } => sd,
        _ => 1.0,
    };
    for (a, &i) in d.exogenous.iter().enumerate() {
        for (b, &j) in d.exogenous.iter().enumerate() {
            cov[i][j] = d.correlation[a * k + b] * sd(i) * sd(j);
        }
    }
    let error_sds = calibrate(d).expect("calibrates");
    for (eq, e_sd) in d.equations.iter().zip(error_sds) {
        let y = eq.outcome;
        let terms: Vec<(usize, f64)> = eq
            .terms
            .iter()
            .map(|(t, f, c)| {
                assert_eq!(f.len(), 1, "{t}: the recovery design is linear");
                (f[0], *c)
            })
            .collect();
        let row: Vec<f64> = (0..p)
            .map(|j| terms.iter().map(|(f, c)| c * cov[*f][j]).sum())
            .collect();
        // cov(y, y) needs cov(f, y) of the factors, so it is set after the row.
        for (j, v) in row.into_iter().enumerate().filter(|(j, _)| *j != y) {
            cov[y][j] = v;
            cov[j][y] = v;
        }
        cov[y][y] = terms.iter().map(|(f, c)| c * cov[*f][y]).sum::<f64>() + e_sd * e_sd;
    }
    cov
}

/// The true std.all of a loading, latent regression or latent covariance row of the recovery
/// model; `None` for other rows (variances, intercepts, defined effects).
fn true_std_all(d: &Design, cov: &[Vec<f64>], r: &sem::ParameterRow) -> Option<f64> {
    use cipa::simulate::design::NodeKind;
    let node = |name: &str| d.index(design_name(name)).expect("a design node");
    match r.op.as_str() {
        "=~" => {
            let c = node(&r.lhs);
            let NodeKind::Construct {
                items, loadings, ..
            } = &d.nodes[c].kind
            else {
                panic!("{} is a construct", r.lhs)
            };
            let lam = loadings[items.iter().position(|i| *i == r.rhs)?];
            let v = cov[c][c];
            Some(lam * v.sqrt() / (lam * lam * v + 1.0 - lam * lam).sqrt())
        }
        "~" => {
            let (y, x) = (node(&r.lhs), node(&r.rhs));
            let eq = &d.equations[d.nodes[y].equation?];
            let b = eq
                .terms
                .iter()
                .find(|(_, f, _)| f.as_slice() == [x])
                .map_or(0.0, |t| t.2);
            Some(b * (cov[x][x] / cov[y][y]).sqrt())
        }
        "~~" if r.lhs != r.rhs && LATENTS.iter().any(|(m, _)| *m == r.lhs) => {
            let (a, b) = (node(&r.lhs), node(&r.rhs));
            Some(cov[a][b] / (cov[a][a] * cov[b][b]).sqrt())
        }
        _ => None,
    }
}

/// Issue 11: at n = 20,000 the simulator's true loadings and paths lie within 3 SEs of cipa's
/// estimates (std.all and its delta-method SE). Why 3 SEs: the test makes 20 comparisons (12
/// loadings, 7 latent regressions including the absent NT -> IP path, whose truth is 0, and the
/// NT ~~ EO correlation); with a correct engine each |z| > 3 has probability 0.0027, so a seed
/// fails with probability at most 20 × 0.0027 ≈ 5.4% (Bonferroni), while 2 SEs would fail
/// 1 − 0.954^20 ≈ 61% of seeds. The seed is fixed, so the test is deterministic; a bias of 0.02
/// in a loading (4 to 5 of its SEs of about 0.0045) fails it almost surely. Takes about 3 s in a
/// debug build.
#[test]
fn recovery_at_n_20000() {
    let path = common::golden_dir("sem_sim").join("recovery/design.toml");
    let d = Design::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let data = generate(&d, 20_000, 20261207)
        .expect("generates")
        .to_dataset("recovery")
        .expect("data set");
    let flat = cipa::spec::syntax::parse_flat("recovery", MODEL).expect("model");
    let opts = SemOptions::lavaan(Estimator::Ml, Missing::Listwise);
    let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{e}"));
    let cov = population_cov(&d);
    let mut compared = 0;
    let mut worst = 0.0_f64;
    for r in &fit.parameters {
        let Some(t) = true_std_all(&d, &cov, r) else {
            continue;
        };
        let z = (r.std_all - t) / r.std_all_se;
        println!(
            "{} {} {}: std.all {:.4} (SE {:.4}), truth {t:.4}, z {z:.2}",
            r.lhs, r.op, r.rhs, r.std_all, r.std_all_se
        );
        assert!(r.std_all_se > 0.0 && r.std_all_se < 0.05, "{r:?}");
        assert!(
            z.abs() <= 3.0,
            "{} {} {}: std.all {} is {z:.2} SEs from the truth {t}",
            r.lhs,
            r.op,
            r.rhs,
            r.std_all
        );
        compared += 1;
        worst = worst.max(z.abs());
    }
    println!("{compared} comparisons, largest |z| {worst:.2}");
    assert_eq!(compared, 20, "12 loadings, 7 paths, 1 latent covariance");
}
