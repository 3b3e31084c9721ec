//! Latent interactions in a multi-group model (issue 12): a product term with a latent factor
//! (`speed ~ visual + textual + visual:textual` under `group =`) becomes a latent of
//! double-mean-centred product indicators before the groups are split, as in one group
//! (sem/interaction/). The products are centred once over the rows of every group, as modsem
//! 1.0's `modsem(method = "dblcent", group = )` does (`R/modsem_pi.R`: `createProdInds()` on the
//! listwise-complete data with the group column set aside, then lavaan's `group =` fit);
//! `--group-equal` then constrains the product latent's rows as any other's (its loadings under
//! "loadings", its regression under "regressions"). LMS with groups is refused (typed error
//! naming the term and `--group`, pointing to DMC).

use crate::data::Dataset;
use crate::spec::flat::FlatModel;

use super::super::interaction::{self, Expanded};
use super::super::{SemError, SemOptions};
use super::GroupOptions;

/// `flat` and `data` with every latent product expanded (idempotent: an expanded model comes
/// back borrowed), centred over the rows whose group is observed.
pub(super) fn expand<'a>(
    flat: &'a FlatModel,
    data: &'a Dataset,
    opts: &SemOptions,
    gopts: &GroupOptions,
) -> Result<Expanded<'a>, SemError> {
    interaction::expand_grouped(flat, data, &opts.interaction, opts.missing, &gopts.column)
}
