//! Latent interactions in the `cipa sem` report (issue 12): how each product latent was built
//! (its double-mean-centred product indicators, the pairing, the residual covariances) and the
//! probing of its regressions (simple slopes at moderator values with delta-method SEs, the
//! Johnson-Neyman region; analysis/sem_slopes.rs).

use super::{Report, Section, Table, Value};
use crate::analysis::sem_slopes::LatentSlopes;
use crate::effects::probe::label;
use crate::sem::interaction::{DmcPairs, InteractionMethod, ProductLatent};

/// An LMS term: its factors' model-implied moments (the probing's scale) and how it was fitted.
fn lms_term(p: &ProductLatent) -> Table {
    Table {
        title: format!("Latent interaction {} (LMS)", p.name),
        columns: ["Factor", "Kind", "Mean", "Variance"].map(String::from).to_vec(),
        rows: p
            .factor_moments
            .iter()
            .map(|f| {
                vec![
                    Value::Text(f.name.clone()),
                    Value::Text(if f.latent { "latent" } else { "observed" }.into()),
                    Value::Num(f.mean),
                    Value::Num(f.variance),
                ]
            })
            .collect(),
        notes: vec![
            format!("{} estimated by latent moderated structural equations (Klein & Moosbrugger 2000; modsem's method = \"lms\"): the mixture likelihood over Gauss-Hermite nodes of the latent factor, no product indicators, the factors uncentred; SEs from the observed information, over the {} rows used.", p.name, p.n_rows),
            "Mean and variance: model-implied over the mixture. An observed factor is its own single indicator (loading 1, residual variance 0), as modsem.".into(),
        ],
    }
}

/// The construction of one product latent, as a table of its indicators.
fn construction(p: &ProductLatent, robust: bool) -> Table {
    if p.method == InteractionMethod::Lms {
        return lms_term(p);
    }
    let pairing = match p.pairs {
        DmcPairs::All => "every pair of the factors' indicators (modsem's default)",
        DmcPairs::Matched => "matched pairs in indicator order (semTools' match = TRUE)",
    };
    let mut notes = vec![format!(
        "{} is a latent measured by double-mean-centred product indicators (Lin, Wen, Marsh & Lin 2010): each indicator centred at its mean, the products of {pairing}, each product centred again, over the {} rows used; the first loading is fixed at 1.",
        p.name, p.n_rows
    )];
    if p.factors.iter().any(|f| {
        p.indicators
            .iter()
            .all(|i| i.items.len() == 2 && i.items.contains(f))
    }) {
        notes.push("An observed factor is its own single indicator (as modsem).".into());
    }
    notes.push(if p.residual_covariances.is_empty() {
        "No residual covariances between the product indicators.".into()
    } else {
        format!(
            "{} residual covariances freed between product indicators that share an indicator of a latent (modsem's res.cov.method = \"simple\").",
            p.residual_covariances.len()
        )
    });
    if !robust {
        // docs/simulations/latent_interaction.md: 500 data sets at n = 2,000, ML's 95% Wald
        // intervals of the interaction covered 91.8% (SEs ~7% small), MLR's 93.8%.
        notes.push("Product indicators are not normally distributed, so normal-theory (ML) standard errors of the interaction are too small: in cipa's simulation study (docs/simulations/latent_interaction.md) ML's 95% intervals covered 91.8% and MLR's 93.8%. Refit with --estimator mlr for robust standard errors.".into());
    }
    Table {
        title: format!("Product indicators of {}", p.name),
        columns: vec!["Indicator".into(), "Product of".into()],
        rows: p
            .indicators
            .iter()
            .map(|i| {
                vec![
                    Value::Text(i.name.clone()),
                    Value::Text(i.items.join(" x ")),
                ]
            })
            .collect(),
        notes,
    }
}

/// The simple slopes of one regression with a Johnson-Neyman note.
fn slopes(s: &LatentSlopes) -> Table {
    let pct = crate::data::format_number(100.0 * s.level);
    let rows = s
        .slopes
        .iter()
        .map(|r| {
            let at = if s.moderator_is_latent && s.probe == "mean_sd" {
                format!("{} ({})", r.label, label(r.w))
            } else {
                r.label.clone()
            };
            vec![
                Value::Text(at),
                Value::Num(r.effect),
                Value::Num(r.se),
                Value::Num(r.z),
                Value::Num(r.p),
                Value::Num(r.ci_lower),
                Value::Num(r.ci_upper),
            ]
        })
        .collect();
    let probe = match (s.moderator_is_latent, s.probe.as_str()) {
        (true, "mean_sd") if s.method == InteractionMethod::Lms => format!(
            "{} is latent with model-implied mean {} and SD {} (over the LMS mixture): probed at its mean and ± 1 SD (as modsem's simple_slopes).",
            s.moderator,
            label(s.slopes.get(1).map_or(f64::NAN, |r| r.w)),
            label(s.moderator_sd)
        ),
        (true, "mean_sd") => format!(
            "{} is latent with mean 0 and model-implied SD {}: probed at 0 and ± 1 SD (as modsem's simple_slopes).",
            s.moderator,
            label(s.moderator_sd)
        ),
        (_, "percentiles") => format!(
            "{} probed at its 16th, 50th and 84th percentiles in the rows used (as PROCESS).",
            s.moderator
        ),
        (_, "mean_sd") => format!("{} probed at its mean and ± 1 SD.", s.moderator),
        _ => format!("{} probed at the values of --wvals.", s.moderator),
    };
    Table {
        title: format!(
            "Simple slopes of {} on {} at values of {}",
            s.outcome, s.focal, s.moderator
        ),
        columns: [
            s.moderator.as_str(),
            "Slope",
            "SE",
            "z",
            "P(>|z|)",
            "CI lower",
            "CI upper",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        notes: vec![
            format!(
                "Slope = b({} ~ {}) + b({} ~ {})·{}{}; SE by the delta method with {} held at each value; {pct}% intervals.",
                s.outcome, s.focal, s.outcome, s.term, s.moderator,
                if s.moderator_is_latent { String::new() } else if s.method == InteractionMethod::Lms { " (uncentred, as in the LMS product)".to_string() } else { format!(" (centred at its mean {}, as in the product indicators)", label(s.moderator_centre)) },
                s.moderator
            ),
            probe,
            jn_note(s),
        ],
    }
}

/// Where the slope is significant (Johnson-Neyman), in words.
fn jn_note(s: &LatentSlopes) -> String {
    let pct = crate::data::format_number(100.0 * s.level);
    let stretch = |(a, b): &(f64, f64)| match (a.is_finite(), b.is_finite()) {
        (false, false) => "everywhere".to_string(),
        (false, true) => format!("below {}", label(*b)),
        (true, false) => format!("above {}", label(*a)),
        (true, true) => format!("between {} and {}", label(*a), label(*b)),
    };
    let region = if s.jn_significant.is_empty() {
        "nowhere".to_string()
    } else {
        s.jn_significant
            .iter()
            .map(stretch)
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let scale = if s.moderator_is_latent {
        format!(" (on the latent's scale; SD {})", label(s.moderator_sd))
    } else {
        String::new()
    };
    format!(
        "Johnson-Neyman: the slope of {} on {} is significant at {pct}% for {} {region}{scale}.",
        s.outcome, s.focal, s.moderator
    )
}

/// Adds the section "Latent interactions" to `report` (nothing when there is none).
/// `robust`: the fit's SEs are robust (MLR), so the note recommending them is left out.
pub fn add_to(
    report: &mut Report,
    products: &[ProductLatent],
    probes: &[LatentSlopes],
    robust: bool,
) {
    if products.is_empty() {
        return;
    }
    let mut tables: Vec<Table> = products.iter().map(|p| construction(p, robust)).collect();
    tables.extend(probes.iter().map(slopes));
    report.sections.push(Section {
        heading: "Latent interactions".into(),
        tables,
    });
}

/// Adds the section "Latent interactions" of a multi-group fit: each product's construction
/// (centred once over every group, as modsem) and each group's simple slopes, titled with the
/// group (`column = level`).
pub fn add_groups_to(
    report: &mut Report,
    products: &[ProductLatent],
    probes: &[crate::analysis::sem_group_slopes::GroupSlopes],
    column: &str,
    robust: bool,
) {
    if products.is_empty() {
        return;
    }
    let mut tables: Vec<Table> = products
        .iter()
        .map(|p| {
            let mut t = construction(p, robust);
            t.notes.push(
                "The products are centred once over the rows of every group (as modsem's dblcent with group =), so each group's product latent is of the factors centred at their pooled means.".into(),
            );
            t
        })
        .collect();
    for g in probes {
        for s in &g.slopes {
            let mut t = slopes(s);
            t.title = format!("{} ({column} = {}, n = {})", t.title, g.group, g.n);
            if s.moderator_is_latent && s.probe == "mean_sd" {
                // The group's own latent mean (free in groups 2+ under equal intercepts).
                t.notes[1] = format!(
                    "{} is latent with model-implied mean {} and SD {} in this group: probed at its mean and ± 1 SD (as modsem's simple_slopes).",
                    s.moderator,
                    label(s.slopes.get(1).map_or(f64::NAN, |r| r.w)),
                    label(s.moderator_sd)
                );
            }
            if s.moderator_is_latent && s.moderator_centre != 0.0 {
                t.notes.push(format!(
                    "The product's zero is {}'s mean pooled over the groups ({}); the slope at w is b({} ~ {}) + b({} ~ {})·(w − {}).",
                    s.moderator,
                    label(s.moderator_centre),
                    s.outcome,
                    s.focal,
                    s.outcome,
                    s.term,
                    label(s.moderator_centre)
                ));
            }
            tables.push(t);
        }
    }
    report.sections.push(Section {
        heading: "Latent interactions".into(),
        tables,
    });
}
