//! Share links of a program (create, list, revoke), the activity a patient
//! logged through them, and the program's printable handout.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::db::links::LinkRow;
use crate::error::AppError;
use crate::services::links as service;
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::{handout, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programs/{id}/links")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(web::resource("/links/{id}").route(web::delete().to(revoke)))
    .service(web::resource("/programs/{id}/activity").route(web::get().to(activity)))
    .service(
        web::resource("/programs/{id}/handout.pdf").route(web::get().to(handout::for_clinician)),
    );
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateLink {
    expires_in_days: Option<i64>,
}

/// A link as listed: never the token.
#[derive(Debug, Serialize)]
struct LinkDto {
    id: String,
    program_id: String,
    status: &'static str,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    last_opened_at: Option<DateTime<Utc>>,
    open_count: i32,
}

impl From<LinkRow> for LinkDto {
    fn from(row: LinkRow) -> Self {
        let status = if row.revoked_at.is_some() {
            "revoked"
        } else if row.expires_at <= clock::now() {
            "expired"
        } else {
            "active"
        };
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

#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    body: Option<web::Json<CreateLink>>,
) -> Result<HttpResponse, AppError> {
    let days = body
        .map(web::Json::into_inner)
        .unwrap_or_default()
        .expires_in_days;
    let actor = Actor::from(&who);
    let created = state
        .db(move |conn| service::create(conn, &actor, who.clinic_id, &path, days))
        .await?;
    let base = state.config.base_url.clone().unwrap_or_default();
    Ok(HttpResponse::Created().json(serde_json::json!({
        "id": created.row.id,
        "url": format!("{base}/p/{}", created.token),
        "expires_at": clock::utc(created.row.expires_at),
    })))
}

#[tracing::instrument(skip_all)]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let opens = std::sync::Arc::clone(&state.opens);
    let rows = state
        .db(move |conn| {
            // Counts still in memory are written first, so the list is exact.
            opens.flush(conn)?;
            service::list(conn, who.clinic_id, &path)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(LinkDto::from).collect::<Vec<_>>()))
}

#[tracing::instrument(skip_all)]
async fn revoke(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| service::revoke(conn, &actor, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
pub struct ActivityQuery {
    days: Option<i64>,
}

#[tracing::instrument(skip_all)]
async fn activity(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    query: web::Query<ActivityQuery>,
) -> Result<HttpResponse, AppError> {
    let days = query.days.unwrap_or(30).clamp(1, 365);
    let clinic = who.clinic_id;
    let id = path.into_inner();
    let (rows, names) = state
        .db(move |conn| {
            let rows = service::activity(conn, clinic, &id, days)?;
            let ids: Vec<String> = rows.iter().map(|r| r.exercise_id.clone()).collect();
            let names = crate::db::catalog::find_exercises(conn, clinic, &ids)?;
            Ok((rows, names))
        })
        .await?;
    let body: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let name = names
                .iter()
                .find(|n| n.id == r.exercise_id)
                .map(|n| n.name.clone())
                .unwrap_or_default();
            serde_json::json!({
                "day": r.day,
                "exercise_id": r.exercise_id,
                "exercise_name": name,
                "done": r.done,
                "pain": r.pain,
                "comment": r.comment,
                "logged_at": clock::utc(r.created_at),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
