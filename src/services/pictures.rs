//! Which picture an exercise shows where: a published version shows the
//! pictures it was published with (kept in `Version::pictures`), whatever
//! the clinic uploads or removes later; a draft, and a version published
//! before pictures were kept with versions, shows the current ones.

use std::collections::HashMap;

use crate::db::catalog::{self as q, PictureRow};
use crate::db::DbConn;
use crate::domain::ids::ClinicId;
use crate::domain::program::Version;
use crate::error::AppError;

fn exercise_ids(version: &Version) -> Vec<String> {
    version
        .items
        .iter()
        .map(|i| i.item.exercise_id.clone())
        .collect()
}

/// The exercises of `version` that show a picture. Costs no query for a
/// version that keeps its pictures.
pub fn with_pictures(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<Vec<String>, AppError> {
    Ok(match &version.pictures {
        Some(kept) => kept.keys().cloned().collect(),
        None => q::with_images(conn, clinic, &exercise_ids(version))?,
    })
}

/// The pictures `version` shows, by exercise id.
pub fn of_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<HashMap<String, PictureRow>, AppError> {
    Ok(match &version.pictures {
        Some(kept) => {
            let ids: Vec<String> = kept.values().cloned().collect();
            let mut by_id: HashMap<String, PictureRow> = q::pictures_by_id(conn, clinic, &ids)?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect();
            kept.iter()
                .filter_map(|(exercise, picture)| {
                    let found = by_id.remove(picture)?;
                    Some((exercise.clone(), found))
                })
                .collect()
        }
        None => q::images_for(conn, clinic, &exercise_ids(version))?
            .into_iter()
            .map(|i| (i.exercise_id, i.picture))
            .collect(),
    })
}

/// The picture one exercise of `version` shows, if any.
pub fn one_of_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
    exercise_id: &str,
) -> Result<Option<PictureRow>, AppError> {
    if !version
        .items
        .iter()
        .any(|i| i.item.exercise_id == exercise_id)
    {
        return Ok(None);
    }
    Ok(match &version.pictures {
        Some(kept) => match kept.get(exercise_id) {
            Some(picture) => q::pictures_by_id(conn, clinic, std::slice::from_ref(picture))?
                .into_iter()
                .next(),
            None => None,
        },
        None => q::get_image(conn, clinic, exercise_id)?.map(|i| i.picture),
    })
}
