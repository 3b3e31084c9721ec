//! Omnibus tests of a multicategorical X's codes (stage 6), as PROCESS prints them with `mcx`
//! (Hayes & Montoya, 2017, *Communication Methods and Measures* 11(1), 1-30): the codes' joint
//! test in each equation where X is not moderated (in Y's equation PROCESS's "Omnibus test of
//! direct effect of X on Y"), in the total effect model ("Omnibus test of total effect of X on
//! Y"), and where X is moderated, at each probe point of its moderators ("Test of equality of
//! conditional means": all relative conditional effects zero there). Each is a Wald F with the
//! equation's covariance (HC or cluster-robust when asked) and the R² change of the classical F.
//! A multicategorical W needs nothing here: its codes' products with X are tested jointly among
//! the highest-order interactions (`X*W`, df1 = groups − 1).

use serde::Serialize;

use super::conditional::{grid, Owners};
use crate::effects::Moderator;
use crate::estimation::{r2_change, r2_change_rows, EquationFit, Method, R2Change};

/// What an omnibus test tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OmnibusKind {
    /// X's codes in an equation that does not moderate X (the relative direct effects, or the
    /// relative a paths in a mediator's equation).
    Direct,
    /// X's codes in the total effect model (`--total`).
    Total,
    /// X's relative conditional effects at one probe point of its moderators.
    Conditional,
}

/// One omnibus test of X's codes in one equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmnibusTest {
    pub outcome: String,
    /// The multicategorical variable (X).
    pub variable: String,
    pub kind: OmnibusKind,
    /// The probe point (moderator, label) of a conditional test; empty otherwise.
    pub at: Vec<(String, String)>,
    /// The test: `terms` are X's codes, `label` the variable.
    #[serde(flatten)]
    pub test: R2Change,
}

/// The omnibus tests of `x` (coded by `codes`, more than one) in every OLS equation and the total
/// effect model; none when X has a single code or is numeric.
pub(super) fn omnibus_tests(
    equations: &[(EquationFit, Vec<R2Change>)],
    total: Option<&EquationFit>,
    columns: &[Vec<Vec<String>>],
    (x, codes): (&str, &[String]),
    moderators: &[Moderator],
) -> Vec<OmnibusTest> {
    let mut out = Vec::new();
    if codes.len() < 2 {
        return out;
    }
    let test = |fit: &EquationFit, kind, at, t: R2Change| OmnibusTest {
        outcome: fit.outcome.clone(),
        variable: x.to_string(),
        kind,
        at,
        test: R2Change {
            label: x.to_string(),
            terms: codes.to_vec(),
            ..t
        },
    };
    for ((fit, _), cols) in equations.iter().zip(columns) {
        if fit.method != Method::Ols
            || !codes.iter().all(|c| cols.iter().any(|f| f == &[c.clone()]))
        {
            continue;
        }
        let moderated = cols
            .iter()
            .any(|f| f.len() > 1 && f.iter().any(|v| codes.contains(v)));
        if !moderated {
            if let Ok(t) = r2_change(fit, &[x.to_string()]) {
                out.push(test(fit, OmnibusKind::Direct, Vec::new(), t));
            }
            continue;
        }
        for (at, l) in conditional_rows(cols, codes, moderators) {
            if let Ok(t) = r2_change_rows(fit, &l, codes) {
                out.push(test(fit, OmnibusKind::Conditional, at, t));
            }
        }
    }
    if let Some(fit) = total.filter(|f| f.method == Method::Ols) {
        if let Ok(t) = r2_change(fit, &[x.to_string()]) {
            out.push(test(fit, OmnibusKind::Total, Vec::new(), t));
        }
    }
    out
}

/// At every probe point of the moderators of X's codes in one equation, the weights of each
/// code's conditional effect (the rows of the joint test). Empty when the codes are not all
/// moderated by the same moderators, or by something other than a moderator.
fn conditional_rows(
    cols: &[Vec<String>],
    codes: &[String],
    moderators: &[Moderator],
) -> Vec<(Vec<(String, String)>, Vec<Vec<f64>>)> {
    let owners = Owners(moderators);
    let with =
        |v: &String| -> Vec<usize> { (0..cols.len()).filter(|&j| cols[j].contains(v)).collect() };
    let mods: Vec<Option<Vec<usize>>> = codes
        .iter()
        .map(|c| owners.moderating(cols, &with(c), c))
        .collect();
    let Some(Some(first)) = mods.first() else {
        return Vec::new();
    };
    if mods.iter().any(|m| m.as_ref() != Some(first)) {
        return Vec::new();
    }
    grid(moderators, first)
        .into_iter()
        .map(|(at, point)| {
            let rows = codes
                .iter()
                .map(|c| owners.weights(cols, &with(c), c, &point))
                .collect();
            (at, rows)
        })
        .collect()
}
