//! Conditional (indirect) effects per group: `--probe` / `--wvals` under `--group` (issue 12).
//! A := naming the observed moderator x2 with group-specific labels (`ind1 := a1*(b1 + b3a*x2)`)
//! is probed at x2's values in the pooled sample of both schools, against lavaan 0.6-14 with the
//! values substituted by hand (tests/golden/sem_hs_groups_probe/make.R): the probe values to
//! 1e-12, every probed row's estimate and delta-method SE, and every model row, to 1e-6. The CLI
//! runs add the grouped bootstrap's interval of every probed row, bit for bit the same for 1 and
//! 2 threads, and the JSON's `probed_definitions` with each := row's group.

use serde_json::Value;

use crate::common::cli::{cipa, json, usage_error};
use crate::common::{self, Checker};
use cipa::analysis::sem_probe_groups;
use cipa::effects::probe::ProbeMethod;
use cipa::sem::groups::{self, GroupOptions};
use cipa::sem::{Missing, SemOptions};

const TOL: f64 = 1e-6;
const DEFINED: &str = "ind1 := a1*(b1 + b3a*x2)
ind2 := a2*(b2 + b3b*x2)
diff := a1*(b1 + b3a*x2) - a2*(b2 + b3b*x2)
dd := ind1 - ind2";

fn expected() -> Option<(Value, String)> {
    let dir = common::golden_dir("sem_hs_groups_probe");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    let exp: Value = serde_json::from_str(&text).expect("valid JSON");
    let rel = exp["data"].as_str().expect("data path");
    let path = common::shared_or_skip_file(rel.trim_start_matches("../shared/"))?;
    Some((exp, path.display().to_string()))
}

fn model(exp: &Value) -> String {
    format!("{}\n{DEFINED}", exp["model"].as_str().expect("model"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The grouped fit of the model probed by `method`, checked against lavaan's := rows
/// `{name}_{tag}_{k}` and `{name}_index`, the probe values under `values_key`, and every model
/// row.
fn check(method: ProbeMethod, values_key: &str, tag: &str) {
    let Some((exp, path)) = expected() else {
        return;
    };
    let data = common::read_data(std::path::Path::new(&path));
    let flat = cipa::spec::syntax::parse_flat("sem_hs_groups_probe", &model(&exp)).unwrap();
    let data = cipa::sem::products::with_products(&flat, &data).expect("products");
    let (flat, probed) =
        sem_probe_groups::expand(&flat, &data, Missing::Listwise, &method, "school")
            .expect("expands");
    let gopts = GroupOptions {
        column: "school".into(),
        ..GroupOptions::default()
    };
    let fit = groups::fit(&flat, &data, &SemOptions::default(), &gopts).expect("fits");
    let mut c = Checker::new(format!("sem_hs_groups_probe {values_key}"));
    let want: Vec<f64> = exp[values_key]
        .as_array()
        .expect("values")
        .iter()
        .map(num)
        .collect();
    let groups = [
        (Some(1), Some("Pasteur")),
        (Some(2), Some("Grant-White")),
        (None, None),
        (None, None),
    ];
    assert_eq!(probed.len(), 4);
    for (p, (group, level)) in probed.iter().zip(groups) {
        // `dd := ind1 - ind2` names the probed := and is lavaan's `diff` at each value.
        let name = match p.probed.name.as_str() {
            "dd" => "diff",
            other => other,
        };
        c.eq(format!("{} group", p.probed.name), p.group, group);
        c.eq(
            format!("{} level", p.probed.name),
            p.level.as_deref(),
            level,
        );
        c.eq(
            format!("{} moderator", p.probed.name),
            p.probed.moderator.as_str(),
            "x2",
        );
        assert_eq!(p.probed.values.len(), want.len());
        for (k, (g, w)) in p.probed.values.iter().zip(&want).enumerate() {
            c.num_tol(format!("{} probe value {k}", p.probed.name), *g, *w, 1e-12);
        }
        let mut pairs: Vec<(String, String)> = p
            .probed
            .rows
            .iter()
            .enumerate()
            .map(|(k, r)| (r.clone(), format!("{name}_{tag}_{}", k + 1)))
            .collect();
        let index = p.probed.index.clone().expect("linear in x2: an index");
        pairs.push((index, format!("{name}_index")));
        for (got, want) in pairs {
            check_defined(&mut c, &fit, &exp, &got, &want);
        }
    }
    check_model_rows(&mut c, &fit, &exp);
    c.finish();
}

/// cipa's := row `got` (group 0, std values withheld by the CLI only) against lavaan's `want`.
fn check_defined(c: &mut Checker, fit: &groups::GroupedFit, exp: &Value, got: &str, want: &str) {
    let rows = exp["parameters"].as_array().expect("parameters");
    let Some(e) = rows.iter().find(|r| r["lhs"] == want) else {
        return c.fail(format!("no lavaan row {want}"));
    };
    match fit.parameters.iter().find(|r| r.row.lhs == got) {
        Some(g) => {
            c.eq(format!("{got} group"), g.group, 0);
            c.num_tol(format!("{got} est"), g.row.est, num(&e["est"]), TOL);
            c.num_tol(format!("{got} se"), g.row.se, num(&e["se"]), TOL);
        }
        None => c.fail(format!("no := row {got}")),
    }
}

fn check_model_rows(c: &mut Checker, fit: &groups::GroupedFit, exp: &Value) {
    let rows = exp["parameters"].as_array().expect("parameters");
    for e in rows.iter().filter(|r| r["op"] != ":=") {
        let key = |r: &groups::GroupParameterRow| {
            r.row.lhs == e["lhs"].as_str().unwrap_or("")
                && r.row.op == e["op"].as_str().unwrap_or("")
                && r.row.rhs == e["rhs"].as_str().unwrap_or("")
                && Some(r.group as u64) == e["group"].as_u64()
        };
        match fit.parameters.iter().find(|r| key(r)) {
            Some(g) => {
                let what = format!(
                    "{} {} {} (group {})",
                    g.row.lhs, g.row.op, g.row.rhs, g.group
                );
                c.num_tol(format!("{what} est"), g.row.est, num(&e["est"]), TOL);
                // Fixed rows (the fixed.x moments) have no SE in lavaan (NA -> null).
                if let Some(se) = e["se"].as_f64().filter(|s| *s > 0.0) {
                    c.num_tol(format!("{what} se"), g.row.se, se, TOL);
                }
            }
            None => c.fail(format!("no row {} {} {}", e["lhs"], e["op"], e["rhs"])),
        }
    }
    c.num_tol("chisq", fit.fit.chisq, num(&exp["chisq"]), TOL);
}

#[test]
fn pooled_percentiles_match_lavaan_per_group() {
    check(ProbeMethod::Percentiles, "percentiles", "pct");
}

#[test]
fn pooled_mean_sd_matches_lavaan_per_group() {
    check(ProbeMethod::MeanSd, "mean_sd", "msd");
}

#[test]
fn given_values_match_lavaan_per_group() {
    check(ProbeMethod::Values(vec![4.5, 6.0, 7.5]), "wvals", "wv");
}

/// `cipa sem --group school` with --wvals and --boot: every probed row has a bootstrap SE and
/// interval (percentile and BC), the same bit for bit for 1 and 2 threads; the JSON's
/// `probed_definitions` carry each := its group and level, and the probed rows' std values are
/// null.
#[test]
fn cli_bootstrap_intervals_of_every_probed_row_for_any_thread_count() {
    let Some((exp, path)) = expected() else {
        return;
    };
    let text = model(&exp);
    for ci in ["percentile", "bc"] {
        let run = |threads: &str| {
            json(&cipa(&[
                "sem",
                "--data",
                &path,
                "--syntax",
                &text,
                "--group",
                "school",
                "--wvals",
                "4.5,6,7.5",
                "--boot",
                "80",
                "--seed",
                "11",
                "--ci",
                ci,
                "--threads",
                threads,
                "--format",
                "json",
            ]))
        };
        let one = run("1");
        assert_eq!(one["resampling"], run("2")["resampling"], "{ci}");
        let probed = one["probed_definitions"].as_array().expect("probed");
        assert_eq!(probed.len(), 4);
        assert_eq!(probed[0]["group"], 1);
        assert_eq!(probed[1]["level"], "Grant-White");
        assert_eq!(probed[2]["group"], Value::Null);
        assert_eq!(one["options"]["wvals"][2], 7.5);
        let boot = one["resampling"]["parameters"]
            .as_array()
            .expect("boot rows");
        for p in probed {
            assert_eq!(p["values"][1], 6.0);
            let rows = p["rows"].as_array().expect("rows");
            assert_eq!(rows.len(), 3);
            for name in rows.iter().chain(std::iter::once(&p["index"])) {
                let b = boot
                    .iter()
                    .find(|r| r["lhs"] == *name && r["op"] == ":=")
                    .unwrap_or_else(|| panic!("no bootstrap row {name}"));
                assert_eq!(b["group"], 0);
                let (lo, est, hi) = (num(&b["ci_lower"]), num(&b["est"]), num(&b["ci_upper"]));
                assert!(lo < est && est < hi, "{name} {ci}: {lo} {est} {hi}");
                assert!(num(&b["se"]) > 0.0, "{name}");
                let row = one["parameters"]
                    .as_array()
                    .expect("parameters")
                    .iter()
                    .find(|r| r["lhs"] == *name)
                    .expect("parameter row");
                assert_eq!(row["std_all"], Value::Null, "{name}");
            }
        }
        // The command's rows are lavaan's (the --wvals rows of the golden).
        let lavaan = exp["parameters"].as_array().expect("parameters");
        let rows = one["parameters"].as_array().expect("parameters");
        for (k, v) in ["4.5000", "6.0000", "7.5000"].iter().enumerate() {
            for name in ["ind1", "ind2", "diff", "dd"] {
                let want = format!("{}_wv_{}", if name == "dd" { "diff" } else { name }, k + 1);
                let e = lavaan
                    .iter()
                    .find(|r| r["lhs"] == want.as_str())
                    .expect("lavaan");
                let got = format!("{name}(x2={v})");
                let g = rows
                    .iter()
                    .find(|r| r["lhs"] == got.as_str())
                    .expect("cipa row");
                for key in ["est", "se"] {
                    let (a, b) = (num(&g[key]), num(&e[key]));
                    assert!(
                        (a - b).abs() <= TOL * b.abs().max(1.0),
                        "{got} {key}: {a} {b}"
                    );
                }
            }
        }
        assert_eq!(one["resampling"]["b"], 80);
        assert_eq!(one["resampling"]["seed"], 11);
    }
}

/// The report says where the probe values come from and whose effects each := holds.
#[test]
fn cli_report_notes_the_pooled_probe_values_and_the_groups() {
    let Some((exp, path)) = expected() else {
        return;
    };
    let out = crate::common::cli::ok(&cipa(&[
        "sem",
        "--data",
        &path,
        "--syntax",
        &model(&exp),
        "--group",
        "school",
    ]));
    assert!(out.contains("ind1(x2=5.0000)"), "{out}");
    assert!(out.contains("rows of all groups pooled"), "{out}");
    assert!(
        out.contains("group Grant-White: these are that group's conditional effects"),
        "{out}"
    );
    assert!(out.contains("its rows span the groups"), "{out}");
}

/// --probe with nothing to probe, and --wvals with --invariance, are usage errors.
#[test]
fn cli_nothing_to_probe_is_a_usage_error() {
    let Some((exp, path)) = expected() else {
        return;
    };
    let plain = exp["model"].as_str().expect("model");
    let err = usage_error(&cipa(&[
        "sem", "--data", &path, "--syntax", plain, "--group", "school", "--probe", "meansd",
    ]));
    assert!(err.contains("the model has neither"), "{err}");
    let err = usage_error(&cipa(&[
        "sem",
        "--data",
        &path,
        "--syntax",
        &model(&exp),
        "--group",
        "school",
        "--wvals",
        "5",
        "--invariance",
    ]));
    assert!(err.contains("--invariance fits four"), "{err}");
}

/// A := naming a latent factor of a latent product would be probed at ± 1 SD of that factor's
/// model-implied variance, which differs by group: a usage error naming --group.
#[test]
fn cli_a_latent_moderator_is_a_usage_error_naming_group() {
    let Some((_, path)) = expected() else {
        return;
    };
    let model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\n\
                 x7 ~ c(g1, g2)*visual + textual + c(g3a, g3b)*visual:textual\n\
                 s1 := g1 + g3a*textual";
    let err = usage_error(&cipa(&[
        "sem", "--data", &path, "--syntax", model, "--group", "school",
    ]));
    assert!(err.contains("latent factor of a latent product"), "{err}");
    assert!(err.contains("--group"), "{err}");
}
