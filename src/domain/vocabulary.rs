//! The controlled vocabularies (regions, categories, movement tags,
//! equipment, positions, conditions) that exercises and precautions must
//! use.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Every allowed value of each vocabulary, with its meaning.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub regions: BTreeMap<String, String>,
    pub categories: BTreeMap<String, String>,
    pub movement: BTreeMap<String, String>,
    /// Movement tags of an earlier vocabulary, each read as the tags it
    /// stood for, so older clinic entries and API clients keep working.
    #[serde(default)]
    pub retired: BTreeMap<String, Vec<String>>,
    /// What each difficulty level (1 to 5) means.
    #[serde(default)]
    pub difficulty: BTreeMap<String, String>,
    pub equipment: BTreeMap<String, String>,
    pub positions: BTreeMap<String, String>,
    /// The conditions exercises serve, for finding them.
    #[serde(default)]
    pub conditions: BTreeMap<String, String>,
}

/// Which vocabulary a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Region,
    Category,
    Movement,
    Equipment,
    Position,
    Condition,
}

impl Vocabulary {
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    fn of(&self, kind: Kind) -> &BTreeMap<String, String> {
        match kind {
            Kind::Region => &self.regions,
            Kind::Category => &self.categories,
            Kind::Movement => &self.movement,
            Kind::Equipment => &self.equipment,
            Kind::Position => &self.positions,
            Kind::Condition => &self.conditions,
        }
    }

    pub fn contains(&self, kind: Kind, value: &str) -> bool {
        self.of(kind).contains_key(value)
    }

    /// The current tags a retired movement tag stands for; `None` for a
    /// tag that is not retired.
    pub fn replacing(&self, tag: &str) -> Option<&[String]> {
        self.retired.get(tag).map(Vec::as_slice)
    }

    /// `tags` with every retired movement tag replaced by the tags it stood
    /// for, in order, each once. The rest are kept as they are.
    pub fn upgrade(&self, tags: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for tag in tags {
            let current = match self.replacing(tag) {
                Some(new) => new.to_vec(),
                None => vec![tag.clone()],
            };
            for t in current {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// "one of a, b, c" for error messages.
    pub fn allowed(&self, kind: Kind) -> String {
        let keys: Vec<&str> = self.of(kind).keys().map(String::as_str).collect();
        format!("one of {}", keys.join(", "))
    }
}
