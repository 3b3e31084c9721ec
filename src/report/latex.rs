//! LaTeX output: each table as a `tabular` with booktabs rules (`\usepackage{booktabs}`), its
//! title as a comment-free caption line, notes and warnings as paragraphs.

use super::{Report, Value};

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out += "\\textbackslash{}",
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out += "\\textasciitilde{}",
            '^' => out += "\\textasciicircum{}",
            _ => out.push(c),
        }
    }
    out
}

/// Renders `r` as LaTeX; `cell` formats a value with the report's decimals.
pub fn latex(r: &Report, cell: fn(&Value, usize) -> String) -> String {
    let mut out = format!("% {}\n", r.title);
    for (k, v) in &r.header {
        out += &format!("% {k}: {v}\n");
    }
    for s in &r.sections {
        out += &format!("\n\\subsection*{{{}}}\n", escape(&s.heading));
        for t in &s.tables {
            let spec: String = (0..t.columns.len())
                .map(|j| if j == 0 { 'l' } else { 'r' })
                .collect();
            out += &format!("\n\\noindent\\textbf{{{}}}\\\\[2pt]\n", escape(&t.title));
            out += &format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n");
            out += &t
                .columns
                .iter()
                .map(|c| escape(c))
                .collect::<Vec<_>>()
                .join(" & ");
            out += " \\\\\n\\midrule\n";
            for row in &t.rows {
                out += &row
                    .iter()
                    .map(|v| escape(&cell(v, r.decimals)))
                    .collect::<Vec<_>>()
                    .join(" & ");
                out += " \\\\\n";
            }
            out += "\\bottomrule\n\\end{tabular}\n";
            for n in &t.notes {
                out += &format!("\n{{\\footnotesize {}}}\n", escape(n));
            }
        }
    }
    for (title, items) in [("Warnings", &r.warnings), ("Notes", &r.notes)] {
        if !items.is_empty() {
            out += &format!("\n\\paragraph{{{title}}}\n\\begin{{itemize}}\n");
            for i in items.iter() {
                out += &format!("  \\item {}\n", escape(i));
            }
            out += "\\end{itemize}\n";
        }
    }
    out
}
