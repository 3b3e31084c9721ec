//! Omnibus tests of a multicategorical X's codes (stage 6), as PROCESS prints them with `mcx`
//! (Hayes & Montoya, 2017, *Communication Methods and Measures* 11(1), 1-30): the codes' joint
//! test in each equation where X is not moderated (in Y's equation PROCESS's "Omnibus test of
//! direct effect of X on Y"), in the total effect model ("Omnibus test of total effect of X on
//! Y"), and where X is moderated, at each probe point of its moderators ("Test of equality of
//! conditional means": all relative conditional effects zero there). Each is a Wald F with the
//! equation's covariance (HC or cluster-robust when asked) and the R² change of the classical F;
//! in a logistic equation the likelihood-ratio chi-square (the Wald chi-square at probe points),
//! as PROCESS.
//! A multicategorical W needs nothing here: its codes' products with X are tested jointly among
//! the highest-order interactions (`X*W`, df1 = groups − 1).

use serde::Serialize;

use super::conditional::{grid, Owners};
use super::plan::design_columns;
use crate::effects::Moderator;
use crate::estimation::{joint_rows_test, joint_test, Design, EquationFit, R2Change};

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
    /// A focal predictor's (X's or a mediator's) products with a categorical or numeric W at one
    /// probe point of Z, in a three-way model where X, W or Z is categorical: every conditional
    /// X*W interaction zero there (PROCESS's "Test of conditional X*W interaction at value(s) of
    /// Z" with df1 = X's codes times W's).
    ConditionalInteraction,
}

/// One omnibus test of X's codes in one equation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmnibusTest {
    pub outcome: String,
    /// The multicategorical variable (X); for a conditional interaction the product, `x:w`.
    pub variable: String,
    pub kind: OmnibusKind,
    /// The probe point (moderator, label) of a conditional test; empty otherwise.
    pub at: Vec<(String, String)>,
    /// The test: `terms` are X's codes, `label` the variable.
    #[serde(flatten)]
    pub test: R2Change,
}

/// X's codes: the columns of its coding in the designs (none for a numeric X).
fn codes_of(designs: &[Design], x: &str) -> Vec<String> {
    designs
        .iter()
        .find_map(|d| d.coding.iter().find(|c| c.variable == x))
        .map(|c| c.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

fn omnibus(
    fit: &EquationFit,
    x: &str,
    kind: OmnibusKind,
    at: Vec<(String, String)>,
    t: R2Change,
) -> OmnibusTest {
    OmnibusTest {
        outcome: fit.outcome.clone(),
        variable: x.to_string(),
        kind,
        at,
        test: R2Change {
            label: x.to_string(),
            ..t
        },
    }
}

/// Stage 2: the test of X's codes (more than one) in every equation that has them and does not
/// moderate X, and in the total effect model (`total`, with its design). R² change for OLS, the
/// likelihood ratio for logistic regression, as PROCESS.
pub(super) fn unconditional_omnibus(
    equations: &[(EquationFit, Vec<R2Change>)],
    designs: &[Design],
    total: Option<(&EquationFit, &Design)>,
    x: &str,
) -> Vec<OmnibusTest> {
    let codes = codes_of(designs, x);
    if codes.len() < 2 {
        return Vec::new();
    }
    let unmoderated = |d: &Design| {
        let cols = design_columns(d);
        codes
            .iter()
            .all(|c| cols.iter().any(|f| f == std::slice::from_ref(c)))
            && !cols
                .iter()
                .any(|f| f.len() > 1 && f.iter().any(|v| codes.contains(v)))
    };
    let mut out = Vec::new();
    let fits = equations.iter().map(|(f, _)| f).zip(designs);
    for (fit, design) in fits.filter(|(_, d)| unmoderated(d)) {
        if let Ok(t) = joint_test(design, fit, &[x.to_string()]) {
            out.push(omnibus(fit, x, OmnibusKind::Direct, Vec::new(), t));
        }
    }
    if let Some((fit, design)) = total {
        if let Ok(t) = joint_test(design, fit, &[x.to_string()]) {
            out.push(omnibus(fit, x, OmnibusKind::Total, Vec::new(), t));
        }
    }
    out
}

/// Stage 6: in each equation that moderates X (coded by `codes`, more than one), at every probe
/// point of its moderators, the joint test that every relative conditional effect is zero (a
/// Wald F, or a Wald chi-square in a logistic equation, as PROCESS).
pub(super) fn conditional_omnibus(
    equations: &[(EquationFit, Vec<R2Change>)],
    columns: &[Vec<Vec<String>>],
    (x, codes): (&str, &[String]),
    moderators: &[Moderator],
) -> Vec<OmnibusTest> {
    let mut out = Vec::new();
    if codes.len() < 2 {
        return out;
    }
    for ((fit, _), cols) in equations.iter().zip(columns) {
        for (at, l) in conditional_rows(cols, codes, moderators) {
            if let Ok(t) = joint_rows_test(fit, &l, codes) {
                out.push(omnibus(fit, x, OmnibusKind::Conditional, at, t));
            }
        }
    }
    out
}

/// A probe point as (moderator, label) pairs.
type ProbeAt = Vec<(String, String)>;

/// At every probe point of the moderators of X's codes in one equation, the weights of each
/// code's conditional effect (the rows of the joint test). Empty when the codes are not all
/// moderated by the same moderators, or by something other than a moderator.
fn conditional_rows(
    cols: &[Vec<String>],
    codes: &[String],
    moderators: &[Moderator],
) -> Vec<(ProbeAt, Vec<Vec<f64>>)> {
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

/// Stage 6: in a three-way model whose X, W or Z is categorical (which the single-column tests of
/// `conditional.rs` leave out), for each focal predictor `f` (X's codes, or a mediator) with
/// products `f:w` and `f:w:z` in an equation, at every probe point of Z: the joint test that
/// every coefficient of `f:w` conditional on that Z is zero.
pub(super) fn conditional_interaction_omnibus(
    equations: &[(EquationFit, Vec<R2Change>)],
    columns: &[Vec<Vec<String>>],
    (x, codes): (&str, &[String]),
    mediators: &[String],
    moderators: &[Moderator],
) -> Vec<OmnibusTest> {
    let mut out = Vec::new();
    let [w, z, ..] = moderators else {
        return out;
    };
    let x_codes: Vec<String> = if codes.is_empty() {
        vec![x.to_string()]
    } else {
        codes.to_vec()
    };
    let focals = std::iter::once((x, x_codes))
        .chain(mediators.iter().map(|m| (m.as_str(), vec![m.clone()])));
    for (focal, f_codes) in focals {
        if f_codes.len() * w.factors.len() * z.factors.len() == 1 {
            continue;
        }
        for ((fit, _), cols) in equations.iter().zip(columns) {
            let find = |want: &[&String]| {
                cols.iter()
                    .position(|c| c.len() == want.len() && want.iter().all(|f| c.contains(f)))
            };
            let mut pairs = Vec::new();
            for fc in &f_codes {
                for wc in &w.factors {
                    let by_z: Option<Vec<usize>> =
                        z.factors.iter().map(|zc| find(&[fc, wc, zc])).collect();
                    match (find(&[fc, wc]), by_z) {
                        (Some(two), Some(three)) => pairs.push((two, three)),
                        _ => break,
                    }
                }
            }
            if pairs.len() != f_codes.len() * w.factors.len() {
                continue;
            }
            let term = format!("{focal}:{}", w.name);
            for p in &z.points {
                let rows: Vec<Vec<f64>> = pairs
                    .iter()
                    .map(|(two, three)| {
                        let mut l = vec![0.0; cols.len()];
                        l[*two] = 1.0;
                        for (j, c) in three.iter().zip(&p.codes) {
                            l[*j] = *c;
                        }
                        l
                    })
                    .collect();
                let names: Vec<String> = pairs
                    .iter()
                    .map(|(two, _)| fit.coefficients[*two].term.clone())
                    .collect();
                if let Ok(t) = joint_rows_test(fit, &rows, &names) {
                    let at = vec![(z.name.clone(), p.label.clone())];
                    out.push(omnibus(
                        fit,
                        &term,
                        OmnibusKind::ConditionalInteraction,
                        at,
                        t,
                    ));
                }
            }
        }
    }
    out
}
