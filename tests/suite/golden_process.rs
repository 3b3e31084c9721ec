//! Golden tests of the conditional process engine (`cipa::analysis::analyse`) against
//! pyprocessmacro 2.2.0 and R (lm + lavaan 0.6-14): the `tests/golden/process_ppm_*` and
//! `tests/golden/process_lavaan_*` cases described in tests/golden/PROCESS_CASES.md.
//!
//! What is compared, per case:
//! - every coefficient of every equation (estimate, se, t, p, 95% t interval) and each equation's
//!   model summary (n, R², adjusted R², MSE, F, df1, df2, p) with the lm / pyprocessmacro values;
//!   for the pyprocessmacro cases also the HC3 coefficient table (`CovType::Hc3`); for the lavaan
//!   cases lavaan's ML columns, rescaled: se_ML = se_OLS·√((n − k)/n), z, normal p and interval;
//! - the probe values of the moderator (PROCESS's 16th/50th/84th percentiles and mean ± SD);
//! - point estimates of every effect (direct, conditional direct, indirect, conditional indirect,
//!   total indirect, contrasts, total, indices of moderated mediation), matched by kind, path and
//!   the numeric probe value;
//! - analytic inference where a row gives it: direct / conditional direct / total effects (OLS),
//!   the Sobel test (PROCESS `normal=1`), and lavaan's delta-method rows, which are recomputed
//!   here from cipa's coefficient covariances with ML variances (each equation's OLS covariance
//!   × (n − k)/n, equations independent as in a recursive lavaan model);
//! - bootstrap standard errors and interval ends within Monte-Carlo bounds (cipa draws its own
//!   resamples, not numpy's): |Δ boot_se| ≤ 0.1·boot_se and |Δ bound| ≤ 0.25·boot_se + 1e-12, with
//!   B and the seed of the case; `percentile_process` rows (PROCESS's order statistics applied to
//!   pyprocessmacro's draws) against `CiMethod::Percentile`, `bias_corrected` rows against
//!   `CiMethod::BiasCorrected`. pyprocessmacro's own `percentile` rows (numpy's linear
//!   interpolation) are not compared since each has a `percentile_process` twin.
//!
//! Property tests on the same data follow the golden tests (identities that hold exactly, and
//! the independence of the bootstrap from the number of threads).
//!
//! The datasets are read from ../shared/datasets; without ../shared every test prints
//! `skipping: ../shared not found` and passes.

use std::collections::HashMap;
use std::path::PathBuf;

use cipa::analysis::{analyse, Analysis, AnalysisOptions, EffectResult};
use cipa::data::{read_path, Coding, ColumnKind, Contrast, Dataset, ReadOptions};
use cipa::effects::probe::ProbeMethod;
use cipa::effects::EffectKind;
use cipa::estimation::{r2_change, EquationFit, Summary as FitSummary};
use cipa::inference::{CiMethod, CovType};
use cipa::spec::template::template;
use cipa::spec::{ModelSpec, Roles, SpecSource};
use serde_json::Value;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::common::{crate_root, golden_dir, parse_number, Checker, Table};

const PPM_CASES: [&str; 11] = [
    "process_ppm_m4",
    "process_ppm_m7",
    "process_ppm_m74",
    "process_ppm_mcw_m1_protest",
    "process_ppm_mcw_protest",
    "process_ppm_mcz_m2_protest",
    "process_ppm_m14",
    "process_ppm_m15",
    "process_ppm_m58",
    "process_ppm_m59",
    "process_ppm_mcx_protest",
];

const LAVAAN_CASES: [&str; 5] = [
    "process_lavaan_m4_tutorial",
    "process_lavaan_m4_pmi",
    "process_lavaan_m6_pmi",
    "process_lavaan_m7_sim",
    "process_lavaan_mcx_protest",
];

/// Folders under tests/golden starting with `process_` that are not cases of this file:
/// the shared scripts, and the PROCESS bootstrap emulation (tested against the published output
/// elsewhere), and the logistic-outcome case (its own test below: pyprocessmacro's logistic output
/// has no model summary in the form the other cases share), and the joint tests against R
/// (`golden_omnibus.rs`).
const NOT_HERE: [&str; 5] = [
    "process_common",
    "process_emul_published",
    "process_ppm_logit_m4",
    "process_r_lrtest_caskets",
    "process_r_omnibus_protest",
];

/// Monte-Carlo tolerances for bootstrap rows, in units of the golden boot_se.
const MC_SE: f64 = 0.10;
const MC_BOUND: f64 = 0.25;
/// Tolerance of the exact identities in the property tests.
const IDENTITY: f64 = 1e-10;
/// Probe values: cipa's PROCESS percentile rule against numpy's `weibull` method.
const PROBE_TOL: f64 = 1e-10;

// ---------------------------------------------------------------------------------------------
// Loading a case
// ---------------------------------------------------------------------------------------------

/// `true` when ../shared exists; otherwise prints the skip message.
fn shared_available() -> bool {
    let ok = crate_root().join("../shared").is_dir();
    if !ok {
        println!("skipping: ../shared not found");
    }
    ok
}

/// One set of probe values of the moderator as recorded by the case.
#[derive(Debug, Clone)]
struct ProbeSet {
    /// `p16_p50_p84` or `mean_sd`, as in the `probe` column of effects.csv.
    key: String,
    method: ProbeMethod,
    moderator: String,
    values: Vec<f64>,
}

struct Case {
    name: String,
    dir: PathBuf,
    data: Dataset,
    spec: ModelSpec,
    codings: Vec<(String, Coding)>,
    conf: f64,
    /// B and seed of the case (B = 0 for the lavaan cases, which have no bootstrap rows).
    boot: usize,
    seed: u64,
    probes: Vec<ProbeSet>,
}

fn read_json(name: &str) -> Value {
    let path = golden_dir(name).join("case.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().expect("a string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn opt_string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Loads a case, or `None` (after printing why) when ../shared is absent.
fn load(name: &str) -> Option<Case> {
    if !shared_available() {
        return None;
    }
    let json = read_json(name);
    let dataset = json["dataset"].as_str().expect("dataset");
    let path = crate_root().join(dataset);
    if !path.is_file() {
        println!("skipping: {} not found", path.display());
        return None;
    }
    let roles = &json["roles"];
    let x = roles["x"].as_str().expect("roles.x").to_string();
    let mut read = ReadOptions::default();
    let mut codings = Vec::new();
    for role in ["x", "w", "z"] {
        let Some(cat) = roles
            .get(format!("{role}_categorical"))
            .filter(|c| !c.is_null())
        else {
            continue;
        };
        let var = roles[role].as_str().expect("role").to_string();
        assert_eq!(
            cat["coding"], "indicator",
            "{name}: only indicator coding is used"
        );
        let reference = cat["reference"].as_f64().expect("reference level");
        assert_eq!(reference.fract(), 0.0);
        read.kinds.push((var.clone(), ColumnKind::Categorical));
        codings.push((
            var,
            Coding {
                contrast: Contrast::Indicator,
                reference: Some(format!("{}", reference as i64)),
            },
        ));
    }
    let data = read_path(&path, &read).unwrap_or_else(|e| panic!("{name}: {e}"));
    let model = json["process_model"].as_u64().expect("process_model") as u32;
    let r = Roles {
        x,
        y: roles["y"].as_str().expect("roles.y").to_string(),
        m: string_list(&roles["m"]),
        w: opt_string(&roles["w"]),
        z: opt_string(&roles["z"]),
        cov: string_list(&roles["cov"]),
        cov_m: None,
        cov_y: None,
    };
    let spec = template(model)
        .and_then(|t| t.instantiate(&r))
        .unwrap_or_else(|e| panic!("{name}: model {model}: {e}"));
    let options = &json["options"];
    let conf = options["conf"].as_f64().expect("conf");
    let boot = options["boot"].as_u64().unwrap_or(0) as usize;
    let seed = options["seed"].as_u64().unwrap_or(1);
    let mut probes = Vec::new();
    // Model 74 probes X itself, which then takes W's probe values.
    let probed = r.w.clone().or_else(|| (model == 74).then(|| r.x.clone()));
    if let (Some(sets), Some(w)) = (options["probes"].as_object(), &probed) {
        for (key, set) in sets {
            let method = match key.as_str() {
                "p16_p50_p84" => ProbeMethod::Percentiles,
                "mean_sd" => ProbeMethod::MeanSd,
                other => panic!("{name}: unknown probe set {other}"),
            };
            // pyprocessmacro cases: {"values": {"w": [...]}}; lavaan cases: {"w": [...]}.
            let holder = set.get("values").unwrap_or(set);
            let values = holder[w.as_str()]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: no probe values of {w} in {key}"))
                .iter()
                .map(|v| v.as_f64().expect("a number"))
                .collect();
            probes.push(ProbeSet {
                key: key.clone(),
                method,
                moderator: w.clone(),
                values,
            });
        }
    }
    Some(Case {
        name: name.to_string(),
        dir: golden_dir(name),
        data,
        spec,
        codings,
        conf,
        boot,
        seed,
        probes,
    })
}

/// Runs cipa on a case. Unmoderated models get `total`, `contrasts` and `normal` (PROCESS's
/// total=1, contrast=1, normal=1), which the golden files cover.
fn run(
    case: &Case,
    probe: Option<&ProbeSet>,
    cov: CovType,
    boot: usize,
    ci: CiMethod,
    threads: usize,
) -> Analysis {
    let unmoderated = case.spec.moderators.is_empty();
    let opts = AnalysisOptions {
        cov,
        conf: case.conf,
        boot,
        seed: case.seed,
        ci,
        threads,
        probe: probe.map_or(ProbeMethod::Percentiles, |p| p.method.clone()),
        codings: case.codings.clone(),
        contrasts: unmoderated,
        total: unmoderated,
        normal: unmoderated,
        // Exact t and normal quantiles, as lm, lavaan and pyprocessmacro (not PROCESS's
        // approximation of the critical value).
        process_t: false,
        ..Default::default()
    };
    analyse(&case.data, &case.spec, &opts).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

// ---------------------------------------------------------------------------------------------
// Reading golden cells
// ---------------------------------------------------------------------------------------------

/// A row of a golden table, by column name; empty cells and absent columns are `None`.
struct Row<'a> {
    table: &'a Table,
    cells: &'a [String],
}

impl Row<'_> {
    fn text(&self, col: &str) -> &str {
        if !self.table.has_column(col) {
            return "";
        }
        self.cells[self.table.column_index(col)].trim()
    }

    fn num(&self, col: &str) -> Option<f64> {
        let t = self.text(col);
        (!t.is_empty()).then(|| parse_number(t, &self.table.path))
    }

    fn req(&self, col: &str) -> f64 {
        self.num(col)
            .unwrap_or_else(|| panic!("{}: empty '{col}'", self.table.path.display()))
    }
}

fn rows(table: &Table) -> impl Iterator<Item = Row<'_>> {
    table.rows.iter().map(move |cells| Row { table, cells })
}

fn normal() -> Normal {
    Normal::standard()
}

// ---------------------------------------------------------------------------------------------
// Equations: coefficients and model summaries
// ---------------------------------------------------------------------------------------------

fn fit_of<'a>(a: &'a Analysis, outcome: &str) -> Option<&'a EquationFit> {
    a.equations
        .iter()
        .map(|(f, _)| f)
        .find(|f| f.outcome == outcome)
}

/// Compares a coefficients CSV with cipa's equations; `tag` names the covariance type.
fn check_coefficients(ck: &mut Checker, table: &Table, a: &Analysis, tag: &str) {
    let mut per_eq: HashMap<String, usize> = HashMap::new();
    for row in rows(table) {
        let eq = row.text("equation");
        let term = row.text("term");
        *per_eq.entry(eq.to_string()).or_default() += 1;
        let what = format!("{tag} {eq}: {term}");
        let Some(fit) = fit_of(a, eq) else {
            ck.fail(format!("{what}: cipa has no equation for '{eq}'"));
            continue;
        };
        let Some(c) = fit.coefficient(term) else {
            let names: Vec<&str> = fit.coefficients.iter().map(|c| c.term.as_str()).collect();
            ck.fail(format!("{what}: cipa has no such term (it has {names:?})"));
            continue;
        };
        ck.num(format!("{what} estimate"), c.estimate, row.req("estimate"));
        ck.num(format!("{what} se"), c.se, row.req("se"));
        ck.num(format!("{what} t"), c.stat, row.req("t"));
        ck.p(format!("{what} p"), c.p, row.req("p"));
        ck.num(format!("{what} ci_lower"), c.ci_lower, row.req("ci_lower"));
        ck.num(format!("{what} ci_upper"), c.ci_upper, row.req("ci_upper"));
        if let Some(lse) = row.num("lavaan_se") {
            // lavaan: ML variances (RSS/n), normal quantiles.
            let (n, k) = (fit.n as f64, fit.k() as f64);
            let se = c.se * ((n - k) / n).sqrt();
            let z = c.estimate / se;
            let q = normal().inverse_cdf(0.5 + a.options.conf / 200.0);
            ck.num(
                format!("{what} lavaan_est"),
                c.estimate,
                row.req("lavaan_est"),
            );
            ck.num(format!("{what} lavaan_se (rescaled)"), se, lse);
            ck.num(format!("{what} lavaan_z"), z, row.req("lavaan_z"));
            check_normal_p(ck, format!("{what} lavaan_p"), z, row.req("lavaan_p"));
            ck.num(
                format!("{what} lavaan_ci_lower"),
                c.estimate - q * se,
                row.req("lavaan_ci_lower"),
            );
            ck.num(
                format!("{what} lavaan_ci_upper"),
                c.estimate + q * se,
                row.req("lavaan_ci_upper"),
            );
        }
    }
    for (fit, _) in &a.equations {
        let expected = per_eq.get(&fit.outcome).copied().unwrap_or(0);
        ck.eq(
            format!("{tag} {}: number of coefficients", fit.outcome),
            fit.k(),
            expected,
        );
    }
}

/// lavaan's p = 2·(1 − Φ(|z|)), which is 0 once Φ(|z|) rounds to 1: compared with an absolute
/// slack of 1e-14 besides the usual relative tolerance.
fn check_normal_p(ck: &mut Checker, what: String, z: f64, expected: f64) {
    let p = 2.0 * normal().cdf(-z.abs());
    if (p - expected).abs() <= 1e-6 * expected + 1e-14 {
        ck.checked += 1;
    } else {
        ck.fail(format!(
            "{what}: cipa-based {p:.17e}, lavaan {expected:.17e}"
        ));
    }
}

fn check_model_summary(ck: &mut Checker, table: &Table, a: &Analysis) {
    for row in rows(table) {
        let eq = row.text("equation");
        let what = format!("model summary {eq}");
        let Some(fit) = fit_of(a, eq) else {
            ck.fail(format!("{what}: cipa has no equation for '{eq}'"));
            continue;
        };
        let FitSummary::Ols(s) = &fit.summary else {
            ck.fail(format!("{what}: not an OLS equation in cipa"));
            continue;
        };
        ck.eq(format!("{what} n"), fit.n as f64, row.req("n"));
        ck.num(format!("{what} r2"), s.r2, row.req("r2"));
        ck.num(format!("{what} adj_r2"), s.adj_r2, row.req("adj_r2"));
        ck.num(format!("{what} mse"), s.mse, row.req("mse"));
        ck.num(format!("{what} f"), s.f, row.req("f"));
        ck.eq(format!("{what} df1"), s.df1, row.req("df1"));
        ck.eq(format!("{what} df2"), s.df2, row.req("df2"));
        ck.p(format!("{what} p"), s.p, row.req("p"));
        if let Some(r2) = row.num("lavaan_r2") {
            ck.num(format!("{what} lavaan_r2"), s.r2, r2);
        }
    }
}

fn check_probes(ck: &mut Checker, case: &Case, set: &ProbeSet, a: &Analysis) {
    let Some((_, points)) = a.probes.iter().find(|(m, _)| *m == set.moderator) else {
        ck.fail(format!(
            "probes {}: cipa has no moderator {}",
            set.key, set.moderator
        ));
        return;
    };
    ck.eq(
        format!("{} probes {}: count", case.name, set.key),
        points.len(),
        set.values.len(),
    );
    for (i, (p, e)) in points.iter().zip(&set.values).enumerate() {
        ck.num_tol(
            format!("probe {} {}[{i}]", set.key, set.moderator),
            point_value(p),
            *e,
            PROBE_TOL,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Effects
// ---------------------------------------------------------------------------------------------

fn kind_name(kind: EffectKind, moderated: bool) -> &'static str {
    match (kind, moderated) {
        (EffectKind::Direct, false) => "direct",
        (EffectKind::Direct, true) => "conditional_direct",
        (EffectKind::Indirect, false) => "indirect",
        (EffectKind::Indirect, true) => "conditional_indirect",
        (EffectKind::TotalIndirect, false) => "total_indirect",
        (EffectKind::TotalIndirect, true) => "conditional_total_indirect",
        (EffectKind::Total, _) => "total",
        (EffectKind::Contrast, _) => "contrast",
        (EffectKind::IndexOfModeratedMediation, _) => "index_of_moderated_mediation",
        (EffectKind::PartialIndex, _) => "partial_index",
        (EffectKind::ConditionalIndex, _) => "conditional_index",
        (EffectKind::ModeratedModeratedIndex, _) => "moderated_moderated_index",
        // The counterfactual effects of --xmint have their own golden test (golden_xmint.rs).
        _ => "counterfactual",
    }
}

fn is_index(kind: EffectKind) -> bool {
    matches!(
        kind,
        EffectKind::IndexOfModeratedMediation
            | EffectKind::PartialIndex
            | EffectKind::ConditionalIndex
            | EffectKind::ModeratedModeratedIndex
    )
}

/// An effect of cipa described as the golden files describe effects.
struct Keyed<'a> {
    kind: &'static str,
    path: String,
    /// (moderator, probe value) for conditional effects.
    at: Vec<(String, f64)>,
    /// The moderator of an index.
    index_of: Option<String>,
    r: &'a EffectResult,
}

/// The golden path string of an effect: `x>m1>y`, `x>m1+m2>y`, `x>m1>y - x>m2>y`, `x>y`.
fn path_string(a: &Analysis, r: &EffectResult) -> String {
    let p = &r.def.path;
    match r.def.kind {
        EffectKind::TotalIndirect => format!(
            "{}>{}>{}",
            p[0],
            a.spec.mediators.join("+"),
            p.last().expect("a path")
        ),
        EffectKind::Contrast => p
            .split(|s| s == "-")
            .map(|part| part.join(">"))
            .collect::<Vec<_>>()
            .join(" - "),
        _ => p.join(">"),
    }
}

fn probe_value(a: &Analysis, moderator: &str, label: &str) -> f64 {
    a.probes
        .iter()
        .find(|(m, _)| m == moderator)
        .and_then(|(_, pts)| pts.iter().find(|p| p.label == label))
        .map_or(f64::NAN, point_value)
}

/// A probe point's value; a categorical moderator's level (a number in these cases) by its label.
fn point_value(p: &cipa::effects::ProbePoint) -> f64 {
    if p.value.is_nan() {
        p.label.parse().unwrap_or(f64::NAN)
    } else {
        p.value
    }
}

fn keyed(a: &Analysis) -> Vec<Keyed<'_>> {
    a.effects
        .iter()
        .map(|r| {
            let at: Vec<(String, f64)> = r
                .def
                .moderators
                .iter()
                .map(|(m, l)| (m.clone(), probe_value(a, m, l)))
                .collect();
            Keyed {
                // Moderation-only models (1-3): the conditional effects of X, as pyprocessmacro
                // names them.
                kind: if a.spec.mediators.is_empty()
                    && r.def.kind == EffectKind::Direct
                    && !at.is_empty()
                {
                    "conditional"
                } else {
                    kind_name(r.def.kind, !at.is_empty())
                },
                path: path_string(a, r),
                at,
                index_of: is_index(r.def.kind).then(|| r.def.label.clone().unwrap_or_default()),
                r,
            }
        })
        .collect()
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-3)
}

/// The cipa effect a golden row describes.
fn find<'a, 'b>(
    effects: &'b [Keyed<'a>],
    kind: &str,
    path: &str,
    moderators: &str,
) -> Result<&'b Keyed<'a>, String> {
    let index = kind == "index_of_moderated_mediation";
    let at: Vec<(String, f64)> = if index || moderators.is_empty() {
        Vec::new()
    } else {
        moderators
            .split(';')
            .map(|s| {
                let (m, v) = s.split_once('=').expect("name=value");
                (m.to_string(), v.parse::<f64>().expect("a probe value"))
            })
            .collect()
    };
    let hits: Vec<&Keyed> = effects
        .iter()
        .filter(|e| e.kind == kind && e.path == path)
        .filter(|e| {
            if index {
                e.index_of.as_deref() == Some(moderators)
            } else {
                // The same (moderator, value) pairs in any order (pyprocessmacro sorts them
                // by name).
                e.at.len() == at.len()
                    && e.at
                        .iter()
                        .all(|(m1, v1)| at.iter().any(|(m2, v2)| m1 == m2 && same_value(*v1, *v2)))
            }
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => {
            let similar: Vec<String> = effects
                .iter()
                .filter(|e| e.path == path || e.kind == kind)
                .map(|e| format!("{} {} {:?} {:?}", e.kind, e.path, e.at, e.index_of))
                .collect();
            Err(format!("no cipa effect (cipa has: {similar:?})"))
        }
        _ => Err(format!("{} cipa effects match", hits.len())),
    }
}

/// Largest Monte-Carlo differences seen, in units of the golden boot_se.
#[derive(Default)]
struct McStats {
    rows: usize,
    worst_se: (f64, String),
    worst_bound: (f64, String),
}

impl McStats {
    fn note(slot: &mut (f64, String), r: f64, what: &str) {
        if r > slot.0 {
            *slot = (r, what.to_string());
        }
    }
}

fn check_bootstrap(ck: &mut Checker, mc: &mut McStats, what: &str, r: &EffectResult, row: &Row) {
    let gse = row.req("boot_se");
    let (glo, ghi) = (row.req("ci_lower"), row.req("ci_upper"));
    let Some(se) = r.boot_se else {
        ck.fail(format!("{what}: cipa has no bootstrap result"));
        return;
    };
    mc.rows += 1;
    ck.checked += 3;
    if std::env::var_os("GOLDEN_PROCESS_VERBOSE").is_some() {
        println!(
            "{what}: effect {:.6}; boot_se cipa {se:.6} golden {gse:.6}; lower cipa {:.6} golden {glo:.6}; upper cipa {:.6} golden {ghi:.6}",
            r.effect, r.ci_lower, r.ci_upper
        );
    }
    let dse = (se - gse).abs();
    McStats::note(&mut mc.worst_se, dse / gse, what);
    if dse > MC_SE * gse {
        ck.failures.push(format!(
            "{what} boot_se: cipa {se:.6}, golden {gse:.6} (|Δ| = {:.3}·boot_se > {MC_SE})",
            dse / gse
        ));
    }
    for (name, c, g) in [("lower", r.ci_lower, glo), ("upper", r.ci_upper, ghi)] {
        let d = (c - g).abs();
        McStats::note(&mut mc.worst_bound, d / gse, &format!("{what} {name}"));
        if d > MC_BOUND * gse + 1e-12 {
            ck.failures.push(format!(
                "{what} ci_{name}: cipa {c:.6}, golden {g:.6} (|Δ| = {:.3}·boot_se > {MC_BOUND})",
                d / gse
            ));
        }
    }
}

/// Analytic inference of an OLS row (direct, conditional direct, total): se, t, p, t interval.
fn check_analytic(ck: &mut Checker, what: &str, r: &EffectResult, row: &Row) {
    let (Some(se), Some(stat), Some(p)) = (r.se, r.stat, r.p) else {
        ck.fail(format!("{what}: cipa has no analytic inference"));
        return;
    };
    ck.num(format!("{what} se"), se, row.req("se"));
    ck.num(format!("{what} t"), stat, row.req("stat"));
    ck.p(format!("{what} p"), p, row.req("p"));
    ck.num(format!("{what} ci_lower"), r.ci_lower, row.req("ci_lower"));
    ck.num(format!("{what} ci_upper"), r.ci_upper, row.req("ci_upper"));
}

/// PROCESS's normal=1 row: second-order Sobel se, z, two-sided normal p (no interval).
fn check_sobel(ck: &mut Checker, what: &str, r: &EffectResult, row: &Row) {
    let (Some(se), Some(stat), Some(p)) = (r.se, r.stat, r.p) else {
        ck.fail(format!("{what}: cipa has no Sobel test (normal = true)"));
        return;
    };
    ck.num(format!("{what} sobel se"), se, row.req("se"));
    ck.num(format!("{what} sobel z"), stat, row.req("stat"));
    ck.p(format!("{what} sobel p"), p, row.req("p"));
}

/// Splits a design column name into its factors at colons outside brackets.
fn factors(name: &str) -> Vec<String> {
    cipa::estimation::column_factors(name)
}

/// Weights `l` with ∂outcome/∂`u` = l'β in `fit` at the moderator values `at`; with
/// `deriv = Some(w)`, the weights of the derivative of that in `w` instead.
fn stage_weights(
    fit: &EquationFit,
    u: &str,
    at: &[(String, f64)],
    deriv: Option<&str>,
) -> Vec<f64> {
    fit.coefficients
        .iter()
        .map(|c| {
            if c.term == cipa::estimation::CONSTANT {
                return 0.0;
            }
            let mut f = factors(&c.term);
            let Some(i) = f.iter().position(|g| g == u) else {
                return 0.0;
            };
            f.remove(i);
            if let Some(w) = deriv {
                let Some(j) = f.iter().position(|g| g == w) else {
                    return 0.0;
                };
                f.remove(j);
            }
            f.iter()
                .map(|g| {
                    at.iter()
                        .find(|(m, _)| m == g)
                        .map_or(f64::NAN, |(_, v)| *v)
                })
                .product()
        })
        .collect()
}

/// lavaan's delta-method standard error of Σ sign·(product of the path's stages), computed from
/// cipa's fits: each equation's covariance with ML variances (OLS covariance × (n − k)/n), the
/// equations independent (recursive model, uncorrelated residuals across the equations a path
/// uses). With `deriv = Some(w)`, the slope of the (single) path in `w`: the index of moderated
/// mediation.
fn delta_se(
    a: &Analysis,
    paths: &[(f64, Vec<String>)],
    at: &[(String, f64)],
    deriv: Option<&str>,
) -> f64 {
    let mut grads: HashMap<usize, Vec<f64>> = HashMap::new();
    for (sign, path) in paths {
        let mut stages: Vec<(usize, Vec<f64>, f64)> = Vec::new();
        for pair in path.windows(2) {
            let e = a
                .equations
                .iter()
                .position(|(f, _)| f.outcome == pair[1])
                .unwrap_or_else(|| panic!("no equation for {}", pair[1]));
            let fit = &a.equations[e].0;
            let l = stage_weights(fit, &pair[0], at, None);
            let s = l.iter().zip(fit.estimates()).map(|(a, b)| a * b).sum();
            stages.push((e, l, s));
        }
        if let Some(w) = deriv {
            let mut moderated = 0;
            for (pair, stage) in path.windows(2).zip(stages.iter_mut()) {
                let fit = &a.equations[stage.0].0;
                let l = stage_weights(fit, &pair[0], at, Some(w));
                if l.iter().any(|v| *v != 0.0) {
                    moderated += 1;
                    stage.2 = l.iter().zip(fit.estimates()).map(|(a, b)| a * b).sum();
                    stage.1 = l;
                }
            }
            assert_eq!(moderated, 1, "an index needs exactly one moderated stage");
        }
        for (i, (e, l, _)) in stages.iter().enumerate() {
            let others: f64 = stages
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| s.2)
                .product();
            let g = grads.entry(*e).or_insert_with(|| vec![0.0; l.len()]);
            for (gj, lj) in g.iter_mut().zip(l) {
                *gj += sign * others * lj;
            }
        }
    }
    let mut var = 0.0;
    for (e, g) in &grads {
        let fit = &a.equations[*e].0;
        let k = fit.k();
        let scale = (fit.n as f64 - k as f64) / fit.n as f64;
        for i in 0..k {
            for j in 0..k {
                var += g[i] * fit.cov[i * k + j] * g[j] * scale;
            }
        }
    }
    var.sqrt()
}

/// The paths (with signs) whose products make up a golden lavaan row.
fn lavaan_paths(a: &Analysis, kind: &str, path: &str) -> Vec<(f64, Vec<String>)> {
    let split = |p: &str| p.split('>').map(str::to_string).collect::<Vec<_>>();
    let indirect = |focal: &str| -> Vec<(f64, Vec<String>)> {
        a.effects
            .iter()
            .filter(|r| {
                r.def.kind == EffectKind::Indirect
                    && r.def.moderators.is_empty()
                    && r.def.focal == focal
            })
            .map(|r| (1.0, r.def.path.clone()))
            .collect()
    };
    match kind {
        "contrast" => {
            let (p, q) = path.split_once(" - ").expect("a contrast");
            vec![(1.0, split(p)), (-1.0, split(q))]
        }
        "total_indirect" => indirect(path.split('>').next().expect("x")),
        "total" => {
            let xs = split(path);
            let mut all = vec![(1.0, xs.clone())];
            all.extend(indirect(&xs[0]));
            all
        }
        _ => vec![(1.0, split(path))],
    }
}

/// A lavaan row (`se_method = lavaan_delta_ml`): delta-method se with ML variances, z, normal p
/// and interval, recomputed from cipa's fits.
fn check_lavaan_delta(ck: &mut Checker, what: &str, a: &Analysis, k: &Keyed, row: &Row) {
    let (kind, path, moderators) = (row.text("kind"), row.text("path"), row.text("moderators"));
    let paths = lavaan_paths(a, kind, path);
    let deriv = (kind == "index_of_moderated_mediation").then_some(moderators);
    let se = delta_se(a, &paths, &k.at, deriv);
    let z = k.r.effect / se;
    let q = normal().inverse_cdf(0.5 + a.options.conf / 200.0);
    ck.num(format!("{what} lavaan se (delta, ML)"), se, row.req("se"));
    ck.num(format!("{what} lavaan z"), z, row.req("stat"));
    check_normal_p(ck, format!("{what} lavaan p"), z, row.req("p"));
    ck.num(
        format!("{what} lavaan ci_lower"),
        k.r.effect - q * se,
        row.req("ci_lower"),
    );
    ck.num(
        format!("{what} lavaan ci_upper"),
        k.r.effect + q * se,
        row.req("ci_upper"),
    );
}

// ---------------------------------------------------------------------------------------------
// A whole case
// ---------------------------------------------------------------------------------------------

/// The runs of a case by (probe set key, CI method); key "" when the model has no moderator.
type Runs = HashMap<(String, &'static str), Analysis>;

/// `CiMethod` is not `Hash`: a key for it.
fn ci_key(ci: CiMethod) -> &'static str {
    match ci {
        CiMethod::Percentile => "percentile",
        CiMethod::BiasCorrected => "bias_corrected",
        CiMethod::Bca => "bca",
    }
}

fn golden_case(name: &str) {
    let Some(case) = load(name) else { return };
    let ppm = name.starts_with("process_ppm_");
    let mut ck = Checker::new(name);
    let mut mc = McStats::default();
    let mut skipped_percentile = 0usize;

    // One run per probe set and CI method. The lavaan cases have no bootstrap rows: B = 0.
    let sets: Vec<Option<&ProbeSet>> = if case.probes.is_empty() {
        vec![None]
    } else {
        case.probes.iter().map(Some).collect()
    };
    let methods: &[CiMethod] = if ppm {
        &[CiMethod::Percentile, CiMethod::BiasCorrected]
    } else {
        &[CiMethod::Percentile]
    };
    let mut runs: Runs = HashMap::new();
    for set in &sets {
        for &ci in methods {
            let a = run(&case, *set, CovType::Ols, case.boot, ci, 0);
            if let Some(b) = &a.bootstrap {
                ck.eq(format!("{} B", set.map_or("", |s| &s.key)), b.b, case.boot);
                ck.eq("bootstrap failures", b.failed, 0);
            } else {
                ck.eq("bootstrap ran", false, case.boot > 0);
            }
            runs.insert(
                (set.map_or(String::new(), |s| s.key.clone()), ci_key(ci)),
                a,
            );
        }
    }
    let first_key = sets[0].map_or(String::new(), |s| s.key.clone());
    let base = &runs[&(first_key.clone(), ci_key(CiMethod::Percentile))];

    // Equations (they do not depend on the probe values or the CI method).
    check_coefficients(
        &mut ck,
        &Table::read(&case.dir.join("coefficients.csv")),
        base,
        "OLS",
    );
    check_model_summary(
        &mut ck,
        &Table::read(&case.dir.join("model_summary.csv")),
        base,
    );
    let hc3_path = case.dir.join("coefficients_hc3.csv");
    if hc3_path.is_file() {
        // pyprocessmacro keeps the classical F under HC3 while cipa (as PROCESS) reports a
        // robust Wald F: only the coefficient table is compared.
        let hc3 = run(&case, sets[0], CovType::Hc3, 0, CiMethod::Percentile, 0);
        check_coefficients(&mut ck, &Table::read(&hc3_path), &hc3, "HC3");
    }
    let tests_path = case.dir.join("tests.csv");
    if tests_path.is_file() {
        let table = Table::read(&tests_path);
        for row in rows(&table) {
            assert_eq!(row.text("test"), "omnibus_direct_effect_of_x");
            let eq = row.text("equation");
            let what = format!("omnibus test of the direct effect ({eq})");
            let fit = fit_of(base, eq).expect("the Y equation");
            match r2_change(fit, std::slice::from_ref(&case.spec.x)) {
                Ok(t) => {
                    ck.num(
                        format!("{what} r2_change"),
                        t.r2_change,
                        row.req("r2_change"),
                    );
                    ck.num(format!("{what} F"), t.f, row.req("f"));
                    ck.eq(format!("{what} df1"), t.df1, row.req("df1"));
                    ck.eq(format!("{what} df2"), t.df2, row.req("df2"));
                    ck.p(format!("{what} p"), t.p, row.req("p"));
                }
                Err(e) => ck.fail(format!("{what}: {e}")),
            }
        }
    }

    // Probe values.
    for set in case.probes.iter() {
        check_probes(
            &mut ck,
            &case,
            set,
            &runs[&(set.key.clone(), ci_key(CiMethod::Percentile))],
        );
    }

    // Effects.
    let keyed_runs: HashMap<&(String, &'static str), Vec<Keyed>> =
        runs.iter().map(|(k, a)| (k, keyed(a))).collect();
    let effects = Table::read(&case.dir.join("effects.csv"));
    for (i, row) in rows(&effects).enumerate() {
        let kind = row.text("kind");
        let path = row.text("path");
        let moderators = row.text("moderators");
        let probe = row.text("probe");
        let ci_kind = row.text("ci_kind");
        let se_method = row.text("se_method");
        let what = format!(
            "effects.csv line {}: {kind} {path} [{moderators}] ({ci_kind}{}{})",
            i + 2,
            if se_method.is_empty() { "" } else { ", " },
            se_method
        );
        let key = if probe.is_empty() {
            first_key.clone()
        } else {
            probe.to_string()
        };
        let ci = if ci_kind == "bias_corrected" {
            CiMethod::BiasCorrected
        } else {
            CiMethod::Percentile
        };
        let Some(list) = keyed_runs.get(&(key.clone(), ci_key(ci))) else {
            ck.fail(format!("{what}: no cipa run for probe set '{key}'"));
            continue;
        };
        let a = &runs[&(key, ci_key(ci))];
        let k = match find(list, kind, path, moderators) {
            Ok(k) => k,
            Err(e) => {
                // A contrast taken the other way round (B - A for A - B): say so.
                let reverse = path
                    .split_once(" - ")
                    .map(|(p, q)| format!("{q} - {p}"))
                    .and_then(|rev| find(list, kind, &rev, moderators).ok());
                match reverse {
                    Some(k) if kind == "contrast" => ck.fail(format!(
                        "{what}: cipa has only the reverse contrast {} = {:.17e} ({}), golden {:.17e}: PROCESS orders the paths differently",
                        k.path,
                        k.r.effect,
                        k.r.def.label.as_deref().unwrap_or(""),
                        row.req("effect")
                    )),
                    _ => ck.fail(format!("{what}: {e}")),
                }
                continue;
            }
        };
        ck.num(format!("{what} effect"), k.r.effect, row.req("effect"));
        match (ci_kind, se_method) {
            (_, "lavaan_delta_ml") => check_lavaan_delta(&mut ck, &what, a, k, &row),
            (_, "sobel_second_order_ols") => check_sobel(&mut ck, &what, k.r, &row),
            ("analytic", _) => check_analytic(&mut ck, &what, k.r, &row),
            ("percentile_process", _) | ("bias_corrected", _) => {
                if let (Some(b), Some(s)) = (row.num("B"), row.num("seed")) {
                    ck.eq(format!("{what} B"), b as usize, case.boot);
                    ck.eq(format!("{what} seed"), s as u64, case.seed);
                }
                check_bootstrap(&mut ck, &mut mc, &what, k.r, &row)
            }
            // numpy's interpolated percentiles: the percentile_process twin is compared instead.
            ("percentile", _) => skipped_percentile += 1,
            _ => ck.fail(format!("{what}: unknown ci_kind/se_method")),
        }
    }

    // cipa must not report an index that the golden tool does not (models 58 and 59: the
    // indirect effect is quadratic in W).
    for list in keyed_runs.values() {
        for k in list.iter().filter(|k| k.index_of.is_some()) {
            let golden = rows(&effects).any(|row| {
                row.text("kind") == k.kind
                    && row.text("path") == k.path
                    && Some(row.text("moderators")) == k.index_of.as_deref()
            });
            if !golden {
                ck.fail(format!(
                    "cipa reports an index {} {} {:?} that the golden files do not",
                    k.kind, k.path, k.index_of
                ));
            }
        }
    }

    if mc.rows > 0 {
        println!(
            "{name}: {} bootstrap rows within Monte-Carlo bounds: largest |Δ boot_se| = {:.3}·boot_se ({}), largest |Δ bound| = {:.3}·boot_se ({})",
            mc.rows, mc.worst_se.0, mc.worst_se.1, mc.worst_bound.0, mc.worst_bound.1
        );
    }
    if skipped_percentile > 0 {
        println!(
            "{name}: {skipped_percentile} numpy-interpolated `percentile` rows not compared (their `percentile_process` twins are)"
        );
    }
    ck.finish();
}

#[test]
fn every_process_case_is_tested() {
    let mut found: Vec<String> = std::fs::read_dir(crate_root().join("tests/golden"))
        .expect("tests/golden")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("process_") && !NOT_HERE.contains(&n.as_str()))
        .collect();
    found.sort();
    let mut listed: Vec<String> = PPM_CASES
        .iter()
        .chain(LAVAAN_CASES.iter())
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "tests/golden/process_* and this file disagree"
    );
}

#[test]
fn ppm_m4() {
    golden_case("process_ppm_m4");
}

#[test]
fn ppm_m7() {
    golden_case("process_ppm_m7");
}

#[test]
fn ppm_mcw_m1_protest() {
    golden_case("process_ppm_mcw_m1_protest");
}

#[test]
fn ppm_mcz_m2_protest() {
    golden_case("process_ppm_mcz_m2_protest");
}

#[test]
fn ppm_mcw_protest() {
    golden_case("process_ppm_mcw_protest");
}

#[test]
fn ppm_m74() {
    golden_case("process_ppm_m74");
}

#[test]
fn ppm_m14() {
    golden_case("process_ppm_m14");
}

#[test]
fn ppm_m15() {
    golden_case("process_ppm_m15");
}

#[test]
fn ppm_m58() {
    golden_case("process_ppm_m58");
}

#[test]
fn ppm_m59() {
    golden_case("process_ppm_m59");
}

#[test]
fn ppm_mcx_protest() {
    golden_case("process_ppm_mcx_protest");
}

#[test]
fn lavaan_m4_tutorial() {
    golden_case("process_lavaan_m4_tutorial");
}

#[test]
fn lavaan_m4_pmi() {
    golden_case("process_lavaan_m4_pmi");
}

#[test]
fn lavaan_m6_pmi() {
    golden_case("process_lavaan_m6_pmi");
}

#[test]
fn lavaan_m7_sim() {
    golden_case("process_lavaan_m7_sim");
}

#[test]
fn lavaan_mcx_protest() {
    golden_case("process_lavaan_mcx_protest");
}

// ---------------------------------------------------------------------------------------------
// Properties on the same data
// ---------------------------------------------------------------------------------------------

fn identity(ck: &mut Checker, what: String, actual: f64, expected: f64, scale: f64) {
    ck.checked += 1;
    let d = (actual - expected).abs();
    if d > IDENTITY * scale.max(expected.abs()).max(f64::MIN_POSITIVE) {
        ck.failures.push(format!(
            "{what}: {actual:.17e} vs {expected:.17e} (|Δ| = {d:.2e}, scale {scale:.3e})"
        ));
    }
}

fn unmoderated(r: &EffectResult, kind: EffectKind, focal: &str) -> bool {
    r.def.kind == kind && r.def.focal == focal && r.def.moderators.is_empty()
}

/// Models 4 (one and two mediators, categorical X) and 6: total = direct + Σ specific indirect;
/// total indirect = Σ specific indirect; the total effect equals the total effect model's
/// coefficient (an OLS identity); each contrast is the difference of its two specific indirect
/// effects, and every pair is contrasted.
#[test]
fn property_effect_decomposition_in_unmoderated_models() {
    if !shared_available() {
        return;
    }
    for name in [
        "process_ppm_m4",
        "process_ppm_mcx_protest",
        "process_lavaan_m4_tutorial",
        "process_lavaan_m4_pmi",
        "process_lavaan_m6_pmi",
    ] {
        let Some(case) = load(name) else { return };
        let a = run(&case, None, CovType::Ols, 0, CiMethod::Percentile, 0);
        let mut ck = Checker::new(format!("decomposition {name}"));
        let mut focals: Vec<&str> = a.effects.iter().map(|r| r.def.focal.as_str()).collect();
        focals.dedup();
        for focal in focals {
            let get = |kind| -> Vec<&EffectResult> {
                a.effects
                    .iter()
                    .filter(|r| unmoderated(r, kind, focal))
                    .collect()
            };
            let direct = get(EffectKind::Direct);
            let indirect = get(EffectKind::Indirect);
            let total = get(EffectKind::Total);
            let total_ind = get(EffectKind::TotalIndirect);
            let contrasts = get(EffectKind::Contrast);
            ck.eq(format!("{focal}: one direct effect"), direct.len(), 1);
            ck.eq(format!("{focal}: one total effect"), total.len(), 1);
            let n_paths = indirect.len();
            // Parallel mediators: one path each; serial (model 6): every non-empty subset of
            // the mediators in order, 2^k - 1 paths.
            let k = case.spec.mediators.len();
            let expected_paths = if case.spec.source == SpecSource::Process(6) {
                (1usize << k) - 1
            } else {
                k
            };
            ck.eq(
                format!("{focal}: number of specific indirect effects"),
                n_paths,
                expected_paths,
            );
            if direct.len() != 1 || total.len() != 1 {
                continue;
            }
            let sum_ind: f64 = indirect.iter().map(|r| r.effect).sum();
            let abs_ind: f64 = indirect.iter().map(|r| r.effect.abs()).sum();
            identity(
                &mut ck,
                format!("{focal}: total = direct + Σ indirect"),
                total[0].effect,
                direct[0].effect + sum_ind,
                direct[0].effect.abs() + abs_ind,
            );
            match a.total_model.as_ref().and_then(|m| m.coefficient(focal)) {
                Some(c) => identity(
                    &mut ck,
                    format!("{focal}: total = total effect model coefficient"),
                    total[0].effect,
                    c.estimate,
                    direct[0].effect.abs() + abs_ind,
                ),
                None => ck.fail(format!("{focal}: no total effect model coefficient")),
            }
            if n_paths > 1 {
                ck.eq(
                    format!("{focal}: one total indirect effect"),
                    total_ind.len(),
                    1,
                );
                if let Some(t) = total_ind.first() {
                    identity(
                        &mut ck,
                        format!("{focal}: total indirect = Σ indirect"),
                        t.effect,
                        sum_ind,
                        abs_ind,
                    );
                }
            } else {
                ck.eq(
                    format!("{focal}: no total indirect effect"),
                    total_ind.len(),
                    0,
                );
            }
            ck.eq(
                format!("{focal}: number of contrasts"),
                contrasts.len(),
                n_paths * n_paths.saturating_sub(1) / 2,
            );
            for c in &contrasts {
                let parts: Vec<&[String]> = c.def.path.split(|s| s == "-").collect();
                let ind =
                    |p: &[String]| indirect.iter().find(|r| r.def.path == p).map(|r| r.effect);
                match parts.as_slice() {
                    [p, q] => match (ind(p), ind(q)) {
                        (Some(x), Some(y)) => identity(
                            &mut ck,
                            format!("{focal}: contrast {:?}", c.def.path),
                            c.effect,
                            x - y,
                            x.abs() + y.abs(),
                        ),
                        _ => ck.fail(format!("{focal}: contrast {:?}: unknown paths", c.def.path)),
                    },
                    _ => ck.fail(format!("{focal}: contrast path {:?}", c.def.path)),
                }
            }
        }
        ck.finish();
    }
}

/// Models 7, 14 and 15 (indirect effects linear in W): the index of moderated mediation is the
/// slope of the conditional indirect effect in W, for every pair of probe values.
#[test]
fn property_index_is_slope_of_conditional_indirect() {
    if !shared_available() {
        return;
    }
    for name in [
        "process_ppm_m7",
        "process_lavaan_m7_sim",
        "process_ppm_m14",
        "process_ppm_m15",
    ] {
        let Some(case) = load(name) else { return };
        let mut ck = Checker::new(format!("index as slope {name}"));
        for set in &case.probes {
            let a = run(&case, Some(set), CovType::Ols, 0, CiMethod::Percentile, 0);
            let effects = keyed(&a);
            let indices: Vec<&Keyed> = effects
                .iter()
                .filter(|k| k.kind == "index_of_moderated_mediation")
                .collect();
            ck.eq(
                format!("{}: one index per mediator", set.key),
                indices.len(),
                case.spec.mediators.len(),
            );
            for idx in indices {
                let cond: Vec<(f64, f64)> = effects
                    .iter()
                    .filter(|k| k.kind == "conditional_indirect" && k.path == idx.path)
                    .map(|k| (k.at[0].1, k.r.effect))
                    .collect();
                ck.eq(
                    format!("{} {}: conditional indirect effects", set.key, idx.path),
                    cond.len(),
                    set.values.len(),
                );
                for i in 0..cond.len() {
                    for j in i + 1..cond.len() {
                        let (wi, ei) = cond[i];
                        let (wj, ej) = cond[j];
                        let slope = (ej - ei) / (wj - wi);
                        identity(
                            &mut ck,
                            format!("{} {}: slope between w = {wi} and {wj}", set.key, idx.path),
                            slope,
                            idx.r.effect,
                            (ei.abs() + ej.abs()) / (wj - wi).abs(),
                        );
                    }
                }
            }
        }
        ck.finish();
    }
}

fn bits(r: &EffectResult) -> Vec<u64> {
    let opt = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits);
    vec![
        r.effect.to_bits(),
        opt(r.se),
        opt(r.stat),
        opt(r.p),
        opt(r.boot_se),
        r.ci_lower.to_bits(),
        r.ci_upper.to_bits(),
    ]
}

/// The bootstrap gives bit-identical results with one and with two worker threads (same seed).
#[test]
fn property_bootstrap_does_not_depend_on_threads() {
    if !shared_available() {
        return;
    }
    for (name, ci, b) in [
        ("process_ppm_m7", CiMethod::Percentile, 2000),
        ("process_lavaan_m6_pmi", CiMethod::BiasCorrected, 2000),
        ("process_ppm_mcx_protest", CiMethod::Percentile, 2000),
    ] {
        let Some(case) = load(name) else { return };
        let set = case.probes.first();
        let one = run(&case, set, CovType::Ols, b, ci, 1);
        let two = run(&case, set, CovType::Ols, b, ci, 2);
        let mut ck = Checker::new(format!("threads {name}"));
        ck.eq("number of effects", one.effects.len(), two.effects.len());
        ck.eq(
            "bootstrap ledger",
            one.bootstrap.as_ref().map(|b| (b.b, b.failed)),
            two.bootstrap.as_ref().map(|b| (b.b, b.failed)),
        );
        for (r1, r2) in one.effects.iter().zip(&two.effects) {
            ck.eq(format!("definition {:?}", r1.def.path), &r1.def, &r2.def);
            ck.eq(
                format!(
                    "{:?} {:?} {:?} bits",
                    r1.def.kind, r1.def.path, r1.def.moderators
                ),
                bits(r1),
                bits(r2),
            );
        }
        ck.finish();
    }
}

/// A dichotomous outcome (logistic Y equation) with a bootstrap: the coefficients as
/// pyprocessmacro's Newton fit (to 1e-6, two ML optimisers), the indirect effects exactly, and the
/// bootstrap SEs and percentile bounds within the Monte-Carlo limits of the other cases (cipa
/// refits the logistic equation on every resample by weighted Newton steps).
#[test]
fn ppm_logit_m4() {
    if !shared_available() {
        return;
    }
    let name = "process_ppm_logit_m4";
    let dir = golden_dir(name);
    let path = crate_root().join("../shared/datasets/pyprocessmacro_sim/Data_Model4.csv");
    let data = read_path(&path, &ReadOptions::default()).unwrap();
    let roles = Roles {
        x: "x".into(),
        y: "y2".into(),
        m: vec!["m1".into(), "m2".into()],
        ..Default::default()
    };
    let spec = template(4).unwrap().instantiate(&roles).unwrap();
    let opts = AnalysisOptions {
        boot: 5000,
        seed: 12345,
        ..Default::default()
    };
    let a = analyse(&data, &spec, &opts).unwrap();
    let mut ck = Checker::new(name);
    let coef = Table::read(&dir.join("coefficients.csv"));
    for row in rows(&coef) {
        let eq = row.text("equation");
        let fit = fit_of(&a, eq).expect("equation");
        let c = fit.coefficient(row.text("term")).expect("term");
        let what = format!("{eq}: {}", row.text("term"));
        ck.num_tol(
            format!("{what} estimate"),
            c.estimate,
            row.req("estimate"),
            1e-6,
        );
        ck.num_tol(format!("{what} se"), c.se, row.req("se"), 1e-6);
    }
    assert_eq!(a.bootstrap.as_ref().unwrap().failed, 0);
    let effects = Table::read(&dir.join("effects.csv"));
    for row in rows(&effects) {
        let path: Vec<String> = row.text("path").split('>').map(String::from).collect();
        let kind = match row.text("kind") {
            "direct" => EffectKind::Direct,
            _ => EffectKind::Indirect,
        };
        let r = a
            .effects
            .iter()
            .find(|e| e.def.kind == kind && e.def.path == path)
            .expect("effect");
        let what = format!("{} {}", row.text("kind"), row.text("path"));
        ck.num_tol(format!("{what} effect"), r.effect, row.req("effect"), 1e-6);
        if kind == EffectKind::Direct {
            ck.num_tol(format!("{what} se"), r.se.unwrap(), row.req("se"), 1e-6);
            continue;
        }
        let se = row.req("boot_se");
        let mine = r.boot_se.unwrap();
        if (mine - se).abs() > MC_SE * se {
            ck.fail(format!("{what}: boot_se {mine} vs {se}"));
        }
        for (m, g) in [(r.ci_lower, "ci_lower"), (r.ci_upper, "ci_upper")] {
            if (m - row.req(g)).abs() > MC_BOUND * se {
                ck.fail(format!("{what}: {g} {m} vs {}", row.req(g)));
            }
        }
    }
    ck.finish();
}
