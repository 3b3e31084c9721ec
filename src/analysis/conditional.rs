//! Conditional effects of a focal predictor within one equation (PROCESS's "conditional effects
//! of the focal predictor at values of the moderator(s)" in each outcome model), with analytic
//! standard errors from that equation's covariance, and Johnson-Neyman where one numeric moderator
//! is involved.

use serde::Serialize;

use crate::data::Dataset;
use crate::effects::Moderator;
use crate::estimation::{EquationFit, R2Change};

use super::jn::{johnson_neyman, JnResult};
use super::linear::{linear_test, LinearTest};

/// One row: the effect at one combination of moderator values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionalRow {
    /// (moderator, probe label) pairs.
    pub at: Vec<(String, String)>,
    #[serde(flatten)]
    pub test: LinearTest,
}

/// The conditional effects of `focal` on `outcome`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionalEffects {
    pub outcome: String,
    pub focal: String,
    pub moderators: Vec<String>,
    pub rows: Vec<ConditionalRow>,
    /// The smallest p of the equation's tests of highest-order interactions that involve the
    /// focal predictor (NaN when none does).
    #[serde(skip)]
    pub interaction_p: f64,
    /// PROCESS's intprobe decision: `interaction_p` is at or below the option's `intprobe` (or
    /// there is no test), so the text report shows these conditional effects. The rows are
    /// computed, and in the JSON output, either way.
    #[serde(skip)]
    pub probed: bool,
}

/// For every equation and every focal candidate (X's design factors and the mediators) that the
/// equation multiplies by a moderator: its conditional effects, and Johnson-Neyman when `jn`.
pub(super) fn equation_effects(
    fits: &[(EquationFit, Vec<R2Change>)],
    columns: &[Vec<Vec<String>>],
    candidates: &[String],
    moderators: &[Moderator],
    data: &Dataset,
    opts: &super::AnalysisOptions,
) -> (Vec<ConditionalEffects>, Vec<JnResult>) {
    let owners = Owners(moderators);
    let mut out = Vec::new();
    let mut jns = Vec::new();
    for ((fit, tests), cols) in fits.iter().zip(columns) {
        for v in candidates {
            let with_v: Vec<usize> = (0..cols.len()).filter(|&j| cols[j].contains(v)).collect();
            let Some(mods) = owners.moderating(cols, &with_v, v) else {
                continue;
            };
            let crit = super::linear::critical(fit, opts.conf, opts.process_t);
            let rows = grid(moderators, &mods)
                .into_iter()
                .map(|point| {
                    let l = owners.weights(cols, &with_v, v, &point.1);
                    ConditionalRow {
                        at: point.0,
                        test: linear_test(fit, &l, crit),
                    }
                })
                .collect();
            if let ([m], true) = (mods.as_slice(), opts.jn) {
                jns.extend(focal_jn(fit, cols, &with_v, v, &moderators[*m], data, crit));
            }
            let interaction_p = interaction_p(tests, v);
            out.push(ConditionalEffects {
                outcome: fit.outcome.clone(),
                focal: v.clone(),
                moderators: mods.iter().map(|&m| moderators[m].name.clone()).collect(),
                rows,
                interaction_p,
                // No test (NaN): probed.
                probed: interaction_p.is_nan() || interaction_p <= opts.intprobe,
            });
        }
    }
    (out, jns)
}

/// The moderators, looked up by their design factors.
pub(super) struct Owners<'a>(pub(super) &'a [Moderator]);

impl Owners<'_> {
    /// The moderator owning design factor `f`, and the factor's position among its factors.
    fn owner(&self, f: &str) -> Option<(usize, usize)> {
        self.0
            .iter()
            .enumerate()
            .find_map(|(m, md)| md.factors.iter().position(|x| x == f).map(|k| (m, k)))
    }

    /// The moderators (sorted indices) that multiply focal `v` in the columns `with_v`; `None`
    /// when no moderator does, or when some other variable does (then there are no conditional
    /// effects at the probe points alone).
    pub(super) fn moderating(
        &self,
        cols: &[Vec<String>],
        with_v: &[usize],
        v: &str,
    ) -> Option<Vec<usize>> {
        let mut mods: Vec<usize> = Vec::new();
        for &j in with_v {
            for f in rest_of(&cols[j], v).1 {
                let (m, _) = self.owner(f)?;
                if !mods.contains(&m) {
                    mods.push(m);
                }
            }
        }
        mods.sort_unstable();
        (!mods.is_empty()).then_some(mods)
    }

    /// The weights of v's conditional effect at a probe point (`at[m]`: the point of moderator m).
    pub(super) fn weights(
        &self,
        cols: &[Vec<String>],
        with_v: &[usize],
        v: &str,
        at: &[Option<usize>],
    ) -> Vec<f64> {
        (0..cols.len())
            .map(|j| {
                if !with_v.contains(&j) {
                    return 0.0;
                }
                let (power, rest) = rest_of(&cols[j], v);
                power
                    * rest
                        .iter()
                        .map(|f| {
                            self.owner(f).map_or(f64::NAN, |(m, k)| {
                                at[m].map_or(f64::NAN, |p| self.0[m].points[p].codes[k])
                            })
                        })
                        .product::<f64>()
            })
            .collect()
    }
}

/// The derivative of the product `col` in `v` as `power · Π rest`: `x^2` in `x` is `2 · x`,
/// `x:w` is `1 · w` (the power rule; `col` contains `v`).
fn rest_of<'c>(col: &'c [String], v: &str) -> (f64, Vec<&'c String>) {
    let first = col.iter().position(|f| f == v);
    let power = col.iter().filter(|f| *f == v).count();
    let rest = col
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != first)
        .map(|(_, f)| f)
        .collect();
    (power as f64, rest)
}

/// Johnson-Neyman for focal `v` along one numeric moderator with more than two values, when v's
/// effect is linear in it (`l0 + w·l1`: v alone and v times the moderator, or `b1 + 2 b2 x` when
/// v is X entering as a square, X its own moderator).
fn focal_jn(
    fit: &EquationFit,
    cols: &[Vec<String>],
    with_v: &[usize],
    v: &str,
    moderator: &Moderator,
    data: &Dataset,
    crit: (f64, Option<f64>),
) -> Option<JnResult> {
    let [w] = moderator.factors.as_slice() else {
        return None;
    };
    let mut l0 = vec![0.0; cols.len()];
    let mut l1 = vec![0.0; cols.len()];
    for &j in with_v {
        match rest_of(&cols[j], v) {
            (power, rest) if rest.is_empty() => l0[j] = power,
            (power, rest) if rest.len() == 1 && rest[0] == w => l1[j] = power,
            _ => return None,
        }
    }
    let values = data
        .numeric(&moderator.name)
        .ok()
        .filter(|v| !two_valued(v))?;
    let mut r = johnson_neyman(fit, &l0, &l1, values, crit, (&fit.outcome, v));
    r.moderator = moderator.name.clone();
    Some(r)
}

/// The smallest p of the tests of single highest-order products that involve `focal` (NaN:
/// none). PROCESS decides on these (the smaller of X*W's and X*Z's p), never on the joint
/// `BOTH(X)` test.
fn interaction_p(tests: &[R2Change], focal: &str) -> f64 {
    tests
        .iter()
        .filter(|t| {
            let [term] = t.terms.as_slice() else {
                return false;
            };
            // A categorical X's code (`g[2]`) is tested through its variable's product (`g:w`).
            let base = crate::estimation::term_base(focal);
            term.split(':').any(|f| f == focal || f == base)
        })
        .map(|t| t.p)
        .fold(f64::NAN, f64::min)
}

/// A moderator with at most two distinct values has no regions of significance to find: its two
/// conditional effects are the whole story, and PROCESS computes no Johnson-Neyman for it.
pub(super) fn two_valued(values: &[f64]) -> bool {
    crate::numeric::distinct_finite(values).len() <= 2
}

/// Every combination of the probe points of the given moderators: labels, and for each moderator
/// the index of its point (`None` for moderators not involved).
pub(super) type Point = (Vec<(String, String)>, Vec<Option<usize>>);

pub(super) fn grid(moderators: &[Moderator], mods: &[usize]) -> Vec<Point> {
    let mut out: Vec<Point> = vec![(Vec::new(), vec![None; moderators.len()])];
    for &m in mods {
        let mut next = Vec::new();
        for (labels, idx) in &out {
            for (k, p) in moderators[m].points.iter().enumerate() {
                let mut l2 = labels.clone();
                l2.push((moderators[m].name.clone(), p.label.clone()));
                let mut i2 = idx.clone();
                i2[m] = Some(k);
                next.push((l2, i2));
            }
        }
        out = next;
    }
    out
}

/// A two-way product's coefficient conditional on a third variable (PROCESS model 3's "test of
/// conditional X*W interaction at value(s) of Z"): `b_xw + b_xwz·z`, tested with F = t² (df 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionalInteraction {
    pub outcome: String,
    /// The product, e.g. `x:w`.
    pub term: String,
    /// The moderator it is conditioned on (Z).
    pub moderator: String,
    pub rows: Vec<ConditionalRow>,
}

/// For every equation with a three-way product `x:w:z` of a focal candidate and two moderators:
/// the `x:w` interaction at the probe values of `z`, and Johnson-Neyman along `z` when `jn`.
pub(super) fn interaction_effects(
    fits: &[(EquationFit, Vec<R2Change>)],
    columns: &[Vec<Vec<String>>],
    candidates: &[String],
    moderators: &[Moderator],
    data: &Dataset,
    opts: &super::AnalysisOptions,
) -> (Vec<ConditionalInteraction>, Vec<JnResult>) {
    let mut out = Vec::new();
    let mut jns = Vec::new();
    if moderators.len() < 2 || moderators.iter().any(|m| m.factors.len() != 1) {
        return (out, jns);
    }
    let (w, z) = (&moderators[0], &moderators[1]);
    let (wf, zf) = (&w.factors[0], &z.factors[0]);
    for ((fit, _), cols) in fits.iter().zip(columns) {
        for x in candidates {
            let find = |want: &[&String]| {
                cols.iter()
                    .position(|c| c.len() == want.len() && want.iter().all(|f| c.contains(f)))
            };
            let (Some(xw), Some(xwz)) = (find(&[x, wf]), find(&[x, wf, zf])) else {
                continue;
            };
            let crit = super::linear::critical(fit, opts.conf, opts.process_t);
            let l_at = |zv: f64| {
                let mut l = vec![0.0; cols.len()];
                l[xw] = 1.0;
                l[xwz] = zv;
                l
            };
            let rows = z
                .points
                .iter()
                .map(|p| ConditionalRow {
                    at: vec![(z.name.clone(), p.label.clone())],
                    test: linear_test(fit, &l_at(p.value), crit),
                })
                .collect();
            let term = format!("{x}:{}", w.name);
            if opts.jn {
                if let Some(values) = data.numeric(&z.name).ok().filter(|v| !two_valued(v)) {
                    let mut r = johnson_neyman(
                        fit,
                        &l_at(0.0),
                        &{
                            let mut l1 = vec![0.0; cols.len()];
                            l1[xwz] = 1.0;
                            l1
                        },
                        values,
                        crit,
                        (&fit.outcome, &term),
                    );
                    r.moderator = z.name.clone();
                    jns.push(r);
                }
            }
            out.push(ConditionalInteraction {
                outcome: fit.outcome.clone(),
                term,
                moderator: z.name.clone(),
                rows,
            });
        }
    }
    (out, jns)
}
