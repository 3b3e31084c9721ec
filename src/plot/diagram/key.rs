//! The key under a statistical diagram whose arrows carry path symbols: a small table in the
//! style of an APA table (a rule above the column heads, one under them, one at the bottom, no
//! vertical rules), its rows in blocks side by side so a long key stays short. Symbols are
//! left-aligned, numbers right-aligned so their decimal points line up, stars (a column without
//! a head) left-aligned after them.

use super::ir::{Key, Rect};
use crate::plot::font::text_width;

/// Room between a block's columns, in ems.
const CELL_GAP_EM: f64 = 1.2;
/// Room between blocks, in ems.
const BLOCK_GAP_EM: f64 = 2.5;
/// Room between the drawing and the key, in ems.
pub const KEY_GAP_EM: f64 = 1.2;
/// Padding between a rule and the text next to it, in ems.
const PAD_EM: f64 = 0.3;

/// Height of one row of the key.
fn row_h(size: f64) -> f64 {
    1.25 * size
}

/// A piece of text of the key: its centre line at `y`, starting at `x` (or ending there when
/// `right`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub right: bool,
}

/// The width of each column: its widest text, head included.
fn col_widths(head: &[String], rows: &[Vec<String>], size: f64) -> Vec<f64> {
    (0..head.len())
        .map(|c| {
            std::iter::once(&head[c])
                .chain(rows.iter().filter_map(|r| r.get(c)))
                .map(|t| text_width(t, size))
                .fold(0.0, f64::max)
        })
        .collect()
}

fn block_w(widths: &[f64], size: f64) -> f64 {
    widths.iter().sum::<f64>() + CELL_GAP_EM * size * widths.len().saturating_sub(1) as f64
}

/// The key for `rows` under `head`, in as many blocks side by side as fit in `avail` points (at
/// least one), the rows shared evenly between them.
pub fn build(head: Vec<String>, rows: Vec<Vec<String>>, avail: f64, size: f64) -> Key {
    let widths = col_widths(&head, &rows, size);
    let (bw, gap) = (block_w(&widths, size), BLOCK_GAP_EM * size);
    let fit = (((avail + gap) / (bw + gap)).floor() as usize).max(1);
    let per = rows.len().div_ceil(fit).max(1);
    let blocks = rows.len().div_ceil(per).max(1);
    let w = blocks as f64 * bw + (blocks - 1) as f64 * gap;
    let h = 4.0 * PAD_EM * size + row_h(size) * (per + 1) as f64;
    Key {
        head,
        rows,
        blocks,
        rect: Rect {
            x: w / 2.0,
            y: h / 2.0,
            w,
            h,
        },
    }
}

/// Rows in each block.
fn per_block(key: &Key) -> usize {
    key.rows.len().div_ceil(key.blocks.max(1)).max(1)
}

/// The key's text, placed.
pub fn cells(key: &Key, size: f64) -> Vec<Cell> {
    let widths = col_widths(&key.head, &key.rows, size);
    let (bw, gap) = (block_w(&widths, size), BLOCK_GAP_EM * size);
    let (left, top) = (key.rect.x - key.rect.w / 2.0, key.rect.y - key.rect.h / 2.0);
    let (pad, rh) = (PAD_EM * size, row_h(size));
    let per = per_block(key);
    let mut out = Vec::new();
    let mut row = |cells: &[String], x0: f64, y: f64| {
        let mut x = x0;
        for (c, t) in cells.iter().enumerate() {
            // Numbers right-aligned; a column without a head (stars) follows its number.
            let right = c > 0 && !key.head[c].is_empty();
            out.push(Cell {
                text: t.clone(),
                x: if right { x + widths[c] } else { x },
                y,
                right,
            });
            x += widths[c] + CELL_GAP_EM * size;
        }
    };
    for b in 0..key.blocks {
        let x0 = left + b as f64 * (bw + gap);
        row(&key.head, x0, top + pad + rh / 2.0);
        for (r, cells) in key.rows.iter().skip(b * per).take(per).enumerate() {
            row(cells, x0, top + 3.0 * pad + rh * (r as f64 + 1.5));
        }
    }
    out
}

/// The key's rules: above the heads, under them and at the bottom, across the whole key.
pub fn rules(key: &Key, size: f64) -> Vec<((f64, f64), (f64, f64))> {
    let r = key.rect;
    let (x0, x1) = (r.x - r.w / 2.0, r.x + r.w / 2.0);
    let top = r.y - r.h / 2.0;
    let under_head = top + 2.0 * PAD_EM * size + row_h(size);
    [top, under_head, r.y + r.h / 2.0]
        .into_iter()
        .map(|y| ((x0, y), (x1, y)))
        .collect()
}

/// The key as lines of text (`a1  0.412  [0.21, 0.61]`), for formats that cannot place a table
/// (Graphviz DOT's label).
pub fn text_lines(key: &Key) -> Vec<String> {
    std::iter::once(&key.head)
        .chain(key.rows.iter())
        .map(|r| r.join("  "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<Vec<String>> {
        (0..n)
            .map(|k| vec![format!("a{k}"), "0.412***".into(), "0.101".into()])
            .collect()
    }

    #[test]
    fn blocks_share_the_rows_and_fit_the_width() {
        let head: Vec<String> = ["Path", "Coeff.", "SE"].map(String::from).to_vec();
        let key = build(head.clone(), rows(10), 400.0, 8.5);
        assert!(key.blocks > 1 && key.rect.w <= 400.0, "{key:?}");
        let cells = cells(&key, 8.5);
        assert_eq!(cells.len(), 3 * (10 + key.blocks));
        for c in &cells {
            assert!(c.x >= -1e-9 && c.x <= key.rect.w + 1e-9, "{c:?}");
            assert!(c.y > 0.0 && c.y < key.rect.h, "{c:?}");
        }
        let narrow = build(head, rows(10), 50.0, 8.5);
        assert_eq!(narrow.blocks, 1);
        assert_eq!(rules(&narrow, 8.5).len(), 3);
    }
}
