//! The audit trail: who did what to which record, when, from where. Events
//! carry ids and action names, never patient names or secrets.

use std::fmt;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_events;
use super::DbConn;
use crate::domain::ids::{ClinicId, ClinicianId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_events)]
pub struct AuditRow {
    pub id: String,
    pub clinic_id: Option<ClinicId>,
    pub actor_id: Option<ClinicianId>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub created_at: NaiveDateTime,
}

/// One event to record; `detail` is a short JSON object when present.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub clinic_id: Option<ClinicId>,
    pub actor_id: Option<ClinicianId>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<serde_json::Value>,
}

impl<'a> Event<'a> {
    /// An event about one record, named by its id (of any kind).
    pub fn about(action: &'a str, target_type: &'a str, target: impl fmt::Display) -> Self {
        Self {
            action,
            target_type,
            target_id: Some(target.to_string()),
            ..Self::default()
        }
    }
}

pub fn record(conn: &mut DbConn, event: Event<'_>, now: NaiveDateTime) -> QueryResult<()> {
    let row = AuditRow {
        id: uuid::Uuid::new_v4().to_string(),
        clinic_id: event.clinic_id,
        actor_id: event.actor_id,
        action: event.action.to_owned(),
        target_type: event.target_type.to_owned(),
        target_id: event.target_id,
        ip: event.ip,
        detail: event.detail.map(|d| d.to_string()),
        created_at: now,
    };
    diesel::insert_into(audit_events::table)
        .values(&row)
        .execute(conn)
        .map(drop)
}

/// The clinic's events, newest first.
pub fn list(conn: &mut DbConn, clinic: ClinicId, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::clinic_id.eq(clinic))
        .order(audit_events::created_at.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}
