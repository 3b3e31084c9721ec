//! The tables of a quadratic effect's tests (turning point, Fieller's interval, Lind and
//! Mehlum's U test), from the values `effects::quadratic_tests` computed.

use crate::effects::{Fieller, Position, QuadraticTests, Reference, TurningPoint, UTest};

use super::{Table, Value};

/// A turning-point table and a U-test table for one quadratic.
pub fn quadratic_tables(q: &QuadraticTests) -> Vec<Table> {
    let (stat, scale) = match q.reference {
        Reference::T { df } => ("t", format!("t with {df} df")),
        Reference::Normal => ("z", "N(0, 1), on the log-odds scale".into()),
    };
    let mut tables = Vec::new();
    if let Some(tp) = &q.turning_point {
        tables.push(turning_point_table(q, tp, &scale));
    }
    if let Some(u) = &q.u_test {
        tables.push(u_test_table(q, u, stat, &scale));
    }
    if let Some(t) = tables.last_mut() {
        t.notes.extend(q.notes.iter().cloned());
    } else {
        tables.push(Table {
            title: format!("Curvilinear effect of {} on {}", q.variable, q.outcome),
            columns: vec![String::new()],
            rows: vec![],
            notes: q.notes.clone(),
        });
    }
    tables
}

/// x* = −b₁/2b₂ with its delta-method SE, Fieller's interval and where it lies.
fn turning_point_table(q: &QuadraticTests, tp: &TurningPoint, scale: &str) -> Table {
    let (lo, hi) = match tp.fieller {
        Fieller::Bounded { lower, upper } => (Value::Num(lower), Value::Num(upper)),
        Fieller::Unbounded => (Value::Text("unbounded".into()), Value::Empty),
    };
    let position = match tp.position {
        Position::Below => "below range",
        Position::Inside => "inside range",
        Position::Above => "above range",
    };
    Table {
        title: format!("Turning point of {} on {}", q.variable, q.outcome),
        columns: ["", "x*", "se", "Fieller LL", "Fieller UL", "position"]
            .map(String::from)
            .to_vec(),
        rows: vec![vec![
            Value::Text(format!("-b({}) / 2b({})", q.term, q.square)),
            Value::Num(tp.x),
            Value::Num(tp.se),
            lo,
            hi,
            Value::Text(position.into()),
        ]],
        notes: std::iter::once(format!(
            "Delta-method SE; Fieller's {}% interval ({scale}).",
            q.conf
        ))
        .chain(q.bootstrap.as_ref().map(|b| boot_note(b, q.conf)))
        .collect(),
    }
}

/// The slopes at both ends of the range and the overall one-sided test.
fn u_test_table(q: &QuadraticTests, u: &UTest, stat: &str, scale: &str) -> Table {
    let end = |label: &str, e: &crate::effects::EndSlope| {
        vec![
            Value::Text(label.into()),
            Value::Num(e.x),
            Value::Num(e.slope),
            Value::Num(e.se),
            Value::Num(e.stat),
            Value::Empty,
        ]
    };
    Table {
        title: format!(
            "U test ({}) of {} on {} (Lind and Mehlum 2010)",
            u.shape.label(),
            q.variable,
            q.outcome
        ),
        columns: ["", "x", "slope", "se", stat, "p"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            end("lower end", &u.lower),
            end("upper end", &u.upper),
            vec![
                Value::Text("overall".into()),
                Value::Empty,
                Value::Empty,
                Value::Empty,
                Value::Num(u.stat),
                Value::Num(u.p),
            ],
        ],
        notes: vec![format!(
            "Slope = b({}) + 2 b({}) x at each end; overall {stat} = the weaker end's one-sided statistic, p its upper tail ({scale}).",
            q.term, q.square
        )],
    }
}

/// The bootstrap interval of the turning point, with its provenance (B, seed, method, failures).
fn boot_note(b: &crate::effects::TurningBoot, conf: f64) -> String {
    let interval = match (b.lower, b.upper) {
        (Some(lo), Some(hi)) => format!("[{lo:.4}, {hi:.4}]"),
        _ => "withheld (too many failed resamples)".into(),
    };
    format!(
        "Bootstrap {conf}% {} interval of the turning point: {interval}, bootstrap SE {:.4} (B = {}, seed {}; {} resamples without a turning point or fit replaced).",
        b.method,
        b.se,
        b.b,
        b.seed,
        b.failed
    )
}
