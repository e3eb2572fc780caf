//! The clinic's catalog, for admins: its own exercises and precautions
//! (create, edit, retire; `exercises.rs`, `precautions.rs`), the built-in
//! exercises it hides or shows, the clinic's picture of any exercise shown
//! instead of the drawing, and its program templates. A form that does not
//! pass comes back with the messages beside the fields and what was typed.

mod exercises;
mod precautions;

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{csrf_token, html, redirect, Admin, Button, CsrfForm, PageError};
use crate::db::types::Tags;
use crate::domain::ids::{ExerciseId, PictureId, PrecautionId, TemplateId};
use crate::domain::search::normalize;
use crate::services::catalog::{self as service, Entry};
use crate::services::programs;
use crate::services::Actor;
use crate::web::extract::Identity;
use crate::web::AppState;
use exercises::{edit_exercise, new_exercise, save_exercise, upload_image};
use precautions::{edit_precaution, new_precaution, save_precaution};

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
    id: ExerciseId,
    name: String,
    category: String,
    regions: String,
    movement: String,
    has_image: bool,
}

struct PrecautionLine {
    id: PrecautionId,
    label: String,
    avoid: String,
    prefer: String,
}

struct BuiltinLine {
    id: ExerciseId,
    name: String,
    category: String,
    movement: String,
    hidden: bool,
    /// It has a drawn figure to show.
    figure: bool,
    /// The clinic's picture shown instead of the figure, if any.
    picture: Option<PictureId>,
}

struct TemplateLine {
    id: TemplateId,
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

fn joined(tags: &Tags) -> String {
    tags.join(", ")
}

async fn index(
    who: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<IndexQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let search = query.q.unwrap_or_default();
    let term = normalize(&search);
    let clinic = who.clinic_id;
    let (overview, templates) = state
        .db(move |conn| {
            let overview = service::overview(conn, clinic, &term, BUILTIN_LIST)?;
            Ok((overview, programs::templates(conn, clinic)?))
        })
        .await?;
    let mut builtins: Vec<BuiltinLine> = overview
        .builtins
        .into_iter()
        .map(|(row, hidden, picture)| BuiltinLine {
            figure: row.spec().is_ok_and(|s| s.figure.is_some()),
            picture,
            movement: joined(&row.movement),
            id: row.id,
            name: row.name,
            category: row.category,
            hidden,
        })
        .collect();
    builtins.sort_by_key(|b| !b.hidden);
    Ok(html(&IndexPage {
        csrf: csrf_token(&req),
        admin: true,
        notice: notice(query.done.as_deref()),
        q: search,
        exercises: overview
            .exercises
            .into_iter()
            .map(|(row, has_image)| ExerciseLine {
                has_image,
                regions: joined(&row.regions),
                movement: joined(&row.movement),
                id: row.id,
                name: row.name,
                category: row.category,
            })
            .collect(),
        precautions: overview
            .precautions
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

// ---- forms as typed ----

/// Field names the catalog forms send more than once.
pub(super) const REPEATED: [&str; 8] = [
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
pub(super) struct Choice {
    value: String,
    label: String,
    meaning: String,
    checked: bool,
}

pub(super) fn choices<'a>(
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
pub(super) fn place_errors(fields: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut placed: BTreeMap<String, String> = BTreeMap::new();
    for (key, message) in fields {
        let (target, message) = if let Some(rest) = key.strip_prefix("dosage.") {
            (super::dose::form_key(rest).to_owned(), message)
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

// ---- one-button forms ----

/// What a one-button form on an exercise or precaution does.
enum Act {
    RetireExercise(ExerciseId),
    Hide(ExerciseId),
    Show(ExerciseId),
    DeleteImage(ExerciseId),
    RetirePrecaution(PrecautionId),
    DeleteTemplate(TemplateId),
}

/// Runs a one-button form (retire, hide, show, delete) and goes back.
async fn act(state: &AppState, who: &Identity, act: Act) -> Result<HttpResponse, PageError> {
    let actor = Actor::from(who);
    let clinic = who.clinic_id;
    let back = match &act {
        Act::RetireExercise(_) => "/catalog?done=retired#exercises".to_owned(),
        Act::Hide(_) => "/catalog?done=hidden#builtin".to_owned(),
        Act::Show(_) => "/catalog?done=shown#builtin".to_owned(),
        Act::DeleteImage(id) => format!("/catalog/exercises/{id}?done=picture-removed#picture"),
        Act::RetirePrecaution(_) => "/catalog?done=retired#precautions".to_owned(),
        Act::DeleteTemplate(_) => "/catalog?done=template#templates".to_owned(),
    };
    state
        .db(move |conn| match act {
            Act::RetireExercise(id) => service::retire(conn, &actor, clinic, Entry::Exercise(id)),
            Act::Hide(id) => service::set_hidden(conn, &actor, clinic, id, true),
            Act::Show(id) => service::set_hidden(conn, &actor, clinic, id, false),
            Act::DeleteImage(id) => service::delete_image(conn, &actor, clinic, id),
            Act::RetirePrecaution(id) => {
                service::retire(conn, &actor, clinic, Entry::Precaution(id))
            }
            Act::DeleteTemplate(id) => programs::delete_template(conn, &actor, clinic, id),
        })
        .await?;
    Ok(redirect(&back))
}

macro_rules! one_button {
    ($name:ident, $id:ty, $act:expr) => {
        async fn $name(
            who: Admin,
            _form: CsrfForm<Button>,
            state: web::Data<AppState>,
            path: web::Path<$id>,
        ) -> Result<HttpResponse, PageError> {
            act(&state, &who, $act(path.into_inner())).await
        }
    };
}

one_button!(retire_exercise, ExerciseId, Act::RetireExercise);
one_button!(hide, ExerciseId, Act::Hide);
one_button!(show, ExerciseId, Act::Show);
one_button!(delete_image, ExerciseId, Act::DeleteImage);
one_button!(retire_precaution, PrecautionId, Act::RetirePrecaution);
one_button!(delete_template, TemplateId, Act::DeleteTemplate);

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
}
