//! A minimal lavaan-syntax reader for the SEM engine's tests, until the real parser
//! (`spec::syntax::parse_flat`) lands: `=~ ~ ~~ ~1 := ==`, `+`-separated terms, modifiers
//! `label*x`, `1*x`, `NA*x`, `start(0.5)*x`, `#` comments. No error positions beyond the line.

use cipa::spec::flat::{
    Constraint, ConstraintOp, FlatDefined, FlatModel, Modifier, Pos, RelOp, Relation,
};
use cipa::spec::Expr;

pub fn parse(text: &str) -> FlatModel {
    let mut flat = FlatModel::default();
    for (ln, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        for stmt in line.split(';') {
            let stmt = stmt.trim();
            if stmt.is_empty() {
                continue;
            }
            let pos = Pos {
                line: ln + 1,
                col: raw.find(stmt).unwrap_or(0) + 1,
                len: stmt.len(),
            };
            statement(stmt, pos, &mut flat);
        }
    }
    flat
}

fn statement(s: &str, pos: Pos, flat: &mut FlatModel) {
    if let Some((l, r)) = s.split_once(":=") {
        flat.defined.push(FlatDefined {
            name: l.trim().to_string(),
            expr: expr(r),
            text: r.trim().to_string(),
            pos,
        });
        return;
    }
    if let Some((l, r)) = s.split_once("==") {
        flat.constraints.push(Constraint {
            lhs: expr(l),
            op: ConstraintOp::Equal,
            rhs: expr(r),
            pos,
            text: s.to_string(),
        });
        return;
    }
    let (op, l, r) = if let Some((l, r)) = s.split_once("=~") {
        (RelOp::Measure, l, r)
    } else if let Some((l, r)) = s.split_once("~~") {
        (RelOp::Covary, l, r)
    } else if let Some((l, r)) = s.split_once('~') {
        (RelOp::Regress, l, r)
    } else {
        panic!("line {}: cannot read '{s}'", pos.line)
    };
    for term in r.split('+') {
        let parts: Vec<&str> = term.trim().split('*').map(str::trim).collect();
        let (mods, var) = parts.split_at(parts.len() - 1);
        let mut modifier = Modifier::default();
        for m in mods {
            if let Ok(v) = m.parse::<f64>() {
                modifier.fixed = vec![Some(v)];
            } else if *m == "NA" {
                modifier.fixed = vec![None];
            } else if let Some(v) = m.strip_prefix("start(").and_then(|x| x.strip_suffix(')')) {
                modifier.start = vec![v.trim().parse().expect("start value")];
            } else {
                modifier.labels = vec![Some(m.to_string())];
            }
        }
        let (op, rhs) = if op == RelOp::Regress && var[0] == "1" {
            (RelOp::Intercept, vec![])
        } else {
            (op, var[0].split(':').map(str::to_string).collect())
        };
        flat.relations.push(Relation {
            lhs: l.trim().to_string(),
            op,
            rhs,
            modifier,
            lhs_pos: pos,
            pos,
        });
    }
}

/// Expressions: + - * / ^, parentheses, numbers, labels.
fn expr(s: &str) -> Expr {
    let toks = tokens(s);
    let mut i = 0;
    let e = sum(&toks, &mut i);
    assert_eq!(i, toks.len(), "cannot read expression '{s}'");
    e
}

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if "+-*/^()".contains(c) || c.is_whitespace() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn sum(t: &[String], i: &mut usize) -> Expr {
    let mut e = product(t, i);
    while *i < t.len() && (t[*i] == "+" || t[*i] == "-") {
        let op = t[*i].clone();
        *i += 1;
        let r = product(t, i);
        e = if op == "+" {
            Expr::Add(Box::new(e), Box::new(r))
        } else {
            Expr::Sub(Box::new(e), Box::new(r))
        };
    }
    e
}

fn product(t: &[String], i: &mut usize) -> Expr {
    let mut e = power(t, i);
    while *i < t.len() && (t[*i] == "*" || t[*i] == "/") {
        let op = t[*i].clone();
        *i += 1;
        let r = power(t, i);
        e = if op == "*" {
            Expr::Mul(Box::new(e), Box::new(r))
        } else {
            Expr::Div(Box::new(e), Box::new(r))
        };
    }
    e
}

fn power(t: &[String], i: &mut usize) -> Expr {
    let b = atom(t, i);
    if *i < t.len() && t[*i] == "^" {
        *i += 1;
        let e = power(t, i);
        return Expr::Pow(Box::new(b), Box::new(e));
    }
    b
}

fn atom(t: &[String], i: &mut usize) -> Expr {
    let tok = t[*i].clone();
    *i += 1;
    match tok.as_str() {
        "-" => Expr::Neg(Box::new(atom(t, i))),
        "(" => {
            let e = sum(t, i);
            assert_eq!(t[*i], ")");
            *i += 1;
            e
        }
        _ => match tok.parse::<f64>() {
            Ok(v) => Expr::Num(v),
            Err(_) => Expr::Label(tok),
        },
    }
}
