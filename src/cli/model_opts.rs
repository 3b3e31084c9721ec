//! The model flags that `fit`, `diagram` and `power` share (a PROCESS number with roles, or a
//! path-syntax file, possibly one of the framework's models by name) resolved into a
//! [`ModelSpec`], in one place.

use std::path::Path;

use crate::spec::{syntax, template, ModelSpec, Roles, SpecSource};

use super::args::ModelArgs;
use super::{usage, CliError};

/// The model flags as given.
#[derive(Debug, Clone, Copy)]
pub struct ModelFlags<'a> {
    pub model: Option<u32>,
    /// A syntax file, or `framework:NAME`.
    pub spec: Option<&'a Path>,
    pub x: Option<&'a str>,
    pub y: Option<&'a str>,
    pub m: &'a [String],
    pub w: Option<&'a str>,
    pub z: Option<&'a str>,
    pub cov: &'a [String],
    pub cov_m: Option<&'a [String]>,
    pub cov_y: Option<&'a [String]>,
}

impl ModelArgs {
    /// The flags as given (no per-equation covariates: only `fit` has those).
    pub fn flags(&self) -> ModelFlags<'_> {
        ModelFlags {
            model: self.model,
            spec: self.spec.as_deref(),
            x: self.x.as_deref(),
            y: self.y.as_deref(),
            m: &self.m,
            w: self.w.as_deref(),
            z: self.z.as_deref(),
            cov: &self.cov,
            cov_m: None,
            cov_y: None,
        }
    }
}

/// The text of a syntax model: a file, or a framework model given as `framework:NAME`.
pub fn spec_text(path: &Path) -> Result<String, CliError> {
    if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("framework:")) {
        return crate::spec::framework::model(name)
            .map(str::to_string)
            .ok_or_else(|| {
                usage(format!(
                    "no framework model '{name}': use one of {}",
                    crate::spec::framework::NAMES
                        .iter()
                        .chain(&crate::spec::framework::SEM_NAMES)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            });
    }
    std::fs::read_to_string(path).map_err(|e| {
        CliError::Input(
            crate::data::DataError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            }
            .into(),
        )
    })
}

/// A model in the path syntax with its roles: X and Y as given or inferred, the mediators in
/// causal order, W and Z as given and then every other moderator a product term implies.
pub fn syntax_spec(name: &str, text: &str, f: &ModelFlags) -> Result<ModelSpec, CliError> {
    let parsed = syntax::parse_syntax(name, text).map_err(crate::Error::from)?;
    let (x, y, mediators) =
        syntax::infer_roles_with(&parsed, f.x, f.y).map_err(crate::Error::from)?;
    let given: Vec<String> =
        f.w.iter()
            .chain(f.z.iter())
            .map(|s| s.to_string())
            .collect();
    let moderators = syntax::infer_moderators(&parsed, &x, &mediators, &y, &given);
    Ok(ModelSpec {
        source: SpecSource::Syntax,
        x,
        y,
        mediators,
        moderators,
        covariates: f.cov.to_vec(),
        equations: parsed.equations,
        defined: parsed.defined,
    })
}

/// The model the flags name; `None` when neither --model nor --spec is given.
pub fn build_spec(f: &ModelFlags) -> Result<Option<ModelSpec>, CliError> {
    match (f.model, f.spec) {
        (Some(n), None) => {
            let t = template::template(n).map_err(crate::Error::from)?;
            let roles = Roles {
                x: f.x
                    .ok_or_else(|| usage("--x is required with --model"))?
                    .to_string(),
                y: f.y
                    .ok_or_else(|| usage("--y is required with --model"))?
                    .to_string(),
                m: f.m.to_vec(),
                w: f.w.map(str::to_string),
                z: f.z.map(str::to_string),
                cov: f.cov.to_vec(),
                cov_m: f.cov_m.map(<[String]>::to_vec),
                cov_y: f.cov_y.map(<[String]>::to_vec),
            };
            Ok(Some(t.instantiate(&roles).map_err(crate::Error::from)?))
        }
        (None, Some(path)) => Ok(Some(syntax_spec(
            &path.display().to_string(),
            &spec_text(path)?,
            f,
        )?)),
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err(usage("give either --model or --spec, not both")),
    }
}

/// Every variable a model names: roles, equation outcomes and the variables of every term.
fn model_variables(spec: &ModelSpec) -> Vec<&str> {
    let mut vars: Vec<&str> = vec![spec.x.as_str(), spec.y.as_str()];
    vars.extend(spec.mediators.iter().map(String::as_str));
    vars.extend(spec.moderators.iter().map(String::as_str));
    vars.extend(spec.covariates.iter().map(String::as_str));
    for e in &spec.equations {
        vars.push(&e.outcome);
        for t in &e.terms {
            vars.extend(t.factors.iter().map(|f| f.split('[').next().unwrap_or(f)));
        }
    }
    vars
}

/// The labels figures and tables show for `vars`: the data file's variable labels (SPSS,
/// Stata), with `--labels` (which may name just some variables) on top. Warns, naming the
/// label, when a label has characters the bundled font cannot draw.
pub fn display_labels(
    flag: Option<&str>,
    data: Option<&crate::data::Dataset>,
    vars: &[&str],
) -> Result<std::collections::BTreeMap<String, String>, CliError> {
    let defaults: std::collections::BTreeMap<String, String> = vars
        .iter()
        .filter_map(|v| {
            let label = data?.var(v).ok()?.label.clone()?;
            Some((v.to_string(), label))
        })
        .collect();
    #[cfg(feature = "plot")]
    {
        let given = match flag {
            Some(t) => crate::plot::parse_labels(t).map_err(crate::Error::from)?,
            None => crate::plot::Labels::default(),
        };
        let labels = given.over(defaults);
        for (v, label, chars) in labels.unprintable() {
            let chars: String = chars.iter().collect();
            eprintln!(
                "cipa: warning: the label '{label}' of '{v}' has characters the bundled font \
                 (DejaVu Sans) cannot draw ({chars}): figures show them as empty boxes; give \
                 another label with --labels {v}=..."
            );
        }
        Ok(labels.0)
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = flag;
        Ok(defaults)
    }
}

/// The labels of a model's variables (see [`display_labels`]).
pub fn model_labels(
    flag: Option<&str>,
    data: Option<&crate::data::Dataset>,
    spec: &ModelSpec,
) -> Result<std::collections::BTreeMap<String, String>, CliError> {
    display_labels(flag, data, &model_variables(spec))
}

/// Checks that every name in `--labels` is a variable of the model: a misspelt name would
/// otherwise be ignored silently and the figure show the raw name.
#[cfg(feature = "plot")]
pub fn check_labels(labels: &crate::plot::Labels, spec: &ModelSpec) -> Result<(), CliError> {
    let mut vars = model_variables(spec);
    let unknown: Vec<&str> = labels
        .0
        .keys()
        .map(String::as_str)
        .filter(|k| !vars.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    vars.sort_unstable();
    vars.dedup();
    Err(usage(format!(
        "--labels names {} that {} not a variable of the model; the model's variables are {}",
        unknown
            .iter()
            .map(|u| format!("'{u}'"))
            .collect::<Vec<_>>()
            .join(", "),
        if unknown.len() == 1 { "is" } else { "are" },
        vars.join(", ")
    )))
}
