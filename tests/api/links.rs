//! Share links and the patient page: latest version, revocation, expiry,
//! privacy headers, rate limit, activity logging and the pain flag.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{captured_logs, json_body, TestApp, TestClinic};
use hep::catalog::import::builtin_exercise_id as id_of;

struct Shared {
    program_id: String,
    patient_id: String,
    link_id: String,
    url: String,
}

async fn shared_program(app: &TestApp, clinic: &TestClinic) -> Shared {
    let patient = json_body(app.post("/api/v1/patients", &clinic.admin_token, json!({ "first_name": "José", "last_name": "Muñoz", "precautions": ["flexion-intolerant"] })).await).await;
    let patient_id = patient["id"].as_str().unwrap().to_owned();
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
            json!({ "title": "Back at work", "items": [
                { "exercise_id": id_of("standing-row"), "sets": 3, "reps": 12 },
                { "exercise_id": id_of("thoracic-extension-chair"), "reps": 25 }
            ]}),
        )
        .await,
    )
    .await;
    let program_id = program["id"].as_str().unwrap().to_owned();
    let unpublished = app
        .post(
            &format!("/api/v1/programs/{program_id}/links"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(
        unpublished.status(),
        StatusCode::CONFLICT,
        "a draft cannot be shared"
    );
    app.post(
        &format!("/api/v1/programs/{program_id}/publish"),
        &clinic.admin_token,
        json!({}),
    )
    .await;
    let link = app
        .post(
            &format!("/api/v1/programs/{program_id}/links"),
            &clinic.admin_token,
            json!({ "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(link.status(), StatusCode::CREATED);
    let link = json_body(link).await;
    Shared {
        program_id,
        patient_id,
        link_id: link["id"].as_str().unwrap().to_owned(),
        url: link["url"].as_str().unwrap().to_owned(),
    }
}

fn path_of(url: &str) -> String {
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

async fn open(app: &TestApp, url: &str) -> Response {
    app.request(Method::GET, &path_of(url), None, None).await
}

fn assert_private(response: &Response) {
    let h = response.headers();
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-robots-tag"], "noindex, nofollow");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
}

#[tokio::test]
async fn a_link_shows_the_latest_published_version_without_credentials() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    let token = shared.url.rsplit('/').next().unwrap();
    assert!(token.len() >= 22, "≥ 128 bits");

    let page = open(&app, &shared.url).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_private(&page);
    let html = page.text().await.unwrap();
    for text in [
        "Northside PT",
        "Back at work",
        "José",
        "Standing row",
        "3 sets of 12 reps",
        "Thoracic extension at a chair",
        "Avoid / do this instead",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    assert!(!html.contains("Muñoz"), "only the first name");
    assert!(!html.contains("<script"), "no JavaScript needed");
    assert!(
        !html.contains("http://") || html.matches("http").count() == 0,
        "nothing from other origins"
    );

    // Publish a new version: the same link shows it.
    let program = json_body(
        app.get(
            &format!("/api/v1/programs/{}", shared.program_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    let mut items = program["items"].as_array().unwrap().clone();
    items[0]["dosage"]["reps"] = json!(15);
    let body = json!({ "revision": program["revision"], "items": items.iter().map(|i| json!({ "exercise_id": i["exercise_id"], "sets": 3, "reps": 15 })).collect::<Vec<_>>() });
    app.put(
        &format!("/api/v1/programs/{}", shared.program_id),
        &clinic.admin_token,
        body,
    )
    .await;
    app.post(
        &format!("/api/v1/programs/{}/publish", shared.program_id),
        &clinic.admin_token,
        json!({}),
    )
    .await;
    let html = open(&app, &shared.url).await.text().await.unwrap();
    assert!(html.contains("3 sets of 15 reps"));
    assert!(html.contains("Version 2"));

    let links = json_body(
        app.get(
            &format!("/api/v1/programs/{}/links", shared.program_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(links[0]["open_count"], 2);
    assert!(
        !links.to_string().contains(token),
        "the token is shown only once"
    );
}

#[tokio::test]
async fn the_pdf_behind_a_link_is_the_handout_with_that_links_url() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    let response = app
        .request(
            Method::GET,
            &format!("{}/handout.pdf", path_of(&shared.url)),
            None,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_private(&response);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("home-exercise-program-v1.pdf"),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages).unwrap();
    assert!(text.contains("Standing row"), "{text}");
    let compact: String = text.split_whitespace().collect();
    let url: String = shared.url.split_whitespace().collect();
    assert!(compact.contains(&url), "the footer prints the link: {text}");
}

#[tokio::test]
async fn revoked_expired_unknown_and_archived_links_answer_410_or_404_with_private_headers() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let revoked = shared_program(&app, &clinic).await;
    assert_eq!(
        app.delete(
            &format!("/api/v1/links/{}", revoked.link_id),
            &clinic.admin_token
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let gone = open(&app, &revoked.url).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    assert_private(&gone);
    assert!(gone
        .text()
        .await
        .unwrap()
        .contains("ask your therapist for a new link"));

    let expired = shared_program(&app, &clinic).await;
    let link_id = expired.link_id.clone();
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use hep::db::schema::share_links as l;
        diesel::update(l::table.find(link_id))
            .set(l::expires_at.eq(hep::clock::now() - chrono::Duration::minutes(1)))
            .execute(conn)
            .unwrap();
    })
    .await;
    assert_eq!(open(&app, &expired.url).await.status(), StatusCode::GONE);

    let unknown = app
        .request(
            Method::GET,
            &format!("/p/{}", hep::domain::credentials::new_token()),
            None,
            None,
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_private(&unknown);
    let garbage = app.request(Method::GET, "/p/not-a-token", None, None).await;
    assert_eq!(garbage.status(), StatusCode::NOT_FOUND);

    let archived = shared_program(&app, &clinic).await;
    assert_eq!(open(&app, &archived.url).await.status(), StatusCode::OK);
    app.delete(
        &format!("/api/v1/patients/{}", archived.patient_id),
        &clinic.admin_token,
    )
    .await;
    assert_eq!(open(&app, &archived.url).await.status(), StatusCode::GONE);

    let robots = app
        .request(Method::GET, "/robots.txt", None, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(robots.contains("Disallow: /p/"));
}

#[tokio::test]
async fn the_share_space_is_rate_limited_per_client_with_private_headers() {
    let app = TestApp::spawn_with(|c| c.link_requests_per_minute = 5).await;
    for _ in 0..5 {
        assert_eq!(
            app.request(Method::GET, "/p/x", None, None).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let limited = app.request(Method::GET, "/p/x", None, None).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_private(&limited);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
}

#[tokio::test]
async fn no_raw_token_is_stored_or_logged() {
    let logs = captured_logs();
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    let token = shared.url.rsplit('/').next().unwrap().to_owned();
    for _ in 0..100 {
        assert_eq!(open(&app, &shared.url).await.status(), StatusCode::OK);
    }
    let stored = app
        .with_db(|conn| {
            use diesel::prelude::*;
            use hep::db::schema::{audit_events as a, share_links as l};
            let hashes: Vec<String> = l::table.select(l::token_hash).load(conn).unwrap();
            let events: Vec<(String, Option<String>, Option<String>)> = a::table
                .select((a::action, a::target_id, a::detail))
                .load(conn)
                .unwrap();
            (hashes, events)
        })
        .await;
    assert!(!format!("{stored:?}").contains(&token));
    // One client opening one link within the audit window is one event (see
    // services::link_opens); every open is still counted.
    assert_eq!(
        stored
            .1
            .iter()
            .filter(|e| e.0 == "link.open" && e.1.as_deref() == Some(shared.link_id.as_str()))
            .count(),
        1
    );
    let links = json_body(
        app.get(
            &format!("/api/v1/programs/{}/links", shared.program_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(links[0]["open_count"], 100);
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logged.contains("/p/{token}"),
        "requests are logged by route pattern"
    );
    assert!(!logged.contains(&token), "a token reached the log");
}

/// `link.open` / `link.download` events of a link, oldest first.
async fn link_events(app: &TestApp, link_id: &str) -> Vec<(String, Option<String>)> {
    let link_id = link_id.to_owned();
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use hep::db::schema::audit_events as a;
        a::table
            .filter(a::target_id.eq(link_id))
            .filter(a::action.like("link.%"))
            .filter(a::action.ne("link.create"))
            .order(a::created_at.asc())
            .select((a::action, a::ip))
            .load(conn)
            .unwrap()
    })
    .await
}

#[tokio::test]
async fn each_client_is_audited_once_per_window_and_per_action_and_every_open_is_counted() {
    let app =
        TestApp::spawn_with(|c| c.open_flush_every = std::time::Duration::from_millis(50)).await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    for _ in 0..3 {
        assert_eq!(open(&app, &shared.url).await.status(), StatusCode::OK);
    }
    let pdf = app
        .request(
            Method::GET,
            &format!("{}/handout.pdf", path_of(&shared.url)),
            None,
            None,
        )
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let events = link_events(&app, &shared.link_id).await;
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        actions,
        ["link.open", "link.download"],
        "written before the response"
    );
    assert!(
        events.iter().all(|e| e.1.as_deref() == Some("127.0.0.1")),
        "{events:?}"
    );

    // The counts reach the database by themselves, without a clinician listing.
    let link_id = shared.link_id.clone();
    let mut stored = 0;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let id = link_id.clone();
        stored = app
            .with_db(move |conn| {
                use diesel::prelude::*;
                use hep::db::schema::share_links as l;
                l::table
                    .find(id)
                    .select(l::open_count)
                    .get_result::<i32>(conn)
                    .unwrap()
            })
            .await;
        if stored == 4 {
            break;
        }
    }
    assert_eq!(stored, 4, "3 page opens and 1 download");
}

#[tokio::test]
async fn with_no_audit_window_every_open_is_an_event() {
    let app = TestApp::spawn_with(|c| c.link_audit_every = std::time::Duration::ZERO).await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    for _ in 0..3 {
        assert_eq!(open(&app, &shared.url).await.status(), StatusCode::OK);
    }
    assert_eq!(link_events(&app, &shared.link_id).await.len(), 3);
}

async fn post_log(
    app: &TestApp,
    url: &str,
    form: &[(&str, &str)],
    origin: Option<&str>,
) -> Response {
    let mut req = app
        .client
        .post(format!("{}{}/log", app.address, path_of(url)))
        .form(form);
    if let Some(origin) = origin {
        req = req.header("origin", origin);
    }
    req.send().await.unwrap()
}

fn form_token(html: &str) -> String {
    let start = html.find("name=\"form_token\" value=\"").unwrap() + 25;
    html[start..start + 32].to_owned()
}

#[tokio::test]
async fn pain_logged_from_the_link_reaches_the_clinician_and_flags_the_program() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let shared = shared_program(&app, &clinic).await;
    let html = open(&app, &shared.url).await.text().await.unwrap();
    let token = form_token(&html);
    let row = id_of("standing-row");

    let forged = post_log(
        &app,
        &shared.url,
        &[("exercise_id", &row), ("done", "yes"), ("pain", "8")],
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let no_token = post_log(
        &app,
        &shared.url,
        &[("exercise_id", &row), ("done", "yes"), ("pain", "8")],
        None,
    )
    .await;
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let bad_pain = post_log(
        &app,
        &shared.url,
        &[
            ("form_token", &token),
            ("exercise_id", &row),
            ("pain", "11"),
        ],
        Some(&app.address),
    )
    .await;
    assert_eq!(bad_pain.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let activity = json_body(
        app.get(
            &format!("/api/v1/programs/{}/activity", shared.program_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(activity, json!([]), "refused posts stored nothing");

    let saved = post_log(
        &app,
        &shared.url,
        &[
            ("form_token", &token),
            ("exercise_id", &row),
            ("done", "yes"),
            ("pain", "8"),
            ("comment", "Sore after"),
        ],
        Some(&app.address),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let activity = json_body(
        app.get(
            &format!("/api/v1/programs/{}/activity", shared.program_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(activity[0]["exercise_id"], row);
    assert_eq!(activity[0]["done"], true);
    assert_eq!(activity[0]["pain"], 8);
    assert_eq!(activity[0]["exercise_name"], "Standing row");
    let programs: Value = json_body(
        app.get(
            &format!("/api/v1/patients/{}/programs", shared.patient_id),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(programs[0]["pain_flag"], true);
    assert!(programs[0]["last_activity_at"].is_string());

    let page = open(&app, &shared.url).await.text().await.unwrap();
    assert!(page.contains("Your last 14 days"));
    assert!(
        page.contains("<td>8</td>"),
        "the patient sees what they logged"
    );
}

#[tokio::test]
async fn another_clinic_cannot_list_create_or_revoke_links_or_read_activity() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let shared = shared_program(&app, &a).await;
    for response in [
        app.get(
            &format!("/api/v1/programs/{}/links", shared.program_id),
            &b.admin_token,
        )
        .await,
        app.post(
            &format!("/api/v1/programs/{}/links", shared.program_id),
            &b.admin_token,
            json!({}),
        )
        .await,
        app.delete(&format!("/api/v1/links/{}", shared.link_id), &b.admin_token)
            .await,
        app.get(
            &format!("/api/v1/programs/{}/activity", shared.program_id),
            &b.admin_token,
        )
        .await,
        app.get(
            &format!("/api/v1/programs/{}/handout.pdf", shared.program_id),
            &b.admin_token,
        )
        .await,
    ] {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        open(&app, &shared.url).await.status(),
        StatusCode::OK,
        "still live"
    );
}

/// Uploads (`Some`) or removes (`None`) the clinic's picture of an exercise.
async fn set_picture(
    app: &TestApp,
    clinic: &TestClinic,
    exercise: &str,
    bytes: Option<Vec<u8>>,
) -> StatusCode {
    let url = format!("{}/api/v1/exercises/{exercise}/image", app.address);
    let request = match bytes {
        Some(bytes) => app.client.put(&url).body(bytes),
        None => app.client.delete(&url),
    };
    request
        .bearer_auth(&clinic.admin_token)
        .send()
        .await
        .unwrap()
        .status()
}

/// Width and height of every picture (image XObject) in a PDF.
pub fn pictures_in(pdf: &[u8]) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|object| {
            let dict = &object.as_stream().ok()?.dict;
            if dict.get(b"Subtype").ok()?.as_name().ok()? != b"Image" {
                return None;
            }
            Some((
                dict.get(b"Width").ok()?.as_i64().ok()?,
                dict.get(b"Height").ok()?.as_i64().ok()?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn a_published_version_keeps_the_picture_it_was_published_with() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Picture PT").await;
    let row = id_of("standing-row");
    let upload = |bytes: Vec<u8>| set_picture(&app, &clinic, &row, Some(bytes));
    let landscape = crate::catalog::png(64, 48);
    let portrait = crate::catalog::png(48, 64);
    assert_eq!(upload(landscape.clone()).await, StatusCode::NO_CONTENT);
    let shared = shared_program(&app, &clinic).await; // version 1
    let picture_path = format!("{}/images/{row}", path_of(&shared.url));
    let picture = || app.request(Method::GET, &picture_path, None, None);
    let handout_path = format!(
        "/api/v1/programs/{}/handout.pdf?version=1",
        shared.program_id
    );
    let handout_v1 = || app.get(&handout_path, &clinic.admin_token);
    let publish_path = format!("/api/v1/programs/{}/publish", shared.program_id);
    let publish = || app.post(&publish_path, &clinic.admin_token, json!({}));
    let shape = |pictures: Vec<(i64, i64)>| {
        assert_eq!(pictures.len(), 1, "{pictures:?}");
        if pictures[0].0 > pictures[0].1 {
            "landscape"
        } else {
            "portrait"
        }
    };
    assert_eq!(
        shape(pictures_in(&handout_v1().await.bytes().await.unwrap())),
        "landscape"
    );

    // The clinic replaces the picture: version 1 keeps the one it was
    // published with, on the patient's phone and on a reprint.
    assert_eq!(upload(portrait.clone()).await, StatusCode::NO_CONTENT);
    assert_eq!(picture().await.bytes().await.unwrap().to_vec(), landscape);
    assert_eq!(
        shape(pictures_in(&handout_v1().await.bytes().await.unwrap())),
        "landscape"
    );

    // Removing it from the exercise does not take it from version 1 either.
    assert_eq!(
        set_picture(&app, &clinic, &row, None).await,
        StatusCode::NO_CONTENT
    );
    assert!(open(&app, &shared.url)
        .await
        .text()
        .await
        .unwrap()
        .contains(&picture_path));
    assert_eq!(picture().await.bytes().await.unwrap().to_vec(), landscape);

    // A new version shows what the exercise shows now: no picture …
    assert_eq!(publish().await.status(), StatusCode::OK);
    assert!(!open(&app, &shared.url)
        .await
        .text()
        .await
        .unwrap()
        .contains(&picture_path));
    assert_eq!(picture().await.status(), StatusCode::NOT_FOUND);
    // … and after a new upload, the new picture.
    upload(portrait.clone()).await;
    assert_eq!(publish().await.status(), StatusCode::OK);
    assert_eq!(picture().await.bytes().await.unwrap().to_vec(), portrait);
    assert_eq!(
        shape(pictures_in(&handout_v1().await.bytes().await.unwrap())),
        "landscape",
        "version 1 still prints its own picture"
    );
}

#[tokio::test]
async fn a_picture_no_version_shows_is_deleted_when_replaced_or_removed() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Tidy PT").await;
    let row = id_of("standing-row");
    let upload = |bytes: Vec<u8>| set_picture(&app, &clinic, &row, Some(bytes));
    let stored = || {
        app.with_db(|conn| {
            use diesel::prelude::*;
            hep::db::schema::pictures::table
                .select(hep::db::schema::pictures::data)
                .load::<Vec<u8>>(conn)
                .unwrap()
        })
    };
    let (wrong, right, newer) = (
        crate::catalog::png(10, 10),
        crate::catalog::png(20, 10),
        crate::catalog::png(30, 10),
    );
    // A wrong upload replaced before anyone published it leaves nothing.
    upload(wrong.clone()).await;
    upload(right.clone()).await;
    assert_eq!(stored().await, vec![right.clone()]);
    // Once a version shows it, replacing keeps it for that version …
    shared_program(&app, &clinic).await;
    upload(newer.clone()).await;
    let mut kept = stored().await;
    kept.sort();
    let mut expected = vec![right.clone(), newer.clone()];
    expected.sort();
    assert_eq!(kept, expected);
    // … and removing a picture no version shows deletes it.
    assert_eq!(
        set_picture(&app, &clinic, &row, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(stored().await, vec![right]);
}
