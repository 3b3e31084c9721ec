//! What `cipa sem --cluster/--wald/--compare` adds to the report: the clusters (with a warning
//! below 30), the Wald test of the constraints given (lavTestWald), and the table of
//! likelihood-ratio tests between the model and another (lavTestLRT's layout).

use super::{Report, Section, Table, Value};
use crate::sem::cluster::{ClusterInfo, FEW_CLUSTERS};
use crate::sem::lrt::{LrtMethod, LrtTable};
use crate::sem::wald::WaldTest;

/// The header line of a cluster-robust fit and, below 30 clusters, the warning.
pub fn add_cluster(report: &mut Report, c: &ClusterInfo) {
    report.header.push((
        "Clusters".into(),
        format!(
            "{} of '{}' ({} to {} rows each); standard errors and test robust to clustering (lavaan's robust.cluster)",
            c.clusters, c.variable, c.smallest, c.largest
        ),
    ));
    if c.clusters < FEW_CLUSTERS {
        report.warnings.push(format!(
            "only {} clusters of '{}': cluster-robust standard errors and tests are too optimistic with fewer than {FEW_CLUSTERS} clusters (the sandwich's meat has at most {} independent parts); treat the p-values with caution",
            c.clusters, c.variable, c.clusters
        ));
    }
}

/// The Wald test's section.
pub fn add_wald(report: &mut Report, w: &WaldTest) {
    let mut rows: Vec<Vec<Value>> = w
        .constraints
        .iter()
        .zip(&w.values)
        .map(|(c, v)| vec![Value::Text(format!("{c} (lhs - rhs)")), Value::Num(*v)])
        .collect();
    rows.push(vec![
        Value::Text("Wald statistic".into()),
        Value::Num(w.stat),
    ]);
    rows.push(vec![
        Value::Text("Degrees of freedom".into()),
        Value::Int(w.df as i64),
    ]);
    rows.push(vec![Value::Text("P-value".into()), Value::Num(w.pvalue)]);
    report.sections.push(Section {
        heading: "Wald Test".into(),
        tables: vec![Table {
            title: "Wald test of the constraints".into(),
            columns: vec![String::new(), "Value".into()],
            rows,
            notes: vec![format!(
                "W = r'(R V R')^-1 r at the estimate, V the {} covariance of the estimates (lavaan's lavTestWald).",
                w.se
            )],
        }],
    });
}

/// The difference tests' section.
pub fn add_lrt(report: &mut Report, t: &LrtTable) {
    let scaled = t.method == LrtMethod::SatorraBentler2001;
    let mut columns: Vec<String> = ["", "Df", "AIC", "BIC", "Chisq", "Chisq diff"]
        .map(String::from)
        .to_vec();
    if !scaled {
        columns.push("RMSEA".into());
    }
    columns.extend(["Df diff", "Pr(>Chisq)"].map(String::from));
    let opt = |x: f64| {
        if x.is_nan() {
            Value::Empty
        } else {
            Value::Num(x)
        }
    };
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Value::Text(r.model.clone()),
                Value::Num(r.df),
                Value::Num(r.aic),
                Value::Num(r.bic),
                Value::Num(r.chisq),
                opt(r.chisq_diff),
            ];
            if !scaled {
                row.push(opt(r.rmsea));
            }
            row.extend([opt(r.df_diff), opt(r.pvalue)]);
            row
        })
        .collect();
    let note = if scaled {
        "Scaled chi-square difference test (Satorra & Bentler 2001, lavaan's lavTestLRT default under MLR); the Chisq column holds the standard (unscaled) statistics."
    } else {
        "Chi-square difference test (lavaan's lavTestLRT), models ordered by their degrees of freedom."
    };
    report.sections.push(Section {
        heading: "Model Comparison".into(),
        tables: vec![Table {
            title: "Likelihood-ratio tests of nested models".into(),
            columns,
            rows,
            notes: vec![note.into()],
        }],
    });
    report.warnings.extend(t.warnings.iter().cloned());
}
