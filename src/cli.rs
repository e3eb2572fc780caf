//! The `hep` command line: `serve`, `clinic create`, `catalog validate`,
//! `catalog report`, `catalog figures`, `migrate`, `backup`. Flags fall back to `HEP_*` environment variables.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::db::{self, DatabaseUrl};
use crate::services::accounts::{self, NewClinician};
use crate::startup::Application;
use crate::web::metrics::MIN_TOKEN_LEN;
use crate::{catalog, demo, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "hep",
    version,
    about = "Home exercise programs for physical therapists"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run migrations, import the built-in catalog and serve HTTP.
    Serve(ServeArgs),
    /// Manage clinics.
    #[command(subcommand)]
    Clinic(ClinicCommand),
    /// Check exercise catalogs.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Run database migrations and exit.
    Migrate(DbArgs),
    /// Copy the SQLite database to a file while the server keeps running.
    Backup(BackupArgs),
}

#[derive(Debug, Args)]
struct BackupArgs {
    /// The file to write.
    #[arg(long)]
    to: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Debug, Args)]
struct DbArgs {
    /// SQLite file path, sqlite://PATH, or postgres://USER@HOST/DB.
    #[arg(long, env = "HEP_DATABASE_URL", default_value = "data/hep.sqlite3")]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HEP_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    #[command(flatten)]
    db: DbArgs,
    /// Public origin for share links, e.g. https://hep.clinic.example.
    #[arg(long, env = "HEP_BASE_URL")]
    base_url: Option<String>,
    /// Add a demo clinic, clinicians and patients if absent.
    #[arg(long)]
    demo: bool,
    /// Serve this catalog folder instead of the one built into the binary.
    #[arg(long, env = "HEP_CATALOG_DIR")]
    catalog_dir: Option<PathBuf>,
    /// Serve Prometheus metrics at /metrics to requests bearing this token
    /// (at least 16 characters; prefer the variable, which `ps` does not show).
    #[arg(long, env = "HEP_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Requests per minute one client IP may make under `/p/` (share links).
    #[arg(long, env = "HEP_LINK_REQUESTS_PER_MINUTE", default_value_t = 120)]
    link_requests_per_minute: u32,
    /// Database connections in the pool.
    #[arg(long, env = "HEP_DB_POOL_SIZE", default_value_t = 8)]
    db_pool_size: u32,
    /// HTTP worker threads; 0 means one per CPU core.
    #[arg(long, env = "HEP_WORKERS", default_value_t = 0)]
    workers: usize,
    /// PDF handouts rendered at once (each uses one core while it runs).
    #[arg(long, env = "HEP_RENDER_SLOTS", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    render_slots: u16,
    /// PDF requests that may wait for a render slot; more are answered 503
    /// with Retry-After at once, as are those that wait over 15 seconds.
    #[arg(long, env = "HEP_RENDER_QUEUE", default_value_t = 256)]
    render_queue: usize,
}

#[derive(Debug, Subcommand)]
enum CatalogCommand {
    /// Check a catalog folder and print every problem as `FILE: field: message`.
    Validate {
        /// The catalog folder.
        #[arg(default_value = "exercise_catalog")]
        dir: PathBuf,
    },
    /// Draw every exercise's figure as SVG into a folder, with a contact
    /// sheet of all of them and of the base poses, for review: a page
    /// (`index.html`) and a picture (`contact-sheet.png`).
    Figures {
        /// The catalog folder.
        #[arg(default_value = "exercise_catalog")]
        dir: PathBuf,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a Markdown report for a lead therapist to sign off: per
    /// precaution, what it avoids (with each exercise's alternatives),
    /// takes care with and prefers.
    Report {
        /// The catalog folder.
        #[arg(default_value = "exercise_catalog")]
        dir: PathBuf,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ClinicCommand {
    /// Create a clinic and its first admin. The admin's password comes from
    /// HEP_ADMIN_PASSWORD or the first line of standard input.
    Create(ClinicCreateArgs),
}

#[derive(Debug, Args)]
struct ClinicCreateArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    admin_email: String,
    #[arg(long, default_value = "Clinic admin")]
    admin_name: String,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs a parsed command; the exit code is non-zero on any failure.
pub fn run(cli: Cli) -> ExitCode {
    telemetry::init();
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Clinic(ClinicCommand::Create(args)) => create_clinic(args),
        Command::Migrate(args) => migrate(args),
        Command::Backup(args) => backup(args),
        Command::Catalog(CatalogCommand::Validate { dir }) => validate_catalog(&dir),
        Command::Catalog(CatalogCommand::Report { dir, out }) => {
            catalog_report(&dir, out.as_deref())
        }
        Command::Catalog(CatalogCommand::Figures { dir, out }) => catalog_figures(&dir, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn database_url(args: &DbArgs) -> Result<DatabaseUrl, String> {
    DatabaseUrl::parse(&args.database_url).map_err(|e| e.to_string())
}

fn serve(args: ServeArgs) -> Result<(), String> {
    // Port 0 picks a free port; the line printed below names the real one.
    let host = args
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host)
        .to_owned();
    let mut config = Config::new(args.bind, database_url(&args.db)?);
    config.base_url = args.base_url.map(|u| u.trim_end_matches('/').to_owned());
    config.catalog_dir = args.catalog_dir;
    config.metrics_token = match args.metrics_token.filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() < MIN_TOKEN_LEN => {
            return Err(format!(
                "HEP_METRICS_TOKEN is too short; use at least {MIN_TOKEN_LEN} random characters"
            ))
        }
        other => other,
    };
    config.link_requests_per_minute = args.link_requests_per_minute;
    config.db_pool_size = args.db_pool_size.max(1);
    config.workers = args.workers;
    config.render_slots = usize::from(args.render_slots);
    config.render_queue = args.render_queue;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config).map_err(|e| e.to_string())?;
        if args.demo {
            let pool = app.pool();
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let sign_in = demo::ensure(&mut conn, app.base_url()).map_err(|e| e.to_string())?;
            println!("{sign_in}");
        }
        tracing::info!(port = app.port(), "hep is serving");
        println!("listening on http://{host}:{}", app.port());
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn validate_catalog(dir: &Path) -> Result<(), String> {
    match catalog::load_dir(dir) {
        Ok(found) => {
            println!(
                "{}: {} exercises and {} precautions, no problems",
                dir.display(),
                found.exercises.len(),
                found.precautions.len()
            );
            Ok(())
        }
        Err(problems) => {
            for problem in &problems {
                println!("{problem}");
            }
            Err(format!(
                "{} problem(s) in {}",
                problems.len(),
                dir.display()
            ))
        }
    }
}

fn catalog_figures(dir: &Path, out: &Path) -> Result<(), String> {
    let found = catalog::load_dir(dir).map_err(|problems| {
        for problem in &problems {
            eprintln!("{problem}");
        }
        format!("{} problem(s) in {}", problems.len(), dir.display())
    })?;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let sheet = crate::services::contact_sheet::contact_sheet(&found)?;
    for (name, content) in sheet {
        let path = out.join(&name);
        std::fs::write(&path, content)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!(
        "{}: figures, index.html and contact-sheet.png written",
        out.display()
    );
    Ok(())
}

fn catalog_report(dir: &Path, out: Option<&Path>) -> Result<(), String> {
    let found = catalog::load_dir(dir).map_err(|problems| {
        for problem in &problems {
            eprintln!("{problem}");
        }
        format!(
            "{} problem(s) in {}; fix them (see `hep catalog validate`) before reporting",
            problems.len(),
            dir.display()
        )
    })?;
    let report = catalog::report::markdown(&found);
    match out {
        Some(path) => std::fs::write(path, report)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            print!("{report}");
            Ok(())
        }
    }
}

fn migrate(args: DbArgs) -> Result<(), String> {
    let url = database_url(&args)?;
    db::connect(&url, 1).map_err(|e| e.to_string())?;
    println!("migrations applied to {url}");
    Ok(())
}

fn backup(args: BackupArgs) -> Result<(), String> {
    match database_url(&args.db)? {
        DatabaseUrl::Sqlite(path) => {
            let written = db::backup::sqlite(&path, &args.to, args.force).map_err(|e| e.to_string())?;
            println!("{} ({} bytes)", written.path.display(), written.bytes);
            Ok(())
        }
        DatabaseUrl::Postgres(_) => Err(
            "hep backup copies SQLite databases only; back up PostgreSQL with its own tools: \
             pg_dump -Fc -f hep.dump DATABASE_URL, and restore with pg_restore (see the README, Backup and restore)"
                .to_owned(),
        ),
    }
}

fn create_clinic(args: ClinicCreateArgs) -> Result<(), String> {
    let password = match std::env::var("HEP_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let admin = NewClinician::parse(&args.admin_email, &args.admin_name, "admin", &password)
        .map_err(|e| describe(&e))?;
    let pool = db::connect(&database_url(&args.db)?, 1).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let (clinic, _) =
        accounts::create_clinic(&mut conn, &args.name, admin).map_err(|e| describe(&e))?;
    println!("{}", clinic.id);
    Ok(())
}

/// An API error worded for the terminal, with each invalid field.
fn describe(err: &crate::error::AppError) -> String {
    match err {
        crate::error::AppError::Validation { fields, .. } if !fields.is_empty() => fields
            .iter()
            .map(|(field, message)| {
                let flag = match field.as_str() {
                    "email" => "--admin-email",
                    "name" => "--name / --admin-name",
                    "password" => "HEP_ADMIN_PASSWORD",
                    other => other,
                };
                format!("{flag}: {message}")
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
