//! Sign in, sign out, and who am I.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::clinicians::ClinicianDto;
use crate::clock;
use crate::error::AppError;
use crate::services::accounts::{self, Actor};
use crate::web::error::ErrorBody;
use crate::web::extract::{client_ip, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create).service(delete).service(me);
}

/// E-mail and password of a clinician.
#[derive(Deserialize, ToSchema)]
pub struct SignInRequest {
    #[schema(format = "email", max_length = 254, example = "admin@demo.hep.test")]
    email: String,
    #[schema(format = Password, max_length = 256)]
    password: String,
}

/// A new session: send `token` as `Authorization: Bearer TOKEN`.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
struct SessionDto {
    token: String,
    expires_at: DateTime<Utc>,
    clinician: ClinicianDto,
}

/// Sign in.
///
/// Wrong credentials and deactivated accounts answer the same 401. Repeated
/// failures for one e-mail or from one address are throttled (429 with
/// `Retry-After`).
#[utoipa::path(
    tag = "sessions",
    operation_id = "sign_in",
    security(()),
    request_body = SignInRequest,
    responses(
        (status = 201, description = "Signed in", body = SessionDto),
        (status = 401, description = "`invalid_credentials`: the e-mail or password is wrong", body = ErrorBody),
        (status = 429, description = "`too_many_requests`: too many failed attempts; wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/sessions")]
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

/// Sign out: the session stops working at once.
#[utoipa::path(
    tag = "sessions",
    operation_id = "sign_out",
    responses((status = 204, description = "Signed out")),
)]
#[delete("/sessions/current")]
#[tracing::instrument(skip_all)]
async fn delete(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| accounts::sign_out(conn, &actor, who.session_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in clinician, with `clinic_id` and `role`.
#[utoipa::path(
    tag = "sessions",
    operation_id = "me",
    responses((status = 200, description = "The signed-in clinician", body = ClinicianDto)),
)]
#[get("/me")]
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
