use crate::simulate::power::{EffectTarget, PowerSummary};

use super::{Report, Section, Table, Value};

/// The text/Markdown/CSV report of `cipa power`: one table per effect, one row per sample size.
pub fn power_report(summary: &PowerSummary, header: Vec<(String, String)>) -> Report {
    let tables = summary
        .settings
        .effects
        .iter()
        .map(|e| effect_table(summary, e))
        .collect();
    Report {
        title: "Monte Carlo power analysis".into(),
        header,
        sections: vec![Section {
            heading: "Power by effect and sample size".into(),
            tables,
        }],
        warnings: Vec::new(),
        notes: notes(summary),
        decimals: 4,
    }
}

/// One effect's power, bias and coverage at each sample size.
fn effect_table(summary: &PowerSummary, e: &EffectTarget) -> Table {
    let num = |v: Option<f64>| v.filter(|x| x.is_finite()).map_or(Value::Empty, Value::Num);
    Table {
        title: e.name.clone(),
        columns: [
            "n",
            "reps",
            "failed",
            "power",
            "MC SE",
            "mean est.",
            "SD est.",
            "truth",
            "bias",
            "coverage",
            "MC SE cov.",
            "mean CI width",
        ]
        .map(String::from)
        .to_vec(),
        rows: summary
            .rows
            .iter()
            .filter(|r| r.effect == e.name)
            .map(|r| {
                vec![
                    Value::Int(r.n as i64),
                    Value::Int(r.reps as i64),
                    Value::Int(r.failed as i64),
                    num(Some(r.power)),
                    num(Some(r.power_se)),
                    num(Some(r.mean_estimate)),
                    num(Some(r.sd_estimate)),
                    num(r.truth),
                    num(r.bias),
                    num(r.coverage),
                    num(r.coverage_se),
                    num(Some(r.mean_ci_width)),
                ]
            })
            .collect(),
        notes: vec![match e.truth {
            Some(t) => format!("Truth {}: {}.", short(t), e.truth_note),
            None => format!("No bias or coverage: {}.", e.truth_note),
        }],
    }
}

/// What power and coverage mean here, the fixed probe values, and the failed replications.
fn notes(summary: &PowerSummary) -> Vec<String> {
    let s = &summary.settings;
    let mut notes = vec![format!(
        "Power: share of the successful replications whose {}% {} interval excludes zero; MC SE = sqrt(p(1 - p) / reps). Coverage: share of intervals containing the truth.",
        s.conf,
        if s.boot > 0 { s.ci.label() } else { "t" }
    )];
    if !s.probes.is_empty() {
        let list: Vec<String> = s
            .probes
            .iter()
            .map(|(m, v)| {
                let v: Vec<String> = v.iter().map(|x| format!("{x}")).collect();
                format!("{m} = {}", v.join(", "))
            })
            .collect();
        notes.push(format!(
            "Conditional effects are probed at the same values in every replication (the pilot sample's probe points): {}.",
            list.join("; ")
        ));
    }
    if s.effects.iter().any(|e| e.name.starts_with("coef:")) {
        notes.push(
            "Coefficients use their t (OLS) or z (logistic) interval, not the bootstrap.".into(),
        );
    }
    for (why, k) in &summary.failures {
        notes.push(format!("{k} replication(s) failed: {why}"));
    }
    notes
}

/// A truth without binary noise: 0.0196, not 0.019600000000000003.
fn short(v: f64) -> String {
    let s = format!("{v:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
