//! `--xmint` (PROCESS's counterfactual form of model 4) and `--modelbt` against:
//!
//! - PROCESS for R 4.3.1 itself (`../shared/reference/process_v431/model74_xmint.json`, printed
//!   with 14 decimals): the (pure) natural direct effect and the controlled direct effect with
//!   their t tests and intervals (PROCESS's approximation of the t quantile, `process_t`), and
//!   the (total) natural indirect effect, to 1e-8 relative;
//! - R (`tests/golden/xmint`, lm and the closed forms of VanderWeele 2015): every
//!   counterfactual effect of three cases (PROCESS's call, one `xrefval` with a `cdeval`, a
//!   dichotomous X with the default values), the direct effects' tests with exact t quantiles, to
//!   1e-8; and R's own bootstrap (B = 5000) of every effect and every regression coefficient
//!   (`modelbt`), which cipa's bootstrap (its own draws, B = 5000) must match within a
//!   Monte-Carlo bound: |Δ BootSE| ≤ 0.1·BootSE and |Δ bound| ≤ 0.25·BootSE.
//!
//! Without ../shared (or `CIPA_SHARED`) every test prints a skip message and passes.

use cipa::analysis::{analyse, Analysis, AnalysisOptions, EffectResult, Xmint};
use cipa::effects::EffectKind;
use cipa::spec::{ModelSpec, Roles};
use serde_json::Value;

use crate::common::{golden_dir, read_data, shared_or_skip_file, Checker, Table};

const CASES: &str = "xmint";
/// Monte-Carlo bounds, in units of R's BootSE.
const MC_SE: f64 = 0.10;
const MC_BOUND: f64 = 0.25;

/// One case of `cases.json`.
struct Case {
    name: String,
    data: String,
    roles: Roles,
    xmint: Xmint,
    b: usize,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(golden_dir(CASES).join("cases.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let s = |v: &Value, k: &str| v[k].as_str().unwrap().to_string();
    let list = |v: &Value| -> Vec<Value> { v.as_array().cloned().unwrap_or_default() };
    list(&doc)
        .iter()
        .map(|c| Case {
            name: s(c, "case"),
            data: s(c, "data"),
            roles: Roles {
                x: s(c, "x"),
                y: s(c, "y"),
                m: vec![s(c, "m")],
                cov: list(&c["cov"])
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                ..Roles::default()
            },
            xmint: Xmint {
                xrefval: list(&c["xrefval"])
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect(),
                cdeval: c["cdeval"].as_f64(),
            },
            b: c["B"].as_u64().unwrap() as usize,
        })
        .collect()
}

/// Model 4's counterfactual form: the equations of model 74 (Y ~ X + M + M:X).
fn spec(roles: &Roles) -> ModelSpec {
    crate::common::process_model(74, roles)
}

fn run(case: &Case, data_path: &std::path::Path, opts: AnalysisOptions) -> Analysis {
    let data = read_data(data_path);
    let opts = AnalysisOptions {
        xmint: Some(case.xmint.clone()),
        ..opts
    };
    analyse(&data, &spec(&case.roles), &opts).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

fn effect(a: &Analysis, kind: EffectKind) -> &EffectResult {
    a.effects
        .iter()
        .find(|e| e.def.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} effect"))
}

/// The counterfactual effect kind whose JSON name is `name`.
fn kind_of(name: &str) -> EffectKind {
    [
        EffectKind::PureNaturalDirect,
        EffectKind::TotalNaturalDirect,
        EffectKind::ControlledDirect,
        EffectKind::TotalNaturalIndirect,
        EffectKind::PureNaturalIndirect,
        EffectKind::CounterfactualTotal,
    ]
    .into_iter()
    .find(|k| serde_json::to_value(k).unwrap() == Value::String(name.into()))
    .unwrap_or_else(|| panic!("unknown kind {name}"))
}

#[test]
fn process_431_reference() {
    let Some(dir) = shared_or_skip_file("reference/process_v431") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("model74_xmint.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let case = cases().into_iter().find(|c| c.name == "n300_3_5").unwrap();
    let a = run(
        &case,
        &dir.join("data_n300.csv"),
        AnalysisOptions {
            boot: 0,
            process_t: true,
            ..AnalysisOptions::default()
        },
    );
    let mut c = Checker::new("PROCESS 4.3.1 model74_xmint");
    for (key, kind) in [
        ("natural_direct_effect", EffectKind::PureNaturalDirect),
        ("controlled_direct_effect", EffectKind::ControlledDirect),
    ] {
        let want = &doc[key][0];
        let got = effect(&a, kind);
        let n = |k: &str| want[k].as_f64().unwrap();
        c.num(format!("{key} effect"), got.effect, n("effect"));
        c.num(format!("{key} se"), got.se.unwrap(), n("se"));
        c.num(format!("{key} t"), got.stat.unwrap(), n("t"));
        c.p(format!("{key} p"), got.p.unwrap(), n("p"));
        c.num(format!("{key} LLCI"), got.ci_lower, n("LLCI"));
        c.num(format!("{key} ULCI"), got.ci_upper, n("ULCI"));
    }
    let natural = doc["conditional_indirect_effects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["natural"] == Value::Bool(true))
        .expect("the natural indirect effect");
    c.num(
        "(total) natural indirect effect",
        effect(&a, EffectKind::TotalNaturalIndirect).effect,
        natural["rows"][0][0].as_f64().unwrap(),
    );
    let cf = a.counterfactual.as_ref().unwrap();
    c.eq("x_ref, x_cf", (cf.x_ref, cf.x_cf), (3.0, 5.0));
    c.finish();
}

#[test]
fn closed_forms_in_r() {
    let table = Table::read(&golden_dir(CASES).join("effects.csv"));
    for case in cases() {
        let Some(path) = shared_or_skip_file(&case.data) else {
            return;
        };
        let a = run(
            &case,
            &path,
            AnalysisOptions {
                boot: 0,
                ..AnalysisOptions::default()
            },
        );
        let mut c = Checker::new(format!("xmint {}", case.name));
        for row in table.rows.iter().filter(|r| r[0] == case.name) {
            let get = |col: &str| row[table.column_index(col)].clone();
            let num = |col: &str| get(col).parse::<f64>().ok();
            let e = effect(&a, kind_of(&get("kind")));
            let k = get("kind");
            c.num(format!("{k} effect"), e.effect, num("effect").unwrap());
            if let Some(se) = num("se") {
                c.num(format!("{k} se"), e.se.unwrap(), se);
                c.num(format!("{k} t"), e.stat.unwrap(), num("t").unwrap());
                c.p(format!("{k} p"), e.p.unwrap(), num("p").unwrap());
                c.num(format!("{k} LLCI"), e.ci_lower, num("ci_lower").unwrap());
                c.num(format!("{k} ULCI"), e.ci_upper, num("ci_upper").unwrap());
            }
        }
        c.finish();
    }
}

/// `|a - e| <= bound`, reported in the checker.
fn within(c: &mut Checker, what: String, actual: f64, expected: f64, bound: f64) {
    c.checked += 1;
    if (actual - expected).abs() > bound {
        c.failures.push(format!(
            "{what}: cipa {actual:.6}, R {expected:.6}, beyond the Monte-Carlo bound {bound:.6}"
        ));
    }
}

#[test]
fn bootstrap_within_monte_carlo_bounds_of_r() {
    let effects = Table::read(&golden_dir(CASES).join("effects.csv"));
    let coefs = Table::read(&golden_dir(CASES).join("modelbt.csv"));
    for case in cases() {
        let Some(path) = shared_or_skip_file(&case.data) else {
            return;
        };
        let a = run(
            &case,
            &path,
            AnalysisOptions {
                boot: case.b,
                seed: 7,
                modelbt: true,
                ..AnalysisOptions::default()
            },
        );
        let mut c = Checker::new(format!("xmint {} bootstrap", case.name));
        for row in effects.rows.iter().filter(|r| r[0] == case.name) {
            let get = |col: &str| row[effects.column_index(col)].parse::<f64>().unwrap();
            let kind = kind_of(&row[effects.column_index("kind")]);
            if kind.is_direct() {
                continue; // analytic intervals, as PROCESS prints them
            }
            let e = effect(&a, kind);
            let se = get("boot_se");
            within(
                &mut c,
                format!("{kind:?} BootSE"),
                e.boot_se.unwrap(),
                se,
                MC_SE * se,
            );
            within(
                &mut c,
                format!("{kind:?} BootLLCI"),
                e.ci_lower,
                get("boot_lower"),
                MC_BOUND * se,
            );
            within(
                &mut c,
                format!("{kind:?} BootULCI"),
                e.ci_upper,
                get("boot_upper"),
                MC_BOUND * se,
            );
        }
        for row in coefs.rows.iter().filter(|r| r[0] == case.name) {
            let get = |col: &str| row[coefs.column_index(col)].clone();
            let num = |col: &str| get(col).parse::<f64>().unwrap();
            let (eq, term) = (get("equation"), get("term"));
            let got = a
                .model_bootstrap
                .iter()
                .find(|m| m.outcome == eq)
                .and_then(|m| m.coefficients.iter().find(|t| t.term == term))
                .unwrap_or_else(|| panic!("no bootstrap row for {eq} {term}"));
            let what = format!("{eq} {term}");
            let se = num("boot_se");
            c.num(format!("{what} estimate"), got.estimate, num("estimate"));
            within(
                &mut c,
                format!("{what} BootMean"),
                got.boot_mean,
                num("boot_mean"),
                MC_SE * se,
            );
            within(
                &mut c,
                format!("{what} BootSE"),
                got.boot_se,
                se,
                MC_SE * se,
            );
            within(
                &mut c,
                format!("{what} BootLLCI"),
                got.ci_lower,
                num("ci_lower"),
                MC_BOUND * se,
            );
            within(
                &mut c,
                format!("{what} BootULCI"),
                got.ci_upper,
                num("ci_upper"),
                MC_BOUND * se,
            );
        }
        c.finish();
    }
}
