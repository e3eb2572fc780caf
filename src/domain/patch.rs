//! PATCH bodies of the clinic's own catalog entries. Each field is absent
//! (keep the stored value), `null`, or a value, exactly as sent: the
//! service lays the patch over the stored entry and checks the result as a
//! new one, so a `null` where a value is required is refused there, with
//! the same message as on create.

use serde::{Deserialize, Deserializer, Serialize};

use super::dosage::{DosageInput, LoadInput};
use super::exercise::ExerciseInput;
use super::precaution::{PrecautionInput, SubstitutionInput};

/// Tells "absent" (None) from "set to null" (Some(None)).
pub fn explicit_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A field of a patch: absent, null, or a value.
pub type Field<T> = Option<Option<T>>;

/// The fields of a clinic exercise to change; the rest stay as they are.
/// `dosage` merges field by field. Same rules as on create.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExercisePatch {
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 80)]
    pub name: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, max_items = 10)]
    pub aliases: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub summary: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub regions: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub category: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 5)]
    pub difficulty: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub movement: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub equipment: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub position: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, min_items = 3, max_items = 7)]
    pub steps: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>, min_items = 1, max_items = 4)]
    pub cues: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub stop_if: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<DosagePatch>)]
    pub dosage: Field<DosagePatch>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub drawn_like: Field<super::ids::ExerciseId>,
}

/// The dosage numbers to change; `null` clears one (e.g. reps, for a hold).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DosagePatch {
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 20)]
    pub sets: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub reps: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 600)]
    pub hold_seconds: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 5, maximum = 14400)]
    pub duration_seconds: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 50000)]
    pub distance_m: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<LoadInput>)]
    pub load: Field<LoadInput>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 5, maximum = 600)]
    pub rest_seconds: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<bool>)]
    pub each_side: Field<bool>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 10)]
    pub times_per_day: Field<i64>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 7)]
    pub days_per_week: Field<i64>,
}

/// The fields of a clinic precaution to change; the rest stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrecautionPatch {
    /// The slug.
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub id: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 120)]
    pub label: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 600)]
    pub description: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub avoid: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub caution: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<String>>)]
    pub prefer: Field<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 600)]
    pub patient_avoid: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 600)]
    pub patient_instead: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 600)]
    pub patient_caution: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, max_length = 600)]
    pub see_therapist_if: Field<String>,
    #[serde(
        default,
        deserialize_with = "explicit_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<SubstitutionInput>>)]
    pub substitution: Field<Vec<SubstitutionInput>>,
}

/// A whole exercise as a patch that replaces every field (the edit form).
impl From<ExerciseInput> for ExercisePatch {
    fn from(input: ExerciseInput) -> Self {
        Self {
            slug: Some(Some(input.slug)),
            name: Some(Some(input.name)),
            aliases: Some(Some(input.aliases)),
            summary: Some(Some(input.summary)),
            regions: Some(Some(input.regions)),
            category: Some(Some(input.category)),
            difficulty: Some(input.difficulty),
            movement: Some(Some(input.movement)),
            equipment: Some(Some(input.equipment)),
            position: Some(Some(input.position)),
            steps: Some(Some(input.steps)),
            cues: Some(Some(input.cues)),
            stop_if: Some(input.stop_if),
            dosage: Some(Some(input.dosage.into())),
            drawn_like: Some(input.drawn_like),
        }
    }
}

impl From<DosageInput> for DosagePatch {
    fn from(input: DosageInput) -> Self {
        Self {
            sets: Some(input.sets),
            reps: Some(input.reps),
            hold_seconds: Some(input.hold_seconds),
            duration_seconds: Some(input.duration_seconds),
            distance_m: Some(input.distance_m),
            load: Some(input.load),
            rest_seconds: Some(input.rest_seconds),
            each_side: Some(input.each_side),
            times_per_day: Some(input.times_per_day),
            days_per_week: Some(input.days_per_week),
        }
    }
}

/// A whole precaution as a patch that replaces every field (the edit form).
impl From<PrecautionInput> for PrecautionPatch {
    fn from(input: PrecautionInput) -> Self {
        Self {
            id: Some(Some(input.id)),
            label: Some(Some(input.label)),
            description: Some(Some(input.description)),
            avoid: Some(Some(input.avoid)),
            caution: Some(Some(input.caution)),
            prefer: Some(Some(input.prefer)),
            patient_avoid: Some(Some(input.patient_avoid)),
            patient_instead: Some(Some(input.patient_instead)),
            patient_caution: Some(input.patient_caution),
            see_therapist_if: Some(input.see_therapist_if),
            substitution: Some(Some(input.substitution)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_keeps_absent_null_and_values_apart() {
        let patch: ExercisePatch =
            serde_json::from_str(r#"{"name": "Row", "stop_if": null, "dosage": {"reps": null}}"#)
                .unwrap();
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            serde_json::json!({"name": "Row", "stop_if": null, "dosage": {"reps": null}})
        );
        assert!(serde_json::from_str::<ExercisePatch>(r#"{"nmae": "Row"}"#).is_err());
    }
}
