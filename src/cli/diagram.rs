//! `cipa diagram`: a model's path diagram from its number and roles, or from a model file.

use crate::plot::diagram::{self, DiagramFigure};
use crate::plot::{parse_labels, to_png, to_svg, Labels, Theme};
use crate::spec::ModelSpec;

use super::args::DiagramArgs;
use super::model_opts;
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
    let flags = a.roles.flags();
    model_opts::build_spec(&flags)?.ok_or_else(|| {
        usage("give a PROCESS model number (--model N) or a model file (--spec FILE)")
    })
}
