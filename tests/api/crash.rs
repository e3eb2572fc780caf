//! Crash safety of the real `hep` binary: while clinicians edit and publish
//! programs and patients log activity through their share links, the server
//! is killed with SIGKILL at a random moment, then restarted on the same
//! database, round after round. Afterwards every write that was answered
//! with a 2xx must be there: published versions numbered 1..n without gaps
//! or duplicates, each acknowledged version with the draft it froze, each
//! acknowledged activity entry; the share links still open, and SQLite's
//! `PRAGMA integrity_check` says ok. Runs on PostgreSQL too when
//! `HEP_TEST_POSTGRES_URL` is set.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use rand::Rng;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{form_token_in, fresh_database, path_of, PASSWORD};
use hep::catalog::import::builtin_exercise_id as id_of;
use hep::db::DatabaseUrl;

/// Kill-and-restart rounds.
const ROUNDS: usize = 20;
/// Programs each edited and published by one clinician task (PUT, publish).
const EDITED: usize = 3;
/// Tasks publishing one further program at the same time.
const CONTENDERS: usize = 3;
/// Log posts per link and round: the share-link space allows 120 requests a
/// minute per client IP, and the limiter starts afresh with each process.
const LOGS_PER_ROUND: usize = 30;
/// The server is killed this long (ms) after it says it is listening.
const KILL_AFTER_MS: std::ops::RangeInclusive<u64> = 100..=900;

/// A running `hep serve`.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    /// Starts the binary on port 0 and waits for its `listening on` line.
    fn start(database: &str, log: &std::path::Path) -> Self {
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_hep"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", database])
            .env("RUST_LOG", "warn")
            .env_remove("HEP_BASE_URL")
            .env_remove("HEP_METRICS_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("hep serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(address) = line.trim().strip_prefix("listening on ") {
                    let _ = tx.send(address.to_owned());
                    break;
                }
                line.clear();
            }
            // Keep draining so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut lines, &mut std::io::sink());
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(address) => Self { child, address },
            Err(_) => {
                let _ = child.kill();
                let mut text = String::new();
                let _ = std::fs::File::open(log).and_then(|mut f| f.read_to_string(&mut text));
                panic!("hep serve did not say where it listens; its log:\n{text}");
            }
        }
    }

    /// SIGKILL: no shutdown code runs, exactly like a crash of the process.
    fn kill(self) {}
}

/// Also when a failing test unwinds, so no server outlives it.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One life of the server, as the load tasks see it.
struct Round {
    base: String,
    stop: AtomicBool,
    /// Set just before the kill: a request sent earlier that fails was cut
    /// off in flight.
    killed_at: Mutex<Option<Instant>>,
}

impl Round {
    fn running(&self) -> bool {
        !self.stop.load(Ordering::Relaxed)
    }

    /// Counts a request that failed without an answer, if the kill caught
    /// it in flight (rather than it finding the port already closed).
    fn cut_off(&self, world: &World, sent: Instant) {
        if self
            .killed_at
            .lock()
            .unwrap()
            .is_some_and(|killed| sent < killed)
        {
            world.cut_off.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A program a clinician task edits and publishes, and what it was told.
#[derive(Default)]
struct Publishes {
    /// Acknowledged publishes: version → the notes of the draft it froze
    /// (None for the contended program, whose draft never changes).
    acked: Vec<(i32, Option<String>)>,
}

/// One (exercise, day) entry of a link's log: later posts replace it.
#[derive(Default, Clone, Copy)]
struct Slot {
    last_sent: u64,
    last_acked: Option<u64>,
}

struct Link {
    program: String,
    path: String,
    form_token: String,
    exercises: Vec<String>,
    slots: Mutex<HashMap<(String, String), Slot>>,
    next: AtomicUsize,
}

struct World {
    database: String,
    log: std::path::PathBuf,
    client: Client,
    token: String,
    items: Value,
    edited: Vec<(String, Mutex<Publishes>)>,
    contended: (String, Mutex<Publishes>),
    links: Vec<Link>,
    /// Requests the kill caught in flight.
    cut_off: AtomicUsize,
}

fn ok(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::SEE_OTHER
}

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: {e}: {text}"))
}

/// Clinic (through `hep clinic create`), a therapist, patients, programs
/// with a first published version, and a share link for each.
async fn set_up(database: String, log: std::path::PathBuf) -> World {
    let created = Command::new(env!("CARGO_BIN_EXE_hep"))
        .args([
            "clinic",
            "create",
            "--name",
            "Crash Test PT",
            "--admin-email",
            "admin@crash.test",
            "--database-url",
            &database,
        ])
        .env("HEP_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let server = Server::start(&database, &log);
    let base = server.address.clone();
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let sign_in = |email: &str| {
        client
            .post(format!("{base}/api/v1/sessions"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
    };
    let admin = json_of(sign_in("admin@crash.test").await.unwrap()).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = client
        .post(format!("{base}/api/v1/clinicians"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "theo@crash.test", "name": "Theo Therapist", "role": "therapist", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let token = json_of(sign_in("theo@crash.test").await.unwrap()).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let exercises = vec![id_of("standing-row"), id_of("thoracic-extension-chair")];
    let items = json!([
        { "exercise_id": exercises[0], "sets": 3, "reps": 12 },
        { "exercise_id": exercises[1], "sets": 1, "reps": 20 }
    ]);
    let mut programs = Vec::new();
    let mut links = Vec::new();
    for n in 0..=EDITED {
        let post = |path: String, body: Value| {
            client
                .post(format!("{base}{path}"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let patient = json_of(
            post(
                "/api/v1/patients".into(),
                json!({ "first_name": format!("Patient{n}"), "last_name": "Crash" }),
            )
            .await
            .unwrap(),
        )
        .await;
        let program = json_of(
            post(
                format!(
                    "/api/v1/patients/{}/programs",
                    patient["id"].as_str().unwrap()
                ),
                json!({ "title": format!("Program {n}"), "notes": "setup", "items": items }),
            )
            .await
            .unwrap(),
        )
        .await;
        let id = program["id"].as_str().unwrap().to_owned();
        let published = post(format!("/api/v1/programs/{id}/publish"), json!({}))
            .await
            .unwrap();
        assert_eq!(published.status(), StatusCode::OK);
        let link = json_of(
            post(format!("/api/v1/programs/{id}/links"), json!({}))
                .await
                .unwrap(),
        )
        .await;
        let path = path_of(link["url"].as_str().unwrap());
        let page = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        links.push(Link {
            program: id.clone(),
            path,
            form_token: form_token_in(&page),
            exercises: exercises.clone(),
            slots: Mutex::new(HashMap::new()),
            next: AtomicUsize::new(0),
        });
        programs.push(id);
    }
    server.kill();
    let setup_version = |_| {
        Mutex::new(Publishes {
            acked: vec![(1, Some("setup".to_owned()))],
        })
    };
    let contended = programs.pop().unwrap();
    World {
        database,
        log,
        client,
        token,
        items,
        edited: programs
            .into_iter()
            .map(|id| (id, setup_version(())))
            .collect(),
        contended: (
            contended,
            Mutex::new(Publishes {
                acked: vec![(1, None)],
            }),
        ),
        links,
        cut_off: AtomicUsize::new(0),
    }
}

/// PUT a new draft, publish it; again, until the server dies.
async fn edit_and_publish(world: Arc<World>, round: Arc<Round>, n: usize) {
    let (id, ledger) = &world.edited[n];
    let base = &round.base;
    // The draft's revision guards against overwriting a colleague's save; a
    // PUT cut off by the last kill may have moved it, so read it afresh.
    let sent = Instant::now();
    let mut revision = match world
        .client
        .get(format!("{base}/api/v1/programs/{id}"))
        .bearer_auth(&world.token)
        .send()
        .await
    {
        Ok(r) => match r.json::<Value>().await {
            Ok(body) => body["revision"].clone(),
            Err(_) => return round.cut_off(&world, sent),
        },
        Err(_) => return round.cut_off(&world, sent),
    };
    let mut round_seq = 0u32;
    while round.running() {
        round_seq += 1;
        let notes = format!("p{n}-{}-{round_seq}", uuid::Uuid::new_v4().simple());
        let sent = Instant::now();
        let put = world
            .client
            .put(format!("{base}/api/v1/programs/{id}"))
            .bearer_auth(&world.token)
            .json(&json!({ "title": format!("Program {n}"), "notes": notes, "items": world.items, "revision": revision }))
            .send()
            .await;
        match put {
            Ok(r) if ok(r.status()) => match r.json::<Value>().await {
                Ok(body) => revision = body["revision"].clone(),
                Err(_) => return round.cut_off(&world, sent),
            },
            Ok(r) => panic!(
                "PUT answered {}: {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
            Err(_) => return round.cut_off(&world, sent),
        }
        let sent = Instant::now();
        let published = world
            .client
            .post(format!("{base}/api/v1/programs/{id}/publish"))
            .bearer_auth(&world.token)
            .json(&json!({}))
            .send()
            .await;
        match published {
            Ok(r) if ok(r.status()) => {
                // The status line is the acknowledgement; a body cut off by
                // the kill still leaves the version number unknown.
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                let version = i32::try_from(body["version"].as_i64().unwrap()).unwrap();
                ledger.lock().unwrap().acked.push((version, Some(notes)));
            }
            Ok(r) => panic!(
                "publish answered {}: {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
            Err(_) => return round.cut_off(&world, sent),
        }
    }
}

/// Publish the same program as fast as possible, beside other contenders.
async fn contend(world: Arc<World>, round: Arc<Round>) {
    let (id, ledger) = &world.contended;
    let base = &round.base;
    while round.running() {
        let sent = Instant::now();
        let published = world
            .client
            .post(format!("{base}/api/v1/programs/{id}/publish"))
            .bearer_auth(&world.token)
            .json(&json!({}))
            .send()
            .await;
        match published {
            Ok(r) if ok(r.status()) => {
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                let version = i32::try_from(body["version"].as_i64().unwrap()).unwrap();
                ledger.lock().unwrap().acked.push((version, None));
            }
            Ok(r) => panic!(
                "publish answered {}: {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
            Err(_) => return round.cut_off(&world, sent),
        }
    }
}

/// The patient page's log form, posted over the link's (exercise, day)
/// entries in turn; each comment carries a sequence number.
async fn log_activity(world: Arc<World>, round: Arc<Round>, n: usize) {
    let link = &world.links[n];
    let base = &round.base;
    for _ in 0..LOGS_PER_ROUND {
        if !round.running() {
            return;
        }
        let seq = link.next.fetch_add(1, Ordering::Relaxed) as u64 + 1;
        let slot = usize::try_from(seq).unwrap() % (link.exercises.len() * 14);
        let exercise = link.exercises[slot % link.exercises.len()].clone();
        let day = (chrono::Utc::now().date_naive()
            - chrono::Duration::days(i64::try_from(slot / link.exercises.len()).unwrap()))
        .to_string();
        let key = (exercise.clone(), day.clone());
        link.slots
            .lock()
            .unwrap()
            .entry(key.clone())
            .or_default()
            .last_sent = seq;
        let comment = format!("seq {seq}");
        let pain = (seq % 11).to_string();
        let sent = Instant::now();
        let response = world
            .client
            .post(format!("{base}{}/log", link.path))
            .form(&[
                ("form_token", link.form_token.as_str()),
                ("exercise_id", &exercise),
                ("day", &day),
                ("done", "yes"),
                ("pain", &pain),
                ("comment", &comment),
            ])
            .send()
            .await;
        match response {
            Ok(r) if r.status() == StatusCode::SEE_OTHER => {
                link.slots.lock().unwrap().get_mut(&key).unwrap().last_acked = Some(seq);
            }
            Ok(r) => panic!(
                "log answered {}: {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
            Err(_) => return round.cut_off(&world, sent),
        }
    }
}

/// One round: start, load, kill at a random moment, collect the tasks.
async fn crash_round(world: &Arc<World>) {
    let (database, log) = (world.database.clone(), world.log.clone());
    let server = tokio::task::spawn_blocking(move || Server::start(&database, &log))
        .await
        .unwrap();
    let round = Arc::new(Round {
        base: server.address.clone(),
        stop: AtomicBool::new(false),
        killed_at: Mutex::new(None),
    });
    let mut tasks = Vec::new();
    for n in 0..EDITED {
        tasks.push(tokio::spawn(edit_and_publish(
            world.clone(),
            round.clone(),
            n,
        )));
    }
    for _ in 0..CONTENDERS {
        tasks.push(tokio::spawn(contend(world.clone(), round.clone())));
    }
    for n in 0..world.links.len() {
        tasks.push(tokio::spawn(log_activity(world.clone(), round.clone(), n)));
    }
    let wait = rand::thread_rng().gen_range(KILL_AFTER_MS);
    tokio::time::sleep(Duration::from_millis(wait)).await;
    *round.killed_at.lock().unwrap() = Some(Instant::now());
    tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
    round.stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
}

/// After the last crash: every acknowledged write is there.
async fn check_everything(world: &World) {
    let (database, log) = (world.database.clone(), world.log.clone());
    let server = tokio::task::spawn_blocking(move || Server::start(&database, &log))
        .await
        .unwrap();
    let base = &server.address;
    let get = |path: String| {
        world
            .client
            .get(format!("{base}{path}"))
            .bearer_auth(&world.token)
            .send()
    };
    let mut programs: Vec<(&String, &Mutex<Publishes>)> =
        world.edited.iter().map(|(id, l)| (id, l)).collect();
    programs.push((&world.contended.0, &world.contended.1));
    for (id, ledger) in programs {
        let acked_list = ledger.lock().unwrap().acked.clone();
        let listed = json_of(
            get(format!("/api/v1/programs/{id}/versions"))
                .await
                .unwrap(),
        )
        .await;
        let mut numbers: Vec<i64> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        numbers.sort_unstable();
        let expected: Vec<i64> = (1..=i64::try_from(numbers.len()).unwrap()).collect();
        assert_eq!(
            numbers, expected,
            "versions of {id} have gaps or duplicates"
        );
        let mut acked: BTreeMap<i32, Option<String>> = BTreeMap::new();
        for (version, notes) in &acked_list {
            assert!(
                acked.insert(*version, notes.clone()).is_none(),
                "version {version} of {id} was acknowledged twice"
            );
            assert!(
                numbers.contains(&i64::from(*version)),
                "acknowledged version {version} of {id} is lost"
            );
        }
        for (version, notes) in acked {
            let Some(notes) = notes else { continue };
            let shown = json_of(
                get(format!("/api/v1/programs/{id}?version={version}"))
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(
                shown["notes"], notes,
                "version {version} of {id} froze another draft"
            );
        }
    }
    for link in &world.links {
        let rows = json_of(
            get(format!(
                "/api/v1/programs/{}/activity?days=30",
                link.program
            ))
            .await
            .unwrap(),
        )
        .await;
        let stored: HashMap<(String, String), u64> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let seq = r["comment"]
                    .as_str()
                    .and_then(|c| c.strip_prefix("seq "))
                    .and_then(|s| s.parse().ok())
                    .unwrap();
                (
                    (
                        r["exercise_id"].as_str().unwrap().to_owned(),
                        r["day"].as_str().unwrap().to_owned(),
                    ),
                    seq,
                )
            })
            .collect();
        for (key, slot) in link.slots.lock().unwrap().iter() {
            let Some(acked) = slot.last_acked else {
                continue;
            };
            let found = stored.get(key).copied();
            assert!(
                found.is_some_and(|s| s >= acked && s <= slot.last_sent),
                "acknowledged entry {acked} for {key:?} is lost (stored: {found:?}, last sent {})",
                slot.last_sent
            );
        }
        let page = world
            .client
            .get(format!("{base}{}", link.path))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "the share link opens");
    }
    tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

fn sqlite_integrity(path: &str) -> Vec<String> {
    let mut conn = diesel::sqlite::SqliteConnection::establish(path).unwrap();
    conn.batch_execute("PRAGMA busy_timeout = 5000;").unwrap();
    diesel::sql_query("PRAGMA integrity_check")
        .load::<Line>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|l| l.integrity_check)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_the_server_being_killed_at_random() {
    let started = Instant::now();
    let (url, _db) = fresh_database();
    let (database, sqlite_path) = match &url {
        DatabaseUrl::Sqlite(path) => (path.clone(), Some(path.clone())),
        DatabaseUrl::Postgres(pg) => (pg.clone(), None),
    };
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("hep.log");
    let world = Arc::new(set_up(database, log).await);
    for _ in 0..ROUNDS {
        crash_round(&world).await;
    }
    check_everything(&world).await;

    let published: usize = world
        .edited
        .iter()
        .map(|(_, l)| l.lock().unwrap().acked.len())
        .sum::<usize>()
        + world.contended.1.lock().unwrap().acked.len();
    let logged: usize = world
        .links
        .iter()
        .map(|l| {
            l.slots
                .lock()
                .unwrap()
                .values()
                .filter(|s| s.last_acked.is_some())
                .count()
        })
        .sum();
    let cut_off = world.cut_off.load(Ordering::Relaxed);
    eprintln!(
        "crash test: {ROUNDS} kills, {published} acknowledged publishes, {logged} log entries acknowledged, {cut_off} requests cut off, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Guards against a test that proves nothing: writes were acknowledged,
    // and kills did land in the middle of requests.
    assert!(
        published > 2 * ROUNDS,
        "only {published} publishes acknowledged"
    );
    assert!(logged > ROUNDS, "only {logged} log entries acknowledged");
    assert!(
        cut_off >= ROUNDS,
        "only {cut_off} requests were cut off by a kill"
    );
    if let Some(path) = sqlite_path {
        assert_eq!(sqlite_integrity(&path), ["ok"]);
    }
}
