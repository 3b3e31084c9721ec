//! A fit's figures as SVG text, one kind at a time, drawn by cipa's plot layer from the
//! analysis (the same figures a results folder holds under plots/, without the PNG and PDF
//! copies a notebook does not need).

use cipa::analysis::Center;
use cipa::cli::embed::FitRun;
use cipa::plot::diagram::{self, CoefStyle, DiagramFigure};
use cipa::plot::{histogram, indirect, interaction, jn, parse_labels, to_svg, Labels, Theme};

/// How to draw: variable labels (`name=Label,...`), greys instead of colours, and what the
/// statistical diagram writes on its arrows (`stars` or `ci`).
pub struct Style {
    pub labels: Option<String>,
    pub greyscale: bool,
    pub coef: String,
    pub decimals: usize,
}

fn err(e: impl Into<cipa::Error>) -> cipa::cli::CliError {
    cipa::cli::CliError::Input(e.into())
}

/// The figures of `kind` for a fit, as `(name, svg)`: `conceptual` and `statistical` diagrams,
/// `interaction`, `jn` (Johnson-Neyman), `indirect` (conditional indirect effects along a
/// moderator) or `bootstrap` (histograms of the indirect effects' draws).
pub fn fit_figures(
    run: &FitRun,
    kind: &str,
    style: &Style,
) -> Result<Vec<(String, String)>, cipa::cli::CliError> {
    let labels = match &style.labels {
        Some(t) => parse_labels(t).map_err(err)?,
        None => Labels::default(),
    };
    let theme = Theme {
        greyscale: style.greyscale,
        ..Theme::default()
    };
    let a = &run.analysis;
    let svg = |f: &dyn Fn() -> Result<String, cipa::plot::PlotError>| f().map_err(err);
    let mut out = Vec::new();
    match kind {
        "conceptual" | "statistical" => {
            let d = if kind == "conceptual" {
                diagram::conceptual(&run.spec, &labels)
            } else {
                let coef = if style.coef == "ci" {
                    CoefStyle::Ci
                } else {
                    CoefStyle::Stars
                };
                diagram::statistical(a, &labels, coef, style.decimals)
            };
            let fig = DiagramFigure {
                diagram: &d,
                theme,
            };
            out.push((format!("diagram_{kind}"), svg(&|| to_svg(&fig))?));
        }
        "interaction" => {
            for (stem, mut p) in interaction::interaction_plots(a, &labels, theme).map_err(err)? {
                interaction::add_observed(&mut p, &run.data, a.options.center != Center::None);
                out.push((stem, svg(&|| to_svg(&p))?));
            }
        }
        "jn" => {
            for (stem, p) in jn::jn_plots(a, &labels, theme) {
                out.push((stem, svg(&|| to_svg(&p))?));
            }
        }
        "indirect" => {
            for (i, curve) in indirect::indirect_curves(a).into_iter().enumerate() {
                let name = format!("indirect_{}_by_{}_{:02}", curve.path.join("-"), curve.moderator, i + 1);
                let p = indirect::IndirectPlot::new(curve, &labels, theme, style.decimals)
                    .map_err(err)?;
                out.push((name, svg(&|| to_svg(&p))?));
            }
        }
        "bootstrap" => {
            for (stem, p) in histogram::histograms(a, &labels, theme, style.decimals) {
                out.push((stem, svg(&|| to_svg(&p))?));
            }
        }
        other => {
            return Err(cipa::cli::CliError::Input(cipa::Error::Usage(format!(
                "no figure kind '{other}': use conceptual, statistical, interaction, jn, indirect or bootstrap"
            ))))
        }
    }
    Ok(out)
}
