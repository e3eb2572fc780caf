//! What a page handler fails with, and the page each failure shows: signed
//! out goes to the sign-in page (303) and comes back after; a form that did
//! not come from our pages is refused (403); an unreadable form body is
//! answered as actix answers it (400, 413, 415); any `AppError` becomes the
//! HTML error page with its status. Internal causes are logged, never shown.

use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use super::encode;
use crate::error::AppError;

/// Why a page is not the one asked for.
#[derive(Debug)]
pub enum PageError {
    /// Signed out: sign in, then come back to `next` (the path asked for).
    SignIn { next: String },
    /// A form without the session's CSRF token, or posted from another site.
    Refused,
    /// A form body that cannot be read: too big, not a form, wrong shape.
    Body(actix_web::Error),
    /// Anything else, shown as the error page.
    App(AppError),
}

impl From<AppError> for PageError {
    fn from(err: AppError) -> Self {
        Self::App(err)
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignIn { .. } => f.write_str("signed out"),
            Self::Refused => f.write_str("form refused: CSRF token or origin"),
            Self::Body(err) => write!(f, "unreadable form: {err}"),
            Self::App(err) => err.fmt(f),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignIn { .. } => StatusCode::SEE_OTHER,
            Self::Refused => StatusCode::FORBIDDEN,
            Self::Body(err) => err.as_response_error().status_code(),
            Self::App(err) => err.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::SignIn { next } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/signin?next={}", encode(next))))
                .finish(),
            Self::Refused => HttpResponse::Forbidden()
                .content_type("text/html; charset=utf-8")
                .body("<!doctype html><title>Refused</title><p>This form has expired or did not come from hep. Go back, reload the page and try again.</p>"),
            Self::Body(err) => err.error_response(),
            Self::App(err) => error_page(err),
        }
    }
}

/// An error as a page: not found, forbidden, or something went wrong.
pub fn error_page(err: &AppError) -> HttpResponse {
    if matches!(err, AppError::Internal(_) | AppError::Unavailable(_)) {
        tracing::error!(error = %err, "page failed");
    }
    let status = err.status_code();
    let message = match err {
        AppError::Internal(_) => "Something went wrong on our side. Please try again.".to_owned(),
        other => other.to_string(),
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hep</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"page\"><h1>{}</h1><p>{}</p><p><a href=\"/patients\">Back to patients</a></p></main></body></html>", status.canonical_reason().unwrap_or("Error"), escape(&message)))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
