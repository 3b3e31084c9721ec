//! Stage 3a, the effect plan: from the fitted designs' columns, every effect of the model (direct,
//! indirect, total, contrasts, indices) as sums of products of coefficients, with the moderators'
//! probe points (PROCESS's percentiles or mean ± SD, given values, or a categorical moderator's
//! levels). The plan is data: the point estimate and every draw evaluate it by the same code.

use super::prepare::Prepared;
use super::AnalysisOptions;
use crate::data::Dataset;
use crate::effects::probe::{numeric_points, ProbeMethod};
use crate::effects::{EffectPlan, EqShape, Moderator, ProbePoint};
use crate::error::Result;
use crate::estimation::Design;
use crate::spec::ModelSpec;

/// The plan of effects and X's design factors (X itself, or a categorical X's coded columns).
pub(super) struct Planned {
    pub plan: EffectPlan,
    pub focal: Vec<String>,
}

pub(super) fn effect_plan(
    prep: &Prepared,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<Planned> {
    let (sub, designs) = (&prep.sub, &prep.designs);
    let shapes: Vec<EqShape> = designs
        .iter()
        .map(|d| EqShape {
            outcome: d.outcome.clone(),
            columns: design_columns(d),
        })
        .collect();
    let focal = design_factors(designs, &spec.x);
    let mut moderators = Vec::new();
    for (i, m) in spec.moderators.iter().enumerate() {
        let explicit = opts.probe_values_of(m).or(match i {
            0 => opts.w_values.as_ref(),
            1 => opts.z_values.as_ref(),
            _ => None,
        });
        moderators.push(moderator(sub, designs, m, explicit, &opts.probe)?);
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
        // With xmint, X is probed at the two values its counterfactual effects compare.
        let compared = prep.counterfactual.as_ref().map(|c| vec![c.x_ref, c.x_cf]);
        let curvilinear = spec.x_in_power();
        let explicit = compared.as_ref().or(opts.probe_values_of(x)).or(
            if spec.moderators.is_empty() && !curvilinear {
                opts.w_values.as_ref()
            } else {
                None
            },
        );
        // A power of X is probed as MEDCURVE does (Hayes & Preacher 2010): at the mean and
        // one SD either side, unless values of X are given.
        let method = if curvilinear {
            ProbeMethod::MeanSd
        } else {
            opts.probe.clone()
        };
        moderators.push(moderator(sub, designs, x, explicit, &method)?);
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
    Ok(Planned { plan, focal })
}

/// The factors of each column of a design: `x:g[2]` -> [`x`, `g[2]`]; the constant has none.
pub(super) fn design_columns(d: &Design) -> Vec<Vec<String>> {
    d.names
        .iter()
        .map(|name| {
            if name == crate::estimation::CONSTANT {
                Vec::new()
            } else {
                crate::estimation::column_factors(name)
            }
        })
        .collect()
}

/// A variable's design factors: itself if numeric, its coded columns if categorical.
fn design_factors(designs: &[Design], var: &str) -> Vec<String> {
    for d in designs {
        if let Some(info) = d.coding.iter().find(|c| c.variable == var) {
            return info.columns.iter().map(|c| c.name.clone()).collect();
        }
    }
    vec![var.to_string()]
}

/// X when a product term multiplies it by a mediator (PROCESS model 74): X then moderates the
/// M -> Y path, and its indirect effect is probed at values of X itself; likewise when X enters
/// an equation as a power (`x^2`): its effects are then functions of X, probed at values of X.
fn self_moderator(spec: &ModelSpec) -> Option<&str> {
    if spec.moderators.contains(&spec.x) {
        return None;
    }
    let x_by_m = spec.equations.iter().flat_map(|e| &e.terms).any(|t| {
        t.factors.contains(&spec.x) && t.factors.iter().any(|f| spec.mediators.contains(f))
    });
    (x_by_m || spec.x_in_power()).then_some(spec.x.as_str())
}

/// A moderator with its probe points: a categorical one at its levels (by their codes), a numeric
/// one at the `explicit` values or by `method`. A two-valued moderator's index unit is the
/// difference of its values (PROCESS's index for a dichotomous W).
fn moderator(
    sub: &Dataset,
    designs: &[Design],
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
