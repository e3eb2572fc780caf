//! Programs: read (draft or any version), replace the draft, publish,
//! versions; templates.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::clock;
use crate::db::programs::{ProgramRow, TemplateRow};
use crate::domain::ids::{PatientId, ProgramId, TemplateId};
use crate::domain::paper::{choice, Paper, PrintLayout, PrintSize};
use crate::domain::program::{ConflictView, ReviewItem};
use crate::domain::program::{Item, Version, VersionItem, VersionPrecaution};
use crate::error::AppError;
use crate::services::programs::{self as service, DraftInput, ItemView, ProgramView};
use crate::services::{handouts, Actor};
use crate::web::error::ErrorBody;
use crate::web::error::{StaleRevision, UnresolvedConflicts};
use crate::web::extract::{optional_json, Identity};
use crate::web::{pdf, AppState};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(show)
        .service(replace)
        .service(publish)
        .service(versions)
        .service(save_as_template)
        .service(list_templates)
        .service(create_template)
        .service(show_template)
        .service(delete_template)
        .service(handout);
}

/// `status` of a program's draft.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DraftStatus {
    Draft,
}

/// `status` of a published version.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PublishedStatus {
    Published,
}

/// The editable draft with its conflicts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Program)]
pub struct ProgramDto {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProgramId,
    #[schema(value_type = String, format = Uuid)]
    pub patient_id: PatientId,
    pub status: DraftStatus,
    pub title: String,
    pub notes: String,
    /// Send it back with PUT, so a colleague's save is not overwritten.
    pub revision: i32,
    /// The newest published version; 0 before the first publish.
    pub latest_version: i32,
    pub items: Vec<ItemView>,
    pub conflicts: Vec<ConflictView>,
    /// The latest published version clashes with the patient's
    /// precautions as they are now (changed since it was published); the
    /// patient sees no change until a new version is published.
    pub needs_review: bool,
    /// When the clash was first found.
    #[schema(required = true)]
    pub needs_review_since: Option<DateTime<Utc>>,
    /// The items of the latest published version that now clash.
    pub review: Vec<ReviewItem>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProgramView> for ProgramDto {
    fn from(view: ProgramView) -> Self {
        Self {
            id: view.row.id,
            patient_id: view.row.patient_id,
            status: DraftStatus::Draft,
            title: view.row.title,
            notes: view.row.notes,
            revision: view.row.revision,
            latest_version: view.row.latest_version,
            items: view.items,
            conflicts: view.conflicts,
            needs_review: view.row.needs_review_at.is_some(),
            needs_review_since: view.row.needs_review_at.map(clock::utc),
            review: view.review,
            created_at: clock::utc(view.row.created_at),
            updated_at: clock::utc(view.row.updated_at),
        }
    }
}

/// A program in a patient's list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProgramSummary)]
pub struct ProgramSummaryDto {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProgramId,
    pub title: String,
    pub revision: i32,
    pub latest_version: i32,
    /// The patient logged pain of 7 or more in the last 7 days.
    pub pain_flag: bool,
    /// The latest published version clashes with the patient's
    /// precautions as they are now.
    pub needs_review: bool,
    #[schema(required = true)]
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
            needs_review: row.needs_review_at.is_some(),
            last_activity_at: summary.last_activity_at.map(clock::utc),
            created_at: clock::utc(row.created_at),
            updated_at: clock::utc(row.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VersionItem)]
struct VersionItemDto<'a> {
    #[serde(flatten)]
    item: &'a VersionItem,
    exercise_name: &'a str,
    dosage_line: String,
}

/// A published, frozen version.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProgramVersion)]
struct VersionDto<'a> {
    #[schema(value_type = String, format = Uuid)]
    id: ProgramId,
    #[schema(value_type = String, format = Uuid)]
    patient_id: PatientId,
    status: PublishedStatus,
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
        id: row.id,
        patient_id: row.patient_id,
        status: PublishedStatus::Published,
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShowQuery {
    /// A published version's number instead of the draft.
    #[param(minimum = 1)]
    version: Option<i32>,
}

/// The draft or, with `?version=N`, a published version.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
enum DraftOrVersion<'a> {
    Draft(ProgramDto),
    Version(VersionDto<'a>),
}

/// A program: its draft, or a published version.
#[utoipa::path(
    tag = "programs",
    operation_id = "get_program",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id"), ShowQuery),
    responses((status = 200, description = "The draft (`status: draft`) or the version (`status: published`)", body = DraftOrVersion)),
)]
#[get("/programs/{program_id}")]
#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let id = path.into_inner();
    match query.version {
        Some(number) => {
            let (row, version) = state
                .db(move |conn| service::version(conn, clinic, id, number))
                .await?;
            Ok(HttpResponse::Ok().json(DraftOrVersion::Version(version_dto(&row, &version))))
        }
        None => {
            let view = state.db(move |conn| service::get(conn, clinic, id)).await?;
            Ok(HttpResponse::Ok().json(DraftOrVersion::Draft(ProgramDto::from(view))))
        }
    }
}

/// Replace the draft: fields left out stay; `revision` (the one last read)
/// is required.
#[utoipa::path(
    tag = "programs",
    operation_id = "replace_program",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    request_body = DraftInput,
    responses(
        (status = 200, description = "The saved draft", body = ProgramDto),
        (status = 409, description = "`stale_revision`: saved by someone since `revision` (the current one is in the body); or `patient_archived`", body = StaleRevision),
    ),
)]
#[put("/programs/{program_id}")]
#[tracing::instrument(skip_all)]
async fn replace(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let view = state
        .db(move |conn| service::replace(conn, &actor, who.clinic_id, *path, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(ProgramDto::from(view)))
}

/// Publish the draft as a new frozen version.
#[utoipa::path(
    tag = "programs",
    operation_id = "publish_program",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    responses(
        (status = 200, description = "Published", body = Published),
        (status = 409, description = "`unresolved_conflicts`: avoided items without an override reason (in `conflicts`); or `patient_archived`", body = UnresolvedConflicts),
        (status = 422, description = "`validation_failed`: the draft has no items", body = ErrorBody),
    ),
)]
#[post("/programs/{program_id}/publish")]
#[tracing::instrument(skip_all)]
async fn publish(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let version = state
        .db(move |conn| service::publish(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::Ok().json(Published {
        version: version.version,
        published_at: clock::utc(version.published_at),
    }))
}

/// A published version's number and time.
#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    #[schema(minimum = 1)]
    version: i32,
    published_at: DateTime<Utc>,
}

/// The program's published versions.
#[utoipa::path(
    tag = "programs",
    operation_id = "list_program_versions",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    responses((status = 200, description = "Every published version", body = Vec<Published>)),
)]
#[get("/programs/{program_id}/versions")]
#[tracing::instrument(skip_all)]
async fn versions(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let list = state
        .db(move |conn| service::versions(conn, clinic, *path))
        .await?;
    let body: Vec<_> = list
        .into_iter()
        .map(|(version, at)| Published {
            version,
            published_at: clock::utc(at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TemplateItem)]
struct TemplateItemDto {
    #[serde(flatten)]
    item: Item,
    exercise_name: String,
}

/// A clinic's program template.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Template)]
struct TemplateDto {
    #[schema(value_type = String, format = Uuid)]
    id: TemplateId,
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

/// Save the program's draft as a clinic template; a body overrides the
/// title, notes or items.
#[utoipa::path(
    tag = "programs",
    operation_id = "save_program_as_template",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    request_body(content = Option<DraftInput>, content_type = "application/json", description = "Optional overrides"),
    responses(
        (status = 201, description = "The new template", body = TemplateDto),
        (status = 422, description = "`validation_failed`: the body has the wrong shape or invalid fields", body = ErrorBody),
    ),
)]
#[post("/programs/{program_id}/template")]
#[tracing::instrument(skip_all)]
async fn save_as_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let input: DraftInput = optional_json(&req, payload).await?.unwrap_or_default();
    let program_id = path.into_inner();
    let row = state
        .db(move |conn| {
            service::save_template(conn, &actor, who.clinic_id, input, Some(program_id))
        })
        .await?;
    respond_template(&state, &who, row, true).await
}

/// Create a clinic template.
#[utoipa::path(
    tag = "programs",
    operation_id = "create_template",
    request_body = DraftInput,
    responses((status = 201, description = "The new template", body = TemplateDto)),
)]
#[post("/templates")]
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

/// The clinic's templates.
#[utoipa::path(
    tag = "programs",
    operation_id = "list_templates",
    responses((status = 200, description = "Every template of the clinic", body = Vec<TemplateDto>)),
)]
#[get("/templates")]
#[tracing::instrument(skip_all)]
async fn list_templates(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let list = state
        .db(move |conn| {
            service::templates(conn, clinic)?
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

/// One template.
#[utoipa::path(
    tag = "programs",
    operation_id = "get_template",
    params(("template_id" = uuid::Uuid, Path, description = "The template's id")),
    responses((status = 200, description = "The template", body = TemplateDto)),
)]
#[get("/templates/{template_id}")]
#[tracing::instrument(skip_all)]
async fn show_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<TemplateId>,
) -> Result<HttpResponse, AppError> {
    let clinic = who.clinic_id;
    let row = state
        .db(move |conn| service::template(conn, clinic, *path))
        .await?;
    respond_template(&state, &who, row, false).await
}

/// Delete a template.
#[utoipa::path(
    tag = "programs",
    operation_id = "delete_template",
    params(("template_id" = uuid::Uuid, Path, description = "The template's id")),
    responses((status = 204, description = "Deleted")),
)]
#[delete("/templates/{template_id}")]
#[tracing::instrument(skip_all)]
async fn delete_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<TemplateId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::delete_template(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoutQuery {
    /// A published version's number; the latest when left out.
    #[param(minimum = 1)]
    version: Option<i32>,
    /// The clinic's default paper when left out.
    #[param(value_type = Option<Paper>)]
    paper: Option<String>,
    /// `standard` (the default); `compact`, smaller and without tips, for
    /// patients who know their exercises; `large`, 16 pt body text.
    #[param(value_type = Option<PrintLayout>, inline)]
    layout: Option<String>,
    /// The older way to ask for large print: `size=large` is `layout=large`.
    #[param(value_type = Option<PrintSize>, inline)]
    size: Option<String>,
    /// Print the current draft, marked as such, instead of a version.
    #[serde(default)]
    draft: bool,
    /// A share link's token, to print its URL and QR code. Tokens are stored
    /// only as hashes, so the caller (who saw it at creation) supplies it.
    share_token: Option<String>,
}

/// The printable handout of a program.
///
/// `GET /api/v1/programs/{id}/handout.pdf[?version=N][&layout=standard|compact|large][&paper=letter|a4][&draft=true]`
/// (`size=large` still means `layout=large`).
#[utoipa::path(
    tag = "links",
    operation_id = "program_handout",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id"), HandoutQuery),
    responses(
        (status = 200, description = "The handout; its strong `ETag` names every input that decides the bytes", content_type = "application/pdf", body = super::Pdf,
            headers(("ETag" = String, description = "The same for byte-identical handouts"))),
        (status = 304, description = "`If-None-Match` names the handout's current ETag: nothing to send"),
        (status = 409, description = "`not_published`: nothing published yet; publish, or ask for `draft=true`", body = crate::web::error::ErrorBody),
        (status = 422, description = "`validation_failed`: `paper`, `layout` or `size` is not one of its values", body = crate::web::error::ErrorBody),
        (status = 503, description = "`busy`: too many handouts are being prepared; try again after `Retry-After` seconds", body = crate::web::error::ErrorBody),
    ),
)]
#[get("/programs/{program_id}/handout.pdf")]
#[tracing::instrument(skip_all)]
async fn handout(
    state: web::Data<AppState>,
    http: HttpRequest,
    who: Identity,
    path: web::Path<ProgramId>,
    query: web::Query<HandoutQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    // An empty value (a form's "clinic default" or "standard") is no value.
    let size = choice(query.size.as_deref(), |raw| PrintSize::parse("size", raw))
        .map_err(AppError::field)?
        .unwrap_or_default();
    let layout = choice(query.layout.as_deref(), |raw| {
        PrintLayout::parse("layout", raw)
    })
    .map_err(AppError::field)?
    .unwrap_or(if size == PrintSize::Large {
        PrintLayout::Large
    } else {
        PrintLayout::Standard
    });
    let paper = choice(query.paper.as_deref(), |raw| Paper::parse("paper", raw))
        .map_err(AppError::field)?;
    let request = handouts::Request {
        version: query.version,
        paper,
        large_print: layout == PrintLayout::Large,
        compact: layout == PrintLayout::Compact,
        draft: query.draft,
        share_token: query.share_token,
        base_url: state.config.base_url.clone().unwrap_or_default(),
    };
    let actor = Actor::from(&who);
    let program = path.into_inner();
    let job = state
        .db(move |conn| handouts::for_clinician(conn, &actor, who.clinic_id, program, request))
        .await?;
    pdf::serve(&state, &http, job).await
}
