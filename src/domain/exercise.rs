//! An exercise's content, parsed and checked against the vocabularies. The
//! same rules hold for catalog files and for a clinic's own exercises.

use serde::{Deserialize, Serialize};

use super::dosage::{Dosage, DosageInput};
use super::vocabulary::{Kind, Vocabulary};
use super::FieldError;

pub const NAME_MAX: usize = 80;
pub const SUMMARY_MAX: usize = 200;
pub const STEP_MAX: usize = 400;
pub const STEPS: (usize, usize) = (3, 7);
pub const CUES: (usize, usize) = (1, 4);
pub const ALIASES_MAX: usize = 10;
pub const SLUG_MAX: usize = 80;
/// Difficulty levels run from 1 (very easy) to 5 (very hard).
pub const DIFFICULTY: (u8, u8) = (1, 5);
/// The level of an exercise sent without one (older clients, older rows).
pub const DEFAULT_DIFFICULTY: u8 = 3;

fn default_difficulty() -> u8 {
    DEFAULT_DIFFICULTY
}

/// An exercise as written in a catalog file or sent by a clinic admin.
/// Vocabulary fields (`regions`, `category`, `movement`, `equipment`,
/// `position`) take the values listed in `exercise_catalog/vocabulary.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExerciseInput {
    /// Lower-case letters, digits and single hyphens.
    #[schema(max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub aliases: Vec<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub summary: String,
    pub regions: Vec<String>,
    pub category: String,
    /// 1 (very easy) to 5 (very hard); 3 when left out. Alternatives to an
    /// avoided exercise come from its level or easier.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 5)]
    pub difficulty: Option<i64>,
    pub movement: Vec<String>,
    #[serde(default)]
    pub equipment: Vec<String>,
    pub position: String,
    #[schema(min_items = 3, max_items = 7)]
    pub steps: Vec<String>,
    #[serde(default)]
    #[schema(min_items = 1, max_items = 4)]
    pub cues: Vec<String>,
    #[serde(default)]
    pub stop_if: Option<String>,
    #[serde(deserialize_with = "DosageInput::strict")]
    pub dosage: DosageInput,
    /// A built-in exercise whose drawn figure this one shows ("drawn like").
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub drawn_like: Option<super::ids::ExerciseId>,
}

/// A valid exercise. Fields mirror the input; every value is known-good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ExerciseContent)]
pub struct ExerciseSpec {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub regions: Vec<String>,
    pub category: String,
    #[serde(default = "default_difficulty")]
    pub difficulty: u8,
    pub movement: Vec<String>,
    pub equipment: Vec<String>,
    pub position: String,
    pub steps: Vec<String>,
    pub cues: Vec<String>,
    pub stop_if: Option<String>,
    pub dosage: Dosage,
    /// The drawn figure (built-in exercises), self-contained so a published
    /// version keeps drawing it the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub figure: Option<super::figure::Figure>,
    /// The built-in exercise the figure was taken from (a clinic's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub drawn_like: Option<super::ids::ExerciseId>,
    /// The conditions it serves, from the vocabulary's `conditions`
    /// (built-in catalog).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// The next easier exercise of its progression (built-in catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easier: Option<Step>,
    /// The next harder exercise of its progression (built-in catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harder: Option<Step>,
}

/// A neighbour in a progression: its slug and its name as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Step {
    pub slug: String,
    pub name: String,
}

/// Checks a slug: lower-case letters, digits and single hyphens.
pub fn check_slug(field: &str, slug: &str) -> Result<(), FieldError> {
    let ok = !slug.is_empty()
        && slug.len() <= SLUG_MAX
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "must be lower-case letters, digits and single hyphens, like `standing-row`",
        ))
    }
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) -> String {
    match super::required_text(field, value, max) {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            String::new()
        }
    }
}

fn list(
    errors: &mut Vec<FieldError>,
    field: &str,
    values: &[String],
    (lo, hi): (usize, usize),
    max_len: usize,
) -> Vec<String> {
    if values.len() < lo || values.len() > hi {
        errors.push(FieldError::new(
            field,
            format!("needs {lo} to {hi} entries (got {})", values.len()),
        ));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, v)| text(errors, &format!("{field}[{i}]"), v, max_len))
        .collect()
}

/// Checks each value is in the vocabulary and not repeated; a retired
/// movement tag becomes the tags it stood for.
pub fn tags(
    errors: &mut Vec<FieldError>,
    vocab: &Vocabulary,
    kind: Kind,
    field: &str,
    values: &[String],
) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for value in values {
        if let Some(current) = (kind == Kind::Movement)
            .then(|| vocab.replacing(value))
            .flatten()
        {
            for tag in current {
                if !seen.contains(tag) {
                    seen.push(tag.clone());
                }
            }
        } else if !vocab.contains(kind, value) {
            errors.push(FieldError::new(
                field,
                format!("unknown value `{value}`; use {}", vocab.allowed(kind)),
            ));
        } else if seen.contains(value) {
            errors.push(FieldError::new(field, format!("`{value}` is listed twice")));
        } else {
            seen.push(value.clone());
        }
    }
    seen
}

impl ExerciseSpec {
    /// Parses an exercise, reporting every problem at once. Long by nature:
    /// one short check per field, collected in one pass.
    pub fn parse(input: ExerciseInput, vocab: &Vocabulary) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(e) = check_slug("slug", &input.slug) {
            errors.push(e);
        }
        let name = text(&mut errors, "name", &input.name, NAME_MAX);
        let summary = text(&mut errors, "summary", &input.summary, SUMMARY_MAX);
        let aliases = list(
            &mut errors,
            "aliases",
            &input.aliases,
            (0, ALIASES_MAX),
            NAME_MAX,
        );
        if input.regions.is_empty() {
            errors.push(FieldError::new("regions", "needs at least one region"));
        }
        let regions = tags(&mut errors, vocab, Kind::Region, "regions", &input.regions);
        if !vocab.contains(Kind::Category, &input.category) {
            errors.push(FieldError::new(
                "category",
                format!(
                    "unknown value `{}`; use {}",
                    input.category,
                    vocab.allowed(Kind::Category)
                ),
            ));
        }
        let difficulty = match input.difficulty {
            None => DEFAULT_DIFFICULTY,
            Some(level) => u8::try_from(level)
                .ok()
                .filter(|l| (DIFFICULTY.0..=DIFFICULTY.1).contains(l))
                .unwrap_or_else(|| {
                    errors.push(FieldError::new(
                        "difficulty",
                        "must be a whole number from 1 (very easy) to 5 (very hard)",
                    ));
                    DEFAULT_DIFFICULTY
                }),
        };
        let movement = tags(
            &mut errors,
            vocab,
            Kind::Movement,
            "movement",
            &input.movement,
        );
        let equipment = tags(
            &mut errors,
            vocab,
            Kind::Equipment,
            "equipment",
            &input.equipment,
        );
        if !vocab.contains(Kind::Position, &input.position) {
            errors.push(FieldError::new(
                "position",
                format!(
                    "unknown value `{}`; use {}",
                    input.position,
                    vocab.allowed(Kind::Position)
                ),
            ));
        }
        let steps = list(&mut errors, "steps", &input.steps, STEPS, STEP_MAX);
        let cues = list(&mut errors, "cues", &input.cues, CUES, STEP_MAX);
        let stop_if = input
            .stop_if
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| text(&mut errors, "stop_if", s, STEP_MAX));
        let dosage = Dosage::parse(input.dosage, None, "dosage.")
            .map_err(|e| errors.extend(e))
            .ok();
        match dosage {
            Some(dosage) if errors.is_empty() => Ok(Self {
                slug: input.slug,
                name,
                aliases,
                summary,
                regions,
                category: input.category,
                difficulty,
                movement,
                equipment,
                position: input.position,
                steps,
                cues,
                stop_if,
                dosage,
                figure: None,
                drawn_like: input.drawn_like,
                conditions: Vec::new(),
                easier: None,
                harder: None,
            }),
            _ => Err(errors),
        }
    }
}
