//! The clinic's clinicians: list, read, add (admin), change role or
//! deactivate (admin).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::clock;
use crate::db::clinicians::ClinicianRow;
use crate::domain::clinician::Role;
use crate::domain::ids::{ClinicId, ClinicianId};
use crate::error::AppError;
use crate::services::accounts::{self, Actor, NewClinician};
use crate::web::error::ErrorBody;
use crate::web::extract::{Admin, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(update);
}

/// A clinician as the API shows it: never the password hash.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Clinician)]
pub struct ClinicianDto {
    #[schema(value_type = String, format = Uuid)]
    pub id: ClinicianId,
    #[schema(value_type = String, format = Uuid)]
    pub clinic_id: ClinicId,
    pub email: String,
    pub name: String,
    #[schema(value_type = Role)]
    pub role: Role,
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

/// A new clinician of the admin's clinic.
#[derive(Deserialize, ToSchema)]
pub struct CreateClinician {
    #[schema(max_length = 254, example = "theo@clinic.example")]
    email: String,
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// Defaults to `therapist`.
    #[serde(default = "default_role")]
    #[schema(value_type = Option<Role>)]
    role: String,
    #[schema(format = Password, min_length = 10, max_length = 256)]
    password: String,
}

fn default_role() -> String {
    "therapist".into()
}

/// What an admin may change: the role, and whether the account works.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClinician {
    #[schema(value_type = Option<Role>)]
    role: Option<String>,
    active: Option<bool>,
}

/// The clinic's clinicians.
#[utoipa::path(
    tag = "clinicians",
    operation_id = "list_clinicians",
    responses((status = 200, description = "Every clinician of the clinic", body = Vec<ClinicianDto>)),
)]
#[get("/clinicians")]
#[tracing::instrument(skip_all)]
async fn list(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| accounts::clinicians(conn, who.clinic_id))
        .await?;
    let body: Vec<ClinicianDto> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// Add a clinician (admin).
#[utoipa::path(
    tag = "clinicians",
    operation_id = "create_clinician",
    request_body = CreateClinician,
    responses(
        (status = 201, description = "Added", body = ClinicianDto),
        (status = 403, description = "`forbidden`: only an admin can add clinicians", body = ErrorBody),
        (status = 409, description = "`email_taken`: a clinician with this e-mail exists", body = ErrorBody),
    ),
)]
#[post("/clinicians")]
#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    Admin(who): Admin,
    body: web::Json<CreateClinician>,
) -> Result<HttpResponse, AppError> {
    let new = NewClinician::parse(&body.email, &body.name, &body.role, &body.password)?;
    let actor = Actor::from(&who);
    let row = state
        .db(move |conn| accounts::create_clinician(conn, &actor, who.clinic_id, new))
        .await?;
    Ok(HttpResponse::Created().json(ClinicianDto::from(row)))
}

/// One clinician of the clinic.
#[utoipa::path(
    tag = "clinicians",
    operation_id = "get_clinician",
    params(("clinician_id" = uuid::Uuid, Path, description = "The clinician's id")),
    responses((status = 200, description = "The clinician", body = ClinicianDto)),
)]
#[get("/clinicians/{clinician_id}")]
#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ClinicianId>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let row = state
        .db(move |conn| accounts::find_clinician(conn, who.clinic_id, id))
        .await?;
    Ok(HttpResponse::Ok().json(ClinicianDto::from(row)))
}

/// Change a clinician's role or deactivate them (admin).
///
/// Deactivating ends the clinician's sessions. The clinic's last active admin
/// cannot be demoted or deactivated (409 `last_admin`).
#[utoipa::path(
    tag = "clinicians",
    operation_id = "update_clinician",
    params(("clinician_id" = uuid::Uuid, Path, description = "The clinician's id")),
    request_body = UpdateClinician,
    responses(
        (status = 200, description = "Changed", body = ClinicianDto),
        (status = 403, description = "`forbidden`: only an admin can change clinicians", body = ErrorBody),
        (status = 409, description = "`last_admin`: the clinic needs an active admin", body = ErrorBody),
    ),
)]
#[patch("/clinicians/{clinician_id}")]
#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<ClinicianId>,
    body: web::Json<UpdateClinician>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
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
