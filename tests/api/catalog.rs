//! The catalog: size, verdicts, search ranking, clinic exercises and
//! isolation, hiding, images, validation and idempotent import.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{json_body, TestApp};
use hep::catalog::import::builtin_exercise_id;

fn new_exercise(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": format!("Clinic {slug}"),
        "summary": "A clinic's own exercise.",
        "regions": ["shoulder"],
        "category": "strength",
        "movement": ["overhead"],
        "equipment": ["resistance-band"],
        "position": "standing",
        "steps": ["Stand tall.", "Lift the band.", "Lower slowly."],
        "cues": ["Breathe out as you lift."],
        "dosage": { "sets": 2, "reps": 12, "times_per_day": 1, "days_per_week": 3 }
    })
}

#[tokio::test]
async fn the_catalog_serves_at_least_100_exercises_and_10_precautions() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let response = app
        .get("/api/v1/exercises?limit=200", &clinic.admin_token)
        .await;
    let total: usize = response.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page = json_body(response).await;
    assert!(total >= 100, "{total}");
    assert_eq!(page.as_array().unwrap().len(), total.min(200));
    assert_eq!(page[0]["source"], "builtin");
    let precautions = json_body(app.get("/api/v1/precautions", &clinic.admin_token).await).await;
    assert!(precautions.as_array().unwrap().len() >= 10);
    let flexion = precautions
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "flexion-intolerant")
        .unwrap();
    assert_eq!(
        flexion["avoid"],
        json!(["upper-back-flexion", "horizontal-push"])
    );
    assert!(flexion["prefer"]
        .as_array()
        .unwrap()
        .contains(&json!("upper-back-extension")));
    assert!(flexion["see_therapist_if"]
        .as_str()
        .unwrap()
        .contains("neck"));
    let falls = precautions
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "fall-risk")
        .unwrap();
    assert!(falls["caution"]
        .as_array()
        .unwrap()
        .contains(&json!("narrow-stance")));
    assert!(falls["patient_caution"]
        .as_str()
        .unwrap()
        .contains("counter"));
}

#[tokio::test]
async fn a_flexion_intolerant_patient_gets_avoid_for_push_up_and_cat_camel_and_prefer_for_thoracic_extension(
) {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient = json_body(
        app.post("/api/v1/patients", &clinic.admin_token, json!({ "first_name": "Ana", "last_name": "Lee", "precautions": ["flexion-intolerant"] }))
            .await,
    )
    .await;
    let list = json_body(
        app.get(
            &format!(
                "/api/v1/exercises?limit=200&patient_id={}",
                patient["id"].as_str().unwrap()
            ),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    let verdict = |slug: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug}"))["verdict"]
            .clone()
    };
    for (slug, tag) in [
        ("push-up", "horizontal-push"),
        ("cat-camel", "upper-back-flexion"),
    ] {
        let v = verdict(slug);
        assert_eq!(v["kind"], "avoid", "{slug}: {v}");
        assert_eq!(v["precautions"], json!(["flexion-intolerant"]));
        assert_eq!(v["tags"], json!([tag]));
    }
    assert_eq!(verdict("thoracic-extension-chair")["kind"], "prefer");
    assert_eq!(verdict("standing-row")["kind"], "prefer");
    // Deep neck flexor work is care for forward-head posture, not trunk
    // rounding; a neck stretch is neither avoided nor preferred.
    assert_eq!(verdict("supine-chin-tuck-head-lift")["kind"], "prefer");
    assert_eq!(verdict("scalene-stretch")["kind"], "neutral");
    // Rounding the lower back is not this precaution's concern.
    assert_eq!(verdict("single-knee-to-chest")["kind"], "neutral");
    // Without a patient there is no verdict at all.
    let plain = json_body(
        app.get("/api/v1/exercises?q=push", &clinic.admin_token)
            .await,
    )
    .await;
    assert!(plain[0].get("verdict").is_none());
}

#[tokio::test]
async fn searching_the_articles_words_finds_the_articles_exercise_first() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let article = ["thoracic-extension-chair", "foam-roller-thoracic-extension"];
    for (query, expected) in [
        ("thoracic", &article[..]),
        ("THORACIC", &article[..]),
        ("serratus", &["serratus-plus"][..]),
        ("row", &["standing-row"][..]),
        ("cross%20body", &["cross-body-stretch"][..]),
        ("cross-body", &["cross-body-stretch"][..]),
    ] {
        let found = json_body(
            app.get(&format!("/api/v1/exercises?q={query}"), &clinic.admin_token)
                .await,
        )
        .await;
        let first = found[0]["slug"].as_str().unwrap_or_default();
        assert!(expected.contains(&first), "{query}: got {first}");
    }
    let accents = json_body(
        app.get("/api/v1/exercises?q=S%C3%A9rratus", &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(accents[0]["slug"], "serratus-plus");
}

#[tokio::test]
async fn filters_narrow_the_list_and_unknown_values_are_422() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let knees = json_body(
        app.get(
            "/api/v1/exercises?region=knee&category=strength&limit=200",
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert!(!knees.as_array().unwrap().is_empty());
    for e in knees.as_array().unwrap() {
        assert!(e["regions"].as_array().unwrap().contains(&json!("knee")));
        assert_eq!(e["category"], "strength");
    }
    let flexion = json_body(
        app.get(
            "/api/v1/exercises?movement=upper-back-flexion&limit=200",
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert!(flexion.as_array().unwrap().iter().all(|e| e["movement"]
        .as_array()
        .unwrap()
        .contains(&json!("upper-back-flexion"))));
    let bad = app
        .get("/api/v1/exercises?region=elbowz", &clinic.admin_token)
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(bad).await["fields"]["region"]
        .as_str()
        .unwrap()
        .contains("elbowz"));
}

#[tokio::test]
async fn a_clinic_exercise_is_invisible_to_another_clinic_and_therapists_cannot_create_one() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let created = app
        .post(
            "/api/v1/exercises",
            &a.admin_token,
            new_exercise("band-lift"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = json_body(created).await;
    assert_eq!(created["source"], "clinic");
    let id = created["id"].as_str().unwrap();

    let path = format!("/api/v1/exercises/{id}");
    assert_eq!(
        app.get(&path, &a.admin_token).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&path, &b.admin_token).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch(&path, &b.admin_token, json!({"name": "Stolen"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&path, &b.admin_token).await.status(),
        StatusCode::NOT_FOUND
    );
    let b_search = json_body(
        app.get("/api/v1/exercises?q=band%20lift", &b.admin_token)
            .await,
    )
    .await;
    assert!(b_search.as_array().unwrap().iter().all(|e| e["id"] != id));
    let a_search = json_body(
        app.get(
            "/api/v1/exercises?q=band%20lift&source=clinic",
            &a.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(a_search[0]["id"], id);

    let (_, therapist) = app.add_clinician(&a, "therapist").await;
    let refused = app
        .post("/api/v1/exercises", &therapist, new_exercise("other"))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn clinic_exercises_are_validated_edited_and_retired() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let mut bad = new_exercise("bad");
    bad["movement"] = json!(["twisting"]);
    bad["dosage"]["sets"] = json!(99);
    bad["steps"] = json!(["Only one."]);
    let refused = app
        .post("/api/v1/exercises", &clinic.admin_token, bad)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(refused).await;
    for field in ["movement", "dosage.sets", "steps"] {
        assert!(body["fields"][field].is_string(), "{field}: {body}");
    }

    let created = json_body(
        app.post(
            "/api/v1/exercises",
            &clinic.admin_token,
            new_exercise("band-lift"),
        )
        .await,
    )
    .await;
    let path = format!("/api/v1/exercises/{}", created["id"].as_str().unwrap());
    let edited = json_body(
        app.patch(
            &path,
            &clinic.admin_token,
            json!({ "name": "Band lift, slow", "dosage": { "reps": 8 } }),
        )
        .await,
    )
    .await;
    assert_eq!(edited["name"], "Band lift, slow");
    assert_eq!(edited["dosage"]["reps"], 8);
    assert_eq!(edited["dosage"]["sets"], 2, "the rest of the dosage stays");

    let builtin = format!("/api/v1/exercises/{}", builtin_exercise_id("push-up"));
    assert_eq!(
        app.patch(&builtin, &clinic.admin_token, json!({ "name": "Mine" }))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        app.delete(&path, &clinic.admin_token).await.status(),
        StatusCode::NO_CONTENT
    );
    let after = json_body(app.get(&path, &clinic.admin_token).await).await;
    assert_eq!(after["retired"], true);
    let search = json_body(
        app.get("/api/v1/exercises?q=band%20lift", &clinic.admin_token)
            .await,
    )
    .await;
    assert!(search
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"] != created["id"]));
}

#[tokio::test]
async fn an_admin_can_hide_a_builtin_exercise_for_their_clinic_only() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let push_up = builtin_exercise_id("push-up");
    let hide = app
        .post(
            &format!("/api/v1/exercises/{push_up}/hide"),
            &a.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(hide.status(), StatusCode::NO_CONTENT);
    let ids = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let a_list = ids(json_body(app.get("/api/v1/exercises?q=push", &a.admin_token).await).await);
    let b_list = ids(json_body(app.get("/api/v1/exercises?q=push", &b.admin_token).await).await);
    assert!(!a_list.contains(&push_up));
    assert!(b_list.contains(&push_up));
    app.delete(&format!("/api/v1/exercises/{push_up}/hide"), &a.admin_token)
        .await;
    let a_list = ids(json_body(app.get("/api/v1/exercises?q=push", &a.admin_token).await).await);
    assert!(a_list.contains(&push_up));
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
    image::ImageEncoder::write_image(
        encoder,
        &vec![200u8; (width * height) as usize],
        width,
        height,
        image::ExtendedColorType::L8,
    )
    .unwrap();
    bytes
}

#[tokio::test]
async fn images_are_checked_stored_per_clinic_and_served_with_their_type() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let url = format!(
        "{}/api/v1/exercises/{}/image",
        app.address,
        builtin_exercise_id("standing-row")
    );
    let put =
        |token: &str, body: Vec<u8>| app.client.put(&url).bearer_auth(token).body(body).send();

    assert_eq!(
        put(&a.admin_token, png(64, 48)).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let got = app
        .client
        .get(&url)
        .bearer_auth(&a.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), png(64, 48));
    assert_eq!(
        app.client
            .get(&url)
            .bearer_auth(&b.admin_token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let too_wide = put(&a.admin_token, png(4097, 1)).await.unwrap();
    assert_eq!(too_wide.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let not_image = put(&a.admin_token, b"GIF89a not really".to_vec())
        .await
        .unwrap();
    assert_eq!(not_image.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let huge = put(&a.admin_token, vec![0u8; 2 * 1024 * 1024 + 1])
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The stored image survived the refused uploads.
    let still = app
        .client
        .get(&url)
        .bearer_auth(&a.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(still.bytes().await.unwrap().to_vec(), png(64, 48));
}

#[test]
fn catalog_validate_passes_on_the_shipped_catalog_and_names_file_and_field_on_a_broken_copy() {
    let bin = env!("CARGO_BIN_EXE_hep");
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/exercise_catalog");
    let ok = std::process::Command::new(bin)
        .args(["catalog", "validate", shipped])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let dir = tempfile::tempdir().unwrap();
    copy_dir(std::path::Path::new(shipped), dir.path());
    let file = dir.path().join("exercises/standing-row.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("category = \"strength\"", "category = \"juggling\"");
    std::fs::write(&file, text).unwrap();
    std::fs::write(
        dir.path().join("exercises/broken.toml"),
        "slug = \"broken\"\nname = [\n",
    )
    .unwrap();
    let bad = std::process::Command::new(bin)
        .args(["catalog", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(!bad.status.success());
    assert!(
        out.contains("exercises/standing-row.toml: category: unknown value `juggling`"),
        "{out}"
    );
    assert!(out.contains("exercises/broken.toml: toml: line"), "{out}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn importing_again_changes_nothing_edits_in_place_and_retires_removed_exercises() {
    let app = TestApp::spawn().await;
    let report = app
        .with_db(|conn| {
            let mut catalog = hep::catalog::builtin().unwrap();
            let again = hep::catalog::import::import(conn, &catalog).unwrap();
            catalog.exercises[0].summary = "An edited summary.".into();
            let removed = catalog.exercises.pop().unwrap();
            let edited = hep::catalog::import::import(conn, &catalog).unwrap();
            (again, edited, removed.slug)
        })
        .await;
    let (again, edited, removed) = report;
    assert_eq!((again.inserted, again.updated, again.retired), (0, 0, 0));
    assert!(again.unchanged >= 110);
    assert_eq!((edited.inserted, edited.updated, edited.retired), (0, 1, 1));
    let clinic = app.create_clinic("Northside PT").await;
    let gone = json_body(
        app.get(
            &format!("/api/v1/exercises/{}", builtin_exercise_id(&removed)),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(gone["retired"], true, "retired, not deleted");
}

#[tokio::test]
async fn the_server_refuses_to_start_on_an_invalid_catalog_with_the_same_messages() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/exercise_catalog")),
        dir.path(),
    );
    let file = dir.path().join("exercises/push-up.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("sets = 3", "sets = 0");
    std::fs::write(&file, text).unwrap();
    let db = tempfile::tempdir().unwrap();
    let mut config = hep::config::Config::new(
        "127.0.0.1:0",
        hep::db::DatabaseUrl::Sqlite(db.path().join("x.sqlite3").to_string_lossy().into_owned()),
    );
    config.catalog_dir = Some(dir.path().to_owned());
    let err = hep::startup::Application::build(config)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("exercises/push-up.toml: dosage.sets: must be between 1 and 20"),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_patient_id_means_no_patient_in_the_catalog_search() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Empty patient").await;
    let response = app
        .get("/api/v1/exercises?q=row&patient_id=", &clinic.admin_token)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_body(response).await;
    let first = &body.as_array().unwrap()[0];
    assert!(first.get("verdict").is_none(), "{first}");
}

/// The catalog is searched by the condition an exercise serves and by its
/// difficulty; a condition or level that does not exist is a 422 naming it.
#[tokio::test]
async fn exercises_are_found_by_condition_and_difficulty() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Finding Clinic").await;
    let list = |query: &'static str| {
        let (app, token) = (&app, clinic.admin_token.clone());
        async move {
            json_body(
                app.get(&format!("/api/v1/exercises?limit=200&{query}"), &token)
                    .await,
            )
            .await
        }
    };
    let achilles = list("condition=achilles-tendinopathy").await;
    let found = achilles.as_array().unwrap();
    assert!(
        found.iter().any(|e| e["slug"] == "heel-raise"),
        "{achilles}"
    );
    assert!(found.iter().all(|e| e["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "achilles-tendinopathy")));
    let easy = list("difficulty=1&region=knee").await;
    let easy = easy.as_array().unwrap();
    assert!(easy.iter().any(|e| e["slug"] == "quad-set"));
    assert!(easy.iter().all(|e| e["difficulty"] == 1));
    let both = list("condition=knee-oa&difficulty=2").await;
    assert!(both
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["slug"] != "quad-set"));
    for (query, field) in [
        ("condition=knee-pain", "condition"),
        ("difficulty=6", "difficulty"),
        ("difficulty=hard", "difficulty"),
    ] {
        let response = app
            .get(&format!("/api/v1/exercises?{query}"), &clinic.admin_token)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        assert!(
            json_body(response).await["fields"][field].is_string(),
            "{query}"
        );
    }
}
