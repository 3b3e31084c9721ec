//! The per-equation sections of a reference file: model summary, coefficients, tests of highest
//! order interactions, conditional effects, conditional interaction tests, Johnson-Neyman.

use serde_json::Value;

use super::reference::{array, num, show_at, table_rows, text, texts, Loc, Quantity, Roles};

pub fn equation(roles: &Roles, eq: &Value, q: &mut Vec<Quantity>) -> Result<(), String> {
    let outcome = text(eq, "outcome");
    if let Some(s) = eq.get("summary").and_then(Value::as_object) {
        for (col, v) in s {
            q.push(Quantity {
                kind: "equation summary".into(),
                what: format!("{outcome} | summary | {col}"),
                value: num(v, col)?,
                loc: Loc::Summary {
                    outcome: outcome.clone(),
                    col: col.clone(),
                },
            });
        }
    }
    coefficients(eq, &outcome, q)?;
    for t in array(eq, "highest_order_tests") {
        let label = text(t, "label");
        let products = roles.products(&label)?;
        for (col, v) in t.as_object().into_iter().flatten() {
            if col == "label" {
                continue;
            }
            q.push(Quantity {
                kind: format!("interaction test {label}"),
                what: format!("{outcome} | highest order test {label} | {col}"),
                value: num(v, col)?,
                loc: Loc::InteractionTest {
                    outcome: outcome.clone(),
                    label: label.clone(),
                    products: products.clone(),
                    col: col.clone(),
                },
            });
        }
    }
    conditional(eq, &outcome, q)?;
    johnson_neyman(eq, &outcome, q)
}

fn coefficients(eq: &Value, outcome: &str, q: &mut Vec<Quantity>) -> Result<(), String> {
    for c in array(eq, "coefficients") {
        let term = text(c, "term");
        let factors = if term == "constant" {
            Vec::new()
        } else if term.starts_with("Int_") {
            let f = texts(&eq["product_terms"], &term);
            if f.is_empty() {
                return Err(format!("{outcome}: {term} is not in the product-terms key"));
            }
            f
        } else {
            vec![term.clone()]
        };
        for col in ["coeff", "se", "t", "p", "LLCI", "ULCI"] {
            let v = c
                .get(col)
                .ok_or_else(|| format!("{outcome} | {term}: no {col}"))?;
            q.push(Quantity {
                kind: "coefficient".into(),
                what: format!("{outcome} | {term} ({}) | {col}", factors.join("*")),
                value: num(v, col)?,
                loc: Loc::Coefficient {
                    outcome: outcome.to_string(),
                    term: term.clone(),
                    factors: factors.clone(),
                    col: col.into(),
                },
            });
        }
    }
    Ok(())
}

/// Conditional effects (moderator columns first) and the conditional interaction tests of
/// three-way models (the conditioning moderator, Z, first).
fn conditional(eq: &Value, outcome: &str, q: &mut Vec<Quantity>) -> Result<(), String> {
    for ce in array(eq, "conditional_effects") {
        let focal = text(ce, "focal");
        let mods = texts(ce, "moderators");
        let what = format!("{outcome} | conditional effects of {focal}");
        for (at, cells) in table_rows(&texts(ce, "columns"), array(ce, "rows"), mods.len(), &what)?
        {
            for (col, value) in cells {
                q.push(Quantity {
                    kind: "conditional effect".into(),
                    what: format!("{what} | {} | {col}", show_at(&at)),
                    value,
                    loc: Loc::ConditionalEffect {
                        outcome: outcome.to_string(),
                        focal: focal.clone(),
                        at: at.clone(),
                        col,
                    },
                });
            }
        }
    }
    for ct in array(eq, "conditional_interaction_tests") {
        let focal = text(ct, "focal");
        let mods = texts(ct, "moderators");
        let what = format!("{outcome} | conditional {focal}*{} interaction", mods[0]);
        for (at, cells) in table_rows(&texts(ct, "columns"), array(ct, "rows"), 1, &what)? {
            for (col, value) in cells {
                q.push(Quantity {
                    kind: "conditional interaction test".into(),
                    what: format!("{what} | {} | {col}", show_at(&at)),
                    value,
                    loc: Loc::ConditionalInteraction {
                        outcome: outcome.to_string(),
                        focal: focal.clone(),
                        moderators: mods.clone(),
                        at: at.clone(),
                        col,
                    },
                });
            }
        }
    }
    Ok(())
}

fn johnson_neyman(eq: &Value, outcome: &str, q: &mut Vec<Quantity>) -> Result<(), String> {
    for jn in array(eq, "johnson_neyman") {
        let focal = text(jn, "focal");
        let mods = texts(jn, "moderators");
        let what = format!("{outcome} | JN of {focal} along {}", mods.join("*"));
        for (index, root) in array(jn, "roots").iter().enumerate() {
            let value = num(&root["value"], "JN point")?;
            for (col, v) in root.as_object().into_iter().flatten() {
                q.push(Quantity {
                    kind: "JN transition point".into(),
                    what: format!("{what} | point {} | {col}", index + 1),
                    value: num(v, col)?,
                    loc: Loc::JnRoot {
                        outcome: outcome.to_string(),
                        focal: focal.clone(),
                        moderators: mods.clone(),
                        value,
                        col: col.clone(),
                    },
                });
            }
        }
        let rows = table_rows(&texts(jn, "columns"), array(jn, "table"), 0, &what)?;
        for (row, (_, cells)) in rows.into_iter().enumerate() {
            for (col, value) in cells {
                q.push(Quantity {
                    kind: "JN table".into(),
                    what: format!("{what} | row {} | {col}", row + 1),
                    value,
                    loc: Loc::JnRow {
                        outcome: outcome.to_string(),
                        focal: focal.clone(),
                        moderators: mods.clone(),
                        row,
                        col,
                    },
                });
            }
        }
    }
    Ok(())
}
