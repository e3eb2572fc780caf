//! End-to-end checks of the handout: render, parse the PDF back with
//! lopdf, and look at what a reader (or a text extractor) would see; plus
//! layout-level checks of positions and pagination.

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

use chrono::NaiveDate;

use super::layout::{self, BlockKind, Element, Face, Layout, Metrics};
use super::*;
use crate::domain::dosage::Dosage;
use crate::domain::exercise::ExerciseSpec;
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
        movement: vec!["extension".into()],
        equipment: Vec::new(),
        position: "supine".into(),
        steps,
        cues,
        stop_if: stop_if.map(str::to_owned),
        dosage: dosage(3, Some(10), None),
    }
}

fn dosage(sets: i32, reps: Option<i32>, hold: Option<i32>) -> Dosage {
    Dosage {
        sets,
        reps,
        hold_seconds: hold,
        times_per_day: 2,
        days_per_week: 5,
    }
}

fn item(id: &str, name: &str, note: Option<&str>) -> VersionItem {
    VersionItem {
        item: Item {
            exercise_id: id.to_owned(),
            dosage: dosage(3, Some(10), Some(5)),
            side: Some(Side::Left),
            notes: note.map(str::to_owned),
            override_reason: None,
        },
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
        id: "hip-replacement-posterior".into(),
        label: "After your hip replacement".into(),
        patient_avoid: "Crossing your legs or bending your hip past a right angle.".into(),
        patient_instead: "Sit on a high chair and keep a pillow between your knees.".into(),
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
    images: &'a HashMap<String, Picture>,
) -> HandoutRequest<'a> {
    HandoutRequest {
        clinic,
        version,
        paper: Paper::Letter,
        large_print: false,
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

fn image_xobjects(doc: &lopdf::Document) -> Vec<&lopdf::Stream> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image".as_slice())
        })
        .collect()
}

#[test]
fn the_handout_reads_clinic_patient_exercises_in_order_dosages_and_the_avoid_box() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let (_, pages) = page_texts(&pdf);
    let all = pages.join(" ");

    for expected in [
        "Harbour Physiotherapy",
        "Zoë",
        "José Muñoz",
        "Hip strengthening — weeks 1 to 4",
        "12 March 2025",
        "Version 3",
        "Goal: walk to the shops without pain.",
        "Start with the red band.",
        "Stop if:",
        "Avoid / do this instead",
        "After your hip replacement",
        "Crossing your legs or bending your hip past a right angle.",
        "Do this instead:",
        "Sit on a high chair and keep a pillow between your knees.",
        "Weekly log",
        "Pain 0-10",
        URL,
    ] {
        assert!(all.contains(expected), "missing {expected:?} in {all}");
    }
    let mut last = 0;
    for name in NAMES {
        let at = all[last..].find(name).map(|i| i + last);
        let at = at.unwrap_or_else(|| panic!("{name} missing or out of order"));
        last = at + name.len();
    }
    for vi in &v.items {
        let line = vi.item.dosage_line();
        assert_eq!(
            line,
            "3 sets of 10 reps · hold 5 s · twice a day · 5 days a week · left side"
        );
        assert!(all.contains(&line), "dosage line missing");
    }
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {i}: {page}"
        );
        assert!(page.contains("Version 3"));
        assert!(page.contains(URL), "share link on every page");
    }
}

#[test]
fn metadata_has_the_title_and_no_patient_data() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_object(info_ref).unwrap().as_dict().unwrap();
    let text = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .unwrap_or_default()
    };
    assert_eq!(text(b"Title"), "Home exercise program");
    assert!(text(b"Author").is_empty() || text(b"Author") == clinic.name);
    assert!(text(b"Subject").is_empty());
    assert!(text(b"Keywords").is_empty());
    for (key, value) in info.iter() {
        let value = lopdf::decode_text_string(value).unwrap_or_default();
        for secret in ["Zoë", "Zoe", "José", "Hip strengthening"] {
            assert!(
                !value.contains(secret),
                "{secret} in /{}",
                String::from_utf8_lossy(key)
            );
        }
    }
    // Nor anywhere outside the page content (e.g. XMP metadata).
    assert!(!pdf.windows("Zoë".len()).any(|w| w == "Zoë".as_bytes()));
}

#[test]
fn file_names_carry_no_patient_data() {
    assert_eq!(file_name(3, false), "home-exercise-program-v3.pdf");
    assert_eq!(file_name(3, true), "home-exercise-program-draft.pdf");
}

#[test]
fn the_fonts_are_embedded_as_unicode_subsets() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        fonts += 1;
        let name =
            String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        assert!(
            name.contains('+') && name.contains("DejaVuSans"),
            "subset tag in {name}"
        );
        assert!(dict.get(b"ToUnicode").is_ok(), "{name} has a ToUnicode map");
    }
    assert_eq!(fonts, 2, "regular and bold");
    for obj in doc.objects.values() {
        if let Ok(stream) = obj.as_stream() {
            if let Ok(len) = stream.dict.get(b"Length1").and_then(|l| l.as_i64()) {
                assert!(
                    len < 150_000,
                    "a font program of {len} bytes is not a subset"
                );
            }
        }
    }
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
}

#[test]
fn unicode_names_survive_text_extraction() {
    let samples = ["Zoë Nguyễn", "José Muñoz", "Łukasz", "Ørsted", "25 °C", "—"];
    let clinic = ClinicInfo {
        name: "Łukasz & Ørsted Fysio".into(),
        ..clinic()
    };
    let mut v = standard_version();
    v.patient_display_name = "Zoë Nguyễn".into();
    v.notes = "Keep the room at 25 °C — not colder.".into();
    let images = HashMap::new();
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let (_, pages) = page_texts(&pdf);
    let all = pages.join(" ");
    for s in samples {
        assert!(all.contains(s), "{s:?} lost in extraction");
    }
}

#[test]
fn characters_the_font_lacks_are_replaced_visibly_not_dropped() {
    let fonts = fonts::get().unwrap();
    let mut missing = BTreeSet::new();
    // DejaVu Sans has the classic emoticons (😀) but no CJK and nothing in
    // the private-use planes.
    let cleaned = fonts.clean("Bridge 😀🦠 x\u{10FFFD}y 字字", &mut missing);
    assert_eq!(cleaned, "Bridge 😀\u{FFFD} x\u{FFFD}y \u{FFFD}\u{FFFD}");
    assert_eq!(
        missing,
        BTreeSet::from([0x5B57, 0x1F9A0, 0x10FFFD]),
        "each code point once"
    );

    let mut v = standard_version();
    v.items[0].exercise.name = "Bridge 字".into();
    v.items[0].item.notes = Some("x\u{10FFFD}y".into());
    let (clinic, images) = (clinic(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let (_, pages) = page_texts(&pdf);
    let all = pages.join(" ");
    assert!(all.contains("Bridge \u{FFFD}"), "{all}");
    assert!(all.contains("x\u{FFFD}y"));
    assert!(!all.contains('字'));
}

#[test]
fn the_footer_qr_code_is_a_vector_drawing_of_exactly_the_share_link() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let req = request(&clinic, &v, &images);
    let pdf = render(&req).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(
        image_xobjects(&doc).is_empty(),
        "no raster image for the QR code"
    );
    let forms: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Form".as_slice())
        })
        .collect();
    assert_eq!(forms.len(), 1, "one vector drawing, placed on every page");
    let drawn = forms[0].decompressed_content().unwrap();

    // Read the module grid back from the drawing and compare it with the
    // qrcode crate's own symbol for the link.
    let qr = qr::QrMatrix::new(URL).unwrap();
    assert_eq!(drawn, pdf::qr_form_content(&qr));
    let reference = qrcode::QrCode::with_error_correction_level(URL, qrcode::EcLevel::M).unwrap();
    let (w, q) = (reference.width(), qr::QUIET_ZONE);
    let n = w + 2 * q;
    let mut grid = vec![false; n * n];
    for line in String::from_utf8(drawn).unwrap().lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        if parts.last() != Some(&"re") {
            continue;
        }
        let num = |i: usize| parts[i].parse::<usize>().unwrap();
        let (x, y_up, len) = (num(0), num(1), num(2));
        assert_eq!(parts[3], "1");
        let row = n - 1 - y_up;
        for c in x..x + len {
            assert!(!grid[row * n + c]);
            grid[row * n + c] = true;
        }
    }
    let colors = reference.to_colors();
    for y in 0..n {
        for x in 0..n {
            let inside = (q..q + w).contains(&x) && (q..q + w).contains(&y);
            let dark = inside && colors[(y - q) * w + (x - q)] == qrcode::Color::Dark;
            assert_eq!(grid[y * n + x], dark, "module ({x}, {y})");
        }
    }

    // On every page: one code of about 18 mm, nothing drawn over it.
    let layout = layout_for(&req);
    for page in &layout.pages {
        let els: Vec<_> = page
            .elements
            .iter()
            .filter_map(|e| match e {
                Element::Qr(q) => Some(*q),
                _ => None,
            })
            .collect();
        assert_eq!(els.len(), 1, "one QR code per page");
        let el = els[0];
        assert!((el.size / layout::MM - 18.0).abs() < 0.5, "about 18 mm");
        for e in &page.elements {
            if let Element::Text(t) = e {
                let overlaps = t.right() > el.x
                    && t.x < el.x + el.size
                    && t.bottom() > el.y
                    && t.top() < el.y + el.size;
                assert!(!overlaps, "{:?} overlaps the QR code", t.text);
            }
        }
    }
}

fn long_version(n: usize) -> Version {
    let long_word = "Supercalifragilisticexpialidocious".repeat(4);
    let note = format!(
        "Keep the movement slow and controlled, and stop if the pain goes above 5 out of 10. {long_word} \
         Make sure your knee stays in line with your second toe throughout, and rest for a minute between sets. \
         https://example.org/a/really/long/path/that/never/breaks/with/spaces/anywhere/in/it/at/all/ever \
         Remember to breathe and do not hold your breath while you do this exercise today."
    );
    assert!(note.chars().count() >= 450);
    let items = (0..n)
        .map(|i| {
            let mut it = item(
                &format!("ex-{i}"),
                &format!("{} {i}", NAMES[i % NAMES.len()]),
                Some(&note),
            );
            if i % 7 == 3 {
                it.exercise.steps = (0..7)
                    .map(|k| format!("Step {k}: {}", note.chars().take(380).collect::<String>()))
                    .collect();
                it.exercise.cues = (0..4).map(|_| note.chars().take(300).collect()).collect();
            }
            it
        })
        .collect();
    let mut v = version(items, vec![hip_precaution(); 6]);
    v.notes = note.repeat(4);
    v
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

#[test]
fn fifty_long_items_paginate_with_every_text_inside_the_page_box() {
    let (clinic, v) = (clinic(), long_version(50));
    let img = png(600, 400, 1);
    let images: HashMap<String, Picture> = (0..50)
        .step_by(3)
        .map(|i| (format!("ex-{i}"), Picture::from_bytes(img.clone())))
        .collect();
    for paper in [Paper::Letter, Paper::A4] {
        for large_print in [false, true] {
            let mut req = request(&clinic, &v, &images);
            req.paper = paper;
            req.large_print = large_print;
            let layout = layout_for(&req);
            assert!(layout.pages.len() > 5, "{paper:?} {large_print}");
            assert_inside_the_page(&layout);
            let pdf = render(&req).unwrap();
            let (_, pages) = page_texts(&pdf);
            assert_eq!(pages.len(), layout.pages.len());
            assert!(pages.concat().contains("Seated knee extension 49"));
        }
    }
}

#[test]
fn blocks_that_fit_a_page_are_never_split_and_headings_keep_two_lines() {
    let (clinic, v, images) = (clinic(), long_version(50), HashMap::new());
    for large_print in [false, true] {
        let mut req = request(&clinic, &v, &images);
        req.large_print = large_print;
        let layout = layout_for(&req);
        let mut split = 0;
        for b in &layout.blocks {
            if b.height <= layout.fresh_capacity {
                assert_eq!(b.pages.len(), 1, "{:?} fits a page but was split", b.kind);
            } else {
                split += 1;
                assert!(b.pages.windows(2).all(|w| w[1] == w[0] + 1));
            }
        }
        if large_print {
            assert!(split > 0, "large print has blocks taller than a page");
        }
        // Where an exercise block is split, its heading has at least two
        // lines of body text below it on the same page.
        let body = if large_print { 16.0 } else { 10.5 };
        let heading = if large_print { 18.0 } else { 13.0 };
        for b in layout.blocks.iter().filter(|b| b.pages.len() > 1) {
            let BlockKind::Exercise(i) = b.kind else {
                continue;
            };
            let page = &layout.pages[b.pages[0]];
            let name = &v.items[i].exercise.name;
            let head = page.elements.iter().find_map(|e| match e {
                Element::Text(t)
                    if t.face == Face::Bold
                        && t.size == heading
                        && t.text.starts_with(name.as_str()) =>
                {
                    Some(t.baseline)
                }
                _ => None,
            });
            let head = head.unwrap_or_else(|| panic!("heading of {name} on its first page"));
            let below = page
                .elements
                .iter()
                .filter(|e| matches!(e, Element::Text(t) if t.size == body && t.baseline > head))
                .count();
            assert!(below >= 2, "{name}: {below} lines below its heading");
        }
    }
}

#[test]
fn large_print_sets_body_text_at_sixteen_points_or_more() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let mut req = request(&clinic, &v, &images);
    req.large_print = true;
    let layout = layout_for(&req);
    let texts: Vec<_> = layout
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .filter_map(|e| match e {
            Element::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    let step = texts
        .iter()
        .find(|t| t.text.starts_with("Lie on your back"))
        .unwrap();
    assert!(step.size >= 16.0);
    let dose = texts
        .iter()
        .find(|t| t.text.starts_with("3 sets of 10 reps"))
        .unwrap();
    assert!(dose.size >= 16.0);
    let smallest = texts.iter().map(|t| t.size).fold(f32::MAX, f32::min);
    assert!(
        smallest >= 12.0,
        "even the footer is at least 12 pt in large print"
    );
}

#[test]
fn drafts_carry_a_watermark_on_every_page() {
    let (clinic, v, images) = (clinic(), long_version(8), HashMap::new());
    let mut req = request(&clinic, &v, &images);
    req.draft = true;
    let layout = layout_for(&req);
    assert!(layout.pages.len() > 1);
    for page in &layout.pages {
        assert!(matches!(page.elements.last(), Some(Element::Watermark(w)) if w.text == "DRAFT"));
    }
    let (_, pages) = page_texts(&render(&req).unwrap());
    assert!(pages.iter().all(|p| p.contains("DRAFT")));
    req.draft = false;
    let (_, pages) = page_texts(&render(&req).unwrap());
    assert!(pages.iter().all(|p| !p.contains("DRAFT")));
}

#[test]
fn exercise_images_and_the_logo_are_embedded_once_each_as_jpeg() {
    let clinic = ClinicInfo {
        logo: Some(png(300, 120, 9)),
        ..clinic()
    };
    let v = standard_version();
    let shared = png(600, 400, 1);
    let images: HashMap<String, Picture> = [
        ("ex-0".to_owned(), Picture::from_bytes(shared.clone())),
        ("ex-2".to_owned(), Picture::from_bytes(shared)),
        ("ex-3".to_owned(), Picture::from_bytes(png(400, 600, 2))),
        (
            "ex-4".to_owned(),
            Picture::from_bytes(b"not an image".to_vec()),
        ),
    ]
    .into();
    let req = request(&clinic, &v, &images);
    let layout = layout_for(&req);
    let placed = layout
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .filter(|e| matches!(e, Element::Image(_)))
        .count();
    assert_eq!(
        placed, 4,
        "three exercise pictures and the logo; the broken one is left out"
    );
    assert_inside_the_page(&layout);
    let pdf = render(&req).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let xobjects = image_xobjects(&doc);
    assert_eq!(xobjects.len(), 3, "the shared picture is embedded once");
    for x in xobjects {
        assert_eq!(
            x.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"DCTDecode"
        );
    }
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
}

#[test]
fn a_handout_without_notes_or_precautions_leaves_those_sections_out() {
    let mut v = standard_version();
    v.notes = "  ".into();
    v.precautions.clear();
    let (clinic, images) = (clinic(), HashMap::new());
    let mut req = request(&clinic, &v, &images);
    req.share_url = None;
    let (_, pages) = page_texts(&render(&req).unwrap());
    let all = pages.join(" ");
    assert!(!all.contains("Goals and notes"));
    assert!(!all.contains("Avoid / do this instead"));
    assert!(!all.contains("Scan the code"));
    assert!(all.contains("Bridge") && all.contains("Weekly log"));
}

#[test]
fn a4_pages_are_a4_and_letter_pages_are_letter() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    for (paper, w, h) in [(Paper::Letter, 612.0, 792.0), (Paper::A4, 595.28, 841.89)] {
        let mut req = request(&clinic, &v, &images);
        req.paper = paper;
        let doc = lopdf::Document::load_mem(&render(&req).unwrap()).unwrap();
        for (_, id) in doc.get_pages() {
            let page = doc.get_dictionary(id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let num =
                |o: &lopdf::Object| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32);
            assert!(
                (num(&mb[2]) - w).abs() < 0.1 && (num(&mb[3]) - h).abs() < 0.1,
                "{paper:?}"
            );
        }
    }
}

#[test]
fn wrapped_text_uses_the_fonts_real_widths() {
    let fonts = fonts::get().unwrap();
    // DejaVu Sans: "i" is much narrower than "W".
    assert!(
        fonts.width(Face::Regular, 10.0, "iiii") < fonts.width(Face::Regular, 10.0, "WWWW") / 2.0
    );
    assert!(fonts.width(Face::Bold, 10.0, "Bridge") > fonts.width(Face::Regular, 10.0, "Bridge"));
    let lines = layout::wrap(fonts, Face::Regular, 10.0, "WWWWWWWWWW iiiiiiiiii", 80.0);
    assert!(lines.iter().all(|(_, w)| *w <= 80.0));
}

/// A simple line drawing: a figure lying on a mat, knees bent.
fn illustration() -> Vec<u8> {
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
    let limb = [31, 111, 120];
    // Mat.
    for x in 40..560 {
        for y in 330..345 {
            disc(x as f32, y as f32, 0.5, [200, 214, 217]);
        }
    }
    disc(130.0, 290.0, 34.0, [60, 70, 76]);
    let mut line = |x0: f32, y0: f32, x1: f32, y1: f32| {
        for i in 0..=120 {
            let t = i as f32 / 120.0;
            disc(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, 13.0, limb);
        }
    };
    line(165.0, 300.0, 330.0, 300.0);
    line(330.0, 300.0, 410.0, 200.0);
    line(410.0, 200.0, 470.0, 320.0);
    line(200.0, 300.0, 300.0, 320.0);
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Writes `docs/handout-sample.pdf` (or into `$HANDOUT_SAMPLE_DIR`):
/// `cargo test --lib handout::tests::write_sample -- --ignored`.
#[test]
#[ignore]
fn write_sample() {
    let dir = std::env::var("HANDOUT_SAMPLE_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/docs").to_owned());
    let clinic = ClinicInfo {
        logo: Some(logo()),
        ..clinic()
    };
    let mut v = standard_version();
    v.patient_display_name = "Zoë N.".into();
    v.items[0].item.notes = Some("Push through your heels, not your toes.".into());
    v.items[3].item.dosage.hold_seconds = None;
    v.items[3].item.side = None;
    let images: HashMap<String, Picture> = [
        ("ex-0".to_owned(), Picture::from_bytes(illustration())),
        ("ex-2".to_owned(), Picture::from_bytes(illustration())),
    ]
    .into();
    for (name, large_print, draft) in [
        ("handout-sample", false, false),
        ("handout-sample-large-print", true, true),
    ] {
        let mut req = request(&clinic, &v, &images);
        req.large_print = large_print;
        req.draft = draft;
        let pdf = render(&req).unwrap();
        std::fs::write(format!("{dir}/{name}.pdf"), &pdf).unwrap();
        eprintln!("{name}: {} bytes", pdf.len());
    }
}

/// A plain two-colour logo mark with transparency.
fn logo() -> Vec<u8> {
    let (w, h) = (360u32, 120u32);
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - 60.0, y as f32 - 60.0);
        let d = (dx * dx + dy * dy).sqrt();
        if d < 50.0 && d > 34.0 {
            image::Rgba([31, 111, 120, 255])
        } else if d <= 34.0 && (dx.abs() < 8.0 || dy.abs() < 8.0) {
            image::Rgba([180, 83, 9, 255])
        } else if x > 130 && x < 340 && (y / 12) % 3 == 1 && y > 30 && y < 100 {
            image::Rgba([18, 75, 82, 255 - (x as u8 / 3)])
        } else {
            image::Rgba([255, 255, 255, 0])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    /// Any Unicode: letters of every script, marks, emoji, controls, RTL.
    fn text(max: usize) -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(any::<char>(), 0..max)
                .prop_map(|c| c.into_iter().collect::<String>()),
            proptest::string::string_regex(&format!("[\\PC\\n\\t ]{{0,{max}}}"))
                .unwrap_or_else(|e| panic!("{e}")),
        ]
    }

    fn in_range() -> impl Strategy<Value = Dosage> {
        use crate::domain::dosage::{DAYS_PER_WEEK, HOLD_SECONDS, REPS, SETS, TIMES_PER_DAY};
        let r = |(lo, hi): (i64, i64)| (lo as i32)..=(hi as i32);
        (
            r(SETS),
            proptest::option::of(r(REPS)),
            proptest::option::of(r(HOLD_SECONDS)),
            r(TIMES_PER_DAY),
            r(DAYS_PER_WEEK),
        )
            .prop_map(|(sets, reps, hold, times, days)| Dosage {
                sets,
                reps: reps.or(if hold.is_none() { Some(10) } else { None }),
                hold_seconds: hold,
                times_per_day: times,
                days_per_week: days,
            })
    }

    fn any_item() -> impl Strategy<
        Value = (
            String,
            Vec<String>,
            Vec<String>,
            Option<String>,
            Option<String>,
            Dosage,
        ),
    > {
        (
            text(60),
            proptest::collection::vec(text(200), 0..5),
            proptest::collection::vec(text(80), 0..3),
            proptest::option::of(text(100)),
            proptest::option::of(text(200)),
            in_range(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn any_text_and_in_range_dosages_render_a_pdf(
            heads in proptest::collection::vec(text(120), 6),
            items in proptest::collection::vec(any_item(), 0..6),
            precaution in proptest::option::of((text(60), text(160), text(160))),
            large_print in any::<bool>(),
            a4 in any::<bool>(),
            share_url in proptest::option::of(text(60)),
        ) {
            let clinic = ClinicInfo {
                name: heads[0].clone(),
                contact_line: heads[1].clone(),
                logo: None,
            };
            let mut v = version(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, steps, cues, stop_if, note, dosage))| {
                        let mut it = item(&format!("ex-{i}"), "x", note.as_deref());
                        it.item.dosage = dosage;
                        it.exercise.name = name;
                        it.exercise.steps = steps;
                        it.exercise.cues = cues;
                        it.exercise.stop_if = stop_if;
                        it
                    })
                    .collect(),
                precaution
                    .into_iter()
                    .map(|(label, avoid, instead)| VersionPrecaution {
                        id: "p".into(),
                        label,
                        patient_avoid: avoid,
                        patient_instead: instead,
                    })
                    .collect(),
            );
            v.title = heads[2].clone();
            v.notes = heads[3].clone();
            v.therapist_name = heads[4].clone();
            v.patient_display_name = heads[5].clone();
            let images = HashMap::new();
            let mut req = request(&clinic, &v, &images);
            req.large_print = large_print;
            req.paper = if a4 { Paper::A4 } else { Paper::Letter };
            req.share_url = share_url.as_deref();
            let pdf = render(&req);
            prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
            prop_assert!(pdf.unwrap_or_default().starts_with(b"%PDF"));
        }
    }
}
