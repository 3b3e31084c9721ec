//! A simulation design in TOML: constructs measured by Likert or continuous items (optionally
//! skewed), observed variables, categorical variables, a structural model of equations with
//! product terms, derived columns, missingness and firms nested in clusters (`[cluster]`).
//! `designs/framework.toml` is the documented example and docs/simulate-designs.md documents the
//! item and cluster options; [`Design::parse`] checks every name and number and says what to fix.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::SimulateError;
use builder::Builder;
pub use cluster::Clustering;

mod builder;
mod cluster;
mod derived;
mod equations;
mod exogenous;
mod measures;
mod missing;

/// The shipped default design: the collaborative-internationalization framework.
pub const FRAMEWORK_DESIGN: &str = include_str!("../../../designs/framework.toml");

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
    cluster: Option<cluster::RawCluster>,
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
    /// Firms nested in clusters (`[cluster]`), if the design has them.
    pub cluster: Option<Clustering>,
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

#[cfg(test)]
mod tests;
