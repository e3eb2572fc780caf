//! Dosage: sets, reps and/or hold, times a day, days a week — with the
//! clinical bounds every program and catalog entry must respect.

use serde::{Deserialize, Serialize};

use super::FieldError;

pub const SETS: (i64, i64) = (1, 20);
pub const REPS: (i64, i64) = (1, 200);
pub const HOLD_SECONDS: (i64, i64) = (1, 600);
pub const TIMES_PER_DAY: (i64, i64) = (1, 10);
pub const DAYS_PER_WEEK: (i64, i64) = (1, 7);

/// A valid dosage: every number in range, and reps or a hold (or both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Dosage {
    #[schema(minimum = 1, maximum = 20)]
    pub sets: i32,
    #[schema(minimum = 1, maximum = 200, required = true)]
    pub reps: Option<i32>,
    #[schema(minimum = 1, maximum = 600, required = true)]
    pub hold_seconds: Option<i32>,
    #[schema(minimum = 1, maximum = 10)]
    pub times_per_day: i32,
    #[schema(minimum = 1, maximum = 7)]
    pub days_per_week: i32,
}

/// Raw numbers as they arrive; wide types so that -1 or 10^9 is a
/// validation message and not a type error. A program item carries them
/// among its own fields (flattened), an exercise as its `dosage` object;
/// both refuse keys they do not know (see [`DosageInput::strict`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DosageInput {
    #[schema(minimum = 1, maximum = 20)]
    pub sets: Option<i64>,
    #[schema(minimum = 1, maximum = 200)]
    pub reps: Option<i64>,
    #[schema(minimum = 1, maximum = 600)]
    pub hold_seconds: Option<i64>,
    #[schema(minimum = 1, maximum = 10)]
    pub times_per_day: Option<i64>,
    #[schema(minimum = 1, maximum = 7)]
    pub days_per_week: Option<i64>,
}

impl DosageInput {
    /// Reads a `dosage` object that may hold nothing but the dosage keys.
    /// (`DosageInput` itself cannot deny unknown keys: flattened into a
    /// program item, the item's own keys reach it too.)
    pub fn strict<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Strict {
            #[serde(flatten)]
            dosage: DosageInput,
        }
        Strict::deserialize(d).map(|s| s.dosage)
    }
}

fn in_range(
    prefix: &str,
    name: &str,
    value: i64,
    (lo, hi): (i64, i64),
    errors: &mut Vec<FieldError>,
) -> i32 {
    if value < lo || value > hi {
        errors.push(FieldError::new(
            format!("{prefix}{name}"),
            format!("must be between {lo} and {hi} (got {value})"),
        ));
    }
    i32::try_from(value.clamp(lo, hi)).unwrap_or(1)
}

impl Dosage {
    /// Parses raw numbers; missing ones come from `defaults` when given.
    /// Field names in errors start with `prefix` (e.g. `items[2].`).
    pub fn parse(
        input: DosageInput,
        defaults: Option<&Dosage>,
        prefix: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let pick = |given: Option<i64>, default: Option<i32>| given.or(default.map(i64::from));
        let sets = pick(input.sets, defaults.map(|d| d.sets));
        let (reps, hold) = if input.reps.is_none() && input.hold_seconds.is_none() {
            (
                defaults.and_then(|d| d.reps).map(i64::from),
                defaults.and_then(|d| d.hold_seconds).map(i64::from),
            )
        } else {
            (input.reps, input.hold_seconds)
        };
        let times = pick(input.times_per_day, defaults.map(|d| d.times_per_day));
        let days = pick(input.days_per_week, defaults.map(|d| d.days_per_week));

        let mut required = |name: &str, value: Option<i64>, range| match value {
            Some(v) => in_range(prefix, name, v, range, &mut errors),
            None => {
                errors.push(FieldError::new(format!("{prefix}{name}"), "is required"));
                1
            }
        };
        let sets = required("sets", sets, SETS);
        let times_per_day = required("times_per_day", times.or(Some(1)), TIMES_PER_DAY);
        let days_per_week = required("days_per_week", days.or(Some(7)), DAYS_PER_WEEK);
        let reps = reps.map(|v| in_range(prefix, "reps", v, REPS, &mut errors));
        let hold_seconds =
            hold.map(|v| in_range(prefix, "hold_seconds", v, HOLD_SECONDS, &mut errors));
        if reps.is_none() && hold_seconds.is_none() {
            errors.push(FieldError::new(
                format!("{prefix}reps"),
                "give reps, hold_seconds, or both",
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                sets,
                reps,
                hold_seconds,
                times_per_day,
                days_per_week,
            })
        } else {
            Err(errors)
        }
    }

    /// The line a patient reads: "3 sets of 10 reps · hold 5 s · 2 times a day · 5 days a week".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let sets = plural(self.sets, "set", "sets");
        match (self.reps, self.hold_seconds) {
            (Some(reps), Some(hold)) => {
                parts.push(format!("{sets} of {}", plural(reps, "rep", "reps")));
                parts.push(format!("hold {hold} s"));
            }
            (Some(reps), None) => parts.push(format!("{sets} of {}", plural(reps, "rep", "reps"))),
            (None, Some(hold)) => parts.push(format!("{sets} · hold {hold} s")),
            (None, None) => parts.push(sets),
        }
        parts.push(match self.times_per_day {
            1 => "once a day".to_owned(),
            2 => "twice a day".to_owned(),
            n => format!("{n} times a day"),
        });
        parts.push(match self.days_per_week {
            7 => "every day".to_owned(),
            n => format!("{} a week", plural(n, "day", "days")),
        });
        parts.join(" · ")
    }
}

fn plural(n: i32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dosage_object_refuses_keys_it_does_not_know() {
        #[derive(Debug, serde::Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "DosageInput::strict")]
            dosage: DosageInput,
        }
        let ok: Holder = serde_json::from_str(r#"{"dosage": {"sets": 2, "reps": 8}}"#).unwrap();
        assert_eq!((ok.dosage.sets, ok.dosage.reps), (Some(2), Some(8)));
        let err = serde_json::from_str::<Holder>(r#"{"dosage": {"sets": 2, "rep": 8}}"#);
        assert!(err.unwrap_err().to_string().contains("unknown field `rep`"));
    }

    fn input(sets: i64, reps: Option<i64>, hold: Option<i64>) -> DosageInput {
        DosageInput {
            sets: Some(sets),
            reps,
            hold_seconds: hold,
            times_per_day: Some(2),
            days_per_week: Some(5),
        }
    }

    #[test]
    fn a_valid_dosage_reads_unambiguously() {
        let d = Dosage::parse(input(3, Some(10), Some(5)), None, "").unwrap();
        assert_eq!(
            d.describe(),
            "3 sets of 10 reps · hold 5 s · twice a day · 5 days a week"
        );
        let hold_only = Dosage::parse(input(1, None, Some(30)), None, "").unwrap();
        assert_eq!(
            hold_only.describe(),
            "1 set · hold 30 s · twice a day · 5 days a week"
        );
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let errors = Dosage::parse(input(21, Some(0), Some(601)), None, "items[0].").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["items[0].sets", "items[0].reps", "items[0].hold_seconds"]
        );
    }

    #[test]
    fn neither_reps_nor_hold_is_refused() {
        let errors = Dosage::parse(input(1, None, None), None, "").unwrap_err();
        assert_eq!(errors[0].field, "reps");
    }

    #[test]
    fn missing_numbers_come_from_the_defaults() {
        let defaults = Dosage {
            sets: 2,
            reps: None,
            hold_seconds: Some(30),
            times_per_day: 1,
            days_per_week: 7,
        };
        let d = Dosage::parse(
            DosageInput {
                sets: Some(3),
                ..DosageInput::default()
            },
            Some(&defaults),
            "",
        )
        .unwrap();
        assert_eq!(
            d,
            Dosage {
                sets: 3,
                ..defaults
            }
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn field(range: (i64, i64)) -> impl Strategy<Value = i64> {
            range.0..=range.1
        }

        proptest! {
            #[test]
            fn in_range_numbers_parse_to_themselves_and_round_trip_through_json(
                sets in field(SETS),
                reps in proptest::option::of(field(REPS)),
                hold in proptest::option::of(field(HOLD_SECONDS)),
                times in field(TIMES_PER_DAY),
                days in field(DAYS_PER_WEEK),
            ) {
                prop_assume!(reps.is_some() || hold.is_some());
                let raw = DosageInput {
                    sets: Some(sets),
                    reps,
                    hold_seconds: hold,
                    times_per_day: Some(times),
                    days_per_week: Some(days),
                };
                let parsed = Dosage::parse(raw, None, "");
                prop_assert!(parsed.is_ok(), "{:?}", parsed);
                let d = parsed.unwrap_or_else(|_| unreachable!());
                prop_assert_eq!(i64::from(d.sets), sets);
                prop_assert_eq!(d.reps.map(i64::from), reps);
                prop_assert_eq!(d.hold_seconds.map(i64::from), hold);
                prop_assert_eq!(i64::from(d.times_per_day), times);
                prop_assert_eq!(i64::from(d.days_per_week), days);
                let json = serde_json::to_string(&d).unwrap_or_default();
                prop_assert_eq!(serde_json::from_str::<Dosage>(&json).ok(), Some(d));
                let again: DosageInput = serde_json::from_str(&json).unwrap_or_default();
                prop_assert_eq!(Dosage::parse(again, None, "").ok(), Some(d));
                prop_assert!(!d.describe().is_empty());
            }

            #[test]
            fn one_number_out_of_range_is_refused_naming_that_field(
                which in 0usize..5,
                sets in field(SETS),
                reps in field(REPS),
                hold in field(HOLD_SECONDS),
                times in field(TIMES_PER_DAY),
                days in field(DAYS_PER_WEEK),
                bad_seed in any::<u64>(),
            ) {
                let ranges = [SETS, REPS, HOLD_SECONDS, TIMES_PER_DAY, DAYS_PER_WEEK];
                let names = ["sets", "reps", "hold_seconds", "times_per_day", "days_per_week"];
                let (lo, hi) = ranges[which];
                // Below or above the range, near it or far away.
                let bad = match bad_seed % 4 {
                    0 => lo - 1,
                    1 => hi + 1,
                    2 => i64::MIN + (bad_seed >> 2) as i64 % 1000,
                    _ => i64::MAX - (bad_seed >> 2) as i64 % 1000,
                };
                let mut values = [sets, reps, hold, times, days];
                values[which] = bad;
                let raw = DosageInput {
                    sets: Some(values[0]),
                    reps: Some(values[1]),
                    hold_seconds: Some(values[2]),
                    times_per_day: Some(values[3]),
                    days_per_week: Some(values[4]),
                };
                let errors = Dosage::parse(raw, None, "items[1].").err().unwrap_or_default();
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                let expected = format!("items[1].{}", names[which]);
                prop_assert_eq!(fields, vec![expected.as_str()]);
            }
        }
    }
}
