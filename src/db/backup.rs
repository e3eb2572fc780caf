//! Online backup of a SQLite database: `VACUUM INTO` a temporary file beside
//! the target (a consistent snapshot, safe while the server writes), check
//! the copy with `PRAGMA integrity_check`, sync it and move it into place.
//! PostgreSQL is backed up with its own tools (`pg_dump`), not here.

use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};

/// What `hep backup` wrote.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Why a backup failed, worded for the person running it.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the database {0} does not exist")]
    NoSource(String),
    #[error("{0} already exists; pass --force to replace it")]
    Exists(PathBuf),
    #[error("the folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is the database itself; back up to another file")]
    SameFile(PathBuf),
    #[error("cannot open {path}: {cause}")]
    Open { path: String, cause: String },
    #[error("cannot copy the database: {0}")]
    Copy(String),
    #[error("the copy failed its integrity check: {0}")]
    Corrupt(String),
    #[error("cannot write {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
}

#[derive(QueryableByName)]
struct CheckLine {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Copies the SQLite database at `source` to `to`. Refuses to replace an
/// existing file unless `force`; never leaves a partial file at `to`.
pub fn sqlite(source: &str, to: &Path, force: bool) -> Result<Written, BackupError> {
    let source_path = Path::new(source);
    // Opening a missing file would create an empty database and "back it up".
    if source == ":memory:" || !source_path.is_file() {
        return Err(BackupError::NoSource(source.to_owned()));
    }
    if !force && to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    if let (Ok(a), Ok(b)) = (fs::canonicalize(source_path), fs::canonicalize(to)) {
        if a == b {
            return Err(BackupError::SameFile(to.to_owned()));
        }
    }
    let dir = match to.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(BackupError::NoFolder(dir));
    }
    let file_name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "hep-backup".to_owned());
    let temp = dir.join(format!(".{file_name}.partial-{}", std::process::id()));
    let result = copy_checked(source, &temp).and_then(|()| {
        sync(&temp)?;
        place(&temp, to, force)?;
        sync_dir(&dir);
        let bytes = fs::metadata(to)
            .map_err(|cause| BackupError::Io {
                path: to.to_owned(),
                cause,
            })?
            .len();
        Ok(Written {
            path: to.to_owned(),
            bytes,
        })
    });
    // On success the temp name is gone already; on failure remove the debris.
    let _ = fs::remove_file(&temp);
    result
}

fn copy_checked(source: &str, temp: &Path) -> Result<(), BackupError> {
    let _ = fs::remove_file(temp);
    let mut conn = SqliteConnection::establish(source).map_err(|e| BackupError::Open {
        path: source.to_owned(),
        cause: e.to_string(),
    })?;
    // Wait for a busy writer instead of failing; VACUUM INTO reads one
    // snapshot, so writes that commit meanwhile are simply not in the copy.
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| BackupError::Copy(e.to_string()))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(temp.to_string_lossy().as_ref())
        .execute(&mut conn)
        .map_err(|e| BackupError::Copy(e.to_string()))?;
    drop(conn);
    let mut copy =
        SqliteConnection::establish(&temp.to_string_lossy()).map_err(|e| BackupError::Open {
            path: temp.display().to_string(),
            cause: e.to_string(),
        })?;
    let lines: Vec<CheckLine> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut copy)
        .map_err(|e| BackupError::Corrupt(e.to_string()))?;
    let verdict: Vec<String> = lines.into_iter().map(|l| l.integrity_check).collect();
    if verdict != ["ok"] {
        return Err(BackupError::Corrupt(verdict.join("; ")));
    }
    Ok(())
}

fn sync(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|cause| BackupError::Io {
            path: path.to_owned(),
            cause,
        })
}

/// Moves the finished copy to its name. Without `force`, a hard link makes
/// "create unless it exists" atomic; filesystems without hard links fall
/// back to check-then-rename.
fn place(temp: &Path, to: &Path, force: bool) -> Result<(), BackupError> {
    let io = |cause| BackupError::Io {
        path: to.to_owned(),
        cause,
    };
    if force {
        return fs::rename(temp, to).map_err(io);
    }
    match fs::hard_link(temp, to) {
        Ok(()) => fs::remove_file(temp).map_err(io),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(BackupError::Exists(to.to_owned())),
        Err(_) if to.exists() => Err(BackupError::Exists(to.to_owned())),
        Err(_) => fs::rename(temp, to).map_err(io),
    }
}

/// Makes the new directory entry durable; best effort, as not every
/// platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(dir: &Path) -> String {
        let path = dir.join("live.sqlite3").to_string_lossy().into_owned();
        let mut conn = SqliteConnection::establish(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.batch_execute(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE t (x TEXT);
             INSERT INTO t VALUES ('kept');",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        path
    }

    #[test]
    fn a_backup_holds_the_data_and_is_not_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let source = database(dir.path());
        let to = dir.path().join("copy.sqlite3");
        let written = sqlite(&source, &to, false).unwrap_or_else(|e| panic!("{e}"));
        assert!(written.bytes > 0);
        #[derive(QueryableByName)]
        struct X {
            #[diesel(sql_type = Text)]
            x: String,
        }
        let mut copy =
            SqliteConnection::establish(&to.to_string_lossy()).unwrap_or_else(|e| panic!("{e}"));
        let rows: Vec<X> = diesel::sql_query("SELECT x FROM t")
            .load(&mut copy)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].x, "kept");

        let again = sqlite(&source, &to, false);
        assert!(matches!(again, Err(BackupError::Exists(_))), "{again:?}");
        assert!(sqlite(&source, &to, true).is_ok());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "temp files left behind");
    }

    #[test]
    fn a_missing_database_or_folder_is_named() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let missing = dir.path().join("nope.sqlite3");
        let result = sqlite(&missing.to_string_lossy(), &dir.path().join("b"), false);
        assert!(matches!(result, Err(BackupError::NoSource(_))));
        assert!(!missing.exists());
        let source = database(dir.path());
        let nowhere = dir.path().join("no-such-folder").join("b");
        let result = sqlite(&source, &nowhere, false);
        assert!(
            matches!(result, Err(BackupError::NoFolder(_))),
            "{result:?}"
        );
    }

    #[test]
    fn the_database_cannot_be_its_own_backup() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let source = database(dir.path());
        let result = sqlite(&source, Path::new(&source), true);
        assert!(matches!(result, Err(BackupError::SameFile(_))));
    }
}
