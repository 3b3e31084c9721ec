//! Monte Carlo power analysis: draw `reps` data sets of each size from a design, fit a model to
//! each with the full analysis pipeline, and count how often each chosen effect's confidence
//! interval excludes zero (power), with its Monte-Carlo standard error, and the bias and coverage
//! of the estimates against the design's truth.
//!
//! Replication `r` at size `n` draws its data and its bootstrap from seeds derived from
//! `(seed, n, r)` alone, so results are identical for any number of threads and any split into
//! shards ([`run_shard`], [`merge`]): a large study can run as a job array.
//!
//! ```no_run
//! use cipa::simulate::power::{run, EffectSelector, PowerStudy};
//! use cipa::simulate::Design;
//! use cipa::spec::{template::template, Roles};
//!
//! let design = Design::framework();
//! let roles = Roles { x: "network_ties".into(), m: vec!["collab".into()],
//!                     y: "export_intensity".into(), ..Roles::default() };
//! let spec = template(4).unwrap().instantiate(&roles).unwrap();
//! let study = PowerStudy::new(design, "framework.toml text", spec,
//!     &[EffectSelector::Indirect], &[100, 200], 100, 500, 1).unwrap();
//! let summary = run(&study, 0, &|_| {}).unwrap();
//! println!("{}", summary.rows[0].power);
//! ```

use serde::{Deserialize, Serialize};

use super::design::{Design, Measurement, NodeKind, OutcomeKind};
use super::generate::{calibrate, generate_calibrated};
use super::truth::{truth, Coefficient, IndirectTruth, Truth};
use super::SimulateError;
use crate::analysis::{analyse, Analysis, AnalysisOptions};
use crate::effects::{EffectDef, EffectKind};
use crate::inference::CiMethod;
use crate::spec::ModelSpec;

/// Which effects of the fitted model a study assesses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectSelector {
    /// Every indirect effect (conditional ones too, at the analysis' probe points).
    Indirect,
    /// Every index of moderated mediation.
    Imm,
    /// A regression coefficient: `TERM`, or `OUTCOME~TERM` when several equations hold it
    /// (`collab:log_employees`, `export_intensity~collab`).
    Coef(String),
    /// A defined quantity of a path-syntax model (`ind := a*b`).
    Defined(String),
}

impl std::str::FromStr for EffectSelector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        match s {
            "indirect" | "ind" => return Ok(EffectSelector::Indirect),
            "imm" | "index" => return Ok(EffectSelector::Imm),
            _ => {}
        }
        if let Some(t) = s.strip_prefix("coef:").filter(|t| !t.is_empty()) {
            return Ok(EffectSelector::Coef(t.to_string()));
        }
        if let Some(t) = s.strip_prefix("defined:").filter(|t| !t.is_empty()) {
            return Ok(EffectSelector::Defined(t.to_string()));
        }
        Err(format!(
            "unknown effect '{s}': use indirect, imm, coef:TERM (or coef:OUTCOME~TERM) or defined:NAME"
        ))
    }
}

/// One assessed effect, with the design's true value where it is defined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectTarget {
    /// A stable name: `indirect:x>m>y`, `imm:x>m>y[w]`, `coef:y~x:w`, `defined:ind`.
    pub name: String,
    pub truth: Option<f64>,
    /// Why the truth is not defined (or how it was derived).
    pub truth_note: String,
}

/// Everything that determines a study's results (its fingerprint is taken over this).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerSettings {
    pub design: String,
    /// FNV-1a hash of the design text, so shards of different designs never merge.
    pub design_hash: String,
    /// The fitted model, as cipa's specification (JSON).
    pub model: serde_json::Value,
    pub effects: Vec<EffectTarget>,
    pub sizes: Vec<usize>,
    pub reps: usize,
    /// Bootstrap resamples per replication.
    pub boot: usize,
    #[serde(deserialize_with = "ci_from_str")]
    pub ci: CiMethod,
    pub conf: f64,
    pub seed: u64,
    /// Fixed probe values of numeric moderators (from the pilot sample's probe points), used by
    /// every replication.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<(String, Vec<f64>)>,
}

/// A study ready to run: the settings and the parsed design and model.
#[derive(Debug, Clone)]
pub struct PowerStudy {
    pub settings: PowerSettings,
    pub design: Design,
    pub spec: ModelSpec,
    error_sds: Vec<f64>,
}

/// One effect in one replication: the estimate and its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectDraw {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// One replication: its size and number, and each effect (in the settings' order), or why the
/// analysis failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    pub n: usize,
    pub rep: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<EffectDraw>,
}

/// The results of one shard of a study, as written to a shard file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    pub cipa_version: String,
    pub kind: String,
    /// FNV-1a hash of the settings as JSON: shards merge only when these agree.
    pub fingerprint: String,
    /// 1-based shard number and the number of shards.
    pub shard: (usize, usize),
    pub settings: PowerSettings,
    pub replications: Vec<Replication>,
}

/// Power and more for one effect at one sample size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PowerRow {
    pub effect: String,
    pub n: usize,
    pub reps: usize,
    /// Replications whose analysis failed (left out of everything else).
    pub failed: usize,
    /// Share of successful replications whose interval excludes zero.
    pub power: f64,
    /// Its Monte-Carlo standard error, sqrt(p(1 - p) / reps).
    pub power_se: f64,
    pub mean_estimate: f64,
    /// SD of the estimates across replications (the empirical standard error).
    pub sd_estimate: f64,
    pub truth: Option<f64>,
    pub bias: Option<f64>,
    /// Share of intervals that contain the truth, and its Monte-Carlo SE.
    pub coverage: Option<f64>,
    pub coverage_se: Option<f64>,
    pub mean_ci_width: f64,
}

/// The summary of a study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PowerSummary {
    pub settings: PowerSettings,
    pub fingerprint: String,
    pub rows: Vec<PowerRow>,
    /// Failure reasons with how often each occurred.
    pub failures: Vec<(String, usize)>,
}

/// FNV-1a, 64 bits, as 16 hex digits: a stable fingerprint without a cryptographic dependency.
pub fn fnv1a(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of stream `which` (0 data, 1 bootstrap) of replication `rep` at size `n`.
pub fn replication_seed(seed: u64, n: usize, rep: usize, which: u64) -> u64 {
    splitmix64(seed ^ splitmix64(n as u64 ^ splitmix64(rep as u64 ^ splitmix64(which))))
}

impl PowerSettings {
    pub fn fingerprint(&self) -> String {
        fnv1a(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }
}

/// Reads a CI method as it is written (`percentile`, `bias_corrected`, `bca`).
fn ci_from_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CiMethod, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

fn usage(msg: impl Into<String>) -> SimulateError {
    SimulateError::Usage(msg.into())
}

impl PowerStudy {
    /// Checks the request and resolves the effects on a pilot sample (the largest size, without
    /// bootstrap). `design_text` is the design's TOML, for the fingerprint.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        design: Design,
        design_text: &str,
        spec: ModelSpec,
        selectors: &[EffectSelector],
        sizes: &[usize],
        reps: usize,
        boot: usize,
        seed: u64,
    ) -> Result<Self, SimulateError> {
        Self::with_ci(
            design,
            design_text,
            spec,
            selectors,
            sizes,
            (reps, boot, seed),
            CiMethod::Percentile,
            95.0,
        )
    }

    /// As [`PowerStudy::new`] with the interval method and level; `(reps, boot, seed)`.
    #[allow(clippy::too_many_arguments)]
    pub fn with_ci(
        design: Design,
        design_text: &str,
        spec: ModelSpec,
        selectors: &[EffectSelector],
        sizes: &[usize],
        (reps, boot, seed): (usize, usize, u64),
        ci: CiMethod,
        conf: f64,
    ) -> Result<Self, SimulateError> {
        check_settings(selectors, sizes, reps, conf)?;
        let error_sds = calibrate(&design)?;
        let t = truth(&design, 0, seed, 0)?;
        let (a, probes) = pilot(&design, &spec, sizes, seed, conf, &error_sds)?;
        let effects = targets(selectors, &a, &design, &t)?;
        let needs_boot = effects.iter().any(|e| !e.name.starts_with("coef:"));
        if needs_boot && boot == 0 {
            return Err(usage(
                "indirect effects, indices and defined quantities need bootstrap intervals: give --boot B (e.g. 1000)",
            ));
        }
        let settings = PowerSettings {
            design: design.name.clone(),
            design_hash: fnv1a(design_text.as_bytes()),
            model: serde_json::to_value(&spec).unwrap_or_default(),
            effects,
            sizes: sizes.to_vec(),
            reps,
            boot,
            ci,
            conf,
            seed,
            probes,
        };
        Ok(PowerStudy {
            settings,
            design,
            spec,
            error_sds,
        })
    }

    /// Runs replication `rep` at size `n`.
    pub fn replicate(&self, n: usize, rep: usize) -> Replication {
        let s = &self.settings;
        let result = (|| -> Result<Vec<EffectDraw>, String> {
            let sim = generate_calibrated(
                &self.design,
                n,
                replication_seed(s.seed, n, rep, 0),
                &self.error_sds,
            )
            .map_err(|e| e.to_string())?;
            let data = sim
                .to_dataset("power replication")
                .map_err(|e| e.to_string())?;
            let opts = AnalysisOptions {
                boot: s.boot,
                seed: replication_seed(s.seed, n, rep, 1),
                ci: s.ci,
                conf: s.conf,
                // 0: the bootstrap's blocks run in the pool this replication runs in. A pool of
                // its own (threads 1) would be waited on from a worker of ours, and rayon's
                // worker steals further replications while it waits, nesting them on its stack.
                threads: 0,
                probe_values: s.probes.clone(),
                ..Default::default()
            };
            let a = analyse(&data, &self.spec, &opts).map_err(|e| e.to_string())?;
            s.effects
                .iter()
                .map(|t| {
                    draw(&a, &t.name).ok_or_else(|| format!("effect {} not in this fit", t.name))
                })
                .collect()
        })();
        match result {
            Ok(effects) => Replication {
                n,
                rep,
                error: None,
                effects,
            },
            Err(e) => Replication {
                n,
                rep,
                error: Some(e),
                effects: Vec::new(),
            },
        }
    }
}

/// The study's settings that can be refused before any data are drawn.
fn check_settings(
    selectors: &[EffectSelector],
    sizes: &[usize],
    reps: usize,
    conf: f64,
) -> Result<(), SimulateError> {
    if sizes.is_empty() || sizes.iter().any(|&n| n < 10) {
        return Err(usage(format!(
            "--n {sizes:?}: give one or more sample sizes of at least 10"
        )));
    }
    let mut sorted = sizes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != sizes.len() {
        return Err(usage("--n lists a sample size twice"));
    }
    if reps == 0 {
        return Err(usage("--reps must be at least 1"));
    }
    if !(conf > 0.0 && conf < 100.0) {
        return Err(usage(format!("--conf {conf} must be between 0 and 100")));
    }
    if selectors.is_empty() {
        return Err(usage(
            "no effects to assess: give --effects indirect, imm, coef:TERM or defined:NAME",
        ));
    }
    Ok(())
}

/// Each moderator's probe values.
type ProbePoints = Vec<(String, Vec<f64>)>;

/// The model fitted to one large pilot sample of the design, probed at the points every
/// replication will use, and those points.
fn pilot(
    design: &Design,
    spec: &ModelSpec,
    sizes: &[usize],
    seed: u64,
    conf: f64,
    error_sds: &[f64],
) -> Result<(Analysis, ProbePoints), SimulateError> {
    // Large enough that its probe points (below) are close to the population's percentiles.
    let pilot_n = sizes.iter().copied().max().unwrap_or(100).max(2000);
    let pilot = generate_calibrated(design, pilot_n, replication_seed(seed, 0, 0, 2), error_sds)?
        .to_dataset("power pilot sample")
        .map_err(|e| usage(e.to_string()))?;
    let pilot_opts = AnalysisOptions {
        boot: 0,
        threads: 1,
        conf,
        ..Default::default()
    };
    let cannot = |e: crate::Error| {
        usage(format!(
            "the model cannot be fitted to the design's data: {e}"
        ))
    };
    let a = analyse(&pilot, spec, &pilot_opts).map_err(cannot)?;
    // Sample percentiles differ between replications, so a conditional effect at "the 16th
    // percentile" would be a different quantity in each: every replication probes the
    // pilot's points instead (4 decimals), which also gives them a true value.
    let probes: Vec<(String, Vec<f64>)> = a
        .probes
        .iter()
        .filter(|(_, points)| points.iter().all(|p| p.value.is_finite()))
        .map(|(m, points)| {
            let v = points.iter().map(|p| (p.value * 1e4).round() / 1e4);
            (m.clone(), v.collect())
        })
        .collect();
    let pilot_opts = AnalysisOptions {
        probe_values: probes.clone(),
        ..pilot_opts
    };
    let a = analyse(&pilot, spec, &pilot_opts).map_err(cannot)?;
    Ok((a, probes))
}

/// The effects the selectors name in the pilot's analysis, each once; a selector that finds
/// nothing is refused with what the model does have.
fn targets(
    selectors: &[EffectSelector],
    a: &Analysis,
    design: &Design,
    t: &Truth,
) -> Result<Vec<EffectTarget>, SimulateError> {
    let mut effects: Vec<EffectTarget> = Vec::new();
    for sel in selectors {
        let found = resolve(sel, a, design, t)?;
        if found.is_empty() {
            return Err(nothing_found(sel, a));
        }
        for f in found {
            if !effects.iter().any(|e| e.name == f.name) {
                effects.push(f);
            }
        }
    }
    Ok(effects)
}

fn nothing_found(sel: &EffectSelector, a: &Analysis) -> SimulateError {
    let what = match sel {
        EffectSelector::Indirect => "indirect effect".to_string(),
        EffectSelector::Imm => "index of moderated mediation".to_string(),
        EffectSelector::Coef(t) => format!("coefficient '{t}'"),
        EffectSelector::Defined(d) => format!("defined quantity '{d}'"),
    };
    // Models whose indices come from `:=` lines (several moderators of one path) are the
    // usual reason for a missing index: point at those first.
    let defined: Vec<String> = a
        .defined
        .iter()
        .map(|d| format!("defined:{}", d.name))
        .collect();
    usage(if defined.is_empty() {
        format!("the model has no {what}; {}", available(a))
    } else {
        format!(
            "the model has no {what}; its defined quantities are {} (use --effects with those); {}",
            defined.join(", "),
            available(a)
        )
    })
}

/// The names of what a fit offers, for a message.
fn available(a: &Analysis) -> String {
    let mut names: Vec<String> = a
        .effects
        .iter()
        .filter(|e| {
            matches!(
                e.def.kind,
                EffectKind::Indirect | EffectKind::IndexOfModeratedMediation
            )
        })
        .map(|e| effect_name(&e.def))
        .collect();
    for (f, _) in &a.equations {
        for c in &f.coefficients {
            names.push(format!("coef:{}~{}", f.outcome, c.term));
        }
    }
    for d in &a.defined {
        names.push(format!("defined:{}", d.name));
    }
    format!("available: {}", names.join(", "))
}

/// A stable name for an effect of the plan.
fn effect_name(d: &EffectDef) -> String {
    let kind = match d.kind {
        EffectKind::Indirect => "indirect",
        EffectKind::IndexOfModeratedMediation => "imm",
        _ => "effect",
    };
    let mut s = format!("{kind}:{}", d.path.join(">"));
    if let Some(l) = &d.label {
        s += &format!("[{l}]");
    }
    for (m, v) in &d.moderators {
        s += &format!("|{m}={v}");
    }
    s
}

/// The estimate and interval of a named effect in a finished analysis.
fn draw(a: &Analysis, name: &str) -> Option<EffectDraw> {
    let mk = |estimate: f64, lower: f64, upper: f64| {
        (estimate.is_finite() && lower.is_finite() && upper.is_finite()).then_some(EffectDraw {
            estimate,
            lower,
            upper,
        })
    };
    if let Some(rest) = name.strip_prefix("coef:") {
        let (outcome, term) = rest.split_once('~')?;
        let c = a
            .equations
            .iter()
            .find(|(f, _)| f.outcome == outcome)?
            .0
            .coefficient(term)?;
        return mk(c.estimate, c.ci_lower, c.ci_upper);
    }
    if let Some(d) = name.strip_prefix("defined:") {
        let d = a.defined.iter().find(|x| x.name == d)?;
        return mk(d.estimate, d.ci_lower, d.ci_upper);
    }
    let e = a.effects.iter().find(|e| effect_name(&e.def) == name)?;
    mk(e.effect, e.ci_lower, e.ci_upper)
}

fn same_factors(a: &str, b: &str) -> bool {
    let mut x: Vec<&str> = a.split(':').collect();
    let mut y: Vec<&str> = b.split(':').collect();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// Why values of `var` are not on the scale of the design's truth, if they are not.
fn off_scale(design: &Design, var: &str) -> Option<String> {
    let i = design.index(var)?;
    match &design.nodes[i].kind {
        NodeKind::Construct {
            measurement: Measurement::Likert,
            ..
        } => Some(format!(
            "'{var}' is measured by Likert items, so estimates are attenuated and in other units (use exact measurement, --exact)"
        )),
        NodeKind::Construct {
            measurement: Measurement::Continuous,
            ..
        } => Some(format!(
            "'{var}' is the mean of continuous items, an unreliable measure, so estimates are attenuated (use exact measurement, --exact, or a latent-variable model)"
        )),
        NodeKind::Outcome { kind, min, max, .. } => match kind {
            OutcomeKind::Normal if min.is_none() && max.is_none() => None,
            OutcomeKind::Normal => Some(format!(
                "'{var}' is clipped to its min/max, which pulls OLS estimates towards zero"
            )),
            _ => Some(format!(
                "'{var}' is not a normal outcome, so a linear model does not estimate its coefficients"
            )),
        },
        _ => None,
    }
}

/// The design's conditional indirect effect `(a + Σ a_w·w)(b + Σ b_v·v)` at the probe values
/// `at` (moderator, value as printed), or why it is not defined.
fn conditional_truth(
    ti: &IndirectTruth,
    at: &[(String, String)],
    scale_problem: &dyn Fn(&[&str]) -> Option<String>,
) -> Result<f64, String> {
    if ti.notes.iter().any(|n| n.contains("three-way")) {
        return Err("the design has a three-way term on this path".into());
    }
    let mut values = Vec::new();
    for (m, label) in at {
        let v: f64 = label.parse().map_err(|_| {
            format!("'{m}' is categorical; the design's truth is for numeric moderators")
        })?;
        if let Some(p) = scale_problem(&[m.as_str()]) {
            return Err(p);
        }
        values.push((m.as_str(), v));
    }
    let stage = |coefs: &[Coefficient]| -> Result<f64, String> {
        let mut total = coefs.first().map_or(0.0, |c| c.value);
        for c in coefs.iter().skip(1) {
            let (_, v) = values.iter().find(|(m, _)| *m == c.term).ok_or_else(|| {
                format!(
                    "the design moderates this path by '{}', which the model does not probe",
                    c.term
                )
            })?;
            total += c.value * v;
        }
        Ok(total)
    };
    Ok(stage(&ti.a)? * stage(&ti.b)?)
}

fn undefined(name: String, why: impl Into<String>) -> EffectTarget {
    EffectTarget {
        name,
        truth: None,
        truth_note: format!("truth not defined: {}", why.into()),
    }
}

/// The effects a selector picks in a fit, with their truth from the design.
fn resolve(
    sel: &EffectSelector,
    a: &Analysis,
    design: &Design,
    t: &Truth,
) -> Result<Vec<EffectTarget>, SimulateError> {
    Ok(match sel {
        EffectSelector::Indirect => path_targets(EffectKind::Indirect, a, design, t),
        EffectSelector::Imm => path_targets(EffectKind::IndexOfModeratedMediation, a, design, t),
        EffectSelector::Coef(want) => coef_targets(want, a, design, t)?,
        EffectSelector::Defined(d) if a.defined.iter().any(|x| &x.name == d) => vec![undefined(
            format!("defined:{d}"),
            "the truth of a defined quantity is not derived from the design",
        )],
        EffectSelector::Defined(_) => Vec::new(),
    })
}

/// The model's indirect effects or indices of moderated mediation (`want`), each with the
/// design's value of its two-step path where the design defines one.
fn path_targets(want: EffectKind, a: &Analysis, design: &Design, t: &Truth) -> Vec<EffectTarget> {
    let scale_problem = |vars: &[&str]| vars.iter().find_map(|v| off_scale(design, v));
    let mut out = Vec::new();
    for e in a.effects.iter().filter(|e| e.def.kind == want) {
        let name = effect_name(&e.def);
        let path = &e.def.path;
        let vars: Vec<&str> = path.iter().map(String::as_str).collect();
        if path.len() != 3 {
            out.push(undefined(
                name,
                "the design's truth gives two-step paths only",
            ));
            continue;
        }
        let Some(ti) = t
            .indirect_effects
            .iter()
            .find(|i| i.x == path[0] && i.m == path[1] && i.y == path[2])
        else {
            out.push(undefined(
                name,
                "the design has no such path (true value 0 if its variables are in the design)",
            ));
            continue;
        };
        out.push(match scale_problem(&vars) {
            Some(p) => undefined(name, p),
            None if want == EffectKind::Indirect => {
                indirect_target(name, &e.def, ti, &scale_problem)
            }
            None => imm_target(name, &e.def, ti, &scale_problem),
        });
    }
    out
}

/// An indirect effect's truth: a·b, or a(w)·b(w) at the study's probe values when the model
/// conditions on the design's moderators.
fn indirect_target(
    name: String,
    def: &EffectDef,
    ti: &IndirectTruth,
    scale_problem: &dyn Fn(&[&str]) -> Option<String>,
) -> EffectTarget {
    let moderated = ti.a.len() > 1 || ti.b.len() > 1;
    if !def.moderators.is_empty() {
        match conditional_truth(ti, &def.moderators, scale_problem) {
            Ok(v) => EffectTarget {
                name,
                truth: Some(v),
                truth_note:
                    "a(w)·b(w) of the design's structural paths at the study's fixed probe values"
                        .into(),
            },
            Err(why) => undefined(name, why),
        }
    } else if moderated {
        undefined(name, "the design moderates this path; the model's unconditional indirect effect averages over the moderator")
    } else {
        EffectTarget {
            name,
            truth: Some(ti.indirect_at_zero),
            truth_note: "a·b of the design's structural paths".into(),
        }
    }
}

/// An index of moderated mediation's truth: the design's a_w·b or a·b_v, 0 when the design
/// does not moderate the path by that variable.
fn imm_target(
    name: String,
    def: &EffectDef,
    ti: &IndirectTruth,
    scale_problem: &dyn Fn(&[&str]) -> Option<String>,
) -> EffectTarget {
    let w = def.label.clone().unwrap_or_default();
    match ti.index_of_moderated_mediation.iter().find(|c| c.term == w) {
        Some(c) if scale_problem(&[w.as_str()]).is_none() => EffectTarget {
            name,
            truth: Some(c.value),
            truth_note: "the design's index of moderated mediation (a_w·b or a·b_v)".into(),
        },
        Some(_) => undefined(name, scale_problem(&[w.as_str()]).unwrap_or_default()),
        None => EffectTarget {
            name,
            truth: Some(0.0),
            truth_note: format!("the design has no moderation of this path by '{w}'"),
        },
    }
}

/// `coef:TERM` or `coef:OUTCOME~TERM`: the model's coefficient with the design's value (0 where
/// the design's equation has no such term); a term in several equations must name its outcome.
fn coef_targets(
    want: &str,
    a: &Analysis,
    design: &Design,
    t: &Truth,
) -> Result<Vec<EffectTarget>, SimulateError> {
    let (outcome, term) = match want.split_once('~') {
        Some((o, t)) => (Some(o), t),
        None => (None, want),
    };
    let hits: Vec<(&str, &str)> = a
        .equations
        .iter()
        .filter(|(f, _)| outcome.is_none_or(|o| o == f.outcome))
        .flat_map(|(f, _)| {
            f.coefficients
                .iter()
                .filter(|c| same_factors(&c.term, term))
                .map(move |c| (f.outcome.as_str(), c.term.as_str()))
        })
        .collect();
    if hits.len() > 1 {
        return Err(usage(format!(
            "coef:{want} is in several equations ({}); write coef:OUTCOME~{term}",
            hits.iter().map(|h| h.0).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(hits
        .into_iter()
        .map(|(y, term)| coef_target(y, term, design, t))
        .collect())
}

fn coef_target(y: &str, term: &str, design: &Design, t: &Truth) -> EffectTarget {
    let name = format!("coef:{y}~{term}");
    let factors: Vec<&str> = term.split(':').collect();
    let mut vars = factors.clone();
    vars.push(y);
    if let Some(p) = vars.iter().find_map(|v| off_scale(design, v)) {
        return undefined(name, p);
    }
    let Some(eq) = t.equations.iter().find(|e| e.outcome == y) else {
        return undefined(name, format!("'{y}' has no equation in the design"));
    };
    if factors.iter().any(|f| design.index(f).is_none()) {
        return undefined(name, "a factor is not a variable of the design");
    }
    let value = eq
        .coefficients
        .iter()
        .find(|c| same_factors(&c.term, term))
        .map_or(0.0, |c| c.value);
    EffectTarget {
        name,
        truth: Some(value),
        truth_note: "the design's coefficient (0 where the design's equation has no such term)"
            .into(),
    }
}

/// The replications of shard `index` of `count` (1-based): every (n, r) with r % count ==
/// index - 1, in order of n then r.
pub fn shard_work(settings: &PowerSettings, index: usize, count: usize) -> Vec<(usize, usize)> {
    settings
        .sizes
        .iter()
        .flat_map(|&n| (0..settings.reps).map(move |r| (n, r)))
        .filter(|(_, r)| count == 0 || r % count == index.saturating_sub(1))
        .collect()
}

/// Runs the replications `work` (pairs of size and 0-based replication number) in parallel
/// (`threads` 0 = all cores), calling `progress(1)` after each; results in the order of `work`.
/// With `threads` 1 every replication, its bootstrap included, runs on one thread, which is how
/// `cipa power --plan` times its pilot replications.
pub fn run_replications(
    study: &PowerStudy,
    work: &[(usize, usize)],
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Replication> {
    let one = |&(n, r): &(usize, usize)| {
        let out = study.replicate(n, r);
        progress(1);
        out
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let go = || work.par_iter().map(one).collect::<Vec<_>>();
        // Our own pool (0 = as many threads as cores), with room on each worker's stack for a
        // waiting replication's nested work.
        match rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(64 << 20)
            .build()
        {
            Ok(pool) => pool.install(go),
            Err(_) => go(),
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        work.iter().map(one).collect()
    }
}

/// Runs the whole study and summarises it.
pub fn run(
    study: &PowerStudy,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PowerSummary, SimulateError> {
    let shard = run_shard(study, 1, 1, threads, progress)?;
    merge(&[shard])
}

/// Runs shard `index` of `count` (1-based).
pub fn run_shard(
    study: &PowerStudy,
    index: usize,
    count: usize,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Shard, SimulateError> {
    if count == 0 || index == 0 || index > count {
        return Err(usage(format!(
            "--shard {index}/{count}: the shard number must be between 1 and the number of shards"
        )));
    }
    let work = shard_work(&study.settings, index, count);
    Ok(Shard {
        cipa_version: crate::VERSION.to_string(),
        kind: "cipa power shard".into(),
        fingerprint: study.settings.fingerprint(),
        shard: (index, count),
        settings: study.settings.clone(),
        replications: run_replications(study, &work, threads, progress),
    })
}

/// Combines shards of one study: their fingerprints must agree and together they must hold every
/// replication exactly once. The summary equals that of an unsharded run.
pub fn merge(shards: &[Shard]) -> Result<PowerSummary, SimulateError> {
    let first = shards.first().ok_or_else(|| usage("no shards to merge"))?;
    let settings = &first.settings;
    for (k, s) in shards.iter().enumerate() {
        let (i, count) = s.shard;
        if s.settings.fingerprint() != s.fingerprint {
            return Err(usage(format!(
                "shard {} ({i}/{count}) does not match its own fingerprint {}: the file was changed after cipa wrote it; run that shard again",
                k + 1,
                s.fingerprint
            )));
        }
        let differ = differences(first, s);
        if !differ.is_empty() {
            return Err(usage(format!(
                "shard {} ({i}/{count}) belongs to another study than shard 1: {}; merge only shards run with the same design, model, effects, sizes, reps, B, CI, level, seed and cipa version",
                k + 1,
                differ.join(", ")
            )));
        }
    }
    let mut reps: Vec<&Replication> = shards.iter().flat_map(|s| &s.replications).collect();
    reps.sort_by_key(|r| (r.n, r.rep));
    for w in reps.windows(2) {
        if (w[0].n, w[0].rep) == (w[1].n, w[1].rep) {
            return Err(usage(format!(
                "replication {} at n = {} appears twice: a shard was given twice or shards of different --shard N overlap",
                w[0].rep + 1,
                w[0].n
            )));
        }
    }
    let expected: usize = settings.sizes.len() * settings.reps;
    let stray = reps
        .iter()
        .find(|r| !settings.sizes.contains(&r.n) || r.rep >= settings.reps);
    if let Some(r) = stray {
        return Err(usage(format!(
            "replication {} at n = {} is not part of the study",
            r.rep + 1,
            r.n
        )));
    }
    if reps.len() != expected {
        let missing = settings
            .sizes
            .iter()
            .flat_map(|&n| (0..settings.reps).map(move |r| (n, r)))
            .find(|k| reps.binary_search_by_key(k, |r| (r.n, r.rep)).is_err());
        // Shards of one --shard N say which of them holds the first missing replication.
        let count = first.shard.1;
        let one_count = shards.iter().all(|s| s.shard.1 == count);
        return Err(usage(format!(
            "{} of {expected} replications are missing{}: merge every shard",
            expected - reps.len(),
            missing.map_or(String::new(), |(n, r)| format!(
                " (first: replication {} at n = {n}{})",
                r + 1,
                if one_count {
                    format!(", which shard {}/{count} holds", r % count + 1)
                } else {
                    String::new()
                }
            ))
        )));
    }
    Ok(summarise(settings, &reps))
}

/// How shard `b` differs from shard `a` in what makes a study, each as "seed 6 against 5" (`b`'s
/// value first); empty when they are shards of one study. The cipa version counts: another
/// version may compute a replication differently.
pub fn differences(a: &Shard, b: &Shard) -> Vec<String> {
    let (x, y) = (&a.settings, &b.settings);
    let names = |s: &PowerSettings| {
        let v: Vec<&str> = s.effects.iter().map(|e| e.name.as_str()).collect();
        v.join(" ")
    };
    let hash = |s: &PowerSettings| format!("{} (text hash {})", s.design, s.design_hash);
    let model = |s: &PowerSettings| {
        // The model as JSON is long: its hash tells two models apart.
        format!("(hash {})", fnv1a(s.model.to_string().as_bytes()))
    };
    let pairs = [
        (
            "cipa version",
            a.cipa_version.clone(),
            b.cipa_version.clone(),
        ),
        ("design", hash(x), hash(y)),
        ("model", model(x), model(y)),
        ("effects", names(x), names(y)),
        ("sizes", format!("{:?}", x.sizes), format!("{:?}", y.sizes)),
        ("reps", x.reps.to_string(), y.reps.to_string()),
        ("B", x.boot.to_string(), y.boot.to_string()),
        ("CI", x.ci.label().into(), y.ci.label().into()),
        ("level", x.conf.to_string(), y.conf.to_string()),
        ("seed", x.seed.to_string(), y.seed.to_string()),
        (
            "probe values",
            format!("{:?}", x.probes),
            format!("{:?}", y.probes),
        ),
    ];
    let mut out: Vec<String> = pairs
        .into_iter()
        .filter(|(_, here, there)| here != there)
        .map(|(what, here, there)| format!("{what} {there} against {here}"))
        .collect();
    if out.is_empty() && a.fingerprint != b.fingerprint {
        out.push(format!(
            "fingerprint {} against {}",
            b.fingerprint, a.fingerprint
        ));
    }
    out
}

fn summarise(settings: &PowerSettings, reps: &[&Replication]) -> PowerSummary {
    let mut rows = Vec::new();
    let mut failures: Vec<(String, usize)> = Vec::new();
    for r in reps {
        if let Some(e) = &r.error {
            match failures.iter_mut().find(|(m, _)| m == e) {
                Some((_, k)) => *k += 1,
                None => failures.push((e.clone(), 1)),
            }
        }
    }
    for (j, target) in settings.effects.iter().enumerate() {
        for &n in &settings.sizes {
            let at: Vec<&Replication> = reps.iter().copied().filter(|r| r.n == n).collect();
            let ok: Vec<&EffectDraw> = at
                .iter()
                .filter(|r| r.error.is_none())
                .filter_map(|r| r.effects.get(j))
                .collect();
            let k = ok.len();
            let kf = k as f64;
            let share = |count: usize| if k == 0 { f64::NAN } else { count as f64 / kf };
            let se = |p: f64| (p * (1.0 - p) / kf).sqrt();
            let power = share(ok.iter().filter(|d| d.lower > 0.0 || d.upper < 0.0).count());
            let mean = ok.iter().map(|d| d.estimate).sum::<f64>() / kf;
            let sd =
                (ok.iter().map(|d| (d.estimate - mean).powi(2)).sum::<f64>() / (kf - 1.0)).sqrt();
            let coverage = target
                .truth
                .map(|t| share(ok.iter().filter(|d| d.lower <= t && t <= d.upper).count()));
            rows.push(PowerRow {
                effect: target.name.clone(),
                n,
                reps: at.len(),
                failed: at.len() - k,
                power,
                power_se: se(power),
                mean_estimate: mean,
                sd_estimate: sd,
                truth: target.truth,
                bias: target.truth.map(|t| mean - t),
                coverage,
                coverage_se: coverage.map(se),
                mean_ci_width: ok.iter().map(|d| d.upper - d.lower).sum::<f64>() / kf,
            });
        }
    }
    PowerSummary {
        settings: settings.clone(),
        fingerprint: settings.fingerprint(),
        rows,
        failures,
    }
}
