//! The JSON API under `/api/v1`: the scope, its body and query limits, a
//! JSON 404/405 for unknown routes, and the OpenAPI 3.1 document of it all.
//!
//! The scope is built only through `utoipa_actix_web`: a module's `routes`
//! gets a `ServiceConfig` whose `service` accepts nothing but handlers that
//! carry both an actix route macro (`#[get("/…")]`) and `#[utoipa::path]`, so
//! registering a handler is what puts it in the document. The bypasses
//! (`route`, `default_service` on the wrappers) are refused by clippy's
//! `disallowed-methods` (see `clippy.toml`), and `tests/api/openapi.rs` checks
//! from the outside that the document and the served routes agree.

mod clinic;
mod clinicians;
mod doc;
mod exercises;
mod links;
mod patients;
mod precautions;
mod programs;
mod sessions;

use std::sync::OnceLock;

use actix_web::http::{header, Method};
use actix_web::middleware::DefaultHeaders;
use actix_web::{get, web, HttpRequest, HttpResponse};
use utoipa_actix_web::OpenApiFactory;

use super::extract::{json_error, path_error, query_error, JSON_LIMIT};

pub use doc::Pdf;

/// The prefix every route of the API lives under.
pub const PREFIX: &str = "/api/v1";

/// The API scope. Each module registers its handlers with `cfg.service(..)`.
pub fn scope() -> utoipa_actix_web::scope::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    #[allow(clippy::disallowed_methods)] // the one default service of the API
    let scope = utoipa_actix_web::scope(PREFIX).default_service(web::to(unknown_route));
    scope
        .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .service(openapi_json)
        .configure(sessions::routes)
        .configure(clinic::routes)
        .configure(clinicians::routes)
        .configure(exercises::routes)
        .configure(precautions::routes)
        .configure(patients::routes)
        .configure(programs::routes)
        .configure(links::routes)
}

/// The OpenAPI document, collected from the same `scope()` that serves the
/// requests (built once; the scope it is taken from is then dropped).
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let scope = scope();
        let mut schemas = Vec::new();
        scope.schemas(&mut schemas);
        doc::finish(scope.paths(), schemas)
    })
}

fn openapi_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| openapi().to_pretty_json().unwrap_or_default())
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    tag = "meta",
    operation_id = "openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of `/api/v1`", content_type = "application/json", body = Object))
)]
#[get("/openapi.json")]
async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(openapi_text())
}

/// A path the API has with another method is a 405 naming the allowed
/// ones; anything else is a 404.
async fn unknown_route(req: HttpRequest) -> HttpResponse {
    static ROUTES: OnceLock<doc::Routes> = OnceLock::new();
    let allowed = ROUTES
        .get_or_init(|| doc::Routes::new(openapi()))
        .methods_of(req.path());
    if allowed.is_empty() || allowed.contains(req.method()) {
        return HttpResponse::NotFound().json(serde_json::json!({
            "error": "not_found",
            "message": "no such API route or method; see GET /api/v1/openapi.json",
        }));
    }
    let allow = allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allow.clone()))
        .json(serde_json::json!({
            "error": "method_not_allowed",
            "message": format!("this API route allows {allow}; see GET /api/v1/openapi.json"),
        }))
}
