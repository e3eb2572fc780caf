//! The extractors of the page handlers: the signed-in clinician
//! (`SignedIn`), an admin (`Admin`) and a form posted from one of our pages
//! (`CsrfForm`). Each fails with a `PageError`, so a handler starts with
//! its inputs known good. One session lookup serves every extractor of a
//! request, so when several fail the first in the handler's arguments
//! decides the page: signed out, then not an admin, then a refused form.

use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::error::UrlencodedError;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;

use super::{csrf_token, PageError, Upload};
use crate::error::AppError;
use crate::web::extract::{admin_action, Identity};
use crate::web::origin::same_origin;
use crate::web::AppState;

/// The session of a request, looked up once however many extractors ask.
#[derive(Clone, Default)]
struct Lookup(Rc<OnceCell<Option<Identity>>>);

/// The signed-in clinician, or the sign-in page. A failed lookup (a
/// database error included) counts as signed out, as it always has here.
async fn identity(req: &HttpRequest) -> Result<Identity, PageError> {
    let lookup = {
        let mut extensions = req.extensions_mut();
        match extensions.get::<Lookup>() {
            Some(lookup) => lookup.clone(),
            None => {
                let lookup = Lookup::default();
                extensions.insert(lookup.clone());
                lookup
            }
        }
    };
    lookup
        .0
        .get_or_init(|| async { Identity::extract(req).await.ok() })
        .await
        .clone()
        .ok_or_else(|| PageError::SignIn {
            next: req.path().to_owned(),
        })
}

/// The signed-in clinician; signed out, the sign-in page.
pub struct SignedIn(pub Identity);

impl Deref for SignedIn {
    type Target = Identity;

    fn deref(&self) -> &Identity {
        &self.0
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { identity(&req).await.map(Self) })
    }
}

/// A signed-in clinic admin; a therapist gets a 403 page saying who can do
/// this, signed out the sign-in page.
pub struct Admin(pub Identity);

impl Deref for Admin {
    type Target = Identity;

    fn deref(&self) -> &Identity {
        &self.0
    }
}

impl FromRequest for Admin {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let who = identity(&req).await?;
            who.require_admin(admin_action(req.path()))?;
            Ok(Self(who))
        })
    }
}

/// How a form's fields become its type.
pub trait FormFormat {
    fn parse<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, PageError>;
}

/// Flat fields, read as actix's `web::Form` reads them (`serde_urlencoded`).
pub struct Flat;

impl FormFormat for Flat {
    fn parse<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, PageError> {
        serde_urlencoded::to_string(pairs)
            .map_err(|e| AppError::internal("form", e))
            .map_err(PageError::App)
            .and_then(|body| {
                serde_urlencoded::from_str(&body)
                    .map_err(|e| PageError::Body(UrlencodedError::Parse(e).into()))
            })
    }
}

/// Nested fields such as `items[0][sets]`, read by `serde_qs`.
pub struct Nested;

impl FormFormat for Nested {
    fn parse<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, PageError> {
        let body = serde_urlencoded::to_string(pairs).map_err(|e| AppError::internal("form", e))?;
        serde_qs::Config::new()
            .use_form_encoding(true)
            .deserialize_str(&body)
            .map_err(|e| {
                PageError::App(AppError::BadRequest {
                    code: "bad_form",
                    message: format!(
                        "the form could not be read ({e}); reload the page and try again"
                    ),
                })
            })
    }
}

/// A urlencoded form posted from one of our pages, read into `T`: its
/// `csrf` field must be the session's token and its Origin, when named,
/// ours; otherwise the 403 refusal. The body keeps actix's form limits
/// and their answers (16 kB, 413 beyond).
pub struct CsrfForm<T, F = Flat>(pub T, PhantomData<F>);

impl<T, F> CsrfForm<T, F> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T, F> Deref for CsrfForm<T, F> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static, F: FormFormat + 'static> FromRequest for CsrfForm<T, F> {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // The body is read once, as pairs; the token and the typed form
        // both come from them.
        let body = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let pairs = body.await.map_err(PageError::Body)?.into_inner();
            let form = F::parse(&pairs)?;
            // Signed out answers before a refused token, as it always has.
            identity(&req).await?;
            let sent = pairs
                .iter()
                .rev()
                .find(|(key, _)| key == "csrf")
                .map_or("", |(_, value)| value.as_str());
            check(&req, sent)?;
            Ok(Self(form, PhantomData))
        })
    }
}

/// Refuses a post whose token is not the session's or whose Origin is not
/// ours. `CsrfForm` does this for forms; uploads call it themselves.
fn check(req: &HttpRequest, sent: &str) -> Result<(), PageError> {
    let expected = csrf_token(req);
    let ours = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| same_origin(state, req));
    if expected.is_empty() || sent != expected || !ours {
        return Err(PageError::Refused);
    }
    Ok(())
}

/// Checks an upload form's CSRF token and Origin, as `CsrfForm` does.
pub fn check_upload(req: &HttpRequest, upload: &Upload) -> Result<(), PageError> {
    check(req, upload.field("csrf"))
}

/// A form with nothing but its token: a button such as sign out or retire.
#[derive(serde::Deserialize)]
pub struct Button {}
