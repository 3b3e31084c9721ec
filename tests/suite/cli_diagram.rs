//! `cipa diagram` end to end: formats chosen by flag or by the output's extension, PNG written
//! atomically at the requested resolution, and bad input refused with exit code 2 and no file.
#![cfg(feature = "plot")]

use crate::common::cli::{cipa, stderr, usage_error};

const MODEL58: &[&str] = &[
    "diagram", "--model", "58", "--x", "ties", "--y", "export", "--m", "collab", "--w", "dist",
];

#[test]
fn writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let o = cipa(
        &[
            MODEL58,
            &["--format", "dot", "--labels", "ties=Network ties"],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dot = String::from_utf8(o.stdout).unwrap();
    assert!(dot.contains("\"ties\" [label=\"Network ties\""));
    assert!(
        dot.contains("\"dist\" -> \"_onto"),
        "moderator arrows onto paths"
    );
    let tex = dir.path().join("d.tex");
    let o = cipa(
        &[
            MODEL58,
            &["--kind", "statistical", "--out", tex.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&tex).unwrap();
    assert!(
        text.starts_with("% cipa Statistical diagram") && text.contains("collab $\\times$ dist")
    );
    let png = dir.path().join("d.png");
    let o = cipa(
        &[
            MODEL58,
            &[
                "--greyscale",
                "--dpi",
                "150",
                "--out",
                png.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0));
    let bytes = std::fs::read(&png).unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    assert_eq!(
        reader.info().pixel_dims.unwrap().xppu,
        5906,
        "150 dpi in pixels per metre"
    );
    let o = cipa(MODEL58);
    assert!(
        String::from_utf8(o.stdout).unwrap().starts_with("<svg"),
        "SVG by default"
    );
}

#[test]
fn writes_a_pdf_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("m15.pdf");
    let o = cipa(&[
        "diagram",
        "--model",
        "15",
        "--x",
        "x",
        "--y",
        "y",
        "--m",
        "m1",
        "--w",
        "w",
        "--labels",
        "x=Network ties",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF, not SVG text");
    let text = String::from_utf8_lossy(&bytes);
    // Text is embedded as text in the bundled font, not drawn as outlines.
    assert!(
        text.contains("/Font") && text.contains("DejaVuSans"),
        "text in the PDF"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d.png");
    let jpg = dir.path().join("d.jpg");
    for (extra, needle) in [
        (vec!["--format", "png"], "give a file with --out"),
        (vec!["--labels", "ties"], "--labels: cannot read 'ties'"),
        (vec!["--z", "zz", "--out", out.to_str().unwrap()], "Z"),
        (vec!["--dpi", "0", "--out", out.to_str().unwrap()], "--dpi"),
        (
            vec![
                "--labels",
                "tie=Network ties",
                "--out",
                out.to_str().unwrap(),
            ],
            "'tie' that is not a variable of the model",
        ),
        (
            vec!["--out", jpg.to_str().unwrap()],
            ".svg, .png, .pdf, .dot, .gv, .tex",
        ),
        (vec!["--format", "pdf"], "give a file with --out"),
    ] {
        let o = cipa(&[MODEL58, &extra[..]].concat());
        let err = usage_error(&o);
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file left behind"
    );
}
