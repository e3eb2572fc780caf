//! Newtype ids, so a clinic id is never passed where a patient id belongs.
//! Stored as TEXT on both backends (`db::types` maps them); arrive in paths
//! and JSON as strings and are parsed once, at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A text that is not an id of the kind asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {0} id")]
pub struct BadId(pub &'static str);

/// What every id has: a fresh one by default, and `FromStr` over `parse`.
macro_rules! id_common {
    ($name:ident, $what:literal) => {
        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl FromStr for $name {
            type Err = BadId;

            fn from_str(raw: &str) -> Result<Self, BadId> {
                Self::parse(raw).ok_or(BadId($what))
            }
        }
    };
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// Parses the stored or requested text form; `None` if it is not a UUID.
            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::parse_str(raw).ok().map(Self)
            }
        }

        id_common!($name, $what);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        /// The text form, as a form field or a URL carries it.
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.hyphenated().to_string()
            }
        }

        /// Whether a form's raw value names this id.
        impl PartialEq<String> for $name {
            fn eq(&self, raw: &String) -> bool {
                Self::parse(raw) == Some(*self)
            }
        }
    };
}

uuid_id!(
    /// A clinic: the tenant every record belongs to.
    ClinicId, "clinic"
);
uuid_id!(
    /// A clinician of one clinic.
    ClinicianId, "clinician"
);
uuid_id!(
    /// A signed-in session.
    SessionId, "session"
);
uuid_id!(
    /// A patient of one clinic.
    PatientId, "patient"
);
uuid_id!(
    /// A patient's program (its draft and its published versions).
    ProgramId, "program"
);
uuid_id!(
    /// An exercise: built-in (a UUIDv5 of its slug, the same on every
    /// server) or a clinic's own.
    ExerciseId, "exercise"
);
uuid_id!(
    /// A share link of one program.
    LinkId, "link"
);
uuid_id!(
    /// A clinic's program template.
    TemplateId, "template"
);
uuid_id!(
    /// One day's entry a patient logged for one exercise.
    ActivityId, "activity"
);

impl ExerciseId {
    /// The stable id of a built-in exercise: the same on every server.
    pub fn builtin(slug: &str) -> Self {
        Self(Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("https://hep.invalid/builtin-exercise/{slug}").as_bytes(),
        ))
    }
}

/// Reads an optional id from a form, where "none" is an empty value.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromStr<Err = BadId>,
{
    let raw = Option::<String>::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Ids kept exactly as stored: short printable text, compared as text.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(into = "String", try_from = "String")]
        pub struct $name(String);

        /// Read from JSON or a path as `parse` reads it: odd text is refused.
        impl TryFrom<String> for $name {
            type Error = BadId;

            fn try_from(raw: String) -> Result<Self, BadId> {
                raw.parse()
            }
        }

        impl $name {
            /// A fresh random id (a hyphenated UUID).
            pub fn new() -> Self {
                Self(Uuid::new_v4().hyphenated().to_string())
            }

            /// Parses stored or requested text; `None` for empty, long or
            /// odd text (anything but letters, digits, `-` and `_`).
            pub fn parse(raw: &str) -> Option<Self> {
                let ok = !raw.is_empty()
                    && raw.len() <= TEXT_ID_MAX
                    && raw
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                ok.then(|| Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        id_common!($name, $what);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// So ids compare with slugs in tests and checks.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// Longest text id accepted; built-in slugs and UUIDs are far shorter.
const TEXT_ID_MAX: usize = 100;

text_id!(
    /// A precaution: a built-in one is named by its slug
    /// (`flexion-intolerant`), a clinic's own by a UUID.
    PrecautionId, "precaution"
);
text_id!(
    /// An uploaded exercise picture (immutable once stored). Pictures
    /// carried over from before versions kept them have 32-hex ids, so the
    /// stored text is kept as it is.
    PictureId, "picture"
);

impl PrecautionId {
    /// The ids of a comma-separated list (`a,b`); blanks and odd text are
    /// left out (they could name no precaution anyway).
    pub fn list(raw: &str) -> Vec<Self> {
        raw.split(',')
            .filter_map(|p| Self::parse(p.trim()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text() {
        let id = ProgramId::new();
        assert_eq!(id.to_string().parse::<ProgramId>(), Ok(id));
        assert_eq!("nope".parse::<ProgramId>(), Err(BadId("program")));
    }

    #[test]
    fn builtin_exercise_ids_are_stable() {
        assert_eq!(ExerciseId::builtin("row"), ExerciseId::builtin("row"));
        assert_ne!(ExerciseId::builtin("row"), ExerciseId::builtin("squat"));
    }

    #[test]
    fn precaution_ids_are_slugs_or_uuids() {
        assert!(PrecautionId::parse("flexion-intolerant").is_some());
        assert!(PrecautionId::parse(&Uuid::new_v4().to_string()).is_some());
        assert!(PrecautionId::parse("").is_none());
        assert!(PrecautionId::parse("a b").is_none());
        assert!(PrecautionId::parse(&"x".repeat(101)).is_none());
    }

    #[test]
    fn text_ids_read_from_json_as_parse_reads_them() {
        let id: PrecautionId = serde_json::from_str(r#""flexion-intolerant""#).unwrap();
        assert_eq!(id, "flexion-intolerant");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            r#""flexion-intolerant""#
        );
        assert!(serde_json::from_str::<PrecautionId>(r#""a b""#).is_err());
        assert!(serde_json::from_str::<PictureId>(r#""""#).is_err());
    }
}
