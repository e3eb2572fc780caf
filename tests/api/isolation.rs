//! Tenant isolation, walked over the OpenAPI document: every path and
//! method it lists is called with clinic A's ids as clinic B's admin (must
//! be 404, never 403 or 2xx, and must leave A's data as it was) and without
//! credentials (401 unless documented as public). A new route is covered the
//! moment it is documented; a path parameter or request body this file does
//! not know fails the test until it is added to `World::fill` or `body_for`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{json_body, TestApp, TestClinic};

/// One clinic with one of everything the API can address by id.
pub struct World {
    pub clinic: TestClinic,
    pub therapist_id: String,
    pub patient_id: String,
    pub patient_last_name: String,
    pub precaution_id: String,
    pub exercise_id: String,
    pub program_id: String,
    pub revision: i64,
    pub link_id: String,
    pub template_id: String,
}

pub fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
    image::ImageEncoder::write_image(
        encoder,
        &[90u8; 16 * 16],
        16,
        16,
        image::ExtendedColorType::L8,
    )
    .unwrap();
    bytes
}

async fn created(response: reqwest::Response, what: &str) -> Value {
    let status = response.status();
    let body = json_body(response).await;
    assert!(status.is_success(), "creating {what}: {status} {body}");
    body
}

impl World {
    /// Builds a clinic with an admin, a therapist, a clinic precaution and
    /// exercise (with an image), a patient, a program with a published
    /// version and a newer draft, a share link, a template and a logo.
    pub async fn build(app: &TestApp, name: &str) -> Self {
        let clinic = app.create_clinic(name).await;
        let token = clinic.admin_token.clone();
        let (therapist_id, _) = app.add_clinician(&clinic, "therapist").await;
        let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];

        let precaution = created(
            app.post(
                "/api/v1/precautions",
                &token,
                json!({
                    "id": "", "label": format!("{name} overhead rule"),
                    "description": "Overhead work irritates the shoulder.",
                    "avoid": ["overhead"], "prefer": [],
                    "patient_avoid": "Do not lift your arms above your head.",
                    "patient_instead": "Keep your elbows below your shoulders."
                }),
            )
            .await,
            "a precaution",
        )
        .await;
        let precaution_id = precaution["id"].as_str().unwrap().to_owned();

        let exercise = created(
            app.post(
                "/api/v1/exercises",
                &token,
                json!({
                    "slug": format!("band-row-{tag}"), "name": format!("{name} band row"),
                    "summary": "A clinic's own exercise.", "regions": ["shoulder"],
                    "category": "strength", "movement": ["rotation"],
                    "equipment": ["resistance-band"], "position": "standing",
                    "steps": ["Stand tall.", "Pull the band.", "Return slowly."],
                    "cues": ["Squeeze the shoulder blades."],
                    "dosage": { "sets": 2, "reps": 12, "times_per_day": 1, "days_per_week": 3 }
                }),
            )
            .await,
            "an exercise",
        )
        .await;
        let exercise_id = exercise["id"].as_str().unwrap().to_owned();
        let image = app
            .client
            .put(format!(
                "{}/api/v1/exercises/{exercise_id}/image",
                app.address
            ))
            .bearer_auth(&token)
            .header("content-type", "image/png")
            .body(png())
            .send()
            .await
            .unwrap();
        assert_eq!(image.status(), StatusCode::NO_CONTENT, "exercise image");
        let logo = app
            .client
            .put(format!("{}/api/v1/clinic/logo", app.address))
            .bearer_auth(&token)
            .header("content-type", "image/png")
            .body(png())
            .send()
            .await
            .unwrap();
        assert_eq!(logo.status(), StatusCode::NO_CONTENT, "logo");

        let patient_last_name = format!("Isolde{tag}");
        let patient = created(
            app.post(
                "/api/v1/patients",
                &token,
                json!({
                    "first_name": "Ines", "last_name": patient_last_name,
                    "date_of_birth": "1970-05-31", "external_id": format!("MRN-{tag}"),
                    "precautions": [precaution_id]
                }),
            )
            .await,
            "a patient",
        )
        .await;
        let patient_id = patient["id"].as_str().unwrap().to_owned();

        let program = created(
            app.post(
                &format!("/api/v1/patients/{patient_id}/programs"),
                &token,
                json!({ "title": "Shoulder plan", "items": [{ "exercise_id": exercise_id, "sets": 3, "reps": 10 }] }),
            )
            .await,
            "a program",
        )
        .await;
        let program_id = program["id"].as_str().unwrap().to_owned();
        created(
            app.post(
                &format!("/api/v1/programs/{program_id}/publish"),
                &token,
                json!({}),
            )
            .await,
            "version 1",
        )
        .await;
        let draft = created(
            app.put(
                &format!("/api/v1/programs/{program_id}"),
                &token,
                json!({ "revision": program["revision"], "title": "Shoulder plan, week 2" }),
            )
            .await,
            "a newer draft",
        )
        .await;
        let revision = draft["revision"].as_i64().unwrap();
        let link = created(
            app.post(
                &format!("/api/v1/programs/{program_id}/links"),
                &token,
                json!({ "expires_in_days": 30 }),
            )
            .await,
            "a link",
        )
        .await;
        let link_id = link["id"].as_str().unwrap().to_owned();
        let template = created(
            app.post(
                "/api/v1/templates",
                &token,
                json!({ "title": "Shoulder starter", "items": [{ "exercise_id": exercise_id, "sets": 2, "reps": 8 }] }),
            )
            .await,
            "a template",
        )
        .await;
        let template_id = template["id"].as_str().unwrap().to_owned();

        Self {
            clinic,
            therapist_id,
            patient_id,
            patient_last_name,
            precaution_id,
            exercise_id,
            program_id,
            revision,
            link_id,
            template_id,
        }
    }

    /// The record id a path or query parameter names, or `None` if this
    /// test does not know the parameter.
    pub fn id_for(&self, param: &str) -> Option<&str> {
        Some(match param {
            "clinician_id" => &self.therapist_id,
            "patient_id" => &self.patient_id,
            "precaution_id" => &self.precaution_id,
            "exercise_id" => &self.exercise_id,
            "program_id" => &self.program_id,
            "link_id" => &self.link_id,
            "template_id" => &self.template_id,
            _ => return None,
        })
    }

    /// Every id of this clinic's records, to look for in another's answers.
    pub fn ids(&self) -> Vec<&str> {
        vec![
            &self.clinic.id,
            &self.therapist_id,
            &self.patient_id,
            &self.patient_last_name,
            &self.precaution_id,
            &self.exercise_id,
            &self.program_id,
            &self.link_id,
            &self.template_id,
        ]
    }

    /// What the clinic's admin sees of its records; compared before and
    /// after the other clinic's attempts.
    pub async fn snapshot(&self, app: &TestApp) -> Vec<(String, String)> {
        let token = &self.clinic.admin_token;
        let mut seen = Vec::new();
        for path in [
            "/api/v1/clinic".to_owned(),
            "/api/v1/clinic/logo".to_owned(),
            format!("/api/v1/clinicians/{}", self.therapist_id),
            "/api/v1/clinicians".to_owned(),
            format!("/api/v1/patients/{}", self.patient_id),
            format!("/api/v1/patients/{}/programs", self.patient_id),
            format!("/api/v1/precautions/{}", self.precaution_id),
            format!("/api/v1/exercises/{}", self.exercise_id),
            format!("/api/v1/exercises/{}/image", self.exercise_id),
            format!("/api/v1/programs/{}", self.program_id),
            format!("/api/v1/programs/{}?version=1", self.program_id),
            format!("/api/v1/programs/{}/versions", self.program_id),
            format!("/api/v1/programs/{}/links", self.program_id),
            format!("/api/v1/templates/{}", self.template_id),
            "/api/v1/templates".to_owned(),
        ] {
            let response = app.get(&path, token).await;
            let status = response.status();
            let body = response.bytes().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{path} as its own clinic");
            seen.push((path, format!("{:x?}", sha(&body))));
        }
        seen
    }
}

fn sha(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

/// A documented operation.
pub struct Operation {
    pub method: Method,
    pub template: String,
    pub id: String,
    pub public: bool,
    pub path_params: Vec<String>,
    pub query_params: Vec<String>,
    pub has_body: bool,
}

/// Every path and method of the served OpenAPI document.
pub async fn operations(app: &TestApp) -> Vec<Operation> {
    let response = app
        .request(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc = json_body(response).await;
    let mut found = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let names = |place: &str| -> Vec<String> {
                params
                    .iter()
                    .filter(|p| p["in"] == place)
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect()
            };
            found.push(Operation {
                method,
                template: template.clone(),
                id: op["operationId"].as_str().expect("operationId").to_owned(),
                public: op["security"].as_array().is_some_and(Vec::is_empty),
                path_params: names("path"),
                query_params: names("query"),
                has_body: !op["requestBody"].is_null(),
            });
        }
    }
    assert!(
        found.len() > 40,
        "the document lists {} operations",
        found.len()
    );
    // Signing out ends the caller's session: do it last.
    found.sort_by_key(|op| op.id == "sign_out");
    found
}

/// What to send as the body of an operation: a valid request, so that a
/// missing clinic check would show as a change and not hide behind a 422.
pub enum Body {
    None,
    Json(Value),
    Png,
}

pub fn body_for(op: &Operation, world: &World) -> Body {
    if !op.has_body {
        return Body::None;
    }
    let json = match op.id.as_str() {
        "sign_in" => json!({ "email": world.clinic.admin_email, "password": "wrong password" }),
        "update_clinic" => json!({ "name": "Taken over" }),
        "create_clinician" => json!({
            "email": format!("x-{}@elsewhere.test", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            "name": "New Person", "role": "therapist", "password": "long enough password"
        }),
        "update_clinician" => json!({ "active": false }),
        "create_exercise" => json!({
            "slug": format!("other-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            "name": "Other row", "summary": "Another clinic's exercise.", "regions": ["shoulder"],
            "category": "strength", "movement": ["rotation"], "equipment": [],
            "position": "standing", "steps": ["One.", "Two.", "Three."], "cues": ["Slowly."],
            "dosage": { "sets": 1, "reps": 5 }
        }),
        "update_exercise" => json!({ "name": "Taken over" }),
        "create_precaution" => json!({
            "id": "", "label": "Other rule", "description": "Another clinic's rule.",
            "avoid": ["overhead"], "prefer": [], "patient_avoid": "Avoid it.", "patient_instead": "Do this."
        }),
        "update_precaution" => json!({ "label": "Taken over" }),
        "create_patient" => json!({ "first_name": "Other", "last_name": "Patient" }),
        "update_patient" => json!({ "first_name": "Taken", "precautions": [] }),
        "create_program" | "create_template" => json!({
            "title": "Taken over", "items": [{ "exercise_id": world.exercise_id, "sets": 1, "reps": 5 }]
        }),
        "replace_program" => {
            json!({ "revision": world.revision, "title": "Taken over", "items": [] })
        }
        "save_program_as_template" => json!({ "title": "Taken over" }),
        "create_link" => json!({ "expires_in_days": 7 }),
        "put_clinic_logo" | "put_exercise_image" => return Body::Png,
        other => panic!(
            "{other} ({} {}) takes a body this test does not know; add one to `body_for`",
            op.method, op.template
        ),
    };
    Body::Json(json)
}

/// The operation's path with `world`'s ids, and query ids where it takes them.
pub fn fill(op: &Operation, world: &World) -> String {
    let mut path = op.template.clone();
    for param in &op.path_params {
        let id = world.id_for(param).unwrap_or_else(|| {
            panic!(
                "{} {} has the path parameter `{param}` that this test cannot fill; add it to `World::id_for`",
                op.method, op.template
            )
        });
        path = path.replace(&format!("{{{param}}}"), id);
    }
    let query: Vec<String> = op
        .query_params
        .iter()
        .filter_map(|q| world.id_for(q).map(|id| format!("{q}={id}")))
        .collect();
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    path
}

/// Whether the filled-in request names one of `world`'s records.
pub fn names_a_record(op: &Operation) -> bool {
    !op.path_params.is_empty() || op.query_params.iter().any(|q| q.ends_with("_id"))
}

pub async fn send(
    app: &TestApp,
    op: &Operation,
    path: &str,
    token: Option<&str>,
    body: Body,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(op.method.clone(), format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match body {
        Body::None => request,
        Body::Json(value) => request.json(&value),
        Body::Png => request.header("content-type", "image/png").body(png()),
    };
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn another_clinic_gets_404_for_every_route_that_names_a_record_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let a = World::build(&app, "Clinic A").await;
    let b = World::build(&app, "Clinic B").await;
    let before = a.snapshot(&app).await;

    let mut checked = 0;
    for op in operations(&app).await {
        let path = fill(&op, &a);
        let response = send(
            &app,
            &op,
            &path,
            Some(&b.clinic.admin_token),
            body_for(&op, &b),
        )
        .await;
        let status = response.status();
        let text = response.text().await.unwrap();
        if names_a_record(&op) {
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{} {path} as another clinic's admin: {text}",
                op.method
            );
            assert!(
                !text.contains("no such API route"),
                "{} {path} is documented but not served",
                op.method
            );
            checked += 1;
        } else if op.method == Method::GET && status.is_success() {
            // Lists and the like: the other clinic's answer holds none of A's records.
            for id in a.ids() {
                assert!(
                    !text.contains(id),
                    "{} {path} as clinic B shows clinic A's `{id}`",
                    op.method
                );
            }
        }
    }
    assert!(checked >= 30, "only {checked} routes name a record");
    assert_eq!(
        a.snapshot(&app).await,
        before,
        "clinic A's records changed while clinic B tried their ids"
    );
}

#[tokio::test]
async fn every_route_without_credentials_is_401_except_the_documented_public_ones() {
    let app = TestApp::spawn().await;
    let a = World::build(&app, "Clinic A").await;
    let before = a.snapshot(&app).await;
    let mut public = Vec::new();
    for op in operations(&app).await {
        if op.public {
            public.push(format!("{} {}", op.method, op.template));
            continue;
        }
        let path = fill(&op, &a);
        let response = send(&app, &op, &path, None, body_for(&op, &a)).await;
        let status = response.status();
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{} {path} without credentials: {}",
            op.method,
            response.text().await.unwrap()
        );
        assert_eq!(json_body(response).await["error"], "unauthorized");
    }
    assert_eq!(
        public,
        ["GET /api/v1/openapi.json", "POST /api/v1/sessions"],
        "only sign-in and the document are public"
    );
    assert_eq!(a.snapshot(&app).await, before);
}

#[tokio::test]
async fn ids_of_another_clinic_inside_a_body_are_refused_too() {
    let app = TestApp::spawn().await;
    let a = World::build(&app, "Clinic A").await;
    let b = World::build(&app, "Clinic B").await;
    let token = &b.clinic.admin_token;

    let patient = app
        .post(
            "/api/v1/patients",
            token,
            json!({ "first_name": "Bo", "last_name": "B", "precautions": [a.precaution_id] }),
        )
        .await;
    assert_eq!(patient.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let from_template = app
        .post(
            &format!("/api/v1/patients/{}/programs", b.patient_id),
            token,
            json!({ "title": "Copy", "template_id": a.template_id }),
        )
        .await;
    assert_eq!(from_template.status(), StatusCode::NOT_FOUND);

    let with_exercise = app
        .post(
            &format!("/api/v1/patients/{}/programs", b.patient_id),
            token,
            json!({ "title": "Copy", "items": [{ "exercise_id": a.exercise_id, "sets": 1, "reps": 5 }] }),
        )
        .await;
    assert_eq!(with_exercise.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let verdicts = app
        .get(
            &format!("/api/v1/exercises?precautions={}", a.precaution_id),
            token,
        )
        .await;
    assert_eq!(verdicts.status(), StatusCode::OK);
    let body = json_body(verdicts).await;
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|e| e["verdict"]["precautions"] == json!([])),
        "another clinic's precaution judged exercises"
    );
}
