//! `hep serve --demo`: a demo clinic with an admin, a therapist, two
//! patients and a published program with a share link, to try the app with.
//! Idempotent: an existing demo clinic is left as it is.

use crate::db::{clinicians, DbConn};
use crate::domain::dosage::DosageInput;
use crate::domain::ids::ExerciseId;
use crate::domain::patient::PatientInput;
use crate::domain::program::ItemInput;
use crate::error::AppError;
use crate::services::accounts::{self, Actor, NewClinician};
use crate::services::programs::DraftInput;
use crate::services::{links, patients, programs};

pub const CLINIC_NAME: &str = "Demo Physio Clinic";
pub const ADMIN_EMAIL: &str = "admin@demo.hep.test";
pub const THERAPIST_EMAIL: &str = "therapist@demo.hep.test";
/// Demo-only credentials, printed at start; never use them for real data.
pub const PASSWORD: &str = "demo-password";

fn item(slug: &str, sets: i64, reps: Option<i64>, hold: Option<i64>) -> ItemInput {
    ItemInput {
        exercise_id: ExerciseId::builtin(slug),
        dosage: DosageInput {
            sets: Some(sets),
            reps,
            hold_seconds: hold,
            ..DosageInput::default()
        },
        ..ItemInput::default()
    }
}

fn patient(first: &str, last: &str, chart: &str, precautions: &[&str]) -> PatientInput {
    PatientInput {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        external_id: Some(Some(chart.into())),
        precautions: Some(precautions.iter().map(|p| (*p).to_owned()).collect()),
        ..PatientInput::default()
    }
}

/// Creates the demo data if absent and returns how to sign in (and the
/// demo share link, printed only when the data is first created).
pub fn ensure(conn: &mut DbConn, base_url: &str) -> Result<String, AppError> {
    let mut lines = vec![format!(
        "Demo data ready. Sign in as {THERAPIST_EMAIL} (therapist) or {ADMIN_EMAIL} (admin), password \"{PASSWORD}\"."
    )];
    if clinicians::find_by_email(conn, ADMIN_EMAIL)?.is_some() {
        return Ok(lines.join("\n"));
    }
    let admin = NewClinician::parse(ADMIN_EMAIL, "Alex Admin", "admin", PASSWORD)?;
    let (clinic, admin_row) = accounts::create_clinic(conn, CLINIC_NAME, admin)?;
    let clinic_id = clinic.id;
    let admin_actor = Actor {
        clinic_id: Some(clinic_id),
        clinician_id: Some(admin_row.id),
        ip: None,
    };
    let therapist = NewClinician::parse(THERAPIST_EMAIL, "Terry Therapist", "therapist", PASSWORD)?;
    let therapist_row = accounts::create_clinician(conn, &admin_actor, clinic_id, therapist)?;
    let actor = Actor {
        clinic_id: Some(clinic_id),
        clinician_id: Some(therapist_row.id),
        ip: None,
    };

    let ana = patients::create(
        conn,
        &actor,
        clinic_id,
        patient("Ana", "Silva", "DEMO-001", &["flexion-intolerant"]),
    )?;
    patients::create(
        conn,
        &actor,
        clinic_id,
        patient("Łukasz", "Ørsted", "DEMO-002", &["extension-intolerant"]),
    )?;
    let draft = DraftInput {
        title: Some("Upper back: move and strengthen".into()),
        notes: Some(
            "Sit at your desk for an hour without upper back pain. Move first, then strengthen."
                .into(),
        ),
        items: Some(vec![
            item("thoracic-extension-chair", 1, Some(25), None),
            item("quadruped-plus", 1, Some(30), None),
            item("standing-row", 3, Some(10), None),
            item("cross-body-stretch", 1, Some(3), Some(30)),
        ]),
        ..DraftInput::default()
    };
    let program = programs::create(conn, &actor, clinic_id, ana.row.id, draft)?;
    programs::publish(conn, &actor, clinic_id, program.row.id)?;
    let link = links::create(conn, &actor, clinic_id, program.row.id, None)?;
    lines.push(format!(
        "Ana Silva's program, as her phone shows it: {base_url}/p/{}",
        link.token
    ));
    Ok(lines.join("\n"))
}
