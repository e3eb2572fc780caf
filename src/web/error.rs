//! How a failed request is answered over HTTP: each `AppError` maps to one
//! status code and the JSON body of the public contract (`error`, `message`,
//! `fields`). Internal causes are logged with context and answered as a bare
//! 500 or 503; nothing of them reaches the client.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::program::ConflictView;
use crate::error::{AppError, Clash};

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

/// A 409 `unresolved_conflicts` of publishing, or `patient_archived`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UnresolvedConflicts<'a> {
    #[schema(example = "unresolved_conflicts")]
    pub error: &'static str,
    pub message: String,
    /// The avoided items without an override reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub conflicts: Option<&'a [ConflictView]>,
}

/// A 409 `stale_revision` of replacing a draft, or `patient_archived`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StaleRevision {
    #[schema(example = "stale_revision")]
    pub error: &'static str,
    pub message: String,
    /// The draft's current revision: reload, reapply, send it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub revision: Option<i32>,
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
        let error = self.code();
        let message = self.to_string();
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
        match self {
            Self::Conflict {
                clash: Some(Clash::Conflicts(conflicts)),
                ..
            } => response.json(UnresolvedConflicts {
                error,
                message,
                conflicts: Some(conflicts),
            }),
            Self::Conflict {
                clash: Some(Clash::Revision(revision)),
                ..
            } => response.json(StaleRevision {
                error,
                message,
                revision: Some(*revision),
            }),
            _ => response.json(ErrorBody {
                error,
                message,
                fields,
            }),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal("blocking task", err)
    }
}
