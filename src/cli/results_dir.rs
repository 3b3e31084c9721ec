//! Results folders (`--out DIR`): every output of a run in one folder with a manifest, written
//! atomically. Files are collected in memory, written into a temporary sibling folder, then
//! renamed into place; on any error the temporary folder is removed, so a failed run leaves
//! nothing behind. An existing folder is replaced only if it is a cipa results folder (its
//! manifest.json names a cipa version) or empty.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::report::apa::{apa_csv, apa_html, apa_latex, apa_markdown, ApaTable};
use crate::report::{index_html, render, table_csv, Format, PageFigure, Report};

use super::{usage, CliError};

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// Where the output of a run goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// One report file.
    File(PathBuf),
    /// A results folder.
    Folder(PathBuf),
}

/// `--out` as a file or a folder: a path with a report extension (.txt .md .csv .json .tex
/// .html) is a file, unless it ends in a separator or is an existing folder; a path without an
/// extension (or ending in a separator) is a results folder. Any other extension (`.xlsx`,
/// `.docx`, `.pdf`) is an error rather than a folder of that name.
pub fn destination(out: Option<&Path>) -> Result<Destination, CliError> {
    let Some(p) = out else {
        return Ok(Destination::Stdout);
    };
    let text = p.to_string_lossy();
    let trailing = text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR);
    let ext = p.extension().and_then(|e| e.to_str());
    let report_ext = ext.and_then(Format::from_extension).is_some();
    if trailing || p.is_dir() {
        return Ok(Destination::Folder(p.components().collect()));
    }
    match ext {
        _ if report_ext => Ok(Destination::File(p.to_path_buf())),
        None => Ok(Destination::Folder(p.components().collect())),
        Some(e) => Err(usage(format!(
            "--out '{}' ends in .{e}, which cipa does not write: give a report file ending in \
             .txt, .md, .csv, .json, .tex or .html, or a results folder name without an extension \
             (end it with / for a folder whose name has a dot, e.g. {}/)",
            p.display(),
            p.display()
        ))),
    }
}

/// `--out` resolved and checked before any work: a results folder that may be replaced, or a
/// report file that is none of `inputs` and, if it exists, was written by cipa.
pub fn prepare(out: Option<&Path>, inputs: &[&Path]) -> Result<Destination, CliError> {
    let dest = destination(out)?;
    match &dest {
        Destination::Folder(dir) => check_target(dir, inputs)?,
        Destination::File(p) => super::output::check_file_target(p, inputs)?,
        Destination::Stdout => {}
    }
    Ok(dest)
}

/// What the manifest records about the run besides the files.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub command: &'static str,
    pub data_path: PathBuf,
    /// Rows in the data file.
    pub rows: usize,
    /// Rows the analysis used and dropped (missing values), where one sample applies.
    pub rows_used: Option<usize>,
    pub rows_dropped: Option<usize>,
    /// File lines (header = 1) of the dropped rows.
    pub dropped_lines: Vec<u64>,
    /// Options and the defaults in force, as the JSON output records them.
    pub options: Value,
    pub seed: Option<u64>,
    /// Resamples (bootstrap) or draws (Monte Carlo), and which.
    pub b: Option<usize>,
    pub resampling: Option<&'static str>,
    pub threads_requested: usize,
    pub threads_used: usize,
}

/// The threads a resampling run used: the pool's size for `0` (all cores), else the number asked
/// for; one without resampling or without the `parallel` feature.
pub fn threads_used(requested: usize, resampling: bool) -> usize {
    if !resampling {
        return 1;
    }
    #[cfg(feature = "parallel")]
    {
        if requested == 0 {
            rayon::current_num_threads()
        } else {
            requested
        }
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = requested;
        1
    }
}

/// How the figures of a results folder are drawn (fit's --labels, --greyscale, --diagram-coef).
#[derive(Debug, Clone, Copy)]
pub struct FigureStyle<'a> {
    /// Variable name -> label (the data's variable labels and --labels).
    pub labels: Option<&'a std::collections::BTreeMap<String, String>>,
    pub greyscale: bool,
    /// Confidence intervals instead of stars on the statistical diagram's arrows.
    pub coef_ci: bool,
    /// Captions drawn under the figures (false: --no-captions).
    pub captions: bool,
}

/// A figure of a results folder: what it shows, and its files as `(path under the folder,
/// bytes)`.
pub type FolderFigure = (PageFigure, Vec<(String, Vec<u8>)>);

/// Figures for the results folder: every figure the plot layer draws for the analysis (with
/// observed points from `data`), under plots/, each as SVG, PNG and PDF (diagrams also DOT and
/// TikZ), with what each shows.
pub fn plots(
    a: &crate::analysis::Analysis,
    data: &crate::data::Dataset,
    style: FigureStyle,
) -> Result<Vec<FolderFigure>, CliError> {
    #[cfg(feature = "plot")]
    {
        let mut opts = crate::plot::PlotOptions::default();
        if let Some(map) = style.labels {
            opts.labels = crate::plot::Labels(map.clone());
        }
        opts.theme.greyscale = style.greyscale;
        opts.captions = style.captions;
        if style.coef_ci {
            opts.coef = crate::plot::diagram::CoefStyle::Ci;
        }
        let rendered = crate::plot::render_described(a, Some(data), &opts)
            .map_err(|e| CliError::Internal(format!("drawing the figures failed: {e}")))?;
        Ok(folder_figures(rendered))
    }
    #[cfg(not(feature = "plot"))]
    {
        let _ = (a, data, style);
        Ok(Vec::new())
    }
}

/// A rendering's figures, each with its files under plots/ and what it shows (one place turns
/// the plot layer's artifacts into results-folder figures: `fit`'s plots, `sem`'s diagram and
/// latent-interaction plots).
#[cfg(feature = "plot")]
pub fn folder_figures(rendered: crate::plot::Rendered) -> Vec<FolderFigure> {
    let mut bytes: std::collections::HashMap<String, Vec<u8>> = rendered
        .artifacts
        .into_iter()
        .map(|p| (p.file_name, p.bytes))
        .collect();
    rendered
        .figures
        .into_iter()
        .map(|f| {
            let files: Vec<(String, Vec<u8>)> = f
                .files
                .iter()
                .map(|n| (format!("plots/{n}"), bytes.remove(n).unwrap_or_default()))
                .collect();
            let page = PageFigure {
                image: format!("plots/{}.svg", f.stem),
                heading: f.heading,
                caption: f.caption,
                files: files.iter().map(|(p, _)| p.clone()).collect(),
            };
            (page, files)
        })
        .collect()
}

/// The files of a results folder, collected before anything touches the disk.
#[derive(Debug, Default)]
pub struct ResultsDir {
    files: Vec<(String, Vec<u8>)>,
    /// What the results page (index.html) is made from: the report, the APA tables, the figures.
    report: Option<Report>,
    apa: Vec<ApaTable>,
    figures: Vec<PageFigure>,
}

/// Tells where a written results folder and its results page are (on standard error, with the
/// other messages; standard output stays free for reports).
pub fn announce(n: usize, dir: &Path) {
    eprintln!("cipa: wrote {n} files to {}", dir.display());
    eprintln!(
        "cipa: results page: {} (open it in a browser)",
        dir.join(INDEX).display()
    );
}

/// The results page's file name.
pub const INDEX: &str = "index.html";
/// The file naming what each figure file shows.
pub const FIGURES: &str = "figures.json";

impl ResultsDir {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file at a relative path (`tables/x.csv`).
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((path.into(), bytes.into()));
    }

    /// Adds files made elsewhere (plots), each at its relative path.
    pub fn extend(&mut self, artifacts: Vec<(String, Vec<u8>)>) {
        self.files.extend(artifacts);
    }

    /// Adds a figure's files (each at its relative path) with what it shows, for the results
    /// page and figures.json; the page shows the SVG.
    pub fn add_figure(
        &mut self,
        heading: impl Into<String>,
        caption: impl Into<String>,
        files: Vec<(String, Vec<u8>)>,
    ) {
        let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        let image = paths
            .iter()
            .find(|p| p.ends_with(".svg"))
            .or_else(|| paths.first())
            .cloned()
            .unwrap_or_default();
        self.figures.push(PageFigure {
            image,
            heading: heading.into(),
            caption: caption.into(),
            files: paths,
        });
        self.files.extend(files);
    }

    /// Adds the figures an analysis' plots came with (see [`plots`]).
    pub fn add_figures(&mut self, figures: Vec<FolderFigure>) {
        for (f, files) in figures {
            self.add_figure(f.heading, f.caption, files);
        }
    }

    /// The report in every format, and each of its tables as CSV under `tables/`.
    pub fn add_report(&mut self, report: &Report) {
        self.report = Some(report.clone());
        for f in [
            Format::Text,
            Format::Markdown,
            Format::Latex,
            Format::Html,
            Format::Csv,
        ] {
            self.add(format!("report.{}", f.extension()), render(report, f));
        }
        let mut k = 0;
        for s in &report.sections {
            for t in &s.tables {
                k += 1;
                let name = format!("{}-{}", slug(&s.heading), slug(&t.title));
                self.add(
                    format!("tables/{k:02}-{}.csv", name.trim_matches('-')),
                    table_csv(t, report.decimals),
                );
            }
        }
    }

    /// APA tables in Markdown, LaTeX and HTML, and each as CSV under `tables/`.
    pub fn add_apa(&mut self, tables: &[ApaTable]) {
        if tables.is_empty() {
            return;
        }
        self.apa = tables.to_vec();
        self.add("apa.md", apa_markdown(tables));
        self.add("apa.tex", apa_latex(tables));
        self.add("apa.html", apa_html(tables));
        for t in tables {
            self.add(
                format!("tables/apa-{}-{}.csv", t.number, t.slug),
                apa_csv(t),
            );
        }
    }

    /// Writes the folder atomically with its manifest; returns the number of files written.
    pub fn commit(self, dir: &Path, prov: &Provenance) -> Result<usize, CliError> {
        self.commit_as(dir, prov, None)
    }

    /// As [`ResultsDir::commit`], for a program embedding cipa: the manifest records `caller`'s
    /// command line and, for data held in memory, their hash instead of a file's.
    pub fn commit_as(
        mut self,
        dir: &Path,
        prov: &Provenance,
        caller: Option<&Caller>,
    ) -> Result<usize, CliError> {
        self.add_page()?;
        for (i, (p, _)) in self.files.iter().enumerate() {
            let ok = !p.is_empty()
                && p != MANIFEST
                && Path::new(p)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
            if !ok || self.files[..i].iter().any(|(q, _)| q == p) {
                return Err(CliError::Internal(format!(
                    "results folder file '{p}' is not a new relative path"
                )));
            }
        }
        check_target(dir, &[&prov.data_path])?;
        let manifest = manifest(&self.files, prov, caller)?;
        let out_err = |e: std::io::Error| {
            CliError::Input(crate::Error::Output {
                path: dir.display().to_string(),
                message: e.to_string(),
            })
        };
        let (parent, name) = split(dir)?;
        // Missing parent folders are made now, and removed again if the write fails.
        let mut made: Vec<PathBuf> = Vec::new();
        let mut p = parent.as_path();
        while !p.as_os_str().is_empty() && !p.exists() {
            made.push(p.to_path_buf());
            p = p.parent().unwrap_or(Path::new(""));
        }
        let tmp = parent.join(format!(".{name}.cipa-tmp-{}", std::process::id()));
        super::output::remove_stale_staging(&parent, &name);
        let written = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(&parent)?;
            if tmp.exists() {
                std::fs::remove_dir_all(&tmp)?;
            }
            std::fs::create_dir(&tmp)?;
            for (p, bytes) in &self.files {
                write_file(&tmp.join(p), bytes)?;
            }
            write_file(&tmp.join(MANIFEST), manifest.as_bytes())?;
            replace(&tmp, dir, &parent, &name)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&tmp);
            // Deepest first; remove_dir only removes empty folders.
            for d in &made {
                let _ = std::fs::remove_dir(d);
            }
            return Err(out_err(e));
        }
        Ok(self.files.len() + 1)
    }
}

impl ResultsDir {
    /// Adds index.html (the results page) and figures.json (what each figure file shows).
    fn add_page(&mut self) -> Result<(), CliError> {
        let mut listed = serde_json::Map::new();
        for f in &self.figures {
            for p in &f.files {
                let format = p.rsplit('.').next().unwrap_or_default();
                listed.insert(
                    p.clone(),
                    json!({"figure": f.image.trim_end_matches(".svg"), "format": format, "shows": f.heading, "caption": f.caption}),
                );
            }
        }
        let doc = json!({
            "files": listed,
            "figures": self.figures.iter().map(|f| json!({
                "shows": f.heading,
                "caption": f.caption,
                "image": f.image,
                "files": f.files,
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| CliError::Internal(format!("figures.json: {e}")))?;
        self.add(FIGURES, text + "\n");
        let Some(report) = &self.report else {
            return Ok(());
        };
        let mut paths: Vec<String> = self.files.iter().map(|(p, _)| p.clone()).collect();
        paths.push(MANIFEST.into());
        let page = index_html(report, &self.apa, &self.figures, &paths);
        self.add(INDEX, page);
        Ok(())
    }
}

/// Moves the finished temporary folder to `dir`, replacing an old results folder only once the
/// new one is complete (and putting the old one back if the move fails).
fn replace(tmp: &Path, dir: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !dir.exists() {
        return std::fs::rename(tmp, dir);
    }
    let old = parent.join(format!(".{name}.cipa-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    std::fs::rename(dir, &old)?;
    if let Err(e) = std::fs::rename(tmp, dir) {
        let _ = std::fs::rename(&old, dir);
        return Err(e);
    }
    // The new folder is in place; a leftover old one is only clutter.
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn split(dir: &Path) -> Result<(PathBuf, String), CliError> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            usage(format!(
                "--out '{}' does not name a folder (give a path such as results/model1)",
                dir.display()
            ))
        })?
        .to_string();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Checks, before any work, that `dir` can be written: absent, empty, or an earlier cipa results
/// folder, and holding none of the input files (replacing it would delete them).
pub fn check_target(dir: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    split(dir)?;
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(usage(format!(
            "--out '{}' is an existing file without a report extension; give a new folder name \
             for a results folder, or a file ending in .txt, .md, .csv, .json, .tex or .html",
            dir.display()
        )));
    }
    for data in inputs {
        if let (Ok(d), Ok(f)) = (dir.canonicalize(), data.canonicalize()) {
            if f.starts_with(&d) {
                return Err(usage(format!(
                    "--out '{}' holds the input file '{}'; a results folder is replaced as a \
                     whole, so choose another folder",
                    dir.display(),
                    data.display()
                )));
            }
        }
    }
    let empty = std::fs::read_dir(dir)
        .map(|mut r| r.next().is_none())
        .unwrap_or(false);
    if empty || is_results_folder(dir) {
        return Ok(());
    }
    Err(usage(format!(
        "--out '{}' is an existing folder that is not a cipa results folder (no {MANIFEST} \
         written by cipa); cipa replaces only its own results folders. Choose a new folder \
         name or remove it first",
        dir.display()
    )))
}

fn is_results_folder(dir: &Path) -> bool {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .is_some_and(|v| v.get("cipa_version").is_some_and(Value::is_string))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 and size of a file, read in blocks.
fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    // A shipped example (`example:NAME`) is hashed as embedded, the bytes the analysis read.
    if let Some(name) = path.to_str().and_then(|p| p.strip_prefix("example:")) {
        let text = crate::simulate::example_csv(name)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::NotFound, e.to_string()))?;
        return Ok((sha256(text.as_bytes()), text.len() as u64));
    }
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((hex(&h.finalize()), n))
}

/// A lower-case slug for file names: letters and digits, other runs as `-`, at most 48 chars.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-');
    let mut t: String = t.chars().take(48).collect();
    while t.ends_with('-') {
        t.pop();
    }
    t
}

/// Who wrote a results folder, when a program embedding cipa did (the Python package).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The equivalent `cipa` command line, as the manifest's `command_line`.
    pub command_line: Vec<String>,
    /// For data held in memory: the name shown for them, and the SHA-256 and length of the
    /// canonical CSV text they hash as.
    pub data: Option<(String, String, u64)>,
}

/// SHA-256 (lower-case hex) and length of bytes held in memory.
pub fn sha256_bytes(bytes: &[u8]) -> (String, u64) {
    (sha256(bytes), bytes.len() as u64)
}

fn manifest(
    files: &[(String, Vec<u8>)],
    p: &Provenance,
    caller: Option<&Caller>,
) -> Result<String, CliError> {
    let memory = caller.and_then(|c| c.data.as_ref());
    let (data_sha, data_bytes) = match memory {
        Some((_, sha, bytes)) => (sha.clone(), *bytes),
        None => sha256_file(&p.data_path).map_err(|e| {
            CliError::Input(
                crate::data::DataError::Io {
                    path: p.data_path.display().to_string(),
                    message: e.to_string(),
                }
                .into(),
            )
        })?,
    };
    let (file, name) = match memory {
        Some((name, _, _)) => (None, Some(name.clone())),
        None => (
            Some(p.data_path.display().to_string()),
            p.data_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
        ),
    };
    let command_line = match caller {
        Some(c) => c.command_line.clone(),
        None => std::env::args().collect::<Vec<_>>(),
    };
    let mut listed: Vec<Value> = files
        .iter()
        .map(|(path, b)| json!({"path": path, "bytes": b.len(), "sha256": sha256(b)}))
        .collect();
    listed.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    let doc = json!({
        "cipa_version": crate::VERSION,
        "command": p.command,
        "command_line": command_line,
        "created": humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        "data": {
            "file": file,
            "name": name,
            "sha256": data_sha,
            "bytes": data_bytes,
            "rows": p.rows,
            "rows_used": p.rows_used,
            "rows_dropped": p.rows_dropped,
            "dropped_lines": p.dropped_lines,
        },
        "options": p.options,
        "seed": p.seed,
        "B": p.b,
        "resampling": p.resampling,
        "threads": {"requested": p.threads_requested, "used": p.threads_used},
        "files": listed,
    });
    serde_json::to_string_pretty(&doc)
        .map(|s| s + "\n")
        .map_err(|e| CliError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_by_extension() {
        let d = |s: &str| destination(Some(Path::new(s))).unwrap();
        assert_eq!(d("out.md"), Destination::File("out.md".into()));
        assert_eq!(d("out.TEX"), Destination::File("out.TEX".into()));
        assert_eq!(d("results"), Destination::Folder("results".into()));
        assert_eq!(d("results.v2/"), Destination::Folder("results.v2".into()));
        assert_eq!(d("results.md/"), Destination::Folder("results.md".into()));
        assert_eq!(destination(None).unwrap(), Destination::Stdout);
        for bad in ["results.xlsx", "results.v2", "fig.pdf"] {
            let e = destination(Some(Path::new(bad))).unwrap_err().to_string();
            assert!(e.contains(bad) && e.contains("does not write"), "{e}");
        }
    }

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("Outcome Variable: y"), "outcome-variable-y");
        assert_eq!(
            slug("Test(s) of R-squared change"),
            "test-s-of-r-squared-change"
        );
        assert_eq!(slug("··"), "");
    }

    fn provenance(data: &Path) -> Provenance {
        Provenance {
            command: "test",
            data_path: data.to_path_buf(),
            rows: 1,
            rows_used: None,
            rows_dropped: None,
            dropped_lines: vec![],
            options: json!({}),
            seed: None,
            b: None,
            resampling: None,
            threads_requested: 1,
            threads_used: 1,
        }
    }

    #[test]
    fn a_write_failing_midway_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("d.csv");
        std::fs::write(&data, "x\n1\n").unwrap();
        let dir = tmp.path().join("out");
        let mut files = ResultsDir::new();
        files.add("report.txt", "first file is written");
        files.add("a", "a file");
        // `a` is a file, so `a/b` cannot be created: the write fails after two files.
        files.add("a/b", "fails");
        let err = files.commit(&dir, &provenance(&data));
        assert!(matches!(
            err,
            Err(CliError::Input(crate::Error::Output { .. }))
        ));
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("d.csv")]);
    }

    #[test]
    fn a_failed_write_removes_the_parent_folders_it_made() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("d.csv");
        std::fs::write(&data, "x\n1\n").unwrap();
        let mut files = ResultsDir::new();
        files.add("a", "a file");
        files.add("a/b", "fails");
        let dir = tmp.path().join("new/deeper/out");
        assert!(files.commit(&dir, &provenance(&data)).is_err());
        assert!(!tmp.path().join("new").exists());
    }

    #[test]
    fn rejects_paths_outside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("d.csv");
        std::fs::write(&data, "x\n1\n").unwrap();
        for bad in ["../escape.txt", "/abs.txt", "manifest.json", ""] {
            let mut files = ResultsDir::new();
            files.add(bad, "x");
            let r = files.commit(&tmp.path().join("out"), &provenance(&data));
            assert!(matches!(r, Err(CliError::Internal(_))), "{bad}");
        }
        let mut files = ResultsDir::new();
        files.add("plots/a.svg", "1");
        files.add("plots/a.svg", "2");
        assert!(files
            .commit(&tmp.path().join("out"), &provenance(&data))
            .is_err());
        assert!(!tmp.path().join("out").exists());
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
