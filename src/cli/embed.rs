//! cipa inside another program (the Python package in `python/`): the commands of the command
//! line from an argument list, on data already in memory, returning the finished run instead of
//! writing it. Arguments are parsed by the command line's own definitions and every run goes
//! through the same option resolution and output builders, so a program gets the numbers, the
//! JSON document, the reports and the results folder of the command line bit for bit.

use clap::{ArgAction, CommandFactory, Parser};

use crate::data::read::{build_dataset, RawTable};
use crate::data::{Column, Dataset, ReadOptions, Variable};

pub use super::args::SemArgs;
pub use super::args::{DataArgs, DescribeArgs, FitArgs, MeasureArgs, RegressArgs};
pub use super::describe::DescribeRun;
pub use super::fit::{FitPlan, FitRun};
pub use super::measure::MeasureRun;
pub use super::output::apa_text;
pub use super::output::Deliverable;
pub use super::power::{PowerArgs, PowerRun, PowerRunArgs};
pub use super::regress::RegressRun;
pub use super::results_dir::{sha256_bytes, Caller, Provenance, ResultsDir};
pub use super::sem::{SemPlan, SemRun};
pub use super::sem_groups::GroupRun;
pub use super::simulate::SimulateArgs;
pub use super::{json_text, Cli, CliError, Command};

use super::{data_opts, measure, model_opts, usage};

/// `cipa.read`'s arguments: the data flags every command shares.
#[derive(Debug, Parser)]
#[command(name = "cipa")]
struct ReadCli {
    #[command(flatten)]
    data: DataArgs,
}

/// Where the data of a command come from.
#[derive(Debug)]
pub enum Source {
    /// The `--data` file (or `example:NAME`), read as the command line reads it.
    File,
    /// A table already in memory, typed by the same builder as a file's cells, so `--missing`,
    /// `--categorical` and `--numeric` apply to it as to a file; `levels` gives categorical
    /// columns that carry their own level order (a pandas Categorical's categories) that order
    /// instead of the sorted one a file gets.
    Table {
        table: RawTable,
        levels: Vec<(String, Vec<String>)>,
    },
}

/// How a flag takes its values, for building an argument list from keyword arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// Present or absent (`--jn`).
    Switch,
    /// One value (`--boot 5000`).
    Value,
    /// An optional value (`--save-boot [FILE]`).
    OptionalValue,
    /// Several values: one flag per value, or, with a delimiter, one flag with the values joined
    /// by it (`--m a,b`).
    List(Option<char>),
}

/// One long flag of a command.
#[derive(Debug, Clone)]
pub struct Flag {
    pub long: String,
    pub kind: FlagKind,
    pub help: String,
}

fn command_def(command: &str) -> Option<clap::Command> {
    if command == "read" {
        return Some(ReadCli::command());
    }
    Cli::command().find_subcommand(command).cloned()
}

/// The long flags of a command (`fit`, `regress`, ..., and `read` for the data flags alone),
/// without `--help` and `--version`; `None` for an unknown command.
pub fn flags(command: &str) -> Option<Vec<Flag>> {
    let cmd = command_def(command)?;
    let flags = cmd
        .get_arguments()
        .filter_map(|arg| {
            let long = arg.get_long()?.to_string();
            if long == "help" || long == "version" {
                return None;
            }
            let repeatable = matches!(arg.get_action(), ArgAction::Append);
            let optional = arg.get_num_args().is_some_and(|r| r.min_values() == 0);
            let kind = match arg.get_action() {
                ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count => FlagKind::Switch,
                _ if repeatable || arg.get_value_delimiter().is_some() => {
                    FlagKind::List(arg.get_value_delimiter())
                }
                _ if optional => FlagKind::OptionalValue,
                _ => FlagKind::Value,
            };
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            Some(Flag { long, kind, help })
        })
        .collect();
    Some(flags)
}

/// A clap error as one message, without the usage lines meant for a terminal.
fn clap_message(e: clap::Error) -> CliError {
    let text = e.render().to_string();
    let first = text
        .split("\n\n")
        .next()
        .unwrap_or(&text)
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    usage(first)
}

/// Parses a command line (program name first) with the command line's own definitions.
pub fn parse(argv: &[String]) -> Result<Command, CliError> {
    Cli::try_parse_from(argv)
        .map(|c| c.command)
        .map_err(clap_message)
}

/// Parses the data flags of `cipa.read` (program name first).
pub fn parse_read(argv: &[String]) -> Result<DataArgs, CliError> {
    ReadCli::try_parse_from(argv)
        .map(|c| c.data)
        .map_err(clap_message)
}

/// The reader options the data flags give.
pub fn read_options(a: &DataArgs) -> Result<ReadOptions, CliError> {
    data_opts::read_options(a)
}

/// The data of a command, with size classes and construct scores added when `columns`
/// (every command but `measure`, which scores its constructs itself).
pub fn load(a: &DataArgs, src: Source, columns: bool) -> Result<Dataset, CliError> {
    let data = match src {
        Source::File => data_opts::load_items(a)?,
        Source::Table { table, levels } => {
            let mut data = build_dataset(table, &data_opts::read_options(a)?)?;
            order_levels(&mut data, &levels)?;
            data
        }
    };
    if columns {
        data_opts::add_columns(a, data)
    } else {
        Ok(data)
    }
}

/// Puts the levels of categorical columns in the order given (those that occur, then any others
/// in cipa's sort order); the first level is the reference of indicator coding.
pub fn order_levels(
    data: &mut Dataset,
    orders: &[(String, Vec<String>)],
) -> Result<(), crate::data::DataError> {
    for (name, order) in orders {
        let Ok(v) = data.var(name) else { continue };
        let Column::Categorical { codes, levels } = &v.data else {
            continue;
        };
        let values: Vec<Option<&str>> = codes
            .iter()
            .map(|c| c.map(|k| levels[k as usize].as_str()))
            .collect();
        let order: Vec<&str> = order.iter().map(String::as_str).collect();
        let mut ordered = Variable::categorical_in_order(name.clone(), &values, &order);
        ordered.label = v.label.clone();
        ordered.value_labels = v.value_labels.clone();
        data.set(ordered)?;
    }
    Ok(())
}

/// Checks and prepares a `fit` (data, model, options) without running it. `syntax` is a model
/// in the path syntax given as text, as `(name, text)`, in place of `--model` or `--spec`.
pub fn fit_plan(
    a: FitArgs,
    syntax: Option<(&str, &str)>,
    src: Source,
) -> Result<FitPlan, CliError> {
    let spec = match syntax {
        Some(_) if a.roles.model.is_some() || a.roles.spec.is_some() => {
            return Err(usage(
                "give the model once: a PROCESS number, a model file or model text",
            ))
        }
        Some((name, text)) => {
            let flags = super::fit::flags(&a);
            Some(model_opts::syntax_spec(name, text, &flags)?)
        }
        None => None,
    };
    let data = load(&a.data, src, true)?;
    let spec = match spec {
        Some(s) => s,
        None => super::fit::build_spec(&a)?,
    };
    FitPlan::new(a, data, spec)
}

/// A `regress` on the data.
pub fn regress(a: RegressArgs, src: Source) -> Result<RegressRun, CliError> {
    let data = load(&a.data, src, true)?;
    RegressRun::new(a, data)
}

/// A `describe` of the data.
pub fn describe(a: DescribeArgs, src: Source) -> Result<DescribeRun, CliError> {
    let data = load(&a.data, src, true)?;
    DescribeRun::new(a, data)
}

/// A `measure` of the data.
pub fn measure(a: MeasureArgs, src: Source) -> Result<MeasureRun, CliError> {
    let (cs, opts) = measure::settings(&a)?;
    let data = load(&a.data, src, false)?;
    MeasureRun::new(a, data, &cs, opts)
}

/// A latent-variable model (`cipa sem`) on the data of `src`.
/// (With a group column, [`sem_groups`].)
pub fn sem(a: SemArgs, src: Source) -> Result<SemRun, CliError> {
    if a.group.is_some() {
        return Err(CliError::Internal(
            "embed::sem was called with a group column; grouped models go through embed::sem_groups"
                .into(),
        ));
    }
    let plan = SemPlan::new(a)?;
    // `diagram=` writes its file as `cipa sem --diagram` does.
    let diagram = plan.diagram_target()?;
    let data = load(&plan.a.data, src, true)?;
    let run = plan.run(data)?;
    run.write_diagram(diagram)?;
    Ok(run)
}

/// A multi-group latent-variable model (`cipa sem --group VAR`, with --group-equal,
/// --group-partial or --invariance) on the data of `src`.
pub fn sem_groups(a: SemArgs, src: Source) -> Result<GroupRun, CliError> {
    let plan = SemPlan::new(a)?;
    let data = load(&plan.a.data, src, true)?;
    super::sem_groups::fitted(plan, data)
}

/// A power study in one piece; `progress(k)` after every `k` finished replications.
pub fn power(a: PowerRunArgs, progress: &(dyn Fn(usize) + Sync)) -> Result<PowerRun, CliError> {
    let study = super::power::study(&a)?;
    let result = crate::simulate::power::run_shard(&study, 1, 1, a.threads, progress)
        .map_err(crate::Error::from)?;
    let summary = crate::simulate::power::merge(&[result]).map_err(crate::Error::from)?;
    Ok(super::power::run_of(summary, &a))
}

/// Simulated data exactly as `cipa simulate` writes them and a reader reads them back (the CSV
/// text read with default options), and their truth as its JSON document.
pub fn simulate(a: &SimulateArgs) -> Result<(Dataset, serde_json::Value), CliError> {
    let (sim, truth) = super::simulate::make(a)?;
    let name = a
        .out
        .as_ref()
        .map_or("simulated".to_string(), |p| p.display().to_string());
    let data = crate::data::read_csv_str(&name, &sim.to_csv(), b',', &ReadOptions::default())?;
    let truth = serde_json::to_value(&truth).map_err(|e| CliError::Internal(e.to_string()))?;
    Ok((data, truth))
}

/// The data as CSV text in one canonical form (header, then cells as a reader reads them back:
/// shortest round-trip numbers, empty for missing), for hashing data held in memory.
pub fn canonical_csv(data: &Dataset) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(data.names());
    for row in 0..data.n_rows() {
        let rec: Vec<String> = data
            .variables()
            .iter()
            .map(|v| match &v.data {
                Column::Numeric(x) if !x[row].is_nan() => format!("{:?}", x[row]),
                c => c.display(row),
            })
            .collect();
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_say_how_values_are_given() {
        let f = flags("fit").unwrap();
        let kind = |l: &str| f.iter().find(|x| x.long == l).map(|x| x.kind);
        assert_eq!(kind("jn"), Some(FlagKind::Switch));
        assert_eq!(kind("boot"), Some(FlagKind::Value));
        assert_eq!(kind("m"), Some(FlagKind::List(Some(','))));
        assert_eq!(kind("save-boot"), Some(FlagKind::OptionalValue));
        assert_eq!(kind("construct"), Some(FlagKind::List(None)));
        assert_eq!(kind("data"), Some(FlagKind::Value));
        assert!(kind("help").is_none());
        assert!(flags("read").unwrap().iter().any(|x| x.long == "missing"));
        assert!(flags("nope").is_none());
    }

    #[test]
    fn a_table_in_memory_is_typed_as_a_file_is() {
        use crate::data::read::{Cell, RawColumn};
        let table = RawTable {
            source: "DataFrame".into(),
            columns: vec![
                RawColumn {
                    name: "x".into(),
                    cells: vec![Cell::Number(1.0), Cell::Number(-99.0), Cell::Missing],
                    ..RawColumn::default()
                },
                RawColumn {
                    name: "g".into(),
                    cells: vec![Cell::Number(2.0), Cell::Number(1.0), Cell::Number(2.0)],
                    ..RawColumn::default()
                },
            ],
            lines: vec![2, 3, 4],
            notes: Vec::new(),
        };
        let a = parse_read(&args(&[
            "cipa",
            "--data",
            "DataFrame",
            "--missing=-99",
            "--categorical",
            "g",
        ]))
        .unwrap();
        let levels = vec![("g".to_string(), vec!["2".to_string(), "1".to_string()])];
        let d = load(&a, Source::Table { table, levels }, true).unwrap();
        let x = d.numeric("x").unwrap();
        assert_eq!(x[0], 1.0);
        assert!(x[1].is_nan() && x[2].is_nan());
        match &d.var("g").unwrap().data {
            Column::Categorical { codes, levels } => {
                assert_eq!(levels, &["2", "1"]);
                assert_eq!(codes, &[Some(0), Some(1), Some(0)]);
            }
            c => panic!("g is not categorical: {c:?}"),
        }
    }

    #[test]
    fn clap_errors_become_one_line_usage_errors() {
        let e = parse(&args(&["cipa", "fit", "--data", "d.csv", "--boot", "many"]))
            .err()
            .unwrap();
        let text = e.to_string();
        assert!(text.contains("--boot"), "{text}");
        assert!(!text.contains("Usage:"), "{text}");
    }
}
