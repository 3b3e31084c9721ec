//! PROCESS numbered models as data. Each model is a small text file in `models/` (the format is
//! described in `models/README.md`), embedded at build time, parsed into a [`Template`] and
//! instantiated with the variables given for its roles into a [`ModelSpec`]. No model number is
//! special-cased here: everything a model says is in its file.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use super::{EquationSpec, ModelSpec, Roles, SpecError, SpecSource, TermSpec};

/// Every template file, embedded at build time. Adding a model is one line here plus its file.
const TEMPLATE_FILES: &[(&str, &str)] = &[
    (
        "process_001.cipa",
        include_str!("../../models/process_001.cipa"),
    ),
    (
        "process_002.cipa",
        include_str!("../../models/process_002.cipa"),
    ),
    (
        "process_003.cipa",
        include_str!("../../models/process_003.cipa"),
    ),
    (
        "process_004.cipa",
        include_str!("../../models/process_004.cipa"),
    ),
    (
        "process_005.cipa",
        include_str!("../../models/process_005.cipa"),
    ),
    (
        "process_006.cipa",
        include_str!("../../models/process_006.cipa"),
    ),
    (
        "process_007.cipa",
        include_str!("../../models/process_007.cipa"),
    ),
    (
        "process_008.cipa",
        include_str!("../../models/process_008.cipa"),
    ),
    (
        "process_009.cipa",
        include_str!("../../models/process_009.cipa"),
    ),
    (
        "process_010.cipa",
        include_str!("../../models/process_010.cipa"),
    ),
    (
        "process_011.cipa",
        include_str!("../../models/process_011.cipa"),
    ),
    (
        "process_012.cipa",
        include_str!("../../models/process_012.cipa"),
    ),
    (
        "process_013.cipa",
        include_str!("../../models/process_013.cipa"),
    ),
    (
        "process_014.cipa",
        include_str!("../../models/process_014.cipa"),
    ),
    (
        "process_015.cipa",
        include_str!("../../models/process_015.cipa"),
    ),
    (
        "process_016.cipa",
        include_str!("../../models/process_016.cipa"),
    ),
    (
        "process_017.cipa",
        include_str!("../../models/process_017.cipa"),
    ),
    (
        "process_018.cipa",
        include_str!("../../models/process_018.cipa"),
    ),
    (
        "process_019.cipa",
        include_str!("../../models/process_019.cipa"),
    ),
    (
        "process_020.cipa",
        include_str!("../../models/process_020.cipa"),
    ),
    (
        "process_021.cipa",
        include_str!("../../models/process_021.cipa"),
    ),
    (
        "process_022.cipa",
        include_str!("../../models/process_022.cipa"),
    ),
    (
        "process_028.cipa",
        include_str!("../../models/process_028.cipa"),
    ),
    (
        "process_029.cipa",
        include_str!("../../models/process_029.cipa"),
    ),
    (
        "process_058.cipa",
        include_str!("../../models/process_058.cipa"),
    ),
    (
        "process_059.cipa",
        include_str!("../../models/process_059.cipa"),
    ),
    (
        "process_060.cipa",
        include_str!("../../models/process_060.cipa"),
    ),
    (
        "process_061.cipa",
        include_str!("../../models/process_061.cipa"),
    ),
    (
        "process_062.cipa",
        include_str!("../../models/process_062.cipa"),
    ),
    (
        "process_063.cipa",
        include_str!("../../models/process_063.cipa"),
    ),
    (
        "process_064.cipa",
        include_str!("../../models/process_064.cipa"),
    ),
    (
        "process_065.cipa",
        include_str!("../../models/process_065.cipa"),
    ),
    (
        "process_066.cipa",
        include_str!("../../models/process_066.cipa"),
    ),
    (
        "process_067.cipa",
        include_str!("../../models/process_067.cipa"),
    ),
    (
        "process_068.cipa",
        include_str!("../../models/process_068.cipa"),
    ),
    (
        "process_069.cipa",
        include_str!("../../models/process_069.cipa"),
    ),
    (
        "process_070.cipa",
        include_str!("../../models/process_070.cipa"),
    ),
    (
        "process_071.cipa",
        include_str!("../../models/process_071.cipa"),
    ),
    (
        "process_072.cipa",
        include_str!("../../models/process_072.cipa"),
    ),
    (
        "process_073.cipa",
        include_str!("../../models/process_073.cipa"),
    ),
    (
        "process_074.cipa",
        include_str!("../../models/process_074.cipa"),
    ),
    (
        "process_075.cipa",
        include_str!("../../models/process_075.cipa"),
    ),
    (
        "process_076.cipa",
        include_str!("../../models/process_076.cipa"),
    ),
    (
        "process_080.cipa",
        include_str!("../../models/process_080.cipa"),
    ),
    (
        "process_081.cipa",
        include_str!("../../models/process_081.cipa"),
    ),
    (
        "process_082.cipa",
        include_str!("../../models/process_082.cipa"),
    ),
    (
        "process_083.cipa",
        include_str!("../../models/process_083.cipa"),
    ),
    (
        "process_084.cipa",
        include_str!("../../models/process_084.cipa"),
    ),
    (
        "process_085.cipa",
        include_str!("../../models/process_085.cipa"),
    ),
    (
        "process_086.cipa",
        include_str!("../../models/process_086.cipa"),
    ),
    (
        "process_087.cipa",
        include_str!("../../models/process_087.cipa"),
    ),
    (
        "process_088.cipa",
        include_str!("../../models/process_088.cipa"),
    ),
    (
        "process_089.cipa",
        include_str!("../../models/process_089.cipa"),
    ),
    (
        "process_090.cipa",
        include_str!("../../models/process_090.cipa"),
    ),
    (
        "process_091.cipa",
        include_str!("../../models/process_091.cipa"),
    ),
    (
        "process_092.cipa",
        include_str!("../../models/process_092.cipa"),
    ),
];

/// How many mediators a model takes and how they are arranged. The arrangement itself is in the
/// equations; the kind is checked against them when the template is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediatorRule {
    /// No mediators (the moderation models 1-3).
    None,
    /// Each mediator depends on X (and moderators), never on another mediator.
    Parallel { min: usize, max: usize },
    /// Each mediator depends on X and on every earlier mediator.
    Serial { min: usize, max: usize },
    /// A fixed arrangement with some mediators in series and some in parallel (models 80-82).
    SerialParallel { min: usize, max: usize },
}

impl MediatorRule {
    /// The allowed numbers of mediators, `None` for a model without mediators.
    pub fn bounds(&self) -> Option<(usize, usize)> {
        match *self {
            MediatorRule::None => None,
            MediatorRule::Parallel { min, max }
            | MediatorRule::Serial { min, max }
            | MediatorRule::SerialParallel { min, max } => Some((min, max)),
        }
    }

    /// Whether the model takes this many mediators.
    pub fn allows(&self, count: usize) -> bool {
        match self.bounds() {
            None => count == 0,
            Some((min, max)) => (min..=max).contains(&count),
        }
    }
}

impl fmt::Display for MediatorRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, min, max) = match *self {
            MediatorRule::None => return f.write_str("none"),
            MediatorRule::Parallel { min, max } => ("parallel", min, max),
            MediatorRule::Serial { min, max } => ("serial", min, max),
            MediatorRule::SerialParallel { min, max } => ("serial-parallel", min, max),
        };
        if min == max {
            write!(f, "{kind} {min}")
        } else {
            write!(f, "{kind} {min}-{max}")
        }
    }
}

/// A parsed model template: the model number, a one-line description, the roles the model needs
/// (and is limited to), the mediators it takes and its equations with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub model: u32,
    pub description: String,
    /// The roles the model needs, in the order X, M, Y, W, Z; a role not listed is refused.
    pub roles: Vec<String>,
    pub mediators: MediatorRule,
    file: String,
    equations: Vec<EquationTemplate>,
}

/// A moderator or the focal antecedent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    X,
    W,
    Z,
}

/// A mediator position: `First(i)` is the i-th mediator (1-based), `Last(n)` the n-th before the
/// last (`k - n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    First(usize),
    Last(usize),
}

/// A set of mediators: all of them, a range of positions, or those earlier than the mediator
/// whose equation this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediatorSet {
    All,
    Range(Bound, Bound),
    Earlier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Role(Role),
    Mediators(MediatorSet),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Y,
    Mediators(MediatorSet),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EquationTemplate {
    line: usize,
    outcome: Outcome,
    /// Each term is a product of factors; at most one factor is a mediator set.
    terms: Vec<Vec<Factor>>,
}

/// A variable of an instantiated template, mediators by 0-based position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Var {
    X,
    W,
    Z,
    M(usize),
}

/// An expanded equation: `outcome` is `None` for Y, else the mediator's 0-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expanded {
    outcome: Option<usize>,
    terms: Vec<Vec<Var>>,
}

/// A template error, with the line it refers to when there is one.
#[derive(Debug)]
struct LineError {
    line: Option<usize>,
    message: String,
}

impl LineError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        LineError {
            line: Some(line),
            message: message.into(),
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        LineError {
            line: None,
            message: message.into(),
        }
    }

    fn into_spec(self, file: &str) -> SpecError {
        let message = match self.line {
            Some(line) => format!("line {line}: {}", self.message),
            None => self.message,
        };
        SpecError::Template {
            file: file.to_string(),
            message,
        }
    }
}

/// Parses one template file. Errors name the file and, where there is one, the line.
pub fn parse_template(file_name: &str, text: &str) -> Result<Template, SpecError> {
    parse(file_name, text).map_err(|e| e.into_spec(file_name))
}

/// Every embedded template, by model number. A template that fails to parse is an error here
/// (the tests parse every file, so this is a build defect, not a user error).
pub fn all_templates() -> Result<Vec<Template>, SpecError> {
    static TEMPLATES: OnceLock<Result<Vec<Template>, SpecError>> = OnceLock::new();
    TEMPLATES.get_or_init(load_all).clone()
}

/// The template of one PROCESS model.
pub fn template(model: u32) -> Result<Template, SpecError> {
    let templates = all_templates()?;
    match templates.iter().find(|t| t.model == model) {
        Some(t) => Ok(t.clone()),
        None => Err(SpecError::UnknownModel {
            model,
            available: number_ranges(&templates.iter().map(|t| t.model).collect::<Vec<_>>()),
        }),
    }
}

fn load_all() -> Result<Vec<Template>, SpecError> {
    let mut templates = Vec::with_capacity(TEMPLATE_FILES.len());
    for (name, text) in TEMPLATE_FILES {
        let t = parse_template(name, text)?;
        if let Some(other) = templates.iter().find(|o: &&Template| o.model == t.model) {
            return Err(SpecError::Template {
                file: (*name).to_string(),
                message: format!("model {} is also defined in '{}'", t.model, other.file),
            });
        }
        templates.push(t);
    }
    templates.sort_by_key(|t| t.model);
    Ok(templates)
}

/// `1-22, 28, 29, 58-76` for a sorted list of numbers (runs of three or more become ranges).
fn number_ranges(numbers: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}-{}", numbers[i], numbers[j]));
        } else {
            parts.extend(numbers[i..=j].iter().map(|n| n.to_string()));
        }
        i = j + 1;
    }
    parts.join(", ")
}

impl Template {
    /// The file the template was read from.
    pub fn file_name(&self) -> &str {
        &self.file
    }

    /// Whether the model uses a role (`"X"`, `"M"`, `"Y"`, `"W"` or `"Z"`).
    pub fn uses_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// The equations as written in the template (normalised spacing), for listings and reports.
    pub fn equation_lines(&self) -> Vec<String> {
        self.equations.iter().map(|e| e.to_string()).collect()
    }

    /// The model with the variables given for its roles: mediator equations first (in mediator
    /// order), then the outcome; terms in PROCESS's coefficient order, covariates last.
    pub fn instantiate(&self, roles: &Roles) -> Result<ModelSpec, SpecError> {
        let x = roles.x.as_str();
        let y = roles.y.as_str();
        if x.is_empty() {
            return Err(self.roles_error("needs X (--x)".into()));
        }
        if y.is_empty() {
            return Err(self.roles_error("needs Y (--y)".into()));
        }
        let w = self.moderator(roles.w.as_deref(), "W", "--w")?;
        let z = self.moderator(roles.z.as_deref(), "Z", "--z")?;
        let k = roles.m.len();
        self.check_mediator_count(roles)?;
        let named = self.role_variables(roles, w, z)?;
        self.check_covariates(roles, &named)?;
        let cov_m: &[String] = roles.cov_m.as_deref().unwrap_or(&roles.cov);
        let cov_y: &[String] = roles.cov_y.as_deref().unwrap_or(&roles.cov);

        let expanded = self.expand(k).map_err(|e| e.into_spec(&self.file))?;
        let name = |v: Var| -> String {
            match v {
                Var::X => x.to_string(),
                Var::W => w.unwrap_or_default().to_string(),
                Var::Z => z.unwrap_or_default().to_string(),
                Var::M(i) => roles.m.get(i).cloned().unwrap_or_default(),
            }
        };
        let equations = expanded
            .into_iter()
            .map(|eq| {
                let (outcome, covs) = match eq.outcome {
                    Some(i) => (name(Var::M(i)), cov_m),
                    None => (y.to_string(), cov_y),
                };
                let mut terms: Vec<TermSpec> = eq
                    .terms
                    .iter()
                    .map(|t| TermSpec {
                        factors: t.iter().map(|&v| name(v)).collect(),
                        label: None,
                    })
                    .collect();
                terms.extend(covs.iter().map(|c| TermSpec::new(&[c.as_str()])));
                EquationSpec { outcome, terms }
            })
            .collect();

        let mut covariates: Vec<String> = Vec::new();
        let used: &[&[String]] = if k > 0 { &[cov_m, cov_y] } else { &[cov_y] };
        for c in used.iter().flat_map(|l| l.iter()) {
            if !covariates.contains(c) {
                covariates.push(c.clone());
            }
        }

        Ok(ModelSpec {
            source: SpecSource::Process(self.model),
            x: x.to_string(),
            y: y.to_string(),
            mediators: roles.m.clone(),
            moderators: w.into_iter().chain(z).map(str::to_string).collect(),
            covariates,
            equations,
            defined: Vec::new(),
        })
    }

    fn roles_error(&self, message: String) -> SpecError {
        SpecError::Roles {
            model: self.model,
            message,
        }
    }

    /// The number of mediators given is one the template allows, and none is unnamed.
    fn check_mediator_count(&self, roles: &Roles) -> Result<(), SpecError> {
        let k = roles.m.len();
        match self.mediators.bounds() {
            None if k > 0 => return Err(self.roles_error("takes no mediators (remove --m)".into())),
            Some((min, max)) if !(min..=max).contains(&k) => {
                let wanted = if min == max {
                    format!("exactly {min}")
                } else {
                    format!("{min} to {max}")
                };
                return Err(self.roles_error(format!("needs {wanted} mediators (--m), got {k}")));
            }
            _ => {}
        }
        if roles.m.iter().any(|m| m.is_empty()) {
            return Err(self.roles_error("has an empty mediator name".into()));
        }
        Ok(())
    }

    /// Each role's label (X, Y, M or M1.., W, Z) with its variable; no variable in two roles.
    fn role_variables<'a>(
        &self,
        roles: &'a Roles,
        w: Option<&'a str>,
        z: Option<&'a str>,
    ) -> Result<Vec<(String, &'a str)>, SpecError> {
        let k = roles.m.len();
        let mut named: Vec<(String, &str)> = vec![
            ("X".into(), roles.x.as_str()),
            ("Y".into(), roles.y.as_str()),
        ];
        for (i, m) in roles.m.iter().enumerate() {
            let label = if k == 1 {
                "M".to_string()
            } else {
                format!("M{}", i + 1)
            };
            named.push((label, m.as_str()));
        }
        if let Some(w) = w {
            named.push(("W".into(), w));
        }
        if let Some(z) = z {
            named.push(("Z".into(), z));
        }
        for (i, (label, name)) in named.iter().enumerate() {
            if let Some((other, _)) = named[..i].iter().find(|(_, n)| n == name) {
                return Err(
                    self.roles_error(format!("has '{name}' in two roles ({other} and {label})"))
                );
            }
        }
        Ok(named)
    }

    /// Covariate names are non-empty, listed once per list, in no role, and mediator covariates
    /// need a mediator.
    fn check_covariates(&self, roles: &Roles, named: &[(String, &str)]) -> Result<(), SpecError> {
        let lists: [(&str, Option<&Vec<String>>); 3] = [
            ("cov", Some(&roles.cov)),
            ("cov_m", roles.cov_m.as_ref()),
            ("cov_y", roles.cov_y.as_ref()),
        ];
        for (list, covs) in lists {
            let Some(covs) = covs else { continue };
            for (i, c) in covs.iter().enumerate() {
                if c.is_empty() {
                    return Err(self.roles_error(format!("has an empty covariate name in {list}")));
                }
                if covs[..i].contains(c) {
                    return Err(self.roles_error(format!("has covariate '{c}' twice in {list}")));
                }
                if let Some((label, _)) = named.iter().find(|(_, n)| n == c) {
                    return Err(self.roles_error(format!(
                        "cannot use '{c}' both as a covariate and as {label}"
                    )));
                }
            }
        }
        if roles.m.is_empty() && roles.cov_m.as_ref().is_some_and(|c| !c.is_empty()) {
            return Err(self.roles_error(
                "has no mediator equation for the mediator covariates (cov_m)".into(),
            ));
        }
        Ok(())
    }

    /// The variable given for a moderator role, checked against the template.
    fn moderator<'a>(
        &self,
        given: Option<&'a str>,
        role: &str,
        flag: &str,
    ) -> Result<Option<&'a str>, SpecError> {
        let given = given.filter(|s| !s.is_empty());
        match (self.uses_role(role), given) {
            (true, None) => Err(SpecError::Roles {
                model: self.model,
                message: format!("needs {role} ({flag})"),
            }),
            (false, Some(_)) => Err(SpecError::Roles {
                model: self.model,
                message: format!("does not use {role} (remove {flag})"),
            }),
            (_, given) => Ok(given),
        }
    }

    /// The equations for `k` mediators, in causal order (mediators in order, then Y), checked:
    /// every mediator has exactly one equation, a mediator is predicted only by earlier ones, and
    /// no term repeats.
    fn expand(&self, k: usize) -> Result<Vec<Expanded>, LineError> {
        let mut mediators: Vec<Option<Expanded>> = vec![None; k];
        let mut outcome_y: Option<Expanded> = None;
        for eq in &self.equations {
            let outcomes: Vec<Option<usize>> = match eq.outcome {
                Outcome::Y => vec![None],
                Outcome::Mediators(set) => resolve(set, k, None, eq.line)?
                    .into_iter()
                    .map(Some)
                    .collect(),
            };
            for outcome in outcomes {
                let mut terms: Vec<Vec<Var>> = Vec::new();
                let mut seen: BTreeSet<Vec<Var>> = BTreeSet::new();
                for term in &eq.terms {
                    for t in expand_term(term, k, outcome, eq.line)? {
                        check_term(&t, outcome, k, eq.line)?;
                        let mut key = t.clone();
                        key.sort();
                        if !seen.insert(key) {
                            return Err(LineError::at(
                                eq.line,
                                format!(
                                    "with {k} mediators, the term {} appears twice",
                                    term_text(&t)
                                ),
                            ));
                        }
                        terms.push(t);
                    }
                }
                let expanded = Expanded { outcome, terms };
                let slot = match outcome {
                    None => &mut outcome_y,
                    Some(i) => &mut mediators[i],
                };
                if slot.is_some() {
                    let who = outcome.map_or("Y".to_string(), |i| format!("M{}", i + 1));
                    return Err(LineError::at(
                        eq.line,
                        format!("with {k} mediators, {who} has a second equation"),
                    ));
                }
                *slot = Some(expanded);
            }
        }
        let mut out = Vec::with_capacity(k + 1);
        for (i, m) in mediators.into_iter().enumerate() {
            match m {
                Some(m) => out.push(m),
                None => {
                    return Err(LineError::whole(format!(
                        "with {k} mediators, M{} has no equation",
                        i + 1
                    )))
                }
            }
        }
        match outcome_y {
            Some(y) => out.push(y),
            None => return Err(LineError::whole("no equation for Y")),
        }
        Ok(out)
    }

    /// Checks the mediator kind against the equations for every allowed number of mediators.
    fn check_arrangement(&self) -> Result<(), LineError> {
        let (kind, min, max) = match self.mediators {
            MediatorRule::None => return self.expand(0).map(|_| ()),
            MediatorRule::Parallel { min, max } => ("parallel", min, max),
            MediatorRule::Serial { min, max } => ("serial", min, max),
            MediatorRule::SerialParallel { min, max } => ("serial-parallel", min, max),
        };
        for k in min..=max {
            let eqs = self.expand(k)?;
            let mediator_eqs = &eqs[..k];
            let links =
                |i: usize, j: usize| mediator_eqs[i].terms.iter().any(|t| t == &[Var::M(j)]);
            let any_mediator = mediator_eqs
                .iter()
                .any(|e| e.terms.iter().flatten().any(|v| matches!(v, Var::M(_))));
            let fully_serial = (0..k).all(|i| (0..i).all(|j| links(i, j)));
            let ok = match self.mediators {
                MediatorRule::Parallel { .. } => !any_mediator,
                MediatorRule::Serial { .. } => fully_serial,
                _ => any_mediator && !fully_serial,
            };
            if !ok {
                return Err(LineError::whole(format!(
                    "mediators: {kind} does not match the equations with {k} mediators"
                )));
            }
        }
        Ok(())
    }
}

/// The 0-based positions a mediator set stands for with `k` mediators; `current` is the mediator
/// whose equation the set appears in (for `M<`).
fn resolve(
    set: MediatorSet,
    k: usize,
    current: Option<usize>,
    line: usize,
) -> Result<Vec<usize>, LineError> {
    let position = |b: Bound| -> Result<usize, LineError> {
        match b {
            Bound::First(i) if i <= k => Ok(i),
            Bound::First(i) => Err(LineError::at(
                line,
                format!("M{i} does not exist with {k} mediators"),
            )),
            Bound::Last(n) if n < k => Ok(k - n),
            Bound::Last(n) => Err(LineError::at(
                line,
                format!("k-{n} is not a mediator with {k} mediators"),
            )),
        }
    };
    match set {
        MediatorSet::All => Ok((0..k).collect()),
        MediatorSet::Earlier => match current {
            Some(i) => Ok((0..i).collect()),
            None => Err(LineError::at(
                line,
                "M< is only allowed in a mediator's equation",
            )),
        },
        MediatorSet::Range(a, b) => {
            let (a, b) = (position(a)?, position(b)?);
            if a > b {
                return Err(LineError::at(
                    line,
                    format!("the mediator range M[{a}..{b}] is empty with {k} mediators"),
                ));
            }
            Ok((a - 1..b).collect())
        }
    }
}

/// The terms one template term stands for (one per mediator when it has a mediator set).
fn expand_term(
    term: &[Factor],
    k: usize,
    current: Option<usize>,
    line: usize,
) -> Result<Vec<Vec<Var>>, LineError> {
    let set = term.iter().find_map(|f| match f {
        Factor::Mediators(set) => Some(*set),
        Factor::Role(_) => None,
    });
    // `None` stands for "no mediator in this term": one term, no substitution.
    let positions: Vec<Option<usize>> = match set {
        Some(set) => resolve(set, k, current, line)?
            .into_iter()
            .map(Some)
            .collect(),
        None => vec![None],
    };
    Ok(positions
        .into_iter()
        .map(|p| {
            term.iter()
                .map(|f| match f {
                    Factor::Role(r) => role_var(*r),
                    // `p` is `Some` whenever the term holds a mediator set.
                    Factor::Mediators(_) => Var::M(p.unwrap_or_default()),
                })
                .collect()
        })
        .collect())
}

fn role_var(role: Role) -> Var {
    match role {
        Role::X => Var::X,
        Role::W => Var::W,
        Role::Z => Var::Z,
    }
}

/// A term may not repeat a variable, and a mediator's equation may use only earlier mediators.
fn check_term(
    term: &[Var],
    outcome: Option<usize>,
    k: usize,
    line: usize,
) -> Result<(), LineError> {
    for (i, v) in term.iter().enumerate() {
        if term[..i].contains(v) {
            return Err(LineError::at(
                line,
                format!("the term {} repeats a variable", term_text(term)),
            ));
        }
        if let (Var::M(j), Some(o)) = (v, outcome) {
            if *j >= o {
                return Err(LineError::at(
                    line,
                    format!(
                        "with {k} mediators, M{} would be predicted by M{}, which is not earlier",
                        o + 1,
                        j + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn term_text(term: &[Var]) -> String {
    term.iter()
        .map(|v| match v {
            Var::X => "X".to_string(),
            Var::W => "W".to_string(),
            Var::Z => "Z".to_string(),
            Var::M(i) => format!("M{}", i + 1),
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// The `key: value` lines of a template, each at most once, with the line it was on (for errors).
#[derive(Default)]
struct Header {
    model: Option<u32>,
    description: Option<String>,
    roles: Option<(usize, Vec<String>)>,
    mediators: Option<(usize, MediatorRule)>,
}

impl Header {
    /// Records one `key: value` line; a key given twice or unknown is an error on that line.
    fn set(&mut self, key: &str, value: &str, line: usize) -> Result<(), LineError> {
        let duplicate = || LineError::at(line, format!("'{key}:' is given twice"));
        match key {
            "model" => {
                if self.model.is_some() {
                    return Err(duplicate());
                }
                let n = value.parse::<u32>().map_err(|_| {
                    LineError::at(line, format!("model must be a number, found '{value}'"))
                })?;
                self.model = Some(n);
            }
            "description" => {
                if self.description.is_some() {
                    return Err(duplicate());
                }
                if value.is_empty() {
                    return Err(LineError::at(line, "the description is empty"));
                }
                self.description = Some(value.to_string());
            }
            "roles" => {
                if self.roles.is_some() {
                    return Err(duplicate());
                }
                self.roles = Some((line, parse_roles(value, line)?));
            }
            "mediators" => {
                if self.mediators.is_some() {
                    return Err(duplicate());
                }
                self.mediators = Some((line, parse_mediator_rule(value, line)?));
            }
            _ => {
                return Err(LineError::at(
                    line,
                    format!(
                        "unknown key '{key}' (expected model, description, roles or mediators)"
                    ),
                ))
            }
        }
        Ok(())
    }
}

fn parse(file: &str, text: &str) -> Result<Template, LineError> {
    let (header, equations) = read_lines(text)?;
    let model = header
        .model
        .ok_or_else(|| LineError::whole("missing 'model:' line"))?;
    let description = header
        .description
        .ok_or_else(|| LineError::whole("missing 'description:' line"))?;
    let (roles_line, roles) = header
        .roles
        .ok_or_else(|| LineError::whole("missing 'roles:' line"))?;
    let (mediators_line, mediators) = header
        .mediators
        .ok_or_else(|| LineError::whole("missing 'mediators:' line"))?;
    if equations.is_empty() {
        return Err(LineError::whole("no equations"));
    }
    let has_m = check_roles_used(&roles, roles_line, &equations)?;
    if has_m == (mediators == MediatorRule::None) {
        let message = if has_m {
            "mediators: none, but the equations use mediators"
        } else {
            "the equations use no mediator, so mediators must be none"
        };
        return Err(LineError::at(mediators_line, message));
    }
    check_placeholders(&equations)?;
    let template = Template {
        model,
        description,
        roles,
        mediators,
        file: file.to_string(),
        equations,
    };
    template.check_arrangement()?;
    Ok(template)
}

/// The header lines and the equations of a template's text, without comments and blank lines.
fn read_lines(text: &str) -> Result<(Header, Vec<EquationTemplate>), LineError> {
    let mut header = Header::default();
    let mut equations: Vec<EquationTemplate> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = match raw.find('#') {
            Some(at) => &raw[..at],
            None => raw,
        }
        .trim();
        if content.is_empty() {
            continue;
        }
        if content.contains('~') {
            equations.push(parse_equation(content, line)?);
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            return Err(LineError::at(
                line,
                format!(
                    "expected 'key: value' or an equation 'outcome ~ terms', found '{content}'"
                ),
            ));
        };
        header.set(key.trim(), value.trim(), line)?;
    }
    Ok((header, equations))
}

/// The roles listed are exactly those the equations use (X and Y always); returns whether the
/// equations use mediators.
fn check_roles_used(
    roles: &[String],
    roles_line: usize,
    equations: &[EquationTemplate],
) -> Result<bool, LineError> {
    for role in ["X", "Y"] {
        if !roles.iter().any(|r| r == role) {
            return Err(LineError::at(
                roles_line,
                format!("roles must include {role}"),
            ));
        }
    }
    let mut used: BTreeSet<&str> = BTreeSet::from(["Y"]);
    for eq in equations {
        if let Outcome::Mediators(_) = eq.outcome {
            used.insert("M");
        }
        for f in eq.terms.iter().flatten() {
            let name = match f {
                Factor::Role(Role::X) => "X",
                Factor::Role(Role::W) => "W",
                Factor::Role(Role::Z) => "Z",
                Factor::Mediators(_) => "M",
            };
            if !roles.iter().any(|r| r == name) {
                return Err(LineError::at(
                    eq.line,
                    format!("uses {name}, which is not in roles (line {roles_line})"),
                ));
            }
            used.insert(name);
        }
    }
    if let Some(unused) = roles.iter().find(|r| !used.contains(r.as_str())) {
        return Err(LineError::at(
            roles_line,
            format!("roles lists {unused}, but no equation uses it"),
        ));
    }
    Ok(used.contains("M"))
}

/// A term holds at most one mediator placeholder, and `M<` (the earlier mediators) only in a
/// mediator's own equation.
fn check_placeholders(equations: &[EquationTemplate]) -> Result<(), LineError> {
    for eq in equations {
        let in_mediator_equation = matches!(eq.outcome, Outcome::Mediators(_));
        for term in &eq.terms {
            let sets = term
                .iter()
                .filter(|f| matches!(f, Factor::Mediators(_)))
                .count();
            if sets > 1 {
                return Err(LineError::at(
                    eq.line,
                    "a term may hold at most one mediator placeholder",
                ));
            }
            if !in_mediator_equation && term.contains(&Factor::Mediators(MediatorSet::Earlier)) {
                return Err(LineError::at(
                    eq.line,
                    "M< is only allowed in a mediator's equation",
                ));
            }
        }
    }
    Ok(())
}

fn parse_roles(value: &str, line: usize) -> Result<Vec<String>, LineError> {
    const ORDER: [&str; 5] = ["X", "M", "Y", "W", "Z"];
    let mut given: Vec<&str> = Vec::new();
    for r in value.split(',').map(str::trim) {
        if !ORDER.contains(&r) {
            return Err(LineError::at(
                line,
                format!("unknown role '{r}' (roles are X, M, Y, W, Z)"),
            ));
        }
        if given.contains(&r) {
            return Err(LineError::at(line, format!("role {r} is listed twice")));
        }
        given.push(r);
    }
    Ok(ORDER
        .iter()
        .filter(|r| given.contains(r))
        .map(|r| r.to_string())
        .collect())
}

fn parse_mediator_rule(value: &str, line: usize) -> Result<MediatorRule, LineError> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let usage = || {
        LineError::at(
            line,
            format!(
                "expected 'none' or 'parallel|serial|serial-parallel MIN-MAX' (or a single \
                 count), found '{value}'"
            ),
        )
    };
    match words.as_slice() {
        ["none"] => Ok(MediatorRule::None),
        [kind, range] => {
            let number = |s: &str| s.parse::<usize>().map_err(|_| usage());
            let (min, max) = match range.split_once('-') {
                Some((a, b)) => (number(a)?, number(b)?),
                None => {
                    let n = number(range)?;
                    (n, n)
                }
            };
            if min == 0 || min > max {
                return Err(LineError::at(
                    line,
                    format!("the mediator count range {range} must satisfy 1 <= min <= max"),
                ));
            }
            match *kind {
                "parallel" => Ok(MediatorRule::Parallel { min, max }),
                "serial" => Ok(MediatorRule::Serial { min, max }),
                "serial-parallel" => Ok(MediatorRule::SerialParallel { min, max }),
                _ => Err(usage()),
            }
        }
        _ => Err(usage()),
    }
}

fn parse_equation(content: &str, line: usize) -> Result<EquationTemplate, LineError> {
    let Some((lhs, rhs)) = content.split_once('~') else {
        return Err(LineError::at(line, "an equation needs '~'"));
    };
    if rhs.contains('~') {
        return Err(LineError::at(line, "an equation has exactly one '~'"));
    }
    let outcome = match parse_symbol(lhs.trim(), line)? {
        Symbol::Y => Outcome::Y,
        Symbol::Factor(Factor::Mediators(MediatorSet::Earlier)) => {
            return Err(LineError::at(line, "M< cannot be an outcome"))
        }
        Symbol::Factor(Factor::Mediators(set)) => Outcome::Mediators(set),
        Symbol::Factor(Factor::Role(_)) => {
            return Err(LineError::at(
                line,
                format!(
                    "the outcome must be Y or a mediator, found '{}'",
                    lhs.trim()
                ),
            ))
        }
    };
    let mut terms = Vec::new();
    for term in rhs.split('+') {
        let term = term.trim();
        if term.is_empty() {
            return Err(LineError::at(
                line,
                "empty term (a '+' with nothing beside it)",
            ));
        }
        let mut factors = Vec::new();
        for factor in term.split(':') {
            match parse_symbol(factor.trim(), line)? {
                Symbol::Y => {
                    return Err(LineError::at(line, "Y cannot be a predictor"));
                }
                Symbol::Factor(f) => factors.push(f),
            }
        }
        terms.push(factors);
    }
    Ok(EquationTemplate {
        line,
        outcome,
        terms,
    })
}

enum Symbol {
    Y,
    Factor(Factor),
}

fn parse_symbol(s: &str, line: usize) -> Result<Symbol, LineError> {
    let unknown = || {
        LineError::at(
            line,
            format!(
                "unknown symbol '{s}' (expected X, Y, W, Z or a mediator: M, M1, Mk, M[a..b], M<)"
            ),
        )
    };
    let symbol = match s {
        "" => {
            return Err(LineError::at(
                line,
                "empty symbol (a ':' with nothing beside it)",
            ))
        }
        "X" => Symbol::Factor(Factor::Role(Role::X)),
        "Y" => Symbol::Y,
        "W" => Symbol::Factor(Factor::Role(Role::W)),
        "Z" => Symbol::Factor(Factor::Role(Role::Z)),
        "M" => Symbol::Factor(Factor::Mediators(MediatorSet::All)),
        "M<" => Symbol::Factor(Factor::Mediators(MediatorSet::Earlier)),
        "Mk" => Symbol::Factor(Factor::Mediators(MediatorSet::Range(
            Bound::Last(0),
            Bound::Last(0),
        ))),
        _ => {
            let Some(rest) = s.strip_prefix('M') else {
                return Err(unknown());
            };
            if let Some(range) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                let Some((a, b)) = range.split_once("..") else {
                    return Err(unknown());
                };
                let a = parse_bound(a.trim()).ok_or_else(unknown)?;
                let b = parse_bound(b.trim()).ok_or_else(unknown)?;
                Symbol::Factor(Factor::Mediators(MediatorSet::Range(a, b)))
            } else {
                match parse_position(rest) {
                    Some(i) => Symbol::Factor(Factor::Mediators(MediatorSet::Range(
                        Bound::First(i),
                        Bound::First(i),
                    ))),
                    None => return Err(unknown()),
                }
            }
        }
    };
    Ok(symbol)
}

/// `3`, `k` or `k-1`.
fn parse_bound(s: &str) -> Option<Bound> {
    if s == "k" {
        return Some(Bound::Last(0));
    }
    if let Some(n) = s.strip_prefix("k-") {
        return parse_position(n.trim()).map(Bound::Last);
    }
    parse_position(s).map(Bound::First)
}

/// A positive decimal number without sign or leading zero.
fn parse_position(s: &str) -> Option<usize> {
    if s.is_empty() || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Bound::First(i) => write!(f, "{i}"),
            Bound::Last(0) => f.write_str("k"),
            Bound::Last(n) => write!(f, "k-{n}"),
        }
    }
}

impl fmt::Display for MediatorSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MediatorSet::All => f.write_str("M"),
            MediatorSet::Earlier => f.write_str("M<"),
            MediatorSet::Range(Bound::First(a), Bound::First(b)) if a == b => write!(f, "M{a}"),
            MediatorSet::Range(Bound::Last(0), Bound::Last(0)) => f.write_str("Mk"),
            MediatorSet::Range(a, b) => write!(f, "M[{a}..{b}]"),
        }
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Factor::Role(Role::X) => f.write_str("X"),
            Factor::Role(Role::W) => f.write_str("W"),
            Factor::Role(Role::Z) => f.write_str("Z"),
            Factor::Mediators(set) => set.fmt(f),
        }
    }
}

impl fmt::Display for EquationTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outcome {
            Outcome::Y => f.write_str("Y")?,
            Outcome::Mediators(set) => set.fmt(f)?,
        }
        f.write_str(" ~ ")?;
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            for (j, factor) in term.iter().enumerate() {
                if j > 0 {
                    f.write_str(":")?;
                }
                factor.fmt(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(roles: &str, mediators: &str) -> String {
        format!("model: 900\ndescription: test\nroles: {roles}\nmediators: {mediators}\n")
    }

    fn message(result: Result<Template, SpecError>) -> String {
        match result {
            Err(SpecError::Template { file, message }) => {
                assert_eq!(file, "t.cipa");
                message
            }
            other => panic!("expected a template error, got {other:?}"),
        }
    }

    #[test]
    fn parses_symbols_and_round_trips_equations() {
        let text = format!(
            "# comment\n{}M[1..k-1] ~ X   # trailing comment\nMk ~ X + M[1..k-1] + W + M[1..k-1]:W\nY ~ X + M\n",
            header("X, M, Y, W", "serial-parallel 3-5")
        );
        let t = parse_template("t.cipa", &text).unwrap();
        assert_eq!(t.model, 900);
        assert_eq!(t.roles, ["X", "M", "Y", "W"]);
        assert_eq!(t.mediators, MediatorRule::SerialParallel { min: 3, max: 5 });
        assert_eq!(
            t.equation_lines(),
            [
                "M[1..k-1] ~ X",
                "Mk ~ X + M[1..k-1] + W + M[1..k-1]:W",
                "Y ~ X + M"
            ]
        );
        let eqs = t.expand(3).unwrap();
        assert_eq!(eqs.len(), 4);
        assert_eq!(eqs[2].outcome, Some(2));
        assert_eq!(
            eqs[2].terms,
            vec![
                vec![Var::X],
                vec![Var::M(0)],
                vec![Var::M(1)],
                vec![Var::W],
                vec![Var::M(0), Var::W],
                vec![Var::M(1), Var::W],
            ]
        );
    }

    #[test]
    fn serial_placeholder_takes_earlier_mediators() {
        let text = format!("{}M ~ X + M<\nY ~ X + M\n", header("X, M, Y", "serial 2-4"));
        let t = parse_template("t.cipa", &text).unwrap();
        let eqs = t.expand(3).unwrap();
        assert_eq!(eqs[0].terms, vec![vec![Var::X]]);
        assert_eq!(
            eqs[2].terms,
            vec![vec![Var::X], vec![Var::M(0)], vec![Var::M(1)]]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let text = format!(
            "{}M ~ X + V\nY ~ X + M\n",
            header("X, M, Y", "parallel 1-10")
        );
        let m = message(parse_template("t.cipa", &text));
        assert!(m.starts_with("line 5: unknown symbol 'V'"), "{m}");

        let text = format!(
            "{}M ~ X\nY ~ X + M + W\n",
            header("X, M, Y", "parallel 1-10")
        );
        let m = message(parse_template("t.cipa", &text));
        assert!(
            m.starts_with("line 6: uses W, which is not in roles"),
            "{m}"
        );

        let text = format!(
            "{}M ~ X\nY ~ X + M\n",
            header("X, M, Y, Z", "parallel 1-10")
        );
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 3: roles lists Z, but no equation uses it");

        let text = format!("{}Y ~ X + X:X\n", header("X, Y", "none"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 5: the term X:X repeats a variable");

        let text = format!("{}Y ~ X + W + W:X + X:W\n", header("X, Y, W", "none"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 5: with 0 mediators, the term X:W appears twice");

        let text = format!("{}W ~ X\nY ~ X + W\n", header("X, Y, W", "none"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 5: the outcome must be Y or a mediator, found 'W'");

        let text = format!("{}Y ~ X + Y\n", header("X, Y", "none"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 5: Y cannot be a predictor");

        let text = "model: 1\ndescription: d\nroles: X, Y\nY ~ X\n";
        let m = message(parse_template("t.cipa", text));
        assert_eq!(m, "missing 'mediators:' line");

        let text = format!("{}size: 3\nY ~ X\n", header("X, Y", "none"));
        assert!(message(parse_template("t.cipa", &text)).starts_with("line 5: unknown key 'size'"));
    }

    #[test]
    fn structure_is_checked_for_every_allowed_count() {
        // M3 exists only with three or more mediators.
        let text = format!(
            "{}M1 ~ X\nM2 ~ X + M1\nM3 ~ X + M2\nY ~ X + M\n",
            header("X, M, Y", "serial-parallel 2-3")
        );
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 7: M3 does not exist with 2 mediators");

        // A mediator predicted by a later one.
        let text = format!(
            "{}M1 ~ X + M2\nM2 ~ X\nY ~ X + M\n",
            header("X, M, Y", "serial-parallel 2")
        );
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(
            m,
            "line 5: with 2 mediators, M1 would be predicted by M2, which is not earlier"
        );

        // A mediator without an equation.
        let text = format!("{}M1 ~ X\nY ~ X + M\n", header("X, M, Y", "parallel 1-2"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "with 2 mediators, M2 has no equation");

        // The kind must match the equations.
        let text = format!(
            "{}M ~ X + M<\nY ~ X + M\n",
            header("X, M, Y", "parallel 1-3")
        );
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(
            m,
            "mediators: parallel does not match the equations with 2 mediators"
        );

        let text = format!("{}M ~ X\nY ~ X + M\n", header("X, M, Y", "none"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(
            m,
            "line 4: mediators: none, but the equations use mediators"
        );

        let text = format!("{}Y ~ X + M<\n", header("X, M, Y", "parallel 1"));
        let m = message(parse_template("t.cipa", &text));
        assert_eq!(m, "line 5: M< is only allowed in a mediator's equation");
    }

    #[test]
    fn number_ranges_compress_runs() {
        assert_eq!(
            number_ranges(&[1, 2, 3, 5, 6, 8, 9, 10, 11]),
            "1-3, 5, 6, 8-11"
        );
        assert_eq!(number_ranges(&[]), "");
        assert_eq!(number_ranges(&[7]), "7");
    }

    #[test]
    fn every_embedded_template_parses_and_expands() {
        let templates = all_templates().unwrap();
        assert_eq!(templates.len(), TEMPLATE_FILES.len());
        for t in &templates {
            let (min, max) = t.mediators.bounds().unwrap_or((0, 0));
            for k in min..=max {
                let eqs = t.expand(k).unwrap();
                assert_eq!(eqs.len(), k + 1, "model {} with {k} mediators", t.model);
            }
        }
    }
}
