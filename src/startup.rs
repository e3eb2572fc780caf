//! Builds the server: storage, state, routes. Tests start it on port 0.

use std::net::TcpListener;
use std::sync::{Arc, Weak};
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};

use crate::catalog;
use crate::config::Config;
use crate::db::{self, DbError, Pool};
use crate::services::link_opens::Opens;
use crate::web::ratelimit::RateLimiter;
use crate::web::{self as routes, AppState, RequestLog};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("the built-in exercise catalog is invalid:\n{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Catalog(Vec<crate::catalog::Problem>),
    #[error("cannot import the exercise catalog: {0}")]
    Import(String),
    #[error("cannot listen on {bind}: {cause}")]
    Bind { bind: String, cause: std::io::Error },
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    base_url: String,
    pool: Pool,
    server: Server,
    opens: Arc<Opens>,
}

impl Application {
    /// Connects to the database (running migrations), binds the listener and
    /// prepares the server. Fails fast with the real cause.
    pub fn build(mut config: Config) -> Result<Self, StartError> {
        let catalog = match &config.catalog_dir {
            Some(dir) => catalog::load_dir(dir),
            None => catalog::builtin(),
        }
        .map_err(StartError::Catalog)?;
        let pool = db::connect(&config.database_url, config.db_pool_size)?;
        {
            let mut conn = pool.get().map_err(|e| StartError::Import(e.to_string()))?;
            let report = catalog::import::import(&mut conn, &catalog)
                .map_err(|e| StartError::Import(e.to_string()))?;
            tracing::info!(
                inserted = report.inserted,
                updated = report.updated,
                retired = report.retired,
                unchanged = report.unchanged,
                upgraded = report.upgraded,
                "built-in catalog imported"
            );
            if report.changed_rules() {
                let marked = crate::services::review::recheck_everywhere(&mut conn)
                    .map_err(|e| StartError::Import(e.to_string()))?;
                tracing::info!(changed = marked, "published programs re-checked");
            }
        }
        let listener = TcpListener::bind(&config.bind).map_err(|cause| StartError::Bind {
            bind: config.bind.clone(),
            cause,
        })?;
        let address = listener.local_addr().map_err(|cause| StartError::Bind {
            bind: config.bind.clone(),
            cause,
        })?;
        if config.base_url.is_none() {
            config.base_url = Some(format!("http://{address}"));
        }
        let config_limit = config.link_requests_per_minute;
        let base_url = config.base_url.clone().unwrap_or_default();
        let opens = Arc::new(Opens::new(config.link_audit_every));
        let flush_every = config.open_flush_every;
        let renders = crate::web::render_queue::RenderQueue::new(
            config.render_slots,
            config.render_queue,
            config.render_wait,
        );
        let mut drawn: Vec<_> = catalog
            .exercises
            .iter()
            .filter(|e| e.figure.is_some())
            .map(|e| {
                (
                    crate::domain::ids::ExerciseId::builtin(&e.slug),
                    e.name.clone(),
                )
            })
            .collect();
        drawn.sort_by(|a, b| a.1.cmp(&b.1));
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            config,
            drawn,
            vocabulary: catalog.vocabulary,
            link_limiter: RateLimiter::new(config_limit, std::time::Duration::from_secs(60)),
            renders,
            metrics: crate::web::metrics::Metrics::new(),
            opens: Arc::clone(&opens),
            figures: crate::web::figure_cache::FigureCache::default(),
        });
        spawn_flusher(Arc::downgrade(&opens), pool.clone(), flush_every);
        let workers = state.config.workers;
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(RequestLog)
                .app_data(state.clone())
                .configure(routes::routes)
        });
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server
            .listen(listener)
            .map_err(|cause| StartError::Bind {
                bind: address.to_string(),
                cause,
            })?
            .run();
        Ok(Self {
            port: address.port(),
            base_url,
            pool,
            server,
            opens,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The public origin share links use.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The pool the server uses, for tests and start-up tasks.
    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// Serves until stopped, then writes the link opens still counted.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        flush_opens(&self.opens, &self.pool);
        result
    }

    /// The server future, for spawning in tests.
    pub fn into_server(self) -> Server {
        self.server
    }
}

fn flush_opens(opens: &Opens, pool: &Pool) {
    let flushed = pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| opens.flush(&mut conn).map_err(|e| e.to_string()));
    if let Err(error) = flushed {
        tracing::warn!(%error, "link open counts not written yet; will retry");
    }
}

/// Writes counted link opens every `every`, on its own thread, until the
/// server (the last holder of `opens`) is gone.
fn spawn_flusher(opens: Weak<Opens>, pool: Pool, every: Duration) {
    let spawned = std::thread::Builder::new()
        .name("hep-open-flush".into())
        .spawn(move || loop {
            std::thread::sleep(every);
            let Some(opens) = opens.upgrade() else {
                break;
            };
            flush_opens(&opens, &pool);
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the link-open writer; counts are written on listing");
    }
}
