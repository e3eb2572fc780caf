//! Precautions: the built-in ones and the clinic's own; admins manage the
//! clinic's.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::exercises::SourceDto;

use crate::db::precautions::{PrecautionRow, StoredSubstitution};
use crate::domain::ids::PrecautionId;
use crate::domain::patch::PrecautionPatch;
use crate::domain::precaution::PrecautionInput;
use crate::error::AppError;
use crate::services::catalog::{self as service, Entry};
use crate::services::Actor;
use crate::web::error::ErrorBody;
use crate::web::extract::{Admin, Identity};
use crate::web::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(show)
        .service(update)
        .service(retire);
}

/// A precaution: movement tags to avoid, to take care with and to prefer,
/// swaps, and the patient-facing words of the handout's "avoid / do this
/// instead" box, its caution line and "See your therapist if …".
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Precaution)]
pub struct PrecautionDto {
    /// A slug for built-in precautions, a UUID for the clinic's own.
    #[schema(value_type = String)]
    pub id: PrecautionId,
    pub label: String,
    pub avoid: Vec<String>,
    /// Allowed with care: shown with the caution wording, never blocking.
    pub caution: Vec<String>,
    pub prefer: Vec<String>,
    pub description: String,
    pub patient_avoid: String,
    pub patient_instead: String,
    #[schema(required = true)]
    pub patient_caution: Option<String>,
    /// Completes "See your therapist if …".
    #[schema(required = true)]
    pub see_therapist_if: Option<String>,
    pub substitutions: Vec<StoredSubstitution>,
    pub source: SourceDto,
    pub retired: bool,
}

impl TryFrom<PrecautionRow> for PrecautionDto {
    type Error = AppError;

    fn try_from(row: PrecautionRow) -> Result<Self, AppError> {
        let stored = row
            .stored()
            .map_err(|e| AppError::internal("precaution content", e))?;
        Ok(Self {
            id: row.id,
            label: stored.label,
            avoid: stored.avoid,
            caution: stored.caution,
            prefer: stored.prefer,
            description: stored.description,
            patient_avoid: stored.patient_avoid,
            patient_instead: stored.patient_instead,
            patient_caution: stored.patient_caution,
            see_therapist_if: stored.see_therapist_if,
            substitutions: stored.substitutions,
            source: if row.clinic_id.is_some() {
                SourceDto::Clinic
            } else {
                SourceDto::Builtin
            },
            retired: row.retired_at.is_some(),
        })
    }
}

/// The built-in precautions and the clinic's own.
#[utoipa::path(
    tag = "precautions",
    operation_id = "list_precautions",
    responses((status = 200, description = "Every precaution the clinic can assign", body = Vec<PrecautionDto>)),
)]
#[get("/precautions")]
#[tracing::instrument(skip_all)]
async fn list(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, AppError> {
    let rows = state
        .db(move |conn| service::precautions(conn, who.clinic_id))
        .await?;
    let body = rows
        .into_iter()
        .map(PrecautionDto::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(body))
}

/// One precaution.
#[utoipa::path(
    tag = "precautions",
    operation_id = "get_precaution",
    params(("precaution_id" = String, Path, description = "The precaution's id")),
    responses((status = 200, description = "The precaution", body = PrecautionDto)),
)]
#[get("/precautions/{precaution_id}")]
#[tracing::instrument(skip_all)]
async fn show(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<PrecautionId>,
) -> Result<HttpResponse, AppError> {
    let row = state
        .db(move |conn| service::precaution(conn, who.clinic_id, &path))
        .await?;
    Ok(HttpResponse::Ok().json(PrecautionDto::try_from(row)?))
}

/// Add a precaution to the clinic (admin).
#[utoipa::path(
    tag = "precautions",
    operation_id = "create_precaution",
    request_body = PrecautionInput,
    responses(
        (status = 201, description = "Added", body = PrecautionDto),
        (status = 403, description = "`forbidden`: only an admin can add precautions", body = ErrorBody),
    ),
)]
#[post("/precautions")]
#[tracing::instrument(skip_all)]
async fn create(
    state: web::Data<AppState>,
    Admin(who): Admin,
    body: web::Json<PrecautionInput>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let app = state.clone();
    let row = state
        .db(move |conn| {
            service::create_precaution(
                conn,
                &actor,
                who.clinic_id,
                &app.vocabulary,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(PrecautionDto::try_from(row)?))
}

/// Change one of the clinic's own precautions (admin); built-ins are read-only.
#[utoipa::path(
    tag = "precautions",
    operation_id = "update_precaution",
    params(("precaution_id" = String, Path, description = "The precaution's id")),
    request_body = PrecautionPatch,
    responses(
        (status = 200, description = "Changed", body = PrecautionDto),
        (status = 403, description = "`forbidden`: not an admin, or a built-in precaution", body = ErrorBody),
    ),
)]
#[patch("/precautions/{precaution_id}")]
#[tracing::instrument(skip_all)]
async fn update(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<PrecautionId>,
    body: web::Json<PrecautionPatch>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    let app = state.clone();
    let row = state
        .db(move |conn| {
            service::update_precaution(
                conn,
                &actor,
                who.clinic_id,
                &app.vocabulary,
                &path,
                body.into_inner(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(PrecautionDto::try_from(row)?))
}

/// Retire one of the clinic's own precautions (admin).
#[utoipa::path(
    tag = "precautions",
    operation_id = "retire_precaution",
    params(("precaution_id" = String, Path, description = "The precaution's id")),
    responses(
        (status = 204, description = "Retired"),
        (status = 403, description = "`forbidden`: not an admin, or a built-in precaution", body = ErrorBody),
    ),
)]
#[delete("/precautions/{precaution_id}")]
#[tracing::instrument(skip_all)]
async fn retire(
    state: web::Data<AppState>,
    Admin(who): Admin,
    path: web::Path<PrecautionId>,
) -> Result<HttpResponse, AppError> {
    let actor = Actor::from(&who);
    state
        .db(move |conn| {
            service::retire(
                conn,
                &actor,
                who.clinic_id,
                Entry::Precaution(path.into_inner()),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
