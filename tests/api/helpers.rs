//! `TestApp`: the real server on port 0 with a fresh database — a temp
//! SQLite file, or a fresh PostgreSQL database (created here, dropped on
//! drop) when `HEP_TEST_POSTGRES_URL` is set — plus request helpers.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};
use hep::config::Config;
use hep::db::{DatabaseUrl, DbConn, Pool};
use hep::services::accounts::{self, NewClinician};
use hep::startup::Application;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

pub const PASSWORD: &str = "correct horse battery";

/// Where a test's database lives; removed when the test ends.
pub enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            if let Ok(mut conn) = PgConnection::establish(admin_url) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut conn);
            }
        }
    }
}

/// The PostgreSQL server tests use, if any, over plain TCP (see
/// `without_encryption`).
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("HEP_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|u| without_encryption(&u))
}

/// `url` with TLS and GSSAPI encryption off unless it says otherwise. Each
/// test app's pool reconnects in the background once its database is
/// dropped; over TLS those attempts raced OpenSSL's clean-up at process
/// exit and crashed the test binary (SIGSEGV) after every test had passed.
fn without_encryption(url: &str) -> String {
    let mut url = url.to_owned();
    for (key, value) in [("sslmode", "disable"), ("gssencmode", "disable")] {
        if !url.contains(&format!("{key}=")) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{key}={value}"));
        }
    }
    url
}

/// A fresh, empty database URL of the backend under test.
pub fn fresh_database() -> (DatabaseUrl, TestDb) {
    match postgres_admin_url() {
        Some(admin_url) => {
            let name = format!("hep_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                panic!("HEP_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached: {e}")
            });
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .expect("create the test database");
            let url = replace_database(&admin_url, &name);
            (
                DatabaseUrl::Postgres(url),
                TestDb::Postgres { admin_url, name },
            )
        }
        None => fresh_sqlite(),
    }
}

/// A fresh SQLite file in its own temp folder, whatever the backend under test.
pub fn fresh_sqlite() -> (DatabaseUrl, TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hep.sqlite3");
    (
        DatabaseUrl::Sqlite(path.to_string_lossy().into_owned()),
        TestDb::Sqlite(dir),
    )
}

/// `postgres://u@h:5432/postgres?x` with the database name swapped.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: Pool,
    server: actix_web::dev::ServerHandle,
    _db: TestDb,
}

impl Drop for TestApp {
    /// Asks the server to stop before the database goes (the fields drop
    /// after this), so its workers, pool and background writer end with
    /// the test instead of retrying a database that is gone.
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

/// A clinic made for a test, with its admin signed in.
#[allow(dead_code)]
pub struct TestClinic {
    pub id: String,
    pub admin_id: String,
    pub admin_email: String,
    pub admin_token: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with a test-specific tweak of the configuration.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let (url, db) = fresh_database();
        Self::spawn_on(url, db, tweak).await
    }

    /// Starts the app on a given database, which `db` removes at the end.
    pub async fn spawn_on(url: DatabaseUrl, db: TestDb, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::new("127.0.0.1:0", url);
        config.db_pool_size = 4;
        tweak(&mut config);
        let app = Application::build(config).expect("the app starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let pool = app.pool();
        let server = app.into_server();
        let handle = server.handle();
        tokio::spawn(server);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        Self {
            address,
            client,
            pool,
            server: handle,
            _db: db,
        }
    }

    #[allow(dead_code)]
    pub fn conn(&self) -> hep::db::PooledConn {
        self.pool.get().expect("a database connection")
    }

    /// Runs blocking database work for a test's setup or checks.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConn) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || f(&mut pool.get().expect("a database connection")))
            .await
            .expect("blocking task")
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.address, path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    #[allow(dead_code)]
    pub async fn put(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PUT, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    pub async fn sign_in_response(&self, email: &str, password: &str) -> Response {
        self.request(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "email": email, "password": password })),
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = self.sign_in_response(email, password).await;
        assert_eq!(response.status(), StatusCode::CREATED, "sign-in of {email}");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    /// Creates a clinic the way `hep clinic create` does and signs its admin in.
    pub async fn create_clinic(&self, name: &str) -> TestClinic {
        let slug = format!(
            "{}-{}",
            name.to_lowercase().replace(' ', "-"),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let admin_email = format!("admin@{slug}.test");
        let (email, clinic_name) = (admin_email.clone(), name.to_owned());
        let (clinic, admin) = self
            .with_db(move |conn| {
                let admin = NewClinician::parse(&email, "Ada Admin", "admin", PASSWORD)
                    .expect("valid admin");
                accounts::create_clinic(conn, &clinic_name, admin).expect("clinic created")
            })
            .await;
        let admin_token = self.sign_in(&admin_email, PASSWORD).await;
        TestClinic {
            id: String::from(clinic.id),
            admin_id: String::from(admin.id),
            admin_email,
            admin_token,
        }
    }

    /// Creates a patient with these precautions; returns the id.
    pub async fn new_patient(&self, clinic: &TestClinic, precautions: &[&str]) -> String {
        let response = self
            .post(
                "/api/v1/patients",
                &clinic.admin_token,
                json!({ "first_name": "Ines", "last_name": "Ortega", "precautions": precautions }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        body["id"].as_str().expect("id").to_owned()
    }

    /// Creates a program with `items` for the patient and publishes it;
    /// returns the program id.
    pub async fn published_program(
        &self,
        clinic: &TestClinic,
        patient: &str,
        items: Value,
    ) -> String {
        let response = self
            .post(
                &format!("/api/v1/patients/{patient}/programs"),
                &clinic.admin_token,
                json!({ "title": "Home program", "items": items }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let program: Value = response.json().await.expect("json");
        let id = program["id"].as_str().expect("id").to_owned();
        let publish = self
            .post(
                &format!("/api/v1/programs/{id}/publish"),
                &clinic.admin_token,
                json!({}),
            )
            .await;
        assert_eq!(publish.status(), StatusCode::OK);
        id
    }

    /// Shares a published program; returns the link's path (`/p/TOKEN`).
    pub async fn share_path(&self, clinic: &TestClinic, program: &str) -> String {
        let response = self
            .post(
                &format!("/api/v1/programs/{program}/links"),
                &clinic.admin_token,
                json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let link: Value = response.json().await.expect("json");
        let url = link["url"].as_str().expect("url");
        url.splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .expect("a path")
    }

    /// Adds a clinician through the API and signs them in.
    pub async fn add_clinician(&self, clinic: &TestClinic, role: &str) -> (String, String) {
        let email = format!(
            "{role}-{}@{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8],
            clinic.admin_email.split('@').nth(1).unwrap_or("x.test")
        );
        let response = self
            .post(
                "/api/v1/clinicians",
                &clinic.admin_token,
                json!({ "email": email, "name": "Theo Therapist", "role": role, "password": PASSWORD }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        let token = self.sign_in(&email, PASSWORD).await;
        (body["id"].as_str().expect("id").to_owned(), token)
    }
}

/// Reads a JSON body, failing the test with the status if it is not JSON.
pub async fn json_body(response: Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: not JSON ({e}): {text}"))
}

#[test]
fn database_names_are_swapped_in_postgres_urls() {
    assert_eq!(
        replace_database("postgres://u@h:5432/postgres", "x"),
        "postgres://u@h:5432/x"
    );
    assert_eq!(
        replace_database("postgres://u@h/postgres?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
}

#[test]
fn test_connections_to_postgres_are_unencrypted_unless_the_url_says() {
    assert_eq!(
        without_encryption("postgres://u@h/postgres"),
        "postgres://u@h/postgres?sslmode=disable&gssencmode=disable"
    );
    assert_eq!(
        without_encryption("postgres://u@h/postgres?sslmode=require"),
        "postgres://u@h/postgres?sslmode=require&gssencmode=disable"
    );
}

/// `GET path` with `client` (its cookies, if any): the status and the page.
pub async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Everything the app logs during the test run, for checking that secrets
/// never reach the logs. Installs one global subscriber on first use.
pub fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buffer
    })
    .clone()
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The per-link form token embedded in a patient page's log form.
#[allow(dead_code)]
pub fn form_token_in(html: &str) -> String {
    let marker = "name=\"form_token\" value=\"";
    let start = html.find(marker).expect("a log form on the page") + marker.len();
    html[start..start + 32].to_owned()
}

/// `https://host/p/TOKEN` → `/p/TOKEN`.
#[allow(dead_code)]
pub fn path_of(url: &str) -> String {
    url.splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .expect("a URL with a path")
}
