//! Plain types and rules of the domain: parsed values that cannot be built
//! invalid, and the pure logic on them. No actix, no diesel.

pub mod clinician;
pub mod credentials;
pub mod dosage;
pub mod exercise;
pub mod figure;
pub mod ids;
pub mod link;
pub mod paper;
pub mod patch;
pub mod patient;
pub mod precaution;
pub mod program;
pub mod rules;
pub mod search;
pub mod vocabulary;

/// A validation failure of one field: which field, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Trims `raw` and checks it is 1..=`max` characters long.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters (got {len})"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_owned())
}
