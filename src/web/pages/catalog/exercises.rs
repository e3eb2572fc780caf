//! The clinic's own exercises: the form to create or edit one (numbers
//! checked here, everything else by the domain), and its picture.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::super::{
    check_upload, csrf_token, field_values, form_errors, html, html_with, read_upload, redirect,
    Admin, CsrfForm, FormFields, PageError, Typed,
};
use super::{choices, place_errors, Choice, REPEATED};
use crate::db::exercises::ExerciseRow;
use crate::domain::dosage::DosageInput;
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::ids::ExerciseId;
use crate::domain::patch::ExercisePatch;
use crate::domain::vocabulary::Vocabulary;
use crate::error::AppError;
use crate::services::catalog::{self as service, IMAGE_MAX_BYTES};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "app/exercise_form.html")]
struct ExerciseForm {
    csrf: String,
    admin: bool,
    heading: String,
    action: String,
    /// The stored exercise being edited.
    id: Option<ExerciseId>,
    has_image: bool,
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

impl ExerciseForm {
    fn build(
        req: &HttpRequest,
        vocab: &Vocabulary,
        drawn: &[(ExerciseId, String)],
        id: Option<ExerciseId>,
        has_image: bool,
        typed: &Typed,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let one = |key: &str| vec![typed.value(key)];
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
            id,
            has_image,
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
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
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
        ("sets", spec.dosage.sets.to_string()),
        ("reps", number(spec.dosage.reps)),
        ("hold_seconds", number(spec.dosage.hold_seconds)),
        ("times_per_day", spec.dosage.times_per_day.to_string()),
        ("days_per_week", spec.dosage.days_per_week.to_string()),
    ]);
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
    let dosage = DosageInput {
        sets: number("sets"),
        reps: number("reps"),
        hold_seconds: number("hold_seconds"),
        times_per_day: number("times_per_day"),
        days_per_week: number("days_per_week"),
    };
    let difficulty = number("difficulty");
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

/// Loads one of the clinic's own exercises with whether it has an image; a
/// built-in one cannot be edited here.
async fn own_exercise(
    state: &AppState,
    who: &Identity,
    id: ExerciseId,
) -> Result<(ExerciseRow, bool), AppError> {
    let clinic = who.clinic_id;
    let (row, has_image) = state
        .db(move |conn| service::exercise(conn, clinic, id))
        .await?;
    if row.clinic_id.is_none() {
        return Err(AppError::Forbidden(
            "built-in exercises are read-only; hide it and create your clinic's own version".into(),
        ));
    }
    Ok((row, has_image))
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
        false,
        &typed,
        BTreeMap::new(),
    ))
}

pub(super) async fn edit_exercise(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, PageError> {
    let (row, has_image) = own_exercise(&state, &who, path.into_inner()).await?;
    let spec = row
        .spec()
        .map_err(|e| AppError::internal("exercise content", e))?;
    Ok(html(&ExerciseForm::build(
        &req,
        &state.vocabulary,
        &state.drawn,
        Some(row.id),
        has_image,
        &typed_exercise(&spec),
        BTreeMap::new(),
    )))
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
    let has_image = match id {
        Some(id) => own_exercise(&state, &who, id).await?.1,
        None => false,
    };
    Ok(html_with(
        &ExerciseForm::build(
            &req,
            &state.vocabulary,
            &state.drawn,
            id,
            has_image,
            &typed,
            errors,
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// Stores the uploaded picture of one of the clinic's own exercises.
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
    // Only the clinic's own exercises take images here.
    own_exercise(state, who, id).await?;
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::put_image(conn, &actor, clinic, id, bytes))
        .await
}

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
        Ok(()) => return Ok(redirect(&format!("/catalog/exercises/{id}"))),
        Err(err) => err,
    };
    let status = actix_web::ResponseError::status_code(&err);
    let mut errors = form_errors(err)?;
    if let Some(message) = errors.remove("_form") {
        errors.insert("image".into(), message);
    }
    let (row, has_image) = own_exercise(&state, &who, id).await?;
    let spec = row
        .spec()
        .map_err(|e| AppError::internal("exercise content", e))?;
    Ok(html_with(
        &ExerciseForm::build(
            &req,
            &state.vocabulary,
            &state.drawn,
            Some(row.id),
            has_image,
            &typed_exercise(&spec),
            errors,
        ),
        status,
    ))
}
