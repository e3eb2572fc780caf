//! The framed "Avoid / do this instead" box: for each precaution its label,
//! what to avoid, what to do instead, how to take care where it says, and
//! when to see the therapist.

use super::builder::Builder;
use super::pagination::{keep_first, Block, Frame, Row};
use super::text::{Face, Metrics};
use super::{palette, BlockKind, PrecautionContent, Stroke, MM};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn avoid_block(&self) -> Block {
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
        let hang = ["Avoid:", "Do this instead:", "Take care:"]
            .iter()
            .map(|l| self.m.width(Face::Bold, s.body, l))
            .fold(0.0, f32::max)
            + 3.0 * MM;
        for (j, p) in self.c.precautions.iter().enumerate() {
            rows.extend(self.precaution_rows(j, p, x, width, hang));
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

    /// One precaution: its bold label, then "Avoid:" and "Do this instead:"
    /// with their texts in a hanging indent of `hang`.
    fn precaution_rows(
        &self,
        j: usize,
        p: &PrecautionContent,
        x: f32,
        width: f32,
        hang: f32,
    ) -> Vec<Row> {
        let s = &self.s;
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
        if let Some(text) = &p.take_care {
            let mut care = self.hanging_rows(
                "Take care:",
                palette::AVOID_TEXT,
                hang,
                text,
                x,
                width,
                s.body,
            );
            if let Some(first) = care.first_mut() {
                first.pad_top(1.0 * MM);
            }
            body.extend(care);
        }
        if let Some(text) = &p.see_therapist_if {
            let line = format!("See your therapist if {text}");
            let mut see = self.text_rows(&line, x, width, s.body, Face::Bold, palette::TEXT);
            if let Some(first) = see.first_mut() {
                first.pad_top(1.0 * MM);
            }
            for r in see.iter_mut().skip(1) {
                r.keep_with_prev = true;
            }
            body.extend(see);
        }
        keep_first(&mut body, 2);
        label.extend(body);
        label
    }
}
