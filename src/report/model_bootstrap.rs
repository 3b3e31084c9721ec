//! PROCESS's "Bootstrap results for regression model parameters" (`modelbt`): per outcome, each
//! coefficient with the mean, standard deviation and interval of its bootstrap draws, product
//! terms labelled `Int_1`, `Int_2`, ... as in the outcome's model table.

use crate::analysis::Analysis;

use super::{Section, Table, Value};

/// The section, or `None` without `modelbt`.
pub fn model_bootstrap_section(a: &Analysis) -> Option<Section> {
    if a.model_bootstrap.is_empty() {
        return None;
    }
    let method = a
        .bootstrap
        .as_ref()
        .map_or("percentile", |b| b.method.label());
    let tables = a
        .model_bootstrap
        .iter()
        .map(|eq| {
            let mut products = 0;
            Table {
                title: format!("OUTCOME VARIABLE: {}", eq.outcome),
                columns: ["", "Coeff", "BootMean", "BootSE", "BootLLCI", "BootULCI"]
                    .map(String::from)
                    .to_vec(),
                rows: eq
                    .coefficients
                    .iter()
                    .map(|c| {
                        // The same labels as the model table's product terms key.
                        let label = if c.term.contains(':') {
                            products += 1;
                            format!("Int_{products}")
                        } else {
                            c.term.clone()
                        };
                        vec![
                            Value::Text(label),
                            Value::Num(c.estimate),
                            Value::Num(c.boot_mean),
                            Value::Num(c.boot_se),
                            Value::Num(c.ci_lower),
                            Value::Num(c.ci_upper),
                        ]
                    })
                    .collect(),
                notes: vec![],
            }
        })
        .collect::<Vec<_>>();
    let mut tables = tables;
    if let Some(last) = tables.last_mut() {
        last.notes.push(format!(
            "BootSE is the standard deviation of the bootstrap estimates; the intervals are {method}."
        ));
    }
    Some(Section {
        heading: "BOOTSTRAP RESULTS FOR REGRESSION MODEL PARAMETERS".into(),
        tables,
    })
}
