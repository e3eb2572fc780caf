//! HTTP: shared state, the route table, request logging and the glue that
//! runs blocking database work off the actix workers. Handlers live in
//! `api/` (JSON); they stay thin: extract, parse, one call, map.

pub mod api;
pub mod error;
pub mod extract;
pub mod figure_cache;
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
    /// Drawn figures as SVG, so a figure is drawn once, not per request.
    pub figures: figure_cache::FigureCache,
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
