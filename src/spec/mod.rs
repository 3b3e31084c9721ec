//! The model specification as data. A PROCESS model number with roles, a model written in cipa's
//! path syntax, and a builder call all become the same [`ModelSpec`]: a list of equations whose
//! terms are products of variables, plus labelled and defined quantities (lavaan's parameter
//! table; pyprocessmacro's models as data).

mod error;
pub mod flat;
pub mod framework;
pub mod syntax;
pub mod template;

pub use error::SpecError;

use serde::Serialize;

/// One term of an equation: a product of variables (`x`, or `x:w` for a product term), with an
/// optional label from the syntax (`a*x` labels the coefficient of `x` as `a`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermSpec {
    pub factors: Vec<String>,
    pub label: Option<String>,
}

impl TermSpec {
    pub fn new(factors: &[&str]) -> Self {
        TermSpec {
            factors: factors.iter().map(|f| f.to_string()).collect(),
            label: None,
        }
    }

    /// `x`, `x:w`, or `x^2` for a power (its factor repeated), as cipa names terms everywhere.
    pub fn name(&self) -> String {
        power_name(&self.factors)
    }
}

/// A readable name of a product with repeated factors: [`x`, `x`, `w`] -> `x^2:w` (factors in
/// the order they first appear).
pub fn power_name(factors: &[String]) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for f in factors {
        match seen.iter_mut().find(|(g, _)| *g == f.as_str()) {
            Some((_, k)) => *k += 1,
            None => seen.push((f, 1)),
        }
    }
    seen.iter()
        .map(|(f, k)| {
            if *k == 1 {
                f.to_string()
            } else {
                format!("{f}^{k}")
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// `outcome ~ constant + terms`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquationSpec {
    pub outcome: String,
    pub terms: Vec<TermSpec>,
}

/// A defined quantity from the syntax: `ind := a*b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Defined {
    pub name: String,
    pub expr: Expr,
    /// The text as written, for reports.
    pub text: String,
}

/// Arithmetic over coefficient labels and numbers, for defined quantities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expr {
    Num(f64),
    /// A coefficient label (or an earlier defined quantity).
    Label(String),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, Box<Expr>),
    /// A function of one argument (`exp(b1 + b2)`); lavaan's syntax only (`cipa sem`).
    Call(Func, Box<Expr>),
}

/// The functions lavaan models use in `:=` and constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    Exp,
    Log,
    Sqrt,
    Abs,
}

impl Func {
    /// By its name in R.
    pub fn from_name(name: &str) -> Option<Func> {
        match name {
            "exp" => Some(Func::Exp),
            "log" => Some(Func::Log),
            "sqrt" => Some(Func::Sqrt),
            "abs" => Some(Func::Abs),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
        }
    }

    pub fn apply(self, x: f64) -> f64 {
        match self {
            Func::Exp => x.exp(),
            Func::Log => x.ln(),
            Func::Sqrt => x.sqrt(),
            Func::Abs => x.abs(),
        }
    }
}

/// Where a spec came from, for reports and provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecSource {
    /// A PROCESS v4 numbered model.
    Process(u32),
    /// cipa's path syntax.
    Syntax,
}

/// A whole model: equations in causal order (mediators before the outcome), the focal variables
/// for effects, and defined quantities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSpec {
    pub source: SpecSource,
    /// The focal antecedent X.
    pub x: String,
    /// The final outcome Y.
    pub y: String,
    /// Mediators in their order (serial order for serial models).
    pub mediators: Vec<String>,
    /// Moderators (W, then Z), in the order effects are probed.
    pub moderators: Vec<String>,
    /// Covariates, as given.
    pub covariates: Vec<String>,
    pub equations: Vec<EquationSpec>,
    pub defined: Vec<Defined>,
}

impl ModelSpec {
    /// X enters some equation as a power (`x^2`, `x^3`, or in a product, `x^2:w`): its effects
    /// are then functions of X itself.
    pub fn x_in_power(&self) -> bool {
        self.equations
            .iter()
            .flat_map(|e| &e.terms)
            .any(|t| t.factors.iter().filter(|f| **f == self.x).count() >= 2)
    }
}

/// The roles given on the command line (or by a builder) to instantiate a numbered template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Roles {
    pub x: String,
    pub y: String,
    /// Mediators; for serial models the order is the causal order.
    pub m: Vec<String>,
    pub w: Option<String>,
    pub z: Option<String>,
    /// Covariates entered in every equation unless `cov_m` / `cov_y` say otherwise.
    pub cov: Vec<String>,
    /// Covariates for the mediator equations only (overrides `cov` there when `Some`).
    pub cov_m: Option<Vec<String>>,
    /// Covariates for the outcome equation only (overrides `cov` there when `Some`).
    pub cov_y: Option<Vec<String>>,
}
