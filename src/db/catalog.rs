//! Exercises and precautions: built-in rows (clinic_id NULL) and each
//! clinic's own. A clinic sees the built-in ones it has not hidden plus its
//! own; the visibility filter is part of every query.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::{
    exercise_pictures, exercises, hidden_exercises, pictures, precautions, version_pictures,
};
use super::{DbConn, MultiBackend};
use crate::domain::exercise::ExerciseSpec;
use crate::domain::ids::ClinicId;
use crate::domain::rules::{Candidate, Rule};
use crate::domain::search;

/// Tag lists are stored as `|a|b|` so that a filter is a portable LIKE.
pub fn pack(values: &[String]) -> String {
    format!("|{}|", values.join("|"))
}

pub fn unpack(packed: &str) -> Vec<String> {
    packed
        .split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn hash_of(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    crate::domain::credentials::token_hash(&json)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = exercises)]
pub struct ExerciseRow {
    pub id: String,
    pub clinic_id: Option<String>,
    pub slug: String,
    pub name: String,
    pub aliases: String,
    pub summary: String,
    pub regions: String,
    pub category: String,
    pub movement: String,
    pub equipment: String,
    pub position: String,
    pub content: String,
    pub search_text: String,
    pub content_hash: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ExerciseRow {
    pub fn new(
        id: String,
        clinic_id: Option<String>,
        spec: &ExerciseSpec,
        now: NaiveDateTime,
    ) -> Self {
        let search_text = search::normalize(&format!(
            "{} {} {}",
            spec.name,
            spec.aliases.join(" "),
            spec.summary
        ));
        Self {
            id,
            clinic_id,
            slug: spec.slug.clone(),
            name: spec.name.clone(),
            aliases: pack(&spec.aliases),
            summary: spec.summary.clone(),
            regions: pack(&spec.regions),
            category: spec.category.clone(),
            movement: pack(&spec.movement),
            equipment: pack(&spec.equipment),
            position: spec.position.clone(),
            content: serde_json::to_string(spec).unwrap_or_default(),
            search_text,
            content_hash: hash_of(spec),
            retired_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// The full exercise as stored.
    pub fn spec(&self) -> Result<ExerciseSpec, serde_json::Error> {
        serde_json::from_str(&self.content)
    }

    pub fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id.clone(),
            name: self.name.clone(),
            regions: unpack(&self.regions),
            category: self.category.clone(),
            movement: unpack(&self.movement),
        }
    }
}

/// A precaution's content; substitutions name exercise ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPrecaution {
    pub label: String,
    pub description: String,
    pub avoid: Vec<String>,
    pub prefer: Vec<String>,
    pub patient_avoid: String,
    pub patient_instead: String,
    pub substitutions: Vec<StoredSubstitution>,
}

/// Exercise `from` → exercise `to`, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Substitution)]
pub struct StoredSubstitution {
    pub from: String,
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = precautions)]
pub struct PrecautionRow {
    pub id: String,
    pub clinic_id: Option<String>,
    pub slug: String,
    pub label: String,
    pub avoid: String,
    pub prefer: String,
    pub content: String,
    pub content_hash: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl PrecautionRow {
    pub fn new(
        id: String,
        clinic_id: Option<String>,
        slug: &str,
        stored: &StoredPrecaution,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            clinic_id,
            slug: slug.to_owned(),
            label: stored.label.clone(),
            avoid: pack(&stored.avoid),
            prefer: pack(&stored.prefer),
            content: serde_json::to_string(stored).unwrap_or_default(),
            content_hash: hash_of(stored),
            retired_at: None,
            created_at: now,
            updated_at: now,
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
            avoid: unpack(&self.avoid),
            prefer: unpack(&self.prefer),
            substitutions,
        }
    }
}

// ---- import helpers (built-in rows) ----

pub fn builtin_exercise_hashes(conn: &mut DbConn) -> QueryResult<Vec<(String, String, bool)>> {
    exercises::table
        .filter(exercises::clinic_id.is_null())
        .select((
            exercises::id,
            exercises::content_hash,
            exercises::retired_at.is_not_null(),
        ))
        .load(conn)
}

pub fn builtin_precaution_hashes(conn: &mut DbConn) -> QueryResult<Vec<(String, String, bool)>> {
    precautions::table
        .filter(precautions::clinic_id.is_null())
        .select((
            precautions::id,
            precautions::content_hash,
            precautions::retired_at.is_not_null(),
        ))
        .load(conn)
}

pub fn insert_exercise(conn: &mut DbConn, row: &ExerciseRow) -> QueryResult<()> {
    diesel::insert_into(exercises::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Overwrites an exercise's content in place and un-retires it.
pub fn replace_exercise(
    conn: &mut DbConn,
    row: &ExerciseRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(exercises::table.find(&row.id))
        .set((
            exercises::slug.eq(&row.slug),
            exercises::name.eq(&row.name),
            exercises::aliases.eq(&row.aliases),
            exercises::summary.eq(&row.summary),
            exercises::regions.eq(&row.regions),
            exercises::category.eq(&row.category),
            exercises::movement.eq(&row.movement),
            exercises::equipment.eq(&row.equipment),
            exercises::position.eq(&row.position),
            exercises::content.eq(&row.content),
            exercises::search_text.eq(&row.search_text),
            exercises::content_hash.eq(&row.content_hash),
            exercises::retired_at.eq(None::<NaiveDateTime>),
            exercises::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Retires an exercise: of the clinic, or a built-in one when `clinic` is None.
pub fn retire_exercise(
    conn: &mut DbConn,
    clinic: Option<ClinicId>,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owner = exercises::table
        .filter(exercises::id.eq(id))
        .into_boxed::<MultiBackend>();
    let owner = match clinic {
        Some(c) => owner.filter(exercises::clinic_id.eq(c.to_string())),
        None => owner.filter(exercises::clinic_id.is_null()),
    };
    let ids: Vec<String> = owner.select(exercises::id).load(conn)?;
    diesel::update(exercises::table.filter(exercises::id.eq_any(ids)))
        .set((
            exercises::retired_at.eq(Some(now)),
            exercises::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn insert_precaution(conn: &mut DbConn, row: &PrecautionRow) -> QueryResult<()> {
    diesel::insert_into(precautions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn replace_precaution(
    conn: &mut DbConn,
    row: &PrecautionRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(precautions::table.find(&row.id))
        .set((
            precautions::slug.eq(&row.slug),
            precautions::label.eq(&row.label),
            precautions::avoid.eq(&row.avoid),
            precautions::prefer.eq(&row.prefer),
            precautions::content.eq(&row.content),
            precautions::content_hash.eq(&row.content_hash),
            precautions::retired_at.eq(None::<NaiveDateTime>),
            precautions::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn retire_precaution(
    conn: &mut DbConn,
    clinic: Option<ClinicId>,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owner = precautions::table
        .filter(precautions::id.eq(id))
        .into_boxed::<MultiBackend>();
    let owner = match clinic {
        Some(c) => owner.filter(precautions::clinic_id.eq(c.to_string())),
        None => owner.filter(precautions::clinic_id.is_null()),
    };
    let ids: Vec<String> = owner.select(precautions::id).load(conn)?;
    diesel::update(precautions::table.filter(precautions::id.eq_any(ids)))
        .set((
            precautions::retired_at.eq(Some(now)),
            precautions::updated_at.eq(now),
        ))
        .execute(conn)
}

// ---- what a clinic sees ----

/// Built-in and the clinic's own exercises, including retired and hidden
/// ones (a program may still name them).
fn owned_or_builtin(clinic: ClinicId) -> exercises::BoxedQuery<'static, MultiBackend> {
    exercises::table
        .filter(
            exercises::clinic_id
                .is_null()
                .or(exercises::clinic_id.eq(clinic.to_string())),
        )
        .into_boxed()
}

/// What the clinic can pick from: not retired, not hidden.
fn pickable(clinic: ClinicId) -> exercises::BoxedQuery<'static, MultiBackend> {
    let hidden = hidden_exercises::table
        .filter(hidden_exercises::clinic_id.eq(clinic.to_string()))
        .select(hidden_exercises::exercise_id);
    owned_or_builtin(clinic)
        .filter(exercises::retired_at.is_null())
        .filter(diesel::dsl::not(exercises::id.eq_any(hidden)))
}

/// Every exercise the clinic can pick, as (id, name) by name: the options
/// of a select, without loading the exercises' content.
pub fn pickable_names(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<(String, String)>> {
    pickable(clinic)
        .order((exercises::name.asc(), exercises::id.asc()))
        .select((exercises::id, exercises::name))
        .load(conn)
}

/// One exercise the clinic may see (its own or built-in).
pub fn find_exercise(conn: &mut DbConn, clinic: ClinicId, id: &str) -> QueryResult<ExerciseRow> {
    owned_or_builtin(clinic)
        .filter(exercises::id.eq(id.to_owned()))
        .select(ExerciseRow::as_select())
        .get_result(conn)
}

/// Several exercises by id, scoped to the clinic.
pub fn find_exercises(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
) -> QueryResult<Vec<ExerciseRow>> {
    owned_or_builtin(clinic)
        .filter(exercises::id.eq_any(ids.to_vec()))
        .select(ExerciseRow::as_select())
        .load(conn)
}

/// Every exercise the clinic may pick, as the engine sees them.
pub fn candidates(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<Candidate>> {
    let rows: Vec<(String, String, String, String, String)> = pickable(clinic)
        .select((
            exercises::id,
            exercises::name,
            exercises::regions,
            exercises::category,
            exercises::movement,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, regions, category, movement)| Candidate {
            id,
            name,
            regions: unpack(&regions),
            category,
            movement: unpack(&movement),
        })
        .collect())
}

/// Catalog filters; `q` is already normalised.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: String,
    pub region: Option<String>,
    pub category: Option<String>,
    pub movement: Option<String>,
    pub equipment: Option<String>,
    pub source: Option<Source>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Builtin,
    Clinic,
}

fn filtered(clinic: ClinicId, filter: &Filter) -> exercises::BoxedQuery<'static, MultiBackend> {
    let mut query = pickable(clinic);
    for word in filter.q.split(' ').filter(|w| !w.is_empty()) {
        query = query.filter(exercises::search_text.like(format!("%{word}%")));
    }
    if let Some(region) = &filter.region {
        query = query.filter(exercises::regions.like(format!("%|{region}|%")));
    }
    if let Some(category) = &filter.category {
        query = query.filter(exercises::category.eq(category.clone()));
    }
    if let Some(movement) = &filter.movement {
        query = query.filter(exercises::movement.like(format!("%|{movement}|%")));
    }
    if let Some(equipment) = &filter.equipment {
        query = query.filter(exercises::equipment.like(format!("%|{equipment}|%")));
    }
    match filter.source {
        Some(Source::Builtin) => query.filter(exercises::clinic_id.is_null()),
        Some(Source::Clinic) => query.filter(exercises::clinic_id.is_not_null()),
        None => query,
    }
}

/// A page of matching exercises, best match first (by name without `q`),
/// and the total number of matches.
pub fn search(
    conn: &mut DbConn,
    clinic: ClinicId,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ExerciseRow>, i64)> {
    // One light query for every match; rank or sort in memory, then load
    // the full rows of one page only. Cheaper than COUNT plus an ORDER BY
    // that walks the name index with a lookup per row.
    let matches: Vec<(String, String, String, String)> = filtered(clinic, filter)
        .select((
            exercises::id,
            exercises::name,
            exercises::aliases,
            exercises::summary,
        ))
        .load(conn)?;
    let mut ranked: Vec<(u32, String, String)> = matches
        .into_iter()
        .map(|(id, name, aliases, summary)| {
            (
                search::score(&filter.q, &name, &unpack(&aliases), &summary),
                name,
                id,
            )
        })
        .filter(|(score, _, _)| *score > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    let total = i64::try_from(ranked.len()).unwrap_or(i64::MAX);
    let page: Vec<String> = ranked
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(0))
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|(_, _, id)| id)
        .collect();
    let mut rows: Vec<ExerciseRow> = exercises::table
        .filter(exercises::id.eq_any(page.clone()))
        .select(ExerciseRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|row| page.iter().position(|id| id == &row.id));
    Ok((rows, total))
}

pub fn slug_taken(
    conn: &mut DbConn,
    clinic: ClinicId,
    slug: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    let mut query = exercises::table
        .filter(exercises::clinic_id.eq(clinic.to_string()))
        .filter(exercises::slug.eq(slug.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(id) = except {
        query = query.filter(exercises::id.ne(id.to_owned()));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

pub fn hide(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !is_hidden(conn, clinic, exercise_id)? {
        diesel::insert_into(hidden_exercises::table)
            .values((
                hidden_exercises::clinic_id.eq(clinic.to_string()),
                hidden_exercises::exercise_id.eq(exercise_id),
                hidden_exercises::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unhide(conn: &mut DbConn, clinic: ClinicId, exercise_id: &str) -> QueryResult<()> {
    diesel::delete(
        hidden_exercises::table
            .filter(hidden_exercises::clinic_id.eq(clinic.to_string()))
            .filter(hidden_exercises::exercise_id.eq(exercise_id)),
    )
    .execute(conn)
    .map(drop)
}

pub fn is_hidden(conn: &mut DbConn, clinic: ClinicId, exercise_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        hidden_exercises::table
            .filter(hidden_exercises::clinic_id.eq(clinic.to_string()))
            .filter(hidden_exercises::exercise_id.eq(exercise_id)),
    ))
    .get_result(conn)
}

/// The clinic's own exercises still in use, by name.
pub fn clinic_exercises(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<ExerciseRow>> {
    exercises::table
        .filter(exercises::clinic_id.eq(clinic.to_string()))
        .filter(exercises::retired_at.is_null())
        .order((exercises::name.asc(), exercises::id.asc()))
        .select(ExerciseRow::as_select())
        .load(conn)
}

/// Built-in exercises in use whose search text holds every word of `q`
/// (already normalised), by name, each with whether the clinic hides it.
pub fn builtin_with_hidden(
    conn: &mut DbConn,
    clinic: ClinicId,
    q: &str,
    limit: i64,
) -> QueryResult<Vec<(ExerciseRow, bool)>> {
    let mut query = exercises::table
        .filter(exercises::clinic_id.is_null())
        .filter(exercises::retired_at.is_null())
        .into_boxed::<MultiBackend>();
    for word in q.split(' ').filter(|w| !w.is_empty()) {
        query = query.filter(exercises::search_text.like(format!("%{word}%")));
    }
    let rows: Vec<ExerciseRow> = query
        .order((exercises::name.asc(), exercises::id.asc()))
        .limit(limit)
        .select(ExerciseRow::as_select())
        .load(conn)?;
    let hidden: Vec<String> = hidden_exercises::table
        .filter(hidden_exercises::clinic_id.eq(clinic.to_string()))
        .select(hidden_exercises::exercise_id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let is_hidden = hidden.contains(&row.id);
            (row, is_hidden)
        })
        .collect())
}

// ---- precautions ----

fn precautions_of(clinic: ClinicId) -> precautions::BoxedQuery<'static, MultiBackend> {
    precautions::table
        .filter(
            precautions::clinic_id
                .is_null()
                .or(precautions::clinic_id.eq(clinic.to_string())),
        )
        .into_boxed()
}

/// The precautions the clinic can assign: built-in and its own, not retired.
pub fn list_precautions(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<PrecautionRow>> {
    precautions_of(clinic)
        .filter(precautions::retired_at.is_null())
        .order((precautions::label.asc(), precautions::id.asc()))
        .select(PrecautionRow::as_select())
        .load(conn)
}

pub fn find_precaution(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: &str,
) -> QueryResult<PrecautionRow> {
    precautions_of(clinic)
        .filter(precautions::id.eq(id.to_owned()))
        .select(PrecautionRow::as_select())
        .get_result(conn)
}

/// Precautions by id, scoped to the clinic, in the order asked.
pub fn find_precautions(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
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

pub fn update_precaution(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &PrecautionRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        precautions::table
            .filter(precautions::id.eq(&row.id))
            .filter(precautions::clinic_id.eq(clinic.to_string())),
    )
    .set((
        precautions::label.eq(&row.label),
        precautions::avoid.eq(&row.avoid),
        precautions::prefer.eq(&row.prefer),
        precautions::content.eq(&row.content),
        precautions::content_hash.eq(&row.content_hash),
        precautions::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn update_exercise(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &ExerciseRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owned: bool = diesel::select(diesel::dsl::exists(
        exercises::table
            .filter(exercises::id.eq(&row.id))
            .filter(exercises::clinic_id.eq(clinic.to_string())),
    ))
    .get_result(conn)?;
    if !owned {
        return Ok(0);
    }
    replace_exercise(conn, row, now).map(|()| 1)
}

// ---- pictures ----

/// An uploaded picture. Never changed once stored: replacing an exercise's
/// picture stores a new one, so published versions keep theirs.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pictures)]
pub struct PictureRow {
    pub id: String,
    pub clinic_id: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub created_at: NaiveDateTime,
}

/// Stores `picture` and makes it the one `exercise_id` shows in the clinic;
/// returns the id of the picture it showed before, if any.
pub fn put_image(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: &str,
    picture: &PictureRow,
) -> QueryResult<Option<String>> {
    diesel::insert_into(pictures::table)
        .values(picture)
        .execute(conn)?;
    let before = delete_image(conn, clinic, exercise_id)?;
    diesel::insert_into(exercise_pictures::table)
        .values((
            exercise_pictures::clinic_id.eq(&picture.clinic_id),
            exercise_pictures::exercise_id.eq(exercise_id),
            exercise_pictures::picture_id.eq(&picture.id),
            exercise_pictures::created_at.eq(picture.created_at),
        ))
        .execute(conn)?;
    Ok(before)
}

/// Stops the exercise showing a picture; returns the id of the picture it
/// showed, if any. The picture itself is left for [`forget_picture`].
pub fn delete_image(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: &str,
) -> QueryResult<Option<String>> {
    let scope = || {
        exercise_pictures::table
            .filter(exercise_pictures::clinic_id.eq(clinic.to_string()))
            .filter(exercise_pictures::exercise_id.eq(exercise_id))
    };
    let before = scope()
        .select(exercise_pictures::picture_id)
        .get_result(conn)
        .optional()?;
    diesel::delete(scope()).execute(conn)?;
    Ok(before)
}

/// Deletes a picture that no exercise shows and no published version
/// keeps; one still in use stays. Returns whether it went.
pub fn forget_picture(conn: &mut DbConn, clinic: ClinicId, picture_id: &str) -> QueryResult<bool> {
    use diesel::dsl::{exists, not};
    let kept = version_pictures::table.filter(version_pictures::picture_id.eq(picture_id));
    let shown = exercise_pictures::table.filter(exercise_pictures::picture_id.eq(picture_id));
    diesel::delete(
        pictures::table
            .filter(pictures::clinic_id.eq(clinic.to_string()))
            .filter(pictures::id.eq(picture_id))
            .filter(not(exists(kept)))
            .filter(not(exists(shown))),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// Records that a published version shows these pictures.
pub fn keep_pictures(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: &str,
    version: i32,
    picture_ids: &[&String],
) -> QueryResult<()> {
    let mut ids = picture_ids.to_vec();
    // The same picture may serve two exercises of one version.
    ids.sort();
    ids.dedup();
    // One row at a time: MultiConnection has no multi-row insert, and a
    // version has a handful of pictures.
    for id in ids {
        diesel::insert_into(version_pictures::table)
            .values((
                version_pictures::clinic_id.eq(clinic.to_string()),
                version_pictures::program_id.eq(program_id),
                version_pictures::version.eq(version),
                version_pictures::picture_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Which pictures these exercises show now, `(exercise id, picture id)`,
/// for a version to keep. Call inside the publishing transaction: on
/// PostgreSQL the rows are share-locked, so a concurrent replacement waits
/// for the publish to commit and then sees the version that keeps the old
/// picture before deciding whether to forget it (SQLite's single writer
/// orders the two anyway).
pub fn pictures_to_keep(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    let query = exercise_pictures::table
        .filter(exercise_pictures::clinic_id.eq(clinic.to_string()))
        .filter(exercise_pictures::exercise_id.eq_any(ids.to_vec()))
        .select((
            exercise_pictures::exercise_id,
            exercise_pictures::picture_id,
        ));
    if let DbConn::Pg(pg) = conn {
        return query.for_share().load(pg);
    }
    query.load(conn)
}

/// Which pictures these exercises show in this clinic now,
/// `(exercise id, picture id)`.
pub fn current_pictures(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    exercise_pictures::table
        .filter(exercise_pictures::clinic_id.eq(clinic.to_string()))
        .filter(exercise_pictures::exercise_id.eq_any(ids.to_vec()))
        .select((
            exercise_pictures::exercise_id,
            exercise_pictures::picture_id,
        ))
        .load(conn)
}

/// Which of these exercises show a picture in this clinic now.
pub fn with_images(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    Ok(current_pictures(conn, clinic, ids)?
        .into_iter()
        .map(|(exercise_id, _)| exercise_id)
        .collect())
}

/// The clinic's pictures with these ids (kept by published versions).
pub fn pictures_by_id(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[String],
) -> QueryResult<Vec<PictureRow>> {
    pictures::table
        .filter(pictures::clinic_id.eq(clinic.to_string()))
        .filter(pictures::id.eq_any(ids.to_vec()))
        .select(PictureRow::as_select())
        .load(conn)
}
