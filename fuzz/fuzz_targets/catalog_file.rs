//! A catalog file of arbitrary text through the parse-and-check path of
//! `hep catalog validate` (`catalog::parse_files`, which `load_dir` calls
//! after reading the folder). The first byte picks which file the text
//! stands in for; the rest of a small real catalog surrounds it, so the
//! cross-checks (slugs, names, substitutions) run too. Every problem is
//! formatted as the command prints it.
#![no_main]

use libfuzzer_sys::fuzz_target;

const VOCABULARY: &str = include_str!("../../exercise_catalog/vocabulary.toml");
const EXERCISES: [(&str, &str); 3] = [
    (
        "exercises/glute-bridge.toml",
        include_str!("../../exercise_catalog/exercises/glute-bridge.toml"),
    ),
    (
        "exercises/clamshell.toml",
        include_str!("../../exercise_catalog/exercises/clamshell.toml"),
    ),
    (
        "exercises/chin-tuck.toml",
        include_str!("../../exercise_catalog/exercises/chin-tuck.toml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut files: Vec<(String, String)> = EXERCISES
        .iter()
        .map(|(path, body)| ((*path).to_owned(), (*body).to_owned()))
        .collect();
    match which % 4 {
        0 => {
            files.push(("vocabulary.toml".into(), VOCABULARY.into()));
            files.push(("exercises/fuzz.toml".into(), text));
        }
        1 => {
            files.push(("vocabulary.toml".into(), VOCABULARY.into()));
            files.push(("precautions.toml".into(), text));
        }
        2 => files.push(("vocabulary.toml".into(), text)),
        _ => {
            // Several exercise files at once, split on a separator line.
            files.push(("vocabulary.toml".into(), VOCABULARY.into()));
            for (i, part) in text.split("\n---\n").take(8).enumerate() {
                files.push((format!("exercises/fuzz-{i}.toml"), part.to_owned()));
            }
        }
    }
    match hep::catalog::parse_files(files) {
        Ok(catalog) => assert!(!catalog.exercises.is_empty()),
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in problems {
                let shown = problem.to_string();
                assert!(!shown.is_empty());
            }
        }
    }
});
