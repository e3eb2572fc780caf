//! Use cases of clinics and clinicians: creating a clinic with its first
//! admin, signing in and out, adding and changing clinicians. Each runs its
//! writes in one transaction and records the audit events that go with it.
//! Called by the HTTP handlers and the command line alike.

use chrono::Duration;

use crate::clock;
use crate::db::audit::{self, Event};
use crate::db::clinicians::{self, ClinicianRow};
use crate::db::clinics::{self, ClinicRow};
use crate::db::sessions::{self, SessionRow};
use crate::db::{throttle, write_tx, DbConn};
use crate::domain::clinician::{Email, Name, NewPassword, Role};
use crate::domain::credentials::{
    decoy_hash, hash_password, new_token, token_hash, verify_password,
};
use crate::domain::ids::{ClinicId, ClinicianId, SessionId};
use crate::domain::paper::Paper;
use crate::error::AppError;

/// Who acts, and from where, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub clinic_id: Option<ClinicId>,
    pub clinician_id: Option<ClinicianId>,
    pub ip: Option<String>,
}

impl Actor {
    /// An event by this actor about one record.
    pub(crate) fn event<'a>(
        &self,
        action: &'a str,
        target_type: &'a str,
        target: impl std::fmt::Display,
    ) -> Event<'a> {
        Event {
            clinic_id: self.clinic_id,
            actor_id: self.clinician_id,
            ip: self.ip.clone(),
            ..Event::about(action, target_type, target)
        }
    }
}

/// A clinician to add: every field parsed.
#[derive(Debug)]
pub struct NewClinician {
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub password: NewPassword,
}

impl NewClinician {
    /// Parses raw input, reporting every invalid field at once.
    pub fn parse(email: &str, name: &str, role: &str, password: &str) -> Result<Self, AppError> {
        let email = Email::parse(email);
        let name = Name::parse("name", name);
        let role = Role::parse(role);
        let password = NewPassword::parse(password);
        match (email, name, role, password) {
            (Ok(email), Ok(name), Ok(role), Ok(password)) => Ok(Self {
                email,
                name,
                role,
                password,
            }),
            (email, name, role, password) => Err(AppError::fields(
                [email.err(), name.err(), role.err(), password.err()]
                    .into_iter()
                    .flatten()
                    .collect(),
            )),
        }
    }
}

fn hashed(password: &NewPassword) -> Result<String, AppError> {
    hash_password(password.expose()).map_err(|e| AppError::internal("password hash", e))
}

fn clinician_row(clinic: ClinicId, new: &NewClinician, password_hash: String) -> ClinicianRow {
    let now = clock::now();
    ClinicianRow {
        id: ClinicianId::new(),
        clinic_id: clinic,
        email: new.email.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        role: new.role,
        password_hash,
        active: true,
        created_at: now,
        updated_at: now,
    }
}

fn email_taken() -> AppError {
    AppError::Conflict {
        code: "email_taken",
        message: "a clinician with this e-mail already exists; use another address".into(),
        clash: None,
    }
}

/// Creates a clinic and its first admin.
pub fn create_clinic(
    conn: &mut DbConn,
    clinic_name: &str,
    admin: NewClinician,
) -> Result<(ClinicRow, ClinicianRow), AppError> {
    let name = Name::parse("name", clinic_name).map_err(AppError::field)?;
    let password_hash = hashed(&admin.password)?;
    write_tx(conn, |conn| {
        if clinicians::email_taken(conn, admin.email.as_str())? {
            return Err(email_taken());
        }
        let now = clock::now();
        let clinic = ClinicRow {
            id: ClinicId::new(),
            name: name.as_str().to_owned(),
            contact_line: String::new(),
            default_paper: Paper::default(),
            weight_unit: "kg".to_owned(),
            created_at: now,
            updated_at: now,
        };
        clinics::insert(conn, &clinic)?;
        let clinic_id = clinic.id;
        let row = clinician_row(clinic_id, &admin, password_hash);
        clinicians::insert(conn, &row)?;
        let actor = Actor {
            clinic_id: Some(clinic_id),
            ..Actor::default()
        };
        audit::record(conn, actor.event("clinic.create", "clinic", clinic.id), now)?;
        audit::record(
            conn,
            actor.event("clinician.create", "clinician", row.id),
            now,
        )?;
        Ok((clinic, row))
    })
}

/// A new session: the raw token (shown once) and its clinician.
pub struct SignedIn {
    pub token: String,
    pub clinician: ClinicianRow,
    pub expires_at: chrono::NaiveDateTime,
}

/// Checks credentials under the sign-in throttle and opens a session.
pub fn sign_in(
    conn: &mut DbConn,
    email: &str,
    password: &str,
    ip: &str,
    session_max: Duration,
) -> Result<SignedIn, AppError> {
    let email = Email::parse(email).map_err(AppError::field)?;
    if password.is_empty() || password.chars().count() > NewPassword::MAX {
        return Err(AppError::InvalidCredentials);
    }
    let email_hash = token_hash(email.as_str());
    if let Some(retry_after) = throttle::retry_after(conn, &email_hash, ip, clock::now())? {
        return Err(AppError::TooManyRequests { retry_after });
    }
    let found = clinicians::find_by_email(conn, email.as_str())?;
    // Verify even for unknown accounts so both cost the same time.
    let stored = found
        .as_ref()
        .map_or(decoy_hash(), |c| c.password_hash.as_str());
    let password_ok = verify_password(password, stored);
    let clinician = found.filter(|c| password_ok && c.active);

    // The failure must be committed before it is reported, or the throttle
    // and the audit trail would never see it.
    let signed_in = write_tx(conn, |conn| -> Result<Option<SignedIn>, AppError> {
        let now = clock::now();
        throttle::record(conn, &email_hash, ip, clinician.is_some(), now)?;
        let Some(clinician) = clinician else {
            audit::record(
                conn,
                Event {
                    action: "sign_in.failure",
                    target_type: "clinician",
                    ip: Some(ip.to_owned()),
                    ..Event::default()
                },
                now,
            )?;
            return Ok(None);
        };
        let token = new_token();
        let session = SessionRow {
            id: SessionId::new(),
            token_hash: token_hash(&token),
            clinician_id: clinician.id,
            clinic_id: clinician.clinic_id,
            created_at: now,
            last_seen_at: now,
            expires_at: now + session_max,
        };
        sessions::insert(conn, &session)?;
        audit::record(
            conn,
            Event {
                clinic_id: Some(clinician.clinic_id),
                actor_id: Some(clinician.id),
                ip: Some(ip.to_owned()),
                ..Event::about("sign_in.success", "session", session.id)
            },
            now,
        )?;
        Ok(Some(SignedIn {
            token,
            clinician,
            expires_at: session.expires_at,
        }))
    })?;
    signed_in.ok_or(AppError::InvalidCredentials)
}

/// The live session behind a token's hash, if any; marks it seen (at most
/// once a minute: writing on every request would serialise all reads
/// behind the SQLite writer, and a minute's slack is enough).
pub fn live_session(
    conn: &mut DbConn,
    token_hash: &str,
    idle: Duration,
) -> Result<Option<sessions::LiveSession>, AppError> {
    let now = clock::now();
    let found = sessions::find_live(conn, token_hash, now, idle)?;
    if let Some(session) = &found {
        if now - session.last_seen_at > Duration::seconds(60) {
            sessions::touch(conn, session.session_id, now)?;
        }
    }
    Ok(found)
}

/// Ends one session at once.
pub fn sign_out(conn: &mut DbConn, actor: &Actor, session_id: SessionId) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        sessions::delete(conn, session_id)?;
        audit::record(
            conn,
            actor.event("sign_out", "session", session_id),
            clock::now(),
        )?;
        Ok(())
    })
}

/// Adds a clinician to the actor's clinic.
pub fn create_clinician(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    new: NewClinician,
) -> Result<ClinicianRow, AppError> {
    let password_hash = hashed(&new.password)?;
    write_tx(conn, |conn| {
        if clinicians::email_taken(conn, new.email.as_str())? {
            return Err(email_taken());
        }
        let row = clinician_row(clinic, &new, password_hash);
        clinicians::insert(conn, &row)?;
        audit::record(
            conn,
            actor.event("clinician.create", "clinician", row.id),
            clock::now(),
        )?;
        Ok(row)
    })
}

/// Changes a clinician's role or active flag. Deactivation ends their
/// sessions; the clinic always keeps at least one active admin.
pub fn update_clinician(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ClinicianId,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<ClinicianRow, AppError> {
    write_tx(conn, |conn| {
        let current = clinicians::find(conn, clinic, id).map_err(super::not_found("clinician"))?;
        let loses_admin = current.role == Role::Admin
            && current.active
            && (role == Some(Role::Therapist) || active == Some(false));
        if loses_admin && clinicians::active_admins(conn, clinic)? <= 1 {
            return Err(AppError::Conflict {
                code: "last_admin",
                message:
                    "this is the clinic's only active admin; make another clinician admin first"
                        .into(),
                clash: None,
            });
        }
        let now = clock::now();
        let row = clinicians::update(conn, clinic, id, role, active, now)?;
        let mut event = actor.event("clinician.update", "clinician", row.id);
        event.detail =
            Some(serde_json::json!({ "role": role.map(Role::as_str), "active": active }));
        audit::record(conn, event, now)?;
        Ok(row)
    })
}

/// The clinic's clinicians.
pub fn clinicians(conn: &mut DbConn, clinic: ClinicId) -> Result<Vec<ClinicianRow>, AppError> {
    Ok(clinicians::list(conn, clinic)?)
}

/// Reads a clinician of the clinic.
pub fn find_clinician(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ClinicianId,
) -> Result<ClinicianRow, AppError> {
    clinicians::find(conn, clinic, id).map_err(super::not_found("clinician"))
}
