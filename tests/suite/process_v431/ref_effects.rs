//! The effect sections of a reference file: direct, conditional direct, indirect and conditional
//! indirect effects with their indices, and the counterfactual effects of `xmint=1`.

use serde_json::Value;

use super::reference::{array, num, show_at, table_rows, text, texts, At, Loc, Quantity, Roles};

/// Columns of an effect row that are not moderator values.
const EFFECT_COLUMNS: [&str; 10] = [
    "effect", "Effect", "se", "t", "p", "LLCI", "ULCI", "BootSE", "BootLLCI", "BootULCI",
];

fn moderator_columns(columns: &[String]) -> usize {
    columns
        .iter()
        .take_while(|c| !EFFECT_COLUMNS.contains(&c.as_str()))
        .count()
}

/// A one-row effect object (`{effect, se, t, p, LLCI, ULCI}`) as quantities.
fn effect_object(
    o: &Value,
    kind: &str,
    loc: impl Fn(String) -> Loc,
    q: &mut Vec<Quantity>,
) -> Result<(), String> {
    for (col, v) in o.as_object().into_iter().flatten() {
        q.push(Quantity {
            kind: kind.into(),
            what: format!("{kind} | {col}"),
            value: num(v, col)?,
            loc: loc(col.clone()),
        });
    }
    Ok(())
}

pub fn effects(roles: &Roles, doc: &Value, q: &mut Vec<Quantity>) -> Result<(), String> {
    let direct = array(doc, "direct_effects");
    if direct.len() > 1 {
        return Err(format!("{} direct effects; expected one", direct.len()));
    }
    for d in direct {
        effect_object(d, "direct effect", |col| Loc::Direct { col }, q)?;
    }
    if let Some(cd) = doc
        .get("conditional_direct_effects")
        .filter(|v| !v.is_null())
    {
        let columns = texts(cd, "columns");
        let k = moderator_columns(&columns);
        let what = "conditional direct effect";
        for (at, cells) in table_rows(&columns, array(cd, "rows"), k, what)? {
            for (col, value) in cells {
                q.push(Quantity {
                    kind: what.into(),
                    what: format!("{what} | {} | {col}", show_at(&at)),
                    value,
                    loc: Loc::ConditionalDirect {
                        at: at.clone(),
                        col,
                    },
                });
            }
        }
    }
    let key = &doc["indirect_effect_key"];
    for ind in array(doc, "indirect_effects") {
        let label = text(ind, "label");
        let (path, total) = match label.as_str() {
            "TOTAL" => (Vec::new(), true),
            l if l.starts_with("Ind") => (texts(key, l), false),
            m => (vec![roles.x.clone(), m.to_string(), roles.y.clone()], false),
        };
        if path.is_empty() && !total {
            return Err(format!("indirect effect {label} is not in the key"));
        }
        q.push(Quantity {
            kind: "indirect effect".into(),
            what: format!("indirect effect {label} ({})", path.join(" -> ")),
            value: num(&ind["Effect"], &label)?,
            loc: Loc::Indirect {
                path,
                total,
                col: "Effect".into(),
            },
        });
    }
    for ci in array(doc, "conditional_indirect_effects") {
        conditional_indirect(roles, ci, q)?;
    }
    Ok(())
}

fn conditional_indirect(roles: &Roles, ci: &Value, q: &mut Vec<Quantity>) -> Result<(), String> {
    let path = texts(ci, "path");
    let natural = ci.get("natural").and_then(Value::as_bool) == Some(true);
    let columns = texts(ci, "columns");
    let k = moderator_columns(&columns);
    let what = format!("indirect effect {}", path.join(" -> "));
    for (at, cells) in table_rows(&columns, array(ci, "rows"), k, &what)? {
        let effect = cells
            .iter()
            .find(|(c, _)| c == "Effect")
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("{what}: no Effect column"))?;
        for (col, value) in cells {
            let (kind, loc) = if natural {
                let p = path.clone();
                (
                    "natural indirect effect",
                    Loc::NaturalIndirect {
                        path: p,
                        col: col.clone(),
                    },
                )
            } else if k == 0 && col.starts_with("Boot") {
                (
                    "boot columns without a bootstrap",
                    Loc::BootArtefact { effect },
                )
            } else if k == 0 {
                let loc = Loc::Indirect {
                    path: path.clone(),
                    total: false,
                    col: col.clone(),
                };
                ("indirect effect", loc)
            } else {
                let loc = Loc::ConditionalIndirect {
                    path: path.clone(),
                    at: at.clone(),
                    col: col.clone(),
                };
                ("conditional indirect effect", loc)
            };
            q.push(Quantity {
                kind: kind.into(),
                what: format!("{what} | {} | {col}", show_at(&at)),
                value,
                loc,
            });
        }
    }
    for ix in array(ci, "indices") {
        index(roles, &path, ix, q)?;
    }
    Ok(())
}

/// A block of indices. `Indices of conditional moderated mediation by W` rows hold the value of
/// the other moderator (Z) and the index of W there; the other blocks name their moderator in the
/// row label (empty for the moderated moderated index).
fn index(roles: &Roles, path: &[String], ix: &Value, q: &mut Vec<Quantity>) -> Result<(), String> {
    let kind = text(ix, "kind");
    let columns = texts(ix, "columns");
    let conditional = kind.starts_with("Indices of conditional moderated mediation by ");
    for row in array(ix, "rows") {
        let label = text(row, "label");
        let values = array(row, "values")
            .iter()
            .map(|v| num(v, &kind))
            .collect::<Result<Vec<_>, _>>()?;
        if values.len() != columns.len() {
            return Err(format!(
                "{kind}: {} values for {} columns",
                values.len(),
                columns.len()
            ));
        }
        let (index_of, at): (String, At) = if conditional {
            let w = roles.w.clone().ok_or("a conditional index without W")?;
            (w, vec![(columns[0].clone(), values[0])])
        } else {
            (label.clone(), Vec::new())
        };
        for (col, value) in columns.iter().zip(&values) {
            q.push(Quantity {
                kind: kind.to_lowercase(),
                what: format!(
                    "{kind} {index_of} of {} | {} | {col}",
                    path.join(" -> "),
                    show_at(&at)
                ),
                value: *value,
                loc: Loc::Index {
                    path: path.to_vec(),
                    kind: kind.clone(),
                    index_of: index_of.clone(),
                    at: at.clone(),
                    col: col.clone(),
                },
            });
        }
    }
    Ok(())
}

pub fn counterfactual(doc: &Value, q: &mut Vec<Quantity>) -> Result<(), String> {
    for d in array(doc, "natural_direct_effect") {
        effect_object(
            d,
            "natural direct effect",
            |col| Loc::NaturalDirect { col },
            q,
        )?;
    }
    for d in array(doc, "controlled_direct_effect") {
        effect_object(
            d,
            "controlled direct effect",
            |col| Loc::ControlledDirect { col },
            q,
        )?;
    }
    Ok(())
}
