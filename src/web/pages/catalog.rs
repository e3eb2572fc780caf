//! The clinic's catalog, for admins: its own exercises and precautions
//! (create, edit, retire, an image per exercise), the built-in exercises it
//! hides or shows, and its program templates. A form that does not pass
//! comes back with the messages beside the fields and what was typed.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    check_csrf, csrf_token, error_page, field_values, form_errors, html, html_with, read_upload,
    redirect, respond, signed_in_admin, CsrfForm, Page, Typed,
};
use crate::db::catalog::{self as q, ExerciseRow, PrecautionRow};
use crate::db::programs as programs_q;
use crate::domain::dosage::DosageInput;
use crate::domain::exercise::{ExerciseInput, ExerciseSpec};
use crate::domain::precaution::{PrecautionInput, SubstitutionInput};
use crate::domain::search::normalize;
use crate::domain::vocabulary::Vocabulary;
use crate::error::AppError;
use crate::services::catalog::{self as service, IMAGE_MAX_BYTES};
use crate::services::programs;
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;

const ACTION: &str = "change the clinic's catalog";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/catalog").route(web::get().to(index)))
        .service(web::resource("/catalog/exercises").route(web::post().to(save_exercise)))
        .service(web::resource("/catalog/exercises/new").route(web::get().to(new_exercise)))
        .service(
            web::resource("/catalog/exercises/{id}")
                .route(web::get().to(edit_exercise))
                .route(web::post().to(save_exercise)),
        )
        .service(
            web::resource("/catalog/exercises/{id}/retire").route(web::post().to(retire_exercise)),
        )
        .service(web::resource("/catalog/exercises/{id}/hide").route(web::post().to(hide)))
        .service(web::resource("/catalog/exercises/{id}/show").route(web::post().to(show)))
        .service(web::resource("/catalog/exercises/{id}/image").route(web::post().to(upload_image)))
        .service(
            web::resource("/catalog/exercises/{id}/image/delete")
                .route(web::post().to(delete_image)),
        )
        .service(web::resource("/catalog/precautions").route(web::post().to(save_precaution)))
        .service(web::resource("/catalog/precautions/new").route(web::get().to(new_precaution)))
        .service(
            web::resource("/catalog/precautions/{id}")
                .route(web::get().to(edit_precaution))
                .route(web::post().to(save_precaution)),
        )
        .service(
            web::resource("/catalog/precautions/{id}/retire")
                .route(web::post().to(retire_precaution)),
        )
        .service(
            web::resource("/catalog/templates/{id}/delete").route(web::post().to(delete_template)),
        );
}

// ---- the overview ----

struct ExerciseLine {
    id: String,
    name: String,
    category: String,
    regions: String,
    movement: String,
    has_image: bool,
}

struct PrecautionLine {
    id: String,
    label: String,
    avoid: String,
    prefer: String,
}

struct BuiltinLine {
    id: String,
    name: String,
    category: String,
    movement: String,
    hidden: bool,
}

struct TemplateLine {
    id: String,
    title: String,
    items: usize,
}

#[derive(Template)]
#[template(path = "app/catalog.html")]
struct IndexPage {
    csrf: String,
    admin: bool,
    notice: Option<&'static str>,
    q: String,
    exercises: Vec<ExerciseLine>,
    precautions: Vec<PrecautionLine>,
    builtins: Vec<BuiltinLine>,
    templates: Vec<TemplateLine>,
}

#[derive(Deserialize)]
pub struct IndexQuery {
    q: Option<String>,
    done: Option<String>,
}

/// Built-in exercises listed at once; a search narrows them.
const BUILTIN_LIST: i64 = 400;

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "exercise" => "The exercise is saved. It is in the builder's search now.",
        "precaution" => "The precaution is saved. It can be given to patients now.",
        "retired" => "Retired. Programs that already use it keep it; it can no longer be picked.",
        "hidden" => "Hidden. The builder's search no longer offers this exercise.",
        "shown" => "The built-in exercise is offered in the builder's search again.",
        "template" => "The template is deleted.",
        _ => return None,
    })
}

fn joined(packed: &str) -> String {
    q::unpack(packed).join(", ")
}

async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    query: web::Query<IndexQuery>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let query = query.into_inner();
            let search = query.q.unwrap_or_default();
            let term = normalize(&search);
            let clinic = who.clinic_id;
            let (exercises, images, precautions, builtins, templates) = state
                .db(move |conn| {
                    let exercises = q::clinic_exercises(conn, clinic)?;
                    let ids: Vec<String> = exercises.iter().map(|e| e.id.clone()).collect();
                    let images = q::with_images(conn, clinic, &ids)?;
                    let precautions = q::list_precautions(conn, clinic)?;
                    let builtins = q::builtin_with_hidden(conn, clinic, &term, BUILTIN_LIST)?;
                    let templates = programs_q::list_templates(conn, clinic)?;
                    Ok((exercises, images, precautions, builtins, templates))
                })
                .await
                .map_err(|e| error_page(&e))?;
            let mut builtins: Vec<BuiltinLine> = builtins
                .into_iter()
                .map(|(row, hidden)| BuiltinLine {
                    movement: joined(&row.movement),
                    id: row.id,
                    name: row.name,
                    category: row.category,
                    hidden,
                })
                .collect();
            builtins.sort_by_key(|b| !b.hidden);
            Page::Ok(html(&IndexPage {
                csrf: csrf_token(&req),
                admin: true,
                notice: notice(query.done.as_deref()),
                q: search,
                exercises: exercises
                    .into_iter()
                    .map(|row| ExerciseLine {
                        has_image: images.contains(&row.id),
                        regions: joined(&row.regions),
                        movement: joined(&row.movement),
                        id: row.id,
                        name: row.name,
                        category: row.category,
                    })
                    .collect(),
                precautions: precautions
                    .into_iter()
                    .filter(|p| p.clinic_id.is_some())
                    .filter_map(|p| {
                        let stored = p.stored().ok()?;
                        Some(PrecautionLine {
                            id: p.id,
                            label: stored.label,
                            avoid: stored.avoid.join(", "),
                            prefer: stored.prefer.join(", "),
                        })
                    })
                    .collect(),
                builtins,
                templates: templates
                    .into_iter()
                    .map(|t| TemplateLine {
                        items: serde_json::from_str::<Vec<serde_json::Value>>(&t.items)
                            .map_or(0, |items| items.len()),
                        id: t.id,
                        title: t.title,
                    })
                    .collect(),
            }))
        }
        .await,
    )
}

// ---- forms as typed ----

/// Field names the catalog forms send more than once.
const REPEATED: [&str; 8] = [
    "regions",
    "movement",
    "equipment",
    "avoid",
    "prefer",
    "sub_from",
    "sub_to",
    "sub_reason",
];

/// A checkbox or an option of a select.
pub struct Choice {
    value: String,
    label: String,
    meaning: String,
    checked: bool,
}

fn choices<'a>(
    all: impl IntoIterator<Item = (&'a String, &'a String)>,
    checked: &[String],
) -> Vec<Choice> {
    all.into_iter()
        .map(|(value, meaning)| Choice {
            checked: checked.contains(value),
            label: value.replace('-', " "),
            meaning: meaning.clone(),
            value: value.clone(),
        })
        .collect()
}

/// Messages by the form field they belong to: `steps[2]` shows under the
/// steps box as "line 3: …", `dosage.sets` under sets, a substitution's
/// `substitution[1].to` beside that row.
fn place_errors(fields: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut placed: BTreeMap<String, String> = BTreeMap::new();
    for (key, message) in fields {
        let (target, message) = if let Some(rest) = key.strip_prefix("dosage.") {
            (rest.to_owned(), message)
        } else if key.starts_with("substitution[") {
            match key.split_once("].") {
                Some((row, part)) => (format!("{row}]"), format!("{part}: {message}")),
                None => (key, message),
            }
        } else if let Some((base, rest)) = key.split_once('[') {
            let line = rest
                .trim_end_matches(']')
                .parse::<usize>()
                .map_or(0, |i| i + 1);
            (base.to_owned(), format!("line {line}: {message}"))
        } else if key == "id" {
            ("slug".to_owned(), message)
        } else {
            (key, message)
        };
        placed
            .entry(target)
            .and_modify(|m| {
                m.push_str("; ");
                m.push_str(&message);
            })
            .or_insert(message);
    }
    placed
}

// ---- exercises ----

#[derive(Template)]
#[template(path = "app/exercise_form.html")]
struct ExerciseForm {
    csrf: String,
    admin: bool,
    heading: String,
    action: String,
    /// The stored exercise being edited.
    id: Option<String>,
    has_image: bool,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    regions: Vec<Choice>,
    movements: Vec<Choice>,
    equipment: Vec<Choice>,
    categories: Vec<Choice>,
    positions: Vec<Choice>,
}

impl ExerciseForm {
    fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    fn error(&self, key: &str) -> Option<String> {
        self.errors.get(key).cloned()
    }

    fn build(
        req: &HttpRequest,
        vocab: &Vocabulary,
        id: Option<String>,
        has_image: bool,
        typed: &Typed,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let one = |key: &str| vec![typed.value(key)];
        Self {
            csrf: csrf_token(req),
            admin: true,
            heading: if id.is_some() {
                format!("Edit {}", typed.value("name"))
            } else {
                "New exercise".into()
            },
            action: id.as_ref().map_or_else(
                || "/catalog/exercises".into(),
                |id| format!("/catalog/exercises/{id}"),
            ),
            id,
            has_image,
            values: typed.values.clone(),
            errors: place_errors(errors),
            regions: choices(&vocab.regions, &typed.list("regions")),
            movements: choices(&vocab.movement, &typed.list("movement")),
            equipment: choices(&vocab.equipment, &typed.list("equipment")),
            categories: choices(&vocab.categories, &one("category")),
            positions: choices(&vocab.positions, &one("position")),
        }
    }
}

/// The stored exercise as the form shows it.
fn typed_exercise(spec: &ExerciseSpec) -> Typed {
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let values = field_values([
        ("name", spec.name.clone()),
        ("slug", spec.slug.clone()),
        ("aliases", spec.aliases.join(", ")),
        ("summary", spec.summary.clone()),
        ("category", spec.category.clone()),
        ("position", spec.position.clone()),
        ("steps", spec.steps.join("\n")),
        ("cues", spec.cues.join("\n")),
        ("stop_if", spec.stop_if.clone().unwrap_or_default()),
        ("sets", spec.dosage.sets.to_string()),
        ("reps", number(spec.dosage.reps)),
        ("hold_seconds", number(spec.dosage.hold_seconds)),
        ("times_per_day", spec.dosage.times_per_day.to_string()),
        ("days_per_week", spec.dosage.days_per_week.to_string()),
    ]);
    let lists = field_values([
        ("regions", spec.regions.clone()),
        ("movement", spec.movement.clone()),
        ("equipment", spec.equipment.clone()),
    ]);
    Typed {
        csrf: String::new(),
        values,
        lists,
    }
}

/// The typed form as an exercise input, and messages for numbers that are
/// not numbers (the domain checks everything else).
fn exercise_input(typed: &Typed) -> (ExerciseInput, BTreeMap<String, String>) {
    let mut errors = BTreeMap::new();
    let mut number = |key: &str| {
        let raw = typed.value(key);
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        raw.parse::<i64>().map_or_else(
            |_| {
                errors.insert(format!("dosage.{key}"), "enter a whole number".to_owned());
                None
            },
            Some,
        )
    };
    let dosage = DosageInput {
        sets: number("sets"),
        reps: number("reps"),
        hold_seconds: number("hold_seconds"),
        times_per_day: number("times_per_day"),
        days_per_week: number("days_per_week"),
    };
    let stop_if = typed.value("stop_if");
    let input = ExerciseInput {
        slug: typed.value("slug").trim().to_owned(),
        name: typed.value("name"),
        aliases: typed
            .value("aliases")
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        summary: typed.value("summary"),
        regions: typed.list("regions"),
        category: typed.value("category"),
        movement: typed.list("movement"),
        equipment: typed.list("equipment"),
        position: typed.value("position"),
        steps: typed.lines("steps"),
        cues: typed.lines("cues"),
        stop_if: Some(stop_if).filter(|s| !s.trim().is_empty()),
        dosage,
    };
    (input, errors)
}

/// Loads one of the clinic's own exercises with whether it has an image; a
/// built-in one cannot be edited here.
async fn own_exercise(
    state: &AppState,
    who: &Identity,
    id: String,
) -> Result<(ExerciseRow, bool), AppError> {
    let clinic = who.clinic_id;
    let (row, images) = state
        .db(move |conn| {
            let row = q::find_exercise(conn, clinic, &id)
                .map_err(crate::services::not_found("exercise"))?;
            let images = q::with_images(conn, clinic, std::slice::from_ref(&row.id))?;
            Ok((row, images))
        })
        .await?;
    if row.clinic_id.is_none() {
        return Err(AppError::Forbidden(
            "built-in exercises are read-only; hide it and create your clinic's own version".into(),
        ));
    }
    Ok((row, !images.is_empty()))
}

async fn new_exercise(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
) -> HttpResponse {
    respond(signed_in_admin(who, &req, ACTION).map(|_| {
        let typed = Typed {
            values: [
                ("sets", "2"),
                ("reps", "10"),
                ("times_per_day", "1"),
                ("days_per_week", "7"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
            ..Typed::default()
        };
        html(&ExerciseForm::build(
            &req,
            &state.vocabulary,
            None,
            false,
            &typed,
            BTreeMap::new(),
        ))
    }))
}

async fn edit_exercise(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let (row, has_image) = own_exercise(&state, &who, path.into_inner())
                .await
                .map_err(|e| error_page(&e))?;
            let spec = row
                .spec()
                .map_err(|e| error_page(&AppError::internal("exercise content", e)))?;
            Page::Ok(html(&ExerciseForm::build(
                &req,
                &state.vocabulary,
                Some(row.id),
                has_image,
                &typed_exercise(&spec),
                BTreeMap::new(),
            )))
        }
        .await,
    )
}

/// Creates (`POST` to the collection, no id in the path) or updates.
async fn save_exercise(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: Option<web::Path<String>>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let id = path.map(web::Path::into_inner);
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let typed = Typed::read(form.into_inner(), &REPEATED);
            check_csrf(&req, &typed.csrf)?;
            let (input, number_errors) = exercise_input(&typed);
            let result = if number_errors.is_empty() {
                let actor = Actor::from(&who);
                let target = id.clone();
                let app = state.clone();
                state
                    .db(move |conn| {
                        let vocab = &app.vocabulary;
                        match target {
                            Some(id) => {
                                let patch = serde_json::to_value(&input)
                                    .map_err(|e| AppError::internal("exercise form", e))?;
                                service::update_exercise(
                                    conn,
                                    &actor,
                                    who.clinic_id,
                                    vocab,
                                    &id,
                                    patch,
                                )
                            }
                            None => {
                                service::create_exercise(conn, &actor, who.clinic_id, vocab, input)
                            }
                        }
                    })
                    .await
                    .map(drop)
            } else {
                // Show every other problem too, without saving anything.
                let mut errors = number_errors;
                let mut input = input;
                if input.slug.is_empty() {
                    input.slug = service::slugify(&input.name);
                }
                if let Err(found) = ExerciseSpec::parse(input, &state.vocabulary) {
                    for e in found {
                        errors.entry(e.field).or_insert(e.message);
                    }
                }
                Err(AppError::Validation {
                    message: "some fields are invalid".into(),
                    fields: errors,
                })
            };
            match result {
                Ok(()) => Page::Ok(redirect("/catalog?done=exercise#exercises")),
                Err(err) => {
                    let mut errors = form_errors(err).map_err(|e| error_page(&e))?;
                    if typed.value("slug").trim().is_empty() && errors.contains_key("name") {
                        // The slug is made from the name; fixing the name fixes it.
                        errors.remove("slug");
                    }
                    let has_image = match &id {
                        Some(id) => {
                            own_exercise(&state, &who, id.clone())
                                .await
                                .map_err(|e| error_page(&e))?
                                .1
                        }
                        None => false,
                    };
                    let page = html_with(
                        &ExerciseForm::build(
                            &req,
                            &state.vocabulary,
                            id,
                            has_image,
                            &typed,
                            errors,
                        ),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    );
                    Page::Ok(page)
                }
            }
        }
        .await,
    )
}

/// What a one-button form on an exercise or precaution does.
enum Act {
    RetireExercise,
    Hide,
    Show,
    DeleteImage,
    RetirePrecaution,
    DeleteTemplate,
}

/// Runs a one-button form (retire, hide, show, delete) and goes back.
async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    id: String,
    form: web::Form<CsrfForm>,
    act: Act,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            check_csrf(&req, &form.csrf)?;
            let actor = Actor::from(&who);
            let clinic = who.clinic_id;
            let back = match act {
                Act::RetireExercise => "/catalog?done=retired#exercises".to_owned(),
                Act::Hide => "/catalog?done=hidden#builtin".to_owned(),
                Act::Show => "/catalog?done=shown#builtin".to_owned(),
                Act::DeleteImage => format!("/catalog/exercises/{id}"),
                Act::RetirePrecaution => "/catalog?done=retired#precautions".to_owned(),
                Act::DeleteTemplate => "/catalog?done=template#templates".to_owned(),
            };
            state
                .db(move |conn| match act {
                    Act::RetireExercise => service::retire_exercise(conn, &actor, clinic, &id),
                    Act::Hide => service::set_hidden(conn, &actor, clinic, &id, true),
                    Act::Show => service::set_hidden(conn, &actor, clinic, &id, false),
                    Act::DeleteImage => service::delete_image(conn, &actor, clinic, &id),
                    Act::RetirePrecaution => service::retire_precaution(conn, &actor, clinic, &id),
                    Act::DeleteTemplate => programs::delete_template(conn, &actor, clinic, &id),
                })
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(redirect(&back))
        }
        .await,
    )
}

macro_rules! one_button {
    ($name:ident, $act:expr) => {
        async fn $name(
            state: web::Data<AppState>,
            req: HttpRequest,
            who: Option<Identity>,
            path: web::Path<String>,
            form: web::Form<CsrfForm>,
        ) -> HttpResponse {
            act(state, req, who, path.into_inner(), form, $act).await
        }
    };
}

one_button!(retire_exercise, Act::RetireExercise);
one_button!(hide, Act::Hide);
one_button!(show, Act::Show);
one_button!(delete_image, Act::DeleteImage);
one_button!(retire_precaution, Act::RetirePrecaution);
one_button!(delete_template, Act::DeleteTemplate);

async fn upload_image(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
    payload: Multipart,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let id = path.into_inner();
            let result = match read_upload(payload, "image", IMAGE_MAX_BYTES).await {
                Ok(upload) => {
                    check_csrf(&req, upload.field("csrf"))?;
                    match upload.file {
                        Some(bytes) => {
                            let actor = Actor::from(&who);
                            let clinic = who.clinic_id;
                            let target = id.clone();
                            // Only the clinic's own exercises take images here.
                            own_exercise(&state, &who, id.clone())
                                .await
                                .map_err(|e| error_page(&e))?;
                            state
                                .db(move |conn| {
                                    service::put_image(conn, &actor, clinic, &target, bytes)
                                })
                                .await
                        }
                        None => Err(AppError::Validation {
                            message: "choose a PNG or JPEG file first".into(),
                            fields: BTreeMap::from([(
                                "image".to_owned(),
                                "choose a PNG or JPEG file first".to_owned(),
                            )]),
                        }),
                    }
                }
                Err(err) => Err(err),
            };
            match result {
                Ok(()) => Page::Ok(redirect(&format!("/catalog/exercises/{id}"))),
                Err(err) => {
                    let status = actix_web::ResponseError::status_code(&err);
                    let mut errors = form_errors(err).map_err(|e| error_page(&e))?;
                    if let Some(message) = errors.remove("_form") {
                        errors.insert("image".into(), message);
                    }
                    let (row, has_image) = own_exercise(&state, &who, id)
                        .await
                        .map_err(|e| error_page(&e))?;
                    let spec = row
                        .spec()
                        .map_err(|e| error_page(&AppError::internal("exercise content", e)))?;
                    let page = html_with(
                        &ExerciseForm::build(
                            &req,
                            &state.vocabulary,
                            Some(row.id),
                            has_image,
                            &typed_exercise(&spec),
                            errors,
                        ),
                        status,
                    );
                    Page::Ok(page)
                }
            }
        }
        .await,
    )
}

// ---- precautions ----

struct SubRow {
    from: String,
    to: String,
    reason: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "app/precaution_form.html")]
struct PrecautionForm {
    csrf: String,
    admin: bool,
    heading: String,
    action: String,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    avoid: Vec<Choice>,
    prefer: Vec<Choice>,
    substitutions: Vec<SubRow>,
    /// Exercises a substitution can name: (id, name).
    exercises: Vec<(String, String)>,
}

impl PrecautionForm {
    fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    fn error(&self, key: &str) -> Option<String> {
        self.errors.get(key).cloned()
    }
}

/// Empty substitution rows offered below the filled ones.
const BLANK_ROWS: usize = 2;

/// The typed substitution rows that are not blank, in order.
fn typed_substitutions(typed: &Typed) -> Vec<SubstitutionInput> {
    let from = typed.list("sub_from");
    let to = typed.list("sub_to");
    let reason = typed.list("sub_reason");
    (0..from.len().max(to.len()).max(reason.len()))
        .map(|i| SubstitutionInput {
            from: from.get(i).cloned().unwrap_or_default(),
            to: to.get(i).cloned().unwrap_or_default(),
            reason: reason.get(i).cloned().unwrap_or_default(),
        })
        .filter(|s| !(s.from.is_empty() && s.to.is_empty() && s.reason.trim().is_empty()))
        .collect()
}

fn precaution_input(typed: &Typed) -> PrecautionInput {
    PrecautionInput {
        id: typed.value("slug").trim().to_owned(),
        label: typed.value("label"),
        description: typed.value("description"),
        avoid: typed.list("avoid"),
        prefer: typed.list("prefer"),
        patient_avoid: typed.value("patient_avoid"),
        patient_instead: typed.value("patient_instead"),
        substitution: typed_substitutions(typed),
    }
}

fn typed_precaution(row: &PrecautionRow) -> Result<Typed, AppError> {
    let stored = row
        .stored()
        .map_err(|e| AppError::internal("precaution content", e))?;
    let values = field_values([
        ("slug", row.slug.clone()),
        ("label", stored.label),
        ("description", stored.description),
        ("patient_avoid", stored.patient_avoid),
        ("patient_instead", stored.patient_instead),
    ]);
    let subs = &stored.substitutions;
    let lists = field_values([
        ("avoid", stored.avoid.clone()),
        ("prefer", stored.prefer.clone()),
        ("sub_from", subs.iter().map(|s| s.from.clone()).collect()),
        ("sub_to", subs.iter().map(|s| s.to.clone()).collect()),
        (
            "sub_reason",
            subs.iter().map(|s| s.reason.clone()).collect(),
        ),
    ]);
    Ok(Typed {
        csrf: String::new(),
        values,
        lists,
    })
}

async fn precaution_form(
    state: &AppState,
    req: &HttpRequest,
    who: &Identity,
    id: Option<String>,
    typed: &Typed,
    errors: BTreeMap<String, String>,
) -> Result<PrecautionForm, AppError> {
    let clinic = who.clinic_id;
    let exercises = state
        .db(move |conn| Ok(q::pickable_names(conn, clinic)?))
        .await?;
    let errors = place_errors(errors);
    let mut substitutions: Vec<SubRow> = typed_substitutions(typed)
        .into_iter()
        .enumerate()
        .map(|(i, s)| SubRow {
            error: errors.get(&format!("substitution[{i}]")).cloned(),
            from: s.from,
            to: s.to,
            reason: s.reason,
        })
        .collect();
    substitutions.extend((0..BLANK_ROWS).map(|_| SubRow {
        from: String::new(),
        to: String::new(),
        reason: String::new(),
        error: None,
    }));
    let vocab = &state.vocabulary;
    Ok(PrecautionForm {
        csrf: csrf_token(req),
        admin: true,
        heading: if id.is_some() {
            format!("Edit {}", typed.value("label"))
        } else {
            "New precaution".into()
        },
        action: id.map_or_else(
            || "/catalog/precautions".into(),
            |id| format!("/catalog/precautions/{id}"),
        ),
        values: typed.values.clone(),
        errors,
        avoid: choices(&vocab.movement, &typed.list("avoid")),
        prefer: choices(&vocab.movement, &typed.list("prefer")),
        substitutions,
        exercises,
    })
}

async fn new_precaution(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let form =
                precaution_form(&state, &req, &who, None, &Typed::default(), BTreeMap::new())
                    .await
                    .map_err(|e| error_page(&e))?;
            Page::Ok(html(&form))
        }
        .await,
    )
}

async fn edit_precaution(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: web::Path<String>,
) -> HttpResponse {
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let clinic = who.clinic_id;
            let id = path.into_inner();
            let target = id.clone();
            let row = state
                .db(move |conn| {
                    q::find_precaution(conn, clinic, &target)
                        .map_err(crate::services::not_found("precaution"))
                })
                .await
                .map_err(|e| error_page(&e))?;
            if row.clinic_id.is_none() {
                return Page::Err(error_page(&AppError::Forbidden(
                    "built-in precautions are read-only; create your clinic's own instead".into(),
                )));
            }
            let typed = typed_precaution(&row).map_err(|e| error_page(&e))?;
            let form = precaution_form(&state, &req, &who, Some(id), &typed, BTreeMap::new())
                .await
                .map_err(|e| error_page(&e))?;
            Page::Ok(html(&form))
        }
        .await,
    )
}

/// Creates (`POST` to the collection, no id in the path) or updates.
async fn save_precaution(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: Option<Identity>,
    path: Option<web::Path<String>>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let id = path.map(web::Path::into_inner);
    respond(
        async {
            let who = signed_in_admin(who, &req, ACTION)?;
            let typed = Typed::read(form.into_inner(), &REPEATED);
            check_csrf(&req, &typed.csrf)?;
            let input = precaution_input(&typed);
            let actor = Actor::from(&who);
            let target = id.clone();
            let app = state.clone();
            let result = state
                .db(move |conn| {
                    let vocab = &app.vocabulary;
                    match target {
                        Some(id) => {
                            let patch = serde_json::to_value(&input)
                                .map_err(|e| AppError::internal("precaution form", e))?;
                            service::update_precaution(
                                conn,
                                &actor,
                                who.clinic_id,
                                vocab,
                                &id,
                                patch,
                            )
                        }
                        None => {
                            service::create_precaution(conn, &actor, who.clinic_id, vocab, input)
                        }
                    }
                })
                .await;
            match result {
                Ok(_) => Page::Ok(redirect("/catalog?done=precaution#precautions")),
                Err(err) => {
                    let errors = form_errors(err).map_err(|e| error_page(&e))?;
                    let form = precaution_form(&state, &req, &who, id, &typed, errors)
                        .await
                        .map_err(|e| error_page(&e))?;
                    let page = html_with(&form, StatusCode::UNPROCESSABLE_ENTITY);
                    Page::Ok(page)
                }
            }
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_land_beside_the_field_they_belong_to() {
        let placed = place_errors(BTreeMap::from([
            ("steps[2]".to_owned(), "is required".to_owned()),
            (
                "dosage.sets".to_owned(),
                "must be between 1 and 20".to_owned(),
            ),
            ("substitution[1].to".to_owned(), "no exercise".to_owned()),
            ("id".to_owned(), "bad slug".to_owned()),
            ("name".to_owned(), "is required".to_owned()),
        ]));
        assert_eq!(placed["steps"], "line 3: is required");
        assert_eq!(placed["sets"], "must be between 1 and 20");
        assert_eq!(placed["substitution[1]"], "to: no exercise");
        assert_eq!(placed["slug"], "bad slug");
        assert_eq!(placed["name"], "is required");
    }

    #[test]
    fn blank_substitution_rows_are_dropped_and_filled_ones_kept_in_order() {
        let typed = Typed::read(
            [
                ("sub_from", "a"),
                ("sub_to", "b"),
                ("sub_reason", "r"),
                ("sub_from", ""),
                ("sub_to", ""),
                ("sub_reason", " "),
                ("sub_from", "c"),
                ("sub_to", ""),
                ("sub_reason", ""),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
            &REPEATED,
        );
        let subs = typed_substitutions(&typed);
        assert_eq!(subs.len(), 2);
        assert_eq!((subs[0].from.as_str(), subs[1].from.as_str()), ("a", "c"));
    }
}
