//! Both backends' migrations must produce the same tables and columns.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use hep::db::{run_migrations, DbConn};

use crate::helpers::postgres_admin_url;

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
}

/// The portable type family of a declared column type.
fn family(declared: &str) -> &'static str {
    let t = declared.to_lowercase();
    if t.starts_with("timestamp") {
        "timestamp"
    } else if t == "text" || t.starts_with("character") {
        "text"
    } else if t == "boolean" {
        "bool"
    } else if t == "bigint" {
        "bigint"
    } else if t == "integer" {
        "integer"
    } else if t == "blob" || t == "bytea" || t == "binary" {
        "binary"
    } else {
        "other"
    }
}

fn shape(columns: Vec<Column>) -> BTreeSet<(String, String, &'static str, bool)> {
    columns
        .into_iter()
        .filter(|c| !c.table_name.starts_with("__diesel"))
        .map(|c| {
            (
                c.table_name,
                c.column_name,
                family(&c.data_type),
                c.not_null,
            )
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_produce_the_same_tables_and_columns() {
    let Some(admin_url) = postgres_admin_url() else {
        eprintln!("skipped: set HEP_TEST_POSTGRES_URL to compare with PostgreSQL");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parity.sqlite3");
    let mut sqlite = DbConn::Sqlite(SqliteConnection::establish(path.to_str().unwrap()).unwrap());
    run_migrations(&mut sqlite).unwrap();
    let DbConn::Sqlite(mut sqlite) = sqlite else {
        unreachable!()
    };
    let sqlite_columns: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type,
                (p.\"notnull\" = 1 OR p.pk > 0) AS not_null
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .load(&mut sqlite)
    .unwrap();

    let name = format!("hep_parity_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .unwrap();
    let pg_url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let result = std::panic::catch_unwind(|| {
        let mut pg = DbConn::Pg(PgConnection::establish(&pg_url).unwrap());
        run_migrations(&mut pg).unwrap();
        let DbConn::Pg(mut pg) = pg else {
            unreachable!()
        };
        diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name,
                    data_type::text AS data_type, (is_nullable = 'NO') AS not_null
             FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .load::<Column>(&mut pg)
        .unwrap()
    });
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    let pg_columns = result.unwrap();

    let sqlite_shape = shape(sqlite_columns);
    let pg_shape = shape(pg_columns);
    assert!(
        sqlite_shape.len() > 20,
        "the schema has its tables: {sqlite_shape:?}"
    );
    assert!(
        sqlite_shape.iter().all(|c| c.2 != "other"),
        "only portable types: {sqlite_shape:?}"
    );
    let only_sqlite: Vec<_> = sqlite_shape.difference(&pg_shape).collect();
    let only_pg: Vec<_> = pg_shape.difference(&sqlite_shape).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_pg:?}"
    );
}

#[test]
fn pictures_uploaded_before_versions_kept_them_are_carried_over() {
    use diesel::connection::SimpleConnection;
    use diesel::r2d2::ManageConnection;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};

    let (url, _db) = crate::helpers::fresh_database();
    let mut conn = hep::db::DbManager::new(url.clone()).connect().unwrap();
    let dir = format!(
        "{}/migrations/{}",
        env!("CARGO_MANIFEST_DIR"),
        if url.is_sqlite() {
            "sqlite"
        } else {
            "postgres"
        }
    );
    // Every migration before pictures were kept with versions.
    for _ in 0..5 {
        let source = FileBasedMigrations::from_path(&dir).unwrap();
        match &mut conn {
            DbConn::Sqlite(c) => c.run_next_migration(source).map(drop),
            DbConn::Pg(c) => c.run_next_migration(source).map(drop),
        }
        .unwrap();
    }
    // A clinic as that schema held it (today's code writes columns added
    // since).
    let clinic_id = hep::domain::ids::ClinicId::new();
    conn.batch_execute(&format!(
        "INSERT INTO clinics (id, name, contact_line, default_paper, created_at, updated_at)
         VALUES ('{clinic_id}', 'Old Pictures PT', '', 'letter', '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
    ))
    .unwrap();
    // A built-in exercise as that schema held it (today's import writes
    // columns added since).
    let row = hep::catalog::import::builtin_exercise_id("standing-row");
    conn.batch_execute(&format!(
        "INSERT INTO exercises (id, clinic_id, slug, name, aliases, summary, regions, category, movement, equipment, position, content, search_text, content_hash, retired_at, created_at, updated_at)
         VALUES ('{row}', NULL, 'standing-row', 'Standing row', '||', 'Rows.', '|upper-back|', 'strength', '||', '||', 'standing', '{{}}', 'standing row', 'old', NULL, '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
    ))
    .unwrap();
    let bytes = crate::catalog::png(30, 20);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let blob = if url.is_sqlite() {
        format!("X'{hex}'")
    } else {
        format!("'\\x{hex}'::bytea")
    };
    conn.batch_execute(&format!(
        "INSERT INTO exercise_images (clinic_id, exercise_id, content_type, data, width, height, created_at)
         VALUES ('{clinic_id}', '{row}', 'image/png', {blob}, 30, 20, '2026-11-01 09:00:00')"
    ))
    .unwrap();

    run_migrations(&mut conn).unwrap();
    let row_id = hep::domain::ids::ExerciseId::parse(&row).unwrap();
    let shown = hep::db::pictures::current_pictures(&mut conn, clinic_id, &[row_id]).unwrap();
    let [(exercise, picture)] = shown.as_slice() else {
        panic!("the picture was not carried over: {shown:?}");
    };
    let picture_id = String::from(picture.clone());
    assert_eq!(exercise, &row);
    assert!(!picture_id.is_empty());
    let pictures =
        hep::db::pictures::pictures_by_id(&mut conn, clinic_id, std::slice::from_ref(picture))
            .unwrap();
    let [picture] = pictures.as_slice() else {
        panic!("no stored picture {picture_id}");
    };
    assert_eq!(picture.data, bytes);
    assert_eq!(picture.content_type, "image/png");
    assert_eq!((picture.width, picture.height), (30, 20));
}
