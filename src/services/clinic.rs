//! The clinic's settings that every handout uses (name, contact line,
//! default paper) and its logo. Admins change them; each change is audited.

use crate::clock;
use crate::db::audit;
use crate::db::clinics::{self, ClinicRow};
use crate::db::{write_tx, DbConn};
use crate::domain::clinician::Name;
use crate::domain::ids::ClinicId;
use crate::domain::paper::Paper;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::catalog::check_image;
use crate::services::Actor;

/// Longest contact line printed under the clinic's name.
pub const CONTACT_MAX: usize = 200;

/// The settings and whether a logo is stored.
pub struct ClinicSettings {
    pub row: ClinicRow,
    pub has_logo: bool,
}

/// Fields to change; `None` keeps the stored value.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub contact_line: Option<String>,
    pub default_paper: Option<String>,
    pub weight_unit: Option<String>,
}

pub fn load(conn: &mut DbConn, clinic: ClinicId) -> Result<ClinicSettings, AppError> {
    Ok(ClinicSettings {
        row: clinics::find(conn, clinic)?,
        has_logo: clinics::logo(conn, clinic)?.is_some(),
    })
}

/// The clinic's unit for weights (`kg` or `lb`), without its logo.
pub fn weight_unit(conn: &mut DbConn, clinic: ClinicId) -> Result<String, AppError> {
    Ok(clinics::find(conn, clinic)?.weight_unit)
}

/// The clinic's logo bytes and content type, if it has one.
pub fn logo(conn: &mut DbConn, clinic: ClinicId) -> Result<Option<(Vec<u8>, String)>, AppError> {
    Ok(clinics::logo(conn, clinic)?)
}

/// Checks and stores new settings; every invalid field is reported at once.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    patch: SettingsPatch,
) -> Result<ClinicSettings, AppError> {
    write_tx(conn, |conn| {
        let current = clinics::find(conn, clinic)?;
        let mut errors = Vec::new();
        let name = match Name::parse("name", patch.name.as_deref().unwrap_or(&current.name)) {
            Ok(n) => n.as_str().to_owned(),
            Err(e) => {
                errors.push(e);
                String::new()
            }
        };
        let contact = patch
            .contact_line
            .unwrap_or(current.contact_line)
            .trim()
            .to_owned();
        if contact.chars().count() > CONTACT_MAX {
            errors.push(FieldError::new(
                "contact_line",
                format!("must be at most {CONTACT_MAX} characters"),
            ));
        }
        let paper = match patch.default_paper.as_deref() {
            Some(raw) => Paper::parse("default_paper", raw)
                .map_err(|e| errors.push(e))
                .unwrap_or_default(),
            None => current.default_paper,
        };
        let weight_unit = match patch.weight_unit.as_deref().map(str::trim) {
            None => current.weight_unit,
            Some(unit @ ("kg" | "lb")) => unit.to_owned(),
            Some(_) => {
                errors.push(FieldError::new("weight_unit", "must be kg or lb"));
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
        let now = clock::now();
        clinics::update_settings(conn, clinic, &name, &contact, paper, &weight_unit, now)?;
        audit::record(conn, actor.event("clinic.update", "clinic", clinic), now)?;
        load(conn, clinic)
    })
}

/// Stores a new logo (PNG or JPEG, checked like exercise images) or, with
/// `None`, removes it.
pub fn set_logo(
    conn: &mut DbConn,
    actor: &Actor,
    clinic: ClinicId,
    image: Option<Vec<u8>>,
) -> Result<(), AppError> {
    let checked = match &image {
        Some(bytes) => Some((bytes.as_slice(), check_image(bytes)?.0)),
        None => None,
    };
    write_tx(conn, |conn| {
        let now = clock::now();
        clinics::set_logo(conn, clinic, checked, now)?;
        let action = if checked.is_some() {
            "clinic.logo"
        } else {
            "clinic.logo_delete"
        };
        audit::record(conn, actor.event(action, "clinic", clinic), now)?;
        Ok(())
    })
}
