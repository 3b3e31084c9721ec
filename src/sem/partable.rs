//! Stage 2: the parameter table. A flat model (one row per relation as written) plus the data's
//! column names and the options becomes lavaan's parameter table with `sem()`'s defaults
//! (`lav_partable_flat.R`, `lav_partable_vnames.R`, lavaan 0.6-14): the user's rows in the order
//! written, then the default rows (residual variances of the observed non-x variables and of the
//! latents, covariances among exogenous latents and among pure dependent variables, the fixed.x
//! block, intercepts under a mean structure); the first loading fixed to 1 (or, with `std_lv`,
//! the latent variances), single-indicator residual variances fixed to 0, then the user's
//! modifiers (fixed values, `NA` to free, start values, labels). Free parameters are numbered in
//! row order; a label used on several rows gives each row its own index plus an equality
//! constraint (0.6-14's `ceq.simple = FALSE`).

use std::collections::{HashMap, HashSet};

use crate::spec::flat::{ConstraintOp, FlatModel, Modifier, Pos, RelOp};
use crate::spec::Expr;

use super::error::SemError;
use super::SemOptions;

/// lavaan's operators for the rows of the parameter table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Op {
    Measure,
    Regress,
    Covary,
    Intercept,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Measure => "=~",
            Op::Regress => "~",
            Op::Covary => "~~",
            Op::Intercept => "~1",
        }
    }

    fn from_rel(op: RelOp) -> Op {
        match op {
            RelOp::Measure => Op::Measure,
            RelOp::Regress => Op::Regress,
            RelOp::Covary => Op::Covary,
            RelOp::Intercept => Op::Intercept,
        }
    }
}

/// One row: a parameter of the model, free or fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParRow {
    pub lhs: String,
    pub op: Op,
    /// Empty for an intercept.
    pub rhs: String,
    /// Written by the user (lavaan's `user = 1`) rather than added by a default.
    pub user: bool,
    /// 0 when fixed, else the 1-based index of the free parameter.
    pub free: usize,
    /// The fixed value, or a start value the user gave.
    pub ustart: Option<f64>,
    /// A fixed.x row: a variance, covariance or mean of exogenous observed covariates, fixed at
    /// the sample value.
    pub exo: bool,
    /// The user's label (empty when none).
    pub label: String,
    /// lavaan's internal label `.pN.` (N the 1-based row number).
    pub plabel: String,
    /// Where the row was written (user rows only).
    pub pos: Option<Pos>,
}

/// `lhs == rhs`: an equality between expressions of labels (a shared label gives `a == a`
/// between two rows' plabels).
#[derive(Debug, Clone, PartialEq)]
pub struct EqConstraint {
    pub lhs: Expr,
    pub rhs: Expr,
    pub text: String,
    pub pos: Pos,
}

/// `name := expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinedParam {
    pub name: String,
    pub expr: Expr,
    pub text: String,
    pub pos: Pos,
}

/// The parameter table of one group, with the variable names in lavaan's order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParTable {
    pub rows: Vec<ParRow>,
    /// Observed variables: indicators, then dependent, then exogenous, then the rest, each in
    /// order of appearance (lavaan's `ov`).
    pub ov: Vec<String>,
    /// Latent variables in order of their `=~`.
    pub lv: Vec<String>,
    /// Exogenous observed covariates (lavaan's `ov.x`: pure predictors the user gave no
    /// variance, covariance or intercept); their moments are fixed at the sample values when
    /// `fixed_x`.
    pub ov_x: Vec<String>,
    pub fixed_x: bool,
    pub meanstructure: bool,
    pub equalities: Vec<EqConstraint>,
    /// `lhs > rhs` and `lhs < rhs` as `lhs ≥ rhs` (a `<` has its sides swapped): lavaan
    /// treats both as non-strict (`lav_partable_constraints_ciq`, lhs − rhs ≥ 0).
    pub inequalities: Vec<EqConstraint>,
    pub defined: Vec<DefinedParam>,
    /// Number of free parameters (before equality constraints).
    pub n_free: usize,
}

impl ParTable {
    /// Row index by label or plabel, for expressions.
    pub fn label_map(&self) -> HashMap<&str, usize> {
        let mut m = HashMap::new();
        for (i, r) in self.rows.iter().enumerate() {
            m.insert(r.plabel.as_str(), i);
            if !r.label.is_empty() {
                m.entry(r.label.as_str()).or_insert(i);
            }
        }
        m
    }

    /// `lhs op rhs` as lavaan prints it, for messages.
    pub fn row_name(&self, i: usize) -> String {
        let r = &self.rows[i];
        match r.op {
            Op::Intercept => format!("{} ~1", r.lhs),
            _ => format!("{} {} {}", r.lhs, r.op.symbol(), r.rhs),
        }
    }
}

/// The user's rows after merging repeated relations.
struct UserRow {
    lhs: String,
    op: Op,
    rhs: String,
    modifier: Modifier,
    pos: Pos,
}

/// Builds the parameter table of `flat` against the data's column names.
pub fn build(
    flat: &FlatModel,
    data_names: &[String],
    opts: &SemOptions,
) -> Result<ParTable, SemError> {
    let mut user = user_rows(flat)?;
    let names = VarNames::classify(&user);
    check_products(&user, &names)?;
    reorder_covariances(&mut user, &names);
    check_names(&user, &names, data_names)?;
    check_acyclic(&user, &names)?;
    let meanstructure = opts.meanstructure || user.iter().any(|r| r.op == Op::Intercept);
    let defaults = default_rows(&names, meanstructure);
    let mut rows: Vec<ParRow> = user
        .iter()
        .map(|u| new_row(&u.lhs, u.op, &u.rhs, true, Some(u.pos)))
        .collect();
    for (lhs, op, rhs) in defaults {
        let dup = rows.iter().any(|r| same_relation(r, &lhs, op, &rhs));
        if !dup {
            rows.push(new_row(&lhs, op, &rhs, false, None));
        }
    }
    fix_defaults(&mut rows, &names, opts, meanstructure);
    for (row, u) in rows.iter_mut().zip(&user) {
        apply_modifier(row, &u.modifier);
    }
    let mut n_free = 0;
    for (i, r) in rows.iter_mut().enumerate() {
        r.plabel = format!(".p{}.", i + 1);
        if r.free > 0 {
            n_free += 1;
            r.free = n_free;
        }
    }
    let mut table = ParTable {
        rows,
        ov: names.ov,
        lv: names.lv,
        ov_x: names.ov_x,
        fixed_x: opts.fixed_x,
        meanstructure,
        equalities: Vec::new(),
        inequalities: Vec::new(),
        defined: Vec::new(),
        n_free,
    };
    add_constraints(&mut table, flat)?;
    Ok(table)
}

fn new_row(lhs: &str, op: Op, rhs: &str, user: bool, pos: Option<Pos>) -> ParRow {
    ParRow {
        lhs: lhs.to_string(),
        op,
        rhs: rhs.to_string(),
        user,
        free: 1,
        ustart: None,
        exo: false,
        label: String::new(),
        plabel: String::new(),
        pos,
    }
}

fn same_relation(r: &ParRow, lhs: &str, op: Op, rhs: &str) -> bool {
    r.op == op
        && ((r.lhs == lhs && r.rhs == rhs) || (op == Op::Covary && r.lhs == rhs && r.rhs == lhs))
}

/// The flat relations as rows, merging repeats of one relation (`a*x + start(1)*x`) as lavaan
/// merges their modifiers. A product term of a regression is the observed variable `x:w` (the
/// data's product column, products.rs); latent interactions are refused by [`check_products`].
fn user_rows(flat: &FlatModel) -> Result<Vec<UserRow>, SemError> {
    let mut out: Vec<UserRow> = Vec::new();
    for rel in &flat.relations {
        if rel.rhs.len() > 1 && rel.op != crate::spec::flat::RelOp::Regress {
            return Err(SemError::Unsupported {
                what: format!(
                    "the product term '{}' outside a regression",
                    rel.rhs.join(":")
                ),
                pos: rel.pos,
            });
        }
        let op = Op::from_rel(rel.op);
        let rhs = rel.rhs.join(":");
        let m = &rel.modifier;
        if m.labels.len() > 1 || m.fixed.len() > 1 || m.start.len() > 1 {
            return Err(SemError::Unsupported {
                what: "a modifier with one value per group (c(...)) in a single-group model".into(),
                pos: rel.pos,
            });
        }
        let found = out.iter_mut().find(|u| {
            u.op == op
                && ((u.lhs == rel.lhs && u.rhs == rhs)
                    || (op == Op::Covary && u.lhs == rhs && u.rhs == rel.lhs))
        });
        match found {
            Some(u) => {
                if !m.labels.is_empty() {
                    u.modifier.labels = m.labels.clone();
                }
                if !m.fixed.is_empty() {
                    u.modifier.fixed = m.fixed.clone();
                }
                if !m.start.is_empty() {
                    u.modifier.start = m.start.clone();
                }
            }
            None => out.push(UserRow {
                lhs: rel.lhs.clone(),
                op,
                rhs,
                modifier: m.clone(),
                pos: rel.pos,
            }),
        }
    }
    Ok(out)
}

/// `a ~~ b` is stored with the variable that comes first among the latents, then the observed
/// variables, on the left (lavaan's `lav_partable_covariance_reorder`: only the upper triangle
/// is filled), so `x7 ~~ x9` is reported as `x9 ~~ x7` when x9 is listed first.
fn reorder_covariances(user: &mut [UserRow], names: &VarNames) {
    let rank = |v: &str| {
        let lv = names.lv.iter().position(|x| x == v);
        lv.or_else(|| {
            names
                .ov
                .iter()
                .position(|x| x == v)
                .map(|i| i + names.lv.len())
        })
    };
    for r in user
        .iter_mut()
        .filter(|r| r.op == Op::Covary && r.lhs != r.rhs)
    {
        if let (Some(a), Some(b)) = (rank(&r.lhs), rank(&r.rhs)) {
            if a > b {
                std::mem::swap(&mut r.lhs, &mut r.rhs);
            }
        }
    }
}

/// lavaan's variable types (`lav_partable_vnames`).
struct VarNames {
    lv: Vec<String>,
    ov: Vec<String>,
    ov_x: Vec<String>,
    lv_x: Vec<String>,
    /// Pure dependent latents then pure dependent observed variables (auto.cov.y).
    lvov_y: Vec<String>,
    /// Observed indicators of a latent with a single indicator (auto.fix.single).
    single_indicators: Vec<String>,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

impl VarNames {
    fn classify(user: &[UserRow]) -> VarNames {
        let lv = names_of(user, Op::Measure, true);
        let v_ind = names_of(user, Op::Measure, false);
        let eqs_y = names_of(user, Op::Regress, true);
        let eqs_x = names_of(user, Op::Regress, false);
        let ov_ind = not_in(&v_ind, &[&lv]);
        let mut ov_y = not_in(&eqs_y, &[&lv, &ov_ind]);
        let mut ov_x0 = not_in(&eqs_x, &[&lv, &ov_ind, &ov_y]);
        // lavaan ≥ 0.6-12: a product term with a dependent factor is no covariate (its moments
        // cannot be fixed at the sample's) but a y, after the others.
        ov_x0.retain(|x| {
            let endogenous = x.contains(':') && x.split(':').any(|f| eqs_y.iter().any(|y| y == f));
            if endogenous {
                push_unique(&mut ov_y, x);
            }
            !endogenous
        });
        let ov = observed_order(user, &lv, [&ov_ind, &ov_y, &ov_x0]);
        // An x the user gives a variance, covariance or intercept becomes random (lavaan warns).
        let mentioned: HashSet<&str> = user
            .iter()
            .filter(|r| matches!(r.op, Op::Covary | Op::Intercept))
            .flat_map(|r| [r.lhs.as_str(), r.rhs.as_str()])
            .collect();
        let ov_x: Vec<String> = ov_x0
            .iter()
            .filter(|x| !mentioned.contains(x.as_str()))
            .cloned()
            .collect();
        let lv_x = not_in(&lv, &[&v_ind, &eqs_y]);
        let pure_y = not_in(&eqs_y, &[&v_ind, &eqs_x]);
        let mut lvov_y: Vec<String> = lv.iter().filter(|l| pure_y.contains(l)).cloned().collect();
        lvov_y.extend(
            ov.iter()
                .filter(|o| pure_y.contains(o) && !lv.contains(o))
                .cloned(),
        );
        let single_indicators = single_indicators(user, &lv);
        VarNames {
            lv,
            ov,
            ov_x,
            lv_x,
            lvov_y,
            single_indicators,
        }
    }
}

/// The left (or right) sides of the user's rows with operator `op`, each once, in order.
fn names_of(user: &[UserRow], op: Op, lhs: bool) -> Vec<String> {
    let mut v = Vec::new();
    for r in user.iter().filter(|r| r.op == op) {
        push_unique(&mut v, if lhs { &r.lhs } else { &r.rhs });
    }
    v
}

/// The names of `v` in none of the lists `ex`.
fn not_in(v: &[String], ex: &[&[String]]) -> Vec<String> {
    v.iter()
        .filter(|s| !ex.iter().any(|e| e.contains(s)))
        .cloned()
        .collect()
}

/// lavaan's order of the observed variables: indicators, then dependent, then independent
/// variables (`lists`), then the other observed names of `~~` rows (left sides, then right
/// sides) and of `~ 1` rows.
fn observed_order(user: &[UserRow], lv: &[String], lists: [&Vec<String>; 3]) -> Vec<String> {
    let mut ov: Vec<String> = Vec::new();
    for s in lists.into_iter().flatten() {
        push_unique(&mut ov, s);
    }
    let mut extra = Vec::new();
    for r in user.iter().filter(|r| r.op == Op::Covary) {
        if !lv.contains(&r.lhs) {
            push_unique(&mut extra, &r.lhs);
        }
    }
    for r in user.iter().filter(|r| r.op == Op::Covary) {
        if !lv.contains(&r.rhs) {
            push_unique(&mut extra, &r.rhs);
        }
    }
    for r in user.iter().filter(|r| r.op == Op::Intercept) {
        if !lv.contains(&r.lhs) {
            push_unique(&mut extra, &r.lhs);
        }
    }
    for s in &extra {
        push_unique(&mut ov, s);
    }
    ov
}

/// Indicators that are the only indicator of their latent and indicate nothing else.
fn single_indicators(user: &[UserRow], lv: &[String]) -> Vec<String> {
    let mm: Vec<&UserRow> = user.iter().filter(|r| r.op == Op::Measure).collect();
    let mut out = Vec::new();
    for l in lv {
        let ind: Vec<&&UserRow> = mm.iter().filter(|r| &r.lhs == l).collect();
        if ind.len() == 1 {
            let x = &ind[0].rhs;
            if mm.iter().filter(|r| &r.rhs == x).count() == 1 && !lv.contains(x) {
                out.push(x.clone());
            }
        }
    }
    out
}

/// A product term of a latent variable is a latent interaction: `interaction::expand` turns it
/// into a latent of product indicators before the table is built; one left here is refused.
fn check_products(user: &[UserRow], names: &VarNames) -> Result<(), SemError> {
    // A latent product that interaction/ expanded is a latent itself.
    for r in user
        .iter()
        .filter(|r| r.rhs.contains(':') && !names.lv.contains(&r.rhs))
    {
        if let Some(l) = r.rhs.split(':').find(|f| names.lv.iter().any(|l| l == f)) {
            return Err(SemError::Unsupported {
                what: format!(
                    "the product term '{}' of the latent variable '{l}' (a latent interaction)",
                    r.rhs
                ),
                pos: r.pos,
            });
        }
    }
    Ok(())
}

/// Every observed name must be a data column (latents are defined by `=~`).
fn check_names(user: &[UserRow], names: &VarNames, data: &[String]) -> Result<(), SemError> {
    for r in user {
        for v in [&r.lhs, &r.rhs] {
            if v.is_empty() || names.lv.contains(v) || data.contains(v) {
                continue;
            }
            let suggestions = crate::data::closest_names(v, data.iter().map(String::as_str));
            // A name far from every column, used in a regression or covariance, reads as a
            // latent variable whose `=~` line is missing.
            if suggestions.is_empty() && matches!(r.op, Op::Regress | Op::Covary) {
                return Err(SemError::LatentWithoutIndicators {
                    name: v.clone(),
                    pos: r.pos,
                });
            }
            return Err(SemError::UnknownVariable {
                name: v.clone(),
                pos: r.pos,
                suggestions,
            });
        }
    }
    Ok(())
}

/// Regressions (and loadings of latent indicators) must not form a cycle: `I − B` of a
/// non-recursive model is invertible in general, but its estimation needs checks not built yet.
fn check_acyclic(user: &[UserRow], names: &VarNames) -> Result<(), SemError> {
    // Edges cause -> effect.
    let edges: Vec<(&str, &str, Pos)> = user
        .iter()
        .filter_map(|r| match r.op {
            Op::Regress => Some((r.rhs.as_str(), r.lhs.as_str(), r.pos)),
            Op::Measure if names.lv.contains(&r.rhs) => {
                Some((r.lhs.as_str(), r.rhs.as_str(), r.pos))
            }
            _ => None,
        })
        .collect();
    // Depth-first search from every node, remembering the path.
    fn visit<'a>(
        node: &'a str,
        edges: &[(&'a str, &'a str, Pos)],
        path: &mut Vec<&'a str>,
        done: &mut HashSet<&'a str>,
    ) -> Option<(Vec<String>, Pos)> {
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for &(from, to, pos) in edges.iter().filter(|e| e.0 == node) {
            if let Some(k) = path.iter().position(|&p| p == to) {
                let mut cycle: Vec<String> = path[k..].iter().map(|s| s.to_string()).collect();
                cycle.push(to.to_string());
                let _ = from;
                return Some((cycle, pos));
            }
            if let Some(c) = visit(to, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = HashSet::new();
    for &(from, _, _) in &edges {
        if let Some((cycle, pos)) = visit(from, &edges, &mut Vec::new(), &mut done) {
            return Err(SemError::Cycle { cycle, pos });
        }
    }
    Ok(())
}

/// lavaan's DEFAULT rows, in its order.
fn default_rows(n: &VarNames, meanstructure: bool) -> Vec<(String, Op, String)> {
    let mut out = Vec::new();
    let cov = |a: &String, b: &String| (a.clone(), Op::Covary, b.clone());
    for v in n.ov.iter().filter(|o| !n.ov_x.contains(o)).chain(&n.lv) {
        out.push(cov(v, v));
    }
    for pairs in [&n.lv_x, &n.lvov_y] {
        for i in 0..pairs.len() {
            for j in i + 1..pairs.len() {
                out.push(cov(&pairs[i], &pairs[j]));
            }
        }
    }
    let x = &n.ov_x;
    for c in 0..x.len() {
        for r in c..x.len() {
            out.push(cov(&x[c], &x[r]));
        }
    }
    if meanstructure {
        for v in n.ov.iter().chain(&n.lv) {
            out.push((v.clone(), Op::Intercept, String::new()));
        }
    }
    out
}

/// `sem()`'s automatic fixing: the metric of each latent, single indicators, latent means, and
/// the fixed.x block.
fn fix_defaults(rows: &mut [ParRow], n: &VarNames, opts: &SemOptions, meanstructure: bool) {
    let fix = |r: &mut ParRow, v: Option<f64>| {
        r.free = 0;
        r.ustart = v;
    };
    let mut seen_first: HashSet<String> = HashSet::new();
    for r in rows.iter_mut() {
        let is_var = r.op == Op::Covary && r.lhs == r.rhs;
        if opts.std_lv && is_var && n.lv.contains(&r.lhs) {
            fix(r, Some(1.0));
        }
        if !opts.std_lv && r.op == Op::Measure && seen_first.insert(r.lhs.clone()) {
            fix(r, Some(1.0));
        }
        if is_var && !r.user && n.single_indicators.contains(&r.lhs) {
            fix(r, Some(0.0));
        }
        if meanstructure && r.op == Op::Intercept && !r.user && n.lv.contains(&r.lhs) {
            fix(r, Some(0.0));
        }
        let x_row = n.ov_x.contains(&r.lhs) && (r.op == Op::Intercept || n.ov_x.contains(&r.rhs));
        if opts.fixed_x && !r.user && x_row && matches!(r.op, Op::Covary | Op::Intercept) {
            fix(r, None);
            r.exo = true;
        }
    }
}

/// A number fixes the row, `NA` frees it, `start()` sets its start, a label names it.
fn apply_modifier(row: &mut ParRow, m: &Modifier) {
    match m.fixed.first() {
        Some(Some(v)) => {
            row.free = 0;
            row.ustart = Some(*v);
        }
        Some(None) => {
            row.free = 1;
            row.ustart = None;
        }
        None => {}
    }
    if let (Some(s), true) = (m.start.first(), row.free > 0) {
        row.ustart = Some(*s);
    }
    if let Some(Some(l)) = m.labels.first() {
        row.label = l.clone();
    }
}

/// Equality constraints from shared labels and from `==`, defined parameters from `:=`; every
/// label they use must name a row (or an earlier defined parameter).
fn add_constraints(table: &mut ParTable, flat: &FlatModel) -> Result<(), SemError> {
    let mut by_label: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        if r.label.is_empty() {
            continue;
        }
        match by_label.iter_mut().find(|(l, _)| *l == r.label) {
            Some((_, v)) => v.push(i),
            None => by_label.push((r.label.clone(), vec![i])),
        }
    }
    for (label, idx) in &by_label {
        let first = &table.rows[idx[0]];
        for &j in &idx[1..] {
            let other = &table.rows[j];
            table.equalities.push(EqConstraint {
                lhs: Expr::Label(first.plabel.clone()),
                rhs: Expr::Label(other.plabel.clone()),
                text: format!("{label} (shared label)"),
                pos: other.pos.unwrap_or_default(),
            });
        }
    }
    add_user_constraints(table, flat)
}

/// Defined parameters from `:=` and the constraints `==`, `<`, `>` of `flat`; every label they
/// use must label a row of `table` (or name an earlier defined parameter).
pub(crate) fn add_user_constraints(table: &mut ParTable, flat: &FlatModel) -> Result<(), SemError> {
    let mut known: HashSet<String> = table
        .rows
        .iter()
        .filter(|r| !r.label.is_empty())
        .map(|r| r.label.clone())
        .collect();
    for d in &flat.defined {
        check_labels(&d.expr, &known, d.pos)?;
        known.insert(d.name.clone());
        table.defined.push(DefinedParam {
            name: d.name.clone(),
            expr: d.expr.clone(),
            text: d.text.clone(),
            pos: d.pos,
        });
    }
    for c in &flat.constraints {
        check_labels(&c.lhs, &known, c.pos)?;
        check_labels(&c.rhs, &known, c.pos)?;
        let (lhs, rhs) = match c.op {
            ConstraintOp::Less => (c.rhs.clone(), c.lhs.clone()),
            ConstraintOp::Equal | ConstraintOp::Greater => (c.lhs.clone(), c.rhs.clone()),
        };
        let con = EqConstraint {
            lhs,
            rhs,
            text: c.text.clone(),
            pos: c.pos,
        };
        match c.op {
            ConstraintOp::Equal => table.equalities.push(con),
            ConstraintOp::Less | ConstraintOp::Greater => table.inequalities.push(con),
        }
    }
    Ok(())
}

fn check_labels(e: &Expr, known: &HashSet<String>, pos: Pos) -> Result<(), SemError> {
    match e {
        Expr::Num(_) => Ok(()),
        Expr::Label(l) if known.contains(l) => Ok(()),
        Expr::Label(l) => Err(SemError::UnknownLabel {
            label: l.clone(),
            pos,
        }),
        Expr::Neg(a) | Expr::Call(_, a) => check_labels(a, known, pos),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) | Expr::Pow(a, b) => {
            check_labels(a, known, pos)?;
            check_labels(b, known, pos)
        }
    }
}
