//! Sign in and sign out with a cookie session.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{error_page, html, redirect, Button, CsrfForm, PageError, SignedIn};
use crate::error::AppError;
use crate::services::{accounts, Actor};
use crate::web::extract::{client_ip, Identity, SECURE_SESSION_COOKIE, SESSION_COOKIE};
use crate::web::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(home)))
        .service(
            web::resource("/signin")
                .route(web::get().to(form))
                .route(web::post().to(sign_in)),
        )
        .service(web::resource("/signout").route(web::post().to(sign_out)));
}

#[derive(Template)]
#[template(path = "app/signin.html")]
struct SignInPage<'a> {
    next: &'a str,
    email: &'a str,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn home(who: Option<Identity>) -> HttpResponse {
    redirect(if who.is_some() {
        "/patients"
    } else {
        "/signin"
    })
}

/// Only a local path may be a redirect target.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/patients",
    }
}

async fn form(query: web::Query<NextQuery>) -> HttpResponse {
    html(&SignInPage {
        next: safe_next(query.next.as_deref()),
        email: "",
        error: None,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

fn secure(state: &AppState) -> bool {
    state
        .config
        .base_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
}

async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> HttpResponse {
    let SignInForm {
        email,
        password,
        next,
    } = form.into_inner();
    let ip = client_ip(&req).unwrap_or_else(|| "unknown".into());
    let max = chrono::Duration::from_std(state.config.session_max)
        .unwrap_or_else(|_| chrono::Duration::hours(12));
    let typed = email.clone();
    let result = state
        .db(move |conn| accounts::sign_in(conn, &email, &password, &ip, max))
        .await;
    let next = safe_next(next.as_deref()).to_owned();
    match result {
        Ok(signed_in) => {
            let secure = secure(&state);
            let cookie = Cookie::build(
                if secure {
                    SECURE_SESSION_COOKIE
                } else {
                    SESSION_COOKIE
                },
                signed_in.token,
            )
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::seconds(
                i64::try_from(state.config.session_max.as_secs()).unwrap_or(43_200),
            ))
            .finish();
            let mut response = redirect(&next);
            let _ = response.add_cookie(&cookie);
            response
        }
        Err(err) => {
            let message = match err {
                AppError::TooManyRequests { retry_after } => format!(
                    "Too many attempts. Try again in {} minutes.",
                    retry_after.div_ceil(60)
                ),
                AppError::InvalidCredentials | AppError::Validation { .. } => {
                    "The e-mail or password is wrong.".to_owned()
                }
                other => return error_page(&other),
            };
            super::html_with(
                &SignInPage {
                    next: &next,
                    email: &typed,
                    error: Some(message),
                },
                actix_web::http::StatusCode::UNAUTHORIZED,
            )
        }
    }
}

async fn sign_out(
    who: SignedIn,
    _form: CsrfForm<Button>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let actor = Actor::from(&*who);
    state
        .db(move |conn| accounts::sign_out(conn, &actor, who.session_id))
        .await?;
    let mut response = redirect("/signin");
    for name in [SESSION_COOKIE, SECURE_SESSION_COOKIE] {
        let mut gone = Cookie::build(name, "").path("/").finish();
        gone.make_removal();
        let _ = response.add_cookie(&gone);
    }
    Ok(response)
}
