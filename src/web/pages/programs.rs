//! The program builder: the draft with dosage fields and inline conflicts
//! (alternatives swap in with one click), catalog search with verdicts for
//! this patient, publishing, PDF preview, share links and activity. One form
//! holds the whole draft; each button says what to do with it, so nothing
//! typed is lost when adding, moving, swapping or publishing.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    check_csrf, csrf_token, error_page, html, is_admin, redirect, respond, signed_in, Page,
};
use crate::clock;
use crate::db::catalog::{self as catalog_q, Filter};
use crate::db::links as links_q;
use crate::domain::program::ItemInput;
use crate::domain::rules::{self, Verdict, VerdictKind};
use crate::domain::search::normalize;
use crate::error::AppError;
use crate::services::programs::{self as service, DraftInput, ProgramView};
use crate::services::{links, patients, Actor};
use crate::web::extract::Identity;
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programs/{id}")
            .route(web::get().to(show))
            .route(web::post().to(act)),
    )
    .service(web::resource("/programs/{id}/links").route(web::post().to(create_link)))
    .service(web::resource("/links/{id}/revoke").route(web::post().to(revoke_link)));
}

struct ItemForm {
    index: usize,
    number: usize,
    exercise_id: String,
    name: String,
    dosage_line: String,
    sets: String,
    reps: String,
    hold_seconds: String,
    times_per_day: String,
    days_per_week: String,
    side: String,
    notes: String,
    override_reason: String,
    verdict: String,
    reason: String,
    alternatives: Vec<(String, String)>,
    is_last: bool,
}

struct ResultRow {
    id: String,
    name: String,
    summary: String,
    regions: String,
    verdict: String,
    reason: String,
}

struct LinkLine {
    id: String,
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
    program_id: String,
    patient_id: String,
    patient_name: String,
    precautions: Vec<String>,
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
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    equipment: String,
    #[serde(default)]
    movement: String,
}

impl SearchQuery {
    fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.region.is_empty()
            && self.category.is_empty()
            && self.equipment.is_empty()
            && self.movement.is_empty()
    }

    fn query_string(&self) -> String {
        [
            ("q", &self.q),
            ("region", &self.region),
            ("category", &self.category),
            ("equipment", &self.equipment),
            ("movement", &self.movement),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", super::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

fn describe(verdict: &Verdict, labels: &BTreeMap<String, String>) -> (String, String) {
    let names: Vec<String> = verdict
        .precautions
        .iter()
        .map(|p| labels.get(p).cloned().unwrap_or_else(|| p.clone()))
        .collect();
    match verdict.kind {
        VerdictKind::Avoid => (
            "avoid".into(),
            format!("Avoid: {} ({})", verdict.tags.join(", "), names.join("; ")),
        ),
        VerdictKind::Prefer => (
            "prefer".into(),
            format!(
                "Preferred: {} ({})",
                verdict.tags.join(", "),
                names.join("; ")
            ),
        ),
        VerdictKind::Neutral => ("neutral".into(), String::new()),
    }
}

fn number(value: Option<i32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Items as stored, for the form.
fn items_from(view: &ProgramView, labels: &BTreeMap<String, String>) -> Vec<ItemForm> {
    let count = view.items.len();
    view.items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let (verdict, reason) = describe(&item.verdict, labels);
            let conflict = view.conflicts.iter().find(|c| c.item_index == index);
            let dosage = item.item.dosage;
            ItemForm {
                index,
                number: index + 1,
                exercise_id: item.item.exercise_id.clone(),
                name: item.exercise_name.clone(),
                dosage_line: item.dosage_line.clone(),
                sets: dosage.sets.to_string(),
                reps: number(dosage.reps),
                hold_seconds: number(dosage.hold_seconds),
                times_per_day: dosage.times_per_day.to_string(),
                days_per_week: dosage.days_per_week.to_string(),
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
                            .map(|a| (a.id.clone(), a.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                is_last: index + 1 == count,
            }
        })
        .collect()
}

struct Loaded {
    /// Whether the navigation shows the admin pages.
    admin: bool,
    view: ProgramView,
    patient_name: String,
    labels: BTreeMap<String, String>,
    patient_precautions: Vec<String>,
    results: Vec<ResultRow>,
    links: Vec<LinkLine>,
    activity: Vec<ActivityLine>,
}

async fn load(
    state: &AppState,
    who: &Identity,
    id: String,
    search: SearchQuery,
) -> Result<Loaded, AppError> {
    let clinic = who.clinic_id;
    let admin = is_admin(who);
    state
        .db(move |conn| {
            let view = service::get(conn, clinic, &id)?;
            let patient = patients::load(conn, clinic, &view.row.patient_id)?;
            let rules = patients::rules(conn, clinic, &patient.precautions)?;
            let labels: BTreeMap<String, String> =
                catalog_q::find_precautions(conn, clinic, &patient.precautions)?
                    .into_iter()
                    .map(|p| (p.id.clone(), p.label))
                    .collect();
            let mut results = Vec::new();
            if !search.is_empty() {
                let filter = Filter {
                    q: normalize(&search.q),
                    region: Some(search.region.clone()).filter(|v| !v.is_empty()),
                    category: Some(search.category.clone()).filter(|v| !v.is_empty()),
                    equipment: Some(search.equipment.clone()).filter(|v| !v.is_empty()),
                    movement: Some(search.movement.clone()).filter(|v| !v.is_empty()),
                    source: None,
                };
                let (rows, _) = catalog_q::search(conn, clinic, &filter, 20, 0)?;
                for row in rows {
                    let verdict = rules::verdict(&rules, &catalog_q::unpack(&row.movement));
                    let (kind, reason) = describe(&verdict, &labels);
                    results.push(ResultRow {
                        regions: catalog_q::unpack(&row.regions).join(", "),
                        id: row.id,
                        name: row.name,
                        summary: row.summary,
                        verdict: kind,
                        reason,
                    });
                }
            }
            let now = clock::now();
            let links = links_q::for_program(conn, clinic, &view.row.id)?
                .into_iter()
                .map(|l| LinkLine {
                    status: if l.revoked_at.is_some() {
                        "revoked"
                    } else if l.expires_at <= now {
                        "expired"
                    } else {
                        "active"
                    },
                    created: l.created_at.format("%-d %b %Y").to_string(),
                    expires: l.expires_at.format("%-d %b %Y").to_string(),
                    opens: l.open_count,
                    id: l.id,
                })
                .collect();
            let names: BTreeMap<String, String> = view
                .items
                .iter()
                .map(|i| (i.item.exercise_id.clone(), i.exercise_name.clone()))
                .collect();
            let activity = links::activity(conn, clinic, &view.row.id, 30)?
                .into_iter()
                .map(|a| ActivityLine {
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
            Ok(Loaded {
                admin,
                patient_name: format!("{} {}", patient.row.first_name, patient.row.last_name),
                patient_precautions: labels.values().cloned().collect(),
                labels,
                view,
                results,
                links,
                activity,
            })
        })
        .await
}

/// What a response adds to the stored draft: typed items with their errors,
/// a message, a link just created.
#[derive(Default)]
struct Extras {
    items: Option<Vec<ItemForm>>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    new_link: Option<(String, String)>,
}

fn page(
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
    let items = items.unwrap_or_else(|| items_from(&loaded.view, &loaded.labels));
    let row = &loaded.view.row;
    html(&BuilderPage {
        csrf: csrf_token(req),
        admin: loaded.admin,
        program_id: row.id.clone(),
        patient_id: row.patient_id.clone(),
        patient_name: loaded.patient_name,
        precautions: loaded.patient_precautions,
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
        links: loaded.links,
        new_link,
        activity: loaded.activity,
    })
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    query: web::Query<SearchQuery>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in(who, &req)?;
            let search = query.into_inner();
            let loaded = load(&state, &who, path.into_inner(), search.clone())
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(page(&state, &req, loaded, search, Extras::default()))
        }
        .await,
    )
}

/// The builder form as typed.
struct Submitted {
    csrf: String,
    action: String,
    revision: i64,
    title: String,
    notes: String,
    items: Vec<BTreeMap<String, String>>,
    search: SearchQuery,
}

fn read(fields: Vec<(String, String)>) -> Submitted {
    let mut s = Submitted {
        csrf: String::new(),
        action: "save".into(),
        revision: 0,
        title: String::new(),
        notes: String::new(),
        items: Vec::new(),
        search: SearchQuery::default(),
    };
    for (key, value) in fields {
        if let Some(rest) = key.strip_prefix("items[") {
            if let Some((index, field)) = rest.split_once("].") {
                if let Ok(index) = index.parse::<usize>() {
                    if index < 100 {
                        if s.items.len() <= index {
                            s.items.resize_with(index + 1, BTreeMap::new);
                        }
                        s.items[index].insert(field.to_owned(), value);
                    }
                }
            }
            continue;
        }
        match key.as_str() {
            "csrf" => s.csrf = value,
            "action" => s.action = value,
            "revision" => s.revision = value.parse().unwrap_or(0),
            "title" => s.title = value,
            "notes" => s.notes = value,
            "q" => s.search.q = value,
            "region" => s.search.region = value,
            "category" => s.search.category = value,
            "equipment" => s.search.equipment = value,
            "movement" => s.search.movement = value,
            _ => {}
        }
    }
    s.items
        .retain(|i| i.get("exercise_id").is_some_and(|e| !e.is_empty()));
    s
}

/// Typed numbers; words are reported beside their field.
fn items_input(
    items: &[BTreeMap<String, String>],
    errors: &mut BTreeMap<String, String>,
) -> Vec<ItemInput> {
    items
        .iter()
        .enumerate()
        .map(|(i, fields)| {
            let mut num = |name: &str| {
                let raw = fields.get(name).map(|v| v.trim()).unwrap_or_default();
                if raw.is_empty() {
                    return None;
                }
                raw.parse::<i64>()
                    .map_err(|_| {
                        errors.insert(
                            format!("items[{i}].{name}"),
                            "must be a whole number".into(),
                        )
                    })
                    .ok()
            };
            let text = |name: &str| {
                fields
                    .get(name)
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            ItemInput {
                exercise_id: fields.get("exercise_id").cloned().unwrap_or_default(),
                sets: num("sets"),
                reps: num("reps"),
                hold_seconds: num("hold_seconds"),
                times_per_day: num("times_per_day"),
                days_per_week: num("days_per_week"),
                side: text("side"),
                notes: text("notes"),
                override_reason: text("override_reason"),
            }
        })
        .collect()
}

/// Applies a button's action to the typed items.
fn apply(action: &str, mut items: Vec<ItemInput>) -> Vec<ItemInput> {
    let mut parts = action.splitn(3, ':');
    let verb = parts.next().unwrap_or_default();
    let index: Option<usize> = parts.next().and_then(|i| i.parse().ok());
    let arg = parts.next();
    match (verb, index) {
        ("add", _) => {
            if let Some(id) = action.strip_prefix("add:") {
                items.push(ItemInput {
                    exercise_id: id.to_owned(),
                    ..ItemInput::default()
                });
            }
        }
        ("remove", Some(i)) if i < items.len() => {
            items.remove(i);
        }
        ("up", Some(i)) if i > 0 && i < items.len() => items.swap(i, i - 1),
        ("down", Some(i)) if i + 1 < items.len() => items.swap(i, i + 1),
        ("swap", Some(i)) if i < items.len() => {
            if let Some(id) = arg {
                // The new exercise starts from its own default dosage.
                let old = &items[i];
                items[i] = ItemInput {
                    exercise_id: id.to_owned(),
                    side: old.side.clone(),
                    notes: old.notes.clone(),
                    ..ItemInput::default()
                };
            }
        }
        _ => {}
    }
    items
}

/// Typed values back into the form, to re-show them beside their errors.
fn typed_items(
    items: &[BTreeMap<String, String>],
    names: &BTreeMap<String, String>,
) -> Vec<ItemForm> {
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let get = |k: &str| f.get(k).cloned().unwrap_or_default();
            ItemForm {
                index,
                number: index + 1,
                name: names.get(&get("exercise_id")).cloned().unwrap_or_default(),
                exercise_id: get("exercise_id"),
                dosage_line: String::new(),
                sets: get("sets"),
                reps: get("reps"),
                hold_seconds: get("hold_seconds"),
                times_per_day: get("times_per_day"),
                days_per_week: get("days_per_week"),
                side: get("side"),
                notes: get("notes"),
                override_reason: get("override_reason"),
                verdict: "neutral".into(),
                reason: String::new(),
                alternatives: vec![],
                is_last: index + 1 == count,
            }
        })
        .collect()
}

async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in(who, &req)?;
            let id = path.into_inner();
            let submitted = read(form.into_inner());
            check_csrf(&req, &submitted.csrf)?;
            let mut errors = BTreeMap::new();
            let typed = items_input(&submitted.items, &mut errors);
            let items = apply(&submitted.action, typed);
            let back = format!("/programs/{id}?{}", submitted.search.query_string());
            let action = submitted.action.clone();
            let outcome = if errors.is_empty() {
                let input = DraftInput {
                    title: Some(submitted.title.clone()),
                    notes: Some(submitted.notes.clone()),
                    items: Some(items),
                    revision: Some(submitted.revision),
                    template_id: None,
                };
                let actor = Actor::from(&who);
                let program = id.clone();
                state
                    .db(move |conn| {
                        service::replace(conn, &actor, who.clinic_id, &program, input)?;
                        match action.as_str() {
                            "publish" => service::publish(conn, &actor, who.clinic_id, &program)
                                .map(|v| Some(format!("Published version {}.", v.version))),
                            "template" => service::save_template(
                                conn,
                                &actor,
                                who.clinic_id,
                                DraftInput::default(),
                                Some(program.clone()),
                            )
                            .map(|t| {
                                Some(format!("Saved as the clinic template \"{}\".", t.title))
                            }),
                            _ => Ok(None),
                        }
                    })
                    .await
            } else {
                Err(AppError::Validation {
                    message: "Some fields need fixing.".into(),
                    fields: errors,
                })
            };
            match outcome {
                Ok(None) => Page::Ok(redirect(&back)),
                Ok(Some(message)) => {
                    let loaded = load(&state, &who, id, submitted.search.clone())
                        .await
                        .map_err(|e| error_page(&e))?;
                    Page::Ok(page(
                        &state,
                        &req,
                        loaded,
                        submitted.search,
                        Extras {
                            message: Some(message),
                            ..Extras::default()
                        },
                    ))
                }
                Err(AppError::Validation { fields, message }) => {
                    let loaded = load(&state, &who, id, submitted.search.clone())
                        .await
                        .map_err(|e| error_page(&e))?;
                    let names = loaded
                        .view
                        .items
                        .iter()
                        .map(|i| (i.item.exercise_id.clone(), i.exercise_name.clone()))
                        .collect();
                    let typed = typed_items(&submitted.items, &names);
                    let mut response = page(
                        &state,
                        &req,
                        loaded,
                        submitted.search,
                        Extras {
                            items: Some(typed),
                            errors: fields,
                            message: Some(message),
                            ..Extras::default()
                        },
                    );
                    *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
                    Page::Ok(response)
                }
                Err(AppError::Conflict { message, .. }) => {
                    let loaded = load(&state, &who, id, submitted.search.clone())
                        .await
                        .map_err(|e| error_page(&e))?;
                    let mut response = page(
                        &state,
                        &req,
                        loaded,
                        submitted.search,
                        Extras {
                            message: Some(message),
                            ..Extras::default()
                        },
                    );
                    *response.status_mut() = actix_web::http::StatusCode::CONFLICT;
                    Page::Ok(response)
                }
                Err(err) => Page::Err(error_page(&err)),
            }
        }
        .await,
    )
}

#[derive(Deserialize)]
pub struct LinkForm {
    csrf: String,
    #[serde(default)]
    program_id: String,
}

async fn create_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    form: web::Form<LinkForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in(who, &req)?;
            check_csrf(&req, &form.csrf)?;
            let id = path.into_inner();
            let actor = Actor::from(&who);
            let program = id.clone();
            let created = state
                .db(move |conn| links::create(conn, &actor, who.clinic_id, &program, None))
                .await;
            let (new_link, message) = match created {
                Ok(link) => (
                    Some((
                        format!(
                            "{}/p/{}",
                            state.config.base_url.as_deref().unwrap_or_default(),
                            link.token
                        ),
                        link.token,
                    )),
                    None,
                ),
                Err(AppError::Conflict { message, .. }) => (None, Some(message)),
                Err(err) => return Page::Err(error_page(&err)),
            };
            let loaded = load(&state, &who, id, SearchQuery::default())
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(page(
                &state,
                &req,
                loaded,
                SearchQuery::default(),
                Extras {
                    message,
                    new_link,
                    ..Extras::default()
                },
            ))
        }
        .await,
    )
}

async fn revoke_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    form: web::Form<LinkForm>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in(who, &req)?;
            check_csrf(&req, &form.csrf)?;
            let actor = Actor::from(&who);
            state
                .db(move |conn| links::revoke(conn, &actor, who.clinic_id, &path))
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(redirect(&format!(
                "/programs/{}#links",
                super::encode(&form.program_id)
            )))
        }
        .await,
    )
}
