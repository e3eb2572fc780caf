//! End-to-end checks of the handout: render, parse the PDF back with
//! lopdf, and look at what a reader (or a text extractor) would see; plus
//! layout-level checks of positions and pagination. This file holds the
//! shared fixtures (a standard program, requests, PDF text extraction);
//! the tests are grouped by topic in the files beside it.

mod anchor;
mod arbitrary_input;
mod page_layout;
mod pdf_file;
mod reading;
mod same_bytes;
mod sample;

use std::collections::HashMap;
use std::io::Cursor;

use chrono::NaiveDate;

use super::layout::{self, Element, Layout};
use super::*;
use crate::domain::dosage::Dosage;
use crate::domain::exercise::ExerciseSpec;
use crate::domain::ids::{ExerciseId, PrecautionId};
use crate::domain::program::{Item, Side, Version, VersionItem, VersionPrecaution};

const URL: &str = "https://hep.example/p/7Yq2mK9xLr4TzW8s";

fn spec(name: &str, steps: Vec<String>, cues: Vec<String>, stop_if: Option<&str>) -> ExerciseSpec {
    ExerciseSpec {
        slug: name.to_lowercase().replace(' ', "-"),
        name: name.to_owned(),
        aliases: Vec::new(),
        summary: format!("{name} summary"),
        regions: vec!["hip".into()],
        category: "strength".into(),
        difficulty: 3,
        movement: vec!["low-back-extension".into()],
        equipment: Vec::new(),
        position: "supine".into(),
        steps,
        cues,
        stop_if: stop_if.map(str::to_owned),
        dosage: dosage(3, Some(10), None),
        figure: None,
        drawn_like: None,
        conditions: Vec::new(),
        easier: None,
        harder: None,
    }
}

fn dosage(sets: i32, reps: Option<i32>, hold: Option<i32>) -> Dosage {
    Dosage {
        sets,
        reps,
        hold_seconds: hold,
        duration_seconds: None,
        distance_m: None,
        load: None,
        rest_seconds: None,
        each_side: false,
        times_per_day: 2,
        days_per_week: 5,
    }
}

fn item(id: &str, name: &str, note: Option<&str>) -> VersionItem {
    VersionItem {
        item: Item {
            exercise_id: ExerciseId::builtin(id),
            dosage: dosage(3, Some(10), Some(5)),
            side: Some(Side::Left),
            notes: note.map(str::to_owned),
            override_reason: None,
        },
        overridden: Vec::new(),
        exercise: spec(
            name,
            vec![
                "Lie on your back with your knees bent and feet flat on the floor.".into(),
                format!("Tighten your stomach and slowly do the {name} movement."),
                "Hold, then lower slowly back to the start.".into(),
            ],
            vec![
                "Breathe out as you push.".into(),
                "Keep your back flat.".into(),
            ],
            Some("you feel sharp pain in the hip or groin"),
        ),
    }
}

const NAMES: [&str; 5] = [
    "Bridge",
    "Clamshell",
    "Heel raise",
    "Wall push-up",
    "Seated knee extension",
];

fn version(items: Vec<VersionItem>, precautions: Vec<VersionPrecaution>) -> Version {
    Version {
        version: 3,
        title: "Hip strengthening — weeks 1 to 4".into(),
        notes: "Goal: walk to the shops without pain.\nDo the exercises slowly and with control."
            .into(),
        published_at: NaiveDate::from_ymd_opt(2025, 3, 10)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .unwrap(),
        therapist_name: "José Muñoz".into(),
        patient_display_name: "Zoë N.".into(),
        items,
        precautions,
        pictures: None,
    }
}

fn hip_precaution() -> VersionPrecaution {
    VersionPrecaution {
        id: PrecautionId::parse("hip-replacement-posterior").unwrap(),
        label: "After your hip replacement".into(),
        patient_avoid: "Crossing your legs or bending your hip past a right angle.".into(),
        patient_instead: "Sit on a high chair and keep a pillow between your knees.".into(),
        patient_caution: Some("Use a high, firm seat when you stand up from a chair.".into()),
        see_therapist_if: Some("your hip hurts more each week instead of less.".into()),
    }
}

fn standard_version() -> Version {
    version(
        NAMES
            .iter()
            .enumerate()
            .map(|(i, n)| {
                item(
                    &format!("ex-{i}"),
                    n,
                    (i == 1).then_some("Start with the red band."),
                )
            })
            .collect(),
        vec![hip_precaution()],
    )
}

fn clinic() -> ClinicInfo {
    ClinicInfo {
        name: "Harbour Physiotherapy".into(),
        contact_line: "12 Quay Street, Portsmouth · 023 9200 0000 · harbourphysio.example".into(),
        logo: None,
    }
}

fn request<'a>(
    clinic: &'a ClinicInfo,
    version: &'a Version,
    images: &'a HashMap<ExerciseId, Picture>,
) -> HandoutRequest<'a> {
    HandoutRequest {
        clinic,
        version,
        paper: Paper::Letter,
        large_print: false,
        compact: false,
        draft: false,
        share_url: Some(URL),
        images,
        date: NaiveDate::from_ymd_opt(2025, 3, 12).unwrap(),
    }
}

fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x / 3) as u8 ^ seed,
            (y / 2) as u8,
            160u8.wrapping_add(seed),
        ])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Text of each page, whitespace collapsed to single spaces.
fn page_texts(pdf: &[u8]) -> (lopdf::Document, Vec<String>) {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let texts = pages
        .iter()
        .map(|&p| {
            let text = doc.extract_text(&[p]).expect("extractable text");
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    (doc, texts)
}

fn content_for(req: &HandoutRequest<'_>) -> layout::Content {
    let fonts = fonts::get().unwrap();
    prepare(req, fonts).0
}

fn layout_for(req: &HandoutRequest<'_>) -> Layout {
    layout::layout(&content_for(req), fonts::get().unwrap())
}

fn assert_inside_the_page(layout: &Layout) {
    for (p, page) in layout.pages.iter().enumerate() {
        for e in &page.elements {
            match e {
                Element::Text(t) => {
                    assert!(
                        t.x >= layout.left - 0.01,
                        "page {p}: {:?} starts at {}",
                        t.text,
                        t.x
                    );
                    assert!(
                        t.right() <= layout.right + 0.01,
                        "page {p}: {:?} ends at {}",
                        t.text,
                        t.right()
                    );
                    assert!(
                        t.top() >= 0.0 && t.bottom() <= layout.height,
                        "page {p}: {:?} off the page",
                        t.text
                    );
                }
                Element::Image(i) => {
                    assert!(i.x >= layout.left - 0.01 && i.x + i.w <= layout.right + 0.01);
                    assert!(i.y >= 0.0 && i.y + i.h <= layout.height);
                }
                Element::Rect(r) => {
                    assert!(
                        r.x >= layout.left - 0.01 && r.x + r.w <= layout.right + 0.01,
                        "rect {r:?}"
                    );
                    assert!(r.y >= 0.0 && r.y + r.h <= layout.height, "rect {r:?}");
                }
                _ => {}
            }
        }
    }
}
