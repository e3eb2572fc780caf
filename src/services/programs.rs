//! Programs: build a draft for a patient, see every conflict with the
//! patient's precautions (with alternatives), replace the draft under
//! optimistic concurrency, publish numbered immutable versions, and keep
//! clinic templates.

use std::sync::{Arc, OnceLock};

use quick_cache::sync::Cache;

use serde::Serialize;

use crate::clock;
use crate::db::audit;
use crate::db::clinicians;
use crate::db::exercises::{self, ExerciseRow};
use crate::db::programs::{self as q, ProgramRow, TemplateRow, VersionRow};
use crate::db::{pictures, precautions};
use crate::db::{write_tx, DbConn};
use crate::domain::ids::{
    ClinicId, ClinicianId, ExerciseId, PatientId, PictureId, ProgramId, TemplateId,
};
use crate::domain::patient::display_name;
use crate::domain::program::{
    self, ConflictView, ExerciseRef, Item, ItemInput, ReviewItem, Version, VersionItem,
    VersionPrecaution,
};
use crate::domain::rules::{self, Candidate, Verdict, VerdictKind};
use crate::domain::FieldError;
use crate::error::{AppError, Clash};
use crate::services::patients;
use crate::services::{not_found, review, Actor};

pub use crate::domain::rules::ALTERNATIVES;

/// A program draft (or template) as sent.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub items: Option<Vec<ItemInput>>,
    /// The revision the client last read; required to replace a draft.
    #[serde(default)]
    pub revision: Option<i64>,
    /// Start from this clinic template (create only, ignored elsewhere).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub template_id: Option<TemplateId>,
}

/// An item with its exercise's name and verdict for this patient.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ProgramItem)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: Item,
    pub exercise_name: String,
    pub dosage_line: String,
    pub verdict: Verdict,
    /// The exercise has a drawn figure (`GET /api/v1/exercises/{id}/figure.svg`).
    pub has_figure: bool,
    /// The next easier and harder exercise of its progression, to swap in.
    #[schema(required = true)]
    pub easier: Option<ExerciseRef>,
    #[schema(required = true)]
    pub harder: Option<ExerciseRef>,
}

#[derive(Debug, Clone)]
pub struct ProgramView {
    pub row: ProgramRow,
    pub items: Vec<ItemView>,
    pub conflicts: Vec<ConflictView>,
    /// Items of the latest published version that now clash (needs review).
    pub review: Vec<ReviewItem>,
}

impl ProgramView {
    /// Conflicts that block publishing: avoided items without a reason.
    pub fn unresolved(&self) -> Vec<&ConflictView> {
        self.conflicts
            .iter()
            .filter(|c| c.override_reason.is_none())
            .collect()
    }
}

fn items_of(row: &ProgramRow) -> Result<Vec<Item>, AppError> {
    serde_json::from_str(&row.items).map_err(|e| AppError::internal("program items", e))
}

/// The exercises of `ids` the clinic can see, keyed for lookup.
fn exercises(
    conn: &mut DbConn,
    clinic: ClinicId,
    items: &[ItemInput],
) -> Result<Vec<ExerciseRow>, AppError> {
    let ids: Vec<ExerciseId> = items.iter().map(|i| i.exercise_id).collect();
    Ok(exercises::find_many(conn, clinic, &ids)?)
}

/// Parses items against the clinic's usable exercises (not retired, not hidden).
fn parse_items(
    conn: &mut DbConn,
    clinic: ClinicId,
    inputs: Vec<ItemInput>,
) -> Result<Vec<Item>, AppError> {
    let found = exercises(conn, clinic, &inputs)?;
    let mut usable = Vec::new();
    for row in found {
        if row.retired_at.is_none() && !exercises::is_hidden(conn, clinic, row.id)? {
            usable.push(row);
        }
    }
    program::parse_items(inputs, |id| {
        usable
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.spec().ok())
            .map(|s| s.dosage)
    })
    .map_err(AppError::fields)
}

/// Verdicts and conflicts of `items` for the patient's precautions.
fn evaluate(
    conn: &mut DbConn,
    clinic: ClinicId,
    patient_id: PatientId,
    items: Vec<Item>,
) -> Result<(Vec<ItemView>, Vec<ConflictView>), AppError> {
    let patient = patients::load(conn, clinic, patient_id)?;
    let rules = patients::rules(conn, clinic, &patient.precautions)?;
    let ids: Vec<ExerciseId> = items.iter().map(|i| i.exercise_id).collect();
    let rows = exercises::find_many(conn, clinic, &ids)?;
    let candidate_of = |id: ExerciseId| {
        rows.iter()
            .find(|r| r.id == id)
            .map(ExerciseRow::candidate)
            .unwrap_or_else(|| Candidate {
                id,
                name: "(exercise no longer available)".into(),
                regions: vec![],
                category: String::new(),
                difficulty: 0,
                movement: vec![],
            })
    };
    let item_candidates: Vec<Candidate> =
        items.iter().map(|i| candidate_of(i.exercise_id)).collect();
    let catalog = if rules.is_empty() {
        Vec::new()
    } else {
        exercises::candidates(conn, clinic)?
    };
    let refs: Vec<&Candidate> = item_candidates.iter().collect();
    let conflicts = rules::conflicts(&rules, &refs, &catalog, ALTERNATIVES)
        .into_iter()
        .map(|c| ConflictView {
            item_index: c.item_index,
            exercise_id: c.exercise_id,
            precautions: c.precautions,
            tags: c.tags,
            alternatives: c
                .alternatives
                .iter()
                .map(|a| ExerciseRef {
                    id: a.id,
                    name: a.name.clone(),
                })
                .collect(),
            override_reason: items
                .get(c.item_index)
                .and_then(|i| i.override_reason.clone()),
        })
        .collect();
    let specs: Vec<(ExerciseId, crate::domain::exercise::ExerciseSpec)> = rows
        .iter()
        .filter_map(|r| Some((r.id, r.spec().ok()?)))
        .collect();
    let spec_of = |id: ExerciseId| specs.iter().find(|(i, _)| *i == id).map(|(_, s)| s);
    // A neighbour the clinic has hidden is not offered as a step.
    let steps: Vec<ExerciseId> = specs
        .iter()
        .flat_map(|(_, s)| [s.easier.as_ref(), s.harder.as_ref()])
        .flatten()
        .map(|step| ExerciseRef::from(step).id)
        .collect();
    let offered = exercises::pickable_among(conn, clinic, &steps)?;
    let step = |step: Option<&crate::domain::exercise::Step>| {
        step.map(ExerciseRef::from)
            .filter(|r| offered.contains(&r.id))
    };
    let views = items
        .into_iter()
        .zip(item_candidates)
        .map(|(item, candidate)| ItemView {
            has_figure: spec_of(item.exercise_id).is_some_and(|s| s.figure.is_some()),
            easier: step(spec_of(item.exercise_id).and_then(|s| s.easier.as_ref())),
            harder: step(spec_of(item.exercise_id).and_then(|s| s.harder.as_ref())),
            verdict: rules::verdict(&rules, &candidate.movement),
            exercise_name: candidate.name,
            dosage_line: item.dosage_line(),
            item,
        })
        .collect();
    Ok((views, conflicts))
}

fn view(conn: &mut DbConn, clinic: ClinicId, row: ProgramRow) -> Result<ProgramView, AppError> {
    let items = items_of(&row)?;
    let (items, conflicts) = evaluate(conn, clinic, row.patient_id, items)?;
    let review = if row.needs_review_at.is_some() {
        review::clashes(conn, clinic, &row)?
    } else {
        Vec::new()
    };
    Ok(ProgramView {
        row,
        items,
        conflicts,
        review,
    })
}

fn to_json(items: &[Item]) -> Result<String, AppError> {
    serde_json::to_string(items).map_err(|e| AppError::internal("program items", e))
}

fn parse_head(title: Option<&str>, notes: Option<&str>) -> Result<(String, String), AppError> {
    let title = program::parse_title(title.unwrap_or_default());
    let notes = program::parse_notes(notes);
    match (title, notes) {
        (Ok(t), Ok(n)) => Ok((t, n)),
        (t, n) => Err(AppError::fields(
            [t.err(), n.err()].into_iter().flatten().collect(),
        )),
    }
}

/// Who wrote a record; the command line acts as nobody in particular.
pub(crate) fn clinician_id(actor: &Actor) -> ClinicianId {
    actor.clinician_id.unwrap_or(ClinicianId(uuid::Uuid::nil()))
}

fn archived_patient() -> AppError {
    AppError::Conflict {
        code: "patient_archived",
        message: "this patient is archived; restore them before changing their programs".into(),
        clash: None,
    }
}

/// Creates a draft for a patient, optionally from a template.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    patient_id: PatientId,
    input: DraftInput,
) -> Result<ProgramView, AppError> {
    write_tx(conn, |conn| {
        let patient = patients::load(conn, clinic, patient_id)?;
        if patient.row.archived_at.is_some() {
            return Err(archived_patient());
        }
        let template = match &input.template_id {
            Some(id) => Some(q::find_template(conn, clinic, *id).map_err(not_found("template"))?),
            None => None,
        };
        let title = input
            .title
            .clone()
            .or_else(|| template.as_ref().map(|t| t.title.clone()));
        let notes = input
            .notes
            .clone()
            .or_else(|| template.as_ref().map(|t| t.notes.clone()));
        let (title, notes) = parse_head(title.as_deref(), notes.as_deref())?;
        let inputs = match (input.items, &template) {
            (Some(items), _) => items,
            (None, Some(t)) => serde_json::from_str::<Vec<Item>>(&t.items)
                .map_err(|e| AppError::internal("template items", e))?
                .iter()
                .map(Item::to_input)
                .collect(),
            (None, None) => Vec::new(),
        };
        let items = parse_items(conn, clinic, inputs)?;
        let now = clock::now();
        let row = ProgramRow {
            id: ProgramId::new(),
            clinic_id: clinic,
            patient_id: patient.row.id,
            title,
            notes,
            items: to_json(&items)?,
            revision: 1,
            latest_version: 0,
            created_by: clinician_id(actor),
            archived_at: None,
            created_at: now,
            updated_at: now,
            needs_review_at: None,
        };
        q::insert(conn, &row)?;
        let mut event = actor.event("program.create", "program", row.id);
        event.detail = Some(
            serde_json::json!({ "patient_id": row.patient_id, "template_id": input.template_id }),
        );
        audit::record(conn, event, now)?;
        view(conn, clinic, row)
    })
}

pub fn get(conn: &mut DbConn, clinic: ClinicId, id: ProgramId) -> Result<ProgramView, AppError> {
    let row = q::find(conn, clinic, id).map_err(not_found("program"))?;
    view(conn, clinic, row)
}

/// Replaces the draft whole, refusing a stale revision with 409.
pub fn replace(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ProgramId,
    input: DraftInput,
) -> Result<ProgramView, AppError> {
    let Some(revision) = input.revision else {
        return Err(AppError::field(FieldError::new("revision", "is required: send the revision you last read, so a colleague's save is not overwritten")));
    };
    write_tx(conn, |conn| {
        let current = q::find(conn, clinic, id).map_err(not_found("program"))?;
        let patient = patients::load(conn, clinic, current.patient_id)?;
        if patient.row.archived_at.is_some() {
            return Err(archived_patient());
        }
        let (title, notes) = parse_head(
            input.title.as_deref().or(Some(&current.title)),
            input.notes.as_deref().or(Some(&current.notes)),
        )?;
        let items = match input.items {
            Some(inputs) => parse_items(conn, clinic, inputs)?,
            None => items_of(&current)?,
        };
        let expected = i32::try_from(revision).unwrap_or(-1);
        let now = clock::now();
        let items = to_json(&items)?;
        let draft = q::Draft {
            title: &title,
            notes: &notes,
            items: &items,
        };
        if q::replace_draft(conn, clinic, id, expected, &draft, now)? == 0 {
            return Err(AppError::Conflict {
                code: "stale_revision",
                message: format!(
                    "someone saved this program since you read it (you sent revision {revision}, it is now {}); reload it and apply your change again",
                    current.revision
                ),
                clash: Some(Clash::Revision(current.revision)),
            });
        }
        audit::record(conn, actor.event("program.update", "program", id), now)?;
        let row = q::find(conn, clinic, id)?;
        view(conn, clinic, row)
    })
}

/// Freezes the draft as version N+1, unless an avoided item has no
/// override reason (409 with the conflicts). Overrides are audited.
pub fn publish(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ProgramId,
) -> Result<Version, AppError> {
    write_tx(conn, |conn| {
        // Claim the number first: on PostgreSQL this locks the row, so the
        // draft read below cannot change under us.
        let version = q::claim_next_version(conn, clinic, id).map_err(not_found("program"))?;
        let current = q::find(conn, clinic, id).map_err(not_found("program"))?;
        let patient = patients::load(conn, clinic, current.patient_id)?;
        if patient.row.archived_at.is_some() {
            return Err(archived_patient());
        }
        let drafted = view(conn, clinic, current.clone())?;
        if drafted.items.is_empty() {
            return Err(AppError::field(FieldError::new(
                "items",
                "add at least one exercise before publishing",
            )));
        }
        let unresolved: Vec<&ConflictView> = drafted.unresolved();
        if !unresolved.is_empty() {
            return Err(AppError::Conflict {
                code: "unresolved_conflicts",
                message: format!(
                    "{} exercise(s) clash with the patient's precautions; swap each for an alternative or give an override_reason",
                    unresolved.len()
                ),
                clash: Some(Clash::Conflicts(unresolved.into_iter().cloned().collect())),
            });
        }
        let now = clock::now();
        let frozen = snapshot(
            conn, actor, clinic, &current, &patient, &drafted, version, now,
        )?;
        q::insert_version(
            conn,
            &VersionRow {
                program_id: current.id,
                version,
                clinic_id: clinic,
                content: serde_json::to_string(&frozen)
                    .map_err(|e| AppError::internal("version", e))?,
                published_by: clinician_id(actor),
                published_at: now,
            },
        )?;
        if let Some(kept) = &frozen.pictures {
            let ids: Vec<PictureId> = kept.values().cloned().collect();
            pictures::keep(conn, clinic, current.id, version, &ids)?;
        }
        // The new version was checked against the precautions as they are.
        q::set_needs_review(conn, clinic, current.id, false, now)?;
        let mut event = actor.event("program.publish", "program", current.id);
        event.detail = Some(serde_json::json!({ "version": version }));
        audit::record(conn, event, now)?;
        for conflict in &drafted.conflicts {
            let mut event = actor.event("program.override", "program", current.id);
            event.detail = Some(serde_json::json!({
                "version": version,
                "item_index": conflict.item_index,
                "exercise_id": conflict.exercise_id,
                "precautions": conflict.precautions,
                "reason": conflict.override_reason,
            }));
            audit::record(conn, event, now)?;
        }
        Ok(frozen)
    })
}

/// Freezes a draft's content: each exercise's texts as they are now, the
/// patient-facing words of the patient's precautions, and who published.
#[allow(clippy::too_many_arguments)]
fn snapshot(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    current: &ProgramRow,
    patient: &patients::PatientView,
    drafted: &ProgramView,
    version: i32,
    now: chrono::NaiveDateTime,
) -> Result<Version, AppError> {
    let ids: Vec<ExerciseId> = drafted.items.iter().map(|i| i.item.exercise_id).collect();
    let rows = exercises::find_many(conn, clinic, &ids)?;
    let mut items = Vec::new();
    for item_view in &drafted.items {
        let row = rows
            .iter()
            .find(|r| r.id == item_view.item.exercise_id)
            .ok_or_else(|| {
                AppError::field(FieldError::new(
                    "items",
                    "an exercise of this program is no longer available; replace it",
                ))
            })?;
        let exercise = row
            .spec()
            .map_err(|e| AppError::internal("exercise content", e))?;
        let overridden = match &item_view.item.override_reason {
            Some(_) if item_view.verdict.kind == VerdictKind::Avoid => {
                item_view.verdict.precautions.clone()
            }
            _ => Vec::new(),
        };
        items.push(VersionItem {
            item: item_view.item.clone(),
            exercise,
            overridden,
        });
    }
    let precautions = precautions::find_many(conn, clinic, &patient.precautions)?
        .into_iter()
        .filter_map(|p| {
            let stored = p.stored().ok()?;
            Some(VersionPrecaution {
                id: p.id,
                label: stored.label,
                patient_avoid: stored.patient_avoid,
                patient_instead: stored.patient_instead,
                patient_caution: stored.patient_caution,
                see_therapist_if: stored.see_therapist_if,
            })
        })
        .collect();
    let therapist_name = match actor.clinician_id {
        Some(cid) => clinicians::find(conn, clinic, cid)
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(Version {
        version,
        title: current.title.clone(),
        notes: current.notes.clone(),
        published_at: now,
        therapist_name,
        patient_display_name: display_name(&patient.row.first_name, &patient.row.last_name),
        items,
        precautions,
        pictures: Some(pictures::to_keep(conn, clinic, &ids)?.into_iter().collect()),
    })
}

/// The draft as a version would freeze it now, unsaved: for a watermarked
/// preview handout.
pub fn preview(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: ProgramId,
) -> Result<Version, AppError> {
    let current = q::find(conn, clinic, id).map_err(not_found("program"))?;
    let patient = patients::load(conn, clinic, current.patient_id)?;
    let drafted = view(conn, clinic, current.clone())?;
    snapshot(
        conn,
        actor,
        clinic,
        &current,
        &patient,
        &drafted,
        current.latest_version + 1,
        clock::now(),
    )
}

/// A published version, exactly as frozen.
pub fn version(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ProgramId,
    number: i32,
) -> Result<(ProgramRow, Version), AppError> {
    let row = q::find(conn, clinic, id).map_err(not_found("program"))?;
    let frozen = q::find_version(conn, clinic, id, number).map_err(not_found("program version"))?;
    let content = serde_json::from_str(&frozen.content)
        .map_err(|e| AppError::internal("version content", e))?;
    Ok((row, content))
}

/// The latest published version, if any.
pub fn latest_version(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ProgramId,
) -> Result<Option<(ProgramRow, Arc<Version>)>, AppError> {
    let row = q::find(conn, clinic, id).map_err(not_found("program"))?;
    Ok(published(conn, clinic, &row)?.map(|v| (row, v)))
}

/// Parsed published versions stay in memory: they never change once
/// written, so (clinic, program, number) names one content for good. Bounded
/// (the least used go first). Most versions are a few kB.
const VERSION_CACHE: usize = 2048;

type VersionKey = (ClinicId, ProgramId, i32);

fn version_cache() -> &'static Cache<VersionKey, Arc<Version>> {
    static CACHE: OnceLock<Cache<VersionKey, Arc<Version>>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(VERSION_CACHE))
}

/// The latest published version of a program row already read (and so
/// already scoped to `clinic`), from the cache when it is there.
pub fn published(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &ProgramRow,
) -> Result<Option<Arc<Version>>, AppError> {
    if row.latest_version == 0 {
        return Ok(None);
    }
    let key = (clinic, row.id, row.latest_version);
    if let Some(found) = version_cache().get(&key) {
        return Ok(Some(found));
    }
    // The row's number is committed with its version in one transaction, so
    // it exists; should it not, take the newest version that does.
    let frozen = match q::find_version(conn, clinic, row.id, row.latest_version) {
        Ok(frozen) => frozen,
        Err(diesel::result::Error::NotFound) => {
            return match q::versions(conn, clinic, row.id)?.last() {
                Some((number, _)) => Ok(Some(Arc::new(version(conn, clinic, row.id, *number)?.1))),
                None => Ok(None),
            };
        }
        Err(other) => return Err(other.into()),
    };
    let version: Arc<Version> = Arc::new(
        serde_json::from_str(&frozen.content)
            .map_err(|e| AppError::internal("version content", e))?,
    );
    version_cache().insert(key, Arc::clone(&version));
    Ok(Some(version))
}

/// A program in a patient's list, with what the patient logged lately.
pub struct ProgramSummary {
    pub row: ProgramRow,
    pub pain_flag: bool,
    pub last_activity_at: Option<chrono::NaiveDateTime>,
}

/// Pain at or above this in the last week flags the program.
pub const PAIN_FLAG: i32 = 7;

/// Pain ≥ 7 logged in the last 7 days.
pub fn pain_flag(
    conn: &mut DbConn,
    clinic: ClinicId,
    program_id: ProgramId,
) -> Result<bool, AppError> {
    let since = (clock::now().date() - chrono::Duration::days(6)).to_string();
    Ok(crate::db::links::high_pain_since(
        conn, clinic, program_id, &since, PAIN_FLAG,
    )?)
}

/// Programs of a patient, flagged when pain ≥ 7 was logged in the last week.
pub fn list_for_patient(
    conn: &mut DbConn,
    clinic: ClinicId,
    patient_id: PatientId,
) -> Result<Vec<ProgramSummary>, AppError> {
    patients::load(conn, clinic, patient_id)?;
    q::list_for_patient(conn, clinic, patient_id)?
        .into_iter()
        .map(|row| {
            Ok(ProgramSummary {
                pain_flag: pain_flag(conn, clinic, row.id)?,
                last_activity_at: crate::db::links::last_activity(conn, clinic, row.id)?,
                row,
            })
        })
        .collect()
}

pub fn versions(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: ProgramId,
) -> Result<Vec<(i32, chrono::NaiveDateTime)>, AppError> {
    q::find(conn, clinic, id).map_err(not_found("program"))?;
    Ok(q::versions(conn, clinic, id)?)
}

/// Saves a clinic template: from an existing program (no patient data is
/// copied: title, notes and items only; title, notes or items given in
/// `input` replace the program's) or from items given directly.
pub fn save_template(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    input: DraftInput,
    from_program: Option<ProgramId>,
) -> Result<TemplateRow, AppError> {
    write_tx(conn, |conn| {
        let (title, notes, items) = match from_program {
            Some(program_id) => {
                let program = q::find(conn, clinic, program_id).map_err(not_found("program"))?;
                let (title, notes) = parse_head(
                    input.title.as_deref().or(Some(&program.title)),
                    input.notes.as_deref().or(Some(&program.notes)),
                )?;
                let items: Vec<Item> = match input.items {
                    Some(inputs) => parse_items(conn, clinic, inputs)?,
                    None => items_of(&program)?
                        .into_iter()
                        .map(|mut i| {
                            // Overrides and notes were written for one patient.
                            i.override_reason = None;
                            i.notes = None;
                            i
                        })
                        .collect(),
                };
                (title, notes, items)
            }
            None => {
                let (title, notes) = parse_head(input.title.as_deref(), input.notes.as_deref())?;
                let items = parse_items(conn, clinic, input.items.unwrap_or_default())?;
                (title, notes, items)
            }
        };
        let now = clock::now();
        let row = TemplateRow {
            id: TemplateId::new(),
            clinic_id: clinic,
            title,
            notes,
            items: to_json(&items)?,
            created_by: clinician_id(actor),
            created_at: now,
        };
        q::insert_template(conn, &row)?;
        audit::record(
            conn,
            actor.event("template.create", "template", row.id),
            now,
        )?;
        Ok(row)
    })
}

/// The clinic's templates, by title.
pub fn templates(conn: &mut DbConn, clinic: ClinicId) -> Result<Vec<TemplateRow>, AppError> {
    Ok(q::list_templates(conn, clinic)?)
}

/// One of the clinic's templates.
pub fn template(
    conn: &mut DbConn,
    clinic: ClinicId,
    id: TemplateId,
) -> Result<TemplateRow, AppError> {
    q::find_template(conn, clinic, id).map_err(not_found("template"))
}

pub fn delete_template(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    id: TemplateId,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        if q::delete_template(conn, clinic, id)? == 0 {
            return Err(AppError::NotFound("template"));
        }
        audit::record(
            conn,
            actor.event("template.delete", "template", id),
            clock::now(),
        )?;
        Ok(())
    })
}

/// Template items with exercise names, for display.
pub fn template_items(
    conn: &mut DbConn,
    clinic: ClinicId,
    row: &TemplateRow,
) -> Result<Vec<(Item, String)>, AppError> {
    let items: Vec<Item> =
        serde_json::from_str(&row.items).map_err(|e| AppError::internal("template items", e))?;
    let ids: Vec<ExerciseId> = items.iter().map(|i| i.exercise_id).collect();
    let rows = exercises::find_many(conn, clinic, &ids)?;
    Ok(items
        .into_iter()
        .map(|i| {
            let name = rows
                .iter()
                .find(|r| r.id == i.exercise_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            (i, name)
        })
        .collect())
}
