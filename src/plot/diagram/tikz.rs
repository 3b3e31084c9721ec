//! TikZ, with cipa's positions (in points, y down), for LaTeX documents.

use std::fmt::Write;

use super::ir::{Diagram, Route, Target};

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

/// Lines for a TikZ node with `align=center`.
fn lines(ls: &[&str]) -> String {
    ls.iter()
        .map(|l| latex(l))
        .collect::<Vec<_>>()
        .join(" \\\\ ")
}

/// A curved arrow (with its label) as a Bézier path.
fn curve(o: &mut String, d: &Diagram, i: usize) {
    let (Some(c), Route::Curve(how)) = (d.curve(i), d.edges[i].route) else {
        return;
    };
    let _ = writeln!(
        o,
        "\\draw[{}] ({:.2},{:.2}) .. controls ({:.2},{:.2}) and ({:.2},{:.2}) .. ({:.2},{:.2});",
        if how.two_headed { "<->" } else { "->" },
        c[0].0,
        c[0].1,
        c[1].0,
        c[1].1,
        c[2].0,
        c[2].1,
        c[3].0,
        c[3].1
    );
    if let (Some(l), Some(r)) = (&d.edges[i].label, d.edges[i].label_rect) {
        let ls: Vec<&str> = l.split('\n').collect();
        let _ = writeln!(
            o,
            "\\node[coef] at ({:.2},{:.2}) {{{}}};",
            r.x,
            r.y,
            lines(&ls)
        );
    }
}

/// The key of path symbols: its rules and its text, where cipa's SVG draws them.
fn key(o: &mut String, d: &Diagram) {
    let Some(k) = &d.key else { return };
    for (a, b) in super::key::rules(k, d.label_pt) {
        let _ = writeln!(
            o,
            "\\draw[line width=0.6pt] ({:.2},{:.2}) -- ({:.2},{:.2});",
            a.0, a.1, b.0, b.1
        );
    }
    for c in super::key::cells(k, d.label_pt) {
        let _ = writeln!(
            o,
            "\\node[anchor={}, inner sep=0pt, font=\\sffamily\\footnotesize] at ({:.2},{:.2}) {{{}}};",
            if c.right { "east" } else { "west" },
            c.x,
            c.y,
            latex(&c.text)
        );
    }
}

/// The diagram as a `tikzpicture` (needs `\usetikzlibrary{arrows.meta}`). Arrows run between
/// the same points as in cipa's SVG, so arrows into a box keep their separate ends.
pub fn to_tikz(d: &Diagram) -> String {
    let mut o = String::new();
    let latent = d.nodes.iter().any(|n| n.is_ellipse());
    let _ = writeln!(
        o,
        "% cipa {:?} diagram; needs \\usetikzlibrary{{arrows.meta{}}}",
        d.kind,
        if latent { ", shapes.geometric" } else { "" }
    );
    let _ = writeln!(
        o,
        "\\begin{{tikzpicture}}[x=1pt, y=-1pt, >={{Stealth[length=5pt]}}, font=\\sffamily\\small,\n  box/.style={{draw, rectangle, align=center, inner sep=2pt}},\n  coef/.style={{fill=white, inner sep=1pt, align=center, font=\\sffamily\\footnotesize}}]"
    );
    for g in &d.groups {
        let r = g.rect;
        let _ = writeln!(
            o,
            "\\draw[gray] ({:.2},{:.2}) rectangle ({:.2},{:.2});",
            r.x - r.w / 2.0,
            r.y - r.h / 2.0,
            r.x + r.w / 2.0,
            r.y + r.h / 2.0
        );
        let _ = writeln!(
            o,
            "\\node[anchor=north west, inner sep=2pt, font=\\sffamily\\footnotesize] at ({:.2},{:.2}) {{{}}};",
            r.x - r.w / 2.0 + 2.0,
            r.y - r.h / 2.0 + 1.0,
            latex(&g.label)
        );
    }
    for (i, n) in d.nodes.iter().enumerate() {
        let ls: Vec<&str> = n.lines.iter().map(String::as_str).collect();
        let _ = writeln!(
            o,
            "\\node[{}, minimum width={:.0}pt, minimum height={:.0}pt] (n{i}) at ({:.2},{:.2}) {{{}}};",
            if n.is_ellipse() {
                "box, ellipse"
            } else {
                "box"
            },
            n.w,
            n.h,
            n.x,
            n.y,
            lines(&ls)
        );
    }
    for (i, e) in d.edges.iter().enumerate() {
        curve(&mut o, d, i);
        let Some((a, b)) = d.segment(i) else { continue };
        let _ = writeln!(
            o,
            "\\draw[->] ({:.2},{:.2}) -- ({:.2},{:.2});",
            a.0, a.1, b.0, b.1
        );
        if let (Target::Node(_), Some(l), Some(r)) = (&e.to, &e.label, e.label_rect) {
            let ls: Vec<&str> = l.split('\n').collect();
            let _ = writeln!(
                o,
                "\\node[coef] at ({:.2},{:.2}) {{{}}};",
                r.x,
                r.y,
                lines(&ls)
            );
        }
    }
    key(&mut o, d);
    if let Some(c) = &d.caption {
        let bottom = d
            .nodes
            .iter()
            .map(|n| n.y + n.h / 2.0)
            .chain(
                d.edges
                    .iter()
                    .filter_map(|e| e.label_rect)
                    .map(|r| r.y + r.h / 2.0),
            )
            .chain(d.groups.iter().map(|g| g.rect.y + g.rect.h / 2.0))
            .chain(d.key.iter().map(|k| k.rect.y + k.rect.h / 2.0))
            .fold(0.0, f64::max);
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
