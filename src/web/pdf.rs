//! Serving PDF handouts: rendering runs on the blocking pool, a few at a
//! time behind a bounded queue (`render_queue`), so a burst of downloads
//! cannot starve the workers; past the queue's bounds the answer is a 503.
//! What to print is gathered by `services::handouts`. Equal inputs give
//! equal bytes, so each download carries a strong ETag computed before
//! rendering, and a matching `If-None-Match` is answered 304 unrendered.

use actix_web::http::header::{self, EntityTag};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};

use crate::clock;
use crate::error::AppError;
use crate::handout::{self, HandoutRequest};
use crate::services::handouts::Job;
use crate::web::AppState;

/// What a refused PDF request is told to wait before trying again.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The strong ETag of a handout: its fingerprint (every input that decides
/// the bytes, the engine's release included), known before rendering.
fn etag(request: &HandoutRequest<'_>) -> EntityTag {
    let fingerprint = handout::fingerprint(request);
    let hex: String = fingerprint[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    EntityTag::new_strong(hex)
}

/// Whether `If-None-Match` already names `tag` (weak comparison, as RFC 9110
/// asks for this header).
fn not_modified(http: &HttpRequest, tag: &EntityTag) -> bool {
    match http.get_header::<header::IfNoneMatch>() {
        Some(header::IfNoneMatch::Any) => true,
        Some(header::IfNoneMatch::Items(items)) => items.iter().any(|t| t.weak_eq(tag)),
        None => false,
    }
}

/// Answers 304 when the client already holds these bytes (`If-None-Match`),
/// without rendering; otherwise renders `job` once a render slot is free
/// (503 `busy` when the queue is full or the wait too long) and answers
/// with the PDF and its ETag.
pub async fn serve(
    state: &AppState,
    http: &HttpRequest,
    job: Job,
) -> Result<HttpResponse, AppError> {
    let date = clock::now().date();
    let tag = etag(&request(&job, date));
    if not_modified(http, &tag) {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish());
    }
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
    let rendered = web::block(move || handout::render(&request(&job, date))).await;
    rendering.finish(matches!(rendered, Ok(Ok(_))));
    let bytes = rendered?.map_err(|e| AppError::internal("handout", e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// What `job` prints on `date`.
fn request(job: &Job, date: chrono::NaiveDate) -> HandoutRequest<'_> {
    HandoutRequest {
        clinic: &job.clinic,
        version: &job.version,
        paper: job.paper,
        large_print: job.large_print,
        compact: job.compact,
        draft: job.draft,
        share_url: job.share_url.as_deref(),
        images: &job.images,
        date,
    }
}
