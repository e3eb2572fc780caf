//! The clinic's own catalog: admins create, edit and retire exercises and
//! precautions (same rules as the catalog files), hide built-in exercises,
//! and attach images. Built-in rows are read-only here.

use std::collections::HashMap;
use std::io::Cursor;

use crate::clock;
use crate::db::audit;
use crate::db::exercises::{self, ExerciseRow};
use crate::db::pictures::{self, PictureRow};
use crate::db::precautions::{self, PrecautionRow, StoredPrecaution, StoredSubstitution};
use crate::db::{write_tx, DbConn};
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::figure::Figure;
use crate::domain::ids::{ClinicId, ExerciseId, PictureId, PrecautionId};
use crate::domain::patch::{ExercisePatch, PrecautionPatch};
use crate::domain::precaution::{PrecautionInput, PrecautionSpec};
use crate::domain::search::normalize;
use crate::domain::vocabulary::Vocabulary;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::{not_found, review, Actor};

pub use crate::db::exercises::{Filter, Source};

/// A page of the clinic's catalog matching `filter`, best match first, and
/// the number of matches in all pages.
pub fn search(
    conn: &mut DbConn,
    clinic: ClinicId,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ExerciseRow>, i64), AppError> {
    Ok(exercises::search(conn, clinic, filter, limit, offset)?)
}

/// One exercise the clinic may see, and whether it shows a picture there.
pub fn exercise(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ExerciseId,
) -> Result<(ExerciseRow, bool), AppError> {
    let row = exercises::find(conn, clinic, id).map_err(not_found("exercise"))?;
    let has_image = !pictures::with_images(conn, clinic, &[id])?.is_empty();
    Ok((row, has_image))
}

/// The default dosage of an exercise the clinic may see, or `None` when it
/// cannot see it (then saving the item reports that).
pub fn default_dosage(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ExerciseId,
) -> Result<Option<crate::domain::dosage::Dosage>, AppError> {
    match exercises::content(conn, clinic, id) {
        Ok(content) => serde_json::from_str::<ExerciseSpec>(&content)
            .map(|spec| Some(spec.dosage))
            .map_err(|e| AppError::internal("exercise content", e)),
        Err(diesel::result::Error::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One exercise the clinic may see, and the picture it shows there now.
pub fn exercise_with_picture(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ExerciseId,
) -> Result<(ExerciseRow, Option<PictureId>), AppError> {
    let row = exercises::find(conn, clinic, id).map_err(not_found("exercise"))?;
    let picture = pictures::current_pictures(conn, clinic, &[id])?
        .into_iter()
        .next()
        .map(|(_, picture)| picture);
    Ok((row, picture))
}

/// The drawn figure of one exercise the clinic may see, with the name it
/// is drawn under; 404 when the exercise has none.
pub fn figure(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ExerciseId,
) -> Result<(Figure, String), AppError> {
    let content = exercises::content(conn, clinic, id).map_err(not_found("exercise"))?;
    let spec: ExerciseSpec =
        serde_json::from_str(&content).map_err(|e| AppError::internal("exercise content", e))?;
    let figure = spec.figure.ok_or(AppError::NotFound("figure"))?;
    Ok((figure, spec.name))
}

/// What the admin's catalog page lists.
pub struct Overview {
    /// The clinic's own exercises in use, each with whether it has a picture.
    pub exercises: Vec<(ExerciseRow, bool)>,
    /// Built-in and the clinic's own precautions.
    pub precautions: Vec<PrecautionRow>,
    /// Built-in exercises matching the search, each with whether hidden and
    /// the picture the clinic shows for it instead of the drawing, if any.
    pub builtins: Vec<(ExerciseRow, bool, Option<PictureId>)>,
}

/// The clinic's catalog as its admin sees it; `term` (normalised) narrows
/// the built-in exercises, at most `builtin_limit` of them.
pub fn overview(
    conn: &mut DbConn,
    clinic: ClinicId,
    term: &str,
    builtin_limit: i64,
) -> Result<Overview, AppError> {
    let own = exercises::clinic_exercises(conn, clinic)?;
    let builtins = exercises::builtin_with_hidden(conn, clinic, term, builtin_limit)?;
    let ids: Vec<ExerciseId> = own
        .iter()
        .map(|e| e.id)
        .chain(builtins.iter().map(|(e, _)| e.id))
        .collect();
    let mut shown: HashMap<ExerciseId, PictureId> = pictures::current_pictures(conn, clinic, &ids)?
        .into_iter()
        .collect();
    Ok(Overview {
        exercises: own
            .into_iter()
            .map(|row| {
                let has_image = shown.contains_key(&row.id);
                (row, has_image)
            })
            .collect(),
        precautions: precautions::list(conn, clinic)?,
        builtins: builtins
            .into_iter()
            .map(|(row, hidden)| {
                let picture = shown.remove(&row.id);
                (row, hidden, picture)
            })
            .collect(),
    })
}

/// Every exercise the clinic can pick, as (id, name) by name.
pub fn pickable(
    conn: &mut DbConn,
    clinic: ClinicId,
) -> Result<Vec<(ExerciseId, String)>, AppError> {
    Ok(exercises::pickable_names(conn, clinic)?)
}

/// The precautions the clinic can assign: built-in and its own.
pub fn precautions(conn: &mut DbConn, clinic: ClinicId) -> Result<Vec<PrecautionRow>, AppError> {
    Ok(precautions::list(conn, clinic)?)
}

/// Precautions by id, scoped to the clinic, in the order asked (unknown
/// ones left out).
pub fn precautions_by_id(
    conn: &mut DbConn,
    clinic: ClinicId,
    ids: &[PrecautionId],
) -> Result<Vec<PrecautionRow>, AppError> {
    Ok(precautions::find_many(conn, clinic, ids)?)
}

/// One precaution the clinic can see.
pub fn precaution(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: &PrecautionId,
) -> Result<PrecautionRow, AppError> {
    precautions::find(conn, clinic, id).map_err(not_found("precaution"))
}

/// Largest image accepted, in bytes.
pub const IMAGE_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Largest image accepted, in pixels per side.
pub const IMAGE_MAX_SIDE: u32 = 4096;

fn read_only() -> AppError {
    AppError::Forbidden("built-in catalog entries are read-only; hide the built-in exercise and create your clinic's own version".into())
}

/// A slug from a name: "Band Row (Seated)" → "band-row-seated".
pub fn slugify(name: &str) -> String {
    let slug = normalize(name).replace(' ', "-");
    slug.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}

fn parse_exercise(mut input: ExerciseInput, vocab: &Vocabulary) -> Result<ExerciseSpec, AppError> {
    if input.slug.trim().is_empty() {
        input.slug = slugify(&input.name);
    }
    ExerciseSpec::parse(input, vocab).map_err(AppError::fields)
}

/// Gives a clinic exercise the figure of the built-in exercise it is
/// "drawn like" (a copy, refreshed at each save), or none.
fn with_figure(
    conn: &mut DbConn,
    clinic: ClinicId,
    mut spec: ExerciseSpec,
) -> Result<ExerciseSpec, AppError> {
    spec.figure = match spec.drawn_like {
        None => None,
        Some(source) => {
            let unusable = || {
                AppError::field(FieldError::new(
                    "drawn_like",
                    "must name a built-in exercise with a drawn figure",
                ))
            };
            let row = exercises::find(conn, clinic, source).map_err(|_| unusable())?;
            if row.clinic_id.is_some() {
                return Err(unusable());
            }
            let figure = row
                .spec()
                .map_err(|e| AppError::internal("exercise content", e))?
                .figure;
            Some(figure.ok_or_else(unusable)?)
        }
    };
    Ok(spec)
}

fn slug_conflict(slug: &str) -> AppError {
    AppError::Conflict {
        code: "slug_taken",
        message: format!("your clinic already has an exercise with the slug `{slug}`; choose another slug or name"),
        clash: None,
    }
}

pub fn create_exercise(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    vocab: &Vocabulary,
    input: ExerciseInput,
) -> Result<ExerciseRow, AppError> {
    let spec = parse_exercise(input, vocab)?;
    write_tx(conn, |conn| {
        let spec = with_figure(conn, clinic, spec)?;
        if exercises::slug_taken(conn, clinic, &spec.slug, None)? {
            return Err(slug_conflict(&spec.slug));
        }
        let now = clock::now();
        let row = ExerciseRow::new(ExerciseId::new(), Some(clinic), &spec, now);
        exercises::insert(conn, &row)?;
        audit::record(
            conn,
            actor.event("exercise.create", "exercise", row.id),
            now,
        )?;
        Ok(row)
    })
}

/// Applies the fields present in `patch` over the stored exercise and
/// checks the result like a new one.
pub fn update_exercise(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    vocab: &Vocabulary,
    id: ExerciseId,
    patch: ExercisePatch,
) -> Result<ExerciseRow, AppError> {
    write_tx(conn, |conn| {
        let current = exercises::find(conn, clinic, id).map_err(not_found("exercise"))?;
        if current.clinic_id.is_none() {
            return Err(read_only());
        }
        let mut merged = serde_json::to_value(
            current
                .spec()
                .map_err(|e| AppError::internal("exercise content", e))?,
        )
        .map_err(|e| AppError::internal("exercise content", e))?;
        merge(&mut merged, &patch)?;
        // The figure is derived from `drawn_like`, not sent.
        if let Some(fields) = merged.as_object_mut() {
            fields.remove("figure");
        }
        let input: ExerciseInput =
            serde_json::from_value(merged).map_err(|e| AppError::Validation {
                message: format!("the exercise has the wrong shape: {e}"),
                fields: Default::default(),
            })?;
        let spec = with_figure(conn, clinic, parse_exercise(input, vocab)?)?;
        if exercises::slug_taken(conn, clinic, &spec.slug, Some(id))? {
            return Err(slug_conflict(&spec.slug));
        }
        let now = clock::now();
        let mut row = ExerciseRow::new(current.id, current.clinic_id, &spec, now);
        row.created_at = current.created_at;
        exercises::update(conn, clinic, &row, now)?;
        if row.movement.to_vec() != current.movement.to_vec() {
            review::recheck(conn, clinic, None)?;
        }
        audit::record(
            conn,
            actor.event("exercise.update", "exercise", row.id),
            now,
        )?;
        Ok(row)
    })
}

/// Lays a patch over the stored entry's JSON: fields it names replace the
/// stored ones, `dosage` field by field.
fn merge(target: &mut serde_json::Value, patch: &impl serde::Serialize) -> Result<(), AppError> {
    let patch = serde_json::to_value(patch).map_err(|e| AppError::internal("patch", e))?;
    merge_json(target, patch);
    Ok(())
}

fn merge_json(target: &mut serde_json::Value, patch: serde_json::Value) {
    if let (Some(target), serde_json::Value::Object(patch)) = (target.as_object_mut(), patch) {
        for (key, value) in patch {
            match (target.get_mut(&key), value) {
                (
                    Some(existing @ serde_json::Value::Object(_)),
                    serde_json::Value::Object(inner),
                ) => {
                    merge_json(existing, serde_json::Value::Object(inner));
                }
                (_, value) => {
                    target.insert(key, value);
                }
            }
        }
    }
}

/// One of the clinic's own catalog entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Exercise(ExerciseId),
    Precaution(PrecautionId),
}

/// Retires one of the clinic's own exercises or precautions: it leaves
/// pickers and searches, while programs and versions that name it keep
/// working. Built-in entries are read-only (hide a built-in exercise).
pub fn retire(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    entry: Entry,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let now = clock::now();
        let event = match &entry {
            Entry::Exercise(id) => {
                let current = exercises::find(conn, clinic, *id).map_err(not_found("exercise"))?;
                if current.clinic_id.is_none() {
                    return Err(read_only());
                }
                exercises::retire(conn, Some(clinic), *id, now)?;
                actor.event("exercise.retire", "exercise", id)
            }
            Entry::Precaution(id) => {
                let current =
                    precautions::find(conn, clinic, id).map_err(not_found("precaution"))?;
                if current.clinic_id.is_none() {
                    return Err(read_only());
                }
                precautions::retire(conn, Some(clinic), id, now)?;
                actor.event("precaution.retire", "precaution", id)
            }
        };
        audit::record(conn, event, now)?;
        Ok(())
    })
}

/// Hides a built-in exercise from the clinic's searches, or shows it again.
pub fn set_hidden(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ExerciseId,
    hidden: bool,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let current = exercises::find(conn, clinic, id).map_err(not_found("exercise"))?;
        if current.clinic_id.is_some() {
            return Err(AppError::Conflict {
                code: "not_builtin",
                message: "only built-in exercises can be hidden; retire your clinic's own exercise instead".into(),
                clash: None,
            });
        }
        let now = clock::now();
        if hidden {
            exercises::hide(conn, clinic, id, now)?;
        } else {
            exercises::unhide(conn, clinic, id)?;
        }
        let action = if hidden {
            "exercise.hide"
        } else {
            "exercise.unhide"
        };
        audit::record(conn, actor.event(action, "exercise", id), now)?;
        Ok(())
    })
}

/// Checks an uploaded image: PNG or JPEG, at most 2 MB and 4096 px a side,
/// decoded under memory limits so a decompression bomb is refused, not run.
pub fn check_image(bytes: &[u8]) -> Result<(&'static str, u32, u32), AppError> {
    if bytes.len() > IMAGE_MAX_BYTES {
        return Err(AppError::PayloadTooLarge(format!(
            "images may be at most {} bytes (2 MB); this one is {}",
            IMAGE_MAX_BYTES,
            bytes.len()
        )));
    }
    let invalid = |message: String| AppError::fields(vec![FieldError::new("image", message)]);
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| invalid(format!("cannot read the image: {e}")))?;
    let content_type = match reader.format() {
        Some(image::ImageFormat::Png) => "image/png",
        Some(image::ImageFormat::Jpeg) => "image/jpeg",
        _ => return Err(invalid("must be a PNG or JPEG file".into())),
    };
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(IMAGE_MAX_SIDE);
    limits.max_image_height = Some(IMAGE_MAX_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    let mut reader = reader;
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => invalid(format!(
            "must be at most {IMAGE_MAX_SIDE}×{IMAGE_MAX_SIDE} pixels"
        )),
        other => invalid(format!("cannot decode the image: {other}")),
    })?;
    Ok((content_type, decoded.width(), decoded.height()))
}

pub fn put_image(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ExerciseId,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    let (content_type, width, height) = check_image(&bytes)?;
    write_tx(conn, |conn| {
        exercises::find(conn, clinic, id).map_err(not_found("exercise"))?;
        let now = clock::now();
        let replaced = pictures::put_image(
            conn,
            clinic,
            id,
            &PictureRow {
                id: PictureId::new(),
                clinic_id: clinic,
                content_type: content_type.to_owned(),
                data: bytes,
                width: i32::try_from(width).unwrap_or(0),
                height: i32::try_from(height).unwrap_or(0),
                created_at: now,
            },
        )?;
        if let Some(old) = replaced {
            pictures::forget_picture(conn, clinic, &old)?;
        }
        audit::record(conn, actor.event("exercise.image", "exercise", id), now)?;
        Ok(())
    })
}

pub fn delete_image(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ExerciseId,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let Some(old) = pictures::delete_image(conn, clinic, id)? else {
            return Err(AppError::NotFound("exercise image"));
        };
        pictures::forget_picture(conn, clinic, &old)?;
        audit::record(
            conn,
            actor.event("exercise.image_delete", "exercise", id),
            clock::now(),
        )?;
        Ok(())
    })
}

/// Parses a clinic precaution; substitutions name exercise ids the clinic
/// can see, and never swap in an exercise the precaution avoids.
fn parse_precaution(
    conn: &mut DbConn,
    clinic: ClinicId,
    vocab: &Vocabulary,
    input: PrecautionInput,
) -> Result<StoredPrecaution, AppError> {
    let spec = PrecautionSpec::parse(input, vocab).map_err(AppError::fields)?;
    let mut errors = Vec::new();
    let mut substitutions = Vec::new();
    for (i, sub) in spec.substitutions.iter().enumerate() {
        let (from, to) = sub.exercise_ids();
        let ids: Vec<ExerciseId> = from.into_iter().chain(to).collect();
        let found = exercises::find_many(conn, clinic, &ids)?;
        let get = |id: Option<ExerciseId>| found.iter().find(|r| Some(r.id) == id);
        match (get(from), get(to)) {
            (None, _) => errors.push(FieldError::new(
                format!("substitution[{i}].from"),
                "no exercise with this id in your catalog",
            )),
            (_, None) => errors.push(FieldError::new(
                format!("substitution[{i}].to"),
                "no exercise with this id in your catalog",
            )),
            (Some(from), Some(to)) => {
                if to.movement.iter().any(|t| spec.avoid.contains(t)) {
                    errors.push(FieldError::new(
                        format!("substitution[{i}].to"),
                        "this exercise carries a tag the precaution avoids; swap in one it allows",
                    ));
                } else {
                    substitutions.push(StoredSubstitution {
                        from: from.id,
                        to: to.id,
                        reason: sub.reason.clone(),
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    Ok(StoredPrecaution {
        label: spec.label,
        description: spec.description,
        avoid: spec.avoid,
        caution: spec.caution,
        prefer: spec.prefer,
        patient_avoid: spec.patient_avoid,
        patient_instead: spec.patient_instead,
        patient_caution: spec.patient_caution,
        see_therapist_if: spec.see_therapist_if,
        substitutions,
    })
}

pub fn create_precaution(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    vocab: &Vocabulary,
    mut input: PrecautionInput,
) -> Result<PrecautionRow, AppError> {
    if input.id.trim().is_empty() {
        input.id = slugify(&input.label);
    }
    write_tx(conn, |conn| {
        let slug = input.id.clone();
        let stored = parse_precaution(conn, clinic, vocab, input)?;
        let now = clock::now();
        let row = PrecautionRow::new(PrecautionId::new(), Some(clinic), &slug, &stored, now);
        precautions::insert(conn, &row)?;
        audit::record(
            conn,
            actor.event("precaution.create", "precaution", &row.id),
            now,
        )?;
        Ok(row)
    })
}

pub fn update_precaution(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    vocab: &Vocabulary,
    id: &PrecautionId,
    patch: PrecautionPatch,
) -> Result<PrecautionRow, AppError> {
    write_tx(conn, |conn| {
        let current = precautions::find(conn, clinic, id).map_err(not_found("precaution"))?;
        if current.clinic_id.is_none() {
            return Err(read_only());
        }
        let stored = current
            .stored()
            .map_err(|e| AppError::internal("precaution content", e))?;
        let mut merged = serde_json::json!({
            "id": current.slug,
            "label": stored.label,
            "description": stored.description,
            "avoid": stored.avoid,
            "caution": stored.caution,
            "prefer": stored.prefer,
            "patient_avoid": stored.patient_avoid,
            "patient_instead": stored.patient_instead,
            "patient_caution": stored.patient_caution,
            "see_therapist_if": stored.see_therapist_if,
            "substitution": stored.substitutions,
        });
        merge(&mut merged, &patch)?;
        let input: PrecautionInput =
            serde_json::from_value(merged).map_err(|e| AppError::Validation {
                message: format!("the precaution has the wrong shape: {e}"),
                fields: Default::default(),
            })?;
        let slug = input.id.clone();
        let stored = parse_precaution(conn, clinic, vocab, input)?;
        let now = clock::now();
        let mut row =
            PrecautionRow::new(current.id.clone(), current.clinic_id, &slug, &stored, now);
        row.created_at = current.created_at;
        precautions::update(conn, clinic, &row, now)?;
        review::recheck(conn, clinic, None)?;
        audit::record(
            conn,
            actor.event("precaution.update", "precaution", &row.id),
            now,
        )?;
        Ok(row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(slugify("Band Row (Seated)"), "band-row-seated");
        assert_eq!(slugify("Épaule — stretch"), "epaule-stretch");
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut png = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut png);
        let pixels = vec![0u8; (width * height) as usize];
        image::ImageEncoder::write_image(
            encoder,
            &pixels,
            width,
            height,
            image::ExtendedColorType::L8,
        )
        .unwrap();
        png
    }

    #[test]
    fn oversized_images_are_refused_from_their_header_and_small_ones_accepted() {
        // 4097 × 1 costs nothing to build; the same header check stops a
        // 100000 × 100000 bomb before a byte of it is decoded.
        match check_image(&png(4097, 1)) {
            Err(AppError::Validation { fields, .. }) => {
                assert!(fields["image"].contains("4096"), "{fields:?}")
            }
            other => panic!("expected a 422, got {other:?}"),
        }
        assert_eq!(check_image(&png(8, 8)).unwrap(), ("image/png", 8, 8));
        assert!(check_image(b"not an image").is_err());
    }
}
