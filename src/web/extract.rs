//! Request extractors: the signed-in clinician (`Identity`, `Admin`), the
//! client IP, bounded body readers (`read_limited`, `optional_json`), and
//! error handlers that turn unreadable JSON, queries and paths into the
//! contract's error bodies.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Duration;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::domain::clinician::Role;
use crate::domain::credentials::token_hash;
use crate::domain::ids::{ClinicId, ClinicianId, SessionId};
use crate::error::AppError;
use crate::services::accounts;

/// Largest JSON body the API reads (413 beyond).
pub const JSON_LIMIT: usize = 256 * 1024;

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
    pub session_id: SessionId,
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

/// What the admin-only routes under `path` let one do, as a refusal names
/// it (API and pages alike).
pub fn admin_action(path: &str) -> &'static str {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    if path.starts_with("/clinicians") || path.starts_with("/clinic/clinicians") {
        "add or change clinicians"
    } else if path.starts_with("/clinic") {
        "change the clinic's settings and staff"
    } else if path.starts_with("/precautions") {
        "change the clinic's precautions"
    } else if path.starts_with("/catalog") || path.starts_with("/exercises") {
        "change the clinic's catalog"
    } else {
        "do this"
    }
}

/// The signed-in clinician, who must be an admin of the clinic: 401 when
/// signed out, 403 for a therapist.
#[derive(Debug, Clone)]
pub struct Admin(pub Identity);

impl FromRequest for Admin {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let identity = Identity::from_request(req, payload);
        let action = admin_action(req.path());
        Box::pin(async move {
            let who = identity.await?;
            who.require_admin(action)?;
            Ok(Admin(who))
        })
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
                .db(move |conn| accounts::live_session(conn, &hash, idle))
                .await?
                .ok_or(AppError::Unauthorized)?;
            Ok(Identity {
                clinician_id: live.clinician_id,
                clinic_id: live.clinic_id,
                role: live.role,
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

/// Reads a raw body, refusing it with 413 as soon as it passes `max` bytes.
pub async fn read_limited(mut payload: web::Payload, max: usize) -> Result<Vec<u8>, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: "unreadable_body",
            message: format!("cannot read the upload: {e}"),
        })?;
        if body.len() + chunk.len() > max {
            return Err(AppError::PayloadTooLarge(format!(
                "uploads may be at most {max} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A JSON body that may be left out. Unlike `Option<web::Json<T>>`, which
/// silently drops a body it cannot read, a body that is present must be
/// valid JSON of the right shape (400/415/422), and at most `JSON_LIMIT`.
pub async fn optional_json<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Option<T>, AppError> {
    let bytes = read_limited(payload, JSON_LIMIT).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|essence| {
            let essence = essence.trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        })
        .unwrap_or(false);
    if !is_json {
        return Err(body_error(JsonPayloadError::ContentType));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| body_error(JsonPayloadError::Deserialize(e)))
}
