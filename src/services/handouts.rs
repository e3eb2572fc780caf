//! What a printed handout needs, gathered in one place: the clinic's name,
//! contact line and logo, the version (published, or the draft as a
//! preview), the paper, the pictures the version shows, and for a share
//! link its URL for the QR code. Rendering itself is `handout::render`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::clock;
use crate::db::links as links_q;
use crate::db::{clinics, DbConn};
use crate::domain::credentials::token_hash;
use crate::domain::ids::{ClinicId, ExerciseId, ProgramId};
use crate::domain::paper::{Paper, PrintLayout};
use crate::domain::program::Version;
use crate::error::AppError;
use crate::handout::{ClinicInfo, Picture};
use crate::services::links::Shared;
use crate::services::{pictures, programs, Actor};

/// Everything a render needs, owned so it can move to the blocking pool.
pub struct Job {
    pub clinic: ClinicInfo,
    pub version: Arc<Version>,
    pub paper: Paper,
    pub large_print: bool,
    pub compact: bool,
    pub draft: bool,
    pub share_url: Option<String>,
    pub images: HashMap<ExerciseId, Picture>,
}

/// What a clinician asks to print.
pub struct Request {
    /// A published version's number; the latest when `None`.
    pub version: Option<i32>,
    /// The clinic's default when `None`.
    pub paper: Option<Paper>,
    pub large_print: bool,
    /// Smaller, without tips (large print wins).
    pub compact: bool,
    /// The current draft, marked as such, instead of a version.
    pub draft: bool,
    /// A live link's token, to print its URL (under `base_url`) and QR code.
    pub share_token: Option<String>,
    pub base_url: String,
}

/// The handout a clinician prints from the builder or the API.
pub fn for_clinician(
    conn: &mut DbConn,
    actor: &Actor,
    clinic_id: ClinicId,
    program: ProgramId,
    request: Request,
) -> Result<Job, AppError> {
    let clinic = clinics::find(conn, clinic_id)?;
    let version = if request.draft {
        Arc::new(programs::preview(conn, actor, clinic_id, program)?)
    } else {
        match request.version {
            Some(n) => Arc::new(programs::version(conn, clinic_id, program, n)?.1),
            None => programs::latest_version(conn, clinic_id, program)?
                .map(|(_, v)| v)
                .ok_or_else(|| AppError::Conflict {
                    code: "not_published",
                    message: "this program has no published version yet; publish it or ask for ?draft=true".into(),
                    clash: None,
                })?,
        }
    };
    let share_url = match request.share_token {
        Some(token) => {
            let now = clock::now();
            links_q::by_token_hash(conn, &token_hash(&token))?
                .filter(|l| {
                    l.clinic_id == clinic_id
                        && l.program_id == program
                        && l.share_link(false).status(now).is_live()
                })
                .ok_or(AppError::NotFound("share link"))?;
            Some(format!("{}/p/{token}", request.base_url))
        }
        None => None,
    };
    let images = images(conn, clinic_id, &version)?;
    let logo = clinics::logo(conn, clinic_id)?.map(|(bytes, _)| bytes);
    Ok(Job {
        clinic: ClinicInfo {
            name: clinic.name,
            contact_line: clinic.contact_line,
            logo,
        },
        version,
        paper: request.paper.unwrap_or(clinic.default_paper),
        large_print: request.large_print,
        compact: request.compact,
        draft: request.draft,
        share_url,
        images,
    })
}

/// The handout behind a share link: the latest version with the link's QR,
/// on the paper and in the layout the patient chose (the clinic's paper and
/// the standard layout by default).
pub fn for_link(
    conn: &mut DbConn,
    shared: &Shared,
    url: &str,
    paper: Option<Paper>,
    layout: PrintLayout,
) -> Result<Job, AppError> {
    let version = Arc::clone(&shared.version);
    // The patient's copy prints the clinic as the clinician's does, logo
    // included (`ClinicRow` leaves the logo's bytes out, so read them here).
    let logo = clinics::logo(conn, shared.link.clinic_id)?.map(|(bytes, _)| bytes);
    Ok(Job {
        images: images(conn, shared.link.clinic_id, &version)?,
        clinic: ClinicInfo {
            name: shared.clinic.name.clone(),
            contact_line: shared.clinic.contact_line.clone(),
            logo,
        },
        paper: paper.unwrap_or(shared.clinic.default_paper),
        version,
        large_print: layout == PrintLayout::Large,
        compact: layout == PrintLayout::Compact,
        draft: false,
        share_url: Some(url.to_owned()),
    })
}

fn images(
    conn: &mut DbConn,
    clinic: ClinicId,
    version: &Version,
) -> Result<HashMap<ExerciseId, Picture>, AppError> {
    Ok(pictures::of_version(conn, clinic, version)?
        .into_iter()
        .map(|(exercise_id, p)| (exercise_id, Picture::stored(&p.id, Arc::clone(&p.bytes))))
        .collect())
}
