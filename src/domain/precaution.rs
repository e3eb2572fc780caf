//! A precaution: movement tags to avoid, to approach with caution and to
//! prefer, explicit substitutions, and the patient's wording: the handout's
//! "avoid / do this instead" box, the caution line and "see your therapist
//! if …".

use serde::{Deserialize, Serialize};

use super::exercise::{check_slug, tags};
use super::ids::{ExerciseId, PrecautionId};
use super::vocabulary::{Kind, Vocabulary};
use super::FieldError;

pub const LABEL_MAX: usize = 120;
pub const TEXT_MAX: usize = 600;

/// Exercise `from` → exercise `to`, by id or slug.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubstitutionInput {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub reason: String,
}

/// A clinic precaution as sent. Tags take the movement vocabulary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrecautionInput {
    /// A slug; made from the label when empty.
    pub id: String,
    #[schema(min_length = 1, max_length = 120)]
    pub label: String,
    #[serde(default)]
    #[schema(max_length = 600)]
    pub description: String,
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Tags that are allowed but shown with a warning (never block
    /// publishing).
    #[serde(default)]
    pub caution: Vec<String>,
    #[serde(default)]
    pub prefer: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 600)]
    pub patient_avoid: String,
    #[serde(default)]
    #[schema(max_length = 600)]
    pub patient_instead: String,
    /// How to do the caution exercises safely, in the patient's words.
    #[serde(default)]
    #[schema(max_length = 600)]
    pub patient_caution: Option<String>,
    /// Completes "See your therapist if …" on the handout and the
    /// patient's page.
    #[serde(default)]
    #[schema(max_length = 600)]
    pub see_therapist_if: Option<String>,
    #[serde(default)]
    pub substitution: Vec<SubstitutionInput>,
}

/// One explicit swap: exercise `from` → exercise `to` (slugs or ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substitution {
    pub from: String,
    pub to: String,
    pub reason: String,
}

impl Substitution {
    /// The two exercises when named by id (a clinic's precaution; built-in
    /// files name them by slug); `None` for a side that is not an id.
    pub fn exercise_ids(&self) -> (Option<ExerciseId>, Option<ExerciseId>) {
        (ExerciseId::parse(&self.from), ExerciseId::parse(&self.to))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrecautionSpec {
    pub id: PrecautionId,
    pub label: String,
    pub description: String,
    pub avoid: Vec<String>,
    pub caution: Vec<String>,
    pub prefer: Vec<String>,
    pub patient_avoid: String,
    pub patient_instead: String,
    pub patient_caution: Option<String>,
    pub see_therapist_if: Option<String>,
    pub substitutions: Vec<Substitution>,
}

impl PrecautionSpec {
    /// Parses a precaution. Whether substitutions name real exercises is
    /// checked by the caller, which knows the catalog.
    pub fn parse(input: PrecautionInput, vocab: &Vocabulary) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = check_slug("id", &input.id)
            .and_then(|_| {
                PrecautionId::parse(&input.id)
                    .ok_or_else(|| FieldError::new("id", "is not a valid id"))
            })
            .map_err(|e| errors.push(e))
            .ok();
        let mut required = |field: &str, value: &str, max: usize| {
            super::required_text(field, value, max).unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        };
        let label = required("label", &input.label, LABEL_MAX);
        let description = required("description", &input.description, TEXT_MAX);
        let patient_avoid = required("patient_avoid", &input.patient_avoid, TEXT_MAX);
        let patient_instead = required("patient_instead", &input.patient_instead, TEXT_MAX);
        if input.avoid.is_empty() {
            errors.push(FieldError::new(
                "avoid",
                "needs at least one movement tag to avoid",
            ));
        }
        let avoid = tags(&mut errors, vocab, Kind::Movement, "avoid", &input.avoid);
        let caution = tags(
            &mut errors,
            vocab,
            Kind::Movement,
            "caution",
            &input.caution,
        );
        let prefer = tags(&mut errors, vocab, Kind::Movement, "prefer", &input.prefer);
        for tag in caution.iter().filter(|t| avoid.contains(t)) {
            errors.push(FieldError::new(
                "caution",
                format!("`{tag}` cannot be both avoided and a caution"),
            ));
        }
        for tag in &prefer {
            let other = if avoid.contains(tag) {
                "avoided"
            } else if caution.contains(tag) {
                "a caution"
            } else {
                continue;
            };
            errors.push(FieldError::new(
                "prefer",
                format!("`{tag}` cannot be both {other} and preferred"),
            ));
        }
        let mut optional = |field: &str, value: Option<String>| {
            value.filter(|v| !v.trim().is_empty()).and_then(|v| {
                super::required_text(field, &v, TEXT_MAX)
                    .map_err(|e| errors.push(e))
                    .ok()
            })
        };
        let patient_caution = optional("patient_caution", input.patient_caution);
        let see_therapist_if = optional("see_therapist_if", input.see_therapist_if);
        let mut substitutions = Vec::new();
        for (i, sub) in input.substitution.into_iter().enumerate() {
            let field = format!("substitution[{i}]");
            if sub.from.trim().is_empty() || sub.to.trim().is_empty() {
                errors.push(FieldError::new(&field, "needs both `from` and `to`"));
                continue;
            }
            if sub.from == sub.to {
                errors.push(FieldError::new(
                    &field,
                    "cannot substitute an exercise for itself",
                ));
            }
            let reason = super::required_text(&format!("{field}.reason"), &sub.reason, TEXT_MAX)
                .unwrap_or_else(|e| {
                    errors.push(e);
                    String::new()
                });
            substitutions.push(Substitution {
                from: sub.from,
                to: sub.to,
                reason,
            });
        }
        match id {
            Some(id) if errors.is_empty() => Ok(Self {
                id,
                label,
                description,
                avoid,
                caution,
                prefer,
                patient_avoid,
                patient_instead,
                patient_caution,
                see_therapist_if,
                substitutions,
            }),
            _ => Err(errors),
        }
    }
}
