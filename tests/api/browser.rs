//! The whole flow in a real browser (Debian's Chromium through chromedriver):
//! a therapist signs in, creates a flexion-intolerant patient, builds a
//! program, swaps the avoided push-up for the offered standing row, publishes,
//! shares; the patient logs from the link; the therapist sees it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<(Driver, u16)> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some((Driver(child), port))
}

/// chromedriver, or `None` (the test is skipped) when it is not installed
/// outside CI; in CI it is required.
fn chromedriver_or_skip() -> Option<(Driver, u16)> {
    let found = chromedriver();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromedriver is required in CI (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromedriver is not installed");
    }
    found
}

async fn browser(port: u16, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,1400", format!("--user-data-dir={}", profile.display())
        ]}),
    );
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start");
}

async fn source(c: &Client) -> String {
    c.source().await.unwrap()
}

/// The page once it shows `text` (navigation after a click is asynchronous).
async fn wait_for(c: &Client, text: &str) -> String {
    for _ in 0..50 {
        let html = source(c).await;
        if html.contains(text) {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text:?}: {}", source(c).await);
}

async fn fill(c: &Client, css: &str, text: &str) {
    let field = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
        if std::env::var("HEP_UPDATE_SCREENSHOTS").is_ok() {
            "docs"
        } else {
            "target/screenshots"
        },
    );
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

async fn search(c: &Client, q: &str) {
    fill(c, "#q", q).await;
    click(c, "#search-form button[type=submit]").await;
}

#[tokio::test]
async fn a_therapist_builds_a_safe_program_and_the_patient_logs_from_the_link() {
    let Some((_driver, port)) = chromedriver_or_skip() else {
        return;
    };
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let (_, _) = app.add_clinician(&clinic, "therapist").await;
    let profiles = tempfile::tempdir().unwrap();
    let c = browser(port, &profiles.path().join("therapist")).await;

    // Sign in (the app redirects there first).
    c.goto(&format!("{}/patients", app.address)).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/signin"));
    fill(&c, "#email", &clinic.admin_email).await;
    fill(&c, "#password", PASSWORD).await;
    click(&c, "form button[type=submit]").await;
    wait_for(&c, "New patient").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/patients");

    // A flexion-intolerant patient.
    click(&c, "a[href='/patients/new']").await;
    wait_for(&c, "first_name").await;
    fill(&c, "#first_name", "Zoë").await;
    fill(&c, "#last_name", "Nguyễn").await;
    click(&c, "input[value=flexion-intolerant]").await;
    click(&c, "form.form button[type=submit]").await;
    let html = wait_for(&c, "id=\"new-program\"").await;
    assert!(
        html.contains("Upper back pain with rounded posture"),
        "the precaution is on the patient page"
    );

    // A new program; search "push", add the push-up.
    click(&c, "#new-program").await;
    wait_for(&c, "search-form").await;
    search(&c, "push").await;
    wait_for(&c, "Add Push-up").await;
    click(&c, "button[aria-label='Add Push-up']").await;
    let html = wait_for(&c, "1. Push-up").await;
    assert!(html.contains("Avoid: horizontal push"), "the avoid warning");
    assert!(
        html.contains("Swap in Standing row"),
        "standing row offered"
    );
    screenshot(&c, "program-builder.png").await;

    // One click swaps it in; then add thoracic extension and publish.
    let swap = c.find(Locator::Css("button.swap")).await.unwrap();
    assert_eq!(swap.text().await.unwrap(), "Swap in Standing row");
    swap.click().await.unwrap();
    let html = wait_for(&c, "1. Standing row").await;
    assert!(
        !html.contains("class=\"conflict\""),
        "no conflict left in the program"
    );
    // Its progression is one click either way.
    let easier = c.find(Locator::Css("button.step")).await.unwrap();
    assert_eq!(
        easier.text().await.unwrap(),
        "Easier: Shoulder blade squeeze"
    );
    easier.click().await.unwrap();
    wait_for(&c, "1. Shoulder blade squeeze").await;
    let harder = c.find(Locator::Css("button.step")).await.unwrap();
    assert_eq!(harder.text().await.unwrap(), "Harder: Standing row");
    harder.click().await.unwrap();
    wait_for(&c, "1. Standing row").await;
    search(&c, "thoracic").await;
    wait_for(&c, "Add Thoracic extension at a chair").await;
    click(&c, "button[aria-label='Add Thoracic extension at a chair']").await;
    wait_for(&c, "2. Thoracic extension at a chair").await;
    click(&c, "#publish").await;
    wait_for(&c, "Published version 1.").await;

    // Share it.
    click(&c, "#create-link").await;
    wait_for(&c, "id=\"new-link\"").await;
    let link = c
        .find(Locator::Css("#new-link"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(link.contains("/p/"));

    // The patient, in a fresh browser session, logs "done" with pain 3.
    let patient = browser(port, &profiles.path().join("patient")).await;
    patient.set_window_size(390, 844).await.unwrap();
    patient.goto(&link).await.unwrap();
    let page = wait_for(&patient, "Standing row").await;
    assert!(page.contains("Zoë"));
    screenshot(&patient, "patient-page-browser.png").await;
    click(&patient, "#exercise-1 input[name=done]").await;
    patient
        .find(Locator::Css("#pain-1"))
        .await
        .unwrap()
        .select_by_value("3")
        .await
        .unwrap();
    click(&patient, "#exercise-1 form.log button[type=submit]").await;
    wait_for(&patient, "Saved. Thank you!").await;
    patient.close().await.unwrap();

    // Back as the therapist: the activity is there.
    let builder = c
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_end_matches("/links")
        .to_owned();
    c.goto(&format!("{}{builder}", app.address)).await.unwrap();
    let html = wait_for(&c, "<td>3</td>").await;
    let activity = &html[html.find("id=\"activity\"").unwrap()..];
    assert!(
        activity.contains("Standing row")
            && activity.contains("Done")
            && activity.contains("<td>3</td>"),
        "{activity}"
    );
    // On a tablet the builder becomes one column; nothing is cut off.
    c.set_window_size(820, 1180).await.unwrap();
    c.refresh().await.unwrap();
    wait_for(&c, "id=\"activity\"").await;
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow.as_i64(),
        Some(0),
        "no sideways scrolling at 820 px"
    );
    screenshot(&c, "program-builder-tablet.png").await;
    c.close().await.unwrap();
}

/// Signs in through the form.
async fn sign_in(c: &Client, app: &TestApp, email: &str) {
    c.goto(&format!("{}/signin", app.address)).await.unwrap();
    fill(c, "#email", email).await;
    fill(c, "#password", PASSWORD).await;
    click(c, "form button[type=submit]").await;
    wait_for(c, "New patient").await;
}

#[tokio::test]
async fn an_admin_keeps_the_catalog_and_the_clinic_from_the_keyboard() {
    let Some((_driver, port)) = chromedriver_or_skip() else {
        return;
    };
    let app = TestApp::spawn().await;
    let clinic = app.create_clinic("Northside PT").await;
    let profiles = tempfile::tempdir().unwrap();
    let c = browser(port, &profiles.path().join("admin")).await;
    sign_in(&c, &app, &clinic.admin_email).await;

    // The first Tab lands on the skip link, and it is visible when focused.
    c.goto(&format!("{}/catalog", app.address)).await.unwrap();
    wait_for(&c, "Your clinic's exercises").await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{e004}")
        .await
        .unwrap();
    let focused = c
        .execute("return document.activeElement.className + '|' + document.activeElement.getBoundingClientRect().left", vec![])
        .await
        .unwrap();
    let focused = focused.as_str().unwrap().to_owned();
    let (class, left) = focused.split_once('|').unwrap();
    assert_eq!(class, "skip");
    assert!(
        left.parse::<f64>().unwrap() >= 0.0,
        "skip link on screen: {left}"
    );

    // A new exercise, typed and sent from the keyboard; mistakes come back
    // beside the fields with what was typed.
    c.goto(&format!("{}/catalog/exercises/new", app.address))
        .await
        .unwrap();
    fill(&c, "#name", "Banded pull-apart").await;
    fill(&c, "#summary", "Pull a band apart at chest height.").await;
    c.find(Locator::Css("#category"))
        .await
        .unwrap()
        .select_by_value("strength")
        .await
        .unwrap();
    c.find(Locator::Css("#position"))
        .await
        .unwrap()
        .select_by_value("standing")
        .await
        .unwrap();
    click(&c, "input[name=regions][value=upper-back]").await;
    click(&c, "input[name=equipment][value=resistance-band]").await;
    fill(&c, "#steps", "Hold the band at chest height.").await;
    fill(&c, "#sets", "two").await;
    // Enter in a text field sends the form.
    c.find(Locator::Css("#name"))
        .await
        .unwrap()
        .send_keys("\u{e007}")
        .await
        .unwrap();
    let html = wait_for(&c, "Nothing was saved").await;
    assert!(html.contains("id=\"steps-error\"") && html.contains("id=\"sets-error\""));
    assert!(html.contains("value=\"Banded pull-apart\""));
    screenshot(&c, "exercise-form-errors.png").await;
    c.find(Locator::Css("#steps"))
        .await
        .unwrap()
        .send_keys("\nPull your hands apart.\nReturn slowly.")
        .await
        .unwrap();
    fill(&c, "#sets", "2").await;
    fill(&c, "#cues", "Squeeze the shoulder blades.").await;
    click(&c, "form.form button[type=submit].primary").await;
    let html = wait_for(&c, "The exercise is saved").await;
    assert!(html.contains("Banded pull-apart"));

    // Its picture, uploaded through the file field.
    let picture = profiles.path().join("pull-apart.png");
    image::RgbImage::from_pixel(120, 80, image::Rgb([15, 108, 116]))
        .save(&picture)
        .unwrap();
    c.find(Locator::LinkText("Banded pull-apart"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "Picture file").await;
    c.find(Locator::Css("#image"))
        .await
        .unwrap()
        .send_keys(&picture.display().to_string())
        .await
        .unwrap();
    click(&c, "form[enctype] button[type=submit]").await;
    wait_for(&c, "The picture is stored").await;
    c.goto(&format!("{}/catalog", app.address)).await.unwrap();
    wait_for(&c, "Built-in exercises").await;
    screenshot(&c, "catalog.png").await;

    // Clinic settings: the contact line, then a new therapist.
    c.goto(&format!("{}/clinic", app.address)).await.unwrap();
    wait_for(&c, "On every handout").await;
    fill(&c, "#contact_line", "555-0100 · northside.example").await;
    click(&c, "#handout button[type=submit]").await;
    wait_for(&c, "New handouts use these settings").await;
    fill(&c, "#new_name", "Sam Ortiz").await;
    fill(&c, "#new_email", "sam@northside.test").await;
    fill(&c, "#new_password", "a long enough password").await;
    click(&c, "#staff form.panel button[type=submit]").await;
    let html = wait_for(&c, "The clinician is added").await;
    assert!(html.contains("sam@northside.test"));
    screenshot(&c, "clinic-settings.png").await;
    c.close().await.unwrap();
}
