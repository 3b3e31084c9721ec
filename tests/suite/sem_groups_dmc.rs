//! Latent interactions under `group =` (issue 12): double-mean-centred product indicators in a
//! multi-group model against semTools 0.5-6 + lavaan 0.6-14 (tests/golden/sem_hs_groups_dmc,
//! make.R there): `speed ~ visual + textual + visual:textual` on HolzingerSwineford1939 by
//! school. The products are centred once over both schools, as modsem's dblcent with `group =`
//! (sem/groups/interaction.rs): data.csv holds indProd's columns on all 301 rows (cipa's to
//! 1e-12); expected.json lavaan's grouped fit of the product data, polished by Newton steps in
//! the constraints' null space (every parameter of both groups, fit measures, R², to 1e-5);
//! slopes.json the simple slopes of speed on visual at textual = 0 ± 1 SD in each group and
//! the Johnson-Neyman roots (delta method on lavaan's vcov). configural/: all pairs with
//! residual covariances; regressions/: matched pairs with `group.equal = "regressions"`.

use serde_json::Value;

use crate::common::{self, Checker};
use cipa::analysis::sem_group_slopes::grouped_latent_slopes;
use cipa::effects::probe::ProbeMethod;
use cipa::sem::groups::{self, GroupEqual, GroupOptions, GroupedFit};
use cipa::sem::interaction::{self, DmcPairs, InteractionMethod, InteractionOptions};
use cipa::sem::{Missing, SemError, SemOptions};

const MODEL: &str = "visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
speed ~ visual + textual + visual:textual";

fn options(method: InteractionMethod, pairs: DmcPairs) -> SemOptions {
    SemOptions {
        interaction: InteractionOptions { method, pairs },
        ..SemOptions::default()
    }
}

fn gopts(equal: &[GroupEqual]) -> GroupOptions {
    GroupOptions {
        column: "school".into(),
        equal: equal.to_vec(),
        partial: Vec::new(),
    }
}

use crate::sem_dmc::{cipa_names, hs};

fn golden(case: &str, file: &str) -> Value {
    let dir = common::golden_dir(&format!("sem_hs_groups_dmc/{case}"));
    let text = std::fs::read_to_string(dir.join(file)).expect("golden file");
    cipa_names(serde_json::from_str(&text).expect("valid JSON"))
}

fn fit(pairs: DmcPairs, equal: &[GroupEqual]) -> Option<(GroupedFit, cipa::data::Dataset)> {
    let data = hs()?;
    let flat = cipa::spec::syntax::parse_flat("dmc", MODEL).unwrap();
    let opts = options(InteractionMethod::Dmc, pairs);
    let fit = groups::fit(&flat, &data, &opts, &gopts(equal)).unwrap_or_else(|e| panic!("{e}"));
    Some((fit, data))
}

/// cipa's product columns (centred over both schools) against indProd's on all rows.
fn check_columns(case: &str, pairs: DmcPairs, n_products: usize) {
    let Some(data) = hs() else { return };
    let flat = cipa::spec::syntax::parse_flat("dmc", MODEL).unwrap();
    let opts = options(InteractionMethod::Dmc, pairs).interaction;
    let ex = interaction::expand_grouped(&flat, &data, &opts, Missing::Listwise, "school")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ex.products[0].indicators.len(), n_products);
    assert_eq!(ex.products[0].n_rows, 301);
    let dir = common::golden_dir(&format!("sem_hs_groups_dmc/{case}"));
    let theirs = common::read_data(&dir.join("data.csv"));
    let mut compared = 0;
    for name in theirs.names().filter(|n| n.contains('.')) {
        let ours = ex.data.numeric(&name.replace('.', ":")).unwrap();
        for (i, (a, b)) in ours.iter().zip(theirs.numeric(name).unwrap()).enumerate() {
            assert!((a - b).abs() < 1e-12, "{case} {name} row {i}: {a} vs {b}");
        }
        compared += 1;
    }
    assert_eq!(compared, n_products);
}

#[test]
fn grouped_all_pairs_products_equal_indprod_over_both_schools() {
    check_columns("configural", DmcPairs::All, 9);
}

#[test]
fn grouped_matched_products_equal_indprod_over_both_schools() {
    check_columns("regressions", DmcPairs::Matched, 3);
}

/// The simple slopes of every group against slopes.json (lavaan's estimates and vcov).
fn check_slopes(case: &str, fit: &GroupedFit, data: &cipa::data::Dataset) {
    let exp = golden(case, "slopes.json");
    let got = grouped_latent_slopes(fit, data, &ProbeMethod::MeanSd).unwrap();
    let exp = exp.as_array().expect("one entry per group");
    assert_eq!(got.len(), exp.len());
    let num = |v: &Value| v.as_f64().unwrap();
    let mut c = Checker::new(format!("{case} slopes"));
    for (g, e) in got.iter().zip(exp) {
        assert_eq!(g.group, e["group"].as_str().unwrap());
        assert_eq!(g.slopes.len(), 1);
        let s = &g.slopes[0];
        assert_eq!(
            (s.outcome.as_str(), s.focal.as_str(), s.moderator.as_str()),
            ("speed", "visual", "textual")
        );
        assert!(s.moderator_is_latent);
        assert_eq!(s.moderator_centre, 0.0, "latent means are 0 in both groups");
        let what = |x: &str| format!("{} {x}", g.group);
        c.num_tol(
            what("moderator sd"),
            s.moderator_sd,
            num(&e["moderator_sd"]),
            1e-5,
        );
        let probes = e["probes"].as_array().unwrap();
        assert_eq!(s.slopes.len(), probes.len());
        for (row, p) in s.slopes.iter().zip(probes) {
            let at = |x: &str| what(&format!("at {} {x}", row.label));
            // On the scale of the SE, as every golden estimate.
            let on_se = |x: f64| 1e-5 * row.se.max(x.abs()) / x.abs();
            c.num_tol(at("w"), row.w, num(&p["w"]), 1e-5);
            c.num_tol(at("slope"), row.effect, num(&p["slope"]), on_se(row.effect));
            c.num_tol(at("se"), row.se, num(&p["se"]), 1e-5);
            c.num_tol(at("z"), row.z, num(&p["z"]), 1e-5);
            c.num_tol(at("p"), row.p, num(&p["pvalue"]), 1e-4);
            c.num_tol(
                at("ci_lower"),
                row.ci_lower,
                num(&p["ci_lower"]),
                on_se(3.0 * row.ci_lower),
            );
            c.num_tol(
                at("ci_upper"),
                row.ci_upper,
                num(&p["ci_upper"]),
                on_se(3.0 * row.ci_upper),
            );
        }
        let roots: Vec<f64> = e["jn_roots"].as_array().unwrap().iter().map(num).collect();
        assert_eq!(s.jn_bounds.len(), roots.len(), "{}", g.group);
        for (a, b) in s.jn_bounds.iter().zip(&roots) {
            c.num_tol(what("Johnson-Neyman bound"), *a, *b, 1e-4);
        }
    }
    c.finish();
}

fn check_case(case: &str, pairs: DmcPairs, equal: &[GroupEqual]) {
    let Some((fit, data)) = fit(pairs, equal) else {
        return;
    };
    let exp = golden(case, "expected.json");
    crate::sem_groups::check_fit(
        &format!("sem_hs_groups_dmc/{case}"),
        &fit,
        &exp,
        crate::sem_groups::REL,
    );
    let product = &fit.interactions[0];
    assert_eq!(product.name, "visual:textual");
    assert_eq!(product.n_rows, 301);
    let covs = exp["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["op"] == "~~" && r["lhs"] != r["rhs"])
        .filter(|r| r["lhs"].as_str().unwrap().contains(':'))
        .count();
    // lavaan's rows of both groups: the same covariances in each.
    assert_eq!(2 * product.residual_covariances.len(), covs);
    check_slopes(case, &fit, &data);
}

/// All 18 product pairs in both groups (156 parameters on 36 variables): about 150 s of CPU in
/// a debug build, most of it the expected information's matrix products, so CI runs the matched
/// golden below and this one runs with `cargo test --test suite sem_groups_dmc -- --ignored`
/// (passes: 2026-12-05, debug build).
#[test]
#[ignore = "150 s of CPU in a debug build; the matched-pairs golden runs in CI"]
fn grouped_dmc_configural_equals_lavaan() {
    check_case("configural", DmcPairs::All, &[]);
}

#[test]
fn grouped_dmc_regressions_equal_equals_lavaan() {
    check_case("regressions", DmcPairs::Matched, &[GroupEqual::Regressions]);
}

/// LMS has no multi-group likelihood in cipa yet: the term, its position and `--group` are
/// named, and DMC is the way offered.
#[test]
fn grouped_lms_is_refused_naming_group_and_dmc() {
    let Some(data) = hs() else { return };
    let flat = cipa::spec::syntax::parse_flat("lms", MODEL).unwrap();
    let opts = options(InteractionMethod::Lms, DmcPairs::All);
    let err = groups::fit(&flat, &data, &opts, &gopts(&[])).unwrap_err();
    assert!(matches!(err, SemError::Unsupported { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("4:28: LMS estimation of the latent product 'visual:textual' with --group")
            && msg.contains("--interaction dmc and --group"),
        "{msg}"
    );
}

mod cli {
    //! `cipa sem --group` with a latent product: the grouped fit, each group's simple slopes
    //! in JSON (equal to slopes.json) and in the text report (one table per group), and LMS
    //! refused as a usage/input error naming --group.

    use super::*;
    use crate::common::cli::{cipa, json, ok, usage_error};

    fn hs_path() -> Option<String> {
        common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")
            .map(|p| p.display().to_string())
    }

    fn args<'a>(data: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec![
            "sem",
            "--data",
            data,
            "--syntax",
            MODEL,
            "--group",
            "school",
            "--group-equal",
            "regressions",
            "--dmc-pairs",
            "matched",
        ];
        a.extend_from_slice(extra);
        a
    }

    /// `--wvals` (and `--probe`) choose the latent moderator's values in every group, as for one
    /// group.
    #[test]
    fn grouped_latent_slopes_at_given_values() {
        let Some(data) = hs_path() else { return };
        let doc = json(&cipa(&args(
            &data,
            &["--wvals", "-1,0,1", "--format", "json"],
        )));
        let exp = golden("regressions", "slopes.json");
        for (g, e) in doc["latent_slopes"]
            .as_array()
            .expect("latent_slopes")
            .iter()
            .zip(exp.as_array().unwrap())
        {
            let rows = g["slopes"][0]["slopes"].as_array().unwrap();
            let w: Vec<f64> = rows.iter().map(|r| r["w"].as_f64().unwrap()).collect();
            assert_eq!(w, [-1.0, 0.0, 1.0]);
            let slope: Vec<f64> = rows.iter().map(|r| r["effect"].as_f64().unwrap()).collect();
            // Linear in w: the middle slope is the mean of the outer two.
            assert!((slope[1] - (slope[0] + slope[2]) / 2.0).abs() < 1e-12);
            assert_eq!(g["group"], e["group"]);
        }
    }

    #[test]
    fn grouped_latent_slopes_in_json_and_text() {
        let Some(data) = hs_path() else { return };
        let doc = json(&cipa(&args(&data, &["--format", "json"])));
        assert_eq!(doc["interactions"][0]["name"], "visual:textual");
        assert_eq!(doc["interactions"][0]["pairs"], "matched");
        let exp = golden("regressions", "slopes.json");
        let groups = doc["latent_slopes"].as_array().expect("latent_slopes");
        assert_eq!(groups.len(), 2);
        let mut c = Checker::new("cli grouped slopes");
        for (g, e) in groups.iter().zip(exp.as_array().unwrap()) {
            assert_eq!(g["group"], e["group"]);
            let s = &g["slopes"][0];
            assert_eq!(s["outcome"], "speed");
            assert_eq!(s["moderator"], "textual");
            for (row, p) in s["slopes"]
                .as_array()
                .unwrap()
                .iter()
                .zip(e["probes"].as_array().unwrap())
            {
                let f = |v: &Value| v.as_f64().unwrap();
                c.num_tol("w", f(&row["w"]), f(&p["w"]), 1e-5);
                c.num_tol("se", f(&row["se"]), f(&p["se"]), 1e-5);
                c.num_tol("z", f(&row["z"]), f(&p["z"]), 1e-5);
            }
            assert_eq!(
                s["jn_bounds"].as_array().unwrap().len(),
                e["jn_roots"].as_array().unwrap().len()
            );
        }
        c.finish();
        // A results folder: the report, and each group's interaction and Johnson-Neyman
        // plots beside its path diagram.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("res");
        ok(&cipa(&args(&data, &["--out", out.to_str().unwrap()])));
        let text = std::fs::read_to_string(out.join("report.txt")).unwrap();
        for level in ["Pasteur, n = 156", "Grant-White, n = 145"] {
            let title =
                format!("Simple slopes of speed on visual at values of textual (school = {level})");
            assert!(text.contains(&title), "{title} missing:\n{text}");
        }
        assert!(
            text.contains("Product indicators of visual:textual"),
            "{text}"
        );
        assert!(
            text.contains("centred once over the rows of every group"),
            "{text}"
        );
        let figures: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("figures.json")).unwrap())
                .unwrap();
        let shows: Vec<&str> = figures["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["shows"].as_str().unwrap())
            .collect();
        for level in ["Pasteur", "Grant-White"] {
            for stem in ["interaction", "jn"] {
                let file = format!("plots/{stem}_visual_on_speed_by_textual_{level}.svg");
                assert!(out.join(&file).is_file(), "{file} missing");
            }
            let heading = format!("(school = {level})");
            assert_eq!(
                shows.iter().filter(|s| s.ends_with(&heading)).count(),
                2,
                "{shows:?}"
            );
        }
    }

    #[test]
    fn grouped_lms_is_refused_at_the_command_line() {
        let Some(data) = hs_path() else { return };
        let err = usage_error(&cipa(&args(&data, &["--interaction", "lms"])));
        assert!(
            err.contains("LMS estimation of the latent product 'visual:textual' with --group")
                && err.contains("--interaction dmc"),
            "{err}"
        );
    }
}
