//! `cipa._cipa`: the compiled part of the `cipa` Python package. Each command runs through
//! cipa's command-line code (`cipa::cli::embed`): keyword arguments become the command line's
//! flags, data come from memory, and the finished run stays here for the Python side to ask
//! for its JSON document, reports, figures or results folder.

mod args;
mod errors;
mod figures;
mod table;

use std::path::Path;

use cipa::cli::embed::{
    self, canonical_csv, json_text, sha256_bytes, Caller, Command, Deliverable, DescribeRun,
    FitRun, FlagKind, GroupRun, MeasureRun, PowerRun, RegressRun, ResultsDir, SemRun, Source,
};
use cipa::cli::CliError;
use cipa::report::{render, Format};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use errors::{guarded, interruptible, UsageError};

/// Resampled rows (draws × rows) below which a fit runs on the calling thread, without the
/// signal checks: such a run ends in tens of milliseconds anyway (the bootstrap kernel takes
/// about 2.5 ns per resampled row of model 58 on one core, docs/PERFORMANCE.md), so a Ctrl-C
/// during it is raised when it returns. Above it, handing the work to a thread that Ctrl-C can
/// stop costs two thread switches, a few milliseconds on a loaded machine (B = 5000 at
/// n = 2,000 is 10⁷ rows and runs here).
const QUICK_WORK: usize = 20_000_000;

/// A finished command.
enum Finished {
    Fit(Box<FitRun>),
    Regress(Box<RegressRun>),
    Describe(Box<DescribeRun>),
    Measure(Box<MeasureRun>),
    Power(Box<PowerRun>),
    Sem(Box<SemRun>),
    SemGroups(Box<GroupRun>),
}

/// A finished run of a cipa command: the analysis stays in Rust; every output is rendered from
/// it on request by the command line's own code.
#[pyclass(frozen, module = "cipa._cipa")]
struct Run {
    inner: Finished,
    /// The equivalent command line (data held in memory named by their source).
    argv: Vec<String>,
    /// Whether the data came from memory (a DataFrame or Arrow stream), not a file.
    memory: bool,
    /// Seconds cipa itself worked (typing the data, the analysis), without the GIL.
    seconds: f64,
}

impl Run {
    fn json_value(&self) -> Result<serde_json::Value, CliError> {
        Ok(match &self.inner {
            Finished::Fit(r) => r.json(),
            Finished::Regress(r) => r.json(),
            Finished::Describe(r) => r.json(),
            Finished::Measure(r) => r.json(),
            Finished::Power(r) => r.json()?,
            Finished::Sem(r) => r.json(),
            Finished::SemGroups(r) => Deliverable::json(r.as_ref())?,
        })
    }

    fn folder(&self) -> Result<(ResultsDir, embed::Provenance), CliError> {
        match &self.inner {
            Finished::Fit(r) => r.folder(),
            Finished::Regress(r) => r.folder(),
            Finished::Describe(r) => r.folder(),
            Finished::Measure(r) => r.folder(),
            Finished::Power(r) => r.folder(),
            Finished::Sem(r) => r.folder(),
            Finished::SemGroups(r) => Deliverable::folder(r.as_ref())
                .unwrap_or_else(|| Err(CliError::Internal("no results folder".into()))),
        }
    }

    fn data(&self) -> Option<&cipa::data::Dataset> {
        match &self.inner {
            Finished::Fit(r) => Some(&r.data),
            Finished::Regress(r) => Some(&r.data),
            Finished::Describe(r) => Some(&r.data),
            Finished::Measure(r) => Some(&r.data),
            Finished::Power(_) => None,
            Finished::Sem(r) => Some(&r.data),
            Finished::SemGroups(r) => Some(&r.data),
        }
    }
}

fn format(name: &str) -> PyResult<Format> {
    name.parse::<Format>()
        .map_err(|e| UsageError::new_err(format!("format '{name}': {e}")))
}

#[pymethods]
impl Run {
    /// The command that ran (`fit`, `regress`, `describe`, `measure` or `power`).
    #[getter]
    fn command(&self) -> &'static str {
        match &self.inner {
            Finished::Fit(_) => "fit",
            Finished::Regress(_) => "regress",
            Finished::Describe(_) => "describe",
            Finished::Measure(_) => "measure",
            Finished::Power(_) => "power",
            Finished::Sem(_) | Finished::SemGroups(_) => "sem",
        }
    }

    /// The equivalent command line.
    #[getter]
    fn argv(&self) -> Vec<String> {
        self.argv.clone()
    }

    /// Seconds cipa itself worked on the run (typing the data and the analysis), for telling
    /// the engine's time from the cost of the call.
    #[getter]
    fn engine_seconds(&self) -> f64 {
        self.seconds
    }

    /// The JSON document of `--format json`, as compact text.
    fn json(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            serde_json::to_string(&self.json_value()?)
                .map_err(|e| CliError::Internal(e.to_string()))
        })
    }

    /// The report in a format: text, markdown, latex, html, csv or json.
    fn report(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        guarded(py, || {
            let report = match &self.inner {
                Finished::Fit(r) => r.report(),
                Finished::Regress(r) => r.report(),
                Finished::Describe(r) => r.report(),
                Finished::Measure(r) => r.report(),
                Finished::Power(r) => r.report(),
                Finished::Sem(r) => r.report(),
                Finished::SemGroups(r) => Deliverable::report(r.as_ref()),
            };
            match f {
                Format::Json => json_text(&self.json_value()?),
                f => Ok(render(&report, f)),
            }
        })
    }

    /// The APA-style tables in a format: markdown, latex, html or csv.
    fn apa(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        let f = self::format(format)?;
        guarded(py, || {
            let tables = match &self.inner {
                Finished::Fit(r) => r.apa(),
                Finished::Regress(r) => r.apa(),
                Finished::Describe(r) => r.apa(),
                Finished::Sem(r) => r.apa(),
                Finished::Measure(_) | Finished::Power(_) | Finished::SemGroups(_) => {
                    return Err(CliError::Input(cipa::Error::Usage(format!(
                        "{} has no APA tables",
                        self.command()
                    ))))
                }
            };
            embed::apa_text(&tables, f)
        })
    }

    /// Writes the results folder (as `--out DIR`); returns the number of files written.
    fn save(&self, py: Python<'_>, dir: std::path::PathBuf) -> PyResult<usize> {
        guarded(py, || {
            let (files, prov) = self.folder()?;
            let data = match (self.memory, self.data()) {
                (true, Some(d)) => {
                    let (sha, bytes) = sha256_bytes(canonical_csv(d).as_bytes());
                    Some((d.source.clone(), sha, bytes))
                }
                _ => None,
            };
            let caller = Caller {
                command_line: self.argv.clone(),
                data,
            };
            files.commit_as(&dir, &prov, Some(&caller))
        })
    }

    /// A fit's figures of one kind as `[(name, svg)]`, or a power study's curve (`curve`).
    #[pyo3(signature = (kind, labels=None, greyscale=None, coef=None))]
    fn figures(
        &self,
        py: Python<'_>,
        kind: &str,
        labels: Option<String>,
        greyscale: Option<bool>,
        coef: Option<String>,
    ) -> PyResult<Vec<(String, String)>> {
        guarded(py, || match &self.inner {
            Finished::Fit(r) => {
                let style = figures::Style {
                    labels: labels.or_else(|| r.a.labels.clone()),
                    greyscale: greyscale.unwrap_or(r.a.greyscale),
                    coef: coef.unwrap_or_else(|| r.a.diagram_coef.clone()),
                    decimals: 3,
                };
                figures::fit_figures(r, kind, &style)
            }
            Finished::Power(r) if kind == "curve" => Ok(r
                .curve()?
                .map(|(svg, _)| vec![("power_curve".to_string(), svg)])
                .unwrap_or_default()),
            _ => Err(CliError::Input(cipa::Error::Usage(format!(
                "{} has no figures of kind '{kind}'",
                self.command()
            )))),
        })
    }

    /// Every bootstrap draw of every effect as CSV text (a fit with `save_boot=True`).
    fn draws_csv(&self) -> Option<String> {
        match &self.inner {
            Finished::Fit(r) => r.draws_csv(),
            _ => None,
        }
    }

    /// The data the run used (with construct scores and size classes added), as columns.
    fn data_columns<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        self.data().map(|d| table::to_columns(py, d)).transpose()
    }
}

/// The source of a command's data and the name `--data` gives it.
fn source(
    path: Option<String>,
    columns: Option<&Bound<'_, PyList>>,
    arrow: Option<&Bound<'_, PyAny>>,
    name: Option<String>,
) -> PyResult<(String, Source)> {
    let name = name.unwrap_or_else(|| "DataFrame".into());
    match (path, columns, arrow) {
        (Some(p), None, None) => Ok((p, Source::File)),
        (None, Some(c), None) => Ok((name.clone(), table::from_columns(&name, c)?.source())),
        (None, None, Some(a)) => Ok((name.clone(), table::from_arrow(&name, a)?.source())),
        _ => Err(UsageError::new_err(
            "give the data once: a path, a DataFrame or an Arrow stream",
        )),
    }
}

/// Runs a command (`fit`, `regress`, `describe`, `measure`, `power`) with keyword arguments as its
/// flags, on a data file (`path`), DataFrame columns (`columns`) or an Arrow stream (`arrow`).
/// `syntax` is a fit's model in the path syntax as `(name, text)`.
#[pyfunction]
#[pyo3(signature = (command, kwargs, path=None, columns=None, arrow=None, name=None, syntax=None))]
#[allow(clippy::too_many_arguments)] // the keyword arguments of a Python function
fn run(
    py: Python<'_>,
    command: &str,
    kwargs: &Bound<'_, PyDict>,
    path: Option<String>,
    columns: Option<&Bound<'_, PyList>>,
    arrow: Option<&Bound<'_, PyAny>>,
    name: Option<String>,
    syntax: Option<(String, String)>,
) -> PyResult<Run> {
    cipa::inference::resample::timing::begin();
    if command == "fit" && resamples(kwargs) {
        cipa::inference::resample::wake_workers();
    }
    let (data_name, src, memory) = if command == "power" {
        (None, None, false)
    } else {
        let memory = path.is_none();
        let (n, s) = source(path, columns, arrow, name)?;
        (Some(n), Some(s), memory)
    };
    let argv = args::argv(command, data_name.as_deref(), kwargs)?;
    let parsed = embed::parse(&argv).map_err(errors::to_py)?;
    let src = src.unwrap_or(Source::File);
    cipa::inference::resample::timing::mark("arguments parsed");
    let (inner, seconds) = execute(py, parsed, src, syntax, command)?;
    cipa::inference::resample::timing::mark("run done");
    Ok(Run {
        inner,
        argv,
        memory,
        seconds,
    })
}

/// Whether a fit's keyword arguments may ask for draws (`boot` is 5000 unless given as 0; `mc`
/// above zero): the thread pool is then woken while the data are read and the model planned.
fn resamples(kwargs: &Bound<'_, PyDict>) -> bool {
    let count = |k: &str| {
        kwargs
            .get_item(k)
            .ok()
            .flatten()
            .and_then(|v| v.extract::<i64>().ok())
    };
    count("boot").is_none_or(|b| b > 0) || count("mc").is_some_and(|m| m > 0)
}

/// Runs a parsed command on its data; returns the finished run and the engine's seconds.
fn execute(
    py: Python<'_>,
    parsed: Command,
    src: Source,
    syntax: Option<(String, String)>,
    command: &str,
) -> PyResult<(Finished, f64)> {
    let clock = std::time::Instant::now;
    let timed = |t: std::time::Instant| t.elapsed().as_secs_f64();
    let (inner, seconds) = match parsed {
        Command::Fit(a) => {
            let (plan, s0) = guarded(py, || {
                let t = clock();
                let syntax = syntax.as_ref().map(|(n, t)| (n.as_str(), t.as_str()));
                Ok((embed::fit_plan(a, syntax, src)?, timed(t)))
            })?;
            cipa::inference::resample::timing::mark("fit planned");
            // Handing the work to a thread that Ctrl-C can stop costs thread switches: worth it
            // only for a run that takes a while (about 50 ms and more, see QUICK_WORK).
            let o = &plan.opts;
            let work = if o.mc > 0 {
                o.mc * 100
            } else {
                o.boot * plan.rows()
            };
            let (r, s1) = if work < QUICK_WORK {
                guarded(py, || {
                    let t = clock();
                    Ok((plan.run(&|_| {})?, timed(t)))
                })?
            } else {
                interruptible(py, move |hook| {
                    let t = clock();
                    Ok((plan.run(hook)?, timed(t)))
                })?
            };
            (Finished::Fit(Box::new(r)), s0 + s1)
        }
        Command::Regress(a) => {
            let (r, s) = guarded(py, || {
                let t = clock();
                Ok((embed::regress(a, src)?, timed(t)))
            })?;
            (Finished::Regress(Box::new(r)), s)
        }
        Command::Describe(a) => {
            let (r, s) = guarded(py, || {
                let t = clock();
                Ok((embed::describe(a, src)?, timed(t)))
            })?;
            (Finished::Describe(Box::new(r)), s)
        }
        Command::Measure(a) => {
            let (r, s) = guarded(py, || {
                let t = clock();
                Ok((embed::measure(a, src)?, timed(t)))
            })?;
            (Finished::Measure(Box::new(r)), s)
        }
        Command::Sem(a) if a.group.is_some() => {
            let (r, s) = guarded(py, || {
                let t = clock();
                Ok((embed::sem_groups(a, src)?, timed(t)))
            })?;
            (Finished::SemGroups(Box::new(r)), s)
        }
        Command::Sem(a) => {
            let (r, s) = guarded(py, || {
                let t = clock();
                Ok((embed::sem(a, src)?, timed(t)))
            })?;
            (Finished::Sem(Box::new(r)), s)
        }
        Command::Power(a) => {
            let a = a.run;
            let (r, s) = interruptible(py, move |hook| {
                let t = clock();
                Ok((embed::power(a, hook)?, timed(t)))
            })?;
            (Finished::Power(Box::new(r)), s)
        }
        _ => {
            return Err(UsageError::new_err(format!(
                "cipa.{command} is not available"
            )))
        }
    };
    Ok((inner, seconds))
}

/// Reads data as `cipa.read` does (the data flags as keyword arguments) and returns its
/// columns (see `table::to_columns`).
#[pyfunction]
#[pyo3(signature = (kwargs, path=None, columns=None, arrow=None, name=None))]
fn read<'py>(
    py: Python<'py>,
    kwargs: &Bound<'py, PyDict>,
    path: Option<String>,
    columns: Option<&Bound<'py, PyList>>,
    arrow: Option<&Bound<'py, PyAny>>,
    name: Option<String>,
) -> PyResult<Bound<'py, PyList>> {
    let (data_name, src) = source(path, columns, arrow, name)?;
    let argv = args::argv("read", Some(&data_name), kwargs)?;
    let a = embed::parse_read(&argv).map_err(errors::to_py)?;
    let data = guarded(py, || embed::load(&a, src, true))?;
    table::to_columns(py, &data)
}

/// Simulated data as `cipa simulate` makes them: `(columns, truth JSON text)`.
#[pyfunction]
fn simulate<'py>(
    py: Python<'py>,
    kwargs: &Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyList>, String)> {
    let argv = args::argv("simulate", None, kwargs)?;
    let Command::Simulate(a) = embed::parse(&argv).map_err(errors::to_py)? else {
        return Err(UsageError::new_err("not a simulate command line"));
    };
    let (data, truth) = guarded(py, || embed::simulate(&a))?;
    let truth =
        serde_json::to_string(&truth).map_err(|e| errors::InternalError::new_err(e.to_string()))?;
    Ok((table::to_columns(py, &data)?, truth))
}

/// The flags of a command as `[(keyword, kind, help)]`, kind one of `switch`, `value`,
/// `optional`, `list`.
#[pyfunction]
fn flags(command: &str) -> PyResult<Vec<(String, &'static str, String)>> {
    let f = embed::flags(command)
        .ok_or_else(|| UsageError::new_err(format!("no cipa command '{command}'")))?;
    Ok(f.into_iter()
        .map(|f| {
            let kind = match f.kind {
                FlagKind::Switch => "switch",
                FlagKind::Value => "value",
                FlagKind::OptionalValue => "optional",
                FlagKind::List(_) => "list",
            };
            (f.long.replace('-', "_"), kind, f.help)
        })
        .collect())
}

/// Whether a path names an existing file (for telling a model file from model text).
#[pyfunction]
fn is_file(path: &str) -> bool {
    Path::new(path).is_file()
}

#[pymodule]
fn _cipa(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::install_panic_hook();
    // The importing thread is the one that calls cipa: it becomes a worker of the pool, so a
    // call runs its share of the draws itself (docs/PERFORMANCE.md, "From Python").
    cipa::inference::resample::join_pool_from_this_thread();
    let py = m.py();
    m.add("__version__", cipa::VERSION)?;
    m.add("CipaError", py.get_type::<errors::CipaError>())?;
    m.add("DataError", py.get_type::<errors::DataError>())?;
    m.add("ModelError", py.get_type::<errors::ModelError>())?;
    m.add("UsageError", py.get_type::<errors::UsageError>())?;
    m.add("OutputError", py.get_type::<errors::OutputError>())?;
    m.add("InternalError", py.get_type::<errors::InternalError>())?;
    m.add_class::<Run>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(flags, m)?)?;
    m.add_function(wrap_pyfunction!(is_file, m)?)?;
    Ok(())
}
