//! Command lines: mostly from the grammar of each command (`cli_grammar`); the rest a random
//! subcommand, then flags of that command (and a few of others) with values drawn from a
//! vocabulary of plausible, boundary and malformed values. Every line gets
//! bounds on its work (no bootstrap unless asked for with a small B, two power replications) and
//! an --out inside the case's folder, so a case takes milliseconds to seconds and writes nothing
//! elsewhere; the `{OUT}` placeholder becomes that folder when the case runs, `{ROOT}` the crate.

use proptest::prelude::*;

/// A flag and whether it takes a value.
type Flag = (&'static str, bool);

const DATA: [Flag; 12] = [
    ("--data", true),
    ("--missing", true),
    ("--categorical", true),
    ("--numeric", true),
    ("--delimiter", true),
    ("--decimal", true),
    ("--sheet", true),
    ("--construct", true),
    ("--constructs", true),
    ("--scale", true),
    ("--score", true),
    ("--size-class", true),
];

const OUTPUT: [Flag; 6] = [
    ("--format", true),
    ("--out", true),
    ("--decimals", true),
    ("--apa", false),
    ("--apa-decimals", true),
    ("--stars", false),
];

const MODEL: [Flag; 8] = [
    ("--model", true),
    ("--spec", true),
    ("--x", true),
    ("--y", true),
    ("--m", true),
    ("--w", true),
    ("--z", true),
    ("--cov", true),
];

const REGRESS: [Flag; 14] = [
    ("--y", true),
    ("--x", true),
    ("--hc", true),
    ("--cluster", true),
    ("--logistic", false),
    ("--event", true),
    ("--vif", false),
    ("--conf", true),
    ("--coding", true),
    ("--ref", true),
    ("--log", true),
    ("--center", true),
    ("--standardize", true),
    ("--test", true),
];

const FIT: [Flag; 29] = [
    ("--cov-m", true),
    ("--cov-y", true),
    ("--boot", true),
    ("--seed", true),
    ("--ci", true),
    ("--preset", true),
    ("--hc", true),
    ("--conf", true),
    ("--probe", true),
    ("--wvals", true),
    ("--zvals", true),
    ("--coding", true),
    ("--contrast", false),
    ("--total", false),
    ("--normal", false),
    ("--center", true),
    ("--effsize", false),
    ("--jn", false),
    ("--logistic", false),
    ("--linear-y", false),
    ("--event", true),
    ("--intprobe", true),
    ("--mc", true),
    ("--save-boot", true),
    ("--labels", true),
    ("--greyscale", false),
    ("--diagram-coef", true),
    ("--threads", true),
    ("--probe", true),
];

const DESCRIBE: [Flag; 2] = [("--vars", true), ("--pairwise", false)];

const MEASURE: [Flag; 9] = [
    ("--cr", true),
    ("--marker", true),
    ("--vif-outcome", true),
    ("--boot", true),
    ("--seed", true),
    ("--conf", true),
    ("--diag-ave", false),
    ("--threads", true),
    ("--construct", true),
];

const DIAGRAM: [Flag; 5] = [
    ("--kind", true),
    ("--format", true),
    ("--labels", true),
    ("--greyscale", false),
    ("--dpi", true),
];

const SIMULATE: [Flag; 7] = [
    ("--design", true),
    ("--n", true),
    ("--seed", true),
    ("--exact", false),
    ("--out", true),
    ("--truth", true),
    ("--population-n", true),
];

const DISTANCE: [Flag; 13] = [
    ("--scores", true),
    ("--locations", true),
    ("--from", true),
    ("--to", true),
    ("--dims", true),
    ("--variance-from", true),
    ("--data", true),
    ("--home", true),
    ("--host", true),
    ("--coords", true),
    ("--name", true),
    ("--format", true),
    ("--out", true),
];

const POWER: [Flag; 15] = [
    ("--design", true),
    ("--exact", false),
    ("--effects", true),
    ("--n", true),
    ("--reps", true),
    ("--boot", true),
    ("--seed", true),
    ("--ci", true),
    ("--conf", true),
    ("--threads", true),
    ("--shard", true),
    ("--plot", true),
    ("--plan", false),
    ("--pilot-reps", true),
    ("--slurm", true),
];

const EXAMPLE: [Flag; 3] = [("--boot", true), ("--seed", true), ("--threads", true)];

/// The flags of a subcommand.
pub(super) fn flags(cmd: &str) -> Vec<Flag> {
    let mut v: Vec<Flag> = Vec::new();
    match cmd {
        "regress" => v.extend(DATA.iter().chain(&OUTPUT).chain(&REGRESS)),
        "fit" => v.extend(DATA.iter().chain(&OUTPUT).chain(&MODEL).chain(&FIT)),
        "describe" => v.extend(DATA.iter().chain(&OUTPUT).chain(&DESCRIBE)),
        "measure" => v.extend(DATA.iter().chain(&OUTPUT).chain(&MEASURE)),
        "diagram" => v.extend(MODEL.iter().chain(&DIAGRAM).chain(&[("--out", true)])),
        "simulate" => v.extend(SIMULATE),
        "distance" => v.extend(DISTANCE),
        "power" => v.extend(POWER.iter().chain(&MODEL).chain(&OUTPUT)),
        _ => v.extend(EXAMPLE.iter().chain(&[("--out", true)])),
    }
    v
}

const COMMANDS: [&str; 9] = [
    "fit", "fit", "regress", "describe", "measure", "diagram", "simulate", "distance", "power",
];

/// Values for any flag: numbers at and beyond every limit, proportions where percentages go,
/// non-finite and malformed numbers, names of real and missing columns, lists, paths.
const VALUES: [&str; 80] = [
    "0",
    "1",
    "2",
    "3",
    "4",
    "7",
    "14",
    "50",
    "58",
    "74",
    "92",
    "93",
    "-1",
    "0.5",
    "0.95",
    "95",
    "99",
    "100",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-inf",
    "",
    " ",
    "abc",
    "é",
    "💥",
    "1000001",
    "99999999999999999999",
    "-99",
    "999",
    "1,2",
    "1,NaN",
    "-1,0,1",
    "1;2",
    "tab",
    ",",
    ".",
    ";",
    "x",
    "m",
    "y",
    "w",
    "z",
    "x,m",
    "x:w",
    "network_ties",
    "collab",
    "export_intensity",
    "intl_experience",
    "psychic_distance",
    "family_owned",
    "region",
    "size_class",
    "exporter",
    "employees",
    "log_employees",
    "ties_1,ties_2,ties_3",
    "k=ties_1,ties_2,-ties_3",
    "k=ties_1,ties_2",
    "1,7",
    "7,1",
    "hc3",
    "hc9",
    "percentile",
    "bca",
    "meansd",
    "all",
    "indirect",
    "imm",
    "coef:collab",
    "1/2",
    "3/2",
    "json",
    "png",
    "statistical",
    "a=Label",
    "framework:mediation",
    "yes",
];

/// Paths: data in every format (good and broken), model and design files, outputs in the case
/// folder with good and bad extensions.
fn paths() -> Vec<String> {
    let mut v: Vec<String> = [
        "datasets/sme_example.csv",
        "datasets/sme_survey.csv",
        "tests/fixtures/survey.sav",
        "tests/fixtures/survey.dta",
        "tests/fixtures/types.dta",
        "tests/fixtures/survey.xlsx",
        "tests/fixtures/semicolon_decimal_comma.csv",
        "tests/fixtures/latin1.csv",
        "tests/fixtures/ambiguous_tab.tsv",
        "models/framework/mediation.cipa",
        "models/process_007.cipa",
        "designs/mediation_small.toml",
        "designs/sme_example.toml",
        "README.md",
    ]
    .iter()
    .map(|p| format!("{{ROOT}}/{p}"))
    .collect();
    v.extend(
        [
            "example:sme",
            "example:nope",
            "{OUT}/missing.csv",
            "{OUT}/out.txt",
            "{OUT}/out.json",
            "{OUT}/out.xlsx",
            "{OUT}/res",
            "{OUT}/res/",
            "{OUT}/d.csv",
            "{OUT}/d.svg",
            "{OUT}/d.png",
            "{OUT}",
        ]
        .map(String::from),
    );
    v
}

pub(super) fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(VALUES.to_vec()).prop_map(String::from),
        2 => prop::sample::select(paths()),
        1 => "[ -~]{0,12}",
        1 => any::<u64>().prop_map(|n| n.to_string()),
    ]
}

/// A command line, before its folder is filled in: seven in eight from the grammar of each
/// command (a plausible line with one change), the rest random flags of a random command.
pub fn command_line() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        7 => super::cli_grammar::grammar_line().prop_map(|args| {
            let cmd = args[0].clone();
            bound_work(&cmd, args)
        }),
        1 => random_line(),
    ]
}

/// Campaign 1's generator (commit 1834f31), kept so its command lines can be made again
/// (`CIPA_FUZZ_TARGETS=cli1`): random lines only, and `power` always given `--pilot-reps 1`
/// (where in the line does not matter to clap). The same strategy tree and seed give the same
/// lines, so the cases around its abort can be dumped and run one by one.
pub fn campaign1_line() -> impl Strategy<Value = Vec<String>> {
    random_line().prop_map(|mut args| {
        if args[0] == "power" && !has(&args, "--pilot-reps") {
            args.extend(["--pilot-reps".to_string(), "1".to_string()]);
        }
        args
    })
}

/// Random flags of a random command.
fn random_line() -> impl Strategy<Value = Vec<String>> {
    (
        prop::sample::select(COMMANDS.to_vec()),
        prop::collection::vec((any::<prop::sample::Index>(), value()), 0..10),
        prop::option::of(prop::sample::select(paths())),
    )
        .prop_map(|(cmd, picks, data)| {
            let fl = flags(cmd);
            let mut args = vec![cmd.to_string()];
            // Most lines get real data, so models get fitted rather than refused at once.
            if let Some(d) = data.filter(|_| fl.contains(&("--data", true))) {
                args.extend(["--data".to_string(), d]);
            }
            for (i, v) in picks {
                let (flag, takes) = fl[i.index(fl.len())];
                args.push(flag.to_string());
                if takes {
                    args.push(v);
                }
            }
            bound_work(cmd, args)
        })
}

/// Flags naming a file or folder that cipa writes.
const WRITES: [&str; 4] = ["--out", "--save-boot", "--truth", "--plot"];

fn has(args: &[String], flag: &str) -> bool {
    args.iter().any(|a| a == flag)
}

/// Small work and an output inside the case folder: the default B of fit (5000) and measure
/// (1000), power's default study and simulate's population would make a case take minutes.
fn bound_work(cmd: &str, mut args: Vec<String>) -> Vec<String> {
    let add = |args: &mut Vec<String>, flag: &str, value: &str| {
        if !has(args, flag) {
            args.extend([flag.to_string(), value.to_string()]);
        }
    };
    match cmd {
        "fit" | "measure" | "example" => add(&mut args, "--boot", "0"),
        "power" => {
            add(&mut args, "--reps", "2");
            add(&mut args, "--n", "30");
            add(&mut args, "--boot", "0");
            // A pilot belongs to a plan only (alone it is refused).
            if has(&args, "--plan") {
                add(&mut args, "--pilot-reps", "1");
            }
        }
        "simulate" => add(&mut args, "--population-n", "300"),
        _ => {}
    }
    // Large values of the work flags stay below a second of work (or above the limits).
    for i in 1..args.len() {
        let prev = args[i - 1].clone();
        let prev = prev.as_str();
        let big = args[i].parse::<f64>().is_ok_and(|x| x > 200.0);
        let sized = matches!(
            prev,
            "--boot" | "--mc" | "--reps" | "--n" | "--population-n"
        );
        if sized && big && args[i].parse::<f64>().is_ok_and(|x| x <= 1_000_000.0) {
            args[i] = "50".into();
        }
        if prev == "--slurm" {
            args[i] = "2".into();
        }
        // Whatever a line writes goes into its own folder, never the working directory or the
        // crate (a random value such as "x" or a path under {ROOT}).
        if WRITES.contains(&prev) && !args[i].starts_with("{OUT}") {
            let name = args[i].rsplit('/').next().unwrap_or("").replace("..", "_");
            args[i] = format!("{{OUT}}/w_{name}");
        }
    }
    let out = match cmd {
        "diagram" => "{OUT}/diagram.svg",
        "simulate" => "{OUT}/sim.csv",
        "example" => "{OUT}/example",
        _ => "{OUT}/out.txt",
    };
    add(&mut args, "--out", out);
    args
}

/// The line with its placeholders filled in: `{OUT}` the case's folder, `{ROOT}` the crate's
/// (so a stored line runs on any machine).
pub fn fill(args: &[String], dir: &std::path::Path) -> Vec<String> {
    let d = dir.display().to_string();
    let root = env!("CARGO_MANIFEST_DIR");
    args.iter()
        .map(|a| a.replace("{OUT}", &d).replace("{ROOT}", root))
        .collect()
}

#[test]
fn lines_are_bounded_and_write_in_their_folder() {
    let b = bound_work("fit", vec!["fit".into(), "--mc".into(), "5000".into()]);
    assert_eq!(
        b,
        ["fit", "--mc", "50", "--boot", "0", "--out", "{OUT}/out.txt"]
    );
    let b = bound_work(
        "fit",
        vec!["fit".into(), "--out".into(), "{ROOT}/../x.md".into()],
    );
    assert_eq!(b[2], "{OUT}/w_x.md");
    let b = bound_work(
        "power",
        vec!["power".into(), "--boot".into(), "2000000".into()],
    );
    assert!(b.contains(&"2000000".to_string()) && b.contains(&"--reps".to_string()));
}
