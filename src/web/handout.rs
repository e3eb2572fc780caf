//! Serving handouts: the clinician's `GET /api/v1/programs/{id}/handout.pdf`
//! and the patient link's PDF. Rendering runs on the blocking pool, a few at a
//! time behind a bounded queue (`render_queue`), so a burst of downloads
//! cannot starve the workers; past the queue's bounds the answer is a 503.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::clock;
use crate::db::clinics;
use crate::db::links as links_q;
use crate::domain::credentials::token_hash;
use crate::domain::ids::ClinicId;
use crate::domain::program::Version;
use crate::error::AppError;
use crate::handout::{self, ClinicInfo, HandoutRequest, Paper, Picture};
use crate::services::links::Shared;
use crate::services::{pictures, programs};
use crate::web::extract::Identity;
use crate::web::AppState;

/// What a refused PDF request is told to wait before trying again.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Everything a render needs, owned so it can move to the blocking pool.
struct Job {
    clinic: ClinicInfo,
    version: Arc<Version>,
    paper: Paper,
    large_print: bool,
    draft: bool,
    share_url: Option<String>,
    images: HashMap<String, Picture>,
}

async fn render(state: &AppState, job: Job) -> Result<HttpResponse, AppError> {
    let waiting = state.metrics.render_waiting();
    let slot = state.renders.enter().await;
    drop(waiting);
    let _slot = slot.map_err(|busy| {
        state.metrics.render_rejected();
        tracing::warn!(?busy, "PDF render refused: all slots busy");
        AppError::Busy {
            retry_after: RETRY_AFTER_SECS,
        }
    })?;
    let rendering = state.metrics.render_started();
    let name = handout::file_name(job.version.version, job.draft);
    let rendered = web::block(move || {
        handout::render(&HandoutRequest {
            clinic: &job.clinic,
            version: &job.version,
            paper: job.paper,
            large_print: job.large_print,
            draft: job.draft,
            share_url: job.share_url.as_deref(),
            images: &job.images,
            date: clock::now().date(),
        })
    })
    .await;
    rendering.finish(matches!(rendered, Ok(Ok(_))));
    let bytes = rendered?.map_err(|e| AppError::internal("handout", e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

fn paper_of(raw: Option<&str>, clinic_default: &str) -> Result<Paper, AppError> {
    match raw.unwrap_or(clinic_default) {
        "letter" => Ok(Paper::Letter),
        "a4" => Ok(Paper::A4),
        _ => Err(AppError::field(crate::domain::FieldError::new(
            "paper",
            "must be letter or a4",
        ))),
    }
}

fn images(
    conn: &mut crate::db::DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<HashMap<String, Picture>, AppError> {
    Ok(pictures::of_version(conn, clinic, version)?
        .into_iter()
        .map(|(exercise_id, p)| (exercise_id, Picture::stored(&p.id, Arc::clone(&p.bytes))))
        .collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoutQuery {
    /// A published version's number; the latest when left out.
    #[param(minimum = 1)]
    version: Option<i32>,
    /// The clinic's default paper when left out.
    #[param(value_type = Option<crate::web::api::Paper>)]
    paper: Option<String>,
    /// `large` prints bigger type for patients who need it.
    #[param(value_type = Option<HandoutSize>, inline)]
    size: Option<String>,
    /// Print the current draft, marked as such, instead of a version.
    #[serde(default)]
    draft: bool,
    /// A share link's token, to print its URL and QR code. Tokens are stored
    /// only as hashes, so the caller (who saw it at creation) supplies it.
    share_token: Option<String>,
}

/// Type size of a handout.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // documents the values `?size=` takes
pub enum HandoutSize {
    Normal,
    Large,
}

/// The printable handout of a program.
///
/// `GET /api/v1/programs/{id}/handout.pdf[?version=N][&paper=letter|a4][&size=large][&draft=true]`
#[utoipa::path(
    tag = "links",
    operation_id = "program_handout",
    params(("program_id" = uuid::Uuid, Path, description = "The program's id"), HandoutQuery),
    responses(
        (status = 200, description = "The handout", content_type = "application/pdf", body = crate::web::api::Pdf),
        (status = 409, description = "`not_published`: nothing published yet; publish, or ask for `draft=true`", body = crate::error::ErrorBody),
        (status = 422, description = "`validation_failed`: `paper` or `size` is not one of its values", body = crate::error::ErrorBody),
        (status = 503, description = "`busy`: too many handouts are being prepared; try again after `Retry-After` seconds", body = crate::error::ErrorBody),
    ),
)]
#[get("/programs/{program_id}/handout.pdf")]
#[tracing::instrument(skip_all)]
pub async fn for_clinician(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<String>,
    query: web::Query<HandoutQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let large_print = match query.size.as_deref() {
        None | Some("normal") => false,
        Some("large") => true,
        Some(_) => {
            return Err(AppError::field(crate::domain::FieldError::new(
                "size",
                "must be normal or large",
            )))
        }
    };
    let clinic_id = who.clinic_id;
    let id = path.into_inner();
    let base = state.config.base_url.clone().unwrap_or_default();
    let actor = crate::services::Actor::from(&who);
    let (job, paper_raw, default_paper) = state
        .db(move |conn| {
            let clinic = clinics::find(conn, clinic_id)?;
            let version = if query.draft {
                Arc::new(programs::preview(conn, &actor, clinic_id, &id)?)
            } else {
                match query.version {
                    Some(n) => Arc::new(programs::version(conn, clinic_id, &id, n)?.1),
                    None => programs::latest_version(conn, clinic_id, &id)?.map(|(_, v)| v).ok_or_else(|| AppError::Conflict {
                        code: "not_published",
                        message: "this program has no published version yet; publish it or ask for ?draft=true".into(),
                        extra: None,
                    })?,
                }
            };
            let share_url = match query.share_token {
                Some(token) => {
                    links_q::by_token_hash(conn, &token_hash(&token))?
                        .filter(|l| l.clinic_id == clinic_id.to_string() && l.program_id == id && l.revoked_at.is_none() && l.expires_at > clock::now())
                        .ok_or(AppError::NotFound("share link"))?;
                    Some(format!("{base}/p/{token}"))
                }
                None => None,
            };
            let images = images(conn, clinic_id, &version)?;
            let logo = clinics::logo(conn, clinic_id)?.map(|(bytes, _)| bytes);
            let job = Job {
                clinic: ClinicInfo { name: clinic.name, contact_line: clinic.contact_line, logo },
                version,
                paper: Paper::Letter,
                large_print,
                draft: query.draft,
                share_url,
                images,
            };
            Ok((job, query.paper, clinic.default_paper))
        })
        .await?;
    let job = Job {
        paper: paper_of(paper_raw.as_deref(), &default_paper)?,
        ..job
    };
    render(&state, job).await
}

/// The PDF behind a share link: the same handout, with this link's QR code.
pub async fn render_shared(
    state: &AppState,
    shared: &Shared,
    url: &str,
) -> Result<HttpResponse, AppError> {
    let clinic_id = ClinicId::parse(&shared.link.clinic_id)
        .ok_or_else(|| AppError::internal("link", "clinic id"))?;
    let version = Arc::clone(&shared.version);
    let for_images = Arc::clone(&version);
    let found = state
        .db(move |conn| images(conn, clinic_id, &for_images))
        .await?;
    let job = Job {
        clinic: ClinicInfo {
            name: shared.clinic.name.clone(),
            contact_line: shared.clinic.contact_line.clone(),
            logo: None,
        },
        paper: paper_of(None, &shared.clinic.default_paper)?,
        version,
        large_print: false,
        draft: false,
        share_url: Some(url.to_owned()),
        images: found,
    };
    render(state, job).await
}
