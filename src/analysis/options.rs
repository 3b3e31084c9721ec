//! What an analysis is asked to do: [`AnalysisOptions`] with PROCESS v4's defaults, the outcome
//! equation's estimator ([`YModel`]) and which variables are centred ([`Center`]).

use serde::Serialize;

use crate::data::Coding;
use crate::effects::probe::ProbeMethod;
use crate::inference::{CiMethod, CovType};

/// Options of an analysis, with PROCESS v4's defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisOptions {
    pub cov: CovType,
    /// Confidence level in percent.
    pub conf: f64,
    /// Bootstrap draws; 0 turns the bootstrap off.
    pub boot: usize,
    pub seed: u64,
    pub ci: CiMethod,
    /// Worker threads for the bootstrap (0 = all cores); results do not depend on it.
    pub threads: usize,
    pub probe: ProbeMethod,
    /// Probe values for W and Z given explicitly (override `probe`).
    pub w_values: Option<Vec<f64>>,
    pub z_values: Option<Vec<f64>>,
    /// Probe values of any moderator by name, ahead of `w_values`, `z_values` and `probe`: a power
    /// study fixes them so that every replication assesses the same conditional effects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probe_values: Vec<(String, Vec<f64>)>,
    /// Coding of categorical X, W, Z.
    #[serde(skip)]
    pub codings: Vec<(String, Coding)>,
    pub contrasts: bool,
    pub total: bool,
    pub normal: bool,
    pub jn: bool,
    /// Use PROCESS's closed-form approximation of the t (and z) critical values for intervals, so
    /// that printed bounds agree with PROCESS to the last digit (the `process4` preset sets it);
    /// otherwise exact quantiles, as R.
    pub process_t: bool,
    /// Standardized effects (PROCESS's `effsize`): partially standardized (effect / SD(Y)) for a
    /// dichotomous or categorical X, completely standardized (effect · SD(X) / SD(Y)) otherwise,
    /// for unmoderated indirect, total indirect, contrast and total effects; bootstrap draws use
    /// each resample's own SDs.
    pub effsize: bool,
    /// Mean-centre variables that enter product terms before fitting (PROCESS's `center`), over
    /// the rows the model uses; probes are then values of the centred variables.
    pub center: Center,
    /// Monte Carlo draws of the coefficients from their estimated sampling distribution (normal,
    /// with each equation's covariance) for the intervals of indirect effects, instead of the
    /// bootstrap; 0 = off.
    pub mc: usize,
    /// PROCESS's `intprobe`: the text report shows the conditional effects of a focal predictor
    /// only when the test of its interaction has p at or below this (PROCESS v4: 0.10; 1 always).
    pub intprobe: f64,
    /// How the outcome Y's equation is estimated.
    pub y_model: YModel,
    /// PROCESS's `modelbt`: bootstrap standard errors and intervals of every regression
    /// coefficient, from the same draws as the effects (needs `boot`, not `mc`).
    pub modelbt: bool,
    /// Cluster-robust (CR1) standard errors by this variable in every OLS equation, and a
    /// bootstrap that resamples whole clusters (`cov` is then [`CovType::Cr1`]).
    pub cluster: Option<String>,
    /// PROCESS's `xmint`: model 4 with one mediator and an X×M interaction, with the
    /// counterfactually defined (natural and controlled) direct and indirect effects.
    pub xmint: Option<Xmint>,
}

/// The counterfactual effects' settings (PROCESS's `xrefval` and `cdeval`). The spec is model 4
/// with the X×M product in Y's equation, that is PROCESS 2.16's model 74's equations:
///
/// ```
/// use cipa::analysis::{analyse, AnalysisOptions, Xmint};
/// use cipa::data::read_csv_str;
/// use cipa::effects::EffectKind;
/// use cipa::spec::{template::template, Roles};
///
/// let csv = "x,m,y\n1,2,3\n2,2,5\n3,4,6\n4,3,8\n5,6,9\n6,5,12\n7,8,13\n8,7,15\n2,3,4\n5,4,9\n";
/// let data = read_csv_str("example.csv", csv, b',', &Default::default()).unwrap();
/// let roles = Roles { x: "x".into(), y: "y".into(), m: vec!["m".into()], ..Roles::default() };
/// let spec = template(74).unwrap().instantiate(&roles).unwrap();
/// let xmint = Xmint { xrefval: vec![2.0, 6.0], cdeval: None };
/// let opts = AnalysisOptions { boot: 200, xmint: Some(xmint), ..AnalysisOptions::default() };
/// let a = analyse(&data, &spec, &opts).unwrap();
/// let nie = a.effects.iter().find(|e| e.def.kind == EffectKind::TotalNaturalIndirect).unwrap();
/// assert!(nie.boot_se.is_some());
/// assert_eq!(a.counterfactual.unwrap().x_cf, 6.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Xmint {
    /// The reference and counterfactual values of X (`xrefval`): none, one (the counterfactual
    /// is then the reference + 1, or a dichotomous X's other value) or two.
    pub xrefval: Vec<f64>,
    /// The mediator's value for the controlled direct effect (`cdeval`; default its mean).
    pub cdeval: Option<f64>,
}

/// The outcome equation's estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YModel {
    /// Logistic when Y has exactly two values (with a note), OLS otherwise (PROCESS's rule).
    #[default]
    Auto,
    /// Logistic; Y must have exactly two values.
    Logistic,
    /// OLS even for a two-valued Y (a linear probability model).
    Linear,
}

/// Which variables [`AnalysisOptions::center`] centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Center {
    #[default]
    None,
    /// Every numeric variable in a product term (PROCESS `center = 1`).
    All,
    /// Only those with more than two distinct values (PROCESS `center = 2`).
    Continuous,
}

impl AnalysisOptions {
    pub(super) fn probe_values_of(&self, moderator: &str) -> Option<&Vec<f64>> {
        self.probe_values
            .iter()
            .find(|(m, _)| m == moderator)
            .map(|(_, v)| v)
    }
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            cov: CovType::Ols,
            conf: 95.0,
            boot: 5000,
            seed: 1,
            ci: CiMethod::Percentile,
            threads: 0,
            probe: ProbeMethod::Percentiles,
            w_values: None,
            z_values: None,
            probe_values: Vec::new(),
            codings: Vec::new(),
            contrasts: false,
            total: false,
            normal: false,
            jn: false,
            process_t: false,
            effsize: false,
            center: Center::None,
            mc: 0,
            intprobe: 0.10,
            y_model: YModel::Auto,
            modelbt: false,
            cluster: None,
            xmint: None,
        }
    }
}
