//! Opens of share links, counted without a database write per view.
//!
//! Every `/p/` open used to run its own write transaction (bump the link's
//! counter, insert an audit event), which serialised all patient page views
//! behind SQLite's single writer. Now:
//!
//! - **Audit**: the first access of a link by a client (IP) for an action
//!   (`link.open`, `link.download`) within `audit_every` (10 minutes by
//!   default) is recorded in the audit trail *before* the page is served,
//!   exactly as before. Repeats inside that window add no event: the trail
//!   still says which link was used, from where, and when the use began.
//! - **Counts**: `open_count` and `last_opened_at` are added up in memory and
//!   written for all links at once in one transaction every `flush_every`
//!   (1 second by default), when a clinician lists a program's links through
//!   the API, and when the server stops.
//!
//! What a crash loses: the counts of at most the last `flush_every` of
//! opens. No audit event is lost (they are written synchronously), and a
//! count is a convenience for the clinician, not a record anything relies
//! on. Each instance keeps its own window, so behind a load balancer a link
//! opened through two instances is audited once per instance.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{Duration, NaiveDateTime};

use crate::db::links as q;
use crate::db::{write_tx, DbConn};
use crate::domain::ids::LinkId;

/// More remembered (link, action, client) keys than this and old ones go.
const AUDITED_MAX: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pending {
    count: i32,
    last: NaiveDateTime,
}

type AuditKey = (LinkId, &'static str, Option<String>);

/// Link opens not yet written, and when each client's access was audited.
pub struct Opens {
    audit_every: Duration,
    pending: Mutex<HashMap<LinkId, Pending>>,
    audited: Mutex<HashMap<AuditKey, NaiveDateTime>>,
    /// Serialises flushes, so a flush that returns has written every open
    /// counted before it began (even one a concurrent flush had taken).
    flushing: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Opens {
    pub fn new(audit_every: std::time::Duration) -> Self {
        Self {
            audit_every: Duration::from_std(audit_every).unwrap_or(Duration::minutes(10)),
            pending: Mutex::new(HashMap::new()),
            audited: Mutex::new(HashMap::new()),
            flushing: Mutex::new(()),
        }
    }

    /// Counts one open of `link_id`.
    pub fn count(&self, link_id: LinkId, now: NaiveDateTime) {
        let mut pending = lock(&self.pending);
        match pending.get_mut(&link_id) {
            Some(p) => {
                p.count = p.count.saturating_add(1);
                p.last = p.last.max(now);
            }
            None => {
                pending.insert(
                    link_id,
                    Pending {
                        count: 1,
                        last: now,
                    },
                );
            }
        }
    }

    /// Whether this access starts a new audit window; if so the window is
    /// claimed, and the caller records the event (or calls `unclaim` when
    /// that fails, so the next access tries again).
    pub fn claim_audit(
        &self,
        link_id: LinkId,
        action: &'static str,
        ip: Option<&str>,
        now: NaiveDateTime,
    ) -> bool {
        let mut audited = lock(&self.audited);
        if audited.len() >= AUDITED_MAX {
            let horizon = now - self.audit_every;
            audited.retain(|_, at| *at > horizon);
            if audited.len() >= AUDITED_MAX / 2 {
                // Forgetting only means auditing again, never less.
                audited.clear();
            }
        }
        let key = (link_id, action, ip.map(str::to_owned));
        match audited.get(&key) {
            Some(at) if now - *at < self.audit_every && now >= *at => false,
            _ => {
                audited.insert(key, now);
                true
            }
        }
    }

    /// Gives back a claim whose audit event could not be written.
    pub fn unclaim(&self, link_id: LinkId, action: &'static str, ip: Option<&str>) {
        lock(&self.audited).remove(&(link_id, action, ip.map(str::to_owned)));
    }

    /// Writes every pending count in one transaction; returns how many
    /// links were updated. On failure the counts are kept for the next try.
    pub fn flush(&self, conn: &mut DbConn) -> diesel::QueryResult<usize> {
        let _serial = lock(&self.flushing);
        let batch = std::mem::take(&mut *lock(&self.pending));
        if batch.is_empty() {
            return Ok(0);
        }
        let mut ids: Vec<LinkId> = batch.keys().copied().collect();
        // One order for every writer: no lock-order surprises on PostgreSQL.
        ids.sort();
        let written = write_tx(conn, |conn| {
            for id in &ids {
                let p = batch[id];
                q::add_opens(conn, *id, p.count, p.last)?;
            }
            Ok(ids.len())
        });
        if written.is_err() {
            let mut pending = lock(&self.pending);
            for (id, p) in batch {
                let entry = pending.entry(id).or_insert(Pending {
                    count: 0,
                    last: p.last,
                });
                entry.count = entry.count.saturating_add(p.count);
                entry.last = entry.last.max(p.last);
            }
        }
        written
    }

    /// Opens counted and not yet written (for tests and shutdown checks).
    pub fn pending(&self) -> usize {
        lock(&self.pending).values().map(|p| p.count as usize).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link id per name, the same for the same name.
    fn link(name: &str) -> LinkId {
        LinkId(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            name.as_bytes(),
        ))
    }

    fn at(minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.and_hms_opt(9, minute, 0))
            .unwrap_or_default()
    }

    #[test]
    fn an_access_is_audited_once_per_link_action_and_client_per_window() {
        let opens = Opens::new(std::time::Duration::from_secs(600));
        let ip = Some("10.0.0.1");
        assert!(opens.claim_audit(link("a"), "link.open", ip, at(0)));
        assert!(!opens.claim_audit(link("a"), "link.open", ip, at(9)));
        assert!(opens.claim_audit(link("a"), "link.download", ip, at(9)));
        assert!(opens.claim_audit(link("a"), "link.open", Some("10.0.0.2"), at(9)));
        assert!(opens.claim_audit(link("b"), "link.open", ip, at(9)));
        assert!(
            opens.claim_audit(link("a"), "link.open", ip, at(10)),
            "window over"
        );
        assert!(!opens.claim_audit(link("a"), "link.open", ip, at(11)));
        opens.unclaim(link("a"), "link.open", ip);
        assert!(
            opens.claim_audit(link("a"), "link.open", ip, at(11)),
            "given back"
        );
    }

    #[test]
    fn a_zero_window_audits_every_access() {
        let opens = Opens::new(std::time::Duration::ZERO);
        for _ in 0..3 {
            assert!(opens.claim_audit(link("a"), "link.open", None, at(0)));
        }
    }

    #[test]
    fn the_memory_of_audited_clients_is_bounded() {
        let opens = Opens::new(std::time::Duration::from_secs(600));
        for i in 0..(AUDITED_MAX + 10) {
            opens.claim_audit(link(&i.to_string()), "link.open", None, at(0));
        }
        assert!(lock(&opens.audited).len() <= AUDITED_MAX);
    }

    #[test]
    fn counts_add_up_per_link_until_flushed() {
        let opens = Opens::new(std::time::Duration::from_secs(600));
        opens.count(link("a"), at(1));
        opens.count(link("a"), at(3));
        opens.count(link("b"), at(2));
        assert_eq!(opens.pending(), 3);
        let pending = lock(&opens.pending);
        assert_eq!(
            pending.get(&link("a")),
            Some(&Pending {
                count: 2,
                last: at(3)
            })
        );
    }
}
