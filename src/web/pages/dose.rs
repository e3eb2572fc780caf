//! The dosage fields of a form — the program builder's items and a clinic
//! exercise's default — as typed text and back: one set of keys, labels and
//! readings, so both forms speak the same dosage. A time is typed as a
//! clinician says it ("10", "10 min", "90 s", "1:30"); words that are not
//! numbers are reported beside their field, and the domain checks ranges.

use std::collections::BTreeMap;

use crate::domain::dosage::{BandColour, Dosage, DosageInput, Load, LoadInput, WeightUnit};

/// Number fields in the order a form shows them: key, label, placeholder.
pub(super) const NUMBERS: [(&str, &str, &str); 8] = [
    ("sets", "Sets", ""),
    ("reps", "Reps", ""),
    ("hold_seconds", "Hold (s)", ""),
    ("duration", "Time", "10 min"),
    ("distance_m", "Metres", ""),
    ("rest_seconds", "Rest (s)", ""),
    ("times_per_day", "Times/day", ""),
    ("days_per_week", "Days/week", ""),
];

/// Every key of the dosage fields.
pub(super) fn keys() -> impl Iterator<Item = &'static str> {
    NUMBERS
        .iter()
        .map(|(key, _, _)| *key)
        .chain(["load", "weight", "weight_unit", "each_side"])
}

/// The domain's names for what a form key holds, where they differ.
const DOMAIN_FIELDS: [(&str, &[&str]); 3] = [
    ("duration", &["duration_seconds"]),
    ("weight", &["load.amount", "load.unit"]),
    ("load", &["load.kind", "load.colour"]),
];

/// The domain fields whose messages show beside form key `key`.
pub(super) fn domain_fields(key: &str) -> Vec<&str> {
    DOMAIN_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| vec![key], |(_, fields)| fields.to_vec())
}

/// The form key beside which a message on domain field `field` shows.
pub(super) fn form_key(field: &str) -> &str {
    DOMAIN_FIELDS
        .iter()
        .find(|(_, fields)| fields.contains(&field))
        .map_or(field, |(key, _)| key)
}

/// The load select: value, label.
pub(super) fn load_choices() -> Vec<(String, String)> {
    let mut choices = vec![
        (String::new(), "None".to_owned()),
        ("weight".to_owned(), "Weight".to_owned()),
    ];
    choices.extend(BandColour::ALL.iter().map(|c| {
        let name = c.as_str();
        let mut label = name[..1].to_uppercase();
        label.push_str(&name[1..]);
        (format!("band:{name}"), format!("{label} band"))
    }));
    choices
}

/// A dosage as the form shows it, by key.
pub(super) fn values(d: &Dosage) -> BTreeMap<&'static str, String> {
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let (load, weight, unit) = match d.load {
        None => (String::new(), String::new(), String::new()),
        Some(Load::Weight { amount, unit }) => (
            "weight".to_owned(),
            amount.describe(),
            match unit {
                WeightUnit::Kg => "kg".to_owned(),
                WeightUnit::Lb => "lb".to_owned(),
            },
        ),
        Some(Load::Band { colour }) => (
            format!("band:{}", colour.as_str()),
            String::new(),
            String::new(),
        ),
    };
    BTreeMap::from([
        ("sets", d.sets.to_string()),
        ("reps", number(d.reps)),
        ("hold_seconds", number(d.hold_seconds)),
        (
            "duration",
            d.duration_seconds.map(typed_duration).unwrap_or_default(),
        ),
        ("distance_m", number(d.distance_m)),
        ("rest_seconds", number(d.rest_seconds)),
        ("times_per_day", d.times_per_day.to_string()),
        ("days_per_week", d.days_per_week.to_string()),
        ("load", load),
        ("weight", weight),
        ("weight_unit", unit),
        ("each_side", if d.each_side { "on" } else { "" }.to_owned()),
    ])
}

/// A time as the form shows it: "10 min", "45 s", "1:30".
fn typed_duration(seconds: i32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m}:{s:02}"),
    }
}

/// Seconds from a typed time: a bare number is minutes ("10"), or "10
/// min", "90 s", "1 h", "1:30" (minutes and seconds).
pub(super) fn parse_duration(raw: &str) -> Result<i64, &'static str> {
    const HELP: &str = "enter minutes (10), seconds (90 s) or minutes:seconds (1:30)";
    let raw = raw.trim().to_ascii_lowercase();
    if let Some((m, s)) = raw.split_once(':') {
        let (m, s) = (m.trim().parse::<i64>(), s.trim().parse::<i64>());
        return match (m, s) {
            (Ok(m), Ok(s)) if (0..60).contains(&s) && m >= 0 => Ok(m * 60 + s),
            _ => Err(HELP),
        };
    }
    let digits_end = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let number: i64 = raw[..digits_end].parse().map_err(|_| HELP)?;
    let scale = match raw[digits_end..].trim() {
        "" | "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "h" | "hr" | "hour" | "hours" => 3600,
        _ => return Err(HELP),
    };
    number.checked_mul(scale).ok_or(HELP)
}

/// The typed fields (`value` reads one by key) as a dosage input; messages
/// go to `errors` under `prefix` + the domain's field name.
pub(super) fn input(
    value: impl Fn(&str) -> String,
    prefix: &str,
    errors: &mut BTreeMap<String, String>,
) -> DosageInput {
    let mut number = |key: &str| {
        let raw = value(key);
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        raw.parse::<i64>()
            .map_err(|_| errors.insert(format!("{prefix}{key}"), "enter a whole number".into()))
            .ok()
    };
    let mut dosage = DosageInput {
        sets: number("sets"),
        reps: number("reps"),
        hold_seconds: number("hold_seconds"),
        distance_m: number("distance_m"),
        rest_seconds: number("rest_seconds"),
        times_per_day: number("times_per_day"),
        days_per_week: number("days_per_week"),
        ..DosageInput::default()
    };
    let duration = value("duration");
    if !duration.trim().is_empty() {
        match parse_duration(&duration) {
            Ok(seconds) => dosage.duration_seconds = Some(seconds),
            Err(message) => {
                errors.insert(format!("{prefix}duration_seconds"), message.into());
            }
        }
    }
    let load = value("load");
    dosage.load = match load.trim() {
        "" => None,
        "weight" => {
            let amount = value("weight");
            let amount = amount.trim().replace(',', ".");
            Some(LoadInput {
                kind: Some("weight".into()),
                amount: if amount.is_empty() {
                    None
                } else {
                    amount.parse::<f64>().map_or_else(
                        |_| {
                            errors.insert(
                                format!("{prefix}load.amount"),
                                "enter a weight such as 2.5".into(),
                            );
                            None
                        },
                        Some,
                    )
                },
                unit: Some(value("weight_unit")).filter(|u| !u.trim().is_empty()),
                colour: None,
            })
        }
        other => Some(LoadInput {
            kind: Some("band".into()),
            colour: Some(other.trim_start_matches("band:").to_owned()),
            ..LoadInput::default()
        }),
    };
    // A checkbox sends its value only when ticked.
    dosage.each_side = Some(!value("each_side").trim().is_empty());
    dosage
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dosage::Dosage;

    #[test]
    fn times_are_read_as_clinicians_type_them() {
        for (typed, seconds) in [
            ("10", 600),
            ("10 min", 600),
            ("10min", 600),
            ("90 s", 90),
            ("1:30", 90),
            ("1 h", 3600),
            (" 2 Minutes ", 120),
        ] {
            assert_eq!(parse_duration(typed), Ok(seconds), "{typed}");
        }
        for typed in ["ten", "1:75", "5 furlongs", "-3", ""] {
            assert!(parse_duration(typed).is_err(), "{typed}");
        }
    }

    #[test]
    fn a_dosage_shown_in_the_form_reads_back_as_itself() {
        let json = serde_json::json!({"sets": 2, "reps": 10, "duration_seconds": 90, "rest_seconds": 60,
            "each_side": true, "load": {"kind": "weight", "amount": 2.5, "unit": "lb"},
            "times_per_day": 2, "days_per_week": 5});
        let d = Dosage::parse(serde_json::from_value(json).unwrap(), None, "").unwrap();
        let shown = values(&d);
        let mut errors = BTreeMap::new();
        let read = input(
            |k| shown.get(k).cloned().unwrap_or_default(),
            "",
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(Dosage::parse(read, None, "").unwrap(), d);
        let band = Dosage {
            load: Some(Load::Band {
                colour: BandColour::Blue,
            }),
            each_side: false,
            ..d
        };
        let shown = values(&band);
        assert_eq!(shown["load"], "band:blue");
        let read = input(
            |k| shown.get(k).cloned().unwrap_or_default(),
            "",
            &mut errors,
        );
        assert_eq!(Dosage::parse(read, None, "").unwrap(), band);
    }

    #[test]
    fn words_for_numbers_are_reported_beside_their_field() {
        let typed = BTreeMap::from([
            ("sets", "two"),
            ("duration", "a while"),
            ("load", "weight"),
            ("weight", "heavy"),
        ]);
        let mut errors = BTreeMap::new();
        input(
            |k| typed.get(k).map(|v| (*v).to_owned()).unwrap_or_default(),
            "items[0].",
            &mut errors,
        );
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "items[0].duration_seconds",
                "items[0].load.amount",
                "items[0].sets"
            ]
        );
    }
}
