//! Embedded font subsets made lean. A PDF viewer draws glyph outlines; it
//! needs neither the TrueType hinting programs (`cvt `, `fpgm`, `prep` and
//! each glyph's instructions, for screens of the 1990s) nor the same names
//! written out twice, once per platform. Dropping them takes a quarter off
//! each embedded face; the outlines, advances and the copyright, trademark
//! and licence notices (the Windows name records) stay as they were.

/// Tables only hinting uses, dropped with the glyphs' instructions.
const HINTING: [&[u8; 4]; 6] = [b"cvt ", b"fpgm", b"prep", b"hdmx", b"LTSH", b"VDMX"];

/// The Windows platform of the `name` table, the one every reader knows.
const WINDOWS: u16 = 3;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The font without hinting and with one platform's names, or `None` when
/// it is not a TrueType font this understands (then it is embedded as is).
pub(crate) fn slim(font: &[u8]) -> Option<Vec<u8>> {
    if u32_at(font, 0)? != 0x0001_0000 {
        return None;
    }
    let count = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count);
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = usize::try_from(u32_at(font, record + 8)?).ok()?;
        let length = usize::try_from(u32_at(font, record + 12)?).ok()?;
        let data = font.get(offset..offset.checked_add(length)?)?;
        tables.push((tag, data.to_vec()));
    }
    let table = |tag: &[u8; 4]| {
        tables
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, d)| d.as_slice())
    };
    let head = table(b"head")?;
    let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
    let long_loca = u16_at(head, 50)? == 1;
    let (glyf, loca) = strip_instructions(table(b"glyf")?, table(b"loca")?, glyphs, long_loca)?;
    let name = windows_names(table(b"name")?);
    let mut kept = Vec::with_capacity(tables.len());
    for (tag, mut data) in tables {
        match &tag {
            t if HINTING.contains(&t) => continue,
            b"glyf" => data = glyf.clone(),
            b"loca" => data = loca.clone(),
            b"name" => {
                if let Some(name) = &name {
                    data = name.clone();
                }
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
        kept.push((tag, data));
    }
    Some(assemble(kept))
}

/// Every glyph without its instructions, and the offsets to them (long).
fn strip_instructions(
    glyf: &[u8],
    loca: &[u8],
    glyphs: usize,
    long: bool,
) -> Option<(Vec<u8>, Vec<u8>)> {
    let offset = |i: usize| -> Option<usize> {
        if long {
            usize::try_from(u32_at(loca, 4 * i)?).ok()
        } else {
            Some(usize::from(u16_at(loca, 2 * i)?) * 2)
        }
    };
    let mut out = Vec::with_capacity(glyf.len());
    let mut offsets = Vec::with_capacity(4 * (glyphs + 1));
    for i in 0..glyphs {
        offsets.extend_from_slice(&u32::try_from(out.len()).ok()?.to_be_bytes());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        if end <= start {
            continue;
        }
        out.extend(strip_glyph(glyf.get(start..end)?)?);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    offsets.extend_from_slice(&u32::try_from(out.len()).ok()?.to_be_bytes());
    Some((out, offsets))
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
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    const INSTRUCTIONS: u16 = 0x0100;
    let mut out = glyph.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        let mut size = 4 + if flags & WORDS != 0 { 4 } else { 2 };
        size += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
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
    fn a_slim_face_draws_every_glyph_as_before_without_hinting() {
        for original in [dejavu::sans::regular(), dejavu::sans::bold()] {
            let slim = slim(original).expect("a TrueType face");
            // The whole face keeps its big layout tables; a subset in a
            // handout loses a quarter (tested on the PDF).
            assert!(
                slim.len() + 30_000 < original.len(),
                "{} of {}",
                slim.len(),
                original.len()
            );
            let (a, b) = (
                FontRef::new(original).expect("parses"),
                FontRef::new(&slim).expect("the slim face parses"),
            );
            let glyphs = u32::from(a.maxp().expect("maxp").num_glyphs());
            assert_eq!(u32::from(b.maxp().expect("maxp").num_glyphs()), glyphs);
            // Simple and composite glyphs alike (é is a composite in
            // DejaVu), every fifth one.
            let mut drawn = 0;
            for gid in (0..glyphs).step_by(5) {
                let before = outline(&a, gid);
                assert_eq!(before, outline(&b, gid), "glyph {gid}");
                drawn += usize::from(!before.0.is_empty());
            }
            assert!(drawn > 500, "{drawn} glyphs compared");
            let e = a.charmap().map('é').expect("é");
            assert_eq!(outline(&a, e.to_u32()), outline(&b, e.to_u32()));
            let widths = |f: &FontRef| {
                let m = f.glyph_metrics(Size::unscaled(), LocationRef::default());
                (0..glyphs)
                    .map(|g| m.advance_width(GlyphId::new(g)))
                    .collect::<Vec<_>>()
            };
            assert_eq!(widths(&a), widths(&b));
            for tag in HINTING {
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
            assert_eq!(checksum(&slim), 0xB1B0_AFBA);
        }
    }

    #[test]
    fn anything_but_a_truetype_face_is_left_alone() {
        assert_eq!(slim(b"OTTO not a TrueType face"), None);
        assert_eq!(slim(&[]), None);
        let mut cut = dejavu::sans::regular().to_vec();
        cut.truncate(400);
        assert_eq!(slim(&cut), None);
    }
}
