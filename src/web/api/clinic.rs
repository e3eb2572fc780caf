//! The signed-in clinician's clinic: settings every handout uses (name,
//! contact line, default paper) and the logo. Admins change them.

use actix_web::{delete, get, patch, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::doc::Image;
use super::exercises::read_limited;
use crate::clock;
use crate::db::audit;
use crate::db::clinics::{self, ClinicRow};
use crate::db::write_tx;
use crate::domain::clinician::Name;
use crate::domain::FieldError;
use crate::error::{AppError, ErrorBody};
use crate::services::catalog::{check_image, IMAGE_MAX_BYTES};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(show)
        .service(update)
        .service(logo)
        .service(put_logo)
        .service(delete_logo);
}

pub const CONTACT_MAX: usize = 200;

/// The clinic's settings every handout uses.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Clinic)]
struct ClinicDto {
    #[schema(format = Uuid)]
    id: String,
    name: String,
    /// Printed under the clinic's name on handouts.
    contact_line: String,
    #[schema(value_type = Paper)]
    default_paper: String,
    has_logo: bool,
}

/// Paper size of a handout.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documents the values `default_paper` and `?paper=` take
pub enum Paper {
    Letter,
    A4,
}

fn dto(row: ClinicRow, has_logo: bool) -> ClinicDto {
    ClinicDto {
        id: row.id,
        name: row.name,
        contact_line: row.contact_line,
        default_paper: row.default_paper,
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
    let (row, has_logo) = state
        .db(move |conn| {
            Ok((
                clinics::find(conn, clinic)?,
                clinics::logo(conn, clinic)?.is_some(),
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(dto(row, has_logo)))
}

/// Change the clinic's name, contact line or default paper (admin).
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
    who: Identity,
    body: web::Json<ClinicPatch>,
) -> Result<HttpResponse, AppError> {
    who.require_admin("change the clinic's settings")?;
    let patch = body.into_inner();
    let actor = Actor::from(&who);
    let clinic = who.clinic_id;
    let (row, has_logo) = state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let current = clinics::find(conn, clinic)?;
                let mut errors = Vec::new();
                let name = match Name::parse("name", patch.name.as_deref().unwrap_or(&current.name))
                {
                    Ok(n) => n.as_str().to_owned(),
                    Err(e) => {
                        errors.push(e);
                        String::new()
                    }
                };
                let contact = patch
                    .contact_line
                    .unwrap_or(current.contact_line)
                    .trim()
                    .to_owned();
                if contact.chars().count() > CONTACT_MAX {
                    errors.push(FieldError::new(
                        "contact_line",
                        format!("must be at most {CONTACT_MAX} characters"),
                    ));
                }
                let paper = patch.default_paper.unwrap_or(current.default_paper);
                if paper != "letter" && paper != "a4" {
                    errors.push(FieldError::new("default_paper", "must be letter or a4"));
                }
                if !errors.is_empty() {
                    return Err(AppError::fields(errors));
                }
                let now = clock::now();
                clinics::update_settings(conn, clinic, &name, &contact, &paper, now)?;
                audit::record(
                    conn,
                    actor.event("clinic.update", "clinic", Some(clinic.to_string())),
                    now,
                )?;
                Ok((
                    clinics::find(conn, clinic)?,
                    clinics::logo(conn, clinic)?.is_some(),
                ))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(dto(row, has_logo)))
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
    let found = state
        .db(move |conn| Ok(clinics::logo(conn, clinic)?))
        .await?;
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
    who: Identity,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    who.require_admin("change the clinic's logo")?;
    let bytes = read_limited(payload, IMAGE_MAX_BYTES).await?;
    let (content_type, _, _) = check_image(&bytes)?;
    let actor = Actor::from(&who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                let now = clock::now();
                clinics::set_logo(conn, clinic, Some((&bytes, content_type)), now)?;
                audit::record(
                    conn,
                    actor.event("clinic.logo", "clinic", Some(clinic.to_string())),
                    now,
                )?;
                Ok(())
            })
        })
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
    who.require_admin("change the clinic's logo")?;
    let clinic = who.clinic_id;
    state
        .db(move |conn| Ok(clinics::set_logo(conn, clinic, None, clock::now()).map(drop)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
