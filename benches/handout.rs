//! Rendering a printable handout: 10 exercises, each with its own 600×400
//! PNG picture, Letter, with a share link and QR code; prints the PDF size.
//! Run: `cargo bench --bench handout`. With `HANDOUT_LOOP=100` the binary
//! renders that many handouts instead and exits, for measuring peak memory
//! (`/usr/bin/time -v`).

// A benchmark fixture: failing loudly is what we want.
#![allow(clippy::expect_used)]

use std::collections::HashMap;
use std::io::Cursor;

use chrono::NaiveDate;
use criterion::{criterion_group, Criterion};
use hep::domain::dosage::Dosage;
use hep::domain::exercise::ExerciseSpec;
use hep::domain::ids::{ExerciseId, PrecautionId};
use hep::domain::program::{Item, Side, Version, VersionItem, VersionPrecaution};
use hep::handout::{self, ClinicInfo, HandoutRequest, Paper, Picture};

const NAMES: [&str; 10] = [
    "Bridge",
    "Clamshell",
    "Heel raise",
    "Wall push-up",
    "Seated knee extension",
    "Side-lying hip abduction",
    "Mini squat",
    "Step-up",
    "Standing hamstring curl",
    "Calf stretch",
];

/// A catalog-style line illustration: a figure on a mat, posed
/// differently for each seed.
fn picture(seed: u32) -> Vec<u8> {
    let (w, h) = (600u32, 400u32);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([250, 251, 252]));
    let mut disc = |cx: f32, cy: f32, r: f32, c: [u8; 3]| {
        let (x0, x1) = ((cx - r).max(0.0) as u32, ((cx + r) as u32 + 1).min(w));
        let (y0, y1) = ((cy - r).max(0.0) as u32, ((cy + r) as u32 + 1).min(h));
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                if dx * dx + dy * dy <= r * r {
                    img.put_pixel(x, y, image::Rgb(c));
                }
            }
        }
    };
    for x in (40..560).step_by(4) {
        disc(x as f32, 338.0, 7.0, [200, 214, 217]);
    }
    let lift = seed as f32 * 9.0;
    disc(130.0, 290.0 - lift / 3.0, 34.0, [60, 70, 76]);
    let mut limb = |x0: f32, y0: f32, x1: f32, y1: f32| {
        for i in 0..=60 {
            let t = i as f32 / 60.0;
            disc(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, 13.0, [31, 111, 120]);
        }
    };
    limb(165.0, 300.0 - lift / 3.0, 330.0, 300.0 - lift);
    limb(330.0, 300.0 - lift, 410.0, 200.0 - lift / 2.0);
    limb(410.0, 200.0 - lift / 2.0, 470.0, 320.0);
    limb(200.0, 300.0, 300.0 - lift, 320.0 - lift);
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("PNG");
    out
}

fn version() -> Version {
    let dosage = Dosage {
        sets: 3,
        reps: Some(10),
        hold_seconds: Some(5),
        duration_seconds: None,
        distance_m: None,
        load: None,
        rest_seconds: None,
        each_side: false,
        times_per_day: 2,
        days_per_week: 5,
    };
    let items = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| VersionItem {
            item: Item {
                exercise_id: ExerciseId::builtin(&format!("ex-{i}")),
                dosage,
                side: (i % 2 == 0).then_some(Side::Left),
                notes: (i % 3 == 0).then(|| "Go slowly; a little muscle ache is fine.".to_owned()),
                override_reason: None,
            },
            overridden: Vec::new(),
            exercise: ExerciseSpec {
                slug: format!("exercise-{i}"),
                name: (*name).to_owned(),
                aliases: Vec::new(),
                summary: String::new(),
                regions: vec!["hip".into()],
                category: "strength".into(),
                difficulty: 2,
                movement: vec!["low-back-extension".into()],
                equipment: Vec::new(),
                position: "standing".into(),
                steps: vec![
                    "Stand tall with your feet hip-width apart, holding a chair for balance."
                        .into(),
                    format!("Slowly do the {name} movement as far as is comfortable."),
                    "Hold, then return to the start position with control.".into(),
                ],
                cues: vec![
                    "Breathe out as you push.".into(),
                    "Keep your back straight.".into(),
                ],
                stop_if: Some("you feel sharp or shooting pain".into()),
                dosage,
                figure: None,
                drawn_like: None,
                conditions: Vec::new(),
                easier: None,
                harder: None,
            },
        })
        .collect();
    Version {
        version: 3,
        title: "Hip strengthening — weeks 1 to 4".into(),
        notes: "Goal: walk to the shops without pain.".into(),
        published_at: NaiveDate::from_ymd_opt(2025, 3, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("date"),
        therapist_name: "José Muñoz".into(),
        patient_display_name: "Zoë N.".into(),
        items,
        precautions: vec![VersionPrecaution {
            id: PrecautionId::parse("hip-replacement-posterior").expect("slug"),
            label: "After your hip replacement".into(),
            patient_avoid: "Crossing your legs or bending your hip past a right angle.".into(),
            patient_instead: "Sit on a high chair and keep a pillow between your knees.".into(),
            patient_caution: None,
            see_therapist_if: None,
        }],
        pictures: None,
    }
}

struct Fixture {
    clinic: ClinicInfo,
    version: Version,
    images: HashMap<ExerciseId, Picture>,
    none: HashMap<ExerciseId, Picture>,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            clinic: ClinicInfo {
                name: "Harbour Physiotherapy".into(),
                contact_line: "12 Quay Street, Portsmouth · 023 9200 0000".into(),
                logo: None,
            },
            version: version(),
            images: (0..10)
                .map(|i| {
                    (
                        ExerciseId::builtin(&format!("ex-{i}")),
                        Picture::from_bytes(picture(i)),
                    )
                })
                .collect(),
            none: HashMap::new(),
        }
    }

    fn request(&self, with_images: bool) -> HandoutRequest<'_> {
        HandoutRequest {
            clinic: &self.clinic,
            version: &self.version,
            paper: Paper::Letter,
            large_print: false,
            compact: false,
            draft: false,
            share_url: Some("https://hep.example/p/7Yq2mK9xLr4TzW8s"),
            images: if with_images {
                &self.images
            } else {
                &self.none
            },
            date: NaiveDate::from_ymd_opt(2025, 3, 12).expect("date"),
        }
    }
}

fn bench(c: &mut Criterion) {
    let f = Fixture::new();
    let req = f.request(true);
    let pdf = handout::render(&req).expect("render");
    eprintln!(
        "handout PDF: {} bytes (10 exercises, 10 pictures)",
        pdf.len()
    );

    c.bench_function("handout_10_exercises_10_pictures_letter", |b| {
        b.iter(|| handout::render(&req).expect("render"))
    });
    c.bench_function(
        "handout_10_exercises_10_pictures_letter_cold_image_cache",
        |b| {
            b.iter(|| {
                handout::clear_image_cache();
                handout::render(&req).expect("render")
            })
        },
    );
    let plain = f.request(false);
    c.bench_function("handout_10_exercises_no_pictures_letter", |b| {
        b.iter(|| handout::render(&plain).expect("render"))
    });
}

criterion_group!(benches, bench);

fn main() {
    if let Some(n) = std::env::var("HANDOUT_LOOP")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let f = Fixture::new();
        let req = f.request(true);
        let bytes: usize = (0..n)
            .map(|_| handout::render(&req).expect("render").len())
            .sum();
        eprintln!("{n} handouts rendered, {bytes} bytes in all");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
