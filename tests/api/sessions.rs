//! Sign-in, sessions, logout, expiry and throttling.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};

use crate::helpers::{json_body, TestApp, PASSWORD};

#[tokio::test]
async fn an_admin_signs_in_sees_themself_and_signs_out() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;

    let me = json_body(app.get("/api/v1/me", &clinic.admin_token).await).await;
    assert_eq!(me["email"], clinic.admin_email.as_str());
    assert_eq!(me["clinic_id"], clinic.id.as_str());
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none());

    let logout = app
        .delete("/api/v1/sessions/current", &clinic.admin_token)
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let after = app.get("/api/v1/me", &clinic.admin_token).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_unknown_emails_and_missing_tokens_are_401() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;

    let wrong = app
        .sign_in_response(&clinic.admin_email, "not the password")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_body(wrong).await["error"], "invalid_credentials");
    let unknown = app.sign_in_response("nobody@nowhere.test", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    let no_token = app.request(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.headers()["www-authenticate"], "Bearer");
    let forged = app
        .get("/api/v1/me", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn password_hashes_are_argon2id_and_no_raw_token_is_stored() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;

    let (hashes, token_hashes) = app
        .with_db(|conn| {
            use hep::db::schema::{clinicians, sessions};
            let hashes: Vec<String> = clinicians::table
                .select(clinicians::password_hash)
                .load(conn)
                .unwrap();
            let tokens: Vec<String> = sessions::table
                .select(sessions::token_hash)
                .load(conn)
                .unwrap();
            (hashes, tokens)
        })
        .await;
    for hash in &hashes {
        let params = hash.strip_prefix("$argon2id$v=19$").expect("argon2id v19");
        let memory: u32 = params
            .split(['m', '=', ','])
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        let iterations: u32 = params
            .split("t=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(memory >= 19_456, "m={memory}");
        assert!(iterations >= 2, "t={iterations}");
    }
    assert_eq!(token_hashes.len(), 1);
    assert!(
        clinic.admin_token.len() >= 22,
        "at least 128 bits of base64"
    );
    for stored in &token_hashes {
        assert!(!stored.contains(&clinic.admin_token));
        assert_eq!(stored.len(), 64, "a hex SHA-256");
    }
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn_with(|c| c.session_idle = std::time::Duration::from_secs(1)).await;
    let clinic = app.create_clinic("Northside PT").await;
    assert_eq!(
        app.get("/api/v1/me", &clinic.admin_token).await.status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        app.get("/api/v1/me", &clinic.admin_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_session_expires_at_its_absolute_limit_even_when_busy() {
    let app = TestApp::spawn_with(|c| c.session_max = std::time::Duration::from_secs(2)).await;
    let clinic = app.create_clinic("Northside PT").await;
    for _ in 0..3 {
        assert_eq!(
            app.get("/api/v1/me", &clinic.admin_token).await.status(),
            StatusCode::OK
        );
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(
        app.get("/api/v1/me", &clinic.admin_token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_with_retry_after() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    for attempt in 0..5 {
        let response = app
            .sign_in_response(&clinic.admin_email, "wrong password")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let throttled = app
        .sign_in_response(&clinic.admin_email, "wrong password")
        .await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    assert_eq!(json_body(throttled).await["error"], "too_many_requests");
    // Even the right password waits: the guesser must not learn it is right.
    let right = app.sign_in_response(&clinic.admin_email, PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another account from the same place is not locked.
    let (_, _) = app.add_clinician(&clinic, "therapist").await;
}

#[tokio::test]
async fn sign_ins_logouts_and_failures_are_audited_without_secrets() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    app.sign_in_response(&clinic.admin_email, "wrong password")
        .await;
    app.delete("/api/v1/sessions/current", &clinic.admin_token)
        .await;

    let events = app
        .with_db(|conn| {
            use hep::db::schema::audit_events as a;
            a::table
                .order(a::created_at.asc())
                .select((a::action, a::ip, a::detail))
                .load::<(String, Option<String>, Option<String>)>(conn)
                .unwrap()
        })
        .await;
    let actions: Vec<&str> = events.iter().map(|(a, _, _)| a.as_str()).collect();
    for expected in [
        "clinic.create",
        "clinician.create",
        "sign_in.success",
        "sign_in.failure",
        "sign_out",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let sign_in = events
        .iter()
        .find(|(a, _, _)| a == "sign_in.success")
        .unwrap();
    assert_eq!(sign_in.1.as_deref(), Some("127.0.0.1"));
    let everything = format!("{events:?}");
    assert!(!everything.contains(&clinic.admin_token));
    assert!(!everything.contains("wrong password"));
}
