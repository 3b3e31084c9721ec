//! Renderers of APA tables. LaTeX uses booktabs rules and plain `r` columns: every number in a
//! column has the same decimals, so right alignment is decimal alignment, and p-values keep
//! APA's `.034` and `< .001` (siunitx would add the leading zero back). Stars sit in a zero-width
//! box so starred and plain numbers stay aligned.

use super::{format_num, ApaTable, Cell, Frag, Rich};
use crate::report::render::{csv_field, full_precision};
use crate::report::{html, latex};

/// Cells at their column positions: `(first column, cell)`.
fn placed(cells: &[Cell]) -> Vec<(usize, &Cell)> {
    let mut j = 0;
    cells
        .iter()
        .map(|c| {
            let at = j;
            j += c.width();
            (at, c)
        })
        .collect()
}

/// Columns holding text (path labels) and no numbers; the dashes on a correlation matrix's
/// diagonal do not make a column text.
fn text_columns(t: &ApaTable) -> Vec<bool> {
    let mut text = vec![false; t.ncol()];
    let mut num = vec![false; t.ncol()];
    for p in &t.panels {
        for r in &p.rows {
            for (j, c) in placed(&r.cells) {
                if j < text.len() {
                    text[j] |= matches!(c, Cell::Text(r) if r.to_plain() != "—");
                    num[j] |= matches!(c, Cell::Num { .. });
                }
            }
        }
    }
    text.iter().zip(&num).map(|(&t, &n)| t && !n).collect()
}

fn typeset_num(s: &str, minus: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) => format!("{minus}{rest}"),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------- Markdown

fn md_plain(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '\\' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            _ => out.push(c),
        }
    }
    out
}

fn md_rich(r: &Rich) -> String {
    r.0.iter()
        .map(|f| match f {
            Frag::Plain(s) => md_plain(s),
            Frag::Italic(s) if s.is_empty() => String::new(),
            Frag::Italic(s) => format!("*{}*", md_plain(s)),
            Frag::Sub(s) => format!("<sub>{}</sub>", md_plain(s)),
            Frag::Sup(s) => format!("<sup>{}</sup>", md_plain(s)),
        })
        .collect()
}

fn md_cell(c: &Cell) -> Vec<String> {
    match c {
        Cell::Num {
            value,
            style,
            stars,
        } => vec![format!(
            "{}{}",
            typeset_num(&format_num(*value, *style), "−"),
            md_plain(stars)
        )],
        Cell::Text(r) => vec![md_rich(r)],
        Cell::Span(r, w) => {
            let mut v = vec![md_rich(r)];
            v.resize(*w, String::new());
            v
        }
        Cell::Empty => vec![String::new()],
    }
}

fn md_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn md_heading_row(t: &ApaTable, i: usize) -> Vec<String> {
    let mut row = vec![if i + 1 == t.headings.len() {
        md_rich(&t.stub)
    } else {
        String::new()
    }];
    for h in &t.headings[i] {
        row.push(md_rich(&h.label));
        row.extend(std::iter::repeat_n(
            String::new(),
            h.width.saturating_sub(1),
        ));
    }
    row
}

/// One APA table in Markdown (pipe table): number and title above, notes below. Upper heading
/// rows (a block's outcome, "95% CI") come first, as Markdown has no spanning cells.
pub fn apa_table_markdown(t: &ApaTable) -> String {
    let mut out = format!("**Table {}**\n\n*{}*\n\n", t.number, md_plain(&t.title));
    let n = t.ncol() + 1;
    out += &md_row(&md_heading_row(t, 0));
    out += &format!("|:---|{}\n", "---:|".repeat(n.saturating_sub(1)));
    for i in 1..t.headings.len() {
        out += &md_row(&md_heading_row(t, i));
    }
    for p in &t.panels {
        if let Some(h) = &p.heading {
            let mut row = vec![format!("*{}*", md_plain(&h.to_plain()))];
            row.resize(n, String::new());
            out += &md_row(&row);
        }
        for r in &p.rows {
            let mut row = vec![if r.indent {
                format!("&emsp;{}", md_rich(&r.label))
            } else {
                md_rich(&r.label)
            }];
            row.extend(r.cells.iter().flat_map(md_cell));
            row.resize(n, String::new());
            out += &md_row(&row);
        }
    }
    for note in &t.notes {
        out += &format!("\n{}\n", md_rich(note));
    }
    out
}

/// APA tables as one Markdown document.
pub fn apa_markdown(tables: &[ApaTable]) -> String {
    tables
        .iter()
        .map(apa_table_markdown)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- LaTeX

fn tex_rich(r: &Rich) -> String {
    r.0.iter()
        .map(|f| match f {
            Frag::Plain(s) => latex::escape(s),
            Frag::Italic(s) if s.is_empty() => String::new(),
            Frag::Italic(s) => format!("\\textit{{{}}}", latex::escape(s)),
            Frag::Sub(s) => format!("\\textsubscript{{{}}}", latex::escape(s)),
            Frag::Sup(s) => format!("\\textsuperscript{{{}}}", latex::escape(s)),
        })
        .collect()
}

fn tex_cell(c: &Cell) -> String {
    match c {
        Cell::Num {
            value,
            style,
            stars,
        } => {
            let s = latex::escape(&format_num(*value, *style));
            let s = typeset_num(&s, "\\ensuremath{-}");
            if stars.is_empty() {
                s
            } else {
                format!("{s}\\rlap{{\\textsuperscript{{{stars}}}}}")
            }
        }
        Cell::Text(r) => tex_rich(r),
        Cell::Span(r, w) => format!("\\multicolumn{{{w}}}{{c}}{{{}}}", tex_rich(r)),
        Cell::Empty => String::new(),
    }
}

/// One APA table as a LaTeX `table` float (booktabs).
pub fn apa_table_latex(t: &ApaTable) -> String {
    let n = t.ncol();
    let text = text_columns(t);
    let spec: String = std::iter::once("l")
        .chain(text.iter().map(|&x| if x { "l" } else { "r" }))
        .collect();
    let mut out = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n");
    out += &format!(
        "\\caption{{{}}}\n\\label{{tab:cipa-{}}}\n",
        latex::escape(&t.title),
        t.slug
    );
    out += &format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n");
    let last = t.headings.len().saturating_sub(1);
    for (i, row) in t.headings.iter().enumerate() {
        let mut cells = vec![if i == last {
            tex_rich(&t.stub)
        } else {
            String::new()
        }];
        let mut rules = String::new();
        let mut j = 2; // tabular columns count from 1; the stub is column 1
        for h in row {
            cells.push(format!(
                "\\multicolumn{{{}}}{{c}}{{{}}}",
                h.width,
                tex_rich(&h.label)
            ));
            if i < last && !h.label.is_empty() {
                rules += &format!("\\cmidrule(lr){{{}-{}}}", j, j + h.width - 1);
            }
            j += h.width;
        }
        out += &format!("{} \\\\\n", cells.join(" & "));
        if !rules.is_empty() {
            out += &rules;
            out += "\n";
        }
    }
    out += "\\midrule\n";
    for (k, p) in t.panels.iter().enumerate() {
        if k > 0 {
            out += "\\addlinespace\n";
        }
        if let Some(h) = &p.heading {
            out += &format!(
                "\\multicolumn{{{}}}{{l}}{{\\textit{{{}}}}} \\\\\n",
                n + 1,
                latex::escape(&h.to_plain())
            );
        }
        for r in &p.rows {
            let label = tex_rich(&r.label);
            let mut cells = vec![if r.indent {
                format!("\\quad {label}")
            } else {
                label
            }];
            cells.extend(r.cells.iter().map(tex_cell));
            out += &format!("{} \\\\\n", cells.join(" & "));
        }
    }
    out += "\\bottomrule\n\\end{tabular}\n";
    for note in &t.notes {
        out += &latex::note(&tex_rich(note));
    }
    out += "\\end{table}\n";
    out
}

/// APA tables as a standalone LaTeX document.
pub fn apa_latex(tables: &[ApaTable]) -> String {
    let mut out = latex::preamble("APA tables");
    for t in tables {
        out += "\n";
        out += &apa_table_latex(t);
    }
    out += "\\end{document}\n";
    out
}

// ---------------------------------------------------------------- HTML

fn html_rich(r: &Rich) -> String {
    r.0.iter()
        .map(|f| match f {
            Frag::Plain(s) => html::escape(s),
            Frag::Italic(s) if s.is_empty() => String::new(),
            Frag::Italic(s) => format!("<i>{}</i>", html::escape(s)),
            Frag::Sub(s) => format!("<sub>{}</sub>", html::escape(s)),
            Frag::Sup(s) => format!("<sup>{}</sup>", html::escape(s)),
        })
        .collect()
}

fn html_cell(c: &Cell) -> String {
    match c {
        Cell::Num {
            value,
            style,
            stars,
        } => {
            let s = typeset_num(&html::escape(&format_num(*value, *style)), "−");
            if stars.is_empty() {
                format!("<td class=\"num\">{s}</td>")
            } else {
                format!("<td class=\"num\">{s}<sup>{stars}</sup></td>")
            }
        }
        Cell::Text(r) => format!("<td>{}</td>", html_rich(r)),
        Cell::Span(r, w) => format!("<td colspan=\"{w}\">{}</td>", html_rich(r)),
        Cell::Empty => "<td></td>".into(),
    }
}

/// One APA table as an HTML `table` with its number, title and notes.
pub fn apa_table_html(t: &ApaTable) -> String {
    let n = t.ncol();
    let mut out = format!(
        "<table id=\"table-{}\">\n<caption><b>Table {}</b><br><i>{}</i></caption>\n<thead>\n",
        t.slug,
        t.number,
        html::escape(&t.title)
    );
    let last = t.headings.len().saturating_sub(1);
    for (i, row) in t.headings.iter().enumerate() {
        out += "<tr>";
        out += &format!(
            "<th scope=\"col\">{}</th>",
            if i == last {
                html_rich(&t.stub)
            } else {
                String::new()
            }
        );
        for h in row {
            let class = if i < last && !h.label.is_empty() {
                " class=\"span\""
            } else {
                ""
            };
            if h.width > 1 {
                out += &format!(
                    "<th scope=\"colgroup\" colspan=\"{}\"{class}>{}</th>",
                    h.width,
                    html_rich(&h.label)
                );
            } else {
                out += &format!("<th scope=\"col\"{class}>{}</th>", html_rich(&h.label));
            }
        }
        out += "</tr>\n";
    }
    out += "</thead>\n<tbody>\n";
    for p in &t.panels {
        if let Some(h) = &p.heading {
            out += &format!(
                "<tr class=\"panel\"><th colspan=\"{}\">{}</th></tr>\n",
                n + 1,
                html_rich(h)
            );
        }
        for r in &p.rows {
            out += &format!(
                "<tr><th scope=\"row\"{}>{}</th>",
                if r.indent { " class=\"indent\"" } else { "" },
                html_rich(&r.label)
            );
            for c in &r.cells {
                out += &html_cell(c);
            }
            out += "</tr>\n";
        }
    }
    out += "</tbody>\n</table>\n";
    for note in &t.notes {
        out += &format!("<p class=\"note\">{}</p>\n", html_rich(note));
    }
    out
}

/// APA tables as a standalone HTML document.
pub fn apa_html(tables: &[ApaTable]) -> String {
    let mut out = html::open("APA tables");
    for t in tables {
        out += &apa_table_html(t);
    }
    out += html::CLOSE;
    out
}

// ---------------------------------------------------------------- CSV

/// One APA table as CSV: `panel`, `row`, then one column per data column named by its headings
/// (`export_intensity 95% CI LL`), numbers at full precision (no stars: p is in its column).
pub fn apa_csv(t: &ApaTable) -> String {
    let n = t.ncol();
    let mut names = vec![String::new(); n];
    for row in &t.headings {
        let mut j = 0;
        for h in row {
            let label = h.label.to_plain();
            for name in names.iter_mut().skip(j).take(h.width) {
                if !label.is_empty() {
                    if !name.is_empty() {
                        name.push(' ');
                    }
                    name.push_str(&label);
                }
            }
            j += h.width;
        }
    }
    for (j, name) in names.iter_mut().enumerate() {
        if name.is_empty() {
            *name = format!("column{}", j + 1);
        }
    }
    let mut out = std::iter::once("panel".to_string())
        .chain(std::iter::once("row".to_string()))
        .chain(names.iter().map(|s| csv_field(s)))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for p in &t.panels {
        let panel = p.heading.as_ref().map(Rich::to_plain).unwrap_or_default();
        for r in &p.rows {
            let mut cells = vec![csv_field(&panel), csv_field(&r.label.to_plain())];
            for c in &r.cells {
                match c {
                    Cell::Num { value, .. } if value.is_finite() => {
                        cells.push(full_precision(*value))
                    }
                    Cell::Num { .. } => cells.push("NA".into()),
                    Cell::Text(r) => cells.push(csv_field(&r.to_plain())),
                    Cell::Span(r, w) => {
                        cells.push(csv_field(&r.to_plain()));
                        cells.extend(std::iter::repeat_n(String::new(), w.saturating_sub(1)));
                    }
                    Cell::Empty => cells.push(String::new()),
                }
            }
            cells.resize(n + 2, String::new());
            out += &cells.join(",");
            out.push('\n');
        }
    }
    out
}
