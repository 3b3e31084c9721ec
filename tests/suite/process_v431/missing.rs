//! What PROCESS v4.3.1 prints that cipa does not compute yet, as (reference file, quantity kind,
//! why). The harness fails when a quantity outside this list is missing or disagrees, and also when
//! every quantity of a listed pair matches (remove the entry then): the list can only shrink.
//!
//! Kinds are those of `reference.rs`: `n`, `equation summary`, `coefficient`, `interaction test
//! LABEL`, `conditional effect`, `conditional interaction test`, `JN transition point`, `JN table`,
//! `direct effect`, `conditional direct effect`, `indirect effect`, `conditional indirect effect`,
//! PROCESS's index headings in lower case, `natural direct effect`, `controlled direct effect`,
//! `natural indirect effect`.

/// PROCESS's joint test of a focal predictor's products with W and with Z, in an equation where
/// another predictor is moderated too (cipa tests the pair jointly only when they are the
/// equation's only products, as model 2's `BOTH` and models 9/10's mediator equations).
const BOTH: &str = "joint BOTH(X)/BOTH(M) test not computed";
/// The test of a two-way product that is not of the highest order in its equation because the
/// equation also holds a three-way product of another predictor (M*W*Z in model 20, X*W*Z in 69).
const BESIDE_THREE_WAY: &str = "two-way test beside another predictor's three-way product";
/// PROCESS xmint=1: counterfactually defined effects of model 4 with an X*M interaction.
const XMINT: &str = "counterfactual effects (--xmint) not in cipa";

pub const MISSING: &[(&str, &str, &str)] = &[
    ("model17", "interaction test BOTH(X)", BOTH),
    ("model17", "interaction test BOTH(M)", BOTH),
    ("model29", "interaction test BOTH(X)", BOTH),
    ("model63", "interaction test BOTH(X)", BOTH),
    ("model65", "interaction test BOTH(M)", BOTH),
    ("model66", "interaction test BOTH(M)", BOTH),
    ("model67", "interaction test BOTH(X)", BOTH),
    ("model67", "interaction test BOTH(M)", BOTH),
    ("model76", "interaction test BOTH(X)", BOTH),
    ("model76", "interaction test BOTH(M)", BOTH),
    ("model20", "interaction test X*W", BESIDE_THREE_WAY),
    ("model69", "interaction test M*W", BESIDE_THREE_WAY),
    ("model74_xmint", "natural direct effect", XMINT),
    ("model74_xmint", "controlled direct effect", XMINT),
    ("model74_xmint", "natural indirect effect", XMINT),
];
