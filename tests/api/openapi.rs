//! The OpenAPI document against the routes the app serves.
//!
//! "Every route is documented" holds by construction: the `/api/v1` scope is
//! built only through `utoipa_actix_web`, whose `service` takes nothing but
//! handlers carrying `#[utoipa::path]`, and clippy's `disallowed-methods`
//! refuses its undocumented bypasses (`route`, `default_service`, `map`).
//! actix cannot list its route table, so these tests check the rest from the
//! outside: every documented path and method is served (it does not fall
//! through to the API's "no such API route" default), every other method on
//! a documented path is a JSON 405 naming the documented ones, and the
//! routes of the public contract (PRODUCT.md) are all in the document.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{json_body, TestApp};
use crate::isolation::{body_for, fill, operations, send, World};

async fn document(app: &TestApp) -> Value {
    let response = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_every_reference_resolves() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {target}"));
        assert!(schemas.contains_key(name), "{target} is not defined");
    }
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            assert!(!ids.contains(&id), "operationId {id} twice");
            ids.push(id);
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path} documents no success"
            );
            if op["security"] != serde_json::json!([]) {
                assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            }
        }
    }
    // The error body of the contract.
    let error = &schemas["Error"];
    assert_eq!(error["required"], serde_json::json!(["error", "message"]));
    assert!(error["properties"]["fields"].is_object());
}

#[tokio::test]
async fn the_public_contract_routes_are_all_documented() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    for (method, path) in [
        ("post", "/api/v1/sessions"),
        ("delete", "/api/v1/sessions/current"),
        ("get", "/api/v1/me"),
        ("post", "/api/v1/clinicians"),
        ("post", "/api/v1/patients"),
        ("get", "/api/v1/patients"),
        ("get", "/api/v1/patients/{patient_id}"),
        ("patch", "/api/v1/patients/{patient_id}"),
        ("delete", "/api/v1/patients/{patient_id}"),
        ("get", "/api/v1/precautions"),
        ("get", "/api/v1/exercises"),
        ("get", "/api/v1/exercises/{exercise_id}"),
        ("post", "/api/v1/exercises"),
        ("patch", "/api/v1/exercises/{exercise_id}"),
        ("delete", "/api/v1/exercises/{exercise_id}"),
        ("post", "/api/v1/patients/{patient_id}/programs"),
        ("get", "/api/v1/programs/{program_id}"),
        ("put", "/api/v1/programs/{program_id}"),
        ("post", "/api/v1/programs/{program_id}/publish"),
        ("get", "/api/v1/programs/{program_id}/handout.pdf"),
        ("post", "/api/v1/programs/{program_id}/links"),
        ("delete", "/api/v1/links/{link_id}"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    let verdict = &doc["components"]["schemas"]["VerdictKind"]["enum"];
    assert_eq!(
        verdict,
        &serde_json::json!(["avoid", "caution", "prefer", "neutral"])
    );
}

#[tokio::test]
async fn every_documented_route_is_served_and_other_methods_are_405() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "Clinic A").await;
    let ops = operations(&app).await;
    for op in &ops {
        let path = fill(op, &world);
        let token = (!op.public).then_some(world.clinic.admin_token.as_str());
        let response = send(&app, op, &path, token, body_for(op, &world)).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(
            !text.contains("no such API route") && status != StatusCode::METHOD_NOT_ALLOWED,
            "{} {path} is documented but not served: {status} {text}",
            op.method
        );
        assert!(
            !status.is_server_error(),
            "{} {path}: {status} {text}",
            op.method
        );
    }

    let mut paths: Vec<&str> = ops.iter().map(|o| o.template.as_str()).collect();
    paths.dedup();
    for template in paths {
        let documented: Vec<Method> = ops
            .iter()
            .filter(|o| o.template == template)
            .map(|o| o.method.clone())
            .collect();
        let probe = ops.iter().find(|o| o.template == template).unwrap();
        let path = fill(probe, &world);
        let path = path.split('?').next().unwrap();
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if documented.contains(&method) {
                continue;
            }
            let response = app
                .request(method.clone(), path, Some(&world.clinic.admin_token), None)
                .await;
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is served but not documented"
            );
            let allow = response.headers()["allow"].to_str().unwrap().to_owned();
            let mut allowed: Vec<&str> = allow.split(", ").collect();
            allowed.sort_unstable();
            let mut expected: Vec<&str> = documented.iter().map(Method::as_str).collect();
            expected.sort_unstable();
            assert_eq!(allowed, expected, "Allow of {path}");
            assert_eq!(json_body(response).await["error"], "method_not_allowed");
        }
    }
}
