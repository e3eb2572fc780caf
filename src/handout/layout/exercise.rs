//! One exercise block: numbered badge and name, the tinted dosage line,
//! numbered steps, bulleted cues, "Stop if" and the therapist's note, with
//! the picture on the left kept together with the rows beside it.

use super::builder::{fit, Builder};
use super::pagination::{keep_first, Block, Row};
use super::text::{wrap, Face, Metrics};
use super::{
    palette, BlockKind, Element, ExerciseContent, FigureEl, ImageEl, LineEl, RectEl, Stroke, MM,
};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    /// The dosage line in bold on a tint as wide as its longest line, with an
    /// accent bar on the left.
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

    pub(super) fn exercise_block(&self, i: usize, ex: &ExerciseContent) -> Block {
        let s = &self.s;
        let mut rows = if i == 0 {
            self.section_heading("Your exercises")
        } else {
            Vec::new()
        };
        let after_section = rows.len();
        let badge = (s.heading * 1.55).min(self.lh(s.heading));
        let indent = badge + 3.0 * MM;
        let name_x = self.left + indent;
        rows.extend(self.exercise_heading(i, &ex.name, badge, name_x));
        if i == 0 {
            keep_first(&mut rows[after_section..], 1);
        }
        let mut body = self.exercise_body(ex, name_x);
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

    /// Heading: the number in a square accent badge, the name beside it
    /// from `name_x`; its lines stay together.
    fn exercise_heading(&self, i: usize, name: &str, badge: f32, name_x: f32) -> Vec<Row> {
        let s = &self.s;
        let lh = self.lh(s.heading);
        let mut heading = self.text_rows(
            name,
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
        heading
    }

    /// Body: the picture (if any) at `name_x`, the dosage line and the
    /// instructions in a text column to its right.
    fn exercise_body(&self, ex: &ExerciseContent, name_x: f32) -> Vec<Row> {
        let s = &self.s;
        let image = ex.image.map(|img| (img, fit(img, s.image_w, s.image_h)));
        let figure = match (&image, &ex.figure) {
            (None, Some(scene)) => {
                let scale = (s.image_w / scene.width).min(s.image_h / scene.height);
                Some((scene, (scene.width * scale, scene.height * scale)))
            }
            _ => None,
        };
        let beside = image.map(|(_, (w, _))| w).or(figure.map(|(_, (w, _))| w));
        let text_x = name_x + beside.map_or(0.0, |w| w + 5.0 * MM);
        let text_w = self.right - text_x;
        let mut body = self.dosage_rows(&ex.dosage, text_x, text_w);
        // Text beside a drawn figure (short and wide) flows back to the
        // full width below it; beside a picture it keeps its column.
        let columns = Columns {
            narrow: (text_x, text_w),
            full: match figure {
                Some(_) => (name_x, self.right - name_x),
                None => (text_x, text_w),
            },
            until: figure.map_or(0.0, |(_, (_, h))| h),
            start: body.iter().map(|r| r.height).sum(),
        };
        body.extend(self.instruction_rows(ex, &columns));
        if let Some((img, (w, h))) = image {
            let picture = Element::Image(ImageEl {
                image: img.index,
                x: name_x,
                y: 0.0,
                w,
                h,
            });
            beside_picture(&mut body, picture, name_x, (w, h));
        } else if let Some((scene, (w, h))) = figure {
            let picture = Element::Figure(FigureEl {
                scene: scene.clone(),
                x: name_x,
                y: 0.0,
                w,
                h,
            });
            beside_picture(&mut body, picture, name_x, (w, h));
        }
        body
    }

    /// Numbered steps, bulleted cues, then "Stop if:" and "Note:" when given.
    fn instruction_rows(&self, ex: &ExerciseContent, columns: &Columns) -> Vec<Row> {
        let s = &self.s;
        let mut body: Vec<Row> = Vec::new();
        let column = |body: &[Row]| columns.at(body.iter().map(|r| r.height).sum());
        let group_gap = 2.0 * MM;
        let item_gap = self.lh(s.body) * 0.2;
        let numbers: Vec<String> = (1..=ex.steps.len()).map(|n| format!("{n}.")).collect();
        let hang = numbers
            .iter()
            .map(|n| self.m.width(Face::Bold, s.body, n))
            .fold(0.0, f32::max)
            + 1.8 * MM;
        for (k, (step, num)) in ex.steps.iter().zip(&numbers).enumerate() {
            let (text_x, text_w) = column(&body);
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
            let (text_x, text_w) = column(&body);
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
                let (text_x, text_w) = column(&body);
                let mut r = self.hanging_rows(label, ink, hang, text, text_x, text_w, s.body);
                if let Some(first) = r.first_mut() {
                    first.pad_top(group_gap * 0.8);
                }
                body.extend(r);
            }
        }
        body
    }
}

/// Where instruction text goes: in the narrow column beside a picture until
/// the body is `until` tall, then in the full column.
struct Columns {
    narrow: (f32, f32),
    full: (f32, f32),
    until: f32,
    /// Height of the rows above the instructions (the dosage line).
    start: f32,
}

impl Columns {
    fn at(&self, height_so_far: f32) -> (f32, f32) {
        if self.start + height_so_far < self.until {
            self.narrow
        } else {
            self.full
        }
    }
}

/// Puts the picture (an image or a drawn figure), `w` × `h` at `x`, with a
/// thin outline on the first body row, and keeps every row beside it
/// together with it (padding the body to the picture's height).
fn beside_picture(body: &mut Vec<Row>, picture: Element, x: f32, (w, h): (f32, f32)) {
    if body.is_empty() {
        body.push(Row::spacer(0.0));
    }
    if let Some(first) = body.first_mut() {
        // First, so text read out of the PDF keeps its lines whole.
        first.elements.insert(0, picture);
        first.elements.push(Element::Rect(RectEl {
            x,
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
