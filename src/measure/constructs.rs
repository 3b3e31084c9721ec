//! Constructs defined from items (`collab=c1,c2,-c3`), reverse coding on a known scale range, the
//! listwise item matrix every estimate uses, and scores (mean or sum) as new data columns.

use crate::data::{complete_cases, Dataset, Variable};

use super::MeasureError;

/// One item of a construct.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    pub name: String,
    /// Reverse-coded: the value used is `min + max − x` on the scale range.
    pub reversed: bool,
}

/// A construct and its items, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Construct {
    pub name: String,
    pub items: Vec<Item>,
}

impl Construct {
    /// Parses `NAME=item1,item2,-item3` (spaces allowed; a leading `-` reverse-codes an item).
    pub fn parse(text: &str) -> Result<Construct, MeasureError> {
        let err = |message: &str| MeasureError::Syntax {
            text: text.to_string(),
            message: message.to_string(),
        };
        let (name, items) = text.split_once('=').ok_or_else(|| err("no '='"))?;
        let name = name.trim();
        if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == ',') {
            return Err(err(
                "the construct name is empty or contains a space or comma",
            ));
        }
        let mut out = Vec::new();
        for raw in items
            .split([',', ' ', '\t'])
            .filter(|s| !s.trim().is_empty())
        {
            let raw = raw.trim();
            let (reversed, item) = match raw.strip_prefix('-') {
                Some(rest) => (true, rest.trim()),
                None => (false, raw),
            };
            if item.is_empty() {
                return Err(err("an item name is empty"));
            }
            if out.iter().any(|i: &Item| i.name == item) {
                return Err(err(&format!("item '{item}' is listed twice")));
            }
            out.push(Item {
                name: item.to_string(),
                reversed,
            });
        }
        if out.is_empty() {
            return Err(err("no items"));
        }
        Ok(Construct {
            name: name.to_string(),
            items: out,
        })
    }

    pub fn item_names(&self) -> Vec<&str> {
        self.items.iter().map(|i| i.name.as_str()).collect()
    }
}

/// Parses a spec file: one `NAME = items` definition per line; blank lines and `#` comments are
/// skipped.
pub fn parse_constructs_file(text: &str) -> Result<Vec<Construct>, MeasureError> {
    let defs: Vec<&str> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    parse_constructs(&defs)
}

/// Parses several definitions and checks that names are unique and no item is shared.
pub fn parse_constructs<S: AsRef<str>>(defs: &[S]) -> Result<Vec<Construct>, MeasureError> {
    let cs = defs
        .iter()
        .map(|d| Construct::parse(d.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    check_constructs(&cs)?;
    Ok(cs)
}

/// Names unique, no item in two constructs.
pub fn check_constructs(cs: &[Construct]) -> Result<(), MeasureError> {
    for (a, ca) in cs.iter().enumerate() {
        if cs[..a].iter().any(|c| c.name == ca.name) {
            return Err(MeasureError::DuplicateConstruct {
                construct: ca.name.clone(),
            });
        }
        for cb in &cs[..a] {
            if let Some(i) = ca
                .items
                .iter()
                .find(|i| cb.items.iter().any(|j| j.name == i.name))
            {
                return Err(MeasureError::SharedItem {
                    item: i.name.clone(),
                    first: cb.name.clone(),
                    second: ca.name.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The items of every construct as columns over the rows complete on all of them (listwise, as
/// lavaan and psych do by default), reverse coding applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMatrix {
    /// Item names in construct order.
    pub items: Vec<String>,
    /// The construct of each item (index into the construct list).
    pub construct_of: Vec<usize>,
    /// Column-major: `cols[j][r]`.
    pub cols: Vec<Vec<f64>>,
    /// File lines of the rows dropped for missing values.
    pub dropped_lines: Vec<u64>,
}

impl ItemMatrix {
    pub fn n(&self) -> usize {
        self.cols.first().map_or(0, Vec::len)
    }

    pub fn p(&self) -> usize {
        self.items.len()
    }

    /// Indices of construct `k`'s items.
    pub fn items_of(&self, k: usize) -> Vec<usize> {
        (0..self.p())
            .filter(|&j| self.construct_of[j] == k)
            .collect()
    }

    /// Builds the matrix; `scale` is the `(min, max)` range used to reverse-code items and
    /// `extra` lists further columns (a marker item) that must be complete too, kept at the end
    /// with construct index `usize::MAX`.
    pub fn build(
        data: &Dataset,
        constructs: &[Construct],
        scale: Option<(f64, f64)>,
        extra: &[&str],
    ) -> Result<ItemMatrix, crate::Error> {
        check_constructs(constructs)?;
        let mut names: Vec<&str> = constructs.iter().flat_map(|c| c.item_names()).collect();
        names.extend_from_slice(extra);
        let cc = complete_cases(data, &names)?;
        if let Some(range) = scale {
            for c in constructs {
                for it in &c.items {
                    check_in_scale(data, &it.name, range)?;
                }
            }
        }
        let mut items = Vec::new();
        let mut construct_of = Vec::new();
        let mut cols = Vec::new();
        for (k, c) in constructs.iter().enumerate() {
            for it in &c.items {
                let col = data.numeric(&it.name)?;
                let mut v: Vec<f64> = cc.rows.iter().map(|&r| col[r]).collect();
                if it.reversed {
                    let (lo, hi) = scale.ok_or_else(|| MeasureError::NoScaleRange {
                        construct: c.name.clone(),
                        item: it.name.clone(),
                    })?;
                    v.iter_mut().for_each(|x| *x = lo + hi - *x);
                }
                items.push(it.name.clone());
                construct_of.push(k);
                cols.push(v);
            }
        }
        for e in extra {
            let col = data.numeric(e)?;
            items.push(e.to_string());
            construct_of.push(usize::MAX);
            cols.push(cc.rows.iter().map(|&r| col[r]).collect());
        }
        Ok(ItemMatrix {
            items,
            construct_of,
            cols,
            dropped_lines: cc.dropped_lines,
        })
    }

    /// Errors if an item of a construct is constant over the rows used.
    pub fn check_not_constant(&self, constructs: &[Construct]) -> Result<(), MeasureError> {
        for (j, col) in self.cols.iter().enumerate() {
            if let Some(&first) = col.first() {
                if col.iter().all(|&x| x == first) {
                    let item = self.items[j].clone();
                    return Err(match constructs.get(self.construct_of[j]) {
                        Some(c) => MeasureError::ConstantItem {
                            construct: c.name.clone(),
                            item,
                            value: first,
                        },
                        // Extra columns are not construct items: today only the --marker item.
                        None => MeasureError::ConstantMarker { item, value: first },
                    });
                }
            }
        }
        Ok(())
    }
}

/// Errors on the first value of item `name` outside the declared scale range. Reverse coding
/// maps `x` to `min + max − x`, so a value beyond the range would silently land on the wrong side
/// of it (a 7 on a declared 1-5 scale becomes −1); the error gives the observed range instead.
fn check_in_scale(data: &Dataset, name: &str, (lo, hi): (f64, f64)) -> Result<(), crate::Error> {
    let col = data.numeric(name)?;
    let Some(bad) = col.iter().position(|&x| !x.is_nan() && (x < lo || x > hi)) else {
        return Ok(());
    };
    let finite = col.iter().filter(|x| !x.is_nan());
    let omin = finite.clone().fold(f64::INFINITY, |a, &b| a.min(b));
    let omax = finite.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    Err(MeasureError::OutsideScale {
        file: data.source.clone(),
        item: name.to_string(),
        line: data.lines().get(bad).copied().unwrap_or(bad as u64 + 2),
        value: col[bad],
        min: lo,
        max: hi,
        observed_min: omin,
        observed_max: omax,
        suggest_min: lo.min(omin),
        suggest_max: hi.max(omax),
    }
    .into())
}

/// How item values are combined into a construct score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScoreMethod {
    #[default]
    Mean,
    Sum,
}

/// Adds one column per construct (named as the construct) holding its score: the mean or sum of
/// its items (reverse-coded as defined). A row with a missing item gets a missing score, so
/// listwise deletion downstream treats it as the item would be treated.
pub fn score_constructs(
    data: &mut Dataset,
    constructs: &[Construct],
    scale: Option<(f64, f64)>,
    method: ScoreMethod,
) -> Result<(), crate::Error> {
    check_constructs(constructs)?;
    if let Some(range) = scale {
        for c in constructs {
            for it in &c.items {
                check_in_scale(data, &it.name, range)?;
            }
        }
    }
    for c in constructs {
        let mut score = vec![0.0; data.n_rows()];
        for it in &c.items {
            let col = data.numeric(&it.name)?;
            let range = if it.reversed {
                Some(scale.ok_or_else(|| MeasureError::NoScaleRange {
                    construct: c.name.clone(),
                    item: it.name.clone(),
                })?)
            } else {
                None
            };
            for (s, &x) in score.iter_mut().zip(col) {
                *s += match range {
                    Some((lo, hi)) => lo + hi - x,
                    None => x,
                };
            }
        }
        if method == ScoreMethod::Mean {
            let k = c.items.len() as f64;
            score.iter_mut().for_each(|s| *s /= k);
        }
        data.set(Variable::numeric(c.name.clone(), score))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reverse_items_and_rejects_bad_definitions() {
        let c = Construct::parse("collab = c1, c2,-c3 c4").unwrap();
        assert_eq!(c.name, "collab");
        assert_eq!(c.item_names(), ["c1", "c2", "c3", "c4"]);
        assert!(c.items[2].reversed && !c.items[0].reversed);
        assert!(Construct::parse("collab").is_err());
        assert!(Construct::parse("=a,b").is_err());
        assert!(Construct::parse("x=a,a").is_err());
        assert!(Construct::parse("x=").is_err());
        let e = parse_constructs(&["a=x,y", "b=y,z"]).unwrap_err();
        assert!(matches!(e, MeasureError::SharedItem { .. }), "{e}");
        let e = parse_constructs(&["a=x,y", "a=z,w"]).unwrap_err();
        assert!(matches!(e, MeasureError::DuplicateConstruct { .. }));
        let cs = parse_constructs_file("# c\na = x y\n\nb = z, -w # rev\n").unwrap();
        assert_eq!(cs.len(), 2);
        assert!(cs[1].items[1].reversed);
    }

    #[test]
    fn scores_mean_and_sum_with_reverse_coding() {
        let mut d = Dataset::new(
            "t",
            vec![
                Variable::numeric("a", vec![1.0, 2.0, f64::NAN]),
                Variable::numeric("b", vec![5.0, 4.0, 3.0]),
            ],
        )
        .unwrap();
        let cs = parse_constructs(&["s=a,-b"]).unwrap();
        assert!(score_constructs(&mut d, &cs, None, ScoreMethod::Mean).is_err());
        score_constructs(&mut d, &cs, Some((1.0, 5.0)), ScoreMethod::Sum).unwrap();
        let s = d.numeric("s").unwrap();
        assert_eq!(&s[..2], &[2.0, 4.0]);
        assert!(s[2].is_nan());
    }
}
