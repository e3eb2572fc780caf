//! The clinic's own precautions: the form to create or edit one, with its
//! avoid, caution and prefer tags and its substitution rows (two blank rows offered
//! below the filled ones).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::super::{
    csrf_token, field_values, form_errors, html, html_with, redirect, Admin, CsrfForm, FormFields,
    PageError, Typed,
};
use super::{choices, place_errors, Choice};
use crate::db::precautions::PrecautionRow;
use crate::domain::ids::{ExerciseId, PrecautionId};
use crate::domain::patch::PrecautionPatch;
use crate::domain::precaution::{PrecautionInput, SubstitutionInput};
use crate::error::AppError;
use crate::services::catalog as service;
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

struct SubRow {
    from: String,
    to: String,
    reason: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "app/precaution_form.html")]
struct PrecautionForm {
    csrf: String,
    admin: bool,
    heading: String,
    action: String,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    avoid: Vec<Choice>,
    caution: Vec<Choice>,
    prefer: Vec<Choice>,
    substitutions: Vec<SubRow>,
    /// Exercises a substitution can name: (id, name).
    exercises: Vec<(ExerciseId, String)>,
}

impl FormFields for PrecautionForm {
    fn values(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    fn errors(&self) -> &BTreeMap<String, String> {
        &self.errors
    }
}

/// Empty substitution rows offered below the filled ones.
const BLANK_ROWS: usize = 2;

/// The typed substitution rows that are not blank, in order.
fn typed_substitutions(typed: &Typed) -> Vec<SubstitutionInput> {
    let from = typed.list("sub_from");
    let to = typed.list("sub_to");
    let reason = typed.list("sub_reason");
    (0..from.len().max(to.len()).max(reason.len()))
        .map(|i| SubstitutionInput {
            from: from.get(i).cloned().unwrap_or_default(),
            to: to.get(i).cloned().unwrap_or_default(),
            reason: reason.get(i).cloned().unwrap_or_default(),
        })
        .filter(|s| !(s.from.is_empty() && s.to.is_empty() && s.reason.trim().is_empty()))
        .collect()
}

fn precaution_input(typed: &Typed) -> PrecautionInput {
    PrecautionInput {
        id: typed.value("slug").trim().to_owned(),
        label: typed.value("label"),
        description: typed.value("description"),
        avoid: typed.list("avoid"),
        caution: typed.list("caution"),
        prefer: typed.list("prefer"),
        patient_avoid: typed.value("patient_avoid"),
        patient_instead: typed.value("patient_instead"),
        patient_caution: Some(typed.value("patient_caution")),
        see_therapist_if: Some(typed.value("see_therapist_if")),
        substitution: typed_substitutions(typed),
    }
}

fn typed_precaution(row: &PrecautionRow) -> Result<Typed, AppError> {
    let stored = row
        .stored()
        .map_err(|e| AppError::internal("precaution content", e))?;
    let values = field_values([
        ("slug", row.slug.clone()),
        ("label", stored.label),
        ("description", stored.description),
        ("patient_avoid", stored.patient_avoid),
        ("patient_instead", stored.patient_instead),
        (
            "patient_caution",
            stored.patient_caution.unwrap_or_default(),
        ),
        (
            "see_therapist_if",
            stored.see_therapist_if.unwrap_or_default(),
        ),
    ]);
    let subs = &stored.substitutions;
    let lists = field_values([
        ("avoid", stored.avoid.clone()),
        ("caution", stored.caution.clone()),
        ("prefer", stored.prefer.clone()),
        (
            "sub_from",
            subs.iter().map(|s| String::from(s.from)).collect(),
        ),
        ("sub_to", subs.iter().map(|s| String::from(s.to)).collect()),
        (
            "sub_reason",
            subs.iter().map(|s| s.reason.clone()).collect(),
        ),
    ]);
    Ok(Typed { values, lists })
}

async fn precaution_form(
    state: &AppState,
    req: &HttpRequest,
    who: &Identity,
    id: Option<PrecautionId>,
    typed: &Typed,
    errors: BTreeMap<String, String>,
) -> Result<PrecautionForm, AppError> {
    let clinic = who.clinic_id;
    let exercises = state
        .db(move |conn| service::pickable(conn, clinic))
        .await?;
    let errors = place_errors(errors);
    let mut substitutions: Vec<SubRow> = typed_substitutions(typed)
        .into_iter()
        .enumerate()
        .map(|(i, s)| SubRow {
            error: errors.get(&format!("substitution[{i}]")).cloned(),
            from: s.from,
            to: s.to,
            reason: s.reason,
        })
        .collect();
    substitutions.extend((0..BLANK_ROWS).map(|_| SubRow {
        from: String::new(),
        to: String::new(),
        reason: String::new(),
        error: None,
    }));
    let vocab = &state.vocabulary;
    Ok(PrecautionForm {
        csrf: csrf_token(req),
        admin: true,
        heading: if id.is_some() {
            format!("Edit {}", typed.value("label"))
        } else {
            "New precaution".into()
        },
        action: id.map_or_else(
            || "/catalog/precautions".into(),
            |id| format!("/catalog/precautions/{id}"),
        ),
        values: typed.values.clone(),
        errors,
        avoid: choices(&vocab.movement, &typed.list("avoid")),
        caution: choices(&vocab.movement, &typed.list("caution")),
        prefer: choices(&vocab.movement, &typed.list("prefer")),
        substitutions,
        exercises,
    })
}

pub(super) async fn new_precaution(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let form =
        precaution_form(&state, &req, &who, None, &Typed::default(), BTreeMap::new()).await?;
    Ok(html(&form))
}

pub(super) async fn edit_precaution(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<PrecautionId>,
) -> Result<HttpResponse, PageError> {
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let target = id.clone();
    let row = state
        .db(move |conn| service::precaution(conn, clinic, &target))
        .await?;
    if row.clinic_id.is_none() {
        return Err(AppError::Forbidden(
            "built-in precautions are read-only; create your clinic's own instead".into(),
        )
        .into());
    }
    let typed = typed_precaution(&row)?;
    let form = precaution_form(&state, &req, &who, Some(id), &typed, BTreeMap::new()).await?;
    Ok(html(&form))
}

/// Creates (`POST` to the collection, no id in the path) or updates.
pub(super) async fn save_precaution(
    who: Admin,
    form: CsrfForm<Vec<(String, String)>>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: Option<web::Path<PrecautionId>>,
) -> Result<HttpResponse, PageError> {
    let id = path.map(web::Path::into_inner);
    let typed = Typed::read(form.into_inner(), &super::REPEATED);
    let input = precaution_input(&typed);
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    let target = id.clone();
    let app = state.clone();
    let result = state
        .db(move |conn| {
            let vocab = &app.vocabulary;
            match target {
                Some(id) => {
                    let patch = PrecautionPatch::from(input);
                    service::update_precaution(conn, &actor, clinic, vocab, &id, patch)
                }
                None => service::create_precaution(conn, &actor, clinic, vocab, input),
            }
        })
        .await;
    let err = match result {
        Ok(_) => return Ok(redirect("/catalog?done=precaution#precautions")),
        Err(err) => err,
    };
    let errors = form_errors(err)?;
    let form = precaution_form(&state, &req, &who, id, &typed, errors).await?;
    Ok(html_with(&form, StatusCode::UNPROCESSABLE_ENTITY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_substitution_rows_are_dropped_and_filled_ones_kept_in_order() {
        let typed = Typed::read(
            [
                ("sub_from", "a"),
                ("sub_to", "b"),
                ("sub_reason", "r"),
                ("sub_from", ""),
                ("sub_to", ""),
                ("sub_reason", " "),
                ("sub_from", "c"),
                ("sub_to", ""),
                ("sub_reason", ""),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
            &super::super::REPEATED,
        );
        let subs = typed_substitutions(&typed);
        assert_eq!(subs.len(), 2);
        assert_eq!((subs[0].from.as_str(), subs[1].from.as_str()), ("a", "c"));
    }
}
