//! Short parameter symbols for the lines of a latent path diagram whose numbers go in a key
//! beneath it (the statistical diagrams' key, `super::key`): taken when the numbers on the
//! lines (two-line intervals, std.all estimates with residual variances) make the drawing too
//! wide to print at 8 pt at a journal's text width. A line carries the user's label when that
//! label names that parameter alone (lavaan's `a*x`), otherwise a symbol in the style of the
//! LISREL/lavaan naming of parameter matrices: `l1, l2, ...` for loadings (lambda), `b1, ...`
//! for regressions (beta), `c1, ...` for covariances, `e1, ...` for residual variances and
//! `v1, ...` for the variances of exogenous variables. Symbols never repeat a user's label.
//! Fixed parameters (a marker loading of 1) keep their value on the line and get no row.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::ir::Key;
use super::latent::LatentValues;
use super::statistical::{stars, CoefStyle};
use crate::sem::ParameterRow;

/// A parameter's identity in one group's table.
type RowId = (String, String, String);

fn id(r: &ParameterRow) -> RowId {
    (r.lhs.clone(), r.op.clone(), r.rhs.clone())
}

/// The symbols of a table's free parameters, and the key's rows in the order the lines ask for
/// them (the order the diagram draws them: loadings, regressions, (co)variances).
pub struct Symbols {
    names: BTreeMap<RowId, String>,
    rows: RefCell<Vec<Vec<String>>>,
    seen: RefCell<BTreeSet<RowId>>,
}

impl Symbols {
    /// A symbol for every free loading, regression and (co)variance of `rows`.
    pub fn new(rows: &[ParameterRow]) -> Symbols {
        let free: Vec<&ParameterRow> = rows
            .iter()
            .filter(|r| r.free > 0 && matches!(r.op.as_str(), "=~" | "~" | "~~"))
            .collect();
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for r in free.iter().filter(|r| !r.label.is_empty()) {
            *uses.entry(r.label.as_str()).or_default() += 1;
        }
        let taken: BTreeSet<String> = uses.keys().map(|s| s.to_string()).collect();
        // Endogenous: indicated by a latent or explained by a regression; their variances are
        // residual variances.
        let endogenous: BTreeSet<&str> = rows
            .iter()
            .filter_map(|r| match r.op.as_str() {
                "=~" => Some(r.rhs.as_str()),
                "~" => Some(r.lhs.as_str()),
                _ => None,
            })
            .collect();
        let mut counters: BTreeMap<char, usize> = BTreeMap::new();
        let mut next = |letter: char| loop {
            let n = counters.entry(letter).or_default();
            *n += 1;
            let name = format!("{letter}{n}");
            if !taken.contains(&name) {
                return name;
            }
        };
        let mut names = BTreeMap::new();
        for r in free {
            let own = !r.label.is_empty() && uses.get(r.label.as_str()) == Some(&1);
            let name = if own {
                r.label.clone()
            } else {
                next(match r.op.as_str() {
                    "=~" => 'l',
                    "~" => 'b',
                    _ if r.lhs != r.rhs => 'c',
                    _ if endogenous.contains(r.lhs.as_str()) => 'e',
                    _ => 'v',
                })
            };
            names.insert(id(r), name);
        }
        Symbols {
            names,
            rows: RefCell::new(Vec::new()),
            seen: RefCell::new(BTreeSet::new()),
        }
    }

    /// The text on `r`'s line: its symbol, noting its row for the key (once); `None` for a
    /// parameter without a symbol (fixed), which keeps its number on the line.
    pub fn label(&self, r: &ParameterRow, cells: impl FnOnce() -> Vec<String>) -> Option<String> {
        if !r.p.is_finite() {
            return None;
        }
        let name = self.names.get(&id(r))?.clone();
        if self.seen.borrow_mut().insert(id(r)) {
            let mut row = vec![name.clone()];
            row.extend(cells());
            self.rows.borrow_mut().push(row);
        }
        Some(name)
    }

    /// The key's column heads and the rows noted so far.
    pub fn table(self, style: CoefStyle, conf: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let head = match style {
            CoefStyle::Stars => ["Parameter", "Estimate", "SE", ""]
                .map(String::from)
                .to_vec(),
            CoefStyle::Ci => vec!["Parameter".into(), "Estimate".into(), format!("{conf}% CI")],
        };
        (head, self.rows.into_inner())
    }
}

/// A key row's numbers for `r`: the estimate with its SE and stars, or with its interval.
pub fn cells(
    (v, lo, hi): (f64, f64, f64),
    r: &ParameterRow,
    values: LatentValues,
    style: CoefStyle,
    d: usize,
) -> Vec<String> {
    let se = match values {
        LatentValues::Unstandardized => r.se,
        LatentValues::StdAll => r.std_all_se,
    };
    // A std.all variance the standardization fixes at 1 has no sampling error: no stars.
    let stars = if se > 0.0 { stars(r.p) } else { "" };
    match style {
        CoefStyle::Stars => vec![format!("{v:.d$}"), format!("{se:.d$}"), stars.to_string()],
        CoefStyle::Ci => vec![format!("{v:.d$}"), format!("[{lo:.d$}, {hi:.d$}]")],
    }
}

/// Builds the key for `table` within the width that prints at 8 pt, and puts it under `d`.
pub fn attach(d: &mut super::ir::Diagram, table: (Vec<String>, Vec<Vec<String>>)) {
    use super::statistical::{MIN_PRINT_PT, TEXT_WIDTH};
    let avail = TEXT_WIDTH * d.label_pt.min(d.font_pt) / MIN_PRINT_PT - 2.0 * d.margin;
    let key: Key = super::key::build(table.0, table.1, avail, d.label_pt);
    super::layout::add_key(d, key);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lhs: &str, op: &str, rhs: &str, label: &str) -> ParameterRow {
        ParameterRow {
            lhs: lhs.into(),
            op: op.into(),
            rhs: rhs.into(),
            label: label.into(),
            free: 1,
            est: 0.5,
            se: 0.1,
            z: 5.0,
            p: 0.01,
            ci_lower: 0.3,
            ci_upper: 0.7,
            std_lv: 0.5,
            std_all: 0.4,
            std_lv_se: 0.1,
            std_all_se: 0.1,
        }
    }

    /// A label used once names its line; one shared by an equality constraint does not (its
    /// standardized values differ); generated symbols skip the user's labels.
    #[test]
    fn symbols_are_unique_and_keep_lone_labels() {
        let rows = vec![
            row("f", "=~", "y1", ""),
            row("f", "=~", "y2", "a"),
            row("g", "=~", "y3", "a"),
            row("g", "~", "f", "b1"),
            row("h", "~", "g", ""),
            row("y1", "~~", "y1", ""),
            row("f", "~~", "f", ""),
            row("y1", "~~", "y3", ""),
        ];
        let s = Symbols::new(&rows);
        let names: Vec<String> = rows.iter().map(|r| s.label(r, Vec::new).unwrap()).collect();
        assert_eq!(names, ["l1", "l2", "l3", "b1", "b2", "e1", "v1", "c1"]);
        assert_eq!(s.table(CoefStyle::Ci, "95").1.len(), rows.len());
    }
}
