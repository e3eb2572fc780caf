//! Sign in, sign out, and who am I.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clinicians::ClinicianDto;
use crate::clock;
use crate::error::AppError;
use crate::services::accounts::{self, Actor};
use crate::web::extract::{client_ip, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sessions").route(web::post().to(create)))
        .service(web::resource("/sessions/current").route(web::delete().to(delete)))
        .service(web::resource("/me").route(web::get().to(me)));
}

#[derive(Deserialize)]
pub struct SignInRequest {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct SessionDto {
    token: String,
    expires_at: DateTime<Utc>,
    clinician: ClinicianDto,
}

#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<SignInRequest>,
) -> Result<HttpResponse, AppError> {
    let SignInRequest { email, password } = body.into_inner();
    let ip = client_ip(&req).unwrap_or_else(|| "unknown".into());
    let max = chrono::Duration::from_std(state.config.session_max)
        .map_err(|e| AppError::internal("session max", e))?;
    let signed_in = state
        .db(move |conn| accounts::sign_in(conn, &email, &password, &ip, max))
        .await?;
    Ok(HttpResponse::Created().json(SessionDto {
        token: signed_in.token,
        expires_at: clock::utc(signed_in.expires_at),
        clinician: signed_in.clinician.into(),
    }))
}

#[tracing::instrument(skip_all)]
async fn delete(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| accounts::sign_out(conn, &actor, &who.session_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[tracing::instrument(skip_all)]
async fn me(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let row = state
        .db(move |conn| accounts::find_clinician(conn, who.clinic_id, who.clinician_id))
        .await?;
    Ok(HttpResponse::Ok().json(ClinicianDto::from(row)))
}

impl From<&Identity> for Actor {
    fn from(who: &Identity) -> Self {
        Actor {
            clinic_id: Some(who.clinic_id),
            clinician_id: Some(who.clinician_id),
            ip: who.ip.clone(),
        }
    }
}
