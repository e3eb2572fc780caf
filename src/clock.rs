//! The one place that reads the wall clock. Times are stored as UTC without
//! an offset and truncated to microseconds, which both backends keep exactly.

use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeZone, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A stored UTC time, for serialising as RFC 3339 with a `Z`.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}
