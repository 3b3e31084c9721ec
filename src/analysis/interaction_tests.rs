//! PROCESS's "Test(s) of highest order unconditional interaction(s)" of one equation (stage 2).
//!
//! A product is of the highest order when no other product of the equation contains all its
//! factors (X:W beside M:W:Z in model 20 is; W:Z under M:W:Z is not). The highest-order products
//! are grouped by their focal predictor (the first factor that is not a moderator: X, then each
//! mediator), as PROCESS for R v4.3.1 groups them (its output in
//! `../shared/reference/process_v431/`, checked by the parity test): each product is tested alone, and a
//! focal predictor's products with both W and Z are then tested jointly (`BOTH(X)`, `BOTH(M)`;
//! `BOTH` in a model without mediators), which is the test of whether X's effect depends on the
//! moderators at all. Rows are labelled with the roles, as PROCESS labels them (`X*W`, `M2*W*Z`).
//! Each test is an R² change with the equation's covariance (a Wald F under `--hc`), or in a
//! logistic equation a likelihood-ratio test.

use crate::error::Result;
use crate::estimation::{joint_test, Design, EquationFit, Method, R2Change};
use crate::spec::{EquationSpec, ModelSpec, TermSpec};

/// The tests of the equation's highest-order products, in PROCESS's order: by focal predictor
/// (X, then the mediators in order), each product, then the joint test of a focal predictor's
/// several products. A logistic equation (fitted on `design`) gets likelihood-ratio tests, as
/// PROCESS prints for a dichotomous Y. Empty for an equation without products.
pub(super) fn highest_order_tests(
    (fit, design): (&EquationFit, &Design),
    e: &EquationSpec,
    spec: &ModelSpec,
) -> Result<Vec<R2Change>> {
    let mut out = Vec::new();
    for (focal, products) in by_focal(&highest_products(e), spec) {
        for t in &products {
            let test = test_of(design, fit, std::slice::from_ref(&t.name()))?;
            out.push(R2Change {
                label: label(&t.factors, spec),
                ..test
            });
        }
        if products.len() > 1 {
            let names: Vec<String> = products.iter().map(|t| t.name()).collect();
            let test = test_of(design, fit, &names)?;
            out.push(R2Change {
                label: joint_label(focal, products.len(), spec),
                ..test
            });
        }
    }
    Ok(out)
}

/// The joint test of `terms`. A logistic refit without them can fail (separation of the reduced
/// model): the row is then reported as not available (NaN) rather than failing the analysis.
fn test_of(design: &Design, fit: &EquationFit, terms: &[String]) -> Result<R2Change> {
    match joint_test(design, fit, terms) {
        Err(_) if fit.method == Method::Logistic => Ok(R2Change {
            label: terms.join(", "),
            terms: terms.to_vec(),
            r2_change: f64::NAN,
            f: f64::NAN,
            df1: f64::NAN,
            df2: f64::NAN,
            p: f64::NAN,
            chisq: Some(f64::NAN),
        }),
        r => r,
    }
}

/// Products (two factors or more) that no other product of the equation contains.
fn highest_products(e: &EquationSpec) -> Vec<&TermSpec> {
    let products: Vec<&TermSpec> = e.terms.iter().filter(|t| t.factors.len() > 1).collect();
    products
        .iter()
        .filter(|t| {
            !products.iter().any(|u| {
                u.factors.len() > t.factors.len() && t.factors.iter().all(|f| u.factors.contains(f))
            })
        })
        .copied()
        .collect()
}

/// The products grouped by focal predictor, X first, then the mediators in order, then any other
/// focal variable of a syntax model in the order its first product appears.
fn by_focal<'a>(
    products: &[&'a TermSpec],
    spec: &'a ModelSpec,
) -> Vec<(&'a str, Vec<&'a TermSpec>)> {
    let mut groups: Vec<(&str, Vec<&TermSpec>)> = std::iter::once(spec.x.as_str())
        .chain(spec.mediators.iter().map(String::as_str))
        .map(|v| (v, Vec::new()))
        .collect();
    for t in products {
        let focal = focal_of(t, spec);
        match groups.iter_mut().find(|(v, _)| *v == focal) {
            Some((_, g)) => g.push(t),
            None => groups.push((focal, vec![t])),
        }
    }
    groups.retain(|(_, g)| !g.is_empty());
    groups
}

/// The first factor that is not a moderator (the first factor when all are).
fn focal_of<'a>(t: &'a TermSpec, spec: &ModelSpec) -> &'a str {
    t.factors
        .iter()
        .find(|f| !spec.moderators.contains(f))
        .unwrap_or(&t.factors[0])
}

/// The role of a variable as PROCESS names it: X, M (one mediator) or M1, M2, ..., W, Z; a
/// variable without such a role (a third moderator of a syntax model) by its name.
fn symbol(v: &str, spec: &ModelSpec) -> (usize, String) {
    if v == spec.x {
        return (0, "X".into());
    }
    if let Some(k) = spec.mediators.iter().position(|m| m == v) {
        let s = if spec.mediators.len() == 1 {
            "M".to_string()
        } else {
            format!("M{}", k + 1)
        };
        return (1 + k, s);
    }
    let base = 1 + spec.mediators.len();
    match spec.moderators.iter().position(|m| m == v) {
        Some(0) => (base, "W".into()),
        Some(1) => (base + 1, "Z".into()),
        _ => (usize::MAX, v.to_string()),
    }
}

/// `X*W`, `M1*W*Z`: the factors' roles in PROCESS's order (X, mediators, W, Z); a power reads
/// `X^2`.
fn label(factors: &[String], spec: &ModelSpec) -> String {
    let mut s: Vec<(usize, String)> = factors.iter().map(|f| symbol(f, spec)).collect();
    s.sort();
    let roles: Vec<String> = s.into_iter().map(|(_, l)| l).collect();
    crate::spec::power_name(&roles).replace(':', "*")
}

/// `BOTH(X)`, `BOTH(M)`, `BOTH(M2)`, and `BOTH` in a model without mediators (PROCESS's labels);
/// `ALL(X)` for more than two products of one focal predictor, which PROCESS never has.
fn joint_label(focal: &str, n: usize, spec: &ModelSpec) -> String {
    let word = if n == 2 { "BOTH" } else { "ALL" };
    if spec.mediators.is_empty() && focal == spec.x {
        word.to_string()
    } else {
        format!("{word}({})", symbol(focal, spec).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{template::template, Roles};

    /// The model with W and Z, or with W alone when it has no Z.
    fn spec(model: u32, m: &[&str]) -> ModelSpec {
        let mut roles = Roles {
            x: "x".into(),
            y: "y".into(),
            m: m.iter().map(|s| s.to_string()).collect(),
            w: Some("w".into()),
            z: Some("z".into()),
            ..Roles::default()
        };
        let t = template(model).unwrap();
        t.instantiate(&roles).unwrap_or_else(|_| {
            roles.z = None;
            t.instantiate(&roles).unwrap()
        })
    }

    /// The labels of each equation's tests, without fitting (grouping and labelling only).
    fn labels(s: &ModelSpec) -> Vec<Vec<String>> {
        s.equations
            .iter()
            .map(|e| {
                let mut out = Vec::new();
                for (focal, g) in by_focal(&highest_products(e), s) {
                    out.extend(g.iter().map(|t| label(&t.factors, s)));
                    if g.len() > 1 {
                        out.push(joint_label(focal, g.len(), s));
                    }
                }
                out
            })
            .collect()
    }

    #[test]
    fn rows_as_process_lists_them() {
        let v = |x: &[&[&str]]| -> Vec<Vec<String>> {
            x.iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        assert_eq!(labels(&spec(2, &[])), v(&[&["X*W", "X*Z", "BOTH"]]));
        assert_eq!(labels(&spec(3, &[])), v(&[&["X*W*Z"]]));
        assert_eq!(
            labels(&spec(17, &["m"])),
            v(&[&[], &["X*W", "X*Z", "BOTH(X)", "M*W", "M*Z", "BOTH(M)"]])
        );
        assert_eq!(labels(&spec(20, &["m"])), v(&[&[], &["X*W", "M*W*Z"]]));
        assert_eq!(
            labels(&spec(69, &["m"])),
            v(&[&["X*W*Z"], &["X*W*Z", "M*W"]])
        );
        assert_eq!(labels(&spec(15, &["m"])), v(&[&[], &["X*W", "M*W"]]));
        assert_eq!(
            labels(&spec(16, &["m1", "m2"])),
            v(&[
                &[],
                &[],
                &["M1*W", "M1*Z", "BOTH(M1)", "M2*W", "M2*Z", "BOTH(M2)"]
            ])
        );
    }
}
