//! The "TOTAL, DIRECT, AND INDIRECT EFFECTS OF X ON Y" section of the PROCESS-style report, one
//! table builder per block of PROCESS's output, in its order.

use crate::analysis::{Analysis, EffectResult, OmnibusKind};
use crate::effects::EffectKind;

use super::super::{Section, Table, Value};
use super::stat;

/// The section, or None when the model has no effects to report.
pub(super) fn effects_section(a: &Analysis) -> Option<Section> {
    let mut tables = Vec::new();
    for (kind, title, omnibus) in [
        (
            EffectKind::Total,
            "Total effect of X on Y",
            OmnibusKind::Total,
        ),
        (
            EffectKind::Direct,
            "Direct effect of X on Y",
            OmnibusKind::Direct,
        ),
    ] {
        if let Some(t) = analytic_table(a, kind, title) {
            tables.push(t);
            tables.extend(super::super::omnibus::effect_table(a, omnibus));
        }
    }
    tables.extend(indirect_table(a));
    tables.extend(standardized_table(a));
    note_standardized_total(a, &mut tables);
    tables.extend(normal_theory_table(a));
    for (kind, title) in INDEX_TABLES {
        tables.extend(index_table(a, kind, title));
    }
    tables.extend(defined_table(a));
    (!tables.is_empty()).then(|| Section {
        heading: "TOTAL, DIRECT, AND INDIRECT EFFECTS OF X ON Y".into(),
        tables,
    })
}

const INDEX_TABLES: [(EffectKind, &str); 4] = [
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
];

fn by_kind(a: &Analysis, k: EffectKind) -> impl Iterator<Item = &EffectResult> {
    a.effects.iter().filter(move |e| e.def.kind == k)
}

/// The moderator values an effect is conditional on, as `w=1.5, z=0`.
fn moderators(e: &EffectResult) -> String {
    e.def
        .moderators
        .iter()
        .map(|(m, v)| format!("{m}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn boot_columns(first: &str) -> Vec<String> {
    ["", first, "Effect", "BootSE", "BootLLCI", "BootULCI"]
        .map(String::from)
        .to_vec()
}

fn boot_row(e: &EffectResult, label: String, second: String) -> Vec<Value> {
    vec![
        Value::Text(label),
        Value::Text(second),
        Value::Num(e.effect),
        e.boot_se.map_or(Value::Empty, Value::Num),
        Value::Num(e.ci_lower),
        Value::Num(e.ci_upper),
    ]
}

/// A total or direct effect with its analytic test (conditional when moderated).
fn analytic_table(a: &Analysis, kind: EffectKind, title: &str) -> Option<Table> {
    let rows: Vec<&EffectResult> = by_kind(a, kind).collect();
    if rows.is_empty() {
        return None;
    }
    let moderated = rows.iter().any(|e| !e.def.moderators.is_empty());
    let mut columns = vec![String::new()];
    if moderated {
        columns.push("moderators".into());
    }
    columns.extend(["Effect", "se", stat(a, &a.spec.y), "p", "LLCI", "ULCI"].map(String::from));
    Some(Table {
        title: if moderated {
            format!("Conditional {}{}", title[..1].to_lowercase(), &title[1..])
        } else {
            title.to_string()
        },
        columns,
        rows: rows
            .iter()
            .map(|e| {
                let mut r = vec![Value::Text(e.def.focal.clone())];
                if moderated {
                    r.push(Value::Text(moderators(e)));
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
    })
}

/// Specific, total and contrasted indirect effects with their resampling intervals.
fn indirect_table(a: &Analysis) -> Option<Table> {
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
    if ind.is_empty() {
        return None;
    }
    // With several focal predictors, TOTAL names the one it belongs to.
    let several_x = a
        .effects
        .iter()
        .map(|e| &e.def.focal)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1;
    let moderated = ind.iter().any(|e| !e.def.moderators.is_empty());
    Some(Table {
        title: if moderated {
            "Conditional indirect effect(s) of X on Y".into()
        } else {
            "Indirect effect(s) of X on Y".into()
        },
        columns: boot_columns(if moderated { "moderators" } else { "" }),
        rows: ind
            .iter()
            .map(|e| {
                let label = match e.def.kind {
                    EffectKind::TotalIndirect if several_x => format!("TOTAL ({})", e.def.focal),
                    EffectKind::TotalIndirect => "TOTAL".to_string(),
                    EffectKind::Contrast => e.def.label.clone().unwrap_or_default(),
                    _ => e.def.path.join(" -> "),
                };
                boot_row(e, label, moderators(e))
            })
            .collect(),
        notes: by_kind(a, EffectKind::Contrast)
            .map(|e| {
                format!(
                    "{}: {}",
                    e.def.label.clone().unwrap_or_default(),
                    e.def.path.join(" ")
                )
            })
            .collect(),
    })
}

/// Partially or completely standardized indirect effects (PROCESS's effsize / stand).
fn standardized_table(a: &Analysis) -> Option<Table> {
    let rows: Vec<&EffectResult> = a
        .effects
        .iter()
        .filter(|e| e.standardized.is_some() && e.def.kind != EffectKind::Total)
        .collect();
    let first = rows.first().and_then(|e| e.standardized.as_ref())?;
    let which = if first.kind == "complete" {
        "Completely"
    } else {
        "Partially"
    };
    Some(Table {
        title: format!("{which} standardized indirect effect(s) of X on Y"),
        columns: boot_columns(""),
        rows: rows
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
    })
}

/// PROCESS prints the standardized total effect (c_cs or c_ps) under the total effect's table.
fn note_standardized_total(a: &Analysis, tables: &mut [Table]) {
    for e in by_kind(a, EffectKind::Total) {
        let Some(st) = &e.standardized else { continue };
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

/// Sobel tests of the specific indirect effects (PROCESS's normal = 1).
fn normal_theory_table(a: &Analysis) -> Option<Table> {
    let rows: Vec<&EffectResult> = by_kind(a, EffectKind::Indirect)
        .filter(|e| e.se.is_some())
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        title: "Normal theory test for indirect effect(s)".into(),
        columns: ["", "Effect", "se", "Z", "p"].map(String::from).to_vec(),
        rows: rows
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
    })
}

/// An index of (partial, conditional, moderated) moderated mediation.
fn index_table(a: &Analysis, kind: EffectKind, title: &str) -> Option<Table> {
    let rows: Vec<&EffectResult> = by_kind(a, kind).collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table {
        title: title.into(),
        columns: ["", "moderator", "Index", "BootSE", "BootLLCI", "BootULCI"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|e| {
                let at = moderators(e);
                let m = match (e.def.label.clone(), at.is_empty()) {
                    (Some(l), true) => l,
                    (Some(l), false) => format!("{l} at {at}"),
                    (None, _) => at,
                };
                boot_row(e, e.def.path.join(" -> "), m)
            })
            .collect(),
        notes: vec![],
    })
}

/// The `:=` quantities of a path-syntax model.
fn defined_table(a: &Analysis) -> Option<Table> {
    if a.defined.is_empty() {
        return None;
    }
    Some(Table {
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
    })
}
