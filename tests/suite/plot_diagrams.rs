//! Layout of the path diagrams, checked on the intermediate representation for every PROCESS
//! template (at the smallest and largest number of mediators it takes, with covariates) and for
//! models in cipa's path syntax: boxes never overlap, every arrow joins the right boxes, causal
//! order runs left to right, and moderators point at the paths they moderate.
#![cfg(feature = "plot")]

use std::collections::BTreeSet;

use cipa::plot::diagram::{self, Diagram, DiagramKind, Target};
use cipa::plot::Labels;
use cipa::spec::syntax::{infer_roles_with, parse_syntax};
use cipa::spec::template::all_templates;
use cipa::spec::{ModelSpec, Roles, SpecSource};

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
            Target::Edge(j) => assert!(
                matches!(d.edges[*j].to, Target::Node(_)),
                "{name}: arrow {i} onto an arrow that is not between boxes"
            ),
        }
        assert!(d.segment(i).is_some(), "{name}: arrow {i} has no geometry");
    }
}

/// (from, to) of arrows between boxes; (from, (tail, head)) of arrows onto arrows.
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
                let target = &d.edges[*j];
                let Target::Node(head) = &target.to else {
                    unreachable!()
                };
                onto.insert((e.from.clone(), (target.from.clone(), head.clone())));
            }
        }
    }
    (plain, onto)
}

#[test]
fn conceptual_diagrams_of_every_model() {
    let specs = specs();
    assert!(specs.len() > 56 + 40, "every template at two sizes");
    for (name, spec) in &specs {
        let d = diagram::conceptual(spec, &Labels::default());
        assert_eq!(d.kind, DiagramKind::Conceptual);
        check_geometry(name, &d);
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
        let (got_plain, got_onto) = arrows(&d);
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
    // as that mediator's arrow). The one known exception is six serial mediators (model 6, and
    // models 83-92 at their maximum): two causal arrows clip a box (m2 -> m4 crosses m3, m1 -> y
    // crosses m5); the moderators' arrows of models 83-92 are still checked.
    for (name, spec) in &specs() {
        let six_serial = spec.mediators.len() == 6
            && matches!(spec.source, SpecSource::Process(n) if n == 6 || (83..=92).contains(&n));
        if spec.source == SpecSource::Process(6) && six_serial {
            continue;
        }
        let d = diagram::conceptual(spec, &Labels::default());
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
