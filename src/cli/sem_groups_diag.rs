//! `cipa sem --group VAR --mi T` and `--residuals`: lavaan's `modindices()` of the grouped fit
//! (the indices above T largest first, each with its group) and each group's
//! `residuals(fit, type = ...)` (sem/groups/diagnostics.rs), as report sections and the JSON
//! document's `modindices` and `residuals` (docs/json-schema.md).

use serde_json::json;

use crate::report::{Report, Section, Table, Value};
use crate::sem::groups::diagnostics::{self, modification_indices, GroupModIndex};
use crate::sem::groups::GroupedFit;
use crate::sem::residuals::{ResidualMoments, Residuals};

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

/// Each group's residuals.
pub fn residuals(fit: &GroupedFit) -> Result<Vec<Residuals>, CliError> {
    diagnostics::residuals(fit).map_err(|e| CliError::from(crate::Error::from(e)))
}

/// One "Residual Correlations" table per group (lavaan's `type = "cor"`, lower triangle).
pub fn add_residuals_to_report(report: &mut Report, fit: &GroupedFit, res: &[Residuals]) {
    let names = &fit.observed;
    let tables = (fit.groups.iter().zip(res))
        .map(|(g, r)| {
            let cor = &r.cor_bollen.cov;
            let mut columns = vec![String::new()];
            columns.extend(names.iter().cloned());
            let rows = (0..names.len())
                .map(|i| {
                    let mut row = vec![Value::Text(names[i].clone())];
                    row.extend((0..names.len()).map(|j| match j <= i {
                        true => Value::Num(cor[(i, j)]),
                        false => Value::Empty,
                    }));
                    row
                })
                .collect();
            Table {
                title: format!("Residual Correlations ({} = {})", fit.group, g.level),
                columns,
                rows,
                notes: vec!["lavaan's residuals(type = \"cor\") in this group: sample correlations minus model-implied correlations.".into()],
            }
        })
        .collect();
    report.sections.push(Section {
        heading: "Residual Correlations".into(),
        tables,
    });
}

/// `residuals`: one object per group `{group, level, raw, cor_bollen, cor_bentler, normalized,
/// standardized}`, each kind `{cov, mean}`.
pub fn add_residuals_to_json(doc: &mut serde_json::Value, fit: &GroupedFit, res: &[Residuals]) {
    let num = |v: f64| if v.is_finite() { json!(v) } else { json!(null) };
    let moments = |m: &ResidualMoments| {
        let cov: Vec<Vec<serde_json::Value>> = (0..m.cov.rows)
            .map(|i| (0..m.cov.cols).map(|j| num(m.cov[(i, j)])).collect())
            .collect();
        let mean = m
            .mean
            .as_ref()
            .map(|v| v.iter().map(|&x| num(x)).collect::<Vec<_>>());
        json!({"cov": cov, "mean": mean})
    };
    let groups: Vec<serde_json::Value> = (fit.groups.iter().zip(res).enumerate())
        .map(|(g, (gr, r))| {
            json!({"group": g + 1, "level": gr.level, "raw": moments(&r.raw),
                   "cor_bollen": moments(&r.cor_bollen), "cor_bentler": moments(&r.cor_bentler),
                   "normalized": moments(&r.normalized),
                   "standardized": moments(&r.standardized)})
        })
        .collect();
    if let Some(o) = doc.as_object_mut() {
        o.insert("residuals".into(), serde_json::Value::Array(groups));
    }
}
