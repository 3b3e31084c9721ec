//! Stage 6, probing the interactions: in each equation, the conditional effects of every focal
//! predictor (X's design factors and the mediators) that a moderator multiplies, at the
//! moderators' probe points, with analytic inference from that equation's covariance; two-way
//! interactions conditional on a third variable (three-way models); Johnson-Neyman regions of
//! significance (with `jn`), each with its curve for the figure; PROCESS's intprobe decision
//! (which tables of conditional effects the text report shows); and the omnibus tests of a
//! multicategorical X's codes (`omnibus.rs`).

use super::conditional::{
    equation_effects, interaction_effects, two_valued, ConditionalEffects, ConditionalInteraction,
};
use super::jn::JnResult;
use super::omnibus::{conditional_interaction_omnibus, conditional_omnibus, OmnibusTest};
use super::plan::{design_columns, Planned};
use super::prepare::Prepared;
use super::AnalysisOptions;
use crate::estimation::{EquationFit, R2Change};
use crate::spec::ModelSpec;

/// The probed interactions.
pub(super) struct Probed {
    pub conditional: Vec<ConditionalEffects>,
    pub conditional_interactions: Vec<ConditionalInteraction>,
    pub johnson_neyman: Vec<JnResult>,
    /// The equality of conditional means of a categorical X at each probe point, and the joint
    /// conditional interactions of three-way models with a categorical X, W or Z.
    pub omnibus: Vec<OmnibusTest>,
}

pub(super) fn probe(
    prep: &Prepared,
    spec: &ModelSpec,
    equations: &[(EquationFit, Vec<R2Change>)],
    planned: &Planned,
    opts: &AnalysisOptions,
    notes: &mut Vec<String>,
) -> Probed {
    let columns: Vec<Vec<Vec<String>>> = prep.designs.iter().map(design_columns).collect();
    let mut candidates = planned.focal.clone();
    candidates.extend(spec.mediators.iter().cloned());
    let moderators = &planned.plan.moderators;
    let (conditional, mut johnson_neyman) = equation_effects(
        equations,
        &columns,
        &candidates,
        moderators,
        &prep.sub,
        opts,
    );
    let (conditional_interactions, jn_interactions) = interaction_effects(
        equations,
        &columns,
        &candidates,
        moderators,
        &prep.sub,
        opts,
    );
    johnson_neyman.extend(jn_interactions);
    let x = (spec.x.as_str(), planned.focal.as_slice());
    let mut omnibus = conditional_omnibus(equations, &columns, x, moderators);
    omnibus.extend(conditional_interaction_omnibus(
        equations,
        &columns,
        x,
        &spec.mediators,
        moderators,
    ));
    if opts.jn {
        for m in moderators {
            let two = m.factors.len() == 1 && prep.sub.numeric(&m.name).is_ok_and(two_valued);
            if two && !johnson_neyman.iter().any(|j| j.moderator == m.name) {
                notes.push(format!(
                    "Johnson-Neyman: '{}' has two values, so there are no regions of significance to find (PROCESS computes none either); the conditional effects at its two values show where the effect is significant.",
                    m.name
                ));
            }
        }
    }
    Probed {
        conditional,
        conditional_interactions,
        johnson_neyman,
        omnibus,
    }
}
