//! HTTP: shared state, the route table, request logging and the glue that
//! runs blocking database work off the actix workers. Handlers live in
//! `api/` (JSON); they stay thin: extract, parse, one call, map.

pub mod api;
pub mod error;
pub mod extract;
pub mod health;
mod logging;
pub mod metrics;
pub mod origin;
pub mod pages;
pub mod pdf;
pub mod ratelimit;
pub mod render_queue;
pub mod share;

use actix_web::web;

use crate::config::Config;
use crate::db::{DbConn, Pool};
use crate::domain::vocabulary::Vocabulary;
use crate::error::AppError;
use ratelimit::RateLimiter;

/// What every handler can reach.
pub struct AppState {
    pub pool: Pool,
    pub config: Config,
    /// The controlled vocabularies, for checking a clinic's own exercises.
    pub vocabulary: Vocabulary,
    /// Built-in exercises with a drawn figure, by name: what a clinic's own
    /// exercise may be "drawn like".
    pub drawn: Vec<(crate::domain::ids::ExerciseId, String)>,
    /// Requests per client IP in the share-link space.
    pub link_limiter: RateLimiter,
    /// Bounds concurrent and waiting PDF renders.
    pub renders: render_queue::RenderQueue,
    /// What `/metrics` reports.
    pub metrics: metrics::Metrics,
    /// Share-link opens counted in memory, written in batches.
    pub opens: std::sync::Arc<crate::services::link_opens::Opens>,
}

impl AppState {
    /// Runs `f` with a pooled connection on the blocking thread pool, since
    /// diesel is synchronous and must not stall an actix worker.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

/// Registers every route of the app.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(metrics::serve)))
        .service(web::resource("/robots.txt").route(web::get().to(share::robots)))
        .service(web::resource("/static/patient.css").route(web::get().to(share::stylesheet)))
        .service(api::scope())
        .service(share::scope())
        .configure(pages::routes);
}

pub use logging::RequestLog;

/// A drawn figure as SVG, with the headers every figure carries: no
/// sniffing, nothing it may load, cached briefly by the browser only.
pub fn svg_response(svg: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(svg)
}
