//! The built-in catalog as files: `vocabulary.toml`, `precautions.toml` and
//! `exercises/<slug>.toml`. Loading checks everything at once and reports
//! each problem as `FILE: field: message`; the same checks back
//! `hep catalog validate` and the refusal to serve an invalid catalog.

pub mod import;
pub mod report;

#[cfg(test)]
mod clinical;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::domain::exercise::{ExerciseInput, ExerciseSpec, Step};
use crate::domain::figure::check;
use crate::domain::figure::spec::{parse_poses, BasePose, Figure, FigureInput};
use crate::domain::ids::ExerciseId;
use crate::domain::precaution::{PrecautionInput, PrecautionSpec};
use crate::domain::rules::{alternatives, verdict, Candidate, Rule, VerdictKind};
use crate::domain::vocabulary::{Kind, Vocabulary};
use crate::domain::FieldError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));
}

/// A checked catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub vocabulary: Vocabulary,
    /// The base poses figures start from (`poses.toml`).
    pub poses: BTreeMap<String, BasePose>,
    pub exercises: Vec<ExerciseSpec>,
    pub precautions: Vec<PrecautionSpec>,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.message)
    }
}

impl Problem {
    fn new(file: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The catalog compiled into this binary.
pub fn builtin() -> Result<Catalog, Vec<Problem>> {
    let files = embedded::FILES
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect();
    parse_files(files)
}

/// The built-in catalog for tests, failing with every problem listed.
#[cfg(test)]
pub(crate) fn checked_builtin() -> Catalog {
    builtin().unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// A catalog folder on disk.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<Problem>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut read = |relative: String, path: &Path| match std::fs::read_to_string(path) {
        Ok(text) => files.push((relative, text)),
        Err(e) => problems.push(Problem::new(&relative, "file", format!("cannot read: {e}"))),
    };
    for name in ["vocabulary.toml", "precautions.toml", "poses.toml"] {
        let path = dir.join(name);
        if path.exists() {
            read(name.to_owned(), &path);
        }
    }
    match std::fs::read_dir(dir.join("exercises")) {
        Ok(entries) => {
            let mut paths: Vec<_> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                read(format!("exercises/{name}"), &path);
            }
        }
        Err(e) => problems.push(Problem::new(
            "exercises",
            "folder",
            format!("cannot read {}: {e}", dir.join("exercises").display()),
        )),
    }
    match parse_files(files) {
        Ok(catalog) if problems.is_empty() => Ok(catalog),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// A TOML error as a problem: the field when serde names one, else the line.
fn toml_problem(file: &str, text: &str, err: &toml::de::Error) -> Problem {
    let message = err.message().trim().to_owned();
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((field, _)) = rest.split_once('`') {
                let what = if prefix.starts_with("missing") {
                    "is required".to_owned()
                } else {
                    format!("is not a known field ({message})")
                };
                return Problem::new(file, field, what);
            }
        }
    }
    let line = err.span().map_or(1, |span| {
        text[..span.start.min(text.len())].matches('\n').count() + 1
    });
    Problem::new(file, "toml", format!("line {line}: {message}"))
}

fn field_problems(file: &str, errors: Vec<FieldError>) -> impl Iterator<Item = Problem> + '_ {
    errors
        .into_iter()
        .map(move |e| Problem::new(file, e.field, e.message))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrecautionsFile {
    #[serde(default)]
    precaution: Vec<PrecautionInput>,
}

/// Parses and cross-checks a catalog given as (path, contents) pairs.
pub fn parse_files(files: Vec<(String, String)>) -> Result<Catalog, Vec<Problem>> {
    let mut problems = Vec::new();
    let find = |name: &str| files.iter().find(|(path, _)| path == name);
    let vocabulary = match find("vocabulary.toml") {
        Some((file, text)) => Vocabulary::parse(text).unwrap_or_else(|e| {
            problems.push(toml_problem(file, text, &e));
            Vocabulary::default()
        }),
        None => {
            problems.push(Problem::new("vocabulary.toml", "file", "is missing; it lists the allowed regions, categories, movement tags, equipment and positions"));
            Vocabulary::default()
        }
    };
    let poses = match find("poses.toml") {
        Some((file, text)) => parse_poses(text).unwrap_or_else(|message| {
            problems.push(Problem::new(file, "pose", message));
            BTreeMap::new()
        }),
        None => BTreeMap::new(),
    };
    let exercises = parse_exercises(&files, &vocabulary, &poses, &mut problems);
    let precautions = match find("precautions.toml") {
        Some((file, text)) => parse_precautions(file, text, &vocabulary, &exercises, &mut problems),
        None => Vec::new(),
    };
    if problems.is_empty() {
        problems.extend(check_alternatives(
            "precautions.toml",
            &precautions,
            &exercises,
        ));
    }
    if problems.is_empty() {
        Ok(Catalog {
            vocabulary,
            poses,
            exercises,
            precautions,
        })
    } else {
        Err(problems)
    }
}

/// Every `exercises/<slug>.toml`: each parsed, its slug matching its file
/// name, slugs and names unique.
fn parse_exercises(
    files: &[(String, String)],
    vocabulary: &Vocabulary,
    poses: &BTreeMap<String, BasePose>,
    problems: &mut Vec<Problem>,
) -> Vec<ExerciseSpec> {
    let mut exercises: Vec<ExerciseSpec> = Vec::new();
    let mut slugs: BTreeMap<String, String> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (file, text) in files
        .iter()
        .filter(|(path, _)| path.starts_with("exercises/"))
    {
        // The figure is catalog-only: read it apart from the fields a
        // clinic's exercise shares.
        let mut table: toml::Table = match toml::from_str(text) {
            Ok(table) => table,
            Err(e) => {
                problems.push(toml_problem(file, text, &e));
                continue;
            }
        };
        let figure_value = table.remove("figure");
        let mut step = |key: &str| match table.remove(key) {
            None => None,
            Some(toml::Value::String(slug)) => Some(slug),
            Some(_) => {
                problems.push(Problem::new(
                    file,
                    key,
                    "must be the slug of another exercise, like \"wall-push-up\"",
                ));
                None
            }
        };
        let (easier, harder) = (step("easier"), step("harder"));
        let conditions = conditions_of(file, table.remove("conditions"), vocabulary, problems);
        let input: ExerciseInput = match toml::Value::Table(table).try_into() {
            Ok(input) => input,
            Err(e) => {
                problems.push(toml_problem(file, text, &e));
                continue;
            }
        };
        let figure = figure_value.map(|value| {
            value
                .try_into::<FigureInput>()
                .map_err(|e| vec![FieldError::new("figure", e.message().trim())])
                .and_then(|input| Figure::parse(&input, poses))
        });
        let stem = file
            .trim_start_matches("exercises/")
            .trim_end_matches(".toml");
        if input.slug != stem {
            problems.push(Problem::new(
                file,
                "slug",
                format!("`{}` must match the file name `{stem}`", input.slug),
            ));
        }
        if let Some(other) = slugs.insert(input.slug.clone(), file.clone()) {
            problems.push(Problem::new(
                file,
                "slug",
                format!("`{}` is also used by {other}", input.slug),
            ));
        }
        let name_key = crate::domain::search::normalize(&input.name);
        if let Some(other) = names.insert(name_key, file.clone()) {
            problems.push(Problem::new(
                file,
                "name",
                format!("`{}` is also used by {other}", input.name),
            ));
        }
        if input.difficulty.is_none() {
            problems.push(Problem::new(
                file,
                "difficulty",
                "is required: 1 (very easy) to 5 (very hard)",
            ));
        }
        problems.extend(retired_tags(file, "movement", &input.movement, vocabulary));
        match ExerciseSpec::parse(input, vocabulary) {
            Ok(mut spec) => {
                match figure {
                    Some(Ok(figure)) => {
                        problems.extend(
                            check::problems(&figure, &spec.movement)
                                .into_iter()
                                .map(|m| Problem::new(file, "figure", m)),
                        );
                        spec.figure = Some(figure);
                    }
                    Some(Err(errors)) => problems.extend(field_problems(file, errors)),
                    None => problems.push(Problem::new(
                        file,
                        "figure",
                        "is required: draw the exercise from poses (see README.md, Figures)",
                    )),
                }
                let slug_only = |slug: String| Step {
                    slug,
                    name: String::new(),
                };
                spec.easier = easier.map(slug_only);
                spec.harder = harder.map(slug_only);
                spec.conditions = conditions;
                exercises.push(spec);
            }
            Err(errors) => problems.extend(field_problems(file, errors)),
        }
    }
    if exercises.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            "exercises",
            "folder",
            "holds no exercise files",
        ));
    }
    problems.extend(link_progressions(&mut exercises));
    exercises
}

/// An exercise's `conditions`: a list of the vocabulary's conditions, each
/// once.
fn conditions_of(
    file: &str,
    value: Option<toml::Value>,
    vocabulary: &Vocabulary,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let Some(value) = value else {
        return Vec::new();
    };
    let Ok(list) = value.try_into::<Vec<String>>() else {
        problems.push(Problem::new(
            file,
            "conditions",
            "must be a list of conditions, like [\"knee-oa\"]",
        ));
        return Vec::new();
    };
    let mut kept: Vec<String> = Vec::new();
    for condition in list {
        if !vocabulary.contains(Kind::Condition, &condition) {
            problems.push(Problem::new(
                file,
                "conditions",
                format!(
                    "unknown value `{condition}`; use {}",
                    vocabulary.allowed(Kind::Condition)
                ),
            ));
        } else if kept.contains(&condition) {
            problems.push(Problem::new(
                file,
                "conditions",
                format!("`{condition}` is listed twice"),
            ));
        } else {
            kept.push(condition);
        }
    }
    kept
}

/// Checks the `easier` / `harder` links — each names another exercise,
/// difficulty rises from easier to harder, two exercises that name each
/// other agree — then fills in the names and the other direction of each
/// link, so every exercise knows both its neighbours.
fn link_progressions(exercises: &mut [ExerciseSpec]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let index: BTreeMap<String, usize> = exercises
        .iter()
        .enumerate()
        .map(|(i, e)| (e.slug.clone(), i))
        .collect();
    let file = |slug: &str| format!("exercises/{slug}.toml");
    // (easier, harder) pairs, each once.
    let mut pairs: BTreeMap<(usize, usize), ()> = BTreeMap::new();
    for (i, e) in exercises.iter().enumerate() {
        for (key, target, harder) in [("easier", &e.easier, false), ("harder", &e.harder, true)] {
            let Some(step) = target else { continue };
            let Some(&j) = index.get(&step.slug) else {
                problems.push(Problem::new(
                    &file(&e.slug),
                    key,
                    format!("no exercise `{}` in the catalog", step.slug),
                ));
                continue;
            };
            if i == j {
                problems.push(Problem::new(
                    &file(&e.slug),
                    key,
                    "names the exercise itself",
                ));
                continue;
            }
            let (lo, hi) = if harder { (i, j) } else { (j, i) };
            if exercises[lo].difficulty >= exercises[hi].difficulty {
                problems.push(Problem::new(
                    &file(&e.slug),
                    key,
                    format!(
                        "`{}` (difficulty {}) must be easier than `{}` (difficulty {}): difficulty rises along a progression",
                        exercises[lo].slug, exercises[lo].difficulty, exercises[hi].slug, exercises[hi].difficulty
                    ),
                ));
                continue;
            }
            pairs.insert((lo, hi), ());
        }
    }
    // Each exercise has one easier and one harder neighbour at most.
    let mut easier: BTreeMap<usize, usize> = BTreeMap::new();
    let mut harder: BTreeMap<usize, usize> = BTreeMap::new();
    for &(lo, hi) in pairs.keys() {
        if let Some(other) = harder.insert(lo, hi) {
            problems.push(Problem::new(
                &file(&exercises[lo].slug),
                "harder",
                format!(
                    "`{}` and `{}` both follow it; a progression has one next step",
                    exercises[other].slug, exercises[hi].slug
                ),
            ));
        }
        if let Some(other) = easier.insert(hi, lo) {
            problems.push(Problem::new(
                &file(&exercises[hi].slug),
                "easier",
                format!(
                    "`{}` and `{}` both come before it; a progression has one step before",
                    exercises[other].slug, exercises[lo].slug
                ),
            ));
        }
    }
    if problems.is_empty() {
        let step = |k: usize| Step {
            slug: exercises[k].slug.clone(),
            name: exercises[k].name.clone(),
        };
        let links: Vec<(usize, Option<Step>, Option<Step>)> = (0..exercises.len())
            .map(|i| {
                (
                    i,
                    easier.get(&i).map(|&k| step(k)),
                    harder.get(&i).map(|&k| step(k)),
                )
            })
            .collect();
        for (i, e, h) in links {
            exercises[i].easier = e;
            exercises[i].harder = h;
        }
    }
    problems
}

/// `precautions.toml`: each precaution parsed, ids unique, substitutions
/// checked against the exercises.
fn parse_precautions(
    file: &str,
    text: &str,
    vocabulary: &Vocabulary,
    exercises: &[ExerciseSpec],
    problems: &mut Vec<Problem>,
) -> Vec<PrecautionSpec> {
    let mut precautions: Vec<PrecautionSpec> = Vec::new();
    let parsed = match toml::from_str::<PrecautionsFile>(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            problems.push(toml_problem(file, text, &e));
            return precautions;
        }
    };
    for (index, input) in parsed.precaution.into_iter().enumerate() {
        let prefix = format!("precaution[{index}]");
        let id = input.id.clone();
        for (field, tags) in [
            ("avoid", &input.avoid),
            ("caution", &input.caution),
            ("prefer", &input.prefer),
        ] {
            problems.extend(retired_tags(
                file,
                &format!("{prefix}.{field}"),
                tags,
                vocabulary,
            ));
        }
        let blank = |text: &Option<String>| text.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&input.see_therapist_if) {
            problems.push(Problem::new(
                file,
                format!("{prefix}.see_therapist_if"),
                "is required for a built-in precaution: it completes \"See your therapist if …\"",
            ));
        }
        if !input.caution.is_empty() && blank(&input.patient_caution) {
            problems.push(Problem::new(
                file,
                format!("{prefix}.patient_caution"),
                "is required when `caution` lists tags: tell the patient how to do those exercises safely",
            ));
        }
        match PrecautionSpec::parse(input, vocabulary) {
            Err(errors) => problems.extend(
                errors
                    .into_iter()
                    .map(|e| Problem::new(file, format!("{prefix}.{}", e.field), e.message)),
            ),
            Ok(spec) => {
                if precautions.iter().any(|p| p.id == spec.id) {
                    problems.push(Problem::new(
                        file,
                        format!("{prefix}.id"),
                        format!("`{id}` is used twice"),
                    ));
                }
                problems.extend(check_substitutions(file, &prefix, &spec, exercises));
                precautions.push(spec);
            }
        }
    }
    precautions
}

/// Retired movement tags are read as their replacements from clinics, but
/// the built-in files use the current ones.
fn retired_tags(file: &str, field: &str, tags: &[String], vocabulary: &Vocabulary) -> Vec<Problem> {
    tags.iter()
        .filter_map(|tag| {
            vocabulary.replacing(tag).map(|current| {
                Problem::new(
                    file,
                    field,
                    format!(
                        "`{tag}` is a retired tag; use the current tag(s) it stood for that apply: {}",
                        current.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// The engine's view of a catalog exercise.
pub fn candidate(spec: &ExerciseSpec) -> Candidate {
    Candidate {
        id: ExerciseId::builtin(&spec.slug),
        name: spec.name.clone(),
        regions: spec.regions.clone(),
        category: spec.category.clone(),
        difficulty: spec.difficulty,
        movement: spec.movement.clone(),
    }
}

/// The engine's view of a catalog precaution.
pub fn rule(spec: &PrecautionSpec) -> Rule {
    Rule {
        id: spec.id.clone(),
        avoid: spec.avoid.clone(),
        caution: spec.caution.clone(),
        prefer: spec.prefer.clone(),
        substitutions: spec
            .substitutions
            .iter()
            .map(|s| (ExerciseId::builtin(&s.from), ExerciseId::builtin(&s.to)))
            .collect(),
    }
}

/// Under each precaution alone, every exercise it avoids has at least one
/// alternative, so the builder never leaves a therapist without a way out.
fn check_alternatives(
    file: &str,
    precautions: &[PrecautionSpec],
    exercises: &[ExerciseSpec],
) -> Vec<Problem> {
    let catalog: Vec<Candidate> = exercises.iter().map(candidate).collect();
    let mut problems = Vec::new();
    for (index, precaution) in precautions.iter().enumerate() {
        let rules = [rule(precaution)];
        for exercise in &catalog {
            if verdict(&rules, &exercise.movement).kind != VerdictKind::Avoid {
                continue;
            }
            if alternatives(&rules, exercise, &catalog, &[exercise.id], 1).is_empty() {
                problems.push(Problem::new(
                    file,
                    format!("precaution[{index}].substitution"),
                    format!(
                        "`{}` avoids `{}` but finds no alternative of the same category and region at its difficulty or easier; add a substitution",
                        precaution.id, exercise.name
                    ),
                ));
            }
        }
    }
    problems
}

/// Substitutions must name exercises of the catalog, swap an avoided
/// exercise, and never swap in one the same precaution avoids.
fn check_substitutions(
    file: &str,
    prefix: &str,
    spec: &PrecautionSpec,
    exercises: &[ExerciseSpec],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let find = |slug: &str| exercises.iter().find(|e| e.slug == slug);
    for (i, sub) in spec.substitutions.iter().enumerate() {
        let field = format!("{prefix}.substitution[{i}]");
        match find(&sub.from) {
            None => problems.push(Problem::new(file, format!("{field}.from"), format!("no exercise `{}` in the catalog", sub.from))),
            Some(from) if !from.movement.iter().any(|t| spec.avoid.contains(t)) => problems.push(Problem::new(
                file,
                format!("{field}.from"),
                format!("`{}` carries none of this precaution's avoid tags, so the swap would never be offered", sub.from),
            )),
            Some(_) => {}
        }
        match find(&sub.to) {
            None => problems.push(Problem::new(
                file,
                format!("{field}.to"),
                format!("no exercise `{}` in the catalog", sub.to),
            )),
            Some(to) => {
                let clash: Vec<&str> = to
                    .movement
                    .iter()
                    .filter(|t| spec.avoid.contains(t))
                    .map(String::as_str)
                    .collect();
                if !clash.is_empty() {
                    problems.push(Problem::new(
                        file,
                        format!("{field}.to"),
                        format!("`{}` carries the avoided tag(s) {}; swap in an exercise this precaution allows", sub.to, clash.join(", ")),
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const VOCAB: &str = r#"
[regions]
shoulder = "s"
[categories]
strength = "s"
[movement]
flexion = "f"
extension = "e"
[equipment]
none = "n"
[positions]
standing = "s"
"#;

    /// An exercise file with a simple figure.
    fn exercise(slug: &str, movement: &str) -> String {
        format!(
            "{}\n[figure]\n[[figure.frame]]\npose = \"standing\"\n[[figure.frame]]\npose = \"standing\"\nknee = 30\n",
            bare(slug, movement)
        )
    }

    /// An exercise file without a figure.
    fn bare(slug: &str, movement: &str) -> String {
        format!(
            r#"slug = "{slug}"
name = "Exercise {slug}"
summary = "Does a thing."
regions = ["shoulder"]
category = "strength"
difficulty = 2
movement = [{movement}]
equipment = ["none"]
position = "standing"
steps = ["One.", "Two.", "Three."]
cues = ["Cue."]
[dosage]
sets = 3
reps = 10
times_per_day = 1
days_per_week = 5
"#
        )
    }

    const POSES: &str = "[standing]\nview = \"side\"\nsupport = \"floor\"\n[supine]\nview = \"side\"\nsupport = \"floor\"\nbody = -90\n";

    fn files(extra: Vec<(&str, String)>) -> Vec<(String, String)> {
        let mut files = vec![
            ("vocabulary.toml".to_owned(), VOCAB.to_owned()),
            ("poses.toml".to_owned(), POSES.to_owned()),
            (
                "exercises/push.toml".to_owned(),
                exercise("push", "\"flexion\""),
            ),
            ("exercises/row.toml".to_owned(), exercise("row", "")),
        ];
        files.extend(extra.into_iter().map(|(p, t)| (p.to_owned(), t)));
        files
    }

    /// An exercise at `difficulty` with top-level `links` (easier / harder).
    fn linked(slug: &str, difficulty: u8, links: &str) -> String {
        exercise(slug, "").replace(
            "difficulty = 2",
            &format!("difficulty = {difficulty}\n{links}"),
        )
    }

    #[test]
    fn progressions_link_both_ways_with_names_as_difficulty_rises() {
        let catalog = parse_files(files(vec![
            ("exercises/a.toml", linked("a", 1, "harder = \"b\"")),
            ("exercises/b.toml", linked("b", 2, "")),
            ("exercises/c.toml", linked("c", 3, "easier = \"b\"")),
        ]))
        .unwrap();
        let get = |slug: &str| {
            catalog
                .exercises
                .iter()
                .find(|e| e.slug == slug)
                .unwrap()
                .clone()
        };
        let name = |step: Option<Step>| step.map(|s| s.name);
        assert_eq!(name(get("b").easier), Some("Exercise a".to_owned()));
        assert_eq!(name(get("b").harder), Some("Exercise c".to_owned()));
        assert_eq!(name(get("a").harder), Some("Exercise b".to_owned()));
        assert_eq!(name(get("c").easier), Some("Exercise b".to_owned()));
        assert_eq!((get("a").easier, get("c").harder), (None, None));
        assert_eq!((get("push").easier, get("push").harder), (None, None));
    }

    #[test]
    fn a_progression_that_does_not_rise_or_names_nothing_is_refused() {
        let cases: [(Vec<(&str, String)>, &str); 4] = [
            (
                vec![("exercises/a.toml", linked("a", 1, "harder = \"ghost\""))],
                "exercises/a.toml: harder: no exercise `ghost` in the catalog",
            ),
            (
                vec![
                    ("exercises/a.toml", linked("a", 2, "harder = \"b\"")),
                    ("exercises/b.toml", linked("b", 2, "")),
                ],
                "exercises/a.toml: harder: `a` (difficulty 2) must be easier than `b` (difficulty 2)",
            ),
            (
                vec![
                    ("exercises/a.toml", linked("a", 1, "harder = \"b\"")),
                    ("exercises/b.toml", linked("b", 3, "")),
                    ("exercises/c.toml", linked("c", 2, "harder = \"b\"")),
                ],
                "exercises/b.toml: easier: `a` and `c` both come before it",
            ),
            (
                vec![("exercises/a.toml", linked("a", 1, "easier = \"a\""))],
                "exercises/a.toml: easier: names the exercise itself",
            ),
        ];
        for (extra, expected) in cases {
            assert_reports(files(extra), expected);
        }
    }

    /// Asserts the catalog of `files` is refused with a problem containing
    /// `expected`.
    fn assert_reports(files: Vec<(String, String)>, expected: &str) {
        let shown: Vec<String> = parse_files(files)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(shown.iter().any(|p| p.contains(expected)), "{shown:#?}");
    }

    #[test]
    fn conditions_come_from_the_vocabulary_each_once() {
        let with = |list: &str| linked("a", 1, &format!("conditions = [{list}]"));
        let vocab_files = |text: String| {
            let mut f = files(vec![("exercises/a.toml", text)]);
            f[0].1.push_str(
                "\n[conditions]\nknee-oa = \"Knee osteoarthritis.\"\nneck-pain = \"Neck pain.\"\n",
            );
            f
        };
        let catalog = parse_files(vocab_files(with("\"knee-oa\", \"neck-pain\""))).unwrap();
        let a = catalog.exercises.iter().find(|e| e.slug == "a").unwrap();
        assert_eq!(a.conditions, ["knee-oa", "neck-pain"]);
        for (list, expected) in [
            (
                "\"knee-pain\"",
                "exercises/a.toml: conditions: unknown value `knee-pain`",
            ),
            (
                "\"knee-oa\", \"knee-oa\"",
                "exercises/a.toml: conditions: `knee-oa` is listed twice",
            ),
            (
                "3",
                "exercises/a.toml: conditions: must be a list of conditions",
            ),
        ] {
            assert_reports(vocab_files(with(list)), expected);
        }
    }

    #[test]
    fn a_good_catalog_loads() {
        let catalog = parse_files(files(vec![])).unwrap();
        assert_eq!(catalog.exercises.len(), 2);
    }

    #[test]
    fn every_problem_is_reported_with_file_and_field() {
        let bad = exercise("bad", "\"twisting\"").replace("sets = 3", "sets = 99");
        let broken = "slug = \"broken\"\nname = [".to_owned();
        let precautions = r#"
[[precaution]]
id = "flexion-intolerant"
label = "L"
description = "D"
avoid = ["flexion"]
prefer = ["extension"]
patient_avoid = "A"
patient_instead = "I"
[[precaution.substitution]]
from = "push"
to = "ghost"
reason = "R"
"#;
        let problems = parse_files(files(vec![
            ("exercises/bad.toml", bad),
            ("exercises/broken.toml", broken),
            ("exercises/copy.toml", exercise("row", "")),
            ("precautions.toml", precautions.to_owned()),
        ]))
        .unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| shown.iter().any(|p| p.contains(needle));
        assert!(
            has("exercises/bad.toml: movement: unknown value `twisting`"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/bad.toml: dosage.sets: must be between 1 and 20"),
            "{shown:#?}"
        );
        assert!(has("exercises/broken.toml: toml: line 2"), "{shown:#?}");
        assert!(
            has("exercises/copy.toml: slug: `row` must match the file name `copy`"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/copy.toml: slug: `row` is also used by exercises/row.toml"),
            "{shown:#?}"
        );
        assert!(
            has("precautions.toml: precaution[0].substitution[0].to: no exercise `ghost`"),
            "{shown:#?}"
        );
    }

    #[test]
    fn retired_tags_missing_wording_and_avoided_exercises_without_a_way_out_are_reported() {
        let vocab = VOCAB.replace(
            "[equipment]",
            "[retired]\nbend = [\"flexion\"]\n[equipment]",
        );
        let precaution = |avoid: &str, extra: &str| {
            format!(
                "[[precaution]]\nid = \"p\"\nlabel = \"L\"\ndescription = \"D\"\navoid = [{avoid}]\ncaution = [\"extension\"]\npatient_avoid = \"A\"\npatient_instead = \"I\"\n{extra}"
            )
        };
        let mut with = files(vec![
            ("exercises/bent.toml", exercise("bent", "\"bend\"")),
            ("precautions.toml", precaution("\"bend\"", "")),
        ]);
        with[0].1 = vocab.clone();
        let shown: Vec<String> = parse_files(with)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let has = |needle: &str| shown.iter().any(|p| p.contains(needle));
        assert!(has("exercises/bent.toml: movement: `bend` is a retired tag; use the current tag(s) it stood for that apply: flexion"), "{shown:#?}");
        assert!(
            has("precautions.toml: precaution[0].avoid: `bend` is a retired tag"),
            "{shown:#?}"
        );
        assert!(
            has("precaution[0].see_therapist_if: is required"),
            "{shown:#?}"
        );
        assert!(
            has("precaution[0].patient_caution: is required when `caution` lists tags"),
            "{shown:#?}"
        );

        // Both exercises are strength work for the shoulder: avoiding the
        // one leaves the other, unless it is harder.
        let wording = "patient_caution = \"C\"\nsee_therapist_if = \"S\"\n";
        let mut harder = files(vec![(
            "precautions.toml",
            precaution("\"flexion\"", wording),
        )]);
        assert!(parse_files(harder.clone()).is_ok());
        harder[3].1 = harder[3].1.replace("difficulty = 2", "difficulty = 4");
        let shown: Vec<String> = parse_files(harder)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["precautions.toml: precaution[0].substitution: `p` avoids `Exercise push` but finds no alternative of the same category and region at its difficulty or easier; add a substitution"]);
    }

    #[test]
    fn a_broken_figure_is_reported_with_its_file() {
        let vocab = VOCAB.replace("extension = \"e\"", "extension = \"e\"\noverhead = \"o\"");
        let with_figure = |slug: &str, movement: &str, frames: &str| {
            format!("{}\n[figure]\n{frames}", bare(slug, movement))
        };
        let frame =
            |pose: &str, joints: &str| format!("[[figure.frame]]\npose = \"{pose}\"\n{joints}\n");
        let mut files = files(vec![
            // No figure at all.
            ("exercises/undrawn.toml", bare("undrawn", "")),
            // An arm raised overhead, but no overhead tag.
            (
                "exercises/reach.toml",
                with_figure(
                    "reach",
                    "",
                    &(frame("standing", "") + &frame("standing", "shoulder = 170")),
                ),
            ),
            // A knee bent backwards.
            (
                "exercises/bent.toml",
                with_figure(
                    "bent",
                    "",
                    &(frame("standing", "") + &frame("standing", "knee = -20")),
                ),
            ),
            // The same pose twice.
            (
                "exercises/still.toml",
                with_figure(
                    "still",
                    "",
                    &(frame("standing", "") + &frame("standing", "")),
                ),
            ),
            // Lying on a bed with the hips lifted past the bed: it floats.
            (
                "exercises/float.toml",
                with_figure(
                    "float",
                    "",
                    &("support = \"bed\"\n".to_owned()
                        + &frame("supine", "")
                        + &frame("supine", "hip = 30\nknee = 120")),
                ),
            ),
            // The head turned, but no neck-rotation tag; a hand close-up
            // in one frame only, and a hand that does not exist.
            (
                "exercises/turn.toml",
                with_figure(
                    "turn",
                    "",
                    &(frame("standing", "") + &frame("standing", "neck_turn = 60")),
                ),
            ),
            (
                "exercises/claw.toml",
                with_figure(
                    "claw",
                    "",
                    &(frame("standing", "hand = \"fist\"") + &frame("standing", "hand = \"claw\"")),
                ),
            ),
            (
                "exercises/one-hand.toml",
                with_figure(
                    "one-hand",
                    "",
                    &(frame("standing", "hand = \"open\"") + &frame("standing", "elbow = 20")),
                ),
            ),
            // Drawn right and tagged right.
            (
                "exercises/good.toml",
                with_figure(
                    "good",
                    "\"overhead\"",
                    &(frame("standing", "") + &frame("standing", "shoulder = 170")),
                ),
            ),
        ]);
        files[0].1 = vocab;
        let shown: Vec<String> = parse_files(files)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let has = |needle: &str| shown.iter().any(|p| p.contains(needle));
        assert!(
            has("exercises/undrawn.toml: figure: is required"),
            "{shown:#?}"
        );
        assert!(has("exercises/reach.toml: figure: the figure shows an arm raised past 150°, so the movement tags need one of overhead"), "{shown:#?}");
        assert!(has("exercises/bent.toml: figure: frame 2: knee_near at -20° is outside the human range"), "{shown:#?}");
        assert!(
            has("exercises/still.toml: figure: two frames in a row are the same pose"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/float.toml: figure: Finish: the trunk floats"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/turn.toml: figure: the figure shows the head turned, so the movement tags need one of neck-rotation"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/claw.toml: figure: frame 2: unknown hand `claw`"),
            "{shown:#?}"
        );
        assert!(
            has("exercises/one-hand.toml: figure: a hand close-up needs a hand in every frame"),
            "{shown:#?}"
        );
        assert!(!shown.iter().any(|p| p.contains("good.toml")), "{shown:#?}");
    }

    #[test]
    fn the_catalog_readme_defines_every_tag_as_the_vocabulary_does() {
        let catalog = checked_builtin();
        let readme = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/exercise_catalog/README.md"
        ))
        .expect("the catalog README");
        let v = &catalog.vocabulary;
        let tables = [
            &v.regions,
            &v.categories,
            &v.movement,
            &v.difficulty,
            &v.equipment,
            &v.positions,
        ];
        for (value, meaning) in tables.into_iter().flatten() {
            let row = format!("| `{value}` | {meaning} |");
            assert!(
                readme.contains(&row),
                "exercise_catalog/README.md lacks or differs from the vocabulary row {row}"
            );
        }
        assert!(v.movement.len() >= 30, "{} movement tags", v.movement.len());
    }

    #[test]
    fn the_shipped_catalog_is_valid_and_large_enough() {
        let catalog = checked_builtin();
        assert!(
            catalog.exercises.len() >= 100,
            "{} exercises",
            catalog.exercises.len()
        );
        assert!(
            catalog.precautions.len() >= 10,
            "{} precautions",
            catalog.precautions.len()
        );
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        /// Text that looks enough like TOML to get past the first character.
        const TOMLISH: &str = "([a-z_]{1,8} = (\"[^\"\\n]{0,12}\"|[0-9-]{1,4}|\\[[^\\]]{0,20}\\]|true)\\n|\\[\\[?[a-z.]{1,12}\\]\\]?\\n|# .{0,10}\\n|.{0,6}){0,12}";

        fn check(files: Vec<(String, String)>) -> Result<(), TestCaseError> {
            match parse_files(files) {
                Ok(catalog) => prop_assert!(!catalog.exercises.is_empty()),
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    for p in &problems {
                        prop_assert!(!p.file.is_empty() && !p.field.is_empty(), "{p}");
                    }
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            #[test]
            fn any_text_as_an_exercise_file_is_a_problem_not_a_panic(
                text in prop_oneof![any::<String>(), TOMLISH.prop_map(String::from)],
            ) {
                check(files(vec![("exercises/fuzz.toml", text)]))?;
            }

            #[test]
            fn any_text_as_precautions_or_vocabulary_is_a_problem_not_a_panic(
                text in prop_oneof![any::<String>(), TOMLISH.prop_map(String::from)],
                vocabulary in any::<bool>(),
            ) {
                let name = if vocabulary { "vocabulary.toml" } else { "precautions.toml" };
                let mut files = files(vec![]);
                files.retain(|(path, _)| path != name);
                files.push((name.to_owned(), text));
                check(files)?;
            }

            #[test]
            fn a_valid_exercise_with_one_field_mangled_is_reported(
                field in 0usize..6,
                value in any::<String>(),
            ) {
                let good = exercise("mangled", "\"flexion\"");
                let key = ["slug", "name", "summary", "category", "position", "steps"][field];
                let mangled: String = good
                    .lines()
                    .map(|line| if line.starts_with(&format!("{key} =")) {
                        format!("{key} = {}", toml::Value::String(value.clone()))
                    } else {
                        line.to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                check(files(vec![("exercises/mangled.toml", mangled)]))?;
            }
        }
    }
}
