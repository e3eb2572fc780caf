//! `AppError`: every failure a request can meet, mapped to one status code
//! and the JSON body of the public contract (`error`, `message`, `fields`).
//! Clients get a code they can branch on and a sentence saying how to fix the
//! request. Internal causes (database, pool, I/O) are logged with context and
//! answered as a bare 500 or 503: no SQL, no stack trace, no patient data.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request cannot be read at all.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 401: no valid session.
    #[error("sign in first: send `Authorization: Bearer TOKEN` from POST /api/v1/sessions")]
    Unauthorized,
    /// 401 for wrong credentials at sign-in.
    #[error("the e-mail or password is wrong")]
    InvalidCredentials,
    /// 403: signed in, but the role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// 404: absent, or another clinic's (which must look the same).
    #[error("no {0} with this id in your clinic")]
    NotFound(&'static str),
    /// 409: the request clashes with the stored state.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        extra: Option<(&'static str, serde_json::Value)>,
    },
    /// 410: it existed, but is no longer available.
    #[error("{0}")]
    Gone(String),
    /// 413: too big.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: readable, but some fields are invalid.
    #[error("{message}")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// 429: slow down.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// 503 with `Retry-After`: too many PDF handouts are being prepared.
    #[error("too many handouts are being prepared right now; try again in {retry_after} seconds")]
    Busy { retry_after: u64 },
    /// 503: the database or a worker pool is saturated or unreachable.
    #[error("the service is busy or its database is unreachable; try again shortly")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure; the cause is only logged.
    #[error("internal error")]
    Internal(String),
}

/// The body of every error response (the OpenAPI document's `Error`).
/// A 409 may carry one more key naming the clash (`revision`, `conflicts`).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// A snake_case code to branch on, e.g. `validation_failed`.
    #[schema(example = "validation_failed")]
    pub error: &'static str,
    /// What went wrong and how to fix the request.
    pub message: String,
    /// For 422: each invalid field (e.g. `items[2].sets`) with its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub fields: Option<BTreeMap<String, String>>,
}

impl AppError {
    /// One invalid field.
    pub fn field(err: FieldError) -> Self {
        Self::fields(vec![err])
    }

    /// Several invalid fields at once, so the client can fix them together.
    pub fn fields(errors: Vec<FieldError>) -> Self {
        let message = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid; see `fields`", many.len()),
        };
        Self::Validation {
            message,
            fields: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        Self::Internal(format!("{context}: {err}"))
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } | Self::Conflict { code, .. } => code,
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Gone(_) => "gone",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Validation { .. } => "validation_failed",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable(_) => "unavailable",
            Self::Busy { .. } => "busy",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(cause = %cause, "request failed"),
            Self::Unavailable(cause) => {
                tracing::warn!(cause = %cause, "request refused: unavailable")
            }
            _ => {}
        }
        let fields = match self {
            Self::Validation { fields, .. } if !fields.is_empty() => Some(fields.clone()),
            _ => None,
        };
        let body = ErrorBody {
            error: self.code(),
            message: self.to_string(),
            fields,
        };
        let mut json = serde_json::to_value(&body).unwrap_or_default();
        if let (
            Self::Conflict {
                extra: Some((key, value)),
                ..
            },
            Some(map),
        ) = (self, json.as_object_mut())
        {
            map.insert((*key).to_owned(), value.clone());
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::TooManyRequests { retry_after } | Self::Busy { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            Self::Unauthorized | Self::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        response.json(json)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => Self::NotFound("record"),
            other => Self::internal("database", other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(format!("database pool: {err}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal("blocking task", err)
    }
}
