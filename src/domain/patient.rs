//! A patient's details, parsed: names, optional date of birth, chart number
//! and contact, and the precautions that apply.

use chrono::NaiveDate;
use serde::Deserialize;

use super::ids::PrecautionId;
use super::patch::explicit_null;
use super::{required_text, FieldError};

pub const NAME_MAX: usize = 100;
pub const EXTERNAL_ID_MAX: usize = 64;
pub const CONTACT_MAX: usize = 200;
pub const PRECAUTIONS_MAX: usize = 20;

/// Patient fields as sent; every field optional so one type serves create
/// (where names are then required) and partial update.
/// On create, `first_name` and `last_name` are required; on PATCH every
/// field is optional. `null` clears `date_of_birth`, `external_id` and
/// `contact`; for the other fields it means "left out".
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientInput {
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
    /// `YYYY-MM-DD`, from 1900-01-01 to today; empty or `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, example = "1970-05-31")]
    pub date_of_birth: Option<Option<String>>,
    /// The chart number.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub external_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub contact: Option<Option<String>>,
    /// Precaution ids (see GET /api/v1/precautions).
    #[schema(max_items = 20)]
    pub precautions: Option<Vec<String>>,
}

/// A complete, valid patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub external_id: Option<String>,
    pub contact: Option<String>,
    pub precautions: Vec<PrecautionId>,
}

fn optional(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match required_text(field, value, max) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

impl Patient {
    /// Applies `input` over `current` (or over nothing, for a new patient)
    /// and checks the result, reporting every invalid field. Long by
    /// nature: one short check per field, all in one pass so a form shows
    /// every problem at once.
    pub fn parse(
        input: PatientInput,
        current: Option<&Patient>,
        today: NaiveDate,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut name = |field: &str, given: Option<String>, existing: Option<&String>| match given
            .or_else(|| existing.cloned())
        {
            Some(v) => required_text(field, &v, NAME_MAX).unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            }),
            None => {
                errors.push(FieldError::new(field, "is required"));
                String::new()
            }
        };
        let first_name = name(
            "first_name",
            input.first_name,
            current.map(|c| &c.first_name),
        );
        let last_name = name("last_name", input.last_name, current.map(|c| &c.last_name));

        let date_of_birth = match input.date_of_birth {
            None => current.and_then(|c| c.date_of_birth),
            Some(None) => None,
            Some(Some(raw)) if raw.trim().is_empty() => None,
            Some(Some(raw)) => match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
                Ok(date) if date > today => {
                    errors.push(FieldError::new("date_of_birth", "cannot be in the future"));
                    None
                }
                Ok(date) if date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date) => {
                    errors.push(FieldError::new("date_of_birth", "must be after 1900-01-01"));
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push(FieldError::new(
                        "date_of_birth",
                        "must be a date like 1970-05-31",
                    ));
                    None
                }
            },
        };
        let external_id = match input.external_id {
            None => current.and_then(|c| c.external_id.clone()),
            Some(value) => optional(
                &mut errors,
                "external_id",
                value.as_deref(),
                EXTERNAL_ID_MAX,
            ),
        };
        let contact = match input.contact {
            None => current.and_then(|c| c.contact.clone()),
            Some(value) => optional(&mut errors, "contact", value.as_deref(), CONTACT_MAX),
        };
        let mut precautions = match input.precautions {
            None => current.map(|c| c.precautions.clone()).unwrap_or_default(),
            Some(raw) => precaution_ids(&raw).unwrap_or_else(|e| {
                errors.push(e);
                Vec::new()
            }),
        };
        precautions.dedup();
        if precautions.len() > PRECAUTIONS_MAX {
            errors.push(FieldError::new(
                "precautions",
                format!("at most {PRECAUTIONS_MAX} precautions"),
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                first_name,
                last_name,
                date_of_birth,
                external_id,
                contact,
                precautions,
            })
        } else {
            Err(errors)
        }
    }

    /// "Zoë N." — what a handout or patient page shows.
    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.last_name)
    }
}

/// The precaution ids of a patient form or body; text that cannot be an id
/// is named in the message, as an id the clinic does not have would be.
fn precaution_ids(raw: &[String]) -> Result<Vec<PrecautionId>, FieldError> {
    let odd: Vec<&str> = raw
        .iter()
        .map(String::as_str)
        .filter(|p| PrecautionId::parse(p).is_none())
        .collect();
    if odd.is_empty() {
        Ok(raw.iter().filter_map(|p| PrecautionId::parse(p)).collect())
    } else {
        Err(FieldError::new(
            "precautions",
            format!(
                "unknown precaution id(s): {}; see GET /api/v1/precautions",
                odd.join(", ")
            ),
        ))
    }
}

/// First name and last initial.
pub fn display_name(first_name: &str, last_name: &str) -> String {
    match last_name.chars().next() {
        Some(initial) => format!("{first_name} {initial}."),
        None => first_name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_new_patient_needs_names_and_a_sane_birth_date() {
        let input = PatientInput {
            date_of_birth: Some(Some("2030-01-01".into())),
            ..PatientInput::default()
        };
        let errors = Patient::parse(input, None, today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["first_name", "last_name", "date_of_birth"]);
    }

    #[test]
    fn a_patch_keeps_what_it_does_not_mention_and_clears_explicit_nulls() {
        let current = Patient {
            first_name: "Zoë".into(),
            last_name: "Nguyễn".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 2, 3),
            external_id: Some("MRN-1".into()),
            contact: None,
            precautions: vec![PrecautionId::parse("flexion-intolerant").unwrap()],
        };
        let patch: PatientInput =
            serde_json::from_str(r#"{"external_id": null, "last_name": "Ngo"}"#).unwrap();
        let updated = Patient::parse(patch, Some(&current), today()).unwrap();
        assert_eq!(updated.last_name, "Ngo");
        assert_eq!(updated.external_id, None);
        assert_eq!(updated.date_of_birth, current.date_of_birth);
        assert_eq!(updated.precautions, current.precautions);
        assert_eq!(current.display_name(), "Zoë N.");
    }
}
