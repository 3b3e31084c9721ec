//! A simulation design in TOML: constructs measured by Likert or continuous items (optionally
//! skewed), observed variables, categorical variables, a structural model of equations with
//! product terms, derived columns and missingness. `designs/framework.toml` is the documented
//! example and docs/simulate-designs.md documents the item options; [`Design::parse`] checks every
//! name and number and says what to fix.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::SimulateError;
use crate::data::closest_names;

/// The shipped default design: the collaborative-internationalization framework.
pub const FRAMEWORK_DESIGN: &str = include_str!("../../designs/framework.toml");

/// Most items a construct may have (scales in survey research have a handful to a few dozen).
const MAX_ITEMS: usize = 100;
/// Most decimals a simulated column is written with.
const MAX_DECIMALS: u32 = 15;

/// How constructs are written: as Likert items plus their mean, as continuous items plus their
/// mean, or as the exact latent score (a perfectly reliable single indicator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measurement {
    Likert,
    Exact,
    /// Each item is its continuous response `λ·η + √(1 − λ²)·ε` itself (no Likert cut), so with
    /// a latent variance of 1 the design's loadings are the items' true standardized loadings.
    Continuous,
}

impl Measurement {
    /// Whether the construct is written as items (Likert or continuous) and their mean.
    pub fn has_items(self) -> bool {
        matches!(self, Measurement::Likert | Measurement::Continuous)
    }
}

/// Largest |skew| of an item's unique error: at 4 the error is a gamma of shape 0.25 (excess
/// kurtosis 24), already far beyond the skew of survey items; larger values only make data no
/// estimator is meant for.
pub const MAX_SKEW: f64 = 4.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_measurement")]
    measurement: Measurement,
    #[serde(default, rename = "construct")]
    constructs: Vec<RawConstruct>,
    #[serde(default, rename = "variable")]
    variables: Vec<RawVariable>,
    #[serde(default, rename = "categorical")]
    categoricals: Vec<RawCategorical>,
    #[serde(default)]
    correlations: Vec<(String, String, f64)>,
    #[serde(default, rename = "equation")]
    equations: Vec<RawEquation>,
    #[serde(default, rename = "derived")]
    derived: Vec<RawDerived>,
    #[serde(default)]
    missing: RawMissing,
}

fn default_measurement() -> Measurement {
    Measurement::Likert
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstruct {
    name: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    level: String,
    items: usize,
    #[serde(default = "default_scale")]
    scale: u32,
    loading: Option<f64>,
    loadings: Option<Vec<f64>>,
    thresholds: Option<Vec<f64>>,
    item_prefix: Option<String>,
    measurement: Option<Measurement>,
    /// Skewness of each item's unique error (0 = normal); see [`NodeKind::Construct`].
    #[serde(default)]
    skew: f64,
}

fn default_scale() -> u32 {
    7
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    name: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    level: String,
    /// `normal` (mean + sd·z) or `lognormal` (exp(mean + sd·z)).
    #[serde(default = "default_dist")]
    distribution: String,
    #[serde(default)]
    mean: f64,
    #[serde(default = "one")]
    sd: f64,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default = "default_decimals")]
    decimals: u32,
}

fn default_dist() -> String {
    "normal".into()
}
fn one() -> f64 {
    1.0
}
fn default_decimals() -> u32 {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategorical {
    name: String,
    #[serde(default)]
    label: String,
    levels: Vec<String>,
    probs: Vec<f64>,
    /// 0/1 columns for levels, usable in equations: `{ family_owned = "family" }`.
    #[serde(default)]
    indicators: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEquation {
    outcome: String,
    #[serde(default)]
    label: String,
    /// `construct` (an endogenous construct), `normal`, `lognormal`, `count` (Poisson, log link)
    /// or `binary` (logistic).
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default)]
    intercept: f64,
    error_sd: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default = "default_decimals")]
    decimals: u32,
    terms: BTreeMap<String, f64>,
}

fn default_kind() -> String {
    "construct".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDerived {
    name: String,
    #[serde(default)]
    label: String,
    /// `exp_round` (a count from a log), `size_class` (with `scheme`), `combine` (with `map`).
    transform: String,
    from: Vec<String>,
    #[serde(default)]
    scheme: Option<String>,
    #[serde(default)]
    map: BTreeMap<String, String>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMissing {
    #[serde(default)]
    mcar: f64,
    #[serde(default)]
    mcar_columns: Vec<String>,
    #[serde(default)]
    mar: f64,
    #[serde(default)]
    mar_columns: Vec<String>,
    mar_driver: Option<String>,
    #[serde(default = "one")]
    mar_strength: f64,
    code: Option<f64>,
    #[serde(default)]
    code_columns: Vec<String>,
}

/// What a node of the design is and how it is generated.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A latent construct: standard normal when exogenous; measured by items.
    Construct {
        items: Vec<String>,
        scale: u32,
        loadings: Vec<f64>,
        thresholds: Vec<f64>,
        measurement: Measurement,
        /// Skewness of each item's unique error ε: 0 draws ε standard normal; s ≠ 0 draws it from
        /// a gamma of shape 4/s² standardized to mean 0 and variance 1 (skewness s, excess
        /// kurtosis 1.5·s²; mirrored for s < 0). The item's loading and variance are unchanged;
        /// a continuous item's own skewness is (1 − λ²)^(3/2)·s, and Likert cuts of it pile up
        /// in the categories on the side opposite to its long tail.
        skew: f64,
    },
    /// An observed continuous variable from a (log)normal, clipped to [min, max].
    Variable {
        lognormal: bool,
        mean: f64,
        sd: f64,
        min: Option<f64>,
        max: Option<f64>,
        decimals: u32,
    },
    /// Levels cut from a standard normal at the cumulative probabilities (so it can correlate).
    Categorical {
        levels: Vec<String>,
        cum: Vec<f64>,
    },
    /// 1 where categorical `of` (a node index) is at `level`.
    Indicator {
        of: usize,
        level: usize,
    },
    /// The outcome of an equation that is not a construct.
    Outcome {
        kind: OutcomeKind,
        min: Option<f64>,
        max: Option<f64>,
        decimals: u32,
    },
    Derived(Derived),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Normal,
    Lognormal,
    Count,
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Derived {
    ExpRound {
        from: usize,
        min: Option<f64>,
        max: Option<f64>,
    },
    SizeClass {
        from: usize,
        scheme: crate::domain::SizeScheme,
    },
    Combine {
        from: Vec<usize>,
        map: HashMap<String, String>,
    },
}

/// One variable of the design.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub label: String,
    pub level: String,
    pub kind: NodeKind,
    /// Index into [`Design::equations`] when the node is endogenous.
    pub equation: Option<usize>,
}

/// A structural equation: `outcome = intercept + Σ coefficient · Π factors (+ error)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Equation {
    pub outcome: usize,
    pub intercept: f64,
    /// `None` for a construct until calibrated so that its variance is 1.
    pub error_sd: Option<f64>,
    /// (term name as written with `:`, factor node indices, coefficient).
    pub terms: Vec<(String, Vec<usize>, f64)>,
}

/// Missingness: an MCAR share of cells in some columns and a MAR share in others, whose
/// probability rises with a driver variable (logistic in its standardized value).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Missingness {
    pub mcar: f64,
    pub mcar_columns: Vec<String>,
    pub mar: f64,
    pub mar_columns: Vec<String>,
    pub mar_driver: Option<usize>,
    pub mar_strength: f64,
    /// Missing cells of `code_columns` are written as this number in the CSV (as surveys often
    /// record "no answer" as -99), so that readers must declare it (`--missing -99`).
    pub code: Option<f64>,
    pub code_columns: Vec<String>,
}

/// A checked design.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub name: String,
    pub description: String,
    pub source: String,
    pub nodes: Vec<Node>,
    /// Exogenous nodes drawn jointly normal (constructs without an equation, variables,
    /// categoricals), in node order.
    pub exogenous: Vec<usize>,
    /// Correlations of the exogenous normals, row-major over `exogenous`.
    pub correlation: Vec<f64>,
    pub equations: Vec<Equation>,
    pub missing: Missingness,
}

impl Design {
    /// The shipped framework design.
    pub fn framework() -> Self {
        Self::parse("designs/framework.toml", FRAMEWORK_DESIGN)
            .expect("the shipped framework design is valid (tested)")
    }

    /// Reads and checks a design file.
    pub fn read(path: &std::path::Path) -> Result<Self, SimulateError> {
        let text = std::fs::read_to_string(path).map_err(|e| SimulateError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses and checks a design; `source` names it in messages.
    pub fn parse(source: &str, text: &str) -> Result<Self, SimulateError> {
        let raw: RawDesign = toml::from_str(text).map_err(|e| SimulateError::Toml {
            source_name: source.into(),
            message: e.to_string().trim_end().to_string(),
        })?;
        Builder::new(source).build(raw)
    }

    /// Every measurement switched to `exact` (for recovery checks) or Likert as the design says.
    pub fn with_measurement(mut self, m: Measurement) -> Self {
        for n in &mut self.nodes {
            if let NodeKind::Construct { measurement, .. } = &mut n.kind {
                *measurement = m;
            }
        }
        self
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }
}

struct Builder {
    source: String,
    nodes: Vec<Node>,
}

impl Builder {
    fn new(source: &str) -> Self {
        Builder {
            source: source.into(),
            nodes: Vec::new(),
        }
    }

    fn invalid(&self, message: impl Into<String>) -> SimulateError {
        SimulateError::Invalid {
            source_name: self.source.clone(),
            message: message.into(),
        }
    }

    /// `min` and `max` of a variable, outcome or derived column: finite, and min not above max
    /// (a value is clipped to [min, max], so reversed bounds would give every row one value).
    fn check_bounds(
        &self,
        what: &str,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<(), SimulateError> {
        for (key, v) in [("min", min), ("max", max)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(self.invalid(format!("{what}: {key} must be a finite number")));
            }
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(self.invalid(format!(
                    "{what}: min {lo} is greater than max {hi}; values are clipped to [min, max], so swap them"
                )));
            }
        }
        Ok(())
    }

    /// Decimals written to the CSV: a double has about 17 significant digits, and a damaged
    /// count would make every number a string of gigabytes.
    fn check_decimals(&self, what: &str, decimals: u32) -> Result<(), SimulateError> {
        if decimals <= MAX_DECIMALS {
            return Ok(());
        }
        Err(self.invalid(format!(
            "{what}: decimals {decimals} must be at most {MAX_DECIMALS}"
        )))
    }

    fn lookup(&self, name: &str, place: &str) -> Result<usize, SimulateError> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .ok_or_else(|| SimulateError::UnknownVariable {
                source_name: self.source.clone(),
                name: name.into(),
                place: place.into(),
                suggestions: closest_names(name, self.nodes.iter().map(|n| n.name.as_str())),
            })
    }

    fn add(&mut self, node: Node) -> Result<usize, SimulateError> {
        let name = &node.name;
        let ok = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(self.invalid(format!(
                "'{name}' is not a usable column name: use letters, digits and '_', not starting with a digit"
            )));
        }
        if name == "firm_id" || self.nodes.iter().any(|n| &n.name == name) {
            return Err(self.invalid(format!("the name '{name}' is used twice")));
        }
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }

    fn probability(&self, what: &str, p: f64) -> Result<(), SimulateError> {
        if (0.0..1.0).contains(&p) {
            Ok(())
        } else {
            Err(self.invalid(format!("{what} {p} must be a share in [0, 1)")))
        }
    }

    fn build(mut self, raw: RawDesign) -> Result<Design, SimulateError> {
        let default_m = raw.measurement;
        for c in raw.constructs {
            let scale = c.scale;
            if !(2..=11).contains(&scale) {
                return Err(self.invalid(format!(
                    "construct '{}': scale {scale} must be 2 to 11 points (5 or 7 are usual)",
                    c.name
                )));
            }
            if c.items == 0 {
                return Err(self.invalid(format!("construct '{}' needs at least one item", c.name)));
            }
            // Checked before the loadings are made: a damaged count would allocate terabytes.
            if c.items > MAX_ITEMS {
                return Err(self.invalid(format!(
                    "construct '{}': {} items; a construct has at most {MAX_ITEMS}",
                    c.name, c.items
                )));
            }
            let loadings = match (c.loadings, c.loading) {
                (Some(l), None) if l.len() == c.items => l,
                (Some(l), None) => {
                    return Err(self.invalid(format!(
                        "construct '{}': {} loadings for {} items",
                        c.name,
                        l.len(),
                        c.items
                    )))
                }
                (None, l) => vec![l.unwrap_or(0.8); c.items],
                (Some(_), Some(_)) => {
                    return Err(self.invalid(format!(
                        "construct '{}': give `loading` or `loadings`, not both",
                        c.name
                    )))
                }
            };
            if let Some(l) = loadings.iter().find(|l| !(**l > 0.0 && **l <= 1.0)) {
                return Err(self.invalid(format!(
                    "construct '{}': loading {l} must be in (0, 1] (standardized)",
                    c.name
                )));
            }
            // Default cut points spread the categories over ±2.5 SD: a bell-shaped response.
            let thresholds = match c.thresholds {
                Some(t) => {
                    if t.len() != scale as usize - 1 || t.windows(2).any(|w| w[0] >= w[1]) {
                        return Err(self.invalid(format!(
                            "construct '{}': a {scale}-point scale needs {} increasing thresholds",
                            c.name,
                            scale - 1
                        )));
                    }
                    t
                }
                None => (1..scale)
                    .map(|k| -2.5 + 5.0 * f64::from(k) / f64::from(scale))
                    .collect(),
            };
            if !(c.skew.is_finite() && c.skew.abs() <= MAX_SKEW) {
                return Err(self.invalid(format!(
                    "construct '{}': skew {} must be a number from -{MAX_SKEW} to {MAX_SKEW} (0 = normal item errors; 1 to 2 is strongly skewed)",
                    c.name, c.skew
                )));
            }
            let prefix = c.item_prefix.clone().unwrap_or_else(|| c.name.clone());
            let items = (1..=c.items).map(|j| format!("{prefix}_{j}")).collect();
            self.add(Node {
                name: c.name,
                label: c.label,
                level: c.level,
                kind: NodeKind::Construct {
                    items,
                    scale,
                    loadings,
                    thresholds,
                    measurement: c.measurement.unwrap_or(default_m),
                    skew: c.skew,
                },
                equation: None,
            })?;
        }
        for v in raw.variables {
            let lognormal = match v.distribution.as_str() {
                "normal" => false,
                "lognormal" => true,
                d => {
                    return Err(self.invalid(format!(
                        "variable '{}': distribution '{d}' must be normal or lognormal",
                        v.name
                    )))
                }
            };
            if !(v.sd > 0.0 && v.sd.is_finite() && v.mean.is_finite()) {
                return Err(self.invalid(format!("variable '{}': sd must be positive", v.name)));
            }
            self.check_bounds(&format!("variable '{}'", v.name), v.min, v.max)?;
            self.check_decimals(&format!("variable '{}'", v.name), v.decimals)?;
            self.add(Node {
                name: v.name,
                label: v.label,
                level: v.level,
                kind: NodeKind::Variable {
                    lognormal,
                    mean: v.mean,
                    sd: v.sd,
                    min: v.min,
                    max: v.max,
                    decimals: v.decimals,
                },
                equation: None,
            })?;
        }
        for c in raw.categoricals {
            let total: f64 = c.probs.iter().sum();
            if c.levels.len() < 2
                || c.levels.len() != c.probs.len()
                || c.probs.iter().any(|p| *p <= 0.0)
                || (total - 1.0).abs() > 1e-6
            {
                return Err(self.invalid(format!(
                    "categorical '{}': needs two or more levels with positive probabilities summing to 1 (one per level)",
                    c.name
                )));
            }
            let cum = c
                .probs
                .iter()
                .scan(0.0, |s, p| {
                    *s += p;
                    Some(*s)
                })
                .take(c.probs.len() - 1)
                .collect();
            let at = self.add(Node {
                name: c.name.clone(),
                label: c.label,
                level: String::new(),
                kind: NodeKind::Categorical {
                    levels: c.levels.clone(),
                    cum,
                },
                equation: None,
            })?;
            for (ind, level) in c.indicators {
                let Some(l) = c.levels.iter().position(|x| *x == level) else {
                    return Err(self.invalid(format!(
                        "categorical '{}': indicator '{ind}' names level '{level}', which is not one of {}",
                        c.name,
                        c.levels.join(", ")
                    )));
                };
                self.add(Node {
                    name: ind,
                    label: format!("{} = {level}", c.name),
                    level: String::new(),
                    kind: NodeKind::Indicator { of: at, level: l },
                    equation: None,
                })?;
            }
        }
        // Equations in the order written: each may use what is declared or computed before it.
        let mut equations = Vec::new();
        for e in raw.equations {
            let mut terms = Vec::new();
            for (term, coef) in &e.terms {
                let mut factors = Vec::new();
                for written in term.split(':').map(str::trim) {
                    // `x^2`: a quadratic path, the factor repeated (the generator multiplies).
                    let (f, power) = split_power(written).map_err(|m| {
                        self.invalid(format!("equation of '{}': term '{term}': {m}", e.outcome))
                    })?;
                    let i = self.lookup(f, &format!("the equation of '{}'", e.outcome))?;
                    if matches!(self.nodes[i].kind, NodeKind::Categorical { .. }) {
                        return Err(self.invalid(format!(
                            "equation of '{}': categorical '{f}' cannot enter a term; declare an indicator for a level (indicators = {{ name = \"level\" }})",
                            e.outcome
                        )));
                    }
                    if self.nodes[i].equation.is_none()
                        && !self.is_exogenous(i)
                        && !self.is_derived_numeric(i)
                    {
                        return Err(self.invalid(format!(
                            "equation of '{}': '{f}' is not available",
                            e.outcome
                        )));
                    }
                    if factors.contains(&i) {
                        return Err(self.invalid(format!(
                            "term '{term}' uses '{f}' twice; write a power as {f}^2"
                        )));
                    }
                    factors.extend(std::iter::repeat_n(i, power));
                }
                if !coef.is_finite() {
                    return Err(self.invalid(format!("term '{term}': coefficient must be finite")));
                }
                terms.push((term.replace(' ', ""), factors, *coef));
            }
            let outcome = match self.nodes.iter().position(|n| n.name == e.outcome) {
                Some(i) => {
                    if !matches!(self.nodes[i].kind, NodeKind::Construct { .. })
                        || e.kind != "construct"
                    {
                        return Err(self.invalid(format!(
                            "'{}' is declared as a {}; an equation's outcome is either a declared construct (kind = \"construct\") or a new name",
                            e.outcome,
                            if matches!(self.nodes[i].kind, NodeKind::Construct { .. }) { "construct" } else { "variable" }
                        )));
                    }
                    if self.nodes[i].equation.is_some() {
                        return Err(self.invalid(format!("'{}' has two equations", e.outcome)));
                    }
                    if terms.iter().any(|(_, f, _)| f.contains(&i)) {
                        return Err(self.invalid(format!("'{}' is regressed on itself", e.outcome)));
                    }
                    // A construct used before its equation would be exogenous and endogenous at once.
                    if equations
                        .iter()
                        .any(|q: &Equation| q.terms.iter().any(|(_, f, _)| f.contains(&i)))
                    {
                        return Err(self.invalid(format!(
                            "'{}' is used by an earlier equation; write the equations in causal order",
                            e.outcome
                        )));
                    }
                    self.nodes[i].equation = Some(equations.len());
                    i
                }
                None => {
                    let kind = match e.kind.as_str() {
                        "normal" => OutcomeKind::Normal,
                        "lognormal" => OutcomeKind::Lognormal,
                        "count" => OutcomeKind::Count,
                        "binary" => OutcomeKind::Binary,
                        "construct" => {
                            return Err(self.invalid(format!(
                                "equation of '{}': no construct of that name; declare it as [[construct]] or give kind = normal, lognormal, count or binary",
                                e.outcome
                            )))
                        }
                        k => {
                            return Err(self.invalid(format!(
                                "equation of '{}': kind '{k}' must be construct, normal, lognormal, count or binary",
                                e.outcome
                            )))
                        }
                    };
                    if matches!(kind, OutcomeKind::Count | OutcomeKind::Binary)
                        && e.error_sd.is_some()
                    {
                        return Err(self.invalid(format!(
                            "equation of '{}': a {} outcome has no error_sd (its randomness is the Poisson or Bernoulli draw)",
                            e.outcome, e.kind
                        )));
                    }
                    self.check_bounds(&format!("equation of '{}'", e.outcome), e.min, e.max)?;
                    self.check_decimals(&format!("equation of '{}'", e.outcome), e.decimals)?;
                    if matches!(kind, OutcomeKind::Normal | OutcomeKind::Lognormal)
                        && !e.error_sd.is_some_and(|s| s > 0.0)
                    {
                        return Err(self.invalid(format!(
                            "equation of '{}': a {} outcome needs error_sd > 0",
                            e.outcome, e.kind
                        )));
                    }
                    self.add(Node {
                        name: e.outcome.clone(),
                        label: e.label.clone(),
                        level: String::new(),
                        kind: NodeKind::Outcome {
                            kind,
                            min: e.min,
                            max: e.max,
                            // Counts and 0/1 outcomes are whole numbers.
                            decimals: if matches!(kind, OutcomeKind::Count | OutcomeKind::Binary) {
                                0
                            } else {
                                e.decimals
                            },
                        },
                        equation: Some(equations.len()),
                    })?
                }
            };
            if let Some(s) = e.error_sd {
                if !(s >= 0.0 && s.is_finite()) {
                    return Err(self.invalid(format!(
                        "equation of '{}': error_sd {s} must be >= 0",
                        e.outcome
                    )));
                }
            }
            equations.push(Equation {
                outcome,
                intercept: e.intercept,
                error_sd: e.error_sd,
                terms,
            });
        }
        for d in raw.derived {
            self.check_bounds(&format!("derived column '{}'", d.name), d.min, d.max)?;
            let from: Vec<usize> = d
                .from
                .iter()
                .map(|f| self.lookup(f, &format!("derived '{}'", d.name)))
                .collect::<Result<_, _>>()?;
            let one = |b: &Self| {
                if from.len() == 1 {
                    Ok(from[0])
                } else {
                    Err(b.invalid(format!("derived '{}': `from` takes one variable", d.name)))
                }
            };
            let kind = match d.transform.as_str() {
                "exp_round" => Derived::ExpRound {
                    from: one(&self)?,
                    min: d.min,
                    max: d.max,
                },
                "size_class" => Derived::SizeClass {
                    from: one(&self)?,
                    scheme: crate::domain::SizeScheme::parse(d.scheme.as_deref().unwrap_or("eu"))
                        .map_err(|e| self.invalid(format!("derived '{}': {e}", d.name)))?,
                },
                "combine" => {
                    for f in &from {
                        if !matches!(self.nodes[*f].kind, NodeKind::Categorical { .. }) {
                            return Err(self.invalid(format!(
                                "derived '{}': combine takes categorical variables; '{}' is not one",
                                d.name, self.nodes[*f].name
                            )));
                        }
                    }
                    Derived::Combine {
                        from,
                        map: d.map.into_iter().collect(),
                    }
                }
                t => {
                    return Err(self.invalid(format!(
                        "derived '{}': transform '{t}' must be exp_round, size_class or combine",
                        d.name
                    )))
                }
            };
            self.add(Node {
                name: d.name,
                label: d.label,
                level: String::new(),
                kind: NodeKind::Derived(kind),
                equation: None,
            })?;
        }
        let exogenous: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.is_exogenous(i))
            .collect();
        let k = exogenous.len();
        let mut correlation = vec![0.0; k * k];
        for i in 0..k {
            correlation[i * k + i] = 1.0;
        }
        for (a, b, r) in &raw.correlations {
            let (ia, ib) = (
                self.lookup(a, "correlations")?,
                self.lookup(b, "correlations")?,
            );
            let pa = exogenous.iter().position(|&x| x == ia);
            let pb = exogenous.iter().position(|&x| x == ib);
            let (Some(pa), Some(pb)) = (pa, pb) else {
                return Err(self.invalid(format!(
                    "correlation ({a}, {b}): both must be exogenous (a construct without an equation, a variable or a categorical)"
                )));
            };
            if pa == pb || r.is_nan() || r.abs() >= 1.0 {
                return Err(self.invalid(format!(
                    "correlation ({a}, {b}, {r}): needs two variables and |r| < 1"
                )));
            }
            correlation[pa * k + pb] = *r;
            correlation[pb * k + pa] = *r;
        }
        if k > 0 && crate::numeric::matrix::cholesky(&correlation, k).is_none() {
            return Err(self.invalid(
                "the correlations of the exogenous variables do not form a positive-definite matrix; lower some of them",
            ));
        }
        let m = raw.missing;
        self.probability("missing.mcar", m.mcar)?;
        self.probability("missing.mar", m.mar)?;
        let mar_driver = match &m.mar_driver {
            Some(d) => Some(self.lookup(d, "missing.mar_driver")?),
            None if m.mar > 0.0 => {
                return Err(self.invalid("missing.mar > 0 needs missing.mar_driver (the variable the missingness depends on)"))
            }
            None => None,
        };
        let design = Design {
            name: raw.name,
            description: raw.description,
            source: self.source.clone(),
            nodes: self.nodes,
            exogenous,
            correlation,
            equations,
            missing: Missingness {
                mcar: m.mcar,
                mcar_columns: m.mcar_columns,
                mar: m.mar,
                mar_columns: m.mar_columns,
                mar_driver,
                mar_strength: m.mar_strength,
                code: m.code,
                code_columns: m.code_columns,
            },
        };
        let columns = super::generate::column_names(&design);
        if design.missing.code.is_some_and(|c| !c.is_finite()) {
            return Err(SimulateError::Invalid {
                source_name: design.source.clone(),
                message: "missing.code must be a finite number, such as -99".into(),
            });
        }
        if design.missing.code.is_none() && !design.missing.code_columns.is_empty() {
            return Err(SimulateError::Invalid {
                source_name: design.source.clone(),
                message: "missing.code_columns needs missing.code (the number written for a missing cell, such as -99)".into(),
            });
        }
        for c in design
            .missing
            .mcar_columns
            .iter()
            .chain(&design.missing.mar_columns)
            .chain(&design.missing.code_columns)
        {
            if !columns.iter().any(|x| x == c) {
                return Err(SimulateError::UnknownVariable {
                    source_name: design.source.clone(),
                    name: c.clone(),
                    place: "[missing] columns".into(),
                    suggestions: closest_names(c, columns.iter().map(String::as_str)),
                });
            }
        }
        Ok(design)
    }

    /// Drawn from the joint normal: constructs without an equation, variables and categoricals
    /// (indicators are functions of their categorical).
    fn is_exogenous(&self, i: usize) -> bool {
        let n = &self.nodes[i];
        match n.kind {
            NodeKind::Construct { .. } => n.equation.is_none(),
            NodeKind::Variable { .. } | NodeKind::Categorical { .. } => true,
            _ => false,
        }
    }

    fn is_derived_numeric(&self, i: usize) -> bool {
        matches!(self.nodes[i].kind, NodeKind::Indicator { .. })
    }
}

/// `x` -> (`x`, 1); `x^2` -> (`x`, 2); `x^3` -> (`x`, 3); any other power is an error.
fn split_power(written: &str) -> Result<(&str, usize), String> {
    let Some((base, k)) = written.split_once('^') else {
        return Ok((written, 1));
    };
    match k.trim() {
        "2" => Ok((base.trim(), 2)),
        "3" => Ok((base.trim(), 3)),
        _ => Err(format!(
            "a power is written {}^2 or {}^3",
            base.trim(),
            base.trim()
        )),
    }
}
