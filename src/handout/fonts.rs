//! The handout typeface, DejaVu Sans regular and bold: parsed once per
//! process, with a table of advance widths for the layout, and the policy
//! for characters the font lacks — a visible replacement, logged once per
//! render, never dropped.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::ParsedFont;
use unicode_normalization::UnicodeNormalization;

use super::layout::{Face, Metrics};

/// Characters below this have their advances in a table.
const TABLE: usize = 0x2600;
/// Table entry for a character the face lacks.
const MISSING: u16 = u16::MAX;

/// Both faces and their measurements.
pub(crate) struct Fonts {
    pub(crate) regular: ParsedFont,
    pub(crate) bold: ParsedFont,
    advances: [Vec<u16>; 2],
    units_per_em: f32,
    ascent: f32,
    descent: f32,
    replacement: char,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// The fonts, parsed on first use.
pub(crate) fn get() -> Option<&'static Fonts> {
    FONTS.get_or_init(load).as_ref()
}

fn load() -> Option<Fonts> {
    let mut warnings = Vec::new();
    let regular = ParsedFont::from_bytes(dejavu::sans::regular(), 0, &mut warnings)?;
    let bold = ParsedFont::from_bytes(dejavu::sans::bold(), 0, &mut warnings)?;
    let units_per_em = f32::from(regular.font_metrics.units_per_em.max(1));
    let table = |font: &ParsedFont| -> Vec<u16> {
        (0..TABLE as u32)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(|c| advance_units(font, c))
                    .unwrap_or(MISSING)
            })
            .collect()
    };
    let advances = [table(&regular), table(&bold)];
    let ascent = regular.font_metrics.ascent.abs() / units_per_em;
    let descent = regular.font_metrics.descent.abs() / units_per_em;
    let mut fonts = Fonts {
        regular,
        bold,
        advances,
        units_per_em,
        ascent: if ascent > 0.5 { ascent } else { 0.93 },
        descent: if descent > 0.05 { descent } else { 0.24 },
        replacement: '?',
    };
    if fonts.has_glyph('\u{FFFD}') {
        fonts.replacement = '\u{FFFD}';
    }
    Some(fonts)
}

fn advance_units(font: &ParsedFont, c: char) -> Option<u16> {
    match font.lookup_glyph_index(c as u32) {
        Some(gid) if gid != 0 => Some(font.get_horizontal_advance(gid)),
        _ => None,
    }
}

impl Fonts {
    fn face(&self, face: Face) -> (&ParsedFont, &[u16]) {
        match face {
            Face::Regular => (&self.regular, &self.advances[0]),
            Face::Bold => (&self.bold, &self.advances[1]),
        }
    }

    fn units(&self, face: Face, c: char) -> Option<u16> {
        let (font, table) = self.face(face);
        match table.get(c as usize) {
            Some(&MISSING) => None,
            Some(&u) => Some(u),
            None => advance_units(font, c),
        }
    }

    /// Whether both faces can draw `c`.
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.units(Face::Regular, c).is_some() && self.units(Face::Bold, c).is_some()
    }

    /// NFC-normalises `text` and makes every character printable: line
    /// breaks stay, other whitespace and control characters become spaces,
    /// invisible format characters go, and a character the font lacks
    /// becomes a visible replacement, logged once per code point in
    /// `missing`.
    pub(crate) fn clean(&self, text: &str, missing: &mut BTreeSet<u32>) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.nfc() {
            match c {
                '\n' => out.push('\n'),
                // Soft hyphen, zero-width space/joiners, word joiner,
                // variation selectors, BOM: they have no ink to lose.
                '\u{00AD}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}' => {}
                c if c.is_whitespace() || c.is_control() => out.push(' '),
                c if self.has_glyph(c) => out.push(c),
                c => {
                    if missing.insert(c as u32) {
                        tracing::warn!(
                            code_point = format!("U+{:04X}", c as u32),
                            "handout font lacks a character"
                        );
                    }
                    out.push(self.replacement);
                }
            }
        }
        out
    }
}

impl Metrics for Fonts {
    fn advance(&self, face: Face, c: char) -> f32 {
        let units = self
            .units(face, c)
            .or_else(|| self.units(face, self.replacement))
            .unwrap_or(0);
        f32::from(units) / self.units_per_em
    }

    fn ascent(&self) -> f32 {
        self.ascent
    }

    fn descent(&self) -> f32 {
        self.descent
    }
}
