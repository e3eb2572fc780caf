//! The running header on every page after the first: clinic name and
//! program title, truncated to half the column each, over a thin rule.

use super::builder::Builder;
use super::text::{truncate, Face, Metrics};
use super::{palette, Element, LineEl, Stroke, MM};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn running_header_height(&self) -> f32 {
        self.lh(self.s.small) + 5.0 * MM
    }

    pub(super) fn running_header(&self) -> Vec<Element> {
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
}
