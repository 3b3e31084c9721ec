use std::io::Write;
use std::path::Path;

use crate::report::apa::{apa_csv, apa_html, apa_latex, apa_markdown, ApaTable};
use crate::report::Format;

use super::{usage, CliError};

/// Writes `content` to `path` atomically (a temporary file in the same folder, then a rename), or
/// to standard output when no path is given. A failed run leaves no partial file behind.
pub fn emit(content: &str, path: Option<&Path>) -> Result<(), CliError> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(content.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`cipa ... | head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(CliError::Internal(format!(
                    "cannot write to standard output: {e}"
                ))),
            }
        }
        Some(p) => {
            // Checked again at write time: the file may have appeared while cipa worked.
            check_replace(p)?;
            write_atomic(p, content.as_bytes()).map_err(|e| {
                CliError::Input(crate::Error::Output {
                    path: p.display().to_string(),
                    message: e.to_string(),
                })
            })
        }
    }
}

/// Checks, before any work, that an output file may be written: it is none of the run's input
/// files, and an existing file there is one cipa wrote (see [`written_by_cipa`]).
pub fn check_file_target(out: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    if let Some(input) = inputs.iter().find(|i| same_file(out, i)) {
        return Err(usage(format!(
            "--out '{}' is the input file '{}' of this run; writing there would destroy it. Choose another file name",
            out.display(),
            input.display()
        )));
    }
    check_replace(out)
}

/// An existing file is replaced only if cipa wrote it.
pub fn check_replace(out: &Path) -> Result<(), CliError> {
    if out.is_dir() {
        return Err(usage(format!(
            "'{}' is a folder; give a file name to write one file",
            out.display()
        )));
    }
    if !out.exists() || written_by_cipa(out) {
        return Ok(());
    }
    Err(usage(format!(
        "'{}' exists and was not written by cipa; cipa replaces only its own output files. Choose a new file name, or remove the file first if it is meant to be replaced",
        out.display()
    )))
}

/// Two paths naming the same existing file (links and relative paths resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether a file carries the mark of a cipa output: the first line of a report (text,
/// Markdown, LaTeX, HTML, APA tables), `"cipa_version"` in JSON, the header of a report's or
/// saved draws' CSV, cipa's comment in DOT and TikZ, the producer of an SVG, PNG or PDF figure,
/// or a simulated data set's truth file beside it. A file without one is the user's, and is
/// never replaced.
pub fn written_by_cipa(path: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if f.take(64 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"%PDF") {
        return std::fs::read(path).is_ok_and(|b| contains(&b, b"/Producer (svg2pdf)"));
    }
    if head.starts_with(b"\x89PNG") {
        return contains(&head, b"Software\0cipa");
    }
    let text = String::from_utf8_lossy(&head);
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}');
    // The `cipa : VERSION` line of a report's header (text, or Markdown's `- **cipa**: VERSION`).
    let version_line = |l: &str| {
        let l = l.trim();
        let rest = l
            .strip_prefix("- **cipa**")
            .or_else(|| l.strip_prefix("cipa"))
            .map(str::trim_start);
        rest.and_then(|r| r.strip_prefix(':'))
            .is_some_and(|v| v.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    };
    let report_header = text.lines().take(40).any(version_line);
    first.starts_with("cipa ")
        || first.starts_with("# cipa ")
        || first.starts_with("% Written by cipa")
        || first.starts_with("% cipa ")
        || first.starts_with("// cipa ")
        || first.starts_with("**Table ")
        || first.starts_with("Kogut-Singh cultural distance")
        || first.starts_with("Great-circle distance")
        || first.starts_with("section,table,row")
        || first.starts_with("panel,row,")
        || first.starts_with("<svg ") && text.contains("xmlns=\"http://www.w3.org/2000/svg\"")
        || text.contains("<meta name=\"generator\" content=\"cipa")
        || text.contains("\"cipa_version\"")
        || report_header
        || is_draws_header(first)
        || simulated_with_truth(path)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The header of `--save-boot`'s CSV: every column `kind:path`, kind in snake case.
fn is_draws_header(line: &str) -> bool {
    !line.is_empty()
        && line.split(',').all(|f| {
            let f = f.trim_matches('"');
            f.split_once(':').is_some_and(|(kind, rest)| {
                !kind.is_empty()
                    && !rest.is_empty()
                    && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        })
}

/// A CSV written by `cipa simulate`: its NAME.truth.json beside it is cipa's.
fn simulated_with_truth(path: &Path) -> bool {
    let truth = super::simulate::truth_path(path);
    truth != path
        && std::fs::read(&truth)
            .is_ok_and(|b| contains(&b[..b.len().min(4096)], b"\"cipa_version\""))
}

/// Writes bytes (a PNG or PDF) to `path` atomically, replacing only a file cipa wrote.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    check_replace(path)?;
    write_atomic(path, bytes).map_err(|e| {
        CliError::Input(crate::Error::Output {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    })
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let tmp = dir.join(format!(".{name}.cipa-tmp-{}", std::process::id()));
    remove_stale_staging(&dir, name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// File lines of dropped rows for a report header: the first 20, then how many more.
pub fn line_list(lines: &[u64]) -> String {
    const SHOW: usize = 20;
    let mut s = lines
        .iter()
        .take(SHOW)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // The count in all (not the number left out) is the dropped count the JSON records.
    if lines.len() > SHOW {
        s += &format!(", ... ({} lines in all)", lines.len());
    }
    s
}

/// Removes what a killed run left beside `name` in `dir`: its staging file or folder
/// (`.NAME.cipa-tmp-PID`) and a results folder moved aside for replacement
/// (`.NAME.cipa-old-PID`). One is stale when its process no longer runs (where the system says,
/// through /proc) or it is more than an hour old: staging lasts seconds, so neither can belong to
/// a run still writing. Failures to remove are ignored; the run itself does not depend on it.
pub fn remove_stale_staging(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = staging_pid(&file.to_string_lossy(), name) else {
            continue;
        };
        if pid == std::process::id() || !is_stale(&e.path(), pid) {
            continue;
        }
        let path = e.path();
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}

/// The process id in `.NAME.cipa-tmp-PID` or `.NAME.cipa-old-PID`.
fn staging_pid(file: &str, name: &str) -> Option<u32> {
    let rest = file.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".cipa-tmp-")
        .or_else(|| rest.strip_prefix(".cipa-old-"))?;
    pid.parse().ok()
}

fn is_stale(path: &Path, pid: u32) -> bool {
    let proc_root = Path::new("/proc/self");
    if proc_root.exists() && !Path::new(&format!("/proc/{pid}")).exists() {
        return true;
    }
    const HOUR: std::time::Duration = std::time::Duration::from_secs(3600);
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > HOUR)
}

/// APA tables in the format asked for (text gives Markdown; JSON has no APA form).
pub fn apa_text(tables: &[ApaTable], format: Format) -> Result<String, CliError> {
    Ok(match format {
        Format::Text | Format::Markdown => apa_markdown(tables),
        Format::Latex => apa_latex(tables),
        Format::Html => apa_html(tables),
        Format::Csv => tables.iter().map(apa_csv).collect::<Vec<_>>().join("\n"),
        Format::Json => {
            return Err(usage(
                "--apa prints tables as markdown, latex, html or csv; JSON output is the full results (drop --apa)",
            ))
        }
    })
}

/// A finished run of a command, as its outputs are made from it. [`deliver`] writes whichever
/// the command line asked for, so the commands share one dispatch.
pub trait Deliverable {
    /// The report (text, Markdown, CSV, LaTeX and HTML are renderings of it).
    fn report(&self) -> crate::report::Report;
    /// The JSON document of `--format json`.
    fn json(&self) -> Result<serde_json::Value, CliError>;
    /// The APA tables of `--apa`, for commands that have them.
    fn apa(&self) -> Option<Vec<ApaTable>> {
        None
    }
    /// The files of a results folder and what its manifest records, for commands that write
    /// one.
    fn folder(
        &self,
    ) -> Option<
        Result<
            (
                super::results_dir::ResultsDir,
                super::results_dir::Provenance,
            ),
            CliError,
        >,
    > {
        None
    }
}

/// Where and how a run's output goes, as resolved from the output flags.
pub struct Delivery<'a> {
    pub dest: super::results_dir::Destination,
    pub format: Format,
    pub apa: bool,
    pub out: Option<&'a Path>,
}

impl<'a> Delivery<'a> {
    /// What the shared output flags (`--format`, `--apa`, `--out`) ask for.
    pub fn from_flags(
        dest: super::results_dir::Destination,
        o: &'a super::args::OutputArgs,
    ) -> Self {
        Delivery {
            dest,
            format: o.format(),
            apa: o.apa,
            out: o.out.as_deref(),
        }
    }
}

/// Writes a run's output: a results folder, the APA tables, the JSON document or the rendered
/// report, to the `--out` file or standard output.
pub fn deliver(run: &impl Deliverable, d: Delivery<'_>) -> Result<(), CliError> {
    use super::results_dir::{announce, Destination};
    let text = match d.dest {
        Destination::Folder(dir) => {
            let (files, prov) = run.folder().ok_or_else(|| {
                usage(format!(
                    "'{}' is not a report file name: this command writes one report, so give --out a name ending in .txt, .md, .csv, .json, .tex or .html",
                    dir.display()
                ))
            })??;
            let n = files.commit(&dir, &prov)?;
            announce(n, &dir);
            return Ok(());
        }
        _ if d.apa => {
            let tables = run
                .apa()
                .ok_or_else(|| usage("this command has no APA tables; drop --apa"))?;
            apa_text(&tables, d.format)?
        }
        _ => match d.format {
            Format::Json => super::json_text(&run.json()?)?,
            f => crate::report::render(&run.report(), f),
        },
    };
    emit(&text, d.out)
}
