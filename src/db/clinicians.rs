//! Clinicians of a clinic. Every lookup but sign-in is scoped by clinic.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{clinicians, sessions};
use super::DbConn;
use crate::domain::clinician::Role;
use crate::domain::ids::{ClinicId, ClinicianId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clinicians)]
pub struct ClinicianRow {
    pub id: ClinicianId,
    pub clinic_id: ClinicId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ClinicianRow) -> QueryResult<()> {
    diesel::insert_into(clinicians::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Sign-in is the one lookup across clinics: an e-mail names one clinician.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<ClinicianRow>> {
    clinicians::table
        .filter(clinicians::email.eq(email))
        .select(ClinicianRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        clinicians::table.filter(clinicians::email.eq(email)),
    ))
    .get_result(conn)
}

pub fn find(conn: &mut DbConn, clinic: ClinicId, id: ClinicianId) -> QueryResult<ClinicianRow> {
    clinicians::table
        .filter(clinicians::clinic_id.eq(clinic))
        .filter(clinicians::id.eq(id))
        .select(ClinicianRow::as_select())
        .get_result(conn)
}

pub fn list(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<ClinicianRow>> {
    clinicians::table
        .filter(clinicians::clinic_id.eq(clinic))
        .order((clinicians::name.asc(), clinicians::email.asc()))
        .select(ClinicianRow::as_select())
        .load(conn)
}

#[derive(AsChangeset)]
#[diesel(table_name = clinicians)]
struct ClinicianChange {
    role: Option<Role>,
    active: Option<bool>,
    updated_at: NaiveDateTime,
}

/// Changes role and/or active flag. Deactivating also ends every session of
/// the clinician, in the same transaction as the caller's.
pub fn update(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ClinicianId,
    role: Option<Role>,
    active: Option<bool>,
    now: NaiveDateTime,
) -> QueryResult<ClinicianRow> {
    diesel::update(
        clinicians::table
            .filter(clinicians::clinic_id.eq(clinic))
            .filter(clinicians::id.eq(id)),
    )
    .set(&ClinicianChange {
        role,
        active,
        updated_at: now,
    })
    .execute(conn)?;
    if active == Some(false) {
        diesel::delete(sessions::table.filter(sessions::clinician_id.eq(id))).execute(conn)?;
    }
    find(conn, clinic, id)
}

/// How many active admins the clinic has, so the last one cannot be demoted.
pub fn active_admins(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<i64> {
    clinicians::table
        .filter(clinicians::clinic_id.eq(clinic))
        .filter(clinicians::role.eq(Role::Admin))
        .filter(clinicians::active.eq(true))
        .count()
        .get_result(conn)
}
