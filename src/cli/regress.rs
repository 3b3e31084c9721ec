use serde_json::json;

use crate::data::{
    apply_transform, code_event, complete_cases, Coding, Column, Dataset, EventCoding, Transform,
};
use crate::estimation::{r2_change, EquationFit, LogisticOptions, Regression, Term};
use crate::inference::CovType;
use crate::report::apa::apa_regression;
use crate::report::{json::regress_json, regress_report};

use super::args::RegressArgs;
use super::results_dir::{self, Provenance, ResultsDir};
use super::warn::InputNotes;
use super::{data_opts, output, usage, CliError};

/// Options after validation against each other and the data.
struct Resolved {
    model: Regression,
    cov: CovType,
    logistic: bool,
    tests: Vec<Vec<String>>,
    transforms: Vec<(String, Transform)>,
    /// The range of the U test (the observed range of each variable unless given).
    u_range: Option<(f64, f64)>,
}

pub fn run(a: RegressArgs) -> Result<(), CliError> {
    super::check_conf(a.conf)?;
    let dest = results_dir::prepare(a.output.out.as_deref(), &a.data.inputs())?;
    let data = data_opts::load(&a.data)?;
    let run = RegressRun::new(a, data)?;
    output::deliver(&run, output::Delivery::from_flags(dest, &run.a.output))
}

impl output::Deliverable for RegressRun {
    fn report(&self) -> crate::report::Report {
        RegressRun::report(self)
    }

    fn json(&self) -> Result<serde_json::Value, CliError> {
        Ok(RegressRun::json(self))
    }

    fn apa(&self) -> Option<Vec<crate::report::apa::ApaTable>> {
        Some(RegressRun::apa(self))
    }

    fn folder(&self) -> Option<Result<(ResultsDir, Provenance), CliError>> {
        Some(RegressRun::folder(self))
    }
}

/// A finished `regress`: the fit and everything its outputs are made from.
pub struct RegressRun {
    pub a: RegressArgs,
    pub data: Dataset,
    r: Resolved,
    fits: Vec<(EquationFit, Vec<crate::estimation::R2Change>)>,
    notes: Vec<String>,
    vifs: Option<Vec<crate::measure::Vif>>,
    /// The value of a two-valued outcome coded 1, when it was recoded.
    event: Option<EventCoding>,
    /// Warnings about the values and notes on how the file was read.
    input: InputNotes,
    /// The tests of each variable that enters with its square (turning point, U test).
    curves: Vec<crate::effects::QuadraticTests>,
}

impl RegressRun {
    /// Resolves the options against the data, transforms the variables and fits the model.
    pub fn new(a: RegressArgs, mut data: Dataset) -> Result<Self, CliError> {
        let event = outcome_event(&a, &mut data)?;
        let r = resolve(&a, &data)?;
        let input = input_notes(&data, &r);
        apply_transforms(&mut data, &r)?;
        let fit = if r.logistic {
            r.model.fit_logistic(&data, &LogisticOptions::default())?
        } else {
            r.model.fit_ols(&data, r.cov)?
        };
        let changes = if r.logistic {
            Vec::new()
        } else {
            r.tests
                .iter()
                .map(|t| r2_change(&fit, t))
                .collect::<Result<Vec<_>, _>>()?
        };
        let mut notes = notes(&fit, &data, &r);
        if let Some(e) = &event {
            notes.insert(0, e.describe());
        }
        let mut curves: Vec<_> = crate::effects::quadratic_variables(&fit)
            .iter()
            .filter_map(|v| crate::effects::quadratic_tests(&fit, v, r.u_range))
            .collect();
        turning_boot(&a, &r, (&data, &fit), &mut curves, &mut notes)?;
        let vifs = if a.vif {
            let design = r.model.design(&data, r.logistic)?;
            let (names, cols): (Vec<String>, Vec<Vec<f64>>) = design
                .names
                .iter()
                .zip(&design.columns)
                .filter(|(n, _)| n.as_str() != crate::estimation::CONSTANT)
                .map(|(n, c)| (n.clone(), c.clone()))
                .unzip();
            Some(crate::measure::vif(&names, &cols).map_err(crate::Error::from)?)
        } else {
            None
        };
        Ok(RegressRun {
            a,
            data,
            r,
            fits: vec![(fit, changes)],
            notes,
            vifs,
            event,
            input,
            curves,
        })
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let data = &self.data;
        let mut doc = regress_json(
            &data.source,
            data.n_rows(),
            options_json(&self.a, &self.r, self.event.as_ref()),
            &self.fits,
        );
        if !self.curves.is_empty() {
            doc["curvilinear"] = serde_json::to_value(&self.curves).unwrap_or_default();
        }
        if let Some(v) = &self.vifs {
            // With the tolerance (1 / VIF), as the text report prints it.
            doc["vif"] = v
                .iter()
                .map(|x| serde_json::json!({"variable": x.variable, "vif": x.vif, "tolerance": 1.0 / x.vif}))
                .collect();
        }
        self.input.add_to_json(&mut doc);
        doc
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> crate::report::Report {
        let (a, r, fits) = (&self.a, &self.r, &self.fits);
        let mut h = header(a, r, &self.data, &fits[0].0);
        if let Some(e) = &self.event {
            h.insert(
                2,
                (
                    "Event".into(),
                    format!("1 = '{}', 0 = '{}'", e.event, e.other),
                ),
            );
        }
        let mut report = regress_report(h, fits, self.notes.clone());
        self.input.add_to(&mut report);
        report.decimals = a.output.decimals as usize;
        if let Some(section) = report.sections.first_mut() {
            for q in &self.curves {
                section.tables.extend(crate::report::quadratic_tables(q));
            }
        }
        if let (Some(v), Some(section)) = (&self.vifs, report.sections.first_mut()) {
            section.tables.push(crate::report::Table {
                title: "Collinearity".into(),
                columns: vec![String::new(), "VIF".into(), "tolerance".into()],
                rows: v
                    .iter()
                    .map(|x| {
                        vec![
                            crate::report::Value::Text(x.variable.clone()),
                            crate::report::Value::Num(x.vif),
                            crate::report::Value::Num(1.0 / x.vif),
                        ]
                    })
                    .collect(),
                notes: vec!["VIF = 1 / (1 - R²) of each design column on the others (product terms are collinear with their components by construction; centring changes that, not the model).".into()],
            });
        }
        report
    }

    /// The APA-style tables.
    pub fn apa(&self) -> Vec<crate::report::apa::ApaTable> {
        // The data file's variable labels (SPSS, Stata) name the variables.
        let m = &self.r.model;
        let names: Vec<String> = std::iter::once(m.outcome.clone())
            .chain(
                m.terms
                    .iter()
                    .flat_map(|t| t.split(':').map(|f| f.trim().to_string())),
            )
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut o = self.a.output.apa_options();
        o.labels =
            super::model_opts::display_labels(None, Some(&self.data), &names).unwrap_or_default();
        let mut tables = vec![apa_regression(&[&self.fits[0].0], &o)];
        o.first_number += 1;
        tables.extend(crate::report::apa::apa_quadratic(&self.curves, &o));
        tables
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        files.add_apa(&self.apa());
        files.extend(self.curve_plots()?);
        let fit = &self.fits[0].0;
        let prov = Provenance {
            command: "regress",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(fit.n),
            rows_dropped: Some(fit.n_dropped),
            dropped_lines: fit.dropped_rows.clone(),
            options: options_json(&self.a, &self.r, self.event.as_ref()),
            seed: None,
            b: None,
            resampling: None,
            threads_requested: 1,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}

impl RegressRun {
    /// The figure of each curvilinear effect (curve, band, turning point, cases), as
    /// `plots/curvilinear_VAR.svg` and `.png`.
    fn curve_plots(&self) -> Result<Vec<(String, Vec<u8>)>, CliError> {
        #[cfg(feature = "plot")]
        {
            use crate::plot::{
                interaction::sanitize, quadratic::QuadraticPlot, svg_and_png, Theme,
            };
            let mut out = Vec::new();
            if self.curves.is_empty() {
                return Ok(out);
            }
            let fit = &self.fits[0].0;
            let design = self.r.model.design(&self.data, self.r.logistic)?;
            for q in &self.curves {
                let Some(col) = design.names.iter().position(|n| *n == q.variable) else {
                    continue;
                };
                let Some(curve) = crate::effects::quadratic_curve(fit, q, &design.columns[col])
                else {
                    continue;
                };
                let fig =
                    QuadraticPlot::new(curve, Theme::default()).map_err(crate::Error::from)?;
                let stem = format!("curvilinear_{}", sanitize(&q.variable));
                let files = svg_and_png(&stem, &fig, crate::plot::PlotOptions::default().dpi)
                    .map_err(|e| {
                        CliError::Internal(format!("drawing the curvilinear figure failed: {e}"))
                    })?;
                out.extend(
                    files
                        .into_iter()
                        .map(|f| (format!("plots/{}", f.file_name), f.bytes)),
                );
            }
            Ok(out)
        }
        #[cfg(not(feature = "plot"))]
        Ok(Vec::new())
    }
}

/// Warnings about the values of the model's variables (far codes such as -99) and notes on how
/// the file was read.
fn input_notes(data: &Dataset, r: &Resolved) -> InputNotes {
    let mut input = InputNotes::from_data(data);
    let mut vars: Vec<&str> = vec![r.model.outcome.as_str()];
    vars.extend(
        r.model
            .terms
            .iter()
            .flat_map(|t| t.split(':'))
            .map(str::trim),
    );
    input.warn_all(data_opts::value_warnings(data, &vars));
    input
}

/// A two-valued outcome coded 0/1 with a stated event, for logistic regression or when --event
/// names the event. A two-valued text outcome without --logistic is an error naming the flag.
fn outcome_event(a: &RegressArgs, data: &mut Dataset) -> Result<Option<EventCoding>, CliError> {
    let y = a.y.trim();
    if a.logistic || a.event.is_some() {
        return Ok(code_event(data, y, a.event.as_deref())?);
    }
    if let Ok(Column::Categorical { codes, levels }) = data.var(y).map(|v| &v.data) {
        let mut used: Vec<u32> = codes.iter().flatten().copied().collect();
        used.sort_unstable();
        used.dedup();
        if used.len() == 2 {
            return Err(usage(format!(
                "outcome '{y}' has two text values ('{}' and '{}'): fit a logistic regression with --logistic (--event LEVEL chooses the value coded 1)",
                levels[used[0] as usize], levels[used[1] as usize]
            )));
        }
    }
    Ok(None)
}

fn resolve(a: &RegressArgs, data: &Dataset) -> Result<Resolved, CliError> {
    super::check_conf(a.conf)?;
    if a.cluster.is_some() && a.hc.is_some() {
        return Err(usage(
            "--cluster gives cluster-robust (CR1) standard errors; drop --hc",
        ));
    }
    if a.logistic && (a.hc.is_some() || a.cluster.is_some()) {
        return Err(usage(
            "--hc and --cluster apply to OLS; logistic regression uses model-based standard errors",
        ));
    }
    let terms: Vec<Term> =
        a.x.iter()
            .map(|t| Term::parse(t))
            .collect::<Result<_, _>>()
            .map_err(crate::Error::from)?;
    let y = a.y.trim();
    if let Some(t) = terms.iter().find(|t| t.factors.iter().any(|f| f == y)) {
        return Err(usage(format!(
            "--y '{y}' is also a predictor (--x term '{}'): an outcome cannot predict itself; remove it from --x",
            t.name()
        )));
    }
    let term_refs: Vec<&str> = a.x.iter().map(|s| s.trim()).collect();
    let mut model = Regression::new(a.y.trim(), &term_refs).conf(a.conf);
    if let Some(c) = &a.cluster {
        model = model.cluster(c);
    }
    let model = with_codings(a, data, &terms, model)?;
    let mut transforms = Vec::new();
    for (list, t) in [
        (&a.log, Transform::Log),
        (&a.center, Transform::Center),
        (&a.standardize, Transform::Standardize),
    ] {
        for v in list {
            transforms.push((v.trim().to_string(), t));
        }
    }
    let u_range = match a.u_range.as_deref() {
        None => None,
        Some(s) => Some(parse_range(s)?),
    };
    Ok(Resolved {
        model,
        cov: a.hc.unwrap_or(CovType::Ols),
        logistic: a.logistic,
        tests: increment_tests(a, &terms),
        transforms,
        u_range,
    })
}

/// The coding of every categorical factor of the terms (with its `--ref` level); a `--ref`
/// for a numeric factor or for a variable that is not a predictor is refused.
fn with_codings(
    a: &RegressArgs,
    data: &Dataset,
    terms: &[Term],
    mut model: Regression,
) -> Result<Regression, CliError> {
    let mut refs: Vec<(String, String)> = Vec::new();
    for r in &a.reference {
        let (v, l) = r.split_once('=').ok_or_else(|| {
            usage(format!(
                "--ref '{r}' must be VAR=LEVEL, e.g. --ref partyid=1"
            ))
        })?;
        refs.push((v.trim().to_string(), l.trim().to_string()));
    }
    let mut factors: Vec<&str> = Vec::new();
    for t in terms {
        for f in &t.factors {
            if !factors.contains(&f.as_str()) {
                factors.push(f);
            }
        }
    }
    for f in &factors {
        let var = data.var(f)?;
        let reference = refs.iter().find(|(v, _)| v == f).map(|(_, l)| l.clone());
        if var.data.is_categorical() || reference.is_some() {
            if !var.data.is_categorical() && reference.is_some() {
                return Err(usage(format!(
                    "--ref given for '{f}', which is numeric; declare it categorical with --categorical {f}"
                )));
            }
            model = model.coding(
                f,
                Coding {
                    contrast: a.coding,
                    reference,
                },
            );
        }
    }
    for (v, _) in &refs {
        if !factors.contains(&v.as_str()) {
            return Err(usage(format!(
                "--ref names '{v}', which is not a predictor in --x"
            )));
        }
    }
    Ok(model)
}

/// The R²-change tests: `--test` lists, none for a logistic fit or `--test none`, and by
/// default the highest-order product terms.
fn increment_tests(a: &RegressArgs, terms: &[Term]) -> Vec<Vec<String>> {
    if a.logistic || a.test.iter().any(|t| t.trim() == "none") {
        return Vec::new();
    }
    if a.test.is_empty() {
        let top = terms.iter().map(|t| t.factors.len()).max().unwrap_or(0);
        if top < 2 {
            return Vec::new();
        }
        return terms
            .iter()
            .filter(|t| t.factors.len() == top)
            .map(|t| vec![t.name()])
            .collect();
    }
    a.test
        .iter()
        .map(|t| {
            t.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect()
}

/// With `--boot`, the percentile bootstrap interval of every turning point; a logistic
/// equation's resamples are refitted from the full-sample coefficients of `fit`.
fn turning_boot(
    a: &RegressArgs,
    r: &Resolved,
    (data, fit): (&Dataset, &EquationFit),
    curves: &mut [crate::effects::QuadraticTests],
    notes: &mut Vec<String>,
) -> Result<(), CliError> {
    let b = a.boot.unwrap_or(0);
    if b == 0 {
        return Ok(());
    }
    super::check_boot(b, a.conf)?;
    if curves.iter().all(|q| q.turning_point.is_none()) {
        return Err(usage(
            "--boot bootstraps the turning point of a quadratic, but no predictor enters with its square and a nonzero coefficient (write --x x,x^2); drop --boot",
        ));
    }
    let seed = a.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64 % 1_000_000_000)
    });
    let design = r.model.design(data, r.logistic)?;
    let start: Vec<f64> = fit.coefficients.iter().map(|c| c.estimate).collect();
    let refit = if r.logistic {
        crate::analysis::Refit::Logistic(&start)
    } else {
        crate::analysis::Refit::Ols
    };
    for q in curves.iter_mut() {
        let Some(tp) = q.turning_point else { continue };
        let run = crate::analysis::turning_point_bootstrap(
            &design,
            refit,
            (&q.term, &q.square),
            (b, seed, 0),
            (a.conf, tp.x),
        );
        let subject = q.variable.clone();
        crate::analysis::attach_turning_boot(q, run, &subject, notes);
    }
    Ok(())
}

/// `LO,HI` with LO < HI, both finite.
fn parse_range(s: &str) -> Result<(f64, f64), CliError> {
    let bad = || {
        usage(format!(
            "--u-range '{s}' must be two numbers LO,HI with LO < HI, e.g. --u-range 0,5"
        ))
    };
    let (lo, hi) = s.split_once(',').ok_or_else(bad)?;
    let (lo, hi): (f64, f64) = (
        lo.trim().parse().map_err(|_| bad())?,
        hi.trim().parse().map_err(|_| bad())?,
    );
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(bad());
    }
    Ok((lo, hi))
}

/// Log first, then centring and standardising over the rows the model uses (as PROCESS centres).
fn apply_transforms(data: &mut Dataset, r: &Resolved) -> Result<(), CliError> {
    if r.transforms.is_empty() {
        return Ok(());
    }
    let mut vars: Vec<String> = vec![r.model.outcome.clone()];
    for t in &r.model.terms {
        // The base variable of a power (`size` of `size^2`): centring applies before powering.
        let term = Term::parse(t).map_err(crate::Error::from)?;
        vars.extend(term.variables().into_iter().map(String::from));
    }
    vars.extend(r.model.cluster.clone());
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let rows = complete_cases(data, &names)?.rows;
    for (v, t) in r.transforms.iter().filter(|(_, t)| *t == Transform::Log) {
        apply_transform(data, v, *t, Some(&rows))?;
    }
    for (v, t) in r.transforms.iter().filter(|(_, t)| *t != Transform::Log) {
        apply_transform(data, v, *t, Some(&rows))?;
    }
    Ok(())
}

fn header(
    a: &RegressArgs,
    r: &Resolved,
    data: &Dataset,
    fit: &EquationFit,
) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "Data".to_string(),
            format!("{} ({} rows)", data.source, data.n_rows()),
        ),
        (
            "Outcome".to_string(),
            format!(
                "{}{}",
                r.model.outcome,
                if r.logistic { " (logistic)" } else { "" }
            ),
        ),
        ("Sample size".to_string(), fit.n.to_string()),
    ];
    if fit.n_dropped > 0 {
        h.push((
            "Rows dropped".into(),
            format!(
                "{} (missing values; lines {})",
                fit.n_dropped,
                output::line_list(&fit.dropped_rows)
            ),
        ));
    }
    h.push((
        "Standard errors".into(),
        match (&fit.cluster, r.logistic) {
            (Some((v, g)), _) => format!("CR1 cluster-robust by '{v}' ({g} clusters)"),
            (None, true) => "model-based".into(),
            (None, false) => fit.cov_type.label().into(),
        },
    ));
    h.push(("Confidence".into(), format!("{}%", a.conf)));
    if !r.transforms.is_empty() {
        h.push((
            "Transforms".into(),
            r.transforms
                .iter()
                .map(|(v, t)| format!("{}({v})", t.name()))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    h.push(("cipa".into(), crate::VERSION.into()));
    h
}

fn notes(fit: &EquationFit, data: &Dataset, r: &Resolved) -> Vec<String> {
    let mut notes = Vec::new();
    if !r.logistic {
        if let Ok(var) = data.var(&r.model.outcome) {
            if let Column::Numeric(v) = &var.data {
                let mut d: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
                d.sort_by(f64::total_cmp);
                d.dedup();
                if d.len() == 2 {
                    notes.push(format!(
                        "'{}' has only two values ({} and {}); for a binary outcome consider --logistic",
                        r.model.outcome, d[0], d[1]
                    ));
                }
            }
        }
    }
    for t in r.model.terms.iter().filter_map(|t| Term::parse(t).ok()) {
        if !t.has_power() {
            continue;
        }
        for v in t.variables() {
            if let Some((_, tr)) = r
                .transforms
                .iter()
                .find(|(w, tr)| w == v && *tr != Transform::Log)
            {
                let how = if *tr == Transform::Center {
                    "mean-centred"
                } else {
                    "standardised"
                };
                notes.push(format!(
                    "'{v}' is {how} before it is powered: {} is the power of the {how} '{v}'.",
                    t.name()
                ));
            }
        }
    }
    if fit.method == crate::estimation::Method::Ols && !fit.cov_type.is_robust() {
        notes.push("Standard errors assume homoskedasticity; --hc hc3 gives heteroskedasticity-consistent ones.".into());
    }
    notes
}

/// The options as the JSON output records them (`event` only for a recoded two-valued outcome).
fn options_json(a: &RegressArgs, r: &Resolved, event: Option<&EventCoding>) -> serde_json::Value {
    let mut v = options_core(a, r);
    if let Some(e) = event {
        v["event"] = json!(e);
    }
    v
}

fn options_core(a: &RegressArgs, r: &Resolved) -> serde_json::Value {
    json!({
        "y": r.model.outcome,
        "x": r.model.terms,
        "cov_type": if r.logistic { json!(null) } else if r.model.cluster.is_some() { json!("cr1") } else { json!(r.cov) },
        "cluster": r.model.cluster,
        "logistic": r.logistic,
        "conf": a.conf,
        "coding": a.coding,
        "reference": a.reference,
        "missing": a.data.missing,
        "categorical": a.data.categorical,
        "numeric": a.data.numeric,
        "transforms": r.transforms.iter().map(|(v, t)| json!({"variable": v, "transform": t.name()})).collect::<Vec<_>>(),
        "tests": r.tests,
        "u_range": r.u_range.map(|(lo, hi)| [lo, hi]),
        "boot": a.boot,
    })
}
