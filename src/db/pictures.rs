//! Uploaded exercise pictures: immutable rows, which one each exercise of
//! a clinic shows now, and which ones each published version keeps.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{exercise_pictures, pictures, version_pictures};
use super::DbConn;
use crate::domain::ids::{ClinicId, ExerciseId, PictureId, ProgramId};

// ---- pictures ----

/// An uploaded picture. Never changed once stored: replacing an exercise's
/// picture stores a new one, so published versions keep theirs.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pictures)]
pub struct PictureRow {
    pub id: PictureId,
    pub clinic_id: ClinicId,
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
    exercise_id: ExerciseId,
    picture: &PictureRow,
) -> QueryResult<Option<PictureId>> {
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
    exercise_id: ExerciseId,
) -> QueryResult<Option<PictureId>> {
    let scope = || {
        exercise_pictures::table
            .filter(exercise_pictures::clinic_id.eq(clinic))
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
pub fn forget_picture(
    conn: &mut DbConn,
    clinic: ClinicId,
    picture_id: &PictureId,
) -> QueryResult<bool> {
    use diesel::dsl::{exists, not};
    let kept = version_pictures::table.filter(version_pictures::picture_id.eq(picture_id));
    let shown = exercise_pictures::table.filter(exercise_pictures::picture_id.eq(picture_id));
    diesel::delete(
        pictures::table
            .filter(pictures::clinic_id.eq(clinic))
            .filter(pictures::id.eq(picture_id))
            .filter(not(exists(kept)))
            .filter(not(exists(shown))),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// Records that a published version shows these pictures.
pub fn keep(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
    version: i32,
    picture_ids: &[PictureId],
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
                version_pictures::clinic_id.eq(clinic),
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
pub fn to_keep(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[ExerciseId],
) -> QueryResult<Vec<(ExerciseId, PictureId)>> {
    let query = exercise_pictures::table
        .filter(exercise_pictures::clinic_id.eq(clinic))
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
    ids: &[ExerciseId],
) -> QueryResult<Vec<(ExerciseId, PictureId)>> {
    exercise_pictures::table
        .filter(exercise_pictures::clinic_id.eq(clinic))
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
    ids: &[ExerciseId],
) -> QueryResult<Vec<ExerciseId>> {
    Ok(current_pictures(conn, clinic, ids)?
        .into_iter()
        .map(|(exercise_id, _)| exercise_id)
        .collect())
}

/// The clinic's pictures with these ids (kept by published versions).
pub fn pictures_by_id(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[PictureId],
) -> QueryResult<Vec<PictureRow>> {
    pictures::table
        .filter(pictures::clinic_id.eq(clinic))
        .filter(pictures::id.eq_any(ids.to_vec()))
        .select(PictureRow::as_select())
        .load(conn)
}
