//! The patient's side: `/p/{token}` pages opened from a handout's QR code or
//! a message, with no account. Every response under `/p/` carries strict
//! privacy headers; tokens never reach the logs (the route pattern is logged,
//! and audit events name the link id).

use std::net::IpAddr;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::clock;
use crate::db::links::ActivityRow;
use crate::db::DbConn;
use crate::domain::ids::ExerciseId;
use crate::domain::paper::{choice, Paper, PrintLayout};
use crate::domain::program::{Version, VersionItem, VersionPrecaution};
use crate::error::AppError;
use crate::services::links::{self, Access, Entry, Shared};
use crate::services::{handouts, pictures};
use crate::web::extract::client_ip;
use crate::web::figure_cache::Drawing;
use crate::web::origin::same_origin;
use crate::web::{pdf, AppState};

/// The CSS of the patient page, served from our own origin.
const CSS: &str = include_str!("../../../templates/static/patient.css");

pub fn scope() -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::scope("/p")
        .wrap(
            DefaultHeaders::new()
                .add((header::REFERRER_POLICY, "no-referrer"))
                .add(("X-Robots-Tag", "noindex, nofollow"))
                .add((header::CACHE_CONTROL, "no-store"))
                .add((
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
                ))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
        )
        // A path part that is not an id (the exercise of a picture) names
        // nothing: the same page as an unknown link.
        .app_data(web::PathConfig::default().error_handler(|err, _| {
            actix_web::error::InternalError::from_response(err, not_found()).into()
        }))
        .service(web::resource("/{token}").route(web::get().to(page)))
        .service(web::resource("/{token}/log").route(web::post().to(log)))
        .service(web::resource("/{token}/handout.pdf").route(web::get().to(handout)))
        .service(web::resource("/{token}/images/{exercise_id}").route(web::get().to(image)))
        .service(web::resource("/{token}/figures/{exercise_id}").route(web::get().to(figure)))
        .default_service(web::to(unknown))
}

/// `/static/patient.css`.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(CSS)
}

/// `/robots.txt`: keep crawlers out of share links.
pub async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("User-agent: *\nDisallow: /p/\n")
}

#[derive(Template)]
#[template(path = "patient/message.html")]
struct MessagePage<'a> {
    heading: &'a str,
    text: &'a str,
}

fn message(status: StatusCode, heading: &str, text: &str) -> HttpResponse {
    let body = MessagePage { heading, text }
        .render()
        .unwrap_or_else(|_| text.to_owned());
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

fn not_found() -> HttpResponse {
    message(
        StatusCode::NOT_FOUND,
        "We can't find this program",
        "Check that the link was copied completely, or ask your therapist to send it again.",
    )
}

fn gone() -> HttpResponse {
    message(
        StatusCode::GONE,
        "This link is no longer active",
        "Your therapist may have replaced it or it has expired. Please ask your therapist for a new link.",
    )
}

/// Adds `Retry-After: seconds`.
fn retry_after(mut response: HttpResponse, seconds: u64) -> HttpResponse {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

fn too_many(seconds: u64) -> HttpResponse {
    retry_after(
        message(
            StatusCode::TOO_MANY_REQUESTS,
            "Please wait a moment",
            "There were too many requests from your connection. Try again in a minute.",
        ),
        seconds,
    )
}

fn busy(seconds: u64) -> HttpResponse {
    retry_after(
        message(
            StatusCode::SERVICE_UNAVAILABLE,
            "Your handout is not ready yet",
            "Many handouts are being prepared right now. Please try again in a few seconds.",
        ),
        seconds,
    )
}

fn failed(err: &AppError) -> HttpResponse {
    tracing::error!(error = %err, "patient page failed");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Please try again in a few minutes.",
    )
}

async fn unknown() -> HttpResponse {
    not_found()
}

/// The per-IP limit on the share-link space.
fn limited(state: &AppState, req: &HttpRequest) -> Option<HttpResponse> {
    let ip: IpAddr = req.peer_addr().map_or([0, 0, 0, 0].into(), |a| a.ip());
    state.link_limiter.check(ip).err().map(too_many)
}

/// A share token is 43 base64url characters; anything else cannot exist.
fn plausible(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What to look up for a token: malformed ones take the same database path
/// as unknown ones, so both answer alike.
fn lookup_key(token: &str) -> String {
    if plausible(token) {
        token.to_owned()
    } else {
        "-".repeat(43)
    }
}

async fn open(
    state: &AppState,
    req: &HttpRequest,
    token: String,
    action: &'static str,
) -> Result<Box<Shared>, HttpResponse> {
    if let Some(response) = limited(state, req) {
        return Err(response);
    }
    let token = lookup_key(&token);
    let ip = client_ip(req);
    let opens = std::sync::Arc::clone(&state.opens);
    match state
        .db(move |conn| links::access(conn, &opens, &token, action, ip))
        .await
    {
        Ok(Access::Open(shared)) => Ok(shared),
        Ok(Access::Unknown) => Err(not_found()),
        Ok(Access::Gone) => Err(gone()),
        Err(err) => Err(failed(&err)),
    }
}

struct Card {
    number: usize,
    exercise_id: ExerciseId,
    name: String,
    summary: String,
    dosage_line: String,
    steps: Vec<String>,
    cues: Vec<String>,
    stop_if: Option<String>,
    note: Option<String>,
    has_image: bool,
    /// The drawn figure's query (`?side=right` when mirrored), if it has one.
    figure: Option<&'static str>,
    done_today: bool,
    /// 0-10, with the one logged today selected.
    pain_options: Vec<(i32, bool)>,
}

struct HistoryRow {
    day: String,
    exercise: String,
    done: bool,
    pain: Option<i32>,
}

#[derive(Template)]
#[template(path = "patient/program.html")]
struct ProgramPage<'a> {
    clinic_name: &'a str,
    clinic_contact: &'a str,
    title: &'a str,
    first_name: &'a str,
    therapist_line: String,
    version: i32,
    published: String,
    notes: &'a str,
    cards: Vec<Card>,
    precautions: &'a [VersionPrecaution],
    history: Vec<HistoryRow>,
    token: &'a str,
    form_token: String,
    today: String,
    today_label: String,
    saved: bool,
}

#[derive(Deserialize)]
pub struct PageQuery {
    saved: Option<String>,
}

async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let token = path.into_inner();
    if let Some(response) = limited(&state, &req) {
        return response;
    }
    let lookup = lookup_key(&token);
    let ip = client_ip(&req);
    let opens = std::sync::Arc::clone(&state.opens);
    let today = clock::now().date();
    let since = (today - chrono::Duration::days(13)).to_string();
    // One trip to the blocking pool: the link, then what the page shows.
    let loaded = state
        .db(move |conn| {
            let shared = match links::access(conn, &opens, &lookup, "link.open", ip)? {
                Access::Open(shared) => shared,
                Access::Unknown => return Ok(Err(not_found as fn() -> HttpResponse)),
                Access::Gone => return Ok(Err(gone as fn() -> HttpResponse)),
            };
            let activity = links::logged_since(conn, &shared, &since)?;
            let images = pictures::with_pictures(conn, shared.link.clinic_id, &shared.version)?;
            Ok(Ok((shared, activity, images)))
        })
        .await;
    let (shared, activity, images) = match loaded {
        Ok(Ok(found)) => found,
        Ok(Err(answer)) => return answer(),
        Err(err) => return failed(&err),
    };
    let version = &shared.version;
    let today_text = today.to_string();
    let cards = cards(version, &activity, &images, &today_text);
    let history = history(version, &activity);
    let page = ProgramPage {
        clinic_name: &shared.clinic.name,
        clinic_contact: &shared.clinic.contact_line,
        title: &version.title,
        first_name: &shared.patient.first_name,
        therapist_line: if version.therapist_name.is_empty() {
            "from your therapist".to_owned()
        } else {
            format!("from {}", version.therapist_name)
        },
        version: version.version,
        published: version.published_at.format("%-d %B %Y").to_string(),
        notes: &version.notes,
        cards,
        precautions: &version.precautions,
        history,
        token: &token,
        form_token: links::form_token(&shared.link),
        today: today_text.clone(),
        today_label: today.format("%A %-d %B").to_string(),
        saved: query.saved.is_some(),
    };
    match page.render() {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(err) => failed(&AppError::internal("patient page", err)),
    }
}

/// One card per exercise, with what the patient logged for it today.
fn cards(
    version: &Version,
    activity: &[ActivityRow],
    images: &[ExerciseId],
    today: &str,
) -> Vec<Card> {
    version
        .items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let logged = activity
                .iter()
                .find(|a| a.day == today && a.exercise_id == v.item.exercise_id);
            Card {
                number: i + 1,
                exercise_id: v.item.exercise_id,
                name: v.exercise.name.clone(),
                summary: v.exercise.summary.clone(),
                dosage_line: v.item.dosage_line(),
                steps: v.exercise.steps.clone(),
                cues: v.exercise.cues.clone(),
                stop_if: v.exercise.stop_if.clone(),
                note: v.item.notes.clone(),
                has_image: images.contains(&v.item.exercise_id),
                figure: v.exercise.figure.as_ref().map(|_| {
                    if v.item.side == Some(crate::domain::program::Side::Right) {
                        "?side=right"
                    } else {
                        ""
                    }
                }),
                done_today: logged.is_some_and(|a| a.done),
                pain_options: (0..=10)
                    .map(|p| (p, logged.and_then(|a| a.pain) == Some(p)))
                    .collect(),
            }
        })
        .collect()
}

/// The last two weeks' log, each entry named by its exercise.
fn history(version: &Version, activity: &[ActivityRow]) -> Vec<HistoryRow> {
    let name_of = |id: ExerciseId| {
        version
            .items
            .iter()
            .find(|i| i.item.exercise_id == id)
            .map_or_else(|| "Exercise".to_owned(), |i| i.exercise.name.clone())
    };
    activity
        .iter()
        .map(|a| HistoryRow {
            day: a.day.clone(),
            exercise: name_of(a.exercise_id),
            done: a.done,
            pain: a.pain,
        })
        .collect()
}

#[derive(Deserialize)]
pub struct LogForm {
    form_token: Option<String>,
    exercise_id: ExerciseId,
    day: Option<String>,
    done: Option<String>,
    pain: Option<String>,
    comment: Option<String>,
}

/// Logs what the patient did. A form post is accepted only from our own
/// pages: the per-link form token must match, and the Origin must be ours
/// (`crate::web::origin`).
async fn log(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<LogForm>,
) -> HttpResponse {
    if let Some(response) = limited(&state, &req) {
        return response;
    }
    let token = path.into_inner();
    let lookup = lookup_key(&token);
    let shared = match state.db(move |conn| links::peek(conn, &lookup)).await {
        Ok(Access::Open(shared)) => shared,
        Ok(Access::Unknown) => return not_found(),
        Ok(Access::Gone) => return gone(),
        Err(err) => return failed(&err),
    };
    let form = form.into_inner();
    if !same_origin(&state, &req)
        || form.form_token.as_deref() != Some(links::form_token(&shared.link).as_str())
    {
        return message(
            StatusCode::FORBIDDEN,
            "This form could not be accepted",
            "Please open your program link again and save from that page.",
        );
    }
    let today = clock::now().date();
    let day = form
        .day
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let entry = match Entry::parse(
        &shared.version,
        form.exercise_id,
        day,
        today,
        form.done.is_some(),
        form.pain.as_deref(),
        form.comment.as_deref(),
    ) {
        Ok(entry) => entry,
        Err(AppError::Validation { message: text, .. }) => {
            return message(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please check your entry",
                &text,
            )
        }
        Err(err) => return failed(&err),
    };
    let ip = client_ip(&req);
    match state
        .db(move |conn| links::log(conn, &shared, entry, ip))
        .await
    {
        Ok(()) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/p/{token}?saved=1#exercise-top")))
            .finish(),
        Err(err) => failed(&err),
    }
}

/// The patient's choice of paper and layout for the handout; empty means
/// the default.
#[derive(Deserialize)]
pub struct PrintQuery {
    paper: Option<String>,
    layout: Option<String>,
}

async fn handout(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PrintQuery>,
) -> HttpResponse {
    let chosen =
        choice(query.paper.as_deref(), |raw| Paper::parse("paper", raw)).and_then(|paper| {
            let layout = choice(query.layout.as_deref(), |raw| {
                PrintLayout::parse("layout", raw)
            })?;
            Ok((paper, layout.unwrap_or_default()))
        });
    let Ok((paper, layout)) = chosen else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "That handout cannot be made",
            "Choose standard, large or short print, and Letter or A4 paper, on your program page.",
        );
    };
    let token = path.into_inner();
    let shared = match open(&state, &req, token.clone(), "link.download").await {
        Ok(shared) => shared,
        Err(response) => return response,
    };
    let url = format!(
        "{}/p/{token}",
        state.config.base_url.as_deref().unwrap_or_default()
    );
    let job = state
        .db(move |conn| handouts::for_link(conn, &shared, &url, paper, layout))
        .await;
    match job.map(|job| pdf::serve(&state, &req, job)) {
        Ok(serving) => match serving.await {
            Ok(response) => response,
            Err(AppError::Busy { retry_after }) => busy(retry_after),
            Err(err) => failed(&err),
        },
        Err(AppError::Busy { retry_after }) => busy(retry_after),
        Err(err) => failed(&err),
    }
}

/// Looks up the item of `exercise_id` in the version the link shares, then
/// what `f` makes of it: `None` (no such item, or nothing to show for it)
/// and any link that is not open answer 404, as an unknown link does. The
/// per-IP limit applies as on every patient route.
async fn shared_item<T, F>(
    state: &AppState,
    req: &HttpRequest,
    token: &str,
    exercise_id: ExerciseId,
    f: F,
) -> Result<T, HttpResponse>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &Shared, &VersionItem) -> Result<Option<T>, AppError> + Send + 'static,
{
    if let Some(response) = limited(state, req) {
        return Err(response);
    }
    let lookup = lookup_key(token);
    let found = state
        .db(move |conn| {
            let Access::Open(shared) = links::peek(conn, &lookup)? else {
                return Ok(None);
            };
            let version = std::sync::Arc::clone(&shared.version);
            match version
                .items
                .iter()
                .find(|i| i.item.exercise_id == exercise_id)
            {
                Some(item) => f(conn, &shared, item),
                None => Ok(None),
            }
        })
        .await;
    match found {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found()),
        Err(err) => Err(failed(&err)),
    }
}

#[derive(Deserialize)]
pub struct FigureQuery {
    side: Option<String>,
}

/// The drawn figure of an exercise of the shared version, as published.
async fn figure(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, ExerciseId)>,
    query: web::Query<FigureQuery>,
) -> HttpResponse {
    let mirror = query.side.as_deref() == Some("right");
    let (token, exercise_id) = path.into_inner();
    let found = shared_item(&state, &req, &token, exercise_id, |_, _, item| {
        Ok(item
            .exercise
            .figure
            .clone()
            .map(|figure| (figure, item.exercise.name.clone())))
    })
    .await;
    let (figure, name) = match found {
        Ok(found) => found,
        Err(response) => return response,
    };
    match Drawing::new(&figure, &name, mirror) {
        // The scope's headers (no-store, the strict CSP) apply as to every
        // patient response, so no ETag: nothing is kept to revalidate.
        Ok(drawing) => HttpResponse::Ok()
            .content_type("image/svg+xml")
            .body(state.figures.svg(&drawing)),
        Err(err) => failed(&err),
    }
}

/// The picture of an exercise of the shared version: the one it was
/// published with.
async fn image(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, ExerciseId)>,
) -> HttpResponse {
    let (token, exercise_id) = path.into_inner();
    let found = shared_item(&state, &req, &token, exercise_id, |conn, shared, item| {
        pictures::one_of_version(
            conn,
            shared.link.clinic_id,
            &shared.version,
            item.item.exercise_id,
        )
    })
    .await;
    match found {
        Ok(image) => HttpResponse::Ok()
            .content_type(image.content_type.as_str())
            .body(image.bytes.to_vec()),
        Err(response) => response,
    }
}
