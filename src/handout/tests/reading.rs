//! What a reader (or a text extractor) finds in the rendered handout: the
//! clinic, patient, exercises in order, dosages and the avoid box; sections
//! left out when empty; names in any script; characters the font lacks.

use std::collections::BTreeSet;

use super::*;

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
