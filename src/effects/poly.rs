//! Polynomials in the probe factors (moderators): the effect of a variable on an equation's
//! outcome is a polynomial in the moderators (X·W gives b_x + b_xw·W), and a path's indirect effect
//! is the product of its stages' polynomials.

/// A polynomial: terms `(exponents, coefficient)`, one exponent per probe factor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Poly {
    pub terms: Vec<(Vec<u8>, f64)>,
}

impl Poly {
    pub fn zero() -> Self {
        Poly { terms: Vec::new() }
    }

    pub fn constant(nvars: usize, c: f64) -> Self {
        Poly {
            terms: vec![(vec![0; nvars], c)],
        }
    }

    /// Adds `c · monomial`, merging equal monomials.
    pub fn add_term(&mut self, exps: Vec<u8>, c: f64) {
        match self.terms.iter_mut().find(|(e, _)| *e == exps) {
            Some((_, v)) => *v += c,
            None => self.terms.push((exps, c)),
        }
    }

    pub fn add(&self, other: &Poly) -> Poly {
        let mut out = self.clone();
        for (e, c) in &other.terms {
            out.add_term(e.clone(), *c);
        }
        out
    }

    pub fn mul(&self, other: &Poly) -> Poly {
        let mut out = Poly::zero();
        for (ea, ca) in &self.terms {
            for (eb, cb) in &other.terms {
                let e: Vec<u8> = ea.iter().zip(eb).map(|(a, b)| a + b).collect();
                out.add_term(e, ca * cb);
            }
        }
        out
    }

    /// Value at `x` (one value per probe factor).
    pub fn eval(&self, x: &[f64]) -> f64 {
        self.terms
            .iter()
            .map(|(e, c)| {
                c * e
                    .iter()
                    .zip(x)
                    .map(|(&p, v)| v.powi(p as i32))
                    .product::<f64>()
            })
            .sum()
    }

    /// Coefficient of the monomial with exactly these exponents.
    pub fn coef(&self, exps: &[u8]) -> f64 {
        self.terms
            .iter()
            .filter(|(e, _)| e.as_slice() == exps)
            .map(|(_, c)| c)
            .sum()
    }

    /// Highest power of factor `v` in any term.
    pub fn degree_in(&self, v: usize) -> u8 {
        self.terms
            .iter()
            .map(|(e, _)| e.get(v).copied().unwrap_or(0))
            .max()
            .unwrap_or(0)
    }

    /// Factors that appear with a positive power.
    pub fn vars(&self) -> Vec<usize> {
        let n = self.terms.first().map_or(0, |(e, _)| e.len());
        (0..n).filter(|&v| self.degree_in(v) > 0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_of_linear_stages() {
        // (a1 + a3 w)(b1 + b2 w) = a1 b1 + (a1 b2 + a3 b1) w + a3 b2 w²
        let mut a = Poly::constant(1, 2.0);
        a.add_term(vec![1], 0.5);
        let mut b = Poly::constant(1, 3.0);
        b.add_term(vec![1], -1.0);
        let p = a.mul(&b);
        assert_eq!(p.coef(&[0]), 6.0);
        assert_eq!(p.coef(&[1]), -2.0 + 1.5);
        assert_eq!(p.coef(&[2]), -0.5);
        assert_eq!(p.degree_in(0), 2);
        assert!((p.eval(&[2.0]) - (3.0 * 1.0)).abs() < 1e-12);
    }
}
