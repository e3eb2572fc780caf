//! The error contract: bad bodies, unknown routes, probes.

use reqwest::{Method, StatusCode};

use crate::helpers::{json_body, TestApp};

#[tokio::test]
async fn probes_answer_when_up_and_ready() {
    let app = TestApp::spawn().await;
    let health = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status(), StatusCode::OK);
}

#[tokio::test]
async fn malformed_json_is_400_wrong_types_422_and_huge_bodies_413() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/sessions", app.address);
    let send = |body: String| {
        app.client
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let malformed = send("{\"email\":".into()).await.unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body = json_body(malformed).await;
    assert_eq!(body["error"], "malformed_json");
    assert!(body["message"].as_str().unwrap().contains("not valid JSON"));

    let wrong_type = send(r#"{"email": 1, "password": "x"}"#.into())
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let missing = send(r#"{"email": "a@b.test"}"#.into()).await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_body(missing).await["fields"]["password"],
        "is required"
    );

    let huge = send(format!(
        r#"{{"email": "{}", "password": "x"}}"#,
        "a".repeat(400_000)
    ))
    .await
    .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let not_json = app.client.post(&url).body("email=a").send().await.unwrap();
    assert_eq!(not_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/api/v1/nothing-here", None, None)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_body(response).await["error"], "not_found");
}

#[tokio::test]
async fn an_id_that_is_not_one_is_a_404_like_an_unknown_one() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Ids").await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    for id in ["not-an-id", unknown] {
        // The API: the contract's JSON 404.
        let api = app
            .get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND, "{id}");
        assert_eq!(json_body(api).await["error"], "not_found", "{id}");
        // The clinician's pages: the HTML error page.
        let page = app
            .get(&format!("/programs/{id}"), &clinic.admin_token)
            .await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{id}");
        assert!(page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        // The patient's link: the same page as an unknown link, with its
        // headers.
        let share = app
            .request(Method::GET, &format!("/p/nolink/images/{id}"), None, None)
            .await;
        assert_eq!(share.status(), StatusCode::NOT_FOUND, "{id}");
        assert_eq!(share.headers()["referrer-policy"], "no-referrer");
        assert!(share.text().await.unwrap().contains("find this program"));
    }
}
