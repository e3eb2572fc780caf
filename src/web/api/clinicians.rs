//! The clinic's clinicians: list, read, add (admin), change role or
//! deactivate (admin).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::db::clinicians::{self, ClinicianRow};
use crate::domain::clinician::Role;
use crate::domain::ids::ClinicianId;
use crate::error::AppError;
use crate::services::accounts::{self, Actor, NewClinician};
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/clinicians")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/clinicians/{id}")
            .route(web::get().to(show))
            .route(web::patch().to(update)),
    );
}

/// A clinician as the API shows it: never the password hash.
#[derive(Debug, Serialize)]
pub struct ClinicianDto {
    pub id: String,
    pub clinic_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<ClinicianRow> for ClinicianDto {
    fn from(row: ClinicianRow) -> Self {
        Self {
            id: row.id,
            clinic_id: row.clinic_id,
            email: row.email,
            name: row.name,
            role: row.role,
            active: row.active,
            created_at: clock::utc(row.created_at),
        }
    }
}

#[derive(Deserialize)]
pub struct CreateClinician {
    email: String,
    name: String,
    #[serde(default = "default_role")]
    role: String,
    password: String,
}

fn default_role() -> String {
    "therapist".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateClinician {
    role: Option<String>,
    active: Option<bool>,
}

#[tracing::instrument(skip_all)]
async fn list(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| Ok(clinicians::list(conn, who.clinic_id)?))
        .await?;
    let body: Vec<ClinicianDto> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(body))
}

#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<CreateClinician>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("add clinicians")?;
    let new = NewClinician::parse(&body.email, &body.name, &body.role, &body.password)?;
    let actor = Actor::from(&who);
    let row = state
        .db(move |conn| accounts::create_clinician(conn, &actor, who.clinic_id, new))
        .await?;
    Ok(HttpResponse::Created().json(ClinicianDto::from(row)))
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = ClinicianId::parse(&path).ok_or(AppError::NotFound("clinician"))?;
    let row = state
        .db(move |conn| accounts::find_clinician(conn, who.clinic_id, id))
        .await?;
    Ok(HttpResponse::Ok().json(ClinicianDto::from(row)))
}

#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<UpdateClinician>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("change clinicians")?;
    let id = ClinicianId::parse(&path).ok_or(AppError::NotFound("clinician"))?;
    let role = body
        .role
        .as_deref()
        .map(Role::parse)
        .transpose()
        .map_err(AppError::field)?;
    let active = body.active;
    let actor = Actor::from(&who);
    let row = state
        .db(move |conn| accounts::update_clinician(conn, &actor, who.clinic_id, id, role, active))
        .await?;
    Ok(HttpResponse::Ok().json(ClinicianDto::from(row)))
}
