//! `cipa diagram`: a model's path diagram from its number and roles, or from a model file.

use crate::plot::diagram::{self, DiagramFigure};
use crate::plot::{parse_labels, to_pdf, to_png, to_svg, Labels, Theme};
use crate::spec::ModelSpec;

use super::args::DiagramArgs;
use super::model_opts;
use super::{output, usage, CliError};

/// File extensions `--out` may end in, and the format each one writes.
const EXTENSIONS: &[(&str, &str)] = &[
    ("svg", "svg"),
    ("png", "png"),
    ("pdf", "pdf"),
    ("dot", "dot"),
    ("gv", "dot"),
    ("tex", "tikz"),
];

pub fn run(a: DiagramArgs) -> Result<(), CliError> {
    // Checked first: a wrong extension must not cost a model build, and leaves no file.
    let format = format(&a)?;
    if let Some(out) = &a.out {
        output::check_file_target(out, &a.roles.spec_file().into_iter().collect::<Vec<_>>())?;
    }
    let spec = build_spec(&a)?;
    let given = match &a.labels {
        Some(t) => parse_labels(t).map_err(crate::Error::from)?,
        None => Labels::default(),
    };
    model_opts::check_labels(&given, &spec)?;
    let labels = Labels(model_opts::model_labels(a.labels.as_deref(), None, &spec)?);
    if !(a.dpi >= 10.0 && a.dpi <= 2400.0) {
        return Err(usage(format!(
            "--dpi {} must be between 10 and 2400, e.g. 300",
            a.dpi
        )));
    }
    let mut d = match a.kind.as_str() {
        "statistical" => diagram::statistical_from_spec(&spec, &labels),
        _ => diagram::conceptual(&spec, &labels),
    };
    if a.no_captions {
        diagram::remove_caption(&mut d);
    }
    let theme = Theme {
        greyscale: a.greyscale,
        ..Theme::default()
    };
    let fig = DiagramFigure { diagram: &d, theme };
    if format == "png" || format == "pdf" {
        let path = a.out.as_deref().ok_or_else(|| {
            usage(format!(
                "a {} is binary: give a file with --out, e.g. --out diagram.{format}",
                format.to_uppercase()
            ))
        })?;
        let bytes = if format == "png" {
            to_png(&fig, a.dpi)
        } else {
            to_pdf(&fig)
        }
        .map_err(crate::Error::from)?;
        return output::write_bytes(path, &bytes);
    }
    let text = match format.as_str() {
        "dot" => diagram::to_dot(&d),
        "tikz" => diagram::to_tikz(&d),
        _ => to_svg(&fig).map_err(crate::Error::from)?,
    };
    output::emit(&text, a.out.as_deref())
}

/// The format to write: `--format`, else the extension of `--out`, else SVG. An extension cipa
/// cannot write is a usage error rather than, say, SVG text in a file named .jpg.
fn format(a: &DiagramArgs) -> Result<String, CliError> {
    if let Some(f) = &a.format {
        return Ok(f.clone());
    }
    let Some(ext) = a.out.as_ref().and_then(|p| p.extension()) else {
        return Ok("svg".into());
    };
    let ext = ext.to_string_lossy().to_lowercase();
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, f)| f.to_string())
        .ok_or_else(|| {
            let known: Vec<String> = EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect();
            usage(format!(
                "--out ends in .{ext}, which cipa diagram cannot write; use one of {} \
                 (or choose the format with --format)",
                known.join(", ")
            ))
        })
}

fn build_spec(a: &DiagramArgs) -> Result<ModelSpec, CliError> {
    let flags = a.roles.flags();
    model_opts::build_spec(&flags)?.ok_or_else(|| {
        usage("give a PROCESS model number (--model N) or a model file (--spec FILE)")
    })
}
