//! The precautions engine. For a patient's precautions and an exercise's
//! movement tags: **avoid** when the tags meet any avoid tag (naming the
//! precautions and tags), **prefer** when they meet a prefer tag and no avoid
//! tag, else **neutral**. Alternatives for an avoided exercise: the explicit
//! substitutions first, then exercises sharing a region and the category that
//! carry no avoided tag, preferred ones first. Never an avoided one.

use serde::Serialize;

use super::ids::{ExerciseId, PrecautionId};

/// A precaution as the engine sees it; substitutions name exercise ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: PrecautionId,
    pub avoid: Vec<String>,
    pub prefer: Vec<String>,
    /// (from exercise, to exercise), in the precaution's order.
    pub substitutions: Vec<(ExerciseId, ExerciseId)>,
}

/// What the engine needs to know of an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: ExerciseId,
    pub name: String,
    pub regions: Vec<String>,
    pub category: String,
    pub movement: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    Avoid,
    Prefer,
    Neutral,
}

/// The verdict on one exercise, with the precautions and tags behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub kind: VerdictKind,
    #[schema(value_type = Vec<String>)]
    pub precautions: Vec<PrecautionId>,
    pub tags: Vec<String>,
}

fn meeting(
    rules: &[Rule],
    movement: &[String],
    side: impl Fn(&Rule) -> &[String],
) -> (Vec<PrecautionId>, Vec<String>) {
    let mut precautions = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for rule in rules {
        let met: Vec<&String> = side(rule).iter().filter(|t| movement.contains(t)).collect();
        if !met.is_empty() {
            precautions.push(rule.id.clone());
            for tag in met {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
            }
        }
    }
    (precautions, tags)
}

/// Judges one exercise's movement tags against the patient's precautions.
pub fn verdict(rules: &[Rule], movement: &[String]) -> Verdict {
    let (precautions, tags) = meeting(rules, movement, |r| &r.avoid);
    if !precautions.is_empty() {
        return Verdict {
            kind: VerdictKind::Avoid,
            precautions,
            tags,
        };
    }
    let (precautions, tags) = meeting(rules, movement, |r| &r.prefer);
    if !precautions.is_empty() {
        return Verdict {
            kind: VerdictKind::Prefer,
            precautions,
            tags,
        };
    }
    Verdict {
        kind: VerdictKind::Neutral,
        precautions,
        tags,
    }
}

/// Up to `limit` safe alternatives to `exercise`, best first.
pub fn alternatives<'a>(
    rules: &[Rule],
    exercise: &Candidate,
    catalog: &'a [Candidate],
    limit: usize,
) -> Vec<&'a Candidate> {
    let safe = |c: &Candidate| {
        c.id != exercise.id && verdict(rules, &c.movement).kind != VerdictKind::Avoid
    };
    let mut chosen: Vec<&'a Candidate> = Vec::new();
    for rule in rules {
        for (from, to) in &rule.substitutions {
            if from != &exercise.id {
                continue;
            }
            if let Some(target) = catalog.iter().find(|c| &c.id == to) {
                if safe(target) && !chosen.iter().any(|c| c.id == target.id) {
                    chosen.push(target);
                }
            }
        }
    }
    let primary = exercise.regions.first();
    let mut similar: Vec<(bool, bool, usize, &'a Candidate)> = catalog
        .iter()
        .filter(|c| c.category == exercise.category && safe(c))
        .filter(|c| !chosen.iter().any(|k| k.id == c.id))
        .filter_map(|c| {
            let shared = c
                .regions
                .iter()
                .filter(|r| exercise.regions.contains(r))
                .count();
            (shared > 0).then(|| {
                let preferred = verdict(rules, &c.movement).kind == VerdictKind::Prefer;
                (preferred, c.regions.first() == primary, shared, c)
            })
        })
        .collect();
    similar.sort_by(|a, b| {
        (b.0, b.1, b.2)
            .cmp(&(a.0, a.1, a.2))
            .then_with(|| a.3.name.cmp(&b.3.name))
    });
    chosen.extend(similar.into_iter().map(|(_, _, _, c)| c));
    chosen.truncate(limit);
    chosen
}

/// An avoided program item, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict<'a> {
    pub item_index: usize,
    pub exercise_id: ExerciseId,
    pub precautions: Vec<PrecautionId>,
    pub tags: Vec<String>,
    pub alternatives: Vec<&'a Candidate>,
}

/// Every avoided item of a program, in item order.
pub fn conflicts<'a>(
    rules: &[Rule],
    items: &[&Candidate],
    catalog: &'a [Candidate],
    limit: usize,
) -> Vec<Conflict<'a>> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let v = verdict(rules, &item.movement);
            (v.kind == VerdictKind::Avoid).then(|| Conflict {
                item_index: index,
                exercise_id: item.id,
                precautions: v.precautions,
                tags: v.tags,
                alternatives: alternatives(rules, item, catalog, limit),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    fn precaution(slug: &str) -> PrecautionId {
        PrecautionId::parse(slug).expect("a slug")
    }

    fn exercise(id: &str, regions: &[&str], category: &str, movement: &[&str]) -> Candidate {
        Candidate {
            id: ExerciseId::builtin(id),
            name: id.into(),
            regions: strings(regions),
            category: category.into(),
            movement: strings(movement),
        }
    }

    fn flexion_intolerant() -> Rule {
        Rule {
            id: precaution("flexion-intolerant"),
            avoid: strings(&["flexion"]),
            prefer: strings(&["extension"]),
            substitutions: vec![(
                ExerciseId::builtin("push-up"),
                ExerciseId::builtin("standing-row"),
            )],
        }
    }

    fn extension_intolerant() -> Rule {
        Rule {
            id: precaution("extension-intolerant"),
            avoid: strings(&["extension"]),
            prefer: strings(&["flexion"]),
            substitutions: vec![],
        }
    }

    #[test]
    fn flexion_is_avoided_and_extension_preferred_for_a_flexion_intolerant_patient() {
        let rules = [flexion_intolerant()];
        let push_up = verdict(&rules, &strings(&["flexion", "wrist-loading"]));
        assert_eq!(push_up.kind, VerdictKind::Avoid);
        assert_eq!(push_up.precautions, ["flexion-intolerant"]);
        assert_eq!(push_up.tags, ["flexion"]);
        assert_eq!(
            verdict(&rules, &strings(&["extension"])).kind,
            VerdictKind::Prefer
        );
        assert_eq!(
            verdict(&rules, &strings(&["rotation"])).kind,
            VerdictKind::Neutral
        );
        // Cat-camel has both phases: the avoided one wins.
        assert_eq!(
            verdict(&rules, &strings(&["flexion", "extension"])).kind,
            VerdictKind::Avoid
        );
    }

    #[test]
    fn the_mirror_precaution_gives_mirror_verdicts() {
        let rules = [extension_intolerant()];
        assert_eq!(
            verdict(&rules, &strings(&["extension"])).kind,
            VerdictKind::Avoid
        );
        assert_eq!(
            verdict(&rules, &strings(&["flexion"])).kind,
            VerdictKind::Prefer
        );
    }

    #[test]
    fn no_precautions_means_neutral() {
        assert_eq!(
            verdict(&[], &strings(&["flexion"])).kind,
            VerdictKind::Neutral
        );
    }

    #[test]
    fn explicit_substitutions_come_first_then_preferred_then_the_rest() {
        let catalog = vec![
            exercise("push-up", &["shoulder", "core"], "strength", &["flexion"]),
            exercise("a-plain", &["shoulder"], "strength", &[]),
            exercise("b-extension", &["shoulder"], "strength", &["extension"]),
            exercise("standing-row", &["upper-back", "shoulder"], "strength", &[]),
            exercise("wall-push-up", &["shoulder"], "strength", &["flexion"]),
            exercise("stretch", &["shoulder"], "stretch", &[]),
            exercise("knee", &["knee"], "strength", &[]),
        ];
        let rules = [flexion_intolerant()];
        let ids: Vec<&str> = alternatives(&rules, &catalog[0], &catalog, 5)
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(ids, ["standing-row", "b-extension", "a-plain"]);
    }

    #[test]
    fn a_substitution_that_is_itself_avoided_is_not_offered() {
        let mut rules = vec![flexion_intolerant(), extension_intolerant()];
        rules[0].substitutions =
            vec![(ExerciseId::builtin("push-up"), ExerciseId::builtin("arch"))];
        let catalog = vec![
            exercise("push-up", &["shoulder"], "strength", &["flexion"]),
            exercise("arch", &["shoulder"], "strength", &["extension"]),
        ];
        assert!(alternatives(&rules, &catalog[0], &catalog, 5).is_empty());
    }

    const TAGS: [&str; 6] = [
        "flexion",
        "extension",
        "rotation",
        "overhead",
        "impact",
        "kneeling",
    ];
    const REGIONS: [&str; 3] = ["neck", "shoulder", "knee"];
    const CATEGORIES: [&str; 2] = ["strength", "stretch"];

    fn tag_set() -> impl Strategy<Value = Vec<String>> {
        proptest::sample::subsequence(TAGS.to_vec(), 0..4)
            .prop_map(|t| t.into_iter().map(String::from).collect())
    }

    fn catalog_strategy() -> impl Strategy<Value = Vec<Candidate>> {
        proptest::collection::vec(
            (
                proptest::sample::subsequence(REGIONS.to_vec(), 1..3),
                proptest::sample::select(CATEGORIES.to_vec()),
                tag_set(),
            ),
            1..30,
        )
        .prop_map(|entries| {
            entries
                .into_iter()
                .enumerate()
                .map(|(i, (regions, category, movement))| Candidate {
                    id: ExerciseId::builtin(&format!("e{i}")),
                    name: format!("Exercise {i}"),
                    regions: regions.into_iter().map(String::from).collect(),
                    category: category.to_owned(),
                    movement,
                })
                .collect()
        })
    }

    fn rules_strategy(catalog_len: usize) -> impl Strategy<Value = Vec<Rule>> {
        proptest::collection::vec(
            (
                tag_set(),
                tag_set(),
                proptest::collection::vec((0..catalog_len, 0..catalog_len), 0..4),
            ),
            0..4,
        )
        .prop_map(|rules| {
            rules
                .into_iter()
                .enumerate()
                .map(|(i, (avoid, prefer, subs))| Rule {
                    id: precaution(&format!("p{i}")),
                    prefer: prefer.into_iter().filter(|t| !avoid.contains(t)).collect(),
                    avoid,
                    substitutions: subs
                        .into_iter()
                        .map(|(a, b)| {
                            (
                                ExerciseId::builtin(&format!("e{a}")),
                                ExerciseId::builtin(&format!("e{b}")),
                            )
                        })
                        .collect(),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_alternative_ever_carries_an_avoided_tag_and_every_avoided_item_is_a_conflict(
            (catalog, rules, picks) in catalog_strategy().prop_flat_map(|catalog| {
                let n = catalog.len();
                (Just(catalog), rules_strategy(n), proptest::collection::vec(0..n, 0..12))
            })
        ) {
            let items: Vec<&Candidate> = picks.iter().map(|&i| &catalog[i]).collect();
            let found = conflicts(&rules, &items, &catalog, 5);
            let avoided: Vec<&String> = rules.iter().flat_map(|r| r.avoid.iter()).collect();
            for (index, item) in items.iter().enumerate() {
                let is_avoided = item.movement.iter().any(|t| avoided.contains(&t));
                prop_assert_eq!(is_avoided, found.iter().any(|c| c.item_index == index));
            }
            for conflict in &found {
                prop_assert!(conflict.alternatives.len() <= 5);
                for alternative in &conflict.alternatives {
                    prop_assert!(alternative.movement.iter().all(|t| !avoided.contains(&t)),
                        "alternative {} carries an avoided tag", alternative.id);
                    prop_assert_ne!(&alternative.id, &conflict.exercise_id);
                }
            }
        }
    }
}
