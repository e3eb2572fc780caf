//! Patients: create, read (audited), search, change and archive. Archiving
//! hides the patient from lists and ends their share links; the records stay.

use chrono::{NaiveDate, NaiveDateTime};

use crate::clock;
use crate::db::audit;
use crate::db::patients::{self as q, PatientRow};
use crate::db::precautions;
use crate::db::programs;
use crate::db::{write_tx, DbConn};
use crate::domain::ids::{ClinicId, PatientId, PrecautionId};
use crate::domain::patient::{Patient, PatientInput};
use crate::domain::rules::Rule;
use crate::domain::search::normalize;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::review;
use crate::services::{not_found, Actor};

/// A patient with their precaution ids.
#[derive(Debug, Clone)]
pub struct PatientView {
    pub row: PatientRow,
    pub precautions: Vec<PrecautionId>,
    /// A live program's published version clashes with the precautions.
    pub needs_review: bool,
}

fn patient_of(view: &PatientView) -> Patient {
    Patient {
        first_name: view.row.first_name.clone(),
        last_name: view.row.last_name.clone(),
        date_of_birth: view
            .row
            .date_of_birth
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        external_id: view.row.external_id.clone(),
        contact: view.row.contact.clone(),
        precautions: view.precautions.clone(),
    }
}

/// Every id must name a precaution the clinic can assign; unknown ones are
/// named in the 422.
fn check_precautions(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[PrecautionId],
) -> Result<(), AppError> {
    let found = precautions::find_many(conn, clinic, ids)?;
    let unknown: Vec<&str> = ids
        .iter()
        .filter(|id| !found.iter().any(|p| &p.id == *id && p.retired_at.is_none()))
        .map(PrecautionId::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(AppError::field(FieldError::new(
            "precautions",
            format!(
                "unknown precaution id(s): {}; see GET /api/v1/precautions",
                unknown.join(", ")
            ),
        )))
    }
}

fn search_text(p: &Patient) -> String {
    normalize(&format!(
        "{} {} {}",
        p.first_name,
        p.last_name,
        p.external_id.as_deref().unwrap_or_default()
    ))
}

/// `row` with the patient's fields as they are now written.
fn written(patient: &Patient, row: PatientRow, now: NaiveDateTime) -> PatientRow {
    PatientRow {
        first_name: patient.first_name.clone(),
        last_name: patient.last_name.clone(),
        date_of_birth: patient.date_of_birth.map(|d| d.to_string()),
        external_id: patient.external_id.clone(),
        contact: patient.contact.clone(),
        search_text: search_text(patient),
        updated_at: now,
        ..row
    }
}

fn today() -> NaiveDate {
    clock::now().date()
}

fn parse(input: PatientInput, current: Option<&Patient>) -> Result<Patient, AppError> {
    Patient::parse(input, current, today()).map_err(AppError::fields)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    input: PatientInput,
) -> Result<PatientView, AppError> {
    let patient = parse(input, None)?;
    write_tx(conn, |conn| {
        check_precautions(conn, clinic, &patient.precautions)?;
        let now = clock::now();
        let row = written(
            &patient,
            PatientRow {
                id: PatientId::new(),
                clinic_id: clinic,
                archived_at: None,
                created_at: now,
                ..PatientRow::default()
            },
            now,
        );
        q::insert(conn, &row)?;
        q::set_precautions(conn, row.id, &patient.precautions)?;
        audit::record(conn, actor.event("patient.create", "patient", row.id), now)?;
        Ok(PatientView {
            row,
            precautions: patient.precautions,
            needs_review: false,
        })
    })
}

/// Reads a patient without recording a view (for internal use).
pub fn load(conn: &mut DbConn, clinic: ClinicId, id: PatientId) -> Result<PatientView, AppError> {
    let row = q::find(conn, clinic, id).map_err(not_found("patient"))?;
    let precautions = q::precaution_ids(conn, row.id)?;
    let needs_review = programs::needing_review(conn, clinic, Some(&[row.id]))?.contains(&row.id);
    Ok(PatientView {
        row,
        precautions,
        needs_review,
    })
}

/// Reads a patient and records that the actor viewed the record.
pub fn view(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: PatientId,
) -> Result<PatientView, AppError> {
    write_tx(conn, |conn| {
        let found = load(conn, clinic, id)?;
        audit::record(
            conn,
            actor.event("patient.view", "patient", found.row.id),
            clock::now(),
        )?;
        Ok(found)
    })
}

pub fn search(
    conn: &mut DbConn,
    clinic: ClinicId,
    q: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<PatientView>, AppError> {
    let rows = q::search(conn, clinic, &normalize(q), limit, offset)?;
    let ids: Vec<PatientId> = rows.iter().map(|r| r.id).collect();
    let to_review = programs::needing_review(conn, clinic, Some(&ids))?;
    rows.into_iter()
        .map(|row| {
            let precautions = q::precaution_ids(conn, row.id)?;
            Ok(PatientView {
                needs_review: to_review.contains(&row.id),
                row,
                precautions,
            })
        })
        .collect()
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: PatientId,
    input: PatientInput,
) -> Result<PatientView, AppError> {
    write_tx(conn, |conn| {
        let current = load(conn, clinic, id)?;
        let patient = parse(input, Some(&patient_of(&current)))?;
        check_precautions(conn, clinic, &patient.precautions)?;
        let now = clock::now();
        let row = written(&patient, current.row, now);
        q::update(conn, clinic, &row)?;
        q::set_precautions(conn, row.id, &patient.precautions)?;
        if patient.precautions != current.precautions {
            review::recheck(conn, clinic, Some(&[row.id]))?;
        }
        let mut event = actor.event("patient.update", "patient", row.id);
        event.detail = Some(serde_json::json!({ "precautions": patient.precautions }));
        audit::record(conn, event, now)?;
        let needs_review =
            programs::needing_review(conn, clinic, Some(&[row.id]))?.contains(&row.id);
        Ok(PatientView {
            row,
            precautions: patient.precautions,
            needs_review,
        })
    })
}

pub fn archive(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: PatientId,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let current = load(conn, clinic, id)?;
        let now = clock::now();
        q::archive(conn, clinic, current.row.id, now)?;
        audit::record(
            conn,
            actor.event("patient.archive", "patient", current.row.id),
            now,
        )?;
        Ok(())
    })
}

/// The engine rules of the given precautions (unknown ids are skipped).
pub fn rules(
    conn: &mut DbConn,
    clinic: ClinicId,
    precaution_ids: &[PrecautionId],
) -> Result<Vec<Rule>, AppError> {
    Ok(precautions::find_many(conn, clinic, precaution_ids)?
        .iter()
        .map(|p| p.rule())
        .collect())
}
