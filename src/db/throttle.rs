//! Sign-in throttling, kept in the database so every app instance behind a
//! load balancer sees the same counts.
//!
//! Failures are counted over a sliding 15-minute window:
//! - per e-mail and IP: 5 (one attacker guessing one account);
//! - per IP: 30 (one attacker spraying many accounts);
//! - per e-mail from everywhere: 20 (a distributed guess). This one is not
//!   applied to an IP the account signed in from successfully in the last 30
//!   days, so an attacker cannot lock the real user out from their usual
//!   place; elsewhere the lock lifts 15 minutes after the failures stop.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::schema::sign_in_attempts as attempts;
use super::{DbConn, MultiBackend};

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_EMAIL_AND_IP: i64 = 5;
pub const PER_IP: i64 = 30;
pub const PER_EMAIL: i64 = 20;
const KNOWN_IP_DAYS: i64 = 30;

/// Failures counted in the window, with the oldest of each kind.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    count: i64,
    oldest: Option<NaiveDateTime>,
}

fn tally(conn: &mut DbConn, scope: attempts::BoxedQuery<'_, MultiBackend>) -> QueryResult<Tally> {
    let (count, oldest) = scope
        .filter(attempts::succeeded.eq(false))
        .select((count_star(), min(attempts::created_at)))
        .get_result::<(i64, Option<NaiveDateTime>)>(conn)?;
    Ok(Tally { count, oldest })
}

/// `Some(seconds)` to wait when the sign-in must be refused now.
pub fn retry_after(
    conn: &mut DbConn,
    email_hash: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<u64>> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let pair = tally(
        conn,
        attempts::table
            .filter(attempts::email_hash.eq(email_hash))
            .filter(attempts::ip.eq(ip))
            .filter(attempts::created_at.gt(since))
            .into_boxed(),
    )?;
    let by_ip = tally(
        conn,
        attempts::table
            .filter(attempts::ip.eq(ip))
            .filter(attempts::created_at.gt(since))
            .into_boxed(),
    )?;
    let by_email = tally(
        conn,
        attempts::table
            .filter(attempts::email_hash.eq(email_hash))
            .filter(attempts::created_at.gt(since))
            .into_boxed(),
    )?;
    let known_ip = diesel::select(diesel::dsl::exists(
        attempts::table
            .filter(attempts::email_hash.eq(email_hash))
            .filter(attempts::ip.eq(ip))
            .filter(attempts::succeeded.eq(true))
            .filter(attempts::created_at.gt(now - Duration::days(KNOWN_IP_DAYS))),
    ))
    .get_result::<bool>(conn)?;
    Ok(decide(now, pair, by_ip, by_email, known_ip))
}

fn decide(
    now: NaiveDateTime,
    pair: Tally,
    by_ip: Tally,
    by_email: Tally,
    known_ip: bool,
) -> Option<u64> {
    let mut limits = vec![(pair, PER_EMAIL_AND_IP), (by_ip, PER_IP)];
    if !known_ip {
        limits.push((by_email, PER_EMAIL));
    }
    limits
        .into_iter()
        .filter(|(tally, limit)| tally.count >= *limit)
        .filter_map(|(tally, _)| tally.oldest)
        .map(|oldest| {
            let free_at = oldest + Duration::minutes(WINDOW_MINUTES);
            (free_at - now).num_seconds().max(1).unsigned_abs()
        })
        .max()
}

/// Records an attempt and drops rows too old to matter.
pub fn record(
    conn: &mut DbConn,
    email_hash: &str,
    ip: &str,
    succeeded: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(attempts::table)
        .values((
            attempts::id.eq(uuid::Uuid::new_v4().to_string()),
            attempts::email_hash.eq(email_hash),
            attempts::ip.eq(ip),
            attempts::succeeded.eq(succeeded),
            attempts::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(
        attempts::table.filter(
            attempts::created_at
                .lt(now - Duration::days(KNOWN_IP_DAYS))
                .or(attempts::succeeded
                    .eq(false)
                    .and(attempts::created_at.lt(now - Duration::days(1)))),
        ),
    )
    .execute(conn)
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0)
            .unwrap()
            .naive_utc()
    }

    fn tally(count: i64, oldest_minute: i64) -> Tally {
        Tally {
            count,
            oldest: Some(at(oldest_minute)),
        }
    }

    #[test]
    fn five_failures_from_one_place_lock_that_pair_until_the_window_passes() {
        let wait = decide(at(10), tally(5, 0), tally(5, 0), tally(5, 0), false);
        assert_eq!(wait, Some(5 * 60));
        assert_eq!(
            decide(at(10), tally(4, 0), tally(4, 0), tally(4, 0), false),
            None
        );
    }

    #[test]
    fn a_distributed_attack_does_not_lock_out_a_known_ip() {
        let quiet = Tally::default();
        let flood = tally(500, 1);
        assert!(decide(at(2), quiet, quiet, flood, false).is_some());
        assert_eq!(decide(at(2), quiet, quiet, flood, true), None);
    }

    #[test]
    fn one_ip_spraying_many_accounts_is_stopped() {
        let quiet = Tally::default();
        assert!(decide(at(3), quiet, tally(30, 0), quiet, true).is_some());
    }
}
