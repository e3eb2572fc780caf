//! `GET /metrics`: off without a token, 401 with a wrong one, and a scrape
//! that counts requests by route pattern and PDF renders while never naming a
//! share token, record id or patient.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{json_body, TestApp};
use hep::catalog::import::builtin_exercise_id as id_of;

const TOKEN: &str = "scrape-me-0123456789abcdef";

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    app.request(Method::GET, "/metrics", token, None).await
}

/// The value of the sample line that starts with `prefix` (name and labels).
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample {prefix} in:\n{text}"))
}

#[tokio::test]
async fn metrics_are_off_unless_a_token_is_configured() {
    let app = TestApp::spawn().await;
    let response = scrape(&app, None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_body(response).await["error"], "not_found");
}

#[tokio::test]
async fn metrics_need_the_configured_bearer_token() {
    let app = TestApp::spawn_with(|c| c.metrics_token = Some(TOKEN.to_owned())).await;
    assert_eq!(scrape(&app, None).await.status(), StatusCode::UNAUTHORIZED);
    let wrong = scrape(&app, Some("scrape-me-0123456789abcdeX")).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer");
    let clinic = app.create_clinic("Metrics PT").await;
    let as_clinician = scrape(&app, Some(&clinic.admin_token)).await;
    assert_eq!(
        as_clinician.status(),
        StatusCode::UNAUTHORIZED,
        "a session token is not the metrics token"
    );
    assert_eq!(scrape(&app, Some(TOKEN)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_scrape_counts_routes_and_renders_but_names_no_token_id_or_patient() {
    let app = TestApp::spawn_with(|c| c.metrics_token = Some(TOKEN.to_owned())).await;
    let clinic = app.create_clinic("Metrics PT").await;
    let patient = json_body(
        app.post(
            "/api/v1/patients",
            &clinic.admin_token,
            json!({ "first_name": "Quintessa", "last_name": "Vanderbeek", "external_id": "MRN-4471" }),
        )
        .await,
    )
    .await;
    let patient_id = patient["id"].as_str().unwrap().to_owned();
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
            json!({ "title": "Knee after surgery", "items": [
                { "exercise_id": id_of("standing-row"), "sets": 3, "reps": 12 }
            ]}),
        )
        .await,
    )
    .await;
    let program_id = program["id"].as_str().unwrap().to_owned();
    let published = app
        .post(
            &format!("/api/v1/programs/{program_id}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let link = json_body(
        app.post(
            &format!("/api/v1/programs/{program_id}/links"),
            &clinic.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    let url = link["url"].as_str().unwrap().to_owned();
    let share_token = url.rsplit('/').next().unwrap().to_owned();
    for _ in 0..3 {
        let page = app
            .request(Method::GET, &format!("/p/{share_token}"), None, None)
            .await;
        assert_eq!(page.status(), StatusCode::OK);
    }
    let pdf = app
        .get(
            &format!("/api/v1/programs/{program_id}/handout.pdf"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let missing = app
        .get(
            &format!("/api/v1/patients/{}", uuid::Uuid::new_v4()),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let response = scrape(&app, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();

    assert_eq!(
        sample(
            &text,
            r#"hep_http_requests_total{method="GET",route="/p/{token}",status="2xx"}"#
        ),
        3.0
    );
    assert_eq!(
        sample(
            &text,
            r#"hep_http_requests_total{method="GET",route="/api/v1/patients/{patient_id}",status="4xx"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            &text,
            r#"hep_http_request_duration_seconds_count{method="GET",route="/p/{token}"}"#
        ),
        3.0
    );
    assert_eq!(sample(&text, r#"hep_pdf_renders_total{outcome="ok"}"#), 1.0);
    assert_eq!(sample(&text, "hep_pdf_render_duration_seconds_count"), 1.0);
    assert_eq!(sample(&text, "hep_pdf_renders_in_flight"), 0.0);
    assert_eq!(sample(&text, "hep_pdf_renders_rejected_total"), 0.0);
    assert_eq!(sample(&text, "hep_db_pool_max_connections"), 4.0);
    assert!(sample(&text, "hep_db_pool_connections") >= 1.0);
    assert!(sample(&text, "process_start_time_seconds") > 1.7e9);

    for secret in [
        share_token.as_str(),
        &clinic.admin_token,
        &clinic.id,
        &patient_id,
        &program_id,
        "Quintessa",
        "Vanderbeek",
        "MRN-4471",
        "Knee after surgery",
        TOKEN,
    ] {
        assert!(!text.contains(secret), "the scrape shows {secret}");
    }
    let uuid_like = text
        .split(|c: char| !c.is_ascii_hexdigit() && c != '-')
        .any(|w| w.len() == 36 && uuid::Uuid::parse_str(w).is_ok());
    assert!(!uuid_like, "the scrape holds an id:\n{text}");
}
