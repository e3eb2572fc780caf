//! The handout typeface, DejaVu Sans regular and bold, read in place from
//! the font files built into the binary (nothing copied or decoded up
//! front): tables of advance widths (for the layout) and glyph ids (for the
//! page content), the face metrics a PDF font needs, and the policy for
//! characters the font lacks — a visible replacement, logged once per
//! render, never dropped.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use unicode_normalization::UnicodeNormalization;

use super::layout::{Face, Metrics};

/// Characters below this have their advances and glyphs in a table.
const TABLE: usize = 0x2600;
/// Table entry for a character the face lacks.
const MISSING: u16 = u16::MAX;

/// Both faces and their measurements.
pub(crate) struct Fonts {
    faces: [FontRef<'static>; 2],
    advances: [Vec<u16>; 2],
    glyph_ids: [Vec<u16>; 2],
    units_per_em: f32,
    ascent: f32,
    descent: f32,
    replacement: char,
}

/// What a PDF font descriptor says of a face, in thousandths of an em.
pub(crate) struct FaceMetrics {
    /// The PostScript name, e.g. `DejaVuSans-Bold`.
    pub(crate) name: String,
    pub(crate) bounds: [i64; 4],
    pub(crate) ascent: i64,
    pub(crate) descent: i64,
    pub(crate) cap_height: i64,
    pub(crate) italic_angle: i64,
    /// The weight class: 400 regular, 700 bold.
    pub(crate) weight: f32,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// The fonts, read on first use.
pub(crate) fn get() -> Option<&'static Fonts> {
    FONTS.get_or_init(load).as_ref()
}

fn index(face: Face) -> usize {
    usize::from(face == Face::Bold)
}

fn load() -> Option<Fonts> {
    let faces = [
        FontRef::new(Fonts::bytes(Face::Regular)).ok()?,
        FontRef::new(Fonts::bytes(Face::Bold)).ok()?,
    ];
    let tables = |font: &FontRef<'static>| -> (Vec<u16>, Vec<u16>) {
        let charmap = font.charmap();
        let widths = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        (0..TABLE as u32)
            .map(|cp| match charmap.map(cp) {
                Some(gid) if gid.to_u32() != 0 => (
                    widths.advance_width(gid).map_or(MISSING, |w| {
                        w.round().clamp(0.0, f32::from(MISSING - 1)) as u16
                    }),
                    u16::try_from(gid.to_u32()).unwrap_or(0),
                ),
                _ => (MISSING, 0),
            })
            .unzip()
    };
    let (regular, bold) = (tables(&faces[0]), tables(&faces[1]));
    let metrics = faces[0].metrics(Size::unscaled(), LocationRef::default());
    let units_per_em = f32::from(metrics.units_per_em.max(1));
    let ascent = metrics.ascent.abs() / units_per_em;
    let descent = metrics.descent.abs() / units_per_em;
    let mut fonts = Fonts {
        faces,
        advances: [regular.0, bold.0],
        glyph_ids: [regular.1, bold.1],
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

impl Fonts {
    /// The font file of a face, as shipped.
    pub(crate) fn bytes(face: Face) -> &'static [u8] {
        match face {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
        }
    }

    /// The glyph of `c` in `face`, if it has one.
    fn lookup(&self, face: Face, c: char) -> Option<u16> {
        let gid = match self.glyph_ids[index(face)].get(c as usize) {
            Some(&gid) => gid,
            None => self.faces[index(face)]
                .charmap()
                .map(c)
                .and_then(|g| u16::try_from(g.to_u32()).ok())
                .unwrap_or(0),
        };
        (gid != 0).then_some(gid)
    }

    fn units(&self, face: Face, c: char) -> Option<u16> {
        match self.advances[index(face)].get(c as usize) {
            Some(&MISSING) => None,
            Some(&u) => Some(u),
            None => {
                let gid = self.lookup(face, c)?;
                Some(self.glyph_units(face, gid))
            }
        }
    }

    fn glyph_units(&self, face: Face, gid: u16) -> u16 {
        self.faces[index(face)]
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(GlyphId::new(u32::from(gid)))
            .map_or(0, |w| w.round().clamp(0.0, f32::from(u16::MAX)) as u16)
    }

    /// The glyph that draws `c` (text is `clean`ed first, so there is one;
    /// else the replacement's).
    pub(crate) fn glyph(&self, face: Face, c: char) -> u16 {
        self.lookup(face, c)
            .or_else(|| self.lookup(face, self.replacement))
            .unwrap_or(0)
    }

    /// A glyph's advance in thousandths of an em, as a PDF's widths give it.
    pub(crate) fn glyph_width(&self, face: Face, gid: u16) -> i64 {
        (f32::from(self.glyph_units(face, gid)) * 1000.0 / self.units_per_em).round() as i64
    }

    /// The face's name and metrics for its PDF font descriptor.
    pub(crate) fn face_metrics(&self, face: Face) -> FaceMetrics {
        let font = &self.faces[index(face)];
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let em = |v: f32| (v * 1000.0 / self.units_per_em).round() as i64;
        let bounds = m.bounds.map_or([0, 0, 0, 0], |b| {
            [em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)]
        });
        FaceMetrics {
            name: font
                .localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "DejaVuSans".to_owned()),
            bounds,
            ascent: em(m.ascent),
            descent: em(m.descent),
            cap_height: em(m.cap_height.unwrap_or(m.ascent)),
            italic_angle: m.italic_angle.round() as i64,
            weight: font.attributes().weight.value(),
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
