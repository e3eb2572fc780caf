//! Turns laid-out pages into a PDF. printpdf builds the document (pages,
//! metadata free of patient data, JPEG images embedded as-is, the QR code
//! as one filled vector path); the page content streams are written here,
//! directly as bytes, and the fonts come from `embed` — printpdf's general
//! operator translation and font subsetting took two thirds of a render.
//! One text object per run, so extraction yields clean lines.

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    DictItem, ExtendedGraphicsState, ExtendedGraphicsStateId, ExternalStream, ExternalXObject,
    PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect, XObject, XObjectId,
};

use super::embed::{self, Used};
use super::fonts::Fonts;
use super::images::PreparedImage;
use super::layout::{Element, Face, FigureEl, Ink, Layout};
use super::qr::QrMatrix;
use super::zlib::deflate;
use super::HandoutError;

/// Opacity of the DRAFT watermark.
const WATERMARK_ALPHA: f32 = 0.13;

/// The document title in the PDF metadata.
pub(crate) const TITLE: &str = "Home exercise program";

/// Document-level facts that are not on any page.
pub(crate) struct Meta<'a> {
    /// Shown as the author; the clinic, never the patient.
    pub(crate) author: &'a str,
    /// Seconds since the epoch of the print date.
    pub(crate) timestamp: i64,
    /// The file identifier (the trailer's `/ID`): a hash of the inputs, so
    /// the same handout gets the same one.
    pub(crate) id: [u8; 16],
}

fn image_xobject(img: &PreparedImage) -> ExternalXObject {
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let mut dict = BTreeMap::new();
    dict.insert("Type".to_owned(), name("XObject"));
    dict.insert("Subtype".to_owned(), name("Image"));
    dict.insert("Width".to_owned(), DictItem::Int(i64::from(img.width)));
    dict.insert("Height".to_owned(), DictItem::Int(i64::from(img.height)));
    dict.insert(
        "ColorSpace".to_owned(),
        name(if img.gray { "DeviceGray" } else { "DeviceRGB" }),
    );
    dict.insert("BitsPerComponent".to_owned(), DictItem::Int(8));
    dict.insert("Filter".to_owned(), name("DCTDecode"));
    ExternalXObject {
        stream: ExternalStream {
            dict,
            content: img.jpeg.clone(),
            // Already compressed; deflating a JPEG again only costs time.
            compress: false,
        },
        width: None,
        height: None,
        dpi: None,
    }
}

/// Drawing operators for the QR code in module units (y up, quiet zone
/// included): one `re` per run of dark modules, filled at once so no seams
/// show between adjacent modules.
pub(crate) fn qr_form_content(qr: &QrMatrix) -> Vec<u8> {
    use std::fmt::Write;
    let n = qr.size_with_quiet_zone();
    let mut out = String::from("0 g\n");
    for run in qr.runs() {
        let _ = writeln!(out, "{} {} {} 1 re", run.col, n - 1 - run.row, run.len);
    }
    out.push_str("f\n");
    out.into_bytes()
}

/// The QR code as a form XObject: vector paths, drawn once per document
/// and placed on every page.
fn qr_xobject(qr: &QrMatrix) -> ExternalXObject {
    let n = i64::try_from(qr.size_with_quiet_zone()).unwrap_or(i64::MAX);
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let mut dict = BTreeMap::new();
    dict.insert("Type".to_owned(), name("XObject"));
    dict.insert("Subtype".to_owned(), name("Form"));
    dict.insert(
        "BBox".to_owned(),
        DictItem::Array(vec![
            DictItem::Int(0),
            DictItem::Int(0),
            DictItem::Int(n),
            DictItem::Int(n),
        ]),
    );
    dict.insert(
        "Resources".to_owned(),
        DictItem::Dict {
            map: BTreeMap::new(),
        },
    );
    ExternalXObject {
        stream: ExternalStream {
            dict,
            content: qr_form_content(qr),
            compress: true,
        },
        width: None,
        height: None,
        dpi: None,
    }
}

/// Rounds a coordinate to 1/100 pt: invisible, and keeps the content
/// streams short.
const COORD: u32 = 2;
/// A tenth of a point (0.04 mm) is finer than print can show: the figures'
/// many points are written so.
const FIGURE: u32 = 1;

/// Writes `v` rounded to `places` decimals, without trailing zeros.
fn num(out: &mut Vec<u8>, v: f32, places: u32) {
    let scale = 10u64.pow(places);
    let n = (f64::from(v) * scale as f64).round() as i64;
    if n < 0 {
        out.push(b'-');
    }
    let n = n.unsigned_abs();
    int(out, n / scale);
    let (mut frac, mut digit) = (n % scale, scale / 10);
    if frac != 0 {
        out.push(b'.');
        while frac != 0 && digit != 0 {
            out.push(b'0' + (frac / digit) as u8);
            frac %= digit;
            digit /= 10;
        }
    }
}

fn int(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// One page's content stream, written as bytes: colours, line widths and
/// fonts are set only when they change; text is shown as glyph ids, each
/// recorded in `used` for its face's font.
struct Page<'a> {
    out: Vec<u8>,
    fonts: &'a Fonts,
    used: &'a mut [Used; 2],
    height: f32,
    fill: Option<Ink>,
    stroke: Option<(Ink, u32)>,
    font: Option<(Face, u32)>,
}

impl Page<'_> {
    /// Numbers, then the operator, on one line.
    fn op(&mut self, numbers: &[f32], places: u32, operator: &str) {
        for &n in numbers {
            num(&mut self.out, n, places);
            self.out.push(b' ');
        }
        self.out.extend_from_slice(operator.as_bytes());
        self.out.push(b'\n');
    }

    /// An ink as a PDF colour, each channel to three decimals: the same
    /// colour to the eye, and half the bytes of a full float.
    fn color(&mut self, ink: Ink, operator: &str) {
        let channel = |c: u8| f32::from(c) / 255.0;
        self.op(
            &[channel(ink.0), channel(ink.1), channel(ink.2)],
            3,
            operator,
        );
    }

    fn set_fill(&mut self, ink: Ink) {
        if self.fill != Some(ink) {
            self.color(ink, "rg");
            self.fill = Some(ink);
        }
    }

    fn set_stroke(&mut self, ink: Ink, width: f32) {
        if self.stroke != Some((ink, width.to_bits())) {
            self.color(ink, "RG");
            self.op(&[width], COORD, "w");
            self.stroke = Some((ink, width.to_bits()));
        }
    }

    /// Saves the graphics state; `restore` forgets what was set since.
    fn save(&mut self) {
        self.out.extend_from_slice(b"q\n");
    }

    fn restore(&mut self) {
        self.out.extend_from_slice(b"Q\n");
        self.fill = None;
        self.stroke = None;
        self.font = None;
    }

    fn set_font(&mut self, face: Face, size: f32) {
        if self.font != Some((face, size.to_bits())) {
            self.out.extend_from_slice(match face {
                Face::Regular => b"/F1 ",
                Face::Bold => b"/F2 ",
            });
            self.op(&[size], COORD, "Tf");
            self.font = Some((face, size.to_bits()));
        }
    }

    /// `text` as a hex string of glyph ids and the operator that shows it.
    fn show(&mut self, face: Face, text: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let used = &mut self.used[usize::from(face == Face::Bold)];
        self.out.push(b'<');
        for c in text.chars() {
            let gid = self.fonts.glyph(face, c);
            used.entry(gid).or_insert(c);
            for shift in [12, 8, 4, 0] {
                self.out.push(HEX[usize::from((gid >> shift) & 0xF)]);
            }
        }
        self.out.extend_from_slice(b"> Tj\n");
    }

    /// Text starting at (`x`, `y`) in PDF space.
    fn text(&mut self, face: Face, size: f32, x: f32, y: f32, text: &str) {
        self.out.extend_from_slice(b"BT\n");
        self.set_font(face, size);
        self.op(&[x, y], COORD, "Td");
        self.show(face, text);
        self.out.extend_from_slice(b"ET\n");
    }

    /// An XObject scaled to `w` × `h` with its lower left corner at (`x`, `y`).
    fn place(&mut self, name: &str, x: f32, y: f32, w: f32, h: f32) {
        self.save();
        self.op(&[w, 0.0, 0.0, h, x, y], 4, "cm");
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b" Do\n");
        self.restore();
    }

    /// A drawn figure as vector paths: limbs as round-capped lines, discs as
    /// four Bézier arcs, props as rectangles, labels as text.
    fn figure(&mut self, f: &FigureEl) {
        use crate::domain::figure::scene::{ink, Shape};
        let h = self.height;
        let k = (f.w / f.scene.width).min(f.h / f.scene.height);
        let px = |x: f32| f.x + x * k;
        let py = |y: f32| h - (f.y + f.h - y * k);
        let rgb = |c: (u8, u8, u8)| Ink(c.0, c.1, c.2);
        self.save();
        self.out.extend_from_slice(b"1 J\n1 j\n");
        for shape in &f.scene.shapes {
            match shape {
                Shape::Capsule {
                    from,
                    to,
                    width,
                    ink: c,
                }
                | Shape::Line {
                    from,
                    to,
                    width,
                    ink: c,
                } => {
                    self.set_stroke(rgb(*c), width * k);
                    self.op(&[px(from.x), py(from.y)], FIGURE, "m");
                    self.op(&[px(to.x), py(to.y)], FIGURE, "l");
                    self.out.extend_from_slice(b"S\n");
                }
                Shape::Disc {
                    center,
                    radius,
                    ink: c,
                } => {
                    // A circle from four cubic arcs (control distance 0.5523 r).
                    let (cx, cy, r) = (px(center.x), py(center.y), radius * k);
                    let c4 = 0.552_284_8 * r;
                    self.set_fill(rgb(*c));
                    self.op(&[cx + r, cy], FIGURE, "m");
                    self.op(&[cx + r, cy + c4, cx + c4, cy + r, cx, cy + r], FIGURE, "c");
                    self.op(&[cx - c4, cy + r, cx - r, cy + c4, cx - r, cy], FIGURE, "c");
                    self.op(&[cx - r, cy - c4, cx - c4, cy - r, cx, cy - r], FIGURE, "c");
                    self.op(&[cx + c4, cy - r, cx + r, cy - c4, cx + r, cy], FIGURE, "c");
                    self.out.extend_from_slice(b"f\n");
                }
                Shape::Block {
                    min,
                    max,
                    fill,
                    edge,
                } => {
                    self.set_fill(rgb(*fill));
                    self.set_stroke(rgb(*edge), 0.5);
                    let (x, y) = (px(min.x), py(max.y));
                    let (w, height) = ((max.x - min.x) * k, (max.y - min.y) * k);
                    self.op(&[x, y, w, height], FIGURE, "re");
                    self.out.extend_from_slice(b"B\n");
                }
                Shape::Polyline {
                    points,
                    width,
                    ink: c,
                } => {
                    self.set_stroke(rgb(*c), width * k);
                    for (i, p) in points.iter().enumerate() {
                        self.op(&[px(p.x), py(p.y)], FIGURE, if i == 0 { "m" } else { "l" });
                    }
                    self.out.extend_from_slice(b"S\n");
                }
                Shape::Polygon { points, ink: c } => {
                    self.set_fill(rgb(*c));
                    for (i, p) in points.iter().enumerate() {
                        self.op(&[px(p.x), py(p.y)], FIGURE, if i == 0 { "m" } else { "l" });
                    }
                    self.out.extend_from_slice(b"h f\n");
                }
                Shape::Label { at, text } => {
                    let size = 7.0;
                    let width = text.chars().count() as f32 * size * 0.55;
                    self.set_fill(rgb(ink::LABEL));
                    self.text(Face::Bold, size, px(at.x) - width / 2.0, py(at.y), text);
                }
            }
        }
        self.restore();
    }

    fn element(&mut self, el: &Element, qr_modules: Option<usize>) {
        let h = self.height;
        match el {
            Element::Text(t) => {
                self.set_fill(t.ink);
                self.text(t.face, t.size, t.x, h - t.baseline, &t.text);
            }
            Element::Rect(r) => {
                let paint = match (r.fill, r.stroke) {
                    (Some(f), Some(s)) => {
                        self.set_fill(f);
                        self.set_stroke(s.ink, s.width);
                        "B"
                    }
                    (Some(f), None) => {
                        self.set_fill(f);
                        "f"
                    }
                    (None, Some(s)) => {
                        self.set_stroke(s.ink, s.width);
                        "S"
                    }
                    (None, None) => return,
                };
                self.op(&[r.x, h - r.y - r.h, r.w, r.h], COORD, "re");
                self.out.extend_from_slice(paint.as_bytes());
                self.out.push(b'\n');
            }
            Element::Line(l) => {
                self.set_stroke(l.stroke.ink, l.stroke.width);
                self.op(&[l.x1, h - l.y1], COORD, "m");
                self.op(&[l.x2, h - l.y2], COORD, "l");
                self.out.extend_from_slice(b"S\n");
            }
            Element::Image(img) => {
                let name = format!("Im{}", img.image);
                self.place(&name, img.x, h - img.y - img.h, img.w, img.h);
            }
            Element::Figure(f) => self.figure(f),
            Element::Qr(q) => {
                if let Some(modules) = qr_modules {
                    let module = q.size / modules as f32;
                    self.place("Qr", q.x, h - q.y - q.size, module, module);
                }
            }
            Element::Watermark(w) => {
                self.save();
                self.out.extend_from_slice(b"/Gs1 gs\n");
                self.set_fill(w.ink);
                self.out.extend_from_slice(b"BT\n");
                self.set_font(Face::Bold, w.size);
                let (sin, cos) = w.angle.sin_cos();
                self.op(&[cos, sin, -sin, cos, w.x, h - w.y], 4, "Tm");
                self.show(Face::Bold, &w.text);
                self.out.extend_from_slice(b"ET\n");
                self.restore();
            }
        }
    }
}

/// The content stream of each page, and the glyphs each face drew.
fn contents(
    layout: &Layout,
    fonts: &Fonts,
    qr_modules: Option<usize>,
) -> (Vec<Vec<u8>>, [Used; 2]) {
    let mut used = [Used::new(), Used::new()];
    let streams = layout
        .pages
        .iter()
        .map(|page| {
            let mut p = Page {
                out: Vec::with_capacity(page.elements.len() * 48),
                fonts,
                used: &mut used,
                height: layout.height,
                fill: None,
                stroke: None,
                font: None,
            };
            for el in &page.elements {
                p.element(el, qr_modules);
            }
            p.out
        })
        .collect();
    (streams, used)
}

/// Writes the PDF. Long by nature: fonts, images, pages and metadata go
/// into one document in the order the format wants them.
pub(crate) fn write(
    layout: &Layout,
    images: &[Arc<PreparedImage>],
    qr: Option<&QrMatrix>,
    fonts: &Fonts,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, HandoutError> {
    let qr_modules = qr.map(QrMatrix::size_with_quiet_zone);
    let (streams, used) = contents(layout, fonts, qr_modules);
    let faces = [Face::Regular, Face::Bold].map(|face| {
        let used = &used[usize::from(face == Face::Bold)];
        (!used.is_empty())
            .then(|| embed::embedded(fonts, face, used).ok_or(HandoutError::Font))
            .transpose()
    });
    let mut doc = PdfDocument::new(TITLE);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_owned();
    info.creator = "hep".to_owned();
    info.producer = "hep".to_owned();
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(meta.timestamp) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    // Resource names of our own choosing (the page content names them):
    // printpdf's `add_*` methods draw random ones, which would change the
    // bytes on every render.
    let resources = &mut doc.resources;
    let mut add_xobject = |name: String, xobject: ExternalXObject| {
        resources
            .xobjects
            .map
            .insert(XObjectId(name), XObject::External(xobject));
    };
    for (i, img) in images.iter().enumerate() {
        add_xobject(format!("Im{i}"), image_xobject(img));
    }
    if let Some(qr) = qr {
        add_xobject("Qr".to_owned(), qr_xobject(qr));
    }
    let has_watermark = layout
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .any(|e| matches!(e, Element::Watermark(_)));
    if has_watermark {
        doc.resources.extgstates.map.insert(
            ExtendedGraphicsStateId("Gs1".to_owned()),
            ExtendedGraphicsState::default().with_current_fill_alpha(WATERMARK_ALPHA),
        );
    }
    let bounds = Rect::from_wh(Pt(layout.width), Pt(layout.height));
    let pages = layout
        .pages
        .iter()
        .map(|_| PdfPage {
            media_box: bounds.clone(),
            trim_box: bounds.clone(),
            crop_box: bounds.clone(),
            ops: Vec::new(),
        })
        .collect();
    doc.with_pages(pages);
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut out = doc.to_lopdf_document(&options, &mut warnings);
    for w in &warnings {
        if w.severity == printpdf::PdfParseErrorSeverity::Error {
            tracing::warn!(message = %w.msg, "PDF writer reported a problem");
        }
    }
    // Each page's content, and the fonts in the dictionary every page's
    // resources share.
    let page_ids: Vec<lopdf::ObjectId> = out.get_pages().into_values().collect();
    let mut font_dict = None;
    for (page, content) in page_ids.iter().zip(streams) {
        let page = out.get_dictionary(*page).map_err(|_| HandoutError::Pdf)?;
        let contents = page
            .get(b"Contents")
            .and_then(lopdf::Object::as_reference)
            .map_err(|_| HandoutError::Pdf)?;
        font_dict = font_dict.or_else(|| {
            let resources = page.get(b"Resources").ok()?.as_reference().ok()?;
            out.get_dictionary(resources)
                .ok()?
                .get(b"Font")
                .ok()?
                .as_reference()
                .ok()
        });
        out.get_object_mut(contents)
            .and_then(lopdf::Object::as_stream_mut)
            .map_err(|_| HandoutError::Pdf)?
            .set_plain_content(content);
    }
    let font_dict = font_dict.ok_or(HandoutError::Pdf)?;
    for (face, embedded) in [Face::Regular, Face::Bold].into_iter().zip(faces) {
        if let Some(embedded) = embedded? {
            let font = embed::add(&mut out, fonts, face, &embedded);
            let name = match face {
                Face::Regular => "F1",
                Face::Bold => "F2",
            };
            out.get_object_mut(font_dict)
                .and_then(lopdf::Object::as_dict_mut)
                .map_err(|_| HandoutError::Pdf)?
                .set(name, lopdf::Object::Reference(font));
        }
    }
    // printpdf draws a random file identifier; ours names the inputs.
    let id = lopdf::Object::String(meta.id.to_vec(), lopdf::StringFormat::Hexadecimal);
    out.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    for object in out.objects.values_mut() {
        if let Ok(stream) = object.as_stream_mut() {
            if stream.allows_compression && stream.dict.get(b"Filter").is_err() {
                if let Some(packed) = deflate(&stream.content) {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(packed);
                }
            }
        }
    }
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|_| HandoutError::Pdf)?;
    if bytes.is_empty() {
        return Err(HandoutError::Pdf);
    }
    Ok(bytes)
}
