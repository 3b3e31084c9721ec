//! APA-7 style tables for papers: means, SDs and correlations; a regression table (one column block per equation: b, SE, t or
//! z, p and the confidence interval) and, for conditional process models, Hayes' two tables (the
//! model coefficients with each mediator and Y as a column block, then the direct, indirect and
//! conditional effects with bootstrap intervals and the indices of moderated mediation).
//!
//! Numbers follow APA conventions: p as `.034` or `< .001`, no leading zero for quantities that
//! cannot exceed 1 (p, R²), a true minus sign in typeset output. Statistical symbols are italic,
//! so every piece of text is [`Rich`] text that each renderer (Markdown, LaTeX, HTML) marks up in
//! its own way; CSV keeps numbers at full precision.

mod build;
mod curvilinear;
mod descriptives;
mod render;
mod sem;

pub use build::{apa_process, apa_regression, ApaOptions};
pub use curvilinear::apa_quadratic;
pub use descriptives::apa_descriptives;
pub use render::{
    apa_csv, apa_html, apa_latex, apa_markdown, apa_table_html, apa_table_latex, apa_table_markdown,
};
pub use sem::{apa_sem, fit_line as sem_fit_line};

/// A piece of text with italics, subscripts and superscripts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rich(pub Vec<Frag>);

/// One run of [`Rich`] text.
#[derive(Debug, Clone, PartialEq)]
pub enum Frag {
    Plain(String),
    Italic(String),
    Sub(String),
    Sup(String),
}

impl Rich {
    /// Plain text, taken literally (variable names may hold any character).
    pub fn plain(s: impl Into<String>) -> Rich {
        Rich(vec![Frag::Plain(s.into())])
    }

    /// Text in a small markup for fixed labels: `*italic*`, `_{sub}`, `^{sup}`.
    pub fn markup(s: &str) -> Rich {
        let mut out = Vec::new();
        let mut plain = String::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let (frag, len) = if c == '*' {
                match rest[1..].find('*') {
                    Some(end) => (Some(Frag::Italic(rest[1..1 + end].to_string())), end + 2),
                    None => (None, 1),
                }
            } else if (c == '_' || c == '^') && rest[1..].starts_with('{') {
                match rest.find('}') {
                    Some(end) => {
                        let inner = rest[2..end].to_string();
                        (
                            Some(if c == '_' {
                                Frag::Sub(inner)
                            } else {
                                Frag::Sup(inner)
                            }),
                            end + 1,
                        )
                    }
                    None => (None, 1),
                }
            } else {
                (None, c.len_utf8())
            };
            match frag {
                Some(f) => {
                    if !plain.is_empty() {
                        out.push(Frag::Plain(std::mem::take(&mut plain)));
                    }
                    out.push(f);
                }
                None => plain.push_str(&rest[..len]),
            }
            rest = &rest[len..];
        }
        if !plain.is_empty() {
            out.push(Frag::Plain(plain));
        }
        Rich(out)
    }

    /// This text followed by `other`.
    pub fn then(mut self, other: Rich) -> Rich {
        self.0.extend(other.0);
        self
    }

    /// The text without markup (`R^{2}` as `R²`), for CSV and plain text.
    pub fn to_plain(&self) -> String {
        self.0
            .iter()
            .map(|f| match f {
                Frag::Plain(s) | Frag::Italic(s) | Frag::Sub(s) => s.clone(),
                Frag::Sup(s) if s == "2" => "²".to_string(),
                Frag::Sup(s) => format!("^{s}"),
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|f| match f {
            Frag::Plain(s) | Frag::Italic(s) | Frag::Sub(s) | Frag::Sup(s) => s.is_empty(),
        })
    }
}

/// How a number is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumStyle {
    /// Fixed decimals (coefficients, SEs, test statistics, interval bounds).
    Fixed(usize),
    /// Fixed decimals without the leading zero (R² and other quantities bounded by 1).
    Bounded(usize),
    /// A p-value: three decimals without the leading zero, `< .001` below .001.
    P,
}

/// A body cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number, optionally with significance stars after it.
    Num {
        value: f64,
        style: NumStyle,
        stars: &'static str,
    },
    Text(Rich),
    /// Text spanning this many columns (model summaries under a column block).
    Span(Rich, usize),
    Empty,
}

impl Cell {
    pub fn num(value: f64, style: NumStyle) -> Cell {
        Cell::Num {
            value,
            style,
            stars: "",
        }
    }

    fn width(&self) -> usize {
        match self {
            Cell::Span(_, w) => *w,
            _ => 1,
        }
    }
}

/// A heading over `width` data columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub label: Rich,
    pub width: usize,
}

/// A body row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: Rich,
    /// Indented under the row before (a conditional effect under its path).
    pub indent: bool,
    pub cells: Vec<Cell>,
}

/// Rows under an optional italic panel heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub heading: Option<Rich>,
    pub rows: Vec<Row>,
}

/// An APA table: number and title above, rules at top, under the column headings and at the
/// bottom, notes below (the general note first, then the probability note).
#[derive(Debug, Clone, PartialEq)]
pub struct ApaTable {
    pub number: usize,
    pub title: String,
    /// A short name for files (`regression`, `coefficients`, `effects`).
    pub slug: String,
    /// Heading of the row-label column, on the last heading row.
    pub stub: Rich,
    /// Heading rows over the data columns, top to bottom; the last row names every column
    /// (each heading of width 1).
    pub headings: Vec<Vec<Heading>>,
    pub panels: Vec<Panel>,
    pub notes: Vec<Rich>,
}

impl ApaTable {
    /// The number of data columns (not counting the row labels).
    pub fn ncol(&self) -> usize {
        self.headings
            .last()
            .map_or(0, |r| r.iter().map(|h| h.width).sum())
    }
}

/// A number as an APA table prints it (`-` as the minus sign; renderers typeset it).
pub fn format_num(value: f64, style: NumStyle) -> String {
    if !value.is_finite() {
        return "NA".into();
    }
    let fixed = |d: usize| {
        let s = format!("{value:.d$}");
        // -0.00 reads as a sign error
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    };
    let drop_zero = |s: String| {
        if let Some(r) = s.strip_prefix("0.") {
            format!(".{r}")
        } else if let Some(r) = s.strip_prefix("-0.") {
            format!("-.{r}")
        } else {
            s
        }
    };
    match style {
        NumStyle::Fixed(d) => fixed(d),
        NumStyle::Bounded(d) => drop_zero(fixed(d)),
        NumStyle::P => {
            if value < 0.001 {
                "< .001".into()
            } else if value > 0.999 {
                "> .999".into()
            } else {
                drop_zero(format!("{value:.3}"))
            }
        }
    }
}

/// Significance stars for a p-value (`*` < .05, `**` < .01, `***` < .001).
pub fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apa_numbers() {
        assert_eq!(format_num(0.0004, NumStyle::P), "< .001");
        assert_eq!(format_num(0.0344, NumStyle::P), ".034");
        assert_eq!(format_num(0.9996, NumStyle::P), "> .999");
        assert_eq!(format_num(0.256, NumStyle::Bounded(2)), ".26");
        assert_eq!(format_num(-0.256, NumStyle::Bounded(2)), "-.26");
        assert_eq!(format_num(-0.001, NumStyle::Fixed(2)), "0.00");
        assert_eq!(format_num(12.345, NumStyle::Fixed(2)), "12.35");
        assert_eq!(format_num(f64::NAN, NumStyle::Fixed(2)), "NA");
        assert_eq!(stars(0.0004), "***");
        assert_eq!(stars(0.2), "");
    }

    #[test]
    fn markup_parses_italics_and_scripts() {
        let r = Rich::markup("*R*^{2} = .25, *a*_{1}*");
        assert_eq!(
            r.0,
            vec![
                Frag::Italic("R".into()),
                Frag::Sup("2".into()),
                Frag::Plain(" = .25, ".into()),
                Frag::Italic("a".into()),
                Frag::Sub("1".into()),
                Frag::Plain("*".into()),
            ]
        );
        assert_eq!(r.to_plain(), "R² = .25, a1*");
        assert_eq!(Rich::plain("x_{1}*").to_plain(), "x_{1}*");
    }
}
