use crate::analysis::{Analysis, EffectResult, OmnibusKind};
use crate::effects::EffectKind;

use super::counterfactual::{counterfactual_notes, counterfactual_section};
use super::model_bootstrap::model_bootstrap_section;
use super::{regress_report, Report, Section, Table, Value};

/// The text/Markdown/CSV report of a conditional process analysis, laid out in PROCESS's order:
/// each outcome's model, the total effect model, then the effects of X on Y.
pub fn process_report(a: &Analysis, header: Vec<(String, String)>) -> Report {
    let mut report = regress_report(header, &a.equations, a.notes.clone());
    report.title = format!("cipa {} · conditional process analysis", crate::VERSION);
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
    for ci in &a.conditional_interactions {
        let Some(section) = report
            .sections
            .iter_mut()
            .find(|s| s.heading == format!("Outcome Variable: {}", ci.outcome))
        else {
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
                    let df2 = match &a
                        .equations
                        .iter()
                        .find(|(f, _)| f.outcome == ci.outcome)
                        .map(|(f, _)| &f.summary)
                    {
                        Some(crate::estimation::Summary::Ols(s)) => s.df2,
                        _ => f64::NAN,
                    };
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
    // A path with a square term: its turning point and U test, as `regress` reports them.
    for q in &a.curvilinear {
        if let Some(section) = report
            .sections
            .iter_mut()
            .find(|s| s.heading == format!("Outcome Variable: {}", q.outcome))
        {
            section.tables.extend(super::quadratic_tables(q));
        }
    }
    // Conditional effects of the focal predictor, inside the outcome model that moderates it.
    for c in &a.conditional {
        let Some(section) = report
            .sections
            .iter_mut()
            .find(|s| s.heading == format!("Outcome Variable: {}", c.outcome))
        else {
            continue;
        };
        let mut columns: Vec<String> = c.moderators.clone();
        columns
            .extend(["Effect", "se", stat(a, &c.outcome), "p", "LLCI", "ULCI"].map(String::from));
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
    super::omnibus::add_to_equations(&mut report.sections, a);
    if let Some(tm) = &a.total_model {
        let t = regress_report(Vec::new(), &[(tm.clone(), Vec::new())], Vec::new());
        for mut s in t.sections {
            s.heading = format!("TOTAL EFFECT MODEL · {}", s.heading);
            report.sections.push(s);
        }
    }
    let mut tables = Vec::new();
    let x_multi = a
        .effects
        .iter()
        .map(|e| e.def.focal.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1;
    let focal_note = |e: &EffectResult| {
        if x_multi {
            format!(" ({})", e.def.focal)
        } else {
            String::new()
        }
    };
    let analytic_cols = |m: bool| {
        let mut c = vec![String::new()];
        if m {
            c.push("moderators".into());
        }
        c.extend(["Effect", "se", stat(a, &a.spec.y), "p", "LLCI", "ULCI"].map(String::from));
        c
    };
    let boot_cols = |first: &str| {
        ["", first, "Effect", "BootSE", "BootLLCI", "BootULCI"]
            .map(String::from)
            .to_vec()
    };
    let mods = |e: &EffectResult| {
        e.def
            .moderators
            .iter()
            .map(|(m, v)| format!("{m}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let by_kind = |k: EffectKind| a.effects.iter().filter(move |e| e.def.kind == k);
    let boot_row = |e: &EffectResult, label: String, second: String| {
        vec![
            Value::Text(label),
            Value::Text(second),
            Value::Num(e.effect),
            e.boot_se.map_or(Value::Empty, Value::Num),
            Value::Num(e.ci_lower),
            Value::Num(e.ci_upper),
        ]
    };
    for (kind, title) in [
        (EffectKind::Total, "Total effect of X on Y"),
        (EffectKind::Direct, "Direct effect of X on Y"),
    ] {
        let rows: Vec<&EffectResult> = by_kind(kind).collect();
        if rows.is_empty() {
            continue;
        }
        let moderated = rows.iter().any(|e| !e.def.moderators.is_empty());
        tables.push(Table {
            title: if moderated {
                format!("Conditional {}{}", title[..1].to_lowercase(), &title[1..])
            } else {
                title.to_string()
            },
            columns: analytic_cols(moderated),
            rows: rows
                .iter()
                .map(|e| {
                    let mut r = vec![Value::Text(format!("{}{}", e.def.focal, ""))];
                    if moderated {
                        r.push(Value::Text(mods(e)));
                    }
                    r.extend([
                        Value::Num(e.effect),
                        e.se.map_or(Value::Empty, Value::Num),
                        e.stat.map_or(Value::Empty, Value::Num),
                        e.p.map_or(Value::Empty, Value::Num),
                        Value::Num(e.ci_lower),
                        Value::Num(e.ci_upper),
                    ]);
                    r
                })
                .collect(),
            notes: vec![],
        });
        let omnibus = if kind == EffectKind::Total {
            OmnibusKind::Total
        } else {
            OmnibusKind::Direct
        };
        tables.extend(super::omnibus::effect_table(a, omnibus));
    }
    let ind: Vec<&EffectResult> = a
        .effects
        .iter()
        .filter(|e| {
            matches!(
                e.def.kind,
                EffectKind::Indirect | EffectKind::TotalIndirect | EffectKind::Contrast
            )
        })
        .collect();
    if !ind.is_empty() {
        let moderated = ind.iter().any(|e| !e.def.moderators.is_empty());
        tables.push(Table {
            title: if moderated {
                "Conditional indirect effect(s) of X on Y".into()
            } else {
                "Indirect effect(s) of X on Y".into()
            },
            columns: boot_cols(if moderated { "moderators" } else { "" }),
            rows: ind
                .iter()
                .map(|e| {
                    let label = match e.def.kind {
                        EffectKind::TotalIndirect => format!("TOTAL{}", focal_note(e)),
                        EffectKind::Contrast => e.def.label.clone().unwrap_or_default(),
                        _ => format!("{}{}", e.def.path.join(" -> "), ""),
                    };
                    boot_row(e, label, mods(e))
                })
                .collect(),
            notes: a
                .effects
                .iter()
                .filter(|e| e.def.kind == EffectKind::Contrast)
                .map(|e| {
                    format!(
                        "{}: {}",
                        e.def.label.clone().unwrap_or_default(),
                        e.def.path.join(" ")
                    )
                })
                .collect(),
        });
    }
    let std_rows: Vec<&EffectResult> = a
        .effects
        .iter()
        .filter(|e| e.standardized.is_some() && e.def.kind != EffectKind::Total)
        .collect();
    if let Some(first) = std_rows.first().and_then(|e| e.standardized.as_ref()) {
        let which = if first.kind == "complete" {
            "Completely"
        } else {
            "Partially"
        };
        tables.push(Table {
            title: format!("{which} standardized indirect effect(s) of X on Y"),
            columns: boot_cols(""),
            rows: std_rows
                .iter()
                .filter_map(|e| {
                    let st = e.standardized.as_ref()?;
                    let label = match e.def.kind {
                        EffectKind::TotalIndirect => "TOTAL".to_string(),
                        EffectKind::Contrast => e.def.label.clone().unwrap_or_default(),
                        _ => e.def.path.join(" -> "),
                    };
                    Some(vec![
                        Value::Text(label),
                        Value::Empty,
                        Value::Num(st.effect),
                        st.boot_se.map_or(Value::Empty, Value::Num),
                        Value::Num(st.ci_lower),
                        Value::Num(st.ci_upper),
                    ])
                })
                .collect(),
            notes: vec![],
        });
    }
    for e in by_kind(EffectKind::Total) {
        if let Some(st) = &e.standardized {
            let name = if st.kind == "complete" {
                "c_cs"
            } else {
                "c_ps"
            };
            if let Some(t) = tables
                .iter_mut()
                .find(|t| t.title == "Total effect of X on Y")
            {
                t.notes.push(format!("{name} = {:.4}", st.effect));
            }
        }
    }
    let normal: Vec<&EffectResult> = by_kind(EffectKind::Indirect)
        .filter(|e| e.se.is_some())
        .collect();
    if !normal.is_empty() {
        tables.push(Table {
            title: "Normal theory test for indirect effect(s)".into(),
            columns: ["", "Effect", "se", "Z", "p"].map(String::from).to_vec(),
            rows: normal
                .iter()
                .map(|e| {
                    vec![
                        Value::Text(e.def.path.join(" -> ")),
                        Value::Num(e.effect),
                        e.se.map_or(Value::Empty, Value::Num),
                        e.stat.map_or(Value::Empty, Value::Num),
                        e.p.map_or(Value::Empty, Value::Num),
                    ]
                })
                .collect(),
            notes: vec![],
        });
    }
    for (kind, title) in [
        (
            EffectKind::IndexOfModeratedMediation,
            "Index of moderated mediation",
        ),
        (
            EffectKind::PartialIndex,
            "Indices of partial moderated mediation",
        ),
        (
            EffectKind::ConditionalIndex,
            "Indices of conditional moderated mediation",
        ),
        (
            EffectKind::ModeratedModeratedIndex,
            "Index of moderated moderated mediation",
        ),
    ] {
        let rows: Vec<&EffectResult> = by_kind(kind).collect();
        if rows.is_empty() {
            continue;
        }
        tables.push(Table {
            title: title.into(),
            columns: ["", "moderator", "Index", "BootSE", "BootLLCI", "BootULCI"]
                .map(String::from)
                .to_vec(),
            rows: rows
                .iter()
                .map(|e| {
                    let at = mods(e);
                    let m = match (e.def.label.clone(), at.is_empty()) {
                        (Some(l), true) => l,
                        (Some(l), false) => format!("{l} at {at}"),
                        (None, _) => at,
                    };
                    boot_row(e, e.def.path.join(" -> "), m)
                })
                .collect(),
            notes: vec![],
        });
    }
    if !a.defined.is_empty() {
        tables.push(Table {
            title: "Defined quantities".into(),
            columns: [
                "",
                "expression",
                "Estimate",
                "BootSE",
                "BootLLCI",
                "BootULCI",
            ]
            .map(String::from)
            .to_vec(),
            rows: a
                .defined
                .iter()
                .map(|d| {
                    vec![
                        Value::Text(d.name.clone()),
                        Value::Text(d.expression.clone()),
                        Value::Num(d.estimate),
                        d.boot_se.map_or(Value::Empty, Value::Num),
                        Value::Num(d.ci_lower),
                        Value::Num(d.ci_upper),
                    ]
                })
                .collect(),
            notes: vec![],
        });
    }
    if !tables.is_empty() {
        report.sections.push(Section {
            heading: "TOTAL, DIRECT, AND INDIRECT EFFECTS OF X ON Y".into(),
            tables,
        });
    }
    report.sections.extend(counterfactual_section(a));
    report.notes.extend(counterfactual_notes(a));
    for jn in &a.johnson_neyman {
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
        report.sections.push(Section {
            heading: format!(
                "JOHNSON-NEYMAN: effect of {} on {} along {}",
                jn.focal, jn.outcome, jn.moderator
            ),
            tables: vec![Table {
                title: "Conditional effect of the focal predictor at values of the moderator"
                    .into(),
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
        });
    }
    if let Some(section) = curves_section(a) {
        report.sections.push(section);
    }
    report.sections.extend(model_bootstrap_section(a));
    if let Some(b) = &a.bootstrap {
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
    report
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
fn stat(a: &Analysis, outcome: &str) -> &'static str {
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
