//! Request extractors: the signed-in clinician (`Identity`), the client IP,
//! and error handlers that turn unreadable JSON, queries and paths into the
//! contract's error bodies.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Duration;

use super::AppState;
use crate::clock;
use crate::db::sessions;
use crate::domain::clinician::Role;
use crate::domain::credentials::token_hash;
use crate::domain::ids::{ClinicId, ClinicianId};
use crate::error::AppError;

/// Name of the web app's session cookie over plain HTTP.
pub const SESSION_COOKIE: &str = "hep_session";
/// Name of the session cookie when served over HTTPS: the `__Host-` prefix
/// makes browsers refuse it unless Secure, host-only and Path=/.
pub const SECURE_SESSION_COOKIE: &str = "__Host-hep_session";

/// The signed-in clinician of a request, with the clinic every query of the
/// request is scoped to.
#[derive(Debug, Clone)]
pub struct Identity {
    pub clinician_id: ClinicianId,
    pub clinic_id: ClinicId,
    pub role: Role,
    pub session_id: String,
    pub ip: Option<String>,
}

impl Identity {
    /// Refuses non-admins with a 403 that says what is needed.
    pub fn require_admin(&self, action: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Therapist => Err(AppError::Forbidden(format!(
                "only a clinic admin can {action}; ask your clinic's admin"
            ))),
        }
    }
}

/// The bearer token from `Authorization: Bearer …` or the session cookie.
pub fn session_token(req: &HttpRequest) -> Option<String> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    bearer
        .or_else(|| {
            req.cookie(SECURE_SESSION_COOKIE)
                .map(|c| c.value().to_owned())
        })
        .or_else(|| req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()))
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// The peer address of the connection.
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|addr| addr.ip().to_string())
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = session_token(req);
        let ip = client_ip(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(AppError::Unauthorized);
            };
            let idle = Duration::from_std(state.config.session_idle)
                .map_err(|e| AppError::internal("session idle", e))?;
            let hash = token_hash(&token);
            let live = state
                .db(move |conn| {
                    let now = clock::now();
                    let found = sessions::find_live(conn, &hash, now, idle)?;
                    if let Some(session) = &found {
                        // Writing on every request would serialise all reads
                        // behind the SQLite writer; a minute's slack is enough.
                        if now - session.last_seen_at > Duration::seconds(60) {
                            sessions::touch(conn, &session.session_id, now)?;
                        }
                    }
                    Ok(found)
                })
                .await?
                .ok_or(AppError::Unauthorized)?;
            Ok(Identity {
                clinician_id: ClinicianId::parse(&live.clinician_id)
                    .ok_or_else(|| AppError::internal("session", "bad clinician id"))?,
                clinic_id: ClinicId::parse(&live.clinic_id)
                    .ok_or_else(|| AppError::internal("session", "bad clinic id"))?,
                role: Role::parse(&live.role)
                    .map_err(|e| AppError::internal("session role", e.message))?,
                session_id: live.session_id,
                ip,
            })
        })
    }
}

/// Unreadable JSON is a 400, JSON of the wrong shape a 422, too big a 413.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    body_error(err).into()
}

/// The contract's error for a JSON body that cannot be used.
pub fn body_error(err: JsonPayloadError) -> AppError {
    match &err {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => AppError::PayloadTooLarge(format!(
            "the body is larger than the {limit}-byte limit; send less data per request"
        )),
        JsonPayloadError::ContentType => AppError::UnsupportedMediaType(
            "send the body as JSON with `Content-Type: application/json`".into(),
        ),
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            let text = e.to_string();
            let fields = missing_field(&text)
                .map(|f| [(f, "is required".to_owned())].into_iter().collect())
                .unwrap_or_default();
            AppError::Validation {
                message: format!("the JSON body has the wrong shape: {text}"),
                fields,
            }
        }
        JsonPayloadError::Deserialize(e) => AppError::BadRequest {
            code: "malformed_json",
            message: format!("the body is not valid JSON: {e}"),
        },
        other => AppError::BadRequest {
            code: "unreadable_body",
            message: format!("cannot read the request body: {other}"),
        },
    }
}

fn missing_field(serde_message: &str) -> Option<String> {
    let rest = serde_message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

/// A malformed query string is a 400 naming the problem.
pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest {
        code: "bad_query",
        message: format!("the query string is invalid: {err}"),
    }
    .into()
}

/// A path segment that is not a valid id cannot name a record: 404.
pub fn path_error(_err: PathError, _req: &HttpRequest) -> actix_web::Error {
    AppError::NotFound("record").into()
}
