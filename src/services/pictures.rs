//! Which picture an exercise shows where: a published version shows the
//! pictures it was published with (kept in `Version::pictures`), whatever
//! the clinic uploads or removes later; a draft, and a version published
//! before pictures were kept with versions, shows the current ones.
//!
//! A stored picture never changes, so its bytes are kept in a bounded
//! process-wide cache: a handout or a patient's phone asking again for the
//! same pictures costs no database read of them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::db::pictures as q;
use crate::db::DbConn;
use crate::domain::ids::{ClinicId, ExerciseId, PictureId};
use crate::domain::program::Version;
use crate::error::AppError;

/// Picture bytes kept in memory at most (an upload is at most 2 MB).
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// A stored picture, shared with the cache.
#[derive(Debug)]
pub struct StoredPicture {
    pub id: PictureId,
    pub clinic_id: ClinicId,
    pub content_type: String,
    pub bytes: Arc<[u8]>,
}

/// Weighs a cached picture by its bytes.
#[derive(Clone)]
struct ByBytes;

impl Weighter<PictureId, Arc<StoredPicture>> for ByBytes {
    fn weight(&self, _id: &PictureId, picture: &Arc<StoredPicture>) -> u64 {
        picture.bytes.len().max(1) as u64
    }
}

fn cache() -> &'static Cache<PictureId, Arc<StoredPicture>, ByBytes> {
    static CACHE: OnceLock<Cache<PictureId, Arc<StoredPicture>, ByBytes>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::with_weighter(256, CACHE_BYTES, ByBytes))
}

/// The clinic's pictures with these ids, from the cache or the database.
fn stored(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[PictureId],
) -> Result<HashMap<PictureId, Arc<StoredPicture>>, AppError> {
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    for id in ids {
        match cache().get(id) {
            // The clinic is checked here as the query would check it.
            Some(picture) if picture.clinic_id == clinic => {
                found.insert(id.clone(), picture);
            }
            _ => missing.push(id.clone()),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    for row in q::pictures_by_id(conn, clinic, &missing)? {
        let picture = Arc::new(StoredPicture {
            id: row.id,
            clinic_id: row.clinic_id,
            content_type: row.content_type,
            bytes: row.data.into(),
        });
        cache().insert(picture.id.clone(), Arc::clone(&picture));
        found.insert(picture.id.clone(), picture);
    }
    Ok(found)
}

fn exercise_ids(version: &Version) -> Vec<ExerciseId> {
    version.items.iter().map(|i| i.item.exercise_id).collect()
}

/// `(exercise id, picture id)` for each exercise of `version` that shows a
/// picture. Costs no query for a version that keeps its pictures.
fn shown(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<Vec<(ExerciseId, PictureId)>, AppError> {
    Ok(match &version.pictures {
        Some(kept) => kept
            .iter()
            .map(|(exercise, picture)| (*exercise, picture.clone()))
            .collect(),
        None => q::current_pictures(conn, clinic, &exercise_ids(version))?,
    })
}

/// The exercises of `version` that show a picture.
pub fn with_pictures(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<Vec<ExerciseId>, AppError> {
    Ok(shown(conn, clinic, version)?
        .into_iter()
        .map(|(exercise, _)| exercise)
        .collect())
}

/// The pictures `version` shows, by exercise id.
pub fn of_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<HashMap<ExerciseId, Arc<StoredPicture>>, AppError> {
    let shown = shown(conn, clinic, version)?;
    let ids: Vec<PictureId> = shown.iter().map(|(_, picture)| picture.clone()).collect();
    let found = stored(conn, clinic, &ids)?;
    Ok(shown
        .into_iter()
        .filter_map(|(exercise, picture)| Some((exercise, Arc::clone(found.get(&picture)?))))
        .collect())
}

/// The picture one exercise of `version` shows, if any.
pub fn one_of_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
    exercise_id: ExerciseId,
) -> Result<Option<Arc<StoredPicture>>, AppError> {
    if !version
        .items
        .iter()
        .any(|i| i.item.exercise_id == exercise_id)
    {
        return Ok(None);
    }
    match &version.pictures {
        Some(kept) => match kept.get(&exercise_id) {
            Some(picture) => by_id(conn, clinic, picture),
            None => Ok(None),
        },
        None => current(conn, clinic, exercise_id),
    }
}

/// The picture each of these exercises shows in the clinic now, by
/// exercise (those without one left out). One query for a whole page of
/// exercises, such as the builder's search results and draft items.
pub fn current_ids(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercises: &[ExerciseId],
) -> Result<HashMap<ExerciseId, PictureId>, AppError> {
    if exercises.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(q::current_pictures(conn, clinic, exercises)?
        .into_iter()
        .collect())
}

/// The picture an exercise shows in the clinic now, if any.
pub fn current(
    conn: &mut DbConn,
    clinic: ClinicId,
    exercise_id: ExerciseId,
) -> Result<Option<Arc<StoredPicture>>, AppError> {
    match q::current_pictures(conn, clinic, &[exercise_id])?
        .into_iter()
        .next()
    {
        Some((_, picture)) => by_id(conn, clinic, &picture),
        None => Ok(None),
    }
}

fn by_id(
    conn: &mut DbConn,
    clinic: ClinicId,
    picture: &PictureId,
) -> Result<Option<Arc<StoredPicture>>, AppError> {
    Ok(stored(conn, clinic, std::slice::from_ref(picture))?.remove(picture))
}
