mod effects;

use crate::analysis::{Analysis, JnResult};

use super::counterfactual::{counterfactual_notes, counterfactual_section};
use super::model_bootstrap::model_bootstrap_section;
use super::{regress_report, Report, Section, Table, Value};

/// The text/Markdown/CSV report of a conditional process analysis, laid out in PROCESS's order:
/// each outcome's model, the total effect model, then the effects of X on Y.
pub fn process_report(a: &Analysis, header: Vec<(String, String)>) -> Report {
    let mut report = regress_report(header, &a.equations, a.notes.clone());
    report.title = format!("cipa {} · conditional process analysis", crate::VERSION);
    retitle_model_sections(&mut report);
    add_conditional_interactions(&mut report, a);
    add_quadratic_tables(&mut report, a);
    add_conditional_effects(&mut report, a);
    super::omnibus::add_to_equations(&mut report.sections, a);
    add_total_effect_model(&mut report, a);
    report.sections.extend(effects::effects_section(a));
    report.sections.extend(counterfactual_section(a));
    report.notes.extend(counterfactual_notes(a));
    for jn in &a.johnson_neyman {
        report.sections.push(johnson_neyman_section(a, jn));
    }
    report.sections.extend(curves_section(a));
    report.sections.extend(model_bootstrap_section(a));
    add_resampling_notes(&mut report, a);
    report
}

/// The section of `outcome`'s equation.
fn outcome_section<'r>(report: &'r mut Report, outcome: &str) -> Option<&'r mut Section> {
    let heading = format!("Outcome Variable: {outcome}");
    report.sections.iter_mut().find(|s| s.heading == heading)
}

/// PROCESS's names: an `Int_k` key for product terms, and its titles for the tests of the
/// highest-order interactions.
fn retitle_model_sections(report: &mut Report) {
    for section in report.sections.iter_mut() {
        product_terms_key(section);
        for t in section.tables.iter_mut() {
            if t.title == super::regress::R2_CHANGE_TITLE {
                t.title = "Test(s) of highest order unconditional interaction(s)".into();
            } else if t.title == super::regress::LR_TITLE {
                t.title =
                    "Likelihood ratio test of highest order unconditional interaction(s)".into();
            }
        }
    }
}

/// Three-way models: the test of X's interaction with W at values of Z, in Y's section.
fn add_conditional_interactions(report: &mut Report, a: &Analysis) {
    for ci in &a.conditional_interactions {
        let df2 = match a
            .equations
            .iter()
            .find(|(f, _)| f.outcome == ci.outcome)
            .map(|(f, _)| &f.summary)
        {
            Some(crate::estimation::Summary::Ols(s)) => s.df2,
            _ => f64::NAN,
        };
        let Some(section) = outcome_section(report, &ci.outcome) else {
            continue;
        };
        section.tables.push(Table {
            title: format!(
                "Test of conditional {} interaction at value(s) of {}",
                ci.term, ci.moderator
            ),
            columns: [ci.moderator.as_str(), "Effect", "F", "df1", "df2", "p"]
                .map(String::from)
                .to_vec(),
            rows: ci
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Value::Text(r.at.first().map(|(_, l)| l.clone()).unwrap_or_default()),
                        Value::Num(r.test.effect),
                        Value::Num(r.test.stat * r.test.stat),
                        Value::Num(1.0),
                        Value::Num(df2),
                        Value::Num(r.test.p),
                    ]
                })
                .collect(),
            notes: vec![],
        });
    }
}

/// A path with a square term: its turning point and U test, as `regress` reports them.
fn add_quadratic_tables(report: &mut Report, a: &Analysis) {
    for q in &a.curvilinear {
        if let Some(section) = outcome_section(report, &q.outcome) {
            section.tables.extend(super::quadratic_tables(q));
        }
    }
}

/// Conditional effects of the focal predictor, inside the outcome model that moderates it.
fn add_conditional_effects(report: &mut Report, a: &Analysis) {
    for c in &a.conditional {
        let Some(section) = outcome_section(report, &c.outcome) else {
            continue;
        };
        // PROCESS's intprobe, decided by the analysis: probe only when the test of the focal
        // predictor's interaction(s) reaches p <= intprobe (the JSON output always has them).
        if !c.probed {
            if let Some(model) = section.tables.iter_mut().find(|t| t.title == "Model") {
                model.notes.push(format!(
                    "Conditional effects of {} are not shown: the test of its interaction has p = {:.4} > {} (PROCESS's intprobe; --intprobe 1 shows them).",
                    c.focal, c.interaction_p, a.options.intprobe
                ));
            }
            continue;
        }
        let mut columns: Vec<String> = c.moderators.clone();
        columns
            .extend(["Effect", "se", stat(a, &c.outcome), "p", "LLCI", "ULCI"].map(String::from));
        section.tables.push(Table {
            title: format!(
                "Conditional effects of the focal predictor ({}) at values of the moderator(s)",
                c.focal
            ),
            columns,
            rows: c
                .rows
                .iter()
                .map(|r| {
                    let mut row: Vec<Value> =
                        r.at.iter().map(|(_, l)| Value::Text(l.clone())).collect();
                    row.extend(test_cells(&r.test));
                    row
                })
                .collect(),
            notes: vec![],
        });
    }
}

/// PROCESS's total effect model (total = 1), its sections headed as such.
fn add_total_effect_model(report: &mut Report, a: &Analysis) {
    if let Some(tm) = &a.total_model {
        let t = regress_report(Vec::new(), &[(tm.clone(), Vec::new())], Vec::new());
        for mut s in t.sections {
            s.heading = format!("TOTAL EFFECT MODEL · {}", s.heading);
            report.sections.push(s);
        }
    }
}

/// The Johnson-Neyman table of one focal effect along one moderator, its boundaries as notes.
fn johnson_neyman_section(a: &Analysis, jn: &JnResult) -> Section {
    let mut notes: Vec<String> = jn
        .points
        .iter()
        .zip(jn.pct_below.iter().zip(&jn.pct_above))
        .map(|(p, (b, ab))| {
            format!(
                "Boundary {}: {p:.4} ({b:.2}% of the sample below, {ab:.2}% above)",
                jn.moderator
            )
        })
        .collect();
    if jn.points.is_empty() {
        notes.push("There are no statistical significance transition points within the observed range of the moderator.".into());
    }
    Section {
        heading: format!(
            "JOHNSON-NEYMAN: effect of {} on {} along {}",
            jn.focal, jn.outcome, jn.moderator
        ),
        tables: vec![Table {
            title: "Conditional effect of the focal predictor at values of the moderator".into(),
            columns: [
                jn.moderator.as_str(),
                "Effect",
                "se",
                stat(a, &jn.outcome),
                "p",
                "LLCI",
                "ULCI",
            ]
            .map(String::from)
            .to_vec(),
            rows: jn
                .table
                .iter()
                .map(|r| {
                    std::iter::once(Value::Num(r.value))
                        .chain(test_cells(&r.test))
                        .collect()
                })
                .collect(),
            notes,
        }],
    }
}

/// The bootstrap's (or Monte Carlo's) settings as a note, its failed draws as warnings.
fn add_resampling_notes(report: &mut Report, a: &Analysis) {
    let Some(b) = &a.bootstrap else { return };
    report.notes.push(format!(
        "{}: {} draws, seed {}, {} confidence intervals at {}%; {} failed draw(s) replaced.",
        if b.resampling == "monte_carlo" {
            "Monte Carlo (normal draws of the coefficients; the BootSE and BootCI columns are Monte Carlo)"
        } else {
            "Bootstrap"
        },
        b.b,
        b.seed,
        b.method.label(),
        a.options.conf,
        b.failed
    ));
    for (reason, n) in &b.ledger.reasons {
        report.warnings.push(format!(
            "{n} bootstrap resample(s) failed and were replaced: {reason}"
        ));
    }
}

/// PROCESS labels product terms `Int_1`, `Int_2`, ... in each outcome's coefficient table and
/// prints a key; cipa does the same in its PROCESS-style report (the JSON keeps the term names).
fn product_terms_key(section: &mut Section) {
    let Some(at) = section.tables.iter().position(|t| t.title == "Model") else {
        return;
    };
    let model = &mut section.tables[at];
    let mut key = Vec::new();
    for row in model.rows.iter_mut() {
        if let Some(Value::Text(term)) = row.first_mut() {
            if term.contains(':') {
                let label = format!("Int_{}", key.len() + 1);
                key.push(vec![
                    Value::Text(label.clone()),
                    Value::Text(":".into()),
                    Value::Text(term.split(':').collect::<Vec<_>>().join(" x ")),
                ]);
                *term = label;
            }
        }
    }
    if !key.is_empty() {
        section.tables.insert(
            at + 1,
            Table {
                title: "Product terms key".into(),
                columns: vec![String::new(), String::new(), String::new()],
                rows: key,
                notes: vec![],
            },
        );
    }
}

/// Beyond PROCESS: where along each moderator's observed range the conditional indirect effect's
/// interval excludes zero (the curves themselves are in the JSON and the plots).
fn curves_section(a: &Analysis) -> Option<Section> {
    if a.indirect_curves.is_empty() {
        return None;
    }
    let rows = a
        .indirect_curves
        .iter()
        .map(|c| {
            let at = c
                .def
                .fixed
                .iter()
                .map(|(m, l)| format!("{m}={l}"))
                .collect::<Vec<_>>()
                .join(", ");
            let path = if c.def.kind == crate::effects::EffectKind::TotalIndirect {
                "TOTAL".to_string()
            } else {
                c.def.path.join(" -> ")
            };
            let regions = if c.significant.is_empty() {
                "nowhere".to_string()
            } else {
                c.significant
                    .iter()
                    .map(|(lo, hi, s)| {
                        format!("[{lo:.4}, {hi:.4}] ({})", if *s > 0 { "+" } else { "-" })
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            vec![
                Value::Text(path),
                Value::Text(c.def.moderator.clone()),
                Value::Text(at),
                Value::Num(c.grid[0]),
                Value::Num(c.grid[c.grid.len() - 1]),
                Value::Text(regions),
            ]
        })
        .collect();
    Some(Section {
        heading: "CONDITIONAL INDIRECT EFFECTS ACROSS THE MODERATOR'S RANGE".into(),
        tables: vec![Table {
            title: "Where the interval excludes zero".into(),
            columns: ["", "along", "at", "min", "max", "interval excludes zero for"]
                .map(String::from)
                .to_vec(),
            rows,
            notes: vec![format!(
                "Pointwise {} intervals at {} evenly spaced values of the moderator over its observed range; the ends of each range are interpolated between them. The curves are in the JSON output (indirect_curves).",
                a.bootstrap.as_ref().map_or("bootstrap", |b| if b.resampling == "monte_carlo" { "Monte Carlo" } else { "bootstrap" }),
                crate::analysis::GRID_POINTS
            )],
        }],
    })
}

/// Effect, se, t, p and interval bounds as table cells.
/// The test statistic of effects in `outcome`'s equation: z in a logistic one, t otherwise.
pub(super) fn stat(a: &Analysis, outcome: &str) -> &'static str {
    let logistic = a
        .equations
        .iter()
        .any(|(f, _)| f.outcome == outcome && f.method == crate::estimation::Method::Logistic);
    if logistic {
        "z"
    } else {
        "t"
    }
}

fn test_cells(t: &crate::analysis::LinearTest) -> [Value; 6] {
    [t.effect, t.se, t.stat, t.p, t.ci_lower, t.ci_upper].map(Value::Num)
}
