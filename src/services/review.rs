//! Published programs re-checked when the rules move under them: a
//! patient's precautions change, a clinic edits a precaution or an
//! exercise's tags, or the built-in catalog changes. A live program whose
//! latest version now holds an avoided item that no override answered is
//! marked *needs review*; nothing changes for the patient until the
//! therapist publishes again, which clears the mark.

use crate::clock;
use crate::db::exercises::{self, ExerciseRow};
use crate::db::programs::{self as q, ProgramRow};
use crate::db::{clinics, patients, precautions, DbConn};
use crate::domain::ids::{ClinicId, ExerciseId, PatientId};
use crate::domain::program::{ReviewItem, Version};
use crate::domain::rules::{self, Rule, VerdictKind};
use crate::error::AppError;

/// The items of the program's latest published version that the patient's
/// precautions, as they are now, advise against without an override that
/// answered them. Empty before the first publish.
pub fn clashes(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &ProgramRow,
) -> Result<Vec<ReviewItem>, AppError> {
    if row.latest_version == 0 {
        return Ok(Vec::new());
    }
    let rules = patient_rules(conn, clinic, row.patient_id)?;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    // While a publish is under way the row already names the version being
    // written; there is nothing published to review against yet.
    let frozen = match q::find_version(conn, clinic, row.id, row.latest_version) {
        Ok(frozen) => frozen,
        Err(diesel::result::Error::NotFound) => return Ok(Vec::new()),
        Err(other) => return Err(other.into()),
    };
    let version: Version = serde_json::from_str(&frozen.content)
        .map_err(|e| AppError::internal("version content", e))?;
    let ids: Vec<ExerciseId> = version.items.iter().map(|i| i.item.exercise_id).collect();
    let current = exercises::find_many(conn, clinic, &ids)?;
    Ok(version
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, published)| {
            // The exercise's tags now, which a clinic or the catalog may
            // have corrected since publishing; the frozen copy if it is gone.
            let movement = current
                .iter()
                .find(|r| r.id == published.item.exercise_id)
                .map(|r: &ExerciseRow| r.movement.to_vec())
                .unwrap_or_else(|| published.exercise.movement.clone());
            let verdict = rules::verdict(&rules, &movement);
            let answered = published.item.override_reason.is_some()
                && verdict
                    .precautions
                    .iter()
                    .all(|p| published.overridden.contains(p));
            (verdict.kind == VerdictKind::Avoid && !answered).then(|| ReviewItem {
                item_index: index,
                exercise_id: published.item.exercise_id,
                exercise_name: published.exercise.name.clone(),
                precautions: verdict.precautions,
                tags: verdict.tags,
            })
        })
        .collect())
}

fn patient_rules(
    conn: &mut DbConn,
    clinic: ClinicId,
    patient: PatientId,
) -> Result<Vec<Rule>, AppError> {
    let ids = patients::precaution_ids(conn, patient)?;
    Ok(precautions::find_many(conn, clinic, &ids)?
        .iter()
        .map(|p| p.rule())
        .collect())
}

/// Re-checks the live published programs of the given patients (or of the
/// whole clinic) and marks or clears each; returns how many changed.
pub fn recheck(
    conn: &mut DbConn,
    clinic: ClinicId,
    patients: Option<&[PatientId]>,
) -> Result<usize, AppError> {
    let now = clock::now();
    let mut changed = 0;
    for row in q::live_published(conn, clinic, patients)? {
        let needed = !clashes(conn, clinic, &row)?.is_empty();
        if q::set_needs_review(conn, clinic, row.id, needed, now)? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Re-checks every clinic, after the built-in catalog changed.
pub fn recheck_everywhere(conn: &mut DbConn) -> Result<usize, AppError> {
    let mut changed = 0;
    for clinic in clinics::ids(conn)? {
        changed += crate::db::write_tx(conn, |conn| recheck(conn, clinic, None))?;
    }
    Ok(changed)
}
