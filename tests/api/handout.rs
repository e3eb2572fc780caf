//! The clinician's handout endpoint: content in order, metadata without
//! patient data, paper sizes, draft preview, share link QR text.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json_body, page, TestApp, TestClinic};
use hep::catalog::import::builtin_exercise_id as id_of;

/// A program with a draft and no published version yet.
async fn drafted(app: &TestApp, clinic: &TestClinic) -> String {
    let patient = json_body(
        app.post("/api/v1/patients", &clinic.admin_token, json!({ "first_name": "Zoë", "last_name": "Nguyễn", "precautions": ["flexion-intolerant"] }))
            .await,
    )
    .await;
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{}/programs", patient["id"].as_str().unwrap()),
            &clinic.admin_token,
            json!({ "title": "Upper back at work", "notes": "Sit comfortably for an hour.", "items": [
                { "exercise_id": id_of("thoracic-extension-chair"), "sets": 1, "reps": 25 },
                { "exercise_id": id_of("standing-row"), "sets": 3, "reps": 10, "side": "both" },
                { "exercise_id": id_of("cross-body-stretch"), "sets": 1, "reps": 3, "hold_seconds": 30, "times_per_day": 2 }
            ]}),
        )
        .await,
    )
    .await;
    let id = program["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(
            &format!("/api/v1/programs/{id}/handout.pdf"),
            &clinic.admin_token
        )
        .await
        .status(),
        StatusCode::CONFLICT,
        "nothing published yet"
    );
    id
}

async fn published(app: &TestApp, clinic: &TestClinic) -> String {
    let id = drafted(app, clinic).await;
    app.post(
        &format!("/api/v1/programs/{id}/publish"),
        &clinic.admin_token,
        json!({}),
    )
    .await;
    id
}

fn text_of(pdf: &lopdf::Document) -> String {
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    pdf.extract_text(&pages).unwrap()
}

/// Every text value of the Info dictionary, decoded (PDF text strings are
/// UTF-16BE with a byte-order mark, or PDFDocEncoding).
fn info_of(pdf: &lopdf::Document) -> String {
    let Ok(info) = pdf
        .trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .and_then(|r| pdf.get_dictionary(r))
    else {
        return String::new();
    };
    info.iter()
        .filter_map(|(key, value)| {
            let bytes = value.as_str().ok()?;
            let text = match bytes {
                [0xFE, 0xFF, rest @ ..] => String::from_utf16_lossy(
                    &rest
                        .chunks(2)
                        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                        .collect::<Vec<_>>(),
                ),
                other => String::from_utf8_lossy(other).into_owned(),
            };
            Some(format!("{}={text}", String::from_utf8_lossy(key)))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn the_handout_holds_the_program_in_order_and_no_patient_data_in_metadata_or_file_name() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    app.patch(
        "/api/v1/clinic",
        &clinic.admin_token,
        json!({ "contact_line": "12 Harbour St · 555-0100", "default_paper": "a4" }),
    )
    .await;
    let id = published(&app, &clinic).await;
    let response = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("home-exercise-program-v1.pdf"),
        "{disposition}"
    );
    assert!(!disposition.contains("Zo"));
    let pdf = lopdf::Document::load_mem(&response.bytes().await.unwrap()).unwrap();
    let text = text_of(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Northside PT",
        "12 Harbour St",
        "Upper back at work",
        "Zoë",
        "Page 1 of",
        "1 set of 25 reps",
        "3 sets of 10 reps · once a day",
        "both sides",
        "hold 30 s · twice a day",
    ] {
        assert!(flat.contains(needle), "{needle} missing from: {flat}");
    }
    let order: Vec<usize> = [
        "Thoracic extension at a chair",
        "Standing row",
        "Cross-body shoulder stretch",
    ]
    .iter()
    .map(|name| flat.find(name).unwrap_or_else(|| panic!("{name} missing")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "exercises in program order"
    );
    assert!(
        flat.contains("Avoid") && flat.contains("instead"),
        "the avoid box"
    );
    let info = info_of(&pdf);
    assert!(info.contains("Title=Home exercise program"), "{info}");
    assert!(!info.contains("Zo") && !info.contains("Nguy"), "{info}");
    // A4 by the clinic's setting: 595 × 842 points.
    let page = pdf.get_pages().values().next().copied().unwrap();
    let media = format!(
        "{:?}",
        pdf.get_dictionary(page).unwrap().get(b"MediaBox").unwrap()
    );
    assert!(media.contains("595"), "{media}");
}

#[tokio::test]
async fn a_draft_preview_is_watermarked_and_letter_and_large_print_can_be_asked_for() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let draft = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf?draft=true&size=large&paper=letter"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(draft.status(), StatusCode::OK);
    assert!(draft.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("draft"));
    let pdf = lopdf::Document::load_mem(&draft.bytes().await.unwrap()).unwrap();
    assert!(text_of(&pdf).contains("DRAFT"));
    let bad = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf?paper=legal"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf?version=9"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_draft_preview_says_draft_where_a_version_prints_its_number() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let preview = |id: String| {
        let app = &app;
        let token = clinic.admin_token.clone();
        async move {
            let response = app
                .get(
                    &format!("/api/v1/programs/{id}/handout.pdf?draft=true"),
                    &token,
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            text_of(&lopdf::Document::load_mem(&response.bytes().await.unwrap()).unwrap())
        }
    };
    // Never published, and a draft after version 1: neither is "Version 1"
    // or "Version 2" (the header's panel and every footer).
    let never = drafted(&app, &clinic).await;
    let after_one = published(&app, &clinic).await;
    for id in [never, after_one.clone()] {
        let text = preview(id).await;
        assert!(text.contains("Draft"), "{text}");
        assert!(!text.contains("Version"), "{text}");
    }
    let published = app
        .get(
            &format!("/api/v1/programs/{after_one}/handout.pdf"),
            &clinic.admin_token,
        )
        .await;
    let text = text_of(&lopdf::Document::load_mem(&published.bytes().await.unwrap()).unwrap());
    assert!(text.contains("Version 1"), "{text}");
    assert!(!text.contains("Draft"), "{text}");
}

#[tokio::test]
async fn the_patients_share_link_pdf_prints_the_clinic_logo_as_the_clinicians_does() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let share = format!("{}/handout.pdf", app.share_path(&clinic, &id).await);
    let clinicians = format!("/api/v1/programs/{id}/handout.pdf");
    let (_, before) = download(&app, &share, None).await;
    assert!(crate::links::pictures_in(&before).is_empty(), "no logo yet");

    let logo = app
        .client
        .put(format!("{}/api/v1/clinic/logo", app.address))
        .bearer_auth(&clinic.admin_token)
        .header("content-type", "image/png")
        .body(crate::catalog::png(240, 80))
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), StatusCode::NO_CONTENT);
    let (_, patients) = download(&app, &share, None).await;
    let (_, clinicians) = download(&app, &clinicians, Some(clinic.admin_token.as_str())).await;
    let pictures = crate::links::pictures_in(&clinicians);
    assert_eq!(pictures.len(), 1, "the clinician's copy has the logo");
    assert_eq!(crate::links::pictures_in(&patients), pictures);
}

#[tokio::test]
async fn with_a_share_token_the_clinician_handout_prints_that_link() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let link = json_body(
        app.post(
            &format!("/api/v1/programs/{id}/links"),
            &clinic.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    let url = link["url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap();
    let pdf = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf?share_token={token}"),
            &clinic.admin_token,
        )
        .await;
    let text: String = text_of(&lopdf::Document::load_mem(&pdf.bytes().await.unwrap()).unwrap())
        .split_whitespace()
        .collect();
    assert!(text.contains(url), "{text}");
    let forged = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf?share_token=nope"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn clinic_settings_are_admin_only_and_validated() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let (_, therapist) = app.add_clinician(&clinic, "therapist").await;
    assert_eq!(
        app.patch("/api/v1/clinic", &therapist, json!({ "contact_line": "x" }))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let bad = app
        .patch(
            "/api/v1/clinic",
            &clinic.admin_token,
            json!({ "default_paper": "legal", "name": "" }),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(bad).await;
    assert!(body["fields"]["default_paper"].is_string() && body["fields"]["name"].is_string());
    let shown = json_body(app.get("/api/v1/clinic", &therapist).await).await;
    assert_eq!(shown["name"], "Northside PT");
    assert_eq!(shown["default_paper"], "letter");
    assert_eq!(shown["weight_unit"], "kg");
}

/// A clinic that works in pounds gets pounds offered first in the builder.
#[tokio::test]
async fn the_clinics_weight_unit_is_offered_first_in_the_builder() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Pounds PT").await;
    let bad = app
        .patch(
            "/api/v1/clinic",
            &clinic.admin_token,
            json!({ "weight_unit": "stone" }),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(bad).await["fields"]["weight_unit"].is_string());
    let changed = json_body(
        app.patch(
            "/api/v1/clinic",
            &clinic.admin_token,
            json!({ "weight_unit": "lb" }),
        )
        .await,
    )
    .await;
    assert_eq!(changed["weight_unit"], "lb");
    let patient = app.new_patient(&clinic, &[]).await;
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{patient}/programs"),
            &clinic.admin_token,
            json!({ "title": "Rows", "items": [{ "exercise_id": id_of("standing-row") }] }),
        )
        .await,
    )
    .await;
    let client = crate::pages::signed_in_client(&app, &clinic.admin_email).await;
    let path = format!("/programs/{}", program["id"].as_str().unwrap());
    let (_, html) = page(&client, &app, &path).await;
    assert!(
        html.contains(r#"<option value="lb" selected>lb</option>"#),
        "{html}"
    );
}

#[tokio::test]
async fn when_every_render_slot_and_the_queue_are_taken_pdfs_answer_503_with_retry_after() {
    // No slot and no room to wait: the state of a server whose slots and
    // queue are all taken, made certain instead of raced for.
    let app = TestApp::spawn_with(|c| {
        c.render_slots = 0;
        c.render_queue = 0;
        c.metrics_token = Some("scrape-me-0123456789abcdef".to_owned());
    })
    .await;
    let clinic = app.create_clinic("Busy PT").await;
    let id = published(&app, &clinic).await;
    let busy = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(busy.headers()["retry-after"], "5");
    // A client that holds the handout is answered without a render slot.
    let held = get_if_none_match(
        &app,
        &format!("/api/v1/programs/{id}/handout.pdf"),
        Some(&clinic.admin_token),
        Some("*"),
    )
    .await;
    assert_eq!(held.status(), StatusCode::NOT_MODIFIED);
    let body = json_body(busy).await;
    assert_eq!(body["error"], "busy");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("try again in 5 seconds"),
        "{body}"
    );

    let link = json_body(
        app.post(
            &format!("/api/v1/programs/{id}/links"),
            &clinic.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    let path = crate::helpers::path_of(link["url"].as_str().unwrap());
    let patient_pdf = app
        .request(
            reqwest::Method::GET,
            &format!("{path}/handout.pdf"),
            None,
            None,
        )
        .await;
    assert_eq!(patient_pdf.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(patient_pdf.headers()["retry-after"], "5");
    assert_eq!(patient_pdf.headers()["referrer-policy"], "no-referrer");
    assert!(patient_pdf
        .text()
        .await
        .unwrap()
        .contains("try again in a few seconds"));
    // The page itself does not wait for renders.
    let page = app.request(reqwest::Method::GET, &path, None, None).await;
    assert_eq!(page.status(), StatusCode::OK);

    let scrape = app
        .request(
            reqwest::Method::GET,
            "/metrics",
            Some("scrape-me-0123456789abcdef"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        scrape
            .lines()
            .any(|l| l == "hep_pdf_renders_rejected_total 2"),
        "{scrape}"
    );
    assert!(
        scrape.lines().any(|l| l == "hep_pdf_renders_waiting 0"),
        "{scrape}"
    );
}

/// A GET with `If-None-Match: etag` when given, signed in with `token` when
/// given.
async fn get_if_none_match(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    etag: Option<&str>,
) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(etag) = etag {
        req = req.header("If-None-Match", etag);
    }
    req.send().await.unwrap()
}

/// The ETag of a 200 download, and its bytes.
async fn download(app: &TestApp, path: &str, token: Option<&str>) -> (String, Vec<u8>) {
    let response = get_if_none_match(app, path, token, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 20,
        "a strong ETag: {etag}"
    );
    (etag, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_same_handout_downloads_as_the_same_bytes_and_a_known_etag_is_answered_304() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let token = Some(clinic.admin_token.as_str());
    let path = format!("/api/v1/programs/{id}/handout.pdf");
    let (etag, first) = download(&app, &path, token).await;
    let (again, second) = download(&app, &path, token).await;
    assert_eq!(again, etag);
    assert!(first == second, "two downloads of one handout differ");
    let (v1, v1_bytes) = download(&app, &format!("{path}?version=1"), token).await;
    assert_eq!(v1, etag, "the latest version asked for by number");
    assert!(v1_bytes == first);

    let cached = get_if_none_match(&app, &path, token, Some(&etag)).await;
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(cached.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(cached.headers()["cache-control"], "no-store");
    assert!(cached.bytes().await.unwrap().is_empty());
    let listed = format!("\"something-else\", {etag}");
    let cached = get_if_none_match(&app, &path, token, Some(&listed)).await;
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    let stale = get_if_none_match(&app, &path, token, Some("\"something-else\"")).await;
    assert_eq!(stale.status(), StatusCode::OK);

    let mut seen = vec![etag.clone()];
    for options in ["?paper=a4", "?size=large", "?paper=a4&size=large"] {
        let other = format!("{path}{options}");
        let (tag, bytes) = download(&app, &other, token).await;
        assert!(!seen.contains(&tag), "{options}: {tag} again");
        assert!(bytes != first, "{options}");
        let answered = get_if_none_match(&app, &other, token, Some(&etag)).await;
        assert_eq!(answered.status(), StatusCode::OK, "{options}");
        seen.push(tag);
    }

    // A second version: the latest changes, version 1 stays as it was.
    let program = json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    let edited = app
        .put(
            &format!("/api/v1/programs/{id}"),
            &clinic.admin_token,
            json!({ "revision": program["revision"], "title": "Upper back, week 2" }),
        )
        .await;
    assert!(edited.status().is_success(), "{}", edited.status());
    let published = app
        .post(
            &format!("/api/v1/programs/{id}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert!(published.status().is_success(), "{}", published.status());
    let (v2, _) = download(&app, &path, token).await;
    assert!(!seen.contains(&v2), "version 2 kept an old ETag");
    let (v1_again, v1_again_bytes) = download(&app, &format!("{path}?version=1"), token).await;
    assert_eq!(v1_again, etag);
    assert!(v1_again_bytes == first);
}

#[tokio::test]
async fn a_draft_preview_keeps_its_etag_until_the_draft_changes() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let token = Some(clinic.admin_token.as_str());
    let path = format!("/api/v1/programs/{id}/handout.pdf?draft=true");
    let (etag, first) = download(&app, &path, token).await;
    let (again, second) = download(&app, &path, token).await;
    assert_eq!(again, etag);
    assert!(first == second);
    let (published_tag, _) =
        download(&app, &format!("/api/v1/programs/{id}/handout.pdf"), token).await;
    assert_ne!(published_tag, etag, "the preview is marked DRAFT");

    let program = json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    let edited = app
        .put(
            &format!("/api/v1/programs/{id}"),
            &clinic.admin_token,
            json!({ "revision": program["revision"], "notes": "Sit comfortably for two hours." }),
        )
        .await;
    assert!(edited.status().is_success(), "{}", edited.status());
    let answered = get_if_none_match(&app, &path, token, Some(&etag)).await;
    assert_eq!(answered.status(), StatusCode::OK, "the old preview's ETag");
    let changed = answered.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(changed, etag);
    assert!(answered.bytes().await.unwrap().to_vec() != first);
}

#[tokio::test]
async fn the_patients_share_link_download_is_the_same_bytes_each_time_with_an_etag() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let share = app.share_path(&clinic, &id).await;
    let path = format!("{share}/handout.pdf");
    let (etag, first) = download(&app, &path, None).await;
    let (again, second) = download(&app, &path, None).await;
    assert_eq!(again, etag);
    assert!(first == second, "two downloads from one link differ");

    let cached = get_if_none_match(&app, &path, None, Some(&etag)).await;
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(cached.headers()["cache-control"], "no-store");
    assert_eq!(cached.headers()["referrer-policy"], "no-referrer");
    assert!(cached.bytes().await.unwrap().is_empty());

    // Another link prints another URL and QR code.
    let other = app.share_path(&clinic, &id).await;
    let (other_tag, other_bytes) = download(&app, &format!("{other}/handout.pdf"), None).await;
    assert_ne!(other_tag, etag);
    assert!(other_bytes != first);
    // The clinician's copy without a link is another file too.
    let (clinician, _) = download(
        &app,
        &format!("/api/v1/programs/{id}/handout.pdf"),
        Some(clinic.admin_token.as_str()),
    )
    .await;
    assert_ne!(clinician, etag);
}

#[tokio::test]
async fn the_builder_offers_paper_and_layout_and_an_empty_paper_means_the_clinic_default() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let page = app
        .get(&format!("/programs/{id}"), &clinic.admin_token)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        r#"action="/api/v1/programs/{id}/handout.pdf" target="_blank""#
    )));
    assert!(page.contains(r#"name="paper""#) && page.contains(r#"<option value="a4">A4</option>"#));
    assert!(page.contains(r#"name="layout""#) && page.contains(r#"<option value="compact">"#));
    assert!(page.contains(r#"<option value="large">Large print</option>"#));
    assert!(page.contains(r#"name="draft" value="true""#));
    // What the form sends for "Clinic default" and "Standard".
    let path = |query: &str| format!("/api/v1/programs/{id}/handout.pdf?{query}");
    let defaults = app
        .get(&path("paper=&layout=standard"), &clinic.admin_token)
        .await;
    assert_eq!(defaults.status(), StatusCode::OK);
    let plain = app.get(&path(""), &clinic.admin_token).await;
    assert_eq!(defaults.headers()["etag"], plain.headers()["etag"]);
    let a4 = app
        .get(&path("paper=a4&layout="), &clinic.admin_token)
        .await;
    assert_eq!(a4.status(), StatusCode::OK);
    assert_ne!(a4.headers()["etag"], plain.headers()["etag"]);
    // Compact is another handout; large print is the same as `size=large`.
    let compact = app.get(&path("layout=compact"), &clinic.admin_token).await;
    assert_eq!(compact.status(), StatusCode::OK);
    assert_ne!(compact.headers()["etag"], plain.headers()["etag"]);
    let large = app.get(&path("layout=large"), &clinic.admin_token).await;
    let size_large = app.get(&path("size=large"), &clinic.admin_token).await;
    assert_eq!(large.headers()["etag"], size_large.headers()["etag"]);
    assert_ne!(large.headers()["etag"], plain.headers()["etag"]);
    let bad = app.get(&path("layout=tiny"), &clinic.admin_token).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_patient_chooses_large_print_compact_or_other_paper_on_their_page() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = published(&app, &clinic).await;
    let share = app.share_path(&clinic, &id).await;
    let page = app
        .client
        .get(format!("{}{share}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(r#"action="{share}/handout.pdf""#)));
    assert!(page.contains(r#"<option value="large">Large print</option>"#));
    assert!(
        page.contains(r#"<option value="compact">"#) && page.contains(r#"<option value="a4">"#)
    );
    let pdf = |query: &str| format!("{share}/handout.pdf?{query}");
    // The form's defaults are the plain download.
    let (plain, _) = download(&app, &format!("{share}/handout.pdf"), None).await;
    let (defaults, _) = download(&app, &pdf("layout=standard&paper="), None).await;
    assert_eq!(plain, defaults);
    let mut tags = vec![plain];
    for query in [
        "layout=large&paper=",
        "layout=compact&paper=",
        "layout=standard&paper=a4",
    ] {
        let (tag, bytes) = download(&app, &pdf(query), None).await;
        assert!(!tags.contains(&tag), "{query} is another handout");
        assert!(bytes.starts_with(b"%PDF"));
        tags.push(tag);
    }
    let bad = app
        .client
        .get(format!("{}{}", app.address, pdf("layout=huge")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.headers()["cache-control"], "no-store");
}

/// A walk by time, a band exercise by load on each side and a held stretch
/// read the same on the patient's page and in both PDFs; a wrong load or
/// time is a 422 naming the part to fix.
#[tokio::test]
async fn times_loads_and_each_side_print_as_prescribed_on_the_page_and_in_the_pdf() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Dosage Clinic").await;
    let patient = app.new_patient(&clinic, &[]).await;
    let items = json!([
        // The carry's default rest says nothing of one set, so it is not printed.
        { "exercise_id": id_of("farmer-carry"), "sets": 1, "duration_seconds": 600, "times_per_day": 2,
          "days_per_week": 7 },
        { "exercise_id": id_of("shoulder-external-rotation-band"), "sets": 2, "reps": 10,
          "each_side": true, "rest_seconds": 60, "load": { "kind": "band", "colour": "red" },
          "days_per_week": 7 },
        { "exercise_id": id_of("cross-body-stretch"), "sets": 1, "reps": 3, "hold_seconds": 30,
          "days_per_week": 7 },
    ]);
    let program = app.published_program(&clinic, &patient, items).await;
    let lines = [
        "10 minutes · twice a day · every day",
        "2 sets of 10 reps each side with a red band · rest 1 minute between sets · once a day · every day",
        "1 set of 3 reps · hold 30 s · once a day · every day",
    ];
    let stored = json_body(
        app.get(&format!("/api/v1/programs/{program}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(stored["items"][1]["dosage"]["load"]["colour"], "red");
    assert_eq!(stored["items"][1]["dosage"]["each_side"], true);
    assert_eq!(stored["items"][0]["dosage"]["duration_seconds"], 600);

    let share = app.share_path(&clinic, &program).await;
    let (_, patient_page) = page(&app.client, &app, &share).await;
    let (_, clinician_pdf) = download(
        &app,
        &format!("/api/v1/programs/{program}/handout.pdf"),
        Some(&clinic.admin_token),
    )
    .await;
    let (_, patient_pdf) = download(&app, &format!("{share}/handout.pdf"), None).await;
    for pdf in [clinician_pdf, patient_pdf] {
        let text = text_of(&lopdf::Document::load_mem(&pdf).unwrap());
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for line in lines {
            assert!(text.contains(line), "{line:?} not in the PDF: {text}");
        }
    }
    for line in lines {
        assert!(
            patient_page.contains(line),
            "{line:?} not on the patient's page"
        );
    }

    for (load, field) in [
        (
            json!({ "kind": "band", "colour": "purple" }),
            "items[0].load.colour",
        ),
        (
            json!({ "kind": "weight", "amount": 2.55, "unit": "kg" }),
            "items[0].load.amount",
        ),
        (json!({ "kind": "anvil" }), "items[0].load.kind"),
    ] {
        let response = app
            .post(
                &format!("/api/v1/patients/{patient}/programs"),
                &clinic.admin_token,
                json!({ "title": "Bad", "items": [
                    { "exercise_id": id_of("standing-row"), "sets": 2, "reps": 10, "load": load }
                ]}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json_body(response).await;
        assert!(body["fields"][field].is_string(), "{field}: {body}");
    }
    let response = app
        .post(
            &format!("/api/v1/patients/{patient}/programs"),
            &clinic.admin_token,
            json!({ "title": "Bad", "items": [
                { "exercise_id": id_of("farmer-carry"), "sets": 1, "duration_seconds": 1 }
            ]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(response).await;
    assert!(
        body["fields"]["items[0].duration_seconds"]
            .as_str()
            .unwrap()
            .contains("between 5 and 14400"),
        "{body}"
    );
}
