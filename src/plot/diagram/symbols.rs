//! Path symbols for the arrows of a statistical diagram whose coefficients go in a key beneath
//! it, written as Hayes writes them in his statistical diagrams and in the equations of his
//! model templates (Hayes, 2022, *Introduction to Mediation, Moderation, and Conditional Process
//! Analysis*, 3rd ed., chapters 3-4 and appendix A):
//!
//! - into a mediator Mi: `a` for X and for the terms that moderate X's path (a1, a2, a3 for X,
//!   W, XW; a1i, a2i, a3i when there are several mediators, a single unmoderated path `ai`),
//!   `dij` for an earlier mediator Mj (d21: M1 -> M2), `f` for covariates;
//! - into Y: `c'` for X and the terms that moderate the direct path (c1', c2', c3'), `b` for the
//!   mediators and the terms that moderate their paths (b1 ... bk for M1 ... Mk, then the
//!   moderating terms), `g` for covariates; in a model without mediators `b1, b2, b3` for every
//!   term (Hayes' model 1).
//!
//! Into Y a moderator's own term belongs to the path of the first product it enters (b2 for W
//! in Hayes' model 14); into a mediator to X's (a2 for W in his model 7). Hayes has no symbol
//! for a moderated path from one mediator to another (PROCESS models 91 and 92): its products
//! read `d21w` (the d21 path's term with W).

use super::build::base;
use crate::plot::labels::split_factors;
use crate::spec::ModelSpec;

/// Which path a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    /// X's path (a into a mediator, c' into Y).
    Direct,
    /// The path from mediator `j` (1-based): d into a mediator, b into Y.
    Mediator(usize),
    Covariate,
}

/// The symbol of each term of each equation (`eqs`: outcome and terms, in order).
pub fn path_symbols(spec: &ModelSpec, eqs: &[(String, Vec<String>)]) -> Vec<Vec<String>> {
    let out: Vec<Vec<String>> = eqs
        .iter()
        .enumerate()
        .map(|(e, (outcome, terms))| equation_symbols(spec, e, outcome, terms))
        .collect();
    let mut all: Vec<&String> = out.iter().flatten().collect();
    all.sort();
    let unique = all.windows(2).all(|w| w[0] != w[1]);
    if unique {
        return out;
    }
    // A model outside Hayes' scheme (two equations into one outcome role): number every arrow
    // by its equation and term instead.
    eqs.iter()
        .enumerate()
        .map(|(e, (_, terms))| {
            (0..terms.len())
                .map(|t| format!("p{}.{}", e + 1, t + 1))
                .collect()
        })
        .collect()
}

/// The symbols of one equation's terms (`e`: the equation's position).
fn equation_symbols(spec: &ModelSpec, e: usize, outcome: &str, terms: &[String]) -> Vec<String> {
    let k = spec.mediators.len();
    let paths: Vec<Path> = terms.iter().map(|t| path_of(spec, t, terms)).collect();
    // Into Y, or into an outcome of a syntax model that is no mediator: Y's letters.
    let Some(i) = spec
        .mediators
        .iter()
        .position(|m| m == outcome)
        .map(|i| i + 1)
    else {
        if outcome != spec.y && !spec.mediators.is_empty() {
            // Another outcome of a syntax model: its own index after the mediators.
            return into_mediator(spec, &paths, terms, k + 1 + e, k + 1);
        }
        return into_y(spec, &paths, terms);
    };
    into_mediator(spec, &paths, terms, i, k)
}

/// Symbols into mediator `i` of `k`.
fn into_mediator(
    spec: &ModelSpec,
    paths: &[Path],
    terms: &[String],
    i: usize,
    k: usize,
) -> Vec<String> {
    // A moderator's own term counts with X's path here (Hayes' a2 for W in his model 7), also
    // when it moderates a path from a mediator (models 91, 92), which has no symbols of its own.
    let paths: Vec<Path> = (0..terms.len())
        .map(|t| match paths[t] {
            Path::Mediator(j) if !factors(&terms[t]).iter().any(|f| is_mediator(spec, f, j)) => {
                Path::Direct
            }
            p => p,
        })
        .collect();
    let sfx = if k > 1 { i.to_string() } else { String::new() };
    let numbered = |letter: &str, want: Path, t: usize| {
        let family: Vec<usize> = (0..paths.len()).filter(|&u| paths[u] == want).collect();
        in_family(letter, &sfx, &family, t)
    };
    (0..terms.len())
        .map(|t| match paths[t] {
            Path::Direct => numbered("a", Path::Direct, t),
            Path::Covariate => numbered("f", Path::Covariate, t),
            Path::Mediator(j) => {
                let others: String = factors(&terms[t])
                    .iter()
                    .filter(|f| !is_mediator(spec, f, j))
                    .map(|f| role_letter(spec, f))
                    .collect();
                format!("d{i}{j}{others}")
            }
        })
        .collect()
}

/// Symbols into Y: c' for X's path (b in a model without mediators), b for the mediators',
/// lone mediators first, g for covariates.
fn into_y(spec: &ModelSpec, paths: &[Path], terms: &[String]) -> Vec<String> {
    let no_mediators = spec.mediators.is_empty();
    let family = |want: fn(Path) -> bool| -> Vec<usize> {
        let mut f: Vec<usize> = (0..paths.len()).filter(|&u| want(paths[u])).collect();
        // Lone mediators first, in the mediators' order (b1 ... bk), then the other terms.
        f.sort_by_key(|&u| match paths[u] {
            Path::Mediator(j) if factors(&terms[u]).len() == 1 => (0, j),
            _ => (1, u),
        });
        f
    };
    let direct = family(|p| p == Path::Direct);
    let through = family(|p| matches!(p, Path::Mediator(_)));
    let covariates = family(|p| p == Path::Covariate);
    let name =
        |letter: &str, prime: &str, fam: &[usize], t: usize| in_family(letter, prime, fam, t);
    (0..terms.len())
        .map(|t| match paths[t] {
            Path::Direct if no_mediators => name("b", "", &direct, t),
            Path::Direct => name("c", "'", &direct, t),
            Path::Mediator(_) => name("b", "", &through, t),
            Path::Covariate => name("g", "", &covariates, t),
        })
        .collect()
}

/// The variables a term multiplies (coded columns by their variable; a power repeats it).
fn factors(term: &str) -> Vec<String> {
    split_factors(term)
        .iter()
        .map(|f| base(f).to_string())
        .collect()
}

fn is_mediator(spec: &ModelSpec, f: &str, j: usize) -> bool {
    spec.mediators.get(j - 1).is_some_and(|m| m == f)
}

/// `w`, `z` for the moderators, the variable's first letter otherwise.
fn role_letter(spec: &ModelSpec, f: &str) -> String {
    match spec.moderators.iter().position(|m| m == f) {
        Some(0) => "w".into(),
        Some(1) => "z".into(),
        _ => f.chars().next().map(String::from).unwrap_or_default(),
    }
}

/// The path of a term: X's or a mediator's when it has one as a factor (X's first); a
/// covariate's own; otherwise (a moderator, a product of moderators, any other predictor) the
/// path of the first term of the equation with X or a mediator that it is part of, else X's.
fn path_of(spec: &ModelSpec, term: &str, terms: &[String]) -> Path {
    if let Some(p) = causal_path(spec, &factors(term)) {
        return p;
    }
    let fs = factors(term);
    if fs.iter().all(|f| spec.covariates.contains(f)) {
        return Path::Covariate;
    }
    terms
        .iter()
        .map(|t| factors(t))
        .filter(|g| fs.iter().all(|f| g.contains(f)))
        .find_map(|g| causal_path(spec, &g))
        .unwrap_or(Path::Direct)
}

/// X's path when X is among the factors, else the first mediator's.
fn causal_path(spec: &ModelSpec, fs: &[String]) -> Option<Path> {
    if fs.contains(&spec.x) {
        return Some(Path::Direct);
    }
    spec.mediators
        .iter()
        .position(|m| fs.contains(m))
        .map(|j| Path::Mediator(j + 1))
}

/// A path's symbol within its family of paths (Hayes numbers a letter only when it stands for
/// more than one path): the letter, the path's place in the family if it has company, then the
/// suffix (an equation number or a prime).
fn in_family(letter: &str, suffix: &str, family: &[usize], t: usize) -> String {
    if family.len() == 1 {
        format!("{letter}{suffix}")
    } else {
        let pos = family.iter().position(|&u| u == t).unwrap_or(0) + 1;
        format!("{letter}{pos}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::template::template;
    use crate::spec::Roles;

    fn symbols(model: u32, m: &[&str], cov: &[&str]) -> Vec<Vec<String>> {
        let t = template(model).unwrap();
        let roles = Roles {
            x: "x".into(),
            y: "y".into(),
            // As many mediators as the model takes at least.
            m: (0..m.len().max(t.mediators.bounds().map_or(0, |b| b.0)))
                .map(|k| m.get(k).map_or(format!("m{}", k + 1), |s| s.to_string()))
                .collect(),
            w: t.uses_role("W").then(|| "w".into()),
            z: t.uses_role("Z").then(|| "z".into()),
            cov: cov.iter().map(|s| s.to_string()).collect(),
            ..Roles::default()
        };
        let spec = t.instantiate(&roles).unwrap();
        let eqs: Vec<(String, Vec<String>)> = spec
            .equations
            .iter()
            .map(|e| {
                (
                    e.outcome.clone(),
                    e.terms.iter().map(|t| t.name()).collect(),
                )
            })
            .collect();
        path_symbols(&spec, &eqs)
    }

    fn flat(s: &[Vec<String>]) -> Vec<&str> {
        s.iter().flatten().map(String::as_str).collect()
    }

    /// Hayes' symbols for his simple mediation, moderation, serial and moderated mediation
    /// models (his figures 3.3, 7.4, 5.3, 11.3 and appendix A's model 14).
    #[test]
    fn hayes_symbols() {
        assert_eq!(flat(&symbols(4, &["m"], &[])), ["a", "c'", "b"]);
        assert_eq!(flat(&symbols(1, &[], &[])), ["b1", "b2", "b3"]);
        assert_eq!(
            flat(&symbols(6, &["m1", "m2"], &[])),
            ["a1", "a2", "d21", "c'", "b1", "b2"]
        );
        assert_eq!(
            flat(&symbols(7, &["m"], &[])),
            ["a1", "a2", "a3", "c'", "b"]
        );
        assert_eq!(
            flat(&symbols(14, &["m"], &[])),
            ["a", "c'", "b1", "b2", "b3"]
        );
        assert_eq!(
            flat(&symbols(4, &["m"], &["u"])),
            ["a", "f", "c'", "b", "g"]
        );
    }

    /// Every arrow of every model gets its own symbol, with Hayes' d21 for a serial path.
    #[test]
    fn symbols_are_unique_in_every_model() {
        for model in [8, 58, 59, 73, 80, 83, 89, 91, 92] {
            let s = symbols(model, &["m1", "m2"], &["u"]);
            let all = flat(&s);
            let mut sorted = all.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), all.len(), "model {model}: {all:?}");
            assert!(all.iter().all(|s| !s.starts_with('p')), "{model}: {all:?}");
        }
        assert!(flat(&symbols(92, &["m1", "m2"], &[])).contains(&"d21w"));
    }
}
