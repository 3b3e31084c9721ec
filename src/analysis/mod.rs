//! The staged pipeline of a conditional process analysis and its immutable result:
//! listwise deletion over every variable of the model -> each equation's fit -> the effect plan ->
//! point estimates with analytic inference where it exists -> bootstrap -> [`Analysis`].

mod conditional;
mod curve;
mod defined;
mod jn;
mod kernel;
mod linear;
mod system;

use serde::Serialize;

use crate::data::{complete_cases, Coding, Column, Dataset};
use crate::effects::probe::{numeric_points, ProbeMethod};
use crate::effects::{EffectDef, EffectKind, EffectPlan, EqShape, Moderator, ProbePoint};
use crate::error::Result;
use crate::estimation::{r2_change, EquationFit, Method, R2Change, Regression};
use crate::inference::{
    acceleration, bootstrap_progress, monte_carlo, summarise_with, CiMethod, CovType, Ledger,
};
use crate::numeric::dist::{
    process_t_critical, process_z_critical, t_quantile, z_p_two_sided, z_quantile,
};
use crate::spec::ModelSpec;

pub use conditional::{ConditionalEffects, ConditionalInteraction, ConditionalRow};
pub use curve::{IndirectCurve, GRID_POINTS};
pub use jn::{johnson_neyman, JnResult, JnRow};
pub use linear::{linear_test, LinearTest};
pub use system::{Scratch, Stacked};

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
    fn probe_values_of(&self, moderator: &str) -> Option<&Vec<f64>> {
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
        }
    }
}

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

/// The bootstrap draws: `values[b * names.len() + j]` is statistic `j` in draw `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct BootDraws {
    pub names: Vec<String>,
    pub b: usize,
    pub values: Vec<f64>,
}

impl BootDraws {
    /// The draws as CSV: a header of statistic names, then one line per draw at full precision.
    pub fn to_csv(&self) -> String {
        let m = self.names.len();
        let quote = |s: &str| {
            if s.contains([',', '"']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let mut out = self
            .names
            .iter()
            .map(|n| quote(n))
            .collect::<Vec<_>>()
            .join(",");
        out.push('\n');
        for row in self.values.chunks(m.max(1)) {
            out += &row
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",");
            out.push('\n');
        }
        out
    }
}

/// A column name for an effect in saved draws: kind, path and moderator values.
fn draw_name(d: &EffectDef) -> String {
    let kind = serde_json::to_value(d.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut s = format!("{kind}:{}", d.path.join(">"));
    if let Some(l) = &d.label {
        s += &format!("[{l}]");
    }
    for (m, v) in &d.moderators {
        s += &format!("|{m}={v}");
    }
    s
}

/// Bootstrap provenance: echoed in every output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootInfo {
    /// `nonparametric` (resampled rows) or `monte_carlo` (normal draws of the coefficients).
    pub resampling: &'static str,
    #[serde(rename = "B")]
    pub b: usize,
    pub seed: u64,
    pub method: CiMethod,
    pub failed: usize,
    pub ledger: Ledger,
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
    /// Conditional indirect effects over each numeric moderator's observed range, with
    /// pointwise bands from the bootstrap or Monte Carlo draws.
    pub indirect_curves: Vec<IndirectCurve>,
    pub bootstrap: Option<BootInfo>,
    /// Every bootstrap draw of every effect and defined quantity (for `--save-boot`).
    #[serde(skip)]
    pub draws: Option<BootDraws>,
    /// Probe points of each moderator.
    pub probes: Vec<(String, Vec<ProbePoint>)>,
    pub notes: Vec<String>,
    pub options: AnalysisOptions,
}

/// Runs the analysis of `spec` on `data`.
pub fn analyse(data: &Dataset, spec: &ModelSpec, opts: &AnalysisOptions) -> Result<Analysis> {
    analyse_with_progress(data, spec, opts, &|_| {})
}

/// As [`analyse`], reporting bootstrap progress: `progress(k)` after every `k` finished draws.
pub fn analyse_with_progress(
    data: &Dataset,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Analysis> {
    if !(opts.conf > 0.0 && opts.conf < 100.0) {
        return Err(crate::Error::Usage(format!(
            "confidence level {} must be between 0 and 100",
            opts.conf
        )));
    }
    let mut vars: Vec<&str> = Vec::new();
    for e in &spec.equations {
        for v in std::iter::once(&e.outcome).chain(e.terms.iter().flat_map(|t| t.factors.iter())) {
            if !vars.contains(&v.as_str()) {
                vars.push(v);
            }
        }
    }
    let cases = complete_cases(data, &vars)?;
    let mut sub = data.take_rows(&cases.rows);
    center_products(&mut sub, spec, opts.center)?;
    let binary = is_binary(&sub, &spec.y);
    let y_logistic = match opts.y_model {
        YModel::Auto => binary,
        YModel::Linear => false,
        YModel::Logistic if binary => true,
        YModel::Logistic => {
            return Err(crate::Error::Usage(format!(
                "a logistic outcome needs exactly two values, but '{}' has more in the rows analysed; drop --logistic or recode it",
                spec.y
            )))
        }
    };
    let mut y_notes = Vec::new();
    if y_logistic && opts.y_model == YModel::Auto {
        y_notes.push(format!(
            "'{}' has two values, so its equation is a logistic regression (as PROCESS does; --linear-y fits OLS instead).",
            spec.y
        ));
    }
    let mut fits = Vec::new();
    let mut designs = Vec::new();
    for e in &spec.equations {
        let terms: Vec<String> = e.terms.iter().map(|t| t.name()).collect();
        let refs: Vec<&str> = terms.iter().map(String::as_str).collect();
        let mut reg = Regression::new(&e.outcome, &refs).conf(opts.conf);
        for (v, c) in &opts.codings {
            if e.terms.iter().any(|t| t.factors.contains(v)) {
                reg = reg.coding(v, c.clone());
            }
        }
        let logistic = e.outcome == spec.y && y_logistic;
        let fit = if logistic {
            reg.fit_logistic(&sub, &Default::default())?
        } else {
            reg.fit_ols(&sub, opts.cov)?
        };
        let tests = highest_order_tests(&fit, e)?;
        designs.push(reg.design(&sub, logistic)?);
        fits.push((fit, tests));
    }
    if opts.process_t {
        for (fit, _) in fits.iter_mut() {
            process_intervals(fit, opts.conf);
        }
    }
    let shapes: Vec<EqShape> = designs
        .iter()
        .map(|d| EqShape {
            outcome: d.outcome.clone(),
            columns: d.names.iter().map(|n| factors_of(n)).collect(),
        })
        .collect();
    let focal = design_factors(&designs, &spec.x);
    let mut moderators = Vec::new();
    for (i, m) in spec.moderators.iter().enumerate() {
        let explicit = opts.probe_values_of(m).or(match i {
            0 => opts.w_values.as_ref(),
            1 => opts.z_values.as_ref(),
            _ => None,
        });
        moderators.push(moderator(&sub, &designs, m, explicit, &opts.probe)?);
    }
    if let Some(x) = self_moderator(spec) {
        if designs
            .iter()
            .any(|d| d.coding.iter().any(|c| c.variable == x))
        {
            return Err(crate::Error::Usage(format!(
                "'{x}' moderates its own indirect effect (a product of X and a mediator), which needs a numeric or dichotomous X; '{x}' is categorical"
            )));
        }
        let explicit = opts.probe_values_of(x).or(if spec.moderators.is_empty() {
            opts.w_values.as_ref()
        } else {
            None
        });
        moderators.push(moderator(&sub, &designs, x, explicit, &opts.probe)?);
    }
    let plan = EffectPlan::new(
        shapes,
        &focal,
        &spec.y,
        moderators,
        opts.contrasts,
        opts.total,
    )
    .map_err(|e| crate::Error::Usage(e.0))?;
    let names: Vec<Vec<String>> = designs.iter().map(|d| d.names.clone()).collect();
    let defined_set = defined::DefinedSet::new(spec, &names).map_err(crate::Error::Usage)?;
    let n_eff = plan.effects.len();
    let betas: Vec<Vec<f64>> = fits.iter().map(|(f, _)| f.estimates()).collect();
    let mut point = vec![0.0; n_eff + defined_set.count()];
    // The same compiled sums give the estimate and every draw.
    let compiled = plan.compile();
    compiled.evaluate(&betas, &mut point[..n_eff]);
    defined_set.evaluate(&betas, &mut point[n_eff..]);

    // Standardized effects: which effects, and the scale factor on the full sample.
    let std_idx: Vec<usize> = if opts.effsize {
        plan.effects
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.moderators.is_empty()
                    && matches!(
                        e.kind,
                        EffectKind::Indirect
                            | EffectKind::TotalIndirect
                            | EffectKind::Contrast
                            | EffectKind::Total
                    )
            })
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let complete = opts.effsize
        && focal.len() == 1
        && !is_binary(&sub, &spec.x)
        && sub.numeric(&spec.x).is_ok();
    let sample_sd = |v: &str| {
        sub.numeric(v).map(|x| {
            let n = x.len() as f64;
            let m = x.iter().sum::<f64>() / n;
            (x.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        })
    };
    let std_scale = |sd_x: f64, sd_y: f64| if complete { sd_x / sd_y } else { 1.0 / sd_y };
    let point_scale = if std_idx.is_empty() {
        f64::NAN
    } else {
        let sd_y = sample_sd(&spec.y)?;
        let sd_x = if complete {
            sample_sd(&spec.x)?
        } else {
            f64::NAN
        };
        std_scale(sd_x, sd_y)
    };
    let n_std = std_idx.len();
    let n_base = point.len();
    let scaled: Vec<f64> = std_idx.iter().map(|&i| point[i] * point_scale).collect();
    point.extend(scaled);
    let resampled = opts.mc > 0 || opts.boot > 0;
    let curves = curve::CurveSet::new(&plan, &sub, resampled && !point.is_empty());
    let n_curve = point.len();
    point.resize(n_curve + curves.len(), 0.0);
    curves.evaluate(&betas, &mut point[n_curve..]);
    let mut notes = y_notes;
    notes.extend(plan.notes.iter().cloned());
    let boot = if opts.mc > 0 && !point.is_empty() {
        // Monte Carlo: each equation's coefficients drawn from N(b, V), independently.
        let factors = fits
            .iter()
            .map(|(f, _)| crate::numeric::matrix::cholesky(&f.cov, f.k()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| crate::Error::Usage("a coefficient covariance is not positive definite; Monte Carlo intervals are not available".into()))?;
        let m = point.len();
        let init = || betas.clone();
        let stat =
            |b: &mut Vec<Vec<f64>>, rng: &mut rand_xoshiro::Xoshiro256PlusPlus, out: &mut [f64]| {
                use rand::Rng;
                for (e, l) in factors.iter().enumerate() {
                    let k = betas[e].len();
                    let z: Vec<f64> = (0..k)
                        .map(|_| rng.sample(rand_distr::StandardNormal))
                        .collect();
                    for i in 0..k {
                        b[e][i] = betas[e][i] + (0..=i).map(|j| l[i * k + j] * z[j]).sum::<f64>();
                    }
                }
                compiled.evaluate(b, &mut out[..n_eff]);
                defined_set.evaluate(b, &mut out[n_eff..n_base]);
                for (k, &i) in std_idx.iter().enumerate() {
                    out[n_base + k] = out[i] * point_scale;
                }
                curves.evaluate(b, &mut out[n_curve..]);
                Ok(())
            };
        let draws = monte_carlo(opts.mc, m, opts.seed, opts.threads, init, stat, progress)
            .map_err(|f| {
                crate::Error::Usage(format!(
                    "the Monte Carlo draws failed at draw {} ({})",
                    f.draw, f.reason
                ))
            })?;
        Some((draws, vec![0.0; m]))
    } else if opts.boot > 0 && !point.is_empty() {
        {
            let stacked = Stacked::new(&designs);
            let one = stacked.column(crate::estimation::CONSTANT).unwrap_or(0);
            let (y_col, x_col) = (stacked.column(&spec.y), stacked.column(&spec.x));
            let m = point.len();
            let sizes: Vec<usize> = designs.iter().map(|d| d.k()).collect();
            let n = stacked.n();
            let init = || {
                let b: Vec<Vec<f64>> = sizes.iter().map(|&k| vec![0.0; k]).collect();
                (stacked.scratch(), b)
            };
            // Everything after the equations are solved: shared by the bootstrap and the jackknife.
            let evaluate = |scratch: &Scratch, b: &[Vec<f64>], out: &mut [f64]| {
                compiled.evaluate(b, &mut out[..n_eff]);
                defined_set.evaluate(b, &mut out[n_eff..n_base]);
                if n_std > 0 {
                    let sd_y = y_col.map_or(f64::NAN, |j| stacked.resample_sd(scratch, one, j));
                    let sd_x = x_col.map_or(f64::NAN, |j| stacked.resample_sd(scratch, one, j));
                    let scale = std_scale(sd_x, sd_y);
                    for (k, &i) in std_idx.iter().enumerate() {
                        out[n_base + k] = out[i] * scale;
                    }
                }
                curves.evaluate(b, &mut out[n_curve..]);
            };
            // A logistic outcome is refitted by weighted Newton steps from the full-sample
            // estimates; its (wasted) least-squares block is still solved with the others.
            let logistic_eq = designs
                .iter()
                .position(|d| y_logistic && d.outcome == spec.y);
            let refit_logistic = |counts: &[u32],
                                  b: &mut [Vec<f64>]|
             -> std::result::Result<(), String> {
                if let Some(e) = logistic_eq {
                    b[e] = crate::estimation::logistic_weighted(&designs[e], counts, &betas[e])?;
                }
                Ok(())
            };
            let stat = |st: &mut (Scratch, Vec<Vec<f64>>), counts: &[u32], out: &mut [f64]| {
                let (scratch, b) = st;
                stacked.solve(counts, scratch, b)?;
                refit_logistic(counts, b)?;
                evaluate(scratch, b, out);
                Ok(())
            };
            let draws = bootstrap_progress(n, opts.boot, m, opts.seed, opts.threads, init, stat, progress)
            .map_err(|f| crate::Error::Usage(format!("the bootstrap failed: draw {} could not be computed after 100 replacements ({})", f.draw, f.reason)))?;
            let accel = if opts.ci == CiMethod::Bca {
                // Jackknife: leave each row out of the full sample's cross-products.
                let (mut scratch, mut b) = init();
                stacked
                    .solve(&vec![1; n], &mut scratch, &mut b)
                    .map_err(crate::Error::Usage)?;
                let full = stacked.gram(&scratch).to_vec();
                let mut jack = vec![0.0; n * m];
                let mut ok = true;
                let mut counts = vec![1u32; n];
                for i in 0..n {
                    counts[i] = 0;
                    let solved = stacked
                        .solve_without(&full, i, &mut scratch, &mut b)
                        .and_then(|_| refit_logistic(&counts, &mut b));
                    counts[i] = 1;
                    if solved.is_err() {
                        ok = false;
                        break;
                    }
                    evaluate(&scratch, &b, &mut jack[i * m..(i + 1) * m]);
                }
                if ok {
                    (0..m)
                        .map(|j| acceleration(&(0..n).map(|i| jack[i * m + j]).collect::<Vec<_>>()))
                        .collect()
                } else {
                    notes.push("A jackknife replicate was singular, so BCa intervals use no acceleration (they are bias-corrected intervals).".into());
                    vec![0.0; m]
                }
            } else {
                vec![0.0; m]
            };
            Some((draws, accel))
        }
    } else {
        None
    };

    let mut effects = Vec::new();
    for (i, def) in plan.effects.iter().enumerate() {
        let mut r = EffectResult {
            def: def.clone(),
            effect: point[i],
            se: None,
            stat: None,
            p: None,
            boot_se: None,
            ci_lower: f64::NAN,
            ci_upper: f64::NAN,
            standardized: None,
            acceleration: None,
        };
        if def.kind == EffectKind::Direct || (def.kind == EffectKind::Total && opts.total) {
            if let Some((e, l)) = &def.direct_weights {
                let fit = &fits[*e].0;
                analytic(&mut r, fit, l, opts.conf, opts.process_t);
            }
        }
        let needs_boot = !matches!(def.kind, EffectKind::Direct);
        if let (Some(d), true) = (&boot, needs_boot) {
            let s = summarise_with(&d.0.column(i), point[i], opts.conf, opts.ci, d.1[i]);
            if opts.ci == CiMethod::Bca {
                r.acceleration = Some(d.1[i]);
            }
            r.boot_se = Some(s.se);
            r.ci_lower = s.lower;
            r.ci_upper = s.upper;
        }
        if let Some(k) = std_idx.iter().position(|&j| j == i) {
            let idx = n_base + k;
            let summary = boot
                .as_ref()
                .filter(|_| def.kind != EffectKind::Total)
                .map(|d| {
                    summarise_with(&d.0.column(idx), point[idx], opts.conf, opts.ci, d.1[idx])
                });
            r.standardized = Some(Standardized {
                kind: if complete { "complete" } else { "partial" },
                effect: point[idx],
                boot_se: summary.map(|s| s.se),
                ci_lower: summary.map_or(f64::NAN, |s| s.lower),
                ci_upper: summary.map_or(f64::NAN, |s| s.upper),
            });
        }
        effects.push(r);
    }
    let defined = defined_set
        .defined
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let i = n_eff + k;
            let s = boot
                .as_ref()
                .map(|dr| summarise_with(&dr.0.column(i), point[i], opts.conf, opts.ci, dr.1[i]));
            DefinedResult {
                name: d.name.clone(),
                expression: d.text.clone(),
                estimate: point[i],
                boot_se: s.map(|s| s.se),
                ci_lower: s.map_or(f64::NAN, |s| s.lower),
                ci_upper: s.map_or(f64::NAN, |s| s.upper),
            }
        })
        .collect();
    let total_model = if opts.total {
        let mut tm = total_effect_model(&sub, spec, opts, y_logistic)?;
        if opts.process_t {
            process_intervals(&mut tm, opts.conf);
        }
        Some(tm)
    } else {
        None
    };
    if let Some(tm) = &total_model {
        // The total effect's inference comes from the total effect model, as PROCESS prints it.
        for r in effects
            .iter_mut()
            .filter(|r| r.def.kind == EffectKind::Total)
        {
            if let Some(c) = tm.coefficient(&r.def.focal) {
                r.se = Some(c.se);
                r.stat = Some(c.stat);
                r.p = Some(c.p);
                r.ci_lower = c.ci_lower;
                r.ci_upper = c.ci_upper;
                r.boot_se = None;
            }
        }
    }
    if opts.normal {
        for r in effects.iter_mut() {
            if r.def.kind == EffectKind::Indirect
                && r.def.moderators.is_empty()
                && r.def.path.len() == 3
            {
                if let Some((se, z, p)) = sobel(&fits, &r.def.focal, &r.def.path) {
                    r.se = Some(se);
                    r.stat = Some(z);
                    r.p = Some(p);
                }
            }
        }
    }
    let columns: Vec<Vec<Vec<String>>> = designs
        .iter()
        .map(|d| d.names.iter().map(|n| factors_of(n)).collect())
        .collect();
    let mut candidates = focal.clone();
    candidates.extend(spec.mediators.iter().cloned());
    let (conditional, mut johnson_neyman) =
        conditional::equation_effects(&fits, &columns, &candidates, &plan.moderators, &sub, opts);
    let (conditional_interactions, jn_interactions) = conditional::interaction_effects(
        &fits,
        &columns,
        &candidates,
        &plan.moderators,
        &sub,
        opts,
    );
    johnson_neyman.extend(jn_interactions);
    if opts.jn {
        for m in &plan.moderators {
            let two =
                m.factors.len() == 1 && sub.numeric(&m.name).is_ok_and(conditional::two_valued);
            if two && !johnson_neyman.iter().any(|j| j.moderator == m.name) {
                notes.push(format!(
                    "Johnson-Neyman: '{}' has two values, so there are no regions of significance to find (PROCESS computes none either); the conditional effects at its two values show where the effect is significant.",
                    m.name
                ));
            }
        }
    }
    let probes = plan
        .moderators
        .iter()
        .map(|m| (m.name.clone(), m.points.clone()))
        .collect();
    let draws = boot.as_ref().map(|d| BootDraws {
        names: plan
            .effects
            .iter()
            .map(draw_name)
            .chain(
                defined_set
                    .defined
                    .iter()
                    .map(|x| format!("defined:{}", x.name)),
            )
            .chain(
                std_idx
                    .iter()
                    .map(|&i| format!("standardized:{}", draw_name(&plan.effects[i]))),
            )
            .collect(),
        b: d.0.b,
        // The curves' grid points stay out of the saved draws.
        values: d
            .0
            .values
            .chunks(d.0.m.max(1))
            .flat_map(|row| row[..n_curve].iter().copied())
            .collect(),
    });
    let indirect_curves = match &boot {
        Some((d, accel)) => curves.summarise(
            &point[n_curve..],
            d,
            accel,
            n_curve,
            (opts.conf, opts.ci),
            &effects,
        ),
        None => Vec::new(),
    };
    let bootstrap = boot.map(|(d, _)| BootInfo {
        resampling: if opts.mc > 0 {
            "monte_carlo"
        } else {
            "nonparametric"
        },
        b: d.b,
        seed: d.seed,
        method: opts.ci,
        failed: d.ledger.failed,
        ledger: d.ledger,
    });
    Ok(Analysis {
        spec: spec.clone(),
        n: cases.rows.len(),
        n_dropped: cases.n_dropped(),
        dropped_rows: cases.dropped_lines,
        equations: fits,
        total_model,
        effects,
        defined,
        conditional,
        conditional_interactions,
        johnson_neyman,
        indirect_curves,
        bootstrap,
        draws,
        probes,
        notes,
        options: opts.clone(),
    })
}

/// Normal-theory test of a simple indirect effect a·b with the second-order standard error
/// sqrt(a²·se_b² + b²·se_a² + se_a²·se_b²), as PROCESS's `normal` option computes it.
/// `focal` is X's design column (one code of a multicategorical X: a relative indirect effect).
fn sobel(
    fits: &[(EquationFit, Vec<R2Change>)],
    focal: &str,
    path: &[String],
) -> Option<(f64, f64, f64)> {
    let (x, m, y) = (focal, &path[1], &path[2]);
    let a = fits
        .iter()
        .find(|(f, _)| &f.outcome == m)?
        .0
        .coefficient(x)?
        .clone();
    let b = fits
        .iter()
        .find(|(f, _)| &f.outcome == y)?
        .0
        .coefficient(m)?
        .clone();
    let se = (a.estimate.powi(2) * b.se.powi(2)
        + b.estimate.powi(2) * a.se.powi(2)
        + a.se.powi(2) * b.se.powi(2))
    .sqrt();
    let z = a.estimate * b.estimate / se;
    Some((se, z, z_p_two_sided(z)))
}

fn analytic(r: &mut EffectResult, fit: &EquationFit, l: &[f64], conf: f64, process_t: bool) {
    let t = linear_test(fit, l, critical(fit, conf, process_t));
    r.se = Some(t.se);
    r.stat = Some(t.stat);
    r.p = Some(t.p);
    r.ci_lower = t.ci_lower;
    r.ci_upper = t.ci_upper;
}

/// The critical value of a `conf`% interval for an equation's effects and its t degrees of freedom
/// (`None` for logistic equations, which use z), exact or as PROCESS approximates it.
pub(crate) fn critical(fit: &EquationFit, conf: f64, process_t: bool) -> (f64, Option<f64>) {
    match (&fit.summary, fit.method) {
        (crate::estimation::Summary::Ols(s), Method::Ols) => {
            let c = if process_t {
                process_t_critical(conf, s.df2)
            } else {
                t_quantile(0.5 + conf / 200.0, s.df2)
            };
            (c, Some(s.df2))
        }
        _ => (
            if process_t {
                process_z_critical(conf)
            } else {
                z_quantile(0.5 + conf / 200.0)
            },
            None,
        ),
    }
}

/// Recomputes an equation's coefficient intervals with PROCESS's critical value.
fn process_intervals(fit: &mut EquationFit, conf: f64) {
    let (crit, _) = critical(fit, conf, true);
    for c in fit.coefficients.iter_mut() {
        c.ci_lower = c.estimate - crit * c.se;
        c.ci_upper = c.estimate + crit * c.se;
    }
}

/// R² change tests for the highest-order product terms of an equation, as PROCESS prints them.
fn highest_order_tests(fit: &EquationFit, e: &crate::spec::EquationSpec) -> Result<Vec<R2Change>> {
    if fit.method != Method::Ols {
        return Ok(Vec::new());
    }
    let top = e.terms.iter().map(|t| t.factors.len()).max().unwrap_or(0);
    if top < 2 {
        return Ok(Vec::new());
    }
    let tops: Vec<String> = e
        .terms
        .iter()
        .filter(|t| t.factors.len() == top)
        .map(|t| t.name())
        .collect();
    let mut out = Vec::new();
    for t in &tops {
        out.push(r2_change(fit, std::slice::from_ref(t))?);
    }
    if tops.len() > 1 {
        out.push(r2_change(fit, &tops)?);
    }
    Ok(out)
}

fn total_effect_model(
    sub: &Dataset,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
    logistic: bool,
) -> Result<EquationFit> {
    let mut terms: Vec<&str> = vec![spec.x.as_str()];
    if let Some(y_eq) = spec.equations.iter().find(|e| e.outcome == spec.y) {
        for t in &y_eq.terms {
            if t.factors.len() == 1 && spec.covariates.contains(&t.factors[0]) {
                terms.push(&t.factors[0]);
            }
        }
    }
    let mut reg = Regression::new(&spec.y, &terms).conf(opts.conf);
    for (v, c) in &opts.codings {
        if v == &spec.x {
            reg = reg.coding(v, c.clone());
        }
    }
    if logistic {
        reg.fit_logistic(sub, &Default::default())
    } else {
        reg.fit_ols(sub, opts.cov)
    }
}

/// Centres, in place, the numeric variables that enter product terms (all rows of `sub` are used).
fn center_products(sub: &mut Dataset, spec: &ModelSpec, center: Center) -> Result<()> {
    if center == Center::None {
        return Ok(());
    }
    let mut vars: Vec<String> = Vec::new();
    for e in &spec.equations {
        for t in e.terms.iter().filter(|t| t.factors.len() > 1) {
            for f in &t.factors {
                if !vars.contains(f) {
                    vars.push(f.clone());
                }
            }
        }
    }
    for v in vars {
        let numeric = matches!(sub.var(&v).map(|x| &x.data), Ok(Column::Numeric(_)));
        if !numeric || (center == Center::Continuous && is_binary(sub, &v)) {
            continue;
        }
        crate::data::apply_transform(sub, &v, crate::data::Transform::Center, None)?;
    }
    Ok(())
}

fn is_binary(data: &Dataset, y: &str) -> bool {
    match data.var(y).map(|v| &v.data) {
        Ok(Column::Numeric(v)) => crate::numeric::distinct_finite(v).len() == 2,
        Ok(Column::Categorical { levels, .. }) => levels.len() == 2,
        Err(_) => false,
    }
}

/// Factors of a design column name: `x:g[2]` -> [`x`, `g[2]`]; the constant has none.
fn factors_of(name: &str) -> Vec<String> {
    if name == crate::estimation::CONSTANT {
        return Vec::new();
    }
    crate::estimation::column_factors(name)
}

/// A variable's design factors: itself if numeric, its coded columns if categorical.
fn design_factors(designs: &[crate::estimation::Design], var: &str) -> Vec<String> {
    for d in designs {
        if let Some(info) = d.coding.iter().find(|c| c.variable == var) {
            return info.columns.iter().map(|c| c.name.clone()).collect();
        }
    }
    vec![var.to_string()]
}

/// X when a product term multiplies it by a mediator (PROCESS model 74): X then moderates the
/// M -> Y path, and its indirect effect is probed at values of X itself.
fn self_moderator(spec: &ModelSpec) -> Option<&str> {
    if spec.moderators.contains(&spec.x) {
        return None;
    }
    let x_by_m = spec.equations.iter().flat_map(|e| &e.terms).any(|t| {
        t.factors.contains(&spec.x) && t.factors.iter().any(|f| spec.mediators.contains(f))
    });
    x_by_m.then_some(spec.x.as_str())
}

fn moderator(
    sub: &Dataset,
    designs: &[crate::estimation::Design],
    name: &str,
    explicit: Option<&Vec<f64>>,
    method: &ProbeMethod,
) -> Result<Moderator> {
    for d in designs {
        if let Some(info) = d.coding.iter().find(|c| c.variable == name) {
            let points = info
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| ProbePoint {
                    label: l.clone(),
                    value: f64::NAN,
                    codes: info.columns.iter().map(|c| c.values[i]).collect(),
                })
                .collect();
            return Ok(Moderator {
                name: name.to_string(),
                factors: info.columns.iter().map(|c| c.name.clone()).collect(),
                points,
                index_unit: 1.0,
            });
        }
    }
    let values = sub.numeric(name)?;
    let method = match explicit {
        Some(v) => ProbeMethod::Values(v.clone()),
        None => method.clone(),
    };
    let distinct = crate::numeric::distinct_finite(values);
    let index_unit = if distinct.len() == 2 {
        distinct[1] - distinct[0]
    } else {
        1.0
    };
    Ok(Moderator {
        name: name.to_string(),
        factors: vec![name.to_string()],
        points: numeric_points(values, &method),
        index_unit,
    })
}
