use super::{Report, Table, Value};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Csv,
    Json,
    /// A standalone LaTeX document: booktabs rules, siunitx `S` columns aligned on the decimal point.
    Latex,
    /// A standalone HTML5 document with a little inline CSS.
    Html,
}

impl Format {
    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Latex => "tex",
            Format::Html => "html",
        }
    }

    /// The format a file extension names (`txt`, `md`, `csv`, `json`, `tex`, `html`), if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "md" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "tex" => Some(Format::Latex),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "latex" | "tex" => Ok(Format::Latex),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(format!(
                "unknown format '{s}': use text, json, markdown, csv, latex or html"
            )),
        }
    }
}

/// Renders a report as text, Markdown, CSV, LaTeX or HTML. JSON is not rendered from a report (see
/// [`super::json`]); asking for it here renders text.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown(report),
        Format::Csv => csv(report),
        Format::Latex => super::latex::latex(report),
        Format::Html => super::html::html(report),
        Format::Text | Format::Json => text(report),
    }
}

/// A cell as printed, with `decimals` decimals.
pub(crate) fn cell(v: &Value, decimals: usize) -> String {
    match v {
        Value::Num(x) if x.is_nan() => "NA".to_string(),
        Value::Num(x) => {
            let s = format!("{x:.decimals$}");
            // -0.0000 reads as a sign error
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else {
                s
            }
        }
        Value::Int(i) => i.to_string(),
        Value::Text(t) => t.clone(),
        Value::Empty => String::new(),
    }
}

fn text(r: &Report) -> String {
    let rule = "*".repeat(78);
    let mut out = format!("{}\n", r.title);
    let width = r.header.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in &r.header {
        out += &format!("  {k:<width$} : {v}\n");
    }
    for s in &r.sections {
        out += &format!("\n{rule}\n{}\n", s.heading);
        for t in &s.tables {
            out += &format!("\n{}\n", t.title);
            out += &text_table(t, r.decimals);
        }
    }
    if !r.warnings.is_empty() {
        out += &format!("\n{rule}\nWARNINGS\n");
        for w in &r.warnings {
            out += &format!("  - {w}\n");
        }
    }
    if !r.notes.is_empty() {
        out += &format!("\n{rule}\nNOTES\n");
        for n in &r.notes {
            out += &format!("  - {n}\n");
        }
    }
    out
}

fn text_table(t: &Table, decimals: usize) -> String {
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|v| cell(v, decimals)).collect())
        .collect();
    let ncol = t.columns.len();
    let mut w: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
    for row in &cells {
        for (j, c) in row.iter().enumerate().take(ncol) {
            w[j] = w[j].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |vals: &[String]| {
        let mut s = String::new();
        for (j, v) in vals.iter().enumerate().take(ncol) {
            let pad = w[j].saturating_sub(v.chars().count());
            if j == 0 {
                s += &format!("  {v}{}", " ".repeat(pad));
            } else {
                s += &format!("  {}{v}", " ".repeat(pad + 1));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    out += &line(&t.columns);
    for row in &cells {
        out += &line(row);
    }
    for n in &t.notes {
        out += &format!("  {n}\n");
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

fn markdown(r: &Report) -> String {
    let mut out = format!("# {}\n\n", r.title);
    for (k, v) in &r.header {
        out += &format!("- **{}**: {}\n", md_escape(k), md_escape(v));
    }
    for s in &r.sections {
        out += &format!("\n## {}\n", md_escape(&s.heading));
        for t in &s.tables {
            out += &format!("\n**{}**\n\n", md_escape(&t.title));
            out += &format!(
                "| {} |\n",
                t.columns
                    .iter()
                    .map(|c| md_escape(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            out += &format!(
                "|{}\n",
                t.columns
                    .iter()
                    .enumerate()
                    .map(|(j, _)| if j == 0 { ":---|" } else { "---:|" })
                    .collect::<String>()
            );
            for row in &t.rows {
                out += &format!(
                    "| {} |\n",
                    row.iter()
                        .map(|v| md_escape(&cell(v, r.decimals)))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
            }
            for n in &t.notes {
                out += &format!("\n{}\n", md_escape(n));
            }
        }
    }
    for (title, items) in [("Warnings", &r.warnings), ("Notes", &r.notes)] {
        if !items.is_empty() {
            out += &format!("\n## {title}\n\n");
            for i in items.iter() {
                out += &format!("- {}\n", md_escape(i));
            }
        }
    }
    out
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One long CSV: every table row prefixed by its section and table, numbers at full precision so
/// that spreadsheets and scripts get the exact values. A trailing `section,table,note` block
/// carries each table's notes, then the report's warnings and notes (table `Warnings` and
/// `Notes`): a number read without its note (which CR, what the stars mean) can be misread.
fn csv(r: &Report) -> String {
    let mut out = String::new();
    let mut header_done = false;
    for s in &r.sections {
        for t in &s.tables {
            if !header_done {
                out += "section,table,";
                header_done = true;
            } else {
                out += "\nsection,table,";
            }
            out += &csv_header(t);
            out += "\n";
            for row in &t.rows {
                let vals = csv_row(row, r.decimals);
                out += &format!(
                    "{},{},{}\n",
                    csv_field(&s.heading),
                    csv_field(&t.title),
                    vals.join(",")
                );
            }
        }
    }
    let mut notes = Vec::new();
    for s in &r.sections {
        for t in &s.tables {
            notes.extend(
                t.notes
                    .iter()
                    .map(|n| (s.heading.as_str(), t.title.as_str(), n)),
            );
        }
    }
    notes.extend(r.warnings.iter().map(|n| ("", "Warnings", n)));
    notes.extend(r.notes.iter().map(|n| ("", "Notes", n)));
    if !notes.is_empty() {
        if header_done {
            out += "\n";
        }
        out += "section,table,note\n";
        for (section, table, note) in notes {
            out += &format!(
                "{},{},{}\n",
                csv_field(section),
                csv_field(table),
                csv_field(note)
            );
        }
    }
    out
}

/// One table as CSV: a header row (the row-label column named `row` when it has no heading), then
/// the rows with numbers at full precision.
pub fn table_csv(t: &Table, decimals: usize) -> String {
    let mut out = csv_header(t);
    out += "\n";
    for row in &t.rows {
        out += &csv_row(row, decimals).join(",");
        out += "\n";
    }
    out
}

fn csv_header(t: &Table) -> String {
    t.columns
        .iter()
        .enumerate()
        // The row-label column has no heading in print; a CSV column needs a name.
        .map(|(j, c)| {
            if j == 0 && c.is_empty() {
                "row".to_string()
            } else {
                csv_field(c)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn csv_row(row: &[Value], decimals: usize) -> Vec<String> {
    row.iter()
        .map(|v| match v {
            Value::Num(x) if x.is_nan() => "NA".to_string(),
            Value::Num(x) => full_precision(*x),
            other => cell(other, decimals),
        })
        .map(|s| csv_field(&s))
        .collect()
}

/// Shortest text that reads back as exactly `x`, in exponent form when plain digits would be long.
pub(crate) fn full_precision(x: f64) -> String {
    if x != 0.0 && (x.abs() < 1e-4 || x.abs() >= 1e15) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}
