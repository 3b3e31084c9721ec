use crate::measure::{CorrelationMatrix, Descriptive, MissingPolicy};

use super::{Report, Section, Table, Value};

/// The text/Markdown/CSV report of `cipa describe`.
pub fn describe_report(
    header: Vec<(String, String)>,
    stats: &[Descriptive],
    cor: &CorrelationMatrix,
    notes: Vec<String>,
) -> Report {
    let k = cor.k();
    let mut r_table = matrix(cor, "Pearson correlations", &|i, j| Value::Num(cor.r(i, j)));
    r_table.notes.push(match cor.missing {
        MissingPolicy::Listwise => format!(
            "Listwise deletion: n = {}{}.",
            if k > 0 { cor.n(0, 0) } else { 0 },
            if cor.dropped_lines.is_empty() {
                String::new()
            } else {
                format!(", {} rows dropped", cor.dropped_lines.len())
            }
        ),
        MissingPolicy::Pairwise => "Pairwise deletion: n per pair in the table below.".into(),
    });
    let p_table = matrix(cor, "Two-sided p-values", &|i, j| {
        if i == j {
            Value::Empty
        } else {
            Value::Num(cor.p(i, j))
        }
    });
    let mut tables = vec![descriptives_table(stats), r_table, p_table];
    if cor.missing == MissingPolicy::Pairwise {
        tables.push(matrix(cor, "n per pair", &|i, j| {
            Value::Int(cor.n(i, j) as i64)
        }));
    }
    Report {
        title: format!("cipa {} · describe", crate::VERSION),
        header,
        sections: vec![Section {
            heading: "Variables".into(),
            tables,
        }],
        warnings: vec![],
        notes,
        decimals: 4,
    }
}

/// Each variable's n, missing count, mean, SD, range, skewness and kurtosis with their SEs.
fn descriptives_table(stats: &[Descriptive]) -> Table {
    Table {
        title: "Descriptive statistics".into(),
        columns: ["", "n", "missing", "mean", "SD", "min", "max", "skew", "SE skew", "kurtosis", "SE kurt"]
            .map(String::from)
            .to_vec(),
        rows: stats
            .iter()
            .map(|d| {
                vec![
                    Value::Text(d.name.clone()),
                    Value::Int(d.n as i64),
                    Value::Int(d.missing as i64),
                    Value::Num(d.mean),
                    Value::Num(d.sd),
                    Value::Num(d.min),
                    Value::Num(d.max),
                    Value::Num(d.skewness),
                    Value::Num(d.se_skewness),
                    Value::Num(d.kurtosis),
                    Value::Num(d.se_kurtosis),
                ]
            })
            .collect(),
        notes: vec![
            "SD with n - 1; skew = G1 and kurtosis = excess G2 (bias-corrected, as SPSS and SAS print them).".into(),
        ],
    }
}

/// A variables-by-variables table of `f(i, j)`.
fn matrix(cor: &CorrelationMatrix, title: &str, f: &dyn Fn(usize, usize) -> Value) -> Table {
    let names = &cor.names;
    Table {
        title: title.into(),
        columns: std::iter::once(String::new())
            .chain(names.iter().cloned())
            .collect(),
        rows: (0..cor.k())
            .map(|i| {
                std::iter::once(Value::Text(names[i].clone()))
                    .chain((0..cor.k()).map(|j| f(i, j)))
                    .collect()
            })
            .collect(),
        notes: vec![],
    }
}
