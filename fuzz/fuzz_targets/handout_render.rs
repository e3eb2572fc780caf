//! The handout renderer fed arbitrary Unicode text in every field a clinic,
//! clinician or catalog can fill, and arbitrary dosage numbers (raw, not
//! only the validated range). It must never panic and must always produce a
//! PDF, or the one documented error (a share URL too long for a QR code).
//! Sizes are bounded so one input cannot be legitimately huge.
#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use hep::domain::dosage::Dosage;
use hep::domain::exercise::ExerciseSpec;
use hep::domain::ids::{ExerciseId, PrecautionId};
use hep::domain::program::{Item, Side, Version, VersionItem, VersionPrecaution};
use hep::handout::{render, ClinicInfo, HandoutError, HandoutRequest, Paper};
use libfuzzer_sys::fuzz_target;

/// Longest text kept per field (characters).
const TEXT: usize = 600;

#[derive(Debug, Arbitrary)]
struct Input {
    clinic_name: String,
    contact_line: String,
    title: String,
    notes: String,
    therapist: String,
    patient: String,
    share_url: Option<String>,
    version: i32,
    a4: bool,
    large_print: bool,
    draft: bool,
    day: u16,
    items: Vec<ItemIn>,
    precautions: Vec<PrecautionIn>,
}

#[derive(Debug, Arbitrary)]
struct ItemIn {
    name: String,
    steps: Vec<String>,
    cues: Vec<String>,
    stop_if: Option<String>,
    note: Option<String>,
    side: u8,
    sets: i32,
    reps: Option<i32>,
    hold_seconds: Option<i32>,
    times_per_day: i32,
    days_per_week: i32,
}

#[derive(Debug, Arbitrary)]
struct PrecautionIn {
    label: String,
    avoid: String,
    instead: String,
}

fn cut(text: &str) -> String {
    text.chars().take(TEXT).collect()
}

fn cut_all(texts: &[String], most: usize) -> Vec<String> {
    texts.iter().take(most).map(|t| cut(t)).collect()
}

fn item(i: usize, input: &ItemIn) -> VersionItem {
    let dosage = Dosage {
        sets: input.sets,
        reps: input.reps,
        hold_seconds: input.hold_seconds,
        times_per_day: input.times_per_day,
        days_per_week: input.days_per_week,
    };
    VersionItem {
        item: Item {
            exercise_id: ExerciseId::builtin(&format!("ex-{i}")),
            dosage,
            side: match input.side % 5 {
                0 => None,
                1 => Some(Side::Left),
                2 => Some(Side::Right),
                3 => Some(Side::Both),
                _ => Some(Side::Alternating),
            },
            notes: input.note.as_deref().map(cut),
            override_reason: None,
        },
        exercise: ExerciseSpec {
            slug: format!("ex-{i}"),
            name: cut(&input.name),
            aliases: Vec::new(),
            summary: String::new(),
            regions: Vec::new(),
            category: String::new(),
            movement: Vec::new(),
            equipment: Vec::new(),
            position: String::new(),
            steps: cut_all(&input.steps, 8),
            cues: cut_all(&input.cues, 5),
            stop_if: input.stop_if.as_deref().map(cut),
            dosage,
        },
    }
}

fuzz_target!(|input: Input| {
    let clinic = ClinicInfo {
        name: cut(&input.clinic_name),
        contact_line: cut(&input.contact_line),
        logo: None,
    };
    let date = NaiveDate::from_ymd_opt(2020, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(input.day))))
        .unwrap_or_default();
    let version = Version {
        version: input.version,
        title: cut(&input.title),
        notes: cut(&input.notes),
        published_at: date.and_hms_opt(9, 0, 0).unwrap_or_default(),
        therapist_name: cut(&input.therapist),
        patient_display_name: cut(&input.patient),
        items: input
            .items
            .iter()
            .take(12)
            .enumerate()
            .map(|(i, it)| item(i, it))
            .collect(),
        precautions: input
            .precautions
            .iter()
            .take(4)
            .enumerate()
            .map(|(i, p)| VersionPrecaution {
                id: PrecautionId::parse(&format!("p-{i}")).expect("a slug"),
                label: cut(&p.label),
                patient_avoid: cut(&p.avoid),
                patient_instead: cut(&p.instead),
            })
            .collect(),
        pictures: None,
    };
    let share_url = input.share_url.as_deref().map(cut);
    let images = HashMap::new();
    let result = render(&HandoutRequest {
        clinic: &clinic,
        version: &version,
        paper: if input.a4 { Paper::A4 } else { Paper::Letter },
        large_print: input.large_print,
        draft: input.draft,
        share_url: share_url.as_deref(),
        images: &images,
        date,
    });
    match result {
        Ok(pdf) => assert!(pdf.starts_with(b"%PDF"), "not a PDF"),
        Err(HandoutError::ShareUrl(_)) => {}
        Err(other) => panic!("render failed: {other}"),
    }
});
