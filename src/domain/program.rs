//! A program's draft: title, goals/notes and ordered items with dosage,
//! parsed within the clinical and size limits. Published versions freeze a
//! copy of each exercise's texts (`Version`), so a handout can always be
//! reproduced even after the catalog changes.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::dosage::{Dosage, DosageInput};
use super::exercise::ExerciseSpec;
use super::ids::{ExerciseId, PictureId, PrecautionId};
use super::{required_text, FieldError};

pub const TITLE_MAX: usize = 200;
pub const NOTES_MAX: usize = 2000;
pub const ITEMS_MAX: usize = 50;
pub const ITEM_NOTE_MAX: usize = 500;
pub const OVERRIDE_MAX: usize = 500;

/// Which side of the body an item is done on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    Both,
    Alternating,
}

impl Side {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "left" => Ok(Self::Left),
            "right" => Ok(Self::Right),
            "both" => Ok(Self::Both),
            "alternating" => Ok(Self::Alternating),
            _ => Err(FieldError::new(
                field,
                "must be left, right, both or alternating",
            )),
        }
    }

    /// How the dosage line says it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Left => "left side",
            Self::Right => "right side",
            Self::Both => "both sides",
            Self::Alternating => "alternating sides",
        }
    }
}

/// An item as sent by a client. Dosage numbers left out come from the
/// exercise's default dosage; give at least one of reps, hold_seconds,
/// duration_seconds and distance_m (or none, for the exercise's own).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    /// An exercise the clinic may pick (built-in or its own).
    #[schema(value_type = String, format = Uuid)]
    pub exercise_id: ExerciseId,
    /// Sets, reps, hold, times a day, days a week; each left out takes the
    /// exercise's default.
    #[serde(flatten)]
    pub dosage: DosageInput,
    #[schema(value_type = Option<Side>)]
    pub side: Option<String>,
    #[schema(max_length = 500)]
    pub notes: Option<String>,
    /// Why an item the patient's precautions advise against is kept;
    /// publishing refuses avoided items without one.
    #[schema(max_length = 500)]
    pub override_reason: Option<String>,
}

/// A valid item of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    #[schema(value_type = String, format = Uuid)]
    pub exercise_id: ExerciseId,
    pub dosage: Dosage,
    #[schema(required = true)]
    pub side: Option<Side>,
    #[schema(required = true)]
    pub notes: Option<String>,
    #[schema(required = true)]
    pub override_reason: Option<String>,
}

impl Item {
    /// Back to the input shape, e.g. to copy items between programs.
    pub fn to_input(&self) -> ItemInput {
        ItemInput {
            exercise_id: self.exercise_id,
            dosage: DosageInput::from(self.dosage),
            side: self.side.map(|s| {
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            }),
            notes: self.notes.clone(),
            override_reason: self.override_reason.clone(),
        }
    }

    /// "3 sets of 10 reps · hold 5 s · twice a day · 5 days a week · left side"
    pub fn dosage_line(&self) -> String {
        match self.side {
            Some(side) => format!("{} · {}", self.dosage.describe(), side.describe()),
            None => self.dosage.describe(),
        }
    }
}

fn optional_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = raw.map(str::trim).filter(|v| !v.is_empty())?;
    required_text(field, value, max)
        .map_err(|e| errors.push(e))
        .ok()
}

pub fn parse_title(raw: &str) -> Result<String, FieldError> {
    required_text("title", raw, TITLE_MAX)
}

pub fn parse_notes(raw: Option<&str>) -> Result<String, FieldError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => required_text("notes", v, NOTES_MAX),
        None => Ok(String::new()),
    }
}

/// Parses items in order. `defaults` gives an exercise's default dosage, or
/// None when the id names no exercise the clinic can use.
pub fn parse_items(
    inputs: Vec<ItemInput>,
    defaults: impl Fn(ExerciseId) -> Option<Dosage>,
) -> Result<Vec<Item>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if inputs.len() > ITEMS_MAX {
        errors.push(FieldError::new(
            "items",
            format!("at most {ITEMS_MAX} items (got {})", inputs.len()),
        ));
        return Err(errors);
    }
    let mut items = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let prefix = format!("items[{i}].");
        let exercise_id = input.exercise_id;
        let Some(default) = defaults(exercise_id) else {
            errors.push(FieldError::new(
                format!("{prefix}exercise_id"),
                "no usable exercise with this id in your catalog",
            ));
            continue;
        };
        let dosage = Dosage::parse(input.dosage, Some(&default), &prefix);
        let side = input
            .side
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Side::parse(&format!("{prefix}side"), s))
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let notes = optional_text(
            &mut errors,
            &format!("{prefix}notes"),
            input.notes.as_deref(),
            ITEM_NOTE_MAX,
        );
        let override_reason = optional_text(
            &mut errors,
            &format!("{prefix}override_reason"),
            input.override_reason.as_deref(),
            OVERRIDE_MAX,
        );
        match dosage {
            Ok(dosage) => items.push(Item {
                exercise_id,
                dosage,
                side,
                notes,
                override_reason,
            }),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// A published item: the item plus the exercise as it was at publishing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionItem {
    #[serde(flatten)]
    pub item: Item,
    pub exercise: ExerciseSpec,
    /// The precautions the therapist's override reason answered when this
    /// item was published avoided; a later clash with another precaution
    /// still needs review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub overridden: Vec<PrecautionId>,
}

/// The patient-facing words of one precaution, frozen with the version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionPrecaution {
    #[schema(value_type = String)]
    pub id: PrecautionId,
    pub label: String,
    pub patient_avoid: String,
    pub patient_instead: String,
    /// How to do the caution exercises safely, where the precaution says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_caution: Option<String>,
    /// Completes "See your therapist if …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see_therapist_if: Option<String>,
}

/// An immutable published version of a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub version: i32,
    pub title: String,
    pub notes: String,
    pub published_at: NaiveDateTime,
    pub therapist_name: String,
    pub patient_display_name: String,
    pub items: Vec<VersionItem>,
    pub precautions: Vec<VersionPrecaution>,
    /// Exercise id → the picture it showed at publishing, so a reprint
    /// shows the same picture after the catalog's changes. `None` means
    /// each exercise's current picture: a draft preview, or a version
    /// published before pictures were kept with versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pictures: Option<std::collections::BTreeMap<ExerciseId, PictureId>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExerciseRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: ExerciseId,
    pub name: String,
}

impl From<&crate::domain::exercise::Step> for ExerciseRef {
    /// A progression step of the built-in catalog.
    fn from(step: &crate::domain::exercise::Step) -> Self {
        Self {
            id: ExerciseId::builtin(&step.slug),
            name: step.name.clone(),
        }
    }
}

/// An item of the latest published version that the patient's precautions
/// now advise against, and no override answered: the program needs review.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewItem {
    /// Its place in the published version.
    pub item_index: usize,
    #[schema(value_type = String, format = Uuid)]
    pub exercise_id: ExerciseId,
    pub exercise_name: String,
    #[schema(value_type = Vec<String>)]
    pub precautions: Vec<PrecautionId>,
    pub tags: Vec<String>,
}

/// An avoided item: the precautions and tags behind it, and safer choices.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Conflict)]
pub struct ConflictView {
    pub item_index: usize,
    #[schema(value_type = String, format = Uuid)]
    pub exercise_id: ExerciseId,
    #[schema(value_type = Vec<String>)]
    pub precautions: Vec<PrecautionId>,
    pub tags: Vec<String>,
    pub alternatives: Vec<ExerciseRef>,
    /// The clinician's reason for keeping it, when given.
    pub override_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(id: ExerciseId) -> Option<Dosage> {
        (id == ExerciseId::builtin("known")).then_some(Dosage {
            sets: 2,
            reps: Some(10),
            hold_seconds: None,
            duration_seconds: None,
            distance_m: None,
            load: None,
            rest_seconds: None,
            each_side: false,
            times_per_day: 1,
            days_per_week: 5,
        })
    }

    fn item(id: &str) -> ItemInput {
        ItemInput {
            exercise_id: ExerciseId::builtin(id),
            ..ItemInput::default()
        }
    }

    #[test]
    fn items_take_the_exercise_defaults_and_read_clearly() {
        let mut input = item("known");
        input.side = Some("left".into());
        let items = parse_items(vec![input], defaults).unwrap();
        assert_eq!(
            items[0].dosage_line(),
            "2 sets of 10 reps · once a day · 5 days a week · left side"
        );
    }

    #[test]
    fn bad_items_are_named_by_index_and_field() {
        let mut zero_reps = item("known");
        zero_reps.dosage.reps = Some(0);
        let mut long_note = item("known");
        long_note.notes = Some("x".repeat(501));
        let errors = parse_items(
            vec![item("known"), zero_reps, item("ghost"), long_note],
            defaults,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["items[1].reps", "items[2].exercise_id", "items[3].notes"]
        );
    }

    #[test]
    fn an_item_carries_its_dosage_among_its_own_keys_and_refuses_others() {
        let id = ExerciseId::builtin("known");
        let item: ItemInput = serde_json::from_value(
            serde_json::json!({"exercise_id": id, "sets": 3, "side": "left"}),
        )
        .unwrap();
        assert_eq!(
            (item.dosage.sets, item.side.as_deref()),
            (Some(3), Some("left"))
        );
        let odd = serde_json::from_value::<ItemInput>(
            serde_json::json!({"exercise_id": id, "sets": 3, "set": 4}),
        );
        assert!(odd.unwrap_err().to_string().contains("unknown field `set`"));
    }

    #[test]
    fn more_than_fifty_items_are_refused() {
        let errors = parse_items((0..51).map(|_| item("known")).collect(), defaults).unwrap_err();
        assert_eq!(errors[0].field, "items");
    }
}
