//! The signed-in clinician's clinic: settings every handout uses (name,
//! contact line, default paper) and the logo. Admins change them.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::exercises::read_limited;
use crate::clock;
use crate::db::audit;
use crate::db::clinics::{self, ClinicRow};
use crate::db::write_tx;
use crate::domain::clinician::Name;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::catalog::{check_image, IMAGE_MAX_BYTES};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/clinic")
            .route(web::get().to(show))
            .route(web::patch().to(update)),
    )
    .service(
        web::resource("/clinic/logo")
            .route(web::get().to(logo))
            .route(web::put().to(put_logo))
            .route(web::delete().to(delete_logo)),
    );
}

pub const CONTACT_MAX: usize = 200;

#[derive(Debug, Serialize)]
struct ClinicDto {
    id: String,
    name: String,
    contact_line: String,
    default_paper: String,
    has_logo: bool,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicPatch {
    name: Option<String>,
    contact_line: Option<String>,
    default_paper: Option<String>,
}

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

#[tracing::instrument(skip_all)]
async fn logo(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let found = state
        .db(move |conn| Ok(clinics::logo(conn, clinic)?))
        .await?;
    let (bytes, content_type) = found.ok_or(AppError::NotFound("clinic logo"))?;
    Ok(HttpResponse::Ok().content_type(content_type).body(bytes))
}

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

#[tracing::instrument(skip_all)]
async fn delete_logo(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    who.require_admin("change the clinic's logo")?;
    let clinic = who.clinic_id;
    state
        .db(move |conn| Ok(clinics::set_logo(conn, clinic, None, clock::now()).map(drop)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
