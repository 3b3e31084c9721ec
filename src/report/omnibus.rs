//! The omnibus tests of a multicategorical X's codes in the report, where PROCESS prints them:
//! "Omnibus test of direct effect of X on Y" and "... of total effect ..." under the relative
//! direct and total effects, "Test of equality of conditional means" under the conditional
//! effects of X in the equation that moderates it; and (beyond PROCESS, which shows only the
//! model summary there) the test of X's codes in each mediator's equation.

use crate::analysis::{Analysis, OmnibusKind, OmnibusTest};

use super::{Section, Table, Value};

/// The table of some omnibus tests: the probe point's moderator values first for conditional
/// tests, then R2-chng, F, df1, df2, p.
fn table(title: String, tests: &[&OmnibusTest], robust: Option<&str>) -> Table {
    let at_cols: Vec<String> = tests
        .first()
        .map(|t| t.at.iter().map(|(m, _)| m.clone()).collect())
        .unwrap_or_default();
    let mut columns = if at_cols.is_empty() {
        vec![String::new()]
    } else {
        at_cols
    };
    let chisq = tests.iter().any(|t| t.test.chisq.is_some());
    if chisq {
        columns.extend(["Chi-sq", "df", "p"].map(String::from));
    } else {
        columns.extend(["R2-chng", "F", "df1", "df2", "p"].map(String::from));
    }
    let rows = tests
        .iter()
        .map(|t| {
            let mut row: Vec<Value> = if t.at.is_empty() {
                vec![Value::Empty]
            } else {
                t.at.iter().map(|(_, l)| Value::Text(l.clone())).collect()
            };
            let s = &t.test;
            match s.chisq {
                Some(c) => row.extend([c, s.df1, s.p].map(Value::Num)),
                None => row.extend([s.r2_change, s.f, s.df1, s.df2, s.p].map(Value::Num)),
            }
            row
        })
        .collect();
    Table {
        title,
        columns,
        rows,
        notes: robust
            .map(|c| {
                format!("F is a Wald test using the {c} covariance; R2-chng is from the OLS fit.")
            })
            .into_iter()
            .collect(),
    }
}

fn robust(a: &Analysis, outcome: &str) -> Option<&'static str> {
    let cov = a
        .equations
        .iter()
        .map(|(f, _)| f)
        .chain(a.total_model.as_ref())
        .find(|f| f.outcome == outcome)?
        .cov_type;
    cov.is_robust().then(|| cov.label())
}

/// PROCESS's omnibus test of the relative direct (or total) effects of X on Y, for the effects
/// section.
pub(super) fn effect_table(a: &Analysis, kind: OmnibusKind) -> Option<Table> {
    let t = a
        .omnibus
        .iter()
        .find(|t| t.kind == kind && t.outcome == a.spec.y)?;
    let what = if kind == OmnibusKind::Total {
        "total"
    } else {
        "direct"
    };
    let title = if t.test.chisq.is_some() {
        format!("Omnibus likelihood ratio test of {what} effect of X on Y")
    } else {
        format!("Omnibus test of {what} effect of X on Y")
    };
    Some(table(title, &[t], robust(a, &t.outcome)))
}

/// Adds to each equation's section the omnibus tests of X's codes that belong there: a mediator's
/// equation that does not moderate X, and the equality of conditional means where X is moderated
/// (shown when X's conditional effects are).
pub(super) fn add_to_equations(sections: &mut [Section], a: &Analysis) {
    for s in sections.iter_mut() {
        let Some(outcome) = s.heading.strip_prefix("Outcome Variable: ") else {
            continue;
        };
        let mine = |k: OmnibusKind| -> Vec<&OmnibusTest> {
            a.omnibus
                .iter()
                .filter(|t| t.kind == k && t.outcome == outcome)
                .collect()
        };
        let direct = mine(OmnibusKind::Direct);
        if outcome != a.spec.y && !direct.is_empty() {
            let title = format!(
                "Omnibus test of the relative effects of X ({})",
                direct[0].variable
            );
            s.tables.push(table(title, &direct, robust(a, outcome)));
        }
        let joint = mine(OmnibusKind::ConditionalInteraction);
        let mut products: Vec<&str> = joint.iter().map(|t| t.variable.as_str()).collect();
        products.dedup();
        for product in products {
            let tests: Vec<&OmnibusTest> = joint
                .iter()
                .copied()
                .filter(|t| t.variable == product)
                .collect();
            let z = tests[0].at.first().map_or("", |(m, _)| m.as_str());
            let title = format!("Test of conditional {product} interaction at value(s) of {z}");
            let mut t = table(title, &tests, robust(a, outcome));
            t.notes.insert(
                0,
                format!(
                    "Jointly over the product's columns: {}.",
                    tests[0].test.terms.join(", ")
                ),
            );
            s.tables.push(t);
        }
        let conditional = mine(OmnibusKind::Conditional);
        let shown = a.conditional.iter().any(|c| {
            c.outcome == outcome
                && c.probed
                && conditional[..]
                    .first()
                    .is_some_and(|t| t.test.terms.contains(&c.focal))
        });
        if shown {
            let title = if conditional[0].test.chisq.is_some() {
                "Test of equality of conditional logits or probabilities".to_string()
            } else {
                "Test of equality of conditional means".to_string()
            };
            let mut t = table(title, &conditional, robust(a, outcome));
            t.notes.insert(
                0,
                format!(
                    "H0: every relative conditional effect of {} is zero at these values.",
                    conditional[0].variable
                ),
            );
            s.tables.push(t);
        }
    }
}
