//! Nonlinear equality and inequality constraints in `cipa sem` against lavaan 0.6-14
//! (tests/golden/sem_hs_nonlinear*, sem_hs_inequality_*; each made by its make.R with
//! tests/golden/sem_common/sem_golden.R): lavaan fits them by its augmented Lagrangian
//! (`nlminb.constr`, constraint tolerance 1e-6), cipa to |c| < 1e-10 and |∇Φ| < 1e-10. Then the
//! refusals: constraints that cannot hold, labels that name nothing, and FIML, which still
//! needs the linear reparametrisation; MLR, the bootstrap, the modification indices and the
//! residuals work under these constraints as lavaan's do.

use serde_json::Value;

use crate::common;
use crate::sem_golden::check_fit_tol;
use cipa::sem::resample::{bootstrap, SemBootOptions};
use cipa::sem::{self, Estimator, Information, Missing, SemError, SemOptions};

/// lavaan's `nlminb.constr` stops at an outer tolerance of 1e-6 on the constraints and nlminb's
/// rel.tol 1e-9 (lav_model_estimate.R), so its θ̂ is ~1e-4 (relative, on the SE scale) from the
/// optimum: tightening its control moves its estimates toward cipa's (the binding case, below,
/// is also checked to 1e-6 against lavaan's precise fit of the same optimum). Parameter rows,
/// Σ̂, R² and SRMR are compared to this; the chi-square and the indices built on it to 1e-5
/// (the chi-square itself to 1e-6: F is flat at the optimum).
const LAVAAN_CONSTR_REL: f64 = 2e-4;

const CFA: &str = "visual =~ x1 + a*x2 + b*x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9";

fn hs() -> Option<cipa::data::Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    Some(common::read_data(&path))
}

fn expected(case: &str) -> Value {
    let text = std::fs::read_to_string(common::golden_dir(case).join("expected.json"))
        .expect("expected.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The golden case's model fitted by cipa (`None` without the shared data).
fn fit_case(case: &str) -> Option<(sem::SemFit, Value)> {
    let data = hs()?;
    let exp = expected(case);
    let model = exp["model"].as_str().expect("model");
    let flat = cipa::spec::syntax::parse_flat(case, model).expect("parses");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    Some((fit, exp))
}

fn check_constrained_case(case: &str) {
    let Some((fit, exp)) = fit_case(case) else {
        return;
    };
    let tol = |name: &str| match name {
        "chisq" => 1e-6,
        "srmr" | "r2" => LAVAAN_CONSTR_REL,
        _ => 1e-5,
    };
    check_fit_tol(case, &fit, &exp, LAVAAN_CONSTR_REL, &tol);
}

/// The indirect effect of the latent mediation model (a `:=` parameter) held at 0.1: one
/// nonlinear equality, df + 1, npar − 1, the pinned `ind` with SE 0 and no z test.
#[test]
fn nonlinear_equality_on_a_defined_indirect_effect() {
    check_constrained_case("sem_hs_nonlinear");
}

/// One loading the square of another.
#[test]
fn nonlinear_equality_between_two_loadings() {
    check_constrained_case("sem_hs_nonlinear_power");
}

/// a > b where the data want a < b: the constraint binds (a = b), enters the SEs as an
/// equality would, but not df or npar.
#[test]
fn binding_inequality_holds_with_equality_and_keeps_df() {
    check_constrained_case("sem_hs_inequality_binding");
}

/// The binding a > b against lavaan's precise fit of a == b (the same optimum, and the same
/// SEs since lavaan's augmented information holds the active inequality as an equality): every
/// estimate and SE to 1e-6, F to 1e-9.
#[test]
fn binding_inequality_matches_the_equality_fit_tightly() {
    let Some((fit, _)) = fit_case("sem_hs_inequality_binding") else {
        return;
    };
    let exp = expected("sem_hs_inequality_binding/as_equality");
    let mut c = common::Checker::new("binding a > b vs a == b");
    c.num_tol(
        "chisq",
        fit.fit.chisq,
        exp["fit"]["chisq"].as_f64().unwrap(),
        1e-9,
    );
    let rows = exp["parameters"].as_array().expect("rows");
    for e in rows.iter().filter(|e| e["free"].as_u64().unwrap_or(0) > 0) {
        let (lhs, op, rhs) = (e["lhs"].as_str(), e["op"].as_str(), e["rhs"].as_str());
        let r = fit
            .parameters
            .iter()
            .find(|r| {
                Some(r.lhs.as_str()) == lhs
                    && Some(r.op.as_str()) == op
                    && Some(r.rhs.as_str()) == rhs
            })
            .expect("the same rows");
        let what = format!("{} {} {}", r.lhs, r.op, r.rhs);
        c.num_tol(
            format!("{what} est"),
            r.est,
            e["est"].as_f64().unwrap(),
            1e-6,
        );
        c.num_tol(format!("{what} se"), r.se, e["se"].as_f64().unwrap(), 1e-6);
    }
    c.finish();
    assert_eq!(
        fit.fit.df,
        exp["fit"]["df"].as_f64().unwrap() - 1.0,
        "the inequality keeps df"
    );
}

/// A residual variance bounded above (v < 0.9) where the data want 1.13: it sits at the bound
/// with no SE (NA, as lavaan prints), the other SEs as if v were fixed, df as without the bound.
#[test]
fn binding_bound_pins_a_variance() {
    check_constrained_case("sem_hs_inequality_bound");
}

/// b > a, which the unconstrained estimates satisfy: the unconstrained fit, SEs and df.
#[test]
fn inactive_inequality_leaves_the_fit_alone() {
    check_constrained_case("sem_hs_inequality_inactive");
}

fn fit_err(model: &str, opts: &SemOptions) -> Option<SemError> {
    let data = hs()?;
    let flat = cipa::spec::syntax::parse_flat("model", model).expect("parses");
    Some(sem::fit(&flat, &data, opts).expect_err("refused"))
}

#[test]
fn constraints_that_cannot_hold_are_named_with_their_line() {
    let cases = [
        (format!("{CFA}\na^2 == -1"), [4, 4]),
        // Either of two constraints that exclude each other.
        (format!("{CFA}\na > 1\na < 0.5"), [4, 5]),
    ];
    for (model, lines) in cases {
        let Some(e) = fit_err(&model, &SemOptions::default()) else {
            return;
        };
        match &e {
            SemError::InconsistentConstraints { pos, .. } => {
                assert!(lines.contains(&pos.line), "{e}")
            }
            other => panic!("{model}: {other}"),
        }
    }
}

/// An unknown label in a constraint is a syntax error at its line and column.
#[test]
fn a_constraint_naming_an_unknown_label_is_refused_at_its_position() {
    let e = cipa::spec::syntax::parse_flat("model", &format!("{CFA}\na*q == 0.3"))
        .expect_err("refused");
    let text = e.to_string();
    assert!(
        text.contains("unknown label 'q'") && text.contains(":4:"),
        "{text}"
    );
}

#[test]
fn fiml_refuses_nonlinear_constraints() {
    let model = format!("{CFA}\na == b^2");
    let fiml = SemOptions {
        missing: Missing::Fiml,
        information: Information::Observed,
        ..SemOptions::default()
    };
    let Some(e) = fit_err(&model, &fiml) else {
        return;
    };
    assert!(
        matches!(&e, SemError::Unsupported { pos, what } if pos.line == 4 && what.contains("FIML")),
        "{e}"
    );
}

/// MLR under the nonlinear equality of sem_hs_nonlinear (tests/golden/sem_hs_nonlinear_mlr,
/// lavaan's nlminb.constr run to a tight stop): the sandwich E⁻¹B₀E⁻¹ with E⁻¹ the top-left
/// block of the inverted augmented observed information, and the Yuan-Bentler scaled test
/// with df + 1, every row and fit measure to 1e-5. The pinned `ind` has variance 0 up to
/// rounding: lavaan's sandwich lands at −1e-17 and prints NA, its ML fit at +1e-17 and prints
/// 0 (sem_hs_nonlinear); cipa prints 0 for both, so that row's SE and interval are compared
/// with 0 and the estimate.
#[test]
fn mlr_with_a_nonlinear_equality() {
    let case = "sem_hs_nonlinear_mlr";
    let Some(data) = hs() else {
        return;
    };
    let mut exp = expected(case);
    let flat = cipa::spec::syntax::parse_flat(case, exp["model"].as_str().expect("model"))
        .expect("parses");
    let opts = SemOptions::lavaan(Estimator::Mlr, Missing::Listwise);
    let fit = sem::fit(&flat, &data, &opts).unwrap_or_else(|e| panic!("{e}"));
    let mut pinned = 0;
    for row in exp["parameters"].as_array_mut().expect("rows") {
        if row["op"] == ":=" && row["se"].is_null() {
            let est = row["est"].clone();
            row["se"] = 0.0.into();
            row["ci_lower"] = est.clone();
            row["ci_upper"] = est;
            pinned += 1;
        }
    }
    assert_eq!(pinned, 1, "lavaan's NA is the pinned ind only");
    let ind = fit.parameters.iter().find(|r| r.lhs == "ind").expect("ind");
    assert_eq!(ind.se, 0.0);
    crate::sem_golden::check_fit(case, &fit, &exp, 1e-5);
    let scaled = fit.fit.scaled.as_ref().expect("MLR's scaled test");
    assert!(scaled.chisq_scaled.is_finite(), "{scaled:?}");
}

/// lavaan's bootstrap of sem_hs_nonlinear (tests/golden/sem_hs_nonlinear_boot: B = 1000,
/// every draw refitted by nlminb.constr): cipa refits each draw by the augmented Lagrangian
/// from θ̂ and the full sample's multipliers; SEs and percentile bounds within the Monte Carlo
/// bounds of tests/suite/sem_boot.rs. The pinned `ind` is 0.1 in every draw of both (lavaan's
/// to its constraint tolerance), so it is checked on its own.
#[test]
fn bootstrap_under_a_nonlinear_equality_agrees_with_lavaan() {
    let Some(data) = hs() else {
        return;
    };
    let mut exp = expected("sem_hs_nonlinear_boot");
    let flat = cipa::spec::syntax::parse_flat("boot", exp["model"].as_str().expect("model"))
        .expect("parses");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).expect("fits");
    let opts = SemBootOptions {
        boot: 1000,
        seed: 20261205,
        ..SemBootOptions::default()
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    assert!(boot.failed.failed < 50, "{:?}", boot.failed);
    let rows = exp["parameters"].as_array_mut().expect("rows");
    let at = rows.iter().position(|r| r["lhs"] == "ind").expect("ind");
    let lavaan_ind = rows.remove(at);
    assert!(
        lavaan_ind["se"].as_f64().expect("se") < 1e-5,
        "{lavaan_ind}"
    );
    let ind = boot
        .parameters
        .iter()
        .find(|r| r.lhs == "ind")
        .expect("ind");
    assert!(ind.se.expect("se") < 1e-8, "{ind:?}");
    for bound in [ind.ci_lower, ind.ci_upper] {
        assert!((bound.expect("bound") - 0.1).abs() < 1e-8, "{ind:?}");
    }
    let compared = crate::sem_boot::compare_with_lavaan(&boot, &exp, 1000.0);
    assert!(compared >= 3 * 25, "only {compared} numbers compared");
}

/// semTools' monteCarloCI of the := parameters under the nonlinear equality
/// (tests/golden/sem_hs_nonlinear_boot, nRep = 20000): draws from N(θ̂, V̂) with V̂ the singular
/// constrained covariance. Percentile bounds within four SDs of the difference of two
/// independent q-quantile estimates, √(q(1 − q)(1/R₁ + 1/R₂))·σ/φ(z_q), σ the draws' SD.
#[test]
fn monte_carlo_under_a_nonlinear_equality_agrees_with_semtools() {
    let Some(data) = hs() else {
        return;
    };
    let exp = expected("sem_hs_nonlinear_boot");
    let flat = cipa::spec::syntax::parse_flat("mc", exp["model"].as_str().expect("model"))
        .expect("parses");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).expect("fits");
    let opts = SemBootOptions {
        mc: 20000,
        seed: 11,
        ..SemBootOptions::default()
    };
    let mc = bootstrap(&flat, &data, &fit, &opts)
        .expect("Monte Carlo")
        .monte_carlo
        .expect("intervals");
    let e = &exp["monte_carlo"];
    let r2 = e["nRep"].as_f64().expect("nRep");
    let names = e["names"].as_array().expect("names");
    assert_eq!(names.len(), mc.defined.len());
    let mut c = common::Checker::new("Monte Carlo");
    for (k, name) in names.iter().enumerate() {
        let r = mc
            .defined
            .iter()
            .find(|r| Some(r.lhs.as_str()) == name.as_str())
            .expect("a := row");
        let se = r.se.expect("se");
        for (what, got, q) in [
            ("ci_lower", r.ci_lower, 0.025),
            ("ci_upper", r.ci_upper, 0.975),
        ] {
            let want = e[what][k].as_f64().expect("bound");
            let z = 1.959963984540054_f64;
            let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let sd = (q * (1.0 - q) * (1.0 / 20000.0 + 1.0 / r2)).sqrt() * se / density;
            let got = got.expect("bound");
            println!(
                "{} {what}: cipa {got:.6} semTools {want:.6} ({:+.2} SD)",
                r.lhs,
                (got - want) / sd
            );
            c.num_tol(
                format!("{} {what}", r.lhs),
                got,
                want,
                4.0 * sd / want.abs(),
            );
        }
    }
    c.finish();
}

/// Under a binding inequality every draw is refitted under it: no draw has a < b, and the
/// draws where it binds have a = b to the constraint tolerance. Bollen-Stine refits the same
/// way.
#[test]
fn bootstrap_draws_keep_a_binding_inequality() {
    let Some((fit, exp)) = fit_case("sem_hs_inequality_binding") else {
        return;
    };
    let data = hs().expect("data");
    let flat = cipa::spec::syntax::parse_flat("boot", exp["model"].as_str().expect("model"))
        .expect("parses");
    let opts = SemBootOptions {
        boot: 40,
        seed: 7,
        bollen_stine: true,
        ..SemBootOptions::default()
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    assert!(boot.failed.failed < 4, "{:?}", boot.failed);
    let col = |label: &str| {
        let free = fit
            .parameters
            .iter()
            .find(|r| r.label == label)
            .expect("labelled")
            .free;
        boot.draws.as_ref().expect("draws").column(free - 1)
    };
    let (a, b) = (col("a"), col("b"));
    let binding = a
        .iter()
        .zip(&b)
        .filter(|(a, b)| (*a - *b).abs() < 1e-8)
        .count();
    assert!(
        a.iter().zip(&b).all(|(a, b)| a - b > -1e-8),
        "a < b in a draw"
    );
    assert!(
        binding > 10,
        "the constraint binds in {binding} of 40 draws only"
    );
    let bs = boot.bollen_stine.as_ref().expect("Bollen-Stine");
    assert!((0.0..=1.0).contains(&bs.pvalue), "{bs:?}");
    assert!(bs.failed.failed < 4, "{bs:?}");
}

/// The report lists the user's constraints with lavaan's |Slack| at the estimate and names the
/// optimizer that was used: a binding `a > b` has slack 0, an inactive `b > a` the distance of
/// the two loadings; the unconstrained fit keeps the Fisher scoring line and no constraint block.
#[test]
fn the_report_lists_each_constraint_with_its_slack_and_the_optimizer() {
    for (case, binding) in [
        ("sem_hs_inequality_binding", true),
        ("sem_hs_inequality_inactive", false),
    ] {
        let Some((fit, _)) = fit_case(case) else {
            return;
        };
        let values = fit.constraint_values();
        assert_eq!(values.len(), 1, "{case}: {values:?}");
        let loading = |label: &str| {
            fit.parameters
                .iter()
                .find(|r| r.label == label)
                .map(|r| r.est)
                .expect("a labelled loading")
        };
        let distance = (loading("a") - loading("b")).abs();
        if binding {
            assert!(values[0].slack < 1e-8, "{case}: {values:?}");
        } else {
            assert!(distance > 1e-3, "{case}: the constraint is inactive");
            assert!(
                (values[0].slack - distance).abs() < 1e-12,
                "{case}: {values:?}"
            );
        }
        let text = cipa::report::render(
            &cipa::report::sem_report(&fit, Vec::new(), 3),
            cipa::report::Format::Text,
        );
        assert!(text.contains("Constraints"), "{case}:\n{text}");
        assert!(text.contains("|Slack|"), "{case}:\n{text}");
        assert!(text.contains("augmented Lagrangian"), "{case}:\n{text}");
    }
    let data = match hs() {
        Some(d) => d,
        None => return,
    };
    let flat = cipa::spec::syntax::parse_flat("cfa", CFA).expect("parses");
    let fit = sem::fit(&flat, &data, &SemOptions::default()).expect("fits");
    assert!(fit.constraint_values().is_empty());
    let text = cipa::report::render(
        &cipa::report::sem_report(&fit, Vec::new(), 3),
        cipa::report::Format::Text,
    );
    assert!(!text.contains("Constraints") && text.contains("Fisher scoring / BFGS"));
}
