//! `cipa sem --group VAR --mi T`: lavaan's `modindices()` of the grouped fit
//! (sem/groups/diagnostics.rs), the indices above T largest first, each with its group, as a
//! report section and the JSON document's `modindices` (docs/json-schema.md).

use serde_json::json;

use crate::report::{Report, Section, Table, Value};
use crate::sem::groups::diagnostics::{modification_indices, GroupModIndex};
use crate::sem::groups::GroupedFit;

use super::{usage, CliError};

/// The threshold and the indices above it, largest first.
pub type GroupMi = (f64, Vec<GroupModIndex>);

/// The indices above `threshold` (lavaan's `sort. = TRUE, minimum.value`).
pub fn modindices(fit: &GroupedFit, threshold: f64) -> Result<GroupMi, CliError> {
    if !(threshold >= 0.0 && threshold.is_finite()) {
        return Err(usage(format!(
            "--mi {threshold}: the threshold must be a number of 0 or more (3.84 lists the indices significant at 5%)"
        )));
    }
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let mut mi = modification_indices(fit).map_err(err)?;
    mi.retain(|m| m.row.mi > threshold);
    mi.sort_by(|a, b| b.row.mi.total_cmp(&a.row.mi));
    Ok((threshold, mi))
}

/// The "Modification Indices" section, each row with its group's level.
pub fn add_to_report(report: &mut Report, fit: &GroupedFit, (threshold, mi): &GroupMi) {
    let level = |g: usize| fit.groups.get(g - 1).map_or("", |r| r.level.as_str());
    let rows = mi
        .iter()
        .map(|m| {
            let r = &m.row;
            vec![
                Value::Text(r.lhs.clone()),
                Value::Text(r.op.clone()),
                Value::Text(r.rhs.clone()),
                Value::Text(level(m.group).to_string()),
                Value::Num(r.mi),
                Value::Num(r.epc),
                Value::Num(r.sepc_lv),
                Value::Num(r.sepc_all),
                Value::Num(r.sepc_nox),
            ]
        })
        .collect();
    let columns = [
        "", "op", "rhs", "group", "MI", "EPC", "sEPC.lv", "sEPC.all", "sEPC.nox",
    ];
    report.sections.push(Section {
        heading: "Modification Indices".into(),
        tables: vec![Table {
            title: "Modification Indices".into(),
            columns: columns.iter().map(|s| s.to_string()).collect(),
            rows,
            notes: vec![format!(
                "lavaan's modindices() of the multi-group fit: the parameters the model leaves out or fixes, in each group, with an MI above {threshold}, largest first (expected information)."
            )],
        }],
    });
}

/// `modindices`: `{threshold, rows}`, each row `{group, level, lhs, op, rhs, mi, epc, sepc_lv,
/// sepc_all, sepc_nox}`.
pub fn add_to_json(doc: &mut serde_json::Value, fit: &GroupedFit, (threshold, mi): &GroupMi) {
    let num = |v: f64| if v.is_finite() { json!(v) } else { json!(null) };
    let rows: Vec<serde_json::Value> = mi
        .iter()
        .map(|m| {
            let r = &m.row;
            let level = fit.groups.get(m.group - 1).map(|g| g.level.clone());
            json!({"group": m.group, "level": level, "lhs": r.lhs, "op": r.op, "rhs": r.rhs,
                   "mi": num(r.mi), "epc": num(r.epc), "sepc_lv": num(r.sepc_lv),
                   "sepc_all": num(r.sepc_all), "sepc_nox": num(r.sepc_nox)})
        })
        .collect();
    if let Some(o) = doc.as_object_mut() {
        o.insert(
            "modindices".into(),
            json!({"threshold": threshold, "rows": rows}),
        );
    }
}
