//! The true parameters of a generated data set, written as JSON beside it, so fits can be checked
//! against the truth.
//!
//! Scales: an equation's coefficients are in the units of its variables as generated. A construct
//! enters the structural model as its latent score (exogenous: standard normal; endogenous:
//! variance 1 by calibration, unless `error_sd` is given). With `measurement = "exact"` the column
//! of a construct *is* that score, and OLS on the columns estimates these coefficients without
//! bias. With Likert items the column is the mean of 1-5 or 1-7 items: a different unit and an
//! unreliable measure, so OLS on the composites estimates attenuated (and rescaled) values. For
//! those, `observed_ols` gives what OLS on the written columns converges to, estimated on a large
//! fixed sample (its standard errors say how precisely).

use serde::Serialize;

use super::design::{Design, Equation, Measurement, NodeKind};
use super::generate::{calibrate, generate_calibrated};
use super::SimulateError;
use crate::estimation::Regression;
use crate::inference::CovType;

/// Seed of the large sample behind `observed_ols` (fixed: a property of the design).
const POPULATION_SEED: u64 = 0x7e57_0b5e;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    pub cipa_version: &'static str,
    pub design: String,
    pub description: String,
    pub n: usize,
    pub seed: u64,
    /// The command that made the data, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    pub notes: Vec<String>,
    pub measurement: Vec<MeasurementTruth>,
    pub exogenous_correlations: Vec<(String, String, f64)>,
    pub equations: Vec<EquationTruth>,
    pub indirect_effects: Vec<IndirectTruth>,
    /// What OLS (logistic regression for binary outcomes) of each equation on the written columns
    /// converges to, from one sample of `population_n` rows without missing values.
    pub observed_ols: Vec<ObservedFit>,
    pub population_n: usize,
    /// The design's `[cluster]`: the id column and the random intercepts (absent without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterTruth>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterTruth {
    pub column: String,
    pub label: String,
    pub clusters: usize,
    /// Per equation outcome, the SD of its cluster random intercept (a normal, added to the
    /// linear predictor on top of the error).
    pub random_intercepts: Vec<Coefficient>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasurementTruth {
    pub construct: String,
    pub label: String,
    pub level: String,
    pub measurement: Measurement,
    pub items: Vec<String>,
    pub scale: u32,
    pub loadings: Vec<f64>,
    pub thresholds: Vec<f64>,
    /// Skewness of each item's unique error (0, normal, is not written).
    #[serde(skip_serializing_if = "is_zero")]
    pub skew: f64,
    /// Reliability of the item sum for continuous items, (Σλ)² / ((Σλ)² + Σ(1 − λ²)); the
    /// discretized Likert items are somewhat less reliable. 1 for exact measurement.
    pub composite_reliability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquationTruth {
    pub outcome: String,
    /// construct, normal, lognormal (log link: coefficients act on ln y), count (Poisson, log
    /// link) or binary (logistic: coefficients are log-odds).
    pub kind: String,
    pub intercept: f64,
    /// The SD of the normal error (for lognormal outcomes, on the log scale); 0 for count and
    /// binary outcomes, whose randomness is the Poisson or Bernoulli draw.
    pub error_sd: f64,
    pub coefficients: Vec<Coefficient>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub term: String,
    pub value: f64,
}

/// The indirect effect of `x` on `y` through `m`: `(a + Σ a_w·w)(b + Σ b_v·v)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndirectTruth {
    pub x: String,
    pub m: String,
    pub y: String,
    /// The first-stage coefficients: `x` alone, then each `x:w` as `w`.
    pub a: Vec<Coefficient>,
    /// The second-stage coefficients: `m` alone, then each `m:v` as `v`.
    pub b: Vec<Coefficient>,
    /// a·b: the indirect effect with every moderator at 0.
    pub indirect_at_zero: f64,
    /// For each moderator of exactly one stage: the index of moderated mediation (a_w·b or a·b_v).
    pub index_of_moderated_mediation: Vec<Coefficient>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedFit {
    pub outcome: String,
    pub method: &'static str,
    pub coefficients: Vec<ObservedCoefficient>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedCoefficient {
    pub term: String,
    pub estimate: f64,
    pub se: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn kind_name(d: &Design, i: usize) -> String {
    match &d.nodes[i].kind {
        NodeKind::Construct { .. } => "construct".into(),
        NodeKind::Outcome { kind, .. } => serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The truth of `design` for data of `n` rows from `seed`; `population_n` rows (0 = none) for
/// `observed_ols`.
pub fn truth(
    design: &Design,
    n: usize,
    seed: u64,
    population_n: usize,
) -> Result<Truth, SimulateError> {
    let sds = calibrate(design)?;
    let observed_ols = if population_n > 0 {
        observed(design, population_n, &sds)?
    } else {
        Vec::new()
    };
    Ok(Truth {
        cipa_version: crate::VERSION,
        design: design.name.clone(),
        description: design.description.clone(),
        n,
        seed,
        command: None,
        notes: notes(design),
        measurement: measurement(design),
        exogenous_correlations: exogenous_correlations(design),
        equations: equations(design, &sds),
        indirect_effects: indirect(design),
        observed_ols,
        population_n,
        cluster: cluster(design),
    })
}

/// Each construct's items, loadings and thresholds, with the reliability of its composite.
fn measurement(design: &Design) -> Vec<MeasurementTruth> {
    design
        .nodes
        .iter()
        .filter_map(|nd| match &nd.kind {
            NodeKind::Construct {
                items,
                scale,
                loadings,
                thresholds,
                measurement,
                skew,
            } => {
                let s: f64 = loadings.iter().sum();
                let e: f64 = loadings.iter().map(|l| 1.0 - l * l).sum();
                Some(MeasurementTruth {
                    construct: nd.name.clone(),
                    label: nd.label.clone(),
                    level: nd.level.clone(),
                    measurement: *measurement,
                    items: if measurement.has_items() {
                        items.clone()
                    } else {
                        Vec::new()
                    },
                    scale: *scale,
                    loadings: loadings.clone(),
                    thresholds: thresholds.clone(),
                    skew: *skew,
                    composite_reliability: if *measurement == Measurement::Exact {
                        1.0
                    } else {
                        s * s / (s * s + e)
                    },
                })
            }
            _ => None,
        })
        .collect()
}

/// The non-zero correlations of the exogenous nodes, each pair once.
fn exogenous_correlations(design: &Design) -> Vec<(String, String, f64)> {
    let name = |i: usize| design.nodes[i].name.clone();
    let k = design.exogenous.len();
    let mut out = Vec::new();
    for i in 0..k {
        for j in i + 1..k {
            let r = design.correlation[i * k + j];
            if r != 0.0 {
                out.push((name(design.exogenous[i]), name(design.exogenous[j]), r));
            }
        }
    }
    out
}

/// Each equation's intercept, coefficients and (calibrated) error SD.
fn equations(design: &Design, sds: &[f64]) -> Vec<EquationTruth> {
    design
        .equations
        .iter()
        .zip(sds)
        .map(|(e, sd)| EquationTruth {
            outcome: design.nodes[e.outcome].name.clone(),
            kind: kind_name(design, e.outcome),
            intercept: e.intercept,
            error_sd: *sd,
            coefficients: e
                .terms
                .iter()
                .map(|(t, _, c)| Coefficient {
                    term: t.clone(),
                    value: *c,
                })
                .collect(),
        })
        .collect()
}

/// What the values mean: the scales always, and what continuous items, clipped outcomes and
/// clusters change when the design has them.
fn notes(design: &Design) -> Vec<String> {
    let mut notes = vec![
        "Coefficients are in the units of the variables as generated; a construct enters as its latent score (exogenous: standard normal; endogenous: variance 1 unless error_sd is given).".to_string(),
        "With measurement = exact a construct's column is its latent score and OLS on the columns is unbiased for these values; with Likert items the column is the mean of the items, in other units and less than perfectly reliable, so OLS on it estimates attenuated values: compare with observed_ols instead.".to_string(),
    ];
    let continuous = |m: &NodeKind| {
        matches!(
            m,
            NodeKind::Construct {
                measurement: Measurement::Continuous,
                ..
            }
        )
    };
    if design.nodes.iter().any(|n| continuous(&n.kind)) {
        notes.push("With measurement = continuous a construct's items are its continuous responses (no Likert cut): with the latent variance 1, the loadings are the items' true standardized loadings (a latent-variable model's std.all); the construct's column is the mean of its items, attenuated like a Likert composite.".into());
    }
    if design.nodes.iter().any(|n| {
        matches!(
            n.kind,
            NodeKind::Outcome { min: Some(_), .. } | NodeKind::Outcome { max: Some(_), .. }
        )
    }) {
        notes.push("Outcomes with min or max are clipped to that range after adding the error, which also pulls OLS estimates of their coefficients towards zero; observed_ols includes this.".into());
    }
    if let Some(c) = &design.cluster {
        notes.push(format!("Firms are nested in {} clusters (column {}): each cluster adds a normal random intercept with the SD in cluster.random_intercepts to those equations, on top of their error (a construct's variance becomes 1 + SD²), so standard errors should be cluster-robust (--cluster {}).", c.count, c.column, c.column));
    }
    notes
}

/// The design's `[cluster]`: its id column and each equation's random-intercept SD.
fn cluster(design: &Design) -> Option<ClusterTruth> {
    design.cluster.as_ref().map(|c| ClusterTruth {
        column: c.column.clone(),
        label: c.label.clone(),
        clusters: c.count,
        random_intercepts: c
            .intercept_sd
            .iter()
            .map(|&(eq, sd)| Coefficient {
                term: design.nodes[design.equations[eq].outcome].name.clone(),
                value: sd,
            })
            .collect(),
    })
}

/// Every two-step path x -> m -> y of the structural model, with its moderators.
fn indirect(d: &Design) -> Vec<IndirectTruth> {
    let mut out = Vec::new();
    for ey in &d.equations {
        for em in &d.equations {
            let m = em.outcome;
            if !ey.terms.iter().any(|(_, f, _)| f.contains(&m)) {
                continue;
            }
            let mut xs: Vec<usize> = Vec::new();
            for (_, f, _) in &em.terms {
                for &x in f {
                    if !xs.contains(&x) {
                        xs.push(x);
                    }
                }
            }
            // A moderator of the first stage has no path of its own unless it enters alone.
            let alone = |x: &usize| em.terms.iter().any(|(_, f, _)| f.as_slice() == [*x]);
            for x in xs.into_iter().filter(alone) {
                out.push(path_truth(d, x, em, ey));
            }
        }
    }
    out
}

/// The truth of the path x -> em's outcome -> ey's outcome.
fn path_truth(d: &Design, x: usize, em: &Equation, ey: &Equation) -> IndirectTruth {
    let m = em.outcome;
    let a = Stage::of(&em.terms, x);
    let b = Stage::of(&ey.terms, m);
    let mut notes = a.notes.clone();
    notes.extend(b.notes.iter().cloned());
    let nm = |i: usize| d.nodes[i].name.clone();
    let mut index = Vec::new();
    for (w, aw) in &a.mods {
        if b.mods.iter().any(|(v, _)| v == w) {
            notes.push(format!(
                "{} moderates both stages: the indirect effect is quadratic in it and has no single index",
                nm(*w)
            ));
        } else {
            index.push(Coefficient {
                term: nm(*w),
                value: aw * b.main,
            });
        }
    }
    for (v, bv) in &b.mods {
        if !a.mods.iter().any(|(w, _)| w == v) {
            index.push(Coefficient {
                term: nm(*v),
                value: a.main * bv,
            });
        }
    }
    let coefs = |s: &Stage, focal: usize| {
        std::iter::once(Coefficient {
            term: nm(focal),
            value: s.main,
        })
        .chain(s.mods.iter().map(|(w, c)| Coefficient {
            term: nm(*w),
            value: *c,
        }))
        .collect()
    };
    IndirectTruth {
        x: nm(x),
        m: nm(m),
        y: nm(ey.outcome),
        a: coefs(&a, x),
        b: coefs(&b, m),
        indirect_at_zero: a.main * b.main,
        index_of_moderated_mediation: index,
        notes,
    }
}

/// One stage of a path: the focal variable's own slope, its two-way moderators with their
/// coefficients, and notes on the terms left out.
struct Stage {
    main: f64,
    mods: Vec<(usize, f64)>,
    notes: Vec<String>,
}

impl Stage {
    fn of(terms: &[(String, Vec<usize>, f64)], focal: usize) -> Stage {
        let mut s = Stage {
            main: 0.0,
            mods: Vec::new(),
            notes: Vec::new(),
        };
        for (t, f, c) in terms {
            if !f.contains(&focal) {
                continue;
            }
            if f.len() >= 2 && f.iter().all(|&g| g == focal) {
                // Hayes and Preacher (2010): the path's slope changes with the focal variable
                // itself, so a and b hold at focal = 0.
                s.notes.push(format!(
                    "the power {t} makes this stage's slope change with its variable: a and b here are the slopes at 0, and the indirect effect at x is the stage's derivative at x times the next stage's slope (an instantaneous indirect effect)"
                ));
                continue;
            }
            match f.len() {
                1 => s.main = *c,
                2 => {
                    let w = if f[0] == focal { f[1] } else { f[0] };
                    s.mods.push((w, *c));
                }
                _ => s
                    .notes
                    .push(format!("the three-way term {t} is left out of a and b")),
            }
        }
        s
    }
}

/// OLS (logistic for binary outcomes) of every construct, normal and binary equation on the
/// written columns of one large sample without missing values.
fn observed(
    d: &Design,
    population_n: usize,
    sds: &[f64],
) -> Result<Vec<ObservedFit>, SimulateError> {
    let mut full = d.clone();
    full.missing = Default::default();
    let sim = generate_calibrated(&full, population_n, POPULATION_SEED, sds)?;
    let data = sim
        .to_dataset("population sample")
        .map_err(|e| SimulateError::Usage(e.to_string()))?;
    let mut out = Vec::new();
    for e in &d.equations {
        let kind = kind_name(d, e.outcome);
        let terms: Vec<&str> = e.terms.iter().map(|(t, _, _)| t.as_str()).collect();
        let reg = Regression::new(&d.nodes[e.outcome].name, &terms);
        let (fit, method) = match kind.as_str() {
            "construct" | "normal" => (reg.fit_ols(&data, CovType::Ols), "ols"),
            "binary" => (reg.fit_logistic(&data, &Default::default()), "logistic"),
            _ => continue,
        };
        let fit = fit.map_err(|e| SimulateError::Usage(format!("population fit failed: {e}")))?;
        out.push(ObservedFit {
            outcome: fit.outcome.clone(),
            method,
            coefficients: fit
                .coefficients
                .iter()
                .map(|c| ObservedCoefficient {
                    term: c.term.clone(),
                    estimate: c.estimate,
                    se: c.se,
                })
                .collect(),
        });
    }
    Ok(out)
}
