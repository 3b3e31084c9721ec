//! A model as written, one row per relation: the flat form of lavaan's syntax (its
//! `lavParseModelString` output), which both `fit --spec` (observed-variable path models) and
//! `cipa sem` (latent-variable models) build on. `y ~ a*x + w + x:w` gives three rows; a row knows
//! where it was written, so later checks (unknown variable, a latent without indicators, an
//! operator `fit` does not take) point at line:column with a caret.

use serde::Serialize;

use super::Expr;

/// Where something was written: 1-based line and column (in characters) and the length of the
/// token, for carets under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

/// The relational operators of the syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RelOp {
    /// `f =~ x1 + x2`: `x1` is an indicator of the latent `f` (lhs = f, rhs = x1).
    Measure,
    /// `y ~ x`: `y` regressed on `x` (lhs = y, rhs = x).
    Regress,
    /// `x ~~ z`: a (residual) covariance, or a variance when lhs = rhs.
    Covary,
    /// `y ~ 1`: an intercept (rhs is empty).
    Intercept,
}

impl RelOp {
    /// As lavaan writes it: `=~`, `~`, `~~`, `~1`.
    pub fn symbol(self) -> &'static str {
        match self {
            RelOp::Measure => "=~",
            RelOp::Regress => "~",
            RelOp::Covary => "~~",
            RelOp::Intercept => "~1",
        }
    }
}

/// What a modifier before a term sets: `a*x` (label), `0.5*x` (fixed value), `NA*x` (free, e.g. a
/// marker loading), `start(0.5)*x` (start value), `c(a1, a2)*x` or `c(1, NA)*x` (one per group).
/// A term may carry several (`a*x + start(1)*x` is written as two rows of the same relation; lavaan
/// merges them, and so do we when building the parameter table).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Modifier {
    /// Labels, one per group (`c(a1, a2)`), or one for all groups; empty when unlabelled. A group
    /// entry may be `None` in `c(a1, NA)`-style label vectors.
    pub labels: Vec<Option<String>>,
    /// Fixed values, one per group or one for all; `None` for `NA` (explicitly free).
    pub fixed: Vec<Option<f64>>,
    /// Start values, one per group or one for all.
    pub start: Vec<f64>,
}

/// One relation as written: `lhs op rhs` with its modifier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    pub lhs: String,
    pub op: RelOp,
    /// The right-hand term: one variable, or a product of variables (`x:w`, observed or latent);
    /// empty for [`RelOp::Intercept`].
    pub rhs: Vec<String>,
    pub modifier: Modifier,
    /// Where the term (or, for an intercept, the `1`) starts.
    pub pos: Pos,
}

/// `==`, `<` or `>` between two expressions of labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConstraintOp {
    Equal,
    Less,
    Greater,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constraint {
    pub lhs: Expr,
    pub op: ConstraintOp,
    pub rhs: Expr,
    pub pos: Pos,
    /// As written, for reports.
    pub text: String,
}

/// A defined parameter, `name := expression`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlatDefined {
    pub name: String,
    pub expr: Expr,
    pub text: String,
    pub pos: Pos,
}

/// A whole model text in flat form, in the order written.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FlatModel {
    pub relations: Vec<Relation>,
    pub defined: Vec<FlatDefined>,
    pub constraints: Vec<Constraint>,
}
