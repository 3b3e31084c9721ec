//! Conditional effects of a multi-group `cipa sem --group VAR` (issue 12): a `:=` that names an
//! observed moderator W is probed as for one group (analysis/sem_probe.rs: one `:=` per probe
//! value, W replaced by the number, so the grouped engine gives each row its delta-method SE and
//! the grouped bootstrap its interval). With group-specific labels (`m ~ c(a1, a2)*x`,
//! `ind1 := a1*(b1 + b3a*W)`) each probed `:=` is one group's conditional (indirect) effect, or,
//! naming the labels of several groups, a difference between groups at the same W.
//!
//! The probe values come from the pooled sample, every row the grouped fit uses whatever its
//! group (`--wvals` overrides): the groups are compared at the same values of W, which is what a
//! difference between groups at W needs (a comparison at each group's own percentiles would mix
//! the moderator's distribution into the group difference). This is what lavaan users do by hand
//! (one `:=` per value with the numbers written in, over all groups' rows) and what PROCESS does
//! with a multicategorical moderator's conditional effects at common values of a second one
//! (Hayes 2022, ch. 10).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::data::Dataset;
use crate::effects::probe::ProbeMethod;
use crate::sem::groups::GroupedFit;
use crate::sem::resample::SemBootstrap;
use crate::sem::{Missing, SemError};
use crate::spec::flat::FlatModel;
use crate::spec::Expr;

use super::sem_probe::{self, ProbedDefinition};

/// One `:=` of a grouped model probed at values of its moderator, and the group it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupProbedDefinition {
    #[serde(flatten)]
    pub probed: ProbedDefinition,
    /// The group (1-based, lavaan's group column of the parameter rows) whose group-specific
    /// labels are the only ones the `:=` names, directly or through an earlier `:=`: its rows
    /// are that group's conditional effects. `None` when it names the labels of several groups
    /// (a difference between groups) or only labels shared by all groups.
    pub group: Option<usize>,
    /// That group's level of the grouping column.
    pub level: Option<String>,
}

/// `flat` with every `:=` naming an observed variable replaced by one `:=` per probe value (and
/// its slope in W when linear), the values taken from the rows with `column` and the model's
/// variables observed (pooled over the groups). `data` must already hold the product columns
/// (sem::products).
pub fn expand(
    flat: &FlatModel,
    data: &Dataset,
    missing: Missing,
    probe: &ProbeMethod,
    column: &str,
) -> Result<(FlatModel, Vec<GroupProbedDefinition>), SemError> {
    let (levels, _) = crate::sem::groups::data::levels(data, column)?;
    let (out, probed) = sem_probe::expand_among(flat, data, missing, probe, &[], &[column])?;
    let owners = definition_groups(flat, levels.len());
    let probed = probed
        .into_iter()
        .map(|p| {
            let group = owners.get(p.name.as_str()).copied().flatten();
            GroupProbedDefinition {
                level: group.and_then(|g| levels.get(g - 1).cloned()),
                group,
                probed: p,
            }
        })
        .collect();
    Ok((out, probed))
}

/// The group (1-based) of every `:=` of `flat` that names group-specific labels of one group
/// only; `None` for the others.
fn definition_groups(flat: &FlatModel, n_groups: usize) -> HashMap<&str, Option<usize>> {
    // A label's groups: a `c(a1, a2)` entry is its position's group; a single label, or one
    // repeated across the entries, is shared by every group (an equality constraint).
    let mut label_groups: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for r in &flat.relations {
        let labels = &r.modifier.labels;
        for (k, l) in labels.iter().enumerate() {
            let Some(l) = l else { continue };
            let set = label_groups.entry(l.as_str()).or_default();
            if labels.len() == n_groups && n_groups > 1 {
                set.insert(k + 1);
            } else {
                set.extend(1..=n_groups);
            }
        }
    }
    let mut defined: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    let mut out = HashMap::new();
    for d in &flat.defined {
        let mut names = Vec::new();
        labels_in(&d.expr, &mut names);
        let mut specific = BTreeSet::new();
        for n in names {
            match (label_groups.get(n), defined.get(n)) {
                (Some(set), _) if set.len() < n_groups => specific.extend(set.iter().copied()),
                (_, Some(set)) => specific.extend(set.iter().copied()),
                _ => {}
            }
        }
        let one = (specific.len() == 1)
            .then(|| specific.first().copied())
            .flatten();
        out.insert(d.name.as_str(), one);
        defined.insert(d.name.as_str(), specific);
    }
    out
}

/// Every name in `e`.
fn labels_in<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
    match e {
        Expr::Num(_) => {}
        Expr::Label(l) => out.push(l),
        Expr::Neg(a) | Expr::Call(_, a) => labels_in(a, out),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
            labels_in(a, out);
            labels_in(b, out);
        }
    }
}

/// The std.lv / std.all values of the probed rows are withheld (NaN, `null` in JSON), as for
/// one group (sem_probe::withhold_standardized): W keeps its raw probe value.
pub fn withhold_standardized(
    fit: &mut GroupedFit,
    boot: Option<&mut SemBootstrap>,
    probed: &[GroupProbedDefinition],
) {
    let names: BTreeSet<&str> = probed
        .iter()
        .flat_map(|p| p.probed.rows.iter().chain(&p.probed.index))
        .map(String::as_str)
        .collect();
    for r in fit
        .parameters
        .iter_mut()
        .map(|r| &mut r.row)
        .filter(|r| r.op == ":=" && names.contains(r.lhs.as_str()))
    {
        r.std_lv = f64::NAN;
        r.std_all = f64::NAN;
        r.std_lv_se = f64::NAN;
        r.std_all_se = f64::NAN;
    }
    if let Some(b) = boot {
        b.standardized_defined
            .retain(|r| !names.contains(r.lhs.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definition_belongs_to_the_one_group_whose_labels_it_names() {
        let flat = crate::spec::syntax::parse_flat(
            "t",
            "m ~ c(a1, a2)*x + s*z\ny ~ c(b1, b2)*m + c(e, e)*w\n\
             i1 := a1*b1*w\ni2 := a2*(b2 + e*w)\nd := i1 - i2\nsh := s*e*w\nj := i2*w",
        )
        .unwrap();
        let g = definition_groups(&flat, 2);
        assert_eq!(g["i1"], Some(1));
        assert_eq!(g["i2"], Some(2));
        assert_eq!(g["d"], None);
        assert_eq!(g["sh"], None);
        assert_eq!(g["j"], Some(2));
    }

    /// The probe values are W's in the rows the grouped fit uses, pooled over the groups: a row
    /// without a group (dropped by the fit) does not move them.
    #[test]
    fn probe_values_pool_the_rows_with_a_group() {
        let mut csv = String::from("g,x,m,y,w\n");
        for i in 0..12 {
            let g = if i % 2 == 0 { "A" } else { "B" };
            csv.push_str(&format!("{g},{i},{},{},{}\n", i * 7 % 5, i * 3 % 7, i + 1));
        }
        csv.push_str(",1,2,3,1000\n");
        let data = crate::data::read_csv_str("t.csv", &csv, b',', &Default::default()).unwrap();
        let flat = crate::spec::syntax::parse_flat(
            "t",
            "m ~ c(a1, a2)*x\ny ~ c(b1, b2)*m + w\nind1 := a1*b1*w",
        )
        .unwrap();
        let (_, probed) =
            expand(&flat, &data, Missing::Listwise, &ProbeMethod::MeanSd, "g").unwrap();
        // w = 1..12 in the grouped rows: mean 6.5.
        assert_eq!(probed[0].probed.values[1], 6.5);
        assert_eq!(probed[0].group, Some(1));
        assert_eq!(probed[0].level.as_deref(), Some("A"));
    }
}
