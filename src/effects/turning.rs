//! The tests a reviewer asks of a quadratic effect `b1 x + b2 x²` (issue 15): the turning point
//! `x* = -b1 / (2 b2)` with its delta-method SE, Fieller's (1954) interval, where it lies against
//! the observed range, and Lind and Mehlum's (2010) U test. Pure functions of the two
//! coefficients, their covariance and the reference distribution, so a bootstrap draw can reuse
//! them; `quadratic_tests` reads them off a fitted equation.

use serde::Serialize;

use crate::estimation::{EquationFit, Method, Summary};
use crate::numeric::dist::{t_p_two_sided, t_quantile, z_p_two_sided, z_quantile};

/// The two coefficients of a quadratic and their covariance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quadratic {
    pub b1: f64,
    pub b2: f64,
    pub v11: f64,
    pub v12: f64,
    pub v22: f64,
}

/// The reference distribution of the Wald statistics: t(df) for OLS, N(0, 1) for a logistic
/// equation (on the log-odds scale).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "lowercase")]
pub enum Reference {
    T { df: f64 },
    Normal,
}

impl Reference {
    fn quantile(self, p: f64) -> f64 {
        match self {
            Reference::T { df } => t_quantile(p, df),
            Reference::Normal => z_quantile(p),
        }
    }

    /// P(T > s), from the two-sided p so a tiny tail keeps its precision.
    fn upper(self, s: f64) -> f64 {
        let two = match self {
            Reference::T { df } => t_p_two_sided(s, df),
            Reference::Normal => z_p_two_sided(s),
        };
        if s >= 0.0 {
            two / 2.0
        } else {
            1.0 - two / 2.0
        }
    }
}

/// Where the turning point lies against the range the U test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Below,
    Inside,
    Above,
}

/// Fieller's interval: the x whose slope `b1 + 2 b2 x` is not significantly different from zero.
/// Bounded only when `b2` is significant at the level; otherwise the set is the whole line or
/// two rays, and no finite interval exists.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Fieller {
    Bounded { lower: f64, upper: f64 },
    Unbounded,
}

/// The slope `b1 + 2 b2 x` at one end of the range, its SE and Wald statistic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EndSlope {
    pub x: f64,
    pub slope: f64,
    pub se: f64,
    pub stat: f64,
}

/// Lind and Mehlum's test on `[lower, upper]`: an inverted U (b2 < 0) needs a positive slope at
/// the lower end and a negative one at the upper end (a U the reverse); the statistic is the
/// weaker of the two one-sided statistics and p its upper tail, the larger of the two p values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UTest {
    pub shape: Shape,
    pub lower: EndSlope,
    pub upper: EndSlope,
    pub stat: f64,
    pub p: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    InvertedU,
    U,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Shape::InvertedU => "inverted U",
            Shape::U => "U",
        }
    }
}

/// The turning point with its delta-method SE, Fieller's interval and position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TurningPoint {
    pub x: f64,
    pub se: f64,
    pub fieller: Fieller,
    pub position: Position,
}

/// Every test of one quadratic effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuadraticTests {
    /// The variable and the outcome of its equation.
    pub variable: String,
    pub outcome: String,
    pub term: String,
    pub square: String,
    pub b1: f64,
    pub b2: f64,
    pub reference: Reference,
    /// Confidence level in percent.
    pub conf: f64,
    /// `None` when b2 is zero: the curve is a line and has no turning point.
    pub turning_point: Option<TurningPoint>,
    /// `None` when b2 is zero (no shape to test).
    pub u_test: Option<UTest>,
    /// The bootstrap of the turning point, when asked for (`regress --boot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<TurningBoot>,
    pub notes: Vec<String>,
}

/// The percentile bootstrap interval of the turning point: `B` resamples of the rows, each
/// refitted; a resample whose fit fails or whose square's coefficient is zero (no turning point)
/// is replaced and counted in `failed`. `lower`/`upper` are `None` when more than
/// [`crate::inference::resample::MAX_FAILED_SHARE`] of the draws failed (the survivors are then not a
/// sample of the sampling distribution).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurningBoot {
    #[serde(rename = "B")]
    pub b: usize,
    pub seed: u64,
    pub method: &'static str,
    pub se: f64,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub failed: usize,
    pub reasons: Vec<(String, usize)>,
}

/// The slope of the curve at `x` and its standard error.
pub fn slope_at(q: &Quadratic, x: f64) -> (f64, f64) {
    let var = q.v11 + 4.0 * x * q.v12 + 4.0 * x * x * q.v22;
    (q.b1 + 2.0 * q.b2 * x, var.max(0.0).sqrt())
}

/// `-b1 / (2 b2)` and its delta-method SE (gradient `(-1 / (2 b2), b1 / (2 b2²))`).
pub fn turning_point(q: &Quadratic) -> Option<(f64, f64)> {
    if q.b2 == 0.0 || !q.b2.is_finite() {
        return None;
    }
    let g1 = -1.0 / (2.0 * q.b2);
    let g2 = q.b1 / (2.0 * q.b2 * q.b2);
    let var = g1 * g1 * q.v11 + 2.0 * g1 * g2 * q.v12 + g2 * g2 * q.v22;
    Some((-q.b1 / (2.0 * q.b2), var.max(0.0).sqrt()))
}

/// The roots of `(4 b2² - 4 q² v22) x² + (4 b1 b2 - 4 q² v12) x + (b1² - q² v11) = 0`, the x where
/// `(b1 + 2 b2 x)² = q² Var(b1 + 2 b2 x)` (Fieller 1954).
pub fn fieller(q: &Quadratic, crit: f64) -> Fieller {
    let c2 = crit * crit;
    let a = 4.0 * q.b2 * q.b2 - 4.0 * c2 * q.v22;
    let b = 4.0 * q.b1 * q.b2 - 4.0 * c2 * q.v12;
    let c = q.b1 * q.b1 - c2 * q.v11;
    let disc = b * b - 4.0 * a * c;
    // NaN fails both comparisons, so it lands here too.
    let bounded = a > 0.0 && disc >= 0.0;
    if !bounded {
        return Fieller::Unbounded;
    }
    let r = disc.sqrt();
    let (x1, x2) = ((-b - r) / (2.0 * a), (-b + r) / (2.0 * a));
    Fieller::Bounded {
        lower: x1.min(x2),
        upper: x1.max(x2),
    }
}

/// Lind and Mehlum's (2010) U test of `q` on `[lo, hi]`; `None` when b2 is zero.
pub fn u_test(q: &Quadratic, lo: f64, hi: f64, reference: Reference) -> Option<UTest> {
    if q.b2 == 0.0 || !q.b2.is_finite() {
        return None;
    }
    let end = |x: f64| {
        let (slope, se) = slope_at(q, x);
        EndSlope {
            x,
            slope,
            se,
            stat: slope / se,
        }
    };
    let (lower, upper) = (end(lo), end(hi));
    let shape = if q.b2 < 0.0 {
        Shape::InvertedU
    } else {
        Shape::U
    };
    let stat = match shape {
        Shape::InvertedU => lower.stat.min(-upper.stat),
        Shape::U => (-lower.stat).min(upper.stat),
    };
    Some(UTest {
        shape,
        lower,
        upper,
        stat,
        p: reference.upper(stat),
    })
}

/// Every test of `variable`'s quadratic in `fit` on `range` (the observed range of the variable
/// over the rows used unless given). `None` when the fit has no `variable` and `variable^2` pair.
pub fn quadratic_tests(
    fit: &EquationFit,
    variable: &str,
    range: Option<(f64, f64)>,
) -> Option<QuadraticTests> {
    let square = format!("{variable}^2");
    let (i, j) = (fit.index_of(variable)?, fit.index_of(&square)?);
    let k = fit.k();
    let q = Quadratic {
        b1: fit.coefficients[i].estimate,
        b2: fit.coefficients[j].estimate,
        v11: fit.cov[i * k + i],
        v12: fit.cov[i * k + j],
        v22: fit.cov[j * k + j],
    };
    let reference = match (&fit.method, &fit.summary) {
        (Method::Ols, Summary::Ols(s)) => Reference::T { df: s.df2 },
        _ => Reference::Normal,
    };
    let stats = fit.column_stats.get(i)?;
    let (lo, hi) = range.unwrap_or((stats.min, stats.max));
    let crit = reference.quantile(1.0 - (1.0 - fit.conf / 100.0) / 2.0);
    let mut notes = Vec::new();
    let turning_point = turning_point(&q).map(|(x, se)| TurningPoint {
        x,
        se,
        fieller: fieller(&q, crit),
        position: if x < lo {
            Position::Below
        } else if x > hi {
            Position::Above
        } else {
            Position::Inside
        },
    });
    match &turning_point {
        None => notes.push(format!(
            "The coefficient of {square} is zero: the curve is a line, with no turning point and no U test."
        )),
        Some(tp) => {
            if tp.fieller == Fieller::Unbounded {
                notes.push(format!(
                    "Fieller's interval of the turning point is unbounded: the coefficient of {square} is not significant at the {}% level.",
                    fit.conf
                ));
            }
            if tp.position != Position::Inside {
                notes.push(format!(
                    "The turning point lies {} the range [{lo}, {hi}] the U test uses, so the curve is monotone there.",
                    if tp.position == Position::Below { "below" } else { "above" }
                ));
            }
        }
    }
    if fit.coefficients.iter().any(|c| {
        let fs = crate::estimation::column_factors(&c.term);
        fs.iter().filter(|f| *f == variable).count() >= 3
            || (fs.iter().any(|f| f == variable) && fs.iter().any(|f| f != variable))
    }) {
        notes.push(format!(
            "'{variable}' also enters a cubic or product term: the turning point and U test here use only the {variable} and {square} coefficients (the curve at the other terms' zero)."
        ));
    }
    Some(QuadraticTests {
        variable: variable.to_string(),
        outcome: fit.outcome.clone(),
        term: variable.to_string(),
        square,
        b1: q.b1,
        b2: q.b2,
        reference,
        conf: fit.conf,
        turning_point,
        u_test: u_test(&q, lo, hi, reference),
        bootstrap: None,
        notes,
    })
}

/// The variables of a fit that enter with a linear and a square term.
pub fn quadratic_variables(fit: &EquationFit) -> Vec<String> {
    fit.coefficients
        .iter()
        .filter_map(|c| c.term.strip_suffix("^2"))
        .filter(|v| !v.contains(':') && fit.index_of(v).is_some())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: Quadratic = Quadratic {
        b1: 2.0,
        b2: -0.5,
        v11: 0.04,
        v12: -0.01,
        v22: 0.01,
    };

    #[test]
    fn turning_point_and_its_delta_se() {
        let (x, se) = turning_point(&Q).unwrap();
        assert_eq!(x, 2.0);
        // g = (1, 4): var = 0.04 + 2·4·(-0.01) + 16·0.01 = 0.12.
        assert!((se - 0.12f64.sqrt()).abs() < 1e-15);
        assert!(turning_point(&Quadratic { b2: 0.0, ..Q }).is_none());
    }

    #[test]
    fn fieller_bounds_hold_the_point_and_zero_slope_significance_at_the_ends() {
        let crit = 1.96;
        let Fieller::Bounded { lower, upper } = fieller(&Q, crit) else {
            panic!("bounded")
        };
        assert!(lower < 2.0 && 2.0 < upper);
        for x in [lower, upper] {
            let (s, se) = slope_at(&Q, x);
            assert!((s.abs() - crit * se).abs() < 1e-9);
        }
        let weak = Quadratic { v22: 1.0, ..Q };
        assert_eq!(fieller(&weak, crit), Fieller::Unbounded);
    }

    #[test]
    fn u_test_takes_the_weaker_end() {
        let t = u_test(&Q, 0.0, 4.0, Reference::Normal).unwrap();
        assert_eq!(t.shape, Shape::InvertedU);
        assert_eq!(t.stat, t.lower.stat.min(-t.upper.stat));
        assert!(t.p > 0.0 && t.p < 0.5);
        let u = u_test(
            &Quadratic {
                b1: -2.0,
                b2: 0.5,
                ..Q
            },
            0.0,
            4.0,
            Reference::T { df: 50.0 },
        );
        assert_eq!(u.unwrap().shape, Shape::U);
    }
}
