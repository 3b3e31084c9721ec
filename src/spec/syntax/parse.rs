//! Statements: splitting tokens into statements (with continuation lines) and parsing each one
//! into a regression or a defined quantity, with the checks that need only the statement itself.

use std::collections::{HashMap, HashSet};

use crate::spec::{Expr, Func, SpecError};

use super::lex::{Tok, Token};
use super::{Pos, Source};

/// How deeply a defined quantity's expression may nest (operators or parentheses).
pub(super) const MAX_DEPTH: usize = 200;

/// A name and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spanned {
    pub name: String,
    pub pos: Pos,
}

/// A factor as written in a term with its power (1 unless `^2` or `^3` follows it).
type Powered = (Spanned, usize);

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawTerm {
    pub label: Option<Spanned>,
    pub factors: Vec<Spanned>,
    /// The whole term, label included.
    pub pos: Pos,
}

impl RawTerm {
    /// `x:w`, with a power spelled `x^2` (its factor repeated in `factors`).
    pub fn name(&self) -> String {
        let names: Vec<String> = self.factors.iter().map(|f| f.name.clone()).collect();
        crate::spec::power_name(&names)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawEquation {
    pub outcome: Spanned,
    pub terms: Vec<RawTerm>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawDefined {
    pub name: Spanned,
    pub expr: Expr,
    /// Every name the expression uses, in order.
    pub refs: Vec<Spanned>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Statement {
    /// A regression of the path dialect.
    Equation(RawEquation),
    Defined(RawDefined),
    /// A relation of the SEM dialect (`=~`, `~`, `~~`, `~ 1`).
    Relation(super::sem::RawRelation),
    /// `==`, `<` or `>` (SEM dialect).
    Constraint(super::sem::RawConstraint),
}

/// The tokens of one statement and the token that ends it (a newline or the end of the input,
/// placed just after the statement's last token).
#[derive(Debug, Clone)]
pub(super) struct Stmt {
    toks: Vec<Token>,
    end: Token,
}

/// Which grammar a statement is parsed in: `fit --spec`'s observed-variable path models, or
/// lavaan's full model syntax for `cipa sem`. One parser serves both; the path dialect stops at
/// the first construct only `cipa sem` fits and says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    Path,
    Sem,
}

/// Groups tokens into statements: a newline ends a statement unless the line ends with an
/// operator; blank lines are skipped. In the SEM dialect, as in lavaan, `;` also ends a
/// statement, and a line without a relational operator (`=~ ~ ~~ := == < >`) continues the
/// statement before it (`f =~ x1 + x2` then `     + x3` on the next line).
pub(super) fn split_statements(tokens: &[Token], dialect: Dialect) -> Vec<Stmt> {
    let sem = dialect == Dialect::Sem;
    let next_has_operator = if sem {
        next_line_operators(tokens)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    let mut cur: Vec<Token> = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let ends = match t.tok {
            Tok::Newline | Tok::Eof => true,
            Tok::Unknown(';') => sem,
            _ => false,
        };
        if !ends {
            cur.push(t.clone());
            continue;
        }
        let Some(last) = cur.last() else { continue };
        if t.tok != Tok::Eof
            && (last.continues() || (sem && !next_has_operator.get(k).copied().unwrap_or(true)))
        {
            continue;
        }
        let end = Token {
            // A ';' ends a statement as a newline does.
            tok: if t.tok == Tok::Eof {
                Tok::Eof
            } else {
                Tok::Newline
            },
            pos: Pos {
                line: last.pos.line,
                col: last.pos.col + last.pos.len,
                len: 1,
            },
            text: String::new(),
        };
        out.push(Stmt {
            toks: std::mem::take(&mut cur),
            end,
        });
    }
    out
}

/// For each separator (newline, `;`, end) at token k: whether the next line that is not blank
/// holds an operator ([`line_has_operator`]); one backward pass, so that runs of blank lines cost
/// nothing extra.
fn next_line_operators(tokens: &[Token]) -> Vec<bool> {
    let mut out = vec![true; tokens.len()];
    let mut next = true;
    let mut end = tokens.len();
    for k in (0..tokens.len()).rev() {
        let Some(t) = tokens.get(k) else { continue };
        if !matches!(t.tok, Tok::Newline | Tok::Eof | Tok::Unknown(';')) {
            continue;
        }
        let line = tokens.get(k + 1..end).unwrap_or(&[]);
        if !line.is_empty() {
            next = line_has_operator(line);
        }
        if let Some(o) = out.get_mut(k) {
            *o = next;
        }
        end = k;
    }
    out
}

/// Whether the next line that is not blank (or only a comment), from `rest` up to its newline or
/// `;`, holds a relational operator or a block label (`group: 1`); the end of the text counts as
/// one, so that nothing continues into it.
fn line_has_operator(rest: &[Token]) -> bool {
    let line: Vec<&Token> = rest
        .iter()
        .skip_while(|t| t.tok == Tok::Newline)
        .take_while(|t| !matches!(t.tok, Tok::Newline | Tok::Eof | Tok::Unknown(';')))
        .collect();
    if line.is_empty() {
        return true;
    }
    let block = matches!(
        (line.first().map(|t| &t.tok), line.get(1).map(|t| &t.tok)),
        (Some(Tok::Name(n)), Some(Tok::Colon))
            if ["group", "level", "block", "class"].contains(&n.to_lowercase().as_str())
    );
    block
        || line.iter().any(|t| {
            matches!(
                t.tok,
                Tok::Tilde
                    | Tok::Latent
                    | Tok::Covar
                    | Tok::Define
                    | Tok::EqEq
                    | Tok::Less
                    | Tok::Greater
                    | Tok::Unknown('|' | '%')
            )
        })
}

/// What the path dialect says about lavaan syntax only `cipa sem` fits.
pub(super) const SEM_MODEL: &str = "this is a latent-variable model: use `cipa sem`";
pub(super) const USE_SEM: &str = "fit the model with `cipa sem`, which takes lavaan's syntax";

/// lavaan's modifier functions (`start(0.5)*x`, `c(a1, a2)*x`, ...).
pub(super) const MODIFIER_FUNCTIONS: [&str; 9] = [
    "start", "c", "label", "equal", "lower", "upper", "efa", "rv", "prior",
];

/// The message for `x*w` where `x` is a variable: `*` attaches a label, `:` multiplies.
pub(super) fn label_is_variable(label: &str, term: &str) -> String {
    format!(
        "'{label}*{term}' uses the variable '{label}' as a label: in cipa '*' attaches a label to \
         a coefficient (a*{term}); write a product of variables with ':' ({label}:{term}), or \
         choose a label that is not a variable"
    )
}

/// Parses one statement in the given dialect.
pub(super) fn parse_statement(
    src: &Source,
    stmt: &Stmt,
    dialect: Dialect,
) -> Result<Statement, SpecError> {
    let mut p = Parser {
        src,
        toks: &stmt.toks,
        end: &stmt.end,
        i: 0,
        functions: dialect == Dialect::Sem,
    };
    match dialect {
        Dialect::Path => p.statement(),
        Dialect::Sem => p.sem_statement(),
    }
}

pub(super) struct Parser<'s, 'a> {
    pub(super) src: &'s Source<'a>,
    pub(super) toks: &'s [Token],
    pub(super) end: &'s Token,
    pub(super) i: usize,
    /// Whether expressions may call functions (`exp(a)`: the SEM dialect).
    pub(super) functions: bool,
}

impl<'s> Parser<'s, '_> {
    pub(super) fn peek(&self) -> &'s Token {
        self.toks.get(self.i).unwrap_or(self.end)
    }

    pub(super) fn peek_at(&self, ahead: usize) -> &'s Token {
        self.toks.get(self.i + ahead).unwrap_or(self.end)
    }

    pub(super) fn bump(&mut self) -> &'s Token {
        let t = self.peek();
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    pub(super) fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }

    /// The token before the current one.
    pub(super) fn prev(&self) -> &'s Token {
        self.i
            .checked_sub(1)
            .and_then(|k| self.toks.get(k))
            .unwrap_or(self.end)
    }

    pub(super) fn error(&self, pos: Pos, message: impl Into<String>) -> SpecError {
        self.src.error(pos, message)
    }

    /// `expected ..., found ...`, or the lexer's own message for a malformed token.
    pub(super) fn found(&self, t: &Token, expected: &str) -> SpecError {
        match &t.tok {
            Tok::Bad(m) => self.error(t.pos, m.clone()),
            Tok::Unknown(c) => {
                let hint = match c {
                    '\'' | '`' => "; write a name that needs quoting in double quotes: \"my var\"",
                    ';' => "; write one statement per line",
                    _ => "",
                };
                self.error(
                    t.pos,
                    format!("{expected}, found '{c}', which cipa's syntax does not use{hint}"),
                )
            }
            Tok::Comma => self.error(
                t.pos,
                format!(
                    "{expected}, found ','; cipa's syntax has no commas (separate terms with '+')"
                ),
            ),
            _ => self.error(t.pos, format!("{expected}, found {}", t.describe())),
        }
    }

    /// A note for an error on a continuation line.
    pub(super) fn continuation_note(&self, t: &Token) -> String {
        let first = self.toks.first().map_or(t.pos.line, |f| f.pos.line);
        if t.pos.line > first {
            let ends = self
                .toks
                .iter()
                .rev()
                .find(|x| x.pos.line < t.pos.line)
                .map_or(first, |x| x.pos.line);
            format!(
                " (line {} continues the statement begun on line {first}, because line {ends} \
                 ends with an operator)",
                t.pos.line
            )
        } else {
            String::new()
        }
    }

    fn statement(&mut self) -> Result<Statement, SpecError> {
        let first = self.bump();
        let lhs = self.statement_start(first)?;
        let op = self.bump();
        match &op.tok {
            Tok::Tilde => self.regression(lhs, op).map(Statement::Equation),
            Tok::Define => self.definition(lhs).map(Statement::Defined),
            _ => Err(self.operator_error(first, op)),
        }
    }

    /// The name a statement starts with (an outcome or a defined quantity's name).
    fn statement_start(&self, first: &Token) -> Result<Spanned, SpecError> {
        match &first.tok {
            Tok::Name(n) => Ok(Spanned {
                name: n.clone(),
                pos: first.pos,
            }),
            Tok::Tilde | Tok::Latent | Tok::Covar => Err(self.error(
                first.pos,
                format!("expected an outcome name before {}", first.describe()),
            )),
            Tok::Define => Err(self.error(first.pos, "expected a name before ':='")),
            Tok::Plus => Err(self.error(
                first.pos,
                "expected a variable name at the start of the line, found '+'; to continue \
                 the previous line, end it with '+' instead",
            )),
            _ => Err(self.found(first, "expected a variable name at the start of the line")),
        }
    }

    /// The error for an operator after a statement's first name other than '~' and ':=': what
    /// it means in lavaan and what `cipa fit` does instead.
    fn operator_error(&self, first: &Token, op: &Token) -> SpecError {
        match &op.tok {
            Tok::Latent => self.error(
                op.pos,
                format!(
                    "'=~' defines a latent variable: {SEM_MODEL} (or score constructs first with \
                     --construct and fit the scores here)"
                ),
            ),
            Tok::Covar => self.error(
                op.pos,
                format!(
                    "'~~' (variances and covariances) is not supported here: `cipa fit` fits each \
                     equation by least squares, so predictors covary freely and residual \
                     covariances are not modelled; remove this line, or {USE_SEM}"
                ),
            ),
            Tok::EqEq | Tok::Less | Tok::Greater => self.error(
                op.pos,
                format!(
                    "constraints ({}) are not supported by `cipa fit`; {USE_SEM}",
                    op.describe()
                ),
            ),
            Tok::Eq => self.error(
                op.pos,
                format!(
                    "expected '~' or ':=' after {}, found '='; write 'y ~ x' for a regression \
                     and 'name := expression' for a defined quantity",
                    first.describe()
                ),
            ),
            Tok::LParen => self.error(
                first.pos.to(op.pos),
                format!(
                    "{}(...) looks like a function; functions are not supported: compute the \
                     variable as a new column first",
                    first.text
                ),
            ),
            Tok::Plus => self.error(
                op.pos,
                format!(
                    "expected '~' or ':=' after {}, found '+'; write one equation per outcome",
                    first.describe()
                ),
            ),
            _ => self.found(
                op,
                &format!("expected '~' or ':=' after {}", first.describe()),
            ),
        }
    }

    fn regression(&mut self, outcome: Spanned, tilde: &Token) -> Result<RawEquation, SpecError> {
        if self.at_end() {
            return Err(self.error(
                tilde.pos,
                format!(
                    "empty right-hand side: '{} ~' needs at least one predictor after '~'",
                    outcome.name
                ),
            ));
        }
        let mut terms: Vec<RawTerm> = Vec::new();
        loop {
            let term = self.term(&outcome)?;
            let name = term.name();
            terms.push(term);
            let t = self.peek();
            match &t.tok {
                Tok::Newline | Tok::Eof => break,
                Tok::Plus => {
                    self.bump();
                }
                Tok::Minus => return Err(self.minus_in_regression()),
                Tok::Tilde | Tok::Define | Tok::Latent | Tok::Covar => {
                    return Err(self.error(
                        t.pos,
                        format!(
                            "expected '+' or the end of the line after '{name}', found {}; write \
                             each equation on its own line{}",
                            t.describe(),
                            self.continuation_note(t)
                        ),
                    ))
                }
                Tok::Name(_) | Tok::Num(_) => {
                    return Err(self.error(
                        t.pos,
                        format!(
                            "expected '+' or the end of the line after '{name}', found {}; \
                             separate terms with '+'",
                            t.describe()
                        ),
                    ))
                }
                _ => {
                    return Err(self.found(
                        t,
                        &format!("expected '+' or the end of the line after '{name}'"),
                    ))
                }
            }
        }
        self.check_terms(&outcome, &terms)?;
        Ok(RawEquation { outcome, terms })
    }

    /// Within one equation: no label is one of its variables (`x*w` meant as a product), and no
    /// term appears twice (`x:w` and `w:x` are the same term).
    fn check_terms(&self, outcome: &Spanned, terms: &[RawTerm]) -> Result<(), SpecError> {
        let variables: HashSet<&str> = std::iter::once(outcome.name.as_str())
            .chain(
                terms
                    .iter()
                    .flat_map(|t| t.factors.iter().map(|f| f.name.as_str())),
            )
            .collect();
        for term in terms {
            let Some(l) = &term.label else { continue };
            if variables.contains(l.name.as_str()) {
                return Err(self.error(term.pos, label_is_variable(&l.name, &term.name())));
            }
        }
        let mut first: HashMap<Vec<&str>, &RawTerm> = HashMap::new();
        for term in terms {
            let mut key: Vec<&str> = term.factors.iter().map(|f| f.name.as_str()).collect();
            key.sort_unstable();
            if let Some(earlier) = first.get(&key) {
                let (name, earlier_name) = (term.name(), earlier.name());
                let same = if earlier_name == name {
                    String::new()
                } else {
                    format!(" (as '{earlier_name}')")
                };
                return Err(self.error(
                    term.pos,
                    format!(
                        "the term '{name}' appears twice in the equation for '{}'{same}",
                        outcome.name
                    ),
                ));
            }
            first.insert(key, term);
        }
        Ok(())
    }

    /// `- 1` or `- x` in a regression (the current token is the '-').
    fn minus_in_regression(&self) -> SpecError {
        let minus = self.peek();
        let next = self.peek_at(1);
        match next.tok {
            Tok::Num(v) if v == 0.0 || v == 1.0 => self.error(
                minus.pos.to(next.pos),
                format!(
                    "cipa always estimates a constant; models without one ('- {}') are not \
                     supported",
                    next.text
                ),
            ),
            _ => self.error(
                minus.pos,
                "'-' cannot remove a term from a regression; write only the terms you want, \
                 joined by '+'",
            ),
        }
    }

    /// `[label '*'] name {':' name}`.
    fn term(&mut self, outcome: &Spanned) -> Result<RawTerm, SpecError> {
        self.check_term_start()?;
        let (label, written) = self.labelled_factors()?;
        let start = label
            .as_ref()
            .map_or(written.first().map(|(f, _)| f.pos), |l| Some(l.pos));
        let pos = match start {
            Some(s) => s.to(self.prev().pos),
            None => self.prev().pos,
        };
        let term_name = written
            .iter()
            .map(|(f, k)| match k {
                1 => f.name.clone(),
                _ => format!("{}^{k}", f.name),
            })
            .collect::<Vec<_>>()
            .join(":");
        self.check_no_second_star(label.as_ref(), &term_name)?;
        self.check_term_factors(&written, outcome, &term_name)?;
        // A power is its factor repeated, so the design and the effect algebra treat `x^2` as
        // the product `x·x` (and differentiate it as one).
        let factors = written
            .into_iter()
            .flat_map(|(f, k)| std::iter::repeat_n(f, k))
            .collect();
        Ok(RawTerm {
            label,
            factors,
            pos,
        })
    }

    /// A term starts with a name (a label or a variable); anything else is an error that says
    /// what `cipa fit` does instead (numbers, '-', parentheses, lavaan's modifiers).
    fn check_term_start(&self) -> Result<(), SpecError> {
        let after = self.prev().describe();
        let t = self.peek();
        match &t.tok {
            Tok::Name(_) => {}
            Tok::Num(v) => return Err(self.number_in_term(t, *v, &after)),
            Tok::Minus => return Err(self.minus_in_regression()),
            Tok::LParen => {
                return Err(self.error(
                    t.pos,
                    format!(
                        "expected a variable name after {after}, found '('; parentheses are not \
                         used in regressions (write product terms with ':', as in x:w)"
                    ),
                ))
            }
            _ => return Err(self.found(t, &format!("expected a variable name after {after}"))),
        }
        match self.sem_modifier_in_path(t) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The error for a number where a term starts: a fixed coefficient, the constant written
    /// out, or a number that is no variable.
    fn number_in_term(&self, t: &Token, v: f64, after: &str) -> SpecError {
        let next = self.peek_at(1);
        if next.tok == Tok::Star {
            self.error(
                t.pos.to(next.pos),
                format!(
                    "fixed coefficients ('{}*') are not supported by `cipa fit`; a label \
                     is a name, as in 'a*x' (to fix a coefficient, {USE_SEM})",
                    t.text
                ),
            )
        } else if v == 1.0 {
            self.error(
                t.pos,
                "cipa always estimates a constant, so '1' is not needed; remove it",
            )
        } else if v == 0.0 {
            self.error(
                t.pos,
                "cipa always estimates a constant; models without one ('0 + ...') are \
                 not supported",
            )
        } else {
            self.error(
                t.pos,
                format!(
                    "expected a variable name after {after}, found {}",
                    t.describe()
                ),
            )
        }
    }

    /// The term's label (a name before '*') and its factors, each with its power (1 unless `^2`
    /// or `^3` follows it).
    fn labelled_factors(&mut self) -> Result<(Option<Spanned>, Vec<Powered>), SpecError> {
        let first = self.name_token()?;
        let mut label = None;
        let mut written: Vec<Powered> = Vec::new();
        if self.peek().tok == Tok::Star {
            self.bump();
            label = Some(first);
            let f = self.factor()?;
            written.push((f, self.power()?));
        } else {
            let k = self.power()?;
            written.push((first, k));
        }
        while self.peek().tok == Tok::Colon {
            self.bump();
            let f = self.factor()?;
            written.push((f, self.power()?));
        }
        Ok((label, written))
    }

    /// A '*' after a term: a second label or a product written with '*'.
    fn check_no_second_star(
        &self,
        label: Option<&Spanned>,
        term_name: &str,
    ) -> Result<(), SpecError> {
        let t = self.peek();
        if t.tok != Tok::Star {
            return Ok(());
        }
        let message = match label {
            Some(l) => format!(
                "a label takes a single '*' ({}*{term_name}); to multiply variables write \
                 a product term with ':', as in {}*{}",
                l.name,
                l.name,
                self.product_hint(term_name)
            ),
            None => format!(
                "'*' after the product term '{term_name}': a label goes before the term \
                 (a*{term_name}), and variables are multiplied with ':'"
            ),
        };
        Err(self.error(t.pos, message))
    }

    /// No factor is the outcome itself, and none appears twice in a product.
    fn check_term_factors(
        &self,
        written: &[(Spanned, usize)],
        outcome: &Spanned,
        term_name: &str,
    ) -> Result<(), SpecError> {
        let mut seen = HashSet::new();
        for (f, _) in written {
            if f.name == outcome.name {
                let within = if written.len() > 1 {
                    format!(" (in the product term '{term_name}')")
                } else {
                    String::new()
                };
                return Err(self.error(
                    f.pos,
                    format!("'{}' is regressed on itself{within}", outcome.name),
                ));
            }
            if !seen.insert(f.name.as_str()) {
                return Err(self.error(
                    f.pos,
                    format!(
                        "'{}' appears twice in the product term '{term_name}'; write one power \
                         of it, as in {}^2",
                        f.name, f.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The power after a factor: `^2` or `^3` (a quadratic or cubic term), or 1 when no `^`
    /// follows.
    fn power(&mut self) -> Result<usize, SpecError> {
        if self.peek().tok != Tok::Caret {
            return Ok(1);
        }
        let caret = self.bump();
        let t = self.peek();
        match t.tok {
            Tok::Num(v) if v == 2.0 || v == 3.0 => {
                self.bump();
                Ok(v as usize)
            }
            _ => Err(self.error(
                caret.pos.to(t.pos),
                format!(
                    "a power in a regression is '^2' or '^3' (a quadratic or cubic term), found \
                     '^' then {}",
                    t.describe()
                ),
            )),
        }
    }

    /// `NA*x` or `start(0.5)*x` in the path dialect: lavaan modifiers that only `cipa sem` fits.
    fn sem_modifier_in_path(&self, t: &Token) -> Option<SpecError> {
        let next = self.peek_at(1);
        if t.text == "NA" && next.tok == Tok::Star {
            return Some(self.error(
                t.pos.to(next.pos),
                format!("'NA*' frees a fixed parameter in a latent-variable model; {USE_SEM}"),
            ));
        }
        if next.tok == Tok::LParen && MODIFIER_FUNCTIONS.contains(&t.text.as_str()) {
            return Some(self.error(
                t.pos.to(next.pos),
                format!(
                    "'{}(...)' is a modifier of lavaan's syntax, which `cipa fit` does not take; \
                     {USE_SEM}",
                    t.text
                ),
            ));
        }
        None
    }

    /// `b:c` for the error on `a*b*c`: the factors so far and the one after the `*`.
    fn product_hint(&self, so_far: &str) -> String {
        match &self.peek_at(1).tok {
            Tok::Name(n) => format!("{so_far}:{n}"),
            _ => format!("{so_far}:w"),
        }
    }

    /// A name token (the current token, known to be a name), checked for a function call.
    pub(super) fn name_token(&mut self) -> Result<Spanned, SpecError> {
        let t = self.bump();
        let Tok::Name(n) = &t.tok else {
            return Err(self.found(t, "expected a variable name"));
        };
        if t.text == "." {
            return Err(self.error(
                t.pos,
                "'.' (all other variables, in R formulas) is not supported; list the predictors",
            ));
        }
        let next = self.peek();
        if next.tok == Tok::LParen {
            return Err(self.error(
                t.pos.to(next.pos),
                format!(
                    "{}(...) looks like a function; functions are not supported: compute the \
                     variable as a new column first",
                    t.text
                ),
            ));
        }
        Ok(Spanned {
            name: n.clone(),
            pos: t.pos,
        })
    }

    /// A variable name after `*` or `:`.
    pub(super) fn factor(&mut self) -> Result<Spanned, SpecError> {
        let expected = "expected a variable name after";
        let t = self.peek();
        match &t.tok {
            Tok::Name(_) => self.name_token(),
            Tok::Star => Err(self.error(
                t.pos,
                format!(
                    "{expected} {}, found '*'; a label is followed by a single '*'",
                    self.prev().describe()
                ),
            )),
            _ => Err(self.found(t, &format!("{expected} {}", self.prev().describe()))),
        }
    }

    pub(super) fn definition(&mut self, name: Spanned) -> Result<RawDefined, SpecError> {
        let start = self.i;
        let mut refs = Vec::new();
        let (expr, _) = self.expr(0, &mut refs)?;
        self.expect_expression_end(&[])?;
        Ok(RawDefined {
            name,
            expr,
            refs,
            text: self.text_of(start, self.i),
        })
    }

    /// After an expression: the end of the statement, or one of `allowed` (a constraint's
    /// operator), else an error saying what was expected.
    pub(super) fn expect_expression_end(&self, allowed: &[Tok]) -> Result<(), SpecError> {
        let t = self.peek();
        if allowed.contains(&t.tok) {
            return Ok(());
        }
        match &t.tok {
            Tok::Newline | Tok::Eof => Ok(()),
            Tok::RParen => Err(self.error(t.pos, "')' has no matching '('")),
            Tok::Colon => Err(self.error(
                t.pos,
                format!(
                    "expected an operator or the end of the line after {}, found ':'; ':' joins \
                     variables in regressions, multiply labels with '*'",
                    self.prev().describe()
                ),
            )),
            Tok::Name(_) | Tok::Num(_) | Tok::LParen => Err(self.error(
                t.pos,
                format!(
                    "expected an operator (+ - * / ^) or the end of the line after {}, found {}",
                    self.prev().describe(),
                    t.describe()
                ),
            )),
            Tok::Tilde | Tok::Define => Err(self.error(
                t.pos,
                format!(
                    "expected an operator or the end of the line after {}, found {}; write each \
                     statement on its own line{}",
                    self.prev().describe(),
                    t.describe(),
                    self.continuation_note(t)
                ),
            )),
            _ => Err(self.found(
                t,
                &format!(
                    "expected an operator or the end of the line after {}",
                    self.prev().describe()
                ),
            )),
        }
    }

    /// The tokens `start..end` as written, with runs of spaces and line breaks as one space.
    pub(super) fn text_of(&self, start: usize, end: usize) -> String {
        let mut text = String::new();
        let mut last: Option<&Token> = None;
        for t in self.toks.get(start..end).unwrap_or(&[]) {
            if let Some(l) = last {
                if l.pos.line != t.pos.line || l.pos.col + l.pos.len != t.pos.col {
                    text.push(' ');
                }
            }
            text.push_str(&t.text);
            last = Some(t);
        }
        text
    }

    pub(super) fn too_deep(&self) -> SpecError {
        self.error(
            self.peek().pos,
            format!(
                "the expression is too long or nested too deeply (more than {MAX_DEPTH} levels); \
                 split it into several defined quantities"
            ),
        )
    }

    /// Expressions return their tree's depth alongside, to bound it.
    pub(super) fn expr(
        &mut self,
        depth: usize,
        refs: &mut Vec<Spanned>,
    ) -> Result<(Expr, usize), SpecError> {
        let (mut lhs, mut d) = self.product(depth, refs)?;
        loop {
            let op = self.peek().tok.clone();
            if !matches!(op, Tok::Plus | Tok::Minus) {
                return Ok((lhs, d));
            }
            self.bump();
            let (rhs, rd) = self.product(depth, refs)?;
            d = d.max(rd) + 1;
            if d > MAX_DEPTH {
                return Err(self.too_deep());
            }
            lhs = if op == Tok::Plus {
                Expr::Add(Box::new(lhs), Box::new(rhs))
            } else {
                Expr::Sub(Box::new(lhs), Box::new(rhs))
            };
        }
    }

    fn product(
        &mut self,
        depth: usize,
        refs: &mut Vec<Spanned>,
    ) -> Result<(Expr, usize), SpecError> {
        let (mut lhs, mut d) = self.unary(depth, refs)?;
        loop {
            let op = self.peek().tok.clone();
            if !matches!(op, Tok::Star | Tok::Slash) {
                return Ok((lhs, d));
            }
            self.bump();
            if op == Tok::Star && self.peek().tok == Tok::Star {
                return Err(self.error(
                    self.peek().pos,
                    "'**' is not an operator; write powers with '^'",
                ));
            }
            let rhs_pos = self.peek().pos;
            let (rhs, rd) = self.unary(depth, refs)?;
            if op == Tok::Slash && constant_value(&rhs) == Some(0.0) {
                return Err(self.error(
                    rhs_pos,
                    "division by zero: this divisor is 0 whatever the estimates; the quantity would be infinite or undefined",
                ));
            }
            d = d.max(rd) + 1;
            if d > MAX_DEPTH {
                return Err(self.too_deep());
            }
            lhs = if op == Tok::Star {
                Expr::Mul(Box::new(lhs), Box::new(rhs))
            } else {
                Expr::Div(Box::new(lhs), Box::new(rhs))
            };
        }
    }

    fn unary(&mut self, depth: usize, refs: &mut Vec<Spanned>) -> Result<(Expr, usize), SpecError> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep());
        }
        match self.peek().tok {
            Tok::Minus => {
                self.bump();
                let (e, d) = self.unary(depth + 1, refs)?;
                Ok((Expr::Neg(Box::new(e)), d + 1))
            }
            Tok::Plus => {
                self.bump();
                self.unary(depth + 1, refs)
            }
            _ => {
                let (base, bd) = self.atom(depth, refs)?;
                if self.peek().tok != Tok::Caret {
                    return Ok((base, bd));
                }
                self.bump();
                let (exp, ed) = self.unary(depth + 1, refs)?;
                Ok((Expr::Pow(Box::new(base), Box::new(exp)), bd.max(ed) + 1))
            }
        }
    }

    fn atom(&mut self, depth: usize, refs: &mut Vec<Spanned>) -> Result<(Expr, usize), SpecError> {
        let after = self.prev().describe();
        let expected = format!("expected a number, a label or '(' after {after}");
        let t = self.peek();
        match &t.tok {
            Tok::Num(v) => {
                self.bump();
                Ok((Expr::Num(*v), 1))
            }
            Tok::Name(n) if self.functions && self.peek_at(1).tok == Tok::LParen => {
                let Some(f) = Func::from_name(n) else {
                    return Err(self.error(
                        t.pos.to(self.peek_at(1).pos),
                        format!(
                            "unknown function '{n}(...)'; expressions may use exp, log, sqrt and \
                             abs"
                        ),
                    ));
                };
                self.bump();
                let (e, d) = self.atom(depth + 1, refs)?;
                Ok((Expr::Call(f, Box::new(e)), d + 1))
            }
            Tok::Name(_) => {
                let name = self.name_token()?;
                let e = Expr::Label(name.name.clone());
                refs.push(name);
                Ok((e, 1))
            }
            Tok::LParen => {
                self.bump();
                let (e, d) = self.expr(depth + 1, refs)?;
                let close = self.peek();
                if close.tok == Tok::RParen {
                    self.bump();
                    return Ok((e, d));
                }
                let at = if close.pos.line == t.pos.line {
                    format!("column {}", t.pos.col)
                } else {
                    format!("line {}, column {}", t.pos.line, t.pos.col)
                };
                Err(self.found(close, &format!("expected ')' to close the '(' at {at}")))
            }
            Tok::Colon => Err(self.error(
                t.pos,
                format!(
                    "{expected}, found ':'; ':' joins variables in regressions, multiply labels \
                     with '*'"
                ),
            )),
            _ => Err(self.found(t, &expected)),
        }
    }
}

/// The value of an expression without labels (numbers only), or `None`.
fn constant_value(e: &Expr) -> Option<f64> {
    Some(match e {
        Expr::Num(x) => *x,
        Expr::Label(_) => return None,
        Expr::Neg(a) => -constant_value(a)?,
        Expr::Add(a, b) => constant_value(a)? + constant_value(b)?,
        Expr::Sub(a, b) => constant_value(a)? - constant_value(b)?,
        Expr::Mul(a, b) => constant_value(a)? * constant_value(b)?,
        Expr::Div(a, b) => constant_value(a)? / constant_value(b)?,
        Expr::Pow(a, b) => constant_value(a)?.powf(constant_value(b)?),
        Expr::Call(f, a) => f.apply(constant_value(a)?),
    })
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn statements(text: &str) -> Result<Vec<Statement>, SpecError> {
        let src = Source::new("t", text);
        split_statements(&lex(text), Dialect::Path)
            .iter()
            .map(|s| parse_statement(&src, s, Dialect::Path))
            .collect()
    }

    fn message(text: &str) -> String {
        match statements(text) {
            Err(SpecError::Syntax { message, .. }) => message,
            other => panic!("expected a syntax error for {text:?}, got {other:?}"),
        }
    }

    fn l(s: &str) -> Box<Expr> {
        Box::new(Expr::Label(s.to_string()))
    }

    fn n(v: f64) -> Box<Expr> {
        Box::new(Expr::Num(v))
    }

    fn expr(text: &str) -> Expr {
        match statements(&format!("q := {text}")) {
            Ok(s) => match s.into_iter().next() {
                Some(Statement::Defined(d)) => d.expr,
                other => panic!("{other:?}"),
            },
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn statements_continue_after_a_trailing_operator() {
        let toks = lex("y ~ x +\n\n  # note\n  w\nm ~ x\n");
        let stmts = split_statements(&toks, Dialect::Path);
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts.first().map(|s| s.toks.len()), Some(5));
        assert_eq!(
            stmts.first().map(|s| s.end.pos),
            Some(Pos {
                line: 4,
                col: 4,
                len: 1
            })
        );
    }

    #[test]
    fn precedence_follows_r() {
        assert_eq!(
            expr("a + b * c"),
            Expr::Add(l("a"), Box::new(Expr::Mul(l("b"), l("c"))))
        );
        assert_eq!(
            expr("a - b - c"),
            Expr::Sub(Box::new(Expr::Sub(l("a"), l("b"))), l("c"))
        );
        assert_eq!(
            expr("a / b * c"),
            Expr::Mul(Box::new(Expr::Div(l("a"), l("b"))), l("c"))
        );
        assert_eq!(expr("-a^2"), Expr::Neg(Box::new(Expr::Pow(l("a"), n(2.0)))));
        assert_eq!(
            expr("a^b^c"),
            Expr::Pow(l("a"), Box::new(Expr::Pow(l("b"), l("c"))))
        );
        assert_eq!(expr("a^-b"), Expr::Pow(l("a"), Box::new(Expr::Neg(l("b")))));
        assert_eq!(expr("-a*b"), Expr::Mul(Box::new(Expr::Neg(l("a"))), l("b")));
        assert_eq!(expr("+a"), Expr::Label("a".into()));
        assert_eq!(
            expr("(a + b) * 2"),
            Expr::Mul(Box::new(Expr::Add(l("a"), l("b"))), n(2.0))
        );
        assert_eq!(expr("((a))"), Expr::Label("a".into()));
    }

    #[test]
    fn definition_text_is_normalised() {
        match statements("q := a*b +  # c\n   (c)^2") {
            Ok(s) => match s.first() {
                Some(Statement::Defined(d)) => {
                    assert_eq!(d.text, "a*b + (c)^2");
                    let names: Vec<&str> = d.refs.iter().map(|r| r.name.as_str()).collect();
                    assert_eq!(names, vec!["a", "b", "c"]);
                }
                other => panic!("{other:?}"),
            },
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_power_is_its_factor_repeated() {
        match statements("m ~ a1*x + a2*x^2 + x^3:w") {
            Ok(s) => match s.first() {
                Some(Statement::Equation(e)) => {
                    let names: Vec<String> = e.terms.iter().map(RawTerm::name).collect();
                    assert_eq!(names, vec!["x", "x^2", "x^3:w"]);
                    assert_eq!(e.terms[1].factors.len(), 2);
                    assert_eq!(
                        e.terms[1].label.as_ref().map(|l| l.name.as_str()),
                        Some("a2")
                    );
                    assert_eq!(e.terms[2].factors.len(), 4);
                }
                other => panic!("{other:?}"),
            },
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn statement_errors() {
        assert!(message("y ~").contains("empty right-hand side"));
        assert!(message("y ~ x + + w").contains("expected a variable name after '+', found '+'"));
        assert!(message("y ~ x w").contains("separate terms with '+'"));
        assert!(message("y ~ 1 + x").contains("always estimates a constant"));
        assert!(message("y ~ 0 + x").contains("always estimates a constant"));
        assert!(message("y ~ x - 1").contains("('- 1')"));
        assert!(message("y ~ x - w").contains("cannot remove a term"));
        assert!(message("y ~ 2*x").contains("fixed coefficients ('2*')"));
        assert!(message("y ~ a*b*c").contains("b:c"));
        assert!(message("y ~ x:w*z").contains("a label goes before the term"));
        assert!(message("y ~ log(x)").contains("functions are not supported"));
        assert!(message("y ~ x^4").contains("'^2' or '^3'"));
        assert!(message("y ~ x^a").contains("'^2' or '^3'"));
        assert!(message("y ~ x^2:x").contains("write one power of it"));
        assert!(message("y ~ x:x").contains("x^2"));
        assert!(message("y ~ x^2 + b*x^2").contains("the term 'x^2' appears twice"));
        assert!(message("y ~ (x + w)").contains("parentheses"));
        assert!(message("y ~ x:x").contains("appears twice in the product term 'x:x'"));
        assert!(message("y ~ x + w:x + x:w")
            .contains("'x:w' appears twice in the equation for 'y' (as 'w:x')"));
        assert!(message("y ~ y").contains("regressed on itself"));
        assert!(message("y ~ x, w").contains("no commas"));
        assert!(message("y = x").contains("found '='"));
        assert!(message("f =~ a + b").contains("--construct"));
        assert!(message("a ~~ b").contains("not supported"));
        assert!(message("a == b").contains("constraints"));
        assert!(message("~ x").contains("outcome name before '~'"));
        assert!(message("+ w").contains("end it with '+'"));
        assert!(message("y1 + y2 ~ x").contains("one equation per outcome"));
        assert!(message("y ~ x\n+ w").contains("end it with '+'"));
        assert!(
            message("y ~ x +\nm ~ x").contains("line 2 continues the statement begun on line 1")
        );
        assert!(message("y ~ 'x'").contains("double quotes"));
        assert!(message("q := a b").contains("expected an operator (+ - * / ^)"));
        assert!(message("q := (a + b").contains("expected ')' to close the '(' at column 6"));
        assert!(message("q := a + b)").contains("no matching '('"));
        assert!(message("q := a ** 2").contains("'^'"));
        assert!(message("q := a:b").contains("multiply labels with '*'"));
        assert!(message("q := ").contains("expected a number, a label or '(' after ':='"));
        assert!(message("q := exp(a)").contains("functions are not supported"));
        assert!(message("q := 2x").contains("neither a number nor a name"));
    }

    #[test]
    fn deep_expressions_are_refused_not_overflowed() {
        let deep = format!("q := {}a{}", "(".repeat(5000), ")".repeat(5000));
        assert!(message(&deep).contains("nested too deeply"));
        let long = format!("q := a{}", " + a".repeat(5000));
        assert!(message(&long).contains("too long"));
        let minus = format!("q := {}a", "-".repeat(5000));
        assert!(message(&minus).contains("nested too deeply"));
        let pow = format!("q := a{}", "^a".repeat(5000));
        assert!(message(&pow).contains("nested too deeply"));
        let ok = format!("q := a{}", " + a".repeat(150));
        assert!(statements(&ok).is_ok());
    }
}
