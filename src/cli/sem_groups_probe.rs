//! `--probe` / `--wvals` under `--group` (issue 12): each `:=` naming an observed moderator is
//! probed at the moderator's values in the pooled sample of all groups
//! (analysis/sem_probe_groups.rs), so every group's conditional effects, and their differences,
//! are at the same values; the notes and JSON of those rows.

use crate::analysis::sem_probe;
use crate::analysis::sem_probe_groups::{self, GroupProbedDefinition};
use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::sem::SemPlan;
use super::{usage, CliError};

/// The grouped model with its probed `:=` expanded, and what was expanded; the model itself
/// when nothing is probed.
pub(super) fn probed_model(
    plan: &SemPlan,
    data: &Dataset,
) -> Result<(FlatModel, Vec<GroupProbedDefinition>), CliError> {
    let err = |e: crate::sem::SemError| CliError::from(crate::Error::from(e));
    let flags = plan.a.probe.is_some() || plan.a.wvals.is_some();
    if !sem_probe::latent_moderators(&plan.flat, data).is_empty() {
        return Err(usage(
            "a := that names a latent factor of a latent product is probed at ± 1 SD of its model-implied variance, which --group does not give per group yet; fit each group on its own (filter the data by the group) to probe it",
        ));
    }
    if plan.a.invariance && flags {
        return Err(usage(
            "--probe and --wvals probe the := of one fitted model and --invariance fits four; drop --invariance and fit the level with --group and --group-equal",
        ));
    }
    let products = crate::sem::products::with_products(&plan.flat, data).map_err(err)?;
    let column = plan.a.group.as_deref().unwrap_or_default();
    let method = super::sem::probe_method(&plan.a);
    let (flat, probed) =
        sem_probe_groups::expand(&plan.flat, &products, plan.opts.missing, &method, column)
            .map_err(err)?;
    // A latent product's simple slopes take the flags too (sem_group_slopes.rs).
    let latent_products = crate::sem::interaction::latent_products(&plan.flat, data);
    if probed.is_empty() && latent_products.is_empty() && flags {
        return Err(usage(
            "--probe and --wvals probe a := that names an observed variable (ind1 := a1*(b1 + b3a*w) with group labels c(a1, a2), ...) or a latent interaction (y ~ x + w + x:w); the model has neither",
        ));
    }
    Ok((flat, probed))
}

/// The report's notes: each probed `:=` as for one group, with its group, and once where the
/// probe values come from.
pub(super) fn notes(probed: &[GroupProbedDefinition], column: &str) -> Vec<String> {
    let mut out: Vec<String> = probed
        .iter()
        .map(|p| {
            let mut note = super::sem::probe_note(&p.probed);
            match &p.level {
                Some(level) => note.push_str(&format!(
                    " Its labels are those of group {level}: these are that group's conditional effects."
                )),
                None => note.push_str(
                    " It names the labels of several groups (or only labels shared by all): its rows span the groups.",
                ),
            }
            note
        })
        .collect();
    if !out.is_empty() {
        out.push(format!(
            "The probe values are the moderator's in the rows of all groups pooled (the sample the grouped fit uses), unless --wvals gives them: every group of {column} is probed at the same values, so the groups' conditional effects, and their differences, compare like with like."
        ));
    }
    out
}

/// `probed_definitions` of the JSON document, each with its `group` and `level`.
pub(super) fn add_to_json(doc: &mut serde_json::Value, probed: &[GroupProbedDefinition]) {
    if let (false, Some(o)) = (probed.is_empty(), doc.as_object_mut()) {
        o.insert(
            "probed_definitions".into(),
            serde_json::to_value(probed).unwrap_or_default(),
        );
    }
}
