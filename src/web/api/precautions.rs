//! Precautions: the built-in ones and the clinic's own; admins manage the
//! clinic's.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::db::catalog::{self as q, PrecautionRow, StoredSubstitution};
use crate::domain::precaution::PrecautionInput;
use crate::error::AppError;
use crate::services::catalog as service;
use crate::services::{not_found, Actor};
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/precautions")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/precautions/{id}")
            .route(web::get().to(show))
            .route(web::patch().to(update))
            .route(web::delete().to(retire)),
    );
}

#[derive(Debug, Serialize)]
pub struct PrecautionDto {
    pub id: String,
    pub label: String,
    pub avoid: Vec<String>,
    pub prefer: Vec<String>,
    pub description: String,
    pub patient_avoid: String,
    pub patient_instead: String,
    pub substitutions: Vec<StoredSubstitution>,
    pub source: &'static str,
    pub retired: bool,
}

impl TryFrom<PrecautionRow> for PrecautionDto {
    type Error = AppError;

    fn try_from(row: PrecautionRow) -> Result<Self, AppError> {
        let stored = row
            .stored()
            .map_err(|e| AppError::internal("precaution content", e))?;
        Ok(Self {
            id: row.id,
            label: stored.label,
            avoid: stored.avoid,
            prefer: stored.prefer,
            description: stored.description,
            patient_avoid: stored.patient_avoid,
            patient_instead: stored.patient_instead,
            substitutions: stored.substitutions,
            source: if row.clinic_id.is_some() {
                "clinic"
            } else {
                "builtin"
            },
            retired: row.retired_at.is_some(),
        })
    }
}

#[tracing::instrument(skip_all)]
async fn list(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| Ok(q::list_precautions(conn, who.clinic_id)?))
        .await?;
    let body = rows
        .into_iter()
        .map(PrecautionDto::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(body))
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let row = state
        .db(move |conn| {
            q::find_precaution(conn, who.clinic_id, &path).map_err(not_found("precaution"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(PrecautionDto::try_from(row)?))
}

#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<PrecautionInput>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("add precautions")?;
    let actor = Actor::from(&who);
    let app = state.clone();
    let row = state
        .db(move |conn| {
            service::create_precaution(
                conn,
                &actor,
                who.clinic_id,
                &app.vocabulary,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(PrecautionDto::try_from(row)?))
}

#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("change precautions")?;
    let actor = Actor::from(&who);
    let app = state.clone();
    let row = state
        .db(move |conn| {
            service::update_precaution(
                conn,
                &actor,
                who.clinic_id,
                &app.vocabulary,
                &path,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(PrecautionDto::try_from(row)?))
}

#[tracing::instrument(skip_all)]
async fn retire(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("retire precautions")?;
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::retire_precaution(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
