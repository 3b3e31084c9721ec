//! Stage 1, the sample and the designs: check the options, keep the rows complete on every
//! variable of the model (listwise deletion), mean-centre the variables in products when asked,
//! decide whether Y's equation is logistic, and build each equation's design matrix once (the
//! fits, the bootstrap and the jackknife all read these).

use super::{AnalysisOptions, Center, YModel};
use crate::data::{complete_cases, Column, CompleteCases, Dataset};
use crate::error::Result;
use crate::estimation::{Design, Regression};
use crate::spec::ModelSpec;

/// The rows analysed and the equations' designs over them.
pub(super) struct Prepared {
    /// Which rows of the data are analysed, and the lines of those dropped.
    pub cases: CompleteCases,
    /// The analysed rows (centred when asked).
    pub sub: Dataset,
    /// Y's equation is a logistic regression.
    pub y_logistic: bool,
    /// One design per equation of the spec, in its order.
    pub designs: Vec<Design>,
    /// Notes for the report (the choice of Y's estimator).
    pub notes: Vec<String>,
}

pub(super) fn prepare(
    data: &Dataset,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<Prepared> {
    if !(opts.conf > 0.0 && opts.conf < 100.0) {
        return Err(crate::Error::Usage(format!(
            "confidence level {} must be between 0 and 100",
            opts.conf
        )));
    }
    let cases = complete_cases(data, &model_variables(spec))?;
    let mut sub = data.take_rows(&cases.rows);
    center_products(&mut sub, spec, opts.center)?;
    let (y_logistic, notes) = y_model(&sub, spec, opts.y_model)?;
    let designs = spec
        .equations
        .iter()
        .map(|e| {
            let logistic = e.outcome == spec.y && y_logistic;
            regression(e, opts).design(&sub, logistic)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Prepared {
        cases,
        sub,
        y_logistic,
        designs,
        notes,
    })
}

/// Every variable of the model (outcomes and factors of terms), in order of appearance.
fn model_variables(spec: &ModelSpec) -> Vec<&str> {
    let mut vars: Vec<&str> = Vec::new();
    for e in &spec.equations {
        for v in std::iter::once(&e.outcome).chain(e.terms.iter().flat_map(|t| t.factors.iter())) {
            if !vars.contains(&v.as_str()) {
                vars.push(v);
            }
        }
    }
    vars
}

/// An equation of the spec as a regression, with the codings of its categorical variables.
pub(super) fn regression(e: &crate::spec::EquationSpec, opts: &AnalysisOptions) -> Regression {
    let terms: Vec<String> = e.terms.iter().map(|t| t.name()).collect();
    let refs: Vec<&str> = terms.iter().map(String::as_str).collect();
    let mut reg = Regression::new(&e.outcome, &refs).conf(opts.conf);
    for (v, c) in &opts.codings {
        if e.terms.iter().any(|t| t.factors.contains(v)) {
            reg = reg.coding(v, c.clone());
        }
    }
    reg
}

/// Whether Y's equation is logistic (PROCESS's rule: when Y has two values), with a note when
/// the rule chose it.
fn y_model(sub: &Dataset, spec: &ModelSpec, y_model: YModel) -> Result<(bool, Vec<String>)> {
    let binary = is_binary(sub, &spec.y);
    let y_logistic = match y_model {
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
    let mut notes = Vec::new();
    if y_logistic && y_model == YModel::Auto {
        notes.push(format!(
            "'{}' has two values, so its equation is a logistic regression (as PROCESS does; --linear-y fits OLS instead).",
            spec.y
        ));
    }
    Ok((y_logistic, notes))
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

/// The variable has exactly two distinct values (or levels).
pub(super) fn is_binary(data: &Dataset, y: &str) -> bool {
    match data.var(y).map(|v| &v.data) {
        Ok(Column::Numeric(v)) => crate::numeric::distinct_finite(v).len() == 2,
        Ok(Column::Categorical { levels, .. }) => levels.len() == 2,
        Err(_) => false,
    }
}
