//! Clinics: the tenants, with the settings every handout uses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::clinics;
use super::DbConn;
use crate::domain::ids::ClinicId;
use crate::domain::paper::Paper;

/// A clinic without its logo bytes (loaded only when a handout needs them).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clinics)]
pub struct ClinicRow {
    pub id: ClinicId,
    pub name: String,
    pub contact_line: String,
    pub default_paper: Paper,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// `kg` or `lb`.
    pub weight_unit: String,
}

pub fn insert(conn: &mut DbConn, row: &ClinicRow) -> QueryResult<()> {
    diesel::insert_into(clinics::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Every clinic's id, for work that runs across tenants at start.
pub fn ids(conn: &mut DbConn) -> QueryResult<Vec<ClinicId>> {
    clinics::table
        .order(clinics::created_at.asc())
        .select(clinics::id)
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: ClinicId) -> QueryResult<ClinicRow> {
    clinics::table
        .find(id)
        .select(ClinicRow::as_select())
        .get_result(conn)
}

pub fn update_settings(
    conn: &mut DbConn,
    id: ClinicId,
    name: &str,
    contact_line: &str,
    default_paper: Paper,
    weight_unit: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(clinics::table.find(id))
        .set((
            clinics::name.eq(name),
            clinics::contact_line.eq(contact_line),
            clinics::default_paper.eq(default_paper),
            clinics::weight_unit.eq(weight_unit),
            clinics::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The logo bytes and their content type, if the clinic uploaded one.
pub fn logo(conn: &mut DbConn, id: ClinicId) -> QueryResult<Option<(Vec<u8>, String)>> {
    let (logo, content_type) = clinics::table
        .find(id)
        .select((clinics::logo, clinics::logo_content_type))
        .get_result::<(Option<Vec<u8>>, Option<String>)>(conn)?;
    Ok(logo.zip(content_type))
}

pub fn set_logo(
    conn: &mut DbConn,
    id: ClinicId,
    logo: Option<(&[u8], &str)>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(clinics::table.find(id))
        .set((
            clinics::logo.eq(logo.map(|(bytes, _)| bytes.to_vec())),
            clinics::logo_content_type.eq(logo.map(|(_, t)| t.to_owned())),
            clinics::updated_at.eq(now),
        ))
        .execute(conn)
}
