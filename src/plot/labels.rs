//! Display labels for variables (`--labels name=Label,...`) and for product terms built from them.

use std::collections::BTreeMap;

use super::PlotError;

/// Variable name -> label shown in figures; names without an entry are shown as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    /// The label of a variable, or its name.
    pub fn var(&self, name: &str) -> String {
        self.0
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// `defaults` (such as the data file's variable labels) with these labels on top.
    pub fn over(&self, defaults: impl IntoIterator<Item = (String, String)>) -> Labels {
        let mut map: BTreeMap<String, String> = defaults.into_iter().collect();
        map.extend(self.0.clone());
        Labels(map)
    }

    /// The labels with characters the bundled font cannot draw: (variable, label, characters).
    pub fn unprintable(&self) -> Vec<(String, String, Vec<char>)> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let missing = super::font::missing_glyphs(v);
                (!missing.is_empty()).then(|| (k.clone(), v.clone(), missing))
            })
            .collect()
    }

    /// The label of a term: a product's factors joined by ` × ` (`x:w` -> `X × W`); a coded
    /// column of a categorical variable keeps its level tag (`g[2]` -> `Group[2]`).
    pub fn term(&self, term: &str) -> String {
        split_factors(term)
            .iter()
            .map(|f| match f.find('[') {
                Some(i) if self.0.contains_key(&f[..i]) => {
                    format!("{}{}", self.var(&f[..i]), &f[i..])
                }
                _ => self.var(f),
            })
            .collect::<Vec<_>>()
            .join(" × ")
    }
}

/// Splits a term name at colons outside level tags: `x:g[b:c]` -> [`x`, `g[b:c]`].
pub fn split_factors(term: &str) -> Vec<String> {
    crate::estimation::column_factors(term)
}

/// Parses `name=Label,name2=Label 2`. Labels may contain spaces; a comma or `=` inside a label
/// is not supported. Empty names or labels and a name given twice are errors.
pub fn parse_labels(text: &str) -> Result<Labels, PlotError> {
    let mut map = BTreeMap::new();
    for item in text.split(',') {
        let item_t = item.trim();
        if item_t.is_empty() {
            continue;
        }
        let err = |message: &str| PlotError::Labels {
            item: item_t.to_string(),
            message: message.to_string(),
        };
        let (name, label) = item_t
            .split_once('=')
            .ok_or_else(|| err("there is no '=' between the name and its label"))?;
        let (name, label) = (name.trim(), label.trim());
        if name.is_empty() {
            return Err(err("the variable name is empty"));
        }
        if label.is_empty() {
            return Err(err("the label is empty"));
        }
        if label.contains('=') {
            return Err(err("a label cannot contain '='"));
        }
        if map.insert(name.to_string(), label.to_string()).is_some() {
            return Err(err("this variable is labelled twice"));
        }
    }
    Ok(Labels(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs_and_labels_terms() {
        let l = parse_labels("collab=Collaboration, w = Psychic distance,").unwrap();
        assert_eq!(l.var("collab"), "Collaboration");
        assert_eq!(l.var("other"), "other");
        assert_eq!(l.term("collab:w"), "Collaboration × Psychic distance");
        assert_eq!(l.term("w:g[b:c]"), "Psychic distance × g[b:c]");
        assert!(parse_labels("").unwrap().0.is_empty());
        // Some variables only; the others keep their defaults or names.
        let over = parse_labels("w=Distance").unwrap().over([
            ("w".to_string(), "psychic distance".to_string()),
            ("x".to_string(), "Network ties".to_string()),
        ]);
        assert_eq!(over.var("w"), "Distance");
        assert_eq!(over.var("x"), "Network ties");
        assert_eq!(over.var("m"), "m");
        let odd = parse_labels("x=輸出,m=Collaboration")
            .unwrap()
            .unprintable();
        assert_eq!(odd, vec![("x".into(), "輸出".into(), vec!['輸', '出'])]);
    }

    #[test]
    fn bad_items_are_typed_errors_naming_the_item() {
        for (text, item) in [
            ("a=A,bB", "bB"),
            ("=A", "=A"),
            ("a=", "a="),
            ("a=A,a=B", "a=B"),
            ("a=A=B", "a=A=B"),
        ] {
            match parse_labels(text) {
                Err(PlotError::Labels { item: i, .. }) => assert_eq!(i, item, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
