//! Defined quantities of the path syntax (`ind := a*b`), evaluated from labelled coefficients on
//! the point estimates and on every bootstrap draw by the same function.

use crate::spec::{Defined, Expr, ModelSpec};

/// Defined quantities compiled against the fitted designs.
#[derive(Debug, Clone)]
pub struct DefinedSet {
    /// (label, equation, column) of every labelled coefficient.
    labels: Vec<(String, usize, usize)>,
    pub defined: Vec<Defined>,
}

impl DefinedSet {
    /// Resolves labels to coefficient positions; `names[e]` are equation e's column names.
    pub fn new(spec: &ModelSpec, names: &[Vec<String>]) -> Result<DefinedSet, String> {
        let mut labels = Vec::new();
        for (e, eq) in spec.equations.iter().enumerate() {
            for t in &eq.terms {
                if let Some(l) = &t.label {
                    let name = t.name();
                    let col = names[e].iter().position(|n| *n == name).ok_or_else(|| {
                        format!("label '{l}' is on '{name}', which has more than one coefficient (a categorical variable); label a numeric term")
                    })?;
                    labels.push((l.clone(), e, col));
                }
            }
        }
        Ok(DefinedSet {
            labels,
            defined: spec.defined.clone(),
        })
    }

    /// Number of defined quantities.
    pub fn count(&self) -> usize {
        self.defined.len()
    }

    /// Values of every defined quantity, in order, into `out`.
    pub fn evaluate(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        for i in 0..self.defined.len() {
            let v = self.eval(&self.defined[i].expr, betas, &out[..i]);
            out[i] = v;
        }
    }

    fn eval(&self, e: &Expr, betas: &[Vec<f64>], earlier: &[f64]) -> f64 {
        match e {
            Expr::Num(x) => *x,
            Expr::Label(l) => {
                if let Some((_, eq, col)) = self.labels.iter().find(|(n, _, _)| n == l) {
                    betas[*eq][*col]
                } else {
                    self.defined
                        .iter()
                        .take(earlier.len())
                        .position(|d| &d.name == l)
                        .map_or(f64::NAN, |i| earlier[i])
                }
            }
            Expr::Neg(a) => -self.eval(a, betas, earlier),
            Expr::Add(a, b) => self.eval(a, betas, earlier) + self.eval(b, betas, earlier),
            Expr::Sub(a, b) => self.eval(a, betas, earlier) - self.eval(b, betas, earlier),
            Expr::Mul(a, b) => self.eval(a, betas, earlier) * self.eval(b, betas, earlier),
            Expr::Div(a, b) => self.eval(a, betas, earlier) / self.eval(b, betas, earlier),
            Expr::Pow(a, b) => self
                .eval(a, betas, earlier)
                .powf(self.eval(b, betas, earlier)),
            Expr::Call(f, a) => f.apply(self.eval(a, betas, earlier)),
        }
    }
}
