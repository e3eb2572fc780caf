//! Layout-level checks on a long program: every element inside the page,
//! blocks kept whole when they fit and headings kept with their lines,
//! large-print sizes, the draft watermark, and wrapping by real widths.

use super::*;
use crate::handout::layout::{BlockKind, Face, Metrics};

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

#[test]
fn fifty_long_items_paginate_with_every_text_inside_the_page_box() {
    let (clinic, v) = (clinic(), long_version(50));
    let img = png(600, 400, 1);
    let images: HashMap<ExerciseId, Picture> = (0..50)
        .step_by(3)
        .map(|i| {
            (
                ExerciseId::builtin(&format!("ex-{i}")),
                Picture::from_bytes(img.clone()),
            )
        })
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
fn blocks_that_fit_a_page_split_at_most_once_and_headings_keep_two_lines() {
    let (clinic, v, images) = (clinic(), long_version(50), HashMap::new());
    for large_print in [false, true] {
        let mut req = request(&clinic, &v, &images);
        req.large_print = large_print;
        let layout = layout_for(&req);
        let mut split = 0;
        for b in &layout.blocks {
            if b.height <= layout.fresh_capacity {
                // Split only to fill a page (see the next test).
                assert!(b.pages.len() <= 2, "{:?} on {:?}", b.kind, b.pages);
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
        let body = if large_print { 16.0 } else { 10.0 };
        let heading = if large_print { 18.0 } else { 11.5 };
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

/// Standard and compact print leave no page but the last more than about a
/// quarter empty: a block that does not fit starts where the space is.
#[test]
fn no_page_but_the_last_is_more_than_a_quarter_empty() {
    let clinic = clinic();
    let images = HashMap::new();
    for v in [standard_version(), long_version(12), long_version(50)] {
        for compact in [false, true] {
            let mut req = request(&clinic, &v, &images);
            req.compact = compact;
            let layout = layout_for(&req);
            let last = layout.pages.len() - 1;
            for (i, page) in layout.pages[..last].iter().enumerate() {
                assert!(
                    page.empty_below <= 0.27 * layout.fresh_capacity,
                    "{} items, compact {compact}: page {} is {:.0} % empty",
                    v.items.len(),
                    i + 1,
                    100.0 * page.empty_below / layout.fresh_capacity
                );
            }
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
