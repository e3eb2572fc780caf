//! The handout's two faces as PDF fonts: Type 0, `Identity-H`, glyph ids as
//! the codes in the page content, a subset of the glyphs the handout uses
//! (`sfnt::subset`), their widths, and a ToUnicode map so text can be
//! searched, copied and read aloud. Built once per set of characters and
//! kept: most handouts use the same few dozen letters, so a repeat print
//! copies bytes instead of subsetting and compressing a font again.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use quick_cache::sync::Cache;

use super::fonts::Fonts;
use super::layout::Face;

/// How many glyph sets are kept; each costs the size of its compressed
/// subset (15–25 kB).
const KEPT: usize = 48;

/// The glyphs one face draws in a handout, each with the character it
/// stands for (for the ToUnicode map).
pub(crate) type Used = BTreeMap<u16, char>;

/// One face ready to embed: everything but the object numbers.
pub(crate) struct Embedded {
    /// `ABCDEF+DejaVuSans`: the tag names the glyph set, so the same text
    /// gives the same name and other text another.
    name: Vec<u8>,
    /// The subset font program, zlib-compressed.
    program: Vec<u8>,
    /// Its length before compression (`Length1`).
    program_length: usize,
    /// The ToUnicode CMap, zlib-compressed.
    to_unicode: Vec<u8>,
    /// The `W` array: each glyph id with its advance.
    widths: Vec<Object>,
}

type Key = (Face, Vec<(u16, char)>);

fn cache() -> &'static Cache<Key, Arc<Embedded>> {
    static CACHE: OnceLock<Cache<Key, Arc<Embedded>>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(KEPT))
}

/// `face` with the glyphs `used`, from the cache when this set was seen
/// before; `None` when the face cannot be subset (a build problem).
pub(crate) fn embedded(fonts: &Fonts, face: Face, used: &Used) -> Option<Arc<Embedded>> {
    let key = (face, used.iter().map(|(&g, &c)| (g, c)).collect());
    cache()
        .get_or_insert_with(&key, || build(fonts, face, used).map(Arc::new).ok_or(()))
        .ok()
}

fn build(fonts: &Fonts, face: Face, used: &Used) -> Option<Embedded> {
    use sha2::{Digest, Sha256};
    let keep: BTreeSet<u16> = used.keys().copied().collect();
    let program = super::sfnt::subset(Fonts::bytes(face), &keep)?;
    let base = fonts.face_metrics(face).name;
    let mut hash = Sha256::new();
    hash.update(base.as_bytes());
    for (gid, c) in used {
        hash.update(gid.to_be_bytes());
        hash.update(u32::from(*c).to_be_bytes());
    }
    let mut name: Vec<u8> = hash
        .finalize()
        .iter()
        .take(6)
        .map(|b| b'A' + b % 26)
        .collect();
    name.push(b'+');
    name.extend_from_slice(base.as_bytes());
    let to_unicode = printpdf::ToUnicodeCMap {
        mappings: used
            .iter()
            .map(|(&gid, &c)| (u32::from(gid), vec![u32::from(c)]))
            .collect(),
    }
    .to_cmap_string(&String::from_utf8_lossy(&name));
    Some(Embedded {
        name,
        program_length: program.len(),
        program: super::zlib::deflate(&program).unwrap_or(program),
        to_unicode: super::zlib::deflate(to_unicode.as_bytes())
            .unwrap_or_else(|| to_unicode.into_bytes()),
        widths: widths(fonts, face, used),
    })
}

/// `[g [w1 w2 …] …]`: consecutive glyph ids share one run.
fn widths(fonts: &Fonts, face: Face, used: &Used) -> Vec<Object> {
    let mut out = Vec::new();
    let mut run: Option<(u16, Vec<Object>)> = None;
    for &gid in used.keys() {
        let width = Object::Integer(fonts.glyph_width(face, gid));
        match &mut run {
            Some((first, ws)) if usize::from(*first) + ws.len() == usize::from(gid) => {
                ws.push(width);
            }
            _ => {
                if let Some((first, ws)) = run.take() {
                    out.extend([Object::Integer(i64::from(first)), Object::Array(ws)]);
                }
                run = Some((gid, vec![width]));
            }
        }
    }
    if let Some((first, ws)) = run {
        out.extend([Object::Integer(i64::from(first)), Object::Array(ws)]);
    }
    out
}

/// Adds `embedded` to `doc` as a Type 0 font of `face` and returns the
/// font dictionary's id.
pub(crate) fn add(
    doc: &mut lopdf::Document,
    fonts: &Fonts,
    face: Face,
    embedded: &Embedded,
) -> ObjectId {
    let name = || Object::Name(embedded.name.clone());
    let mut program = Stream::new(
        Dictionary::from_iter([
            ("Length1", Object::Integer(embedded.program_length as i64)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]),
        embedded.program.clone(),
    );
    program.allows_compression = false;
    let program = doc.add_object(program);
    let mut to_unicode = Stream::new(
        Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]),
        embedded.to_unicode.clone(),
    );
    to_unicode.allows_compression = false;
    let to_unicode = doc.add_object(to_unicode);
    let descriptor = doc.add_object(descriptor(fonts, face, name(), program));
    let cid_font = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                (
                    "Registry",
                    Object::String(b"Adobe".to_vec(), StringFormat::Literal),
                ),
                (
                    "Ordering",
                    Object::String(b"Identity".to_vec(), StringFormat::Literal),
                ),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", Object::Array(embedded.widths.clone())),
        ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
    ]);
    doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]))
}

/// The font descriptor: metrics in thousandths of an em, from the face's
/// own tables.
fn descriptor(fonts: &Fonts, face: Face, name: Object, program: ObjectId) -> Dictionary {
    let m = fonts.face_metrics(face);
    // Stem width estimated from the weight class, as PDF producers do
    // (no font table carries it): about 88 at 400, 166 at 700.
    let stem = 50 + (m.weight / 65.0).powi(2).round() as i64;
    Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name),
        // Non-symbolic: the Latin character set.
        ("Flags", Object::Integer(1 << 5)),
        (
            "FontBBox",
            Object::Array(m.bounds.iter().map(|&v| Object::Integer(v)).collect()),
        ),
        ("ItalicAngle", Object::Integer(m.italic_angle)),
        ("Ascent", Object::Integer(m.ascent)),
        ("Descent", Object::Integer(m.descent)),
        ("CapHeight", Object::Integer(m.cap_height)),
        ("StemV", Object::Integer(stem)),
        ("FontFile2", Object::Reference(program)),
    ])
}
