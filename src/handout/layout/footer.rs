//! The footer on every page: "Page n of m", the version, and with a share
//! link its QR code and the wrapped link. Its height sets where page
//! content ends.

use super::builder::Builder;
use super::text::{wrap, Face, Metrics};
use super::{palette, Element, LineEl, QrEl, Stroke, MM};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn footer_height(&self) -> f32 {
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

    pub(super) fn footer(&self, page: usize, total: usize, bottom: f32) -> Vec<Element> {
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
            // A draft preview has no version number yet.
            &if self.c.draft {
                "Draft".to_owned()
            } else {
                format!("Version {}", self.c.version)
            },
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
}
