//! Turns laid-out pages into a PDF with printpdf: one text object per run
//! (so extraction yields clean lines), subset Unicode fonts with a
//! ToUnicode map, JPEG images embedded as-is, the QR code as one filled
//! vector path, and metadata free of patient data.

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    Color, DictItem, ExtendedGraphicsState, ExtendedGraphicsStateId, ExternalStream,
    ExternalXObject, FontId, Line, LineCapStyle, LineJoinStyle, LinePoint, Op, PaintMode,
    PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt,
    Rect, Rgb, TextItem, TextMatrix, WindingOrder, XObject, XObjectId, XObjectTransform,
};

use super::fonts::Fonts;
use super::images::PreparedImage;
use super::layout::{Element, Face, FigureEl, Ink, Layout};
use super::qr::QrMatrix;
use super::HandoutError;

/// Zlib level for content streams and fonts: fast, and within a few
/// per cent of the best level on these streams.
const DEFLATE_LEVEL: u32 = 3;

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

/// An ink as a PDF colour, each channel to three decimals: the same colour
/// to the eye, and half the bytes of a full float in every drawing.
fn color(ink: Ink) -> Color {
    let channel = |c: u8| (f32::from(c) / 255.0 * 1000.0).round() / 1000.0;
    Color::Rgb(Rgb {
        r: channel(ink.0),
        g: channel(ink.1),
        b: channel(ink.2),
        icc_profile: None,
    })
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
fn r2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn r1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Tracks text and colour state so redundant operators are not emitted.
#[derive(Default)]
struct State {
    fill: Option<Ink>,
    stroke: Option<(Ink, u32)>,
    font: Option<(Face, u32)>,
}

struct Writer<'a> {
    fonts: [FontId; 2],
    images: &'a [XObjectId],
    qr: Option<(XObjectId, usize)>,
    translucent: Option<ExtendedGraphicsStateId>,
    page_h: f32,
}

impl Writer<'_> {
    fn font(&self, face: Face) -> PdfFontHandle {
        PdfFontHandle::External(match face {
            Face::Regular => self.fonts[0].clone(),
            Face::Bold => self.fonts[1].clone(),
        })
    }

    fn fill(&self, ops: &mut Vec<Op>, st: &mut State, ink: Ink) {
        if st.fill != Some(ink) {
            ops.push(Op::SetFillColor { col: color(ink) });
            st.fill = Some(ink);
        }
    }

    fn stroke(&self, ops: &mut Vec<Op>, st: &mut State, ink: Ink, width: f32) {
        let key = (ink, width.to_bits());
        if st.stroke != Some(key) {
            ops.push(Op::SetOutlineColor { col: color(ink) });
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            st.stroke = Some(key);
        }
    }

    /// A drawn figure as vector paths: limbs as round-capped lines, discs as
    /// four Bézier arcs, props as rectangles, labels as text.
    fn figure_ops(&self, ops: &mut Vec<Op>, f: &FigureEl) {
        use crate::domain::figure::scene::Shape;
        let h = self.page_h;
        let k = (f.w / f.scene.width).min(f.h / f.scene.height);
        // A tenth of a point (0.04 mm) is finer than print can show.
        let px = |x: f32| r1(f.x + x * k);
        let py = |y: f32| r1(h - (f.y + f.h - y * k));
        // Colours and widths are set only when they change.
        let mut stroke: Option<((u8, u8, u8), f32)> = None;
        let mut fill: Option<(u8, u8, u8)> = None;
        let mut set_stroke = |ops: &mut Vec<Op>, c: (u8, u8, u8), width: f32| {
            if stroke != Some((c, width)) {
                ops.push(Op::SetOutlineColor {
                    col: color(Ink(c.0, c.1, c.2)),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                stroke = Some((c, width));
            }
        };
        let mut set_fill = |ops: &mut Vec<Op>, c: (u8, u8, u8)| {
            if fill != Some(c) {
                ops.push(Op::SetFillColor {
                    col: color(Ink(c.0, c.1, c.2)),
                });
                fill = Some(c);
            }
        };
        let pt = |x: f32, y: f32, bezier: bool| LinePoint {
            p: Point {
                x: Pt(px(x)),
                y: Pt(py(y)),
            },
            bezier,
        };
        ops.push(Op::SetLineCapStyle {
            cap: LineCapStyle::Round,
        });
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
                    set_stroke(ops, *c, r2(width * k));
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![pt(from.x, from.y, false), pt(to.x, to.y, false)],
                            is_closed: false,
                        },
                    });
                }
                Shape::Disc {
                    center,
                    radius,
                    ink: c,
                } => {
                    // A circle from four cubic arcs (control distance 0.5523 r).
                    let (cx, cy, r) = (center.x, center.y, radius.to_owned());
                    let c4 = 0.552_284_8 * r;
                    let points = vec![
                        pt(cx + r, cy, false),
                        pt(cx + r, cy + c4, true),
                        pt(cx + c4, cy + r, true),
                        pt(cx, cy + r, false),
                        pt(cx - c4, cy + r, true),
                        pt(cx - r, cy + c4, true),
                        pt(cx - r, cy, false),
                        pt(cx - r, cy - c4, true),
                        pt(cx - c4, cy - r, true),
                        pt(cx, cy - r, false),
                        pt(cx + c4, cy - r, true),
                        pt(cx + r, cy - c4, true),
                        pt(cx + r, cy, false),
                    ];
                    set_fill(ops, *c);
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing { points }],
                            mode: PaintMode::Fill,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                }
                Shape::Block {
                    min,
                    max,
                    fill,
                    edge,
                } => {
                    set_fill(ops, *fill);
                    set_stroke(ops, *edge, 0.5);
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(px(min.x)),
                            y: Pt(py(min.y)),
                            width: Pt(r2((max.x - min.x) * k)),
                            height: Pt(r2((max.y - min.y) * k)),
                            mode: Some(PaintMode::FillStroke),
                            winding_order: Some(WindingOrder::NonZero),
                        },
                    });
                }
                Shape::Polyline {
                    points,
                    width,
                    ink: c,
                } => {
                    set_stroke(ops, *c, r2(width * k));
                    ops.push(Op::SetLineJoinStyle {
                        join: LineJoinStyle::Round,
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: points.iter().map(|p| pt(p.x, p.y, false)).collect(),
                            is_closed: false,
                        },
                    });
                }
                Shape::Polygon { points, ink: c } => {
                    set_fill(ops, *c);
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing {
                                points: points.iter().map(|p| pt(p.x, p.y, false)).collect(),
                            }],
                            mode: PaintMode::Fill,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                }
                Shape::Label { at, text } => {
                    let size = 7.0;
                    let width = text.chars().count() as f32 * size * 0.55;
                    set_fill(ops, crate::domain::figure::scene::ink::LABEL);
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: self.font(Face::Bold),
                        size: Pt(size),
                    });
                    ops.push(Op::SetTextCursor {
                        pos: Point {
                            x: Pt(r2(px(at.x) - width / 2.0)),
                            y: Pt(py(at.y)),
                        },
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                }
            }
        }
    }

    // Long by nature: one arm per element kind, each a short run of PDF
    // operators; the kinds share the graphics state kept in `st`.
    fn page_ops(&self, elements: &[Element]) -> Vec<Op> {
        let mut ops = Vec::with_capacity(elements.len() * 6);
        let mut st = State::default();
        let h = self.page_h;
        for el in elements {
            match el {
                Element::Text(t) => {
                    self.fill(&mut ops, &mut st, t.ink);
                    ops.push(Op::StartTextSection);
                    let key = (t.face, t.size.to_bits());
                    if st.font != Some(key) {
                        ops.push(Op::SetFont {
                            font: self.font(t.face),
                            size: Pt(t.size),
                        });
                        st.font = Some(key);
                    }
                    ops.push(Op::SetTextCursor {
                        pos: Point {
                            x: Pt(r2(t.x)),
                            y: Pt(r2(h - t.baseline)),
                        },
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(t.text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                }
                Element::Rect(r) => {
                    let mode = match (r.fill, r.stroke) {
                        (Some(f), Some(s)) => {
                            self.fill(&mut ops, &mut st, f);
                            self.stroke(&mut ops, &mut st, s.ink, s.width);
                            PaintMode::FillStroke
                        }
                        (Some(f), None) => {
                            self.fill(&mut ops, &mut st, f);
                            PaintMode::Fill
                        }
                        (None, Some(s)) => {
                            self.stroke(&mut ops, &mut st, s.ink, s.width);
                            PaintMode::Stroke
                        }
                        (None, None) => continue,
                    };
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(r2(r.x)),
                            y: Pt(r2(h - r.y - r.h)),
                            width: Pt(r2(r.w)),
                            height: Pt(r2(r.h)),
                            mode: Some(mode),
                            winding_order: Some(WindingOrder::NonZero),
                        },
                    });
                }
                Element::Line(l) => {
                    self.stroke(&mut ops, &mut st, l.stroke.ink, l.stroke.width);
                    let p = |x: f32, y: f32| LinePoint {
                        p: Point {
                            x: Pt(r2(x)),
                            y: Pt(r2(h - y)),
                        },
                        bezier: false,
                    };
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![p(l.x1, l.y1), p(l.x2, l.y2)],
                            is_closed: false,
                        },
                    });
                }
                Element::Image(img) => {
                    if let Some(id) = self.images.get(img.image) {
                        ops.push(Op::UseXobject {
                            id: id.clone(),
                            transform: XObjectTransform {
                                translate_x: Some(Pt(img.x)),
                                translate_y: Some(Pt(h - img.y - img.h)),
                                rotate: None,
                                scale_x: Some(img.w),
                                scale_y: Some(img.h),
                                dpi: None,
                                no_auto_scale: true,
                            },
                        });
                    }
                }
                Element::Figure(f) => {
                    // Inside q/Q, so round caps and colours do not leak.
                    ops.push(Op::SaveGraphicsState);
                    self.figure_ops(&mut ops, f);
                    ops.push(Op::RestoreGraphicsState);
                    st = State::default();
                }
                Element::Qr(q) => {
                    if let Some((id, modules)) = &self.qr {
                        let module = q.size / *modules as f32;
                        ops.push(Op::UseXobject {
                            id: id.clone(),
                            transform: XObjectTransform {
                                translate_x: Some(Pt(q.x)),
                                translate_y: Some(Pt(h - q.y - q.size)),
                                rotate: None,
                                scale_x: Some(module),
                                scale_y: Some(module),
                                dpi: None,
                                no_auto_scale: true,
                            },
                        });
                    }
                }
                Element::Watermark(w) => {
                    // Inside q/Q, so opacity, font and colour do not leak.
                    ops.push(Op::SaveGraphicsState);
                    if let Some(gs) = &self.translucent {
                        ops.push(Op::LoadGraphicsState { gs: gs.clone() });
                    }
                    ops.push(Op::SetFillColor { col: color(w.ink) });
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: self.font(Face::Bold),
                        size: Pt(w.size),
                    });
                    let (sin, cos) = w.angle.sin_cos();
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Raw([cos, sin, -sin, cos, w.x, h - w.y]),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(w.text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                    ops.push(Op::RestoreGraphicsState);
                    st = State::default();
                }
            }
        }
        ops
    }
}

/// Writes the PDF. Long by nature: fonts, images, pages and metadata go
/// into one printpdf document in the order the format wants them.
pub(crate) fn write(
    layout: &Layout,
    images: &[Arc<PreparedImage>],
    qr: Option<&QrMatrix>,
    fonts: &Fonts,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, HandoutError> {
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
    // Resource names of our own choosing: printpdf's `add_*` methods draw
    // random ones, which would change the bytes (and the order of the fonts)
    // on every render.
    let resources = &mut doc.resources;
    let fonts_ids = [("F1", &fonts.regular), ("F2", &fonts.bold)].map(|(name, face)| {
        let id = FontId(name.to_owned());
        resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(face.clone()));
        id
    });
    let mut add_xobject = |name: String, xobject: ExternalXObject| {
        let id = XObjectId(name);
        resources
            .xobjects
            .map
            .insert(id.clone(), XObject::External(xobject));
        id
    };
    let image_ids: Vec<XObjectId> = images
        .iter()
        .enumerate()
        .map(|(i, img)| add_xobject(format!("Im{i}"), image_xobject(img)))
        .collect();
    let qr = qr.map(|qr| {
        (
            add_xobject("Qr".to_owned(), qr_xobject(qr)),
            qr.size_with_quiet_zone(),
        )
    });
    let has_watermark = layout
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .any(|e| matches!(e, Element::Watermark(_)));
    let translucent = has_watermark.then(|| {
        let id = ExtendedGraphicsStateId("Gs1".to_owned());
        doc.resources.extgstates.map.insert(
            id.clone(),
            ExtendedGraphicsState::default().with_current_fill_alpha(WATERMARK_ALPHA),
        );
        id
    });
    let writer = Writer {
        fonts: fonts_ids,
        images: &image_ids,
        qr,
        translucent,
        page_h: layout.height,
    };
    let pages = layout
        .pages
        .iter()
        .map(|page| {
            let bounds = Rect::from_wh(Pt(layout.width), Pt(layout.height));
            PdfPage {
                media_box: bounds.clone(),
                trim_box: bounds.clone(),
                crop_box: bounds,
                ops: writer.page_ops(&page.elements),
            }
        })
        .collect();
    doc.with_pages(pages);
    // printpdf would deflate every stream at the best (slowest) level,
    // which alone took half the render time; compress here at a fast level.
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
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
    // Each embedded TrueType subset without hinting or duplicate names
    // (`sfnt::slim`), its `Length1` updated; a face it cannot read stays.
    let font_files: Vec<(u32, u16)> = out
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor"))
        .filter_map(|d| d.get(b"FontFile2").and_then(|f| f.as_reference()).ok())
        .collect();
    for id in font_files {
        let Some(stream) = out
            .objects
            .get_mut(&id)
            .and_then(|o| o.as_stream_mut().ok())
        else {
            continue;
        };
        let plain = if stream.dict.get(b"Filter").is_ok() {
            stream.decompressed_content().ok()
        } else {
            Some(stream.content.clone())
        };
        if let Some(slim) = plain.as_deref().and_then(super::sfnt::slim) {
            stream.dict.remove(b"Filter");
            stream.dict.set("Length1", slim.len() as i64);
            stream.set_plain_content(slim);
        }
    }
    tag_subsets(&mut out);
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

/// Names each font subset by what it holds: the six capital letters before
/// the `+` (`ABCDEF+DejaVuSans`) come from a hash of the embedded font
/// program, so the same text gives the same tag and other text another one.
/// Run after slimming and before deflating, on the font bytes as stored.
fn tag_subsets(doc: &mut lopdf::Document) {
    use sha2::{Digest, Sha256};
    let mut renamed: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let descriptors: Vec<(lopdf::ObjectId, Vec<u8>, lopdf::ObjectId)> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            (d.get(b"Type").and_then(|t| t.as_name()).ok()? == b"FontDescriptor").then_some(())?;
            let name = d.get(b"FontName").and_then(|n| n.as_name()).ok()?;
            let file = d.get(b"FontFile2").and_then(|f| f.as_reference()).ok()?;
            Some((*id, name.to_vec(), file))
        })
        .collect();
    for (descriptor, name, file) in descriptors {
        let Some(plus) = name.iter().position(|&b| b == b'+') else {
            continue;
        };
        let Some(program) = doc
            .objects
            .get(&file)
            .and_then(|o| o.as_stream().ok())
            .map(|s| Sha256::digest(&s.content))
        else {
            continue;
        };
        let mut tagged: Vec<u8> = program.iter().take(6).map(|b| b'A' + b % 26).collect();
        tagged.extend_from_slice(&name[plus..]);
        if let Some(d) = doc
            .objects
            .get_mut(&descriptor)
            .and_then(|o| o.as_dict_mut().ok())
        {
            d.set("FontName", lopdf::Object::Name(tagged.clone()));
        }
        renamed.insert(name, tagged);
    }
    if renamed.is_empty() {
        return;
    }
    for object in doc.objects.values_mut() {
        rename_base_fonts(object, &renamed);
    }
}

/// Replaces every `/BaseFont` named in `renamed`, in nested dictionaries
/// too (printpdf writes the descendant CID font inline).
fn rename_base_fonts(object: &mut lopdf::Object, renamed: &BTreeMap<Vec<u8>, Vec<u8>>) {
    match object {
        lopdf::Object::Dictionary(d) => {
            for (key, value) in d.iter_mut() {
                if key == b"BaseFont" {
                    if let lopdf::Object::Name(name) = value {
                        if let Some(new) = renamed.get(name.as_slice()) {
                            name.clone_from(new);
                        }
                    }
                } else {
                    rename_base_fonts(value, renamed);
                }
            }
        }
        lopdf::Object::Array(items) => {
            for item in items {
                rename_base_fonts(item, renamed);
            }
        }
        _ => {}
    }
}

/// Zlib-compresses `data` when that makes it smaller.
fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(DEFLATE_LEVEL),
    );
    encoder.write_all(data).ok()?;
    let packed = encoder.finish().ok()?;
    (packed.len() + 20 < data.len()).then_some(packed)
}
