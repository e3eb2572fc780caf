//! The clinician web app without a browser: sign-in redirects, CSRF,
//! security headers, errors beside fields with what was typed kept.

use reqwest::StatusCode;

use crate::helpers::{TestApp, PASSWORD};

pub async fn signed_in_client(app: &TestApp, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/signin", app.address))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("next", "/patients"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    client
}

pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    html[start..start + 32].to_owned()
}

#[tokio::test]
async fn signed_out_requests_to_pages_redirect_to_sign_in() {
    let app = TestApp::spawn().await;
    for path in ["/patients", "/patients/new", "/programs/x"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin?next="));
    }
    let signin = app
        .client
        .get(format!("{}/signin", app.address))
        .send()
        .await
        .unwrap();
    let headers = signin.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn a_form_post_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let refused = client
        .post(format!("{}/patients", app.address))
        .form(&[("first_name", "Ana"), ("last_name", "Lee")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let wrong = client
        .post(format!("{}/patients", app.address))
        .form(&[
            ("csrf", "0123456789abcdef0123456789abcdef"),
            ("first_name", "Ana"),
            ("last_name", "Lee"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let list = client
        .get(format!("{}/patients", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("Lee, Ana"), "nothing was created");
}

#[tokio::test]
async fn errors_show_beside_the_field_with_what_was_typed_kept() {
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let client = signed_in_client(&app, &clinic.admin_email).await;
    let form = client
        .get(format!("{}/patients/new", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("flexion-intolerant"),
        "precautions as checkboxes"
    );
    let response = client
        .post(format!("{}/patients", app.address))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("first_name", "Łukasz"),
            ("last_name", ""),
            ("date_of_birth", "2099-01-01"),
            ("precautions", "flexion-intolerant"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"Łukasz\""), "typed value kept");
    assert!(
        html.contains("id=\"last_name-error\""),
        "error beside the field"
    );
    assert!(html.contains("cannot be in the future"));
    assert!(
        html.contains("value=\"flexion-intolerant\" checked"),
        "checked box kept"
    );
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The colour custom properties of a stylesheet's `:root`.
fn palette(css: &str) -> std::collections::HashMap<String, String> {
    let root = &css[css.find(":root").unwrap()..];
    let root = &root[root.find('{').unwrap() + 1..root.find('}').unwrap()];
    root.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let name = name.trim();
            Some((
                name.trim_start_matches("--").to_owned(),
                value.trim().to_owned(),
            ))
        })
        .collect()
}

#[test]
fn text_colours_meet_wcag_aa_contrast_on_their_backgrounds() {
    let app = palette(include_str!("../../templates/static/app.css"));
    let patient = palette(include_str!("../../templates/static/patient.css"));
    let white = "#ffffff".to_owned();
    // (text, background) pairs the stylesheets use for normal-size text.
    let pairs = [
        (&app["ink"], &app["bg"]),
        (&app["ink"], &white),
        (&app["muted"], &app["bg"]),
        (&app["muted"], &white),
        (&app["accent-dark"], &white),
        (&white, &app["accent"]),
        (&app["avoid"], &app["avoid-bg"]),
        (&app["avoid"], &white),
        (&app["prefer"], &app["prefer-bg"]),
        (&patient["ink"], &white),
        (&patient["muted"], &white),
        (&patient["accent"], &patient["accent-soft"]),
        (&patient["warn"], &patient["warn-soft"]),
        (&white, &patient["accent"]),
    ];
    for (text, background) in pairs {
        let ratio = contrast(text, background);
        assert!(
            ratio >= 4.5,
            "{text} on {background} has contrast {ratio:.2}, below AA's 4.5"
        );
    }
}
