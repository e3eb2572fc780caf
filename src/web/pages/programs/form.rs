//! The builder's form as posted. One form holds the whole draft: its items
//! as `items[N][field]` (nested keys, read by `serde_qs`), the search typed
//! beside it, and the button pressed: `action` (save, publish, template,
//! `up:N`, `down:N`, `remove:N`), `add` (the exercise to add) or `swap[N]`
//! (the alternative to put in row N). Numbers stay text until read here,
//! so a word typed into a number field is shown back beside it.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::super::dose;
use super::page::{ItemForm, SearchQuery};
use crate::domain::ids::{empty_as_none, ExerciseId};
use crate::domain::program::ItemInput;

/// Rows past this index are not our form's and are dropped.
const MAX_INDEX: u32 = 100;

/// The builder form, field by field.
#[derive(Deserialize)]
pub(super) struct BuilderForm {
    #[serde(default = "save")]
    action: String,
    /// "Add" on a search result: the exercise to add.
    #[serde(default)]
    add: Option<ExerciseId>,
    /// "Swap in" on an alternative: the row and the exercise to put there.
    #[serde(default)]
    swap: BTreeMap<usize, ExerciseId>,
    /// "Easier" / "Harder" on an item: the row and its progression's next
    /// exercise, which keeps the dosage where it fits.
    #[serde(default)]
    step: BTreeMap<usize, ExerciseId>,
    #[serde(default)]
    revision: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    items: BTreeMap<u32, ItemFields>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    equipment: String,
    #[serde(default)]
    movement: String,
    #[serde(default)]
    condition: String,
    #[serde(default)]
    difficulty: String,
}

fn save() -> String {
    "save".into()
}

/// One row of the draft as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ItemFields {
    #[serde(default, deserialize_with = "empty_as_none")]
    exercise_id: Option<ExerciseId>,
    /// The dosage fields as typed, by key (see `dose`).
    #[serde(flatten)]
    dose: BTreeMap<String, String>,
    #[serde(default)]
    side: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    override_reason: String,
}

/// The builder form made usable: rows in order, each with its exercise
/// (rows without one gone), the search as a query.
pub(super) struct Submitted {
    pub(super) action: String,
    pub(super) add: Option<ExerciseId>,
    pub(super) swap: Option<(usize, ExerciseId)>,
    pub(super) step: Option<(usize, ExerciseId)>,
    pub(super) revision: i64,
    pub(super) title: String,
    pub(super) notes: String,
    pub(super) items: Vec<(ExerciseId, ItemFields)>,
    pub(super) search: SearchQuery,
}

impl From<BuilderForm> for Submitted {
    fn from(form: BuilderForm) -> Self {
        Self {
            action: form.action,
            add: form.add,
            swap: form.swap.into_iter().next(),
            step: form.step.into_iter().next(),
            revision: form.revision.parse().unwrap_or(0),
            title: form.title,
            notes: form.notes,
            items: form
                .items
                .into_iter()
                .filter(|(index, _)| *index < MAX_INDEX)
                .filter_map(|(_, item)| Some((item.exercise_id?, item)))
                .collect(),
            search: SearchQuery {
                q: form.q,
                region: form.region,
                category: form.category,
                equipment: form.equipment,
                movement: form.movement,
                condition: form.condition,
                difficulty: form.difficulty,
            },
        }
    }
}

/// Typed numbers; words are reported beside their field, under the keys
/// the domain uses for its own messages (`items[N].field`).
pub(super) fn items_input(
    items: &[(ExerciseId, ItemFields)],
    errors: &mut BTreeMap<String, String>,
) -> Vec<ItemInput> {
    items
        .iter()
        .enumerate()
        .map(|(i, (exercise_id, item))| {
            let text = |raw: &str| Some(raw.trim().to_owned()).filter(|v| !v.is_empty());
            ItemInput {
                exercise_id: *exercise_id,
                dosage: dose::input(
                    |key| item.dose.get(key).cloned().unwrap_or_default(),
                    &format!("items[{i}]."),
                    errors,
                ),
                side: text(&item.side),
                notes: text(&item.notes),
                override_reason: text(&item.override_reason),
            }
        })
        .collect()
}

/// Applies the button pressed to the typed items.
pub(super) fn apply(submitted: &Submitted, mut items: Vec<ItemInput>) -> Vec<ItemInput> {
    if let Some(id) = submitted.add {
        items.push(ItemInput {
            exercise_id: id,
            ..ItemInput::default()
        });
    }
    if let Some((i, id)) = submitted.swap {
        if i < items.len() {
            // The new exercise starts from its own default dosage.
            let old = &items[i];
            items[i] = ItemInput {
                exercise_id: id,
                side: old.side.clone(),
                notes: old.notes.clone(),
                ..ItemInput::default()
            };
        }
    }
    if let Some((i, id)) = submitted.step {
        if let Some(item) = items.get_mut(i) {
            // The dosage stays; `save` drops it if the new exercise is
            // dosed another way (time instead of reps, say).
            item.exercise_id = id;
            item.override_reason = None;
        }
    }
    let mut parts = submitted.action.splitn(2, ':');
    let verb = parts.next().unwrap_or_default();
    let index: Option<usize> = parts.next().and_then(|i| i.parse().ok());
    match (verb, index) {
        ("remove", Some(i)) if i < items.len() => {
            items.remove(i);
        }
        ("up", Some(i)) if i > 0 && i < items.len() => items.swap(i, i - 1),
        ("down", Some(i)) if i + 1 < items.len() => items.swap(i, i + 1),
        _ => {}
    }
    items
}
/// Typed values back into the form, to re-show them beside their errors.
/// `known` holds what the saved draft showed of each exercise (its name,
/// thumbnail and progression steps), so the re-shown form keeps them.
pub(super) fn typed_items(
    items: &[(ExerciseId, ItemFields)],
    known: &BTreeMap<ExerciseId, &ItemForm>,
) -> Vec<ItemForm> {
    let count = items.len();
    items
        .iter()
        .enumerate()
        .map(|(index, (exercise_id, item))| ItemForm {
            figure: known.get(exercise_id).is_some_and(|k| k.figure),
            easier: known.get(exercise_id).and_then(|k| k.easier.clone()),
            harder: known.get(exercise_id).and_then(|k| k.harder.clone()),
            picture: known.get(exercise_id).and_then(|k| k.picture.clone()),
            index,
            number: index + 1,
            name: known
                .get(exercise_id)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
            exercise_id: *exercise_id,
            dosage_line: String::new(),
            dose: dose::keys()
                .map(|key| (key, item.dose.get(key).cloned().unwrap_or_default()))
                .collect(),
            side: item.side.clone(),
            notes: item.notes.clone(),
            override_reason: item.override_reason.clone(),
            verdict: "neutral".into(),
            reason: String::new(),
            alternatives: vec![],
            is_last: index + 1 == count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::pages::extract::{FormFormat, Nested};

    fn read(pairs: &[(&str, &str)]) -> Submitted {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Submitted::from(Nested::parse::<BuilderForm>(&pairs).unwrap())
    }

    /// The id a test row names by a letter, as the form posts it.
    fn id(letter: &str) -> String {
        String::from(ExerciseId::builtin(letter))
    }

    #[test]
    fn rows_are_read_in_index_order_and_rows_without_an_exercise_dropped() {
        let (a, b, c, d) = (id("a"), id("b"), id("c"), id("d"));
        let s = read(&[
            ("csrf", "x"),
            ("items[1][exercise_id]", &b),
            ("items[1][sets]", "3"),
            ("items[0][exercise_id]", &a),
            ("items[0][notes]", ""),
            ("items[2][exercise_id]", ""),
            ("items[4][exercise_id]", &c),
            ("items[4][reps]", "twelve"),
            ("items[100][exercise_id]", &d),
            ("title", "Back"),
            ("notes", ""),
            ("q", ""),
            ("region", "neck"),
            ("revision", "7"),
        ]);
        let letter = |id: &ExerciseId| {
            ["a", "b", "c", "d"]
                .into_iter()
                .find(|l| ExerciseId::builtin(l) == *id)
                .unwrap_or("?")
        };
        let ids: Vec<&str> = s.items.iter().map(|(id, _)| letter(id)).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(s.items[1].1.dose["sets"], "3");
        assert_eq!((s.action.as_str(), s.revision), ("save", 7));
        assert_eq!((s.title.as_str(), s.notes.as_str()), ("Back", ""));
        assert_eq!(s.search.query_string(), "region=neck");
        let mut errors = BTreeMap::new();
        let input = items_input(&s.items, &mut errors);
        assert_eq!(input[1].dosage.sets, Some(3));
        assert_eq!(errors["items[2].reps"], "enter a whole number");
    }

    #[test]
    fn the_add_and_swap_buttons_carry_their_exercise() {
        let (a, b) = (id("a"), id("b"));
        let s = read(&[("items[0][exercise_id]", &a), ("swap[0]", &b)]);
        let items = apply(&s, items_input(&s.items, &mut BTreeMap::new()));
        assert_eq!(items[0].exercise_id, ExerciseId::builtin("b"));
        let s = read(&[("items[0][exercise_id]", &a), ("add", &b)]);
        let items = apply(&s, items_input(&s.items, &mut BTreeMap::new()));
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].exercise_id, ExerciseId::builtin("b"));
    }

    #[test]
    fn a_revision_that_is_not_a_number_reads_as_zero_and_the_button_wins() {
        let s = read(&[("revision", "x"), ("action", "publish")]);
        assert_eq!((s.action.as_str(), s.revision), ("publish", 0));
        assert!(s.items.is_empty());
    }
}
