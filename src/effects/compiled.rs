//! The effect plan compiled for the resampling loop: every effect, and every curve's coefficients
//! in its moderator, as a weighted sum of products of model coefficients, fixed once when the
//! plan is made. A draw then evaluates them without polynomial algebra or allocation, and the
//! point estimate uses the same compiled sums, so estimate and draws cannot disagree.

use super::curve::CurveDef;
use super::plan::{EffectPlan, Formula, PolyDef};

/// `Σ weight · Π betas[e][j]` over its terms. The terms' factors lie end to end in one vector
/// (term `t`'s are `factors[ends[t - 1]..ends[t]]`), so a draw's evaluation reads three
/// contiguous arrays instead of following a pointer per term.
#[derive(Debug, Clone, Default, PartialEq)]
struct SumOfProducts {
    weights: Vec<f64>,
    ends: Vec<usize>,
    factors: Vec<(usize, usize)>,
}

impl SumOfProducts {
    /// Term `t`'s factors.
    fn term(&self, t: usize) -> &[(usize, usize)] {
        let start = if t == 0 { 0 } else { self.ends[t - 1] };
        &self.factors[start..self.ends[t]]
    }

    fn push(&mut self, weight: f64, factors: &[(usize, usize)]) {
        match (0..self.weights.len()).find(|&t| self.term(t) == factors) {
            Some(t) => self.weights[t] += weight,
            None => {
                self.weights.push(weight);
                self.factors.extend_from_slice(factors);
                self.ends.push(self.factors.len());
            }
        }
    }

    // The same products and sum, in the same order, as one vector per term gave: not a bit of
    // any draw changes.
    fn eval(&self, betas: &[Vec<f64>]) -> f64 {
        let mut start = 0;
        self.weights
            .iter()
            .zip(&self.ends)
            .map(|(w, &end)| {
                let f = &self.factors[start..end];
                start = end;
                w * f.iter().map(|&(e, j)| betas[e][j]).product::<f64>()
            })
            .sum()
    }
}

/// A term of an effect's polynomial in the moderators: exponents of the probe factors, and the
/// model coefficients whose product is its coefficient.
#[derive(Debug, Clone)]
struct SymTerm {
    exps: Vec<u8>,
    factors: Vec<(usize, usize)>,
    /// The derivatives' powers brought down (2 for the stage through `x^2`).
    weight: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum Compiled {
    Sum(SumOfProducts),
    Diff(usize, usize),
}

/// The plan's effects as sums of products, in the order of [`EffectPlan::effects`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPlan {
    effects: Vec<Compiled>,
}

impl CompiledPlan {
    /// Every effect's value for the coefficient vectors `betas` (one per equation).
    pub fn evaluate(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        for (i, e) in self.effects.iter().enumerate() {
            out[i] = match e {
                Compiled::Sum(s) => s.eval(betas),
                Compiled::Diff(a, b) => out[*a] - out[*b],
            };
        }
    }
}

/// Curves as polynomials in their moderator whose coefficients are sums of products.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledCurves {
    /// Per curve, the coefficient of each power of the moderator (constant first).
    coefficients: Vec<Vec<SumOfProducts>>,
}

impl CompiledCurves {
    /// The curves' values over `grid`: `out[c * grid.len() + g]` is curve `c` at `grid[g]`.
    pub fn evaluate(&self, grid: &[f64], betas: &[Vec<f64>], out: &mut [f64]) {
        // Called once per draw: the coefficients go on the stack (a model's curves are of low
        // degree), so the loop allocates nothing; a higher degree falls back to the heap.
        const STACK: usize = 8;
        let mut stack = [0.0; STACK];
        let mut heap = Vec::new();
        for (powers, row) in self
            .coefficients
            .iter()
            .zip(out.chunks_exact_mut(grid.len().max(1)))
        {
            let coef: &mut [f64] = if powers.len() <= STACK {
                &mut stack[..powers.len()]
            } else {
                heap.resize(powers.len(), 0.0);
                &mut heap
            };
            for (k, s) in coef.iter_mut().zip(powers) {
                *k = s.eval(betas);
            }
            // Horner's rule, `acc · v + k` from the highest power down, for every point at
            // once: the points' chains are independent, so one coefficient's step over the
            // whole grid vectorises (point by point, each chain waited on its own multiply and
            // add). Each point's operations and their order are unchanged.
            row.fill(0.0);
            for &k in coef.iter().rev() {
                for (o, &v) in row.iter_mut().zip(grid) {
                    *o = *o * v + k;
                }
            }
        }
    }

    /// How many polynomial coefficients each curve has (its degree + 1).
    pub fn powers(&self) -> Vec<usize> {
        self.coefficients.iter().map(Vec::len).collect()
    }

    /// Every curve's polynomial coefficients for `betas` (constant first, curve after curve;
    /// `powers().iter().sum()` values): what [`CompiledCurves::evaluate`] computes before its
    /// Horner steps, by the same sums, so a curve's points can be evaluated later from them
    /// with the same bits (the bootstrap keeps these per draw instead of 41 points a curve).
    pub fn evaluate_coefficients(&self, betas: &[Vec<f64>], out: &mut [f64]) {
        let all = self.coefficients.iter().flatten();
        for (o, s) in out.iter_mut().zip(all) {
            *o = s.eval(betas);
        }
    }
}

fn monomial(x: &[f64], exps: &[u8], skip: Option<usize>) -> f64 {
    exps.iter()
        .enumerate()
        .filter(|&(v, _)| Some(v) != skip)
        .map(|(v, &e)| x[v].powi(e as i32))
        .product()
}

impl EffectPlan {
    /// The polynomial `id` term by term, symbolically in the model coefficients.
    fn symbolic(&self, id: usize) -> Vec<SymTerm> {
        let nv = self.probe_factors.len();
        match &self.polys[id] {
            PolyDef::Path(stages) => {
                let mut acc = vec![SymTerm {
                    exps: vec![0; nv],
                    factors: Vec::new(),
                    weight: 1.0,
                }];
                for (e, var) in stages {
                    let stage = self.symbolic_stage(*e, var);
                    acc = acc
                        .iter()
                        .flat_map(|a| {
                            stage.iter().map(move |s| SymTerm {
                                exps: a.exps.iter().zip(&s.exps).map(|(p, q)| p + q).collect(),
                                factors: [a.factors.as_slice(), s.factors.as_slice()].concat(),
                                weight: a.weight * s.weight,
                            })
                        })
                        .collect();
                }
                acc
            }
            PolyDef::Sum(ids) => ids.iter().flat_map(|&i| self.symbolic(i)).collect(),
        }
    }

    /// The derivative of equation `e` in `var` (see `stage`): one term per column with `var`.
    fn symbolic_stage(&self, e: usize, var: &str) -> Vec<SymTerm> {
        let nv = self.probe_factors.len();
        let mut out = Vec::new();
        'columns: for (j, col) in self.shapes[e].columns.iter().enumerate() {
            let Some((k, rest)) = super::plan::derivative(col, var) else {
                continue;
            };
            let mut exps = vec![0u8; nv];
            for f in rest {
                match self.probe_factors.iter().position(|p| p == f) {
                    Some(v) => exps[v] += 1,
                    // Another path variable, held at zero (model 74's direct effect).
                    None => continue 'columns,
                }
            }
            out.push(SymTerm {
                exps,
                factors: vec![(e, j)],
                weight: k,
            });
        }
        out
    }

    /// The effects compiled for evaluation.
    pub fn compile(&self) -> CompiledPlan {
        let mut cache: Vec<Option<Vec<SymTerm>>> = vec![None; self.polys.len()];
        let mut sym = |id: usize| -> Vec<SymTerm> {
            cache[id].get_or_insert_with(|| self.symbolic(id)).clone()
        };
        let effects = self
            .effects
            .iter()
            .map(|e| match &e.formula {
                Formula::At { poly, x } => {
                    let mut s = SumOfProducts::default();
                    for t in sym(*poly) {
                        s.push(t.weight * monomial(x, &t.exps, None), &t.factors);
                    }
                    Compiled::Sum(s)
                }
                Formula::Coef {
                    poly,
                    exps,
                    plus,
                    scale,
                } => {
                    let mut s = SumOfProducts::default();
                    for t in sym(*poly) {
                        if &t.exps == exps {
                            s.push(scale * t.weight, &t.factors);
                        }
                        if let Some((e2, v)) = plus {
                            if &t.exps == e2 {
                                s.push(scale * v * t.weight, &t.factors);
                            }
                        }
                    }
                    Compiled::Sum(s)
                }
                Formula::Diff(a, b) => Compiled::Diff(*a, *b),
                Formula::Products(terms) => {
                    let mut s = SumOfProducts::default();
                    for (w, f) in terms {
                        s.push(*w, f);
                    }
                    Compiled::Sum(s)
                }
            })
            .collect();
        CompiledPlan { effects }
    }

    /// Curves compiled for evaluation: each a polynomial in its moderator.
    pub fn compile_curves(&self, curves: &[CurveDef]) -> CompiledCurves {
        let coefficients = curves
            .iter()
            .map(|c| {
                let terms = self.symbolic(c.poly());
                let degree = terms
                    .iter()
                    .map(|t| t.exps[c.factor()] as usize)
                    .max()
                    .unwrap_or(0);
                let mut powers = vec![SumOfProducts::default(); degree + 1];
                for t in terms {
                    let w = t.weight * monomial(c.x(), &t.exps, Some(c.factor()));
                    powers[t.exps[c.factor()] as usize].push(w, &t.factors);
                }
                powers
            })
            .collect();
        CompiledCurves { coefficients }
    }
}
