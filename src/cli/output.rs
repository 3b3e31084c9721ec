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
        Some(p) => write_atomic(p, content.as_bytes()).map_err(|e| {
            CliError::Input(crate::Error::Output {
                path: p.display().to_string(),
                message: e.to_string(),
            })
        }),
    }
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
