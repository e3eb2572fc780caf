//! How domain values are stored: every typed id as TEXT (a hyphenated UUID,
//! or the text a precaution or picture id was stored with), roles and paper
//! by name, and tag lists packed as `|a|b|` so a filter is a portable LIKE.
//! The one place that knows these encodings; rows and queries use the typed
//! values.

use std::fmt;
use std::io::Write;
use std::ops::Deref;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
// What `#[derive(AsExpression)]` expands to; the derive cannot be used
// because the id types live in `domain`, which knows nothing of diesel.
use diesel::internal::derives::as_expression::Bound;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;

use super::MultiBackend;
use crate::domain::clinician::Role;
use crate::domain::ids::{
    ActivityId, ClinicId, ClinicianId, ExerciseId, LinkId, PatientId, PictureId, PrecautionId,
    ProgramId, SessionId, TemplateId,
};
use crate::domain::paper::Paper;

/// Implements TEXT storage for types that print and parse their stored form.
macro_rules! stored_as_text {
    ($($name:ty),* $(,)?) => {$(
        impl AsExpression<Text> for $name {
            type Expression = Bound<Text, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $name {
            type Expression = Bound<Text, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl AsExpression<Nullable<Text>> for $name {
            type Expression = Bound<Nullable<Text>, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $name {
            type Expression = Bound<Nullable<Text>, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a, 'b> AsExpression<Text> for &'b &'a $name {
            type Expression = Bound<Text, Self>;
            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<DB> ToSql<Nullable<Text>, DB> for $name
        where
            DB: Backend,
            Self: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<Text, DB>::to_sql(self, out)
            }
        }

        impl ToSql<Text, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(Stored(self).to_string());
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                write!(out, "{}", Stored(self))?;
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, MultiBackend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                <Self as FromText>::from_text(&text)
            }
        }

        impl<DB> Queryable<Text, DB> for $name
        where
            DB: Backend,
            Self: FromSql<Text, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )*};
}

stored_as_text!(Tags);

/// The stored text of a value.
struct Stored<'a, T>(&'a T);

/// A value read back from its stored text.
trait FromText: Sized {
    fn from_text(text: &str) -> deserialize::Result<Self>;
}

/// Values stored as their `Display` text and read back with `FromStr`.
macro_rules! displayed {
    ($($name:ty),* $(,)?) => {$(
        stored_as_text!($name);

        impl fmt::Display for Stored<'_, $name> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromText for $name {
            fn from_text(text: &str) -> deserialize::Result<Self> {
                text.parse::<$name>().map_err(|_| {
                    format!("`{text}` is not a stored {}", stringify!($name)).into()
                })
            }
        }
    )*};
}

displayed!(
    ActivityId,
    ClinicId,
    ClinicianId,
    SessionId,
    PatientId,
    ProgramId,
    ExerciseId,
    LinkId,
    TemplateId,
    PictureId,
    PrecautionId,
    Paper,
    Role,
);

/// A list of vocabulary tags (regions, movements, equipment, aliases),
/// stored as `|a|b|` so that "has tag x" is `LIKE '%|x|%'` on both backends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    /// The LIKE pattern that finds rows carrying `tag`.
    pub fn pattern(tag: &str) -> String {
        format!("%|{tag}|%")
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

impl From<Vec<String>> for Tags {
    fn from(tags: Vec<String>) -> Self {
        Self(tags)
    }
}

impl From<&[String]> for Tags {
    fn from(tags: &[String]) -> Self {
        Self(tags.to_vec())
    }
}

impl Deref for Tags {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.0
    }
}

impl fmt::Display for Stored<'_, Tags> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "|{}|", self.0 .0.join("|"))
    }
}

impl FromText for Tags {
    fn from_text(text: &str) -> deserialize::Result<Self> {
        Ok(Self(
            text.split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        ))
    }
}

/// A digest of stored content, so an import can tell what changed.
pub(super) fn content_hash(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    crate::domain::credentials::token_hash(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pack_between_bars_and_unpack_again() {
        let tags = Tags::from(vec!["flexion".to_owned(), "neck".to_owned()]);
        let stored = Stored(&tags).to_string();
        assert_eq!(stored, "|flexion|neck|");
        assert_eq!(Tags::from_text(&stored).ok(), Some(tags));
        assert_eq!(Tags::from_text("||").ok(), Some(Tags::default()));
    }
}
