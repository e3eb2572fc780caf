//! Prometheus metrics at `GET /metrics`: requests by method, route pattern
//! and status class, latency, PDF renders, the database pool and the start
//! time. Labels hold route patterns (`/p/{token}`), never concrete paths, so
//! no token, id or patient data can reach a scrape. Served only when a
//! bearer token is configured (`HEP_METRICS_TOKEN`); otherwise 404.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::web::AppState;

/// The shortest `HEP_METRICS_TOKEN` accepted.
pub const MIN_TOKEN_LEN: usize = 16;

const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
const RENDER_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

/// Every metric the app keeps, one set per running server.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    renders: Family<OutcomeLabels, Counter>,
    render_seconds: Histogram,
    renders_in_flight: Gauge,
    renders_waiting: Gauge,
    renders_rejected: Counter,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    // Long by nature: one flat registration per metric, in the order
    // `/metrics` lists them; splitting it would only scatter the list.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "hep_http_requests",
            "HTTP requests by method, route pattern and status class",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(LATENCY_BUCKETS)) as fn() -> Histogram,
        );
        registry.register(
            "hep_http_request_duration_seconds",
            "Time from request to response headers, by method and route pattern",
            latency.clone(),
        );
        let renders = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "hep_pdf_renders",
            "PDF handouts rendered, by outcome (ok, error)",
            renders.clone(),
        );
        let render_seconds = Histogram::new(RENDER_BUCKETS);
        registry.register(
            "hep_pdf_render_duration_seconds",
            "Time to render one PDF handout, once a render slot is held",
            render_seconds.clone(),
        );
        let renders_in_flight = Gauge::default();
        registry.register(
            "hep_pdf_renders_in_flight",
            "PDF renders running now",
            renders_in_flight.clone(),
        );
        let renders_waiting = Gauge::default();
        registry.register(
            "hep_pdf_renders_waiting",
            "PDF requests waiting for a render slot",
            renders_waiting.clone(),
        );
        let renders_rejected = Counter::default();
        registry.register(
            "hep_pdf_renders_rejected",
            "PDF requests refused without rendering (no render slot could be had)",
            renders_rejected.clone(),
        );
        let pool_connections = Gauge::default();
        registry.register(
            "hep_db_pool_connections",
            "Open database connections in the pool",
            pool_connections.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "hep_db_pool_idle_connections",
            "Idle database connections in the pool",
            pool_idle.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "hep_db_pool_max_connections",
            "Largest number of connections the pool opens",
            pool_max.clone(),
        );
        let start_time = Gauge::<i64>::default();
        start_time.set(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        );
        registry.register(
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch, in seconds",
            start_time,
        );
        Self {
            registry,
            requests,
            latency,
            renders,
            render_seconds,
            renders_in_flight,
            renders_waiting,
            renders_rejected,
            pool_connections,
            pool_idle,
            pool_max,
        }
    }

    /// Counts one answered request. `route` must be a route pattern.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, started: Instant) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: class.to_owned(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(started.elapsed().as_secs_f64());
    }

    /// Marks a PDF request as queued for a render slot until the guard drops.
    pub fn render_waiting(&self) -> GaugeGuard {
        GaugeGuard::up(&self.renders_waiting)
    }

    /// Marks a render as running until the guard drops; the guard also times
    /// it, counting the outcome given to [`RenderGuard::finish`].
    pub fn render_started(&self) -> RenderGuard<'_> {
        RenderGuard {
            metrics: self,
            _running: GaugeGuard::up(&self.renders_in_flight),
            started: Instant::now(),
        }
    }

    pub fn render_rejected(&self) {
        self.renders_rejected.inc();
    }

    /// The text a scrape receives, with the pool read now.
    fn encode(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        let pool = state.pool.state();
        self.pool_connections.set(i64::from(pool.connections));
        self.pool_idle.set(i64::from(pool.idle_connections));
        self.pool_max.set(i64::from(state.pool.max_size()));
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Adds one to a gauge now and takes it back when dropped, so a request
/// cancelled mid-way (the client went away) does not leave it raised.
pub struct GaugeGuard(Gauge);

impl GaugeGuard {
    fn up(gauge: &Gauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// One render in progress.
pub struct RenderGuard<'a> {
    metrics: &'a Metrics,
    _running: GaugeGuard,
    started: Instant,
}

impl RenderGuard<'_> {
    pub fn finish(self, ok: bool) {
        self.metrics
            .render_seconds
            .observe(self.started.elapsed().as_secs_f64());
        self.metrics
            .renders
            .get_or_create(&OutcomeLabels {
                outcome: if ok { "ok" } else { "error" },
            })
            .inc();
    }
}

/// Whether the `Authorization: Bearer` header carries the configured token.
/// Both sides are hashed first so the comparison takes the same time
/// whatever the guess.
fn authorised(req: &HttpRequest, expected: &str) -> bool {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    Sha256::digest(given.as_bytes()) == Sha256::digest(expected.as_bytes())
}

/// `GET /metrics`: 404 unless `HEP_METRICS_TOKEN` is set, 401 without it.
pub async fn serve(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return Ok(HttpResponse::NotFound().json(serde_json::json!({
            "error": "not_found",
            "message": "metrics are off; set HEP_METRICS_TOKEN to serve them",
        })));
    };
    if !authorised(&req, expected) {
        return Err(AppError::Unauthorized);
    }
    let body = state
        .metrics
        .encode(&state)
        .map_err(|e| AppError::internal("metrics", e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
