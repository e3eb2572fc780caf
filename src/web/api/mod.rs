//! The JSON API under `/api/v1`: the scope, its body and query limits, and
//! a JSON 404 for unknown routes.

mod clinic;
mod clinicians;
mod exercises;
mod links;
mod patients;
mod precautions;
mod programs;
mod sessions;

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpResponse};

use super::extract::{json_error, path_error, query_error};

/// Largest JSON body any API route accepts.
pub const JSON_LIMIT: usize = 256 * 1024;

pub fn scope() -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::scope("/api/v1")
        .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .configure(sessions::routes)
        .configure(clinic::routes)
        .configure(clinicians::routes)
        .configure(exercises::routes)
        .configure(precautions::routes)
        .configure(patients::routes)
        .configure(programs::routes)
        .configure(links::routes)
        .default_service(web::to(unknown_route))
}

async fn unknown_route() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({
        "error": "not_found",
        "message": "no such API route or method; see the API documentation in the README",
    }))
}
