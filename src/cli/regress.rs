use serde_json::json;

use crate::data::{apply_transform, complete_cases, Coding, Column, Dataset, Transform};
use crate::estimation::{r2_change, EquationFit, LogisticOptions, Regression, Term};
use crate::inference::CovType;
use crate::report::apa::apa_regression;
use crate::report::{json::regress_json, regress_report, render, Format};

use super::args::RegressArgs;
use super::results_dir::{self, Destination, Provenance, ResultsDir};
use super::{data_opts, output, usage, CliError};

/// Options after validation against each other and the data.
struct Resolved {
    model: Regression,
    cov: CovType,
    logistic: bool,
    tests: Vec<Vec<String>>,
    transforms: Vec<(String, Transform)>,
}

pub fn run(a: RegressArgs) -> Result<(), CliError> {
    let dest = results_dir::destination(a.output.out.as_deref());
    if let Destination::Folder(dir) = &dest {
        results_dir::check_target(dir, &a.data.data)?;
    }
    let data = data_opts::load(&a.data)?;
    let run = RegressRun::new(a, data)?;
    let a = &run.a;
    let text = match dest {
        Destination::Folder(dir) => {
            let (files, prov) = run.folder()?;
            let n = files.commit(&dir, &prov)?;
            eprintln!("cipa: wrote {n} files to {}", dir.display());
            return Ok(());
        }
        _ if a.output.apa => output::apa_text(&run.apa(), a.output.format())?,
        _ => match a.output.format() {
            Format::Json => super::json_text(&run.json())?,
            f => render(&run.report(), f),
        },
    };
    output::emit(&text, a.output.out.as_deref())
}

/// A finished `regress`: the fit and everything its outputs are made from.
pub struct RegressRun {
    pub a: RegressArgs,
    pub data: Dataset,
    r: Resolved,
    fits: Vec<(EquationFit, Vec<crate::estimation::R2Change>)>,
    notes: Vec<String>,
    vifs: Option<Vec<crate::measure::Vif>>,
}

impl RegressRun {
    /// Resolves the options against the data, transforms the variables and fits the model.
    pub fn new(a: RegressArgs, mut data: Dataset) -> Result<Self, CliError> {
        let r = resolve(&a, &data)?;
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
        let notes = notes(&fit, &data, &r);
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
        })
    }

    /// The JSON document of `--format json`.
    pub fn json(&self) -> serde_json::Value {
        let data = &self.data;
        let mut doc = regress_json(
            &data.source,
            data.n_rows(),
            options_json(&self.a, &self.r),
            &self.fits,
        );
        if let Some(v) = &self.vifs {
            // With the tolerance (1 / VIF), as the text report prints it.
            doc["vif"] = v
                .iter()
                .map(|x| serde_json::json!({"variable": x.variable, "vif": x.vif, "tolerance": 1.0 / x.vif}))
                .collect();
        }
        doc
    }

    /// The report (text, Markdown, LaTeX, HTML and CSV are renderings of it).
    pub fn report(&self) -> crate::report::Report {
        let (a, r, fits) = (&self.a, &self.r, &self.fits);
        let mut report = regress_report(
            header(a, r, &self.data, &fits[0].0),
            fits,
            self.notes.clone(),
        );
        report.decimals = a.output.decimals as usize;
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
        vec![apa_regression(
            &[&self.fits[0].0],
            &self.a.output.apa_options(),
        )]
    }

    /// The files of a results folder and what its manifest records.
    pub fn folder(&self) -> Result<(ResultsDir, Provenance), CliError> {
        let mut files = ResultsDir::new();
        files.add_report(&self.report());
        files.add("results.json", super::json_text(&self.json())?);
        files.add_apa(&self.apa());
        let fit = &self.fits[0].0;
        let prov = Provenance {
            command: "regress",
            data_path: self.a.data.data.clone(),
            rows: self.data.n_rows(),
            rows_used: Some(fit.n),
            rows_dropped: Some(fit.n_dropped),
            dropped_lines: fit.dropped_rows.clone(),
            options: options_json(&self.a, &self.r),
            seed: None,
            b: None,
            resampling: None,
            threads_requested: 1,
            threads_used: 1,
        };
        Ok((files, prov))
    }
}

fn resolve(a: &RegressArgs, data: &Dataset) -> Result<Resolved, CliError> {
    if !(a.conf > 0.0 && a.conf < 100.0) {
        return Err(usage(format!(
            "--conf {} must be between 0 and 100, e.g. 95",
            a.conf
        )));
    }
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
    let term_refs: Vec<&str> = a.x.iter().map(|s| s.trim()).collect();
    let mut model = Regression::new(a.y.trim(), &term_refs).conf(a.conf);
    if let Some(c) = &a.cluster {
        model = model.cluster(c);
    }
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
    for t in &terms {
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
    let tests = if a.logistic || a.test.iter().any(|t| t.trim() == "none") {
        Vec::new()
    } else if a.test.is_empty() {
        let top = terms.iter().map(|t| t.factors.len()).max().unwrap_or(0);
        if top >= 2 {
            terms
                .iter()
                .filter(|t| t.factors.len() == top)
                .map(|t| vec![t.name()])
                .collect()
        } else {
            Vec::new()
        }
    } else {
        a.test
            .iter()
            .map(|t| {
                t.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .collect()
    };
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
    Ok(Resolved {
        model,
        cov: a.hc.unwrap_or(CovType::Ols),
        logistic: a.logistic,
        tests,
        transforms,
    })
}

/// Log first, then centring and standardising over the rows the model uses (as PROCESS centres).
fn apply_transforms(data: &mut Dataset, r: &Resolved) -> Result<(), CliError> {
    if r.transforms.is_empty() {
        return Ok(());
    }
    let mut vars: Vec<String> = vec![r.model.outcome.clone()];
    for t in &r.model.terms {
        for f in t.split(':') {
            vars.push(f.trim().to_string());
        }
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
                line_list(&fit.dropped_rows)
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

fn line_list(lines: &[u64]) -> String {
    const SHOW: usize = 20;
    let mut s = lines
        .iter()
        .take(SHOW)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if lines.len() > SHOW {
        s += &format!(", ... ({} more)", lines.len() - SHOW);
    }
    s
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
    if fit.method == crate::estimation::Method::Ols && !fit.cov_type.is_robust() {
        notes.push("Standard errors assume homoskedasticity; --hc hc3 gives heteroskedasticity-consistent ones.".into());
    }
    notes
}

fn options_json(a: &RegressArgs, r: &Resolved) -> serde_json::Value {
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
    })
}
