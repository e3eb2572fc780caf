//! Use cases: each combines queries, domain rules and audit events in one
//! transaction. Called by the HTTP handlers and the command line alike.

pub mod accounts;
pub mod catalog;
pub mod clinic;
pub mod contact_sheet;
pub mod handouts;
pub mod link_opens;
pub mod links;
pub mod patients;
pub mod pictures;
pub mod programs;
pub mod review;

pub use accounts::Actor;

use crate::error::AppError;

/// Whether the database answers (the readiness probe).
pub fn database_answers(conn: &mut crate::db::DbConn) -> Result<(), AppError> {
    Ok(crate::db::ping(conn)?)
}

/// Maps diesel's NotFound to a 404 naming what was looked for.
pub fn not_found(what: &'static str) -> impl Fn(diesel::result::Error) -> AppError {
    move |err| match err {
        diesel::result::Error::NotFound => AppError::NotFound(what),
        other => other.into(),
    }
}
