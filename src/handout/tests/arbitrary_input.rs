//! Property test: any Unicode text and any in-range dosage (every kind:
//! reps, hold, time, distance, weight or band, rest, each side) renders a
//! PDF.

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
    use crate::domain::dosage::{
        BandColour, Load, DAYS_PER_WEEK, DISTANCE_M, DURATION_SECONDS, HOLD_SECONDS, REPS,
        REST_SECONDS, SETS, TIMES_PER_DAY,
    };
    let r = |(lo, hi): (i64, i64)| (lo as i32)..=(hi as i32);
    let load = proptest::option::of(prop_oneof![
        (0..BandColour::ALL.len()).prop_map(|i| Load::Band {
            colour: BandColour::ALL[i]
        }),
        (1.0f64..200.0, any::<bool>()).prop_map(|(amount, kg)| {
            let json = serde_json::json!({"kind": "weight", "amount": (amount * 10.0).round() / 10.0,
                "unit": if kg { "kg" } else { "lb" }});
            serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
        }),
    ]);
    (
        (
            r(SETS),
            proptest::option::of(r(REPS)),
            proptest::option::of(r(HOLD_SECONDS)),
            proptest::option::of(r(DURATION_SECONDS)),
            proptest::option::of(r(DISTANCE_M)),
        ),
        (
            load,
            proptest::option::of(r(REST_SECONDS)),
            any::<bool>(),
            r(TIMES_PER_DAY),
            r(DAYS_PER_WEEK),
        ),
    )
        .prop_map(
            |((sets, reps, hold, duration, distance), (load, rest, each_side, times, days))| {
                let none = hold.is_none() && duration.is_none() && distance.is_none();
                Dosage {
                    sets,
                    reps: reps.or(if none { Some(10) } else { None }),
                    hold_seconds: hold,
                    duration_seconds: duration,
                    distance_m: distance,
                    load,
                    rest_seconds: rest,
                    each_side,
                    times_per_day: times,
                    days_per_week: days,
                }
            },
        )
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
                    id: PrecautionId::parse("p").unwrap(),
                    label,
                    patient_caution: Some(avoid.clone()),
                    see_therapist_if: Some(instead.clone()),
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
