//! HTML: a standalone HTML5 document with a little inline CSS (booktabs-like rules, numbers
//! right-aligned in tabular figures), no scripts and nothing fetched from elsewhere, so it opens
//! offline and pastes into a word processor with its table structure.

use super::render::cell;
use super::{Report, Table, Value};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.4}\n\
table{border-collapse:collapse;margin:1rem 0 .3rem}\n\
caption{text-align:left;font-weight:bold;padding-bottom:.3rem}\n\
th,td{padding:.15rem .6rem;vertical-align:top}\n\
thead tr:first-child th{border-top:2px solid #000}\n\
thead tr:last-child th{border-bottom:1px solid #000}\n\
tbody tr:last-child th,tbody tr:last-child td{border-bottom:2px solid #000}\n\
th{font-weight:normal;text-align:left}\n\
thead th{text-align:center}\n\
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n\
th.span{border-bottom:1px solid #000}\n\
.panel th{font-style:italic}\n\
.indent{padding-left:1.6rem}\n\
p.note{font-size:.9em;margin:.2rem 0;max-width:60rem}\n";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\'' => out += "&#39;",
            _ => out.push(c),
        }
    }
    out
}

/// The document head and the opening of the body.
pub(crate) fn open(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"cipa {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n\
         </head>\n<body>\n<h1>{}</h1>\n",
        crate::VERSION,
        escape(title),
        escape(title)
    )
}

pub(crate) const CLOSE: &str = "</body>\n</html>\n";

/// One report table.
pub fn html_table(t: &Table, decimals: usize) -> String {
    let ncol = t.columns.len();
    let numeric = |j: usize| {
        j > 0
            && t.rows.iter().all(|r| {
                matches!(
                    r.get(j),
                    Some(Value::Num(_) | Value::Int(_) | Value::Empty) | None
                )
            })
    };
    let class = |j: usize| if numeric(j) { " class=\"num\"" } else { "" };
    let mut out = format!(
        "<table>\n<caption>{}</caption>\n<thead>\n<tr>",
        escape(&t.title)
    );
    for (j, c) in t.columns.iter().enumerate() {
        out += &format!("<th scope=\"col\"{}>{}</th>", class(j), escape(c));
    }
    out += "</tr>\n</thead>\n<tbody>\n";
    for row in &t.rows {
        out += "<tr>";
        for j in 0..ncol {
            let c = row.get(j).map(|v| cell(v, decimals)).unwrap_or_default();
            if j == 0 {
                out += &format!("<th scope=\"row\">{}</th>", escape(&c));
            } else {
                out += &format!("<td{}>{}</td>", class(j), escape(&c));
            }
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
    for n in &t.notes {
        out += &format!("<p class=\"note\">{}</p>\n", escape(n));
    }
    out
}

pub(crate) fn list(items: &[String]) -> String {
    let mut out = String::from("<ul>\n");
    for i in items {
        out += &format!("<li>{}</li>\n", escape(i));
    }
    out + "</ul>\n"
}

/// The whole report as a standalone HTML document.
pub(crate) fn html(r: &Report) -> String {
    let mut out = open(&r.title);
    if !r.header.is_empty() {
        out += "<dl>\n";
        for (k, v) in &r.header {
            out += &format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v));
        }
        out += "</dl>\n";
    }
    for s in &r.sections {
        out += &format!("<section>\n<h2>{}</h2>\n", escape(&s.heading));
        for t in &s.tables {
            out += &html_table(t, r.decimals);
        }
        out += "</section>\n";
    }
    for (title, items) in [("Warnings", &r.warnings), ("Notes", &r.notes)] {
        if !items.is_empty() {
            out += &format!("<section>\n<h2>{title}</h2>\n{}</section>\n", list(items));
        }
    }
    out += CLOSE;
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<b>"a" & 'b'</b>"#),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
    }
}
