//! The anchor handout of `../shared/perf` (anchor.py): a 10-exercise knee
//! program, each exercise with a 300 × 200 picture, and an avoid box; the
//! document hep and Typst are compared on. Its page counts are tested here.

use super::*;

/// Name, sets, reps, hold seconds, times a day, steps.
type Anchor = (&'static str, i32, i32, Option<i32>, i32, [&'static str; 4]);

const EXERCISES: [Anchor; 10] = [
    (
        "Quad Sets",
        3,
        10,
        Some(5),
        2,
        [
        "Sit or lie on your back with your injured leg straight and a small towel roll under your knee.",
        "Tighten the muscle on top of your thigh, pressing the back of your knee down into the towel.",
        "Hold for 5 seconds while breathing normally; do not hold your breath.",
        "Relax fully for 2 seconds before the next repetition.",
        ],
    ),
    (
        "Heel Slides",
        3,
        10,
        Some(3),
        2,
        [
        "Lie on your back on a firm surface with both legs straight and a towel under your heel.",
        "Slowly slide your heel toward your buttocks, bending the knee as far as is comfortable.",
        "Hold the bent position for 3 seconds and feel a gentle stretch, not sharp pain.",
        "Slide the heel back out until the leg is straight again.",
        ],
    ),
    (
        "Straight Leg Raise",
        3,
        10,
        Some(2),
        1,
        [
        "Lie on your back with the uninjured knee bent and that foot flat on the floor.",
        "Tighten the thigh of the straight leg and pull your toes up toward you.",
        "Lift the straight leg to the height of the opposite knee, keeping the knee locked.",
        "Hold 2 seconds, then lower slowly over 3 seconds without letting the leg drop.",
        ],
    ),
    (
        "Short Arc Quad",
        3,
        12,
        Some(5),
        2,
        [
        "Lie on your back with a rolled blanket or large can under the injured knee.",
        "Keep the back of the thigh resting on the roll the whole time.",
        "Straighten the knee by lifting your heel until the leg is fully straight.",
        "Hold 5 seconds, squeezing the thigh muscle, then lower the heel slowly to the floor.",
        ],
    ),
    (
        "Ankle Pumps",
        2,
        20,
        None,
        3,
        [
        "Sit or lie down with your legs straight and relaxed, heels resting on the surface.",
        "Point your toes away from you as far as comfortable, like pressing a gas pedal.",
        "Then pull your toes back toward your nose as far as you can.",
        "Move at a steady rhythm; this helps circulation and reduces swelling in the lower leg.",
        ],
    ),
    (
        "Glute Bridge",
        3,
        10,
        Some(5),
        1,
        [
        "Lie on your back with both knees bent and feet flat, hip width apart.",
        "Tighten your stomach and squeeze your buttocks together.",
        "Lift your hips until your body forms a straight line from shoulders to knees.",
        "Hold 5 seconds, then lower slowly one segment of your spine at a time, keeping weight even on both feet.",
        ],
    ),
    (
        "Side-Lying Clamshell",
        3,
        12,
        Some(2),
        1,
        [
        "Lie on your uninjured side with hips and knees bent and your feet together.",
        "Keep your heels touching and your top hip stacked directly over the bottom hip.",
        "Lift the top knee toward the ceiling without rolling your pelvis backward.",
        "Hold 2 seconds, then lower slowly; add a light band above the knees only when told.",
        ],
    ),
    (
        "Standing Hamstring Curl",
        3,
        10,
        Some(3),
        2,
        [
        "Stand facing a counter or sturdy chair and hold on lightly for balance.",
        "Keep your thighs side by side and stand tall with your weight on the uninjured leg.",
        "Bend the injured knee, bringing your heel up toward your buttocks.",
        "Hold 3 seconds, then lower the foot slowly back to the floor.",
        ],
    ),
    (
        "Mini Squat",
        2,
        10,
        Some(3),
        1,
        [
        "Stand with feet shoulder width apart, holding a counter with both hands.",
        "Push your hips back as if starting to sit, bending both knees about 30 to 45 degrees.",
        "Keep your knees in line with your second toe and your weight in your heels.",
        "Hold 3 seconds, then push through both feet to stand tall again.",
        ],
    ),
    (
        "Standing Calf Raise",
        3,
        15,
        Some(2),
        1,
        [
        "Stand facing a counter with your feet hip width apart and hands resting on the edge.",
        "Rise up onto the balls of both feet as high as you comfortably can.",
        "Hold 2 seconds at the top, keeping your knees straight but not locked.",
        "Lower your heels slowly over 3 seconds back to the floor.",
        ],
    ),
];
const AVOID: [&str; 2] = [
    "Deep squatting or kneeling with the knee bent past 90 degrees.",
    "Any exercise that raises knee pain above 5/10 or lasts more than 2 hours after.",
];

fn anchor_version() -> Version {
    let items = EXERCISES
        .iter()
        .enumerate()
        .map(|(i, (name, sets, reps, hold, per_day, steps))| {
            let dose = Dosage {
                sets: *sets,
                reps: Some(*reps),
                hold_seconds: *hold,
                duration_seconds: None,
                distance_m: None,
                load: None,
                rest_seconds: None,
                each_side: false,
                times_per_day: *per_day,
                days_per_week: 7,
            };
            let mut exercise = spec(
                name,
                steps.iter().map(|s| (*s).to_owned()).collect(),
                Vec::new(),
                None,
            );
            exercise.dosage = dose;
            VersionItem {
                item: Item {
                    exercise_id: ExerciseId::builtin(&format!("anchor-{i}")),
                    dosage: dose,
                    side: None,
                    notes: None,
                    override_reason: None,
                },
                overridden: Vec::new(),
                exercise,
            }
        })
        .collect();
    let mut v = version(
        items,
        vec![VersionPrecaution {
            id: PrecautionId::parse("knee-anchor").unwrap(),
            label: "Your knee".into(),
            patient_avoid: AVOID[0].into(),
            patient_instead: "Keep the bend to what is comfortable and stop short of pain.".into(),
            patient_caution: Some(AVOID[1].into()),
            see_therapist_if: None,
        }],
    );
    v.title = "Home Exercise Program: Knee Strength and Mobility (Phase 1)".into();
    v.notes = String::new();
    v.patient_display_name = "Maria G.".into();
    v.therapist_name = "Jordan Lee, PT, DPT".into();
    v
}

fn pictures() -> HashMap<ExerciseId, Picture> {
    (0..EXERCISES.len())
        .map(|i| {
            (
                ExerciseId::builtin(&format!("anchor-{i}")),
                Picture::from_bytes(png(300, 200, i as u8 * 23)),
            )
        })
        .collect()
}

/// Standard print fits the anchor document (ten exercises with pictures,
/// the avoid box and the log grid) on three pages of Letter or A4, at 10 pt
/// body text, and compact print on two; `HANDOUT_ANCHOR_OUT=DIR` also
/// writes the PDFs there.
#[test]
fn the_anchor_handout_fits_three_pages_in_standard_print_and_two_in_compact() {
    let clinic = ClinicInfo {
        name: "Riverside Physical Therapy".into(),
        contact_line: String::new(),
        logo: None,
    };
    let version = anchor_version();
    let images = pictures();
    for paper in [Paper::Letter, Paper::A4] {
        for (large_print, compact) in [(false, false), (false, true), (true, false)] {
            let mut req = request(&clinic, &version, &images);
            req.paper = paper;
            req.large_print = large_print;
            req.compact = compact;
            let layout = layout_for(&req);
            let pages = layout.pages.len();
            println!("{paper:?} large={large_print} compact={compact}: {pages} pages");
            if let Ok(dir) = std::env::var("HANDOUT_ANCHOR_OUT") {
                let pdf = render(&req).unwrap();
                let name =
                    format!("{dir}/anchor-{paper:?}-large-{large_print}-compact-{compact}.pdf");
                std::fs::write(name, pdf).unwrap();
            }
            assert_inside_the_page(&layout);
            match (large_print, compact) {
                (false, false) => assert!(pages <= 3, "{paper:?}: {pages} pages"),
                (false, true) => assert!(pages <= 2, "{paper:?} compact: {pages} pages"),
                _ => {}
            }
        }
    }
}
