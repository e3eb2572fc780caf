//! Drawn exercise figures: the API route, the patient's link, the handout.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{json_body, TestApp};
use hep::catalog::import::builtin_exercise_id as id_of;

#[tokio::test]
async fn every_built_in_exercise_has_a_figure_and_different_movements_look_different() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let mut drawn = std::collections::BTreeMap::new();
    for exercise in hep::catalog::builtin().unwrap().exercises {
        let response = app
            .get(
                &format!("/api/v1/exercises/{}/figure.svg", id_of(&exercise.slug)),
                &clinic.admin_token,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{}", exercise.slug);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let svg = response.text().await.unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        drawn.insert(exercise.slug, svg);
    }
    // Exercises that move differently are drawn differently.
    for (a, b) in [
        ("glute-bridge", "seated-knee-extension"),
        ("quadruped-plus", "standing-hip-abduction"),
        ("heel-slide", "straight-leg-raise"),
        ("wall-push-up", "standing-row"),
    ] {
        assert_ne!(drawn[a], drawn[b], "{a} and {b} look the same");
    }
}

#[tokio::test]
async fn a_figure_mirrors_for_the_right_side_and_answers_clear_errors() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let path = format!("/api/v1/exercises/{}/figure.svg", id_of("glute-bridge"));
    let left = app
        .get(&path, &clinic.admin_token)
        .await
        .text()
        .await
        .unwrap();
    let right = app
        .get(&format!("{path}?side=right"), &clinic.admin_token)
        .await
        .text()
        .await
        .unwrap();
    assert!(left.contains("Start") && left.contains("Finish"));
    assert_ne!(left, right, "mirrored");
    assert_eq!(
        left,
        app.get(&format!("{path}?side=left"), &clinic.admin_token)
            .await
            .text()
            .await
            .unwrap(),
        "the same every time"
    );
    let bad = app
        .get(&format!("{path}?side=up"), &clinic.admin_token)
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(bad).await["fields"]["side"].is_string());
    let anonymous = app.request(Method::GET, &path, None, None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // A clinic's own exercise has no drawn figure.
    let own = json_body(
        app.post(
            "/api/v1/exercises",
            &clinic.admin_token,
            json!({
                "slug": "", "name": "Towel wring", "summary": "Wring a towel.",
                "regions": ["wrist-hand"], "category": "strength", "movement": [],
                "equipment": ["towel"], "position": "sitting",
                "steps": ["Hold a towel.", "Wring it.", "Relax."], "cues": ["Go slowly."],
                "dosage": { "sets": 1, "reps": 5 }
            }),
        )
        .await,
    )
    .await;
    let none = app
        .get(
            &format!(
                "/api/v1/exercises/{}/figure.svg",
                own["id"].as_str().unwrap()
            ),
            &clinic.admin_token,
        )
        .await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    // ... until it is "drawn like" a built-in exercise.
    let own_id = own["id"].as_str().unwrap();
    let drawn = app
        .patch(
            &format!("/api/v1/exercises/{own_id}"),
            &clinic.admin_token,
            json!({ "drawn_like": id_of("grip-squeeze") }),
        )
        .await;
    assert_eq!(drawn.status(), StatusCode::OK);
    let figure_path = format!("/api/v1/exercises/{own_id}/figure.svg");
    let own_svg = app.get(&figure_path, &clinic.admin_token).await;
    assert_eq!(own_svg.status(), StatusCode::OK);
    let builtin_svg = app
        .get(
            &format!("/api/v1/exercises/{}/figure.svg", id_of("grip-squeeze")),
            &clinic.admin_token,
        )
        .await
        .text()
        .await
        .unwrap();
    // The same drawing, under the clinic exercise's own name.
    let own_svg = own_svg.text().await.unwrap();
    assert!(own_svg.contains("Towel wring"));
    assert_eq!(
        own_svg.replace("Towel wring", "Ball squeeze"),
        builtin_svg.replace("Grip squeeze", "Ball squeeze")
    );
    // Only a built-in exercise with a figure can lend one.
    let refused = app
        .patch(
            &format!("/api/v1/exercises/{own_id}"),
            &clinic.admin_token,
            json!({ "drawn_like": own_id }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(refused).await["fields"]["drawn_like"].is_string());
    let cleared = app
        .patch(
            &format!("/api/v1/exercises/{own_id}"),
            &clinic.admin_token,
            json!({ "drawn_like": null }),
        )
        .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    assert_eq!(
        app.get(&figure_path, &clinic.admin_token).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_patients_link_shows_each_figure_and_the_handout_draws_them_as_vectors() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient = app.new_patient(&clinic, &[]).await;
    let id = app
        .published_program(
            &clinic,
            &patient,
            json!([
                { "exercise_id": id_of("glute-bridge") },
                { "exercise_id": id_of("standing-hip-abduction"), "side": "right" }
            ]),
        )
        .await;
    let base = app.share_path(&clinic, &id).await;
    let page = app
        .request(Method::GET, &base, None, None)
        .await
        .text()
        .await
        .unwrap();
    let right = format!(
        "{base}/figures/{}?side=right",
        id_of("standing-hip-abduction")
    );
    assert!(
        page.contains(&right),
        "the right-side item asks for the mirrored figure"
    );
    let figure = app.request(Method::GET, &right, None, None).await;
    assert_eq!(figure.status(), StatusCode::OK);
    assert_eq!(figure.headers()["content-type"], "image/svg+xml");
    assert_eq!(figure.headers()["cache-control"], "no-store");
    assert_eq!(figure.headers()["referrer-policy"], "no-referrer");
    assert!(figure.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
    // An exercise not in the program has no figure on this link.
    let other = format!("{base}/figures/{}", id_of("plank"));
    assert_eq!(
        app.request(Method::GET, &other, None, None).await.status(),
        StatusCode::NOT_FOUND
    );
    // On paper the figures are vector paths: no image in the PDF at all.
    let pdf = app
        .request(Method::GET, &format!("{base}/handout.pdf"), None, None)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(crate::links::pictures_in(&pdf), Vec::<(i64, i64)>::new());
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let first = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(first)).into_owned();
    // Round-capped limbs and Bézier discs: the figure is drawn, not pasted.
    assert!(content.contains("1 J"), "round line caps");
    assert!(
        content.contains(" c\n") || content.contains(" c "),
        "curves"
    );
}

#[tokio::test]
async fn a_ten_exercise_handout_draws_a_figure_in_every_block() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let slugs = [
        "quad-set",
        "heel-slide",
        "straight-leg-raise",
        "glute-bridge",
        "sit-to-stand",
        "mini-squat",
        "step-up",
        "heel-raise",
        "standing-hip-abduction",
        "seated-knee-extension",
    ];
    let items: Vec<_> = slugs
        .iter()
        .map(|s| json!({ "exercise_id": id_of(s) }))
        .collect();
    let patient = app.new_patient(&clinic, &[]).await;
    let id = app.published_program(&clinic, &patient, json!(items)).await;
    let pdf = app
        .get(
            &format!("/api/v1/programs/{id}/handout.pdf"),
            &clinic.admin_token,
        )
        .await
        .bytes()
        .await
        .unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let content: String = doc
        .get_pages()
        .values()
        .map(|page| String::from_utf8_lossy(&doc.get_page_content(*page)).into_owned())
        .collect();
    // Each figure is drawn inside its own q … Q with round caps set once.
    assert_eq!(content.matches("1 J").count(), slugs.len());
    assert!(crate::links::pictures_in(&pdf).is_empty());
    // Not larger than this handout was before it had figures (47.1 KB):
    // the drawings cost about 6 KB, the leaner embedded fonts save 16.
    assert!(pdf.len() < 47_100, "{} bytes", pdf.len());
}

/// `GET` with an `If-None-Match`.
async fn get_if_none_match(
    app: &TestApp,
    path: &str,
    token: &str,
    etag: &str,
) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap()
}

fn etag_of(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_figure_the_browser_has_is_not_sent_again_and_each_side_has_its_own_etag() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let path = format!("/api/v1/exercises/{}/figure.svg", id_of("glute-bridge"));
    let first = app.get(&path, &clinic.admin_token).await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = etag_of(&first);
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong: {etag}"
    );
    assert_eq!(first.headers()["cache-control"], "private, max-age=300");
    let svg = first.text().await.unwrap();

    let again = get_if_none_match(&app, &path, &clinic.admin_token, &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(etag_of(&again), etag);
    assert_eq!(again.headers()["cache-control"], "private, max-age=300");
    assert!(again.bytes().await.unwrap().is_empty(), "no body");
    // A list of tags, one of them ours, also matches.
    let listed =
        get_if_none_match(&app, &path, &clinic.admin_token, &format!("\"x\", {etag}")).await;
    assert_eq!(listed.status(), StatusCode::NOT_MODIFIED);

    let right = app
        .get(&format!("{path}?side=right"), &clinic.admin_token)
        .await;
    let right_etag = etag_of(&right);
    assert_ne!(right_etag, etag, "the mirrored drawing is another");
    assert_ne!(right.text().await.unwrap(), svg);
    let stale = get_if_none_match(
        &app,
        &format!("{path}?side=right"),
        &clinic.admin_token,
        &etag,
    )
    .await;
    assert_eq!(stale.status(), StatusCode::OK);
    assert_eq!(etag_of(&stale), right_etag);
    // Served from the cache, the drawing is the same as the first time.
    let cached = app.get(&path, &clinic.admin_token).await;
    assert_eq!(etag_of(&cached), etag);
    assert_eq!(cached.text().await.unwrap(), svg);
}

#[tokio::test]
async fn a_clinic_exercise_drawn_like_another_built_in_gets_a_new_etag_and_the_new_drawing() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let own = json_body(
        app.post(
            "/api/v1/exercises",
            &clinic.admin_token,
            json!({
                "slug": "", "name": "Towel wring", "summary": "Wring a towel.",
                "regions": ["wrist-hand"], "category": "strength", "movement": [],
                "equipment": ["towel"], "position": "sitting",
                "steps": ["Hold a towel.", "Wring it.", "Relax."], "cues": ["Go slowly."],
                "dosage": { "sets": 1, "reps": 5 },
                "drawn_like": id_of("grip-squeeze")
            }),
        )
        .await,
    )
    .await;
    let own_id = own["id"].as_str().unwrap();
    let path = format!("/api/v1/exercises/{own_id}/figure.svg");
    let before = app.get(&path, &clinic.admin_token).await;
    assert_eq!(before.status(), StatusCode::OK);
    let etag = etag_of(&before);
    let svg = before.text().await.unwrap();

    let drawn = app
        .patch(
            &format!("/api/v1/exercises/{own_id}"),
            &clinic.admin_token,
            json!({ "drawn_like": id_of("heel-raise") }),
        )
        .await;
    assert_eq!(drawn.status(), StatusCode::OK);
    let after = get_if_none_match(&app, &path, &clinic.admin_token, &etag).await;
    assert_eq!(after.status(), StatusCode::OK, "the old drawing is stale");
    let new_etag = etag_of(&after);
    assert_ne!(new_etag, etag);
    let new_svg = after.text().await.unwrap();
    let heel_raise = app
        .get(
            &format!("/api/v1/exercises/{}/figure.svg", id_of("heel-raise")),
            &clinic.admin_token,
        )
        .await
        .text()
        .await
        .unwrap();
    assert_ne!(new_svg, svg);
    assert_eq!(
        new_svg.replace("Towel wring", "X"),
        heel_raise.replace("Heel raise", "X")
    );

    // A new name is drawn under the figure's title: a new drawing too.
    let renamed = app
        .patch(
            &format!("/api/v1/exercises/{own_id}"),
            &clinic.admin_token,
            json!({ "name": "Towel twist" }),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let after = get_if_none_match(&app, &path, &clinic.admin_token, &new_etag).await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_ne!(etag_of(&after), new_etag);
    assert!(after.text().await.unwrap().contains("Towel twist"));
}

#[tokio::test]
async fn the_patients_figure_comes_from_the_cache_and_keeps_the_links_headers() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let patient = app.new_patient(&clinic, &[]).await;
    let id = app
        .published_program(
            &clinic,
            &patient,
            json!([{ "exercise_id": id_of("glute-bridge") }]),
        )
        .await;
    let base = app.share_path(&clinic, &id).await;
    let path = format!("{base}/figures/{}", id_of("glute-bridge"));
    let api = app
        .get(
            &format!("/api/v1/exercises/{}/figure.svg", id_of("glute-bridge")),
            &clinic.admin_token,
        )
        .await
        .text()
        .await
        .unwrap();
    for _ in 0..2 {
        let figure = app.request(Method::GET, &path, None, None).await;
        assert_eq!(figure.status(), StatusCode::OK);
        assert_eq!(figure.headers()["cache-control"], "no-store");
        assert_eq!(figure.headers()["x-robots-tag"], "noindex, nofollow");
        assert_eq!(figure.text().await.unwrap(), api, "the same drawing");
    }
    let not_in_program = format!("{base}/figures/{}", id_of("plank"));
    assert_eq!(
        app.request(Method::GET, &not_in_program, None, None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
