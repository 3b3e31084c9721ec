//! The counterfactually defined effects of `xmint`, laid out as PROCESS 4.3.1 prints them: the
//! (pure) natural direct effect and the controlled direct effect with their t tests, then the
//! (total) natural indirect effect with its bootstrap interval; after them, the effects PROCESS
//! leaves out (total natural direct, pure natural indirect, and the total effect).

use crate::analysis::{Analysis, EffectResult};
use crate::effects::EffectKind;

use super::{Section, Table, Value};

/// The section, or `None` when the analysis has no counterfactual effects.
pub fn counterfactual_section(a: &Analysis) -> Option<Section> {
    let cf = a.counterfactual.as_ref()?;
    let of = |k: EffectKind| a.effects.iter().filter(move |e| e.def.kind == k);
    let m = a.spec.mediators.first().cloned().unwrap_or_default();
    let cde_note = format!(
        "{m} held at {:.4}{}.",
        cf.cde_m,
        if cf.cde_m_is_mean {
            " (its mean)"
        } else {
            " (--cdeval)"
        }
    );
    let boot = a.bootstrap.is_some();
    let mut tables = vec![
        direct_table(
            "(Pure) Natural direct effect of X on Y",
            of(EffectKind::PureNaturalDirect),
            vec![],
        ),
        direct_table(
            "Controlled direct effect of X on Y",
            of(EffectKind::ControlledDirect),
            vec![cde_note],
        ),
        indirect_table(
            "(Total) Natural indirect effect(s) of X on Y",
            of(EffectKind::TotalNaturalIndirect),
            boot,
            vec![],
        ),
    ];
    tables.push(direct_table(
        "(Total) Natural direct effect of X on Y",
        of(EffectKind::TotalNaturalDirect),
        vec!["Beyond PROCESS's output: the total natural direct effect, the pure natural indirect effect and the total effect (pure natural direct + total natural indirect = total natural direct + pure natural indirect).".into()],
    ));
    tables.push(indirect_table(
        "(Pure) Natural indirect effect(s) of X on Y",
        of(EffectKind::PureNaturalIndirect),
        boot,
        vec![],
    ));
    tables.push(indirect_table(
        "Total effect of X on Y (sum of direct and indirect effects)",
        of(EffectKind::CounterfactualTotal),
        boot,
        vec![],
    ));
    Some(Section {
        heading: "COUNTERFACTUALLY DEFINED DIRECT AND INDIRECT EFFECTS OF X ON Y".into(),
        tables,
    })
}

/// The notes PROCESS prints about the counterfactual states, and how cipa computed the effects.
pub fn counterfactual_notes(a: &Analysis) -> Vec<String> {
    let Some(cf) = a.counterfactual.as_ref() else {
        return Vec::new();
    };
    let mut notes = vec![format!(
        "Direct, indirect, and total effects are counterfactually defined assuming X by M interaction and with the following reference (x_ref) and counterfactual (x_cf) states for X: x_ref = {:.4}, x_cf = {:.4}.",
        cf.x_ref, cf.x_cf
    )];
    let covariates: Vec<String> = cf
        .covariates
        .iter()
        .map(|(c, v)| format!("{c} = {v:.4}"))
        .collect();
    notes.push(format!(
        "The natural effects take M at its value predicted from X{}; the natural and controlled direct effects' tests hold that prediction fixed, as PROCESS's do.",
        if covariates.is_empty() {
            String::new()
        } else {
            format!(
                " with the covariates at their sample means ({})",
                covariates.join(", ")
            )
        }
    ));
    notes
}

fn direct_table<'a>(
    title: &str,
    rows: impl Iterator<Item = &'a EffectResult>,
    notes: Vec<String>,
) -> Table {
    Table {
        title: title.into(),
        columns: ["", "Effect", "se", "t", "p", "LLCI", "ULCI"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .map(|e| {
                vec![
                    Value::Text(e.def.focal.clone()),
                    Value::Num(e.effect),
                    e.se.map_or(Value::Empty, Value::Num),
                    e.stat.map_or(Value::Empty, Value::Num),
                    e.p.map_or(Value::Empty, Value::Num),
                    Value::Num(e.ci_lower),
                    Value::Num(e.ci_upper),
                ]
            })
            .collect(),
        notes,
    }
}

/// An effect with its bootstrap interval (only the effect without a bootstrap, as PROCESS).
fn indirect_table<'a>(
    title: &str,
    rows: impl Iterator<Item = &'a EffectResult>,
    boot: bool,
    notes: Vec<String>,
) -> Table {
    let mut columns = vec![String::new(), "Effect".to_string()];
    if boot {
        columns.extend(["BootSE", "BootLLCI", "BootULCI"].map(String::from));
    }
    Table {
        title: title.into(),
        columns,
        rows: rows
            .map(|e| {
                let mut r = vec![Value::Text(e.def.path.join(" -> ")), Value::Num(e.effect)];
                if boot {
                    r.extend([
                        e.boot_se.map_or(Value::Empty, Value::Num),
                        Value::Num(e.ci_lower),
                        Value::Num(e.ci_upper),
                    ]);
                }
                r
            })
            .collect(),
        notes,
    }
}
