use crate::estimation::{EquationFit, Method, R2Change, Summary};

use super::{Report, Section, Table, Value};

/// The title of the table of R² change tests (`fit` renames it as PROCESS titles it).
pub(super) const R2_CHANGE_TITLE: &str = "Test(s) of R-squared change";

/// The title of a logistic equation's likelihood-ratio tests (`fit` renames it as PROCESS does).
pub(super) const LR_TITLE: &str = "Likelihood ratio test(s)";

/// Likelihood-ratio tests of a logistic equation: chi-square, df, p.
fn lr_table(tests: &[R2Change]) -> Table {
    Table {
        title: LR_TITLE.into(),
        columns: ["", "Chi-sq", "df", "p"].map(String::from).to_vec(),
        rows: tests
            .iter()
            .map(|c| {
                vec![
                    Value::Text(c.label.clone()),
                    Value::Num(c.chisq.unwrap_or(f64::NAN)),
                    Value::Num(c.df1),
                    Value::Num(c.p),
                ]
            })
            .collect(),
        notes: vec![],
    }
}

/// The text/Markdown/CSV report of `cipa regress`: per equation a model summary, the coefficient
/// table, R² change tests and the coding of categorical predictors.
pub fn regress_report(
    header: Vec<(String, String)>,
    fits: &[(EquationFit, Vec<R2Change>)],
    notes: Vec<String>,
) -> Report {
    let mut sections = Vec::new();
    let mut warnings = Vec::new();
    for (fit, changes) in fits {
        let mut tables = vec![summary_table(fit), coefficients_table(fit)];
        tables.extend(change_table(fit, changes));
        tables.extend(coding_tables(fit));
        for w in &fit.warnings {
            warnings.push(format!("{}: {w}", fit.outcome));
        }
        sections.push(Section {
            heading: format!("Outcome Variable: {}", fit.outcome),
            tables,
        });
    }
    Report {
        title: format!("cipa {} · regress", crate::VERSION),
        header,
        sections,
        warnings,
        notes,
        decimals: 4,
    }
}

/// R², F and p of an OLS equation; -2LL, the model chi-square and pseudo-R²s of a logistic one.
fn summary_table(fit: &EquationFit) -> Table {
    match &fit.summary {
        Summary::Ols(s) => Table {
            title: "Model Summary".into(),
            columns: ["", "R", "R-sq", "adj R-sq", "MSE", "F", "df1", "df2", "p"]
                .map(String::from)
                .to_vec(),
            rows: vec![vec![
                Value::Empty,
                Value::Num(s.r2.max(0.0).sqrt()),
                Value::Num(s.r2),
                Value::Num(s.adj_r2),
                Value::Num(s.mse),
                Value::Num(s.f),
                Value::Num(s.df1),
                Value::Num(s.df2),
                Value::Num(s.p),
            ]],
            notes: if fit.cov_type.is_robust() {
                vec![format!(
                    "F is a Wald test using the {} covariance.",
                    fit.cov_type.label()
                )]
            } else {
                vec![]
            },
        },
        Summary::Logistic(s) => Table {
            title: "Model Summary".into(),
            columns: [
                "", "-2LL", "ModelLL", "df", "p", "McFadden", "CoxSnell", "Nagelkrk",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![vec![
                Value::Empty,
                Value::Num(s.neg2ll),
                Value::Num(s.chisq),
                Value::Num(s.df),
                Value::Num(s.p),
                Value::Num(s.mcfadden),
                Value::Num(s.cox_snell),
                Value::Num(s.nagelkerke),
            ]],
            notes: vec![],
        },
    }
}

/// The coefficients with their test and interval.
fn coefficients_table(fit: &EquationFit) -> Table {
    let stat = if fit.method == Method::Logistic {
        "z"
    } else {
        "t"
    };
    let (lo, hi) = ci_labels(fit.conf);
    Table {
        title: "Model".into(),
        columns: vec![
            "".into(),
            "coeff".into(),
            "se".into(),
            stat.into(),
            "p".into(),
            lo,
            hi,
        ],
        rows: fit
            .coefficients
            .iter()
            .map(|c| {
                vec![
                    Value::Text(c.term.clone()),
                    Value::Num(c.estimate),
                    Value::Num(c.se),
                    Value::Num(c.stat),
                    Value::Num(c.p),
                    Value::Num(c.ci_lower),
                    Value::Num(c.ci_upper),
                ]
            })
            .collect(),
        notes: vec![format!("Standard errors: {}.", se_label(fit))],
    }
}

/// Tests of R² change (OLS) or likelihood-ratio tests (logistic) of the highest-order terms.
fn change_table(fit: &EquationFit, changes: &[R2Change]) -> Option<Table> {
    if changes.iter().any(|c| c.chisq.is_some()) {
        return Some(lr_table(changes));
    }
    if changes.is_empty() {
        return None;
    }
    Some(Table {
        title: R2_CHANGE_TITLE.into(),
        columns: ["", "R2-chng", "F", "df1", "df2", "p"]
            .map(String::from)
            .to_vec(),
        rows: changes
            .iter()
            .map(|c| {
                vec![
                    Value::Text(c.label.clone()),
                    Value::Num(c.r2_change),
                    Value::Num(c.f),
                    Value::Num(c.df1),
                    Value::Num(c.df2),
                    Value::Num(c.p),
                ]
            })
            .collect(),
        notes: if fit.cov_type.is_robust() {
            vec![format!(
                "F is a Wald test using the {} covariance; R2-chng is from the OLS fit.",
                fit.cov_type.label()
            )]
        } else {
            vec![]
        },
    })
}

/// How each categorical predictor's levels are coded into columns.
fn coding_tables(fit: &EquationFit) -> Vec<Table> {
    fit.coding
        .iter()
        .map(|info| Table {
            title: format!(
                "Coding of '{}' ({} coding)",
                info.variable,
                info.contrast.label()
            ),
            columns: std::iter::once(info.variable.clone())
                .chain(info.columns.iter().map(|c| c.name.clone()))
                .collect(),
            rows: info
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    std::iter::once(Value::Text(l.clone()))
                        .chain(info.columns.iter().map(|c| Value::Num(c.values[i])))
                        .collect()
                })
                .collect(),
            notes: info
                .columns
                .iter()
                .map(|c| format!("{}: {}", c.name, c.meaning))
                .collect(),
        })
        .collect()
}

fn ci_labels(conf: f64) -> (String, String) {
    if (conf - 95.0).abs() < 1e-12 {
        ("LLCI".into(), "ULCI".into())
    } else {
        (format!("LLCI{conf}"), format!("ULCI{conf}"))
    }
}

fn se_label(fit: &EquationFit) -> String {
    match (&fit.cluster, fit.method) {
        (Some((name, g)), _) => format!("cluster-robust (CR1) by '{name}', {g} clusters"),
        (None, Method::Logistic) => "model-based (inverse information)".into(),
        (None, _) => fit.cov_type.label().to_string(),
    }
}
