//! RMSEA and its interval as lavaan computes them (`lav_fit_rmsea`, `lav_fit_rmsea_ci`,
//! `lav_fit_rmsea_closefit`; Steiger & Lind 1980, Browne & Cudeck 1993): the interval's
//! noncentrality parameters solve pchisq(T, df, λ) = 0.95 and 0.05 with R's `uniroot` (Brent's
//! zeroin, default tolerance eps^¼), whose stopping rule leaks into the printed bounds; so the
//! root finder here is Brent's algorithm step for step (Brent 1973, ch. 4; R's `R_zeroin2`).

use statrs::function::gamma::{gamma_lr, ln_gamma};

/// RMSEA = √max(T/(N·df) − 1/N, 0), 0 when df = 0.
pub fn rmsea(t: f64, df: f64, n: f64) -> f64 {
    if df > 0.0 {
        ((t / n) / df - 1.0 / n).max(0.0).sqrt()
    } else {
        0.0
    }
}

/// The 90% interval (lower, upper).
pub fn rmsea_ci(t: f64, df: f64, n: f64) -> (f64, f64) {
    let lower_f = |l: f64| pchisq_nc(t, df, l) - 0.95;
    let upper_f = |l: f64| pchisq_nc(t, df, l) - 0.05;
    let tol = f64::EPSILON.powf(0.25);
    let lower = if df < 1.0 || lower_f(0.0) < 0.0 {
        0.0
    } else {
        (zeroin(&lower_f, 0.0, t, tol, 1000) / (n * df)).sqrt()
    };
    let n_rmsea = n.max(4.0 * t);
    let upper = if df < 1.0 || upper_f(n_rmsea) > 0.0 || upper_f(0.0) < 0.0 {
        0.0
    } else {
        (zeroin(&upper_f, 0.0, n_rmsea, tol, 1000) / (n * df)).sqrt()
    };
    (lower, upper)
}

/// p of close fit: 1 − pchisq(T, df, ncp = N·df·0.05²).
pub fn rmsea_pvalue(t: f64, df: f64, n: f64) -> f64 {
    if df > 0.0 {
        1.0 - pchisq_nc(t, df, n * df * 0.05 * 0.05)
    } else {
        f64::NAN
    }
}

/// Brent's zeroin on [a, b] (f(a), f(b) of opposite signs), as R's `uniroot` runs it.
pub fn zeroin(f: &dyn Fn(f64) -> f64, ax: f64, bx: f64, tol: f64, max_iter: usize) -> f64 {
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (f(a), f(b));
    let (mut c, mut fc) = (a, fa);
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    for _ in 0..=max_iter {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return b;
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                q = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < 0.75 * cb * q - (tol_act * q).abs() / 2.0 && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    b
}

/// The noncentral chi-square CDF as the Poisson(λ/2) mixture of central chi-squares, summed
/// outward from the largest weight until the terms vanish.
pub fn pchisq_nc(x: f64, df: f64, ncp: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let half = ncp / 2.0;
    if half == 0.0 {
        return gamma_lr(df / 2.0, x / 2.0);
    }
    let term = |j: f64| {
        (-half + j * half.ln() - ln_gamma(j + 1.0)).exp() * gamma_lr(df / 2.0 + j, x / 2.0)
    };
    let j0 = half.floor();
    let mut total = term(j0);
    let mut j = j0 + 1.0;
    loop {
        let t = term(j);
        total += t;
        if (t < 1e-17 * total.max(1e-300) && j > j0 + 10.0) || j > j0 + 100_000.0 {
            break;
        }
        j += 1.0;
    }
    let mut j = j0 - 1.0;
    while j >= 0.0 {
        let t = term(j);
        total += t;
        if t < 1e-17 * total.max(1e-300) && j < j0 - 10.0 {
            break;
        }
        j -= 1.0;
    }
    total.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2: pchisq(30, 10, ncp = 5); uniroot(function(x) x^2 - 2, c(0, 2))$root.
    #[test]
    fn matches_r() {
        assert!((pchisq_nc(30.0, 10.0, 5.0) - 0.9774660232758315).abs() < 1e-12);
        let r = zeroin(&|x| x * x - 2.0, 0.0, 2.0, f64::EPSILON.powf(0.25), 1000);
        assert!((r - 1.4142133199955025).abs() < 1e-15, "{r}");
    }
}
