//! `fit --cluster VAR` against R (`tests/golden/cluster_estress`: lm with
//! `sandwich::vcovCL(type = "HC1", cadjust = TRUE)`, cipa's CR1, per equation): PROCESS models 5
//! and 7 on Hayes (2018) estress clustered by age (44 clusters). Compared to 1e-8: every
//! coefficient's estimate, CR1 standard error, t, p and exact t interval, each equation's Wald F
//! of all slopes, the test of the X:W product, model 5's conditional direct effects and Sobel
//! test, and model 7's Johnson-Neyman boundary, all with the CR1 covariance. The cluster
//! bootstrap of the indirect effect is compared with R's (whole clusters drawn with replacement,
//! B = 5000) within a Monte-Carlo bound, and checked to resample whole clusters and to give the
//! same draws for any number of threads.
//!
//! Without ../shared (or `CIPA_SHARED`) every test prints a skip message and passes.

use cipa::analysis::{analyse, Analysis, AnalysisOptions};
use cipa::effects::EffectKind;
use cipa::estimation::Summary;
use cipa::inference::CovType;
use cipa::spec::Roles;

use crate::common::{golden_dir, read_data, shared_or_skip_file, Checker, Table};

const CASE: &str = "cluster_estress";

/// Models 5 and 7 take the same roles: W moderates X -> Y in 5 and X -> M in 7.
fn roles() -> Roles {
    Roles {
        x: "estress".into(),
        y: "withdraw".into(),
        m: vec!["affect".into()],
        w: Some("ese".into()),
        cov: vec!["sex".into(), "tenure".into()],
        ..Roles::default()
    }
}

fn clustered() -> AnalysisOptions {
    AnalysisOptions {
        cov: CovType::Cr1,
        cluster: Some("age".into()),
        boot: 0,
        jn: true,
        ..AnalysisOptions::default()
    }
}

fn run(model: u32, opts: AnalysisOptions) -> Option<Analysis> {
    let path = shared_or_skip_file("datasets/hayes2018/estress.csv")?;
    let data = read_data(&path);
    let spec = crate::common::process_model(model, &roles());
    Some(analyse(&data, &spec, &opts).unwrap_or_else(|e| panic!("model {model}: {e}")))
}

fn table(name: &str) -> Table {
    Table::read(&golden_dir(CASE).join(name))
}

/// The number in column `col` of a row of `t`.
fn cell(t: &Table, row: &[String], col: &str) -> f64 {
    row[t.column_index(col)].parse().unwrap()
}

fn check_equations(model: u32, a: &Analysis, c: &mut Checker) {
    let coefs = table("coefficients.csv");
    for row in coefs.rows.iter().filter(|r| r[0] == model.to_string()) {
        let (eq, term) = (&row[1], &row[2]);
        let fit = &a
            .equations
            .iter()
            .find(|(f, _)| &f.outcome == eq)
            .unwrap()
            .0;
        let got = fit
            .coefficient(term)
            .unwrap_or_else(|| panic!("model {model} {eq}: no {term}"));
        let what = format!("model {model} {eq} {term}");
        c.num(
            format!("{what} estimate"),
            got.estimate,
            cell(&coefs, row, "estimate"),
        );
        c.num(format!("{what} se"), got.se, cell(&coefs, row, "se"));
        c.num(format!("{what} t"), got.stat, cell(&coefs, row, "t"));
        c.p(format!("{what} p"), got.p, cell(&coefs, row, "p"));
        c.num(
            format!("{what} LLCI"),
            got.ci_lower,
            cell(&coefs, row, "ci_lower"),
        );
        c.num(
            format!("{what} ULCI"),
            got.ci_upper,
            cell(&coefs, row, "ci_upper"),
        );
    }
    let sums = table("model_summary.csv");
    for row in sums.rows.iter().filter(|r| r[0] == model.to_string()) {
        let eq = &row[1];
        let fit = &a
            .equations
            .iter()
            .find(|(f, _)| &f.outcome == eq)
            .unwrap()
            .0;
        let Summary::Ols(s) = &fit.summary else {
            panic!("{eq} is not OLS")
        };
        let what = format!("model {model} {eq}");
        c.eq(format!("{what} n"), fit.n as f64, cell(&sums, row, "n"));
        c.eq(
            format!("{what} clusters"),
            fit.cluster.clone().map(|(v, g)| (v, g as f64)),
            Some(("age".to_string(), cell(&sums, row, "clusters"))),
        );
        c.num(format!("{what} R2"), s.r2, cell(&sums, row, "r2"));
        c.num(format!("{what} Wald F"), s.f, cell(&sums, row, "f"));
        c.eq(
            format!("{what} df"),
            (s.df1, s.df2),
            (cell(&sums, row, "df1"), cell(&sums, row, "df2")),
        );
        c.p(format!("{what} p"), s.p, cell(&sums, row, "p"));
    }
}

#[test]
fn model5_against_vcovcl() {
    let Some(a) = run(
        5,
        AnalysisOptions {
            normal: true,
            ..clustered()
        },
    ) else {
        return;
    };
    let mut c = Checker::new("cluster_estress model 5");
    check_equations(5, &a, &mut c);
    let t = table("interaction_test.csv");
    let row = &t.rows[0];
    let tests = &a
        .equations
        .iter()
        .find(|(f, _)| f.outcome == "withdraw")
        .unwrap()
        .1;
    let test = tests
        .iter()
        .find(|r| r.terms == ["estress:ese"])
        .expect("X:W test");
    c.num("X:W R2 change", test.r2_change, cell(&t, row, "r2_change"));
    c.num("X:W F", test.f, cell(&t, row, "f"));
    c.p("X:W p", test.p, cell(&t, row, "p"));
    let cond = table("conditional_direct.csv");
    let rows = &a
        .conditional
        .iter()
        .find(|e| e.outcome == "withdraw" && e.focal == "estress")
        .expect("conditional effects of X on Y")
        .rows;
    c.eq("probe points", rows.len(), cond.rows.len());
    for (got, row) in rows.iter().zip(&cond.rows) {
        let w = cell(&cond, row, "w");
        let what = format!("direct effect at ese = {w}");
        for (name, v) in [
            ("effect", got.test.effect),
            ("se", got.test.se),
            ("t", got.test.stat),
            ("ci_lower", got.test.ci_lower),
            ("ci_upper", got.test.ci_upper),
        ] {
            c.num(format!("{what} {name}"), v, cell(&cond, row, name));
        }
        c.p(format!("{what} p"), got.test.p, cell(&cond, row, "p"));
    }
    let ind = table("indirect.csv");
    let row = &ind.rows[0];
    let e = a
        .effects
        .iter()
        .find(|e| e.def.kind == EffectKind::Indirect)
        .unwrap();
    c.num("indirect effect", e.effect, cell(&ind, row, "effect"));
    c.num("Sobel se (CR1)", e.se.unwrap(), cell(&ind, row, "sobel_se"));
    c.num("Sobel z", e.stat.unwrap(), cell(&ind, row, "z"));
    c.p("Sobel p", e.p.unwrap(), cell(&ind, row, "p"));
    c.finish();
}

#[test]
fn model7_against_vcovcl() {
    let Some(a) = run(7, clustered()) else {
        return;
    };
    let mut c = Checker::new("cluster_estress model 7");
    check_equations(7, &a, &mut c);
    let jn = table("jn.csv");
    let got = a
        .johnson_neyman
        .iter()
        .find(|j| j.outcome == "affect" && j.moderator == "ese")
        .expect("Johnson-Neyman of X on M along W");
    c.eq("JN points", got.points.len(), jn.rows.len());
    for (p, row) in got.points.iter().zip(&jn.rows) {
        c.num("JN point", *p, cell(&jn, row, "point"));
    }
    c.finish();
}

#[test]
fn cluster_bootstrap_within_monte_carlo_bounds_of_r() {
    let ind = table("indirect.csv");
    let row = &ind.rows[0];
    let b = cell(&ind, row, "B") as usize;
    let opts = |threads| AnalysisOptions {
        boot: b,
        seed: 11,
        threads,
        ..clustered()
    };
    let Some(a) = run(5, opts(1)) else {
        return;
    };
    let info = a.bootstrap.as_ref().unwrap();
    assert_eq!((info.resampling, info.clusters), ("cluster", Some(44)));
    let e = a
        .effects
        .iter()
        .find(|e| e.def.kind == EffectKind::Indirect)
        .unwrap();
    let se = cell(&ind, row, "boot_se");
    let within = |what: &str, got: f64, want: f64, bound: f64| {
        assert!(
            (got - want).abs() <= bound,
            "{what}: cipa {got:.6}, R {want:.6}, beyond {bound:.6}"
        );
    };
    within("BootSE", e.boot_se.unwrap(), se, 0.10 * se);
    within(
        "BootLLCI",
        e.ci_lower,
        cell(&ind, row, "boot_lower"),
        0.25 * se,
    );
    within(
        "BootULCI",
        e.ci_upper,
        cell(&ind, row, "boot_upper"),
        0.25 * se,
    );
    // The same draws whatever the number of threads.
    let many = run(5, opts(3)).unwrap();
    assert_eq!(a.effects, many.effects);
}
