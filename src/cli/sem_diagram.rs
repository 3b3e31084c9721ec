//! The path diagram of `cipa sem`: `--diagram FILE` in the format its extension names, and
//! `plots/diagram_sem.*` (with its figures.json entry) in a results folder; under `--group` one
//! diagram per group (`diagram_sem_<level>.*`).

use std::path::Path;

use super::args::SemArgs;
use super::results_dir::ResultsDir;
use super::{output, usage, CliError};
use crate::sem::groups::GroupedFit;
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

/// The group's file for `--diagram FILE` under `--group`: `FILE`'s stem, `_`, the figure's
/// level part (`diagram_sem_<level>` → `<stem>_<level>.<ext>`), next to `FILE`.
fn group_target(path: &Path, figure_stem: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let level = figure_stem
        .strip_prefix("diagram_sem_")
        .unwrap_or(figure_stem);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}_{level}.{ext}"))
}

/// `--diagram FILE` under `--group`: one diagram per group, `FILE`'s name with the group's
/// level before the extension (`paths.svg` → `paths_Pasteur.svg`, ...); returns the files.
pub fn write_groups(
    fit: &GroupedFit,
    a: &SemArgs,
    path: &Path,
    format: &str,
) -> Result<Vec<std::path::PathBuf>, CliError> {
    #[cfg(feature = "plot")]
    {
        let rendered = render_groups(fit, a)?;
        let mut written = Vec::new();
        for f in &rendered.figures {
            let want = format!("{}.{format}", f.stem);
            let bytes = rendered
                .artifacts
                .iter()
                .find(|a| a.file_name == want)
                .map(|a| &a.bytes)
                .ok_or_else(|| CliError::Internal(format!("no {want} was drawn")))?;
            let target = group_target(path, &f.stem);
            output::write_bytes(&target, bytes)?;
            written.push(target);
        }
        Ok(written)
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (fit, a, path, format, group_target);
        Err(usage(
            "this cipa was built without figures (the plot feature)",
        ))
    }
}

/// Adds each group's diagram under plots/ (`diagram_sem_<level>.*`) with its figures.json entry.
pub fn add_groups_to_folder(
    files: &mut ResultsDir,
    fit: &GroupedFit,
    a: &SemArgs,
) -> Result<(), CliError> {
    #[cfg(feature = "plot")]
    {
        let rendered = render_groups(fit, a)?;
        files.add_figures(super::results_dir::folder_figures(rendered));
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (files, fit, a);
    }
    Ok(())
}

#[cfg(feature = "plot")]
fn render_groups(fit: &GroupedFit, a: &SemArgs) -> Result<crate::plot::Rendered, CliError> {
    let views: Vec<(String, SemFit)> = (0..fit.groups.len())
        .filter_map(|g| Some((fit.groups[g].level.clone(), fit.group_fit(g)?)))
        .collect();
    crate::plot::render_latent_groups(&views, &options(a), &crate::plot::PlotOptions::default())
        .map_err(|e| CliError::Internal(format!("drawing the path diagrams failed: {e}")))
}
