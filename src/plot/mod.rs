//! Publication figures drawn from a fitted model: conceptual and statistical path diagrams (SVG,
//! PNG, Graphviz DOT, TikZ), interaction plots, Johnson-Neyman plots, conditional indirect
//! effect plots and bootstrap histograms (SVG, PNG at 300 dpi and PDF). Text uses a bundled font
//! (DejaVu Sans), so figures look the same on every machine; colours are Okabe and Ito's
//! colour-blind-safe palette, or greys.
//!
//! ```
//! use cipa::plot::{diagram, Labels};
//! use cipa::spec::{template::template, Roles};
//!
//! let roles = Roles { x: "ties".into(), y: "export".into(), m: vec!["collab".into()],
//!                     w: Some("distance".into()), ..Roles::default() };
//! let spec = template(7).unwrap().instantiate(&roles).unwrap();
//! let d = diagram::conceptual(&spec, &Labels::default());
//! assert!(diagram::to_dot(&d).contains("\"ties\" -> \"collab\""));
//! ```

mod canvas;
mod chart;
pub mod diagram;
mod error;
mod font;
pub mod histogram;
pub mod indirect;
pub mod interaction;
pub mod jn;
mod labels;
pub mod latent_interaction;
mod pdf;
mod png;
pub mod power;
pub mod quadratic;
mod theme;

pub use canvas::{to_png, to_svg, Figure};
pub use error::PlotError;
pub use labels::{parse_labels, split_factors, Labels};
pub use pdf::{svg_to_pdf, to_pdf};
pub use theme::{Theme, OKABE_ITO};

use crate::analysis::Analysis;
use diagram::{CoefStyle, DiagramFigure};

/// What [`render_all`] draws and how.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    pub labels: Labels,
    pub theme: Theme,
    /// Resolution of PNG files.
    pub dpi: f64,
    /// Coefficients on statistical diagrams: stars or confidence intervals.
    pub coef: CoefStyle,
    /// Digits after the decimal point in labels.
    pub decimals: usize,
    /// Also a PDF of every figure (next to its SVG and PNG).
    pub pdf: bool,
    /// Captions drawn under the figures (false: `--no-captions`, for journals that want them in
    /// the text; [`FigureEntry::caption`] still holds them).
    pub captions: bool,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            labels: Labels::default(),
            theme: Theme::default(),
            dpi: 300.0,
            coef: CoefStyle::Stars,
            decimals: 3,
            pdf: true,
            captions: true,
        }
    }
}

/// One output file: its name (no directory) and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Artifact {
    fn text(file_name: impl Into<String>, text: String) -> Self {
        Artifact {
            file_name: file_name.into(),
            bytes: text.into_bytes(),
        }
    }
}

/// What one figure shows, for a results page and `figures.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FigureEntry {
    /// The file stem shared by the figure's files (`interaction_x_on_y`).
    pub stem: String,
    /// What it shows, exactly: which effect, of what on what, at which moderator values.
    pub heading: String,
    /// Its caption (also when `--no-captions` leaves it out of the drawing).
    pub caption: String,
    /// Its files (names without a folder).
    pub files: Vec<String>,
}

/// Every figure of an analysis: the files and what each figure shows.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub artifacts: Vec<Artifact>,
    pub figures: Vec<FigureEntry>,
}

impl Rendered {
    /// Adds a figure's files under `heading`.
    fn push(&mut self, stem: &str, heading: String, caption: String, files: Vec<Artifact>) {
        self.figures.push(FigureEntry {
            stem: stem.to_string(),
            heading,
            caption,
            files: files.iter().map(|a| a.file_name.clone()).collect(),
        });
        self.artifacts.extend(files);
    }
}

/// SVG and PNG of one figure, named `stem.svg` and `stem.png`.
pub fn svg_and_png(stem: &str, fig: &impl Figure, dpi: f64) -> Result<Vec<Artifact>, PlotError> {
    Ok(vec![
        Artifact::text(format!("{stem}.svg"), to_svg(fig)?),
        Artifact {
            file_name: format!("{stem}.png"),
            bytes: to_png(fig, dpi)?,
        },
    ])
}

/// The files of one figure as `opts` asks: SVG and PNG, and `stem.pdf` when `opts.pdf`.
fn figure_files(
    stem: &str,
    fig: &impl Figure,
    opts: &PlotOptions,
) -> Result<Vec<Artifact>, PlotError> {
    let svg = to_svg(fig)?;
    // From the same SVG, so the PDF cannot drift from the SVG.
    let pdf = if opts.pdf {
        Some(svg_to_pdf(&svg, &fig.title())?)
    } else {
        None
    };
    let mut out = vec![
        Artifact::text(format!("{stem}.svg"), svg),
        Artifact {
            file_name: format!("{stem}.png"),
            bytes: to_png(fig, opts.dpi)?,
        },
    ];
    if let Some(bytes) = pdf {
        out.push(Artifact {
            file_name: format!("{stem}.pdf"),
            bytes,
        });
    }
    Ok(out)
}

/// Every figure that applies to `analysis`: both diagrams (SVG, PNG, PDF, DOT, TikZ) and each
/// plot (SVG, PNG, PDF; no PDF when `opts.pdf` is false). File names are stable and the bytes
/// depend only on the input.
pub fn render_all(analysis: &Analysis, opts: &PlotOptions) -> Result<Vec<Artifact>, PlotError> {
    Ok(render(analysis, None, opts)?.artifacts)
}

/// As [`render_all`], with the observed cases from `data` (the data the analysis was run on)
/// drawn on the interaction plots of a numeric focal predictor and one numeric moderator.
pub fn render_all_with_data(
    analysis: &Analysis,
    data: &crate::data::Dataset,
    opts: &PlotOptions,
) -> Result<Vec<Artifact>, PlotError> {
    Ok(render(analysis, Some(data), opts)?.artifacts)
}

/// As [`render_all_with_data`] (`data` optional), with what each figure shows.
pub fn render_described(
    analysis: &Analysis,
    data: Option<&crate::data::Dataset>,
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    render(analysis, data, opts)
}

/// `caption`, or nothing when `opts` leaves captions out.
fn drawn_caption(opts: &PlotOptions, caption: &str) -> String {
    if opts.captions {
        caption.to_string()
    } else {
        String::new()
    }
}

/// Both diagrams (SVG, PNG, PDF, DOT, TikZ) with what each shows.
fn diagrams(analysis: &Analysis, opts: &PlotOptions, out: &mut Rendered) -> Result<(), PlotError> {
    let mut conceptual = diagram::conceptual(&analysis.spec, &opts.labels);
    let mut statistical = diagram::statistical(analysis, &opts.labels, opts.coef, opts.decimals);
    let model = match analysis.spec.source {
        crate::spec::SpecSource::Process(n) => format!(" (PROCESS model {n})"),
        _ => String::new(),
    };
    let coefs = match opts.coef {
        CoefStyle::Stars => "with stars for p < .05, .01, .001",
        CoefStyle::Ci => "with confidence intervals",
    };
    // A diagram too crowded for its numbers carries path symbols, its coefficients in a key.
    let on_arrows = if statistical.key.is_some() {
        "every arrow labelled with its path symbol and the estimated coefficients in a key beneath the drawing"
    } else {
        "every equation's estimated coefficients on its arrows"
    };
    for (stem, d, heading) in [
        (
            "diagram_conceptual",
            &mut conceptual,
            format!("Conceptual diagram of the model{model}: which variable affects which, and which paths each moderator moderates"),
        ),
        (
            "diagram_statistical",
            &mut statistical,
            format!("Statistical diagram{model}: {on_arrows}, {coefs}"),
        ),
    ] {
        let caption = d.caption.clone().unwrap_or_default();
        if !opts.captions {
            diagram::remove_caption(d);
        }
        let fig = DiagramFigure {
            diagram: d,
            theme: opts.theme,
        };
        let mut files = figure_files(stem, &fig, opts)?;
        files.push(Artifact::text(format!("{stem}.dot"), diagram::to_dot(d)));
        files.push(Artifact::text(format!("{stem}.tex"), diagram::to_tikz(d)));
        out.push(stem, heading, caption, files);
    }
    Ok(())
}

fn render(
    analysis: &Analysis,
    data: Option<&crate::data::Dataset>,
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    let mut out = Rendered::default();
    diagrams(analysis, opts, &mut out)?;
    for (stem, mut p) in interaction::interaction_plots(analysis, &opts.labels, opts.theme)? {
        if let Some(d) = data {
            let centred = analysis.options.center != crate::analysis::Center::None;
            interaction::add_observed(&mut p, d, centred);
        }
        let heading = p.heading();
        let caption = std::mem::take(&mut p.caption);
        p.caption = drawn_caption(opts, &caption);
        let files = figure_files(&stem, &p, opts)?;
        out.push(&stem, heading, caption, files);
    }
    for (stem, mut p) in jn::jn_plots_with(analysis, &opts.labels, opts.theme, opts.decimals) {
        let heading = p.heading.clone();
        let caption = std::mem::take(&mut p.caption);
        p.caption = drawn_caption(opts, &caption);
        let files = figure_files(&stem, &p, opts)?;
        out.push(&stem, heading, caption, files);
    }
    // Curves along one moderator at several values of the others get a numbered file each.
    let curves = indirect::indirect_curves(analysis);
    let mut seen: Vec<(Vec<String>, String)> = Vec::new();
    for curve in &curves {
        let key = (curve.path.clone(), curve.moderator.clone());
        let k = seen.iter().filter(|s| **s == key).count();
        seen.push(key);
        let several = curves
            .iter()
            .filter(|c| c.path == curve.path && c.moderator == curve.moderator)
            .count()
            > 1;
        let mut stem = indirect_stem(curve);
        if several {
            stem = format!("{stem}_{:02}", k + 1);
        }
        let mut plot =
            indirect::IndirectPlot::new(curve.clone(), &opts.labels, opts.theme, opts.decimals)?;
        let heading = plot.heading();
        let caption = std::mem::take(&mut plot.caption);
        plot.caption = drawn_caption(opts, &caption);
        let files = figure_files(&stem, &plot, opts)?;
        out.push(&stem, heading, caption, files);
    }
    for (stem, mut p) in histogram::histograms(analysis, &opts.labels, opts.theme, opts.decimals) {
        let heading = p.heading.clone();
        let caption = std::mem::take(&mut p.caption);
        p.caption = drawn_caption(opts, &caption);
        let files = figure_files(&stem, &p, opts)?;
        out.push(&stem, heading, caption, files);
    }
    Ok(out)
}

/// The file stem of a conditional indirect effect plot: `indirect_<path>_by_<moderator>`.
fn indirect_stem(curve: &indirect::IndirectCurve) -> String {
    format!(
        "indirect_{}_by_{}",
        curve
            .path
            .iter()
            .map(|v| interaction::sanitize(v))
            .collect::<Vec<_>>()
            .join("-"),
        interaction::sanitize(&curve.moderator)
    )
}

/// The conditional indirect effect plot of a curve (SVG, PNG and PDF as `opts` asks), named
/// `indirect_<path>_by_<moderator>`.
pub fn render_indirect(
    curve: &indirect::IndirectCurve,
    opts: &PlotOptions,
) -> Result<Vec<Artifact>, PlotError> {
    let mut plot =
        indirect::IndirectPlot::new(curve.clone(), &opts.labels, opts.theme, opts.decimals)?;
    plot.caption = drawn_caption(opts, &plot.caption);
    figure_files(&indirect_stem(curve), &plot, opts)
}

/// The path diagram of a fitted latent-variable model (`cipa sem --diagram`): SVG, PNG, PDF
/// (when `opts.pdf`), DOT and TikZ, named `diagram_sem.*`, with its `figures.json` entry. The
/// numbers on it (unstandardized or std.all, stars or intervals, digits, residual variances)
/// follow `latent`; labels, theme, resolution and captions follow `opts`.
pub fn render_latent(
    fit: &crate::sem::SemFit,
    latent: &diagram::LatentOptions,
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    let d = diagram::latent(fit, &opts.labels, latent);
    latent_files(d, "diagram_sem", "", latent, opts)
}

/// The path diagram of each group of a multi-group fit (`cipa sem --group`): one figure per
/// group as [`render_latent`] draws it, named `diagram_sem_<level>.*` and captioned with the
/// group and its n. `groups` holds each group's level and its view (`GroupedFit::group_fit`).
pub fn render_latent_groups(
    groups: &[(String, crate::sem::SemFit)],
    latent: &diagram::LatentOptions,
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    let mut out = Rendered::default();
    for (k, (level, fit)) in groups.iter().enumerate() {
        let d = diagram::latent_in_group(fit, &opts.labels, latent, level);
        let mut stem = format!("diagram_sem_{}", interaction::sanitize(level));
        // Two levels that differ only in characters a file name cannot hold.
        if out.figures.iter().any(|f| f.stem == stem) {
            stem = format!("{stem}_{}", k + 1);
        }
        let one = latent_files(d, &stem, &format!(" (group {level})"), latent, opts)?;
        out.artifacts.extend(one.artifacts);
        out.figures.extend(one.figures);
    }
    Ok(out)
}

/// The files and figure entry of one drawn latent path diagram.
fn latent_files(
    mut d: diagram::Diagram,
    stem: &str,
    which: &str,
    latent: &diagram::LatentOptions,
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    let caption = d.caption.clone().unwrap_or_default();
    if !opts.captions {
        diagram::remove_caption(&mut d);
    }
    let fig = DiagramFigure {
        diagram: &d,
        theme: opts.theme,
    };
    let mut files = figure_files(stem, &fig, opts)?;
    files.push(Artifact::text(format!("{stem}.dot"), diagram::to_dot(&d)));
    files.push(Artifact::text(format!("{stem}.tex"), diagram::to_tikz(&d)));
    let values = match latent.values {
        diagram::LatentValues::Unstandardized => "unstandardized",
        diagram::LatentValues::StdAll => "standardized (std.all)",
    };
    let heading = format!(
        "Path diagram of the latent-variable model{which}: {values} loadings, regressions and covariances"
    );
    let mut out = Rendered::default();
    out.push(stem, heading, caption, files);
    Ok(out)
}
