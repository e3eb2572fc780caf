//! Patients: create, search, read, change, archive; and their programs.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::programs::{ProgramDto, ProgramSummaryDto};
use crate::clock;
use crate::domain::patient::PatientInput;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::patients::{self as service, PatientView};
use crate::services::programs::{self, DraftInput};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/patients")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/patients/{id}")
            .route(web::get().to(show))
            .route(web::patch().to(update))
            .route(web::delete().to(archive)),
    )
    .service(
        web::resource("/patients/{id}/programs")
            .route(web::get().to(list_programs))
            .route(web::post().to(create_program)),
    );
}

#[derive(Debug, Serialize)]
pub struct PatientDto {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<String>,
    pub external_id: Option<String>,
    pub contact: Option<String>,
    pub precautions: Vec<String>,
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
            contact: row.contact,
            precautions: view.precautions,
            archived_at: row.archived_at.map(clock::utc),
            created_at: clock::utc(row.created_at),
            updated_at: clock::utc(row.updated_at),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

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

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let found = state
        .db(move |conn| service::view(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::Ok().json(PatientDto::from(found)))
}

#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<PatientInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let updated = state
        .db(move |conn| service::update(conn, &actor, who.clinic_id, &path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(PatientDto::from(updated)))
}

#[tracing::instrument(skip_all)]
async fn archive(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::archive(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[tracing::instrument(skip_all)]
async fn list_programs(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| programs::list_for_patient(conn, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ProgramSummaryDto::from)
            .collect::<Vec<_>>(),
    ))
}

#[tracing::instrument(skip_all)]
async fn create_program(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let created = state
        .db(move |conn| programs::create(conn, &actor, who.clinic_id, &path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(ProgramDto::from(created)))
}
