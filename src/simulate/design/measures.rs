//! Builder stages for what is drawn directly: constructs (with their items), observed variables
//! and categorical variables (with their 0/1 indicators).

use super::builder::Builder;
use super::{
    Measurement, Node, NodeKind, RawCategorical, RawConstruct, RawVariable, MAX_ITEMS, MAX_SKEW,
};
use crate::simulate::SimulateError;

impl Builder {
    pub(super) fn construct(
        &mut self,
        c: RawConstruct,
        default_m: Measurement,
    ) -> Result<(), SimulateError> {
        let scale = c.scale;
        if !(2..=11).contains(&scale) {
            return Err(self.invalid(format!(
                "construct '{}': scale {scale} must be 2 to 11 points (5 or 7 are usual)",
                c.name
            )));
        }
        if c.items == 0 {
            return Err(self.invalid(format!("construct '{}' needs at least one item", c.name)));
        }
        // Checked before the loadings are made: a damaged count would allocate terabytes.
        if c.items > MAX_ITEMS {
            return Err(self.invalid(format!(
                "construct '{}': {} items; a construct has at most {MAX_ITEMS}",
                c.name, c.items
            )));
        }
        let loadings = self.loadings(&c.name, c.items, c.loadings, c.loading)?;
        let thresholds = self.thresholds(&c.name, scale, c.thresholds)?;
        if !(c.skew.is_finite() && c.skew.abs() <= MAX_SKEW) {
            return Err(self.invalid(format!(
                "construct '{}': skew {} must be a number from -{MAX_SKEW} to {MAX_SKEW} (0 = normal item errors; 1 to 2 is strongly skewed)",
                c.name, c.skew
            )));
        }
        let prefix = c.item_prefix.clone().unwrap_or_else(|| c.name.clone());
        let items = (1..=c.items).map(|j| format!("{prefix}_{j}")).collect();
        self.add(Node {
            name: c.name,
            label: c.label,
            level: c.level,
            kind: NodeKind::Construct {
                items,
                scale,
                loadings,
                thresholds,
                measurement: c.measurement.unwrap_or(default_m),
                skew: c.skew,
            },
            equation: None,
        })?;
        Ok(())
    }

    /// One loading per item: the list as written, or `loading` (0.8 if absent) repeated.
    fn loadings(
        &self,
        name: &str,
        items: usize,
        list: Option<Vec<f64>>,
        one: Option<f64>,
    ) -> Result<Vec<f64>, SimulateError> {
        let loadings = match (list, one) {
            (Some(l), None) if l.len() == items => l,
            (Some(l), None) => {
                return Err(self.invalid(format!(
                    "construct '{name}': {} loadings for {items} items",
                    l.len(),
                )))
            }
            (None, l) => vec![l.unwrap_or(0.8); items],
            (Some(_), Some(_)) => {
                return Err(self.invalid(format!(
                    "construct '{name}': give `loading` or `loadings`, not both"
                )))
            }
        };
        if let Some(l) = loadings.iter().find(|l| !(**l > 0.0 && **l <= 1.0)) {
            return Err(self.invalid(format!(
                "construct '{name}': loading {l} must be in (0, 1] (standardized)"
            )));
        }
        Ok(loadings)
    }

    /// The Likert cut points: as written (scale − 1 increasing numbers), or by default spread
    /// over ±2.5 SD, which gives a bell-shaped response.
    fn thresholds(
        &self,
        name: &str,
        scale: u32,
        written: Option<Vec<f64>>,
    ) -> Result<Vec<f64>, SimulateError> {
        match written {
            Some(t) => {
                // NaN compares false, so it would pass the order check and cut no category.
                if t.len() != scale as usize - 1
                    || t.iter().any(|x| x.is_nan())
                    || t.windows(2).any(|w| w[0] >= w[1])
                {
                    return Err(self.invalid(format!(
                        "construct '{name}': a {scale}-point scale needs {} increasing thresholds",
                        scale - 1
                    )));
                }
                Ok(t)
            }
            None => Ok((1..scale)
                .map(|k| -2.5 + 5.0 * f64::from(k) / f64::from(scale))
                .collect()),
        }
    }

    pub(super) fn variable(&mut self, v: RawVariable) -> Result<(), SimulateError> {
        let lognormal = match v.distribution.as_str() {
            "normal" => false,
            "lognormal" => true,
            d => {
                return Err(self.invalid(format!(
                    "variable '{}': distribution '{d}' must be normal or lognormal",
                    v.name
                )))
            }
        };
        if !(v.sd > 0.0 && v.sd.is_finite() && v.mean.is_finite()) {
            return Err(self.invalid(format!("variable '{}': sd must be positive", v.name)));
        }
        self.check_bounds(&format!("variable '{}'", v.name), v.min, v.max)?;
        self.check_decimals(&format!("variable '{}'", v.name), v.decimals)?;
        self.add(Node {
            name: v.name,
            label: v.label,
            level: v.level,
            kind: NodeKind::Variable {
                lognormal,
                mean: v.mean,
                sd: v.sd,
                min: v.min,
                max: v.max,
                decimals: v.decimals,
            },
            equation: None,
        })?;
        Ok(())
    }

    pub(super) fn categorical(&mut self, c: RawCategorical) -> Result<(), SimulateError> {
        let total: f64 = c.probs.iter().sum();
        if c.levels.len() < 2
            || c.levels.len() != c.probs.len()
            // NaN passes both comparisons (and makes the total NaN): a share must be a number.
            || c.probs.iter().any(|p| *p <= 0.0 || p.is_nan())
            || (total - 1.0).abs() > 1e-6
        {
            return Err(self.invalid(format!(
                "categorical '{}': needs two or more levels with positive probabilities summing to 1 (one per level)",
                c.name
            )));
        }
        // The last cumulative probability (1) is not a cut point.
        let cum = c
            .probs
            .iter()
            .scan(0.0, |s, p| {
                *s += p;
                Some(*s)
            })
            .take(c.probs.len() - 1)
            .collect();
        let at = self.add(Node {
            name: c.name.clone(),
            label: c.label,
            level: String::new(),
            kind: NodeKind::Categorical {
                levels: c.levels.clone(),
                cum,
            },
            equation: None,
        })?;
        for (ind, level) in c.indicators {
            let Some(l) = c.levels.iter().position(|x| *x == level) else {
                return Err(self.invalid(format!(
                    "categorical '{}': indicator '{ind}' names level '{level}', which is not one of {}",
                    c.name,
                    c.levels.join(", ")
                )));
            };
            self.add(Node {
                name: ind,
                label: format!("{} = {level}", c.name),
                level: String::new(),
                kind: NodeKind::Indicator { of: at, level: l },
                equation: None,
            })?;
        }
        Ok(())
    }
}
