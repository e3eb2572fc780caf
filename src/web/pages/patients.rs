//! Patients: list and search, create, edit (precautions as checkboxes with
//! their descriptions), archive; and the patient page.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    csrf_token, html, html_with, is_admin, redirect, Button, CsrfForm, FormFields, PageError,
    SignedIn, Typed,
};
use crate::clock;
use crate::domain::ids::{empty_as_none, PatientId, PrecautionId, ProgramId, TemplateId};
use crate::domain::patient::PatientInput;
use crate::error::AppError;
use crate::services::catalog;
use crate::services::patients::{self as service, PatientView};
use crate::services::programs::{self, DraftInput};
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/patients")
            .route(web::get().to(list))
            .route(web::post().to(save)),
    )
    .service(web::resource("/patients/new").route(web::get().to(new)))
    .service(
        web::resource("/patients/{id}")
            .route(web::get().to(show))
            .route(web::post().to(save)),
    )
    .service(web::resource("/patients/{id}/edit").route(web::get().to(edit)))
    .service(web::resource("/patients/{id}/archive").route(web::post().to(archive)))
    .service(web::resource("/patients/{id}/programs").route(web::post().to(new_program)));
}

/// A precaution as a checkbox.
pub struct PrecautionOption {
    pub id: PrecautionId,
    pub label: String,
    pub description: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "app/patients.html")]
struct ListPage {
    csrf: String,
    admin: bool,
    q: String,
    patients: Vec<PatientView>,
}

#[derive(Template)]
#[template(path = "app/patient_form.html")]
struct FormPage {
    csrf: String,
    admin: bool,
    action: String,
    heading: String,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    precautions: Vec<PrecautionOption>,
}

impl FormFields for FormPage {
    fn values(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    fn errors(&self) -> &BTreeMap<String, String> {
        &self.errors
    }
}

struct ProgramLine {
    id: ProgramId,
    title: String,
    latest_version: i32,
    pain_flag: bool,
    needs_review: bool,
    last_activity: Option<String>,
}

#[derive(Template)]
#[template(path = "app/patient.html")]
struct PatientPage {
    csrf: String,
    admin: bool,
    patient: PatientView,
    precautions: Vec<PrecautionOption>,
    programs: Vec<ProgramLine>,
    templates: Vec<(TemplateId, String)>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
}

async fn list(
    who: SignedIn,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let q = query.into_inner().q.unwrap_or_default();
    let term = q.clone();
    let clinic = who.clinic_id;
    let patients = state
        .db(move |conn| service::search(conn, clinic, &term, 200, 0))
        .await?;
    Ok(html(&ListPage {
        csrf: csrf_token(&req),
        admin: is_admin(&who),
        q,
        patients,
    }))
}

async fn precaution_options(
    state: &AppState,
    who: &Identity,
    checked: &[impl AsRef<str>],
) -> Result<Vec<PrecautionOption>, AppError> {
    let clinic = who.clinic_id;
    let rows = state
        .db(move |conn| catalog::precautions(conn, clinic))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let stored = row.stored().ok()?;
            Some(PrecautionOption {
                checked: checked.iter().any(|c| row.id == c.as_ref()),
                id: row.id,
                label: stored.label,
                description: stored.description,
            })
        })
        .collect())
}

async fn new(
    who: SignedIn,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let precautions = precaution_options(&state, &who, &[] as &[String]).await?;
    Ok(html(&FormPage {
        csrf: csrf_token(&req),
        admin: is_admin(&who),
        action: "/patients".into(),
        heading: "New patient".into(),
        values: BTreeMap::new(),
        errors: BTreeMap::new(),
        precautions,
    }))
}

fn input_of(values: &BTreeMap<String, String>, precautions: Vec<String>) -> PatientInput {
    let opt = |k: &str| values.get(k).map(|v| Some(v.clone()));
    PatientInput {
        first_name: values.get("first_name").cloned(),
        last_name: values.get("last_name").cloned(),
        date_of_birth: opt("date_of_birth"),
        external_id: opt("external_id"),
        contact: opt("contact"),
        precautions: Some(precautions),
    }
}

/// Creates (`POST /patients`, no id in the path) or updates a patient.
async fn save(
    who: SignedIn,
    form: CsrfForm<Vec<(String, String)>>,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: Option<web::Path<PatientId>>,
) -> Result<HttpResponse, PageError> {
    let id = path.map(web::Path::into_inner);
    let Typed { values, lists } = Typed::read(form.into_inner(), &["precautions"]);
    let checked = lists.get("precautions").cloned().unwrap_or_default();
    let input = input_of(&values, checked.clone());
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    let result = state
        .db(move |conn| match id {
            Some(id) => service::update(conn, &actor, clinic, id, input),
            None => service::create(conn, &actor, clinic, input),
        })
        .await;
    let fields = match result {
        Ok(saved) => return Ok(redirect(&format!("/patients/{}", saved.row.id))),
        Err(AppError::Validation { fields, .. }) => fields,
        Err(err) => return Err(err.into()),
    };
    let precautions = precaution_options(&state, &who, &checked).await?;
    Ok(html_with(
        &FormPage {
            csrf: csrf_token(&req),
            admin: is_admin(&who),
            action: id
                .as_ref()
                .map_or_else(|| "/patients".to_owned(), |id| format!("/patients/{id}")),
            heading: if id.is_some() {
                "Edit patient".into()
            } else {
                "New patient".into()
            },
            values,
            errors: fields,
            precautions,
        },
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

async fn edit(
    who: SignedIn,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, PageError> {
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let patient = state
        .db(move |conn| service::load(conn, clinic, id))
        .await?;
    let precautions = precaution_options(&state, &who, &patient.precautions).await?;
    let row = &patient.row;
    let values = [
        ("first_name", Some(row.first_name.clone())),
        ("last_name", Some(row.last_name.clone())),
        ("date_of_birth", row.date_of_birth.clone()),
        ("external_id", row.external_id.clone()),
        ("contact", row.contact.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
    .collect();
    Ok(html(&FormPage {
        csrf: csrf_token(&req),
        admin: is_admin(&who),
        action: format!("/patients/{}", row.id),
        heading: "Edit patient".into(),
        values,
        errors: BTreeMap::new(),
        precautions,
    }))
}

async fn show(
    who: SignedIn,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, PageError> {
    let clinic = who.clinic_id;
    let actor = Actor::from(&*who);
    let id = path.into_inner();
    let (patient, summaries, templates) = state
        .db(move |conn| {
            let patient = service::view(conn, &actor, clinic, id)?;
            let summaries = programs::list_for_patient(conn, clinic, id)?;
            let templates = programs::templates(conn, clinic)?
                .into_iter()
                .map(|t| (t.id, t.title))
                .collect::<Vec<_>>();
            Ok((patient, summaries, templates))
        })
        .await?;
    let precautions = precaution_options(&state, &who, &patient.precautions)
        .await?
        .into_iter()
        .filter(|p| p.checked)
        .collect();
    let programs = summaries
        .into_iter()
        .map(|s| ProgramLine {
            id: s.row.id,
            title: s.row.title,
            latest_version: s.row.latest_version,
            pain_flag: s.pain_flag,
            needs_review: s.row.needs_review_at.is_some(),
            last_activity: s
                .last_activity_at
                .map(|t| clock::utc(t).format("%-d %b %Y").to_string()),
        })
        .collect();
    Ok(html(&PatientPage {
        csrf: csrf_token(&req),
        admin: is_admin(&who),
        patient,
        precautions,
        programs,
        templates,
    }))
}

async fn archive(
    who: SignedIn,
    _form: CsrfForm<Button>,
    state: web::Data<AppState>,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, PageError> {
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    state
        .db(move |conn| service::archive(conn, &actor, clinic, *path))
        .await?;
    Ok(redirect("/patients"))
}

#[derive(Deserialize)]
pub struct NewProgramForm {
    title: Option<String>,
    /// The template select's first option ("none") posts an empty value.
    #[serde(default, deserialize_with = "empty_as_none")]
    template_id: Option<TemplateId>,
}

async fn new_program(
    who: SignedIn,
    form: CsrfForm<NewProgramForm>,
    state: web::Data<AppState>,
    path: web::Path<PatientId>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let template_id = form.template_id;
    let title = form.title.filter(|t| !t.trim().is_empty()).or_else(|| {
        template_id
            .is_none()
            .then(|| "Home exercise program".to_owned())
    });
    let input = DraftInput {
        title,
        template_id,
        ..DraftInput::default()
    };
    let actor = Actor::from(&*who);
    let clinic = who.clinic_id;
    let created = state
        .db(move |conn| programs::create(conn, &actor, clinic, *path, input))
        .await?;
    Ok(redirect(&format!("/programs/{}", created.row.id)))
}
