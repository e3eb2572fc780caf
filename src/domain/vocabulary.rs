//! The controlled vocabularies (regions, categories, movement tags,
//! equipment, positions) that exercises and precautions must use.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Every allowed value of each vocabulary, with its meaning.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub regions: BTreeMap<String, String>,
    pub categories: BTreeMap<String, String>,
    pub movement: BTreeMap<String, String>,
    pub equipment: BTreeMap<String, String>,
    pub positions: BTreeMap<String, String>,
}

/// Which vocabulary a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Region,
    Category,
    Movement,
    Equipment,
    Position,
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
        }
    }

    pub fn contains(&self, kind: Kind, value: &str) -> bool {
        self.of(kind).contains_key(value)
    }

    /// "one of a, b, c" for error messages.
    pub fn allowed(&self, kind: Kind) -> String {
        let keys: Vec<&str> = self.of(kind).keys().map(String::as_str).collect();
        format!("one of {}", keys.join(", "))
    }
}
