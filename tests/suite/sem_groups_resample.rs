//! The resampling of a multi-group fit beyond the complete-data bootstrap (issue 12): the
//! bootstrap of a grouped FIML fit (each group's rows, incomplete ones too, resampled within
//! the group; golden tests/golden/sem_hs_groups_boot_fiml), the Bollen-Stine p value over
//! groups (golden sem_hs_groups_bollen_stine) and the std.all values of the `:=` rows in the
//! grouped draws (golden sem_hs_groups_boot/std.json). R's random streams cannot be reproduced,
//! so cipa's draws are compared within the Monte Carlo bounds of tests/suite/sem_boot.rs.

use serde_json::Value;

use crate::common;
use cipa::data::{Dataset, Variable};
use cipa::inference::resample::CiMethod;
use cipa::sem::groups::{self, resample::bootstrap, GroupOptions, GroupedFit};
use cipa::sem::resample::{SemBootOptions, SemBootstrap};
use cipa::sem::{Estimator, Missing, SemOptions};

fn golden(case: &str, file: &str) -> Value {
    let dir = common::golden_dir(case);
    let text = std::fs::read_to_string(dir.join(file)).expect("golden file");
    serde_json::from_str(&text).expect("valid JSON")
}

fn hs() -> Option<Dataset> {
    let path = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    Some(common::read_data(&path))
}

/// HolzingerSwineford1939 with the cells of tests/golden/sem_hs_fiml/blank.csv blanked.
fn blanked() -> Option<Dataset> {
    let mut data = hs()?;
    let cells = common::hs_fiml_blank_cells();
    for j in 1..=9 {
        let name = format!("x{j}");
        let mut v = data.numeric(&name).expect("numeric").to_vec();
        for (row, _) in cells.iter().filter(|(_, c)| *c == name) {
            v[*row] = f64::NAN;
        }
        data.set(Variable::numeric(name, v)).expect("same rows");
    }
    Some(data)
}

fn fit(model: &str, data: &Dataset, missing: Missing) -> (cipa::spec::flat::FlatModel, GroupedFit) {
    let flat = cipa::spec::syntax::parse_flat("boot", model).expect("model");
    let gopts = GroupOptions {
        column: "school".into(),
        ..GroupOptions::default()
    };
    let opts = SemOptions::lavaan(Estimator::Ml, missing);
    let fit = groups::fit(&flat, data, &opts, &gopts).expect("grouped fit");
    (flat, fit)
}

fn boot_opts(b: usize, seed: u64, ci: CiMethod, threads: usize) -> SemBootOptions {
    SemBootOptions {
        boot: b,
        seed,
        ci,
        threads,
        ..SemBootOptions::default()
    }
}

/// cipa's within-group bootstrap of the grouped FIML fit (B = 1000) against lavaan's
/// (`group = "school", missing = "ml", se = "bootstrap"`) in `file` of
/// tests/golden/sem_hs_groups_boot_fiml: the SE and percentile bounds of every free parameter
/// of both schools and of ind1, ind2 and diff within four SDs of the difference of two
/// independent bootstraps (SEs only where lavaan's draws have no far outliers, as
/// sem_groups_boot.rs), and the std.all draws of the three `:=` rows.
fn fiml_bootstrap_agrees_with_lavaan(file: &str) {
    let Some(data) = blanked() else { return };
    let exp = golden("sem_hs_groups_boot_fiml", file);
    let (flat, fit) = fit(exp["model"].as_str().expect("model"), &data, Missing::Fiml);
    let opts = boot_opts(1000, 20261205, CiMethod::Percentile, 0);
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    println!("cipa's failed draws: {:?}", boot.failed);
    let lavaan_b = exp["B_used"].as_f64().expect("B_used");
    let compared = crate::sem_boot::compare_with_lavaan(&boot, &exp, lavaan_b);
    let rows = exp["parameters"].as_array().expect("rows");
    let far = rows
        .iter()
        .filter(|r| r["se_outliers"].as_u64().unwrap_or(0) > 0)
        .count();
    assert!(far <= 12, "{far} rows with far lavaan draws");
    assert_eq!(compared, 3 * (fit.theta.len() + 3) - far);
    assert!(boot.failed.failed < 50, "{:?}", boot.failed);
    assert_eq!(boot.standardized_defined.len(), 3);
    assert!(boot.standardized_defined.iter().all(|r| r.se.is_some()));
}

/// The two-school latent mediation of sem_hs_groups_boot under FIML (make.R).
#[test]
#[ignore = "slow: 150 s on 2 cores (B = 1000 grouped FIML refits), more than the rest of the suite; run with --ignored (2026-12-05: every row within 4 SD of lavaan's); small.json is the same check on a smaller model in the suite"]
fn grouped_fiml_bootstrap_agrees_with_lavaan() {
    fiml_bootstrap_agrees_with_lavaan("expected.json");
}

/// One factor with a fixed.x covariate (ageyr) and group-specific indirect effects under FIML
/// (make_small.R): each group's covariate moments are the draw's own, as lavaan's.
#[test]
fn grouped_fiml_bootstrap_with_a_covariate_agrees_with_lavaan() {
    fiml_bootstrap_agrees_with_lavaan("small.json");
}

/// The grouped FIML bootstrap is bit for bit the same for 1 and 2 threads (percentile and
/// BCa, whose jackknife refits each row left out), with B, seed and method echoed; the draw
/// of every row once (the full sample) refits θ̂.
#[test]
fn grouped_fiml_bootstrap_is_the_same_for_any_thread_count() {
    let Some(data) = blanked() else { return };
    let model = "textual =~ x4 + x5 + x6\ntextual ~ c(a1, a2)*x1\nd := a1 - a2";
    let (flat, fit) = fit(model, &data, Missing::Fiml);
    for (ci, b) in [(CiMethod::Percentile, 40), (CiMethod::Bca, 20)] {
        let run = |threads| bootstrap(&flat, &data, &fit, &boot_opts(b, 5, ci, threads));
        let one = run(1).expect("bootstrap");
        assert_eq!(one, run(2).expect("bootstrap"));
        assert_eq!((one.b, one.seed, one.method), (b, 5, ci));
        assert!(one.parameters.iter().all(|r| r.se.is_some()), "{one:?}");
        assert_eq!(one.parameters.len(), fit.theta.len() + 1);
        assert_eq!(one.standardized_defined.len(), 1);
        if ci == CiMethod::Bca {
            assert!(one.parameters.iter().all(|r| r.acceleration.is_some()));
        }
    }
}

/// Bollen-Stine under grouped FIML is a typed error (lavaan 0.6-14 refuses it too).
#[test]
fn grouped_fiml_bollen_stine_is_refused() {
    let Some(data) = blanked() else { return };
    let (flat, fit) = fit("textual =~ x4 + x5 + x6", &data, Missing::Fiml);
    let opts = SemBootOptions {
        bollen_stine: true,
        ..boot_opts(10, 1, CiMethod::Percentile, 1)
    };
    let err = bootstrap(&flat, &data, &fit, &opts).expect_err("refused");
    assert!(err.to_string().contains("Bollen-Stine"), "{err}");
}

/// The Bollen-Stine p value over groups against lavaan's bootstrapLavaan(type =
/// "bollen.stine", R = 1000): the same chi-square (1e-6), and p within four SDs of the
/// difference of two independent binomial estimates of the same p.
#[test]
fn grouped_bollen_stine_agrees_with_lavaan() {
    let Some(data) = hs() else { return };
    let exp = golden("sem_hs_groups_bollen_stine", "expected.json");
    let (flat, fit) = fit(
        exp["model"].as_str().expect("model"),
        &data,
        Missing::Listwise,
    );
    let b = 1000;
    let opts = SemBootOptions {
        bollen_stine: true,
        ..boot_opts(b, 20261205, CiMethod::Percentile, 0)
    };
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    let bs = boot.bollen_stine.as_ref().expect("Bollen-Stine");
    let chisq = exp["chisq"].as_f64().expect("chisq");
    assert!(
        (bs.chisq - chisq).abs() < 1e-6 * chisq,
        "{} {chisq}",
        bs.chisq
    );
    assert_eq!(bs.b, b);
    assert!(bs.failed.failed < b / 20, "{:?}", bs.failed);
    let want = exp["pvalue"].as_f64().expect("pvalue");
    let lavaan_b = exp["B_used"].as_f64().expect("B_used");
    let p = 0.5 * (bs.pvalue + want);
    let sd = (p * (1.0 - p) * (1.0 / b as f64 + 1.0 / lavaan_b)).sqrt();
    println!(
        "Bollen-Stine p: cipa {} lavaan {want} (SD {sd:.4})",
        bs.pvalue
    );
    assert!(
        (bs.pvalue - want).abs() <= 4.0 * sd,
        "cipa {} lavaan {want}",
        bs.pvalue
    );
    // The transformed data fit the model exactly: the bootstrap p is well above the naive one.
    assert!(bs.pvalue > exp["pvalue_naive"].as_f64().expect("naive"));
}

/// The std.all values of the `:=` rows (each school's indirect effect standardized by its
/// own implied variances, and their difference) in cipa's grouped bootstrap against lavaan's
/// draws standardized by lav_standardize_all (make_std.R): the point values to 1e-4, the
/// bootstrap SE and percentile bounds within the Monte Carlo bounds.
#[test]
fn grouped_standardized_defined_agree_with_lavaan() {
    let Some(data) = hs() else { return };
    let exp = golden("sem_hs_groups_boot", "std.json");
    let (flat, fit) = fit(
        exp["model"].as_str().expect("model"),
        &data,
        Missing::Listwise,
    );
    let opts = boot_opts(1000, 20261205, CiMethod::Percentile, 0);
    let boot = bootstrap(&flat, &data, &fit, &opts).expect("bootstrap");
    let rows = exp["standardized_defined"].as_array().expect("rows");
    for e in rows {
        let r = boot
            .standardized_defined
            .iter()
            .find(|r| Some(r.lhs.as_str()) == e["lhs"].as_str())
            .expect("row");
        let want = e["std_all"].as_f64().expect("std_all");
        assert!((r.est - want).abs() < 1e-4, "{}: {} {want}", r.lhs, r.est);
    }
    // The standardized rows through the same comparison as the unstandardized ones.
    let std_boot = SemBootstrap {
        parameters: boot.standardized_defined.clone(),
        ..boot.clone()
    };
    let std_exp = serde_json::json!({ "parameters": rows });
    let lavaan_b = exp["B_used"].as_f64().expect("B_used");
    let far = rows
        .iter()
        .filter(|r| r["se_outliers"].as_u64().unwrap_or(0) > 0)
        .count();
    let compared = crate::sem_boot::compare_with_lavaan(&std_boot, &std_exp, lavaan_b);
    assert_eq!(compared, 3 * rows.len() - far);
}

/// HolzingerSwineford1939's CSV with the blank.csv cells emptied, written to `dir`.
fn blanked_csv(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let src = common::shared_or_skip_file("datasets/lavaan_pkg/HolzingerSwineford1939.csv")?;
    let text = std::fs::read_to_string(src).expect("data");
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for (row, col) in common::hs_fiml_blank_cells() {
        let quoted = format!("\"{col}\"");
        let j = lines[0].iter().position(|h| *h == quoted).expect("column");
        lines[row + 1][j] = String::new();
    }
    let path = dir.join("hs_blanked.csv");
    let body: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
    std::fs::write(&path, body.join("\n") + "\n").expect("write");
    Some(path)
}

/// `cipa sem --group school --missing fiml --boot B`: the refusal is gone, the JSON's
/// `resampling` equals the library's grouped FIML bootstrap (the CLI on two threads, the
/// library on all cores), with the std.all draws of the `:=` row; `--bollen-stine` under FIML
/// is an error naming it, and on complete data its p value is the library's.
#[test]
fn cli_grouped_fiml_bootstrap_and_bollen_stine() {
    use crate::common::cli::{cipa, json, stderr};
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(path) = blanked_csv(dir.path()) else {
        return;
    };
    let model = "textual =~ x4 + x5 + x6\ntextual ~ c(a1, a2)*x1\nd := a1 - a2";
    let file = path.to_str().expect("path");
    let base = [
        "sem",
        "--data",
        file,
        "--syntax",
        model,
        "--group",
        "school",
        "--boot",
        "50",
        "--seed",
        "4",
        "--threads",
        "2",
        "--format",
        "json",
    ];
    let doc = json(&cipa(&[&base[..], &["--missing", "fiml"]].concat()));
    let Some(data) = blanked() else { return };
    let (flat, fiml) = fit(model, &data, Missing::Fiml);
    let lib = bootstrap(
        &flat,
        &data,
        &fiml,
        &boot_opts(50, 4, CiMethod::Percentile, 0),
    )
    .expect("bootstrap");
    let r = &doc["resampling"];
    assert_eq!((r["b"].as_u64(), r["seed"].as_u64()), (Some(50), Some(4)));
    let rows = r["parameters"].as_array().expect("rows");
    assert_eq!(rows.len(), lib.parameters.len());
    for (j, p) in rows.iter().zip(&lib.parameters) {
        assert_eq!(j["lhs"], p.lhs.as_str());
        assert_eq!(j["se"].as_f64(), p.se);
        assert_eq!(j["ci_upper"].as_f64(), p.ci_upper);
    }
    let std = r["standardized_defined"].as_array().expect("std rows");
    assert_eq!(std.len(), 1);
    assert_eq!(std[0]["group"], 0);
    assert_eq!(std[0]["se"].as_f64(), lib.standardized_defined[0].se);
    let refused = cipa(&[&base[..], &["--missing", "fiml", "--bollen-stine"]].concat());
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("Bollen-Stine"),
        "{}",
        stderr(&refused)
    );
    // Complete data (listwise: the blanked rows dropped) with --bollen-stine.
    let doc = json(&cipa(&[&base[..], &["--bollen-stine"]].concat()));
    let (flat, listwise) = fit(model, &data, Missing::Listwise);
    let opts = SemBootOptions {
        bollen_stine: true,
        ..boot_opts(50, 4, CiMethod::Percentile, 0)
    };
    let lib = bootstrap(&flat, &data, &listwise, &opts).expect("bootstrap");
    let bs = lib.bollen_stine.expect("Bollen-Stine");
    assert_eq!(
        doc["resampling"]["bollen_stine"]["pvalue"].as_f64(),
        Some(bs.pvalue)
    );
    assert_eq!(doc["resampling"]["bollen_stine"]["b"], 50);
}
