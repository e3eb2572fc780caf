//! Importing the built-in catalog at start. Idempotent: an unchanged file
//! changes nothing, an edited one updates its row in place (published
//! programs keep their own copies), and an exercise or precaution whose file
//! entry is gone is retired, never deleted.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;

use super::Catalog;
use crate::clock;
use crate::db::catalog::{
    self as queries, ExerciseRow, PrecautionRow, StoredPrecaution, StoredSubstitution,
};
use crate::db::{write_tx, DbConn};

/// Arbitrary key of the lock that keeps instances from importing at once.
const IMPORT_LOCK_KEY: i64 = 0x0068_6570_5f69_6d70;

/// The stable id of a built-in exercise: the same on every server.
pub fn builtin_exercise_id(slug: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("https://hep.invalid/builtin-exercise/{slug}").as_bytes(),
    )
    .to_string()
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub inserted: usize,
    pub updated: usize,
    pub retired: usize,
    pub unchanged: usize,
}

pub fn import(conn: &mut DbConn, catalog: &Catalog) -> diesel::QueryResult<Report> {
    write_tx(conn, |conn| {
        if matches!(conn, DbConn::Pg(_)) {
            conn.batch_execute(&format!("SELECT pg_advisory_xact_lock({IMPORT_LOCK_KEY})"))?;
        }
        let now = clock::now();
        let mut report = Report::default();

        let existing: BTreeMap<String, (String, bool)> = queries::builtin_exercise_hashes(conn)?
            .into_iter()
            .map(|(id, hash, retired)| (id, (hash, retired)))
            .collect();
        let mut seen = Vec::new();
        for spec in &catalog.exercises {
            let row = ExerciseRow::new(builtin_exercise_id(&spec.slug), None, spec, now);
            seen.push(row.id.clone());
            match existing.get(&row.id) {
                None => {
                    queries::insert_exercise(conn, &row)?;
                    report.inserted += 1;
                }
                Some((hash, retired)) if hash != &row.content_hash || *retired => {
                    queries::replace_exercise(conn, &row, now)?;
                    report.updated += 1;
                }
                Some(_) => report.unchanged += 1,
            }
        }
        for (id, (_, retired)) in &existing {
            if !retired && !seen.contains(id) {
                queries::retire_exercise(conn, None, id, now)?;
                report.retired += 1;
            }
        }

        let existing: BTreeMap<String, (String, bool)> = queries::builtin_precaution_hashes(conn)?
            .into_iter()
            .map(|(id, hash, retired)| (id, (hash, retired)))
            .collect();
        let mut seen = Vec::new();
        for spec in &catalog.precautions {
            let stored = StoredPrecaution {
                label: spec.label.clone(),
                description: spec.description.clone(),
                avoid: spec.avoid.clone(),
                prefer: spec.prefer.clone(),
                patient_avoid: spec.patient_avoid.clone(),
                patient_instead: spec.patient_instead.clone(),
                substitutions: spec
                    .substitutions
                    .iter()
                    .map(|s| StoredSubstitution {
                        from: builtin_exercise_id(&s.from),
                        to: builtin_exercise_id(&s.to),
                        reason: s.reason.clone(),
                    })
                    .collect(),
            };
            let row = PrecautionRow::new(spec.id.clone(), None, &spec.id, &stored, now);
            seen.push(row.id.clone());
            match existing.get(&row.id) {
                None => {
                    queries::insert_precaution(conn, &row)?;
                    report.inserted += 1;
                }
                Some((hash, retired)) if hash != &row.content_hash || *retired => {
                    queries::replace_precaution(conn, &row, now)?;
                    report.updated += 1;
                }
                Some(_) => report.unchanged += 1,
            }
        }
        for (id, (_, retired)) in &existing {
            if !retired && !seen.contains(id) {
                queries::retire_precaution(conn, None, id, now)?;
                report.retired += 1;
            }
        }
        Ok(report)
    })
}
