//! Patients and programs: conflicts with alternatives, publishing versions,
//! overrides, optimistic concurrency, limits, templates and isolation.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{json_body, page, TestApp, TestClinic};
use hep::catalog::import::builtin_exercise_id as id_of;

async fn patient(app: &TestApp, clinic: &TestClinic, precautions: &[&str]) -> String {
    let response = app
        .post("/api/v1/patients", &clinic.admin_token, json!({ "first_name": "Zoë", "last_name": "Nguyễn", "external_id": "MRN-77", "precautions": precautions }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_body(response).await["id"].as_str().unwrap().to_owned()
}

fn push_up_and_extension() -> Value {
    json!({
        "title": "Upper back program",
        "notes": "Goal: sit at work without pain.",
        "items": [
            { "exercise_id": id_of("push-up"), "sets": 3, "reps": 10 },
            { "exercise_id": id_of("thoracic-extension-chair"), "sets": 1, "reps": 25 }
        ]
    })
}

async fn create_program(
    app: &TestApp,
    clinic: &TestClinic,
    patient_id: &str,
    body: Value,
) -> Value {
    let response = app
        .post(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
            body,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_body(response).await
}

#[tokio::test]
async fn a_push_up_for_a_flexion_intolerant_patient_must_be_resolved_before_publishing() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &["flexion-intolerant"]).await;
    let program = create_program(&app, &clinic, &patient_id, push_up_and_extension()).await;
    assert_eq!(program["status"], "draft");
    let conflicts = program["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{program}");
    assert_eq!(conflicts[0]["item_index"], 0);
    assert_eq!(conflicts[0]["precautions"], json!(["flexion-intolerant"]));
    assert_eq!(conflicts[0]["tags"], json!(["horizontal-push"]));
    assert_eq!(conflicts[0]["alternatives"][0]["id"], id_of("standing-row"));
    assert!(conflicts[0]["alternatives"].as_array().unwrap().len() <= 5);
    assert_eq!(program["items"][1]["verdict"]["kind"], "prefer");
    assert!(program["items"][0]["dosage_line"]
        .as_str()
        .unwrap()
        .starts_with("3 sets of 10 reps · once a day · "));

    let program_path = format!("/api/v1/programs/{}", program["id"].as_str().unwrap());
    let publish = app
        .post(
            &format!("{program_path}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(publish.status(), StatusCode::CONFLICT);
    let refused = json_body(publish).await;
    assert_eq!(refused["error"], "unresolved_conflicts");
    assert_eq!(refused["conflicts"][0]["item_index"], 0);

    // Swap in the first alternative and publish version 1.
    let mut swapped = push_up_and_extension();
    swapped["items"][0]["exercise_id"] = json!(id_of("standing-row"));
    swapped["revision"] = program["revision"].clone();
    let saved = json_body(
        app.put(&program_path, &clinic.admin_token, swapped.clone())
            .await,
    )
    .await;
    assert_eq!(saved["conflicts"], json!([]));
    let v1 = json_body(
        app.post(
            &format!("{program_path}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(v1["version"], 1);
    assert!(v1["published_at"].as_str().unwrap().ends_with('Z'));

    // Edit and publish again: version 2; version 1 reads as it was.
    swapped["items"][1]["reps"] = json!(30);
    swapped["revision"] = saved["revision"].clone();
    app.put(&program_path, &clinic.admin_token, swapped).await;
    let v2 = json_body(
        app.post(
            &format!("{program_path}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(v2["version"], 2);

    // The catalog text of an exercise changes after publishing.
    app.with_db(|conn| {
        let mut catalog = hep::catalog::builtin().unwrap();
        let row = catalog
            .exercises
            .iter_mut()
            .find(|e| e.slug == "standing-row")
            .unwrap();
        row.steps[0] = "A brand new first step.".into();
        hep::catalog::import::import(conn, &catalog).unwrap();
    })
    .await;
    let version1 = json_body(
        app.get(&format!("{program_path}?version=1"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(version1["status"], "published");
    assert_eq!(version1["version"], 1);
    assert_eq!(
        version1["items"][1]["reps"],
        Value::Null,
        "reps live in dosage"
    );
    assert_eq!(version1["items"][1]["dosage"]["reps"], 25);
    assert_ne!(
        version1["items"][0]["exercise"]["steps"][0],
        "A brand new first step."
    );
    let version2 = json_body(
        app.get(&format!("{program_path}?version=2"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(version2["items"][1]["dosage"]["reps"], 30);
    assert_eq!(
        app.get(&format!("{program_path}?version=3"), &clinic.admin_token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let versions = json_body(
        app.get(&format!("{program_path}/versions"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(versions.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_override_reason_lets_an_avoided_item_be_published_and_is_audited() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &["flexion-intolerant"]).await;
    let mut body = push_up_and_extension();
    body["items"][0]["override_reason"] = json!("Pain-free in clinic; progressing carefully");
    let program = create_program(&app, &clinic, &patient_id, body).await;
    assert_eq!(
        program["conflicts"][0]["override_reason"],
        "Pain-free in clinic; progressing carefully"
    );
    let publish = app
        .post(
            &format!(
                "/api/v1/programs/{}/publish",
                program["id"].as_str().unwrap()
            ),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(publish.status(), StatusCode::OK);
    let overrides = app
        .with_db(|conn| {
            use diesel::prelude::*;
            use hep::db::schema::audit_events as a;
            a::table
                .filter(a::action.eq("program.override"))
                .select(a::detail)
                .load::<Option<String>>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(overrides.len(), 1);
    assert!(overrides[0]
        .as_deref()
        .unwrap()
        .contains("progressing carefully"));
}

#[tokio::test]
async fn an_extension_intolerant_patient_gets_the_mirror_verdicts() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &["extension-intolerant"]).await;
    let program = create_program(
        &app,
        &clinic,
        &patient_id,
        json!({ "title": "Back", "items": [
            { "exercise_id": id_of("prone-press-up") },
            { "exercise_id": id_of("single-knee-to-chest") }
        ]}),
    )
    .await;
    assert_eq!(program["items"][0]["verdict"]["kind"], "avoid");
    assert_eq!(
        program["items"][0]["verdict"]["precautions"],
        json!(["extension-intolerant"])
    );
    assert_eq!(
        program["items"][0]["verdict"]["tags"],
        json!(["low-back-extension"])
    );
    assert_eq!(program["items"][1]["verdict"]["kind"], "prefer");
    // The precaution's own swap is knee to chest, but the program already
    // holds it, so it is not offered again.
    let alternatives = program["conflicts"][0]["alternatives"].as_array().unwrap();
    assert!(!alternatives.is_empty());
    assert!(alternatives
        .iter()
        .all(|a| a["id"] != id_of("single-knee-to-chest")));
    for alternative in alternatives {
        let exercise = json_body(
            app.get(
                &format!("/api/v1/exercises/{}", alternative["id"].as_str().unwrap()),
                &clinic.admin_token,
            )
            .await,
        )
        .await;
        assert!(!exercise["movement"]
            .as_array()
            .unwrap()
            .contains(&json!("low-back-extension")));
        assert!(exercise["difficulty"].as_u64().unwrap() <= 2, "{exercise}");
    }
}

#[tokio::test]
async fn invalid_drafts_are_422_naming_the_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &[]).await;
    let program = create_program(&app, &clinic, &patient_id, push_up_and_extension()).await;
    let path = format!("/api/v1/programs/{}", program["id"].as_str().unwrap());
    let revision = program["revision"].clone();
    let row = id_of("standing-row");
    let cases = [
        (
            json!({ "items": [{ "exercise_id": row, "reps": 0 }] }),
            "items[0].reps",
        ),
        (
            json!({ "items": [{ "exercise_id": row, "sets": 21 }] }),
            "items[0].sets",
        ),
        (
            json!({ "items": (0..51).map(|_| json!({ "exercise_id": row })).collect::<Vec<_>>() }),
            "items",
        ),
        (
            json!({ "items": [{ "exercise_id": uuid::Uuid::new_v4().to_string() }] }),
            "items[0].exercise_id",
        ),
        (json!({ "title": "x".repeat(10_000) }), "title"),
        (
            json!({ "items": [{ "exercise_id": row, "side": "middle" }] }),
            "items[0].side",
        ),
    ];
    for (mut body, field) in cases {
        body["revision"] = revision.clone();
        let response = app.put(&path, &clinic.admin_token, body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let error = json_body(response).await;
        assert!(error["fields"][field].is_string(), "{field}: {error}");
    }
    let after = json_body(app.get(&path, &clinic.admin_token).await).await;
    assert_eq!(after["revision"], revision);
    assert_eq!(after["items"], program["items"]);
    assert_eq!(after["title"], program["title"]);

    let create = app
        .post(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
            json!({ "title": "T", "items": [{ "exercise_id": row, "reps": 0 }] }),
        )
        .await;
    assert_eq!(create.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list = json_body(
        app.get(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "the refused program was not stored"
    );
}

#[tokio::test]
async fn a_save_with_a_stale_revision_is_409_not_a_silent_overwrite() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &[]).await;
    let program = create_program(&app, &clinic, &patient_id, push_up_and_extension()).await;
    let path = format!("/api/v1/programs/{}", program["id"].as_str().unwrap());
    let first = app
        .put(
            &path,
            &clinic.admin_token,
            json!({ "title": "Mine", "revision": program["revision"] }),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = app
        .put(
            &path,
            &clinic.admin_token,
            json!({ "title": "Theirs", "revision": program["revision"] }),
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert_eq!(json_body(second).await["error"], "stale_revision");
    let missing = app
        .put(
            &path,
            &clinic.admin_token,
            json!({ "title": "No revision" }),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_body(app.get(&path, &clinic.admin_token).await).await["title"],
        "Mine"
    );
}

#[tokio::test]
async fn twenty_concurrent_publishes_yield_consecutive_versions() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &[]).await;
    let program = create_program(&app, &clinic, &patient_id, push_up_and_extension()).await;
    let path = format!(
        "/api/v1/programs/{}/publish",
        program["id"].as_str().unwrap()
    );
    let publishes = (0..20).map(|_| app.post(&path, &clinic.admin_token, json!({})));
    let mut versions = Vec::new();
    for response in futures_util::future::join_all(publishes).await {
        assert_eq!(response.status(), StatusCode::OK);
        versions.push(json_body(response).await["version"].as_i64().unwrap());
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=20).collect::<Vec<_>>());
}

#[tokio::test]
async fn patients_are_searched_changed_archived_and_their_views_audited() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let id = patient(&app, &clinic, &["flexion-intolerant"]).await;
    for q in ["zoe", "NGUYEN", "mrn-77"] {
        let found = json_body(
            app.get(&format!("/api/v1/patients?q={q}"), &clinic.admin_token)
                .await,
        )
        .await;
        assert_eq!(found.as_array().unwrap().len(), 1, "{q}");
    }
    let unknown = app
        .post(
            "/api/v1/patients",
            &clinic.admin_token,
            json!({ "first_name": "A", "last_name": "B", "precautions": ["made-up"] }),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(unknown).await["fields"]["precautions"]
        .as_str()
        .unwrap()
        .contains("made-up"));

    let path = format!("/api/v1/patients/{id}");
    let changed = json_body(
        app.patch(
            &path,
            &clinic.admin_token,
            json!({ "precautions": ["extension-intolerant"], "contact": "555-0100" }),
        )
        .await,
    )
    .await;
    assert_eq!(changed["precautions"], json!(["extension-intolerant"]));
    assert_eq!(changed["first_name"], "Zoë");
    app.get(&path, &clinic.admin_token).await;
    assert_eq!(
        app.delete(&path, &clinic.admin_token).await.status(),
        StatusCode::NO_CONTENT
    );
    let list = json_body(app.get("/api/v1/patients", &clinic.admin_token).await).await;
    assert_eq!(list, json!([]));
    let archived = json_body(app.get(&path, &clinic.admin_token).await).await;
    assert!(archived["archived_at"].is_string(), "records stay");

    let events = app
        .with_db(|conn| {
            use diesel::prelude::*;
            use hep::db::schema::audit_events as a;
            a::table
                .filter(a::target_id.eq(id))
                .select((a::action, a::ip, a::detail))
                .load::<(String, Option<String>, Option<String>)>(conn)
                .unwrap()
        })
        .await;
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    for expected in [
        "patient.create",
        "patient.update",
        "patient.view",
        "patient.archive",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert!(
        events.iter().all(|e| e.1.is_some()),
        "every event has the client IP"
    );
    assert!(
        !format!("{events:?}").contains("Zoë"),
        "no names in audit events"
    );
}

#[tokio::test]
async fn templates_carry_no_patient_data_and_applying_one_reports_conflicts() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let first = patient(&app, &clinic, &[]).await;
    let mut body = push_up_and_extension();
    body["items"][0]["notes"] = json!("Zoë's left shoulder clicks");
    let program = create_program(&app, &clinic, &first, body).await;
    let saved = app
        .post(
            &format!(
                "/api/v1/programs/{}/template",
                program["id"].as_str().unwrap()
            ),
            &clinic.admin_token,
            json!({ "title": "Upper back starter" }),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let template = json_body(saved).await;
    assert!(!template.to_string().contains("Zoë"));
    assert_eq!(template["items"].as_array().unwrap().len(), 2);

    let second = patient(&app, &clinic, &["flexion-intolerant"]).await;
    let applied = create_program(
        &app,
        &clinic,
        &second,
        json!({ "template_id": template["id"] }),
    )
    .await;
    assert_eq!(applied["title"], "Upper back starter");
    assert_eq!(applied["conflicts"][0]["exercise_id"], id_of("push-up"));

    let list = json_body(app.get("/api/v1/templates", &clinic.admin_token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let path = format!("/api/v1/templates/{}", template["id"].as_str().unwrap());
    assert_eq!(
        app.delete(&path, &clinic.admin_token).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&path, &clinic.admin_token).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn everything_of_clinic_a_answers_404_to_clinic_b() {
    let app = TestApp::spawn().await;
    let a = app.create_clinic("Clinic A").await;
    let b = app.create_clinic("Clinic B").await;
    let patient_id = patient(&app, &a, &[]).await;
    let program = create_program(&app, &a, &patient_id, push_up_and_extension()).await;
    let program_id = program["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/programs/{program_id}/publish"),
        &a.admin_token,
        json!({}),
    )
    .await;
    let template = json_body(
        app.post(
            &format!("/api/v1/programs/{program_id}/template"),
            &a.admin_token,
            json!({}),
        )
        .await,
    )
    .await;
    let template_id = template["id"].as_str().unwrap();

    let patient_path = format!("/api/v1/patients/{patient_id}");
    let program_path = format!("/api/v1/programs/{program_id}");
    let checks = [
        app.get(&patient_path, &b.admin_token).await,
        app.patch(&patient_path, &b.admin_token, json!({ "first_name": "X" }))
            .await,
        app.delete(&patient_path, &b.admin_token).await,
        app.get(&format!("{patient_path}/programs"), &b.admin_token)
            .await,
        app.post(
            &format!("{patient_path}/programs"),
            &b.admin_token,
            json!({ "title": "X" }),
        )
        .await,
        app.get(&program_path, &b.admin_token).await,
        app.get(&format!("{program_path}?version=1"), &b.admin_token)
            .await,
        app.put(
            &program_path,
            &b.admin_token,
            json!({ "title": "X", "revision": 1 }),
        )
        .await,
        app.post(
            &format!("{program_path}/publish"),
            &b.admin_token,
            json!({}),
        )
        .await,
        app.get(&format!("{program_path}/versions"), &b.admin_token)
            .await,
        app.post(
            &format!("{program_path}/template"),
            &b.admin_token,
            json!({}),
        )
        .await,
        app.get(&format!("/api/v1/templates/{template_id}"), &b.admin_token)
            .await,
        app.delete(&format!("/api/v1/templates/{template_id}"), &b.admin_token)
            .await,
        app.get(
            &format!("/api/v1/exercises?patient_id={patient_id}"),
            &b.admin_token,
        )
        .await,
    ];
    for (i, response) in checks.into_iter().enumerate() {
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "check {i}");
    }
    let b_patients = json_body(app.get("/api/v1/patients", &b.admin_token).await).await;
    assert_eq!(b_patients, json!([]));
    let b_templates = json_body(app.get("/api/v1/templates", &b.admin_token).await).await;
    assert_eq!(b_templates, json!([]));
    // And clinic A's own view is intact.
    let still = json_body(app.get(&program_path, &a.admin_token).await).await;
    assert_eq!(still["title"], program["title"]);
}

#[tokio::test]
async fn saving_a_program_as_a_template_takes_the_items_given_and_checks_them() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient_id = patient(&app, &clinic, &[]).await;
    let program = create_program(&app, &clinic, &patient_id, push_up_and_extension()).await;
    let path = format!(
        "/api/v1/programs/{}/template",
        program["id"].as_str().unwrap()
    );

    let out_of_range = app
        .post(
            &path,
            &clinic.admin_token,
            json!({ "items": [{ "exercise_id": id_of("push-up"), "sets": 1, "reps": 5, "times_per_day": 0 }] }),
        )
        .await;
    assert_eq!(out_of_range.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(out_of_range).await["fields"]["items[0].times_per_day"].is_string());

    let given = app
        .post(
            &path,
            &clinic.admin_token,
            json!({ "items": [{ "exercise_id": id_of("push-up"), "sets": 4, "reps": 6 }] }),
        )
        .await;
    assert_eq!(given.status(), StatusCode::CREATED);
    let template = json_body(given).await;
    assert_eq!(template["title"], program["title"]);
    assert_eq!(template["items"].as_array().unwrap().len(), 1);
    assert_eq!(template["items"][0]["dosage"]["sets"], 4);

    let not_json = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(&clinic.admin_token)
        .body("{\"title\":")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
}

/// "Easier" / "Harder" in the builder swap in the progression's neighbour
/// with one click: the dosage stays when the new exercise is dosed the
/// same way (reps for reps) and starts from its default otherwise; the API
/// names both neighbours.
#[tokio::test]
async fn progression_steps_keep_the_dosage_where_it_fits() {
    use crate::pages::{csrf_of, signed_in_client};
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Step Clinic").await;
    let wall = json_body(
        app.get(
            &format!("/api/v1/exercises/{}", id_of("wall-push-up")),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(wall["harder"]["id"], id_of("push-up"));
    assert_eq!(wall["harder"]["name"], "Push-up");
    assert!(wall["easier"].is_null());

    let patient = app.new_patient(&clinic, &[]).await;
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{patient}/programs"),
            &clinic.admin_token,
            json!({ "title": "Steps", "items": [
                { "exercise_id": id_of("wall-push-up"), "sets": 4, "reps": 12, "times_per_day": 2 },
                { "exercise_id": id_of("glute-bridge"), "sets": 4, "reps": 12, "hold_seconds": 9 },
            ]}),
        )
        .await,
    )
    .await;
    let id = program["id"].as_str().unwrap().to_owned();
    assert_eq!(program["items"][0]["harder"]["name"], "Push-up");
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let path = format!("/programs/{id}");
    let builder = format!("{}{path}", app.address);
    for (row, to) in [("0", "push-up"), ("1", "single-leg-bridge")] {
        let (_, html) = page(&client, &app, &path).await;
        assert!(html.contains(&format!("name=\"step[{row}]\"")), "{html}");
        let typed = |i: &str, k: &str| format!("items[{i}][{k}]");
        let fields = [
            ("csrf".to_owned(), csrf_of(&html)),
            ("revision".to_owned(), revision_of(&html)),
            ("title".to_owned(), "Steps".to_owned()),
            (
                typed("0", "exercise_id"),
                program_exercise(&app, &clinic, &id, 0).await,
            ),
            (typed("0", "sets"), "4".to_owned()),
            (typed("0", "reps"), "12".to_owned()),
            (typed("0", "times_per_day"), "2".to_owned()),
            (
                typed("1", "exercise_id"),
                program_exercise(&app, &clinic, &id, 1).await,
            ),
            (typed("1", "sets"), "4".to_owned()),
            (typed("1", "reps"), "12".to_owned()),
            (typed("1", "hold_seconds"), "9".to_owned()),
            (format!("step[{row}]"), id_of(to).to_string()),
        ];
        let response = client.post(&builder).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{row}");
    }
    let saved = json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    // Wall push-up to push-up: reps for reps, so 4 × 12, twice a day, stays.
    assert_eq!(saved["items"][0]["exercise_id"], id_of("push-up"));
    assert_eq!(saved["items"][0]["dosage"]["sets"], 4);
    assert_eq!(saved["items"][0]["dosage"]["reps"], 12);
    assert_eq!(saved["items"][0]["dosage"]["times_per_day"], 2);
    // Bridge (reps with a hold) to single-leg bridge (reps): its own default.
    assert_eq!(saved["items"][1]["exercise_id"], id_of("single-leg-bridge"));
    assert!(saved["items"][1]["dosage"]["hold_seconds"].is_null());
    assert_eq!(saved["items"][1]["easier"]["name"], "Glute bridge");
    // A form sent back with a mistake keeps each item's drawing and steps.
    let (_, html) = page(&client, &app, &path).await;
    let fields = [
        ("csrf".to_owned(), csrf_of(&html)),
        ("revision".to_owned(), revision_of(&html)),
        ("title".to_owned(), "Steps".to_owned()),
        (
            "items[0][exercise_id]".to_owned(),
            id_of("push-up").to_string(),
        ),
        ("items[0][sets]".to_owned(), "lots".to_owned()),
        (
            "items[1][exercise_id]".to_owned(),
            id_of("single-leg-bridge").to_string(),
        ),
        ("items[1][sets]".to_owned(), "2".to_owned()),
        ("items[1][reps]".to_owned(), "8".to_owned()),
    ];
    let response = client.post(&builder).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"lots\""), "what was typed is kept");
    assert!(html.contains("Easier: Glute bridge"), "{html}");
    assert!(html.contains("Easier: Wall push-up"));
    assert!(html.contains(&format!(
        "/api/v1/exercises/{}/figure.svg",
        id_of("push-up")
    )));
    // A neighbour the clinic hides is no longer offered.
    let hide = app
        .post(
            &format!("/api/v1/exercises/{}/hide", id_of("glute-bridge")),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert!(hide.status().is_success(), "{}", hide.status());
    let saved = json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert!(
        saved["items"][1]["easier"].is_null(),
        "{}",
        saved["items"][1]
    );
}

async fn program_exercise(app: &TestApp, clinic: &TestClinic, id: &str, i: usize) -> String {
    let program = json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    program["items"][i]["exercise_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn revision_of(html: &str) -> String {
    let start = html.find("name=\"revision\" value=\"").unwrap() + 23;
    html[start..].split('"').next().unwrap().to_owned()
}
