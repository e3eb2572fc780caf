//! Share links: capability URLs for one program that always show its latest
//! published version. The raw token is shown once, at creation; only its
//! SHA-256 is stored. The patient side logs activity through a link.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::clock;
use crate::db::audit::{self, Event};
use crate::db::clinics::ClinicRow;
use crate::db::links::{self as q, ActivityRow, LinkRow};
use crate::db::patients::PatientRow;
use crate::db::programs::{self as programs_q, ProgramRow};
use crate::db::{write_tx, DbConn};
use crate::domain::credentials::{new_token, token_hash};
use crate::domain::ids::{ActivityId, ClinicId, ExerciseId, LinkId, ProgramId};
use crate::domain::program::Version;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::link_opens::Opens;
use crate::services::{not_found, programs, Actor};

pub const DEFAULT_DAYS: i64 = 180;
pub const MAX_DAYS: i64 = 730;
pub const COMMENT_MAX: usize = 500;

/// A new link with its raw token, which is never stored.
pub struct CreatedLink {
    pub row: LinkRow,
    pub token: String,
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    program_id: ProgramId,
    expires_in_days: Option<i64>,
) -> Result<CreatedLink, AppError> {
    let days = expires_in_days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::field(FieldError::new(
            "expires_in_days",
            format!("must be between 1 and {MAX_DAYS}"),
        )));
    }
    write_tx(conn, |conn| {
        let program = programs_q::find(conn, clinic, program_id).map_err(not_found("program"))?;
        if program.latest_version == 0 {
            return Err(AppError::Conflict {
                code: "not_published",
                message: "publish the program before sharing it; a link always shows the latest published version".into(),
                clash: None,
            });
        }
        let token = new_token();
        let now = clock::now();
        let row = LinkRow {
            id: LinkId::new(),
            clinic_id: clinic,
            program_id: program.id,
            token_hash: token_hash(&token),
            created_by: programs::clinician_id(actor),
            created_at: now,
            expires_at: now + Duration::days(days),
            revoked_at: None,
            last_opened_at: None,
            open_count: 0,
        };
        q::insert(conn, &row)?;
        audit::record(conn, actor.event("link.create", "link", row.id), now)?;
        Ok(CreatedLink { row, token })
    })
}

pub fn list(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
) -> Result<Vec<LinkRow>, AppError> {
    programs_q::find(conn, clinic, program_id).map_err(not_found("program"))?;
    Ok(q::for_program(conn, clinic, program_id)?)
}

pub fn revoke(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: LinkId,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let link = q::find(conn, clinic, id).map_err(not_found("link"))?;
        let now = clock::now();
        q::revoke(conn, clinic, link.id, now)?;
        audit::record(conn, actor.event("link.revoke", "link", link.id), now)?;
        Ok(())
    })
}

/// Everything the patient page needs.
pub struct Shared {
    pub link: LinkRow,
    pub clinic: ClinicRow,
    pub program: ProgramRow,
    pub patient: PatientRow,
    /// Shared with the cache of published versions (they never change).
    pub version: Arc<Version>,
}

/// What a token leads to.
pub enum Access {
    Open(Box<Shared>),
    /// No such link.
    Unknown,
    /// Revoked, expired, or its program or patient archived.
    Gone,
}

fn resolve(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> Result<Access, AppError> {
    // Every token costs one indexed lookup of its hash, found or not; the
    // same query brings the program, patient and clinic.
    let Some((link, program, patient, clinic)) = q::open_by_token_hash(conn, &token_hash(token))?
    else {
        return Ok(Access::Unknown);
    };
    let archived = program.archived_at.is_some() || patient.archived_at.is_some();
    if !link.share_link(archived).status(now).is_live() {
        return Ok(Access::Gone);
    }
    // Published versions are cached: usually no query.
    let Some(version) = programs::published(conn, link.clinic_id, &program)? else {
        return Ok(Access::Gone);
    };
    Ok(Access::Open(Box::new(Shared {
        link,
        clinic,
        program,
        patient,
        version,
    })))
}

/// Resolves a token and, when it is usable, counts the access (`action`
/// is `link.open` or `link.download`) and audits it against the link id,
/// never the token: the first such access of a client in each window is
/// recorded before this returns, repeats are only counted (see `opens`).
pub fn access(
    conn: &mut DbConn,
    opens: &Opens,
    token: &str,
    action: &'static str,
    ip: Option<String>,
) -> Result<Access, AppError> {
    let now = clock::now();
    let access = resolve(conn, token, now)?;
    if let Access::Open(shared) = &access {
        let link = &shared.link;
        if opens.claim_audit(link.id, action, ip.as_deref(), now) {
            let event = Event {
                clinic_id: Some(link.clinic_id),
                ip: ip.clone(),
                ..Event::about(action, "link", link.id)
            };
            if let Err(err) = audit::record(conn, event, now) {
                opens.unclaim(link.id, action, ip.as_deref());
                return Err(err.into());
            }
        }
        opens.count(link.id, now);
    }
    Ok(access)
}

/// Resolves a token without recording anything (for the form post check).
pub fn peek(conn: &mut DbConn, token: &str) -> Result<Access, AppError> {
    resolve(conn, token, clock::now())
}

/// One entry a patient logs.
#[derive(Debug, Clone)]
pub struct Entry {
    pub exercise_id: ExerciseId,
    pub day: NaiveDate,
    pub done: bool,
    pub pain: Option<i32>,
    pub comment: Option<String>,
}

impl Entry {
    /// Checks the entry against the version the patient sees.
    pub fn parse(
        version: &Version,
        exercise_id: ExerciseId,
        day: NaiveDate,
        today: NaiveDate,
        done: bool,
        pain: Option<&str>,
        comment: Option<&str>,
    ) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        if !version
            .items
            .iter()
            .any(|i| i.item.exercise_id == exercise_id)
        {
            errors.push(FieldError::new(
                "exercise_id",
                "is not part of this program",
            ));
        }
        if day > today || day < today - Duration::days(13) {
            errors.push(FieldError::new("day", "must be within the last 14 days"));
        }
        let pain = match pain.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(raw) => match raw.parse::<i32>() {
                Ok(p) if (0..=10).contains(&p) => Some(p),
                _ => {
                    errors.push(FieldError::new("pain", "must be a number from 0 to 10"));
                    None
                }
            },
        };
        let comment = comment
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if comment
            .as_ref()
            .is_some_and(|c| c.chars().count() > COMMENT_MAX)
        {
            errors.push(FieldError::new(
                "comment",
                format!("must be at most {COMMENT_MAX} characters"),
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                exercise_id,
                day,
                done,
                pain,
                comment,
            })
        } else {
            Err(AppError::fields(errors))
        }
    }
}

pub fn log(
    conn: &mut DbConn,
    shared: &Shared,
    entry: Entry,
    ip: Option<String>,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let now = clock::now();
        q::upsert_activity(
            conn,
            &ActivityRow {
                id: ActivityId::new(),
                clinic_id: shared.link.clinic_id,
                program_id: shared.program.id,
                link_id: shared.link.id,
                exercise_id: entry.exercise_id,
                day: entry.day.to_string(),
                done: entry.done,
                pain: entry.pain,
                comment: entry.comment,
                created_at: now,
            },
        )?;
        audit::record(
            conn,
            Event {
                clinic_id: Some(shared.link.clinic_id),
                ip,
                ..Event::about("activity.log", "link", shared.link.id)
            },
            now,
        )?;
        Ok(())
    })
}

/// The last `days` days of a program's activity (clinic-scoped), each
/// entry with its exercise's name (empty when the clinic no longer sees it).
pub fn activity(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
    days: i64,
) -> Result<Vec<(ActivityRow, String)>, AppError> {
    programs_q::find(conn, clinic, program_id).map_err(not_found("program"))?;
    let since = (clock::now().date() - Duration::days(days - 1)).to_string();
    let rows = q::activity(conn, clinic, program_id, &since)?;
    let ids: Vec<ExerciseId> = rows.iter().map(|r| r.exercise_id).collect();
    let exercises = crate::db::exercises::find_many(conn, clinic, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = exercises
                .iter()
                .find(|e| e.id == row.exercise_id)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            (row, name)
        })
        .collect())
}

/// What the patient logged through any link of the shared program since
/// `since` (YYYY-MM-DD), newest day first.
pub fn logged_since(
    conn: &mut DbConn,
    shared: &Shared,
    since: &str,
) -> Result<Vec<ActivityRow>, AppError> {
    Ok(q::activity(
        conn,
        shared.link.clinic_id,
        shared.program.id,
        since,
    )?)
}

/// The form token of a link: derived from its secret, so only someone
/// holding the link can produce it, and a cross-site form cannot.
pub fn form_token(link: &LinkRow) -> String {
    token_hash(&format!("form:{}", link.token_hash))[..32].to_owned()
}
