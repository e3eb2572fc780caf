//! Pure page layout of the handout: text is measured with the font's real
//! advance widths and wrapped greedily, content becomes blocks of rows, and
//! blocks are paginated so a block that fits a page is never split and no
//! heading is left without its first lines. The output is pages of
//! positioned elements (points, origin top-left); `pdf.rs` draws them.

use std::ops::Range;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
const EPS: f32 = 0.01;

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

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ink(pub u8, pub u8, pub u8);

/// The palette: one calm accent, near-black text, and tints light enough
/// to print as a faint grey (or nothing) in black and white.
pub mod palette {
    use super::Ink;

    /// Body text.
    pub const TEXT: Ink = Ink(0x1B, 0x24, 0x2A);
    /// Secondary text; still above 7:1 contrast on white.
    pub const MUTED: Ink = Ink(0x4B, 0x57, 0x5E);
    /// The accent: rules, badges, bullets.
    pub const ACCENT: Ink = Ink(0x1F, 0x6F, 0x78);
    /// Accent for text (section headings, the dosage line).
    pub const ACCENT_DARK: Ink = Ink(0x12, 0x4B, 0x52);
    /// Background of the info panel and the dosage line.
    pub const TINT: Ink = Ink(0xE6, 0xF1, 0xF2);
    /// Every other row of the log grid.
    pub const ZEBRA: Ink = Ink(0xF2, 0xF7, 0xF8);
    /// Thin separators.
    pub const RULE: Ink = Ink(0xBF, 0xCC, 0xCF);
    /// Tick boxes and grid lines that must survive photocopying.
    pub const GRID: Ink = Ink(0x5F, 0x6E, 0x73);
    /// Border of the "Avoid" box.
    pub const AVOID_BORDER: Ink = Ink(0xB4, 0x53, 0x09);
    /// Background of the "Avoid" box.
    pub const AVOID_TINT: Ink = Ink(0xFD, 0xF4, 0xE8);
    /// "Avoid" and "Stop if" labels.
    pub const AVOID_TEXT: Ink = Ink(0x8A, 0x2C, 0x0D);
    /// "Do this instead" labels.
    pub const INSTEAD_TEXT: Ink = Ink(0x1D, 0x65, 0x36);
    /// Text on the accent badge.
    pub const WHITE: Ink = Ink(0xFF, 0xFF, 0xFF);
    /// The DRAFT watermark, drawn over everything at low opacity.
    pub const WATERMARK: Ink = Ink(0x5F, 0x6E, 0x73);
}

/// One line of text in one face, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge.
    pub x: f32,
    /// Baseline, from the top of the page.
    pub baseline: f32,
    /// Font size in points.
    pub size: f32,
    /// Regular or bold.
    pub face: Face,
    /// Colour.
    pub ink: Ink,
    /// The characters, all present in the font.
    pub text: String,
    /// Measured width.
    pub width: f32,
    /// Ascent in points at this size.
    pub ascent: f32,
    /// Descent in points at this size.
    pub descent: f32,
}

impl TextRun {
    /// Top of the glyph box.
    pub fn top(&self) -> f32 {
        self.baseline - self.ascent
    }
    /// Bottom of the glyph box.
    pub fn bottom(&self) -> f32 {
        self.baseline + self.descent
    }
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
}

/// A stroke colour and width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub ink: Ink,
    /// Width in points.
    pub width: f32,
}

/// A rectangle, filled and/or stroked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectEl {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
    /// Fill colour, if filled.
    pub fill: Option<Ink>,
    /// Outline, if stroked.
    pub stroke: Option<Stroke>,
}

/// A straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineEl {
    /// Start x.
    pub x1: f32,
    /// Start y.
    pub y1: f32,
    /// End x.
    pub x2: f32,
    /// End y.
    pub y2: f32,
    /// Colour and width.
    pub stroke: Stroke,
}

/// A placed raster image (index into the render's prepared images).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageEl {
    /// Which prepared image.
    pub image: usize,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// The square the share-link QR code (quiet zone included) is drawn into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QrEl {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Side length.
    pub size: f32,
}

/// Rotated, translucent text over the page content ("DRAFT").
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    /// The word.
    pub text: String,
    /// Font size.
    pub size: f32,
    /// Start of the baseline, x.
    pub x: f32,
    /// Start of the baseline, y from the top.
    pub y: f32,
    /// Counter-clockwise rotation in radians.
    pub angle: f32,
    /// Colour.
    pub ink: Ink,
}

/// Anything drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// A line of text.
    Text(TextRun),
    /// A rectangle.
    Rect(RectEl),
    /// A rule.
    Line(LineEl),
    /// An exercise image or the clinic logo.
    Image(ImageEl),
    /// The share-link QR code.
    Qr(QrEl),
    /// The DRAFT watermark.
    Watermark(Watermark),
}

impl Element {
    fn shift(&mut self, dy: f32) {
        match self {
            Element::Text(t) => t.baseline += dy,
            Element::Rect(r) => r.y += dy,
            Element::Line(l) => {
                l.y1 += dy;
                l.y2 += dy;
            }
            Element::Image(i) => i.y += dy,
            Element::Qr(q) => q.y += dy,
            Element::Watermark(w) => w.y += dy,
        }
    }
}

/// One page of positioned elements, in drawing order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Drawn first to last.
    pub elements: Vec<Element>,
}

/// What a block of the handout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Clinic, title, patient, date, therapist, version.
    Header,
    /// Goals and notes.
    Notes,
    /// The exercise at this index.
    Exercise(usize),
    /// The "Avoid / do this instead" box.
    Avoid,
    /// The blank log grid.
    Log,
}

/// Where a block ended up: its full height and one page per fragment.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockInfo {
    /// The block.
    pub kind: BlockKind,
    /// Height of the whole block, unsplit.
    pub height: f32,
    /// Page index (0-based) of each fragment, in order.
    pub pages: Vec<usize>,
}

/// The laid-out handout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The pages.
    pub pages: Vec<Page>,
    /// How each block was placed.
    pub blocks: Vec<BlockInfo>,
    /// Left and right margins of the text column.
    pub left: f32,
    /// Right edge of the text column.
    pub right: f32,
    /// Height available to content on a page after the first.
    pub fresh_capacity: f32,
}

/// An image as the layout needs it: which one, and its pixel size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef {
    /// Index into the render's prepared images.
    pub index: usize,
    /// Width in pixels.
    pub px_w: u32,
    /// Height in pixels.
    pub px_h: u32,
}

/// One exercise, texts already cleaned for the font.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExerciseContent {
    /// Name.
    pub name: String,
    /// Picture, when the clinic has one.
    pub image: Option<ImageRef>,
    /// "3 sets of 10 reps · …".
    pub dosage: String,
    /// Numbered steps.
    pub steps: Vec<String>,
    /// Bulleted cues.
    pub cues: Vec<String>,
    /// When to stop.
    pub stop_if: Option<String>,
    /// The therapist's note for this item.
    pub note: Option<String>,
}

/// One precaution's patient-facing words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrecautionContent {
    /// Heading, e.g. "After knee replacement".
    pub label: String,
    /// What to avoid.
    pub avoid: String,
    /// What to do instead.
    pub instead: String,
}

/// Everything the layout prints, texts already cleaned for the font.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Content {
    /// Page size in points (width, height).
    pub page: (f32, f32),
    /// Body text at 16 pt and everything scaled up.
    pub large_print: bool,
    /// Diagonal "DRAFT" on every page.
    pub draft: bool,
    /// Clinic name.
    pub clinic_name: String,
    /// Address, phone, web.
    pub contact_line: String,
    /// Clinic logo.
    pub logo: Option<ImageRef>,
    /// Program title.
    pub title: String,
    /// Patient display name.
    pub patient: String,
    /// Print date, formatted.
    pub date: String,
    /// Therapist's name.
    pub therapist: String,
    /// Version number.
    pub version: i32,
    /// Goals and notes.
    pub notes: String,
    /// Exercises in order.
    pub exercises: Vec<ExerciseContent>,
    /// Precautions for the avoid box.
    pub precautions: Vec<PrecautionContent>,
    /// Link printed in every footer, with its QR code.
    pub share_url: Option<String>,
}

/// Type scale and spacing for normal or large print.
#[derive(Debug, Clone, Copy)]
struct Style {
    clinic: f32,
    title: f32,
    section: f32,
    heading: f32,
    body: f32,
    small: f32,
    leading: f32,
    margin_x: f32,
    margin_top: f32,
    margin_bottom: f32,
    section_gap: f32,
    block_gap: f32,
    image_w: f32,
    image_h: f32,
    logo_w: f32,
    logo_h: f32,
    qr: f32,
    log_row: f32,
    tick: f32,
}

impl Style {
    fn new(large: bool) -> Self {
        let base = Style {
            clinic: 15.0,
            title: 20.0,
            section: 14.5,
            heading: 13.0,
            body: 10.5,
            small: 8.5,
            leading: 1.38,
            margin_x: 18.0 * MM,
            margin_top: 16.0 * MM,
            margin_bottom: 12.0 * MM,
            section_gap: 7.0 * MM,
            block_gap: 6.0 * MM,
            image_w: 45.0 * MM,
            image_h: 40.0 * MM,
            logo_w: 45.0 * MM,
            logo_h: 18.0 * MM,
            qr: 18.0 * MM,
            log_row: 8.0 * MM,
            tick: 4.5 * MM,
        };
        if large {
            Style {
                clinic: 20.0,
                title: 26.0,
                section: 20.0,
                heading: 18.0,
                body: 16.0,
                small: 12.0,
                leading: 1.32,
                section_gap: 9.0 * MM,
                block_gap: 8.0 * MM,
                image_w: 50.0 * MM,
                image_h: 45.0 * MM,
                qr: 20.0 * MM,
                log_row: 11.0 * MM,
                tick: 6.0 * MM,
                ..base
            }
        } else {
            base
        }
    }

    fn lh(&self, size: f32) -> f32 {
        size * self.leading
    }
}

/// The box (width, height in points) an exercise image is scaled into.
pub fn image_box(large_print: bool) -> (f32, f32) {
    let s = Style::new(large_print);
    (s.image_w, s.image_h)
}

/// The box (width, height in points) the clinic logo is scaled into.
pub fn logo_box() -> (f32, f32) {
    let s = Style::new(false);
    (s.logo_w, s.logo_h)
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

/// Scales a pixel size to fit a box, keeping the aspect ratio.
fn fit(img: ImageRef, max_w: f32, max_h: f32) -> (f32, f32) {
    let (pw, ph) = (img.px_w.max(1) as f32, img.px_h.max(1) as f32);
    let scale = (max_w / pw).min(max_h / ph);
    (pw * scale, ph * scale)
}

/// A horizontal slice of a block: the unit of pagination.
#[derive(Debug, Clone, Default)]
struct Row {
    height: f32,
    /// Positions relative to the row's top.
    elements: Vec<Element>,
    /// A page break may not fall between this row and the one before.
    keep_with_prev: bool,
}

impl Row {
    fn spacer(height: f32) -> Self {
        Row {
            height,
            ..Row::default()
        }
    }

    fn pad_top(&mut self, gap: f32) {
        self.height += gap;
        for e in &mut self.elements {
            e.shift(gap);
        }
    }
}

fn keep_first(rows: &mut [Row], n: usize) {
    for r in rows.iter_mut().take(n) {
        r.keep_with_prev = true;
    }
}

/// A background drawn around each fragment of a block.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: f32,
    w: f32,
    pad: f32,
    fill: Ink,
    stroke: Stroke,
}

#[derive(Debug, Clone)]
struct Block {
    kind: BlockKind,
    space_before: f32,
    /// Drawn in the middle of `space_before` unless the block starts a page.
    separator: Option<LineEl>,
    rows: Vec<Row>,
    /// Repeated at the top of every fragment after the first.
    continuation: Vec<Row>,
    frame: Option<Frame>,
}

fn rows_height(rows: &[Row]) -> f32 {
    rows.iter().map(|r| r.height).sum()
}

/// Places blocks on pages.
struct Paginator {
    first_top: f32,
    next_top: f32,
    bottom: f32,
    pages: Vec<Page>,
    y: f32,
    blocks: Vec<BlockInfo>,
}

impl Paginator {
    fn new(first_top: f32, next_top: f32, bottom: f32) -> Self {
        Paginator {
            first_top,
            next_top,
            bottom,
            pages: vec![Page::default()],
            y: first_top,
            blocks: Vec::new(),
        }
    }

    fn top(&self) -> f32 {
        if self.pages.len() == 1 {
            self.first_top
        } else {
            self.next_top
        }
    }

    fn at_top(&self) -> bool {
        self.y <= self.top() + EPS
    }

    fn fresh_capacity(&self) -> f32 {
        self.bottom - self.next_top
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.next_top;
    }

    fn gap(&self, block: &Block) -> f32 {
        if self.at_top() {
            0.0
        } else {
            block.space_before
        }
    }

    fn place(&mut self, block: Block) {
        let pad = block.frame.map_or(0.0, |f| 2.0 * f.pad);
        let total = rows_height(&block.rows) + pad;
        let mut info = BlockInfo {
            kind: block.kind,
            height: total,
            pages: Vec::new(),
        };
        let n = block.rows.len();
        if self.y + self.gap(&block) + total <= self.bottom + EPS {
            self.emit(&block, 0..n, false, &mut info);
        } else if total <= self.fresh_capacity() + EPS {
            self.new_page();
            self.emit(&block, 0..n, false, &mut info);
        } else {
            let mut i = 0;
            let mut first = true;
            while i < n {
                let cont = if first {
                    0.0
                } else {
                    rows_height(&block.continuation)
                };
                let avail = self.bottom - self.y - self.gap(&block) - pad - cont;
                let mut acc = 0.0;
                let mut best = None;
                let mut max_fit = i;
                for k in i..n {
                    acc += block.rows[k].height;
                    if acc > avail + EPS {
                        break;
                    }
                    max_fit = k + 1;
                    if k + 1 == n || !block.rows[k + 1].keep_with_prev {
                        best = Some(k + 1);
                    }
                }
                let k = match best {
                    Some(k) => k,
                    // Only rows taller than a page get here; place them anyway
                    // so that layout always terminates.
                    None if self.at_top() => max_fit.max(i + 1),
                    None => {
                        self.new_page();
                        continue;
                    }
                };
                self.emit(&block, i..k, !first, &mut info);
                i = k;
                first = false;
                if i < n {
                    self.new_page();
                }
            }
        }
        self.blocks.push(info);
    }

    fn emit(&mut self, block: &Block, range: Range<usize>, continued: bool, info: &mut BlockInfo) {
        let gap = self.gap(block);
        let page_index = self.pages.len() - 1;
        let mut y = self.y + gap;
        let mut elements = Vec::new();
        if gap > 0.0 {
            if let Some(mut sep) = block.separator {
                sep.y1 = self.y + gap / 2.0;
                sep.y2 = sep.y1;
                elements.push(Element::Line(sep));
            }
        }
        let frag_top = y;
        let pad = block.frame.map_or(0.0, |f| f.pad);
        y += pad;
        let continuation = if continued {
            &block.continuation[..]
        } else {
            &[]
        };
        for row in continuation.iter().chain(&block.rows[range]) {
            for e in &row.elements {
                let mut e = e.clone();
                e.shift(y);
                elements.push(e);
            }
            y += row.height;
        }
        y += pad;
        if let Some(f) = block.frame {
            elements.insert(
                0,
                Element::Rect(RectEl {
                    x: f.x,
                    y: frag_top,
                    w: f.w,
                    h: y - frag_top,
                    fill: Some(f.fill),
                    stroke: Some(f.stroke),
                }),
            );
        }
        self.y = y;
        if let Some(page) = self.pages.get_mut(page_index) {
            page.elements.extend(elements);
        }
        info.pages.push(page_index);
    }
}

/// Builds rows and decorations for one handout.
struct Builder<'a, M: Metrics + ?Sized> {
    m: &'a M,
    s: Style,
    c: &'a Content,
    page_w: f32,
    page_h: f32,
    left: f32,
    right: f32,
}

impl<'a, M: Metrics + ?Sized> Builder<'a, M> {
    fn width(&self) -> f32 {
        self.right - self.left
    }

    fn lh(&self, size: f32) -> f32 {
        self.s.lh(size)
    }

    /// A text run whose line box (one line height tall) starts at `top`.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        x: f32,
        top: f32,
        size: f32,
        face: Face,
        ink: Ink,
        text: String,
        width: f32,
    ) -> Element {
        let (asc, desc) = (self.m.ascent() * size, self.m.descent() * size);
        let baseline = top + (self.lh(size) - asc - desc) / 2.0 + asc;
        Element::Text(TextRun {
            x,
            baseline,
            size,
            face,
            ink,
            text,
            width,
            ascent: asc,
            descent: desc,
        })
    }

    fn measured(&self, x: f32, top: f32, size: f32, face: Face, ink: Ink, text: &str) -> Element {
        let w = self.m.width(face, size, text);
        self.run(x, top, size, face, ink, text.to_owned(), w)
    }

    /// One row per wrapped line.
    #[allow(clippy::too_many_arguments)]
    fn text_rows(
        &self,
        text: &str,
        x: f32,
        width: f32,
        size: f32,
        face: Face,
        ink: Ink,
    ) -> Vec<Row> {
        let lh = self.lh(size);
        wrap(self.m, face, size, text, width)
            .into_iter()
            .map(|(line, w)| Row {
                height: lh,
                elements: vec![self.run(x, 0.0, size, face, ink, line, w)],
                keep_with_prev: false,
            })
            .collect()
    }

    /// Paragraphs (split at newlines) with a half-line gap between them.
    fn paragraph_rows(&self, text: &str, x: f32, width: f32, size: f32, ink: Ink) -> Vec<Row> {
        let mut rows = Vec::new();
        for para in text.split('\n').filter(|p| !p.trim().is_empty()) {
            let mut para_rows = self.text_rows(para, x, width, size, Face::Regular, ink);
            if !rows.is_empty() {
                if let Some(first) = para_rows.first_mut() {
                    first.pad_top(self.lh(size) * 0.45);
                }
            }
            rows.extend(para_rows);
        }
        rows
    }

    /// A paragraph with a label in a hanging indent ("1.", "•", "Stop if:").
    #[allow(clippy::too_many_arguments)]
    fn hanging_rows(
        &self,
        label: &str,
        label_ink: Ink,
        hang: f32,
        text: &str,
        x: f32,
        width: f32,
        size: f32,
    ) -> Vec<Row> {
        let mut rows = self.text_rows(
            text,
            x + hang,
            width - hang,
            size,
            Face::Regular,
            palette::TEXT,
        );
        if rows.is_empty() {
            rows.push(Row::spacer(self.lh(size)));
        }
        if let Some(first) = rows.first_mut() {
            // Label first, so extracted text reads "1. Lie on your back…".
            let label = self.measured(x, 0.0, size, Face::Bold, label_ink, label);
            first.elements.insert(0, label);
        }
        rows
    }

    fn section_heading(&self, title: &str) -> Vec<Row> {
        let size = self.s.section;
        let mut rows = self.text_rows(
            title,
            self.left,
            self.width(),
            size,
            Face::Bold,
            palette::ACCENT_DARK,
        );
        for r in rows.iter_mut().skip(1) {
            r.keep_with_prev = true;
        }
        if let Some(last) = rows.last_mut() {
            let y = last.height + 1.2 * MM;
            last.elements.push(Element::Line(LineEl {
                x1: self.left,
                y1: y,
                x2: self.right,
                y2: y,
                stroke: Stroke {
                    ink: palette::ACCENT,
                    width: 0.9,
                },
            }));
            last.height = y + 3.5 * MM;
        }
        rows
    }

    fn header_block(&self) -> Block {
        let (s, c) = (&self.s, self.c);
        let mut rows = Vec::new();

        // Clinic name and contact line, logo on the right.
        let logo = c.logo.map(|img| (img, fit(img, s.logo_w, s.logo_h)));
        let text_w = self.width() - logo.map_or(0.0, |(_, (w, _))| w + 6.0 * MM);
        let mut clinic = Row::default();
        let mut y = 0.0;
        for (line, w) in wrap(self.m, Face::Bold, s.clinic, &c.clinic_name, text_w) {
            clinic.elements.push(self.run(
                self.left,
                y,
                s.clinic,
                Face::Bold,
                palette::ACCENT_DARK,
                line,
                w,
            ));
            y += self.lh(s.clinic);
        }
        let contact_size = (s.small + s.body) / 2.0;
        for (line, w) in wrap(self.m, Face::Regular, contact_size, &c.contact_line, text_w) {
            clinic.elements.push(self.run(
                self.left,
                y,
                contact_size,
                Face::Regular,
                palette::MUTED,
                line,
                w,
            ));
            y += self.lh(contact_size);
        }
        if let Some((img, (w, h))) = logo {
            clinic.elements.push(Element::Image(ImageEl {
                image: img.index,
                x: self.right - w,
                y: 0.0,
                w,
                h,
            }));
            y = y.max(h);
        }
        clinic.height = y + 3.0 * MM;
        clinic.elements.push(Element::Line(LineEl {
            x1: self.left,
            y1: clinic.height - 0.75,
            x2: self.right,
            y2: clinic.height - 0.75,
            stroke: Stroke {
                ink: palette::ACCENT,
                width: 1.5,
            },
        }));
        rows.push(clinic);

        // Program title.
        let mut title = self.text_rows(
            &c.title,
            self.left,
            self.width(),
            s.title,
            Face::Bold,
            palette::TEXT,
        );
        if let Some(first) = title.first_mut() {
            first.pad_top(5.0 * MM);
        }
        rows.extend(title);

        // Info panel: who, when, by whom, which version.
        let cells = [
            ("Prepared for", c.patient.clone()),
            ("Date", c.date.clone()),
            ("Therapist", c.therapist.clone()),
            ("Program", format!("Version {}", c.version)),
        ];
        let cols = if c.large_print { 2 } else { 4 };
        let pad = 3.5 * MM;
        let col_gap = 4.0 * MM;
        let col_w = (self.width() - 2.0 * pad - (cols - 1) as f32 * col_gap) / cols as f32;
        let mut panel = Row::default();
        let mut y = pad;
        for chunk in cells.chunks(cols) {
            let mut row_h: f32 = 0.0;
            for (i, (label, value)) in chunk.iter().enumerate() {
                let x = self.left + pad + i as f32 * (col_w + col_gap);
                let mut cy = y;
                for (line, w) in wrap(self.m, Face::Regular, s.small, label, col_w) {
                    panel.elements.push(self.run(
                        x,
                        cy,
                        s.small,
                        Face::Regular,
                        palette::MUTED,
                        line,
                        w,
                    ));
                    cy += self.lh(s.small);
                }
                for (line, w) in wrap(self.m, Face::Bold, s.body, value, col_w) {
                    panel.elements.push(self.run(
                        x,
                        cy,
                        s.body,
                        Face::Bold,
                        palette::TEXT,
                        line,
                        w,
                    ));
                    cy += self.lh(s.body);
                }
                row_h = row_h.max(cy - y);
            }
            y += row_h + 2.0 * MM;
        }
        let panel_h = y - 2.0 * MM + pad;
        let top = 4.0 * MM;
        panel.elements.insert(
            0,
            Element::Rect(RectEl {
                x: self.left,
                y: 0.0,
                w: self.width(),
                h: panel_h,
                fill: Some(palette::TINT),
                stroke: None,
            }),
        );
        panel.elements.insert(
            1,
            Element::Rect(RectEl {
                x: self.left,
                y: 0.0,
                w: 1.2 * MM,
                h: panel_h,
                fill: Some(palette::ACCENT),
                stroke: None,
            }),
        );
        panel.height = panel_h;
        panel.pad_top(top);
        rows.push(panel);

        keep_first(&mut rows[1..], usize::MAX);
        Block {
            kind: BlockKind::Header,
            space_before: 0.0,
            separator: None,
            rows,
            continuation: Vec::new(),
            frame: None,
        }
    }

    fn notes_block(&self) -> Block {
        let mut rows = self.section_heading("Goals and notes");
        let mut body = self.paragraph_rows(
            &self.c.notes,
            self.left,
            self.width(),
            self.s.body,
            palette::TEXT,
        );
        keep_first(&mut body, 2);
        rows.extend(body);
        Block {
            kind: BlockKind::Notes,
            space_before: self.s.section_gap,
            separator: None,
            rows,
            continuation: vec![self.continued_row(
                "Goals and notes (continued)",
                self.left,
                palette::MUTED,
            )],
            frame: None,
        }
    }

    fn continued_row(&self, text: &str, x: f32, ink: Ink) -> Row {
        let size = self.s.small;
        let (line, w) = truncate(self.m, Face::Bold, size, text, self.right - x);
        Row {
            height: self.lh(size) + 1.5 * MM,
            elements: vec![self.run(x, 0.0, size, Face::Bold, ink, line, w)],
            keep_with_prev: false,
        }
    }

    fn dosage_rows(&self, text: &str, x: f32, width: f32) -> Vec<Row> {
        let size = self.s.body;
        let (pad_x, pad_y) = (2.4 * MM, 1.3 * MM);
        let lines = wrap(self.m, Face::Bold, size, text, width - 2.0 * pad_x);
        let box_w = lines.iter().map(|(_, w)| *w).fold(0.0, f32::max) + 2.0 * pad_x;
        let last = lines.len().saturating_sub(1);
        let lh = self.lh(size);
        lines
            .into_iter()
            .enumerate()
            .map(|(i, (line, w))| {
                let top = if i == 0 { pad_y } else { 0.0 };
                let height = lh + top + if i == last { pad_y } else { 0.0 };
                let fill = |x, w| {
                    Element::Rect(RectEl {
                        x,
                        y: 0.0,
                        w,
                        h: height,
                        fill: Some(palette::TINT),
                        stroke: None,
                    })
                };
                let bar = Element::Rect(RectEl {
                    x,
                    y: 0.0,
                    w: 0.9 * MM,
                    h: height,
                    fill: Some(palette::ACCENT),
                    stroke: None,
                });
                Row {
                    height,
                    elements: vec![
                        fill(x, box_w),
                        bar,
                        self.run(
                            x + pad_x,
                            top,
                            size,
                            Face::Bold,
                            palette::ACCENT_DARK,
                            line,
                            w,
                        ),
                    ],
                    keep_with_prev: false,
                }
            })
            .collect()
    }

    fn exercise_block(&self, i: usize, ex: &ExerciseContent) -> Block {
        let s = &self.s;
        let mut rows = if i == 0 {
            self.section_heading("Your exercises")
        } else {
            Vec::new()
        };
        let after_section = rows.len();

        // Heading: number badge and name.
        let lh = self.lh(s.heading);
        let badge = (s.heading * 1.55).min(lh);
        let indent = badge + 3.0 * MM;
        let name_x = self.left + indent;
        let mut heading = self.text_rows(
            &ex.name,
            name_x,
            self.right - name_x,
            s.heading,
            Face::Bold,
            palette::TEXT,
        );
        if heading.is_empty() {
            heading.push(Row::spacer(lh));
        }
        if let Some(first) = heading.first_mut() {
            let by = (lh - badge) / 2.0;
            let num = (i + 1).to_string();
            let nsize = if num.len() > 1 {
                s.heading * 0.78
            } else {
                s.heading * 0.9
            };
            let nw = self.m.width(Face::Bold, nsize, &num);
            let top = by + (badge - self.lh(nsize)) / 2.0;
            let badge_rect = Element::Rect(RectEl {
                x: self.left,
                y: by,
                w: badge,
                h: badge,
                fill: Some(palette::ACCENT),
                stroke: None,
            });
            let number = self.run(
                self.left + (badge - nw) / 2.0,
                top,
                nsize,
                Face::Bold,
                palette::WHITE,
                num,
                nw,
            );
            // Number before name, so extracted text reads "1 Bridge".
            first.elements.insert(0, number);
            first.elements.insert(0, badge_rect);
        }
        for r in heading.iter_mut().skip(1) {
            r.keep_with_prev = true;
        }
        if let Some(last) = heading.last_mut() {
            last.height += 1.8 * MM;
        }
        rows.extend(heading);
        if i == 0 {
            keep_first(&mut rows[after_section..], 1);
        }

        // Body: image on the left, text column on the right.
        let image = ex.image.map(|img| (img, fit(img, s.image_w, s.image_h)));
        let text_x = name_x + image.map_or(0.0, |(_, (w, _))| w + 5.0 * MM);
        let text_w = self.right - text_x;
        let mut body = self.dosage_rows(&ex.dosage, text_x, text_w);

        let group_gap = 2.0 * MM;
        let item_gap = self.lh(s.body) * 0.2;
        let numbers: Vec<String> = (1..=ex.steps.len()).map(|n| format!("{n}.")).collect();
        let hang = numbers
            .iter()
            .map(|n| self.m.width(Face::Bold, s.body, n))
            .fold(0.0, f32::max)
            + 1.8 * MM;
        for (k, (step, num)) in ex.steps.iter().zip(&numbers).enumerate() {
            let mut r = self.hanging_rows(
                num,
                palette::ACCENT_DARK,
                hang,
                step,
                text_x,
                text_w,
                s.body,
            );
            if let Some(first) = r.first_mut() {
                first.pad_top(if k == 0 { group_gap } else { item_gap });
            }
            body.extend(r);
        }
        let bullet_hang = self.m.width(Face::Bold, s.body, "•") + 2.2 * MM;
        for (k, cue) in ex.cues.iter().enumerate() {
            let mut r = self.hanging_rows(
                "•",
                palette::ACCENT,
                bullet_hang,
                cue,
                text_x,
                text_w,
                s.body,
            );
            if let Some(first) = r.first_mut() {
                first.pad_top(if k == 0 { group_gap * 0.8 } else { item_gap });
            }
            body.extend(r);
        }
        for (label, ink, text) in [
            ("Stop if:", palette::AVOID_TEXT, &ex.stop_if),
            ("Note:", palette::ACCENT_DARK, &ex.note),
        ] {
            if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                let hang = self.m.width(Face::Bold, s.body, label) + 1.8 * MM;
                let mut r = self.hanging_rows(label, ink, hang, text, text_x, text_w, s.body);
                if let Some(first) = r.first_mut() {
                    first.pad_top(group_gap * 0.8);
                }
                body.extend(r);
            }
        }

        if let Some((img, (w, h))) = image {
            if body.is_empty() {
                body.push(Row::spacer(0.0));
            }
            if let Some(first) = body.first_mut() {
                first.elements.push(Element::Image(ImageEl {
                    image: img.index,
                    x: name_x,
                    y: 0.0,
                    w,
                    h,
                }));
                first.elements.push(Element::Rect(RectEl {
                    x: name_x,
                    y: 0.0,
                    w,
                    h,
                    fill: None,
                    stroke: Some(Stroke {
                        ink: palette::RULE,
                        width: 0.5,
                    }),
                }));
            }
            // Rows beside the image stay with it.
            let mut y = 0.0;
            for r in body.iter_mut() {
                if y < h {
                    r.keep_with_prev = true;
                }
                y += r.height;
            }
            if y < h {
                body.push(Row {
                    height: h - y,
                    elements: Vec::new(),
                    keep_with_prev: true,
                });
            }
        }
        keep_first(&mut body, 2);
        rows.extend(body);

        Block {
            kind: BlockKind::Exercise(i),
            space_before: if i == 0 { s.section_gap } else { s.block_gap },
            separator: (i > 0).then_some(LineEl {
                x1: self.left,
                y1: 0.0,
                x2: self.right,
                y2: 0.0,
                stroke: Stroke {
                    ink: palette::RULE,
                    width: 0.6,
                },
            }),
            rows,
            continuation: vec![self.continued_row(
                &format!("{}. {} (continued)", i + 1, ex.name),
                self.left,
                palette::MUTED,
            )],
            frame: None,
        }
    }

    fn avoid_block(&self) -> Block {
        let s = &self.s;
        let pad = 4.0 * MM;
        let x = self.left + pad;
        let width = self.width() - 2.0 * pad;
        let title = "Avoid / do this instead";
        let mut rows = self.text_rows(title, x, width, s.heading, Face::Bold, palette::AVOID_TEXT);
        for r in rows.iter_mut().skip(1) {
            r.keep_with_prev = true;
        }
        if let Some(last) = rows.last_mut() {
            last.height += 1.0 * MM;
        }
        let heading_rows = rows.len();
        let hang = ["Avoid:", "Do this instead:"]
            .iter()
            .map(|l| self.m.width(Face::Bold, s.body, l))
            .fold(0.0, f32::max)
            + 3.0 * MM;
        for (j, p) in self.c.precautions.iter().enumerate() {
            let mut label = self.text_rows(&p.label, x, width, s.body, Face::Bold, palette::TEXT);
            if j > 0 {
                if let Some(first) = label.first_mut() {
                    first.pad_top(3.0 * MM);
                }
            }
            for r in label.iter_mut().skip(1) {
                r.keep_with_prev = true;
            }
            let mut body = self.hanging_rows(
                "Avoid:",
                palette::AVOID_TEXT,
                hang,
                &p.avoid,
                x,
                width,
                s.body,
            );
            let mut instead = self.hanging_rows(
                "Do this instead:",
                palette::INSTEAD_TEXT,
                hang,
                &p.instead,
                x,
                width,
                s.body,
            );
            if let Some(first) = instead.first_mut() {
                first.pad_top(1.0 * MM);
            }
            body.extend(instead);
            keep_first(&mut body, 2);
            rows.extend(label);
            rows.extend(body);
        }
        keep_first(&mut rows[heading_rows..], 2);
        Block {
            kind: BlockKind::Avoid,
            space_before: s.section_gap,
            separator: None,
            rows,
            continuation: vec![self.continued_row(
                &format!("{title} (continued)"),
                x,
                palette::AVOID_TEXT,
            )],
            frame: Some(Frame {
                x: self.left,
                w: self.width(),
                pad,
                fill: palette::AVOID_TINT,
                stroke: Stroke {
                    ink: palette::AVOID_BORDER,
                    width: 1.0,
                },
            }),
        }
    }

    fn log_block(&self) -> Block {
        let s = &self.s;
        let mut rows = self.section_heading("Weekly log");
        let heading_rows = rows.len();
        rows.extend(self.text_rows(
            "Tick a box each time you do the exercise. At the end of the week, write down how much it hurt: 0 = no pain, 10 = worst pain.",
            self.left,
            self.width(),
            s.body,
            Face::Regular,
            palette::MUTED,
        ));

        let label_size = s.small;
        let day_label = |d: usize, short: bool| {
            if short {
                d.to_string()
            } else {
                format!("Day {d}")
            }
        };
        let pain_label = "Pain 0-10";
        let day_w_for = |short: bool| {
            self.m
                .width(Face::Bold, label_size, &day_label(7, short))
                .max(s.tick)
                + 3.0 * MM
        };
        let pain_w = (self.m.width(Face::Bold, label_size, pain_label) + 4.0 * MM).max(20.0 * MM);
        let mut short = false;
        let mut day_w = day_w_for(false).max(12.0 * MM);
        if self.width() - 7.0 * day_w - pain_w < 45.0 * MM {
            short = true;
            day_w = day_w_for(true).max(s.tick + 4.0 * MM);
        }
        let name_w = self.width() - 7.0 * day_w - pain_w;
        let day_x = |d: usize| self.left + name_w + d as f32 * day_w;
        let pain_x = self.left + name_w + 7.0 * day_w;

        // Column labels.
        let lh = self.lh(label_size);
        let mut header = Row {
            height: lh + 2.5 * MM,
            elements: Vec::new(),
            keep_with_prev: true,
        };
        let top = 1.0 * MM;
        header.elements.push(self.measured(
            self.left + 1.5 * MM,
            top,
            label_size,
            Face::Bold,
            palette::MUTED,
            if short { "Exercise / day" } else { "Exercise" },
        ));
        for d in 0..7 {
            let label = day_label(d + 1, short);
            let w = self.m.width(Face::Bold, label_size, &label);
            header.elements.push(self.run(
                day_x(d) + (day_w - w) / 2.0,
                top,
                label_size,
                Face::Bold,
                palette::MUTED,
                label,
                w,
            ));
        }
        let w = self.m.width(Face::Bold, label_size, pain_label);
        header.elements.push(self.run(
            pain_x + (pain_w - w) / 2.0,
            top,
            label_size,
            Face::Bold,
            palette::MUTED,
            pain_label.to_owned(),
            w,
        ));
        let hy = header.height - 0.5;
        header.elements.push(Element::Line(LineEl {
            x1: self.left,
            y1: hy,
            x2: self.right,
            y2: hy,
            stroke: Stroke {
                ink: palette::GRID,
                width: 1.0,
            },
        }));
        let mut continuation = header.clone();
        continuation.keep_with_prev = false;
        header.pad_top(2.0 * MM);
        rows.push(header);
        let first_grid_row = rows.len();

        let box_stroke = Stroke {
            ink: palette::GRID,
            width: 0.8,
        };
        for (i, ex) in self.c.exercises.iter().enumerate() {
            let h = s.log_row;
            let mut row = Row {
                height: h,
                elements: Vec::new(),
                keep_with_prev: false,
            };
            if i % 2 == 1 {
                row.elements.push(Element::Rect(RectEl {
                    x: self.left,
                    y: 0.0,
                    w: self.width(),
                    h,
                    fill: Some(palette::ZEBRA),
                    stroke: None,
                }));
            }
            let size = s.body;
            let (name, w) = truncate(
                self.m,
                Face::Regular,
                size,
                &format!("{}. {}", i + 1, ex.name),
                name_w - 3.0 * MM,
            );
            row.elements.push(self.run(
                self.left + 1.5 * MM,
                (h - self.lh(size)) / 2.0,
                size,
                Face::Regular,
                palette::TEXT,
                name,
                w,
            ));
            let by = (h - s.tick) / 2.0;
            for d in 0..7 {
                row.elements.push(Element::Rect(RectEl {
                    x: day_x(d) + (day_w - s.tick) / 2.0,
                    y: by,
                    w: s.tick,
                    h: s.tick,
                    fill: Some(palette::WHITE),
                    stroke: Some(box_stroke),
                }));
            }
            row.elements.push(Element::Rect(RectEl {
                x: pain_x + 2.0 * MM,
                y: by,
                w: pain_w - 4.0 * MM,
                h: s.tick,
                fill: Some(palette::WHITE),
                stroke: Some(box_stroke),
            }));
            row.elements.push(Element::Line(LineEl {
                x1: self.left,
                y1: h,
                x2: self.right,
                y2: h,
                stroke: Stroke {
                    ink: palette::RULE,
                    width: 0.5,
                },
            }));
            rows.push(row);
        }
        // The heading keeps its explanation, the column labels and the
        // first grid row; later grid rows may break.
        let keep = (first_grid_row + 1).min(rows.len()) - heading_rows;
        keep_first(&mut rows[heading_rows..], keep);
        Block {
            kind: BlockKind::Log,
            space_before: s.section_gap,
            separator: None,
            rows,
            continuation: vec![continuation],
            frame: None,
        }
    }

    fn footer_height(&self) -> f32 {
        let s = &self.s;
        let text = 2.0 * self.lh(s.small);
        let h = match &self.c.share_url {
            Some(url) => {
                let lines = self.url_lines(url).len() as f32 + 1.0;
                s.qr.max(lines * self.lh(s.small)).max(text)
            }
            None => text,
        };
        h + 3.0 * MM
    }

    fn url_width(&self) -> f32 {
        self.width() - self.s.qr - 4.0 * MM - 40.0 * MM
    }

    fn url_lines(&self, url: &str) -> Vec<(String, f32)> {
        wrap(self.m, Face::Bold, self.s.small, url, self.url_width())
    }

    fn running_header_height(&self) -> f32 {
        self.lh(self.s.small) + 5.0 * MM
    }

    fn footer(&self, page: usize, total: usize, bottom: f32) -> Vec<Element> {
        let s = &self.s;
        let mut out = Vec::new();
        let top = bottom + 1.5 * MM;
        out.push(Element::Line(LineEl {
            x1: self.left,
            y1: top,
            x2: self.right,
            y2: top,
            stroke: Stroke {
                ink: palette::RULE,
                width: 0.6,
            },
        }));
        let ty = top + 1.5 * MM;
        let lh = self.lh(s.small);
        out.push(self.measured(
            self.left,
            ty,
            s.small,
            Face::Bold,
            palette::TEXT,
            &format!("Page {page} of {total}"),
        ));
        out.push(self.measured(
            self.left,
            ty + lh,
            s.small,
            Face::Regular,
            palette::MUTED,
            &format!("Version {}", self.c.version),
        ));
        if let Some(url) = &self.c.share_url {
            let qx = self.right - s.qr;
            let qy = self.page_h - s.margin_bottom - s.qr;
            out.push(Element::Qr(QrEl {
                x: qx,
                y: qy,
                size: s.qr,
            }));
            let text_right = qx - 2.0 * MM;
            let caption = "Scan the code or open this link:";
            let cw = self.m.width(Face::Regular, s.small, caption);
            out.push(self.run(
                text_right - cw,
                ty,
                s.small,
                Face::Regular,
                palette::MUTED,
                caption.to_owned(),
                cw,
            ));
            for (k, (line, w)) in self.url_lines(url).into_iter().enumerate() {
                out.push(self.run(
                    text_right - w,
                    ty + (k + 1) as f32 * lh,
                    s.small,
                    Face::Bold,
                    palette::ACCENT_DARK,
                    line,
                    w,
                ));
            }
        }
        out
    }

    fn running_header(&self) -> Vec<Element> {
        let s = &self.s;
        let top = s.margin_top;
        let half = self.width() / 2.0 - 3.0 * MM;
        let (left, lw) = truncate(self.m, Face::Bold, s.small, &self.c.clinic_name, half);
        let (right, rw) = truncate(self.m, Face::Regular, s.small, &self.c.title, half);
        let y = top + self.lh(s.small) + 1.5 * MM;
        vec![
            self.run(
                self.left,
                top,
                s.small,
                Face::Bold,
                palette::ACCENT_DARK,
                left,
                lw,
            ),
            self.run(
                self.right - rw,
                top,
                s.small,
                Face::Regular,
                palette::MUTED,
                right,
                rw,
            ),
            Element::Line(LineEl {
                x1: self.left,
                y1: y,
                x2: self.right,
                y2: y,
                stroke: Stroke {
                    ink: palette::RULE,
                    width: 0.6,
                },
            }),
        ]
    }

    fn watermark(&self) -> Element {
        let text = "DRAFT";
        let angle = self.page_h.atan2(self.page_w);
        let diag = self.page_w.hypot(self.page_h);
        let size = 0.55 * diag / self.m.width(Face::Bold, 1.0, text);
        let w = self.m.width(Face::Bold, size, text);
        let cap = 0.73 * size;
        let (cx, cy) = (self.page_w / 2.0, self.page_h / 2.0);
        // Page y grows downward, so "up the page" along the text is -sin.
        let (dx, dy) = (angle.cos(), -angle.sin());
        let (ux, uy) = (-angle.sin(), -angle.cos());
        Element::Watermark(Watermark {
            text: text.to_owned(),
            size,
            x: cx - dx * w / 2.0 - ux * cap / 2.0,
            y: cy - dy * w / 2.0 - uy * cap / 2.0,
            angle,
            ink: palette::WATERMARK,
        })
    }
}

/// Lays out a handout: pages of positioned elements, and where each block
/// went.
pub fn layout<M: Metrics + ?Sized>(c: &Content, m: &M) -> Layout {
    let s = Style::new(c.large_print);
    let (page_w, page_h) = c.page;
    let b = Builder {
        m,
        s,
        c,
        page_w,
        page_h,
        left: s.margin_x,
        right: page_w - s.margin_x,
    };
    let bottom = page_h - s.margin_bottom - b.footer_height();
    let first_top = s.margin_top;
    let next_top = s.margin_top + b.running_header_height();
    let mut p = Paginator::new(first_top, next_top, bottom);

    p.place(b.header_block());
    if !c.notes.trim().is_empty() {
        p.place(b.notes_block());
    }
    for (i, ex) in c.exercises.iter().enumerate() {
        p.place(b.exercise_block(i, ex));
    }
    if !c.precautions.is_empty() {
        p.place(b.avoid_block());
    }
    if !c.exercises.is_empty() {
        p.place(b.log_block());
    }

    let fresh_capacity = p.fresh_capacity();
    let total = p.pages.len();
    let mut pages = p.pages;
    for (i, page) in pages.iter_mut().enumerate() {
        let mut elements = Vec::with_capacity(page.elements.len() + 12);
        if i > 0 {
            elements.extend(b.running_header());
        }
        elements.append(&mut page.elements);
        elements.extend(b.footer(i + 1, total, bottom));
        if c.draft {
            // Last, so tinted panels cannot hide it; it is translucent.
            elements.push(b.watermark());
        }
        page.elements = elements;
    }
    Layout {
        width: page_w,
        height: page_h,
        pages,
        blocks: p.blocks,
        left: b.left,
        right: b.right,
        fresh_capacity,
    }
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

    fn block(kind: BlockKind, rows: &[(f32, bool)]) -> Block {
        Block {
            kind,
            space_before: 0.0,
            separator: None,
            rows: rows
                .iter()
                .map(|&(height, keep_with_prev)| Row {
                    height,
                    elements: Vec::new(),
                    keep_with_prev,
                })
                .collect(),
            continuation: vec![Row::spacer(5.0)],
            frame: None,
        }
    }

    #[test]
    fn a_block_that_fits_a_fresh_page_moves_there_whole() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(70.0, false)]));
        p.place(block(
            BlockKind::Exercise(0),
            &[(10.0, false), (10.0, true), (10.0, true), (10.0, false)],
        ));
        assert_eq!(p.blocks[1].pages, vec![1]);
        assert_eq!(p.y, 40.0);
    }

    #[test]
    fn a_split_never_leaves_a_heading_without_two_lines() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(75.0, false)]));
        let mut rows = vec![(20.0, false), (10.0, true), (10.0, true)];
        rows.extend([(10.0, false); 15]);
        p.place(block(BlockKind::Exercise(0), &rows));
        // 25 pt are left on page 0: enough for the heading, not for the
        // heading and two lines — so the block starts on page 1.
        assert_eq!(p.blocks[1].pages, vec![1, 2]);
        // Page 1 takes the heading and 8 more rows; page 2 repeats the
        // continuation row (5) and holds the other 9.
        assert_eq!(p.y, 5.0 + 10.0 * 9.0);
    }

    #[test]
    fn rows_taller_than_a_page_still_terminate() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Log, &[(150.0, false), (150.0, false)]));
        assert_eq!(p.blocks[0].pages, vec![0, 1]);
    }
}
