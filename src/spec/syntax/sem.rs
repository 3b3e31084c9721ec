//! The SEM dialect's statements (lavaan's `lavParseModelString` and `lav_syntax_get_modifier`,
//! lavaan 0.6-14 `R/lav_syntax.R`): relations with one or more left-hand names, terms with
//! modifiers (label, fixed value, `NA`, `start()`, `c()` per group, `label()`, `equal()`),
//! intercepts (`~ 1`), and constraints (`==`, `<`, `>`). Defined parameters (`:=`) and the
//! expression grammar are the path dialect's.

use std::collections::HashMap;

use crate::spec::flat::{ConstraintOp, Modifier, RelOp};
use crate::spec::{Expr, SpecError};

use super::lex::{Tok, Token};
use super::parse::{Parser, Spanned, Statement, MODIFIER_FUNCTIONS};
use super::Pos;

/// One term of a relation: its variable(s) (empty for an intercept) and merged modifier.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SemTerm {
    pub factors: Vec<Spanned>,
    pub modifier: Modifier,
    /// Each label with where its modifier was written.
    pub labels: Vec<Spanned>,
    pub pos: Pos,
}

impl SemTerm {
    pub fn name(&self) -> String {
        let names: Vec<&str> = self.factors.iter().map(|f| f.name.as_str()).collect();
        names.join(":")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawRelation {
    pub lhs: Vec<Spanned>,
    /// `Regress` for `~`; a term without factors is then an intercept.
    pub op: RelOp,
    pub terms: Vec<SemTerm>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawConstraint {
    pub lhs: Expr,
    pub op: ConstraintOp,
    pub rhs: Expr,
    pub refs: Vec<Spanned>,
    pub pos: Pos,
    pub text: String,
}

/// What one modifier sets, before merging.
enum ModValue {
    Labels(Vec<Option<String>>),
    Fixed(Vec<Option<f64>>),
    Start(Vec<f64>),
}

/// A value inside `c(...)`, `start(...)`, `label(...)`.
enum Arg {
    Num(f64),
    Na,
    Name(String),
}

impl<'s> Parser<'s, '_> {
    pub(super) fn sem_statement(&mut self) -> Result<Statement, SpecError> {
        if let Some(k) = self.constraint_operator() {
            return self.constraint(k).map(Statement::Constraint);
        }
        let lhs = self.sem_lhs()?;
        let op = self.bump();
        let first = lhs
            .first()
            .map_or(String::new(), |l| format!("'{}'", l.name));
        let rel = match &op.tok {
            Tok::Tilde => RelOp::Regress,
            Tok::Latent => RelOp::Measure,
            Tok::Covar => RelOp::Covary,
            Tok::Define if lhs.len() == 1 => {
                let name = lhs
                    .into_iter()
                    .next()
                    .ok_or_else(|| self.found(op, "a name"))?;
                return self.definition(name).map(Statement::Defined);
            }
            Tok::Define => {
                return Err(self.error(op.pos, "a defined parameter has one name before ':='"))
            }
            Tok::Less if self.peek().tok == Tok::Tilde => {
                return Err(self.error(
                    op.pos.to(self.peek().pos),
                    "'<~' (formative composites) is not supported by cipa sem",
                ))
            }
            Tok::Colon => {
                return Err(self.error(
                    op.pos,
                    format!(
                        "blocks ({first}:) are not supported by cipa sem; for one value per \
                         group write c(...) modifiers, as in c(a1, a2)*x"
                    ),
                ))
            }
            Tok::LParen | Tok::Star => {
                return Err(self.error(
                    op.pos,
                    format!(
                        "modifiers on the left-hand side (such as efa()) are not supported; \
                         expected '=~', '~', '~~' or ':=' after {first}"
                    ),
                ))
            }
            _ => {
                return Err(self.found(
                    op,
                    &format!("expected '=~', '~', '~~', ':=', '==', '<' or '>' after {first}"),
                ))
            }
        };
        self.relation(lhs, rel, op).map(Statement::Relation)
    }

    /// The index of the statement's operator when it is a constraint (`==`, `<`, `>` and no
    /// `~`, `=~`, `~~`, `:=` before it).
    fn constraint_operator(&self) -> Option<usize> {
        for (k, t) in self.toks.iter().enumerate() {
            match t.tok {
                Tok::Tilde | Tok::Latent | Tok::Covar | Tok::Define => return None,
                Tok::Less => {
                    let composite = self.toks.get(k + 1).is_some_and(|n| {
                        n.tok == Tok::Tilde
                            && n.pos.line == t.pos.line
                            && n.pos.col == t.pos.col + 1
                    });
                    return (!composite).then_some(k);
                }
                Tok::EqEq | Tok::Greater => return Some(k),
                _ => {}
            }
        }
        None
    }

    fn sem_lhs(&mut self) -> Result<Vec<Spanned>, SpecError> {
        let mut names = Vec::new();
        loop {
            let t = self.peek();
            match &t.tok {
                Tok::Name(_) => names.push(self.lhs_name()?),
                Tok::Plus if names.is_empty() => {
                    return Err(self.error(
                        t.pos,
                        "expected a variable name at the start of the line, found '+'",
                    ))
                }
                Tok::Tilde | Tok::Latent | Tok::Covar | Tok::Define if names.is_empty() => {
                    return Err(self.error(
                        t.pos,
                        format!("expected a variable name before {}", t.describe()),
                    ))
                }
                _ => {
                    let after = names
                        .last()
                        .map_or("the start of the line".to_string(), |n: &Spanned| {
                            format!("'{}'", n.name)
                        });
                    let expected = if names.is_empty() {
                        "expected a variable name at the start of the line".to_string()
                    } else {
                        format!("expected a variable name after {after}")
                    };
                    return Err(self.found(t, &expected));
                }
            }
            if self.peek().tok != Tok::Plus {
                return Ok(names);
            }
            self.bump();
        }
    }

    /// A left-hand name: no modifier, no function.
    fn lhs_name(&mut self) -> Result<Spanned, SpecError> {
        let t = self.peek();
        let next = self.peek_at(1);
        if next.tok == Tok::LParen && t.text == "efa" {
            return Err(self.error(
                t.pos.to(next.pos),
                "efa() blocks (exploratory factors) are not supported by cipa sem",
            ));
        }
        if t.text == "NA" {
            return Err(self.error(t.pos, "'NA' is not a variable name"));
        }
        self.name_token()
    }

    /// The source text under a position (one line), for messages.
    fn text_of_pos(&self, pos: Pos) -> String {
        let line = pos
            .line
            .checked_sub(1)
            .and_then(|k| self.src.lines.get(k))
            .copied()
            .unwrap_or("");
        let text: String = line
            .chars()
            .skip(pos.col.saturating_sub(1))
            .take(pos.len)
            .collect();
        format!("'{text}'")
    }

    /// `expr op expr`, the operator at token `k`.
    fn constraint(&mut self, k: usize) -> Result<RawConstraint, SpecError> {
        let mut refs = Vec::new();
        let op_tok = self.toks.get(k).map(|t| t.tok.clone());
        let (lhs, _) = self.expr(0, &mut refs)?;
        let allowed: Vec<Tok> = op_tok.iter().cloned().collect();
        self.expect_expression_end(&allowed)?;
        let op_token = self.bump();
        let op = match op_token.tok {
            Tok::EqEq => ConstraintOp::Equal,
            Tok::Less => ConstraintOp::Less,
            Tok::Greater => ConstraintOp::Greater,
            _ => return Err(self.found(op_token, "expected '==', '<' or '>'")),
        };
        let (rhs, _) = self.expr(0, &mut refs)?;
        self.expect_expression_end(&[])?;
        let first = self.toks.first().map_or(op_token.pos, |t| t.pos);
        let last = self.prev().pos;
        Ok(RawConstraint {
            lhs,
            op,
            rhs,
            refs,
            pos: first.to(last),
            text: self.text_of(0, self.i),
        })
    }

    fn relation(
        &mut self,
        lhs: Vec<Spanned>,
        op: RelOp,
        op_tok: &Token,
    ) -> Result<RawRelation, SpecError> {
        // lavaan drops a '+' just after the operator (text pasted from a continued line).
        if self.peek().tok == Tok::Plus {
            self.bump();
        }
        if self.at_end() {
            return Err(self.error(
                op_tok.pos,
                format!(
                    "empty right-hand side: '{}' needs at least one term after it",
                    op_tok.text
                ),
            ));
        }
        let mut terms: Vec<SemTerm> = Vec::new();
        let mut index = HashMap::new();
        loop {
            let term = self.sem_term(&lhs, op)?;
            let name = if term.factors.is_empty() {
                "1".to_string()
            } else {
                term.name()
            };
            merge_term(self, &mut terms, &mut index, term)?;
            let t = self.peek();
            match &t.tok {
                Tok::Newline | Tok::Eof => break,
                Tok::Plus => {
                    self.bump();
                }
                Tok::Minus => {
                    return Err(self.error(
                        t.pos,
                        "'-' cannot remove a term; write only the terms you want, joined by '+'",
                    ))
                }
                _ => {
                    let hint = match t.tok {
                        Tok::Name(_) | Tok::Num(_) => "; separate terms with '+'".to_string(),
                        Tok::Tilde | Tok::Latent | Tok::Covar | Tok::Define => format!(
                            "; write each statement on its own line{}",
                            self.continuation_note(t)
                        ),
                        _ => String::new(),
                    };
                    let expected = format!("expected '+' or the end of the line after '{name}'");
                    return Err(match t.tok {
                        Tok::Name(_)
                        | Tok::Num(_)
                        | Tok::Tilde
                        | Tok::Latent
                        | Tok::Covar
                        | Tok::Define => {
                            self.error(t.pos, format!("{expected}, found {}{hint}", t.describe()))
                        }
                        _ => self.found(t, &expected),
                    });
                }
            }
        }
        Ok(RawRelation { lhs, op, terms })
    }

    /// `{modifier '*'} (name {':' name} | 1 | 0)`.
    fn sem_term(&mut self, lhs: &[Spanned], op: RelOp) -> Result<SemTerm, SpecError> {
        let start = self.peek().pos;
        let (mut modifier, labels) = self.term_modifiers()?;
        let factors = self.term_variables(op, &mut modifier, &labels)?;
        let pos = start.to(self.prev().pos);
        let term = SemTerm {
            factors,
            modifier,
            labels,
            pos,
        };
        self.check_sem_term(lhs, op, &term)?;
        Ok(term)
    }

    /// The modifiers before a term (`a*`, `0.5*`, `start(1)*`, ...), each followed by '*'.
    fn term_modifiers(&mut self) -> Result<(Modifier, Vec<Spanned>), SpecError> {
        let mut modifier = Modifier::default();
        let mut labels = Vec::new();
        while self.modifier_ahead() {
            let mpos = self.peek().pos;
            let value = self.modifier()?;
            let mpos = mpos.to(self.prev().pos);
            let star = self.bump();
            if star.tok != Tok::Star {
                return Err(self.found(
                    star,
                    &format!(
                        "expected '*' and a variable after the modifier {}",
                        self.text_of_pos(mpos)
                    ),
                ));
            }
            set_modifier(self, &mut modifier, &mut labels, value, mpos)?;
        }
        Ok((modifier, labels))
    }

    /// The variables of a term after its modifiers; none for a regression's intercept `1` (or
    /// `0`, which fixes the intercept at zero).
    fn term_variables(
        &mut self,
        op: RelOp,
        modifier: &mut Modifier,
        labels: &[Spanned],
    ) -> Result<Vec<Spanned>, SpecError> {
        let after = self.prev().describe();
        let t = self.peek();
        match &t.tok {
            Tok::Num(v) if op == RelOp::Regress && (*v == 1.0 || *v == 0.0) => {
                self.bump();
                if *v == 0.0 {
                    if !modifier.fixed.is_empty() || !labels.is_empty() {
                        return Err(self.error(
                            t.pos,
                            "'0' fixes the intercept at zero; write '1' after a modifier, as in \
                             0*1 or a*1",
                        ));
                    }
                    modifier.fixed = vec![Some(0.0)];
                }
                Ok(Vec::new())
            }
            Tok::Num(_) => {
                let what = if op == RelOp::Regress {
                    "a variable name, or 1 for the intercept"
                } else {
                    "a variable name"
                };
                Err(self.error(
                    t.pos,
                    format!(
                        "expected {what} after {after}, found {}{}",
                        t.describe(),
                        if self.peek_at(1).tok == Tok::Star {
                            ""
                        } else {
                            " (a number before '*' fixes a parameter, as in 0.5*x)"
                        }
                    ),
                ))
            }
            Tok::Name(_) => self.sem_factors(op),
            Tok::LParen => Err(self.error(
                t.pos,
                format!("expected a variable name after {after}, found '('"),
            )),
            _ => Err(self.found(t, &format!("expected a variable name after {after}"))),
        }
    }

    /// A variable, or for a regression a product `x:w`.
    fn sem_factors(&mut self, op: RelOp) -> Result<Vec<Spanned>, SpecError> {
        let t = self.peek();
        if t.text == "NA" {
            return Err(self.error(
                t.pos,
                "'NA' is not a variable name; 'NA*x' frees the parameter of x",
            ));
        }
        if self.peek_at(1).tok == Tok::LParen && MODIFIER_FUNCTIONS.contains(&t.text.as_str()) {
            return Err(self.error(
                t.pos,
                format!(
                    "'{}(...)' is a modifier: follow it with '*' and the variable, as in {}(...)*x",
                    t.text, t.text
                ),
            ));
        }
        let mut factors = vec![self.name_token()?];
        while self.peek().tok == Tok::Colon {
            let colon = self.bump();
            if op != RelOp::Regress {
                return Err(self.error(
                    colon.pos,
                    "product terms ('x:w') are only allowed on the right of '~'",
                ));
            }
            factors.push(self.factor()?);
        }
        let t = self.peek();
        let name: Vec<&str> = factors.iter().map(|f| f.name.as_str()).collect();
        let name = name.join(":");
        match t.tok {
            Tok::Star => Err(self.error(
                t.pos,
                format!(
                    "'*' after '{name}': a modifier goes before the variable (a*{name}), and \
                     variables are multiplied with ':'"
                ),
            )),
            Tok::Caret => Err(self.error(
                t.pos,
                format!("powers are not supported ('{name}^'); compute the power as a new column"),
            )),
            _ => Ok(factors),
        }
    }

    fn check_sem_term(&self, lhs: &[Spanned], op: RelOp, term: &SemTerm) -> Result<(), SpecError> {
        let name = term.name();
        for (k, f) in term.factors.iter().enumerate() {
            if term.factors.iter().take(k).any(|g| g.name == f.name) {
                return Err(self.error(
                    f.pos,
                    format!("'{}' appears twice in the product term '{name}'", f.name),
                ));
            }
            if term.factors.len() == 1 && lhs.iter().any(|l| l.name == f.name) {
                let message = match op {
                    RelOp::Regress => format!("'{}' is regressed on itself", f.name),
                    RelOp::Measure => format!("latent variable '{}' is measured by itself", f.name),
                    _ => continue,
                };
                return Err(self.error(f.pos, message));
            }
        }
        Ok(())
    }

    /// Whether a modifier and its '*' start here: a number, `-number`, `NA`, a label, or a
    /// modifier function `start(...)`, each followed by '*'.
    fn modifier_ahead(&self) -> bool {
        let t = self.peek();
        let after = match (&t.tok, &self.peek_at(1).tok) {
            (Tok::Num(_), _) => 1,
            (Tok::Minus, Tok::Num(_)) => 2,
            (Tok::Name(_), Tok::LParen) => {
                if MODIFIER_FUNCTIONS.contains(&t.text.as_str()) {
                    return true;
                }
                match self.closing_paren(self.i + 1) {
                    Some(k) => k + 1 - self.i,
                    None => return false,
                }
            }
            (Tok::Name(_), _) => 1,
            _ => return false,
        };
        self.peek_at(after).tok == Tok::Star
    }

    /// The index of the ')' matching the '(' at token `open`.
    fn closing_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (k, t) in self.toks.iter().enumerate().skip(open) {
            match t.tok {
                Tok::LParen => depth += 1,
                Tok::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn modifier(&mut self) -> Result<ModValue, SpecError> {
        let t = self.bump();
        match &t.tok {
            Tok::Num(v) => Ok(ModValue::Fixed(vec![Some(*v)])),
            Tok::Minus => match self.bump().tok {
                Tok::Num(v) => Ok(ModValue::Fixed(vec![Some(-v)])),
                _ => Err(self.found(self.prev(), "expected a number after '-'")),
            },
            Tok::Name(_) if t.text == "NA" => Ok(ModValue::Fixed(vec![None])),
            Tok::Name(n) if self.peek().tok == Tok::LParen => self.modifier_function(n, t),
            Tok::Name(n) => Ok(ModValue::Labels(vec![Some(n.clone())])),
            _ => Err(self.found(t, "expected a modifier")),
        }
    }

    fn modifier_function(&mut self, f: &str, name: &Token) -> Result<ModValue, SpecError> {
        let open = self.peek().pos;
        let at = name.pos.to(open);
        let args = self.modifier_args(f, 0)?;
        let nums = || -> Vec<Option<f64>> {
            args.iter()
                .map(|(a, _)| match a {
                    Arg::Num(v) => Some(*v),
                    _ => None,
                })
                .collect()
        };
        let names = || -> Vec<Option<String>> {
            args.iter()
                .map(|(a, _)| match a {
                    Arg::Name(n) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        };
        let first = |want: fn(&Arg) -> bool| args.iter().find(|(a, _)| want(a)).map(|(_, p)| *p);
        let is_name = |a: &Arg| matches!(a, Arg::Name(_));
        let is_num = |a: &Arg| matches!(a, Arg::Num(_));
        let not_num = |a: &Arg| !matches!(a, Arg::Num(_));
        match f {
            "start" => match first(not_num) {
                Some(p) => Err(self.error(p, "start() takes numbers, as in start(0.5)")),
                None => Ok(ModValue::Start(nums().into_iter().flatten().collect())),
            },
            "c" => match (first(is_name), first(is_num)) {
                (Some(_), Some(p)) => Err(self.error(
                    p,
                    "c() holds either labels (c(a1, a2)) or numbers and NA (c(1, NA)), not both",
                )),
                (Some(_), None) => Ok(ModValue::Labels(names())),
                _ => Ok(ModValue::Fixed(nums())),
            },
            "label" | "equal" => match first(is_num) {
                Some(p) => Err(self.error(p, format!("{f}() takes labels, as in {f}(\"a\")"))),
                None => Ok(ModValue::Labels(names())),
            },
            "lower" | "upper" => Err(self.error(
                at,
                "bounds (lower(), upper()) are not supported by cipa sem; use a constraint such \
                 as 'a > 0' on a labelled parameter",
            )),
            "efa" | "rv" | "prior" => {
                Err(self.error(at, format!("'{f}()' is not supported by cipa sem")))
            }
            _ => Err(self.error(
                at,
                format!(
                    "unknown modifier '{f}(...)'; a modifier is a label (a*x), a number (1*x), \
                     NA (NA*x), start(0.5)*x, c(...)*x with one value per group, label(\"a\")*x \
                     or equal(\"a\")*x"
                ),
            )),
        }
    }

    /// `( arg {, arg} )`, with a nested `c(...)` flattened (`start(c(1, 2))`).
    fn modifier_args(&mut self, f: &str, depth: usize) -> Result<Vec<(Arg, Pos)>, SpecError> {
        let open = self.bump();
        if open.tok != Tok::LParen {
            return Err(self.found(open, &format!("expected '(' after '{f}'")));
        }
        let mut args = Vec::new();
        loop {
            let t = self.peek();
            let expected = format!("expected a number, NA or a label in {f}(...)");
            match &t.tok {
                Tok::Num(v) => {
                    self.bump();
                    args.push((Arg::Num(*v), t.pos));
                }
                Tok::Minus => {
                    self.bump();
                    let n = self.bump();
                    let Tok::Num(v) = n.tok else {
                        return Err(self.found(n, "expected a number after '-'"));
                    };
                    args.push((Arg::Num(-v), t.pos.to(n.pos)));
                }
                Tok::Name(n) if n == "c" && depth == 0 && self.peek_at(1).tok == Tok::LParen => {
                    self.bump();
                    args.extend(self.modifier_args("c", 1)?);
                }
                Tok::Name(_) if t.text == "NA" => {
                    self.bump();
                    args.push((Arg::Na, t.pos));
                }
                Tok::Name(n) if self.peek_at(1).tok != Tok::LParen => {
                    self.bump();
                    args.push((Arg::Name(n.clone()), t.pos));
                }
                Tok::RParen if args.is_empty() => {
                    return Err(self.error(t.pos, format!("{expected}, found ')'")))
                }
                _ => return Err(self.found(t, &expected)),
            }
            let t = self.bump();
            match t.tok {
                Tok::Comma => {}
                Tok::RParen => return Ok(args),
                _ => return Err(self.found(t, &format!("expected ',' or ')' in {f}(...)"))),
            }
        }
    }
}

/// Adds one modifier's value to the term's; two of a kind on one term is an error.
fn set_modifier(
    p: &Parser,
    modifier: &mut Modifier,
    labels: &mut Vec<Spanned>,
    value: ModValue,
    pos: Pos,
) -> Result<(), SpecError> {
    let (kind, taken) = match value {
        ModValue::Labels(l) => {
            let taken = !modifier.labels.is_empty();
            if !taken {
                labels.extend(l.iter().flatten().map(|n| Spanned {
                    name: n.clone(),
                    pos,
                }));
                modifier.labels = l;
            }
            ("labels", taken)
        }
        ModValue::Fixed(v) => {
            let taken = !modifier.fixed.is_empty();
            if !taken {
                modifier.fixed = v;
            }
            ("fixed values", taken)
        }
        ModValue::Start(v) => {
            let taken = !modifier.start.is_empty();
            if !taken {
                modifier.start = v;
            }
            ("start values", taken)
        }
    };
    if taken {
        let hint = if kind == "labels" {
            "; for one label per group write c(a1, a2)*x"
        } else {
            ""
        };
        return Err(p.error(pos, format!("this term already has {kind}{hint}")));
    }
    Ok(())
}

/// Adds a term to a relation's terms, merging it into an earlier term on the same variable (as
/// lavaan does within a statement: `f =~ a*x + start(1)*x`).
fn merge_term(
    p: &Parser,
    terms: &mut Vec<SemTerm>,
    index: &mut HashMap<Vec<String>, usize>,
    term: SemTerm,
) -> Result<(), SpecError> {
    let mut key: Vec<String> = term.factors.iter().map(|f| f.name.clone()).collect();
    key.sort_unstable();
    let Some(earlier) = index.get(&key).and_then(|&k| terms.get_mut(k)) else {
        index.insert(key, terms.len());
        terms.push(term);
        return Ok(());
    };
    let name = if term.factors.is_empty() {
        "1".to_string()
    } else {
        term.name()
    };
    let clash = |what: &str| {
        p.error(
            term.pos,
            format!("'{name}' appears twice in this statement, both times with {what}"),
        )
    };
    let m = &term.modifier;
    if !m.labels.is_empty() {
        if !earlier.modifier.labels.is_empty() {
            return Err(clash("a label"));
        }
        earlier.modifier.labels = m.labels.clone();
        earlier.labels.extend(term.labels.iter().cloned());
    }
    if !m.fixed.is_empty() {
        if !earlier.modifier.fixed.is_empty() {
            return Err(clash("a fixed value"));
        }
        earlier.modifier.fixed = m.fixed.clone();
    }
    if !m.start.is_empty() {
        if !earlier.modifier.start.is_empty() {
            return Err(clash("a start value"));
        }
        earlier.modifier.start = m.start.clone();
    }
    Ok(())
}
