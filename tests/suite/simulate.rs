//! The simulator: its designs are checked, its data are deterministic, and fitting its data
//! recovers the truth it reports (exactly measured constructs: the structural coefficients; Likert
//! composites: attenuated values that `observed_ols` predicts).

use cipa::estimation::Regression;
use cipa::inference::CovType;
use cipa::simulate::generate::{calibrate, generate_calibrated};
use cipa::simulate::{generate, truth, Design, Measurement};

fn fit(data: &cipa::data::Dataset, y: &str, terms: &[&str]) -> cipa::estimation::EquationFit {
    Regression::new(y, terms)
        .fit_ols(data, CovType::Ols)
        .expect("the fit runs")
}

#[test]
fn the_framework_design_is_valid_and_deterministic() {
    let d = Design::framework();
    let a = generate(&d, 60, 7).unwrap().to_csv();
    let b = generate(&d, 60, 7).unwrap().to_csv();
    let c = generate(&d, 60, 8).unwrap().to_csv();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let header = a.lines().next().unwrap();
    for col in [
        "firm_id",
        "ties_1",
        "network_ties",
        "collab",
        "export_intensity",
        "exporter",
        "n_foreign_markets",
        "entry_speed_years",
        "intl_growth",
        "expf_1",
        "expf_4",
        "export_perf",
        "cooperates",
        "employees",
        "size_class",
        "ownership",
        "family_owned",
        "cultural_distance",
        "geo_distance_km",
        "coop_form",
        "collab_scope",
        "collab_direction",
        "alliance_fit",
    ] {
        assert!(header.split(',').any(|h| h == col), "missing column {col}");
    }
}

/// Exactly measured constructs at n = 20,000: every coefficient of the construct equations (the
/// collaboration equation's moderated first stage, cooperation's inverted U in firm size, export
/// performance's moderated second stage) is within 3.5 standard errors of its true value.
#[test]
fn exact_measurement_recovers_the_structural_coefficients() {
    let d = Design::framework().with_measurement(Measurement::Exact);
    let sds = calibrate(&d).unwrap();
    let data = generate_calibrated(&d, 20_000, 11, &sds)
        .unwrap()
        .to_dataset("sim")
        .unwrap();
    let t = truth(&d, 20_000, 11, 0).unwrap();
    for e in &t.equations {
        let no_error = e.kind == "count" || e.kind == "binary";
        assert_eq!(
            no_error,
            e.error_sd == 0.0,
            "{}: error_sd {}",
            e.outcome,
            e.error_sd
        );
    }
    for outcome in [
        "collab",
        "commitment",
        "cooperation",
        "knowledge_spillover",
        "intl_growth",
        "export_perf",
    ] {
        let eq = t.equations.iter().find(|e| e.outcome == outcome).unwrap();
        let terms: Vec<&str> = eq.coefficients.iter().map(|c| c.term.as_str()).collect();
        let f = fit(&data, outcome, &terms);
        for c in &eq.coefficients {
            let est = f.coefficients.iter().find(|k| k.term == c.term).unwrap();
            let z = (est.estimate - c.value) / est.se;
            assert!(
                z.abs() < 3.5,
                "{outcome}: {} estimate {} truth {} z {z}",
                c.term,
                est.estimate,
                c.value
            );
        }
        // An endogenous construct's latent variance is calibrated to 1.
        let y = data.numeric(outcome).unwrap();
        let m = y.iter().sum::<f64>() / y.len() as f64;
        let var = y.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (y.len() as f64 - 1.0);
        assert!((var - 1.0).abs() < 0.05, "{outcome} variance {var}");
    }
}

/// The framework's non-normal outcomes at n = 20,000 with exact measurement: the logistic
/// regressions of the exporter and cooperates flags and the log of entry speed (lognormal) recover their equations' intercepts
/// and coefficients within 3.5 standard errors. (Export intensity is clipped to 0-100 % and the
/// number of markets is a count, so a linear fit does not estimate their coefficients.)
#[test]
fn exact_measurement_recovers_the_binary_and_lognormal_outcomes() {
    let d = Design::framework().with_measurement(Measurement::Exact);
    let sds = calibrate(&d).unwrap();
    let mut data = generate_calibrated(&d, 20_000, 13, &sds)
        .unwrap()
        .to_dataset("sim")
        .unwrap();
    let t = truth(&d, 20_000, 13, 0).unwrap();
    let log_speed: Vec<f64> = data
        .numeric("entry_speed_years")
        .unwrap()
        .iter()
        .map(|v| v.ln())
        .collect();
    data.set(cipa::data::Variable::numeric("log_entry_speed", log_speed))
        .unwrap();
    for (outcome, column) in [
        ("exporter", "exporter"),
        ("cooperates", "cooperates"),
        ("entry_speed_years", "log_entry_speed"),
    ] {
        let eq = t.equations.iter().find(|e| e.outcome == outcome).unwrap();
        let terms: Vec<&str> = eq.coefficients.iter().map(|c| c.term.as_str()).collect();
        let reg = Regression::new(column, &terms);
        let f = if outcome != "entry_speed_years" {
            reg.fit_logistic(&data, &Default::default()).expect("logit")
        } else {
            reg.fit_ols(&data, CovType::Ols).expect("OLS")
        };
        let want = std::iter::once(("constant", eq.intercept))
            .chain(eq.coefficients.iter().map(|c| (c.term.as_str(), c.value)));
        for (term, value) in want {
            let est = f.coefficients.iter().find(|k| k.term == term).unwrap();
            let z = (est.estimate - value) / est.se;
            assert!(
                z.abs() < 3.5,
                "{outcome}: {term} estimate {} truth {value} z {z}",
                est.estimate
            );
        }
    }
}

/// A design without clipping: the outcome's OLS fit recovers intercept, interaction and all.
#[test]
fn a_normal_outcome_with_two_moderated_stages_is_recovered() {
    let d = Design::parse(
        "test.toml",
        r#"
name = "two-stage"
measurement = "exact"
correlations = [["x", "w", 0.3]]
[[construct]]
name = "x"
items = 3
[[construct]]
name = "m"
items = 3
[[variable]]
name = "w"
mean = 1.0
sd = 0.5
[[categorical]]
name = "g"
levels = ["a", "b"]
probs = [0.6, 0.4]
indicators = { gb = "b" }
[[equation]]
outcome = "m"
terms = { x = 0.4, w = 0.1, "x:w" = -0.2 }
[[equation]]
outcome = "y"
kind = "normal"
intercept = 10.0
error_sd = 2.0
terms = { m = 1.5, x = 0.5, gb = 1.0, "m:gb" = -0.8 }
"#,
    )
    .unwrap();
    let data = generate(&d, 20_000, 3).unwrap().to_dataset("sim").unwrap();
    let f = fit(&data, "y", &["m", "x", "gb", "m:gb"]);
    let want = [
        ("constant", 10.0),
        ("m", 1.5),
        ("x", 0.5),
        ("gb", 1.0),
        ("m:gb", -0.8),
    ];
    for (term, v) in want {
        let c = f.coefficients.iter().find(|c| c.term == term).unwrap();
        assert!(
            ((c.estimate - v) / c.se).abs() < 3.5,
            "{term}: {} vs {v}",
            c.estimate
        );
    }
    let t = truth(&d, 20_000, 3, 0).unwrap();
    let ind = t
        .indirect_effects
        .iter()
        .find(|i| i.x == "x" && i.y == "y")
        .unwrap();
    assert!((ind.indirect_at_zero - 0.6).abs() < 1e-12);
    let idx: Vec<(&str, f64)> = ind
        .index_of_moderated_mediation
        .iter()
        .map(|c| (c.term.as_str(), c.value))
        .collect();
    assert_eq!(idx, vec![("w", -0.2 * 1.5), ("gb", 0.4 * -0.8)]);
}

/// Likert composites: OLS estimates are attenuated (standardized slopes below the latent ones,
/// same sign), and close to what `observed_ols` in the truth says OLS converges to.
#[test]
fn likert_composites_are_attenuated_as_the_truth_says() {
    let d = Design::framework();
    let sds = calibrate(&d).unwrap();
    let data = generate_calibrated(&d, 20_000, 5, &sds)
        .unwrap()
        .to_dataset("sim")
        .unwrap();
    let f = fit(&data, "commitment", &["network_ties", "social_capital"]);
    let sd = |v: &str| {
        let x: Vec<f64> = data
            .numeric(v)
            .unwrap()
            .iter()
            .copied()
            .filter(|x| !x.is_nan())
            .collect();
        let m = x.iter().sum::<f64>() / x.len() as f64;
        (x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)).sqrt()
    };
    for term in ["network_ties", "social_capital"] {
        let b = f
            .coefficients
            .iter()
            .find(|c| c.term == term)
            .unwrap()
            .estimate;
        let std = b * sd(term) / sd("commitment");
        // Latent standardized coefficients are 0.3 (both latents have variance 1).
        assert!(std > 0.1 && std < 0.3, "{term}: standardized {std}");
    }
    let t = truth(&d, 20_000, 5, 50_000).unwrap();
    let pop = t
        .observed_ols
        .iter()
        .find(|o| o.outcome == "commitment")
        .unwrap();
    for c in &pop.coefficients {
        let est = f.coefficients.iter().find(|k| k.term == c.term).unwrap();
        let se = (est.se.powi(2) + c.se.powi(2)).sqrt();
        assert!(
            ((est.estimate - c.estimate) / se).abs() < 3.5,
            "{}: {} vs {}",
            c.term,
            est.estimate,
            c.estimate
        );
    }
}

#[test]
fn missingness_has_the_requested_shares() {
    let d = Design::framework();
    let sds = calibrate(&d).unwrap();
    let data = generate_calibrated(&d, 20_000, 9, &sds)
        .unwrap()
        .to_dataset("sim")
        .unwrap();
    let share = |c: &str| {
        let x = data.numeric(c).unwrap();
        x.iter().filter(|v| v.is_nan()).count() as f64 / x.len() as f64
    };
    assert!(
        (share("ties_1") - 0.02).abs() < 0.005,
        "{}",
        share("ties_1")
    );
    assert!(
        (share("rd_intensity") - 0.06).abs() < 0.008,
        "{}",
        share("rd_intensity")
    );
    assert_eq!(share("ties_2"), 0.0);
    // MAR with a negative strength: small firms skip the R&D question more often.
    let size = data.numeric("log_employees").unwrap();
    let rd = data.numeric("rd_intensity").unwrap();
    let mean_size = |missing: bool| {
        let v: Vec<f64> = size
            .iter()
            .zip(rd)
            .filter(|(_, r)| r.is_nan() == missing)
            .map(|(s, _)| *s)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean_size(true) < mean_size(false) - 0.3);
}

#[test]
fn bad_designs_are_explained() {
    let cases = [
        ("name = \"x\"\n[[equation]]\noutcome = \"y\"\nkind = \"normal\"\nerror_sd = 1.0\nterms = { netwrk = 0.3 }\n[[construct]]\nname = \"network\"\nitems = 3\n",
         "unknown variable 'netwrk'"),
        ("name = \"x\"\n[[categorical]]\nname = \"g\"\nlevels = [\"a\", \"b\"]\nprobs = [0.5, 0.6]\n", "summing to 1"),
        ("name = \"x\"\n[[construct]]\nname = \"a\"\nitems = 3\nloading = 1.2\n", "loading 1.2"),
        ("name = \"x\"\ncolour = 3\n", "unknown field"),
        ("name = \"x\"\n[[construct]]\nname = \"a\"\nitems = 3\n[[construct]]\nname = \"b\"\nitems = 3\n[[equation]]\noutcome = \"b\"\nterms = { a = 0.99 }\n", "explain"),
        ("name = \"x\"\n[missing]\nmar = 0.1\nmar_columns = []\n", "mar_driver"),
        ("name = \"x\"\n[[variable]]\nname = \"a\"\n[missing]\ncode_columns = [\"a\"]\n", "needs missing.code"),
        ("name = \"x\"\n[[variable]]\nname = \"a\"\n[missing]\ncode = -99\ncode_columns = [\"b\"]\n", "'b'"),
    ];
    for (text, needle) in cases {
        let e = match Design::parse("bad.toml", text) {
            Err(e) => e.to_string(),
            Ok(d) => generate(&d, 10, 1).unwrap_err().to_string(),
        };
        assert!(e.contains(needle) && e.contains("bad.toml"), "{e}");
    }
}

/// The shipped teaching datasets are exactly what their documented commands make.
#[test]
fn the_shipped_datasets_are_what_the_commands_make() {
    let shipped = include_str!("../../datasets/sme_survey.csv");
    let made = generate(&Design::framework(), 400, 7).unwrap().to_csv();
    assert!(
        shipped == made,
        "datasets/sme_survey.csv is stale: rerun the command in datasets/README.md"
    );
    let design = Design::parse(
        "designs/sme_example.toml",
        include_str!("../../designs/sme_example.toml"),
    )
    .unwrap();
    let shipped = include_str!("../../datasets/sme_example.csv");
    let made = generate(&design, 400, 20261123).unwrap().to_csv();
    assert!(
        shipped == made,
        "datasets/sme_example.csv is stale: rerun the command in datasets/README.md"
    );
    // "No answer" is written as -99 in the CSV and is missing in the data set.
    let line = shipped
        .lines()
        .find(|l| l.contains(",-99,"))
        .expect("a -99 cell");
    assert!(line.split(',').any(|c| c == "-99"), "{line}");
    let data = generate(&design, 400, 20261123)
        .unwrap()
        .to_dataset("x")
        .unwrap();
    let xp = data.numeric("intl_experience").unwrap();
    assert!(xp.iter().any(|v| v.is_nan()) && xp.iter().all(|v| v.is_nan() || *v >= 0.0));
}
