//! Storage: one `DbConn` over SQLite and PostgreSQL, chosen by the URL scheme,
//! an r2d2 pool, embedded migrations, and the write-transaction helper.
//! Query modules below take `&mut DbConn` so they compose inside one
//! transaction; nothing here knows about HTTP.

pub mod audit;
pub mod backup;
pub mod clinicians;
pub mod clinics;
pub mod exercises;
pub mod links;
pub mod patients;
pub mod pictures;
pub mod precautions;
pub mod programs;
pub mod schema;
pub mod sessions;
pub mod throttle;
pub mod types;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary constant naming the advisory lock that serialises migrations
/// when several instances start against one PostgreSQL database.
const MIGRATION_LOCK_KEY: i64 = 0x0068_6570_5f6d_6967;

/// A connection to either backend. Query code is written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

/// Which backend a URL names, and how to reach it.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (or `:memory:`) for the embedded SQLite.
    Sqlite(String),
    /// A libpq connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Picks the backend from the scheme: `postgres://` / `postgresql://`,
    /// `sqlite://PATH`, or a plain path for SQLite.
    pub fn parse(raw: &str) -> Result<Self, DbError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DbError::Config(
                "the database URL is empty; give a SQLite file path or a postgres:// URL".into(),
            ));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if let Some(path) = raw.strip_prefix("sqlite:") {
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(DbError::Config(format!(
                "unsupported database URL scheme `{scheme}`; use a SQLite file path, sqlite://PATH or postgres://USER@HOST/DB"
            )));
        }
        Ok(Self::Sqlite(raw.to_owned()))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }
}

/// Shows the scheme, host, port and database, never the user or password.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite file {path}"),
            Self::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let rest = rest.split(['?', '#']).next().unwrap_or_default();
                let host_and_db = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
                write!(f, "{scheme}://{host_and_db}")
            }
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Failures of setting up storage, worded for the person starting the server.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Config(String),
    #[error("cannot connect to {url}: {cause}")]
    Connect { url: DatabaseUrl, cause: String },
    #[error("cannot run migrations on {url}: {cause}")]
    Migrate { url: DatabaseUrl, cause: String },
    #[error("cannot open a pool on {url}: {cause}")]
    Pool { url: DatabaseUrl, cause: String },
}

/// Opens connections of the kind the URL names. Diesel's own manager for a
/// `MultiConnection` tries every backend in turn and reports only the last
/// failure, which hides the real cause; this one knows the backend.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

impl DbManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }

    fn establish(&self) -> Result<DbConn, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the writer; FULL makes a commit
                // durable across power loss; busy_timeout turns lock contention
                // into a short wait instead of an error.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let url = with_connect_timeout(url);
                let conn = PgConnection::establish(&url).map_err(r2d2::Error::ConnectionError)?;
                Ok(DbConn::Pg(conn))
            }
        }
    }
}

/// libpq waits for the OS TCP timeout on an unroutable host unless told
/// otherwise; a server that cannot reach its database should say so quickly.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout=5")
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.establish()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Connects once (so a bad URL fails at once with its real cause), runs the
/// migrations and returns a pool.
pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Pool, DbError> {
    if let DatabaseUrl::Sqlite(path) = url {
        ensure_parent_dir(path).map_err(|cause| DbError::Connect {
            url: url.clone(),
            cause,
        })?;
    }
    let manager = DbManager::new(url.clone());
    let mut first = manager.establish().map_err(|e| DbError::Connect {
        url: url.clone(),
        cause: e.to_string().trim().to_owned(),
    })?;
    run_migrations(&mut first).map_err(|cause| DbError::Migrate {
        url: url.clone(),
        cause,
    })?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(pool_size)
        // A SQLite file does not drop connections the way a network does, so
        // the `SELECT 1` before every checkout (parsed anew each time) buys
        // nothing there; a PostgreSQL connection can die with its server.
        .test_on_check_out(!url.is_sqlite())
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .map_err(|e| DbError::Pool {
            url: url.clone(),
            cause: e.to_string(),
        })
}

fn ensure_parent_dir(path: &str) -> Result<(), String> {
    if path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", dir.display())),
        _ => Ok(()),
    }
}

/// Applies pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConn) -> Result<(), String> {
    match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(drop)
            .map_err(|e| e.to_string()),
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                .map_err(|e| e.to_string())?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(drop)
                .map_err(|e| e.to_string());
            let unlock = c
                .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                .map_err(|e| e.to_string());
            result.and(unlock)
        }
    }
}

/// SQLite has one writer at a time. Writers that find the lock taken wait in
/// SQLite's busy handler, which sleeps and polls (1, 2, 5 … 100 ms), so under
/// load a writer can sleep long after the lock came free and the slowest wait
/// seconds. Queueing this process's writers on a mutex first hands the lock
/// over the moment it is released; the busy handler is left for other
/// processes (a backup, a second server on the same file). One mutex for the
/// whole process: a process serves one database (tests that run several only
/// queue their writes a little).
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite, so the write
/// lock is taken up front and two writers never deadlock upgrading a read
/// lock; a plain transaction on PostgreSQL.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let _writer = match conn {
        DbConn::Sqlite(c) => {
            // A nested write transaction is refused before queueing, where
            // it would otherwise wait for itself.
            if AnsiTransactionManager::transaction_manager_status_mut(c)
                .transaction_depth()?
                .is_some()
            {
                return Err(diesel::result::Error::AlreadyInTransaction.into());
            }
            let writer = SQLITE_WRITER
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            Some(writer)
        }
        DbConn::Pg(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
            None
        }
    };
    match f(conn) {
        Ok(value) => {
            <DbConn as TransactionManager<DbConn>>::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // The caller's error is the interesting one; a failed rollback
            // marks the connection broken and the pool discards it.
            let _ = <DbConn as TransactionManager<DbConn>>::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// Answers whether the database responds (for `/readyz`).
pub fn ping(conn: &mut DbConn) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert!(DatabaseUrl::parse("data/hep.sqlite3")
            .unwrap_or_else(|e| panic!("{e}"))
            .is_sqlite());
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").ok(),
            Some(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u:p@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        let err = DatabaseUrl::parse("mysql://root@h/db")
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("`mysql`")));
    }

    #[test]
    fn a_displayed_url_never_shows_the_password() {
        let url = DatabaseUrl::parse("postgres://admin:s3cret@db.example:5433/hep?sslmode=require")
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = url.to_string();
        assert_eq!(shown, "postgres://db.example:5433/hep");
        assert!(!shown.contains("s3cret"));
    }

    #[test]
    fn postgres_urls_get_a_connect_timeout_once() {
        assert_eq!(
            with_connect_timeout("postgres://h/db"),
            "postgres://h/db?connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=disable"),
            "postgres://h/db?sslmode=disable&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=2"),
            "postgres://h/db?connect_timeout=2"
        );
    }
}
