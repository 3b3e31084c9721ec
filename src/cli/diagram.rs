//! `cipa diagram`: a model's path diagram from its number and roles, or from a model file.

use crate::plot::diagram::{self, DiagramFigure};
use crate::plot::{parse_labels, to_png, to_svg, Labels, Theme};
use crate::spec::{syntax, template, ModelSpec, Roles, SpecSource};

use super::args::DiagramArgs;
use super::{output, usage, CliError};

pub fn run(a: DiagramArgs) -> Result<(), CliError> {
    let spec = build_spec(&a)?;
    let labels = match &a.labels {
        Some(t) => parse_labels(t).map_err(crate::Error::from)?,
        None => Labels::default(),
    };
    if !(a.dpi >= 10.0 && a.dpi <= 2400.0) {
        return Err(usage(format!(
            "--dpi {} must be between 10 and 2400, e.g. 300",
            a.dpi
        )));
    }
    let d = match a.kind.as_str() {
        "statistical" => diagram::statistical_from_spec(&spec, &labels),
        _ => diagram::conceptual(&spec, &labels),
    };
    let from_ext = a
        .out
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(|e| match e {
            "tex" => "tikz".to_string(),
            "gv" => "dot".to_string(),
            other => other.to_lowercase(),
        })
        .filter(|e| ["svg", "png", "dot", "tikz"].contains(&e.as_str()));
    let format = a
        .format
        .clone()
        .or(from_ext)
        .unwrap_or_else(|| "svg".into());
    let theme = Theme {
        greyscale: a.greyscale,
        ..Theme::default()
    };
    let fig = DiagramFigure { diagram: &d, theme };
    if format == "png" {
        let path = a.out.as_deref().ok_or_else(|| {
            usage("a PNG is binary: give a file with --out, e.g. --out diagram.png")
        })?;
        let bytes = to_png(&fig, a.dpi).map_err(crate::Error::from)?;
        return output::write_atomic(path, &bytes).map_err(|e| {
            CliError::Input(crate::Error::Output {
                path: path.display().to_string(),
                message: e.to_string(),
            })
        });
    }
    let text = match format.as_str() {
        "dot" => diagram::to_dot(&d),
        "tikz" => diagram::to_tikz(&d),
        _ => to_svg(&fig).map_err(crate::Error::from)?,
    };
    output::emit(&text, a.out.as_deref())
}

fn build_spec(a: &DiagramArgs) -> Result<ModelSpec, CliError> {
    match (a.model, &a.spec) {
        (Some(n), None) => {
            let t = template::template(n).map_err(crate::Error::from)?;
            let roles = Roles {
                x: a.x
                    .clone()
                    .ok_or_else(|| usage("--x is required with --model"))?,
                y: a.y
                    .clone()
                    .ok_or_else(|| usage("--y is required with --model"))?,
                m: a.m.clone(),
                w: a.w.clone(),
                z: a.z.clone(),
                cov: a.cov.clone(),
                ..Roles::default()
            };
            Ok(t.instantiate(&roles).map_err(crate::Error::from)?)
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                CliError::Input(
                    crate::data::DataError::Io {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    }
                    .into(),
                )
            })?;
            let parsed = syntax::parse_syntax(&path.display().to_string(), &text)
                .map_err(crate::Error::from)?;
            let (x, y, mediators) =
                syntax::infer_roles_with(&parsed, a.x.as_deref(), a.y.as_deref())
                    .map_err(crate::Error::from)?;
            Ok(ModelSpec {
                source: SpecSource::Syntax,
                x,
                y,
                mediators,
                moderators: a.w.iter().chain(a.z.iter()).cloned().collect(),
                covariates: a.cov.clone(),
                equations: parsed.equations,
                defined: parsed.defined,
            })
        }
        (None, None) => Err(usage(
            "give a PROCESS model number (--model N) or a model file (--spec FILE)",
        )),
        (Some(_), Some(_)) => Err(usage("give either --model or --spec, not both")),
    }
}
