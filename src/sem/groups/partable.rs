//! The multi-group parameter table (lavaan's `lavaanify` with `ngroups > 1`,
//! `lav_partable_flat.R` section 6, `lav_partable_labels.R`, `lav_partable.R`, lavaan 0.6-14):
//! the single-group table of every group (one `c(...)` modifier element each), stacked group
//! after group with one global numbering of the free parameters and of the plabels `.pN.`; then
//! lavaan's virtual labels (`lhs op rhs`, `.gG` appended from group 2 on, the group-1 label for
//! the rows `group.equal` names unless `group.partial` exempts them, user labels over all), and
//! for each label shared by several rows either all fixed to the first fixed value or, when all
//! are free, one `==` constraint per extra row (0.6-14's `ceq.simple = FALSE`), an empty label
//! taking the first row's plabel as lavaan shows it.

use std::collections::HashSet;

use crate::spec::flat::{FlatModel, Modifier};
use crate::spec::Expr;

use super::super::error::SemError;
use super::super::partable::{self, EqConstraint, Op, ParRow, ParTable};
use super::super::SemOptions;
use super::GroupEqual;

/// The stacked table of all groups and each group's own table.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedTable {
    /// Every group's rows, group 1 first, with global free indices and plabels, the equalities
    /// (shared labels, `group.equal`, `==`) and the defined parameters over all groups.
    pub combined: ParTable,
    /// Group g's rows with free indices local to the group (θ_g is a contiguous slice of θ).
    pub groups: Vec<ParTable>,
    /// Index of group g's first free parameter in θ.
    pub free_offset: Vec<usize>,
    /// Index of group g's first row in `combined.rows`.
    pub row_offset: Vec<usize>,
}

/// The group-equal and group-partial settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Equal {
    pub equal: Vec<GroupEqual>,
    /// lavaan's `group.partial`: `lhs op rhs` (spaces ignored) of rows exempt from `equal`.
    pub partial: Vec<String>,
}

/// Builds the table of `flat` for `ngroups` groups.
pub fn build(
    flat: &FlatModel,
    data_names: &[String],
    opts: &SemOptions,
    ngroups: usize,
    eq: &Equal,
) -> Result<GroupedTable, SemError> {
    // A mean structure is on whenever there are groups (xxx_lavaan.R line 623).
    let opts = SemOptions {
        meanstructure: true,
        ..opts.clone()
    };
    let mut rows: Vec<ParRow> = Vec::new();
    let mut row_offset = Vec::with_capacity(ngroups);
    let mut first: Option<ParTable> = None;
    for g in 0..ngroups {
        let flat_g = select_group(flat, g, ngroups)?;
        let mut pt = partable::build(&flat_g, data_names, &opts)?;
        if g > 0 {
            free_group_defaults(&mut pt.rows, &pt.lv, &opts, &eq.equal);
        }
        row_offset.push(rows.len());
        rows.extend(pt.rows.iter().cloned());
        first.get_or_insert(pt);
    }
    let first = first.ok_or_else(|| SemError::UnsupportedOption {
        what: "a grouped model with no groups".into(),
    })?;
    super::partial::check(&eq.partial, &rows)?;
    let labels = virtual_labels(&rows, &row_offset, &first, eq);
    let equalities = equalities_from_labels(&mut rows, &labels);
    let n_free = number_rows(&mut rows);
    let mut combined = ParTable {
        rows,
        equalities,
        inequalities: Vec::new(),
        defined: Vec::new(),
        n_free,
        ..first
    };
    add_user_constraints(&mut combined, flat)?;
    let (groups, free_offset) = split(&combined, &row_offset);
    Ok(GroupedTable {
        combined,
        groups,
        free_offset,
        row_offset,
    })
}

/// `flat` with every modifier reduced to group g's element (a single element applies to every
/// group, lavaan's recycling) and without `:=`/`==` (they are resolved over all groups).
fn select_group(flat: &FlatModel, g: usize, ngroups: usize) -> Result<FlatModel, SemError> {
    let mut out = FlatModel {
        relations: flat.relations.clone(),
        ..FlatModel::default()
    };
    for rel in &mut out.relations {
        let m = &rel.modifier;
        let counts = [m.labels.len(), m.fixed.len(), m.start.len()];
        if let Some(&count) = counts.iter().find(|&&c| c > 1 && c != ngroups) {
            return Err(SemError::ModifierCount {
                count,
                groups: ngroups,
                pos: rel.pos,
            });
        }
        rel.modifier = Modifier {
            labels: pick(&m.labels, g).into_iter().flatten().map(Some).collect(),
            fixed: pick(&m.fixed, g).into_iter().collect(),
            start: pick(&m.start, g).into_iter().collect(),
        };
    }
    Ok(out)
}

/// Element g of a per-group vector, or its single element.
fn pick<T: Clone>(v: &[T], g: usize) -> Option<T> {
    match v.len() {
        0 => None,
        1 => Some(v[0].clone()),
        _ => v.get(g).cloned(),
    }
}

/// lavaan's changes to the default rows of groups 2 and up (`lav_partable_flat.R`, "specific
/// changes per group"): latent intercepts free when the intercepts are equal but the means are
/// not; with std.lv and equal loadings, latent variances free unless they are equal too.
fn free_group_defaults(rows: &mut [ParRow], lv: &[String], opts: &SemOptions, eq: &[GroupEqual]) {
    let has = |e: GroupEqual| eq.contains(&e);
    let free_lv_means = has(GroupEqual::Intercepts) && !has(GroupEqual::Means);
    let free_lv_vars = opts.std_lv && has(GroupEqual::Loadings) && !has(GroupEqual::LvVariances);
    for r in rows.iter_mut().filter(|r| !r.user && lv.contains(&r.lhs)) {
        let mean = r.op == Op::Intercept;
        let var = r.op == Op::Covary && r.lhs == r.rhs;
        if (mean && free_lv_means) || (var && free_lv_vars) {
            r.free = 1;
            r.ustart = None;
        }
    }
}

/// lavaan's `lav_partable_labels` (type "user"): a label per row that is equal for rows that
/// must be equal.
fn virtual_labels(rows: &[ParRow], offs: &[usize], pt: &ParTable, eq: &Equal) -> Vec<String> {
    let group_of = |i: usize| offs.iter().rposition(|&o| o <= i).unwrap_or(0);
    let plain = |r: &ParRow| format!("{}{}{}", r.lhs, r.op.symbol(), r.rhs);
    let mut label: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| match group_of(i) {
            0 => plain(r),
            g => format!("{}.g{}", plain(r), g + 1),
        })
        .collect();
    let partial: HashSet<String> = eq
        .partial
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let g1_end = offs.get(1).copied().unwrap_or(rows.len());
    for i in 0..g1_end {
        let r = &rows[i];
        if !eq.equal.iter().any(|&e| e.covers(r, pt)) || partial.contains(&plain(r)) {
            continue;
        }
        for j in g1_end..rows.len() {
            let o = &rows[j];
            if o.lhs == r.lhs && o.op == r.op && o.rhs == r.rhs {
                label[j] = label[i].clone();
            }
        }
    }
    for (l, r) in label.iter_mut().zip(rows) {
        if !r.label.is_empty() {
            *l = r.label.clone();
        }
    }
    label
}

/// Rows sharing a label: all fixed to the first fixed value when one is fixed, else one
/// equality per extra row, with empty labels set to the first row's plabel (`lav_partable.R`).
fn equalities_from_labels(rows: &mut [ParRow], labels: &[String]) -> Vec<EqConstraint> {
    for (i, r) in rows.iter_mut().enumerate() {
        r.plabel = format!(".p{}.", i + 1);
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        if seen.contains(&l.as_str()) || !labels[i + 1..].contains(l) {
            continue;
        }
        seen.push(l);
        let all: Vec<usize> = (i..labels.len()).filter(|&j| &labels[j] == l).collect();
        if let Some(&fixed) = all.iter().find(|&&j| rows[j].free == 0) {
            let v = rows[fixed].ustart;
            for &j in &all {
                rows[j].free = 0;
                rows[j].ustart = v;
            }
            continue;
        }
        let ref_plabel = rows[i].plabel.clone();
        for &j in &all[1..] {
            out.push(EqConstraint {
                lhs: Expr::Label(ref_plabel.clone()),
                rhs: Expr::Label(rows[j].plabel.clone()),
                text: format!("{l} (shared label)"),
                pos: rows[j].pos.unwrap_or_default(),
            });
        }
        for &j in &all {
            if rows[j].label.is_empty() {
                rows[j].label = ref_plabel.clone();
            }
        }
    }
    out
}

/// Numbers the free rows 1, 2, ... in row order; returns their count.
fn number_rows(rows: &mut [ParRow]) -> usize {
    let mut n = 0;
    for r in rows.iter_mut().filter(|r| r.free > 0) {
        n += 1;
        r.free = n;
    }
    n
}

/// `:=` and `==`/`<`/`>` of the whole model, their labels from any group.
fn add_user_constraints(table: &mut ParTable, flat: &FlatModel) -> Result<(), SemError> {
    let only = FlatModel {
        relations: Vec::new(),
        defined: flat.defined.clone(),
        constraints: flat.constraints.clone(),
    };
    partable::add_user_constraints(table, &only)
}

/// Each group's rows with local free indices, and each group's offset in θ.
fn split(combined: &ParTable, row_offset: &[usize]) -> (Vec<ParTable>, Vec<usize>) {
    let mut groups = Vec::with_capacity(row_offset.len());
    let mut free_offset = Vec::with_capacity(row_offset.len());
    let mut offset = 0;
    for (g, &start) in row_offset.iter().enumerate() {
        let end = row_offset
            .get(g + 1)
            .copied()
            .unwrap_or(combined.rows.len());
        let mut rows = combined.rows[start..end].to_vec();
        let n_free = number_rows(&mut rows);
        free_offset.push(offset);
        offset += n_free;
        groups.push(ParTable {
            rows,
            equalities: Vec::new(),
            inequalities: Vec::new(),
            defined: Vec::new(),
            n_free,
            ..combined.clone()
        });
    }
    (groups, free_offset)
}
