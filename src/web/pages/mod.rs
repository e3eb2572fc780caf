//! The clinician web app: server-rendered pages (askama, `templates/app/`)
//! with plain forms that work without JavaScript, and a little of our own
//! script for search-as-you-type. Sessions are the API's, carried in an
//! HttpOnly cookie; every form carries a CSRF token bound to the session.
//! This file holds the routes and the rendering helpers the pages share;
//! `extract.rs` the extractors a handler starts from (`SignedIn`, `Admin`,
//! `CsrfForm`), `error.rs` what a handler fails with (`PageError`).

mod catalog;
mod clinic;
mod dose;
mod error;
mod extract;
mod patients;
mod programs;
mod session;

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::StreamExt;

use crate::domain::clinician::Role;
use crate::domain::credentials::token_hash;
use crate::error::AppError;
use crate::web::extract::{session_token, Identity};
pub use error::{error_page, PageError};
use extract::{check_upload, Admin, Button, CsrfForm, Nested, SignedIn};

/// The app's CSS and script, served from our own origin.
const CSS: &str = include_str!("../../../templates/static/app.css");
const JS: &str = include_str!("../../../templates/static/app.js");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("")
            .wrap(
                DefaultHeaders::new()
                    .add((
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                    ))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((header::X_FRAME_OPTIONS, "DENY")),
            )
            // A path part that is not an id names no record: the same page
            // as an id of nothing (or of another clinic).
            .app_data(web::PathConfig::default().error_handler(|_, _| {
                PageError::from(AppError::NotFound("record")).into()
            }))
            .service(web::resource("/static/app.css").route(web::get().to(css)))
            .service(web::resource("/static/app.js").route(web::get().to(js)))
            .configure(session::routes)
            .configure(patients::routes)
            .configure(programs::routes)
            .configure(catalog::routes)
            .configure(clinic::routes),
    );
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(CSS)
}

async fn js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .body(JS)
}

/// The CSRF token of a session: derived from its secret, so a page of
/// another site cannot know it.
pub fn csrf_token(req: &HttpRequest) -> String {
    session_token(req)
        .map(|t| token_hash(&format!("csrf:{t}"))[..32].to_owned())
        .unwrap_or_default()
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .finish()
}

/// Percent-encodes a path for a query value (letters, digits, `/-_.` kept).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Renders a template as an HTML response.
pub fn html(template: &impl Template) -> HttpResponse {
    match template.render() {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(err) => error_page(&AppError::internal("template", err)),
    }
}

/// Whether the navigation shows the admin pages.
pub fn is_admin(who: &Identity) -> bool {
    who.role == Role::Admin
}

/// A `multipart/form-data` form: its text fields and at most one file.
pub struct Upload {
    pub fields: BTreeMap<String, String>,
    pub file: Option<Vec<u8>>,
}

impl Upload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Most parts a page's upload form has; more is not our form.
const UPLOAD_PARTS: usize = 8;
/// Longest text part of an upload form (the CSRF token and a few words).
const UPLOAD_TEXT_MAX: usize = 1024;

/// Reads an upload form with bounds: the file part named `file_field` up to
/// `max` bytes (413 beyond), a few short text parts, nothing else.
pub async fn read_upload(
    mut payload: Multipart,
    file_field: &str,
    max: usize,
) -> Result<Upload, AppError> {
    let bad = |e: actix_multipart::MultipartError| AppError::BadRequest {
        code: "bad_upload",
        message: format!("the upload could not be read ({e}); choose the file again and resend"),
    };
    let mut upload = Upload {
        fields: BTreeMap::new(),
        file: None,
    };
    let mut parts = 0;
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(bad)?;
        parts += 1;
        if parts > UPLOAD_PARTS {
            return Err(AppError::BadRequest {
                code: "bad_upload",
                message: "the form has too many parts; send it from hep's page".into(),
            });
        }
        let name = part.name().unwrap_or_default().to_owned();
        let is_file = name == file_field;
        let limit = if is_file { max } else { UPLOAD_TEXT_MAX };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(bad)?;
            if bytes.len() + chunk.len() > limit {
                return Err(if is_file {
                    AppError::PayloadTooLarge(format!(
                        "the file is larger than {} MB; save it smaller and upload again",
                        max / (1024 * 1024)
                    ))
                } else {
                    AppError::BadRequest {
                        code: "bad_upload",
                        message: format!("the form field `{name}` is too long"),
                    }
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            upload.file = Some(bytes).filter(|b| !b.is_empty());
        } else {
            upload
                .fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(upload)
}

/// A validation failure's messages by field; anything else under `_form`.
pub fn form_errors(err: AppError) -> Result<BTreeMap<String, String>, AppError> {
    match err {
        AppError::Validation { fields, message } if fields.is_empty() => {
            Ok(BTreeMap::from([("_form".to_owned(), message)]))
        }
        AppError::Validation { fields, .. } => Ok(fields),
        AppError::Conflict { message, .. } | AppError::PayloadTooLarge(message) => {
            Ok(BTreeMap::from([("_form".to_owned(), message)]))
        }
        other => Err(other),
    }
}

/// Renders a template as an HTML response with another status than 200 (a
/// form sent back with its errors); a template failure stays a 500.
pub fn html_with(template: &impl Template, status: StatusCode) -> HttpResponse {
    let mut response = html(template);
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}

/// Values keyed by field name, as a form page shows them.
pub fn field_values<V>(pairs: impl IntoIterator<Item = (&'static str, V)>) -> BTreeMap<String, V> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// A form page: what was typed (or stored) by field, and each field's
/// message. Its templates read `self.value(key)` and `self.error(key)`.
pub trait FormFields {
    fn values(&self) -> &BTreeMap<String, String>;
    fn errors(&self) -> &BTreeMap<String, String>;

    /// The field's text, empty when there is none.
    fn value(&self, key: &str) -> String {
        self.values().get(key).cloned().unwrap_or_default()
    }

    /// The message beside the field, if it did not pass.
    fn error(&self, key: &str) -> Option<String> {
        self.errors().get(key).cloned()
    }
}

/// A posted form as typed: single values, and the values of repeated
/// fields (checkboxes, rows) in order. The CSRF token is not kept.
#[derive(Default)]
pub struct Typed {
    pub values: BTreeMap<String, String>,
    pub lists: BTreeMap<String, Vec<String>>,
}

impl Typed {
    /// Reads the fields; those named in `repeated` are collected as lists.
    pub fn read(fields: Vec<(String, String)>, repeated: &[&str]) -> Self {
        let mut typed = Self::default();
        for (key, value) in fields {
            if key == "csrf" {
                continue;
            }
            if repeated.contains(&key.as_str()) {
                typed.lists.entry(key).or_default().push(value);
            } else {
                typed.values.insert(key, value);
            }
        }
        typed
    }

    pub fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        self.lists.get(key).cloned().unwrap_or_default()
    }

    /// Non-empty lines of a text area.
    pub fn lines(&self, key: &str) -> Vec<String> {
        self.value(key)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}
