//! LaTeX: a standalone document whose tables are booktabs tables (`\toprule`, `\midrule`,
//! `\bottomrule`, no vertical rules). Numeric columns are siunitx `S` columns sized from their
//! widest number, so numbers line up on the decimal point; text in them is braced, as siunitx
//! requires. Each table is a `table` float that can be copied into a paper on its own.

use super::render::cell;
use super::{Report, Table, Value};

/// The preamble shared by reports and APA tables.
pub(crate) fn preamble(title: &str) -> String {
    format!(
        "% Written by cipa {}. Needs the booktabs and siunitx packages (in every TeX distribution).\n\
         \\documentclass[11pt]{{article}}\n\
         \\usepackage[T1]{{fontenc}}\n\
         \\usepackage[utf8]{{inputenc}}\n\
         \\usepackage[margin=2cm]{{geometry}}\n\
         \\usepackage{{booktabs}}\n\
         \\usepackage{{siunitx}}\n\
         % no digit grouping: 12345.6789 stays as printed\n\
         \\sisetup{{group-minimum-digits = 20}}\n\
         \\title{{{}}}\n\
         \\date{{}}\n\
         \\begin{{document}}\n\
         \\maketitle\n",
        crate::VERSION,
        escape(title)
    )
}

/// Escapes text for LaTeX's text mode: the ten special characters, `<`, `>` and `|` (which T1 and
/// OT1 fonts print differently), and the few non-ASCII symbols cipa's reports use.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out += "\\textbackslash{}",
            '{' => out += "\\{",
            '}' => out += "\\}",
            '$' | '&' | '%' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out += "\\textasciitilde{}",
            '^' => out += "\\textasciicircum{}",
            '<' => out += "\\textless{}",
            '>' => out += "\\textgreater{}",
            '|' => out += "\\textbar{}",
            '²' => out += "\\textsuperscript{2}",
            '·' => out += "\\textperiodcentered{}",
            '±' => out += "\\ensuremath{\\pm}",
            '×' => out += "\\ensuremath{\\times}",
            '−' => out += "\\ensuremath{-}",
            '≤' => out += "\\ensuremath{\\le}",
            '≥' => out += "\\ensuremath{\\ge}",
            '→' => out += "\\ensuremath{\\rightarrow}",
            'χ' => out += "\\ensuremath{\\chi}",
            '′' => out += "\\ensuremath{'}",
            '…' => out += "\\dots{}",
            '¹' => out += "\\textsuperscript{1}",
            '³' => out += "\\textsuperscript{3}",
            '½' => out += "\\ensuremath{\\frac{1}{2}}",
            'α' | 'β' | 'γ' | 'δ' | 'η' | 'θ' | 'λ' | 'μ' | 'π' | 'ρ' | 'σ' | 'τ' | 'ω' | 'Δ'
            | 'Σ' => {
                out += &format!("\\ensuremath{{\\{}}}", greek(c));
            }
            '–' => out += "--",
            '—' => out += "---",
            _ => out.push(c),
        }
    }
    out
}

fn greek(c: char) -> &'static str {
    match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'η' => "eta",
        'θ' => "theta",
        'λ' => "lambda",
        'μ' => "mu",
        'π' => "pi",
        'ρ' => "rho",
        'σ' => "sigma",
        'τ' => "tau",
        'ω' => "omega",
        'Δ' => "Delta",
        _ => "Sigma",
    }
}

/// An siunitx `table-format` for numbers printed as `cells`: the widest integer part, the most
/// decimals and room for a sign. `None` when no cell is a number.
pub(crate) fn s_format<'a>(cells: impl Iterator<Item = &'a str>) -> Option<String> {
    let (mut int, mut dec, mut sign, mut any) = (1usize, 0usize, false, false);
    for c in cells {
        let Some(body) = number_body(c) else { continue };
        any = true;
        sign |= c.starts_with('-');
        let (i, d) = body.split_once('.').unwrap_or((body, ""));
        int = int.max(i.len());
        dec = dec.max(d.len());
    }
    any.then(|| format!("{}{int}.{dec}", if sign { "-" } else { "" }))
}

/// The digits of a plain decimal number (`-12.345` -> `12.345`), or `None` for anything else.
pub(crate) fn number_body(c: &str) -> Option<&str> {
    let body = c.strip_prefix('-').unwrap_or(c);
    let ok = !body.is_empty()
        && body.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
        && body.chars().filter(|&ch| ch == '.').count() <= 1
        && body.chars().next().is_some_and(|ch| ch.is_ascii_digit());
    ok.then_some(body)
}

/// A cell of an `S` column: numbers as they are, anything else braced so siunitx treats it as text.
pub(crate) fn s_cell(c: &str) -> String {
    if c.is_empty() || number_body(c).is_some() {
        c.to_string()
    } else {
        format!("{{{}}}", escape(c))
    }
}

/// One report table as a `table` float.
pub fn latex_table(t: &Table, decimals: usize) -> String {
    let ncol = t.columns.len();
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().take(ncol).map(|v| cell(v, decimals)).collect())
        .collect();
    let numeric: Vec<Option<String>> = (0..ncol)
        .map(|j| {
            let all_numeric = j > 0
                && t.rows.iter().all(|r| {
                    matches!(
                        r.get(j),
                        Some(Value::Num(_) | Value::Int(_) | Value::Empty) | None
                    )
                });
            if all_numeric {
                s_format(cells.iter().filter_map(|r| r.get(j).map(String::as_str)))
            } else {
                None
            }
        })
        .collect();
    let spec: String = numeric
        .iter()
        .enumerate()
        .map(|(j, f)| match f {
            Some(f) => format!("S[table-format={f}]"),
            None if j == 0 => "l".to_string(),
            None => "c".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n");
    out += &format!("\\caption{{{}}}\n", escape(&t.title));
    out += &format!("\\begin{{tabular}}{{{spec}}}\n\\toprule\n");
    let head: Vec<String> = t
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if numeric[j].is_some() {
                format!("{{{}}}", escape(c))
            } else {
                escape(c)
            }
        })
        .collect();
    out += &format!("{} \\\\\n\\midrule\n", head.join(" & "));
    for row in &cells {
        let vals: Vec<String> = (0..ncol)
            .map(|j| {
                let c = row.get(j).map(String::as_str).unwrap_or("");
                if numeric[j].is_some() {
                    s_cell(c)
                } else {
                    escape(c)
                }
            })
            .collect();
        out += &format!("{} \\\\\n", vals.join(" & "));
    }
    out += "\\bottomrule\n\\end{tabular}\n";
    for n in &t.notes {
        out += &note(&escape(n));
    }
    out += "\\end{table}\n";
    out
}

/// A table note: small type, the width of the text, under the tabular.
pub(crate) fn note(tex: &str) -> String {
    format!(
        "\n\\smallskip\n\\begin{{minipage}}{{\\linewidth}}\\footnotesize {tex}\\end{{minipage}}\n"
    )
}

pub(crate) fn itemize(items: &[String]) -> String {
    let mut out = String::from("\\begin{itemize}\n");
    for i in items {
        out += &format!("\\item {}\n", escape(i));
    }
    out + "\\end{itemize}\n"
}

/// The whole report as a standalone LaTeX document.
pub(crate) fn latex(r: &Report) -> String {
    let mut out = preamble(&r.title);
    if !r.header.is_empty() {
        out += "\\begin{description}\n";
        for (k, v) in &r.header {
            out += &format!("\\item[{{{}}}] {}\n", escape(k), escape(v));
        }
        out += "\\end{description}\n";
    }
    for s in &r.sections {
        out += &format!("\n\\section*{{{}}}\n", escape(&s.heading));
        for t in &s.tables {
            out += "\n";
            out += &latex_table(t, r.decimals);
        }
    }
    for (title, items) in [("Warnings", &r.warnings), ("Notes", &r.notes)] {
        if !items.is_empty() {
            out += &format!("\n\\section*{{{title}}}\n");
            out += &itemize(items);
        }
    }
    out += "\\end{document}\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character_once() {
        assert_eq!(
            escape(r"a_b & 50% #1 $x$ {y} ~z^2 \ <p> |"),
            r"a\_b \& 50\% \#1 \$x\$ \{y\} \textasciitilde{}z\textasciicircum{}2 \textbackslash{} \textless{}p\textgreater{} \textbar{}"
        );
        assert_eq!(
            escape("R² · ±"),
            r"R\textsuperscript{2} \textperiodcentered{} \ensuremath{\pm}"
        );
        assert_eq!(escape("Δβ"), r"\ensuremath{\Delta}\ensuremath{\beta}");
    }

    #[test]
    fn table_format_covers_the_widest_number() {
        let cells = ["1.2345", "-12.5000", "", "NA", "100.0000"];
        assert_eq!(s_format(cells.into_iter()).as_deref(), Some("-3.4"));
        assert_eq!(s_format(["12", "7"].into_iter()).as_deref(), Some("2.0"));
        assert_eq!(s_format(["NA", ""].into_iter()), None);
    }

    #[test]
    fn text_in_numeric_columns_is_braced() {
        assert_eq!(s_cell("NA"), "{NA}");
        assert_eq!(s_cell("-0.1234"), "-0.1234");
        assert_eq!(s_cell("< .001"), r"{\textless{} .001}");
    }
}
