//! The header block on the first page: clinic name, contact line and logo,
//! the program title, and the tinted info panel (patient, date, therapist,
//! version).

use super::builder::{fit, Builder};
use super::pagination::{keep_first, Block, Row};
use super::text::{wrap, Face, Metrics};
use super::{palette, BlockKind, Element, ImageEl, LineEl, RectEl, Stroke, MM};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn header_block(&self) -> Block {
        let mut rows = vec![self.clinic_row()];
        rows.extend(self.title_rows());
        rows.push(self.info_panel());
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

    /// Clinic name and contact line, logo on the right, over a rule.
    fn clinic_row(&self) -> Row {
        let (s, c) = (&self.s, self.c);
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
        clinic
    }

    /// The program title, set large below the clinic.
    fn title_rows(&self) -> Vec<Row> {
        let mut title = self.text_rows(
            &self.c.title,
            self.left,
            self.width(),
            self.s.title,
            Face::Bold,
            palette::TEXT,
        );
        if let Some(first) = title.first_mut() {
            first.pad_top(5.0 * MM);
        }
        title
    }

    /// Info panel: who, when, by whom, which version — four columns, or two
    /// in large print, on a tint with an accent bar on the left.
    fn info_panel(&self) -> Row {
        let c = self.c;
        let cells = [
            ("Prepared for", c.patient.clone()),
            ("Date", c.date.clone()),
            ("Therapist", c.therapist.clone()),
            // A draft preview has no version number yet.
            (
                "Program",
                if c.draft {
                    "Draft".to_owned()
                } else {
                    format!("Version {}", c.version)
                },
            ),
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
                let cy = self.info_cell(&mut panel, label, value, x, y, col_w);
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
        panel
    }

    /// One panel cell: a small muted label over its bold value, from `y`
    /// down; returns the y below the value.
    fn info_cell(
        &self,
        panel: &mut Row,
        label: &str,
        value: &str,
        x: f32,
        y: f32,
        col_w: f32,
    ) -> f32 {
        let s = &self.s;
        let mut cy = y;
        for (line, w) in wrap(self.m, Face::Regular, s.small, label, col_w) {
            panel
                .elements
                .push(self.run(x, cy, s.small, Face::Regular, palette::MUTED, line, w));
            cy += self.lh(s.small);
        }
        for (line, w) in wrap(self.m, Face::Bold, s.body, value, col_w) {
            panel
                .elements
                .push(self.run(x, cy, s.body, Face::Bold, palette::TEXT, line, w));
            cy += self.lh(s.body);
        }
        cy
    }
}
