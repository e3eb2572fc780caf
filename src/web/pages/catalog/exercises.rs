//! One exercise of the catalog: the form to create or edit one of the
//! clinic's own (numbers checked here, everything else by the domain), the
//! read-only page of a built-in one, and on both the clinic's picture of it
//! (upload, replace, remove; the API's service and checks).

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::super::dose;
use super::super::{
    check_upload, csrf_token, field_values, form_errors, html, html_with, read_upload, redirect,
    Admin, CsrfForm, FormFields, PageError, Typed,
};
use super::{choices, place_errors, Choice, REPEATED};
use crate::db::exercises::ExerciseRow;
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::ids::{ExerciseId, PictureId};
use crate::domain::patch::ExercisePatch;
use crate::domain::vocabulary::Vocabulary;
use crate::error::AppError;
use crate::services::catalog::{self as service, IMAGE_MAX_BYTES};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

/// The picture panel of a stored exercise (`m::picture`).
struct PicturePanel {
    id: ExerciseId,
    /// The clinic's picture the exercise shows now, if any.
    picture: Option<PictureId>,
    /// It has a drawn figure, shown when there is no picture.
    drawing: bool,
    /// What the last upload or removal did.
    notice: Option<&'static str>,
    /// Why the last upload was refused.
    error: Option<String>,
}

impl PicturePanel {
    fn of(id: ExerciseId, spec: &ExerciseSpec, picture: Option<PictureId>) -> Self {
        Self {
            id,
            picture,
            drawing: spec.figure.is_some(),
            notice: None,
            error: None,
        }
    }
}

/// After `?done=`: what happened to the picture.
#[derive(Deserialize)]
pub(super) struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    fn notice(&self) -> Option<&'static str> {
        Some(match self.done.as_deref()? {
            "picture" => "The picture is stored. Drafts and programs published from now on show it; programs already published keep what they showed.",
            "picture-removed" => "The picture is removed from drafts and from programs published from now on; programs already published keep it.",
            _ => return None,
        })
    }
}

#[derive(Template)]
#[template(path = "app/exercise_form.html")]
struct ExerciseForm {
    csrf: String,
    admin: bool,
    heading: String,
    action: String,
    /// The stored exercise's picture, when editing one.
    panel: Option<PicturePanel>,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    regions: Vec<Choice>,
    movements: Vec<Choice>,
    equipment: Vec<Choice>,
    categories: Vec<Choice>,
    difficulties: Vec<Choice>,
    /// Built-in exercises with a figure, with whether chosen.
    drawn: Vec<(ExerciseId, String, bool)>,
    positions: Vec<Choice>,
}

impl FormFields for ExerciseForm {
    fn values(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    fn errors(&self) -> &BTreeMap<String, String> {
        &self.errors
    }
}

/// A built-in exercise: read-only, with the clinic's picture of it.
#[derive(Template)]
#[template(path = "app/builtin_exercise.html")]
struct BuiltinPage {
    csrf: String,
    admin: bool,
    name: String,
    summary: String,
    steps: Vec<String>,
    panel: PicturePanel,
}

impl ExerciseForm {
    fn dose_numbers(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &dose::NUMBERS
    }

    fn load_choices(&self) -> Vec<(String, String)> {
        dose::load_choices()
    }

    fn build(
        req: &HttpRequest,
        vocab: &Vocabulary,
        drawn: &[(ExerciseId, String)],
        panel: Option<PicturePanel>,
        typed: &Typed,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let one = |key: &str| vec![typed.value(key)];
        let id = panel.as_ref().map(|p| p.id);
        let panel = panel.map(|p| PicturePanel {
            error: errors.get("image").cloned(),
            ..p
        });
        Self {
            csrf: csrf_token(req),
            admin: true,
            heading: if id.is_some() {
                format!("Edit {}", typed.value("name"))
            } else {
                "New exercise".into()
            },
            action: id.as_ref().map_or_else(
                || "/catalog/exercises".into(),
                |id| format!("/catalog/exercises/{id}"),
            ),
            panel,
            values: typed.values.clone(),
            errors: place_errors(errors),
            regions: choices(&vocab.regions, &typed.list("regions")),
            movements: choices(&vocab.movement, &typed.list("movement")),
            equipment: choices(&vocab.equipment, &typed.list("equipment")),
            categories: choices(&vocab.categories, &one("category")),
            difficulties: choices(&vocab.difficulty, &one("difficulty")),
            drawn: drawn
                .iter()
                .map(|(id, name)| (*id, name.clone(), *id == typed.value("drawn_like")))
                .collect(),
            positions: choices(&vocab.positions, &one("position")),
        }
    }
}

/// The stored exercise as the form shows it.
fn typed_exercise(spec: &ExerciseSpec) -> Typed {
    let values = field_values([
        ("name", spec.name.clone()),
        ("slug", spec.slug.clone()),
        ("aliases", spec.aliases.join(", ")),
        ("summary", spec.summary.clone()),
        ("category", spec.category.clone()),
        ("difficulty", spec.difficulty.to_string()),
        (
            "drawn_like",
            spec.drawn_like.map(String::from).unwrap_or_default(),
        ),
        ("position", spec.position.clone()),
        ("steps", spec.steps.join("\n")),
        ("cues", spec.cues.join("\n")),
        ("stop_if", spec.stop_if.clone().unwrap_or_default()),
    ])
    .into_iter()
    .chain(
        dose::values(&spec.dosage)
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value)),
    )
    .collect();
    let lists = field_values([
        ("regions", spec.regions.clone()),
        ("movement", spec.movement.clone()),
        ("equipment", spec.equipment.clone()),
    ]);
    Typed { values, lists }
}

/// The typed form as an exercise input, and messages for numbers that are
/// not numbers (the domain checks everything else).
fn exercise_input(typed: &Typed) -> (ExerciseInput, BTreeMap<String, String>) {
    let mut errors = BTreeMap::new();
    let mut number = |key: &str| {
        let raw = typed.value(key);
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        raw.parse::<i64>().map_or_else(
            |_| {
                errors.insert(format!("dosage.{key}"), "enter a whole number".to_owned());
                None
            },
            Some,
        )
    };
    let difficulty = number("difficulty");
    let dosage = dose::input(|key| typed.value(key), "dosage.", &mut errors);
    let drawn_like = match typed.value("drawn_like").trim() {
        "" => None,
        raw => ExerciseId::parse(raw).or_else(|| {
            errors.insert(
                "drawn_like".to_owned(),
                "choose one of the listed exercises".to_owned(),
            );
            None
        }),
    };
    let stop_if = typed.value("stop_if");
    let input = ExerciseInput {
        slug: typed.value("slug").trim().to_owned(),
        name: typed.value("name"),
        aliases: typed
            .value("aliases")
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        summary: typed.value("summary"),
        regions: typed.list("regions"),
        category: typed.value("category"),
        difficulty,
        movement: typed.list("movement"),
        equipment: typed.list("equipment"),
        position: typed.value("position"),
        steps: typed.lines("steps"),
        cues: typed.lines("cues"),
        stop_if: Some(stop_if).filter(|s| !s.trim().is_empty()),
        dosage,
        drawn_like,
    };
    (input, errors)
}

/// Loads an exercise the clinic may see, its content, and the picture it
/// shows in the clinic.
async fn stored(
    state: &AppState,
    who: &Identity,
    id: ExerciseId,
) -> Result<(ExerciseRow, ExerciseSpec, Option<PictureId>), AppError> {
    let clinic = who.clinic_id;
    let (row, picture) = state
        .db(move |conn| service::exercise_with_picture(conn, clinic, id))
        .await?;
    let spec = row
        .spec()
        .map_err(|e| AppError::internal("exercise content", e))?;
    Ok((row, spec, picture))
}

/// Loads one of the clinic's own exercises as [`stored`] does; a built-in
/// one cannot be edited here.
async fn own_exercise(
    state: &AppState,
    who: &Identity,
    id: ExerciseId,
) -> Result<(ExerciseRow, ExerciseSpec, Option<PictureId>), AppError> {
    let found = stored(state, who, id).await?;
    if found.0.clinic_id.is_none() {
        return Err(AppError::Forbidden(
            "built-in exercises are read-only; hide it and create your clinic's own version".into(),
        ));
    }
    Ok(found)
}

pub(super) async fn new_exercise(
    _who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> HttpResponse {
    let typed = Typed {
        values: [
            ("sets", "2"),
            ("reps", "10"),
            ("times_per_day", "1"),
            ("days_per_week", "7"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        ..Typed::default()
    };
    html(&ExerciseForm::build(
        &req,
        &state.vocabulary,
        &state.drawn,
        None,
        &typed,
        BTreeMap::new(),
    ))
}

/// The page of a stored exercise: the form of one of the clinic's own, the
/// read-only page of a built-in one; each with its picture panel, showing
/// `notice` or the message of a refused upload (`errors`), with `status`.
async fn exercise_page(
    state: &AppState,
    who: &Identity,
    req: &HttpRequest,
    id: ExerciseId,
    notice: Option<&'static str>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (row, spec, picture) = stored(state, who, id).await?;
    let panel = PicturePanel {
        notice,
        ..PicturePanel::of(row.id, &spec, picture)
    };
    if row.clinic_id.is_none() {
        let page = BuiltinPage {
            csrf: csrf_token(req),
            admin: true,
            panel: PicturePanel {
                error: errors.get("image").cloned(),
                ..panel
            },
            name: spec.name,
            summary: spec.summary,
            steps: spec.steps,
        };
        return Ok(html_with(&page, status));
    }
    let form = ExerciseForm::build(
        req,
        &state.vocabulary,
        &state.drawn,
        Some(panel),
        &typed_exercise(&spec),
        errors,
    );
    Ok(html_with(&form, status))
}

pub(super) async fn edit_exercise(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ExerciseId>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    exercise_page(
        &state,
        &who,
        &req,
        path.into_inner(),
        query.notice(),
        BTreeMap::new(),
        StatusCode::OK,
    )
    .await
}

/// Saves the typed exercise, or says everything that is wrong with it.
async fn save(
    state: &web::Data<AppState>,
    who: &Identity,
    id: Option<ExerciseId>,
    typed: &Typed,
) -> Result<(), AppError> {
    let (mut input, number_errors) = exercise_input(typed);
    if !number_errors.is_empty() {
        // Show every other problem too, without saving anything.
        let mut errors = number_errors;
        if input.slug.is_empty() {
            input.slug = service::slugify(&input.name);
        }
        if let Err(found) = ExerciseSpec::parse(input, &state.vocabulary) {
            for e in found {
                errors.entry(e.field).or_insert(e.message);
            }
        }
        return Err(AppError::Validation {
            message: "some fields are invalid".into(),
            fields: errors,
        });
    }
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    let app = state.clone();
    state
        .db(move |conn| {
            let vocab = &app.vocabulary;
            match id {
                Some(id) => {
                    let patch = ExercisePatch::from(input);
                    service::update_exercise(conn, &actor, clinic, vocab, id, patch)
                }
                None => service::create_exercise(conn, &actor, clinic, vocab, input),
            }
        })
        .await
        .map(drop)
}

/// Creates (`POST` to the collection, no id in the path) or updates.
pub(super) async fn save_exercise(
    who: Admin,
    form: CsrfForm<Vec<(String, String)>>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: Option<web::Path<ExerciseId>>,
) -> Result<HttpResponse, PageError> {
    let id = path.map(web::Path::into_inner);
    let typed = Typed::read(form.into_inner(), &REPEATED);
    let err = match save(&state, &who, id, &typed).await {
        Ok(()) => return Ok(redirect("/catalog?done=exercise#exercises")),
        Err(err) => err,
    };
    let mut errors = form_errors(err)?;
    if typed.value("slug").trim().is_empty() && errors.contains_key("name") {
        // The slug is made from the name; fixing the name fixes it.
        errors.remove("slug");
    }
    let panel = match id {
        Some(id) => {
            let (row, spec, picture) = own_exercise(&state, &who, id).await?;
            Some(PicturePanel::of(row.id, &spec, picture))
        }
        None => None,
    };
    Ok(html_with(
        &ExerciseForm::build(&req, &state.vocabulary, &state.drawn, panel, &typed, errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// Stores the uploaded picture of an exercise, built-in or the clinic's
/// own, as the API does: the picture is the clinic's.
async fn put_image(
    state: &AppState,
    who: &Identity,
    id: ExerciseId,
    file: Option<Vec<u8>>,
) -> Result<(), AppError> {
    let Some(bytes) = file else {
        return Err(AppError::Validation {
            message: "choose a PNG or JPEG file first".into(),
            fields: BTreeMap::from([(
                "image".to_owned(),
                "choose a PNG or JPEG file first".to_owned(),
            )]),
        });
    };
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::put_image(conn, &actor, clinic, id, bytes))
        .await
}

/// Uploads a picture; a refused one comes back on the exercise's page with
/// the reason beside the file field (a file too large, not an image).
pub(super) async fn upload_image(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ExerciseId>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let result = match read_upload(payload, "image", IMAGE_MAX_BYTES).await {
        Ok(upload) => {
            check_upload(&req, &upload)?;
            put_image(&state, &who, id, upload.file).await
        }
        Err(err) => Err(err),
    };
    let err = match result {
        Ok(()) => {
            return Ok(redirect(&format!(
                "/catalog/exercises/{id}?done=picture#picture"
            )))
        }
        Err(err) => err,
    };
    let status = actix_web::ResponseError::status_code(&err);
    let mut errors = form_errors(err)?;
    if let Some(message) = errors.remove("_form") {
        errors.insert("image".into(), message);
    }
    exercise_page(&state, &who, &req, id, None, errors, status).await
}
