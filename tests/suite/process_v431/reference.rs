//! One output of PROCESS for R v4.3.1 in `../shared/reference/process_v431/NAME.json` (described in
//! `../shared/reference/README.md`), flattened into quantities: every number the file holds
//! outside `resultm` (PROCESS's save=2 matrix, which only repeats printed numbers; see
//! [`resultm_not_printed`]) becomes one [`Quantity`] with a [`Loc`] saying where PROCESS printed it.
//! Roles in the file's `header` turn labels such as `M1*W` or `BOTH(X)` into variable names.
//!
//! Nothing here knows cipa; `lookup.rs` maps a `Loc` onto cipa's JSON.

use serde_json::Value;

/// Moderator values of a table row: `(moderator, value)`.
pub type At = Vec<(String, f64)>;

/// The cells of a table row by column: `(column, value)`.
pub type Cells = Vec<(String, f64)>;

/// Where PROCESS printed a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Loc {
    /// The sample size.
    N,
    /// `Model Summary` of an equation: `R`, `R-sq`, `MSE`, `F`, `df1`, `df2`, `p`.
    Summary {
        outcome: String,
        col: String,
    },
    /// A coefficient: `factors` is empty for the constant, one name for a variable, several for a
    /// product (`Int_k` resolved through the equation's product-terms key).
    Coefficient {
        outcome: String,
        term: String,
        factors: Vec<String>,
        col: String,
    },
    /// A row of `Test(s) of highest order unconditional interaction(s)`: the products tested
    /// jointly (one for `X*W`, two for `BOTH(X)`).
    InteractionTest {
        outcome: String,
        label: String,
        products: Vec<Vec<String>>,
        col: String,
    },
    /// `Conditional effects of the focal predictor at values of the moderator(s)`; `col` is
    /// `effect` ... `ULCI`, or a moderator's name for the probe value itself.
    ConditionalEffect {
        outcome: String,
        focal: String,
        at: At,
        col: String,
    },
    /// `Test of conditional X*W interaction at value(s) of Z` (three-way models).
    ConditionalInteraction {
        outcome: String,
        focal: String,
        moderators: Vec<String>,
        at: At,
        col: String,
    },
    /// A Johnson-Neyman transition point: `value`, `pct_below`, `pct_above`. Points are matched
    /// by `value` (PROCESS's): it lists them in the order its quadratic formula gives the roots,
    /// cipa in increasing order.
    JnRoot {
        outcome: String,
        focal: String,
        moderators: Vec<String>,
        value: f64,
        col: String,
    },
    /// A row of the Johnson-Neyman table (PROCESS's 22 rows); the first column is the moderator.
    JnRow {
        outcome: String,
        focal: String,
        moderators: Vec<String>,
        row: usize,
        col: String,
    },
    /// The (unconditional) direct effect of X.
    Direct {
        col: String,
    },
    /// A conditional direct effect; `col` may be a moderator (the probe value).
    ConditionalDirect {
        at: At,
        col: String,
    },
    /// An unconditional indirect effect along `path`, or the total indirect effect.
    Indirect {
        path: Vec<String>,
        total: bool,
        col: String,
    },
    /// A conditional indirect effect; `col` may be a moderator (the probe value).
    ConditionalIndirect {
        path: Vec<String>,
        at: At,
        col: String,
    },
    /// An index (of moderated, partial, conditional or moderated moderated mediation); `index_of`
    /// is the moderator whose index it is (empty for the moderated moderated index), `at` the
    /// other moderator's value for a conditional index, `col` `Index` or that moderator's name.
    Index {
        path: Vec<String>,
        kind: String,
        index_of: String,
        at: At,
        col: String,
    },
    /// Counterfactual effects (`xmint=1`).
    NaturalDirect {
        col: String,
    },
    ControlledDirect {
        col: String,
    },
    NaturalIndirect {
        path: Vec<String>,
        col: String,
    },
    /// `BootSE`/`BootLLCI`/`BootULCI` of an unconditional indirect effect in models 83-92 run with
    /// boot=0: PROCESS repeats the effect there. Not a quantity; checked to equal `effect`.
    BootArtefact {
        effect: f64,
    },
}

/// One printed number.
#[derive(Debug, Clone)]
pub struct Quantity {
    /// The kind, as the harness's list of missing quantities names it.
    pub kind: String,
    /// A readable address, for messages.
    pub what: String,
    pub value: f64,
    pub loc: Loc,
}

/// The roles of the run, from the file's `header`.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    pub x: String,
    pub y: String,
    pub w: Option<String>,
    pub z: Option<String>,
    pub m: Vec<String>,
}

impl Roles {
    pub fn from_header(h: &Value) -> Roles {
        let s = |k: &str| h.get(k).and_then(Value::as_str).map(str::to_string);
        let mut m: Vec<String> = s("M").into_iter().collect();
        for k in 1.. {
            match s(&format!("M{k}")) {
                Some(v) => m.push(v),
                None => break,
            }
        }
        Roles {
            x: s("X").unwrap_or_default(),
            y: s("Y").unwrap_or_default(),
            w: s("W"),
            z: s("Z"),
            m,
        }
    }

    /// A role letter of PROCESS's labels (`X`, `W`, `Z`, `M`, `M2`) as a variable.
    fn symbol(&self, sym: &str) -> Result<String, String> {
        let missing = || format!("label symbol {sym} has no role in the header");
        match sym {
            "X" => Ok(self.x.clone()),
            "W" => self.w.clone().ok_or_else(missing),
            "Z" => self.z.clone().ok_or_else(missing),
            "M" if self.m.len() == 1 => Ok(self.m[0].clone()),
            _ => sym
                .strip_prefix('M')
                .and_then(|k| k.parse::<usize>().ok())
                .and_then(|k| self.m.get(k.wrapping_sub(1)).cloned())
                .ok_or_else(missing),
        }
    }

    /// The products a row of the interaction tests tests: `X*W` -> [[x, w]]; `BOTH(X)` (and model
    /// 2's `BOTH`) -> [[x, w], [x, z]]; `BOTH(M)` -> [[m, w], [m, z]].
    pub fn products(&self, label: &str) -> Result<Vec<Vec<String>>, String> {
        let focal = match label {
            "BOTH" | "BOTH(X)" => Some("X"),
            "BOTH(M)" => Some("M"),
            _ => None,
        };
        if let Some(f) = focal {
            return Ok(vec![
                vec![self.symbol(f)?, self.symbol("W")?],
                vec![self.symbol(f)?, self.symbol("Z")?],
            ]);
        }
        let product = label
            .split('*')
            .map(|s| self.symbol(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(vec![product])
    }
}

pub(super) fn num(v: &Value, what: &str) -> Result<f64, String> {
    v.as_f64()
        .ok_or_else(|| format!("{what}: expected a number, found {v}"))
}

pub(super) fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub(super) fn texts(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Rows of a table whose first `k` columns are moderator values: each row as (at, [(col, x)]).
pub(super) fn table_rows(
    columns: &[String],
    rows: &[Value],
    k: usize,
    what: &str,
) -> Result<Vec<(At, Cells)>, String> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let cells = r
            .as_array()
            .ok_or_else(|| format!("{what}: row {i} is not an array"))?;
        if cells.len() != columns.len() {
            return Err(format!(
                "{what}: row {i} has {} cells for {} columns",
                cells.len(),
                columns.len()
            ));
        }
        let values = cells
            .iter()
            .map(|c| num(c, what))
            .collect::<Result<Vec<_>, _>>()?;
        let at = columns[..k]
            .iter()
            .cloned()
            .zip(values[..k].to_vec())
            .collect();
        out.push((at, columns.iter().cloned().zip(values).collect()));
    }
    Ok(out)
}

pub(super) fn show_at(at: &At) -> String {
    at.iter()
        .map(|(m, v)| format!("{m}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Every quantity of one reference file, in file order.
pub fn quantities(doc: &Value) -> Result<Vec<Quantity>, String> {
    let roles = Roles::from_header(&doc["header"]);
    let mut q = Vec::new();
    if let Some(n) = doc.get("n") {
        q.push(Quantity {
            kind: "n".into(),
            what: "n".into(),
            value: num(n, "n")?,
            loc: Loc::N,
        });
    }
    for eq in array(doc, "equations") {
        equation(&roles, eq, &mut q)?;
    }
    effects(&roles, doc, &mut q)?;
    counterfactual(doc, &mut q)?;
    Ok(q)
}

/// How many numbers the file holds outside `resultm` and `source`: every one must become a
/// quantity.
pub fn count_numbers(doc: &Value) -> usize {
    fn count(v: &Value) -> usize {
        match v {
            Value::Number(_) => 1,
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o
                .iter()
                .filter(|(k, _)| *k != "resultm" && *k != "source")
                .map(|(_, v)| count(v))
                .sum(),
            _ => 0,
        }
    }
    count(doc)
}

/// The numbers of `resultm` that are not among the printed quantities (to `close`): PROCESS's
/// save=2 matrix holds nothing beyond what it printed, so comparing the printed numbers compares
/// it too. (A run PROCESS refused has only its 99999 error code there.)
pub fn resultm_not_printed(
    doc: &Value,
    printed: &[Quantity],
    close: impl Fn(f64, f64) -> bool,
) -> Vec<f64> {
    let mut out = Vec::new();
    for row in array(doc, "resultm") {
        for x in row
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
        {
            if !printed.iter().any(|q| close(x, q.value)) {
                out.push(x);
            }
        }
    }
    out
}

use super::ref_effects::{counterfactual, effects};
use super::ref_equations::equation;
