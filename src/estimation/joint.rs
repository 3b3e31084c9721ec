//! Joint tests of several coefficients of one equation in the form PROCESS prints them: the test
//! of R² change for OLS ([`r2_change`]) and, for a logistic equation, the likelihood-ratio test
//! (the equation refitted without the columns; chi-square = the change in -2LL, df = the number
//! of columns dropped), as PROCESS's "Likelihood ratio test of highest order unconditional
//! interaction(s)" and its omnibus likelihood-ratio tests of a categorical X. Linear combinations
//! of a logistic equation's coefficients get the Wald chi-square instead (PROCESS's "Test of
//! equality of conditional logits"): refitting under such a constraint is not a column deletion.

use crate::error::Result;
use crate::inference::wald_f_rows;
use crate::numeric::dist::chisq_p_upper;

use super::design::Design;
use super::fit::{EquationFit, Method, Summary};
use super::logistic::{fit_logistic_design, LogisticOptions};
use super::ols::{r2_change, r2_change_rows, term_columns, R2Change};

/// The joint test of `terms` in the equation fitted on `design`: R² change for OLS, the
/// likelihood ratio for logistic regression.
pub fn joint_test(design: &Design, fit: &EquationFit, terms: &[String]) -> Result<R2Change> {
    if fit.method == Method::Ols {
        return r2_change(fit, terms);
    }
    let Summary::Logistic(full) = &fit.summary else {
        return Err(crate::Error::Usage(
            "a logistic fit without its summary".into(),
        ));
    };
    let idx = term_columns(fit, terms)?;
    let reduced = Design {
        names: drop(&design.names, &idx),
        term_of: drop(&design.term_of, &idx),
        columns: drop(&design.columns, &idx),
        ..design.clone()
    };
    let r = fit_logistic_design(&reduced, fit.conf, &LogisticOptions::default())?;
    let Summary::Logistic(rs) = &r.summary else {
        return Err(crate::Error::Usage(
            "a logistic fit without its summary".into(),
        ));
    };
    Ok(chisq_test(terms, rs.neg2ll - full.neg2ll, idx.len()))
}

/// The joint test that the linear combinations in the rows of `l` are zero: [`r2_change_rows`]
/// for OLS, the Wald chi-square for logistic regression.
pub fn joint_rows_test(fit: &EquationFit, l: &[Vec<f64>], terms: &[String]) -> Result<R2Change> {
    if fit.method == Method::Ols {
        return r2_change_rows(fit, l, terms);
    }
    // The F of `wald_f_rows` times q is the chi-square (its df2 and p are not used).
    let w = wald_f_rows(&fit.estimates(), &fit.cov, l, 1.0).ok_or_else(|| {
        crate::Error::Usage("the tested combinations' covariance is singular".into())
    })?;
    Ok(chisq_test(terms, w.f * l.len() as f64, l.len()))
}

fn chisq_test(terms: &[String], chisq: f64, df: usize) -> R2Change {
    R2Change {
        label: terms.join(", "),
        terms: terms.to_vec(),
        r2_change: f64::NAN,
        f: f64::NAN,
        df1: df as f64,
        df2: f64::NAN,
        p: chisq_p_upper(chisq, df as f64),
        chisq: Some(chisq),
    }
}

fn drop<T: Clone>(v: &[T], idx: &[usize]) -> Vec<T> {
    v.iter()
        .enumerate()
        .filter(|(j, _)| !idx.contains(j))
        .map(|(_, x)| x.clone())
        .collect()
}
