//! Plausible command lines from a grammar of each command: a command, the flags it needs with
//! values that fit the shipped data (a PROCESS model's roles as its template asks for them,
//! constructs of real items, a real design), some of its optional flags with values it takes,
//! then one thing changed: a value replaced by one from the vocabulary of boundary and malformed
//! values or by another value its flag takes, a flag dropped, a flag of the command added with
//! a random value, or nothing. Random
//! flags alone are refused at once almost always (a missing `--data`, roles that do not fit the
//! model); these lines mostly reach the estimation, and one change away from a valid line is
//! where the checks behind it are tested.

use proptest::prelude::*;

use cipa::spec::template::all_templates;

/// Choices drawn from a stream of random numbers.
struct Picks<'a> {
    r: &'a [u32],
    k: usize,
}

impl Picks<'_> {
    fn next(&mut self) -> usize {
        let v = self.r[self.k % self.r.len()];
        self.k += 1;
        v as usize
    }

    fn one<'s>(&mut self, xs: &[&'s str]) -> &'s str {
        xs[self.next() % xs.len()]
    }

    fn chance(&mut self, per_cent: usize) -> bool {
        self.next() % 100 < per_cent
    }
}

/// An optional flag with the values it takes (`""` for a switch).
type Opt = (&'static str, &'static [&'static str]);

const DATA: &str = "{ROOT}/datasets/sme_example.csv";
const DESIGN: &str = "{ROOT}/designs/mediation_small.toml";

const OUTPUT: &[Opt] = &[
    (
        "--format",
        &["text", "json", "markdown", "csv", "latex", "html"],
    ),
    ("--decimals", &["2", "3", "4"]),
    ("--apa", &[""]),
    ("--apa-decimals", &["2", "3"]),
    ("--missing", &["-99"]),
];

const FIT: &[Opt] = &[
    ("--boot", &["0", "0", "50"]),
    ("--seed", &["1", "2026"]),
    ("--ci", &["percentile", "bc", "bca"]),
    ("--hc", &["hc0", "hc1", "hc2", "hc3", "hc4"]),
    ("--conf", &["90", "95"]),
    ("--probe", &["percentiles", "meansd"]),
    ("--cov", &["exporter", "exporter,employees"]),
    ("--contrast", &[""]),
    ("--total", &[""]),
    ("--normal", &[""]),
    ("--center", &["all", "continuous"]),
    ("--effsize", &[""]),
    ("--jn", &[""]),
    ("--intprobe", &["0.1", "1"]),
    ("--mc", &["50"]),
    ("--diagram-coef", &["stars", "ci"]),
    ("--threads", &["1", "2"]),
    (
        "--labels",
        &["network_ties=Network ties,export_intensity=Export (%)"],
    ),
    ("--greyscale", &[""]),
    ("--modelbt", &[""]),
    ("--no-captions", &[""]),
    ("--preset", &["process4", "pyprocessmacro"]),
];

const REGRESS: &[Opt] = &[
    ("--hc", &["hc0", "hc3", "hc4"]),
    ("--conf", &["90", "99"]),
    ("--vif", &[""]),
    ("--coding", &["indicator", "sequential", "helmert"]),
    ("--log", &["employees"]),
    ("--center", &["network_ties", "network_ties,collab"]),
    ("--standardize", &["collab"]),
    ("--test", &["network_ties", "none"]),
    ("--cluster", &["region"]),
];

const DESCRIBE: &[Opt] = &[
    (
        "--vars",
        &["network_ties,collab,export_intensity", "region,size_class"],
    ),
    ("--pairwise", &[""]),
];

const MEASURE: &[Opt] = &[
    ("--boot", &["0", "50"]),
    ("--seed", &["1", "7"]),
    ("--conf", &["90", "95"]),
    ("--diag-ave", &[""]),
    ("--vif-outcome", &["collab"]),
    ("--threads", &["1", "2"]),
];

const DIAGRAM: &[Opt] = &[
    ("--kind", &["conceptual", "statistical"]),
    ("--format", &["svg", "png", "dot", "tikz"]),
    ("--labels", &["network_ties=Network ties"]),
    ("--greyscale", &[""]),
    ("--dpi", &["72", "150"]),
];

const SIMULATE: &[Opt] = &[("--exact", &[""]), ("--seed", &["1", "99"])];

const POWER: &[Opt] = &[
    ("--ci", &["percentile", "bc"]),
    ("--conf", &["90", "95"]),
    ("--seed", &["1", "5"]),
    ("--threads", &["1", "2"]),
];

/// The commands and how often each is drawn: the fitting commands most.
const COMMANDS: [(&str, usize); 7] = [
    ("fit", 6),
    ("regress", 3),
    ("describe", 1),
    ("measure", 2),
    ("diagram", 2),
    ("simulate", 1),
    ("power", 1),
];

/// What a template asks for: its model number, the fewest and most mediators, W, Z.
type Shape = (u32, usize, usize, bool, bool);

/// A PROCESS model with roles its template takes, as flags: `--model N --x .. --y ..` and the
/// mediators, W and Z it uses, all real columns of the example data.
fn model_roles(p: &mut Picks) -> Vec<String> {
    static TEMPLATES: std::sync::OnceLock<Vec<Shape>> = std::sync::OnceLock::new();
    let all = TEMPLATES.get_or_init(|| {
        all_templates()
            .expect("the shipped templates")
            .iter()
            .map(|t| {
                let (lo, hi) = t.mediators.bounds().unwrap_or((0, 0));
                (t.model, lo, hi, t.uses_role("W"), t.uses_role("Z"))
            })
            .collect()
    });
    let (model, lo, hi, w, z) = all[p.next() % all.len()];
    let mediators = ["intl_experience", "collab", "log_employees", "ties_1"];
    let k = (lo + p.next() % (hi.min(3).max(lo) - lo + 1)).min(mediators.len());
    let mut args: Vec<String> = [
        "--model",
        &model.to_string(),
        "--x",
        "network_ties",
        "--y",
        "export_intensity",
    ]
    .map(String::from)
    .to_vec();
    if k > 0 {
        args.extend(["--m".to_string(), mediators[..k].join(",")]);
    }
    if w {
        let v = p.one(&["psychic_distance", "family_owned", "employees"]);
        args.extend(["--w".to_string(), v.to_string()]);
    }
    if z {
        args.extend(["--z".to_string(), "exporter".to_string()]);
    }
    args
}

/// The flags a command cannot run without; the example data's missing code (`-99`) is
/// declared in most lines, as its users would.
fn required(cmd: &str, p: &mut Picks) -> Vec<String> {
    let mut a = needed(cmd, p);
    if a.iter().any(|f| f == DATA) && p.chance(75) {
        a.extend(["--missing".to_string(), "-99".to_string()]);
    }
    a
}

fn needed(cmd: &str, p: &mut Picks) -> Vec<String> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    match cmd {
        "fit" => {
            let mut a = s(&["--data", DATA]);
            a.extend(model_roles(p));
            // Indirect effects need intervals: a small bootstrap or Monte Carlo.
            if a.iter().any(|f| f == "--m") {
                a.extend(s(&[p.one(&["--boot", "--mc", "--mc"]), "50"]));
            }
            a
        }
        "regress" => {
            let (y, logistic) = if p.chance(25) {
                ("exporter", true)
            } else {
                ("export_intensity", false)
            };
            let x = p.one(&[
                "network_ties",
                "network_ties,collab",
                "network_ties,collab,network_ties:collab",
                "network_ties,region",
                "collab,family_owned,size_class",
                "network_ties,network_ties^2",
            ]);
            let mut a = s(&["--data", DATA, "--y", y, "--x", x]);
            if logistic {
                a.push("--logistic".into());
            }
            a
        }
        "describe" => s(&["--data", DATA]),
        "measure" => s(&[
            "--data",
            DATA,
            "--construct",
            "ties=ties_1,ties_2,ties_3,ties_4",
            "--construct",
            "collab=collab_1,collab_2,collab_3,collab_4",
        ]),
        "diagram" => model_roles(p),
        "simulate" => s(&["--design", DESIGN, "--n", p.one(&["30", "50", "200"])]),
        _ => s(&[
            "--design", DESIGN, "--model", "4", "--x", "x", "--m", "m", "--y", "y", "--boot", "50",
        ]),
    }
}

/// The optional flags a command takes, with their values.
fn optional(cmd: &str) -> Vec<Opt> {
    let own: &[Opt] = match cmd {
        "fit" => FIT,
        "regress" => REGRESS,
        "describe" => DESCRIBE,
        "measure" => MEASURE,
        "diagram" => DIAGRAM,
        "simulate" => SIMULATE,
        _ => POWER,
    };
    let mut v = own.to_vec();
    if matches!(cmd, "fit" | "regress" | "describe" | "measure") {
        v.extend(OUTPUT);
    }
    v
}

/// A valid-looking line: the command, its required flags, and up to three optional ones.
fn plausible(p: &mut Picks) -> (&'static str, Vec<String>) {
    let total: usize = COMMANDS.iter().map(|c| c.1).sum();
    let mut r = p.next() % total;
    let cmd = COMMANDS
        .iter()
        .find(|c| {
            let hit = r < c.1;
            r = r.saturating_sub(c.1);
            hit
        })
        .map_or("fit", |c| c.0);
    let mut args = vec![cmd.to_string()];
    args.extend(required(cmd, p));
    let opts = optional(cmd);
    for _ in 0..p.next() % 4 {
        let (flag, values) = opts[p.next() % opts.len()];
        if args.iter().any(|a| a == flag) {
            continue;
        }
        args.push(flag.to_string());
        let v = p.one(values);
        if !v.is_empty() {
            args.push(v.to_string());
        }
    }
    (cmd, args)
}

/// The one change made to a plausible line.
#[derive(Debug, Clone)]
enum Change {
    /// None: the line as built.
    Keep,
    /// One flag's value (picked by the index among the values) becomes this.
    Value(usize, String),
    /// One flag's value becomes another value the flag takes (for a flag with a list of them).
    Other(usize, usize),
    /// One flag (picked by the index among the flags) is dropped, with its value.
    Drop(usize),
    /// A flag of the command (by index) not yet on the line is added with this value.
    Extra(usize, String),
}

fn change() -> impl Strategy<Value = Change> {
    let index = any::<prop::sample::Index>();
    let pick = |i: prop::sample::Index| i.index(1 << 16);
    prop_oneof![
        4 => Just(Change::Keep),
        3 => (index.clone(), super::cli_args::value()).prop_map(move |(i, v)| Change::Value(pick(i), v)),
        2 => (index.clone(), index.clone()).prop_map(move |(i, j)| Change::Other(pick(i), pick(j))),
        1 => index.clone().prop_map(move |i| Change::Drop(pick(i))),
        2 => (index, super::cli_args::value()).prop_map(move |(i, v)| Change::Extra(pick(i), v)),
    ]
}

/// Whether `args[k]` is a flag's value.
fn is_value(args: &[String], k: usize) -> bool {
    k > 1 && args[k - 1].starts_with("--") && !args[k].starts_with("--")
}

/// Applies `c` to `args` (whose first element is the command).
fn apply(c: &Change, cmd: &str, args: &mut Vec<String>) {
    match c {
        Change::Keep => {}
        Change::Value(i, v) => {
            let values: Vec<usize> = (1..args.len()).filter(|&k| is_value(args, k)).collect();
            if !values.is_empty() {
                args[values[i % values.len()]] = v.clone();
            }
        }
        Change::Other(i, j) => {
            let opts = optional(cmd);
            let values: Vec<(usize, &[&str])> = (1..args.len())
                .filter(|&k| is_value(args, k))
                .filter_map(|k| {
                    let (_, vs) = opts.iter().find(|(f, _)| *f == args[k - 1])?;
                    Some((k, *vs))
                })
                .collect();
            if !values.is_empty() {
                let (k, vs) = values[i % values.len()];
                args[k] = vs[j % vs.len()].to_string();
            }
        }
        Change::Drop(i) => {
            let flags: Vec<usize> = (1..args.len())
                .filter(|&k| args[k].starts_with("--"))
                .collect();
            if !flags.is_empty() {
                let k = flags[i % flags.len()];
                let end = if k + 1 < args.len() && is_value(args, k + 1) {
                    k + 2
                } else {
                    k + 1
                };
                args.drain(k..end);
            }
        }
        Change::Extra(i, v) => {
            let fl = super::cli_args::flags(cmd);
            let (flag, takes) = fl[i % fl.len()];
            if !args.iter().any(|a| a == flag) {
                args.push(flag.to_string());
                if takes {
                    args.push(v.clone());
                }
            }
        }
    }
}

/// A plausible line with one change, before its work is bounded and its folder filled in.
pub fn grammar_line() -> impl Strategy<Value = Vec<String>> {
    (prop::collection::vec(any::<u32>(), 16), change()).prop_map(|(r, c)| {
        let mut p = Picks { r: &r, k: 0 };
        let (cmd, mut args) = plausible(&mut p);
        apply(&c, cmd, &mut args);
        args
    })
}

#[test]
fn unchanged_lines_parse() {
    // Every command's lines as built (no change) are accepted by the argument parser: the
    // grammar names only flags the command has, with values of the right kind.
    use clap::Parser;
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..300u32 {
        let r: Vec<u32> = (0..16u32)
            .map(|k| seed.wrapping_mul(2_654_435_761).rotate_left(k) ^ k.wrapping_mul(40_503))
            .collect();
        let (cmd, args) = plausible(&mut Picks { r: &r, k: 0 });
        seen.insert(cmd);
        let args = super::cli_args::fill(&args, std::path::Path::new("/tmp"));
        let argv = std::iter::once("cipa".to_string()).chain(args.iter().cloned());
        if let Err(e) = cipa::cli::Cli::try_parse_from(argv) {
            panic!("{args:?}: {e}");
        }
    }
    assert_eq!(seen.len(), COMMANDS.len(), "every command drawn: {seen:?}");
}
