//! Clinicians and clinics: e-mail, role, names and new passwords, parsed.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{required_text, FieldError};

/// A normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_lowercase();
        let invalid = || {
            FieldError::new(
                "email",
                "must be an e-mail address like name@clinic.example",
            )
        };
        if value.len() > 254 || value.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        if local.is_empty() || domain.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(invalid());
        }
        if domain.starts_with('.') || domain.ends_with('.') {
            return Err(invalid());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a clinician may do: admins manage the clinic, its staff and catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Therapist,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "admin" => Ok(Self::Admin),
            "therapist" => Ok(Self::Therapist),
            _ => Err(FieldError::new(
                "role",
                "must be \"admin\" or \"therapist\"",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Therapist => "therapist",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = FieldError;

    fn from_str(raw: &str) -> Result<Self, FieldError> {
        Self::parse(raw)
    }
}

/// A person's or clinic's display name: trimmed, 1-200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        required_text(field, raw, Self::MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password chosen for a new account. Long passphrases are welcome; the
/// upper bound keeps hashing cheap to refuse.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 10;
    pub const MAX: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        if len < Self::MIN {
            return Err(FieldError::new(
                "password",
                format!("must be at least {} characters", Self::MIN),
            ));
        }
        if len > Self::MAX {
            return Err(FieldError::new(
                "password",
                format!("must be at most {} characters", Self::MAX),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(**redacted**)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  A@Northside.Test ").unwrap().as_str(),
            "a@northside.test"
        );
        for bad in ["", "a", "a@", "@b.c", "a@b", "a b@c.d", "a@@b.c", "a@.b"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(300)).is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("name", "  Ana ").unwrap().as_str(), "Ana");
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"x".repeat(201)).is_err());
    }
}
