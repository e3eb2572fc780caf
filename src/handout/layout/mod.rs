//! Pure page layout of the handout: text is measured with the font's real
//! advance widths and wrapped greedily, content becomes blocks of rows, and
//! blocks are paginated so a block that fits a page is never split and no
//! heading is left without its first lines. The output is pages of
//! positioned elements (points, origin top-left); `pdf.rs` draws them.
//!
//! This file holds the output and input types and `layout`, which builds
//! the blocks in order; `text` measures and wraps, `pagination` fills the
//! pages, `builder` has the helpers blocks share, and each block or page
//! decoration has its own file (`header`, `notes`, `exercise`, `avoid`,
//! `log_grid`, `footer`, `running_header`, `watermark`).

mod avoid;
mod builder;
mod exercise;
mod footer;
mod header;
mod log_grid;
mod notes;
mod pagination;
pub mod palette;
mod running_header;
mod style;
mod text;
mod watermark;

use builder::Builder;
use pagination::Paginator;
use style::Style;

pub use text::{truncate, wrap, Face, Metrics};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
const EPS: f32 = 0.01;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ink(pub u8, pub u8, pub u8);

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

/// A drawn exercise figure, scaled into a box (vector paths, no image).
#[derive(Debug, Clone, PartialEq)]
pub struct FigureEl {
    pub scene: std::sync::Arc<crate::domain::figure::scene::Scene>,
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
    /// A drawn exercise figure.
    Figure(FigureEl),
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
            Element::Figure(f) => f.y += dy,
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
    /// Points of the content area left empty at the foot of the page.
    pub empty_below: f32,
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
    /// The drawn figure, shown when there is no picture.
    pub figure: Option<std::sync::Arc<crate::domain::figure::scene::Scene>>,
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
    /// How to do the exercises it approaches with caution, if it says.
    pub take_care: Option<String>,
    /// Completes "See your therapist if …", if it says.
    pub see_therapist_if: Option<String>,
}

/// Everything the layout prints, texts already cleaned for the font.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Content {
    /// Page size in points (width, height).
    pub page: (f32, f32),
    /// Body text at 16 pt and everything scaled up.
    pub large_print: bool,
    /// Smaller type and pictures, and no tips.
    pub compact: bool,
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

/// The box (width, height in points) an exercise image is scaled into.
pub fn image_box(large_print: bool, compact: bool) -> (f32, f32) {
    let s = Style::new(large_print, compact);
    (s.image_w, s.image_h)
}

/// The box (width, height in points) the clinic logo is scaled into.
pub fn logo_box() -> (f32, f32) {
    let s = Style::new(false, false);
    (s.logo_w, s.logo_h)
}

/// Lays out a handout: pages of positioned elements, and where each block
/// went.
pub fn layout<M: Metrics + ?Sized>(c: &Content, m: &M) -> Layout {
    let s = Style::new(c.large_print, c.compact);
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
    let (mut pages, blocks) = p.finish();
    let total = pages.len();
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
        blocks,
        left: b.left,
        right: b.right,
        fresh_capacity,
    }
}
