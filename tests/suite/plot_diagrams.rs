//! Layout of the path diagrams, checked on the intermediate representation for every PROCESS
//! template (at the smallest and largest number of mediators it takes, with covariates) and for
//! models in cipa's path syntax: boxes never overlap, every arrow joins the right boxes, causal
//! order runs left to right, and moderators point at the paths they moderate.
#![cfg(feature = "plot")]

use std::collections::{BTreeMap, BTreeSet};

use cipa::plot::diagram::{self, Diagram, DiagramKind, Rect, Target};
use cipa::plot::Labels;
use cipa::spec::syntax::{infer_roles_with, parse_syntax};
use cipa::spec::template::all_templates;
use cipa::spec::{ModelSpec, Roles, SpecSource};

use crate::common::process_models::MODERATED_PATHS;

/// The conceptual diagram of every spec of [`specs`], drawn once for the tests that share them.
fn conceptual_diagrams() -> &'static [(String, ModelSpec, Diagram)] {
    static ALL: std::sync::OnceLock<Vec<(String, ModelSpec, Diagram)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        specs()
            .into_iter()
            .map(|(name, spec)| {
                let d = diagram::conceptual(&spec, &Labels::default());
                (name, spec, d)
            })
            .collect()
    })
}

fn specs() -> Vec<(String, ModelSpec)> {
    let mut out = Vec::new();
    for t in all_templates().unwrap() {
        let counts: Vec<usize> = match t.mediators.bounds() {
            Some((lo, hi)) => {
                let mut c = vec![lo, hi];
                c.dedup();
                c
            }
            None => vec![0],
        };
        for k in counts {
            let roles = Roles {
                x: "x".into(),
                y: "y".into(),
                m: (1..=k).map(|i| format!("m{i}")).collect(),
                w: t.uses_role("W").then(|| "w".into()),
                z: t.uses_role("Z").then(|| "z".into()),
                cov: vec!["c1".into(), "c2".into()],
                ..Roles::default()
            };
            let spec = t
                .instantiate(&roles)
                .unwrap_or_else(|e| panic!("model {}: {e}", t.model));
            out.push((format!("model {} with {k} mediators", t.model), spec));
        }
    }
    for (name, text, w) in SYNTAX {
        let p = parse_syntax(name, text).unwrap();
        let (x, y, mediators) = infer_roles_with(&p, Some("x"), None).unwrap();
        out.push((
            name.to_string(),
            ModelSpec {
                source: SpecSource::Syntax,
                x,
                y,
                mediators,
                moderators: w.iter().map(|s| s.to_string()).collect(),
                covariates: vec![],
                equations: p.equations,
                defined: p.defined,
            },
        ));
    }
    out
}

const SYNTAX: &[(&str, &str, &[&str])] = &[
    (
        "syntax: serial with a moderated second stage",
        "m1 ~ a1*x\nm2 ~ x + m1\ny ~ x + m1 + m2 + w + m2:w\n",
        &["w"],
    ),
    (
        "syntax: two antecedents' worth of predictors",
        "m ~ x + age\ny ~ x + m + age + size\n",
        &[],
    ),
    (
        "syntax: first and second stage with different moderators",
        "m ~ x + w + x:w\ny ~ x + m + v + m:v\nind := 1\n",
        &["w", "v"],
    ),
];

fn check_geometry(name: &str, d: &Diagram) {
    let ids: BTreeSet<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), d.nodes.len(), "{name}: duplicate boxes");
    for (i, a) in d.nodes.iter().enumerate() {
        assert!(a.w > 0.0 && a.h > 0.0, "{name}: empty box {}", a.id);
        assert!(
            a.x - a.w / 2.0 >= 0.0
                && a.y - a.h / 2.0 >= 0.0
                && a.x + a.w / 2.0 <= d.width
                && a.y + a.h / 2.0 <= d.height,
            "{name}: box {} outside the drawing",
            a.id
        );
        for b in &d.nodes[i + 1..] {
            assert!(
                !a.rect().overlaps(&b.rect()),
                "{name}: boxes {} and {} overlap",
                a.id,
                b.id
            );
        }
    }
    for (i, e) in d.edges.iter().enumerate() {
        assert!(ids.contains(e.from.as_str()), "{name}: arrow from nowhere");
        match &e.to {
            Target::Node(t) => assert!(ids.contains(t.as_str()), "{name}: arrow to nowhere"),
            Target::Edge(j) => assert!(*j != i, "{name}: arrow {i} onto itself"),
        }
        assert!(d.segment(i).is_some(), "{name}: arrow {i} has no geometry");
    }
}

/// (from, to) of arrows between boxes; (from, (tail, head)) of moderators' arrows, each with
/// the path it moderates: the arrow between boxes it lands on, directly or through the arrows of
/// other moderators (Z onto W's arrow onto X -> Y moderates X -> Y).
type Arrows = (
    BTreeSet<(String, String)>,
    BTreeSet<(String, (String, String))>,
);

fn arrows(d: &Diagram) -> Arrows {
    let mut plain = BTreeSet::new();
    let mut onto = BTreeSet::new();
    for e in &d.edges {
        match &e.to {
            Target::Node(t) => {
                plain.insert((e.from.clone(), t.clone()));
            }
            Target::Edge(j) => {
                let mut target = &d.edges[*j];
                for _ in 0..d.edges.len() {
                    match &target.to {
                        Target::Edge(k) => target = &d.edges[*k],
                        Target::Node(_) => break,
                    }
                }
                let Target::Node(head) = &target.to else {
                    panic!("a cycle of arrows onto arrows")
                };
                onto.insert((e.from.clone(), (target.from.clone(), head.clone())));
            }
        }
    }
    (plain, onto)
}

#[test]
fn conceptual_diagrams_of_every_model() {
    let all = conceptual_diagrams();
    assert!(all.len() > 56 + 40, "every template at two sizes");
    for (name, spec, d) in all {
        assert_eq!(d.kind, DiagramKind::Conceptual);
        check_geometry(name, d);
        // Expected arrows, from the equations: X and mediators point at outcomes they predict;
        // every other factor of a product points onto the path of its focal variable.
        let causal = |v: &str| v == spec.x || spec.mediators.iter().any(|m| m == v);
        let mut plain = BTreeSet::new();
        let mut onto = BTreeSet::new();
        for e in &spec.equations {
            for t in &e.terms {
                let f = &t.factors;
                if f.len() == 1 && causal(&f[0]) {
                    plain.insert((f[0].clone(), e.outcome.clone()));
                }
                if f.len() > 1 {
                    if let Some(focal) = f.iter().find(|v| causal(v)) {
                        for g in f.iter().filter(|g| *g != focal) {
                            onto.insert((g.clone(), (focal.clone(), e.outcome.clone())));
                        }
                    }
                }
            }
        }
        for e in &spec.equations {
            for t in &e.terms {
                let f = &t.factors;
                let covariate = spec.covariates.contains(&f[0]);
                let moderator =
                    spec.moderators.contains(&f[0]) || onto.iter().any(|(g, _)| g == &f[0]);
                if f.len() == 1 && !causal(&f[0]) && !covariate && !moderator {
                    plain.insert((f[0].clone(), e.outcome.clone()));
                }
            }
        }
        let (got_plain, got_onto) = arrows(d);
        assert_eq!(got_plain, plain, "{name}: arrows between boxes");
        assert_eq!(got_onto, onto, "{name}: moderator arrows");
        // Causal order left to right.
        let x_of = |id: &str| {
            d.node(id)
                .unwrap_or_else(|| panic!("{name}: no box {id}"))
                .x
        };
        for (from, to) in &plain {
            if causal(from) {
                assert!(x_of(from) < x_of(to), "{name}: {from} is not left of {to}");
            }
        }
        // Covariates are named in the caption, not drawn.
        for c in &spec.covariates {
            assert!(d.node(c).is_none(), "{name}: covariate {c} drawn");
            assert!(d.caption.as_deref().unwrap_or("").contains(c.as_str()));
        }
    }
}

#[test]
fn statistical_diagrams_of_every_model() {
    for (name, spec) in &specs() {
        let d = diagram::statistical_from_spec(spec, &Labels::default());
        assert_eq!(d.kind, DiagramKind::Statistical);
        check_geometry(name, &d);
        let want: BTreeSet<(String, String)> = spec
            .equations
            .iter()
            .flat_map(|e| e.terms.iter().map(|t| (t.name(), e.outcome.clone())))
            .collect();
        let (plain, onto) = arrows(&d);
        assert!(
            onto.is_empty(),
            "{name}: statistical diagrams have no arrows onto arrows"
        );
        assert_eq!(plain, want, "{name}: one arrow per coefficient");
        assert_eq!(plain.len(), d.edges.len(), "{name}: an arrow drawn twice");
        // Each term box lies left of every outcome it predicts.
        for (from, to) in &plain {
            assert!(
                d.node(from).unwrap().x < d.node(to).unwrap().x,
                "{name}: {from} -> {to} points left"
            );
        }
    }
}

fn spec_of(model: u32, m: &[&str], w: bool, z: bool) -> ModelSpec {
    let t = cipa::spec::template::template(model).unwrap();
    t.instantiate(&Roles {
        x: "x".into(),
        y: "y".into(),
        m: m.iter().map(|s| s.to_string()).collect(),
        w: w.then(|| "w".into()),
        z: z.then(|| "z".into()),
        ..Roles::default()
    })
    .unwrap()
}

fn pair(a: &str, b: &str, c: &str) -> (String, (String, String)) {
    (a.into(), (b.into(), c.into()))
}

#[test]
fn moderated_paths_match_the_model_table() {
    let (_, onto) = arrows(&diagram::conceptual(
        &spec_of(58, &["m"], true, false),
        &Labels::default(),
    ));
    assert_eq!(
        onto,
        [pair("w", "x", "m"), pair("w", "m", "y")]
            .into_iter()
            .collect()
    );
    let (_, onto) = arrows(&diagram::conceptual(
        &spec_of(74, &["m"], false, false),
        &Labels::default(),
    ));
    assert_eq!(
        onto,
        [pair("x", "m", "y")].into_iter().collect(),
        "model 74: X moderates M -> Y"
    );
    let (_, onto) = arrows(&diagram::conceptual(
        &spec_of(3, &[], true, true),
        &Labels::default(),
    ));
    assert_eq!(
        onto,
        [pair("w", "x", "y"), pair("z", "x", "y")]
            .into_iter()
            .collect()
    );
    let d = diagram::conceptual(&spec_of(21, &["m"], true, true), &Labels::default());
    assert_eq!(
        arrows(&d).1,
        [pair("w", "x", "m"), pair("z", "m", "y")]
            .into_iter()
            .collect()
    );
}

#[test]
fn parallel_mediators_stack_and_serial_ones_follow_each_other() {
    let d = diagram::conceptual(
        &spec_of(4, &["m1", "m2", "m3"], false, false),
        &Labels::default(),
    );
    let (m1, m2, m3) = (
        d.node("m1").unwrap(),
        d.node("m2").unwrap(),
        d.node("m3").unwrap(),
    );
    assert!(
        m1.x == m2.x && m2.x == m3.x,
        "parallel mediators share a column"
    );
    assert!(m1.y > m2.y && m2.y > m3.y, "stacked upwards in order");
    assert!(m1.y < d.node("x").unwrap().y, "above the X -> Y line");
    let d = diagram::conceptual(
        &spec_of(6, &["m1", "m2", "m3", "m4"], false, false),
        &Labels::default(),
    );
    let xs: Vec<f64> = ["x", "m1", "m2", "m3", "m4", "y"]
        .iter()
        .map(|v| d.node(v).unwrap().x)
        .collect();
    assert!(
        xs.windows(2).all(|w| w[0] < w[1]),
        "serial mediators in sequence: {xs:?}"
    );
    // Moderators above or below everything else.
    let d = diagram::conceptual(&spec_of(2, &[], true, true), &Labels::default());
    let (w, z, x) = (
        d.node("w").unwrap(),
        d.node("z").unwrap(),
        d.node("x").unwrap(),
    );
    assert!(w.y < x.y && z.y > x.y, "W above, Z below");
}

#[test]
fn labels_replace_names() {
    let labels = cipa::plot::parse_labels("x=Network ties,w=Distance").unwrap();
    let d = diagram::statistical_from_spec(&spec_of(7, &["m"], true, false), &labels);
    assert_eq!(d.node("x").unwrap().label, "Network ties");
    assert_eq!(d.node("x:w").unwrap().label, "Network ties × Distance");
    assert_eq!(d.node("m").unwrap().label, "m");
}

#[test]
fn arrows_clear_every_other_box() {
    let mut bad = Vec::new();
    // No arrow of the conceptual diagram passes through a box other than its own ends: neither
    // a causal arrow nor a moderator's arrow onto a path (one through a mediator's box would read
    // as that mediator's arrow). The known exceptions: six serial mediators (model 6, and models
    // 83-92 at their maximum), where two causal arrows clip a box (m2 -> m4 crosses m3, m1 -> y
    // crosses m5; the moderators' arrows of models 83-92 are still checked); models 72 and 73 at
    // their maximum of ten parallel mediators, where Z points onto W's twenty arrows (one of Z's
    // arrows clips a mediator); and model 74 with ten mediators, where X's arrow onto the last
    // mediator's path clips a mediator's corner. Model 92 with six serial mediators (W onto all
    // 28 paths) has no exception: in the layout narrowed to a journal's text width every one of
    // W's arrows clears every box.
    for (name, spec, d) in conceptual_diagrams() {
        let n = spec.mediators.len();
        let six_serial = n == 6
            && matches!(spec.source, SpecSource::Process(m) if m == 6 || (83..=92).contains(&m));
        let exception = match spec.source {
            SpecSource::Process(6) => six_serial,
            SpecSource::Process(72..=74) => n == 10,
            _ => false,
        };
        if exception {
            continue;
        }
        for (i, e) in d.edges.iter().enumerate() {
            if six_serial && matches!(e.to, Target::Node(_)) {
                continue;
            }
            let (a, b) = d.segment(i).unwrap();
            let to = match &e.to {
                Target::Node(t) => t.clone(),
                Target::Edge(j) => {
                    format!("the arrow {} -> {:?}", d.edges[*j].from, d.edges[*j].to)
                }
            };
            for n in d.nodes.iter().filter(|n| n.id != e.from && n.id != to) {
                let mut r = n.rect();
                // A hairline inside the border: touching is not crossing.
                r.w -= 1.0;
                r.h -= 1.0;
                if r.crosses(a, b) {
                    bad.push(format!("{name}: {} -> {to} crosses {}", e.from, n.id));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// What a point of a drawn arrow touches.
#[derive(Debug, Clone, PartialEq)]
enum Touch {
    /// The border of this box.
    Box(String),
    /// The inside of the arrow with this index (not near its ends).
    Arrow(usize),
}

fn on_border(r: &Rect, p: (f64, f64)) -> bool {
    const TOL: f64 = 0.5;
    let (dx, dy) = ((p.0 - r.x).abs(), (p.1 - r.y).abs());
    let inside = dx <= r.w / 2.0 + TOL && dy <= r.h / 2.0 + TOL;
    inside && (dx >= r.w / 2.0 - TOL || dy >= r.h / 2.0 - TOL)
}

/// Distance from `p` to the segment a-b, and how far along it (0..1) the nearest point is.
fn to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    let q = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - q.0).hypot(p.1 - q.1), t)
}

/// Everything the point `p` of arrow `own` touches, read off the geometry alone.
fn touches(d: &Diagram, own: usize, p: (f64, f64)) -> Vec<Touch> {
    let mut out: Vec<Touch> = d
        .nodes
        .iter()
        .filter(|n| on_border(&n.rect(), p))
        .map(|n| Touch::Box(n.id.clone()))
        .collect();
    for j in (0..d.edges.len()).filter(|&j| j != own) {
        let (a, b) = d.segment(j).unwrap();
        let (dist, t) = to_segment(p, a, b);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        // Clear of both ends: an arrow ending at another's end would read as meeting a box.
        if dist < 0.5 && t * len > 5.0 && (1.0 - t) * len > 5.0 {
            out.push(Touch::Arrow(j));
        }
    }
    out
}

/// Every conceptual diagram prints its smallest text at 8 pt or more at a journal's text width
/// (6.5 in), read off the drawn SVG: six serial mediators (models 6, 83-92) included.
#[test]
fn conceptual_diagrams_print_at_8_pt_at_text_width() {
    let mut bad = Vec::new();
    for (name, _, d) in conceptual_diagrams() {
        let fig = diagram::DiagramFigure {
            diagram: d,
            theme: cipa::plot::Theme::default(),
        };
        let pt = crate::plot_print::smallest_printed_pt(&cipa::plot::to_svg(&fig).unwrap());
        if pt < 8.0 - 1e-9 {
            bad.push(format!(
                "{name}: {pt:.2} pt at 6.5 in ({:.0} pt wide)",
                d.width
            ));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The structure a conceptual diagram draws, read off its geometry (where each arrow starts and
/// ends), not off its arrows' targets: the arrows between boxes, and for each of them the
/// moderators whose arrows land on it, a moderator whose arrow lands on that moderator's arrow
/// written as the pair (`WZ`), in the notation of `MODERATED_PATHS`.
fn drawn_structure(name: &str, d: &Diagram, label: &dyn Fn(&str) -> String) -> (String, String) {
    let mut tail = Vec::new();
    let mut head = Vec::new();
    for i in 0..d.edges.len() {
        let (a, b) = d.segment(i).unwrap();
        let t = touches(d, i, a);
        let h = touches(d, i, b);
        let [Touch::Box(from)] = t.as_slice() else {
            panic!("{name}: arrow {i} starts at {t:?}, not at one box")
        };
        assert!(
            h.len() == 1,
            "{name}: arrow {i} ends at {h:?}, not at one thing"
        );
        tail.push(from.clone());
        head.push(h[0].clone());
    }
    let mut causal: Vec<String> = Vec::new();
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in 0..d.edges.len() {
        let Touch::Box(to) = &head[i] else { continue };
        let path = format!("{}>{}", label(&tail[i]), label(to));
        causal.push(path.clone());
        let mut mods: Vec<String> = Vec::new();
        for f in (0..d.edges.len()).filter(|&f| head[f] == Touch::Arrow(i)) {
            let first = label(&tail[f]);
            mods.push(first.clone());
            for g in (0..d.edges.len()).filter(|&g| head[g] == Touch::Arrow(f)) {
                let second = label(&tail[g]);
                assert!(!head.contains(&Touch::Arrow(g)), "{name}: a fourth level");
                mods.push(second.clone());
                mods.push(format!("{first}{second}"));
            }
        }
        if !mods.is_empty() {
            mods.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
            mods.dedup();
            paths.insert(path, mods);
        }
    }
    causal.sort();
    let moderated = paths
        .iter()
        .map(|(p, m)| format!("{p}:{}", m.join(",")))
        .collect::<Vec<_>>()
        .join(" ");
    (causal.join(" "), moderated)
}

/// Every PROCESS model's conceptual diagram draws its template: the causal arrows of its
/// equations, and each moderator where Hayes draws it, read off the drawing's geometry and
/// compared with the documented table of moderated paths. In a three-way interaction the second
/// moderator's arrow lands on the first one's arrow (model 3: Z onto W's arrow onto X -> Y), so
/// models 3, 11, 12, 13, 18, 19, 20 and 68-73 differ from their two-way counterparts.
#[test]
fn conceptual_diagrams_draw_their_templates() {
    let mut drawn: BTreeMap<String, u32> = BTreeMap::new();
    for &(model, expected) in MODERATED_PATHS {
        let t = cipa::spec::template::template(model).unwrap();
        let k = t.mediators.bounds().map_or(0, |(lo, _)| lo);
        let m: Vec<String> = (1..=k).map(|i| format!("m{i}")).collect();
        let m: Vec<&str> = m.iter().map(String::as_str).collect();
        let spec = spec_of(model, &m, t.uses_role("W"), t.uses_role("Z"));
        let d = diagram::conceptual(&spec, &Labels::default());
        let label = |v: &str| -> String {
            match v {
                "m1" if k == 1 => "M".into(),
                other => other.to_uppercase(),
            }
        };
        let (causal, moderated) = drawn_structure(&format!("model {model}"), &d, &label);
        assert_eq!(moderated, expected, "model {model}: moderators as drawn");
        let mut want: Vec<String> = spec
            .equations
            .iter()
            .flat_map(|e| {
                e.terms
                    .iter()
                    .filter(|t| t.factors.len() == 1)
                    .filter(|t| t.factors[0] == spec.x || spec.mediators.contains(&t.factors[0]))
                    .map(|t| format!("{}>{}", label(&t.factors[0]), label(&e.outcome)))
            })
            .collect();
        want.sort();
        assert_eq!(
            causal,
            want.join(" "),
            "model {model}: causal arrows as drawn"
        );
        if let Some(other) = drawn.insert(format!("{causal} | {moderated}"), model) {
            panic!("models {other} and {model} are drawn alike");
        }
    }
}
