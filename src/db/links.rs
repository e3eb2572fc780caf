//! Share links and the activity patients log through them. Clinician-side
//! queries are scoped by clinic; the patient side finds a link only by the
//! hash of its token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::clinics::ClinicRow;
use super::patients::PatientRow;
use super::programs::ProgramRow;
use super::schema::{activity_logs, clinics, patients, programs, share_links};
use super::DbConn;
use crate::domain::ids::{ActivityId, ClinicId, ClinicianId, ExerciseId, LinkId, ProgramId};
use crate::domain::link::ShareLink;

/// A link found by its token, with its program, patient and clinic.
pub type Opened = (LinkRow, ProgramRow, PatientRow, ClinicRow);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = share_links)]
pub struct LinkRow {
    pub id: LinkId,
    pub clinic_id: ClinicId,
    pub program_id: ProgramId,
    pub token_hash: String,
    pub created_by: ClinicianId,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_opened_at: Option<NaiveDateTime>,
    pub open_count: i32,
}

impl LinkRow {
    /// The link as the status rule sees it; `archived` when its program or
    /// patient is.
    pub fn share_link(&self, archived: bool) -> ShareLink {
        ShareLink {
            revoked_at: self.revoked_at,
            expires_at: self.expires_at,
            archived,
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &LinkRow) -> QueryResult<()> {
    diesel::insert_into(share_links::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn by_token_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<LinkRow>> {
    share_links::table
        .filter(share_links::token_hash.eq(token_hash))
        .select(LinkRow::as_select())
        .get_result(conn)
        .optional()
}

/// The link with this token hash and what it leads to, in one query (the
/// patient page's hot path). Program and patient are joined within the
/// link's own clinic.
pub fn open_by_token_hash(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<Opened>> {
    share_links::table
        .inner_join(
            programs::table.on(programs::id
                .eq(share_links::program_id)
                .and(programs::clinic_id.eq(share_links::clinic_id))),
        )
        .inner_join(
            patients::table.on(patients::id
                .eq(programs::patient_id)
                .and(patients::clinic_id.eq(share_links::clinic_id))),
        )
        .inner_join(clinics::table.on(clinics::id.eq(share_links::clinic_id)))
        .filter(share_links::token_hash.eq(token_hash))
        .select((
            LinkRow::as_select(),
            ProgramRow::as_select(),
            PatientRow::as_select(),
            ClinicRow::as_select(),
        ))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, clinic: ClinicId, id: LinkId) -> QueryResult<LinkRow> {
    share_links::table
        .filter(share_links::clinic_id.eq(clinic))
        .filter(share_links::id.eq(id))
        .select(LinkRow::as_select())
        .get_result(conn)
}

pub fn for_program(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
) -> QueryResult<Vec<LinkRow>> {
    share_links::table
        .filter(share_links::clinic_id.eq(clinic))
        .filter(share_links::program_id.eq(program_id))
        .order(share_links::created_at.desc())
        .select(LinkRow::as_select())
        .load(conn)
}

pub fn revoke(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: LinkId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        share_links::table
            .filter(share_links::clinic_id.eq(clinic))
            .filter(share_links::id.eq(id))
            .filter(share_links::revoked_at.is_null()),
    )
    .set(share_links::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// Adds `count` opens, the last at `last` (see `services::link_opens`).
pub fn add_opens(
    conn: &mut DbConn,
    id: LinkId,
    count: i32,
    last: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(share_links::table.find(id))
        .set((
            share_links::last_opened_at.eq(Some(last)),
            share_links::open_count.eq(share_links::open_count + count),
        ))
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = activity_logs)]
pub struct ActivityRow {
    pub id: ActivityId,
    pub clinic_id: ClinicId,
    pub program_id: ProgramId,
    pub link_id: LinkId,
    pub exercise_id: ExerciseId,
    pub day: String,
    pub done: bool,
    pub pain: Option<i32>,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Records the day's entry for one exercise; a later entry replaces it.
pub fn upsert_activity(conn: &mut DbConn, row: &ActivityRow) -> QueryResult<()> {
    diesel::delete(
        activity_logs::table
            .filter(activity_logs::program_id.eq(row.program_id))
            .filter(activity_logs::exercise_id.eq(row.exercise_id))
            .filter(activity_logs::day.eq(&row.day)),
    )
    .execute(conn)?;
    diesel::insert_into(activity_logs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A program's entries on or after `since` (YYYY-MM-DD), newest day first.
pub fn activity(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
    since: &str,
) -> QueryResult<Vec<ActivityRow>> {
    activity_logs::table
        .filter(activity_logs::clinic_id.eq(clinic))
        .filter(activity_logs::program_id.eq(program_id))
        .filter(activity_logs::day.ge(since))
        .order((activity_logs::day.desc(), activity_logs::exercise_id.asc()))
        .select(ActivityRow::as_select())
        .load(conn)
}

/// Whether the program has an entry with pain ≥ `threshold` since `since`.
pub fn high_pain_since(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
    since: &str,
    threshold: i32,
) -> QueryResult<bool> {
    let count: i64 = activity_logs::table
        .filter(activity_logs::clinic_id.eq(clinic))
        .filter(activity_logs::program_id.eq(program_id))
        .filter(activity_logs::day.ge(since))
        .filter(activity_logs::pain.ge(threshold))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// When the patient last logged anything for the program.
pub fn last_activity(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
) -> QueryResult<Option<NaiveDateTime>> {
    activity_logs::table
        .filter(activity_logs::clinic_id.eq(clinic))
        .filter(activity_logs::program_id.eq(program_id))
        .select(diesel::dsl::max(activity_logs::created_at))
        .get_result(conn)
}
