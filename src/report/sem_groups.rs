//! The report of a multi-group `cipa sem --group VAR` in lavaan's summary() layout for groups
//! (lavaan 0.6, R/lav_print.R): the model test with each group's contribution, the fit
//! measures, then one block of parameter sections and R² per group ("Group 1 [Pasteur]:"),
//! the defined parameters after the groups; and the `--invariance` table. JSON at full
//! precision with `group` (1-based, 0 for `:=` rows) on every parameter (docs/json-schema.md).

use serde_json::{json, Map, Value as Json};

use crate::sem::groups::invariance::{Invariance, DELTA_CFI_CUTOFF, DELTA_RMSEA_CUTOFF};
use crate::sem::groups::GroupedFit;
use crate::sem::reliability::LatentReliability;
use crate::sem::{Estimator, ParameterRow};

use super::sem::{
    df_value, fit_json, fit_measures_table, model_test, num, parameter_json, parameter_table,
    reliability_json, reliability_table, SECTIONS,
};
use super::{Report, Section, Table, Value};

/// The report of a grouped fit; `header` holds the provenance lines.
pub fn sem_groups_report(
    fit: &GroupedFit,
    mut header: Vec<(String, String)>,
    decimals: usize,
) -> Report {
    header.extend(estimation_lines(fit));
    let mut test = model_test(&fit.fit);
    for g in &fit.groups {
        let mut row = vec![
            Value::Text(format!("  {} ({})", g.level, g.n)),
            Value::Num(g.chisq),
        ];
        row.resize(test.columns.len(), Value::Empty);
        test.rows.push(row);
    }
    test.notes.push(
        "The indented rows are each group's contribution n_g·F_g to the test statistic.".into(),
    );
    let mut sections = vec![
        Section {
            heading: "Model Test".into(),
            tables: vec![test],
        },
        Section {
            heading: "Fit Measures".into(),
            tables: vec![fit_measures_table(&fit.fit)],
        },
    ];
    for (k, g) in fit.groups.iter().enumerate() {
        sections.push(group_section(fit, k + 1, &g.level, &g.r2));
    }
    let defined = rows_of(fit, 0);
    if let Some(t) = parameter_table(&defined, "Defined Parameters", |r| r.op == ":=") {
        sections.push(Section {
            heading: "Defined Parameters".into(),
            tables: vec![t],
        });
    }
    Report {
        title: format!("cipa {} · sem (groups)", crate::VERSION),
        header,
        sections,
        warnings: fit.warnings.iter().map(|w| w.to_string()).collect(),
        notes: vec![],
        decimals,
    }
}

fn rows_of(fit: &GroupedFit, group: usize) -> Vec<ParameterRow> {
    fit.parameters
        .iter()
        .filter(|r| r.group == group)
        .map(|r| r.row.clone())
        .collect()
}

/// One group's parameter sections and R².
fn group_section(fit: &GroupedFit, g: usize, level: &str, r2: &[(String, f64)]) -> Section {
    let rows = rows_of(fit, g);
    let mut tables: Vec<Table> = SECTIONS
        .iter()
        .filter(|(title, _)| *title != "Defined Parameters")
        .filter_map(|(title, keep)| parameter_table(&rows, title, *keep))
        .collect();
    if !r2.is_empty() {
        tables.push(Table {
            title: "R-Square".into(),
            columns: vec![String::new(), "Estimate".into()],
            rows: r2
                .iter()
                .map(|(n, v)| vec![Value::Text(n.clone()), Value::Num(*v)])
                .collect(),
            notes: vec![],
        });
    }
    Section {
        heading: format!("Group {g} [{level}]"),
        tables,
    }
}

fn estimation_lines(fit: &GroupedFit) -> Vec<(String, String)> {
    let o = &fit.options;
    let estimator = match o.estimator {
        Estimator::Ml => "ML",
        Estimator::Mlr => "MLR",
    };
    let equal: Vec<&str> = fit.group_options.equal.iter().map(|e| e.name()).collect();
    let mut h = vec![
        ("Estimator".to_string(), estimator.to_string()),
        (
            "Optimization".into(),
            format!(
                "scoring/Newton, {} iterations (largest gradient element {:.1e})",
                fit.iterations, fit.gradient
            ),
        ),
        ("Free parameters".into(), fit.n_free.to_string()),
        ("Number of groups".into(), fit.groups.len().to_string()),
        ("Grouping variable".into(), fit.group.clone()),
    ];
    for g in &fit.groups {
        h.push((format!("Observations, {}", g.level), g.n.to_string()));
    }
    if !equal.is_empty() {
        h.push(("Equal across groups".into(), equal.join(", ")));
    }
    if !fit.group_options.partial.is_empty() {
        h.push((
            // Not "free": an entry may name a fixed row (a marker loading) or one a shared
            // label keeps equal; --group-partial only exempts it from --group-equal.
            "Exempt from --group-equal".into(),
            fit.group_options.partial.join(", "),
        ));
    }
    h
}

/// The JSON document of a grouped `cipa sem`.
pub fn sem_groups_json(fit: &GroupedFit, data: Json, options: Json) -> Json {
    let parameters: Vec<Json> = fit
        .parameters
        .iter()
        .map(|p| {
            let mut row = parameter_json(&p.row);
            row["group"] = json!(p.group);
            row
        })
        .collect();
    let fit_obj = fit_json(&fit.fit);
    let groups: Vec<Json> = fit
        .groups
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let r2: Map<String, Json> = g.r2.iter().map(|(n, v)| (n.clone(), num(*v))).collect();
            let cov: Vec<Vec<Json>> = (0..g.implied_cov.rows)
                .map(|i| {
                    (0..g.implied_cov.cols)
                        .map(|j| num(g.implied_cov[(i, j)]))
                        .collect()
                })
                .collect();
            json!({
                "group": k + 1, "level": g.level, "n": g.n, "chisq": num(g.chisq), "r2": r2,
                "implied_cov": cov,
                "implied_mean": g.implied_mean.iter().map(|v| num(*v)).collect::<Vec<_>>(),
            })
        })
        .collect();
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
        "group": fit.group,
        "groups": groups,
        "parameters": parameters,
        "fit": fit_obj,
        "observed": fit.observed,
        "warnings": serde_json::to_value(&fit.warnings).unwrap_or_default(),
    })
}

/// The `--invariance` table: each level's test, CFI and RMSEA and its comparison with the level
/// before, and a note naming the first level that fails.
pub fn invariance_table(inv: &Invariance) -> Table {
    let columns = [
        "Model",
        "Chisq",
        "Df",
        "CFI",
        "RMSEA",
        "Chisq diff",
        "Df diff",
        "P(>Chisq)",
        "ΔCFI",
        "ΔRMSEA",
        "Chen (2007)",
    ];
    let rows = inv
        .levels
        .iter()
        .map(|l| {
            let mut row = vec![
                Value::Text(l.name.clone()),
                Value::Num(l.chisq),
                df_value(l.df),
                Value::Num(l.cfi),
                Value::Num(l.rmsea),
            ];
            match &l.diff {
                Some(d) => row.extend([
                    Value::Num(d.chisq_diff),
                    df_value(d.df_diff),
                    Value::Num(d.pvalue),
                    Value::Num(d.delta_cfi),
                    Value::Num(d.delta_rmsea),
                    Value::Text(if d.fails_chen { "fails" } else { "holds" }.into()),
                ]),
                None => row.resize(columns.len(), Value::Empty),
            }
            row
        })
        .collect();
    let method = if inv.method == "chisq" {
        "Chisq diff: the likelihood-ratio (chi-square difference) test of each model against the one before (lavTestLRT)."
    } else {
        "Chisq diff: the Satorra-Bentler (2001) scaled difference of each model against the one before (lavTestLRT's default under MLR); Chisq is the standard statistic."
    };
    Table {
        title: "Measurement invariance".into(),
        columns: columns.map(String::from).to_vec(),
        rows,
        notes: vec![
            method.into(),
            format!(
                "Chen (2007): a level fails when CFI changes by {DELTA_CFI_CUTOFF} or less or RMSEA by +{DELTA_RMSEA_CUTOFF} or more."
            ),
            invariance_note(inv),
        ],
    }
}

/// The verdict: the first level that fails, by Chen's cut-offs and by the difference test.
pub fn invariance_note(inv: &Invariance) -> String {
    let chen = match &inv.first_failing {
        Some(l) => format!("Invariance fails first at the {l} level by Chen's (2007) cut-offs"),
        None => "Every level holds by Chen's (2007) cut-offs".into(),
    };
    let test = match &inv.first_rejected {
        Some(l) => format!("the difference test first rejects (p < .05) at the {l} level"),
        None => "no difference test rejects at p < .05".into(),
    };
    format!("{chen}; {test}.")
}

/// The report of `--invariance`: the table, then each level's fit measures.
pub fn invariance_report(
    inv: &Invariance,
    header: Vec<(String, String)>,
    decimals: usize,
) -> Report {
    let mut sections = vec![Section {
        heading: "Measurement Invariance".into(),
        tables: vec![invariance_table(inv)],
    }];
    for l in &inv.levels {
        let mut t = fit_measures_table(&l.fit.fit);
        t.title = format!("Fit measures, {}", l.name);
        sections.push(Section {
            heading: format!("Model {}", l.name),
            tables: vec![model_test(&l.fit.fit), t],
        });
    }
    Report {
        title: format!("cipa {} · sem --invariance", crate::VERSION),
        header,
        sections,
        warnings: vec![],
        notes: vec![invariance_note(inv)],
        decimals,
    }
}

/// The JSON document of `--invariance`.
pub fn invariance_json(inv: &Invariance, data: Json, options: Json) -> Json {
    let levels: Vec<Json> = inv
        .levels
        .iter()
        .map(|l| {
            let d = l.diff.as_ref();
            let fit_obj = fit_json(&l.fit.fit);
            json!({
                "model": l.name,
                "group_equal": l.equal.iter().map(|e| e.name()).collect::<Vec<_>>(),
                "chisq": num(l.chisq), "df": num(l.df), "pvalue": num(l.pvalue),
                "chisq_scaled": l.chisq_scaled.map(num), "scaling_factor": l.scaling_factor.map(num),
                "cfi": num(l.cfi), "rmsea": num(l.rmsea),
                "chisq_diff": d.map(|d| num(d.chisq_diff)), "df_diff": d.map(|d| num(d.df_diff)),
                "pvalue_diff": d.map(|d| num(d.pvalue)), "delta_cfi": d.map(|d| num(d.delta_cfi)),
                "delta_rmsea": d.map(|d| num(d.delta_rmsea)), "fails_chen": d.map(|d| d.fails_chen),
                "fit": fit_obj,
            })
        })
        .collect();
    json!({
        "cipa_version": crate::VERSION,
        "command": "sem",
        "version": crate::VERSION,
        "data": data,
        "options": options,
        "invariance": {
            "method": inv.method, "levels": levels, "first_failing": inv.first_failing,
            "first_rejected": inv.first_rejected, "note": invariance_note(inv),
            "delta_cfi_cutoff": DELTA_CFI_CUTOFF, "delta_rmsea_cutoff": DELTA_RMSEA_CUTOFF,
        },
    })
}

/// Adds each group's reliability (semTools' compRelSEM and AVE, one row per latent) to that
/// group's section of [`sem_groups_report`]; `rel[k]` is group k+1's.
pub fn add_group_reliability(
    report: &mut Report,
    fit: &GroupedFit,
    rel: &[Vec<LatentReliability>],
) {
    for (k, (g, r)) in fit.groups.iter().zip(rel).enumerate() {
        let heading = format!("Group {} [{}]", k + 1, g.level);
        let section = report.sections.iter_mut().find(|s| s.heading == heading);
        if let (Some(s), false) = (section, r.is_empty()) {
            s.tables.push(reliability_table(r));
        }
    }
}

/// Adds `reliability` to each entry of the grouped JSON document's `groups`.
pub fn add_group_reliability_json(doc: &mut Json, rel: &[Vec<LatentReliability>]) {
    if let Some(groups) = doc.get_mut("groups").and_then(Json::as_array_mut) {
        for (g, r) in groups.iter_mut().zip(rel) {
            g["reliability"] = reliability_json(r);
        }
    }
}
