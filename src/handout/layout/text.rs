//! Text measuring and line breaking: the font's two faces, the `Metrics`
//! the layout measures with (real advance widths, in em), greedy word
//! wrapping and truncation with an ellipsis. Pure functions, no geometry.

use super::EPS;

/// The two weights of the handout typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// Body text.
    Regular,
    /// Headings, labels and the dosage line.
    Bold,
}

/// Font measurements the layout needs, in em (multiples of the font size).
pub trait Metrics {
    /// Horizontal advance of `c`.
    fn advance(&self, face: Face, c: char) -> f32;
    /// Height of the tallest glyphs above the baseline.
    fn ascent(&self) -> f32;
    /// Depth of the lowest descenders below the baseline (positive).
    fn descent(&self) -> f32;
    /// Width of `text` set at `size` points.
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        text.chars().map(|c| self.advance(face, c)).sum::<f32>() * size
    }
}

/// Wraps `text` greedily to `max_width`: words move to the next line when
/// they do not fit, and a word longer than a whole line is broken between
/// characters. Any whitespace (newlines included) separates words. Returns
/// each line with its measured width.
pub fn wrap<M: Metrics + ?Sized>(
    m: &M,
    face: Face,
    size: f32,
    text: &str,
    max_width: f32,
) -> Vec<(String, f32)> {
    let mut lines = Vec::new();
    let space = m.advance(face, ' ') * size;
    let mut line = String::new();
    let mut line_w = 0.0f32;
    for word in text.split_whitespace() {
        let w = m.width(face, size, word);
        if !line.is_empty() {
            if line_w + space + w <= max_width + EPS {
                line.push(' ');
                line.push_str(word);
                line_w += space + w;
                continue;
            }
            lines.push((std::mem::take(&mut line), line_w));
            line_w = 0.0;
        }
        if w <= max_width + EPS {
            line.push_str(word);
            line_w = w;
            continue;
        }
        for c in word.chars() {
            let cw = m.advance(face, c) * size;
            if !line.is_empty() && line_w + cw > max_width + EPS {
                lines.push((std::mem::take(&mut line), line_w));
                line_w = 0.0;
            }
            line.push(c);
            line_w += cw;
        }
    }
    if !line.is_empty() {
        lines.push((line, line_w));
    }
    lines
}

/// Shortens `text` with an ellipsis so it fits `max_width`.
pub fn truncate<M: Metrics + ?Sized>(
    m: &M,
    face: Face,
    size: f32,
    text: &str,
    max_width: f32,
) -> (String, f32) {
    let full = m.width(face, size, text);
    if full <= max_width + EPS {
        return (text.to_owned(), full);
    }
    let ellipsis = m.advance(face, '…') * size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = m.advance(face, c) * size;
        if w + cw + ellipsis > max_width + EPS {
            break;
        }
        out.push(c);
        w += cw;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    let w = m.width(face, size, &out) + ellipsis;
    out.push('…');
    (out, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every glyph 0.5 em, spaces 0.3 em.
    struct Mono;

    impl Metrics for Mono {
        fn advance(&self, _: Face, c: char) -> f32 {
            if c == ' ' {
                0.3
            } else {
                0.5
            }
        }
        fn ascent(&self) -> f32 {
            0.8
        }
        fn descent(&self) -> f32 {
            0.2
        }
    }

    #[test]
    fn words_wrap_greedily_and_long_words_break_between_characters() {
        let lines = wrap(
            &Mono,
            Face::Regular,
            10.0,
            "a bbbbbbbbbbbbbbbbbbbb c dd",
            50.0,
        );
        let text: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(text, ["a", "bbbbbbbbbb", "bbbbbbbbbb", "c dd"]);
        assert_eq!(lines[3].1, 5.0 + 3.0 + 10.0);
    }

    #[test]
    fn truncation_adds_an_ellipsis_only_when_needed() {
        assert_eq!(truncate(&Mono, Face::Regular, 10.0, "abc", 15.0).0, "abc");
        let (t, w) = truncate(&Mono, Face::Regular, 10.0, "abcdefgh", 30.0);
        assert_eq!(t, "abcde…");
        assert!(w <= 30.0);
    }

    proptest! {
        #[test]
        fn wrapped_lines_fit_and_keep_every_character(
            words in proptest::collection::vec("[a-zäß]{1,30}", 0..40),
            max_width in 20.0f32..300.0,
        ) {
            let text = words.join(" ");
            let lines = wrap(&Mono, Face::Regular, 10.0, &text, max_width);
            for (line, w) in &lines {
                prop_assert!(*w <= max_width + EPS, "{line:?} is {w} wide");
                prop_assert!((Mono.width(Face::Regular, 10.0, line) - w).abs() < 0.01);
                prop_assert!(!line.is_empty());
            }
            let joined: String = lines.iter().map(|(l, _)| l.replace(' ', "")).collect();
            prop_assert_eq!(joined, text.replace(' ', ""));
        }
    }
}
