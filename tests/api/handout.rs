//! The clinician's handout endpoint: content in order, metadata without
//! patient data, paper sizes, draft preview, share link QR text.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json_body, TestApp, TestClinic};
use hep::catalog::import::builtin_exercise_id as id_of;

async fn published(app: &TestApp, clinic: &TestClinic) -> String {
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
