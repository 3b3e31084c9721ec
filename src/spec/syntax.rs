//! cipa's path syntax: a small lavaan-like text for observed-variable path models.
//!
//! ```text
//! # comments start with '#', also after code on a line
//! collab ~ a*ties + size + ties:size
//! perf ~ cp*ties + b*collab + dist + collab:dist + age
//! ind := a*b
//! rel := ind / (ind + cp)
//! ```
//!
//! # Grammar
//!
//! ```text
//! program    := { statement? comment? newline }
//! statement  := regression | definition
//! regression := name '~' term { '+' term }
//! term       := [ label '*' ] factor { ':' factor }
//! factor     := name [ '^' ( '2' | '3' ) ]
//! definition := name ':=' expr
//! expr       := product { ('+' | '-') product }
//! product    := unary { ('*' | '/') unary }
//! unary      := '-' unary | '+' unary | power
//! power      := atom [ '^' unary ]                 (right-associative)
//! atom       := number | name | '(' expr ')'
//! ```
//!
//! - **Names** (variables, labels, defined quantities) are letters, digits, `_` and `.`, not
//!   starting with a digit (`.5` is a number). A column whose name does not fit, such as one with a
//!   space, is written in double quotes: `"job satisfaction" ~ a*"team size"`. Spaces just inside
//!   the quotes are ignored, and a quoted name cannot contain `:` or `"` or span lines.
//! - **Numbers** are `2`, `0.5`, `.5`, `1e-3`; they appear only in defined quantities.
//! - **Regressions**: `y ~ a*x + w + x:w`. A term is one variable or a product of variables joined
//!   by `:`; a label and `*` before the term name its coefficient. Every equation has a constant
//!   (`1`, `0` and `- 1` are errors). Each outcome has exactly one equation.
//! - **Powers**: `m ~ a1*x + a2*x^2` (a quadratic; `x^3` a cubic, also in a product, `x^2:w`).
//!   A power is the product of its variable with itself, so centring applies to `x` before it is
//!   powered and the effect algebra differentiates it (the effect of x through `a1 x + a2 x²` is
//!   `a1 + 2 a2 x`, probed at values of x: Hayes and Preacher's (2010) instantaneous effects).
//! - **Defined quantities**: `ind := a*b`. Expressions use coefficient labels (from anywhere in the
//!   text), defined quantities from earlier lines and numbers, with `+ - * / ^`, unary minus and
//!   parentheses. Precedence is R's: `^` binds tightest and is right-associative (`a^b^c` is
//!   `a^(b^c)`, `-a^2` is `-(a^2)`), then unary minus, then `* /`, then `+ -` (both
//!   left-associative). [`Defined::text`] holds the expression as written (after `:=`, with runs of
//!   spaces and line breaks shown as one space).
//! - **Continuation**: a line that ends with an operator (`+`, `-`, `*`, `/`, `^` or `:`) continues
//!   on the next line that is not blank or only a comment.
//! - **Not supported**, each with its own message: `=~` (latent variables), `~~` (covariances),
//!   `==`, `<`, `>` (constraints), fixed coefficients (`0.5*x`), a label shared by two coefficients
//!   (equality constraints), functions (`log(x)`), powers other than `^2` and `^3`, R's `.` for
//!   "all other variables", a variable twice in one product (`x:x`), `*` for products
//!   (`x*w` reads as label `x` on `w`, so a label that is also a variable in the model is an error
//!   explaining this, and `a*b*c` is an error pointing to `:`), cycles among equations, and a
//!   variable regressed on itself.
//!
//! Every error is a [`SpecError::Syntax`] with a 1-based line and column (in characters) and a
//! snippet with carets under the offending token, except a text without any equation, which is a
//! [`SpecError::Invalid`].
//!
//! [`parse_syntax`] returns the equations in causal order (each after the equations of its
//! predictors; otherwise in the order written). [`infer_roles`] finds X, Y and the mediators from
//! the paths; see its documentation for the rules.

mod check;
mod lex;
mod lower;
mod parse;
mod roles;
mod sem;

use std::collections::HashMap;

use serde::Serialize;

use super::flat::{FlatModel, Pos};
use super::{Defined, EquationSpec, SpecError};

pub use roles::{infer_moderators, infer_roles, infer_roles_with};

/// A model written in cipa's path syntax, checked and in causal order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedSyntax {
    /// The equations, topologically sorted: every equation comes after the equations of those of
    /// its predictors that are outcomes themselves; otherwise in the order written.
    pub equations: Vec<EquationSpec>,
    /// Defined quantities in the order written (each uses only earlier ones).
    pub defined: Vec<Defined>,
    /// `(label, outcome, term name)` for every labelled coefficient, in the order written.
    pub labels: Vec<(String, String, String)>,
}

/// Parses and checks a model in cipa's path syntax. `source_name` (a file name, or something like
/// `--model`) starts every error message.
pub fn parse_syntax(source_name: &str, text: &str) -> Result<ParsedSyntax, SpecError> {
    let src = Source::new(source_name, text);
    let tokens = lex::lex(text);
    let mut statements = Vec::new();
    let mut outcome_lines: HashMap<String, usize> = HashMap::new();
    for stmt in parse::split_statements(&tokens, parse::Dialect::Path) {
        let parsed = parse::parse_statement(&src, &stmt, parse::Dialect::Path)?;
        if let parse::Statement::Equation(eq) = &parsed {
            let line = eq.outcome.pos.line;
            if let Some(first) = outcome_lines.get(&eq.outcome.name) {
                return Err(src.error(
                    eq.outcome.pos,
                    format!(
                        "outcome '{}' has two equations (lines {first} and {line}); put all its \
                         predictors on one line",
                        eq.outcome.name
                    ),
                ));
            }
            outcome_lines.insert(eq.outcome.name.clone(), line);
        }
        statements.push(parsed);
    }
    check::check(&src, statements)
}

/// Parses a model in lavaan's syntax (the SEM dialect of the same parser) into its flat form:
/// `=~`, `~`, `~~`, `~ 1`, `:=`, `==`, `<`, `>`, several names on either side
/// (`y1 + y2 ~ x1 + x2`), and modifiers before a term: a label (`a*x`), a fixed value (`1*x`,
/// `0*x`, `-1*x`), `NA*x` (free), `start(0.5)*x`, `c(a1, a2)*x` or `c(1, NA)*x` (one per group),
/// `label("a")*x` and `equal("a")*x`; several on one term chain (`start(1)*a*x`) or repeat the
/// term in the same statement (`f =~ a*x + start(1)*x`). `y ~ 0` fixes the intercept at zero,
/// as in lavaan. Comments start with `#` or `!`; statements end at a newline or `;`, and a line
/// continues on the next when it ends with an operator or the next line has no relational
/// operator (lavaan's rule: `f =~ x1 + x2` then `+ x3`). Names, numbers, quoted names and the
/// expression grammar of `:=`, `==`, `<` and `>` are the path syntax's (see the module docs);
/// a `:=` may also name a model variable, which `cipa sem` probes at its values
/// (analysis/sem_probe.rs).
///
/// Every error is a [`SpecError::Syntax`] at line:column with a caret, except a text without
/// relations ([`SpecError::Invalid`]). Not supported, each with its own message: `<~`, `|`,
/// `~*~`, blocks (`group: 1`), `lower()`/`upper()`/`efa()`/`rv()`/`prior()`, functions in
/// expressions, and labels that are also variables.
///
/// ```
/// use cipa::spec::flat::RelOp;
/// let m = cipa::spec::syntax::parse_flat("model", "f =~ x1 + a*x2 + a*x3\ny ~ f + 0*1").unwrap();
/// assert_eq!(m.relations.len(), 5);
/// assert_eq!(m.relations[4].op, RelOp::Intercept);
/// assert_eq!(m.relations[4].modifier.fixed, vec![Some(0.0)]);
/// ```
pub fn parse_flat(source_name: &str, text: &str) -> Result<FlatModel, SpecError> {
    let src = Source::new(source_name, text);
    let tokens = lex::lex(text);
    let statements = parse::split_statements(&tokens, parse::Dialect::Sem)
        .iter()
        .map(|stmt| parse::parse_statement(&src, stmt, parse::Dialect::Sem))
        .collect::<Result<Vec<_>, _>>()?;
    lower::lower(&src, statements)
}

/// Constraints alone (`a1 == a2; b == 0`, one per line), written as a model's `==`, `<`, `>`
/// rows, for tests of a fitted model (`cipa sem --wald`); the caller checks the labels against
/// the fitted model.
pub fn parse_constraints(
    source_name: &str,
    text: &str,
) -> Result<Vec<crate::spec::flat::Constraint>, SpecError> {
    let src = Source::new(source_name, text);
    let tokens = lex::lex(text);
    parse::split_statements(&tokens, parse::Dialect::Sem)
        .iter()
        .map(|stmt| match parse::parse_statement(&src, stmt, parse::Dialect::Sem)? {
            parse::Statement::Constraint(c) => Ok(crate::spec::flat::Constraint {
                lhs: c.lhs,
                op: c.op,
                rhs: c.rhs,
                pos: c.pos,
                text: c.text,
            }),
            _ => Err(SpecError::Invalid(format!(
                "{source_name}: '{}' is not a constraint; write constraints of the fitted model's labels such as 'a1 == a2; b == 0'",
                text.trim()
            ))),
        })
        .collect()
}

/// The text being parsed, for error messages.
struct Source<'a> {
    name: &'a str,
    lines: Vec<&'a str>,
}

impl<'a> Source<'a> {
    fn new(name: &'a str, text: &'a str) -> Self {
        Source {
            name,
            lines: text
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect(),
        }
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> SpecError {
        SpecError::Syntax {
            source_name: self.name.to_string(),
            line: pos.line,
            column: pos.col,
            message: message.into(),
            snippet: self.snippet(pos),
        }
    }

    /// The line, then carets under the token (tabs are kept so the carets line up).
    fn snippet(&self, pos: Pos) -> String {
        let line = pos
            .line
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("");
        let mut marker: String = line
            .chars()
            .take(pos.col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let have = marker.chars().count();
        for _ in have..pos.col.saturating_sub(1) {
            marker.push(' ');
        }
        for _ in 0..pos.len.max(1) {
            marker.push('^');
        }
        format!("{line}\n{marker}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_puts_carets_under_the_token() {
        let src = Source::new("m", "y ~ x\n\tm ~ a*b*c\r\n");
        assert_eq!(
            src.snippet(Pos {
                line: 2,
                col: 8,
                len: 1
            }),
            "\tm ~ a*b*c\n\t      ^"
        );
        assert_eq!(
            src.snippet(Pos {
                line: 1,
                col: 5,
                len: 1
            }),
            "y ~ x\n    ^"
        );
        // Past the end of the line (an error at the end of the line).
        assert_eq!(
            src.snippet(Pos {
                line: 1,
                col: 6,
                len: 1
            }),
            "y ~ x\n     ^"
        );
        // A line that does not exist does not panic.
        assert_eq!(
            src.snippet(Pos {
                line: 9,
                col: 1,
                len: 0
            }),
            "\n^"
        );
    }

    #[test]
    fn pos_to_spans_one_line_only() {
        let a = Pos {
            line: 1,
            col: 3,
            len: 1,
        };
        let b = Pos {
            line: 1,
            col: 7,
            len: 2,
        };
        assert_eq!(a.to(b).len, 6);
        let c = Pos {
            line: 2,
            col: 1,
            len: 1,
        };
        assert_eq!(a.to(c), a);
    }
}
