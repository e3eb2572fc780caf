//! Exercises: built-in rows (clinic_id NULL) and each clinic's own. A
//! clinic sees the built-in ones it has not hidden plus its own; that
//! visibility filter is part of every query here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{exercises, hidden_exercises};
use super::types::{content_hash, Tags};
use super::{DbConn, MultiBackend};
use crate::domain::exercise::ExerciseSpec;
use crate::domain::ids::{ClinicId, ExerciseId};
use crate::domain::rules::Candidate;
use crate::domain::search;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = exercises)]
pub struct ExerciseRow {
    pub id: ExerciseId,
    pub clinic_id: Option<ClinicId>,
    pub slug: String,
    pub name: String,
    pub aliases: Tags,
    pub summary: String,
    pub regions: Tags,
    pub category: String,
    pub movement: Tags,
    pub equipment: Tags,
    pub position: String,
    pub content: String,
    pub search_text: String,
    pub content_hash: String,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub difficulty: i32,
    pub conditions: Tags,
}

impl ExerciseRow {
    pub fn new(
        id: ExerciseId,
        clinic_id: Option<ClinicId>,
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
            aliases: Tags::from(spec.aliases.as_slice()),
            summary: spec.summary.clone(),
            regions: Tags::from(spec.regions.as_slice()),
            category: spec.category.clone(),
            movement: Tags::from(spec.movement.as_slice()),
            equipment: Tags::from(spec.equipment.as_slice()),
            position: spec.position.clone(),
            content: serde_json::to_string(spec).unwrap_or_default(),
            search_text,
            content_hash: content_hash(spec),
            retired_at: None,
            created_at: now,
            updated_at: now,
            difficulty: spec.difficulty.into(),
            conditions: Tags::from(spec.conditions.as_slice()),
        }
    }

    /// The full exercise as stored.
    pub fn spec(&self) -> Result<ExerciseSpec, serde_json::Error> {
        serde_json::from_str(&self.content)
    }

    pub fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id,
            name: self.name.clone(),
            regions: self.regions.to_vec(),
            category: self.category.clone(),
            difficulty: level(self.difficulty),
            movement: self.movement.to_vec(),
        }
    }
}

/// A stored difficulty as the engine's level (stored values are 1 to 5).
fn level(stored: i32) -> u8 {
    u8::try_from(stored.clamp(1, 5)).unwrap_or(3)
}

pub fn builtin_hashes(conn: &mut DbConn) -> QueryResult<Vec<(ExerciseId, String, bool)>> {
    exercises::table
        .filter(exercises::clinic_id.is_null())
        .select((
            exercises::id,
            exercises::content_hash,
            exercises::retired_at.is_not_null(),
        ))
        .load(conn)
}

pub fn insert(conn: &mut DbConn, row: &ExerciseRow) -> QueryResult<()> {
    diesel::insert_into(exercises::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Overwrites an exercise's content in place and un-retires it.
pub fn replace(conn: &mut DbConn, row: &ExerciseRow, now: NaiveDateTime) -> QueryResult<()> {
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
            exercises::difficulty.eq(row.difficulty),
            exercises::conditions.eq(&row.conditions),
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
pub fn retire(
    conn: &mut DbConn,
    clinic: Option<ClinicId>,
    id: ExerciseId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owner = exercises::table
        .filter(exercises::id.eq(id))
        .into_boxed::<MultiBackend>();
    let owner = match clinic {
        Some(c) => owner.filter(exercises::clinic_id.eq(c)),
        None => owner.filter(exercises::clinic_id.is_null()),
    };
    let ids: Vec<ExerciseId> = owner.select(exercises::id).load(conn)?;
    diesel::update(exercises::table.filter(exercises::id.eq_any(ids)))
        .set((
            exercises::retired_at.eq(Some(now)),
            exercises::updated_at.eq(now),
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
                .or(exercises::clinic_id.eq(clinic)),
        )
        .into_boxed()
}

/// Every clinic's own exercises carrying any of `tags`, in all clinics: for
/// upgrading stored entries when the vocabulary retires a tag.
pub fn clinic_rows_with_any_tag(
    conn: &mut DbConn,
    tags: &[String],
) -> QueryResult<Vec<ExerciseRow>> {
    let mut query = exercises::table
        .filter(exercises::clinic_id.is_not_null())
        .into_boxed::<MultiBackend>();
    let mut any: Option<
        Box<
            dyn BoxableExpression<
                exercises::table,
                MultiBackend,
                SqlType = diesel::sql_types::Bool,
            >,
        >,
    > = None;
    for tag in tags {
        let one = exercises::movement.like(Tags::pattern(tag));
        any = Some(match any {
            None => Box::new(one),
            Some(prev) => Box::new(prev.or(one)),
        });
    }
    match any {
        Some(condition) => query = query.filter(condition),
        None => return Ok(Vec::new()),
    }
    query.select(ExerciseRow::as_select()).load(conn)
}

/// What the clinic can pick from: not retired, not hidden.
fn pickable(clinic: ClinicId) -> exercises::BoxedQuery<'static, MultiBackend> {
    let hidden = hidden_exercises::table
        .filter(hidden_exercises::clinic_id.eq(clinic))
        .select(hidden_exercises::exercise_id);
    owned_or_builtin(clinic)
        .filter(exercises::retired_at.is_null())
        .filter(diesel::dsl::not(exercises::id.eq_any(hidden)))
}

/// Every exercise the clinic can pick, as (id, name) by name: the options
/// of a select, without loading the exercises' content.
pub fn pickable_names(
    conn: &mut DbConn,
    clinic: ClinicId,
) -> QueryResult<Vec<(ExerciseId, String)>> {
    pickable(clinic)
        .order((exercises::name.asc(), exercises::id.asc()))
        .select((exercises::id, exercises::name))
        .load(conn)
}

/// Which of `ids` the clinic can pick now (not hidden, not retired).
pub fn pickable_among(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[ExerciseId],
) -> QueryResult<Vec<ExerciseId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    pickable(clinic)
        .filter(exercises::id.eq_any(ids.to_vec()))
        .select(exercises::id)
        .load(conn)
}

/// One exercise the clinic may see (its own or built-in).
pub fn find(conn: &mut DbConn, clinic: ClinicId, id: ExerciseId) -> QueryResult<ExerciseRow> {
    owned_or_builtin(clinic)
        .filter(exercises::id.eq(id))
        .select(ExerciseRow::as_select())
        .get_result(conn)
}

/// The stored content (`ExerciseSpec` as JSON) of one exercise the clinic
/// may see, without the rest of the row.
pub fn content(conn: &mut DbConn, clinic: ClinicId, id: ExerciseId) -> QueryResult<String> {
    owned_or_builtin(clinic)
        .filter(exercises::id.eq(id))
        .select(exercises::content)
        .get_result(conn)
}

/// Several exercises by id, scoped to the clinic.
pub fn find_many(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[ExerciseId],
) -> QueryResult<Vec<ExerciseRow>> {
    owned_or_builtin(clinic)
        .filter(exercises::id.eq_any(ids.to_vec()))
        .select(ExerciseRow::as_select())
        .load(conn)
}

/// Every exercise the clinic may pick, as the engine sees them.
pub fn candidates(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<Candidate>> {
    let rows: Vec<(ExerciseId, String, Tags, String, i32, Tags)> = pickable(clinic)
        .select((
            exercises::id,
            exercises::name,
            exercises::regions,
            exercises::category,
            exercises::difficulty,
            exercises::movement,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, regions, category, difficulty, movement)| Candidate {
                id,
                name,
                regions: regions.into_vec(),
                category,
                difficulty: level(difficulty),
                movement: movement.into_vec(),
            },
        )
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
    pub condition: Option<String>,
    /// 1 (very easy) to 5 (very hard).
    pub difficulty: Option<i32>,
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
        query = query.filter(exercises::regions.like(Tags::pattern(region)));
    }
    if let Some(category) = &filter.category {
        query = query.filter(exercises::category.eq(category.clone()));
    }
    if let Some(movement) = &filter.movement {
        query = query.filter(exercises::movement.like(Tags::pattern(movement)));
    }
    if let Some(equipment) = &filter.equipment {
        query = query.filter(exercises::equipment.like(Tags::pattern(equipment)));
    }
    if let Some(condition) = &filter.condition {
        query = query.filter(exercises::conditions.like(Tags::pattern(condition)));
    }
    if let Some(difficulty) = filter.difficulty {
        query = query.filter(exercises::difficulty.eq(difficulty));
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
    let matches: Vec<(ExerciseId, String, Tags, String)> = filtered(clinic, filter)
        .select((
            exercises::id,
            exercises::name,
            exercises::aliases,
            exercises::summary,
        ))
        .load(conn)?;
    let mut ranked: Vec<(u32, String, ExerciseId)> = matches
        .into_iter()
        .map(|(id, name, aliases, summary)| {
            (
                search::score(&filter.q, &name, &aliases, &summary),
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
    let page: Vec<ExerciseId> = ranked
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
    except: Option<ExerciseId>,
) -> QueryResult<bool> {
    let mut query = exercises::table
        .filter(exercises::clinic_id.eq(clinic))
        .filter(exercises::slug.eq(slug.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(id) = except {
        query = query.filter(exercises::id.ne(id));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

pub fn hide(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: ExerciseId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !is_hidden(conn, clinic, exercise_id)? {
        diesel::insert_into(hidden_exercises::table)
            .values((
                hidden_exercises::clinic_id.eq(clinic),
                hidden_exercises::exercise_id.eq(exercise_id),
                hidden_exercises::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unhide(conn: &mut DbConn, clinic: ClinicId, exercise_id: ExerciseId) -> QueryResult<()> {
    diesel::delete(
        hidden_exercises::table
            .filter(hidden_exercises::clinic_id.eq(clinic))
            .filter(hidden_exercises::exercise_id.eq(exercise_id)),
    )
    .execute(conn)
    .map(drop)
}

pub fn is_hidden(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: ExerciseId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        hidden_exercises::table
            .filter(hidden_exercises::clinic_id.eq(clinic))
            .filter(hidden_exercises::exercise_id.eq(exercise_id)),
    ))
    .get_result(conn)
}

/// The clinic's own exercises still in use, by name.
pub fn clinic_exercises(conn: &mut DbConn, clinic: ClinicId) -> QueryResult<Vec<ExerciseRow>> {
    exercises::table
        .filter(exercises::clinic_id.eq(clinic))
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
    let hidden: Vec<ExerciseId> = hidden_exercises::table
        .filter(hidden_exercises::clinic_id.eq(clinic))
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

pub fn update(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &ExerciseRow,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let owned: bool = diesel::select(diesel::dsl::exists(
        exercises::table
            .filter(exercises::id.eq(&row.id))
            .filter(exercises::clinic_id.eq(clinic)),
    ))
    .get_result(conn)?;
    if !owned {
        return Ok(0);
    }
    replace(conn, row, now).map(|()| 1)
}
