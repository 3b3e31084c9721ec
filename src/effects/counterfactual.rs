//! The counterfactually defined effects of a mediation with an X×M interaction (PROCESS's
//! `xmint`), as sums of products of coefficients, so that the point estimate and every bootstrap
//! draw evaluate them by the same compiled code as every other effect.
//!
//! With one mediator, M = a0 + a·X + Σ g_j·C_j and Y = c0 + θx·X + θm·M + θxm·X·M + Σ h_j·C_j,
//! a reference value x* (`x_ref`) and a counterfactual value x (`x_cf`), Δ = x − x* and
//! M̂(v) = a0 + a·v + Σ g_j·c̄_j (the covariates at their sample means), the definitions of
//! VanderWeele (2015, *Explanation in Causal Inference*, §2.2 and §2.3) and Valeri & VanderWeele
//! (2013, Psychological Methods 18(2), eq. 3-4) for a linear M and Y are:
//!
//! | effect | value |
//! |---|---|
//! | pure natural direct (PROCESS's "(Pure) Natural direct effect") | Δ·(θx + θxm·M̂(x*)) |
//! | total natural direct | Δ·(θx + θxm·M̂(x)) |
//! | controlled direct at M = m | Δ·(θx + θxm·m) |
//! | total natural indirect (PROCESS's "(Total) Natural indirect effect") | a·Δ·(θm + θxm·x) |
//! | pure natural indirect | a·Δ·(θm + θxm·x*) |
//! | total | pure natural direct + total natural indirect (= total natural direct + pure natural indirect) |
//!
//! Without the X×M product (θxm = 0) they reduce to the familiar c'·Δ (every direct effect) and
//! a·b·Δ (both indirect effects). The direct effects also carry their weights on the outcome
//! equation's coefficients, with M̂ fixed at its estimate, for the analytic test PROCESS prints.

use super::plan::{EffectDef, EffectKind, EqShape, Formula, PlanError};

/// A mediation with an X×M interaction and the values its counterfactual effects compare.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterfactualModel {
    pub x: String,
    pub m: String,
    pub y: String,
    /// The reference value of X (x*, PROCESS's first `xrefval`).
    pub x_ref: f64,
    /// The counterfactual value of X (x, PROCESS's second `xrefval`).
    pub x_cf: f64,
    /// The value of M at which the controlled direct effect holds it (`cdeval`).
    pub m_cde: f64,
    /// The value of each column of M's equation at X = 0: 1 for the constant, 0 for X and the
    /// sample mean of every other column (the covariates), so that M̂(v) = Σ_j (value_j + v·[j is
    /// X])·β_M[j].
    pub m_columns_at_zero: Vec<f64>,
}

/// Where X, M and X·M sit in the two equations.
struct Columns {
    m_eq: usize,
    y_eq: usize,
    /// X's column in M's equation.
    a: usize,
    /// X's, M's and X·M's columns in Y's equation.
    x: usize,
    m: usize,
    xm: usize,
}

fn find(shape: &EqShape, factors: &[&str]) -> Option<usize> {
    shape
        .columns
        .iter()
        .position(|c| c.len() == factors.len() && factors.iter().all(|f| c.iter().any(|g| g == f)))
}

fn columns(shapes: &[EqShape], cf: &CounterfactualModel) -> Result<Columns, PlanError> {
    let eq = |name: &str| shapes.iter().position(|s| s.outcome == name);
    let (Some(m_eq), Some(y_eq)) = (eq(&cf.m), eq(&cf.y)) else {
        return Err(PlanError(format!(
            "the counterfactual effects need an equation for the mediator '{}' and one for the outcome '{}'",
            cf.m, cf.y
        )));
    };
    let (my, yy) = (&shapes[m_eq], &shapes[y_eq]);
    let need = |c: Option<usize>, what: &str, eq: &EqShape| {
        c.ok_or_else(|| {
            PlanError(format!(
                "the counterfactual effects need {what} in the equation for '{}'",
                eq.outcome
            ))
        })
    };
    let cols = Columns {
        m_eq,
        y_eq,
        a: need(find(my, &[&cf.x]), &format!("the term '{}'", cf.x), my)?,
        x: need(find(yy, &[&cf.x]), &format!("the term '{}'", cf.x), yy)?,
        m: need(find(yy, &[&cf.m]), &format!("the term '{}'", cf.m), yy)?,
        xm: need(
            find(yy, &[&cf.x, &cf.m]),
            &format!("the product '{}:{}'", cf.m, cf.x),
            yy,
        )?,
    };
    if my.columns.len() != cf.m_columns_at_zero.len() {
        return Err(PlanError(format!(
            "{} column values given for the {} columns of the equation for '{}'",
            cf.m_columns_at_zero.len(),
            my.columns.len(),
            cf.m
        )));
    }
    Ok(cols)
}

/// M̂(v) as weights on the mediator equation's coefficients.
fn m_hat_weights(cf: &CounterfactualModel, c: &Columns, v: f64) -> Vec<f64> {
    let mut w = cf.m_columns_at_zero.clone();
    w[c.a] += v;
    w
}

/// Δ·(θx + θxm·M̂(v)): the natural direct effect with M at its value under X = v.
fn natural_direct(
    cf: &CounterfactualModel,
    c: &Columns,
    v: f64,
) -> Vec<(f64, Vec<(usize, usize)>)> {
    let delta = cf.x_cf - cf.x_ref;
    let mut terms = vec![(delta, vec![(c.y_eq, c.x)])];
    for (j, w) in m_hat_weights(cf, c, v).into_iter().enumerate() {
        if w != 0.0 {
            terms.push((delta * w, vec![(c.y_eq, c.xm), (c.m_eq, j)]));
        }
    }
    terms
}

/// a·Δ·(θm + θxm·v): the natural indirect effect with the M -> Y path at X = v.
fn natural_indirect(
    cf: &CounterfactualModel,
    c: &Columns,
    v: f64,
) -> Vec<(f64, Vec<(usize, usize)>)> {
    let delta = cf.x_cf - cf.x_ref;
    vec![
        (delta, vec![(c.m_eq, c.a), (c.y_eq, c.m)]),
        (delta * v, vec![(c.m_eq, c.a), (c.y_eq, c.xm)]),
    ]
}

/// The six counterfactual effects, in PROCESS's order (its three first). `betas` are the point
/// estimates, for the direct effects' weights (M̂ held at its estimate, as PROCESS's test does).
pub fn counterfactual_effects(
    shapes: &[EqShape],
    cf: &CounterfactualModel,
    betas: &[Vec<f64>],
) -> Result<Vec<EffectDef>, PlanError> {
    let c = columns(shapes, cf)?;
    let delta = cf.x_cf - cf.x_ref;
    let k = shapes[c.y_eq].columns.len();
    let m_hat = |v: f64| -> f64 {
        let w = m_hat_weights(cf, &c, v);
        w.iter().zip(&betas[c.m_eq]).map(|(w, b)| w * b).sum()
    };
    let direct_weights = |m: f64| {
        let mut l = vec![0.0; k];
        l[c.x] = delta;
        l[c.xm] = delta * m;
        Some((c.y_eq, l))
    };
    let def = |kind, path: Vec<&String>, label: Option<String>, weights, terms| EffectDef {
        kind,
        focal: cf.x.clone(),
        path: path.into_iter().cloned().collect(),
        moderators: Vec::new(),
        direct_weights: weights,
        label,
        formula: Formula::Products(terms),
    };
    let (x, m, y) = (&cf.x, &cf.m, &cf.y);
    let pure_direct = natural_direct(cf, &c, cf.x_ref);
    let total_indirect = natural_indirect(cf, &c, cf.x_cf);
    let cde = vec![
        (delta, vec![(c.y_eq, c.x)]),
        (delta * cf.m_cde, vec![(c.y_eq, c.xm)]),
    ];
    let total = [pure_direct.clone(), total_indirect.clone()].concat();
    Ok(vec![
        def(
            EffectKind::PureNaturalDirect,
            vec![x, y],
            None,
            direct_weights(m_hat(cf.x_ref)),
            pure_direct,
        ),
        def(
            EffectKind::ControlledDirect,
            vec![x, y],
            Some(format!("{m}={}", super::probe::label(cf.m_cde))),
            direct_weights(cf.m_cde),
            cde,
        ),
        def(
            EffectKind::TotalNaturalIndirect,
            vec![x, m, y],
            None,
            None,
            total_indirect,
        ),
        def(
            EffectKind::TotalNaturalDirect,
            vec![x, y],
            None,
            direct_weights(m_hat(cf.x_cf)),
            natural_direct(cf, &c, cf.x_cf),
        ),
        def(
            EffectKind::PureNaturalIndirect,
            vec![x, m, y],
            None,
            None,
            natural_indirect(cf, &c, cf.x_ref),
        ),
        def(
            EffectKind::CounterfactualTotal,
            vec![x, y],
            None,
            None,
            total,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> Vec<EqShape> {
        let cols = |c: &[&[&str]]| -> Vec<Vec<String>> {
            c.iter()
                .map(|f| f.iter().map(|s| s.to_string()).collect())
                .collect()
        };
        vec![
            EqShape {
                outcome: "m".into(),
                columns: cols(&[&[], &["x"], &["c"]]),
            },
            EqShape {
                outcome: "y".into(),
                columns: cols(&[&[], &["x"], &["m"], &["m", "x"], &["c"]]),
            },
        ]
    }

    /// The compiled effects against the closed forms, for made-up coefficients.
    #[test]
    fn effects_match_their_closed_forms() {
        let (a0, a, g) = (0.5, 0.8, -0.3);
        let (tx, tm, txm) = (0.2, 0.6, 0.15);
        let betas = vec![vec![a0, a, g], vec![1.0, tx, tm, txm, 0.4]];
        let cbar = 2.5;
        let cf = CounterfactualModel {
            x: "x".into(),
            m: "m".into(),
            y: "y".into(),
            x_ref: 1.0,
            x_cf: 3.0,
            m_cde: 1.7,
            m_columns_at_zero: vec![1.0, 0.0, cbar],
        };
        let defs = counterfactual_effects(&shapes(), &cf, &betas).unwrap();
        let plan = crate::effects::EffectPlan::from_effects(defs.clone());
        let mut out = vec![0.0; defs.len()];
        plan.compile().evaluate(&betas, &mut out);
        let m_hat = |v: f64| a0 + a * v + g * cbar;
        let d = 2.0;
        let expected = [
            d * (tx + txm * m_hat(1.0)),
            d * (tx + txm * 1.7),
            a * d * (tm + txm * 3.0),
            d * (tx + txm * m_hat(3.0)),
            a * d * (tm + txm * 1.0),
            d * (tx + txm * m_hat(1.0)) + a * d * (tm + txm * 3.0),
        ];
        for (got, want) in out.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // The decomposition: pure direct + total indirect = total direct + pure indirect.
        assert!((out[0] + out[2] - out[3] - out[4]).abs() < 1e-12);
        let (_, l) = defs[0].direct_weights.clone().unwrap();
        assert_eq!(l, vec![0.0, d, 0.0, d * m_hat(1.0), 0.0]);
    }

    #[test]
    fn a_model_without_the_product_is_refused() {
        let mut s = shapes();
        s[1].columns.remove(3);
        let cf = CounterfactualModel {
            x: "x".into(),
            m: "m".into(),
            y: "y".into(),
            x_ref: 0.0,
            x_cf: 1.0,
            m_cde: 0.0,
            m_columns_at_zero: vec![1.0, 0.0, 0.0],
        };
        let e = counterfactual_effects(&s, &cf, &[vec![0.0; 3], vec![0.0; 4]]).unwrap_err();
        assert!(e.0.contains("the product 'm:x'"), "{}", e.0);
    }
}
