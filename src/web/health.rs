//! Liveness and readiness probes for load balancers and orchestrators.

use actix_web::{web, HttpResponse};

use super::AppState;
use crate::error::AppError;
use crate::services;

/// 200 while the process serves requests.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state.db(services::database_answers).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}
