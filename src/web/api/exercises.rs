//! The catalog: search with filters and verdicts, read one, and (admins)
//! manage the clinic's own exercises, hide built-ins, attach images.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::db::catalog::{self as q, ExerciseRow, Filter, Source};
use crate::domain::dosage::Dosage;
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::rules::{self, Rule, Verdict};
use crate::domain::search::normalize;
use crate::domain::vocabulary::{Kind, Vocabulary};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::catalog::{self as service, IMAGE_MAX_BYTES};
use crate::services::{patients, Actor};
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/exercises")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/exercises/{id}")
            .route(web::get().to(show))
            .route(web::patch().to(update))
            .route(web::delete().to(retire)),
    )
    .service(
        web::resource("/exercises/{id}/hide")
            .route(web::post().to(hide))
            .route(web::delete().to(unhide)),
    )
    .service(
        web::resource("/exercises/{id}/image")
            .route(web::get().to(image))
            .route(web::put().to(put_image))
            .route(web::delete().to(delete_image)),
    );
}

/// An exercise in a list.
#[derive(Debug, Serialize)]
pub struct ExerciseDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub regions: Vec<String>,
    pub category: String,
    pub movement: Vec<String>,
    pub equipment: Vec<String>,
    pub position: String,
    pub dosage: Dosage,
    pub source: &'static str,
    pub retired: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// One exercise with its full texts.
#[derive(Debug, Serialize)]
pub struct ExerciseDetailDto {
    #[serde(flatten)]
    pub summary: ExerciseDto,
    pub aliases: Vec<String>,
    pub steps: Vec<String>,
    pub cues: Vec<String>,
    pub stop_if: Option<String>,
    pub has_image: bool,
}

fn dto(row: &ExerciseRow, spec: &ExerciseSpec, rules: Option<&[Rule]>) -> ExerciseDto {
    ExerciseDto {
        id: row.id.clone(),
        slug: spec.slug.clone(),
        name: spec.name.clone(),
        summary: spec.summary.clone(),
        regions: spec.regions.clone(),
        category: spec.category.clone(),
        movement: spec.movement.clone(),
        equipment: spec.equipment.clone(),
        position: spec.position.clone(),
        dosage: spec.dosage,
        source: if row.clinic_id.is_some() {
            "clinic"
        } else {
            "builtin"
        },
        retired: row.retired_at.is_some(),
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

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    region: Option<String>,
    category: Option<String>,
    movement: Option<String>,
    equipment: Option<String>,
    source: Option<String>,
    patient_id: Option<String>,
    /// Comma-separated precaution ids, for verdicts without a patient.
    precautions: Option<String>,
    limit: Option<i64>,
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
    patient_id: Option<String>,
    precautions: Option<String>,
) -> Result<Option<Vec<Rule>>, AppError> {
    let clinic = who.clinic_id;
    match (
        patient_id.filter(|p| !p.is_empty()),
        precautions.filter(|p| !p.is_empty()),
    ) {
        (Some(patient_id), _) => {
            state
                .db(move |conn| {
                    let patient = patients::load(conn, clinic, &patient_id)?;
                    patients::rules(conn, clinic, &patient.precautions).map(Some)
                })
                .await
        }
        (None, Some(list)) => {
            let ids: Vec<String> = list
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            state
                .db(move |conn| patients::rules(conn, clinic, &ids).map(Some))
                .await
        }
        (None, None) => Ok(None),
    }
}

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
        .db(move |conn| Ok(q::search(conn, clinic, &filter, limit, offset)?))
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

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    patient_id: Option<String>,
    precautions: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let rules = rules_for(&state, &who, query.patient_id, query.precautions).await?;
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let (row, has_image) = state
        .db(move |conn| {
            let row = q::find_exercise(conn, clinic, &id)
                .map_err(crate::services::not_found("exercise"))?;
            let has_image = q::get_image(conn, clinic, &row.id)?.is_some();
            Ok((row, has_image))
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail(&row, rules.as_deref(), has_image)?))
}

#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<ExerciseInput>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("add exercises to the clinic catalog")?;
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

#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("change the clinic catalog")?;
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
                &id,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail(&row, None, false)?))
}

#[tracing::instrument(skip_all)]
async fn retire(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("retire exercises")?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::retire_exercise(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn set_hidden(
    state: web::Data<AppState>,
    who: Identity,
    id: String,
    hidden: bool,
) -> Result<HttpResponse, AppError> {
    who.require_admin("hide built-in exercises")?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::set_hidden(conn, &actor, who.clinic_id, &id, hidden))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[tracing::instrument(skip_all)]
async fn hide(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_hidden(state, who, path.into_inner(), true).await
}

#[tracing::instrument(skip_all)]
async fn unhide(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_hidden(state, who, path.into_inner(), false).await
}

#[tracing::instrument(skip_all)]
async fn image(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let found = state
        .db(move |conn| Ok(q::get_image(conn, clinic, &path)?))
        .await?;
    let image = found.ok_or(AppError::NotFound("exercise image"))?;
    Ok(HttpResponse::Ok()
        .content_type(image.content_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(image.data))
}

/// Reads a raw body, refusing it with 413 as soon as it passes `max` bytes.
pub async fn read_limited(mut payload: web::Payload, max: usize) -> Result<Vec<u8>, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: "unreadable_body",
            message: format!("cannot read the upload: {e}"),
        })?;
        if body.len() + chunk.len() > max {
            return Err(AppError::PayloadTooLarge(format!(
                "uploads may be at most {max} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[tracing::instrument(skip_all)]
async fn put_image(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    who.require_admin("upload exercise images")?;
    let bytes = read_limited(payload, IMAGE_MAX_BYTES).await?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::put_image(conn, &actor, who.clinic_id, &path, bytes))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[tracing::instrument(skip_all)]
async fn delete_image(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("remove exercise images")?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::delete_image(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
