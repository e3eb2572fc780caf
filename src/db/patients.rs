//! Patients and their precautions, always scoped by clinic.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{patient_precautions, patients};
use super::{DbConn, MultiBackend};
use crate::domain::ids::{ClinicId, PatientId, PrecautionId};

#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable)]
#[diesel(table_name = patients)]
pub struct PatientRow {
    pub id: PatientId,
    pub clinic_id: ClinicId,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<String>,
    pub external_id: Option<String>,
    pub contact: Option<String>,
    pub search_text: String,
    pub archived_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &PatientRow) -> QueryResult<()> {
    diesel::insert_into(patients::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConn, clinic: ClinicId, id: PatientId) -> QueryResult<PatientRow> {
    patients::table
        .filter(patients::clinic_id.eq(clinic))
        .filter(patients::id.eq(id))
        .select(PatientRow::as_select())
        .get_result(conn)
}

/// Active patients of the clinic matching every word of `q` (normalised).
pub fn search(
    conn: &mut DbConn,
    clinic: ClinicId,
    q: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<PatientRow>> {
    let mut query = patients::table
        .filter(patients::clinic_id.eq(clinic))
        .filter(patients::archived_at.is_null())
        .into_boxed::<MultiBackend>();
    for word in q.split(' ').filter(|w| !w.is_empty()) {
        query = query.filter(patients::search_text.like(format!("%{word}%")));
    }
    query
        .order((
            patients::last_name.asc(),
            patients::first_name.asc(),
            patients::id.asc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(PatientRow::as_select())
        .load(conn)
}

pub fn update(conn: &mut DbConn, clinic: ClinicId, row: &PatientRow) -> QueryResult<usize> {
    diesel::update(
        patients::table
            .filter(patients::clinic_id.eq(clinic))
            .filter(patients::id.eq(row.id)),
    )
    .set((
        patients::first_name.eq(&row.first_name),
        patients::last_name.eq(&row.last_name),
        patients::date_of_birth.eq(&row.date_of_birth),
        patients::external_id.eq(&row.external_id),
        patients::contact.eq(&row.contact),
        patients::search_text.eq(&row.search_text),
        patients::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
}

pub fn archive(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: PatientId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        patients::table
            .filter(patients::clinic_id.eq(clinic))
            .filter(patients::id.eq(id))
            .filter(patients::archived_at.is_null()),
    )
    .set((
        patients::archived_at.eq(Some(now)),
        patients::updated_at.eq(now),
    ))
    .execute(conn)
}

/// The patient's precaution ids. Callers have already scoped the patient.
pub fn precaution_ids(conn: &mut DbConn, patient_id: PatientId) -> QueryResult<Vec<PrecautionId>> {
    patient_precautions::table
        .filter(patient_precautions::patient_id.eq(patient_id))
        .order(patient_precautions::precaution_id.asc())
        .select(patient_precautions::precaution_id)
        .load(conn)
}

pub fn set_precautions(
    conn: &mut DbConn,
    patient_id: PatientId,
    ids: &[PrecautionId],
) -> QueryResult<()> {
    diesel::delete(
        patient_precautions::table.filter(patient_precautions::patient_id.eq(patient_id)),
    )
    .execute(conn)?;
    for id in ids {
        diesel::insert_into(patient_precautions::table)
            .values((
                patient_precautions::patient_id.eq(patient_id),
                patient_precautions::precaution_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
