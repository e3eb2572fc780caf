//! The program builder: the draft with dosage fields and inline conflicts
//! (alternatives swap in with one click), catalog search with verdicts for
//! this patient, publishing, PDF preview, share links and activity. One form
//! holds the whole draft; each button says what to do with it, so nothing
//! typed is lost when adding, moving, swapping or publishing.

mod form;
mod page;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{redirect, CsrfForm, Nested, PageError, SignedIn};
use crate::domain::ids::{empty_as_none, ExerciseId, LinkId, ProgramId};
use crate::domain::program::ItemInput;
use crate::error::AppError;
use crate::services::programs::{self as service, DraftInput};
use crate::services::{links, Actor};
use crate::web::extract::Identity;
use crate::web::AppState;
use form::{apply, items_input, typed_items, BuilderForm, Submitted};
use page::{load, page, Extras, SearchQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programs/{id}")
            .route(web::get().to(show))
            .route(web::post().to(act)),
    )
    .service(web::resource("/programs/{id}/links").route(web::post().to(create_link)))
    .service(web::resource("/links/{id}/revoke").route(web::post().to(revoke_link)));
}

async fn show(
    who: SignedIn,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ProgramId>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let search = query.into_inner();
    let loaded = load(&state, &who, path.into_inner(), search.clone()).await?;
    Ok(page(&state, &req, loaded, search, Extras::default()))
}

/// Saves the draft as typed, then does what the button says: publish, save
/// as a template, or nothing more. The message to show, if any.
async fn save(
    state: &AppState,
    who: &Identity,
    program: ProgramId,
    submitted: &Submitted,
    items: Vec<ItemInput>,
) -> Result<Option<String>, AppError> {
    let input = DraftInput {
        title: Some(submitted.title.clone()),
        notes: Some(submitted.notes.clone()),
        items: Some(items),
        revision: Some(submitted.revision),
        template_id: None,
    };
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    let action = submitted.action.clone();
    let step = submitted.step;
    let mut input = input;
    state
        .db(move |conn| {
            if let (Some((i, id)), Some(items)) = (step, input.items.as_mut()) {
                keep_dosage_if_it_fits(conn, clinic, id, items.get_mut(i))?;
            }
            service::replace(conn, &actor, clinic, program, input)?;
            match action.as_str() {
                "publish" => service::publish(conn, &actor, clinic, program)
                    .map(|v| Some(format!("Published version {}.", v.version))),
                "template" => service::save_template(
                    conn,
                    &actor,
                    clinic,
                    DraftInput::default(),
                    Some(program),
                )
                .map(|t| Some(format!("Saved as the clinic template \"{}\".", t.title))),
                _ => Ok(None),
            }
        })
        .await
}

/// After an "Easier" / "Harder" step, the item keeps its dosage when the
/// new exercise is dosed the same way (reps, hold, time, distance);
/// otherwise it starts from the new exercise's own default.
fn keep_dosage_if_it_fits(
    conn: &mut crate::db::DbConn,
    clinic: crate::domain::ids::ClinicId,
    exercise: ExerciseId,
    item: Option<&mut ItemInput>,
) -> Result<(), AppError> {
    let Some(item) = item else { return Ok(()) };
    let default = crate::services::catalog::default_dosage(conn, clinic, exercise)?;
    if default.is_some_and(|d| d.kinds() != item.dosage.kinds()) {
        item.dosage = crate::domain::dosage::DosageInput {
            times_per_day: item.dosage.times_per_day,
            days_per_week: item.dosage.days_per_week,
            ..Default::default()
        };
    }
    Ok(())
}

/// The builder form's buttons: save, add, move, remove, swap, publish,
/// save as template. A plain save goes back to the page; anything with a
/// message, or a form that does not pass, shows the page again.
async fn act(
    who: SignedIn,
    form: CsrfForm<BuilderForm, Nested>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ProgramId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let submitted = Submitted::from(form.into_inner());
    let mut errors = BTreeMap::new();
    let typed = items_input(&submitted.items, &mut errors);
    let items = apply(&submitted, typed);
    let outcome = if errors.is_empty() {
        save(&state, &who, id, &submitted, items).await
    } else {
        Err(AppError::Validation {
            message: "Some fields need fixing.".into(),
            fields: errors,
        })
    };
    let (status, message, errors) = match outcome {
        Ok(None) => {
            let back = format!("/programs/{id}?{}", submitted.search.query_string());
            return Ok(redirect(&back));
        }
        Ok(Some(message)) => (StatusCode::OK, message, BTreeMap::new()),
        Err(AppError::Validation { fields, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, message, fields)
        }
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, message, BTreeMap::new()),
        Err(err) => return Err(err.into()),
    };
    let loaded = load(&state, &who, id, submitted.search.clone()).await?;
    // What was typed is shown again only beside its errors, with what the
    // saved draft showed of each exercise.
    let items = (status == StatusCode::UNPROCESSABLE_ENTITY).then(|| {
        let saved = loaded.item_forms();
        let known = saved.iter().map(|i| (i.exercise_id, i)).collect();
        typed_items(&submitted.items, &known)
    });
    let extras = Extras {
        items,
        errors,
        message: Some(message),
        new_link: None,
    };
    let mut response = page(&state, &req, loaded, submitted.search, extras);
    if status != StatusCode::OK {
        *response.status_mut() = status;
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LinkForm {
    /// Where to go back after revoking.
    #[serde(default, deserialize_with = "empty_as_none")]
    program_id: Option<ProgramId>,
}

async fn create_link(
    who: SignedIn,
    _form: CsrfForm<LinkForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ProgramId>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    let created = state
        .db(move |conn| links::create(conn, &actor, clinic, id, None))
        .await;
    let (new_link, message) = match created {
        Ok(link) => (
            Some((
                format!(
                    "{}/p/{}",
                    state.config.base_url.as_deref().unwrap_or_default(),
                    link.token
                ),
                link.token,
            )),
            None,
        ),
        Err(AppError::Conflict { message, .. }) => (None, Some(message)),
        Err(err) => return Err(err.into()),
    };
    let loaded = load(&state, &who, id, SearchQuery::default()).await?;
    Ok(page(
        &state,
        &req,
        loaded,
        SearchQuery::default(),
        Extras {
            message,
            new_link,
            ..Extras::default()
        },
    ))
}

async fn revoke_link(
    who: SignedIn,
    form: CsrfForm<LinkForm>,
    state: web::Data<AppState>,
    path: web::Path<LinkId>,
) -> Result<HttpResponse, PageError> {
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| links::revoke(conn, &actor, clinic, *path))
        .await?;
    Ok(redirect(&match form.program_id {
        Some(program) => format!("/programs/{program}#links"),
        None => "/patients".to_owned(),
    }))
}
