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

impl Pos {
    /// From the start of `self` to the end of `end`, when both are on one line (else `self`).
    pub fn to(self, end: Pos) -> Pos {
        if end.line == self.line && end.col + end.len > self.col {
            Pos {
                len: end.col + end.len - self.col,
                ..self
            }
        } else {
            self
        }
    }
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
/// marker loading), `start(0.5)*x` (start value), `c(a1, a2)*x` or `c(1, NA)*x` (one per group),
/// `label("a")*x` and `equal("a")*x` (labels). A term may carry several, either chained
/// (`start(1)*a*x`) or repeated within one statement (`f =~ a*x + start(1)*x`, as lavaan allows):
/// the parser merges them into this one value (two of the same kind on one term is an error), so a
/// relation appears once in a [`FlatModel`].
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
    /// Where the term was written, modifiers included (for an intercept, the `1` and its
    /// modifiers).
    pub pos: Pos,
    /// Where the left-hand name was written.
    pub lhs_pos: Pos,
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

/// A whole model text in flat form, in the order written (for `y1 + y2 ~ x1 + x2`: y1 ~ x1, y1 ~
/// x2, y2 ~ x1, y2 ~ x2, lavaan's order). Each relation appears once: `~~` counts `a ~~ b` and `b ~~
/// a` as the same, and writing a relation twice in two statements is a syntax error (lavaan's
/// "duplicate model element"). Labels may repeat (equal parameters); every name a defined
/// parameter or constraint uses is a label or an earlier defined parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FlatModel {
    pub relations: Vec<Relation>,
    pub defined: Vec<FlatDefined>,
    pub constraints: Vec<Constraint>,
}
