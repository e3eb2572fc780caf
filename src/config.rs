//! Runtime configuration of the server, built by the command line (flags and
//! `HEP_*` variables) or by tests.

use std::path::PathBuf;
use std::time::Duration;

use crate::db::DatabaseUrl;

#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub bind: String,
    pub database_url: DatabaseUrl,
    /// Public origin used in share links, without a trailing slash.
    pub base_url: Option<String>,
    pub db_pool_size: u32,
    /// A session dies after this long without a request.
    pub session_idle: Duration,
    /// A session dies this long after sign-in, however busy.
    pub session_max: Duration,
    /// A catalog folder to use instead of the one built into the binary.
    pub catalog_dir: Option<PathBuf>,
    /// Requests per minute one client IP may make under `/p/`.
    pub link_requests_per_minute: u32,
    /// Bearer token that `GET /metrics` requires; metrics are off without it.
    pub metrics_token: Option<String>,
    /// HTTP worker threads; 0 lets actix start one per CPU core.
    pub workers: usize,
    /// A client's repeated opens of one link within this time make one
    /// audit event (see `services::link_opens`).
    pub link_audit_every: Duration,
    /// How often counted link opens are written to the database.
    pub open_flush_every: Duration,
    /// PDF renders at once.
    pub render_slots: usize,
    /// PDF requests that may wait for a render slot.
    pub render_queue: usize,
    /// How long a PDF request may wait for a slot before a 503.
    pub render_wait: Duration,
}

impl Config {
    pub fn new(bind: impl Into<String>, database_url: DatabaseUrl) -> Self {
        Self {
            bind: bind.into(),
            database_url,
            base_url: None,
            db_pool_size: 8,
            session_idle: Duration::from_secs(60 * 60),
            session_max: Duration::from_secs(12 * 60 * 60),
            catalog_dir: None,
            link_requests_per_minute: 120,
            metrics_token: None,
            workers: 0,
            link_audit_every: Duration::from_secs(10 * 60),
            open_flush_every: Duration::from_secs(1),
            render_slots: 4,
            render_queue: 256,
            render_wait: Duration::from_secs(15),
        }
    }
}
