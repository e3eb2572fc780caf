//! The admin pages without a browser: the clinic's catalog (exercises,
//! precautions, images, hiding built-ins, templates) and the clinic's
//! settings and staff — forms that save, forms that come back with the
//! messages beside the fields, and who may use them.

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{json_body, page, TestApp, TestClinic};
use crate::pages::{csrf_of, signed_in_client};

/// A small real PNG.
fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(40, 30, image::Rgb([20, 120, 130]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(format!("{}{path}", app.address))
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The clinic's own exercises the builder's search finds for `q`.
async fn own_exercises(app: &TestApp, token: &str, q: &str) -> Vec<Value> {
    exercises(app, token, q)
        .await
        .into_iter()
        .filter(|e| e["source"] == "clinic")
        .collect()
}

async fn exercises(app: &TestApp, token: &str, q: &str) -> Vec<Value> {
    let found = json_body(
        app.get(
            &format!("/api/v1/exercises?q={}", q.replace(' ', "%20")),
            token,
        )
        .await,
    )
    .await;
    found.as_array().unwrap().clone()
}

const VALID_EXERCISE: [(&str, &str); 17] = [
    ("name", "Wall angel"),
    ("slug", ""),
    ("aliases", "wall slide, snow angel"),
    ("summary", "Slide the arms up a wall with the back flat."),
    ("category", "mobility"),
    ("position", "standing"),
    ("regions", "upper-back"),
    ("movement", "upper-back-extension"),
    ("difficulty", "2"),
    (
        "steps",
        "Stand with your back to a wall.\nRaise your arms to a W.\nSlide them up and down slowly.",
    ),
    ("cues", "Keep your ribs down."),
    ("stop_if", ""),
    ("sets", "2"),
    ("reps", "10"),
    ("hold_seconds", ""),
    ("times_per_day", "1"),
    ("days_per_week", "5"),
];

#[tokio::test]
async fn an_admin_creates_edits_pictures_and_retires_a_clinic_exercise() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let (status, catalog) = page(&client, &app, "/catalog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(catalog.contains("Your clinic's exercises") && catalog.contains("href=\"/clinic\""));
    let (_, form) = page(&client, &app, "/catalog/exercises/new").await;
    let csrf = csrf_of(&form);

    // Invalid: every problem at once, beside its field, typed values kept.
    let mut bad: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    bad.extend(VALID_EXERCISE.iter().map(|&(k, v)| match k {
        "steps" => (k, "Only one step."),
        "sets" => (k, "two"),
        "days_per_week" => (k, "9"),
        _ => (k, v),
    }));
    let response = post_form(&client, &app, "/catalog/exercises", &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"steps-error\""),
        "steps error beside steps"
    );
    assert!(html.contains("needs 3 to 7 entries"));
    assert!(html.contains("id=\"sets-error\"") && html.contains("enter a whole number"));
    assert!(html.contains("id=\"days_per_week-error\""));
    assert!(html.contains("value=\"Wall angel\""), "typed name kept");
    assert!(
        html.contains("value=\"upper-back-extension\" checked"),
        "checked tag kept"
    );
    assert!(own_exercises(&app, &clinic.admin_token, "wall angel")
        .await
        .is_empty());

    // Valid: saved, and the builder's search finds it.
    let mut good: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    good.extend(VALID_EXERCISE);
    let response = post_form(&client, &app, "/catalog/exercises", &good).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/catalog?done=exercise"));
    let found = own_exercises(&app, &clinic.admin_token, "wall angel").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["source"], "clinic");
    assert_eq!(found[0]["slug"], "wall-angel");
    let id = found[0]["id"].as_str().unwrap().to_owned();

    // Edit: the form shows what is stored; a change is saved.
    let (_, edit) = page(&client, &app, &format!("/catalog/exercises/{id}")).await;
    assert!(edit.contains("Slide them up and down slowly.") && edit.contains("value=\"10\""));
    let mut changed: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    changed.extend(VALID_EXERCISE.iter().map(|&(k, v)| match k {
        "name" => (k, "Wall angels"),
        "slug" => (k, "wall-angel"),
        "reps" => (k, ""),
        "hold_seconds" => (k, "20"),
        _ => (k, v),
    }));
    let response = post_form(&client, &app, &format!("/catalog/exercises/{id}"), &changed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = json_body(
        app.get(&format!("/api/v1/exercises/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(stored["name"], "Wall angels");
    assert_eq!(stored["dosage"]["hold_seconds"], 20);
    assert!(stored["dosage"]["reps"].is_null(), "{stored}");

    // A picture: a bad file is refused beside the field, a PNG is stored.
    let upload = |bytes: Vec<u8>, csrf: &str| {
        Form::new()
            .text("csrf", csrf.to_owned())
            .part("image", Part::bytes(bytes).file_name("picture.png"))
    };
    let response = client
        .post(format!("{}/catalog/exercises/{id}/image", app.address))
        .multipart(upload(b"not a picture".to_vec(), &csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("id=\"image-error\""));
    let refused = client
        .post(format!("{}/catalog/exercises/{id}/image", app.address))
        .multipart(upload(png(), "0123456789abcdef0123456789abcdef"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "CSRF on uploads");
    let response = client
        .post(format!("{}/catalog/exercises/{id}/image", app.address))
        .multipart(upload(png(), &csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let image = client
        .get(format!("{}/api/v1/exercises/{id}/image", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");

    // Retire: gone from the search and the catalog page.
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/exercises/{id}/retire"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(own_exercises(&app, &clinic.admin_token, "wall angel")
        .await
        .is_empty());
    let (_, catalog) = page(&client, &app, "/catalog").await;
    assert!(!catalog.contains("Wall angels"));
}

#[tokio::test]
async fn an_admin_hides_a_built_in_exercise_and_shows_it_again() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let push_up = exercises(&app, &clinic.admin_token, "push-up")
        .await
        .into_iter()
        .find(|e| e["slug"] == "push-up")
        .unwrap();
    let id = push_up["id"].as_str().unwrap();
    let (_, catalog) = page(&client, &app, "/catalog?q=push").await;
    let csrf = csrf_of(&catalog);
    assert!(catalog.contains(&format!("/catalog/exercises/{id}/hide")));
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/exercises/{id}/hide"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let offered = exercises(&app, &clinic.admin_token, "push-up").await;
    assert!(offered.iter().all(|e| e["id"] != id), "hidden from search");
    let (_, catalog) = page(&client, &app, "/catalog?q=push").await;
    assert!(catalog.contains(&format!("/catalog/exercises/{id}/show")));
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/exercises/{id}/show"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let offered = exercises(&app, &clinic.admin_token, "push-up").await;
    assert!(offered.iter().any(|e| e["id"] == id));
    // Built-in exercises are not edited here: their page is read-only.
    let (status, html) = page(&client, &app, &format!("/catalog/exercises/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&format!("action=\"/catalog/exercises/{id}\"")));
    let mut edit: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    edit.extend(VALID_EXERCISE);
    let response = post_form(&client, &app, &format!("/catalog/exercises/{id}"), &edit).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// A picture upload form as the catalog pages send it.
fn picture_form(bytes: Vec<u8>, csrf: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_owned())
        .part("image", Part::bytes(bytes).file_name("picture.png"))
}

async fn post_picture(
    client: &reqwest::Client,
    app: &TestApp,
    id: &str,
    form: Form,
) -> reqwest::Response {
    client
        .post(format!("{}/catalog/exercises/{id}/image", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn has_image(app: &TestApp, token: &str, id: &str) -> bool {
    let exercise = json_body(app.get(&format!("/api/v1/exercises/{id}"), token).await).await;
    exercise["has_image"].as_bool().unwrap()
}

#[tokio::test]
async fn an_admin_gives_a_built_in_exercise_the_clinics_picture_and_removes_it_again() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let other = app.create_clinic("Southside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let id = hep::catalog::import::builtin_exercise_id("standing-row");

    // The catalog's row offers the upload; the exercise's page has the form
    // beside the drawing it shows now.
    let (_, catalog) = page(&client, &app, "/catalog?q=standing%20row").await;
    let row = format!("/catalog/exercises/{id}#picture");
    assert!(catalog.contains(&row) && catalog.contains("Upload picture"));
    let (status, html) = page(&client, &app, &format!("/catalog/exercises/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&html);
    assert!(html.contains("Standing row") && html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains(&format!("/api/v1/exercises/{id}/figure.svg")));
    assert!(!html.contains("Remove picture"));

    // Not an image, or too large: the reason on the page, nothing stored.
    let response = post_picture(
        &client,
        &app,
        &id,
        picture_form(b"GIF89a...".to_vec(), &csrf),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"image-error\"") && html.contains("must be a PNG or JPEG file"));
    assert!(html.contains("The picture was not stored"));
    let big = vec![0u8; 2 * 1024 * 1024 + 1];
    let response = post_picture(&client, &app, &id, picture_form(big, &csrf)).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"image-error\"") && html.contains("larger than 2 MB"),
        "{html}"
    );
    assert!(!has_image(&app, &clinic.admin_token, &id).await);
    // The form's token is checked as on every admin form.
    let refused = post_picture(&client, &app, &id, picture_form(png(), &"0".repeat(32))).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // A PNG is stored: the API, the catalog and a patient's link show it.
    let response = post_picture(&client, &app, &id, picture_form(png(), &csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/catalog/exercises/{id}?done=picture#picture")
    );
    assert!(has_image(&app, &clinic.admin_token, &id).await);
    let image = app
        .get(
            &format!("/api/v1/exercises/{id}/image"),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    let (_, html) = page(
        &client,
        &app,
        &format!("/catalog/exercises/{id}?done=picture"),
    )
    .await;
    assert!(
        html.contains("The picture is stored") && html.contains("Remove picture, use the drawing")
    );
    assert!(html.contains(&format!("/api/v1/exercises/{id}/image?v=")));
    let (_, catalog) = page(&client, &app, "/catalog?q=standing%20row").await;
    assert!(catalog.contains("Your picture") && catalog.contains("Change picture"));
    let patient = app.new_patient(&clinic, &[]).await;
    let program = app
        .published_program(
            &clinic,
            &patient,
            serde_json::json!([{ "exercise_id": id }]),
        )
        .await;
    let share = app.share_path(&clinic, &program).await;
    let patient_page = app
        .request(reqwest::Method::GET, &share, None, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(patient_page.contains(&format!("{share}/images/{id}")));
    assert!(
        !patient_page.contains(&format!("{share}/figures/{id}")),
        "the picture wins"
    );

    // Pictures are the clinic's: another clinic still sees the drawing.
    assert!(!has_image(&app, &other.admin_token, &id).await);
    let theirs = app
        .get(&format!("/api/v1/exercises/{id}/image"), &other.admin_token)
        .await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let other_client = signed_in_client(&app, &other.admin_email).await;
    let (_, catalog) = page(&other_client, &app, "/catalog?q=standing%20row").await;
    assert!(!catalog.contains("Your picture") && catalog.contains("Upload picture"));

    // Removed: the drawing is back.
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/exercises/{id}/image/delete"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/catalog/exercises/{id}?done=picture-removed#picture")
    );
    assert!(!has_image(&app, &clinic.admin_token, &id).await);
    let (_, html) = page(
        &client,
        &app,
        &format!("/catalog/exercises/{id}?done=picture-removed"),
    )
    .await;
    assert!(html.contains("The picture is removed"));
    assert!(
        html.contains(&format!("/api/v1/exercises/{id}/figure.svg"))
            && !html.contains("Remove picture")
    );
    // The program already published keeps the picture it was published with.
    let patient_page = app
        .request(reqwest::Method::GET, &share, None, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(patient_page.contains(&format!("{share}/images/{id}")));
}

/// A draft for a new patient of `clinic` with these items; returns its id.
async fn draft(app: &TestApp, clinic: &TestClinic, items: Value) -> String {
    let patient = app.new_patient(clinic, &[]).await;
    let response = app
        .post(
            &format!("/api/v1/patients/{patient}/programs"),
            &clinic.admin_token,
            serde_json::json!({ "title": "Home program", "items": items }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_body(response).await["id"].as_str().unwrap().to_owned()
}

/// The address of the `<img class="{class}">` shown for exercise `id`, if any.
fn img_src(html: &str, class: &str, id: &str) -> Option<String> {
    let prefix = format!("<img class=\"{class}\" src=\"");
    let at = html.find(&format!("{prefix}/api/v1/exercises/{id}/"))? + prefix.len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_owned())
}

#[tokio::test]
async fn the_builder_shows_the_clinics_picture_instead_of_the_drawing() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let other = app.create_clinic("Southside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let row = hep::catalog::import::builtin_exercise_id("standing-row");
    let bridge = hep::catalog::import::builtin_exercise_id("glute-bridge");
    let items = serde_json::json!([
        { "exercise_id": row, "side": "right" },
        { "exercise_id": bridge, "side": "right" },
    ]);
    let program = draft(&app, &clinic, items.clone()).await;
    let builder = format!("/programs/{program}?q=standing%20row");
    let drawing = format!("/api/v1/exercises/{row}/figure.svg");
    let (_, html) = page(&client, &app, &builder).await;
    assert_eq!(img_src(&html, "thumb", &row), Some(drawing.clone()));
    assert_eq!(
        img_src(&html, "item-figure", &row),
        Some(format!("{drawing}?side=right"))
    );

    // The admin uploads a picture for the built-in exercise.
    let (_, form) = page(&client, &app, &format!("/catalog/exercises/{row}")).await;
    let csrf = csrf_of(&form);
    let response = post_picture(&client, &app, &row, picture_form(png(), &csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // The search result and the draft's item show it, not the drawing.
    let (status, html) = page(&client, &app, &builder).await;
    assert_eq!(status, StatusCode::OK);
    let picture = img_src(&html, "thumb", &row).expect("a thumbnail");
    assert!(picture.starts_with(&format!("/api/v1/exercises/{row}/image?v=")));
    assert_eq!(img_src(&html, "item-figure", &row), Some(picture.clone()));
    assert!(!html.contains(&drawing), "the picture wins");
    let image = client
        .get(format!("{}{picture}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    // An exercise without a picture still shows its drawing, mirrored.
    assert_eq!(
        img_src(&html, "item-figure", &bridge),
        Some(format!("/api/v1/exercises/{bridge}/figure.svg?side=right"))
    );

    // A replaced picture gets a new address, so no browser shows the old one.
    let response = post_picture(&client, &app, &row, picture_form(png(), &csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&client, &app, &builder).await;
    let replaced = img_src(&html, "item-figure", &row).expect("a picture");
    assert!(replaced.starts_with(&format!("/api/v1/exercises/{row}/image?v=")));
    assert_ne!(replaced, picture);

    // Another clinic still sees the drawing of the same exercise.
    let theirs = draft(&app, &other, items).await;
    let other_client = signed_in_client(&app, &other.admin_email).await;
    let (_, html) = page(
        &other_client,
        &app,
        &format!("/programs/{theirs}?q=standing%20row"),
    )
    .await;
    assert_eq!(img_src(&html, "thumb", &row), Some(drawing.clone()));
    assert_eq!(
        img_src(&html, "item-figure", &row),
        Some(format!("{drawing}?side=right"))
    );
    assert!(!html.contains("/image?v="));
}

#[tokio::test]
async fn a_therapist_cannot_upload_or_remove_a_built_in_exercises_picture() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = hep::catalog::import::builtin_exercise_id("standing-row");
    let admin = signed_in_client(&app, &clinic.admin_email).await;
    let (_, html) = page(&admin, &app, &format!("/catalog/exercises/{id}")).await;
    let response = post_picture(&admin, &app, &id, picture_form(png(), &csrf_of(&html))).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (_, token) = app.add_clinician(&clinic, "therapist").await;
    let me = json_body(app.get("/api/v1/me", &token).await).await;
    let client = signed_in_client(&app, me["email"].as_str().unwrap()).await;
    let (_, patients) = page(&client, &app, "/patients").await;
    let csrf = csrf_of(&patients);
    let (status, html) = page(&client, &app, &format!("/catalog/exercises/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("Upload picture"));
    let response = post_picture(&client, &app, &id, picture_form(png(), &csrf)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/exercises/{id}/image/delete"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        has_image(&app, &clinic.admin_token, &id).await,
        "still there"
    );
}

#[tokio::test]
async fn an_admin_adds_a_precaution_with_a_swap_and_mistakes_come_back_beside_the_fields() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let (_, form) = page(&client, &app, "/catalog/precautions/new").await;
    let csrf = csrf_of(&form);
    let id_of = |slug: &'static str| {
        let app = &app;
        let token = clinic.admin_token.clone();
        async move {
            exercises(app, &token, slug)
                .await
                .into_iter()
                .find(|e| e["slug"] == slug)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let push_up = id_of("push-up").await;
    let row = id_of("standing-row").await;
    let fields = |label: &'static str, to: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.clone()),
            ("label", label.to_owned()),
            ("slug", String::new()),
            ("description", "After a shoulder repair.".into()),
            ("patient_avoid", "Don't push your body weight.".into()),
            ("patient_instead", "Pull with a band instead.".into()),
            ("avoid", "upper-back-flexion".into()),
            ("prefer", "upper-back-flexion".into()),
            ("sub_from", push_up.clone()),
            ("sub_to", to.to_owned()),
            ("sub_reason", "Pulling spares the repair.".into()),
            ("sub_from", String::new()),
            ("sub_to", String::new()),
            ("sub_reason", String::new()),
        ]
    };
    let bad = fields("", &push_up);
    let response = client
        .post(format!("{}/catalog/precautions", app.address))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"label-error\""));
    assert!(html.contains("cannot be both avoided and preferred"));
    assert!(html.contains("cannot substitute an exercise for itself"));
    assert!(
        html.contains("Pulling spares the repair."),
        "typed reason kept"
    );

    let mut good = fields("No push-ups after repair", &row);
    good.retain(|(k, v)| !(*k == "prefer" && v == "upper-back-flexion"));
    let response = client
        .post(format!("{}/catalog/precautions", app.address))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = json_body(app.get("/api/v1/precautions", &clinic.admin_token).await).await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == "No push-ups after repair")
        .unwrap()
        .clone();
    let (_, catalog) = page(&client, &app, "/catalog").await;
    assert!(catalog.contains("No push-ups after repair"));
    let pid = mine["id"].as_str().unwrap();
    let (_, edit) = page(&client, &app, &format!("/catalog/precautions/{pid}")).await;
    assert!(
        edit.contains(&format!("<option value=\"{row}\" selected")),
        "the swap is shown"
    );
    // Sending the edit form changes this precaution; it adds no other.
    let mut renamed = fields("No push-ups while healing", &row);
    renamed.retain(|(k, v)| !(*k == "prefer" && v == "upper-back-flexion"));
    // As the edit page fills it in: the slug made at creation.
    for (k, v) in &mut renamed {
        if *k == "slug" {
            *v = "no-push-ups-after-repair".into();
        }
    }
    let response = client
        .post(format!("{}/catalog/precautions/{pid}", app.address))
        .form(&renamed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after = json_body(app.get("/api/v1/precautions", &clinic.admin_token).await).await;
    assert_eq!(
        after.as_array().unwrap().len(),
        list.as_array().unwrap().len()
    );
    let changed = json_body(
        app.get(&format!("/api/v1/precautions/{pid}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(changed["label"], "No push-ups while healing");
    let response = post_form(
        &client,
        &app,
        &format!("/catalog/precautions/{pid}/retire"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = json_body(app.get("/api/v1/precautions", &clinic.admin_token).await).await;
    assert!(list.as_array().unwrap().iter().all(|p| p["id"] != pid));
}

#[tokio::test]
async fn an_admin_keeps_the_clinic_settings_logo_and_staff() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let (status, settings) = page(&client, &app, "/clinic").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&settings);

    let response = post_form(
        &client,
        &app,
        "/clinic",
        &[
            ("csrf", &csrf),
            ("name", "   "),
            ("contact_line", "555-0100"),
            ("default_paper", "legal"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"name-error\"") && html.contains("id=\"default_paper-error\""));
    assert!(html.contains("value=\"555-0100\""), "typed value kept");
    let response = post_form(
        &client,
        &app,
        "/clinic",
        &[
            ("csrf", &csrf),
            ("name", "Northside Physio"),
            ("contact_line", "555-0100 · northside.example"),
            ("default_paper", "a4"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = json_body(app.get("/api/v1/clinic", &clinic.admin_token).await).await;
    assert_eq!(stored["name"], "Northside Physio");
    assert_eq!(stored["default_paper"], "a4");

    let logo = Form::new()
        .text("csrf", csrf.clone())
        .part("logo", Part::bytes(png()).file_name("logo.png"));
    let response = client
        .post(format!("{}/clinic/logo", app.address))
        .multipart(logo)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = json_body(app.get("/api/v1/clinic", &clinic.admin_token).await).await;
    assert_eq!(stored["has_logo"], true);
    let response = post_form(&client, &app, "/clinic/logo/delete", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = json_body(app.get("/api/v1/clinic", &clinic.admin_token).await).await;
    assert_eq!(stored["has_logo"], false);

    // Add a clinician: a short password comes back beside the field and is
    // never echoed; then a valid one signs in.
    let secret = "short";
    let response = post_form(
        &client,
        &app,
        "/clinic/clinicians",
        &[
            ("csrf", &csrf),
            ("new_name", "Sam Ortiz"),
            ("new_email", "sam@northside.test"),
            ("new_role", "therapist"),
            ("new_password", secret),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"new_password-error\""));
    assert!(html.contains("value=\"sam@northside.test\""));
    assert!(!html.contains("value=\"short\""), "password not echoed");
    let password = "a long enough password";
    let response = post_form(
        &client,
        &app,
        "/clinic/clinicians",
        &[
            ("csrf", &csrf),
            ("new_name", "Sam Ortiz"),
            ("new_email", "sam@northside.test"),
            ("new_role", "therapist"),
            ("new_password", password),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sam_token = app.sign_in("sam@northside.test", password).await;
    let sam = json_body(app.get("/api/v1/me", &sam_token).await).await;
    let sam_id = sam["id"].as_str().unwrap().to_owned();
    assert_eq!(sam["role"], "therapist");

    let response = post_form(
        &client,
        &app,
        &format!("/clinic/clinicians/{sam_id}"),
        &[("csrf", &csrf), ("change", "role"), ("role", "admin")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sam = json_body(app.get("/api/v1/me", &sam_token).await).await;
    assert_eq!(sam["role"], "admin");

    let response = post_form(
        &client,
        &app,
        &format!("/clinic/clinicians/{sam_id}"),
        &[("csrf", &csrf), ("change", "deactivate")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/me", &sam_token).await.status(),
        StatusCode::UNAUTHORIZED,
        "deactivation ends the sessions"
    );
    let (_, settings) = page(&client, &app, "/clinic").await;
    assert!(settings.contains("Deactivated") && settings.contains("Reactivate"));

    // The clinic keeps one active admin: the last one cannot step down.
    let me = json_body(app.get("/api/v1/me", &clinic.admin_token).await).await;
    let response = post_form(
        &client,
        &app,
        &format!("/clinic/clinicians/{}", me["id"].as_str().unwrap()),
        &[("csrf", &csrf), ("change", "role"), ("role", "therapist")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains("only active admin"));
}

#[tokio::test]
async fn therapists_cannot_open_the_admin_pages_nor_post_their_forms() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let (_, token) = app.add_clinician(&clinic, "therapist").await;
    let me = json_body(app.get("/api/v1/me", &token).await).await;
    let email = me["email"].as_str().unwrap().to_owned();
    let client = signed_in_client(&app, &email).await;
    let (_, patients) = page(&client, &app, "/patients").await;
    assert!(!patients.contains("href=\"/catalog\""), "no admin links");
    let csrf = csrf_of(&patients);
    for path in ["/catalog", "/catalog/exercises/new", "/clinic"] {
        let (status, html) = page(&client, &app, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(html.contains("only a clinic admin"), "{path}");
    }
    let response = post_form(
        &client,
        &app,
        "/clinic",
        &[
            ("csrf", &csrf),
            ("name", "Taken over"),
            ("contact_line", ""),
            ("default_paper", "a4"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let stored = json_body(app.get("/api/v1/clinic", &clinic.admin_token).await).await;
    assert_eq!(stored["name"], "Northside PT");
}

#[tokio::test]
async fn admin_forms_without_the_csrf_token_are_refused_and_signed_out_visits_go_to_sign_in() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    for (path, fields) in [
        ("/catalog/exercises", VALID_EXERCISE.to_vec()),
        (
            "/clinic",
            vec![("name", "X"), ("contact_line", ""), ("default_paper", "a4")],
        ),
    ] {
        let response = post_form(&client, &app, path, &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in ["/catalog", "/catalog/precautions/new", "/clinic"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&response).starts_with("/signin?next="));
    }
}
