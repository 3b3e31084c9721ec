//! The resampled inference of `cipa sem --boot/--mc/--bollen-stine` in the report: one section
//! with the bootstrap table (estimate, bootstrap SE, interval) of every free and := parameter,
//! the standardized := parameters, the Monte Carlo intervals and the Bollen-Stine p value; B,
//! seed, method and the failed draws in the notes.

use super::{Report, Section, Table, Value};
use crate::sem::resample::{BootParameter, SemBootstrap};

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Empty, Value::Num)
}

fn table(title: &str, rows: &[BootParameter]) -> Table {
    // Under --group every row has lavaan's group (0 for a := row, which spans the groups).
    let grouped = rows.iter().any(|r| r.group.is_some());
    let mut columns = vec![String::new()];
    if grouped {
        columns.push("Group".into());
    }
    columns.extend(["Estimate", "Boot SE", "CI lower", "CI upper"].map(String::from));
    Table {
        title: title.into(),
        columns,
        rows: rows
            .iter()
            .map(|r| {
                let name = if r.op == ":=" {
                    r.lhs.clone()
                } else {
                    format!("{} {} {}", r.lhs, r.op, r.rhs)
                };
                let mut row = vec![Value::Text(name)];
                if grouped {
                    row.push(match r.group {
                        Some(g) if g > 0 => Value::Int(g as i64),
                        _ => Value::Empty,
                    });
                }
                row.extend([
                    Value::Num(r.est),
                    opt(r.se),
                    opt(r.ci_lower),
                    opt(r.ci_upper),
                ]);
                row
            })
            .collect(),
        notes: Vec::new(),
    }
}

/// Adds the section and its notes to `report`.
pub fn add_to(report: &mut Report, b: &SemBootstrap) {
    let mut tables = Vec::new();
    if b.b > 0 {
        let mut t = table("Bootstrap", &b.parameters);
        t.notes.push(format!(
            "{} bootstrap resamples, seed {}, {} intervals at {}%; {} failed draws replaced.",
            b.b,
            b.seed,
            b.method.label(),
            crate::data::format_number(100.0 * b.level),
            b.failed.failed
        ));
        tables.push(t);
        if !b.standardized_defined.is_empty() {
            tables.push(table(
                "Bootstrap, standardized (std.all) defined parameters",
                &b.standardized_defined,
            ));
        }
    }
    if let Some(mc) = &b.monte_carlo {
        let mut t = table("Monte Carlo, defined parameters", &mc.defined);
        t.notes.push(format!(
            "{} draws from N(estimate, Var), seed {}, percentile intervals.",
            mc.draws, mc.seed
        ));
        tables.push(t);
    }
    if let Some(bs) = &b.bollen_stine {
        tables.push(Table {
            title: "Bollen-Stine bootstrap".into(),
            columns: vec![String::new(), "Value".into()],
            rows: vec![
                vec![Value::Text("Test statistic".into()), Value::Num(bs.chisq)],
                vec![Value::Text("Resamples".into()), Value::Int(bs.b as i64)],
                vec![
                    Value::Text("P-value (Bollen-Stine)".into()),
                    Value::Num(bs.pvalue),
                ],
            ],
            notes: vec![format!("{} failed draws replaced.", bs.failed.failed)],
        });
    }
    report.sections.push(Section {
        heading: "Resampling".into(),
        tables,
    });
    report.notes.extend(b.notes.iter().cloned());
}
