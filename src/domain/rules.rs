//! The precautions engine. For a patient's precautions and an exercise's
//! movement tags: **avoid** when the tags meet any avoid tag (naming the
//! precautions and tags), else **caution** when they meet a caution tag,
//! else **prefer** when they meet a prefer tag, else **neutral**.
//! Alternatives for an avoided exercise: the explicit substitutions first,
//! then exercises of the same purpose (category) sharing a region at the
//! same or an easier level, preferred first and caution last. Never an
//! avoided one, never one already in the program.

use serde::Serialize;

use super::ids::{ExerciseId, PrecautionId};

/// How many alternatives the builder offers for an avoided exercise.
pub const ALTERNATIVES: usize = 5;

/// A precaution as the engine sees it; substitutions name exercise ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: PrecautionId,
    pub avoid: Vec<String>,
    pub caution: Vec<String>,
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
    /// 1 (very easy) to 5 (very hard).
    pub difficulty: u8,
    pub movement: Vec<String>,
}

/// From most to least restrictive; the first that applies wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// Advised against: publishing needs an override reason.
    Avoid,
    /// Allowed with care: shown with its reason, never blocks publishing.
    Caution,
    Prefer,
    Neutral,
}

impl VerdictKind {
    /// Rank among alternatives: preferred first, caution last.
    fn rank(self) -> u8 {
        match self {
            Self::Prefer => 0,
            Self::Neutral => 1,
            Self::Caution => 2,
            Self::Avoid => 3,
        }
    }
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

/// One of a rule's tag lists.
type Side = fn(&Rule) -> &[String];

/// How a similar exercise ranks as an alternative, best lowest: its
/// verdict's rank, not sharing the main region, fewer shared regions, and
/// how much easier it is.
type Rank = (u8, bool, usize, u8);

/// Judges one exercise's movement tags against the patient's precautions.
pub fn verdict(rules: &[Rule], movement: &[String]) -> Verdict {
    let tiers: [(VerdictKind, Side); 3] = [
        (VerdictKind::Avoid, |r| r.avoid.as_slice()),
        (VerdictKind::Caution, |r| r.caution.as_slice()),
        (VerdictKind::Prefer, |r| r.prefer.as_slice()),
    ];
    for (kind, side) in tiers {
        let (precautions, tags) = meeting(rules, movement, side);
        if !precautions.is_empty() {
            return Verdict {
                kind,
                precautions,
                tags,
            };
        }
    }
    Verdict {
        kind: VerdictKind::Neutral,
        precautions: Vec::new(),
        tags: Vec::new(),
    }
}

/// Up to `limit` safe alternatives to `exercise`, best first, leaving out
/// the exercises already in the program.
pub fn alternatives<'a>(
    rules: &[Rule],
    exercise: &Candidate,
    catalog: &'a [Candidate],
    program: &[ExerciseId],
    limit: usize,
) -> Vec<&'a Candidate> {
    let kind = |c: &Candidate| verdict(rules, &c.movement).kind;
    let open = |c: &Candidate| {
        c.id != exercise.id && !program.contains(&c.id) && kind(c) != VerdictKind::Avoid
    };
    let mut chosen: Vec<&'a Candidate> = Vec::new();
    for rule in rules {
        for (from, to) in &rule.substitutions {
            if from != &exercise.id {
                continue;
            }
            if let Some(target) = catalog.iter().find(|c| &c.id == to) {
                if open(target) && !chosen.iter().any(|c| c.id == target.id) {
                    chosen.push(target);
                }
            }
        }
    }
    let primary = exercise.regions.first();
    let mut similar: Vec<(Rank, &'a Candidate)> = catalog
        .iter()
        .filter(|c| c.category == exercise.category && c.difficulty <= exercise.difficulty)
        .filter(|c| open(c) && !chosen.iter().any(|k| k.id == c.id))
        .filter_map(|c| {
            let shared = c
                .regions
                .iter()
                .filter(|r| exercise.regions.contains(r))
                .count();
            (shared > 0).then(|| {
                let key = (
                    kind(c).rank(),
                    c.regions.first() != primary,
                    usize::MAX - shared,
                    exercise.difficulty - c.difficulty,
                );
                (key, c)
            })
        })
        .collect();
    similar.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    chosen.extend(similar.into_iter().map(|(_, c)| c));
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

/// Every avoided item of a program, in item order; alternatives leave out
/// the program's own exercises.
pub fn conflicts<'a>(
    rules: &[Rule],
    items: &[&Candidate],
    catalog: &'a [Candidate],
    limit: usize,
) -> Vec<Conflict<'a>> {
    let program: Vec<ExerciseId> = items.iter().map(|c| c.id).collect();
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
                alternatives: alternatives(rules, item, catalog, &program, limit),
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
            difficulty: 3,
            movement: strings(movement),
        }
    }

    fn flexion_intolerant() -> Rule {
        Rule {
            id: precaution("flexion-intolerant"),
            avoid: strings(&["flexion"]),
            caution: vec![],
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
            caution: vec![],
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
        let ids: Vec<&str> = alternatives(&rules, &catalog[0], &catalog, &[], 5)
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
        assert!(alternatives(&rules, &catalog[0], &catalog, &[], 5).is_empty());
    }

    #[test]
    fn a_caution_tag_gives_caution_below_avoid_and_above_prefer() {
        let rules = [Rule {
            id: precaution("extension-intolerant"),
            avoid: strings(&["trunk-extension"]),
            caution: strings(&["prone-lying"]),
            prefer: strings(&["trunk-flexion"]),
            substitutions: vec![],
        }];
        let kind = |tags: &[&str]| verdict(&rules, &strings(tags)).kind;
        assert_eq!(
            kind(&["trunk-extension", "prone-lying"]),
            VerdictKind::Avoid
        );
        assert_eq!(
            kind(&["prone-lying", "trunk-flexion"]),
            VerdictKind::Caution
        );
        assert_eq!(kind(&["trunk-flexion"]), VerdictKind::Prefer);
        let caution = verdict(&rules, &strings(&["prone-lying"]));
        assert_eq!(caution.precautions, ["extension-intolerant"]);
        assert_eq!(caution.tags, ["prone-lying"]);
    }

    #[test]
    fn alternatives_are_never_harder_never_in_the_program_and_caution_comes_last() {
        let rules = [Rule {
            id: precaution("fall-risk"),
            avoid: strings(&["single-leg-stance"]),
            caution: strings(&["narrow-stance"]),
            prefer: vec![],
            substitutions: vec![],
        }];
        let with_level = |id: &str, level: u8, movement: &[&str]| Candidate {
            difficulty: level,
            ..exercise(id, &["ankle-foot"], "balance", movement)
        };
        let catalog = vec![
            with_level("single-leg-stance", 3, &["single-leg-stance"]),
            with_level("a-tandem", 3, &["narrow-stance"]),
            with_level("b-weight-shift", 2, &[]),
            with_level("c-hop", 5, &[]),
            with_level("d-in-program", 1, &[]),
        ];
        let names = |program: &[ExerciseId]| -> Vec<String> {
            alternatives(&rules, &catalog[0], &catalog, program, 5)
                .iter()
                .map(|c| c.name.clone())
                .collect()
        };
        assert_eq!(names(&[]), ["b-weight-shift", "d-in-program", "a-tandem"]);
        assert_eq!(
            names(&[ExerciseId::builtin("d-in-program")]),
            ["b-weight-shift", "a-tandem"]
        );
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
                1u8..=5,
            ),
            1..30,
        )
        .prop_map(|entries| {
            entries
                .into_iter()
                .enumerate()
                .map(|(i, (regions, category, movement, difficulty))| Candidate {
                    id: ExerciseId::builtin(&format!("e{i}")),
                    name: format!("Exercise {i}"),
                    regions: regions.into_iter().map(String::from).collect(),
                    category: category.to_owned(),
                    difficulty,
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
                tag_set(),
                proptest::collection::vec((0..catalog_len, 0..catalog_len), 0..4),
            ),
            0..4,
        )
        .prop_map(|rules| {
            rules
                .into_iter()
                .enumerate()
                .map(|(i, (avoid, caution, prefer, subs))| Rule {
                    id: precaution(&format!("p{i}")),
                    prefer: prefer
                        .into_iter()
                        .filter(|t| !avoid.contains(t) && !caution.contains(t))
                        .collect(),
                    caution: caution.into_iter().filter(|t| !avoid.contains(t)).collect(),
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
                let item = items[conflict.item_index];
                let explicit: Vec<&ExerciseId> = rules
                    .iter()
                    .flat_map(|r| r.substitutions.iter())
                    .filter(|(from, _)| from == &item.id)
                    .map(|(_, to)| to)
                    .collect();
                for alternative in &conflict.alternatives {
                    prop_assert!(alternative.movement.iter().all(|t| !avoided.contains(&t)),
                        "alternative {} carries an avoided tag", alternative.id);
                    prop_assert_ne!(&alternative.id, &conflict.exercise_id);
                    prop_assert!(!items.iter().any(|i| i.id == alternative.id),
                        "alternative {} is already in the program", alternative.id);
                    prop_assert!(
                        explicit.contains(&&alternative.id)
                            || (alternative.difficulty <= item.difficulty
                                && alternative.category == item.category),
                        "alternative {} is harder or of another purpose", alternative.id);
                }
                // Caution ones come after every preferred or neutral one
                // found by similarity.
                let similar: Vec<VerdictKind> = conflict
                    .alternatives
                    .iter()
                    .filter(|a| !explicit.contains(&&a.id))
                    .map(|a| verdict(&rules, &a.movement).kind)
                    .collect();
                let ranks: Vec<u8> = similar.iter().map(|k| k.rank()).collect();
                prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{:?}", similar);
            }
        }
    }
}
