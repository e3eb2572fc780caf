//! Importing the built-in catalog at start. Idempotent: an unchanged file
//! changes nothing, an edited one updates its row in place (published
//! programs keep their own copies), and an exercise or precaution whose file
//! entry is gone is retired, never deleted.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;

use super::Catalog;
use crate::clock;
use crate::db::exercises::{self, ExerciseRow};
use crate::db::precautions::{self, PrecautionRow, StoredPrecaution, StoredSubstitution};
use crate::db::{write_tx, DbConn};
use crate::domain::ids::{ExerciseId, PrecautionId};

/// Arbitrary key of the lock that keeps instances from importing at once.
const IMPORT_LOCK_KEY: i64 = 0x0068_6570_5f69_6d70;

/// The stable id of a built-in exercise as a client sends it (the text of
/// [`ExerciseId::builtin`]), for scripts and tests that name exercises.
pub fn builtin_exercise_id(slug: &str) -> String {
    ExerciseId::builtin(slug).to_string()
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub inserted: usize,
    pub updated: usize,
    pub retired: usize,
    pub unchanged: usize,
    /// Clinic exercises and precautions rewritten from retired tags.
    pub upgraded: usize,
}

impl Report {
    /// Whether any verdict may have changed, so published programs need a
    /// re-check against their patients' precautions.
    pub fn changed_rules(&self) -> bool {
        self.inserted + self.updated + self.retired + self.upgraded > 0
    }
}

pub fn import(conn: &mut DbConn, catalog: &Catalog) -> diesel::QueryResult<Report> {
    write_tx(conn, |conn| {
        if matches!(conn, DbConn::Pg(_)) {
            conn.batch_execute(&format!("SELECT pg_advisory_xact_lock({IMPORT_LOCK_KEY})"))?;
        }
        let now = clock::now();
        let mut report = Report::default();
        import_exercises(conn, catalog, now, &mut report)?;
        import_precautions(conn, catalog, now, &mut report)?;
        report.upgraded = upgrade_retired_tags(conn, catalog, now)?;
        Ok(report)
    })
}

fn import_exercises(
    conn: &mut DbConn,
    catalog: &Catalog,
    now: NaiveDateTime,
    report: &mut Report,
) -> diesel::QueryResult<()> {
    let existing: BTreeMap<ExerciseId, (String, bool)> = exercises::builtin_hashes(conn)?
        .into_iter()
        .map(|(id, hash, retired)| (id, (hash, retired)))
        .collect();
    let mut seen = Vec::new();
    for spec in &catalog.exercises {
        let row = ExerciseRow::new(ExerciseId::builtin(&spec.slug), None, spec, now);
        seen.push(row.id);
        match existing.get(&row.id) {
            None => {
                exercises::insert(conn, &row)?;
                report.inserted += 1;
            }
            Some((hash, retired)) if hash != &row.content_hash || *retired => {
                exercises::replace(conn, &row, now)?;
                report.updated += 1;
            }
            Some(_) => report.unchanged += 1,
        }
    }
    for (id, (_, retired)) in &existing {
        if !retired && !seen.contains(id) {
            exercises::retire(conn, None, *id, now)?;
            report.retired += 1;
        }
    }
    Ok(())
}

fn import_precautions(
    conn: &mut DbConn,
    catalog: &Catalog,
    now: NaiveDateTime,
    report: &mut Report,
) -> diesel::QueryResult<()> {
    let existing: BTreeMap<PrecautionId, (String, bool)> = precautions::builtin_hashes(conn)?
        .into_iter()
        .map(|(id, hash, retired)| (id, (hash, retired)))
        .collect();
    let mut seen = Vec::new();
    for spec in &catalog.precautions {
        let stored = StoredPrecaution {
            label: spec.label.clone(),
            description: spec.description.clone(),
            avoid: spec.avoid.clone(),
            caution: spec.caution.clone(),
            prefer: spec.prefer.clone(),
            patient_avoid: spec.patient_avoid.clone(),
            patient_instead: spec.patient_instead.clone(),
            patient_caution: spec.patient_caution.clone(),
            see_therapist_if: spec.see_therapist_if.clone(),
            substitutions: spec
                .substitutions
                .iter()
                .map(|s| StoredSubstitution {
                    from: ExerciseId::builtin(&s.from),
                    to: ExerciseId::builtin(&s.to),
                    reason: s.reason.clone(),
                })
                .collect(),
        };
        let row = PrecautionRow::new(spec.id.clone(), None, spec.id.as_str(), &stored, now);
        seen.push(row.id.clone());
        match existing.get(&row.id) {
            None => {
                precautions::insert(conn, &row)?;
                report.inserted += 1;
            }
            Some((hash, retired)) if hash != &row.content_hash || *retired => {
                precautions::replace(conn, &row, now)?;
                report.updated += 1;
            }
            Some(_) => report.unchanged += 1,
        }
    }
    for (id, (_, retired)) in &existing {
        if !retired && !seen.contains(id) {
            precautions::retire(conn, None, id, now)?;
            report.retired += 1;
        }
    }
    Ok(())
}

/// Rewrites every clinic's own exercises and precautions that still carry
/// a retired tag with the tags it stood for, so the built-in precautions
/// (which use only current tags) keep catching them. Idempotent.
fn upgrade_retired_tags(
    conn: &mut DbConn,
    catalog: &Catalog,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    let vocabulary = &catalog.vocabulary;
    let retired: Vec<String> = vocabulary.retired.keys().cloned().collect();
    if retired.is_empty() {
        return Ok(0);
    }
    let mut upgraded = 0;
    for row in exercises::clinic_rows_with_any_tag(conn, &retired)? {
        let Ok(mut spec) = row.spec() else { continue };
        spec.movement = vocabulary.upgrade(&spec.movement);
        let mut new = ExerciseRow::new(row.id, row.clinic_id, &spec, now);
        new.created_at = row.created_at;
        new.retired_at = row.retired_at;
        exercises::replace(conn, &new, now)?;
        if row.retired_at.is_some() {
            exercises::retire(conn, row.clinic_id, row.id, now)?;
        }
        upgraded += 1;
    }
    for row in precautions::clinic_rows_with_any_tag(conn, &retired)? {
        let Ok(mut stored) = row.stored() else {
            continue;
        };
        stored.avoid = vocabulary.upgrade(&stored.avoid);
        let avoid = stored.avoid.clone();
        stored.caution = vocabulary.upgrade(&stored.caution);
        stored.caution.retain(|t| !avoid.contains(t));
        let caution = stored.caution.clone();
        stored.prefer = vocabulary.upgrade(&stored.prefer);
        stored
            .prefer
            .retain(|t| !avoid.contains(t) && !caution.contains(t));
        let mut new = PrecautionRow::new(row.id.clone(), row.clinic_id, &row.slug, &stored, now);
        new.created_at = row.created_at;
        precautions::replace(conn, &new, now)?;
        if row.retired_at.is_some() {
            precautions::retire(conn, row.clinic_id, &row.id, now)?;
        }
        upgraded += 1;
    }
    Ok(upgraded)
}
