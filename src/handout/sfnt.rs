//! Font subsets for embedding. A handout draws a hundred-odd of DejaVu's
//! six thousand glyphs; `subset` keeps those (and the parts composite
//! glyphs are built of) at their glyph ids, so the codes in the page content
//! are plain glyph ids, and empties the rest. A PDF viewer draws outlines
//! only: the hinting programs (`cvt `, `fpgm`, `prep`, each glyph's
//! instructions, for screens of the 1990s), the character map and the layout
//! tables go, and the names stay once (Windows records: the copyright,
//! trademark and licence notices).

use std::collections::BTreeSet;

/// The tables a TrueType face needs to be drawn from a PDF; all others go.
const KEPT: [&[u8; 4]; 9] = [
    b"OS/2", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post",
];

/// The Windows platform of the `name` table, the one every reader knows.
const WINDOWS: u16 = 3;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The tables of a TrueType face, by tag.
struct Face<'a> {
    tables: Vec<([u8; 4], &'a [u8])>,
}

impl<'a> Face<'a> {
    fn parse(font: &'a [u8]) -> Option<Self> {
        if u32_at(font, 0)? != 0x0001_0000 {
            return None;
        }
        let count = usize::from(u16_at(font, 4)?);
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = usize::try_from(u32_at(font, record + 8)?).ok()?;
            let length = usize::try_from(u32_at(font, record + 12)?).ok()?;
            tables.push((tag, font.get(offset..offset.checked_add(length)?)?));
        }
        Some(Self { tables })
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d)
    }
}

/// The glyph outlines of a face, by glyph id.
struct Glyphs<'a> {
    glyf: &'a [u8],
    loca: &'a [u8],
    long: bool,
    count: usize,
}

impl<'a> Glyphs<'a> {
    fn get(&self, gid: usize) -> Option<&'a [u8]> {
        let offset = |i: usize| -> Option<usize> {
            if self.long {
                usize::try_from(u32_at(self.loca, 4 * i)?).ok()
            } else {
                Some(usize::from(u16_at(self.loca, 2 * i)?) * 2)
            }
        };
        if gid >= self.count {
            return None;
        }
        let (start, end) = (offset(gid)?, offset(gid + 1)?);
        if end <= start {
            return Some(&[]);
        }
        self.glyf.get(start..end)
    }
}

/// A face holding only the glyphs `keep` names (and `.notdef` and every
/// component of a kept composite), each at its glyph id, with the hinting
/// and everything else a PDF does not use left out; or `None` when `font`
/// is not a TrueType face this understands.
pub(crate) fn subset(font: &[u8], keep: &BTreeSet<u16>) -> Option<Vec<u8>> {
    let face = Face::parse(font)?;
    let head = face.table(b"head")?;
    let glyphs = Glyphs {
        glyf: face.table(b"glyf")?,
        loca: face.table(b"loca")?,
        long: u16_at(head, 50)? == 1,
        count: usize::from(u16_at(face.table(b"maxp")?, 4)?),
    };
    let kept = with_components(&glyphs, keep)?;
    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity(4 * (glyphs.count + 1));
    for gid in 0..glyphs.count {
        loca.extend_from_slice(&u32::try_from(glyf.len()).ok()?.to_be_bytes());
        let outline = glyphs.get(gid)?;
        if outline.is_empty() || !kept.contains(&gid) {
            continue;
        }
        glyf.extend(strip_glyph(outline)?);
        glyf.resize(glyf.len().div_ceil(4) * 4, 0);
    }
    loca.extend_from_slice(&u32::try_from(glyf.len()).ok()?.to_be_bytes());
    let metrics = u16_at(face.table(b"hhea")?, 34).map(usize::from)?;
    let mut tables = Vec::with_capacity(KEPT.len());
    for (tag, table) in &face.tables {
        if !KEPT.contains(&tag) {
            continue;
        }
        let mut data = table.to_vec();
        match tag {
            b"glyf" => data = std::mem::take(&mut glyf),
            b"loca" => data = std::mem::take(&mut loca),
            b"name" => {
                if let Some(names) = windows_names(table) {
                    data = names;
                }
            }
            b"hmtx" => {
                // Unused glyphs get no advance and no side bearing: runs of
                // zeros, which deflate to almost nothing.
                for gid in (0..glyphs.count).filter(|g| !kept.contains(g)) {
                    let at = if gid < metrics {
                        4 * gid
                    } else {
                        4 * metrics + 2 * (gid - metrics)
                    };
                    let width = if gid < metrics { 4 } else { 2 };
                    if let Some(entry) = data.get_mut(at..at + width) {
                        entry.fill(0);
                    }
                }
            }
            b"post" => {
                // Version 3: no glyph names.
                data.truncate(32);
                data.get_mut(0..4)?
                    .copy_from_slice(&0x0003_0000u32.to_be_bytes());
            }
            b"head" => {
                // Long offsets from now on; the whole-font checksum is
                // written last.
                data.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes());
                data.get_mut(8..12)?.copy_from_slice(&[0; 4]);
            }
            b"maxp" if data.len() >= 32 => {
                // No instructions left: zones, twilight points, storage,
                // functions, instruction definitions, stack, sizes.
                data[14..16].copy_from_slice(&1u16.to_be_bytes());
                data[16..28].fill(0);
            }
            _ => {}
        }
        tables.push((*tag, data));
    }
    Some(assemble(tables))
}

/// `keep`, `.notdef` and, transitively, every glyph a kept composite is
/// built of.
fn with_components(glyphs: &Glyphs<'_>, keep: &BTreeSet<u16>) -> Option<BTreeSet<usize>> {
    let mut kept = BTreeSet::new();
    let mut todo: Vec<usize> = keep.iter().map(|&g| usize::from(g)).collect();
    todo.push(0);
    while let Some(gid) = todo.pop() {
        if gid >= glyphs.count || !kept.insert(gid) {
            continue;
        }
        let outline = glyphs.get(gid)?;
        if outline.len() >= 10 && i16::from_be_bytes([outline[0], outline[1]]) < 0 {
            todo.extend(components(outline)?.into_iter().map(usize::from));
        }
    }
    Some(kept)
}

/// The glyph ids a composite glyph is built of.
fn components(glyph: &[u8]) -> Option<Vec<u16>> {
    let mut out = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.push(u16_at(glyph, at + 2)?);
        at += component_size(flags);
        if flags & MORE == 0 {
            return Some(out);
        }
    }
}

const WORDS: u16 = 0x0001;
const SCALE: u16 = 0x0008;
const MORE: u16 = 0x0020;
const XY_SCALE: u16 = 0x0040;
const TWO_BY_TWO: u16 = 0x0080;
const INSTRUCTIONS: u16 = 0x0100;

/// Bytes of one component record with these flags.
fn component_size(flags: u16) -> usize {
    let arguments = if flags & WORDS != 0 { 4 } else { 2 };
    let transform = if flags & SCALE != 0 {
        2
    } else if flags & XY_SCALE != 0 {
        4
    } else if flags & TWO_BY_TWO != 0 {
        8
    } else {
        0
    };
    4 + arguments + transform
}

/// One glyph without its instructions.
fn strip_glyph(glyph: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes(glyph.get(0..2)?.try_into().ok()?);
    if contours >= 0 {
        // Header, contour end points, instruction length and bytes, then
        // flags and coordinates.
        let ends = 10 + 2 * usize::try_from(contours).ok()?;
        let length = usize::from(u16_at(glyph, ends)?);
        let mut out = glyph.get(..ends)?.to_vec();
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(ends + 2 + length..)?);
        return Some(out);
    }
    // A composite: its components, then instructions if the last says so.
    let mut out = glyph.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        let size = component_size(flags);
        let component = glyph.get(at..at + size)?;
        out.extend_from_slice(&(flags & !INSTRUCTIONS).to_be_bytes());
        out.extend_from_slice(component.get(2..)?);
        at += size;
        if flags & MORE == 0 {
            return Some(out);
        }
    }
}

/// The `name` table with only its Windows records, or `None` to keep it
/// whole (no Windows records, or a table this does not read).
fn windows_names(name: &[u8]) -> Option<Vec<u8>> {
    if u16_at(name, 0)? != 0 {
        return None;
    }
    let count = usize::from(u16_at(name, 2)?);
    let strings = usize::from(u16_at(name, 4)?);
    let mut records = Vec::new();
    let mut text = Vec::new();
    for i in 0..count {
        let at = 6 + 12 * i;
        if u16_at(name, at)? != WINDOWS {
            continue;
        }
        let length = usize::from(u16_at(name, at + 8)?);
        let offset = strings + usize::from(u16_at(name, at + 10)?);
        records.extend_from_slice(name.get(at..at + 8)?);
        records.extend_from_slice(&u16::try_from(length).ok()?.to_be_bytes());
        records.extend_from_slice(&u16::try_from(text.len()).ok()?.to_be_bytes());
        text.extend_from_slice(name.get(offset..offset + length)?);
    }
    let kept = records.len() / 12;
    if kept == 0 {
        return None;
    }
    let mut out = Vec::with_capacity(6 + records.len() + text.len());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&u16::try_from(kept).ok()?.to_be_bytes());
    out.extend_from_slice(&u16::try_from(6 + records.len()).ok()?.to_be_bytes());
    out.extend(records);
    out.extend(text);
    Some(out)
}

/// The sum of the big-endian words of `data`, zero-padded to a word.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, word| {
        let mut padded = [0u8; 4];
        padded[..word.len()].copy_from_slice(word);
        sum.wrapping_add(u32::from_be_bytes(padded))
    })
}

/// A TrueType file of `tables`: sorted records, each table on a word.
fn assemble(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let count = tables.len();
    let power = (usize::BITS - 1 - count.max(1).leading_zeros()) as u16;
    let search = 16u16 << power;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(count as u16).to_be_bytes());
    out.extend_from_slice(&search.to_be_bytes());
    out.extend_from_slice(&power.to_be_bytes());
    out.extend_from_slice(&((count as u16) * 16).wrapping_sub(search).to_be_bytes());
    let mut offset = 12 + 16 * count;
    let mut head_at = None;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::outline::{DrawSettings, OutlinePen};
    use skrifa::raw::TableProvider;
    use skrifa::{FontRef, GlyphId, MetadataProvider, Tag};

    use super::*;

    #[derive(Default, PartialEq, Debug)]
    struct Path(Vec<(char, i32, i32)>);

    impl OutlinePen for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', x as i32, y as i32));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', x as i32, y as i32));
        }
        fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
            self.0.push(('Q', cx as i32, cy as i32));
            self.0.push(('Q', x as i32, y as i32));
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0.push(('C', a as i32, b as i32));
            self.0.push(('C', c as i32, d as i32));
            self.0.push(('C', x as i32, y as i32));
        }
        fn close(&mut self) {
            self.0.push(('Z', 0, 0));
        }
    }

    fn outline(font: &FontRef, gid: u32) -> Path {
        let mut path = Path::default();
        if let Some(glyph) = font.outline_glyphs().get(GlyphId::new(gid)) {
            glyph
                .draw(
                    DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
                    &mut path,
                )
                .expect("draws");
        }
        path
    }

    #[test]
    fn a_subset_draws_the_glyphs_it_keeps_as_before_and_nothing_else() {
        for original in [dejavu::sans::regular(), dejavu::sans::bold()] {
            let a = FontRef::new(original).expect("parses");
            let gid = |c: char| a.charmap().map(c).expect("in the face").to_u32();
            // é is a composite in DejaVu: its parts come along unasked.
            let keep: BTreeSet<u16> = "Knee bends é"
                .chars()
                .map(|c| u16::try_from(gid(c)).expect("a glyph id"))
                .collect();
            let subset = subset(original, &keep).expect("a TrueType face");
            // Unused glyphs leave runs of zeros (offsets, metrics) that a
            // PDF's compression all but removes.
            let packed = crate::handout::zlib::deflate(&subset).expect("compresses");
            assert!(packed.len() < 12_000, "{} bytes packed", packed.len());
            let b = FontRef::new(&subset).expect("the subset parses");
            let glyphs = u32::from(a.maxp().expect("maxp").num_glyphs());
            assert_eq!(u32::from(b.maxp().expect("maxp").num_glyphs()), glyphs);
            let ma = a.glyph_metrics(Size::unscaled(), LocationRef::default());
            let mb = b.glyph_metrics(Size::unscaled(), LocationRef::default());
            for c in "Knee bends é".chars() {
                let g = gid(c);
                assert_eq!(outline(&a, g), outline(&b, g), "{c}");
                assert_eq!(
                    ma.advance_width(GlyphId::new(g)),
                    mb.advance_width(GlyphId::new(g))
                );
            }
            assert!(!outline(&b, gid('é')).0.is_empty());
            for c in ['Z', 'q', '7'] {
                assert!(!outline(&a, gid(c)).0.is_empty());
                assert!(outline(&b, gid(c)).0.is_empty(), "{c} was not asked for");
                assert_eq!(mb.advance_width(GlyphId::new(gid(c))), Some(0.0));
            }
            for tag in [
                b"cvt ", b"fpgm", b"prep", b"cmap", b"GSUB", b"GPOS", b"kern",
            ] {
                assert!(b.table_data(Tag::new(tag)).is_none(), "{tag:?} dropped");
            }
            // The notices stay, once.
            let notice = |f: &FontRef, id| {
                f.localized_strings(id)
                    .english_or_first()
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            };
            for id in [
                skrifa::string::StringId::COPYRIGHT_NOTICE,
                skrifa::string::StringId::LICENSE_DESCRIPTION,
            ] {
                assert!(!notice(&b, id).is_empty());
                assert_eq!(notice(&a, id), notice(&b, id));
            }
            let platforms: Vec<u16> = b
                .name()
                .expect("name")
                .name_record()
                .iter()
                .map(|r| r.platform_id())
                .collect();
            assert!(!platforms.is_empty() && platforms.iter().all(|&p| p == WINDOWS));
            // The whole-font checksum holds.
            assert_eq!(checksum(&subset), 0xB1B0_AFBA);
        }
    }

    #[test]
    fn anything_but_a_truetype_face_is_left_alone() {
        let keep = BTreeSet::from([3]);
        assert_eq!(subset(b"OTTO not a TrueType face", &keep), None);
        assert_eq!(subset(&[], &keep), None);
        let mut cut = dejavu::sans::regular().to_vec();
        cut.truncate(400);
        assert_eq!(subset(&cut, &keep), None);
    }
}
