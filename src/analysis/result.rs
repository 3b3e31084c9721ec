//! The immutable result of an analysis, [`Analysis`], and its effects: everything a report prints
//! or a figure draws is a field here, computed by the stages (see the module docs of
//! [`crate::analysis`]); renderers and plotters only read it.

use serde::Serialize;

use super::{
    AnalysisOptions, BootDraws, BootInfo, ConditionalEffects, ConditionalInteraction,
    IndirectCurve, JnResult, OmnibusTest, SimpleSlopes,
};
use crate::effects::{EffectDef, ProbePoint};
use crate::estimation::{EquationFit, R2Change};
use crate::spec::ModelSpec;

/// One effect with its estimate and inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectResult {
    #[serde(flatten)]
    pub def: EffectDef,
    pub effect: f64,
    /// Analytic standard error (direct effects; Sobel test with `normal`).
    pub se: Option<f64>,
    /// t (OLS) or z statistic and p for analytic inference.
    pub stat: Option<f64>,
    pub p: Option<f64>,
    pub boot_se: Option<f64>,
    pub ci_lower: f64,
    pub ci_upper: f64,
    /// The standardized effect, with `effsize`.
    pub standardized: Option<Standardized>,
    /// The jackknife acceleration of a BCa interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceleration: Option<f64>,
}

/// A defined quantity with its bootstrap inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefinedResult {
    pub name: String,
    pub expression: String,
    pub estimate: f64,
    pub boot_se: Option<f64>,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// A standardized effect and its bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standardized {
    /// `partial` (effect / SD(Y)) or `complete` (effect · SD(X) / SD(Y)).
    pub kind: &'static str,
    pub effect: f64,
    pub boot_se: Option<f64>,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// The values PROCESS's counterfactual effects (`xmint`) compare, as resolved on the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterfactual {
    /// The reference value of X (PROCESS's x_ref).
    pub x_ref: f64,
    /// The counterfactual value of X (PROCESS's x_cf).
    pub x_cf: f64,
    /// The value at which the controlled direct effect holds M.
    pub cde_m: f64,
    /// `cde_m` is M's sample mean (no `cdeval` given).
    pub cde_m_is_mean: bool,
    /// The other columns of M's equation (the covariates) at their sample means, as M̂ uses them.
    pub covariates: Vec<(String, f64)>,
    /// Each column of M's equation at X = 0 (1, 0 and the covariates' means), for the algebra.
    #[serde(skip)]
    pub m_columns_at_zero: Vec<f64>,
}

/// One equation's coefficients with their bootstrap distribution (PROCESS's `modelbt`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelBootstrap {
    pub outcome: String,
    pub coefficients: Vec<CoefficientBoot>,
}

/// A regression coefficient: its estimate, the mean and standard deviation of its bootstrap
/// draws, and its bootstrap interval (percentile, BC or BCa, as the effects').
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoefficientBoot {
    pub term: String,
    pub estimate: f64,
    pub boot_mean: f64,
    pub boot_se: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// A finished analysis: immutable, rendered by the report layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub spec: ModelSpec,
    pub n: usize,
    pub n_dropped: usize,
    pub dropped_rows: Vec<u64>,
    pub equations: Vec<(EquationFit, Vec<R2Change>)>,
    /// The total effect model (Y on X and covariates), with `total`.
    pub total_model: Option<EquationFit>,
    pub effects: Vec<EffectResult>,
    /// Defined quantities of the path syntax (`name := expression`).
    pub defined: Vec<DefinedResult>,
    /// Conditional effects of focal predictors within each equation that moderates them.
    pub conditional: Vec<ConditionalEffects>,
    /// Two-way interactions conditional on a third variable (three-way models such as model 3).
    pub conditional_interactions: Vec<ConditionalInteraction>,
    pub johnson_neyman: Vec<JnResult>,
    /// Omnibus tests of a multicategorical X's codes: in each equation that does not moderate
    /// X, in the total effect model, and at each probe point where X is moderated.
    pub omnibus: Vec<OmnibusTest>,
    /// Conditional indirect effects over each numeric moderator's observed range, with
    /// pointwise bands from the bootstrap or Monte Carlo draws.
    pub indirect_curves: Vec<IndirectCurve>,
    /// Predicted outcomes along each moderated focal predictor at the probe values of its
    /// moderators, with confidence bands: the lines of the interaction plots.
    pub simple_slopes: Vec<SimpleSlopes>,
    pub bootstrap: Option<BootInfo>,
    /// The values the counterfactual effects compare, with `xmint`.
    pub counterfactual: Option<Counterfactual>,
    /// Bootstrap results for every regression coefficient, with `modelbt` (in equation order).
    pub model_bootstrap: Vec<ModelBootstrap>,
    /// Every bootstrap draw of every effect and defined quantity (for `--save-boot`).
    #[serde(skip)]
    pub draws: Option<BootDraws>,
    /// Probe points of each moderator.
    pub probes: Vec<(String, Vec<ProbePoint>)>,
    pub notes: Vec<String>,
    pub options: AnalysisOptions,
    /// The turning point and U test of every path with a square term (`m ~ x + x^2`), in
    /// equation order, with the turning point's bootstrap under the nonparametric bootstrap.
    pub curvilinear: Vec<crate::effects::QuadraticTests>,
}
