//! Adding, listing and deactivating clinicians; roles and clinic isolation.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json_body, TestApp, PASSWORD};

#[tokio::test]
async fn an_admin_adds_a_therapist_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let response = app
        .post(
            "/api/v1/clinicians",
            &clinic.admin_token,
            json!({ "email": "Theo@Northside.test", "name": "Theo", "role": "therapist", "password": PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = json_body(response).await;
    assert_eq!(body["email"], "theo@northside.test");
    assert_eq!(body["role"], "therapist");
    assert_eq!(body["clinic_id"], clinic.id.as_str());

    let token = app.sign_in("theo@northside.test", PASSWORD).await;
    let me = json_body(app.get("/api/v1/me", &token).await).await;
    assert_eq!(me["role"], "therapist");

    let list = json_body(app.get("/api/v1/clinicians", &token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_therapist_cannot_create_or_change_clinicians() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let (_, therapist) = app.add_clinician(&clinic, "therapist").await;
    let response = app
        .post(
            "/api/v1/clinicians",
            &therapist,
            json!({ "email": "x@northside.test", "name": "X", "role": "admin", "password": PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(json_body(response).await["error"], "forbidden");
    let change = app
        .patch(
            &format!("/api/v1/clinicians/{}", clinic.admin_id),
            &therapist,
            json!({ "active": false }),
        )
        .await;
    assert_eq!(change.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn one_clinics_admin_cannot_see_or_change_another_clinics_clinicians() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let (b_therapist, _) = app.add_clinician(&b, "therapist").await;

    let list = json_body(app.get("/api/v1/clinicians", &a.admin_token).await).await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![a.admin_id.as_str()]);

    let path = format!("/api/v1/clinicians/{b_therapist}");
    assert_eq!(
        app.get(&path, &a.admin_token).await.status(),
        StatusCode::NOT_FOUND
    );
    let patch = app
        .patch(&path, &a.admin_token, json!({ "active": false }))
        .await;
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path, &b.admin_token).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn deactivating_a_clinician_ends_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let (therapist_id, token) = app.add_clinician(&clinic, "therapist").await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);

    let response = app
        .patch(
            &format!("/api/v1/clinicians/{therapist_id}"),
            &clinic.admin_token,
            json!({ "active": false }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_body(response).await["active"], false);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_last_admin_cannot_demote_themself() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let response = app
        .patch(
            &format!("/api/v1/clinicians/{}", clinic.admin_id),
            &clinic.admin_token,
            json!({ "role": "therapist" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(json_body(response).await["error"], "last_admin");
}

#[tokio::test]
async fn invalid_clinicians_are_refused_naming_every_field_and_duplicates_conflict() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let response = app
        .post(
            "/api/v1/clinicians",
            &clinic.admin_token,
            json!({ "email": "not-an-email", "name": " ", "role": "owner", "password": "short" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(response).await;
    for field in ["email", "name", "role", "password"] {
        assert!(body["fields"][field].is_string(), "{field} in {body}");
    }
    let duplicate = app
        .post(
            "/api/v1/clinicians",
            &clinic.admin_token,
            json!({ "email": clinic.admin_email, "name": "Again", "role": "therapist", "password": PASSWORD }),
        )
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let list = json_body(app.get("/api/v1/clinicians", &clinic.admin_token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "nothing was stored");
}
