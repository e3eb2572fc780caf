//! Serving PDF handouts: rendering runs on the blocking pool, a few at a
//! time behind a bounded queue (`render_queue`), so a burst of downloads
//! cannot starve the workers; past the queue's bounds the answer is a 503.
//! What to print is gathered by `services::handouts`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::clock;
use crate::error::AppError;
use crate::handout::{self, HandoutRequest};
use crate::services::handouts::Job;
use crate::web::AppState;

/// What a refused PDF request is told to wait before trying again.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Renders `job` once a render slot is free (503 `busy` when the queue is
/// full or the wait too long) and answers with the PDF.
pub async fn serve(state: &AppState, job: Job) -> Result<HttpResponse, AppError> {
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
