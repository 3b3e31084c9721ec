//! Curvilinear (polynomial) terms against R 4.2.2 (issue 15): `lm` and `glm` with `I(x^2)`, and
//! the bad input a power refuses. Golden values: tests/golden/curvilinear_size_coop/ (make.R
//! computes them; the data are committed there, so these tests need no ../shared).

use cipa::estimation::{LogisticOptions, Regression};
use cipa::inference::CovType;
use serde_json::Value;

use crate::common::cli::{cipa, usage_error};
use crate::common::{golden_dir, read_data, Checker};

const CASE: &str = "curvilinear_size_coop";

fn expected() -> Value {
    let path = golden_dir(CASE).join("expected.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("expected.json")).unwrap()
}

fn data_path() -> String {
    golden_dir(CASE).join("data.csv").display().to_string()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// The quadratic models of make.R, with R's term names mapped to cipa's.
fn fits() -> [(&'static str, cipa::estimation::EquationFit); 2] {
    let data = read_data(&golden_dir(CASE).join("data.csv"));
    let terms = ["log_size", "log_size^2", "age"];
    let ols = Regression::new("coop", &terms)
        .fit_ols(&data, CovType::Ols)
        .unwrap();
    let logit = Regression::new("cooperates", &terms)
        .fit_logistic(
            &data,
            &LogisticOptions {
                tol: 1e-14,
                ..LogisticOptions::default()
            },
        )
        .unwrap();
    [("ols", ols), ("logit", logit)]
}

#[test]
fn quadratic_coefficients_and_covariance_match_r() {
    let e = expected();
    for (key, fit) in fits() {
        let mut c = Checker::new(format!("{CASE} {key}"));
        let names: Vec<&str> = fit.coefficients.iter().map(|c| c.term.as_str()).collect();
        c.eq(
            "term names",
            names,
            vec!["constant", "log_size", "log_size^2", "age"],
        );
        for (i, b) in nums(&e[key]["coefficients"]).iter().enumerate() {
            c.num(format!("b{i}"), fit.coefficients[i].estimate, *b);
        }
        // jsonlite writes the matrix as one vector (by columns; it is symmetric).
        let v = nums(&e[key]["vcov"]);
        c.eq("vcov size", v.len(), fit.cov.len());
        for (i, x) in v.iter().enumerate() {
            c.num_tol(format!("vcov[{i}]"), fit.cov[i], *x, 1e-6);
        }
        c.finish();
    }
}

#[test]
fn a_power_reads_as_one_in_json_and_text() {
    let d = data_path();
    let o = cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2",
        "--center",
        "log_size",
        "--format",
        "json",
    ]);
    let j = crate::common::cli::json(&o);
    let terms: Vec<&str> = j["equations"][0]["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["constant", "log_size", "log_size^2"]);
    let text = crate::common::cli::ok(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2",
        "--center",
        "log_size",
    ]));
    assert!(
        text.contains("'log_size' is mean-centred before it is powered"),
        "{text}"
    );
}

#[test]
fn a_power_of_a_categorical_or_two_valued_variable_is_refused() {
    let d = data_path();
    let two = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "cooperates,cooperates^2",
    ]));
    assert!(
        two.contains("'cooperates' has only two values (0 and 1)"),
        "{two}"
    );
    let cat = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "age,age^2",
        "--categorical",
        "age",
    ]));
    assert!(
        cat.contains("'age' is categorical; a power needs a numeric variable"),
        "{cat}"
    );
    let twice = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size:log_size",
    ]));
    assert!(twice.contains("write its square as log_size^2"), "{twice}");
    let high = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^4",
    ]));
    assert!(high.contains("at most 3"), "{high}");
}

#[test]
fn turning_point_fieller_and_u_test_match_r() {
    use cipa::effects::{quadratic_tests, Fieller, Position, Shape};
    let e = expected();
    for (key, fit) in fits() {
        let r = &e[key];
        // glm's covariance comes from the weights of its last IRLS step, cipa's from the
        // converged estimates: they agree to ~1e-7, and Fieller's lower root (a difference of
        // nearly equal terms) amplifies that about tenfold.
        let tol = if key == "ols" { 1e-8 } else { 5e-6 };
        let mut c = Checker::new(format!("{CASE} {key} turning point and U test"));
        let q = quadratic_tests(&fit, "log_size", None).expect("a quadratic");
        let tp = q.turning_point.expect("a turning point");
        let f = |k: &str| r[k].as_f64().unwrap();
        c.num_tol("turning point", tp.x, f("turning_point"), tol);
        c.num_tol("delta-method SE", tp.se, f("turning_point_se"), tol);
        match tp.fieller {
            Fieller::Bounded { lower, upper } => {
                c.num_tol("Fieller lower", lower, f("fieller_lower"), tol);
                c.num_tol("Fieller upper", upper, f("fieller_upper"), tol);
            }
            Fieller::Unbounded => c.fail("Fieller interval unbounded; R's is bounded"),
        }
        c.eq("position", tp.position, Position::Inside);
        let u = q.u_test.expect("a U test");
        c.eq("shape", u.shape, Shape::InvertedU);
        c.eq("shape name", r["shape"].as_str(), Some("inverted_u"));
        c.num("range lower", u.lower.x, f("range_lower"));
        c.num("range upper", u.upper.x, f("range_upper"));
        c.num_tol("slope lower", u.lower.slope, f("slope_lower"), tol);
        c.num_tol("slope lower se", u.lower.se, f("slope_lower_se"), tol);
        c.num_tol("t lower", u.lower.stat, f("t_lower"), tol);
        c.num_tol("slope upper", u.upper.slope, f("slope_upper"), tol);
        c.num_tol("slope upper se", u.upper.se, f("slope_upper_se"), tol);
        c.num_tol("t upper", u.upper.stat, f("t_upper"), tol);
        c.num_tol("U test statistic", u.stat, f("u_test_t"), tol);
        c.num_tol("U test p", u.p, f("u_test_p"), tol);
        c.finish();
    }
}

#[test]
fn the_u_test_runs_on_a_given_range_and_lands_in_json() {
    let d = data_path();
    let j = crate::common::cli::json(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2,age",
        "--u-range",
        "2,5",
        "--format",
        "json",
    ]));
    let u = &j["curvilinear"][0]["u_test"];
    assert_eq!(u["lower"]["x"], 2.0);
    assert_eq!(u["upper"]["x"], 5.0);
    assert_eq!(j["curvilinear"][0]["reference"]["distribution"], "t");
    assert_eq!(j["curvilinear"][0]["reference"]["df"], 296.0);
    let bad = usage_error(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2",
        "--u-range",
        "5,2",
    ]));
    assert!(bad.contains("LO < HI"), "{bad}");
}

#[test]
fn a_zero_square_has_no_turning_point_and_a_weak_one_no_bounded_interval() {
    use cipa::effects::{fieller, turning_point, u_test, Fieller, Quadratic, Reference};
    let line = Quadratic {
        b1: 0.5,
        b2: 0.0,
        v11: 0.01,
        v12: 0.0,
        v22: 0.01,
    };
    assert!(turning_point(&line).is_none());
    assert!(u_test(&line, 0.0, 1.0, Reference::Normal).is_none());
    // b2 = -0.1 with SE 1: not significant, so Fieller's set is not an interval.
    let weak = Quadratic {
        b2: -0.1,
        v22: 1.0,
        ..line
    };
    assert_eq!(fieller(&weak, 1.96), Fieller::Unbounded);
    // The CLI says so in words: the logistic curve's weaker age square.
    let d = data_path();
    let text = crate::common::cli::ok(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "age,age^2",
    ]));
    assert!(
        text.contains("Fieller's interval of the turning point is unbounded")
            || text.contains("lies below")
            || text.contains("lies above"),
        "{text}"
    );
}

#[test]
fn the_fitted_curve_peaks_at_the_turning_point_inside_its_band() {
    use cipa::effects::{quadratic_curve, quadratic_tests};
    for (key, fit) in fits() {
        let q = quadratic_tests(&fit, "log_size", None).unwrap();
        let xs = vec![1.0; fit.n];
        let c = quadratic_curve(&fit, &q, &xs).unwrap();
        assert_eq!(c.x.len(), 101);
        assert_eq!(c.cases.len(), fit.n, "{key}");
        assert_eq!(c.held_at_means, ["age"], "{key}");
        for i in 0..c.x.len() {
            assert!(
                c.lower[i] <= c.fit[i] && c.fit[i] <= c.upper[i],
                "{key} at {i}"
            );
        }
        // The highest point of the grid is the grid point nearest the turning point.
        let top = (0..c.x.len())
            .max_by(|&a, &b| c.fit[a].total_cmp(&c.fit[b]))
            .unwrap();
        let tp = c.turning_point.unwrap();
        let step = c.x[1] - c.x[0];
        assert!(
            (c.x[top] - tp).abs() <= step,
            "{key}: top {} vs {tp}",
            c.x[top]
        );
        assert_eq!(c.probability, key == "logit");
    }
}

#[cfg(feature = "plot")]
#[test]
fn the_results_folder_holds_the_curve_figure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    let d = data_path();
    crate::common::cli::ok(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "cooperates",
        "--logistic",
        "--x",
        "log_size,log_size^2,age",
        "--out",
        out.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(out.join("plots/curvilinear_log_size.svg")).unwrap();
    assert!(svg.contains("P(cooperates = 1)"), "the probability scale");
    assert!(svg.contains("turning point"));
    assert!(out.join("plots/curvilinear_log_size.png").exists());
}

#[test]
fn the_apa_table_reports_the_turning_point_and_u_test_of_r() {
    use cipa::report::apa::{apa_markdown, apa_quadratic, ApaOptions, Cell};
    let e = expected();
    for (key, fit) in fits() {
        let tests = cipa::effects::quadratic_tests(&fit, "log_size", None).unwrap();
        let table = apa_quadratic(std::slice::from_ref(&tests), &ApaOptions::default()).unwrap();
        let row = &table.panels[0].rows[0];
        let num = |i: usize| match &row.cells[i] {
            Cell::Num { value, .. } => *value,
            other => panic!("{key}: cell {i} is {other:?}"),
        };
        // As in turning_point_fieller_and_u_test_match_r: glm's last-IRLS covariance.
        let tol = if key == "ols" { 1e-8 } else { 5e-6 };
        let mut c = Checker::new(format!("{CASE} {key} APA"));
        c.num("x*", num(0), e[key]["turning_point"].as_f64().unwrap());
        c.num_tol(
            "se",
            num(1),
            e[key]["turning_point_se"].as_f64().unwrap(),
            tol,
        );
        c.num_tol("LL", num(2), e[key]["fieller_lower"].as_f64().unwrap(), tol);
        c.num_tol("UL", num(3), e[key]["fieller_upper"].as_f64().unwrap(), tol);
        c.num_tol("U t", num(7), e[key]["u_test_t"].as_f64().unwrap(), tol);
        c.num_tol("U p", num(8), e[key]["u_test_p"].as_f64().unwrap(), tol);
        c.finish();
        let md = apa_markdown(&[table]);
        assert!(md.contains("inverted U") && md.contains("Fieller"), "{md}");
    }
}

#[test]
fn the_turning_point_has_a_seeded_percentile_bootstrap_interval() {
    let d = data_path();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "regress",
            "--data",
            &d,
            "--y",
            "coop",
            "--x",
            "log_size,log_size^2,age",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        crate::common::cli::json(&cipa(&args))
    };
    let j = run(&["--boot", "500", "--seed", "11"]);
    let q = &j["curvilinear"][0];
    let b = &q["bootstrap"];
    let (lo, hi) = (b["lower"].as_f64().unwrap(), b["upper"].as_f64().unwrap());
    let x = q["turning_point"]["x"].as_f64().unwrap();
    assert!(lo < x && x < hi, "{b}");
    assert_eq!(b["B"], 500);
    assert_eq!(b["seed"], 11);
    assert_eq!(b["method"], "percentile");
    assert_eq!(b["failed"], 0);
    // The same seed gives the same draws; another seed other ones.
    assert_eq!(
        run(&["--boot", "500", "--seed", "11"])["curvilinear"][0]["bootstrap"],
        *b
    );
    assert_ne!(
        run(&["--boot", "500", "--seed", "12"])["curvilinear"][0]["bootstrap"],
        *b
    );
    // Without --boot there is no bootstrap object.
    assert!(run(&[])["curvilinear"][0].get("bootstrap").is_none());
    let linear = usage_error(&cipa(&[
        "regress", "--data", &d, "--y", "coop", "--x", "log_size", "--boot", "500",
    ]));
    assert!(linear.contains("square"), "{linear}");
}

const LOGIT_BOOT: &str = "curvilinear_logit_boot";

/// A logistic turning point's bootstrap (make.R of curvilinear_logit_boot): on 3,000 simulated
/// rows x* is near normal, so the bootstrap SE must sit near car::deltaMethod's SE and near R's
/// own bootstrap SE (B = 2000, R's RNG). With B = 1000 the Monte Carlo error of a bootstrap SE is
/// about 1/sqrt(2B) = 2.2% of it; 10% is more than four of those.
#[test]
fn a_logistic_turning_point_bootstrap_se_matches_the_delta_method() {
    let dir = golden_dir(LOGIT_BOOT);
    let e: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let data = dir.join("data.csv").display().to_string();
    let j = crate::common::cli::json(&cipa(&[
        "regress",
        "--data",
        &data,
        "--y",
        "y",
        "--x",
        "x,x^2",
        "--logistic",
        "--boot",
        "1000",
        "--seed",
        "5",
        "--format",
        "json",
    ]));
    let q = &j["curvilinear"][0];
    let f = |v: &Value| v.as_f64().unwrap();
    let mut c = Checker::new(format!("{LOGIT_BOOT} logistic turning point bootstrap"));
    let x = f(&q["turning_point"]["x"]);
    c.num_tol("turning point", x, f(&e["turning_point"]), 1e-7);
    c.num_tol(
        "delta-method SE",
        f(&q["turning_point"]["se"]),
        f(&e["turning_point_se"]),
        1e-5,
    );
    let b = &q["bootstrap"];
    c.eq("B", b["B"].as_u64(), Some(1000));
    c.eq("failed", b["failed"].as_u64(), Some(0));
    let se = f(&b["se"]);
    for key in ["turning_point_se", "r_boot_se"] {
        let r = f(&e[key]);
        if (se / r - 1.0).abs() >= 0.10 {
            c.fail(format!("bootstrap SE {se} not within 10% of {key} {r}"));
        }
    }
    let (lo, hi) = (f(&b["lower"]), f(&b["upper"]));
    if !(lo < x && x < hi) {
        c.fail(format!("[{lo}, {hi}] misses x* {x}"));
    }
    // The percentile interval is about x* ± 1.96 SE at this n; R's bounds agree to a few %.
    let r = nums(&e["r_boot_percentile"]);
    let width = r[1] - r[0];
    if (lo - r[0]).abs() >= 0.25 * width || (hi - r[1]).abs() >= 0.25 * width {
        c.fail(format!("[{lo}, {hi}] far from R's [{}, {}]", r[0], r[1]));
    }
    c.finish();
}

/// The logistic refits draw the same resamples whatever the thread count.
#[test]
fn a_logistic_turning_point_bootstrap_is_thread_invariant() {
    use cipa::analysis::{turning_point_bootstrap, Refit};
    let data = read_data(&golden_dir(LOGIT_BOOT).join("data.csv"));
    let model = Regression::new("y", &["x", "x^2"]);
    let fit = model
        .fit_logistic(&data, &LogisticOptions::default())
        .unwrap();
    let design = model.design(&data, true).unwrap();
    let start: Vec<f64> = fit.coefficients.iter().map(|c| c.estimate).collect();
    let run = |threads| {
        turning_point_bootstrap(
            &design,
            Refit::Logistic(&start),
            ("x", "x^2"),
            (200, 3, threads),
            (95.0, 3.35),
        )
        .unwrap()
        .unwrap()
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one.failed, 0);
    assert!(one.se > 0.0);
}

/// `fit` on a path-syntax model with `spec` (in a temporary file), the curvilinear data.
fn fit_spec(spec: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let model = crate::common::cli::write(dir.path(), "curve.cipa", spec);
    let (model, d) = (model.display().to_string(), data_path());
    let mut args = vec!["fit", "--data", &d, "--spec", &model, "--x", "log_size"];
    args.extend_from_slice(extra);
    cipa(&args)
}

/// Every number of make.R's `key` block a fit's `curvilinear` entry reports.
fn check_fit_curve(c: &mut Checker, q: &Value, r: &Value, tol: f64) {
    let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let tp = &q["turning_point"];
    c.num_tol("turning point", f(&tp["x"]), f(&r["turning_point"]), tol);
    c.num_tol(
        "delta-method SE",
        f(&tp["se"]),
        f(&r["turning_point_se"]),
        tol,
    );
    c.eq(
        "Fieller bounded",
        tp["fieller"]["kind"].as_str(),
        Some("bounded"),
    );
    c.num_tol(
        "Fieller lower",
        f(&tp["fieller"]["lower"]),
        f(&r["fieller_lower"]),
        tol,
    );
    c.num_tol(
        "Fieller upper",
        f(&tp["fieller"]["upper"]),
        f(&r["fieller_upper"]),
        tol,
    );
    c.eq("position", tp["position"].as_str(), Some("inside"));
    let u = &q["u_test"];
    c.eq("shape", u["shape"].as_str(), r["shape"].as_str());
    c.num("range lower", f(&u["lower"]["x"]), f(&r["range_lower"]));
    c.num("range upper", f(&u["upper"]["x"]), f(&r["range_upper"]));
    for (end, key) in [("lower", "slope_lower"), ("upper", "slope_upper")] {
        c.num_tol(format!("slope {end}"), f(&u[end]["slope"]), f(&r[key]), tol);
        let se = f(&r[format!("{key}_se").as_str()]);
        c.num_tol(format!("slope {end} se"), f(&u[end]["se"]), se, tol);
        let t = f(&r[format!("t_{end}").as_str()]);
        c.num_tol(format!("t {end}"), f(&u[end]["stat"]), t, tol);
    }
    c.num_tol("U test statistic", f(&u["stat"]), f(&r["u_test_t"]), tol);
    c.num_tol("U test p", f(&u["p"]), f(&r["u_test_p"]), tol);
}

/// A path with a square term in `fit` gets the tests `regress` reports, against make.R's lm
/// and glm: as the only equation (OLS and logistic) and as the M equation of a mediation.
#[test]
fn fit_reports_the_turning_point_and_u_test_of_a_curvilinear_path_as_r() {
    let e = expected();
    let ols_model = "coop ~ log_size + log_size^2 + age\n";
    let cases = [
        ("ols", ols_model.to_string(), vec![], 1e-8),
        (
            "logit",
            "cooperates ~ log_size + log_size^2 + age\n".to_string(),
            vec!["--logistic"],
            5e-6,
        ),
        (
            "ols",
            format!("{ols_model}export ~ log_size + coop\n"),
            vec![],
            1e-8,
        ),
    ];
    for (key, spec, extra, tol) in cases {
        let j = crate::common::cli::json(&fit_spec(
            &spec,
            &crate::common::cli::with(&["--format", "json"], &extra),
        ));
        let curves = j["curvilinear"].as_array().expect("a curvilinear list");
        let mut c = Checker::new(format!("{CASE} fit {key}: {}", spec.trim()));
        c.eq("one curvilinear path", curves.len(), 1);
        c.eq(
            "its variable",
            curves[0]["variable"].as_str(),
            Some("log_size"),
        );
        let distribution = if key == "ols" { "t" } else { "normal" };
        c.eq(
            "reference",
            curves[0]["reference"]["distribution"].as_str(),
            Some(distribution),
        );
        check_fit_curve(&mut c, &curves[0], &e[key], tol);
        c.finish();
    }
}

/// With `--boot` the turning point's percentile interval comes from the analysis's seed: for
/// the same equation and rows, the same draws as `regress --boot` with that seed.
#[test]
fn fit_bootstraps_a_turning_point_with_the_draws_regress_takes() {
    let spec = "coop ~ log_size + log_size^2 + age\nexport ~ log_size + coop\n";
    let j = crate::common::cli::json(&fit_spec(
        spec,
        &["--boot", "300", "--seed", "11", "--format", "json"],
    ));
    let fit_boot = &j["curvilinear"][0]["bootstrap"];
    let d = data_path();
    let r = crate::common::cli::json(&cipa(&[
        "regress",
        "--data",
        &d,
        "--y",
        "coop",
        "--x",
        "log_size,log_size^2,age",
        "--boot",
        "300",
        "--seed",
        "11",
        "--format",
        "json",
    ]));
    assert_eq!(*fit_boot, r["curvilinear"][0]["bootstrap"]);
    assert_eq!(fit_boot["B"], 300);
    assert_eq!(fit_boot["method"], "percentile");
    // A logistic path is refitted by maximum likelihood in each resample.
    let logit = crate::common::cli::json(&fit_spec(
        "cooperates ~ log_size + log_size^2 + age\n",
        &[
            "--logistic",
            "--boot",
            "200",
            "--seed",
            "4",
            "--format",
            "json",
        ],
    ));
    let b = &logit["curvilinear"][0]["bootstrap"];
    let x = logit["curvilinear"][0]["turning_point"]["x"]
        .as_f64()
        .unwrap();
    let (lo, hi) = (b["lower"].as_f64().unwrap(), b["upper"].as_f64().unwrap());
    assert!(lo < x && x < hi, "{b}");
}

/// Every report format of `fit` carries the curvilinear tables, and the APA tables the
/// turning-point table, as `regress`'s do.
#[test]
fn fit_prints_the_curvilinear_tables_in_every_format() {
    let spec = "coop ~ log_size + log_size^2 + age\nexport ~ log_size + coop\n";
    let boot = ["--boot", "200", "--seed", "2"];
    for format in ["text", "markdown", "html", "csv", "latex"] {
        let out = crate::common::cli::ok(&fit_spec(
            spec,
            &crate::common::cli::with(&boot, &["--format", format]),
        ));
        // LaTeX escapes the underscore.
        let variable = if format == "latex" {
            "log\\_size"
        } else {
            "log_size"
        };
        for needle in [
            format!("Turning point of {variable} on coop"),
            format!("U test (inverted U) of {variable} on coop"),
            "Fieller".into(),
            "percentile interval of the turning point".into(),
        ] {
            assert!(out.contains(&needle), "{format} lacks '{needle}':\n{out}");
        }
    }
    let apa = crate::common::cli::ok(&fit_spec(spec, &["--apa", "--format", "markdown"]));
    assert!(
        apa.contains("Turning point") && apa.contains("Lind & Mehlum"),
        "{apa}"
    );
}
