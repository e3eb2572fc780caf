//! Finishing the OpenAPI document collected from the handlers: info, the
//! two ways to authenticate, and the error responses every route of a kind
//! shares (401 for signed-in routes, 400/413/415/422 for JSON bodies, 404
//! for ids in the path, 503 when the database is saturated), so a handler's
//! annotation lists only what is its own.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem, Paths};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    Components, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, ResponseBuilder,
    Schema,
};
use utoipa::{PartialSchema, ToSchema};

use crate::web::error::ErrorBody;
use crate::web::extract::SESSION_COOKIE;

/// Name of the bearer-token security scheme.
pub const BEARER: &str = "bearer_token";
/// Name of the session-cookie security scheme.
pub const COOKIE: &str = "session_cookie";

const TAGS: [(&str, &str); 9] = [
    ("sessions", "Sign in and out, and who am I"),
    ("clinic", "The signed-in clinician's clinic"),
    ("clinicians", "The clinic's staff"),
    (
        "exercises",
        "The catalog: built-in and the clinic's own exercises",
    ),
    ("precautions", "Built-in and the clinic's own precautions"),
    ("patients", "Patients and their programs"),
    ("programs", "Program drafts, published versions, templates"),
    ("links", "Share links, patient activity, handouts"),
    ("meta", "This document"),
];

/// Raw bytes of a PNG or JPEG image.
pub struct Image;

impl utoipa::PartialSchema for Image {
    fn schema() -> RefOr<Schema> {
        binary("The image file's bytes")
    }
}
impl ToSchema for Image {}

/// A PDF file.
pub struct Pdf;

impl utoipa::PartialSchema for Pdf {
    fn schema() -> RefOr<Schema> {
        binary("A PDF file")
    }
}
impl ToSchema for Pdf {}

fn binary(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .description(Some(description))
        .into()
}

/// Puts the collected paths and schemas into the final document.
pub fn finish(mut paths: Paths, schemas: Vec<(String, RefOr<Schema>)>) -> OpenApi {
    let mut components = Components::new();
    components.schemas.extend(schemas);
    let mut error_schemas = Vec::new();
    <ErrorBody as ToSchema>::schemas(&mut error_schemas);
    components.schemas.extend(error_schemas);
    components
        .schemas
        .insert(ErrorBody::name().into_owned(), ErrorBody::schema());
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    components.add_security_scheme(
        COOKIE,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            SESSION_COOKIE,
            "The web app's session cookie (`__Host-hep_session` over HTTPS) works as well as the bearer token.",
        ))),
    );
    for item in paths.paths.values_mut() {
        for (_, operation) in operations_mut(item) {
            add_shared_responses(operation);
        }
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("hep API")
                .version("1")
                .description(Some(
                    "Home exercise programs for physical therapists. JSON in and out, UUIDs as \
                     strings, times as RFC 3339 UTC. Errors are `{error, message, fields?}`. \
                     Sign in with `POST /api/v1/sessions` and send the token as \
                     `Authorization: Bearer TOKEN`.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components))
        .tags(Some(
            TAGS.iter()
                .map(|(name, text)| {
                    TagBuilder::new()
                        .name(*name)
                        .description(Some(*text))
                        .build()
                })
                .collect::<Vec<_>>(),
        ))
        .build()
}

fn operations_mut(item: &mut PathItem) -> Vec<(Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

fn operations(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::DELETE, item.delete.is_some()),
        (Method::PATCH, item.patch.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        )
        .build()
        .into()
}

fn add(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error_response(description));
}

/// Whether the operation reads a JSON body (required or optional: an
/// optional one, when sent, is held to the same rules).
fn takes_json_body(body: Option<&RequestBody>) -> bool {
    body.is_some_and(|b| b.content.contains_key("application/json"))
}

fn add_shared_responses(operation: &mut Operation) {
    let public = match &operation.security {
        // `security(())` on a handler: no sign-in needed.
        Some(list) => list.iter().all(|r| r == &SecurityRequirement::default()),
        None => false,
    };
    if public {
        operation.security = Some(Vec::new());
    } else {
        operation.security = Some(vec![
            SecurityRequirement::new(BEARER, Vec::<String>::new()),
            SecurityRequirement::new(COOKIE, Vec::<String>::new()),
        ]);
        add(
            operation,
            "401",
            "`unauthorized`: no valid session; sign in with POST /api/v1/sessions",
        );
    }
    if takes_json_body(operation.request_body.as_ref()) {
        add(
            operation,
            "400",
            "`malformed_json`: the body is not valid JSON",
        );
        add(
            operation,
            "413",
            "`payload_too_large`: the body is over 256 KiB",
        );
        add(
            operation,
            "415",
            "`unsupported_media_type`: the body is not sent as `application/json`",
        );
        add(
            operation,
            "422",
            "`validation_failed`: the body has the wrong shape or invalid fields (see `fields`)",
        );
    }
    let has_path_id = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    if has_path_id {
        add(
            operation,
            "404",
            "`not_found`: no such record in your clinic (another clinic's looks the same)",
        );
    }
    if operation.operation_id.as_deref() != Some("openapi") {
        add(
            operation,
            "503",
            "`unavailable`: the database is busy or unreachable; try again shortly",
        );
    }
    if operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query))
    {
        add(
            operation,
            "400",
            "`bad_query`: the query string cannot be read",
        );
    }
}

/// Each documented path as a matcher, with its methods.
pub struct Routes(Vec<(ResourceDef, Vec<Method>)>);

impl Routes {
    pub fn new(doc: &OpenApi) -> Self {
        Self(
            doc.paths
                .paths
                .iter()
                .map(|(template, item)| (ResourceDef::new(template.as_str()), operations(item)))
                .collect(),
        )
    }

    /// The documented methods of the path that `path` matches, if any.
    pub fn methods_of(&self, path: &str) -> Vec<Method> {
        self.0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::domain::{dosage, exercise, patient, precaution, program};

    /// A property of a schema, also one it takes from another through
    /// `allOf` (an item's flattened dosage).
    fn property(schemas: &Value, schema: &str, field: &str) -> Value {
        let own = &schemas[schema];
        std::iter::once(own)
            .chain(own["allOf"].as_array().into_iter().flatten())
            .map(|part| match part["$ref"].as_str() {
                Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
                None => part,
            })
            .map(|part| part["properties"][field].clone())
            .find(|p| !p.is_null())
            .unwrap_or(Value::Null)
    }

    /// The limits written in the schema attributes are the ones the domain
    /// enforces: a changed constant fails here until the document follows.
    #[test]
    fn documented_limits_match_the_domain_constants() {
        let doc = serde_json::to_value(super::super::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let prop = |schema: &str, field: &str, key: &str| -> i64 {
            let value: &Value = &property(schemas, schema, field)[key];
            value
                .as_i64()
                .or_else(|| value.as_f64().map(|f| f as i64))
                .unwrap_or_else(|| panic!("{schema}.{field} has no {key}"))
        };
        let as_i64 = |n: usize| i64::try_from(n).unwrap();
        for schema in ["Dosage", "DosageInput", "ItemInput"] {
            for (field, (lo, hi)) in [
                ("sets", dosage::SETS),
                ("reps", dosage::REPS),
                ("hold_seconds", dosage::HOLD_SECONDS),
                ("duration_seconds", dosage::DURATION_SECONDS),
                ("distance_m", dosage::DISTANCE_M),
                ("rest_seconds", dosage::REST_SECONDS),
                ("times_per_day", dosage::TIMES_PER_DAY),
                ("days_per_week", dosage::DAYS_PER_WEEK),
            ] {
                assert_eq!(prop(schema, field, "minimum"), lo, "{schema}.{field}");
                assert_eq!(prop(schema, field, "maximum"), hi, "{schema}.{field}");
            }
        }
        let lengths = [
            ("ItemInput", "notes", program::ITEM_NOTE_MAX),
            ("ItemInput", "override_reason", program::OVERRIDE_MAX),
            ("DraftInput", "title", program::TITLE_MAX),
            ("DraftInput", "notes", program::NOTES_MAX),
            ("PatientInput", "first_name", patient::NAME_MAX),
            ("PatientInput", "last_name", patient::NAME_MAX),
            ("PatientInput", "external_id", patient::EXTERNAL_ID_MAX),
            ("PatientInput", "contact", patient::CONTACT_MAX),
            ("ExerciseInput", "name", exercise::NAME_MAX),
            ("ExerciseInput", "summary", exercise::SUMMARY_MAX),
            ("ExerciseInput", "slug", exercise::SLUG_MAX),
            ("PrecautionInput", "label", precaution::LABEL_MAX),
            ("PrecautionInput", "description", precaution::TEXT_MAX),
            (
                "ClinicPatch",
                "contact_line",
                crate::services::clinic::CONTACT_MAX,
            ),
        ];
        for (schema, field, max) in lengths {
            assert_eq!(
                prop(schema, field, "maxLength"),
                as_i64(max),
                "{schema}.{field}"
            );
        }
        assert_eq!(
            prop("DraftInput", "items", "maxItems"),
            as_i64(program::ITEMS_MAX)
        );
        assert_eq!(
            prop("PatientInput", "precautions", "maxItems"),
            as_i64(patient::PRECAUTIONS_MAX)
        );
        assert_eq!(
            prop("ExerciseInput", "steps", "minItems"),
            as_i64(exercise::STEPS.0)
        );
        assert_eq!(
            prop("ExerciseInput", "steps", "maxItems"),
            as_i64(exercise::STEPS.1)
        );
        assert_eq!(
            prop("ExerciseInput", "cues", "minItems"),
            as_i64(exercise::CUES.0)
        );
        assert_eq!(
            prop("ExerciseInput", "cues", "maxItems"),
            as_i64(exercise::CUES.1)
        );
        assert_eq!(
            prop("ExerciseInput", "aliases", "maxItems"),
            as_i64(exercise::ALIASES_MAX)
        );
    }
}
