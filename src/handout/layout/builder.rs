//! `Builder`, the context every block is built in (metrics, style, content,
//! text column), and the row-making helpers the blocks share: text runs,
//! wrapped and hanging-indent paragraphs, section headings and the
//! "(continued)" line.

use super::pagination::Row;
use super::style::Style;
use super::text::{truncate, wrap, Face, Metrics};
use super::{palette, Content, Element, ImageRef, Ink, LineEl, Stroke, TextRun, MM};

/// Builds rows and decorations for one handout.
pub(super) struct Builder<'a, M: Metrics + ?Sized> {
    pub(super) m: &'a M,
    pub(super) s: Style,
    pub(super) c: &'a Content,
    pub(super) page_w: f32,
    pub(super) page_h: f32,
    pub(super) left: f32,
    pub(super) right: f32,
}

impl<'a, M: Metrics + ?Sized> Builder<'a, M> {
    pub(super) fn width(&self) -> f32 {
        self.right - self.left
    }

    pub(super) fn lh(&self, size: f32) -> f32 {
        self.s.lh(size)
    }

    /// A text run whose line box (one line height tall) starts at `top`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run(
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

    pub(super) fn measured(
        &self,
        x: f32,
        top: f32,
        size: f32,
        face: Face,
        ink: Ink,
        text: &str,
    ) -> Element {
        let w = self.m.width(face, size, text);
        self.run(x, top, size, face, ink, text.to_owned(), w)
    }

    /// One row per wrapped line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text_rows(
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
    pub(super) fn paragraph_rows(
        &self,
        text: &str,
        x: f32,
        width: f32,
        size: f32,
        ink: Ink,
    ) -> Vec<Row> {
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
    pub(super) fn hanging_rows(
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

    pub(super) fn section_heading(&self, title: &str) -> Vec<Row> {
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

    pub(super) fn continued_row(&self, text: &str, x: f32, ink: Ink) -> Row {
        let size = self.s.small;
        let (line, w) = truncate(self.m, Face::Bold, size, text, self.right - x);
        Row {
            height: self.lh(size) + 1.5 * MM,
            elements: vec![self.run(x, 0.0, size, Face::Bold, ink, line, w)],
            keep_with_prev: false,
        }
    }
}

/// Scales a pixel size to fit a box, keeping the aspect ratio.
pub(super) fn fit(img: ImageRef, max_w: f32, max_h: f32) -> (f32, f32) {
    let (pw, ph) = (img.px_w.max(1) as f32, img.px_h.max(1) as f32);
    let scale = (max_w / pw).min(max_h / ph);
    (pw * scale, ph * scale)
}
