//! Backup and restore as the README tells it: `hep backup` copies a running
//! server's SQLite database; the copy, put in place of a database, serves
//! everything again, share link included. On PostgreSQL `hep backup` points
//! to `pg_dump`, and the README's `pg_dump -Fc` / `pg_restore` round trip is
//! checked when those tools are installed.

use std::path::Path;
use std::process::{Command, Output};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    form_token_in, fresh_database, fresh_sqlite, json_body, path_of, postgres_admin_url, TestApp,
    TestClinic, PASSWORD,
};
use hep::catalog::import::builtin_exercise_id as id_of;
use hep::db::DatabaseUrl;

/// What the restored app must still show.
struct Made {
    clinic: TestClinic,
    patient_id: String,
    program_id: String,
    link_url: String,
}

/// Clinic, patient, program, published version, link and one logged activity.
async fn make_data(app: &TestApp) -> Made {
    let clinic = app.create_clinic("Backup PT").await;
    let patient = json_body(
        app.post(
            "/api/v1/patients",
            &clinic.admin_token,
            json!({ "first_name": "Ingrid", "last_name": "Olsen" }),
        )
        .await,
    )
    .await;
    let patient_id = patient["id"].as_str().unwrap().to_owned();
    let program = json_body(
        app.post(
            &format!("/api/v1/patients/{patient_id}/programs"),
            &clinic.admin_token,
            json!({ "title": "Shoulder week 1", "notes": "Go gently.", "items": [
                { "exercise_id": id_of("standing-row"), "sets": 3, "reps": 12 }
            ]}),
        )
        .await,
    )
    .await;
    let program_id = program["id"].as_str().unwrap().to_owned();
    let published = app
        .post(
            &format!("/api/v1/programs/{program_id}/publish"),
            &clinic.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let link = app
        .post(
            &format!("/api/v1/programs/{program_id}/links"),
            &clinic.admin_token,
            json!({ "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(link.status(), StatusCode::CREATED);
    let link_url = json_body(link).await["url"].as_str().unwrap().to_owned();
    let page = app
        .request(Method::GET, &path_of(&link_url), None, None)
        .await;
    let form_token = form_token_in(&page.text().await.unwrap());
    let logged = app
        .client
        .post(format!("{}{}/log", app.address, path_of(&link_url)))
        .form(&[
            ("form_token", form_token.as_str()),
            ("exercise_id", &id_of("standing-row")),
            ("done", "yes"),
            ("pain", "2"),
            ("comment", "before the backup"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(logged.status(), StatusCode::SEE_OTHER);
    Made {
        clinic,
        patient_id,
        program_id,
        link_url,
    }
}

/// Proves `app` holds everything `make_data` made.
async fn assert_has(app: &TestApp, made: &Made) {
    let token = app.sign_in(&made.clinic.admin_email, PASSWORD).await;
    let patient = json_body(
        app.get(&format!("/api/v1/patients/{}", made.patient_id), &token)
            .await,
    )
    .await;
    assert_eq!(patient["first_name"], "Ingrid");
    let program = json_body(
        app.get(&format!("/api/v1/programs/{}", made.program_id), &token)
            .await,
    )
    .await;
    assert_eq!(program["title"], "Shoulder week 1");
    let versions: Value = json_body(
        app.get(
            &format!("/api/v1/programs/{}/versions", made.program_id),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(versions.as_array().map(Vec::len), Some(1), "{versions}");
    let activity = json_body(
        app.get(
            &format!("/api/v1/programs/{}/activity", made.program_id),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(activity[0]["comment"], "before the backup", "{activity}");
    let page = app
        .request(Method::GET, &path_of(&made.link_url), None, None)
        .await;
    assert_eq!(page.status(), StatusCode::OK, "the share link opens");
    assert!(page.text().await.unwrap().contains("Shoulder week 1"));
}

/// Runs a command off the async runtime, whose thread also serves the app.
async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("the command runs"))
        .await
        .unwrap()
}

fn hep_backup(database: &str, to: &Path, force: bool) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hep"));
    command
        .args(["backup", "--database-url", database, "--to"])
        .arg(to)
        .env_remove("HEP_DATABASE_URL");
    if force {
        command.arg("--force");
    }
    command
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_everything_including_the_share_link() {
    let (url, db) = fresh_sqlite();
    let DatabaseUrl::Sqlite(live) = url.clone() else {
        unreachable!()
    };
    let app = TestApp::spawn_on(url, db, |_| {}).await;
    let made = make_data(&app).await;

    // Writes keep landing while the copy is taken.
    let writer = {
        let (client, address) = (app.client.clone(), app.address.clone());
        let (token, program) = (made.clinic.admin_token.clone(), made.program_id.clone());
        tokio::spawn(async move {
            for n in 0..10 {
                let patient = client
                    .post(format!("{address}/api/v1/patients"))
                    .bearer_auth(&token)
                    .json(&json!({ "first_name": format!("During{n}"), "last_name": "Backup" }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(patient.status(), StatusCode::CREATED);
                let _ = client
                    .get(format!("{address}/api/v1/programs/{program}"))
                    .bearer_auth(&token)
                    .send()
                    .await;
            }
        })
    };
    let backups = tempfile::tempdir().unwrap();
    let to = backups.path().join("hep-backup.sqlite3");
    let output = run(hep_backup(&live, &to, false)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "hep backup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let size = std::fs::metadata(&to).unwrap().len();
    assert!(stdout.contains(&to.display().to_string()), "{stdout}");
    assert!(stdout.contains(&format!("{size} bytes")), "{stdout}");
    writer.await.unwrap();

    let again = run(hep_backup(&live, &to, false)).await;
    assert!(!again.status.success(), "an existing file is not replaced");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::metadata(&to).unwrap().len(), size);
    let forced = run(hep_backup(&live, &to, true)).await;
    assert!(forced.status.success());

    // Restore: a fresh location gets the backup file as its database.
    let (restored_url, restored_db) = fresh_sqlite();
    let DatabaseUrl::Sqlite(restored) = restored_url.clone() else {
        unreachable!()
    };
    std::fs::copy(&to, &restored).unwrap();
    let restored_app = TestApp::spawn_on(restored_url, restored_db, |_| {}).await;
    assert_has(&restored_app, &made).await;
}

#[tokio::test]
async fn backing_up_postgres_points_to_pg_dump() {
    let output = run(hep_backup(
        "postgres://postgres@127.0.0.1:5432/hep",
        Path::new("never-written.sqlite3"),
        false,
    ))
    .await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pg_dump") && stderr.contains("pg_restore"),
        "{stderr}"
    );
    assert!(!Path::new("never-written.sqlite3").exists());
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn the_readme_pg_dump_and_pg_restore_round_trip_restores_everything() {
    if postgres_admin_url().is_none() {
        return;
    }
    if !have("pg_dump") || !have("pg_restore") {
        eprintln!("pg_dump / pg_restore not installed: round trip not checked");
        return;
    }
    let (url, db) = fresh_database();
    let DatabaseUrl::Postgres(source) = url.clone() else {
        unreachable!()
    };
    let app = TestApp::spawn_on(url, db, |_| {}).await;
    let made = make_data(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("hep.dump");
    let mut pg_dump = Command::new("pg_dump");
    pg_dump.args(["-Fc", "-f"]).arg(&dump).arg(&source);
    let dumped = run(pg_dump).await;
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );

    let (target_url, target_db) = fresh_database();
    let DatabaseUrl::Postgres(target) = target_url.clone() else {
        unreachable!()
    };
    let mut pg_restore = Command::new("pg_restore");
    pg_restore
        .args(["--no-owner", "--exit-on-error", "-d", &target])
        .arg(&dump);
    let restored = run(pg_restore).await;
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let restored_app = TestApp::spawn_on(target_url, target_db, |_| {}).await;
    assert_has(&restored_app, &made).await;
}
