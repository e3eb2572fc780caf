//! The anchor handout of `/work/shared/perf` (a 10-exercise knee program,
//! one 300×200 PNG per exercise, an avoid box) rendered by hep, to compare
//! with the Typst runner there on the same machine in the same run.
//! First `python3 /work/shared/perf/anchor.py` (writes `data0.json` and
//! `img/` under `$PERF_OUT`, default `hep-perf-anchor` in the temp folder),
//! then `cargo bench --bench handout_anchor`. Warm caches, Letter, standard
//! print, the share URL (and so its QR code) in every footer; prints the page
//! count and PDF size once (and writes the PDF to `$HANDOUT_PDF` if set,
//! to look at). With `HANDOUT_LOOP=100` the binary renders that
//! many handouts instead and exits, for peak memory (`/usr/bin/time -v`).

// A benchmark fixture: failing loudly is what we want.
#![allow(clippy::expect_used)]

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{criterion_group, Criterion};
use hep::domain::dosage::Dosage;
use hep::domain::exercise::ExerciseSpec;
use hep::domain::ids::{ExerciseId, PrecautionId};
use hep::domain::program::{Item, Version, VersionItem, VersionPrecaution};
use hep::handout::{self, ClinicInfo, HandoutRequest, Paper, Picture};
use serde::Deserialize;

/// `data0.json` as anchor.py writes it.
#[derive(Deserialize)]
struct Anchor {
    clinic: String,
    patient: String,
    date: NaiveDate,
    therapist: String,
    program: String,
    url: String,
    avoid: Vec<String>,
    exercises: Vec<AnchorExercise>,
}

#[derive(Deserialize)]
struct AnchorExercise {
    name: String,
    dose: String,
    steps: Vec<String>,
    img: PathBuf,
}

fn perf_out() -> PathBuf {
    std::env::var_os("PERF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("hep-perf-anchor"))
}

/// "3 sets x 10 reps, hold 5 s, 2x/day" or "2 sets x 20 reps, no hold,
/// 3x/day" as a dosage, every day of the week.
fn dosage(dose: &str) -> Dosage {
    let first_number = |part: &str| -> Option<i32> {
        part.split(|c: char| !c.is_ascii_digit())
            .find(|t| !t.is_empty())
            .and_then(|t| t.parse().ok())
    };
    let parts: Vec<&str> = dose.split(',').map(str::trim).collect();
    let (sets, reps) = parts[0].split_once(" x ").expect("sets x reps");
    Dosage {
        sets: first_number(sets).expect("sets"),
        reps: first_number(reps),
        hold_seconds: parts
            .iter()
            .find(|p| p.starts_with("hold"))
            .and_then(|p| first_number(p)),
        duration_seconds: None,
        distance_m: None,
        load: None,
        rest_seconds: None,
        each_side: false,
        times_per_day: parts
            .iter()
            .find(|p| p.ends_with("/day"))
            .and_then(|p| first_number(p))
            .expect("times a day"),
        days_per_week: 7,
    }
}

struct Fixture {
    clinic: ClinicInfo,
    version: Version,
    images: HashMap<ExerciseId, Picture>,
    url: String,
    date: NaiveDate,
}

impl Fixture {
    fn load() -> Self {
        let path = perf_out().join("data0.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run python3 /work/shared/perf/anchor.py",
                path.display()
            )
        });
        let anchor: Anchor = serde_json::from_str(&text).expect("data0.json");
        let mut images = HashMap::new();
        let items = anchor
            .exercises
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let exercise_id = ExerciseId::builtin(&format!("anchor-{i}"));
                let bytes = std::fs::read(&e.img).expect("picture");
                images.insert(exercise_id, Picture::from_bytes(bytes));
                let dosage = dosage(&e.dose);
                VersionItem {
                    item: Item {
                        exercise_id,
                        dosage,
                        side: None,
                        notes: None,
                        override_reason: None,
                    },
                    overridden: Vec::new(),
                    exercise: ExerciseSpec {
                        slug: format!("anchor-{i}"),
                        name: e.name.clone(),
                        aliases: Vec::new(),
                        summary: String::new(),
                        regions: vec!["knee".into()],
                        category: "strength".into(),
                        difficulty: 1,
                        movement: Vec::new(),
                        equipment: Vec::new(),
                        position: "lying".into(),
                        steps: e.steps.clone(),
                        cues: Vec::new(),
                        stop_if: None,
                        dosage,
                        figure: None,
                        drawn_like: None,
                        conditions: Vec::new(),
                        easier: None,
                        harder: None,
                    },
                }
            })
            .collect();
        // hep's avoid box prints precautions (label, "Avoid:", "Do this
        // instead:"); the anchor has two lines to avoid and nothing instead.
        let precautions = vec![VersionPrecaution {
            id: PrecautionId::parse("knee-anchor").expect("slug"),
            label: "Your knee".into(),
            patient_avoid: anchor.avoid.join(" "),
            patient_instead: String::new(),
            patient_caution: None,
            see_therapist_if: None,
        }];
        let version = Version {
            version: 1,
            title: anchor.program,
            notes: String::new(),
            published_at: anchor.date.and_hms_opt(9, 0, 0).expect("time"),
            therapist_name: anchor.therapist,
            patient_display_name: anchor.patient,
            items,
            precautions,
            pictures: None,
        };
        Fixture {
            clinic: ClinicInfo {
                name: anchor.clinic,
                contact_line: String::new(),
                logo: None,
            },
            version,
            images,
            url: anchor.url,
            date: anchor.date,
        }
    }

    fn request(&self) -> HandoutRequest<'_> {
        HandoutRequest {
            clinic: &self.clinic,
            version: &self.version,
            paper: Paper::Letter,
            // `HANDOUT_LAYOUT=compact|large`; standard by default.
            large_print: layout() == "large",
            compact: layout() == "compact",
            draft: false,
            share_url: Some(&self.url),
            images: &self.images,
            date: self.date,
        }
    }
}

fn pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf)
        .expect("a PDF")
        .get_pages()
        .len()
}

fn bench(c: &mut Criterion) {
    let f = Fixture::load();
    let req = f.request();
    // The first render fills the picture and QR caches.
    let pdf = handout::render(&req).expect("render");
    eprintln!("anchor handout: {} pages, {} bytes", pages(&pdf), pdf.len());
    if let Some(path) = std::env::var_os("HANDOUT_PDF") {
        std::fs::write(&path, &pdf).expect("write HANDOUT_PDF");
    }
    c.bench_function("handout_anchor_letter_warm", |b| {
        b.iter(|| handout::render(&req).expect("render"))
    });
}

criterion_group!(benches, bench);

fn main() {
    if let Some(n) = std::env::var("HANDOUT_LOOP")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let f = Fixture::load();
        let req = f.request();
        let bytes: usize = (0..n)
            .map(|_| handout::render(&req).expect("render").len())
            .sum();
        eprintln!("{n} anchor handouts rendered, {bytes} bytes in all");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

/// The layout the bench renders (`HANDOUT_LAYOUT`), standard by default.
fn layout() -> String {
    std::env::var("HANDOUT_LAYOUT").unwrap_or_default()
}
