//! Byte-level mutations of real files, as coverage-blind fuzzers apply them: bit flips, bytes
//! set to boundary values, little-endian integers overwritten with extremes (the counts and
//! lengths of binary headers), insertions, deletions, duplicated chunks and truncation.

use proptest::prelude::*;

/// One edit; positions are taken modulo the length of the data they apply to.
#[derive(Debug, Clone)]
pub enum Mutation {
    FlipBit {
        at: u32,
        bit: u8,
    },
    SetByte {
        at: u32,
        value: u8,
    },
    /// A 4- or 8-byte little-endian integer overwritten with an extreme.
    SetInt {
        at: u32,
        value: i64,
        wide: bool,
    },
    Insert {
        at: u32,
        bytes: Vec<u8>,
    },
    Delete {
        at: u32,
        len: u16,
    },
    Duplicate {
        from: u32,
        len: u16,
        to: u32,
    },
    Truncate {
        keep: u32,
    },
}

/// Extremes that break counts, lengths and offsets.
const INTS: [i64; 10] = [
    0,
    -1,
    1,
    0x7f,
    0xff,
    0x7fff,
    0xffff,
    0x7fff_ffff,
    -0x8000_0000,
    i64::MAX,
];

/// Bytes that change meaning in text formats (quotes, separators, line ends, BOM and UTF-8
/// lead bytes) as well as in binary ones.
const BYTES: [u8; 16] = [
    0, 0xff, 0x7f, 0x80, b'"', b',', b';', b'\t', b'\n', b'\r', b'.', b'-', b'%', 0xef, 0xc3, b'9',
];

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u32>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (
            any::<u32>(),
            prop_oneof![any::<u8>(), prop::sample::select(BYTES.to_vec())]
        )
            .prop_map(|(at, value)| Mutation::SetByte { at, value }),
        (
            any::<u32>(),
            prop::sample::select(INTS.to_vec()),
            any::<bool>()
        )
            .prop_map(|(at, value, wide)| Mutation::SetInt { at, value, wide }),
        (
            any::<u32>(),
            prop::collection::vec(
                prop_oneof![any::<u8>(), prop::sample::select(BYTES.to_vec())],
                1..16
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<u32>(), 1u16..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<u32>(), 1u16..256, any::<u32>()).prop_map(|(from, len, to)| Mutation::Duplicate {
            from,
            len,
            to
        }),
        any::<u32>().prop_map(|keep| Mutation::Truncate { keep }),
    ]
}

pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..8)
}

fn pos(at: u32, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        at as usize % len
    }
}

/// Applies the edits in order.
pub fn apply(data: &[u8], edits: &[Mutation]) -> Vec<u8> {
    let mut d = data.to_vec();
    for m in edits {
        let n = d.len();
        match m {
            Mutation::FlipBit { at, bit } if n > 0 => d[pos(*at, n)] ^= 1 << bit,
            Mutation::SetByte { at, value } if n > 0 => d[pos(*at, n)] = *value,
            Mutation::SetInt { at, value, wide } if n > 0 => {
                let bytes = value.to_le_bytes();
                let width = if *wide { 8 } else { 4 };
                let start = pos(*at, n);
                for (k, b) in bytes.iter().take(width).enumerate() {
                    if start + k < n {
                        d[start + k] = *b;
                    }
                }
            }
            Mutation::Insert { at, bytes } => {
                let p = pos(*at, n + 1);
                d.splice(p..p, bytes.iter().copied());
            }
            Mutation::Delete { at, len } if n > 0 => {
                let p = pos(*at, n);
                let end = (p + *len as usize).min(n);
                d.drain(p..end);
            }
            Mutation::Duplicate { from, len, to } if n > 0 => {
                let p = pos(*from, n);
                let end = (p + *len as usize).min(n);
                let chunk: Vec<u8> = d[p..end].to_vec();
                let q = pos(*to, n + 1);
                d.splice(q..q, chunk);
            }
            Mutation::Truncate { keep } => d.truncate(pos(*keep, n + 1)),
            _ => {}
        }
    }
    d
}

#[test]
fn mutations_stay_in_bounds() {
    let data = b"abcdef".to_vec();
    let edits = vec![
        Mutation::SetInt {
            at: 4,
            value: -1,
            wide: true,
        },
        Mutation::Duplicate {
            from: 5,
            len: 200,
            to: 100,
        },
        Mutation::Delete { at: 1, len: 60 },
        Mutation::Truncate { keep: 0 },
        Mutation::FlipBit { at: 3, bit: 7 },
        Mutation::Insert {
            at: 9,
            bytes: vec![1, 2],
        },
    ];
    assert_eq!(apply(&data, &edits), vec![1, 2]);
    assert_eq!(apply(&[], &edits), vec![1, 2]);
}

/// Integers written into the size fields of binary headers.
const SIZES: [i64; 8] = [
    0,
    -1,
    1,
    0xffff,
    0x7fff_ffff,
    0x1_0000_0000,
    i64::MAX,
    1 << 40,
];

/// Edits that know where a format keeps its sizes, which random positions rarely hit: SPSS's
/// header counts (nominal case size at byte 68, cases at 80), Stata's observation and variable
/// counts (after `<N>` and `<K>`), and the cell references of a worksheet's XML (a value in
/// XFD1048576).
#[derive(Debug, Clone)]
pub struct Structured {
    pub which: u8,
    pub value: i64,
}

pub fn structured() -> impl Strategy<Value = Structured> {
    (any::<u8>(), prop::sample::select(SIZES.to_vec()))
        .prop_map(|(which, value)| Structured { which, value })
}

fn put(d: &mut [u8], at: usize, bytes: &[u8]) {
    for (k, b) in bytes.iter().enumerate() {
        if let Some(slot) = d.get_mut(at + k) {
            *slot = *b;
        }
    }
}

fn find(d: &[u8], tag: &[u8]) -> Option<usize> {
    d.windows(tag.len()).position(|w| w == tag)
}

/// Applies a structured edit for the format named by `ext` (other formats unchanged).
pub fn apply_structured(ext: &str, data: &[u8], s: &Structured) -> Vec<u8> {
    let mut d = data.to_vec();
    let v = s.value;
    match ext {
        "sav" => {
            let at = [64, 68, 72, 76, 80][s.which as usize % 5];
            put(&mut d, at, &(v as i32).to_le_bytes());
        }
        "dta" => {
            // K is 4 bytes in release 119 (2 before): all of it, so a damaged K can be huge.
            let k_width = if find(&d, b"<release>119").is_some() {
                4
            } else {
                2
            };
            let (tag, width) = [(&b"<N>"[..], 8), (&b"<K>"[..], k_width), (&b"<map>"[..], 8)]
                [s.which as usize % 3];
            if let Some(p) = find(&d, tag) {
                put(&mut d, p + tag.len(), &v.to_le_bytes()[..width]);
            }
        }
        _ => {}
    }
    d
}

/// Cell references a worksheet's XML gets instead of one of its own.
const REFS: [&str; 6] = [
    "XFD1048576",
    "A1048576",
    "XFD1",
    "A0",
    "ZZZZ1",
    "A99999999999",
];

/// A worksheet XML with one `r="..."` reference (a cell's or the dimension's) replaced.
pub fn edit_cell_ref(xml: &[u8], s: &Structured) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let spots: Vec<usize> = text.match_indices(" r=\"").map(|(i, _)| i + 4).collect();
    let Some(&at) = spots.get(s.which as usize % spots.len().max(1)) else {
        return xml.to_vec();
    };
    let end = text[at..].find('"').map_or(at, |e| at + e);
    let new = REFS[(s.value.unsigned_abs() % REFS.len() as u64) as usize];
    format!("{}{new}{}", &text[..at], &text[end..]).into_bytes()
}

/// An OpenDocument sheet's XML with one repeat count (`number-rows-repeated` or
/// `number-columns-repeated`, which let a few bytes stand for millions of cells) set to a size.
pub fn edit_ods_repeat(xml: &[u8], s: &Structured) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let spots: Vec<usize> = text
        .match_indices("-repeated=\"")
        .map(|(i, m)| i + m.len())
        .collect();
    let Some(&at) = spots.get(s.which as usize % spots.len().max(1)) else {
        return xml.to_vec();
    };
    let end = text[at..].find('"').map_or(at, |e| at + e);
    format!("{}{}{}", &text[..at], s.value, &text[end..]).into_bytes()
}
