//! Distribution functions used for tests and intervals (statrs underneath). Upper tails are
//! computed directly, not as 1 - cdf, so tiny p-values keep their precision.

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub fn t_p_two_sided(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => (2.0 * d.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Quantile of Student's t.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

/// Two-sided p-value of a standard normal statistic.
pub fn z_p_two_sided(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let d = Normal::standard();
    (2.0 * d.sf(z.abs())).min(1.0)
}

/// Quantile of the standard normal distribution.
pub fn z_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// Upper-tail p-value of an F statistic.
pub fn f_p_upper(f: f64, df1: f64, df2: f64) -> f64 {
    if f.is_nan() {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    FisherSnedecor::new(df1, df2).map_or(f64::NAN, |d| d.sf(f))
}

/// Upper-tail p-value of a chi-square statistic.
pub fn chisq_p_upper(x: f64, df: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from R 4.2.2: qt(0.975, 5), 2*pt(-2.5, 20), pf(3.2, 3, 100, lower=FALSE),
    // qnorm(0.975), pchisq(7.5, 2, lower=FALSE).
    #[test]
    fn matches_r() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * b.abs().max(1e-300);
        assert!(
            close(t_quantile(0.975, 5.0), 2.570581835636314),
            "{}",
            t_quantile(0.975, 5.0)
        );
        assert!(close(t_p_two_sided(2.5, 20.0), 0.021233545439132393));
        assert!(
            close(f_p_upper(3.2, 3.0, 100.0), 0.026600917206141852),
            "{}",
            f_p_upper(3.2, 3.0, 100.0)
        );
        assert!(close(z_quantile(0.975), 1.959963984540054));
        assert!(close(chisq_p_upper(7.5, 2.0), 0.02351774585600911));
    }
}
