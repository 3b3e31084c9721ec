//! The path diagram of `cipa sem`: `--diagram FILE` in the format its extension names, and
//! `plots/diagram_sem.*` (with its figures.json entry) in a results folder.

use std::path::Path;

use super::args::SemArgs;
use super::results_dir::ResultsDir;
use super::{output, usage, CliError};
use crate::sem::SemFit;

/// What `--diagram` may end in, and the format each writes.
const EXTENSIONS: &[(&str, &str)] = &[
    ("svg", "svg"),
    ("png", "png"),
    ("pdf", "pdf"),
    ("dot", "dot"),
    ("gv", "dot"),
    ("tex", "tex"),
];

/// The format of `--diagram FILE`, checked before the model is fitted.
pub fn format(path: &Path) -> Result<&'static str, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let known: Vec<String> = EXTENSIONS.iter().map(|(e, _)| format!(".{e}")).collect();
            usage(format!(
                "--diagram '{}' must end in one of {}",
                path.display(),
                known.join(", ")
            ))
        })
}

/// Writes the diagram of `fit` to `path` in `format` (from [`format`]), drawn as the
/// `--diagram-*` flags of `a` ask.
pub fn write(fit: &SemFit, a: &SemArgs, path: &Path, format: &str) -> Result<(), CliError> {
    #[cfg(feature = "plot")]
    {
        let files = render(fit, a)?;
        let want = format!("diagram_sem.{format}");
        let bytes = files
            .artifacts
            .into_iter()
            .find(|a| a.file_name == want)
            .map(|a| a.bytes)
            .ok_or_else(|| CliError::Internal(format!("no {want} was drawn")))?;
        output::write_bytes(path, &bytes)
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (fit, a, path, format, output::write_bytes);
        Err(usage(
            "this cipa was built without figures (the plot feature)",
        ))
    }
}

/// Adds the diagram's files under plots/ with what it shows (results page, figures.json).
pub fn add_to_folder(files: &mut ResultsDir, fit: &SemFit, a: &SemArgs) -> Result<(), CliError> {
    #[cfg(feature = "plot")]
    {
        let rendered = render(fit, a)?;
        files.add_figures(super::results_dir::folder_figures(rendered));
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (files, fit, a);
    }
    Ok(())
}

#[cfg(feature = "plot")]
fn render(fit: &SemFit, a: &SemArgs) -> Result<crate::plot::Rendered, CliError> {
    crate::plot::render_latent(fit, &options(a), &crate::plot::PlotOptions::default())
        .map_err(|e| CliError::Internal(format!("drawing the path diagram failed: {e}")))
}

/// The diagram's contents from `--diagram-values`, `--diagram-coef` and `--diagram-residuals`.
#[cfg(feature = "plot")]
fn options(a: &SemArgs) -> crate::plot::diagram::LatentOptions {
    use crate::plot::diagram::{CoefStyle, LatentOptions, LatentValues};
    LatentOptions {
        values: match a.diagram_values.as_str() {
            "std" => LatentValues::StdAll,
            _ => LatentValues::Unstandardized,
        },
        style: match a.diagram_coef.as_str() {
            "ci" => CoefStyle::Ci,
            _ => CoefStyle::Stars,
        },
        residuals: a.diagram_residuals,
        ..LatentOptions::default()
    }
}
