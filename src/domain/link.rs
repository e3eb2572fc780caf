//! A share link's standing: the one rule that says whether a link still
//! opens, used by the patient site, the API's link list, the builder and
//! the handout's QR code alike.

use chrono::NaiveDateTime;
use serde::Serialize;

/// Where a share link stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = LinkStatus)]
pub enum LinkStatus {
    /// Opens the program's latest published version.
    #[serde(rename = "active")]
    Live,
    /// Revoked by a clinician: gone at once.
    Revoked,
    /// Past its expiry.
    Expired,
    /// Its program or patient was archived.
    Archived,
}

impl LinkStatus {
    /// Whether the link still opens.
    pub fn is_live(self) -> bool {
        self == Self::Live
    }

    /// The word a clinician reads in a list.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "active",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::Archived => "archived",
        }
    }
}

/// What decides a link's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareLink {
    pub revoked_at: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
    /// The program or the patient it leads to is archived.
    pub archived: bool,
}

impl ShareLink {
    /// Revoked first (a clinician's act), then expired, then archived.
    pub fn status(&self, now: NaiveDateTime) -> LinkStatus {
        if self.revoked_at.is_some() {
            LinkStatus::Revoked
        } else if self.expires_at <= now {
            LinkStatus::Expired
        } else if self.archived {
            LinkStatus::Archived
        } else {
            LinkStatus::Live
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap()
    }

    #[test]
    fn a_link_is_live_until_revoked_expired_or_archived() {
        let live = ShareLink {
            revoked_at: None,
            expires_at: now() + Duration::days(1),
            archived: false,
        };
        assert_eq!(live.status(now()), LinkStatus::Live);
        assert_eq!(live.status(now() + Duration::days(1)), LinkStatus::Expired);
        let revoked = ShareLink {
            revoked_at: Some(now()),
            ..live
        };
        assert_eq!(revoked.status(now()), LinkStatus::Revoked);
        let archived = ShareLink {
            archived: true,
            ..live
        };
        assert_eq!(archived.status(now()), LinkStatus::Archived);
        assert!(!archived.status(now()).is_live());
    }
}
