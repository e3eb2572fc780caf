//! `hep serve --demo`: a demo clinic with clinicians to try the app with.
//! Idempotent: an existing demo clinic is left as it is.

use crate::db::{clinicians, DbConn};
use crate::domain::ids::ClinicId;
use crate::error::AppError;
use crate::services::accounts::{self, Actor, NewClinician};

pub const CLINIC_NAME: &str = "Demo Physio Clinic";
pub const ADMIN_EMAIL: &str = "admin@demo.hep.test";
pub const THERAPIST_EMAIL: &str = "therapist@demo.hep.test";
/// Demo-only credentials, printed at start; never use them for real data.
pub const PASSWORD: &str = "demo-password";

/// Creates the demo data if absent and returns how to sign in.
pub fn ensure(conn: &mut DbConn) -> Result<String, AppError> {
    if clinicians::find_by_email(conn, ADMIN_EMAIL)?.is_none() {
        let admin = NewClinician::parse(ADMIN_EMAIL, "Alex Admin", "admin", PASSWORD)?;
        let (clinic, admin_row) = accounts::create_clinic(conn, CLINIC_NAME, admin)?;
        let clinic_id =
            ClinicId::parse(&clinic.id).ok_or_else(|| AppError::internal("demo", "clinic id"))?;
        let actor = Actor {
            clinic_id: Some(clinic_id),
            clinician_id: crate::domain::ids::ClinicianId::parse(&admin_row.id),
            ip: None,
        };
        let therapist =
            NewClinician::parse(THERAPIST_EMAIL, "Terry Therapist", "therapist", PASSWORD)?;
        accounts::create_clinician(conn, &actor, clinic_id, therapist)?;
    }
    Ok(format!(
        "Demo data ready. Sign in as {THERAPIST_EMAIL} (therapist) or {ADMIN_EMAIL} (admin), password \"{PASSWORD}\"."
    ))
}
