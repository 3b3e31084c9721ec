//! A column of cells stored compactly: one `f64` per row, and each distinct text once. A text
//! file's cells cost 8 bytes each (16 for a text cell) instead of a `Cell` (32 bytes) plus the
//! text's own allocation, so reading a file of a few hundred MB takes a small multiple of the
//! file in memory, and the builder types a numeric column in place.

use std::collections::HashMap;

use super::Cell;

/// The cells of one column. A cell is a number (any value but NaN), text, or missing: a row
/// whose number is NaN holds the text `text_rows` gives it, or is missing when it has none.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackedCells {
    numbers: Vec<f64>,
    /// (row, index into `texts`) of each text cell, in row order.
    text_rows: Vec<(u32, u32)>,
    /// Each distinct text once, in the order first seen.
    texts: Vec<String>,
    /// Where each text is in `texts`, while cells are added.
    index: HashMap<String, u32>,
}

/// One cell of a [`PackedCells`], as the builder reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Missing,
    Number(f64),
    /// A text, with its index among the column's distinct texts.
    Text(&'a str, u32),
}

impl PackedCells {
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// Makes room for `rows` more cells (a text reader knows about how many rows remain).
    pub fn reserve(&mut self, rows: usize) {
        self.numbers.reserve(rows);
    }

    /// Adds a number; NaN is a missing cell, as the builder reads a NaN in any file.
    pub fn push_number(&mut self, x: f64) {
        self.numbers.push(x);
    }

    pub fn push_missing(&mut self) {
        self.numbers.push(f64::NAN);
    }

    /// Adds a text cell, storing the text only the first time the column holds it.
    pub fn push_text(&mut self, t: &str) {
        let id = match self.index.get(t) {
            Some(&id) => id,
            None => {
                let id = self.texts.len() as u32;
                self.texts.push(t.to_string());
                self.index.insert(t.to_string(), id);
                id
            }
        };
        self.text_rows.push((self.numbers.len() as u32, id));
        self.numbers.push(f64::NAN);
    }

    pub fn push(&mut self, cell: Cell) {
        match cell {
            Cell::Missing => self.push_missing(),
            Cell::Number(x) => self.push_number(x),
            Cell::Text(t) => self.push_text(&t),
        }
    }

    /// The distinct texts, indexed as [`CellRef::Text`] gives them.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// How many cells hold each distinct text.
    pub fn text_counts(&self) -> Vec<usize> {
        let mut n = vec![0; self.texts.len()];
        for &(_, id) in &self.text_rows {
            n[id as usize] += 1;
        }
        n
    }

    /// The numbers, one per row (NaN for a missing or text cell).
    pub fn numbers(&self) -> &[f64] {
        &self.numbers
    }

    /// (row, text index) of each text cell, in row order.
    pub fn text_rows(&self) -> &[(u32, u32)] {
        &self.text_rows
    }

    /// The cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = CellRef<'_>> + Clone + '_ {
        let mut texts = self.text_rows.iter().peekable();
        self.numbers.iter().enumerate().map(move |(i, &x)| {
            if !x.is_nan() {
                return CellRef::Number(x);
            }
            match texts.peek() {
                Some(&&(row, id)) if row as usize == i => {
                    texts.next();
                    CellRef::Text(&self.texts[id as usize], id)
                }
                _ => CellRef::Missing,
            }
        })
    }

    /// The numbers, given up to become a numeric column.
    pub fn into_numbers(self) -> Vec<f64> {
        self.numbers
    }

    /// Frees the interning table once every cell is in (the texts stay).
    pub fn finish(&mut self) {
        self.index = HashMap::new();
    }
}

impl From<Vec<Cell>> for PackedCells {
    fn from(cells: Vec<Cell>) -> Self {
        let mut p = PackedCells::default();
        p.reserve(cells.len());
        for c in cells {
            p.push(c);
        }
        p.finish();
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_back_in_order_with_texts_stored_once() {
        let p = PackedCells::from(vec![
            Cell::Text("a".into()),
            Cell::Number(1.5),
            Cell::Missing,
            Cell::Text("b".into()),
            Cell::Number(f64::NAN),
            Cell::Text("a".into()),
            Cell::Number(f64::INFINITY),
        ]);
        let cells: Vec<_> = p.iter().collect();
        assert_eq!(
            cells,
            vec![
                CellRef::Text("a", 0),
                CellRef::Number(1.5),
                CellRef::Missing,
                CellRef::Text("b", 1),
                CellRef::Missing,
                CellRef::Text("a", 0),
                CellRef::Number(f64::INFINITY),
            ]
        );
        assert_eq!(p.texts(), ["a", "b"]);
        assert_eq!(p.text_counts(), vec![2, 1]);
        assert_eq!(p.len(), 7);
    }
}
