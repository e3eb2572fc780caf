//! Patients: create, search, read, change, archive; and their programs.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::programs::{ProgramDto, ProgramSummaryDto};
use crate::clock;
use crate::domain::ids::{PatientId, PrecautionId};
use crate::domain::patient::PatientInput;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::patients::{self as service, PatientView};
use crate::services::programs::{self, DraftInput};
use crate::services::Actor;
use crate::web::error::ErrorBody;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(update)
        .service(archive)
        .service(list_programs)
        .service(create_program);
}

/// A patient of the clinic.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Patient)]
pub struct PatientDto {
    #[schema(value_type = String, format = Uuid)]
    pub id: PatientId,
    pub first_name: String,
    pub last_name: String,
    #[schema(format = Date, required = true)]
    pub date_of_birth: Option<String>,
    /// The chart number.
    #[schema(required = true)]
    pub external_id: Option<String>,
    #[schema(required = true)]
    pub contact: Option<String>,
    /// Precaution ids.
    #[schema(value_type = Vec<String>)]
    pub precautions: Vec<PrecautionId>,
    /// A live program's published version clashes with these precautions
    /// (they or the catalog changed since); publish again to clear it.
    pub needs_review: bool,
    /// Set once archived (DELETE); archived patients stay readable.
    #[schema(required = true)]
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PatientView> for PatientDto {
    fn from(view: PatientView) -> Self {
        let row = view.row;
        Self {
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            date_of_birth: row.date_of_birth,
            external_id: row.external_id,
            needs_review: view.needs_review,
            contact: row.contact,
            precautions: view.precautions,
            archived_at: row.archived_at.map(clock::utc),
            created_at: clock::utc(row.created_at),
            updated_at: clock::utc(row.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words to find in names and the chart number.
    q: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// Search the clinic's patients.
#[utoipa::path(
    tag = "patients",
    operation_id = "list_patients",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of matches", body = Vec<PatientDto>),
        (status = 422, description = "`validation_failed`: limit or offset out of range", body = ErrorBody),
    ),
)]
#[get("/patients")]
#[tracing::instrument(skip_all)]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let ListQuery { q, limit, offset } = query.into_inner();
    let limit = limit.unwrap_or(50);
    let offset = offset.unwrap_or(0);
    if !(1..=200).contains(&limit) || offset < 0 {
        return Err(AppError::field(FieldError::new(
            "limit",
            "limit must be 1-200 and offset 0 or more",
        )));
    }
    let q = q.unwrap_or_default();
    let found = state
        .db(move |conn| service::search(conn, who.clinic_id, &q, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(found.into_iter().map(PatientDto::from).collect::<Vec<_>>()))
}

/// Add a patient.
#[utoipa::path(
    tag = "patients",
    operation_id = "create_patient",
    request_body = PatientInput,
    responses((status = 201, description = "Added", body = PatientDto)),
)]
#[post("/patients")]
#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<PatientInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let created = state
        .db(move |conn| service::create(conn, &actor, who.clinic_id, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(PatientDto::from(created)))
}

/// One patient.
#[utoipa::path(
    tag = "patients",
    operation_id = "get_patient",
    params(("patient_id" = uuid::Uuid, Path, description = "The patient's id")),
    responses((status = 200, description = "The patient", body = PatientDto)),
)]
#[get("/patients/{patient_id}")]
#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let found = state
        .db(move |conn| service::view(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::Ok().json(PatientDto::from(found)))
}

/// Change a patient: fields left out stay, `null` clears an optional one.
#[utoipa::path(
    tag = "patients",
    operation_id = "update_patient",
    params(("patient_id" = uuid::Uuid, Path, description = "The patient's id")),
    request_body = PatientInput,
    responses((status = 200, description = "Changed", body = PatientDto)),
)]
#[patch("/patients/{patient_id}")]
#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PatientId>,
    body: web::Json<PatientInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let updated = state
        .db(move |conn| service::update(conn, &actor, who.clinic_id, *path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(PatientDto::from(updated)))
}

/// Archive a patient: never deleted by the API.
#[utoipa::path(
    tag = "patients",
    operation_id = "archive_patient",
    params(("patient_id" = uuid::Uuid, Path, description = "The patient's id")),
    responses((status = 204, description = "Archived")),
)]
#[delete("/patients/{patient_id}")]
#[tracing::instrument(skip_all)]
async fn archive(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::archive(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The patient's programs.
#[utoipa::path(
    tag = "patients",
    operation_id = "list_patient_programs",
    params(("patient_id" = uuid::Uuid, Path, description = "The patient's id")),
    responses((status = 200, description = "The programs, newest first", body = Vec<ProgramSummaryDto>)),
)]
#[get("/patients/{patient_id}/programs")]
#[tracing::instrument(skip_all)]
async fn list_programs(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| programs::list_for_patient(conn, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ProgramSummaryDto::from)
            .collect::<Vec<_>>(),
    ))
}

/// Start a program draft for the patient, empty, with items, or from a
/// clinic template. Avoided items come back in `conflicts`.
#[utoipa::path(
    tag = "patients",
    operation_id = "create_program",
    params(("patient_id" = uuid::Uuid, Path, description = "The patient's id")),
    request_body = DraftInput,
    responses(
        (status = 201, description = "The new draft", body = ProgramDto),
        (status = 409, description = "`patient_archived`: the patient is archived", body = ErrorBody),
    ),
)]
#[post("/patients/{patient_id}/programs")]
#[tracing::instrument(skip_all)]
async fn create_program(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PatientId>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let created = state
        .db(move |conn| programs::create(conn, &actor, who.clinic_id, *path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(ProgramDto::from(created)))
}
