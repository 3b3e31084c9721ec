//! TikZ, with cipa's positions (in points, y down), for LaTeX documents.

use std::fmt::Write;

use super::ir::{Diagram, Target};

/// Escapes LaTeX's special characters; `×` becomes `$\times$`.
pub fn latex(s: &str) -> String {
    let mut o = String::new();
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\textbackslash{}"),
            '_' | '%' | '&' | '#' | '$' | '{' | '}' => {
                o.push('\\');
                o.push(ch);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '×' => o.push_str("$\\times$"),
            _ => o.push(ch),
        }
    }
    o
}

/// The diagram as a `tikzpicture` (needs `\usetikzlibrary{arrows.meta}`).
pub fn to_tikz(d: &Diagram) -> String {
    let mut o = String::new();
    let id = |name: &str| {
        d.nodes
            .iter()
            .position(|n| n.id == name)
            .map(|i| format!("n{i}"))
    };
    let _ = writeln!(
        o,
        "% cipa {:?} diagram; needs \\usetikzlibrary{{arrows.meta}}",
        d.kind
    );
    let _ = writeln!(
        o,
        "\\begin{{tikzpicture}}[x=1pt, y=-1pt, >={{Stealth[length=5pt]}}, font=\\sffamily\\small,\n  box/.style={{draw, rectangle, minimum height={:.0}pt, inner sep=2pt}},\n  coef/.style={{fill=white, inner sep=1pt, font=\\sffamily\\footnotesize}}]",
        d.nodes.first().map_or(24.0, |n| n.h)
    );
    for (i, n) in d.nodes.iter().enumerate() {
        let _ = writeln!(
            o,
            "\\node[box, minimum width={:.0}pt] (n{i}) at ({:.2},{:.2}) {{{}}};",
            n.w,
            n.x,
            n.y,
            latex(&n.label)
        );
    }
    for (i, e) in d.edges.iter().enumerate() {
        let Some(from) = id(&e.from) else { continue };
        match &e.to {
            Target::Node(to) => {
                let Some(to) = id(to) else { continue };
                let _ = writeln!(o, "\\draw[->] ({from}) -- ({to});");
                if let (Some(l), Some(r)) = (&e.label, e.label_rect) {
                    let _ = writeln!(
                        o,
                        "\\node[coef] at ({:.2},{:.2}) {{{}}};",
                        r.x,
                        r.y,
                        latex(l)
                    );
                }
            }
            Target::Edge(_) => {
                if let Some((_, p)) = d.segment(i) {
                    let _ = writeln!(o, "\\draw[->] ({from}) -- ({:.2},{:.2});", p.0, p.1);
                }
            }
        }
    }
    if let Some(c) = &d.caption {
        let bottom = d
            .nodes
            .iter()
            .map(|n| n.y + n.h / 2.0)
            .fold(0.0, f64::max)
            .max(
                d.edges
                    .iter()
                    .filter_map(|e| e.label_rect)
                    .map(|r| r.y + r.h / 2.0)
                    .fold(0.0, f64::max),
            );
        let _ = writeln!(
            o,
            "\\node[anchor=north west, text width={:.0}pt, font=\\sffamily\\footnotesize] at (0,{:.2}) {{{}}};",
            d.width,
            bottom + 6.0,
            latex(c)
        );
    }
    o.push_str("\\end{tikzpicture}\n");
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_latex() {
        assert_eq!(
            super::latex("a_b × 50% & {x}"),
            "a\\_b $\\times$ 50\\% \\& \\{x\\}"
        );
    }
}
