//! Whether a form post came from one of our own pages, by its `Origin`
//! header: the clinician pages and the patient site share this rule.

use actix_web::http::header;
use actix_web::HttpRequest;

use super::AppState;

/// An Origin, when the browser names one, must be ours: the configured base
/// URL, or the host the request was sent to. Under
/// `Referrer-Policy: no-referrer` browsers send `Origin: null`, which names
/// no site; the form's token is what guards those posts.
pub fn same_origin(state: &AppState, req: &HttpRequest) -> bool {
    let ours = state.config.base_url.as_deref().unwrap_or_default();
    let host = req.connection_info().host().to_owned();
    match req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    {
        None | Some("null") => true,
        Some(origin) => origin == ours || origin.split("://").nth(1) == Some(host.as_str()),
    }
}
