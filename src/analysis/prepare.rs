//! Stage 1, the sample and the designs: check the options, keep the rows complete on every
//! variable of the model and the cluster variable (listwise deletion), mean-centre the variables
//! in products when asked, decide whether Y's equation is logistic, and build each equation's
//! design matrix once (the fits, the bootstrap and the jackknife all read these), with the rows'
//! cluster ids when `cluster` is given.

use super::{AnalysisOptions, Center, YModel};
use crate::data::{complete_cases, Column, CompleteCases, Dataset};
use crate::error::Result;
use crate::estimation::{Design, Regression};
use crate::inference::CovType;
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
    /// The values the counterfactual effects compare, with `xmint`.
    pub counterfactual: Option<super::Counterfactual>,
}

pub(super) fn prepare(
    data: &Dataset,
    spec: &ModelSpec,
    opts: &AnalysisOptions,
) -> Result<Prepared> {
    check_options(opts)?;
    let mut vars = model_variables(spec);
    if let Some(c) = &opts.cluster {
        if !vars.contains(&c.as_str()) {
            vars.push(c);
        }
    }
    let cases = complete_cases(data, &vars)?;
    let mut sub = data.take_rows(&cases.rows);
    center_products(&mut sub, spec, opts.center)?;
    let (y_logistic, mut notes) = y_model(&sub, spec, opts.y_model)?;
    notes.extend(cluster_note(opts, spec, y_logistic)?);
    let designs = spec
        .equations
        .iter()
        .map(|e| {
            let logistic = e.outcome == spec.y && y_logistic;
            regression(e, opts).design(&sub, logistic)
        })
        .collect::<Result<Vec<_>>>()?;
    let counterfactual = opts
        .xmint
        .as_ref()
        .map(|x| super::counterfactual::resolve(&sub, &designs, spec, y_logistic, x))
        .transpose()?;
    Ok(Prepared {
        cases,
        sub,
        y_logistic,
        designs,
        notes,
        counterfactual,
    })
}

/// What the report says about clustered data (where PROCESS has no equivalent); a logistic Y is
/// refused, since CR1 is computed for OLS equations.
fn cluster_note(
    opts: &AnalysisOptions,
    spec: &ModelSpec,
    y_logistic: bool,
) -> Result<Option<String>> {
    let Some(c) = &opts.cluster else {
        return Ok(None);
    };
    if y_logistic {
        return Err(crate::Error::Usage(format!(
            "cluster-robust standard errors (--cluster {c}) are for OLS equations, but '{}' has two values and its equation is logistic; add --linear-y for a linear probability model",
            spec.y
        )));
    }
    Ok(Some(format!(
        "Clustered data: every equation's standard errors are cluster-robust by '{c}' (CR1, as R's sandwich::vcovCL with type HC1), and the tests of interactions, conditional effects, Johnson-Neyman regions and Sobel tests use that covariance, with t tests on n - k degrees of freedom. PROCESS for R 4.3.1 has no cluster option."
    )))
}

/// Options that cannot go together, refused before any work.
fn check_options(opts: &AnalysisOptions) -> Result<()> {
    let usage = |m: String| Err(crate::Error::Usage(m));
    if !(opts.conf > 0.0 && opts.conf < 100.0) {
        return usage(format!(
            "confidence level {} must be between 0 and 100",
            opts.conf
        ));
    }
    if opts.modelbt && (opts.boot == 0 || opts.mc > 0) {
        return usage("--modelbt gives bootstrap results for the regression coefficients, so it needs the bootstrap (--boot B greater than 0) and not Monte Carlo draws (--mc)".into());
    }
    super::counterfactual::check_options(opts)?;
    match (&opts.cluster, opts.cov) {
        (Some(c), cov) if !matches!(cov, CovType::Ols | CovType::Cr1) => usage(format!(
            "--cluster {c} gives cluster-robust (CR1) standard errors; drop the {} covariance (--hc)",
            cov.label()
        )),
        (None, CovType::Cr1) => usage(
            "cluster-robust (CR1) standard errors need a cluster variable (--cluster VAR)".into(),
        ),
        _ => Ok(()),
    }
}

/// The covariance of the OLS equations: CR1 with a cluster variable, else as asked.
pub(super) fn cov_type(opts: &AnalysisOptions) -> CovType {
    if opts.cluster.is_some() {
        CovType::Cr1
    } else {
        opts.cov
    }
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
    if let Some(c) = &opts.cluster {
        reg = reg.cluster(c);
    }
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
