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
    check_csrf, csrf_token, error_page, field_values, form_errors, html_with, read_upload,
    redirect, respond, signed_in_admin, CsrfForm, Page,
};
use crate::db::clinicians::{self, ClinicianRow};
use crate::domain::clinician::Role;
use crate::domain::ids::ClinicianId;
use crate::error::AppError;
use crate::services::accounts::{self, NewClinician};
use crate::services::catalog::IMAGE_MAX_BYTES;
use crate::services::clinic::{self as service, SettingsPatch, PAPERS};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

const ACTION: &str = "change the clinic's settings and staff";

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
    id: String,
    name: String,
    email: String,
    role: String,
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

impl ClinicPage {
    fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    fn error(&self, key: &str) -> Option<String> {
        self.errors.get(key).cloned()
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
) -> Page {
    let clinic = who.clinic_id;
    let (settings, staff) = state
        .db(move |conn| {
            Ok((
                service::load(conn, clinic)?,
                clinicians::list(conn, clinic)?,
            ))
        })
        .await
        .map_err(|e| error_page(&e))?;
    let me = who.clinician_id.to_string();
    let mut values: BTreeMap<String, String> = field_values([
        ("name", settings.row.name.clone()),
        ("contact_line", settings.row.contact_line.clone()),
        ("default_paper", settings.row.default_paper.clone()),
        ("new_role", "therapist".to_owned()),
    ]);
    let (errors, status) = match outcome {
        Some(outcome) => {
            values.extend(outcome.values);
            (outcome.errors, outcome.status)
        }
        None => (BTreeMap::new(), StatusCode::OK),
    };
    let papers = PAPERS
        .iter()
        .map(|p| {
            let label = if *p == "a4" { "A4" } else { "US Letter" };
            (
                *p,
                label,
                values.get("default_paper").is_some_and(|v| v == p),
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
                    is_me: c.id == me,
                    id: c.id,
                    name: c.name,
                    email: c.email,
                    role: c.role,
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
) -> Page {
    let status = actix_web::ResponseError::status_code(&err);
    let errors = form_errors(err)
        .map_err(|e| error_page(&e))?
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
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    query: web::Query<ShowQuery>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            page(&state, &req, &who, query.done.as_deref(), None).await
        }
        .await,
    )
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    name: String,
    contact_line: String,
    default_paper: String,
}

async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    form: web::Form<SettingsForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let form = form.into_inner();
            check_csrf(&req, &form.csrf)?;
            let typed: BTreeMap<String, String> = field_values([
                ("name", form.name.clone()),
                ("contact_line", form.contact_line.clone()),
                ("default_paper", form.default_paper.clone()),
            ]);
            let patch = SettingsPatch {
                name: Some(form.name),
                contact_line: Some(form.contact_line),
                default_paper: Some(form.default_paper),
            };
            let actor = Actor::from(&who);
            let clinic = who.clinic_id;
            match state
                .db(move |conn| service::update(conn, &actor, clinic, patch))
                .await
            {
                Ok(_) => Page::Ok(redirect("/clinic?done=settings")),
                Err(err) => failed(&state, &req, &who, err, typed, &[]).await,
            }
        }
        .await,
    )
}

async fn upload_logo(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    payload: Multipart,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let result = match read_upload(payload, "logo", IMAGE_MAX_BYTES).await {
                Ok(upload) => {
                    check_csrf(&req, upload.field("csrf"))?;
                    match upload.file {
                        Some(bytes) => {
                            let actor = Actor::from(&who);
                            let clinic = who.clinic_id;
                            state
                                .db(move |conn| {
                                    service::set_logo(conn, &actor, clinic, Some(bytes))
                                })
                                .await
                        }
                        None => Err(AppError::Validation {
                            message: "choose a PNG or JPEG file first".into(),
                            fields: BTreeMap::new(),
                        }),
                    }
                }
                Err(err) => Err(err),
            };
            match result {
                Ok(()) => Page::Ok(redirect("/clinic?done=logo")),
                Err(err) => {
                    let err = match err {
                        AppError::Validation { message, fields } => AppError::Validation {
                            message: message.clone(),
                            fields: if fields.is_empty() {
                                BTreeMap::from([("logo".to_owned(), message)])
                            } else {
                                fields
                            },
                        },
                        other => other,
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
            }
        }
        .await,
    )
}

async fn delete_logo(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            check_csrf(&req, &form.csrf)?;
            let actor = Actor::from(&who);
            let clinic = who.clinic_id;
            state
                .db(move |conn| service::set_logo(conn, &actor, clinic, None))
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(redirect("/clinic?done=logo-removed"))
        }
        .await,
    )
}

#[derive(Deserialize)]
pub struct NewClinicianForm {
    #[serde(default)]
    csrf: String,
    new_name: String,
    new_email: String,
    new_role: String,
    new_password: String,
}

async fn add_clinician(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    form: web::Form<NewClinicianForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let form = form.into_inner();
            check_csrf(&req, &form.csrf)?;
            // The password is never sent back to the page.
            let typed: BTreeMap<String, String> = field_values([
                ("new_name", form.new_name.clone()),
                ("new_email", form.new_email.clone()),
                ("new_role", form.new_role.clone()),
            ]);
            let actor = Actor::from(&who);
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
            match result {
                Ok(_) => Page::Ok(redirect("/clinic?done=clinician#staff")),
                Err(err) => {
                    let err = match err {
                        AppError::Conflict { message, .. } => AppError::Validation {
                            message: message.clone(),
                            fields: BTreeMap::from([("email".to_owned(), message)]),
                        },
                        other => other,
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
            }
        }
        .await,
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    /// `role` (with `role`), `deactivate` or `reactivate`.
    change: String,
    role: Option<String>,
}

async fn change_clinician(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let form = form.into_inner();
            check_csrf(&req, &form.csrf)?;
            let id = ClinicianId::parse(&path)
                .ok_or_else(|| error_page(&AppError::NotFound("clinician")))?;
            let (role, active, done) = match form.change.as_str() {
                "role" => {
                    let role = Role::parse(form.role.as_deref().unwrap_or_default())
                        .map_err(|e| error_page(&AppError::field(e)))?;
                    (Some(role), None, "role")
                }
                "deactivate" => (None, Some(false), "deactivated"),
                "reactivate" => (None, Some(true), "reactivated"),
                _ => {
                    return Page::Err(error_page(&AppError::BadRequest {
                        code: "bad_form",
                        message: "unknown change; use the buttons on the clinic page".into(),
                    }))
                }
            };
            let actor = Actor::from(&who);
            let clinic = who.clinic_id;
            match state
                .db(move |conn| accounts::update_clinician(conn, &actor, clinic, id, role, active))
                .await
            {
                Ok(_) => Page::Ok(redirect(&format!("/clinic?done={done}#staff"))),
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
                Err(err) => Page::Err(error_page(&err)),
            }
        }
        .await,
    )
}
