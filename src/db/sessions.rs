//! Sign-in sessions, found by the SHA-256 of their bearer token.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{clinicians, sessions};
use super::DbConn;
use crate::domain::clinician::Role;
use crate::domain::ids::{ClinicId, ClinicianId, SessionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: SessionId,
    pub token_hash: String,
    pub clinician_id: ClinicianId,
    pub clinic_id: ClinicId,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The session behind a token with the clinician's current role.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub session_id: SessionId,
    pub clinician_id: ClinicianId,
    pub clinic_id: ClinicId,
    pub role: Role,
    pub last_seen_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A session that is neither past its absolute expiry nor idle too long,
/// of a clinician who is still active.
pub fn find_live(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
    idle: Duration,
) -> QueryResult<Option<LiveSession>> {
    sessions::table
        .inner_join(clinicians::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(now - idle))
        .filter(clinicians::active.eq(true))
        .select((
            sessions::id,
            sessions::clinician_id,
            sessions::clinic_id,
            clinicians::role,
            sessions::last_seen_at,
        ))
        .get_result::<(SessionId, ClinicianId, ClinicId, Role, NaiveDateTime)>(conn)
        .optional()
        .map(|found| {
            found.map(
                |(session_id, clinician_id, clinic_id, role, last_seen_at)| LiveSession {
                    session_id,
                    clinician_id,
                    clinic_id,
                    role,
                    last_seen_at,
                },
            )
        })
}

pub fn touch(conn: &mut DbConn, id: SessionId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConn, id: SessionId) -> QueryResult<()> {
    diesel::delete(sessions::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Drops sessions that can no longer be used, so the table does not grow.
pub fn delete_expired(conn: &mut DbConn, now: NaiveDateTime, idle: Duration) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::last_seen_at.le(now - idle)),
        ),
    )
    .execute(conn)
}
