//! Share links of a program (create, list, revoke), the activity a patient
//! logged through them, and the program's printable handout.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::clock;
use crate::db::links::LinkRow;
use crate::domain::ids::{ExerciseId, LinkId, ProgramId};
use crate::domain::link::LinkStatus;
use crate::error::AppError;
use crate::services::links as service;
use crate::services::Actor;
use crate::web::error::ErrorBody;
use crate::web::extract::{optional_json, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(revoke)
        .service(activity);
}

/// How long a new link works.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLink {
    /// Days until the link expires; 180 when left out.
    #[schema(minimum = 1, maximum = 730)]
    expires_in_days: Option<i64>,
}

/// A new link. `url` holds the token: it is shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NewLink)]
struct NewLinkDto {
    #[schema(value_type = String, format = Uuid)]
    id: LinkId,
    /// The patient's page: `{base_url}/p/{token}`.
    url: String,
    expires_at: DateTime<Utc>,
}

/// A link as listed: never the token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Link)]
struct LinkDto {
    #[schema(value_type = String, format = Uuid)]
    id: LinkId,
    #[schema(value_type = String, format = Uuid)]
    program_id: ProgramId,
    status: LinkStatus,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[schema(required = true)]
    revoked_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    last_opened_at: Option<DateTime<Utc>>,
    open_count: i32,
}

/// What a patient logged for one exercise on one day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Activity)]
struct ActivityDto {
    #[schema(format = Date)]
    day: String,
    #[schema(value_type = String, format = Uuid)]
    exercise_id: ExerciseId,
    exercise_name: String,
    done: bool,
    #[schema(minimum = 0, maximum = 10, required = true)]
    pain: Option<i32>,
    #[schema(required = true)]
    comment: Option<String>,
    logged_at: DateTime<Utc>,
}

impl From<LinkRow> for LinkDto {
    fn from(row: LinkRow) -> Self {
        // The link's own state; an archived patient or program shows on its record.
        let status = row.share_link(false).status(clock::now());
        Self {
            id: row.id,
            program_id: row.program_id,
            status,
            created_at: clock::utc(row.created_at),
            expires_at: clock::utc(row.expires_at),
            revoked_at: row.revoked_at.map(clock::utc),
            last_opened_at: row.last_opened_at.map(clock::utc),
            open_count: row.open_count,
        }
    }
}

/// Make a share link to the program's latest published version.
#[utoipa::path(
    tag = "links",
    operation_id = "create_link",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    request_body(content = Option<CreateLink>, content_type = "application/json", description = "Optional; an empty body takes the defaults"),
    responses(
        (status = 201, description = "The new link, with its URL", body = NewLinkDto),
        (status = 409, description = "`not_published`: publish the program first", body = ErrorBody),
        (status = 422, description = "`validation_failed`: `expires_in_days` out of range or the wrong shape", body = ErrorBody),
    ),
)]
#[post("/programs/{program_id}/links")]
#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let days = optional_json::<CreateLink>(&req, payload)
        .await?
        .unwrap_or_default()
        .expires_in_days;
    let actor = Actor::from(&who);
    let created = state
        .db(move |conn| service::create(conn, &actor, who.clinic_id, *path, days))
        .await?;
    let base = state.config.base_url.clone().unwrap_or_default();
    Ok(HttpResponse::Created().json(NewLinkDto {
        id: created.row.id,
        url: format!("{base}/p/{}", created.token),
        expires_at: clock::utc(created.row.expires_at),
    }))
}

/// The program's share links (never their tokens).
#[utoipa::path(
    tag = "links",
    operation_id = "list_links",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id")),
    responses((status = 200, description = "Every link of the program", body = Vec<LinkDto>)),
)]
#[get("/programs/{program_id}/links")]
#[tracing::instrument(skip_all)]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
) -> Result<HttpResponse, AppError> {
    let opens = std::sync::Arc::clone(&state.opens);
    let rows = state
        .db(move |conn| {
            // Counts still in memory are written first, so the list is exact.
            opens.flush(conn)?;
            service::list(conn, who.clinic_id, *path)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(LinkDto::from).collect::<Vec<_>>()))
}

/// Revoke a share link: it stops working at once (410 for the patient).
#[utoipa::path(
    tag = "links",
    operation_id = "revoke_link",
    params(("link_id" = uuid::Uuid, Path, description = "The link's id")),
    responses((status = 204, description = "Revoked")),
)]
#[delete("/links/{link_id}")]
#[tracing::instrument(skip_all)]
async fn revoke(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<LinkId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::revoke(conn, &actor, who.clinic_id, *path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// How many days back; 30 when left out, clamped to 1-365.
    days: Option<i64>,
}

/// What the patient logged through the program's links.
#[utoipa::path(
    tag = "links",
    operation_id = "program_activity",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id"), ActivityQuery),
    responses((status = 200, description = "The log, newest first", body = Vec<ActivityDto>)),
)]
#[get("/programs/{program_id}/activity")]
#[tracing::instrument(skip_all)]
async fn activity(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<ProgramId>,
    query: web::Query<ActivityQuery>,
) -> Result<HttpResponse, AppError> {
    let days = query.days.unwrap_or(30).clamp(1, 365);
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let rows = state
        .db(move |conn| service::activity(conn, clinic, id, days))
        .await?;
    let body: Vec<_> = rows
        .into_iter()
        .map(|(r, name)| ActivityDto {
            day: r.day,
            exercise_id: r.exercise_id,
            exercise_name: name,
            done: r.done,
            pain: r.pain,
            comment: r.comment,
            logged_at: clock::utc(r.created_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
