//! Graphviz DOT, with every box pinned where cipa's layout put it (`neato -n2` keeps the
//! positions; `dot` re-lays it out), for people who restyle diagrams. An arrow onto an arrow
//! points at a tiny point node on it.

use std::fmt::Write;

use super::ir::{Diagram, Route, Target};

fn quote(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// A curved arrow's spline as Graphviz's `pos` (with y up) and, when two-headed, heads at both
/// ends.
fn curve_attrs(d: &Diagram, i: usize) -> Vec<String> {
    let (Some(c), Route::Curve(how)) = (d.curve(i), d.edges[i].route) else {
        return Vec::new();
    };
    let pt = |p: (f64, f64)| format!("{:.2},{:.2}", p.0, d.height - p.1);
    let spline = c.iter().map(|&p| pt(p)).collect::<Vec<_>>().join(" ");
    let mut out = vec![format!("pos=\"{spline}\"")];
    if how.two_headed {
        out.push("dir=both".into());
    }
    out
}

/// The diagram as a DOT digraph. Positions are in points with y up, as Graphviz expects.
pub fn to_dot(d: &Diagram) -> String {
    let mut o = String::new();
    let h = d.height;
    let _ = writeln!(
        o,
        "// cipa {:?} diagram. Render with: neato -n2 -Tsvg file.dot",
        d.kind
    );
    let _ = writeln!(o, "digraph cipa {{");
    let _ = writeln!(
        o,
        "  graph [splines=line, outputorder=edgesfirst, bb=\"0,0,{:.2},{:.2}\"];",
        d.width, d.height
    );
    let _ = writeln!(
        o,
        "  node [shape=box, fontname=\"DejaVu Sans\", fontsize={}, fixedsize=true];",
        d.font_pt
    );
    let _ = writeln!(
        o,
        "  edge [arrowsize=0.7, fontname=\"DejaVu Sans\", fontsize={:.1}];",
        d.label_pt
    );
    for n in &d.nodes {
        let _ = writeln!(
            o,
            "  {} [label={}, pos=\"{:.2},{:.2}\", width={:.3}, height={:.3}{}];",
            quote(&n.id),
            quote(&n.lines.join("\n")),
            n.x,
            h - n.y,
            n.w / 72.0,
            n.h / 72.0,
            if n.is_ellipse() {
                ", shape=ellipse"
            } else {
                ""
            }
        );
    }
    for (i, e) in d.edges.iter().enumerate() {
        match &e.to {
            Target::Node(to) => {
                let mut attrs = curve_attrs(d, i);
                if let Some(l) = &e.label {
                    attrs.push(format!("label={}", quote(l)));
                    if let Some(r) = e.label_rect {
                        attrs.push(format!("lp=\"{:.2},{:.2}\"", r.x, h - r.y));
                    }
                }
                let attrs = if attrs.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", attrs.join(", "))
                };
                let _ = writeln!(o, "  {} -> {}{};", quote(&e.from), quote(to), attrs);
            }
            Target::Edge(_) => {
                let Some((_, p)) = d.segment(i) else { continue };
                let point = format!("\"_onto{i}\"");
                let _ = writeln!(
                    o,
                    "  {point} [shape=point, width=0.02, label=\"\", pos=\"{:.2},{:.2}\"];",
                    p.0,
                    h - p.1
                );
                let _ = writeln!(o, "  {} -> {point};", quote(&e.from));
            }
        }
    }
    // Graphviz places no table: the key's rows (path symbol, coefficient, SE or interval) go
    // in the graph's label, above the caption.
    let key = d.key.iter().flat_map(super::key::text_lines);
    let label: Vec<String> = key.chain(d.caption.iter().cloned()).collect();
    if !label.is_empty() {
        let _ = writeln!(o, "  label={};\n  labelloc=b;", quote(&label.join("\n")));
    }
    o.push_str("}\n");
    o
}
