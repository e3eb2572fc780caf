//! Catalog search with 10,000 clinic exercises on top of the built-in
//! catalog, on SQLite: the queries a therapist types in the program builder.
//! Run: `cargo bench --bench catalog_search`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark may panic on a broken setup

use criterion::{criterion_group, criterion_main, Criterion};
use hep::catalog::{self, import};
use hep::db::exercises::{self, ExerciseRow, Filter};
use hep::db::{self, write_tx, DatabaseUrl};
use hep::domain::ids::{ClinicId, ExerciseId};
use hep::domain::search::normalize;
use hep::services::accounts::{self, NewClinician};

fn setup() -> (tempfile::TempDir, db::Pool, ClinicId) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite(
        dir.path()
            .join("bench.sqlite3")
            .to_string_lossy()
            .into_owned(),
    );
    let pool = db::connect(&url, 2).expect("database");
    let mut conn = pool.get().expect("connection");
    let builtin = catalog::builtin().expect("catalog");
    import::import(&mut conn, &builtin).expect("import");
    let admin = NewClinician::parse("bench@clinic.test", "Bench", "admin", "bench password")
        .expect("admin");
    let (clinic, _) = accounts::create_clinic(&mut conn, "Bench clinic", admin).expect("clinic");
    let clinic_id = clinic.id;
    let now = hep::clock::now();
    write_tx(&mut conn, |conn| -> diesel::QueryResult<()> {
        for i in 0..10_000 {
            let mut spec = builtin.exercises[i % builtin.exercises.len()].clone();
            spec.slug = format!("{}-variant-{i}", spec.slug);
            spec.name = format!("{} variant {i}", spec.name);
            let row = ExerciseRow::new(ExerciseId::new(), Some(clinic.id), &spec, now);
            exercises::insert(conn, &row)?;
        }
        Ok(())
    })
    .expect("10,000 exercises");
    drop(conn);
    (dir, pool, clinic_id)
}

fn bench(c: &mut Criterion) {
    let (_dir, pool, clinic) = setup();
    let mut conn = pool.get().expect("connection");
    let cases = [
        (
            "q=row, region=upper-back",
            Filter {
                q: normalize("row"),
                region: Some("upper-back".into()),
                ..Filter::default()
            },
        ),
        (
            "q=thoracic",
            Filter {
                q: normalize("thoracic"),
                ..Filter::default()
            },
        ),
        (
            "region=knee, category=strength",
            Filter {
                region: Some("knee".into()),
                category: Some("strength".into()),
                ..Filter::default()
            },
        ),
        (
            "movement=flexion, equipment=mat",
            Filter {
                movement: Some("flexion".into()),
                equipment: Some("mat".into()),
                ..Filter::default()
            },
        ),
    ];
    let mut group = c.benchmark_group("search 10k exercises");
    for (name, filter) in cases {
        group.bench_function(name, |b| {
            b.iter(|| exercises::search(&mut conn, clinic, &filter, 50, 0).expect("search"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
