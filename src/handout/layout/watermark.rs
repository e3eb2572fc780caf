//! The diagonal "DRAFT" watermark of a draft handout, centred on the page.

use super::builder::Builder;
use super::text::{Face, Metrics};
use super::{palette, Element, Watermark};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn watermark(&self) -> Element {
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
