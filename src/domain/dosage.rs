//! Dosage: how much of an exercise — sets of reps, a hold, a time or a
//! distance; a weight or a band; rest between sets; each side — and how
//! often (times a day, days a week), within the clinical bounds every
//! program and catalog entry must respect. A dosage without the newer
//! kinds reads exactly as it did before they existed.

use serde::{Deserialize, Serialize};

use super::FieldError;

pub const SETS: (i64, i64) = (1, 20);
pub const REPS: (i64, i64) = (1, 200);
pub const HOLD_SECONDS: (i64, i64) = (1, 600);
/// Five seconds to four hours (a walk, a ride on a stationary bike).
pub const DURATION_SECONDS: (i64, i64) = (5, 4 * 3600);
/// A metre to 50 km.
pub const DISTANCE_M: (i64, i64) = (1, 50_000);
pub const REST_SECONDS: (i64, i64) = (5, 600);
/// A tenth of a kilogram or pound to 200.
pub const WEIGHT_TENTHS: (i64, i64) = (1, 2000);
pub const TIMES_PER_DAY: (i64, i64) = (1, 10);
pub const DAYS_PER_WEEK: (i64, i64) = (1, 7);

/// The unit of a weight; each item says its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeightUnit {
    Kg,
    Lb,
}

/// Resistance band colours, lightest to heaviest in the common scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BandColour {
    Yellow,
    Red,
    Green,
    Blue,
    Black,
    Silver,
    Gold,
}

impl BandColour {
    pub const ALL: [BandColour; 7] = [
        Self::Yellow,
        Self::Red,
        Self::Green,
        Self::Blue,
        Self::Black,
        Self::Silver,
        Self::Gold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yellow => "yellow",
            Self::Red => "red",
            Self::Green => "green",
            Self::Blue => "blue",
            Self::Black => "black",
            Self::Silver => "silver",
            Self::Gold => "gold",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(raw.trim()))
    }
}

/// A weight in tenths of its unit, written as a decimal number (2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(i32);

impl Tenths {
    pub fn get(self) -> i32 {
        self.0
    }

    /// "2.5", "3"
    pub fn describe(self) -> String {
        if self.0 % 10 == 0 {
            (self.0 / 10).to_string()
        } else {
            format!("{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

impl Serialize for Tenths {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Tenths {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(d)?;
        tenths(value)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("a weight from 0.1 to 200"))
    }
}

/// `value` in tenths, if it is a number of tenths in range.
fn tenths(value: f64) -> Option<i32> {
    let t = (value * 10.0).round();
    ((value * 10.0 - t).abs() < 1e-6 && t >= WEIGHT_TENTHS.0 as f64 && t <= WEIGHT_TENTHS.1 as f64)
        .then_some(t as i32)
}

/// What the patient lifts or pulls against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Load {
    /// A dumbbell, ankle weight or kettlebell.
    Weight {
        #[schema(value_type = f64, minimum = 0.1, maximum = 200)]
        amount: Tenths,
        unit: WeightUnit,
    },
    /// A resistance band of this colour.
    Band { colour: BandColour },
}

impl Load {
    /// "with 2.5 kg", "with a red band"
    fn describe(self) -> String {
        match self {
            Self::Weight { amount, unit } => format!(
                "with {} {}",
                amount.describe(),
                match unit {
                    WeightUnit::Kg => "kg",
                    WeightUnit::Lb => "lb",
                }
            ),
            Self::Band { colour } => format!("with a {} band", colour.as_str()),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !b
}

/// A valid dosage: every number in range, and at least one of reps, a
/// hold, a time or a distance. The newer kinds are left out of the JSON
/// when unused, so versions stored before them read (and print) unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Dosage {
    #[schema(minimum = 1, maximum = 20)]
    pub sets: i32,
    #[schema(minimum = 1, maximum = 200, required = true)]
    pub reps: Option<i32>,
    #[schema(minimum = 1, maximum = 600, required = true)]
    pub hold_seconds: Option<i32>,
    /// How long each set lasts (a walk: 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 5, maximum = 14400)]
    pub duration_seconds: Option<i32>,
    /// How far each set goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 50000)]
    pub distance_m: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<Load>,
    /// Rest between sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 5, maximum = 600)]
    pub rest_seconds: Option<i32>,
    /// The dose is for each side ("10 reps each side").
    #[serde(default, skip_serializing_if = "is_false")]
    pub each_side: bool,
    #[schema(minimum = 1, maximum = 10)]
    pub times_per_day: i32,
    #[schema(minimum = 1, maximum = 7)]
    pub days_per_week: i32,
}

/// A load as it arrives: each part loose, so a wrong one is a message
/// naming it, not a type error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadInput {
    /// `weight` or `band`.
    pub kind: Option<String>,
    /// For a weight: 0.1 to 200, in tenths.
    pub amount: Option<f64>,
    /// For a weight: `kg` or `lb`.
    pub unit: Option<String>,
    /// For a band: yellow, red, green, blue, black, silver or gold.
    pub colour: Option<String>,
}

impl From<Load> for LoadInput {
    fn from(load: Load) -> Self {
        match load {
            Load::Weight { amount, unit } => Self {
                kind: Some("weight".into()),
                amount: Some(f64::from(amount.get()) / 10.0),
                unit: Some(
                    match unit {
                        WeightUnit::Kg => "kg",
                        WeightUnit::Lb => "lb",
                    }
                    .into(),
                ),
                colour: None,
            },
            Load::Band { colour } => Self {
                kind: Some("band".into()),
                colour: Some(colour.as_str().into()),
                ..Self::default()
            },
        }
    }
}

impl LoadInput {
    fn parse(&self, prefix: &str, errors: &mut Vec<FieldError>) -> Option<Load> {
        let field = |name: &str| format!("{prefix}load.{name}");
        match self.kind.as_deref().map(str::trim) {
            Some("weight") => {
                let amount = match self.amount {
                    Some(a) => tenths(a).map(Tenths).or_else(|| {
                        errors.push(FieldError::new(
                            field("amount"),
                            format!("must be from 0.1 to 200, in tenths (got {a})"),
                        ));
                        None
                    }),
                    None => {
                        errors.push(FieldError::new(field("amount"), "is required for a weight"));
                        None
                    }
                };
                let unit = match self.unit.as_deref().map(str::trim) {
                    Some("kg") => Some(WeightUnit::Kg),
                    Some("lb") => Some(WeightUnit::Lb),
                    _ => {
                        errors.push(FieldError::new(field("unit"), "must be kg or lb"));
                        None
                    }
                };
                Some(Load::Weight {
                    amount: amount?,
                    unit: unit?,
                })
            }
            Some("band") => match self.colour.as_deref().and_then(BandColour::parse) {
                Some(colour) => Some(Load::Band { colour }),
                None => {
                    errors.push(FieldError::new(
                        field("colour"),
                        "must be yellow, red, green, blue, black, silver or gold",
                    ));
                    None
                }
            },
            _ => {
                errors.push(FieldError::new(field("kind"), "must be weight or band"));
                None
            }
        }
    }
}

/// Raw numbers as they arrive; wide types so that -1 or 10^9 is a
/// validation message and not a type error. A program item carries them
/// among its own fields (flattened), an exercise as its `dosage` object;
/// both refuse keys they do not know (see [`DosageInput::strict`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DosageInput {
    #[schema(minimum = 1, maximum = 20)]
    pub sets: Option<i64>,
    #[schema(minimum = 1, maximum = 200)]
    pub reps: Option<i64>,
    #[schema(minimum = 1, maximum = 600)]
    pub hold_seconds: Option<i64>,
    /// Seconds each set lasts (a 10-minute walk: 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 5, maximum = 14400)]
    pub duration_seconds: Option<i64>,
    /// Metres each set goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 50000)]
    pub distance_m: Option<i64>,
    /// A weight (`{"kind": "weight", "amount": 2.5, "unit": "kg"}`) or a
    /// band (`{"kind": "band", "colour": "red"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadInput>,
    /// Seconds of rest between sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 5, maximum = 600)]
    pub rest_seconds: Option<i64>,
    /// The dose is for each side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each_side: Option<bool>,
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

    /// Which amounts are given: reps, hold, time, distance.
    pub fn kinds(&self) -> [bool; 4] {
        [
            self.reps.is_some(),
            self.hold_seconds.is_some(),
            self.duration_seconds.is_some(),
            self.distance_m.is_some(),
        ]
    }

    /// Whether any of the amounts (reps, hold, time, distance) is given.
    fn has_amount(&self) -> bool {
        self.reps.is_some()
            || self.hold_seconds.is_some()
            || self.duration_seconds.is_some()
            || self.distance_m.is_some()
    }
}

impl From<Dosage> for DosageInput {
    fn from(d: Dosage) -> Self {
        Self {
            sets: Some(d.sets.into()),
            reps: d.reps.map(Into::into),
            hold_seconds: d.hold_seconds.map(Into::into),
            duration_seconds: d.duration_seconds.map(Into::into),
            distance_m: d.distance_m.map(Into::into),
            load: d.load.map(Into::into),
            rest_seconds: d.rest_seconds.map(Into::into),
            each_side: d.each_side.then_some(true),
            times_per_day: Some(d.times_per_day.into()),
            days_per_week: Some(d.days_per_week.into()),
        }
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
    /// The amounts (reps, hold, time, distance) come as a group: give one
    /// and the defaults' others are not added. Field names in errors start
    /// with `prefix` (e.g. `items[2].`).
    pub fn parse(
        input: DosageInput,
        defaults: Option<&Dosage>,
        prefix: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let pick = |given: Option<i64>, default: Option<i32>| given.or(default.map(i64::from));
        let sets = pick(input.sets, defaults.map(|d| d.sets));
        let (reps, hold, duration, distance) = if input.has_amount() {
            (
                input.reps,
                input.hold_seconds,
                input.duration_seconds,
                input.distance_m,
            )
        } else {
            let wide = |v: Option<i32>| v.map(i64::from);
            (
                defaults.and_then(|d| wide(d.reps)),
                defaults.and_then(|d| wide(d.hold_seconds)),
                defaults.and_then(|d| wide(d.duration_seconds)),
                defaults.and_then(|d| wide(d.distance_m)),
            )
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
        let mut optional = |name: &str, value: Option<i64>, range| {
            value.map(|v| in_range(prefix, name, v, range, &mut errors))
        };
        let reps = optional("reps", reps, REPS);
        let hold_seconds = optional("hold_seconds", hold, HOLD_SECONDS);
        let duration_seconds = optional("duration_seconds", duration, DURATION_SECONDS);
        let distance_m = optional("distance_m", distance, DISTANCE_M);
        let rest_seconds = optional(
            "rest_seconds",
            input
                .rest_seconds
                .or(defaults.and_then(|d| d.rest_seconds).map(i64::from)),
            REST_SECONDS,
        );
        if reps.is_none()
            && hold_seconds.is_none()
            && duration_seconds.is_none()
            && distance_m.is_none()
        {
            errors.push(FieldError::new(
                format!("{prefix}reps"),
                "give reps, hold_seconds, duration_seconds or distance_m",
            ));
        }
        let load = match &input.load {
            Some(load) => load.parse(prefix, &mut errors),
            None => defaults.and_then(|d| d.load),
        };
        let each_side = input
            .each_side
            .unwrap_or(defaults.is_some_and(|d| d.each_side));
        if errors.is_empty() {
            Ok(Self {
                sets,
                reps,
                hold_seconds,
                duration_seconds,
                distance_m,
                load,
                rest_seconds,
                each_side,
                times_per_day,
                days_per_week,
            })
        } else {
            Err(errors)
        }
    }

    /// Which amounts it prescribes: reps, hold, time, distance.
    pub fn kinds(&self) -> [bool; 4] {
        [
            self.reps.is_some(),
            self.hold_seconds.is_some(),
            self.duration_seconds.is_some(),
            self.distance_m.is_some(),
        ]
    }

    /// The line a patient reads: "3 sets of 10 reps · hold 5 s · 2 times a
    /// day · 5 days a week"; "2 sets of 10 reps each side with a red band ·
    /// rest 1 minute between sets · …"; "10 minutes · twice a day · every day".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let sets = plural(self.sets, "set", "sets");
        // What one set is: reps, a time, a distance (a hold is said apart).
        let mut amounts = Vec::new();
        if let Some(reps) = self.reps {
            amounts.push(plural(reps, "rep", "reps"));
        }
        if let Some(seconds) = self.duration_seconds {
            amounts.push(duration(seconds));
        }
        if let Some(metres) = self.distance_m {
            amounts.push(distance(metres));
        }
        let mut first = match (amounts.is_empty(), self.sets) {
            // "10 minutes", "400 m": one set of a time or a distance.
            (false, 1) if self.reps.is_none() => amounts.join(", "),
            (false, _) => format!("{sets} of {}", amounts.join(", ")),
            (true, _) => sets,
        };
        if self.each_side {
            first.push_str(" each side");
        }
        if let Some(load) = self.load {
            first.push(' ');
            first.push_str(&load.describe());
        }
        match (amounts.is_empty(), self.hold_seconds) {
            (true, Some(hold)) => parts.push(format!("{first} · hold {hold} s")),
            (false, Some(hold)) => {
                parts.push(first);
                parts.push(format!("hold {hold} s"));
            }
            (_, None) => parts.push(first),
        }
        // Rest between sets says nothing of a single set.
        if let Some(rest) = self.rest_seconds.filter(|_| self.sets > 1) {
            parts.push(format!("rest {} between sets", duration(rest)));
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

/// "45 seconds", "10 minutes", "1 minute 30 seconds", "1 hour 15 minutes"
fn duration(seconds: i32) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = Vec::new();
    if h > 0 {
        out.push(plural(h, "hour", "hours"));
    }
    if m > 0 {
        out.push(plural(m, "minute", "minutes"));
    }
    if s > 0 || out.is_empty() {
        out.push(plural(s, "second", "seconds"));
    }
    out.join(" ")
}

/// "400 m", "1 km", "1.5 km"
fn distance(metres: i32) -> String {
    if metres >= 1000 && metres % 100 == 0 {
        Tenths(metres / 100).describe() + " km"
    } else {
        format!("{metres} m")
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
            ..DosageInput::default()
        }
    }

    fn parse_json(json: serde_json::Value) -> Result<Dosage, Vec<FieldError>> {
        Dosage::parse(serde_json::from_value(json).unwrap(), None, "")
    }

    #[test]
    fn times_distances_loads_rest_and_each_side_read_as_a_patient_says_them() {
        let cases = [
            (
                serde_json::json!({"sets": 1, "duration_seconds": 600, "times_per_day": 2}),
                "10 minutes · twice a day · every day",
            ),
            (
                serde_json::json!({"sets": 2, "reps": 10, "each_side": true, "rest_seconds": 60,
                    "load": {"kind": "band", "colour": "Red"}}),
                "2 sets of 10 reps each side with a red band · rest 1 minute between sets · once a day · every day",
            ),
            (
                serde_json::json!({"sets": 3, "reps": 8, "load": {"kind": "weight", "amount": 2.5, "unit": "kg"},
                    "days_per_week": 3}),
                "3 sets of 8 reps with 2.5 kg · once a day · 3 days a week",
            ),
            (
                serde_json::json!({"sets": 3, "duration_seconds": 30, "rest_seconds": 90}),
                "3 sets of 30 seconds · rest 1 minute 30 seconds between sets · once a day · every day",
            ),
            (
                serde_json::json!({"sets": 1, "distance_m": 1500, "rest_seconds": 60}),
                "1.5 km · once a day · every day",
            ),
            (
                serde_json::json!({"sets": 4, "distance_m": 400, "load": {"kind": "weight", "amount": 10, "unit": "lb"}}),
                "4 sets of 400 m with 10 lb · once a day · every day",
            ),
            (
                serde_json::json!({"sets": 2, "hold_seconds": 30, "each_side": true}),
                "2 sets each side · hold 30 s · once a day · every day",
            ),
        ];
        for (json, line) in cases {
            assert_eq!(parse_json(json.clone()).unwrap().describe(), line, "{json}");
        }
    }

    #[test]
    fn a_dosage_stored_before_the_newer_kinds_reads_writes_and_prints_as_before() {
        let stored = r#"{"sets":3,"reps":10,"hold_seconds":5,"times_per_day":2,"days_per_week":5}"#;
        let d: Dosage = serde_json::from_str(stored).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), stored);
        assert_eq!(
            d.describe(),
            "3 sets of 10 reps · hold 5 s · twice a day · 5 days a week"
        );
    }

    #[test]
    fn a_wrong_load_names_the_part_to_fix() {
        let cases = [
            (serde_json::json!({"kind": "kettle"}), "load.kind"),
            (
                serde_json::json!({"kind": "band", "colour": "purple"}),
                "load.colour",
            ),
            (
                serde_json::json!({"kind": "weight", "unit": "kg"}),
                "load.amount",
            ),
            (
                serde_json::json!({"kind": "weight", "amount": 2.55, "unit": "kg"}),
                "load.amount",
            ),
            (
                serde_json::json!({"kind": "weight", "amount": 0, "unit": "kg"}),
                "load.amount",
            ),
            (
                serde_json::json!({"kind": "weight", "amount": 2, "unit": "stone"}),
                "load.unit",
            ),
        ];
        for (load, field) in cases {
            let json = serde_json::json!({"sets": 1, "reps": 5, "load": load});
            let errors = parse_json(json).unwrap_err();
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, [field], "{load}");
        }
        let errors = parse_json(serde_json::json!({"sets": 1, "duration_seconds": 2})).unwrap_err();
        assert_eq!(errors[0].field, "duration_seconds");
        let errors = parse_json(serde_json::json!({"sets": 1, "distance_m": 60000})).unwrap_err();
        assert_eq!(errors[0].field, "distance_m");
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
    fn no_reps_hold_time_or_distance_is_refused() {
        let errors = Dosage::parse(input(1, None, None), None, "").unwrap_err();
        assert_eq!(errors[0].field, "reps");
        assert!(errors[0].message.contains("duration_seconds"));
    }

    #[test]
    fn missing_numbers_come_from_the_defaults() {
        let defaults = Dosage {
            sets: 2,
            reps: None,
            hold_seconds: Some(30),
            duration_seconds: None,
            distance_m: None,
            load: Some(Load::Band {
                colour: BandColour::Green,
            }),
            rest_seconds: Some(30),
            each_side: true,
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
                    ..DosageInput::default()
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
                prop_assert_eq!(Dosage::parse(DosageInput::from(d), None, "").ok(), Some(d));
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
                    ..DosageInput::default()
                };
                let errors = Dosage::parse(raw, None, "items[1].").err().unwrap_or_default();
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                let expected = format!("items[1].{}", names[which]);
                prop_assert_eq!(fields, vec![expected.as_str()]);
            }
        }
    }
}
