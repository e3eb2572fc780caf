//! Programs: read (draft or any version), replace the draft, publish,
//! versions; templates.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::db::programs::{ProgramRow, TemplateRow};
use crate::domain::program::{Item, Version, VersionItem, VersionPrecaution};
use crate::error::AppError;
use crate::services::programs::{self as service, ConflictView, DraftInput, ItemView, ProgramView};
use crate::services::{not_found, Actor};
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programs/{id}")
            .route(web::get().to(show))
            .route(web::put().to(replace)),
    )
    .service(web::resource("/programs/{id}/publish").route(web::post().to(publish)))
    .service(web::resource("/programs/{id}/versions").route(web::get().to(versions)))
    .service(web::resource("/programs/{id}/template").route(web::post().to(save_as_template)))
    .service(
        web::resource("/templates")
            .route(web::get().to(list_templates))
            .route(web::post().to(create_template)),
    )
    .service(
        web::resource("/templates/{id}")
            .route(web::get().to(show_template))
            .route(web::delete().to(delete_template)),
    );
}

/// The editable draft with its conflicts.
#[derive(Debug, Serialize)]
pub struct ProgramDto {
    pub id: String,
    pub patient_id: String,
    pub status: &'static str,
    pub title: String,
    pub notes: String,
    pub revision: i32,
    pub latest_version: i32,
    pub items: Vec<ItemView>,
    pub conflicts: Vec<ConflictView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProgramView> for ProgramDto {
    fn from(view: ProgramView) -> Self {
        Self {
            id: view.row.id,
            patient_id: view.row.patient_id,
            status: "draft",
            title: view.row.title,
            notes: view.row.notes,
            revision: view.row.revision,
            latest_version: view.row.latest_version,
            items: view.items,
            conflicts: view.conflicts,
            created_at: clock::utc(view.row.created_at),
            updated_at: clock::utc(view.row.updated_at),
        }
    }
}

/// A program in a patient's list.
#[derive(Debug, Serialize)]
pub struct ProgramSummaryDto {
    pub id: String,
    pub title: String,
    pub revision: i32,
    pub latest_version: i32,
    /// The patient logged pain of 7 or more in the last 7 days.
    pub pain_flag: bool,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<service::ProgramSummary> for ProgramSummaryDto {
    fn from(summary: service::ProgramSummary) -> Self {
        let row = summary.row;
        Self {
            id: row.id,
            title: row.title,
            revision: row.revision,
            latest_version: row.latest_version,
            pain_flag: summary.pain_flag,
            last_activity_at: summary.last_activity_at.map(clock::utc),
            created_at: clock::utc(row.created_at),
            updated_at: clock::utc(row.updated_at),
        }
    }
}

#[derive(Debug, Serialize)]
struct VersionItemDto<'a> {
    #[serde(flatten)]
    item: &'a VersionItem,
    exercise_name: &'a str,
    dosage_line: String,
}

/// A published, frozen version.
#[derive(Debug, Serialize)]
struct VersionDto<'a> {
    id: &'a str,
    patient_id: &'a str,
    status: &'static str,
    version: i32,
    title: &'a str,
    notes: &'a str,
    published_at: DateTime<Utc>,
    therapist_name: &'a str,
    items: Vec<VersionItemDto<'a>>,
    precautions: &'a [VersionPrecaution],
}

fn version_dto<'a>(row: &'a ProgramRow, version: &'a Version) -> VersionDto<'a> {
    VersionDto {
        id: &row.id,
        patient_id: &row.patient_id,
        status: "published",
        version: version.version,
        title: &version.title,
        notes: &version.notes,
        published_at: clock::utc(version.published_at),
        therapist_name: &version.therapist_name,
        items: version
            .items
            .iter()
            .map(|i| VersionItemDto {
                item: i,
                exercise_name: &i.exercise.name,
                dosage_line: i.item.dosage_line(),
            })
            .collect(),
        precautions: &version.precautions,
    }
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    version: Option<i32>,
}

#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let id = path.into_inner();
    match query.version {
        Some(number) => {
            let (row, version) = state
                .db(move |conn| service::version(conn, clinic, &id, number))
                .await?;
            Ok(HttpResponse::Ok().json(version_dto(&row, &version)))
        }
        None => {
            let view = state
                .db(move |conn| service::get(conn, clinic, &id))
                .await?;
            Ok(HttpResponse::Ok().json(ProgramDto::from(view)))
        }
    }
}

#[tracing::instrument(skip_all)]
async fn replace(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let view = state
        .db(move |conn| service::replace(conn, &actor, who.clinic_id, &path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(ProgramDto::from(view)))
}

#[tracing::instrument(skip_all)]
async fn publish(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let version = state
        .db(move |conn| service::publish(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "version": version.version,
        "published_at": clock::utc(version.published_at),
    })))
}

#[tracing::instrument(skip_all)]
async fn versions(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let list = state
        .db(move |conn| {
            crate::db::programs::find(conn, clinic, &path).map_err(not_found("program"))?;
            service::versions(conn, clinic, &path)
        })
        .await?;
    let body: Vec<_> = list
        .into_iter()
        .map(|(version, at)| serde_json::json!({ "version": version, "published_at": clock::utc(at) }))
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Serialize)]
struct TemplateItemDto {
    #[serde(flatten)]
    item: Item,
    exercise_name: String,
}

#[derive(Debug, Serialize)]
struct TemplateDto {
    id: String,
    title: String,
    notes: String,
    items: Vec<TemplateItemDto>,
    created_at: DateTime<Utc>,
}

fn template_dto(row: TemplateRow, items: Vec<(Item, String)>) -> TemplateDto {
    TemplateDto {
        id: row.id,
        title: row.title,
        notes: row.notes,
        items: items
            .into_iter()
            .map(|(item, exercise_name)| TemplateItemDto {
                item,
                exercise_name,
            })
            .collect(),
        created_at: clock::utc(row.created_at),
    }
}

async fn respond_template(
    state: &AppState,
    who: &Identity,
    row: TemplateRow,
    created: bool,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let (row, items) = state
        .db(move |conn| {
            let items = service::template_items(conn, clinic, &row)?;
            Ok((row, items))
        })
        .await?;
    let body = template_dto(row, items);
    Ok(if created {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

#[tracing::instrument(skip_all)]
async fn save_as_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: Option<web::Json<DraftInput>>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let input = body.map(web::Json::into_inner).unwrap_or_default();
    let program_id = path.into_inner();
    let row = state
        .db(move |conn| {
            service::save_template(conn, &actor, who.clinic_id, input, Some(program_id))
        })
        .await?;
    respond_template(&state, &who, row, true).await
}

#[tracing::instrument(skip_all)]
async fn create_template(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let row = state
        .db(move |conn| {
            service::save_template(conn, &actor, who.clinic_id, body.into_inner(), None)
        })
        .await?;
    respond_template(&state, &who, row, true).await
}

#[tracing::instrument(skip_all)]
async fn list_templates(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let list = state
        .db(move |conn| {
            crate::db::programs::list_templates(conn, clinic)?
                .into_iter()
                .map(|row| {
                    let items = service::template_items(conn, clinic, &row)?;
                    Ok(template_dto(row, items))
                })
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[tracing::instrument(skip_all)]
async fn show_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let row = state
        .db(move |conn| {
            crate::db::programs::find_template(conn, clinic, &path).map_err(not_found("template"))
        })
        .await?;
    respond_template(&state, &who, row, false).await
}

#[tracing::instrument(skip_all)]
async fn delete_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::delete_template(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
