//! The signed-in clinician's clinic: settings every handout uses (name,
//! contact line, default paper) and the logo. Admins change them.

use actix_web::{delete, get, patch, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::doc::Image;
use crate::domain::dosage::WeightUnit;
use crate::domain::ids::ClinicId;
use crate::domain::paper::Paper;
use crate::error::AppError;
use crate::services::catalog::IMAGE_MAX_BYTES;
use crate::services::clinic::{self as service, ClinicSettings, SettingsPatch};
use crate::services::Actor;
use crate::web::error::ErrorBody;
use crate::web::extract::read_limited;
use crate::web::extract::{Admin, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(show)
        .service(update)
        .service(logo)
        .service(put_logo)
        .service(delete_logo);
}

/// The clinic's settings every handout uses.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Clinic)]
struct ClinicDto {
    #[schema(value_type = String, format = Uuid)]
    id: ClinicId,
    name: String,
    /// Printed under the clinic's name on handouts.
    contact_line: String,
    default_paper: Paper,
    /// The unit the builder offers first for weights.
    #[schema(value_type = WeightUnit)]
    weight_unit: String,
    has_logo: bool,
}

fn dto(settings: ClinicSettings) -> ClinicDto {
    let ClinicSettings { row, has_logo } = settings;
    ClinicDto {
        id: row.id,
        name: row.name,
        contact_line: row.contact_line,
        default_paper: row.default_paper,
        weight_unit: row.weight_unit,
        has_logo,
    }
}

/// The settings to change; fields left out (or `null`) stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClinicPatch {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    #[schema(max_length = 200)]
    contact_line: Option<String>,
    #[schema(value_type = Option<Paper>)]
    default_paper: Option<String>,
    #[schema(value_type = Option<WeightUnit>)]
    weight_unit: Option<String>,
}

/// The signed-in clinician's clinic.
#[utoipa::path(
    tag = "clinic",
    operation_id = "get_clinic",
    responses((status = 200, description = "The clinic", body = ClinicDto)),
)]
#[get("/clinic")]
#[tracing::instrument(skip_all)]
async fn show(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let settings = state.db(move |conn| service::load(conn, clinic)).await?;
    Ok(HttpResponse::Ok().json(dto(settings)))
}

/// Change the clinic's name, contact line, default paper or weight unit
/// (admin).
#[utoipa::path(
    tag = "clinic",
    operation_id = "update_clinic",
    request_body = ClinicPatch,
    responses(
        (status = 200, description = "Changed", body = ClinicDto),
        (status = 403, description = "`forbidden`: only an admin can change the clinic", body = ErrorBody),
    ),
)]
#[patch("/clinic")]
#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    Admin(who): Admin,
    body: web::Json<ClinicPatch>,
) -> Result<HttpResponse, AppError> {
    let patch = body.into_inner();
    let patch = SettingsPatch {
        name: patch.name,
        contact_line: patch.contact_line,
        default_paper: patch.default_paper,
        weight_unit: patch.weight_unit,
    };
    let actor = Actor::from(&who);
    let clinic = who.clinic_id;
    let settings = state
        .db(move |conn| service::update(conn, &actor, clinic, patch))
        .await?;
    Ok(HttpResponse::Ok().json(dto(settings)))
}

/// The clinic's logo, as uploaded.
#[utoipa::path(
    tag = "clinic",
    operation_id = "get_clinic_logo",
    responses(
        (status = 200, description = "The logo", content((Image = "image/png"), (Image = "image/jpeg"))),
        (status = 404, description = "`not_found`: the clinic has no logo", body = ErrorBody),
    ),
)]
#[get("/clinic/logo")]
#[tracing::instrument(skip_all)]
async fn logo(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let found = state.db(move |conn| service::logo(conn, clinic)).await?;
    let (bytes, content_type) = found.ok_or(AppError::NotFound("clinic logo"))?;
    Ok(HttpResponse::Ok().content_type(content_type).body(bytes))
}

/// Upload the clinic's logo (admin): a PNG or JPEG of at most 2 MiB and
/// 4096×4096 pixels, sent as the raw body.
#[utoipa::path(
    tag = "clinic",
    operation_id = "put_clinic_logo",
    request_body(content((Image = "image/png"), (Image = "image/jpeg"), (Image = "application/octet-stream")), description = "The image file's bytes"),
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "`unreadable_body`: the upload broke off", body = ErrorBody),
        (status = 403, description = "`forbidden`: only an admin can change the logo", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: over 2 MiB", body = ErrorBody),
        (status = 422, description = "`validation_failed`: not a PNG or JPEG, or too many pixels", body = ErrorBody),
    ),
)]
#[put("/clinic/logo")]
#[tracing::instrument(skip_all)]
async fn put_logo(
    state: web::Data<AppState>,
    Admin(who): Admin,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let bytes = read_limited(payload, IMAGE_MAX_BYTES).await?;
    let actor = Actor::from(&who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::set_logo(conn, &actor, clinic, Some(bytes)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove the clinic's logo (admin).
#[utoipa::path(
    tag = "clinic",
    operation_id = "delete_clinic_logo",
    responses(
        (status = 204, description = "Removed (or there was none)"),
        (status = 403, description = "`forbidden`: only an admin can change the logo", body = ErrorBody),
    ),
)]
#[delete("/clinic/logo")]
#[tracing::instrument(skip_all)]
async fn delete_logo(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::set_logo(conn, &actor, clinic, None))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
