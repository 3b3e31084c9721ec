//! The results page (`index.html` of a results folder): one standalone HTML page with the key
//! numbers, the APA tables and every figure, each under a heading that says exactly what it
//! shows, with links to the folder's other files. Like the other HTML it has no scripts and
//! fetches nothing from elsewhere; figures are the folder's own SVG files.

use super::apa::{apa_table_html, ApaTable};
use super::html::{self, escape, html_table};
use super::Report;

/// A figure on the page: the image shown, what it shows, its caption and all its files (paths
/// relative to the folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFigure {
    pub image: String,
    pub heading: String,
    pub caption: String,
    pub files: Vec<String>,
}

/// The sections of `r` with its key numbers: those about effects when there are any (a
/// mediation or moderation model's effects), else the first.
fn key_sections(r: &Report) -> Vec<&super::Section> {
    let effects: Vec<&super::Section> = r
        .sections
        .iter()
        .filter(|s| s.heading.to_lowercase().contains("effect"))
        .collect();
    if effects.is_empty() {
        r.sections.iter().take(1).collect()
    } else {
        effects
    }
}

/// An `id` for an element from its position (headings may repeat words; ids must not).
fn anchor(prefix: &str, k: usize) -> String {
    format!("{prefix}-{}", k + 1)
}

/// The page for a results folder holding `files` (relative paths), made from its report, its
/// APA tables and its figures.
pub fn index_html(
    report: &Report,
    apa: &[ApaTable],
    figures: &[PageFigure],
    files: &[String],
) -> String {
    let mut out = html::open(&report.title);
    let has = |f: &str| files.iter().any(|p| p == f);
    let links: Vec<String> = [
        ("report.html", "full report"),
        ("apa.html", "APA tables"),
        ("results.json", "results (JSON)"),
        ("figures.json", "figures (JSON)"),
        ("manifest.json", "manifest"),
    ]
    .iter()
    .filter(|(f, _)| has(f) || *f == "figures.json" || *f == "manifest.json")
    .map(|(f, t)| format!("<a href=\"{f}\">{}</a>", escape(t)))
    .collect();
    out += &format!("<p>Files: {}.</p>\n<nav><ul>\n", links.join(" · "));
    out += "<li><a href=\"#key-numbers\">Key numbers</a></li>\n";
    if !apa.is_empty() {
        out += "<li><a href=\"#apa-tables\">APA tables</a></li>\n";
    }
    if !figures.is_empty() {
        out += "<li><a href=\"#figures\">Figures</a><ol>\n";
        for (k, f) in figures.iter().enumerate() {
            out += &format!(
                "<li><a href=\"#{}\">{}</a></li>\n",
                anchor("figure", k),
                escape(&f.heading)
            );
        }
        out += "</ol></li>\n";
    }
    out += "</ul></nav>\n";
    out += &key_numbers(report);
    if !apa.is_empty() {
        out += "<section id=\"apa-tables\">\n<h2>APA tables</h2>\n";
        for t in apa {
            out += &apa_table_html(t);
        }
        out += "</section>\n";
    }
    if !figures.is_empty() {
        out += "<section id=\"figures\">\n<h2>Figures</h2>\n";
        for (k, f) in figures.iter().enumerate() {
            out += &figure(f, &anchor("figure", k));
        }
        out += "</section>\n";
    }
    out += html::CLOSE;
    out
}

fn key_numbers(r: &Report) -> String {
    let mut out = String::from("<section id=\"key-numbers\">\n<h2>Key numbers</h2>\n");
    if !r.header.is_empty() {
        out += "<dl>\n";
        for (k, v) in &r.header {
            out += &format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v));
        }
        out += "</dl>\n";
    }
    for s in key_sections(r) {
        out += &format!("<h3>{}</h3>\n", escape(&s.heading));
        for t in &s.tables {
            out += &html_table(t, r.decimals);
        }
    }
    if !r.warnings.is_empty() {
        out += &format!("<h3>Warnings</h3>\n{}", html::list(&r.warnings));
    }
    out +=
        "<p>Every table of the analysis is in the <a href=\"report.html\">full report</a>.</p>\n";
    out + "</section>\n"
}

fn figure(f: &PageFigure, id: &str) -> String {
    let links: Vec<String> = f
        .files
        .iter()
        .map(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            format!("<a href=\"{}\">{}</a>", escape(p), escape(name))
        })
        .collect();
    let mut out = format!(
        "<figure id=\"{id}\">\n<h3>{}</h3>\n<img src=\"{}\" alt=\"{}\" style=\"max-width:100%;height:auto\">\n",
        escape(&f.heading),
        escape(&f.image),
        escape(&f.heading)
    );
    if !f.caption.is_empty() {
        out += &format!("<figcaption>{}</figcaption>\n", escape(&f.caption));
    }
    out + &format!(
        "<p class=\"note\">Files: {}</p>\n</figure>\n",
        links.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Section, Table, Value};

    #[test]
    fn page_has_key_numbers_and_every_figure_under_its_heading() {
        let r = Report {
            title: "cipa <test>".into(),
            header: vec![("N".into(), "400".into())],
            sections: vec![
                Section {
                    heading: "Model".into(),
                    tables: vec![],
                },
                Section {
                    heading: "Indirect effects".into(),
                    tables: vec![Table {
                        title: "Indirect".into(),
                        columns: vec!["".into(), "Effect".into()],
                        rows: vec![vec![Value::Text("x -> m -> y".into()), Value::Num(0.25)]],
                        notes: vec![],
                    }],
                },
            ],
            warnings: vec![],
            notes: vec![],
            decimals: 3,
        };
        let figs = vec![PageFigure {
            image: "plots/a.svg".into(),
            heading: "Interaction plot: y against x at w = 0; w = 1".into(),
            caption: "Lines & bands".into(),
            files: vec!["plots/a.svg".into(), "plots/a.png".into()],
        }];
        let page = index_html(&r, &[], &figs, &["report.html".into()]);
        assert!(page.contains("<title>cipa &lt;test&gt;</title>"));
        assert!(page.contains("<h3>Indirect effects</h3>") && page.contains("0.250"));
        assert!(
            !page.contains("<h3>Model</h3>"),
            "only the effects are key numbers"
        );
        assert!(page.contains("<h3>Interaction plot: y against x at w = 0; w = 1</h3>"));
        assert!(page.contains("<img src=\"plots/a.svg\""));
        assert!(page.contains("<figcaption>Lines &amp; bands</figcaption>"));
        assert!(page.contains("<a href=\"plots/a.png\">a.png</a>"));
        assert!(!page.contains("<script"));
    }
}
