//! One log line per request: method, route pattern (never the raw path, which
//! may hold a share token), status and latency; the same figures feed the
//! request metrics.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::time::Instant;

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{web, Error};

use super::AppState;

/// Middleware factory: `App::new().wrap(RequestLog)`.
pub struct RequestLog;

impl<S, B> Transform<S, ServiceRequest> for RequestLog
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = RequestLogService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestLogService { service }))
    }
}

pub struct RequestLogService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for RequestLogService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        let method = req.method().clone();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let future = self.service.call(req);
        Box::pin(async move {
            let response = future.await?;
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "(unmatched)".to_owned());
            tracing::info!(
                method = %method,
                route = %route,
                status = response.status().as_u16(),
                latency_ms = started.elapsed().as_secs_f64() * 1000.0,
                "request"
            );
            if let Some(state) = state {
                state.metrics.observe_request(
                    method.as_str(),
                    &route,
                    response.status().as_u16(),
                    started,
                );
            }
            Ok(response)
        })
    }
}
