//! The interaction and Johnson-Neyman plots of a multi-group fit's latent interactions: each
//! group's, drawn by the single-group code (plot/latent_interaction.rs) on the group's view
//! (analysis/sem_group_slopes.rs), the files named `<stem>_<level>` and the headings ending
//! "(VAR = level)", as the per-group path diagrams are.

use crate::data::Dataset;
use crate::sem::groups::GroupedFit;

use super::results_dir::ResultsDir;
use super::CliError;

/// Adds every group's interaction and Johnson-Neyman plots to `files` (none without a latent
/// product).
pub fn add_to_folder(
    files: &mut ResultsDir,
    fit: &GroupedFit,
    data: &Dataset,
    slopes: &[crate::analysis::sem_group_slopes::GroupSlopes],
) -> Result<(), CliError> {
    #[cfg(feature = "plot")]
    {
        use crate::analysis::sem_group_slopes::group_views;
        use crate::analysis::sem_slopes::focal_scale;
        let views = group_views(fit, data).map_err(crate::Error::from)?;
        let mut used: Vec<String> = Vec::new();
        for (k, ((view, rows), g)) in views.iter().zip(slopes).enumerate() {
            let scaled = g
                .slopes
                .iter()
                .map(|s| focal_scale(view, rows, s).map(|scale| (s.clone(), scale)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(crate::Error::from)?;
            let mut rendered = crate::plot::latent_interaction::render_latent_slopes(
                view,
                &scaled,
                &crate::plot::PlotOptions::default(),
            )
            .map_err(|e| {
                CliError::Internal(format!("drawing the interaction plots failed: {e}"))
            })?;
            // Two levels that differ only in characters a file name cannot hold get their number.
            let mut suffix = format!("_{}", crate::plot::interaction::sanitize(&g.group));
            if used.contains(&suffix) {
                suffix = format!("{suffix}_{}", k + 1);
            }
            used.push(suffix.clone());
            for f in &mut rendered.figures {
                let old = f.stem.clone();
                f.stem.push_str(&suffix);
                f.heading = format!("{} ({} = {})", f.heading, fit.group, g.group);
                for name in &mut f.files {
                    *name = name.replacen(&old, &f.stem, 1);
                }
                for a in &mut rendered.artifacts {
                    if a.file_name.starts_with(&format!("{old}.")) {
                        a.file_name = a.file_name.replacen(&old, &f.stem, 1);
                    }
                }
            }
            files.add_figures(super::results_dir::folder_figures(rendered));
        }
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (files, fit, data, slopes);
    }
    Ok(())
}
