//! The figures of a latent interaction (issue 12): the interaction plot (the outcome predicted
//! from the focal factor at the moderator's probe values, with bands) and the Johnson-Neyman
//! plot (the slope across the moderator), built from analysis/sem_slopes.rs and drawn by the
//! interaction and Johnson-Neyman plots the regression analyses use.

use super::interaction::{sanitize, InteractionPlot, Line};
use super::jn::JnPlot;
use super::{figure_files, PlotError, PlotOptions, Rendered};
use crate::analysis::sem_slopes::{predicted_lines, FocalScale, LatentSlopes};
use crate::effects::probe::label;
use crate::sem::interaction::InteractionMethod;
use crate::sem::SemFit;

/// Both figures of every probed latent interaction; each focal factor's scale
/// (analysis::sem_slopes::focal_scale) sets the x range, its mean ± 2 SD.
pub fn render_latent_slopes(
    fit: &SemFit,
    slopes: &[(LatentSlopes, FocalScale)],
    opts: &PlotOptions,
) -> Result<Rendered, PlotError> {
    let mut out = Rendered::default();
    for (s, scale) in slopes {
        let stem = format!(
            "interaction_{}_on_{}_by_{}",
            sanitize(&s.focal),
            sanitize(&s.outcome),
            sanitize(&s.moderator)
        );
        let plot = interaction_plot(fit, s, scale, opts);
        let heading = format!(
            "Interaction plot: {} predicted from {} at {} = {} (latent interaction {})",
            s.outcome,
            s.focal,
            s.moderator,
            s.slopes
                .iter()
                .map(|r| r.label.clone())
                .collect::<Vec<_>>()
                .join(", "),
            s.term
        );
        let caption = plot.caption.clone();
        let mut shown = plot;
        if !opts.captions {
            shown.caption.clear();
        }
        out.push(&stem, heading, caption, figure_files(&stem, &shown, opts)?);
        let stem = format!(
            "jn_{}_on_{}_by_{}",
            sanitize(&s.focal),
            sanitize(&s.outcome),
            sanitize(&s.moderator)
        );
        let mut jn = jn_plot(s, opts);
        let (heading, caption) = (jn.heading.clone(), jn.caption.clone());
        if !opts.captions {
            jn.caption.clear();
        }
        out.push(&stem, heading, caption, figure_files(&stem, &jn, opts)?);
    }
    Ok(out)
}

fn interaction_plot(
    fit: &SemFit,
    s: &LatentSlopes,
    scale: &FocalScale,
    opts: &PlotOptions,
) -> InteractionPlot {
    let n = 41;
    let sd = scale.sd;
    let x: Vec<f64> = (0..n)
        .map(|i| scale.mean - 2.0 * sd + 4.0 * sd * i as f64 / (n - 1) as f64)
        .collect();
    let xc: Vec<f64> = x.iter().map(|v| v - scale.centre).collect();
    let lines = predicted_lines(fit, s, &xc)
        .into_iter()
        .map(|l| Line {
            label: format!("{} = {}", s.moderator, l.label),
            fit: l.fit,
            lower: l.lower,
            upper: l.upper,
        })
        .collect();
    InteractionPlot {
        title: format!("{} by {} and {}", s.outcome, s.focal, s.moderator),
        x_label: s.focal.clone(),
        y_label: format!("{} (predicted)", s.outcome),
        x,
        levels: None,
        lines,
        caption: format!(
            "Lines: {} predicted (as a deviation from its intercept) from {} (± 2 SD) at each value of {}, the other predictors at their means; bands: {}% pointwise confidence intervals (delta method). Latent interaction {} {}.",
            s.outcome,
            s.focal,
            s.moderator,
            crate::data::format_number(100.0 * s.level),
            s.term,
            match s.method {
                InteractionMethod::Dmc => "by double-mean-centred product indicators",
                InteractionMethod::Lms => "by LMS (Klein & Moosbrugger 2000)",
            }
        ),
        theme: opts.theme,
        points: Vec::new(),
        source: None,
    }
}

fn jn_plot(s: &LatentSlopes, opts: &PlotOptions) -> JnPlot {
    let c = &s.curve;
    let range = (
        c.w.first().copied().unwrap_or(0.0),
        c.w.last().copied().unwrap_or(1.0),
    );
    let points: Vec<f64> = s
        .jn_bounds
        .iter()
        .copied()
        .filter(|b| *b >= range.0 && *b <= range.1)
        .collect();
    let point_labels: Vec<String> = points.iter().map(|p| label(*p)).collect();
    let conf = crate::data::format_number(100.0 * s.level);
    let over = if s.moderator_is_latent {
        match s.method {
            InteractionMethod::Dmc => format!("{} from −3 to +3 SD (latent, mean 0)", s.moderator),
            InteractionMethod::Lms => {
                format!("{} from −3 to +3 SD about its mean (latent)", s.moderator)
            }
        }
    } else {
        format!("the observed range of {}", s.moderator)
    };
    let caption = format!(
        "Band: {conf}% confidence interval (delta method); shaded: where the slope differs from zero{}.",
        if point_labels.is_empty() {
            " (no Johnson-Neyman point in the range shown)".to_string()
        } else {
            format!(". Johnson-Neyman point(s): {}", point_labels.join(", "))
        }
    );
    JnPlot {
        title: format!("Slope of {} on {}", s.outcome, s.focal),
        x_label: s.moderator.clone(),
        y_label: format!("Slope of {}", s.focal),
        w: c.w.clone(),
        effect: c.effect.clone(),
        lower: c.lower.clone(),
        upper: c.upper.clone(),
        points,
        point_labels,
        heading: format!(
            "Johnson-Neyman plot: the slope of {} on {} across {over}, with its {conf}% band (latent interaction {})",
            s.outcome, s.focal, s.term
        ),
        observed: range,
        caption,
        theme: opts.theme,
    }
}
