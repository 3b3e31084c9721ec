//! The report of `cipa sem` in the layout of lavaan's `summary(fit, fit.measures = TRUE,
//! standardized = TRUE, ci = TRUE, rsquare = TRUE)` (lavaan 0.6, R/lav_print.R): a header with
//! the estimator and the sample, the model test, the fit measures, the parameter sections and
//! the R². JSON is written from the fit itself, at full precision ([`sem_json`]).

use serde_json::{json, Map, Value as Json};

use crate::sem::{Estimator, ParameterRow, SemFit};

use super::{Report, Section, Table, Value};

/// Which rows of the parameter table a section lists.
type Selects = fn(&ParameterRow) -> bool;

/// The sections of lavaan's parameter listing, in its order: (title, which rows).
pub(super) const SECTIONS: [(&str, Selects); 6] = [
    ("Latent Variables", |r| r.op == "=~"),
    ("Regressions", |r| r.op == "~"),
    ("Covariances", |r| r.op == "~~" && r.lhs != r.rhs),
    ("Intercepts", |r| r.op == "~1"),
    ("Variances", |r| r.op == "~~" && r.lhs == r.rhs),
    ("Defined Parameters", |r| r.op == ":="),
];

/// The text/Markdown/CSV report of a fitted SEM. `header` holds the provenance lines (data,
/// rows dropped, model, cipa version); the estimation lines are added here.
pub fn sem_report(fit: &SemFit, mut header: Vec<(String, String)>, decimals: usize) -> Report {
    header.extend(estimation_lines(fit));
    let mut parameters: Vec<Table> = SECTIONS
        .iter()
        .filter_map(|(title, keep)| parameter_table(&fit.parameters, title, *keep))
        .collect();
    if let Some(t) = constraint_table(fit) {
        parameters.push(t);
    }
    let mut sections = vec![
        Section {
            heading: "Model Test".into(),
            tables: vec![model_test(&fit.fit)],
        },
        Section {
            heading: "Fit Measures".into(),
            tables: vec![fit_measures_table(&fit.fit)],
        },
        Section {
            heading: "Parameter Estimates".into(),
            tables: parameters,
        },
    ];
    if !fit.r2.is_empty() {
        sections.push(Section {
            heading: "R-Square".into(),
            tables: vec![Table {
                title: "R-Square".into(),
                columns: vec![String::new(), "Estimate".into()],
                rows: fit
                    .r2
                    .iter()
                    .map(|(n, v)| vec![Value::Text(n.clone()), Value::Num(*v)])
                    .collect(),
                notes: vec![],
            }],
        });
    }
    Report {
        title: format!("cipa {} · sem", crate::VERSION),
        header,
        sections,
        warnings: vec![],
        notes: vec![],
        decimals,
    }
}

fn estimation_lines(fit: &SemFit) -> Vec<(String, String)> {
    let o = &fit.options;
    let estimator = match o.estimator {
        Estimator::Ml => "ML",
        Estimator::Mlr => "MLR",
    };
    // An LMS fit is optimised and its SEs computed its own way (sem/lms/), whatever the options.
    let lms = fit
        .interactions
        .iter()
        .any(|t| t.method == crate::sem::interaction::InteractionMethod::Lms);
    let optimizer = if lms {
        "LMS: EM then Newton on the mixture likelihood".to_string()
    } else {
        fit.optimizer().to_string()
    };
    let mut h = vec![
        ("Estimator".to_string(), estimator.to_string()),
        (
            "Optimization".into(),
            format!(
                "{}, {} iterations (largest gradient element {:.1e})",
                optimizer, fit.iterations, fit.gradient
            ),
        ),
        ("Free parameters".into(), fit.n_free.to_string()),
        ("Observations used".into(), fit.n.to_string()),
    ];
    let information = if lms {
        "observed (LMS)".to_string()
    } else {
        format!("{:?}", o.information).to_lowercase()
    };
    h.push(("Information".into(), information));
    h
}

/// The chi-square test of the model (and the scaled test under MLR, as lavaan's two columns).
pub(super) fn model_test(f: &crate::sem::FitMeasures) -> Table {
    let mut columns = vec![String::new(), "Standard".to_string()];
    let mut rows = vec![
        vec![Value::Text("Test statistic".into()), Value::Num(f.chisq)],
        vec![Value::Text("Degrees of freedom".into()), df_value(f.df)],
        vec![
            Value::Text("P-value (Chi-square)".into()),
            Value::Num(f.pvalue),
        ],
    ];
    let mut notes = vec![];
    if let Some(s) = &f.scaled {
        columns.push("Scaled".into());
        for (row, v) in rows.iter_mut().zip([
            Value::Num(s.chisq_scaled),
            df_value(s.df_scaled),
            Value::Num(s.pvalue_scaled),
        ]) {
            row.push(v);
        }
        rows.push(vec![
            Value::Text("Scaling correction factor".into()),
            Value::Empty,
            Value::Num(s.chisq_scaling_factor),
        ]);
        notes.push("Scaled: the Yuan-Bentler correction (lavaan's MLR).".into());
    }
    Table {
        title: "Model Test User Model".into(),
        columns,
        rows,
        notes,
    }
}

/// Degrees of freedom as lavaan prints them: whole numbers without decimals.
pub(super) fn df_value(df: f64) -> Value {
    if df.fract() == 0.0 && df.abs() < 1e15 {
        Value::Int(df as i64)
    } else {
        Value::Num(df)
    }
}

/// lavaan's fit measures block: one row per measure, with the robust column under MLR.
pub(super) fn fit_measures_table(f: &crate::sem::FitMeasures) -> Table {
    let s = f.scaled.as_ref();
    let rows: Vec<(&str, f64, Option<f64>)> = vec![
        (
            "Comparative Fit Index (CFI)",
            f.cfi,
            s.map(|s| s.cfi_robust),
        ),
        ("Tucker-Lewis Index (TLI)", f.tli, s.map(|s| s.tli_robust)),
        ("Loglikelihood user model (H0)", f.logl, None),
        (
            "Loglikelihood unrestricted model (H1)",
            f.unrestricted_logl,
            None,
        ),
        ("Akaike (AIC)", f.aic, None),
        ("Bayesian (BIC)", f.bic, None),
        ("Sample-size adjusted Bayesian (SABIC)", f.bic2, None),
        ("RMSEA", f.rmsea, s.map(|s| s.rmsea_robust)),
        (
            "90 Percent confidence interval - lower",
            f.rmsea_ci_lower,
            s.map(|s| s.rmsea_ci_lower_robust),
        ),
        (
            "90 Percent confidence interval - upper",
            f.rmsea_ci_upper,
            s.map(|s| s.rmsea_ci_upper_robust),
        ),
        (
            "P-value H_0: RMSEA <= 0.050",
            f.rmsea_pvalue,
            s.map(|s| s.rmsea_pvalue_robust),
        ),
        ("SRMR", f.srmr, None),
    ];
    let mut columns = vec![String::new(), "Standard".to_string()];
    if s.is_some() {
        columns.push("Robust".into());
    }
    Table {
        title: "Fit measures".into(),
        columns,
        rows: rows
            .into_iter()
            .map(|(name, v, r)| {
                let mut row = vec![Value::Text(name.into()), Value::Num(v)];
                if s.is_some() {
                    row.push(r.map_or(Value::Empty, Value::Num));
                }
                row
            })
            .collect(),
        notes: vec![],
    }
}

const PARAMETER_COLUMNS: [&str; 9] = [
    "", "Estimate", "Std.Err", "z-value", "P(>|z|)", "ci.lower", "ci.upper", "Std.lv", "Std.all",
];

/// One parameter section; `=~` and `~` rows sit under a `lhs op` line as lavaan prints them.
pub(super) fn parameter_table(
    parameters: &[ParameterRow],
    title: &str,
    keep: Selects,
) -> Option<Table> {
    let chosen: Vec<&ParameterRow> = parameters.iter().filter(|r| keep(r)).collect();
    if chosen.is_empty() {
        return None;
    }
    let grouped = matches!(chosen[0].op.as_str(), "=~" | "~" | "~~") && title != "Variances";
    let mut rows = Vec::new();
    let mut current: Option<&str> = None;
    for r in chosen {
        let name = if grouped {
            if current != Some(r.lhs.as_str()) {
                current = Some(r.lhs.as_str());
                let mut head = vec![Value::Text(format!("{} {}", r.lhs, r.op))];
                head.resize(PARAMETER_COLUMNS.len(), Value::Empty);
                rows.push(head);
            }
            format!("  {}", r.rhs)
        } else if r.op == "~1" || r.op == ":=" || r.op == "~~" {
            r.lhs.clone()
        } else {
            format!("{} {} {}", r.lhs, r.op, r.rhs)
        };
        rows.push(parameter_row(name, r));
    }
    Some(Table {
        title: title.into(),
        columns: PARAMETER_COLUMNS.map(String::from).to_vec(),
        rows,
        notes: vec![],
    })
}

/// A row's cells; a fixed parameter shows its value and blanks, as in lavaan.
fn parameter_row(name: String, r: &ParameterRow) -> Vec<Value> {
    let name = if r.label.is_empty() {
        name
    } else {
        format!("{name} ({})", r.label)
    };
    let opt = |x: f64| {
        if r.free == 0 && r.op != ":=" || !x.is_finite() {
            Value::Empty
        } else {
            Value::Num(x)
        }
    };
    vec![
        Value::Text(name),
        Value::Num(r.est),
        opt(r.se),
        opt(r.z),
        opt(r.p),
        Value::Num(r.ci_lower),
        Value::Num(r.ci_upper),
        Value::Num(r.std_lv),
        Value::Num(r.std_all),
    ]
}

/// The `==`, `<` and `>` constraints the user wrote, with |lhs − rhs| at the estimate (lavaan's
/// summary() block and its |Slack| column).
fn constraint_table(fit: &SemFit) -> Option<Table> {
    let rows: Vec<Vec<Value>> = fit
        .constraint_values()
        .into_iter()
        .map(|c| vec![Value::Text(c.text), Value::Num(c.slack)])
        .collect();
    (!rows.is_empty()).then(|| Table {
        title: "Constraints".into(),
        columns: vec![String::new(), "|Slack|".into()],
        rows,
        notes: vec![],
    })
}

pub(super) fn num(x: f64) -> Json {
    if x.is_finite() {
        json!(x)
    } else {
        Json::Null
    }
}

/// One row of the JSON `parameters` (lavaan's parameterEstimates columns), for single- and
/// multi-group fits alike.
pub(super) fn parameter_json(r: &ParameterRow) -> Json {
    json!({
        "lhs": r.lhs, "op": r.op, "rhs": r.rhs, "label": r.label, "free": r.free,
        "est": num(r.est), "se": num(r.se), "z": num(r.z), "p": num(r.p),
        "ci_lower": num(r.ci_lower), "ci_upper": num(r.ci_upper),
        "std_lv": num(r.std_lv), "std_all": num(r.std_all),
    })
}

/// The JSON `fit` object: every fit measure by lavaan's name, dots as underscores.
pub(super) fn fit_json(f: &crate::sem::FitMeasures) -> Map<String, Json> {
    f.pairs()
        .into_iter()
        .map(|(k, v)| (k.to_string(), num(v)))
        .collect()
}

/// The JSON document of `cipa sem` (docs/json-schema.md, "sem"): `options` and `data` as the
/// command resolved them.
pub fn sem_json(fit: &SemFit, data: Json, options: Json) -> Json {
    let parameters: Vec<Json> = fit.parameters.iter().map(parameter_json).collect();
    let fit_obj = fit_json(&fit.fit);
    let r2: Map<String, Json> = fit.r2.iter().map(|(k, v)| (k.clone(), num(*v))).collect();
    json!({
        "cipa_version": crate::VERSION,
        "command": "sem",
        "version": crate::VERSION,
        "data": data,
        "options": options,
        "n": fit.n,
        "dropped_lines": fit.dropped_lines,
        "estimation": {
            "iterations": fit.iterations, "gradient": num(fit.gradient), "n_free": fit.n_free,
        },
        "parameters": parameters,
        "fit": fit_obj,
        "r2": r2,
        "observed": fit.observed,
    })
}

/// What `cipa sem` adds to the fit's report: the reliability of each latent, the warnings,
/// and on request the modification indices above a threshold (largest first) and the
/// residuals.
pub struct SemDiagnostics {
    pub reliability: Vec<crate::sem::reliability::LatentReliability>,
    /// The threshold and the indices above it.
    pub modindices: Option<(f64, Vec<crate::sem::ModIndex>)>,
    pub residuals: Option<crate::sem::Residuals>,
}

/// Adds the diagnostics to the report of [`sem_report`]: sections after the parameters, the
/// fit's warnings among the report's warnings.
pub fn add_sem_diagnostics(report: &mut Report, fit: &SemFit, d: &SemDiagnostics) {
    report
        .warnings
        .extend(fit.warnings.iter().map(|w| w.to_string()));
    if !d.reliability.is_empty() {
        report.sections.push(Section {
            heading: "Reliability".into(),
            tables: vec![reliability_table(&d.reliability)],
        });
    }
    let lms = crate::sem::interaction::InteractionMethod::Lms;
    if d.reliability.is_empty() && fit.interactions.iter().any(|t| t.method == lms) {
        report.notes.push("Reliability: not reported for an LMS fit (omega and AVE need the model-implied moments of one normal model; LMS's items follow a mixture over the quadrature nodes, and semTools' compRelSEM has no LMS counterpart).".into());
    }
    if let Some((threshold, mi)) = &d.modindices {
        report.sections.push(Section {
            heading: "Modification Indices".into(),
            tables: vec![modindices_table(*threshold, mi)],
        });
    }
    if let Some(r) = &d.residuals {
        report.sections.push(Section {
            heading: "Residual Correlations".into(),
            tables: vec![residual_table(&fit.observed, &r.cor_bollen.cov)],
        });
    }
}

/// The omega and AVE of each latent (one fit, or one group of a grouped fit).
pub fn reliability_table(rel: &[crate::sem::reliability::LatentReliability]) -> Table {
    Table {
        title: "Reliability".into(),
        columns: vec![String::new(), "Omega".into(), "AVE".into()],
        rows: rel
            .iter()
            .map(|r| {
                vec![
                    Value::Text(r.latent.clone()),
                    Value::Num(r.omega),
                    Value::Num(r.ave),
                ]
            })
            .collect(),
        notes: vec![
            "semTools' compRelSEM (omega) and AVE with their defaults: unstandardized loadings and the latent's variance over the observed total (omega) or item (AVE) variance.".into(),
        ],
    }
}

/// The `reliability` array of the JSON documents (docs/json-schema.md).
pub fn reliability_json(rel: &[crate::sem::reliability::LatentReliability]) -> Json {
    Json::Array(
        rel.iter()
            .map(|r| json!({"latent": r.latent, "omega": num(r.omega), "ave": num(r.ave)}))
            .collect(),
    )
}

fn modindices_table(threshold: f64, mi: &[crate::sem::ModIndex]) -> Table {
    Table {
        title: "Modification Indices".into(),
        columns: ["", "op", "rhs", "MI", "EPC", "sEPC.lv", "sEPC.all", "sEPC.nox"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: mi
            .iter()
            .map(|m| {
                vec![
                    Value::Text(m.lhs.clone()),
                    Value::Text(m.op.clone()),
                    Value::Text(m.rhs.clone()),
                    Value::Num(m.mi),
                    Value::Num(m.epc),
                    Value::Num(m.sepc_lv),
                    Value::Num(m.sepc_all),
                    Value::Num(m.sepc_nox),
                ]
            })
            .collect(),
        notes: vec![format!(
            "lavaan's modindices(): the parameters the model leaves out or fixes with an MI above {threshold}, largest first (expected information)."
        )],
    }
}

fn residual_table(names: &[String], cor: &crate::sem::Mat) -> Table {
    let mut columns = vec![String::new()];
    columns.extend(names.iter().cloned());
    let rows = (0..names.len())
        .map(|i| {
            let mut row = vec![Value::Text(names[i].clone())];
            row.extend((0..names.len()).map(|j| {
                if j <= i {
                    Value::Num(cor[(i, j)])
                } else {
                    Value::Empty
                }
            }));
            row
        })
        .collect();
    Table {
        title: "Residual Correlations".into(),
        columns,
        rows,
        notes: vec![
            "lavaan's residuals(type = \"cor\"): sample correlations minus model-implied correlations.".into(),
        ],
    }
}

/// The diagnostics' fields of the JSON document (docs/json-schema.md, "sem").
pub fn sem_diagnostics_json(fit: &SemFit, d: &SemDiagnostics) -> Map<String, Json> {
    let mut out = Map::new();
    let to = |v: serde_json::Result<Json>| v.unwrap_or(Json::Null);
    out.insert("warnings".into(), to(serde_json::to_value(&fit.warnings)));
    out.insert("reliability".into(), reliability_json(&d.reliability));
    if let Some((threshold, mi)) = &d.modindices {
        let rows: Vec<Json> = mi
            .iter()
            .map(|m| {
                json!({"lhs": m.lhs, "op": m.op, "rhs": m.rhs, "mi": num(m.mi),
                       "epc": num(m.epc), "sepc_lv": num(m.sepc_lv),
                       "sepc_all": num(m.sepc_all), "sepc_nox": num(m.sepc_nox)})
            })
            .collect();
        out.insert(
            "modindices".into(),
            json!({"threshold": threshold, "rows": rows}),
        );
    }
    if let Some(r) = &d.residuals {
        let moments = |m: &crate::sem::residuals::ResidualMoments| {
            let cov: Vec<Vec<Json>> = m
                .cov
                .data
                .chunks(m.cov.cols.max(1))
                .map(|row| row.iter().map(|&v| num(v)).collect())
                .collect();
            let mean: Option<Vec<Json>> =
                m.mean.as_ref().map(|v| v.iter().map(|&x| num(x)).collect());
            json!({"cov": cov, "mean": mean})
        };
        out.insert(
            "residuals".into(),
            json!({"raw": moments(&r.raw), "cor_bollen": moments(&r.cor_bollen),
                   "cor_bentler": moments(&r.cor_bentler), "normalized": moments(&r.normalized),
                   "standardized": moments(&r.standardized)}),
        );
    }
    out
}
