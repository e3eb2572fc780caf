//! Clinic settings, for admins: name, contact line, default paper and logo
//! (printed on every handout), and the clinicians — add one, change a role,
//! deactivate or reactivate.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    check_upload, csrf_token, field_values, form_errors, html_with, read_upload, redirect, Admin,
    Button, CsrfForm, FormFields, PageError,
};
use crate::db::clinicians::ClinicianRow;
use crate::domain::clinician::Role;
use crate::domain::ids::ClinicianId;
use crate::domain::paper::Paper;
use crate::error::AppError;
use crate::services::accounts::{self, NewClinician};
use crate::services::catalog::IMAGE_MAX_BYTES;
use crate::services::clinic::{self as service, SettingsPatch};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/clinic")
            .route(web::get().to(show))
            .route(web::post().to(update)),
    )
    .service(web::resource("/clinic/logo").route(web::post().to(upload_logo)))
    .service(web::resource("/clinic/logo/delete").route(web::post().to(delete_logo)))
    .service(web::resource("/clinic/clinicians").route(web::post().to(add_clinician)))
    .service(web::resource("/clinic/clinicians/{id}").route(web::post().to(change_clinician)));
}

struct StaffLine {
    id: ClinicianId,
    name: String,
    email: String,
    role: &'static str,
    active: bool,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "app/clinic.html")]
struct ClinicPage {
    csrf: String,
    admin: bool,
    notice: Option<&'static str>,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    /// (value, label, selected)
    papers: Vec<(&'static str, &'static str, bool)>,
    has_logo: bool,
    /// Changes when the logo does, so the browser shows the new one.
    logo_version: i64,
    staff: Vec<StaffLine>,
}

impl FormFields for ClinicPage {
    fn values(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    fn errors(&self) -> &BTreeMap<String, String> {
        &self.errors
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "settings" => "Saved. New handouts use these settings.",
        "logo" => "The logo is saved. New handouts print it.",
        "logo-removed" => "The logo is removed.",
        "clinician" => "The clinician is added. Give them their e-mail and password in person.",
        "role" => "The role is changed.",
        "deactivated" => "Deactivated. Their sessions have ended and they can no longer sign in.",
        "reactivated" => "Reactivated. They can sign in again.",
        _ => return None,
    })
}

/// What a submitted form leaves on the page: typed values, messages, and
/// the status to answer with.
struct Outcome {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
}

/// The settings page, with what was typed into one of its forms, if any.
async fn page(
    state: &AppState,
    req: &HttpRequest,
    who: &Identity,
    notice_code: Option<&str>,
    outcome: Option<Outcome>,
) -> Result<HttpResponse, PageError> {
    let clinic = who.clinic_id;
    let (settings, staff) = state
        .db(move |conn| {
            Ok((
                service::load(conn, clinic)?,
                accounts::clinicians(conn, clinic)?,
            ))
        })
        .await?;
    let mut values: BTreeMap<String, String> = field_values([
        ("name", settings.row.name.clone()),
        ("contact_line", settings.row.contact_line.clone()),
        (
            "default_paper",
            String::from(settings.row.default_paper.as_str()),
        ),
        ("weight_unit", settings.row.weight_unit.clone()),
        ("new_role", "therapist".to_owned()),
    ]);
    let (errors, status) = match outcome {
        Some(outcome) => {
            values.extend(outcome.values);
            (outcome.errors, outcome.status)
        }
        None => (BTreeMap::new(), StatusCode::OK),
    };
    let papers = Paper::ALL
        .into_iter()
        .map(|p| {
            (
                p.as_str(),
                p.label(),
                values.get("default_paper").is_some_and(|v| v == p.as_str()),
            )
        })
        .collect();
    let response = html_with(
        &ClinicPage {
            csrf: csrf_token(req),
            admin: true,
            notice: notice(notice_code),
            values,
            errors,
            papers,
            has_logo: settings.has_logo,
            logo_version: settings.row.updated_at.and_utc().timestamp(),
            staff: staff
                .into_iter()
                .map(|c: ClinicianRow| StaffLine {
                    is_me: c.id == who.clinician_id,
                    id: c.id,
                    name: c.name,
                    email: c.email,
                    role: c.role.as_str(),
                    active: c.active,
                })
                .collect(),
        },
        status,
    );
    Ok(response)
}

/// Shows the page again after a failed form, or fails with an error page.
async fn failed(
    state: &AppState,
    req: &HttpRequest,
    who: &Identity,
    err: AppError,
    values: BTreeMap<String, String>,
    rename: &[(&str, &str)],
) -> Result<HttpResponse, PageError> {
    let status = actix_web::ResponseError::status_code(&err);
    let errors = form_errors(err)?
        .into_iter()
        .map(|(key, message)| {
            let key = rename
                .iter()
                .find(|(from, _)| *from == key)
                .map_or(key, |(_, to)| (*to).to_owned());
            (key, message)
        })
        .collect();
    page(
        state,
        req,
        who,
        None,
        Some(Outcome {
            values,
            errors,
            status,
        }),
    )
    .await
}

async fn show(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    page(&state, &req, &who, query.done.as_deref(), None).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    name: String,
    contact_line: String,
    default_paper: String,
    #[serde(default)]
    weight_unit: String,
}

async fn update(
    who: Admin,
    form: CsrfForm<SettingsForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let typed: BTreeMap<String, String> = field_values([
        ("name", form.name.clone()),
        ("contact_line", form.contact_line.clone()),
        ("default_paper", form.default_paper.clone()),
        ("weight_unit", form.weight_unit.clone()),
    ]);
    let patch = SettingsPatch {
        name: Some(form.name),
        contact_line: Some(form.contact_line),
        default_paper: Some(form.default_paper),
        weight_unit: Some(form.weight_unit).filter(|u| !u.is_empty()),
    };
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    match state
        .db(move |conn| service::update(conn, &actor, clinic, patch))
        .await
    {
        Ok(_) => Ok(redirect("/clinic?done=settings")),
        Err(err) => failed(&state, &req, &who, err, typed, &[]).await,
    }
}

/// Stores an uploaded logo; no file is a message beside the field.
async fn set_logo(state: &AppState, who: &Identity, file: Option<Vec<u8>>) -> Result<(), AppError> {
    let Some(bytes) = file else {
        return Err(AppError::Validation {
            message: "choose a PNG or JPEG file first".into(),
            fields: BTreeMap::new(),
        });
    };
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::set_logo(conn, &actor, clinic, Some(bytes)))
        .await
}

async fn upload_logo(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let result = match read_upload(payload, "logo", IMAGE_MAX_BYTES).await {
        Ok(upload) => {
            check_upload(&req, &upload)?;
            set_logo(&state, &who, upload.file).await
        }
        Err(err) => Err(err),
    };
    let err = match result {
        Ok(()) => return Ok(redirect("/clinic?done=logo")),
        Err(AppError::Validation { message, fields }) => AppError::Validation {
            message: message.clone(),
            fields: if fields.is_empty() {
                BTreeMap::from([("logo".to_owned(), message)])
            } else {
                fields
            },
        },
        Err(other) => other,
    };
    failed(
        &state,
        &req,
        &who,
        err,
        BTreeMap::new(),
        &[("_form", "logo"), ("image", "logo")],
    )
    .await
}

async fn delete_logo(
    who: Admin,
    _form: CsrfForm<Button>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::set_logo(conn, &actor, clinic, None))
        .await?;
    Ok(redirect("/clinic?done=logo-removed"))
}

#[derive(Deserialize)]
pub struct NewClinicianForm {
    new_name: String,
    new_email: String,
    new_role: String,
    new_password: String,
}

async fn add_clinician(
    who: Admin,
    form: CsrfForm<NewClinicianForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    // The password is never sent back to the page.
    let typed: BTreeMap<String, String> = field_values([
        ("new_name", form.new_name.clone()),
        ("new_email", form.new_email.clone()),
        ("new_role", form.new_role.clone()),
    ]);
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    let result = match NewClinician::parse(
        &form.new_email,
        &form.new_name,
        &form.new_role,
        &form.new_password,
    ) {
        Ok(new) => {
            state
                .db(move |conn| accounts::create_clinician(conn, &actor, clinic, new))
                .await
        }
        Err(err) => Err(err),
    };
    let err = match result {
        Ok(_) => return Ok(redirect("/clinic?done=clinician#staff")),
        Err(AppError::Conflict { message, .. }) => AppError::Validation {
            message: message.clone(),
            fields: BTreeMap::from([("email".to_owned(), message)]),
        },
        Err(other) => other,
    };
    failed(
        &state,
        &req,
        &who,
        err,
        typed,
        &[
            ("name", "new_name"),
            ("email", "new_email"),
            ("role", "new_role"),
            ("password", "new_password"),
        ],
    )
    .await
}

#[derive(Deserialize)]
pub struct ChangeForm {
    /// `role` (with `role`), `deactivate` or `reactivate`.
    change: String,
    role: Option<String>,
}

async fn change_clinician(
    who: Admin,
    form: CsrfForm<ChangeForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<ClinicianId>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let id = path.into_inner();
    let (role, active, done) = match form.change.as_str() {
        "role" => {
            let role =
                Role::parse(form.role.as_deref().unwrap_or_default()).map_err(AppError::field)?;
            (Some(role), None, "role")
        }
        "deactivate" => (None, Some(false), "deactivated"),
        "reactivate" => (None, Some(true), "reactivated"),
        _ => {
            return Err(AppError::BadRequest {
                code: "bad_form",
                message: "unknown change; use the buttons on the clinic page".into(),
            }
            .into())
        }
    };
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    match state
        .db(move |conn| accounts::update_clinician(conn, &actor, clinic, id, role, active))
        .await
    {
        Ok(_) => Ok(redirect(&format!("/clinic?done={done}#staff"))),
        Err(err @ AppError::Conflict { .. }) => {
            failed(
                &state,
                &req,
                &who,
                err,
                BTreeMap::new(),
                &[("_form", "staff")],
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}
