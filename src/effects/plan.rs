//! Which effects a fitted system has and how to compute each from the coefficient vectors. The plan
//! is built once from the system's structure; the point estimate and every bootstrap draw then call
//! the same [`EffectPlan::evaluate`], so they can never disagree.

use serde::Serialize;

use super::poly::Poly;

/// The structure of one fitted equation: its outcome and, for each coefficient, the design factors
/// multiplied in that column (empty for the constant; `["x", "w"]` for `x:w`; a categorical
/// variable contributes its coded columns' names, e.g. `g[2]`).
#[derive(Debug, Clone, PartialEq)]
pub struct EqShape {
    pub outcome: String,
    pub columns: Vec<Vec<String>>,
}

/// One value of a moderator at which effects are probed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbePoint {
    /// As shown to the user (a number, or a level of a categorical moderator).
    pub label: String,
    /// The moderator's value; `NaN` for a categorical moderator.
    pub value: f64,
    /// Values of the moderator's design factors (one for a numeric moderator, k - 1 codes for a
    /// categorical one).
    pub codes: Vec<f64>,
}

/// A moderator: its design factors and probe points.
#[derive(Debug, Clone, PartialEq)]
pub struct Moderator {
    pub name: String,
    pub factors: Vec<String>,
    pub points: Vec<ProbePoint>,
    /// Indices of moderated mediation are per this many units of the moderator: 1, or max - min
    /// for a dichotomous moderator (so the index is the difference between its two conditional
    /// indirect effects, as PROCESS reports it).
    pub index_unit: f64,
}

/// What an effect is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    Direct,
    Indirect,
    TotalIndirect,
    Total,
    /// Index of moderated mediation (one moderator, indirect effect linear in it).
    IndexOfModeratedMediation,
    /// Index of partial moderated mediation (two moderators, no interaction between them).
    PartialIndex,
    /// Conditional index of moderated mediation (slope in one moderator at a value of the other).
    ConditionalIndex,
    /// Index of moderated moderated mediation.
    ModeratedModeratedIndex,
    /// Difference of two specific indirect effects.
    Contrast,
    /// The counterfactual effects of a mediation with an X×M interaction (PROCESS's `xmint`; see
    /// [`super::counterfactual`]): the pure natural direct effect (PROCESS's "(Pure) Natural
    /// direct effect"), ...
    PureNaturalDirect,
    /// ... the total natural direct effect, ...
    TotalNaturalDirect,
    /// ... the controlled direct effect at a value of M, ...
    ControlledDirect,
    /// ... the total natural indirect effect (PROCESS's "(Total) Natural indirect effect"), ...
    TotalNaturalIndirect,
    /// ... the pure natural indirect effect, ...
    PureNaturalIndirect,
    /// ... and the total effect, pure natural direct + total natural indirect.
    CounterfactualTotal,
}

impl EffectKind {
    /// A direct effect: a linear combination of the outcome equation's coefficients, whose
    /// analytic test PROCESS prints (conditional, natural and controlled direct effects).
    pub fn is_direct(self) -> bool {
        matches!(
            self,
            EffectKind::Direct
                | EffectKind::PureNaturalDirect
                | EffectKind::TotalNaturalDirect
                | EffectKind::ControlledDirect
        )
    }

    /// One of the counterfactual effects of `xmint`.
    pub fn is_counterfactual(self) -> bool {
        matches!(
            self,
            EffectKind::PureNaturalDirect
                | EffectKind::TotalNaturalDirect
                | EffectKind::ControlledDirect
                | EffectKind::TotalNaturalIndirect
                | EffectKind::PureNaturalIndirect
                | EffectKind::CounterfactualTotal
        )
    }
}

/// How an effect's value follows from the polynomials.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Formula {
    /// Polynomial `poly` at probe factor values `x`.
    At { poly: usize, x: Vec<f64> },
    /// `scale` × (coefficient of a monomial, plus a value × the coefficient of another one).
    Coef {
        poly: usize,
        exps: Vec<u8>,
        plus: Option<(Vec<u8>, f64)>,
        scale: f64,
    },
    /// Difference of two earlier effects.
    Diff(usize, usize),
    /// `Σ weight · Π betas[e][j]` over the terms, fixed when the effect is made.
    Products(Vec<(f64, Vec<(usize, usize)>)>),
}

/// An effect in the output: what it is, along which path, at which moderator values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectDef {
    pub kind: EffectKind,
    /// The focal antecedent's design factor (`x`, or `x[2]` for a categorical X).
    pub focal: String,
    /// Variables along the path, X first and Y last (for indices and contrasts, the path(s)
    /// concerned).
    pub path: Vec<String>,
    /// Moderator values: (moderator, probe label).
    pub moderators: Vec<(String, String)>,
    /// For moderated direct effects: the outcome equation's column weights (`l'β`), so an
    /// analytic standard error `sqrt(l'Vl)` can be computed.
    #[serde(skip)]
    pub direct_weights: Option<(usize, Vec<f64>)>,
    /// For indices: the moderator whose index this is; for contrasts, a label such as "C1".
    pub label: Option<String>,
    #[serde(skip)]
    pub(super) formula: Formula,
}

/// A combination of probe points: values of every probe factor, and (moderator, label) pairs.
type GridPoint = (Vec<f64>, Vec<(String, String)>);

/// The unit coefficients of every equation and each probe factor's moderator: what placing an
/// effect at the moderators' points needs.
struct Weights<'a> {
    unit: &'a [Vec<f64>],
    owner: &'a [usize],
}

/// The indirect effect whose indices are being added.
struct IndexOf<'a> {
    poly: usize,
    focal: &'a str,
    path: &'a [String],
}

/// Why an effect cannot be planned.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError(pub String);

#[derive(Debug, Clone, PartialEq)]
pub(super) enum PolyDef {
    /// Stages `(equation, factor)` multiplied along a path.
    Path(Vec<(usize, String)>),
    Sum(Vec<usize>),
}

/// The effects of a system and how to compute them.
#[derive(Debug, Clone)]
pub struct EffectPlan {
    pub(super) shapes: Vec<EqShape>,
    pub(super) probe_factors: Vec<String>,
    pub(super) polys: Vec<PolyDef>,
    pub moderators: Vec<Moderator>,
    pub effects: Vec<EffectDef>,
    /// Notes for the reader, e.g. why an index of moderated mediation is not reported.
    pub notes: Vec<String>,
}

impl EffectPlan {
    /// Plans the effects of `focal` (X's design factors) on `y` through the system's equations.
    /// `contrasts` adds pairwise differences of specific indirect effects; `total` adds the total
    /// effect in models without moderation.
    pub fn new(
        shapes: Vec<EqShape>,
        focal: &[String],
        y: &str,
        moderators: Vec<Moderator>,
        contrasts: bool,
        total: bool,
    ) -> Result<EffectPlan, PlanError> {
        let probe_factors: Vec<String> =
            moderators.iter().flat_map(|m| m.factors.clone()).collect();
        let owner: Vec<usize> = moderators
            .iter()
            .enumerate()
            .flat_map(|(i, m)| std::iter::repeat_n(i, m.factors.len()))
            .collect();
        let y_eq = shapes
            .iter()
            .position(|s| s.outcome == y)
            .ok_or_else(|| PlanError(format!("no equation for the outcome '{y}'")))?;
        let mut plan = EffectPlan {
            shapes,
            probe_factors,
            polys: Vec::new(),
            moderators,
            effects: Vec::new(),
            notes: Vec::new(),
        };
        plan.check_products(focal)?;
        let unit: Vec<Vec<f64>> = plan
            .shapes
            .iter()
            .map(|s| vec![1.0; s.columns.len()])
            .collect();
        let at = Weights {
            unit: &unit,
            owner: &owner,
        };
        for x in focal {
            let direct = plan.add_direct(x, y, y_eq, &at);
            let paths = plan.paths_from(x, y_eq);
            let (ind_polys, first_of_path) = plan.add_specific(x, &paths, &at);
            let to_y = || vec![x.clone(), y.to_string()];
            if paths.len() > 1 {
                let id = plan.add_poly(PolyDef::Sum(ind_polys.clone()));
                plan.add_at_points(id, EffectKind::TotalIndirect, x, to_y(), None, &at);
            }
            let moderated =
                |p: usize, plan: &EffectPlan| !plan.structural(p, &unit).vars().is_empty();
            let any_moderated =
                moderated(direct, &plan) || ind_polys.iter().any(|i| moderated(*i, &plan));
            if total && !paths.is_empty() && !any_moderated {
                let all = std::iter::once(direct)
                    .chain(ind_polys.iter().copied())
                    .collect();
                let id = plan.add_poly(PolyDef::Sum(all));
                plan.add_at_points(id, EffectKind::Total, x, to_y(), None, &at);
            }
            if contrasts && paths.len() > 1 && !any_moderated {
                plan.add_contrasts(x, &first_of_path);
            }
        }
        Ok(plan)
    }

    /// X's direct effect on Y (at the moderators' points), each with the weights of the Y
    /// equation's columns that make it; returns its polynomial.
    fn add_direct(&mut self, x: &str, y: &str, y_eq: usize, at: &Weights) -> usize {
        let direct = self.add_poly(PolyDef::Path(vec![(y_eq, x.to_string())]));
        let first_direct = self.effects.len();
        let names = vec![x.to_string(), y.to_string()];
        self.add_at_points(direct, EffectKind::Direct, x, names, None, at);
        for e in &mut self.effects[first_direct..] {
            if let Formula::At { x: xv, .. } = &e.formula {
                e.direct_weights = Some((
                    y_eq,
                    direct_weights(&self.shapes[y_eq], x, &self.probe_factors, xv),
                ));
            }
        }
        direct
    }

    /// Each specific indirect effect along `paths` (at the moderators' points) with its indices;
    /// returns the paths' polynomials and the position of each path's first effect.
    fn add_specific(
        &mut self,
        x: &str,
        paths: &[Vec<(usize, String)>],
        at: &Weights,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut ind_polys = Vec::new();
        let mut first_of_path = Vec::new();
        for stages in paths {
            let names: Vec<String> = std::iter::once(x.to_string())
                .chain(stages.iter().map(|(e, _)| self.shapes[*e].outcome.clone()))
                .collect();
            let id = self.add_poly(PolyDef::Path(stages.clone()));
            ind_polys.push(id);
            first_of_path.push(self.effects.len());
            let kind = EffectKind::Indirect;
            self.add_at_points(id, kind, x, names.clone(), None, at);
            self.add_indices(id, x, &names, at);
        }
        (ind_polys, first_of_path)
    }

    /// The pairwise differences C1, C2, ... of the specific indirect effects that start at
    /// `firsts` (unmoderated paths: one effect each).
    fn add_contrasts(&mut self, x: &str, firsts: &[usize]) {
        let mut c = 0;
        for i in 0..firsts.len() {
            for j in i + 1..firsts.len() {
                c += 1;
                let (a, b) = (firsts[i], firsts[j]);
                let path = [
                    self.effects[a].path.clone(),
                    vec!["-".to_string()],
                    self.effects[b].path.clone(),
                ]
                .concat();
                self.effects.push(EffectDef {
                    kind: EffectKind::Contrast,
                    focal: x.to_string(),
                    path,
                    moderators: vec![],
                    direct_weights: None,
                    label: Some(format!("C{c}")),
                    formula: Formula::Diff(a, b),
                });
            }
        }
    }

    /// A plan holding only `effects` (for tests of effects made outside [`EffectPlan::new`]).
    #[cfg(test)]
    pub(super) fn from_effects(effects: Vec<EffectDef>) -> EffectPlan {
        EffectPlan {
            shapes: Vec::new(),
            probe_factors: Vec::new(),
            polys: Vec::new(),
            moderators: Vec::new(),
            effects,
            notes: Vec::new(),
        }
    }

    /// A path variable (X or an equation's outcome) multiplied by a factor that is not a
    /// moderator has no conditional effect to probe; refuse it up front rather than guess.
    fn check_products(&self, focal: &[String]) -> Result<(), PlanError> {
        let is_path = |f: &String| focal.contains(f) || self.shapes.iter().any(|s| &s.outcome == f);
        for s in &self.shapes {
            for col in s.columns.iter().filter(|c| c.len() >= 2) {
                if let Some(f) = col
                    .iter()
                    .find(|f| is_path(f) && is_power_of(col, f) && !self.probe_factors.contains(f))
                {
                    // The effect of M through `b1 m + b2 m²` depends on the value of M, which a
                    // path model does not fix (MEDCURVE's M -> Y curvature is not implemented);
                    // a power of X is probed at values of X, which makes X a probe factor.
                    return Err(PlanError(format!(
                        "the term '{}' in the equation for '{}' is a power of '{f}', a variable on the path from X to Y that is not probed; cipa differentiates a power of X (probed at values of X) but not of a mediator: model the curvature in X, or compute the power as a new column",
                        crate::spec::power_name(col),
                        s.outcome
                    )));
                }
                for f in col.iter().filter(|f| is_path(f)) {
                    // A product of two path variables is allowed when one of them is also a
                    // moderator (model 74: X moderates M -> Y through M:X); the other path
                    // variable is then held at zero in the effect of the first.
                    let self_moderated = |g: &String| {
                        is_path(g) && col.iter().any(|h| h != g && self.probe_factors.contains(h))
                    };
                    if let Some(other) = col
                        .iter()
                        .find(|g| *g != f && !self.probe_factors.contains(g) && !self_moderated(g))
                    {
                        return Err(PlanError(format!(
                            "the term '{}' in the equation for '{}' multiplies '{f}' by '{other}', which is not a moderator; declare '{other}' as a moderator (--w / --z) or remove the product",
                            col.join(":"),
                            s.outcome
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Directed paths from factor `x` to equation `y_eq` through mediators (equation outcomes),
    /// each as its stages `(equation, variable differentiated)`.
    fn paths_from(&self, x: &str, y_eq: usize) -> Vec<Vec<(usize, String)>> {
        let mut out = Vec::new();
        let mut stack: Vec<(String, Vec<(usize, String)>)> = vec![(x.to_string(), vec![])];
        while let Some((var, stages)) = stack.pop() {
            for (e, shape) in self.shapes.iter().enumerate() {
                if !shape.columns.iter().any(|c| c.contains(&var)) {
                    continue;
                }
                if stages.iter().any(|(se, _)| *se == e) {
                    continue;
                }
                let mut next = stages.clone();
                next.push((e, var.clone()));
                if e == y_eq {
                    if !stages.is_empty() {
                        out.push(next);
                    }
                } else {
                    stack.push((shape.outcome.clone(), next));
                }
            }
        }
        // PROCESS's order: shorter paths first, then by the mediators' equation order
        // (serial model 6: X->M1->Y, X->M2->Y, X->M1->M2->Y).
        out.sort_by_key(|p| (p.len(), p.iter().map(|s| s.0).collect::<Vec<_>>()));
        out
    }

    fn add_poly(&mut self, def: PolyDef) -> usize {
        self.polys.push(def);
        self.polys.len() - 1
    }

    /// The polynomial with every coefficient 1: its monomials are the structure.
    pub(super) fn structural(&self, id: usize, unit: &[Vec<f64>]) -> Poly {
        let mut cache = vec![None; self.polys.len()];
        self.poly(id, unit, &mut cache)
    }

    fn add_at_points(
        &mut self,
        poly: usize,
        kind: EffectKind,
        focal: &str,
        path: Vec<String>,
        label: Option<String>,
        w: &Weights,
    ) {
        let vars = self.structural(poly, w.unit).vars();
        let mut mods: Vec<usize> = vars.iter().map(|&v| w.owner[v]).collect();
        mods.sort_unstable();
        mods.dedup();
        for (x, labels) in self.grid(&mods) {
            self.effects.push(EffectDef {
                kind,
                focal: focal.to_string(),
                path: path.clone(),
                moderators: labels,
                direct_weights: None,
                label: label.clone(),
                formula: Formula::At { poly, x },
            });
        }
    }

    /// Every combination of the probe points of the given moderators, as probe-factor values and
    /// labels.
    fn grid(&self, mods: &[usize]) -> Vec<GridPoint> {
        let mut out = vec![(vec![0.0; self.probe_factors.len()], Vec::new())];
        for &m in mods {
            let moderator = &self.moderators[m];
            let offset: usize = self.moderators[..m].iter().map(|x| x.factors.len()).sum();
            let mut next = Vec::new();
            for (x, labels) in &out {
                for p in &moderator.points {
                    let mut x2 = x.clone();
                    for (k, v) in p.codes.iter().enumerate() {
                        x2[offset + k] = *v;
                    }
                    let mut l2 = labels.clone();
                    l2.push((moderator.name.clone(), p.label.clone()));
                    next.push((x2, l2));
                }
            }
            out = next;
        }
        out
    }

    /// Indices of moderated mediation for an indirect effect, following its structure: one
    /// index per moderator when the effect is linear in each and they do not multiply, the
    /// conditional and the moderated-moderated index for one product of two moderators, else a
    /// note saying why there is none.
    fn add_indices(&mut self, poly: usize, focal: &str, path: &[String], w: &Weights) {
        let s = self.structural(poly, w.unit);
        let vars = s.vars();
        if vars.is_empty() {
            return;
        }
        if let Some(why) = self.why_no_index(&s, &vars, focal, path, w.owner) {
            self.notes.push(why);
            return;
        }
        let nv = self.probe_factors.len();
        let cross: Vec<(usize, usize)> = s
            .terms
            .iter()
            .filter(|(e, _)| e.iter().map(|&p| p as usize).sum::<usize>() == 2)
            .filter_map(|(e, _)| {
                let idx: Vec<usize> = (0..nv).filter(|&v| e[v] == 1).collect();
                (idx.len() == 2).then(|| (idx[0], idx[1]))
            })
            .collect();
        let owner = w.owner;
        let index = IndexOf { poly, focal, path };
        if cross.is_empty() {
            self.add_simple_indices(&index, &vars, owner);
        } else if cross.len() == 1 && vars.len() == 2 && owner[cross[0].0] != owner[cross[0].1] {
            self.add_moderated_indices(&index, cross[0], owner);
        } else {
            self.notes.push(format!(
                "The indirect effect {} depends on the moderators in a way that has no standard index; see the conditional indirect effects.",
                path.join(" -> ")
            ));
        }
    }

    /// Why the indirect effect `s` has no index of moderated mediation: X itself enters a path
    /// as a power, a moderator enters it squared, or a product of more than two moderator values.
    fn why_no_index(
        &self,
        s: &Poly,
        vars: &[usize],
        focal: &str,
        path: &[String],
        owner: &[usize],
    ) -> Option<String> {
        let powered = |v: usize| {
            let f = &self.probe_factors[v];
            f == focal
                && self
                    .shapes
                    .iter()
                    .any(|sh| sh.columns.iter().any(|c| is_power_of(c, f)))
        };
        if let Some(&v) = vars.iter().find(|&&v| powered(v)) {
            return Some(format!(
                "The indirect effect {} changes with {} itself ({} enters a path as a power): its values at chosen values of {} are instantaneous indirect effects (Hayes & Preacher, 2010), and there is no index of moderated mediation.",
                path.join(" -> "),
                self.probe_factors[v],
                self.probe_factors[v],
                self.probe_factors[v]
            ));
        }
        if let Some(&v) = vars.iter().find(|&&v| s.degree_in(v) >= 2) {
            return Some(format!(
                "The indirect effect {} is not linear in {} (it is a polynomial of degree {}), so there is no single index of moderated mediation; see the conditional indirect effects.",
                path.join(" -> "),
                self.moderators[owner[v]].name,
                s.degree_in(v)
            ));
        }
        let higher = s
            .terms
            .iter()
            .any(|(e, _)| e.iter().map(|&p| p as usize).sum::<usize>() > 2);
        higher.then(|| {
            format!(
                "The indirect effect {} involves a product of more than two moderator values; no index is reported.",
                path.join(" -> ")
            )
        })
    }

    /// One index per probe factor of an effect linear in each moderator: the index of moderated
    /// mediation with one moderator, partial indices with several.
    fn add_simple_indices(&mut self, index: &IndexOf, vars: &[usize], owner: &[usize]) {
        let n_mods = {
            let mut m: Vec<usize> = vars.iter().map(|&v| owner[v]).collect();
            m.dedup();
            m.len()
        };
        let kind = if n_mods == 1 {
            EffectKind::IndexOfModeratedMediation
        } else {
            EffectKind::PartialIndex
        };
        for &v in vars {
            let label = self.probe_factors[v].clone();
            let scale = self.moderators[owner[v]].index_unit;
            let formula = Formula::Coef {
                poly: index.poly,
                exps: self.unit_exp(v),
                plus: None,
                scale,
            };
            self.push_index(index, kind, label, vec![], formula);
        }
    }

    /// For an effect with one product `a·b` of two moderators' factors: the index of each at
    /// every probe point of the other (conditional indices), and the index of the product
    /// (moderated moderated mediation).
    fn add_moderated_indices(&mut self, index: &IndexOf, (a, b): (usize, usize), owner: &[usize]) {
        let mut both = vec![0u8; self.probe_factors.len()];
        both[a] = 1;
        both[b] = 1;
        for (v, other) in [(a, b), (b, a)] {
            let om = self.moderators[owner[other]].clone();
            for p in om.points.iter() {
                let value = p.codes.first().copied().unwrap_or(f64::NAN);
                let formula = Formula::Coef {
                    poly: index.poly,
                    exps: self.unit_exp(v),
                    plus: Some((both.clone(), value)),
                    scale: self.moderators[owner[v]].index_unit,
                };
                let at = vec![(om.name.clone(), p.label.clone())];
                let label = self.probe_factors[v].clone();
                self.push_index(index, EffectKind::ConditionalIndex, label, at, formula);
            }
        }
        let label = format!("{}:{}", self.probe_factors[a], self.probe_factors[b]);
        let formula = Formula::Coef {
            poly: index.poly,
            exps: both,
            plus: None,
            scale: self.moderators[owner[a]].index_unit * self.moderators[owner[b]].index_unit,
        };
        self.push_index(
            index,
            EffectKind::ModeratedModeratedIndex,
            label,
            vec![],
            formula,
        );
    }

    /// The exponent vector of probe factor `v` alone.
    fn unit_exp(&self, v: usize) -> Vec<u8> {
        let mut e = vec![0u8; self.probe_factors.len()];
        e[v] = 1;
        e
    }

    fn push_index(
        &mut self,
        index: &IndexOf,
        kind: EffectKind,
        label: String,
        moderators: Vec<(String, String)>,
        formula: Formula,
    ) {
        self.effects.push(EffectDef {
            kind,
            focal: index.focal.to_string(),
            path: index.path.to_vec(),
            moderators,
            direct_weights: None,
            label: Some(label),
            formula,
        })
    }

    fn stage(&self, e: usize, var: &str, betas: &[Vec<f64>]) -> Poly {
        let nv = self.probe_factors.len();
        let mut p = Poly::zero();
        for (j, col) in self.shapes[e].columns.iter().enumerate() {
            let Some((k, rest)) = derivative(col, var) else {
                continue;
            };
            let mut exps = vec![0u8; nv];
            let mut at_zero = false;
            for f in rest {
                match self.probe_factors.iter().position(|p| p == f) {
                    Some(v) => exps[v] += 1,
                    // Another path variable (only where check_products allowed it): the effect
                    // is taken with it at zero, as PROCESS 2.16 reports model 74's direct effect.
                    None => at_zero = true,
                }
            }
            if !at_zero {
                p.add_term(exps, k * betas[e][j]);
            }
        }
        if p.terms.is_empty() {
            p = Poly::constant(nv, 0.0);
        }
        p
    }

    pub(super) fn poly(&self, id: usize, betas: &[Vec<f64>], cache: &mut [Option<Poly>]) -> Poly {
        if let Some(p) = &cache[id] {
            return p.clone();
        }
        let nv = self.probe_factors.len();
        let p = match &self.polys[id] {
            PolyDef::Path(stages) => stages.iter().fold(Poly::constant(nv, 1.0), |acc, (e, v)| {
                acc.mul(&self.stage(*e, v, betas))
            }),
            PolyDef::Sum(ids) => {
                let ids = ids.clone();
                ids.iter()
                    .fold(Poly::zero(), |acc, &i| acc.add(&self.poly(i, betas, cache)))
            }
        };
        cache[id] = Some(p.clone());
        p
    }

    /// Every effect's value for the given coefficient vectors (one per equation, in the order of
    /// the shapes), in the order of `effects`. For many evaluations, [`EffectPlan::compile`] once.
    pub fn evaluate(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        self.compile().evaluate(betas, out);
    }
}

/// `f` appears more than once in the product `col` (`x^2`).
fn is_power_of(col: &[String], f: &str) -> bool {
    col.iter().filter(|g| *g == f).count() >= 2
}

/// The derivative of the product `col` in `var`: `k · Π rest`, with `k` the power of `var` in it
/// and `rest` its other factors, one `var` fewer (`x^2` gives `2 · x`, `x:w` gives `1 · w`);
/// `None` when `var` is not in it.
pub(super) fn derivative<'c>(col: &'c [String], var: &str) -> Option<(f64, Vec<&'c String>)> {
    let first = col.iter().position(|f| f == var)?;
    let k = col.iter().filter(|f| *f == var).count();
    let rest = col
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != first)
        .map(|(_, f)| f)
        .collect();
    Some((k as f64, rest))
}

/// The weights `l` with direct effect = `l'β` of the outcome equation at probe values `x`.
fn direct_weights(shape: &EqShape, focal: &str, probe_factors: &[String], x: &[f64]) -> Vec<f64> {
    shape
        .columns
        .iter()
        .map(|col| {
            let Some((k, rest)) = derivative(col, focal) else {
                return 0.0;
            };
            // A factor that is not a moderator is another path variable, held at zero (see
            // `stage`).
            k * rest
                .iter()
                .map(|f| {
                    probe_factors
                        .iter()
                        .position(|p| p == *f)
                        .map_or(0.0, |v| x[v])
                })
                .product::<f64>()
        })
        .collect()
}
