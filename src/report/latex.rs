//! LaTeX output: each table as a `tabular` with booktabs rules (`\usepackage{booktabs}`), its
//! title in bold above it, notes and warnings as paragraphs; the Greek letters and symbols the
//! reports print are written in math mode so pdfLaTeX compiles the output.

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
            // pdfLaTeX has no Unicode math: the symbols the reports use, in math mode.
            'Σ' => out += "$\\Sigma$",
            'λ' => out += "$\\lambda$",
            'α' => out += "$\\alpha$",
            'ω' => out += "$\\omega$",
            '²' => out += "$^2$",
            '±' => out += "$\\pm$",
            '·' => out += "$\\cdot$",
            '×' => out += "$\\times$",
            '≥' => out += "$\\geq$",
            '≤' => out += "$\\leq$",
            '−' | '–' => out.push('-'),
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

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_specials_and_symbols() {
        assert_eq!(escape("a_b & 50%"), "a\\_b \\& 50\\%");
        assert_eq!(escape("(Σλ)²"), "($\\Sigma$$\\lambda$)$^2$");
        assert_eq!(escape("1 − x"), "1 - x");
    }
}
