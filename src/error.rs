//! `AppError`: every failure a use case can meet, with a snake_case code to
//! branch on and a sentence saying how to fix the request. It knows nothing
//! of HTTP: `web::error` maps it to a status and the contract's JSON body,
//! `web::pages` to an HTML page. Internal causes (database, pool, I/O) are
//! kept for the log, never shown: no SQL, no stack trace, no patient data.

use std::collections::BTreeMap;

use crate::domain::program::ConflictView;
use crate::domain::FieldError;

/// What a 409 carries beyond its message, so the client can resolve it.
#[derive(Debug, Clone)]
pub enum Clash {
    /// The draft's current revision: reload, reapply, send it.
    Revision(i32),
    /// The avoided items without an override reason.
    Conflicts(Vec<ConflictView>),
}

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
        clash: Option<Clash>,
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
