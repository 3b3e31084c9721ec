//! PDF figures: the SVG that [`to_svg`](super::to_svg) draws, converted by usvg and svg2pdf with
//! the bundled font loaded from memory, so the PDF has real (selectable, embedded) text and needs
//! no system fonts, and matches the SVG and PNG exactly.

use std::sync::{Arc, OnceLock};

use usvg::fontdb::Database;

use super::{font, to_svg, Figure, PlotError};

/// The family plotters writes into SVG text and the one the bundled font registers under.
const DEJAVU: &str = "DejaVu Sans";

fn fonts() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = Database::new();
        db.load_font_data(font::REGULAR.to_vec());
        db.load_font_data(font::BOLD.to_vec());
        // The SVG asks for the generic family; without this fontdb maps it to Arial.
        db.set_sans_serif_family(DEJAVU);
        Arc::new(db)
    })
    .clone()
}

/// The figure as a one-page PDF at its physical size.
pub fn to_pdf(fig: &impl Figure) -> Result<Vec<u8>, PlotError> {
    svg_to_pdf(&to_svg(fig)?, &fig.title())
}

/// Converts an SVG document drawn by cipa to PDF.
pub fn svg_to_pdf(svg: &str, figure: &str) -> Result<Vec<u8>, PlotError> {
    let fail = |message: String| PlotError::Render {
        figure: figure.to_string(),
        message,
    };
    let opts = usvg::Options {
        font_family: DEJAVU.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| fail(format!("SVG to PDF: {e}")))?;
    // The SVG is sized at 96 px per inch; the page gets the same physical size.
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map(|pdf| canonical(&pdf))
        .map_err(|e| fail(format!("SVG to PDF: {e}")))
}

/// svg2pdf lists resource dictionaries (`/xo0 8 0 R` lines) in hash-map order, which changes from
/// run to run; results folders promise the same bytes for the same input (the manifest hashes
/// them). Sorting each run of such lines fixes the order without changing any object's length,
/// so the cross-reference table stays valid. Stream data (binary) is skipped by its /Length.
fn canonical(pdf: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pdf.len());
    let mut run: Vec<&[u8]> = Vec::new();
    let mut last_length: Option<usize> = None;
    let mut i = 0;
    let flush = |run: &mut Vec<&[u8]>, out: &mut Vec<u8>| {
        run.sort_unstable();
        for l in run.drain(..) {
            out.extend_from_slice(l);
        }
    };
    while i < pdf.len() {
        let end = pdf[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(pdf.len(), |k| i + k + 1);
        let line = &pdf[i..end];
        let text = std::str::from_utf8(line).unwrap_or("");
        let t = text.trim();
        if let Some(n) = t.strip_prefix("/Length ") {
            last_length = n.trim().parse().ok();
        }
        if is_reference_entry(t) {
            run.push(line);
            i = end;
            continue;
        }
        flush(&mut run, &mut out);
        out.extend_from_slice(line);
        i = end;
        if t == "stream" {
            // Binary data follows: copy it as it is.
            let Some(n) = last_length.take() else {
                out.extend_from_slice(&pdf[i..]);
                return out;
            };
            let stop = (i + n).min(pdf.len());
            out.extend_from_slice(&pdf[i..stop]);
            i = stop;
        }
    }
    flush(&mut run, &mut out);
    out
}

/// `/name 12 0 R`: one entry of a dictionary of indirect references.
fn is_reference_entry(t: &str) -> bool {
    let mut parts = t.split(' ');
    let (Some(name), Some(num), Some("0"), Some("R"), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    name.len() > 1
        && name.starts_with('/')
        && name[1..].bytes().all(|b| b.is_ascii_alphanumeric())
        && !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_entries_are_sorted_in_place() {
        let pdf = b"1 0 obj\n<<\n  /XObject <<\n    /xo1 5 0 R\n    /xo0 4 0 R\n  >>\n>>\nendobj\n\
2 0 obj\n<<\n  /Length 12\n>>\nstream\n/b 1 0 R\n/a \nendstream\n";
        let out = canonical(pdf);
        assert_eq!(out.len(), pdf.len());
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("    /xo0 4 0 R\n    /xo1 5 0 R\n"));
        assert!(
            text.contains("stream\n/b 1 0 R\n/a \nendstream"),
            "stream data untouched"
        );
        assert!(is_reference_entry("/gs1 9 0 R") && !is_reference_entry("/Type /Page"));
    }
}
