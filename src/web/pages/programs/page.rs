//! The builder page: the stored draft (or what was typed) with each item's
//! verdict and alternatives, the catalog search beside it, the patient's
//! share links and logged activity.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::super::{csrf_token, dose, encode, html, is_admin};
use crate::clock;
use crate::db::exercises::ExerciseRow;
use crate::db::DbConn;
use crate::domain::ids::{
    ClinicId, ExerciseId, LinkId, PatientId, PictureId, PrecautionId, ProgramId,
};
use crate::domain::rules::{self, Rule, Verdict, VerdictKind};
use crate::domain::search::normalize;
use crate::error::AppError;
use crate::services::catalog::{self, Filter};
use crate::services::programs::{self as service, ProgramView};
use crate::services::{links, patients, pictures};
use crate::web::extract::Identity;
use crate::web::AppState;

pub(super) struct ItemForm {
    pub(super) index: usize,
    pub(super) number: usize,
    pub(super) exercise_id: ExerciseId,
    pub(super) name: String,
    pub(super) dosage_line: String,
    /// The dosage fields as the form shows them, by key (see `dose`).
    pub(super) dose: BTreeMap<&'static str, String>,
    pub(super) side: String,
    pub(super) notes: String,
    pub(super) override_reason: String,
    pub(super) verdict: String,
    pub(super) reason: String,
    pub(super) alternatives: Vec<(ExerciseId, String)>,
    pub(super) is_last: bool,
    /// Show the exercise's drawn figure as a thumbnail.
    pub(super) figure: bool,
    /// Its progression's next easier and harder exercise: (id, name).
    pub(super) easier: Option<(ExerciseId, String)>,
    pub(super) harder: Option<(ExerciseId, String)>,
    /// The clinic's picture shown instead of the drawing, if any; its id in
    /// the address keeps a replaced picture from being served stale.
    pub(super) picture: Option<PictureId>,
}

struct ResultRow {
    id: ExerciseId,
    name: String,
    summary: String,
    regions: String,
    verdict: String,
    reason: String,
    /// It has a drawn figure to show as a thumbnail.
    figure: bool,
    /// The clinic's picture shown instead of the drawing, if any.
    picture: Option<PictureId>,
}

struct LinkLine {
    id: LinkId,
    status: &'static str,
    created: String,
    expires: String,
    opens: i32,
}

struct ActivityLine {
    day: String,
    exercise: String,
    done: bool,
    pain: Option<i32>,
    comment: String,
}

#[derive(Template)]
#[template(path = "app/builder.html")]
struct BuilderPage {
    csrf: String,
    admin: bool,
    program_id: ProgramId,
    patient_id: PatientId,
    patient_name: String,
    precautions: Vec<String>,
    /// Items of the published version that now clash: (exercise, why).
    review: Vec<(String, String)>,
    revision: i32,
    latest_version: i32,
    title: String,
    notes: String,
    items: Vec<ItemForm>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    search: SearchQuery,
    results: Vec<ResultRow>,
    regions: Vec<String>,
    categories: Vec<String>,
    equipment: Vec<String>,
    movements: Vec<String>,
    /// (key, label) of each condition.
    conditions: Vec<(String, String)>,
    links: Vec<LinkLine>,
    /// A link just created: its URL and token, shown once.
    new_link: Option<(String, String)>,
    activity: Vec<ActivityLine>,
}

impl BuilderPage {
    fn error(&self, key: &str) -> Option<String> {
        self.errors.get(key).cloned()
    }

    fn field_error(&self, index: &usize, field: &str) -> Option<String> {
        self.errors.get(&format!("items[{index}].{field}")).cloned()
    }

    /// The message for a dosage field of the form, under the domain's
    /// names for what it holds.
    fn dose_error(&self, index: &usize, key: &str) -> Option<String> {
        dose::domain_fields(key)
            .into_iter()
            .find_map(|f| self.field_error(index, f))
    }

    fn dose_numbers(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &dose::NUMBERS
    }

    fn load_choices(&self) -> Vec<(String, String)> {
        dose::load_choices()
    }
}

impl ItemForm {
    /// A dosage field as the form shows it.
    fn value(&self, key: &str) -> &str {
        self.dose.get(key).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct SearchQuery {
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) region: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) equipment: String,
    #[serde(default)]
    pub(super) movement: String,
    #[serde(default)]
    pub(super) condition: String,
    #[serde(default)]
    pub(super) difficulty: String,
}

impl SearchQuery {
    fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.region.is_empty()
            && self.category.is_empty()
            && self.equipment.is_empty()
            && self.movement.is_empty()
            && self.condition.is_empty()
            && self.difficulty.is_empty()
    }

    pub(super) fn query_string(&self) -> String {
        [
            ("q", &self.q),
            ("region", &self.region),
            ("category", &self.category),
            ("equipment", &self.equipment),
            ("movement", &self.movement),
            ("condition", &self.condition),
            ("difficulty", &self.difficulty),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn describe(verdict: &Verdict, labels: &BTreeMap<PrecautionId, String>) -> (String, String) {
    let names: Vec<String> = verdict
        .precautions
        .iter()
        .map(|p| {
            labels
                .get(p)
                .cloned()
                .unwrap_or_else(|| p.as_str().to_owned())
        })
        .collect();
    let why = format!("{} ({})", readable(&verdict.tags), names.join("; "));
    match verdict.kind {
        VerdictKind::Avoid => ("avoid".into(), format!("Avoid: {why}")),
        VerdictKind::Caution => ("caution".into(), format!("Caution: {why}")),
        VerdictKind::Prefer => ("prefer".into(), format!("Preferred: {why}")),
        VerdictKind::Neutral => ("neutral".into(), String::new()),
    }
}

/// Tags as words: "horizontal-push, wrist-loading" → "horizontal push, wrist loading".
fn readable(tags: &[String]) -> String {
    tags.iter()
        .map(|t| t.replace('-', " "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Items as stored, for the form, each with the picture the clinic shows
/// for its exercise (from `pictures`), if any.
fn items_from(
    view: &ProgramView,
    labels: &BTreeMap<PrecautionId, String>,
    pictures: &HashMap<ExerciseId, PictureId>,
) -> Vec<ItemForm> {
    let count = view.items.len();
    view.items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let (verdict, reason) = describe(&item.verdict, labels);
            let conflict = view.conflicts.iter().find(|c| c.item_index == index);
            let dosage = item.item.dosage;
            ItemForm {
                figure: item.has_figure,
                easier: item.easier.as_ref().map(|s| (s.id, s.name.clone())),
                harder: item.harder.as_ref().map(|s| (s.id, s.name.clone())),
                picture: pictures.get(&item.item.exercise_id).cloned(),
                index,
                number: index + 1,
                exercise_id: item.item.exercise_id,
                name: item.exercise_name.clone(),
                dosage_line: item.dosage_line.clone(),
                dose: dose::values(&dosage),
                side: item
                    .item
                    .side
                    .map(|s| {
                        serde_json::to_value(s)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                notes: item.item.notes.clone().unwrap_or_default(),
                override_reason: item.item.override_reason.clone().unwrap_or_default(),
                verdict,
                reason,
                alternatives: conflict
                    .map(|c| {
                        c.alternatives
                            .iter()
                            .map(|a| (a.id, a.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                is_last: index + 1 == count,
            }
        })
        .collect()
}

pub(super) struct Loaded {
    /// Whether the navigation shows the admin pages.
    admin: bool,
    pub(super) view: ProgramView,
    patient_name: String,
    labels: BTreeMap<PrecautionId, String>,
    patient_precautions: Vec<String>,
    results: Vec<ResultRow>,
    /// The picture the clinic shows for each exercise of the draft or the
    /// results that has one.
    pictures: HashMap<ExerciseId, PictureId>,
    links: Vec<LinkLine>,
    activity: Vec<ActivityLine>,
    /// The clinic's unit for weights, offered first.
    weight_unit: String,
}

impl Loaded {
    /// The saved draft's items as the form shows them.
    pub(super) fn item_forms(&self) -> Vec<ItemForm> {
        items_from(&self.view, &self.labels, &self.pictures)
    }
}

/// The catalog search beside the draft; nothing until something is asked.
fn search_results(
    conn: &mut DbConn,
    clinic: ClinicId,
    search: &SearchQuery,
) -> Result<Vec<ExerciseRow>, AppError> {
    if search.is_empty() {
        return Ok(Vec::new());
    }
    let filter = Filter {
        q: normalize(&search.q),
        region: Some(search.region.clone()).filter(|v| !v.is_empty()),
        category: Some(search.category.clone()).filter(|v| !v.is_empty()),
        equipment: Some(search.equipment.clone()).filter(|v| !v.is_empty()),
        movement: Some(search.movement.clone()).filter(|v| !v.is_empty()),
        condition: Some(search.condition.clone()).filter(|v| !v.is_empty()),
        difficulty: search.difficulty.trim().parse().ok(),
        source: None,
    };
    let (rows, _) = catalog::search(conn, clinic, &filter, 20, 0)?;
    Ok(rows)
}

/// A search result with its verdict for this patient and the picture the
/// clinic shows for it (from `pictures`), if any.
fn result_row(
    row: ExerciseRow,
    rules: &[Rule],
    labels: &BTreeMap<PrecautionId, String>,
    pictures: &HashMap<ExerciseId, PictureId>,
) -> ResultRow {
    let verdict = rules::verdict(rules, &row.movement);
    let (kind, reason) = describe(&verdict, labels);
    ResultRow {
        figure: row.spec().is_ok_and(|s| s.figure.is_some()),
        picture: pictures.get(&row.id).cloned(),
        regions: row.regions.join(", "),
        id: row.id,
        name: row.name,
        summary: row.summary,
        verdict: kind,
        reason,
    }
}

pub(super) async fn load(
    state: &AppState,
    who: &Identity,
    id: ProgramId,
    search: SearchQuery,
) -> Result<Loaded, AppError> {
    let clinic = who.clinic_id;
    let admin = is_admin(who);
    state
        .db(move |conn| {
            let view = service::get(conn, clinic, id)?;
            let patient = patients::load(conn, clinic, view.row.patient_id)?;
            let rules = patients::rules(conn, clinic, &patient.precautions)?;
            let labels: BTreeMap<PrecautionId, String> =
                catalog::precautions_by_id(conn, clinic, &patient.precautions)?
                    .into_iter()
                    .map(|p| (p.id.clone(), p.label))
                    .collect();
            let found = search_results(conn, clinic, &search)?;
            // One query for the pictures of the whole page, results and items.
            let ids: Vec<ExerciseId> = found
                .iter()
                .map(|row| row.id)
                .chain(view.items.iter().map(|i| i.item.exercise_id))
                .collect();
            let pictures = pictures::current_ids(conn, clinic, &ids)?;
            let results = found
                .into_iter()
                .map(|row| result_row(row, &rules, &labels, &pictures))
                .collect();
            let now = clock::now();
            let links = links::list(conn, clinic, view.row.id)?
                .into_iter()
                .map(|l| LinkLine {
                    status: l.share_link(false).status(now).as_str(),
                    created: l.created_at.format("%-d %b %Y").to_string(),
                    expires: l.expires_at.format("%-d %b %Y").to_string(),
                    opens: l.open_count,
                    id: l.id,
                })
                .collect();
            let names: BTreeMap<ExerciseId, String> = view
                .items
                .iter()
                .map(|i| (i.item.exercise_id, i.exercise_name.clone()))
                .collect();
            let activity = links::activity(conn, clinic, view.row.id, 30)?
                .into_iter()
                .map(|(a, _)| ActivityLine {
                    exercise: names
                        .get(&a.exercise_id)
                        .cloned()
                        .unwrap_or_else(|| "Exercise".into()),
                    day: a.day,
                    done: a.done,
                    pain: a.pain,
                    comment: a.comment.unwrap_or_default(),
                })
                .collect();
            let weight_unit = crate::services::clinic::weight_unit(conn, clinic)?;
            Ok(Loaded {
                weight_unit,
                admin,
                patient_name: format!("{} {}", patient.row.first_name, patient.row.last_name),
                patient_precautions: labels.values().cloned().collect(),
                labels,
                view,
                results,
                pictures,
                links,
                activity,
            })
        })
        .await
}

/// What a response adds to the stored draft: typed items with their errors,
/// a message, a link just created.
#[derive(Default)]
pub(super) struct Extras {
    pub(super) items: Option<Vec<ItemForm>>,
    pub(super) errors: BTreeMap<String, String>,
    pub(super) message: Option<String>,
    pub(super) new_link: Option<(String, String)>,
}

pub(super) fn page(
    state: &AppState,
    req: &HttpRequest,
    loaded: Loaded,
    search: SearchQuery,
    extras: Extras,
) -> HttpResponse {
    let Extras {
        items,
        errors,
        message,
        new_link,
    } = extras;
    let vocab = &state.vocabulary;
    let keys = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
    let mut items =
        items.unwrap_or_else(|| items_from(&loaded.view, &loaded.labels, &loaded.pictures));
    for item in &mut items {
        let unit = item.dose.entry("weight_unit").or_default();
        if unit.is_empty() {
            unit.clone_from(&loaded.weight_unit);
        }
    }
    let row = &loaded.view.row;
    html(&BuilderPage {
        csrf: csrf_token(req),
        admin: loaded.admin,
        program_id: row.id,
        patient_id: row.patient_id,
        patient_name: loaded.patient_name,
        precautions: loaded.patient_precautions,
        review: loaded
            .view
            .review
            .iter()
            .map(|r| {
                let names: Vec<String> = r
                    .precautions
                    .iter()
                    .map(|p| {
                        loaded
                            .labels
                            .get(p)
                            .cloned()
                            .unwrap_or_else(|| p.as_str().to_owned())
                    })
                    .collect();
                (
                    r.exercise_name.clone(),
                    format!("{} ({})", readable(&r.tags), names.join("; ")),
                )
            })
            .collect(),
        revision: row.revision,
        latest_version: row.latest_version,
        title: row.title.clone(),
        notes: row.notes.clone(),
        items,
        errors,
        message,
        search,
        results: loaded.results,
        regions: keys(&vocab.regions),
        categories: keys(&vocab.categories),
        equipment: keys(&vocab.equipment),
        movements: keys(&vocab.movement),
        conditions: vocab
            .conditions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        links: loaded.links,
        new_link,
        activity: loaded.activity,
    })
}
