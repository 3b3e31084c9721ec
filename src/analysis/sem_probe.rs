//! Conditional effects of `cipa sem`'s defined parameters: a `:=` that names an observed
//! variable W (`ind_w := a1*b + a3*b*W`, W not a label) is a function of W, probed as PROCESS
//! probes a moderator (16th/50th/84th percentiles of W in the analysis sample, mean ± 1 SD, or
//! given values; effects/probe.rs). Each probe value v becomes its own `:=` with W replaced by
//! the number v, so the engine gives it a delta-method SE and the SEM bootstrap and Monte Carlo
//! evaluate it per draw with W held at the sample's values (PROCESS fixes the probe values
//! likewise). A `:=` linear in W also gets its slope in W, the index of moderated mediation
//! (Hayes 2015, Multivariate Behavioral Research 50, 1–22) when the `:=` is an indirect effect.

use std::collections::HashSet;

use serde::Serialize;

use crate::data::Dataset;
use crate::effects::probe::{numeric_points, ProbeMethod};
use crate::sem::{Missing, SemError};
use crate::spec::flat::{FlatDefined, FlatModel};
use crate::spec::Expr;

/// One `:=` probed at values of its moderator: which `:=` rows of the expanded model hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbedDefinition {
    /// The user's name of the `:=`.
    pub name: String,
    /// The user's expression.
    pub text: String,
    /// The observed variable the expression names.
    pub moderator: String,
    pub probe: ProbeMethod,
    /// The probe values of the moderator, in order, and the `:=` name of the effect at each.
    pub values: Vec<f64>,
    pub rows: Vec<String>,
    /// The `:=` name of the slope in the moderator, when the expression is linear in it.
    pub index: Option<String>,
    /// When the moderator is the observed factor of a latent product term, the mean it was
    /// centred at in the product indicators (sem/interaction/): the rows then hold W − centre,
    /// the scale the product's path is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centre: Option<f64>,
    /// The moderator is a latent factor of a latent product (mean 0), probed at 0 ± 1 SD of
    /// its model-implied variance or at --wvals.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub latent: bool,
}

/// `flat` with every `:=` naming an observed variable replaced by one `:=` per probe value
/// (and its index when linear), and what was replaced. `data` must already hold the product
/// columns (sem::products).
pub fn expand(
    flat: &FlatModel,
    data: &Dataset,
    missing: Missing,
    probe: &ProbeMethod,
) -> Result<(FlatModel, Vec<ProbedDefinition>), SemError> {
    expand_with_latents(flat, data, missing, probe, &[])
}

/// [`expand`], where a `:=` may also name a latent moderator of `latent` (a factor of a latent
/// product term, sem/interaction/), probed at the values given with it (its mean 0 and ± 1 SD
/// from a first fit, or --wvals): the latent is centred (mean 0), as its product indicators.
pub fn expand_with_latents(
    flat: &FlatModel,
    data: &Dataset,
    missing: Missing,
    probe: &ProbeMethod,
    latent: &[(String, Vec<f64>)],
) -> Result<(FlatModel, Vec<ProbedDefinition>), SemError> {
    expand_among(flat, data, missing, probe, latent, &[])
}

/// [`expand_with_latents`], with the probe values taken from the rows where the columns of
/// `needed` are observed as well (the grouping column of a multi-group fit, which drops the
/// rows without a group: the pooled sample of every group, sem_probe_groups.rs).
pub fn expand_among(
    flat: &FlatModel,
    data: &Dataset,
    missing: Missing,
    probe: &ProbeMethod,
    latent: &[(String, Vec<f64>)],
    needed: &[&str],
) -> Result<(FlatModel, Vec<ProbedDefinition>), SemError> {
    let is_var = |l: &str| data.contains(l) || latent.iter().any(|(n, _)| n == l);
    let mut known: HashSet<String> = flat
        .relations
        .iter()
        .flat_map(|r| r.modifier.labels.iter().flatten().cloned())
        .collect();
    let mut out = flat.clone();
    out.defined.clear();
    let mut probed = Vec::new();
    // A later := naming a probed one (`diff := ind1 - ind2`) is a function of W as well: it is
    // probed with the probed :='s expression written in, at the same values of W.
    let mut inlined: Vec<(String, Expr)> = Vec::new();
    for d in &flat.defined {
        let d = &FlatDefined {
            expr: inline(&d.expr, &inlined),
            ..d.clone()
        };
        let mut names = Vec::new();
        variables(&d.expr, &known, &is_var, &mut names);
        known.insert(d.name.clone());
        let w = match names.as_slice() {
            [] => {
                out.defined.push(d.clone());
                continue;
            }
            [w] => w.clone(),
            _ => {
                return Err(SemError::Unsupported {
                    what: format!(
                        "the := '{}' names the observed variables {}: a defined parameter is probed at the values of one moderator",
                        d.name,
                        names.join(" and ")
                    ),
                    pos: d.pos,
                })
            }
        };
        if let Some((_, values)) = latent.iter().find(|(n, _)| *n == w) {
            let how = match probe {
                ProbeMethod::Values(_) => probe.clone(),
                _ => ProbeMethod::MeanSd,
            };
            let mut p = probe_definition(d, (&w, None), &how, values, &mut out.defined);
            p.latent = true;
            name_probed_rows(&mut out.defined, &p, &inlined);
            inlined.push((d.name.clone(), d.expr.clone()));
            probed.push(p);
            continue;
        }
        let (values, mean) = probe_values(flat, data, (missing, needed), &w, probe)?;
        let centred = crate::sem::interaction::latent_products(flat, data)
            .iter()
            .any(|t| t.split(':').any(|f| f == w));
        let centre = centred.then_some(mean);
        let p = probe_definition(d, (&w, centre), probe, &values, &mut out.defined);
        name_probed_rows(&mut out.defined, &p, &inlined);
        inlined.push((d.name.clone(), d.expr.clone()));
        probed.push(p);
    }
    Ok((out, probed))
}

/// `e` with every name of `probed` (earlier probed :=) replaced by its expression.
fn inline(e: &Expr, probed: &[(String, Expr)]) -> Expr {
    let s = |a: &Expr| Box::new(inline(a, probed));
    match e {
        Expr::Label(l) => probed
            .iter()
            .find(|(n, _)| n == l)
            .map_or_else(|| e.clone(), |(_, x)| x.clone()),
        Expr::Num(_) => e.clone(),
        Expr::Neg(a) => Expr::Neg(s(a)),
        Expr::Call(f, a) => Expr::Call(*f, s(a)),
        Expr::Add(a, b) => Expr::Add(s(a), s(b)),
        Expr::Sub(a, b) => Expr::Sub(s(a), s(b)),
        Expr::Mul(a, b) => Expr::Mul(s(a), s(b)),
        Expr::Div(a, b) => Expr::Div(s(a), s(b)),
        Expr::Pow(a, b) => Expr::Pow(s(a), s(b)),
    }
}

/// The text of `p`'s rows names the earlier probed := at the same value (`ind1(W=5) -
/// ind2(W=5)`), the rows they are.
fn name_probed_rows(defined: &mut [FlatDefined], p: &ProbedDefinition, earlier: &[(String, Expr)]) {
    for (row, v) in p.rows.iter().zip(&p.values) {
        let Some(d) = defined.iter_mut().find(|d| d.name == *row) else {
            continue;
        };
        let at = crate::effects::probe::label(*v);
        for (n, _) in earlier {
            d.text = substitute_text(&d.text, n, &format!("{n}({}={at})", p.moderator));
        }
    }
}

/// The std.lv / std.all values (and their bootstrap) of the probed rows are withheld (NaN,
/// `null` in JSON): standardizing the paths while W keeps its raw probe value gives a number
/// with no meaning (PROCESS standardizes no conditional indirect effect either).
pub fn withhold_standardized(
    fit: &mut crate::sem::SemFit,
    boot: Option<&mut crate::sem::resample::SemBootstrap>,
    probed: &[ProbedDefinition],
) {
    let names: HashSet<&str> = probed
        .iter()
        .flat_map(|p| p.rows.iter().chain(&p.index))
        .map(String::as_str)
        .collect();
    for r in fit
        .parameters
        .iter_mut()
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

/// The `:=` rows of `d` at each value of `w` (and its index), appended to `defined`.
fn probe_definition(
    d: &FlatDefined,
    (w, centre): (&str, Option<f64>),
    probe: &ProbeMethod,
    values: &[f64],
    defined: &mut Vec<FlatDefined>,
) -> ProbedDefinition {
    let mut rows = Vec::new();
    for &v in values {
        let name = format!("{}({w}={})", d.name, crate::effects::probe::label(v));
        let text = match centre {
            Some(c) => format!("({v} - {c})"),
            None => format!("({v})"),
        };
        defined.push(FlatDefined {
            name: name.clone(),
            expr: substitute(&d.expr, w, v - centre.unwrap_or(0.0)),
            text: substitute_text(&d.text, w, &text),
            pos: d.pos,
        });
        rows.push(name);
    }
    let index = (degree(&d.expr, w) == Some(1)).then(|| {
        let name = format!("{}(index)", d.name);
        defined.push(FlatDefined {
            name: name.clone(),
            // Exact for an expression linear in W: f(1) − f(0).
            expr: Expr::Sub(
                Box::new(substitute(&d.expr, w, 1.0)),
                Box::new(substitute(&d.expr, w, 0.0)),
            ),
            text: format!("d({})/d{w}", d.name),
            pos: d.pos,
        });
        name
    });
    ProbedDefinition {
        name: d.name.clone(),
        text: d.text.clone(),
        moderator: w.to_string(),
        probe: probe.clone(),
        values: values.to_vec(),
        rows,
        index,
        centre,
        latent: false,
    }
}

/// The names in `e` that are no label or earlier `:=` but a moderator (a data column, or a
/// latent given probe values), in order.
fn variables(
    e: &Expr,
    known: &HashSet<String>,
    is_var: &dyn Fn(&str) -> bool,
    out: &mut Vec<String>,
) {
    match e {
        Expr::Num(_) => {}
        Expr::Label(l) => {
            if !known.contains(l) && is_var(l) && !out.contains(l) {
                out.push(l.clone());
            }
        }
        Expr::Neg(a) | Expr::Call(_, a) => variables(a, known, is_var, out),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
            variables(a, known, is_var, out);
            variables(b, known, is_var, out);
        }
    }
}

/// The probe values of `w` in the rows the fit uses: the complete rows of the model's observed
/// variables (listwise), or every row with `w` observed (FIML); in both, `needed` observed.
fn probe_values(
    flat: &FlatModel,
    data: &Dataset,
    (missing, needed): (Missing, &[&str]),
    w: &str,
    probe: &ProbeMethod,
) -> Result<(Vec<f64>, f64), SemError> {
    let mut vars: Vec<&str> = vec![w];
    vars.extend(needed.iter().filter(|v| **v != w));
    if missing == Missing::Listwise {
        for r in &flat.relations {
            for v in std::iter::once(&r.lhs).chain(&r.rhs) {
                if data.contains(v) && !vars.contains(&v.as_str()) {
                    vars.push(v);
                }
            }
        }
    }
    let rows = crate::data::complete_cases(data, &vars)?.rows;
    let col = data.numeric(w)?;
    let values: Vec<f64> = rows.iter().map(|&r| col[r]).collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let points = numeric_points(&values, probe)
        .into_iter()
        .map(|p| p.value)
        .collect();
    Ok((points, mean))
}

fn substitute(e: &Expr, w: &str, v: f64) -> Expr {
    let s = |a: &Expr| Box::new(substitute(a, w, v));
    match e {
        Expr::Label(l) if l == w => Expr::Num(v),
        Expr::Num(_) | Expr::Label(_) => e.clone(),
        Expr::Neg(a) => Expr::Neg(s(a)),
        Expr::Call(f, a) => Expr::Call(*f, s(a)),
        Expr::Add(a, b) => Expr::Add(s(a), s(b)),
        Expr::Sub(a, b) => Expr::Sub(s(a), s(b)),
        Expr::Mul(a, b) => Expr::Mul(s(a), s(b)),
        Expr::Div(a, b) => Expr::Div(s(a), s(b)),
        Expr::Pow(a, b) => Expr::Pow(s(a), s(b)),
    }
}

/// `text` with every whole-word `w` replaced by `by` (names are letters, digits, `_` and `.`).
fn substitute_text(text: &str, w: &str, by: &str) -> String {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut out = String::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_name(c) {
            word.push(c);
            continue;
        }
        out.push_str(if word == w { by } else { &word });
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// The polynomial degree of `e` in `w`, `None` when it is no polynomial in `w`.
fn degree(e: &Expr, w: &str) -> Option<u32> {
    match e {
        Expr::Num(_) => Some(0),
        Expr::Label(l) => Some(u32::from(l == w)),
        Expr::Neg(a) => degree(a, w),
        Expr::Add(a, b) | Expr::Sub(a, b) => Some(degree(a, w)?.max(degree(b, w)?)),
        Expr::Mul(a, b) => Some(degree(a, w)? + degree(b, w)?),
        Expr::Div(a, b) => (degree(b, w)? == 0).then_some(degree(a, w)?),
        Expr::Pow(a, b) => match (degree(a, w)?, b.as_ref()) {
            (0, _) => (degree(b, w)? == 0).then_some(0),
            (k, Expr::Num(p)) if p.fract() == 0.0 && *p >= 0.0 => Some(k * *p as u32),
            _ => None,
        },
        Expr::Call(_, a) => (degree(a, w)? == 0).then_some(0),
    }
}

/// The latent factors of latent product terms (sem/interaction/) that a `:=` names: moderators
/// whose probe values (0 ± 1 SD) need a fit first.
pub fn latent_moderators(flat: &FlatModel, data: &Dataset) -> Vec<String> {
    let latents: HashSet<&str> = flat
        .relations
        .iter()
        .filter(|r| r.op == crate::spec::flat::RelOp::Measure)
        .map(|r| r.lhs.as_str())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for term in crate::sem::interaction::latent_products(flat, data) {
        for f in term.split(':').filter(|f| latents.contains(f)) {
            let named = flat.defined.iter().any(|d| names(&d.expr, f));
            if named && !out.iter().any(|o| o == f) {
                out.push(f.to_string());
            }
        }
    }
    out
}

/// `flat` without the `:=` that name any of `moderators`, directly or through an earlier `:=`
/// (the first fit, from which a latent moderator's SD is taken).
pub fn without_moderated(flat: &FlatModel, moderators: &[String]) -> FlatModel {
    let mut dropped: Vec<String> = moderators.to_vec();
    let mut out = flat.clone();
    out.defined.clear();
    for d in &flat.defined {
        if dropped.iter().any(|m| names(&d.expr, m)) {
            dropped.push(d.name.clone());
        } else {
            out.defined.push(d.clone());
        }
    }
    out
}

/// Whether `e` names `w`.
fn names(e: &Expr, w: &str) -> bool {
    match e {
        Expr::Num(_) => false,
        Expr::Label(l) => l == w,
        Expr::Neg(a) | Expr::Call(_, a) => names(a, w),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
            names(a, w) || names(b, w)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        let flat =
            crate::spec::syntax::parse_flat("t", &format!("y ~ a*x + b*W + a3*m\nd := {text}"))
                .unwrap();
        flat.defined[0].expr.clone()
    }

    #[test]
    fn degree_in_the_moderator() {
        assert_eq!(degree(&expr("a*b + a3*b*W"), "W"), Some(1));
        assert_eq!(degree(&expr("a*b*W^2"), "W"), Some(2));
        assert_eq!(degree(&expr("a/W"), "W"), None);
        assert_eq!(degree(&expr("exp(a)*W"), "W"), Some(1));
    }

    /// A := naming a probed := is probed at the same values, its rows naming theirs.
    #[test]
    fn a_definition_of_a_probed_definition_is_probed_too() {
        let csv = "x,m,y,w\n1,2,3,1\n2,1,3,2\n3,3,1,3\n4,2,2,4\n5,4,1,5\n";
        let data = crate::data::read_csv_str("t.csv", csv, b',', &Default::default()).unwrap();
        let flat = crate::spec::syntax::parse_flat(
            "t",
            "m ~ a*x\ny ~ b*m + c*x + w\nind := a*b*w\ntot := ind + c",
        )
        .unwrap();
        let probe = ProbeMethod::Values(vec![2.0]);
        let (out, probed) = expand(&flat, &data, Missing::Listwise, &probe).unwrap();
        assert_eq!(probed.len(), 2);
        assert_eq!(probed[1].moderator, "w");
        let at = crate::effects::probe::label(2.0);
        let tot = out
            .defined
            .iter()
            .find(|d| d.name == format!("tot(w={at})"));
        let tot = tot.expect("tot probed at w = 2");
        assert_eq!(tot.text, format!("ind(w={at}) + c"));
        assert_eq!(degree(&tot.expr, "w"), Some(0));
        assert_eq!(probed[1].index.as_deref(), Some("tot(index)"));
    }

    #[test]
    fn text_substitution_is_whole_word() {
        assert_eq!(
            substitute_text("a*b + a3*b*W + W2", "W", "(0.5)"),
            "a*b + a3*b*(0.5) + W2"
        );
    }
}
