//! Precautions: built-in rows (clinic_id NULL, named by slug) and each
//! clinic's own; a clinic sees both, never another clinic's.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::precautions;
use super::types::{content_hash, Tags};
use super::{DbConn, MultiBackend};
use crate::domain::ids::{ClinicId, ExerciseId, PrecautionId};
use crate::domain::rules::Rule;

/// A precaution's content; substitutions name exercise ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPrecaution {
    pub label: String,
    pub description: String,
    pub avoid: Vec<String>,
    #[serde(default)]
    pub caution: Vec<String>,
    pub prefer: Vec<String>,
    pub patient_avoid: String,
    pub patient_instead: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_caution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see_therapist_if: Option<String>,
    pub substitutions: Vec<StoredSubstitution>,
}

/// Exercise `from` → exercise `to`, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Substitution)]
pub struct StoredSubstitution {
    #[schema(value_type = String, format = Uuid)]
    pub from: ExerciseId,
    #[schema(value_type = String, format = Uuid)]
    pub to: ExerciseId,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = precautions)]
pub struct PrecautionRow {
    pub id: PrecautionId,
    pub clinic_id: Option<ClinicId>,
    pub slug: String,
    pub label: String,
    pub avoid: Tags,
    pub prefer: Tags,
    pub content: String,
    pub content_hash: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub caution: Tags,
}

impl PrecautionRow {
    pub fn new(
        id: PrecautionId,
        clinic_id: Option<ClinicId>,
        slug: &str,
        stored: &StoredPrecaution,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            clinic_id,
            slug: slug.to_owned(),
            label: stored.label.clone(),
            avoid: Tags::from(stored.avoid.as_slice()),
            prefer: Tags::from(stored.prefer.as_slice()),
            content: serde_json::to_string(stored).unwrap_or_default(),
            content_hash: content_hash(stored),
            retired_at: None,
            created_at: now,
            updated_at: now,
            caution: Tags::from(stored.caution.as_slice()),
        }
    }

    pub fn stored(&self) -> Result<StoredPrecaution, serde_json::Error> {
        serde_json::from_str(&self.content)
    }

    pub fn rule(&self) -> Rule {
        let substitutions = self
            .stored()
            .map(|s| {
                s.substitutions
                    .into_iter()
                    .map(|s| (s.from, s.to))
                    .collect()
            })
            .unwrap_or_default();
        Rule {
            id: self.id.clone(),
            avoid: self.avoid.to_vec(),
            caution: self.caution.to_vec(),
            prefer: self.prefer.to_vec(),
            substitutions,
        }
    }
}

/// Every clinic's own precautions naming any of `tags` (to avoid, take care
/// with or prefer), in all clinics: for upgrading stored entries when the
/// vocabulary retires a tag.
pub fn clinic_rows_with_any_tag(
    conn: &mut DbConn,
    tags: &[String],
) -> QueryResult<Vec<PrecautionRow>> {
    let rows: Vec<PrecautionRow> = precautions::table
        .filter(precautions::clinic_id.is_not_null())
        .select(PrecautionRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            [&r.avoid, &r.caution, &r.prefer]
                .iter()
                .any(|list| list.iter().any(|t| tags.contains(t)))
        })
        .collect())
}

pub fn builtin_hashes(conn: &mut DbConn) -> QueryResult<Vec<(PrecautionId, String, bool)>> {
    precautions::table
        .filter(precautions::clinic_id.is_null())
        .select((
            precautions::id,
            precautions::content_hash,
            precautions::retired_at.is_not_null(),
        ))
        .load(conn)
}

pub fn insert(conn: &mut DbConn, row: &PrecautionRow) -> QueryResult<()> {
    diesel::insert_into(precautions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn replace(conn: &mut DbConn, row: &PrecautionRow, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(precautions::table.find(&row.id))
        .set((
            precautions::slug.eq(&row.slug),
            precautions::label.eq(&row.label),
            precautions::avoid.eq(&row.avoid),
            precautions::caution.eq(&row.caution),
            precautions::prefer.eq(&row.prefer),
            precautions::content.eq(&row.content),
            precautions::content_hash.eq(&row.content_hash),
            precautions::retired_at.eq(None::<NaiveDateTime>),
            precautions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn retire(
    conn: &mut DbConn,
    clinic: Option<ClinicId>,
    id: &PrecautionId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owner = precautions::table
        .filter(precautions::id.eq(id))
        .into_boxed::<MultiBackend>();
    let owner = match clinic {
        Some(c) => owner.filter(precautions::clinic_id.eq(c)),
        None => owner.filter(precautions::clinic_id.is_null()),
    };
    let ids: Vec<PrecautionId> = owner.select(precautions::id).load(conn)?;
    diesel::update(precautions::table.filter(precautions::id.eq_any(ids)))
        .set((
            precautions::retired_at.eq(Some(now)),
            precautions::updated_at.eq(now),
        ))
        .execute(conn)
}

// ---- precautions ----

fn precautions_of(clinic: ClinicId) -> precautions::BoxedQuery<'static, MultiBackend> {
    precautions::table
        .filter(
            precautions::clinic_id
                .is_null()
                .or(precautions::clinic_id.eq(clinic)),
        )
        .into_boxed()
}

/// The precautions the clinic can assign: built-in and its own, not retired.
pub fn list(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<PrecautionRow>> {
    precautions_of(clinic)
        .filter(precautions::retired_at.is_null())
        .order((precautions::label.asc(), precautions::id.asc()))
        .select(PrecautionRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, clinic: ClinicId, id: &PrecautionId) -> QueryResult<PrecautionRow> {
    precautions_of(clinic)
        .filter(precautions::id.eq(id.clone()))
        .select(PrecautionRow::as_select())
        .get_result(conn)
}

/// Precautions by id, scoped to the clinic, in the order asked.
pub fn find_many(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[PrecautionId],
) -> QueryResult<Vec<PrecautionRow>> {
    let rows: Vec<PrecautionRow> = precautions_of(clinic)
        .filter(precautions::id.eq_any(ids.to_vec()))
        .select(PrecautionRow::as_select())
        .load(conn)?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| &r.id == id).cloned())
        .collect())
}

pub fn update(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &PrecautionRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        precautions::table
            .filter(precautions::id.eq(&row.id))
            .filter(precautions::clinic_id.eq(clinic)),
    )
    .set((
        precautions::label.eq(&row.label),
        precautions::avoid.eq(&row.avoid),
        precautions::caution.eq(&row.caution),
        precautions::prefer.eq(&row.prefer),
        precautions::content.eq(&row.content),
        precautions::content_hash.eq(&row.content_hash),
        precautions::updated_at.eq(now),
    ))
    .execute(conn)
}
