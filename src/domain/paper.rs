//! Paper sizes and type sizes a handout prints in: the clinic's default
//! paper, and a choice at download time. The same names in storage, the
//! API, forms and the PDF.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// Paper size of a handout.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// US Letter, 215.9 × 279.4 mm.
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

impl Paper {
    /// Every size, in the order a form offers them.
    pub const ALL: [Paper; 2] = [Paper::Letter, Paper::A4];

    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::Letter => (215.9, 279.4),
            Paper::A4 => (210.0, 297.0),
        }
    }

    /// The name in URLs, forms, JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }

    /// What a person reads in a form.
    pub fn label(self) -> &'static str {
        match self {
            Paper::Letter => "US Letter",
            Paper::A4 => "A4",
        }
    }

    /// Parses user input, naming `field` in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        raw.parse()
            .map_err(|_| FieldError::new(field, "must be letter or a4"))
    }
}

/// Type size of a handout.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PrintSize {
    /// Body text at the standard size.
    #[default]
    Normal,
    /// Body text at 16 pt, everything else scaled up, for patients who need it.
    Large,
}

/// A choice from a form or a query: missing or empty is no choice (a
/// form's "the usual" option sends an empty value).
pub fn choice<T>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    raw.filter(|r| !r.is_empty()).map(parse).transpose()
}

/// How a handout is set: `standard`; `compact` (smaller, without tips, for
/// patients who know their exercises); `large` (16 pt body).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PrintLayout {
    #[default]
    Standard,
    Compact,
    Large,
}

impl PrintLayout {
    /// Parses user input, naming `field` in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match raw {
            "standard" => Ok(Self::Standard),
            "compact" => Ok(Self::Compact),
            "large" => Ok(Self::Large),
            _ => Err(FieldError::new(field, "must be standard, compact or large")),
        }
    }
}

impl PrintSize {
    /// Parses user input, naming `field` in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match raw {
            "normal" => Ok(Self::Normal),
            "large" => Ok(Self::Large),
            _ => Err(FieldError::new(field, "must be normal or large")),
        }
    }
}

impl FromStr for Paper {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw).ok_or(())
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_names_round_trip_and_others_are_refused() {
        for paper in Paper::ALL {
            assert_eq!(paper.as_str().parse(), Ok(paper));
        }
        assert!(Paper::parse("paper", "legal").is_err());
        assert!(Paper::parse("paper", "A4").is_err());
    }
}
