//! Clinics: the tenants.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::clinics;
use super::DbConn;
use crate::domain::ids::ClinicId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clinics)]
pub struct ClinicRow {
    pub id: String,
    pub name: String,
    pub contact_line: String,
    pub default_paper: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ClinicRow) -> QueryResult<()> {
    diesel::insert_into(clinics::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConn, id: ClinicId) -> QueryResult<ClinicRow> {
    clinics::table
        .find(id.to_string())
        .select(ClinicRow::as_select())
        .first(conn)
}

pub fn find_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<ClinicRow>> {
    clinics::table
        .filter(clinics::name.eq(name))
        .select(ClinicRow::as_select())
        .first(conn)
        .optional()
}
