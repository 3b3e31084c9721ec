//! The effects section of cipa's JSON (`effects.direct`, `indirect`, `total_indirect`,
//! `index_of_moderated_mediation`) for PROCESS's direct, indirect and conditional effects and
//! indices.

use serde_json::Value;

use super::lookup::{effects, moderators, nearest, row_col, same, same_path, str_of, Got};
use super::reference::Loc;

pub fn lookup_effect(c: &Value, loc: &Loc) -> Got {
    match loc {
        Loc::Direct { col } => {
            let e = effects(c, "direct")
                .find(|e| moderators(e).is_empty())
                .ok_or("cipa reports no unconditional direct effect")?;
            row_col(e, &[], col)
        }
        Loc::ConditionalDirect { at, col } => {
            let rows = effects(c, "direct").map(|e| (e, moderators(e)));
            let (e, have) = nearest(rows, at)?;
            row_col(e, &have, col)
        }
        Loc::Indirect { path, total, col } => {
            let e = if *total {
                effects(c, "total_indirect").find(|e| moderators(e).is_empty())
            } else {
                effects(c, "indirect").find(|e| same_path(e, path) && moderators(e).is_empty())
            };
            let e = e.ok_or_else(|| {
                format!("cipa reports no unconditional indirect effect along {path:?}")
            })?;
            row_col(e, &[], col)
        }
        Loc::ConditionalIndirect { path, at, col } => {
            let rows = effects(c, "indirect")
                .filter(|e| same_path(e, path))
                .map(|e| (e, moderators(e)));
            let (e, have) = nearest(rows, at)?;
            row_col(e, &have, col)
        }
        Loc::Index {
            path,
            kind,
            index_of,
            at,
            col,
        } => {
            let cipa_kind = match kind.as_str() {
                "Index of moderated mediation" => "index_of_moderated_mediation",
                "Indices of partial moderated mediation" => "partial_index",
                "Index of moderated moderated mediation" => "moderated_moderated_index",
                k if k.starts_with("Indices of conditional moderated mediation by ") => {
                    "conditional_index"
                }
                k => return Err(format!("no mapping for the index '{k}'")),
            };
            let rows = effects(c, "index_of_moderated_mediation")
                .filter(|e| {
                    str_of(e, "kind") == cipa_kind
                        && same_path(e, path)
                        && (index_of.is_empty() || same(str_of(e, "label"), index_of))
                })
                .map(|e| (e, moderators(e)));
            let (e, have) = nearest(rows, at)?;
            row_col(e, &have, col)
        }
        // The counterfactual effects of --xmint (PROCESS's xmint=1), by kind.
        Loc::NaturalDirect { col } => {
            row_col(counterfactual(c, "pure_natural_direct", None)?, &[], col)
        }
        Loc::ControlledDirect { col } => {
            row_col(counterfactual(c, "controlled_direct", None)?, &[], col)
        }
        Loc::NaturalIndirect { path, col } => row_col(
            counterfactual(c, "total_natural_indirect", Some(path))?,
            &[],
            col,
        ),
        Loc::BootArtefact { .. } => Err("not a quantity".into()),
        _ => Err(format!("no mapping for {loc:?}")),
    }
}

/// The counterfactual effect of `kind` (`effects.counterfactual`), along `path` when given.
fn counterfactual<'a>(
    c: &'a Value,
    kind: &str,
    path: Option<&[String]>,
) -> Result<&'a Value, String> {
    effects(c, "counterfactual")
        .find(|e| str_of(e, "kind") == kind && path.is_none_or(|p| same_path(e, p)))
        .ok_or_else(|| format!("cipa reports no {kind} effect"))
}
