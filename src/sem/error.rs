use thiserror::Error;

use crate::spec::flat::Pos;

/// A latent-variable model that cannot be fitted: each variant names what is wrong (a variable,
/// a parameter, a line:column of the model text) and what to do about it.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum SemError {
    #[error("{}:{}: '{name}' is neither a column of the data nor a latent variable (no '{name} =~ ...' defines it){}", pos.line, pos.col, suggest(.suggestions))]
    UnknownVariable {
        name: String,
        pos: Pos,
        suggestions: Vec<String>,
    },
    #[error("{}:{}: '{name}' is not a column of the data, and as a latent variable it has no indicators; give it some with '{name} =~ item1 + item2 + ...'", pos.line, pos.col)]
    LatentWithoutIndicators { name: String, pos: Pos },
    #[error("{}:{}: the regressions form a cycle ({}); non-recursive (feedback) models are not supported: remove one of the paths", pos.line, pos.col, .cycle.join(" -> "))]
    Cycle { cycle: Vec<String>, pos: Pos },
    #[error("{}:{}: the label '{label}' names no parameter of the model (labels are set by 'label*variable')", pos.line, pos.col)]
    UnknownLabel { label: String, pos: Pos },
    #[error("{}:{}: {what} is not supported yet", pos.line, pos.col)]
    Unsupported { what: String, pos: Pos },
    #[error("{}:{}: the constraint '{text}' conflicts with the other constraints or fixed values (no parameter values satisfy them all)", pos.line, pos.col)]
    InconsistentConstraints { text: String, pos: Pos },
    #[error("{}:{}: the constraint '{text}' almost repeats the constraints before it (their coefficients differ only in far decimals), so they cannot be told apart; write it with the same coefficients as the other, or drop it", pos.line, pos.col)]
    NearlyRepeatedConstraint { text: String, pos: Pos },
    #[error("the data have {n} complete rows for {p} observed variables; ML needs more rows than variables")]
    TooFewRows { n: usize, p: usize },
    #[error("the sample covariance matrix of the model's observed variables is not positive definite ('{variable}' is a linear combination of the variables before it, or constant): drop or combine it")]
    SampleNotPositiveDefinite { variable: String },
    #[error("the ML estimation did not converge after {iterations} iterations (largest gradient element {gradient:.3e}); {advice}")]
    NotConverged {
        iterations: usize,
        gradient: f64,
        advice: String,
    },
    #[error("the model is not identified: the information matrix is singular, so {} cannot be estimated apart from the other parameters; fix a loading or a variance, add an indicator, or remove a path", .parameters.join(", "))]
    Unidentified { parameters: Vec<String> },
    #[error("{what} is not supported yet")]
    UnsupportedOption { what: String },
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    #[error(transparent)]
    Moments(#[from] super::moments::MomentsError),
    #[error("the model has more free parameters ({npar}) than sample moments ({ndat}): it is not identified; fix parameters or add indicators")]
    NegativeDf { npar: usize, ndat: usize },
    #[error("under full-information ML the saturated (EM) covariance matrix of the model's observed variables is singular ('{variable}' is a linear combination of the variables before it where they are observed): drop or combine it")]
    MissingDataH1Singular { variable: String },
    #[error("the {what} failed: draw {draw} could not be fitted after 100 replacements ({reason}); the model may be too close to not identified for resampling, try more cases or a simpler model")]
    ResamplingFailed {
        what: String,
        draw: usize,
        reason: String,
    },
    #[error("these models cannot be compared: {reason}")]
    NotComparable { reason: String },
    #[error("Wald test: {reason}")]
    Wald { reason: String },
    #[error("{reason}")]
    Cluster { reason: String },
    #[error(
        "{method} estimation of latent interactions is not available in this build yet; {advice}"
    )]
    InteractionUnavailable { method: String, advice: String },
    #[error("{}:{}: the modifier has {count} values but the data have {groups} groups; give one value for every group (c(a1, a2)*x for two groups) or a single value for all", pos.line, pos.col)]
    ModifierCount {
        count: usize,
        groups: usize,
        pos: Pos,
    },
    #[error("--group-partial '{entry}' names no parameter of the model{hint}; write each entry as the parameter's 'lhs op rhs', e.g. {}", .examples.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(", "))]
    UnknownPartial {
        entry: String,
        hint: String,
        examples: Vec<String>,
    },
    #[error("the grouping variable '{column}' has {levels} level(s) among the rows used; multi-group SEM needs 2 to 50 groups{}", if *.levels < 2 { ": fit the model without --group" } else { ": is it a continuous variable? group by a categorical one" })]
    GroupLevels { column: String, levels: usize },
    #[error("group '{group}' ({column} = {group}) has {n} complete rows, fewer than the {npar} it needs (at least its own free parameters, and more rows than observed variables): merge small groups, drop the group, or make parameters equal across groups (--group-equal)")]
    GroupTooSmall {
        column: String,
        group: String,
        n: usize,
        npar: usize,
    },
    #[error("'{variable}' is constant in group '{group}' ({column} = {group}): its variance there is 0, so the group's covariance matrix is singular; drop the variable or the group")]
    GroupConstantItem {
        column: String,
        group: String,
        variable: String,
    },
    #[error("'{variable}' has no observed value in group '{group}' ({column} = {group}): full-information ML cannot estimate its moments there; drop the variable or the group")]
    GroupMissingItem {
        column: String,
        group: String,
        variable: String,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(" or "))
    }
}
