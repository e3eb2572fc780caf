//! The catalog: search with filters and verdicts, read one, and (admins)
//! manage the clinic's own exercises, hide built-ins, attach images.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::doc::Image;
use crate::db::exercises::ExerciseRow;
use crate::domain::dosage::Dosage;
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::ids::{empty_as_none, ExerciseId, PatientId, PrecautionId};
use crate::domain::patch::ExercisePatch;
use crate::domain::program::ExerciseRef;
use crate::domain::rules::{self, Rule, Verdict};
use crate::domain::search::normalize;
use crate::domain::vocabulary::{Kind, Vocabulary};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::catalog::{self as service, Entry, Filter, Source, IMAGE_MAX_BYTES};
use crate::services::{patients, Actor};
use crate::web::error::ErrorBody;
use crate::web::extract::{read_limited, Admin, Identity};
use crate::web::figure_cache::Drawing;
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(update)
        .service(retire)
        .service(hide)
        .service(unhide)
        .service(image)
        .service(figure)
        .service(put_image)
        .service(delete_image);
}

/// Where an exercise comes from.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Source)]
pub enum SourceDto {
    /// The built-in catalog, read-only.
    Builtin,
    /// The clinic's own.
    Clinic,
}

/// An exercise in a list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Exercise)]
pub struct ExerciseDto {
    #[schema(value_type = String, format = Uuid)]
    pub id: ExerciseId,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub regions: Vec<String>,
    pub category: String,
    /// 1 (very easy) to 5 (very hard).
    #[schema(minimum = 1, maximum = 5)]
    pub difficulty: u8,
    pub movement: Vec<String>,
    pub equipment: Vec<String>,
    pub position: String,
    /// The conditions it serves (the vocabulary's `conditions`).
    pub conditions: Vec<String>,
    /// The default dosage a new program item starts from.
    pub dosage: Dosage,
    pub source: SourceDto,
    pub retired: bool,
    /// The next easier exercise of its progression, if it has one.
    #[schema(required = true)]
    pub easier: Option<ExerciseRef>,
    /// The next harder exercise of its progression, if it has one.
    #[schema(required = true)]
    pub harder: Option<ExerciseRef>,
    /// Present when asked for a patient (`patient_id`) or `precautions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub verdict: Option<Verdict>,
}

/// One exercise with its full texts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ExerciseDetail)]
pub struct ExerciseDetailDto {
    #[serde(flatten)]
    pub summary: ExerciseDto,
    pub aliases: Vec<String>,
    pub steps: Vec<String>,
    pub cues: Vec<String>,
    #[schema(required = true)]
    pub stop_if: Option<String>,
    pub has_image: bool,
}

fn dto(row: &ExerciseRow, spec: &ExerciseSpec, rules: Option<&[Rule]>) -> ExerciseDto {
    ExerciseDto {
        id: row.id,
        slug: spec.slug.clone(),
        name: spec.name.clone(),
        summary: spec.summary.clone(),
        regions: spec.regions.clone(),
        category: spec.category.clone(),
        difficulty: spec.difficulty,
        movement: spec.movement.clone(),
        equipment: spec.equipment.clone(),
        position: spec.position.clone(),
        conditions: spec.conditions.clone(),
        dosage: spec.dosage,
        source: if row.clinic_id.is_some() {
            SourceDto::Clinic
        } else {
            SourceDto::Builtin
        },
        retired: row.retired_at.is_some(),
        easier: spec.easier.as_ref().map(ExerciseRef::from),
        harder: spec.harder.as_ref().map(ExerciseRef::from),
        verdict: rules.map(|r| rules::verdict(r, &spec.movement)),
    }
}

fn detail(
    row: &ExerciseRow,
    rules: Option<&[Rule]>,
    has_image: bool,
) -> Result<ExerciseDetailDto, AppError> {
    let spec = row
        .spec()
        .map_err(|e| AppError::internal("exercise content", e))?;
    Ok(ExerciseDetailDto {
        summary: dto(row, &spec, rules),
        aliases: spec.aliases.clone(),
        steps: spec.steps.clone(),
        cues: spec.cues.clone(),
        stop_if: spec.stop_if.clone(),
        has_image,
    })
}

/// Filters of the catalog search; values of `region`, `category`,
/// `movement` and `equipment` come from the catalog's vocabulary.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to find in names, aliases and summaries.
    q: Option<String>,
    region: Option<String>,
    category: Option<String>,
    movement: Option<String>,
    equipment: Option<String>,
    /// A condition the exercise serves (the vocabulary's `conditions`).
    condition: Option<String>,
    /// 1 (very easy) to 5 (very hard); empty means any.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 5)]
    difficulty: Option<String>,
    #[param(value_type = Option<SourceDto>)]
    source: Option<String>,
    /// Judge each exercise against this patient's precautions (`verdict`):
    /// a patient's UUID; empty means none.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    patient_id: Option<PatientId>,
    /// Comma-separated precaution ids, for verdicts without a patient.
    precautions: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// Checks a filter value against its vocabulary; empty means no filter.
fn vocab_filter(
    vocab: &Vocabulary,
    kind: Kind,
    field: &str,
    value: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    if vocab.contains(kind, &value) {
        Some(value)
    } else {
        errors.push(FieldError::new(
            field,
            format!("unknown value `{value}`; use {}", vocab.allowed(kind)),
        ));
        None
    }
}

/// The rules to judge exercises by: a patient's precautions or a list.
async fn rules_for(
    state: &AppState,
    who: &Identity,
    patient_id: Option<PatientId>,
    precautions: Option<String>,
) -> Result<Option<Vec<Rule>>, AppError> {
    let clinic = who.clinic_id;
    match (patient_id, precautions.filter(|p| !p.is_empty())) {
        (Some(patient_id), _) => {
            state
                .db(move |conn| {
                    let patient = patients::load(conn, clinic, patient_id)?;
                    patients::rules(conn, clinic, &patient.precautions).map(Some)
                })
                .await
        }
        (None, Some(given)) => {
            let ids = PrecautionId::list(&given);
            state
                .db(move |conn| patients::rules(conn, clinic, &ids).map(Some))
                .await
        }
        (None, None) => Ok(None),
    }
}

/// Search the catalog: built-in exercises the clinic has not hidden, and
/// the clinic's own. The total is in `X-Total-Count`.
#[utoipa::path(
    tag = "exercises",
    operation_id = "list_exercises",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of matches", body = Vec<ExerciseDto>,
            headers(("X-Total-Count" = i64, description = "Matches in all pages"))),
        (status = 404, description = "`not_found`: no such patient in your clinic", body = ErrorBody),
        (status = 422, description = "`validation_failed`: a filter value, limit or offset is invalid", body = ErrorBody),
    ),
)]
#[get("/exercises")]
#[tracing::instrument(skip_all)]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let vocab = &state.vocabulary;
    let mut errors = Vec::new();
    let filter = Filter {
        q: normalize(query.q.as_deref().unwrap_or_default()),
        region: vocab_filter(vocab, Kind::Region, "region", query.region, &mut errors),
        category: vocab_filter(
            vocab,
            Kind::Category,
            "category",
            query.category,
            &mut errors,
        ),
        movement: vocab_filter(
            vocab,
            Kind::Movement,
            "movement",
            query.movement,
            &mut errors,
        ),
        equipment: vocab_filter(
            vocab,
            Kind::Equipment,
            "equipment",
            query.equipment,
            &mut errors,
        ),
        condition: vocab_filter(
            vocab,
            Kind::Condition,
            "condition",
            query.condition,
            &mut errors,
        ),
        difficulty: match query.difficulty.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match raw.parse::<i32>() {
                Ok(level) if (1..=5).contains(&level) => Some(level),
                _ => {
                    errors.push(FieldError::new(
                        "difficulty",
                        "must be a whole number from 1 (very easy) to 5 (very hard)",
                    ));
                    None
                }
            },
        },
        source: match query.source.as_deref() {
            None | Some("") => None,
            Some("builtin") => Some(Source::Builtin),
            Some("clinic") => Some(Source::Clinic),
            Some(_) => {
                errors.push(FieldError::new("source", "must be builtin or clinic"));
                None
            }
        },
    };
    let limit = query.limit.unwrap_or(50);
    let offset = query.offset.unwrap_or(0);
    if !(1..=200).contains(&limit) {
        errors.push(FieldError::new("limit", "must be between 1 and 200"));
    }
    if offset < 0 {
        errors.push(FieldError::new("offset", "must be 0 or more"));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let rules = rules_for(&state, &who, query.patient_id, query.precautions).await?;
    let clinic = who.clinic_id;
    let (rows, total) = state
        .db(move |conn| service::search(conn, clinic, &filter, limit, offset))
        .await?;
    let mut body = Vec::with_capacity(rows.len());
    for row in &rows {
        let spec = row
            .spec()
            .map_err(|e| AppError::internal("exercise content", e))?;
        body.push(dto(row, &spec, rules.as_deref()));
    }
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", total.to_string()))
        .json(body))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShowQuery {
    /// Judge the exercise against this patient's precautions (`verdict`):
    /// a patient's UUID; empty means none.
    #[serde(default, deserialize_with = "empty_as_none")]
    #[param(value_type = Option<String>, format = Uuid)]
    patient_id: Option<PatientId>,
    /// Comma-separated precaution ids, for a verdict without a patient.
    precautions: Option<String>,
}

/// One exercise with its steps, cues and stop signs.
#[utoipa::path(
    tag = "exercises",
    operation_id = "get_exercise",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id"), ShowQuery),
    responses((status = 200, description = "The exercise", body = ExerciseDetailDto)),
)]
#[get("/exercises/{exercise_id}")]
#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ExerciseId>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let rules = rules_for(&state, &who, query.patient_id, query.precautions).await?;
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let (row, has_image) = state
        .db(move |conn| service::exercise(conn, clinic, id))
        .await?;
    Ok(HttpResponse::Ok().json(detail(&row, rules.as_deref(), has_image)?))
}

/// Which side of the body a figure shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FigureQuery {
    /// `left` (as drawn) or `right` (mirrored).
    side: Option<String>,
}

/// Whether a figure is drawn for the right side (mirrored); 422 for a side
/// that is neither.
pub fn mirrored(side: Option<&str>) -> Result<bool, AppError> {
    match side.map(str::trim).unwrap_or_default() {
        "" | "left" => Ok(false),
        "right" => Ok(true),
        _ => Err(AppError::field(FieldError::new(
            "side",
            "must be left or right",
        ))),
    }
}

/// The exercise's drawn figure: start and finish side by side, the moving
/// part in the accent colour, mirrored for `side=right`. Its `ETag` changes
/// whenever the drawing does; send it back in `If-None-Match` to be told
/// 304 when the figure is unchanged.
#[utoipa::path(
    tag = "exercises",
    operation_id = "get_exercise_figure",
    params(
        ("exercise_id" = uuid::Uuid, Path, description = "The exercise's id"),
        FigureQuery,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds"),
    ),
    responses(
        (status = 200, description = "The figure", content_type = "image/svg+xml", body = String,
            headers(("ETag" = String, description = "Names this drawing; strong"))),
        (status = 304, description = "Not modified: `If-None-Match` names this drawing",
            headers(("ETag" = String, description = "Names this drawing; strong"))),
        (status = 404, description = "`not_found`: no such exercise, or it has no figure", body = ErrorBody),
        (status = 422, description = "`validation_failed`: side is neither left nor right", body = ErrorBody),
    ),
)]
#[get("/exercises/{exercise_id}/figure.svg")]
#[tracing::instrument(skip_all)]
async fn figure(
    state: web::Data<AppState>,
    who: Identity,
    req: HttpRequest,
    path: web::Path<ExerciseId>,
    query: web::Query<FigureQuery>,
) -> Result<HttpResponse, AppError> {
    let mirror = mirrored(query.side.as_deref())?;
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let (figure, name) = state
        .db(move |conn| service::figure(conn, clinic, id))
        .await?;
    let drawing = Drawing::new(&figure, &name, mirror)?;
    Ok(state.figures.respond(&req, &drawing))
}

/// Add an exercise to the clinic's catalog (admin).
#[utoipa::path(
    tag = "exercises",
    operation_id = "create_exercise",
    request_body = ExerciseInput,
    responses(
        (status = 201, description = "Added", body = ExerciseDetailDto),
        (status = 403, description = "`forbidden`: only an admin can change the catalog", body = ErrorBody),
        (status = 409, description = "`slug_taken`: the clinic has an exercise with this slug", body = ErrorBody),
    ),
)]
#[post("/exercises")]
#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    Admin(who): Admin,
    body: web::Json<ExerciseInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let input = body.into_inner();
    let app = state.clone();
    let row = state
        .db(move |conn| {
            service::create_exercise(conn, &actor, who.clinic_id, &app.vocabulary, input)
        })
        .await?;
    Ok(HttpResponse::Created().json(detail(&row, None, false)?))
}

/// Change one of the clinic's own exercises (admin); built-ins are read-only.
#[utoipa::path(
    tag = "exercises",
    operation_id = "update_exercise",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id")),
    request_body = ExercisePatch,
    responses(
        (status = 200, description = "Changed", body = ExerciseDetailDto),
        (status = 403, description = "`forbidden`: not an admin, or a built-in exercise", body = ErrorBody),
        (status = 409, description = "`slug_taken`: the clinic has an exercise with this slug", body = ErrorBody),
    ),
)]
#[patch("/exercises/{exercise_id}")]
#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<ExerciseId>,
    body: web::Json<ExercisePatch>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let app = state.clone();
    let id = path.into_inner();
    let row = state
        .db(move |conn| {
            service::update_exercise(
                conn,
                &actor,
                who.clinic_id,
                &app.vocabulary,
                id,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail(&row, None, false)?))
}

/// Retire one of the clinic's own exercises (admin): it leaves the search,
/// programs that hold it keep it.
#[utoipa::path(
    tag = "exercises",
    operation_id = "retire_exercise",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id")),
    responses(
        (status = 204, description = "Retired"),
        (status = 403, description = "`forbidden`: not an admin, or a built-in exercise", body = ErrorBody),
    ),
)]
#[delete("/exercises/{exercise_id}")]
#[tracing::instrument(skip_all)]
async fn retire(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::retire(conn, &actor, who.clinic_id, Entry::Exercise(*path)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn set_hidden(
    state: web::Data<AppState>,
    Admin(who): Admin,
    id: ExerciseId,
    hidden: bool,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::set_hidden(conn, &actor, who.clinic_id, id, hidden))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hide a built-in exercise from the clinic's search (admin).
#[utoipa::path(
    tag = "exercises",
    operation_id = "hide_exercise",
    params(("exercise_id" = uuid::Uuid, Path, description = "A built-in exercise's id")),
    responses(
        (status = 204, description = "Hidden"),
        (status = 403, description = "`forbidden`: only an admin can hide exercises", body = ErrorBody),
        (status = 409, description = "`not_builtin`: only built-in exercises are hidden; retire the clinic's own", body = ErrorBody),
    ),
)]
#[post("/exercises/{exercise_id}/hide")]
#[tracing::instrument(skip_all)]
async fn hide(
    state: web::Data<AppState>,
    who: Admin,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, AppError> {
    set_hidden(state, who, path.into_inner(), true).await
}

/// Show a hidden built-in exercise again (admin).
#[utoipa::path(
    tag = "exercises",
    operation_id = "unhide_exercise",
    params(("exercise_id" = uuid::Uuid, Path, description = "A built-in exercise's id")),
    responses(
        (status = 204, description = "Shown again"),
        (status = 403, description = "`forbidden`: only an admin can hide exercises", body = ErrorBody),
        (status = 409, description = "`not_builtin`: only built-in exercises are hidden", body = ErrorBody),
    ),
)]
#[delete("/exercises/{exercise_id}/hide")]
#[tracing::instrument(skip_all)]
async fn unhide(
    state: web::Data<AppState>,
    who: Admin,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, AppError> {
    set_hidden(state, who, path.into_inner(), false).await
}

/// The clinic's image of an exercise.
#[utoipa::path(
    tag = "exercises",
    operation_id = "get_exercise_image",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id")),
    responses(
        (status = 200, description = "The image", content((Image = "image/png"), (Image = "image/jpeg"))),
    ),
)]
#[get("/exercises/{exercise_id}/image")]
#[tracing::instrument(skip_all)]
async fn image(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let found = state
        .db(move |conn| crate::services::pictures::current(conn, clinic, *path))
        .await?;
    let image = found.ok_or(AppError::NotFound("exercise image"))?;
    Ok(HttpResponse::Ok()
        .content_type(image.content_type.as_str())
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(image.bytes.to_vec()))
}

/// Attach an image to an exercise (admin): a PNG or JPEG of at most 2 MiB
/// and 4096×4096 pixels, sent as the raw body. Built-ins too: the image is
/// the clinic's.
#[utoipa::path(
    tag = "exercises",
    operation_id = "put_exercise_image",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id")),
    request_body(content((Image = "image/png"), (Image = "image/jpeg"), (Image = "application/octet-stream")), description = "The image file's bytes"),
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "`unreadable_body`: the upload broke off", body = ErrorBody),
        (status = 403, description = "`forbidden`: only an admin can upload images", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: over 2 MiB", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not a PNG or JPEG, or too many pixels", body = ErrorBody),
    ),
)]
#[put("/exercises/{exercise_id}/image")]
#[tracing::instrument(skip_all)]
async fn put_image(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<ExerciseId>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let bytes = read_limited(payload, IMAGE_MAX_BYTES).await?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::put_image(conn, &actor, who.clinic_id, *path, bytes))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove the clinic's image of an exercise (admin).
#[utoipa::path(
    tag = "exercises",
    operation_id = "delete_exercise_image",
    params(("exercise_id" = uuid::Uuid, Path, description = "The exercise's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "`forbidden`: only an admin can remove images", body = ErrorBody),
    ),
)]
#[delete("/exercises/{exercise_id}/image")]
#[tracing::instrument(skip_all)]
async fn delete_image(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<ExerciseId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::delete_image(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
