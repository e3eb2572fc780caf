//! Clinical safety v2 end to end: programs re-checked when precautions
//! change (API and pages), the caution tier, and tags of the first
//! vocabulary still understood.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{json_body, TestApp, TestClinic};
use crate::pages::signed_in_client;
use hep::catalog::import::builtin_exercise_id as id_of;

async fn program(app: &TestApp, clinic: &TestClinic, id: &str) -> Value {
    json_body(
        app.get(&format!("/api/v1/programs/{id}"), &clinic.admin_token)
            .await,
    )
    .await
}

async fn html(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_new_wrist_precaution_marks_a_published_quadruped_program_for_review_until_a_fixed_version_is_published(
) {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient = app.new_patient(&clinic, &[]).await;
    let id = app
        .published_program(
            &clinic,
            &patient,
            json!([
                { "exercise_id": id_of("quadruped-plus") },
                { "exercise_id": id_of("standing-row") }
            ]),
        )
        .await;
    let share_path = app.share_path(&clinic, &id).await;
    assert_eq!(program(&app, &clinic, &id).await["needs_review"], false);

    // The patient's wrist is found to need protecting.
    let changed = app
        .patch(
            &format!("/api/v1/patients/{patient}"),
            &clinic.admin_token,
            json!({ "precautions": ["wrist-loading-restricted"] }),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(json_body(changed).await["needs_review"], true);
    let marked = program(&app, &clinic, &id).await;
    assert_eq!(marked["needs_review"], true, "{marked}");
    assert!(marked["needs_review_since"].is_string());
    assert_eq!(
        marked["review"],
        json!([{
            "item_index": 0,
            "exercise_id": id_of("quadruped-plus"),
            "exercise_name": "Quadruped plus",
            "precautions": ["wrist-loading-restricted"],
            "tags": ["wrist-loading"]
        }])
    );
    let listed = json_body(
        app.get(
            &format!("/api/v1/patients/{patient}/programs"),
            &clinic.admin_token,
        )
        .await,
    )
    .await;
    assert_eq!(listed[0]["needs_review"], true, "{listed}");
    let patients = json_body(app.get("/api/v1/patients", &clinic.admin_token).await).await;
    assert_eq!(patients[0]["needs_review"], true);

    // The therapist sees it on the patient list, the patient page and the
    // builder, with the clashing exercise named.
    let client = signed_in_client(&app, &clinic.admin_email).await;
    assert!(html(&client, &app, "/patients")
        .await
        .contains("Needs review"));
    assert!(html(&client, &app, &format!("/patients/{patient}"))
        .await
        .contains("Needs review"));
    let builder = html(&client, &app, &format!("/programs/{id}")).await;
    assert!(builder.contains("id=\"needs-review\""));
    assert!(builder.contains("<strong>Quadruped plus</strong>: wrist loading"));

    // Nothing changes for the patient until the therapist publishes again.
    let shared = app.request(Method::GET, &share_path, None, None).await;
    assert_eq!(shared.status(), StatusCode::OK);
    let page = shared.text().await.unwrap();
    assert!(page.contains("Quadruped plus"));
    assert!(!page.contains("no weight through the hands"));

    // A fixed version: the swap the precaution offers first.
    let draft = program(&app, &clinic, &id).await;
    let swap = &draft["conflicts"][0]["alternatives"][0];
    assert_eq!(swap["id"], id_of("serratus-plus"));
    let replaced = app
        .put(
            &format!("/api/v1/programs/{id}"),
            &clinic.admin_token,
            json!({ "revision": draft["revision"], "items": [
                { "exercise_id": swap["id"] },
                { "exercise_id": id_of("standing-row") }
            ]}),
        )
        .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    // Saving the draft alone changes nothing for the patient: still marked.
    assert_eq!(program(&app, &clinic, &id).await["needs_review"], true);
    let publish = app
        .post(
            &format!("/api/v1/programs/{id}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(publish.status(), StatusCode::OK);
    let fixed = program(&app, &clinic, &id).await;
    assert_eq!(fixed["needs_review"], false);
    assert_eq!(fixed["review"], json!([]));
    assert!(!html(&client, &app, "/patients")
        .await
        .contains("Needs review"));
    let page = app
        .request(Method::GET, &share_path, None, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Serratus plus") && !page.contains("Quadruped plus"));
    assert!(
        page.contains("See your therapist if</strong> numbness or tingling"),
        "the precaution's see-your-therapist line"
    );
}

#[tokio::test]
async fn an_override_answers_the_clash_it_was_given_for_and_removing_the_precaution_clears_the_mark(
) {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient = app
        .new_patient(&clinic, &["wrist-loading-restricted"])
        .await;
    let id = app
        .published_program(
        &clinic,
        &patient,
        json!([{ "exercise_id": id_of("quadruped-plus"), "override_reason": "Padded fists, checked in clinic" }]),
    )
    .await;
    assert_eq!(program(&app, &clinic, &id).await["needs_review"], false);
    // A second precaution that also avoids it was not answered.
    app.patch(
        &format!("/api/v1/patients/{patient}"),
        &clinic.admin_token,
        json!({ "precautions": ["wrist-loading-restricted", "limited-floor-mobility"] }),
    )
    .await;
    let marked = program(&app, &clinic, &id).await;
    assert_eq!(marked["needs_review"], true);
    let named = marked["review"][0]["precautions"].as_array().unwrap();
    assert_eq!(named.len(), 2, "{marked}");
    assert!(named.contains(&json!("limited-floor-mobility")));
    app.patch(
        &format!("/api/v1/patients/{patient}"),
        &clinic.admin_token,
        json!({ "precautions": ["wrist-loading-restricted"] }),
    )
    .await;
    assert_eq!(program(&app, &clinic, &id).await["needs_review"], false);
}

#[tokio::test]
async fn a_clinic_changing_its_precautions_tags_marks_the_programs_it_now_clashes_with() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let created = app
        .post(
            "/api/v1/precautions",
            &clinic.admin_token,
            json!({
                "id": "", "label": "After our shoulder repair protocol",
                "description": "Our surgeons' early protocol.",
                "avoid": ["overhead"], "caution": ["scapular-retraction"],
                "patient_avoid": "Lifting your arm above your shoulder.",
                "patient_instead": "Arm swings and squeezes.",
                "patient_caution": "Pull the band gently.",
                "see_therapist_if": "your shoulder hurts more each week."
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let precaution = json_body(created).await;
    assert_eq!(precaution["caution"], json!(["scapular-retraction"]));
    let pid = precaution["id"].as_str().unwrap().to_owned();
    let patient = app.new_patient(&clinic, &[&pid]).await;
    let id = app
        .published_program(
            &clinic,
            &patient,
            json!([{ "exercise_id": id_of("standing-row") }]),
        )
        .await;
    let draft = program(&app, &clinic, &id).await;
    assert_eq!(draft["items"][0]["verdict"]["kind"], "caution");
    assert_eq!(draft["conflicts"], json!([]), "caution never blocks");
    assert_eq!(draft["needs_review"], false);
    let edited = app
        .patch(
            &format!("/api/v1/precautions/{pid}"),
            &clinic.admin_token,
            json!({ "avoid": ["overhead", "shoulder-resisted"] }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let marked = program(&app, &clinic, &id).await;
    assert_eq!(marked["needs_review"], true);
    assert_eq!(marked["review"][0]["tags"], json!(["shoulder-resisted"]));
}

#[tokio::test]
async fn tags_of_the_first_vocabulary_are_read_as_the_tags_they_stood_for() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    // An older client sends a v1 tag.
    let created = app
        .post(
            "/api/v1/exercises",
            &clinic.admin_token,
            json!({
                "slug": "", "name": "Slump stretch", "summary": "Round forward in a chair.",
                "regions": ["low-back"], "category": "stretch", "movement": ["flexion"],
                "equipment": ["chair"], "position": "sitting",
                "steps": ["Sit tall.", "Round forward.", "Come back up."], "cues": ["Go slowly."],
                "dosage": { "sets": 1, "reps": 5 }
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let exercise = json_body(created).await;
    assert_eq!(
        exercise["movement"],
        json!(["upper-back-flexion", "low-back-flexion", "neck-flexion"])
    );
    assert_eq!(exercise["difficulty"], 3, "the default level");

    // Rows stored under the first vocabulary are rewritten at the next
    // start, so the built-in precautions keep catching them.
    let id = exercise["id"].as_str().unwrap().to_owned();
    let patient = app.new_patient(&clinic, &["osteoporosis-spine"]).await;
    let program_id = app
        .published_program(
            &clinic,
            &patient,
            json!([{ "exercise_id": id, "override_reason": "Supervised in clinic first" }]),
        )
        .await;
    let stored_id = id.clone();
    app.with_db(move |conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(&format!(
            "UPDATE exercises SET movement = '|flexion|', content = REPLACE(content, '\"movement\":[\"upper-back-flexion\",\"low-back-flexion\",\"neck-flexion\"]', '\"movement\":[\"flexion\"]') WHERE id = '{stored_id}'"
        ))
        .unwrap();
    })
    .await;
    let old = json_body(
        app.get(&format!("/api/v1/exercises/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(old["movement"], json!(["flexion"]), "the old row as stored");
    let changed = app
        .with_db(|conn| {
            let report =
                hep::catalog::import::import(conn, &hep::catalog::builtin().unwrap()).unwrap();
            assert_eq!(report.upgraded, 1);
            assert!(report.changed_rules());
            hep::services::review::recheck_everywhere(conn).unwrap()
        })
        .await;
    let upgraded = json_body(
        app.get(&format!("/api/v1/exercises/{id}"), &clinic.admin_token)
            .await,
    )
    .await;
    assert_eq!(
        upgraded["movement"],
        json!(["upper-back-flexion", "low-back-flexion", "neck-flexion"])
    );
    // Its override answered osteoporosis when published, so nothing to review.
    assert_eq!(changed, 0);
    assert_eq!(
        program(&app, &clinic, &program_id).await["needs_review"],
        false
    );
}
