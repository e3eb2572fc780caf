//! Programs (the editable draft), their frozen versions, and templates.
//! Every query is scoped by clinic.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{program_versions, programs, templates};
use super::DbConn;
use crate::domain::ids::{ClinicId, ClinicianId, PatientId, ProgramId, TemplateId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = programs)]
pub struct ProgramRow {
    pub id: ProgramId,
    pub clinic_id: ClinicId,
    pub patient_id: PatientId,
    pub title: String,
    pub notes: String,
    pub items: String,
    pub revision: i32,
    pub latest_version: i32,
    pub created_by: ClinicianId,
    pub archived_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the latest published version was found to clash with the
    /// patient's precautions as they are now; `None` when it does not.
    pub needs_review_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &ProgramRow) -> QueryResult<()> {
    diesel::insert_into(programs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConn, clinic: ClinicId, id: ProgramId) -> QueryResult<ProgramRow> {
    programs::table
        .filter(programs::clinic_id.eq(clinic))
        .filter(programs::id.eq(id))
        .select(ProgramRow::as_select())
        .get_result(conn)
}

pub fn list_for_patient(
    conn: &mut DbConn,
    clinic: ClinicId,
    patient_id: PatientId,
) -> QueryResult<Vec<ProgramRow>> {
    programs::table
        .filter(programs::clinic_id.eq(clinic))
        .filter(programs::patient_id.eq(patient_id))
        .filter(programs::archived_at.is_null())
        .order(programs::created_at.desc())
        .select(ProgramRow::as_select())
        .load(conn)
}

/// Programs with a published version that are not archived: of the given
/// patients, or of the whole clinic.
pub fn live_published(
    conn: &mut DbConn,
    clinic: ClinicId,
    patients: Option<&[PatientId]>,
) -> QueryResult<Vec<ProgramRow>> {
    let mut query = programs::table
        .filter(programs::clinic_id.eq(clinic))
        .filter(programs::archived_at.is_null())
        .filter(programs::latest_version.gt(0))
        .into_boxed();
    if let Some(ids) = patients {
        query = query.filter(programs::patient_id.eq_any(ids.to_vec()));
    }
    query
        .order(programs::created_at.asc())
        .select(ProgramRow::as_select())
        .load(conn)
}

/// The patients (of `patients`, or all) with a live program marked as
/// needing review.
pub fn needing_review(
    conn: &mut DbConn,
    clinic: ClinicId,
    patients: Option<&[PatientId]>,
) -> QueryResult<Vec<PatientId>> {
    let mut query = programs::table
        .filter(programs::clinic_id.eq(clinic))
        .filter(programs::archived_at.is_null())
        .filter(programs::needs_review_at.is_not_null())
        .into_boxed();
    if let Some(ids) = patients {
        query = query.filter(programs::patient_id.eq_any(ids.to_vec()));
    }
    query.select(programs::patient_id).distinct().load(conn)
}

/// Marks (from `now`, keeping an earlier mark) or clears a program's
/// needs-review flag; returns whether the row changed.
pub fn set_needs_review(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ProgramId,
    needed: bool,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let scoped = programs::table
        .filter(programs::clinic_id.eq(clinic))
        .filter(programs::id.eq(id));
    let changed = if needed {
        diesel::update(scoped.filter(programs::needs_review_at.is_null()))
            .set(programs::needs_review_at.eq(Some(now)))
            .execute(conn)?
    } else {
        diesel::update(scoped.filter(programs::needs_review_at.is_not_null()))
            .set(programs::needs_review_at.eq(None::<NaiveDateTime>))
            .execute(conn)?
    };
    Ok(changed > 0)
}

/// Replaces the draft only if nobody saved since `expected_revision`;
/// returns the number of rows changed (0 means stale or absent).
/// The editable part of a program.
pub struct Draft<'a> {
    pub title: &'a str,
    pub notes: &'a str,
    /// Items as JSON.
    pub items: &'a str,
}

pub fn replace_draft(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ProgramId,
    expected_revision: i32,
    draft: &Draft<'_>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        programs::table
            .filter(programs::clinic_id.eq(clinic))
            .filter(programs::id.eq(id))
            .filter(programs::revision.eq(expected_revision)),
    )
    .set((
        programs::title.eq(draft.title),
        programs::notes.eq(draft.notes),
        programs::items.eq(draft.items),
        programs::revision.eq(programs::revision + 1),
        programs::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Claims the next version number. The UPDATE takes the row lock on
/// PostgreSQL (SQLite's `BEGIN IMMEDIATE` already serialises writers), so
/// concurrent publishes get consecutive numbers.
pub fn claim_next_version(conn: &mut DbConn, clinic: ClinicId, id: ProgramId) -> QueryResult<i32> {
    diesel::update(
        programs::table
            .filter(programs::clinic_id.eq(clinic))
            .filter(programs::id.eq(id)),
    )
    .set(programs::latest_version.eq(programs::latest_version + 1))
    .execute(conn)?;
    programs::table
        .filter(programs::id.eq(id))
        .select(programs::latest_version)
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = program_versions)]
pub struct VersionRow {
    pub program_id: ProgramId,
    pub version: i32,
    pub clinic_id: ClinicId,
    pub content: String,
    pub published_by: ClinicianId,
    pub published_at: NaiveDateTime,
}

pub fn insert_version(conn: &mut DbConn, row: &VersionRow) -> QueryResult<()> {
    diesel::insert_into(program_versions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
    version: i32,
) -> QueryResult<VersionRow> {
    program_versions::table
        .filter(program_versions::clinic_id.eq(clinic))
        .filter(program_versions::program_id.eq(program_id))
        .filter(program_versions::version.eq(version))
        .select(VersionRow::as_select())
        .get_result(conn)
}

pub fn versions(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
) -> QueryResult<Vec<(i32, NaiveDateTime)>> {
    program_versions::table
        .filter(program_versions::clinic_id.eq(clinic))
        .filter(program_versions::program_id.eq(program_id))
        .order(program_versions::version.asc())
        .select((program_versions::version, program_versions::published_at))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = templates)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub clinic_id: ClinicId,
    pub title: String,
    pub notes: String,
    pub items: String,
    pub created_by: ClinicianId,
    pub created_at: NaiveDateTime,
}

pub fn insert_template(conn: &mut DbConn, row: &TemplateRow) -> QueryResult<()> {
    diesel::insert_into(templates::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn list_templates(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<TemplateRow>> {
    templates::table
        .filter(templates::clinic_id.eq(clinic))
        .order((templates::title.asc(), templates::id.asc()))
        .select(TemplateRow::as_select())
        .load(conn)
}

pub fn find_template(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: TemplateId,
) -> QueryResult<TemplateRow> {
    templates::table
        .filter(templates::clinic_id.eq(clinic))
        .filter(templates::id.eq(id))
        .select(TemplateRow::as_select())
        .get_result(conn)
}

pub fn delete_template(conn: &mut DbConn, clinic: ClinicId, id: TemplateId) -> QueryResult<usize> {
    diesel::delete(
        templates::table
            .filter(templates::clinic_id.eq(clinic))
            .filter(templates::id.eq(id)),
    )
    .execute(conn)
}
