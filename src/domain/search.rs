//! Search text: case- and accent-insensitive normalisation, and the ranking
//! of a catalog entry against a query (best match first).

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents stripped, punctuation as spaces, single-spaced:
/// "Cross-Body Stretch (Épaule)" → "cross body stretch epaule".
pub fn normalize(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well an entry matches a normalised query; higher is better, 0 is no
/// match. Every query word must appear somewhere.
pub fn score(query: &str, name: &str, aliases: &[String], summary: &str) -> u32 {
    if query.is_empty() {
        return 1;
    }
    let name = normalize(name);
    let aliases: Vec<String> = aliases.iter().map(|a| normalize(a)).collect();
    let summary = normalize(summary);
    let everything = format!("{name} {} {summary}", aliases.join(" "));
    if !query.split(' ').all(|word| everything.contains(word)) {
        return 0;
    }
    let has_word = |text: &str| format!(" {text} ").contains(&format!(" {query} "));
    if name == query {
        1000
    } else if aliases.iter().any(|a| a == query) {
        900
    } else if name.starts_with(query) {
        800
    } else if has_word(&name) {
        700
    } else if aliases.iter().any(|a| a.starts_with(query) || has_word(a)) {
        600
    } else if name.contains(query) {
        500
    } else if aliases.iter().any(|a| a.contains(query)) {
        400
    } else if query.split(' ').all(|w| name.contains(w)) {
        300
    } else if summary.contains(query) {
        200
    } else {
        100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_accents_and_punctuation() {
        assert_eq!(
            normalize("Cross-Body  Stretch (Épaule)"),
            "cross body stretch epaule"
        );
        assert_eq!(normalize("Ørsted Łukasz"), "ørsted łukasz");
        assert_eq!(normalize("  "), "");
    }

    #[test]
    fn name_matches_outrank_alias_and_summary_matches() {
        let exact = score("row", "Standing row", &["row".into()], "");
        let word = score("row", "Seated row", &[], "");
        let summary = score("row", "Band pull", &[], "Like a row but wider");
        assert!(exact > word && word > summary && summary > 0);
        assert_eq!(score("row", "Heel raise", &[], "Rise onto your toes"), 0);
    }
}
