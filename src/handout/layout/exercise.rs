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
        let (pad_x, pad_y) = (2.4 * MM, 1.0 * MM);
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
        let indent = badge + 2.5 * MM;
        // The picture on the left; the numbered name, dosage and steps in
        // the column beside it: no line of the block is spent on the name
        // alone, and the number stays with the name.
        let picture = self.picture(ex, self.left);
        let text_x = picture
            .as_ref()
            .map_or(self.left, |p| self.left + p.size.0 + 5.0 * MM);
        let name_x = text_x + indent;
        // Compact print puts the dosage on the name's line.
        let name = if self.c.compact {
            format!("{} · {}", ex.name, ex.dosage)
        } else {
            ex.name.clone()
        };
        let mut block = self.exercise_heading(i, &name, badge, text_x, name_x);
        let heading_height: f32 = block.iter().map(|r| r.height).sum();
        block.extend(self.exercise_body(ex, self.left, text_x, heading_height, picture.as_ref()));
        keep_first(&mut block, 3);
        if let Some(p) = picture {
            beside_picture(&mut block, p.element, self.left, p.size);
        }
        if i == 0 {
            keep_first(&mut rows[after_section..], 1);
        }
        rows.extend(block);

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

    /// Heading: the number in a square accent badge at `badge_x`, the name
    /// beside it from `name_x`; its lines stay together.
    fn exercise_heading(
        &self,
        i: usize,
        name: &str,
        badge: f32,
        badge_x: f32,
        name_x: f32,
    ) -> Vec<Row> {
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
                x: badge_x,
                y: by,
                w: badge,
                h: badge,
                fill: Some(palette::ACCENT),
                stroke: None,
            });
            let number = self.run(
                badge_x + (badge - nw) / 2.0,
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
            last.height += 1.2 * MM;
        }
        heading
    }

    /// The exercise's picture, or its drawn figure when it has none,
    /// scaled into the picture box at `x`.
    fn picture(&self, ex: &ExerciseContent, x: f32) -> Option<Picture> {
        let s = &self.s;
        if let Some(img) = ex.image {
            let (w, h) = fit(img, s.image_w, s.image_h);
            return Some(Picture {
                element: Element::Image(ImageEl {
                    image: img.index,
                    x,
                    y: 0.0,
                    w,
                    h,
                }),
                size: (w, h),
                drawn: false,
            });
        }
        let scene = ex.figure.as_ref()?;
        // A drawing is wide (start and finish side by side): it gets a
        // third more width than a photograph, at the same height.
        let scale = (s.image_w * FIGURE_WIDER / scene.width).min(s.image_h / scene.height);
        let (w, h) = (scene.width * scale, scene.height * scale);
        Some(Picture {
            element: Element::Figure(FigureEl {
                scene: scene.clone(),
                x,
                y: 0.0,
                w,
                h,
            }),
            size: (w, h),
            drawn: true,
        })
    }

    /// Body: the dosage line and the instructions in the text column at
    /// `text_x`, below a heading `above` tall, beside the picture if any;
    /// below a drawn figure the text flows back to `full_x`.
    fn exercise_body(
        &self,
        ex: &ExerciseContent,
        full_x: f32,
        text_x: f32,
        above: f32,
        picture: Option<&Picture>,
    ) -> Vec<Row> {
        let text_w = self.right - text_x;
        let mut body = if self.c.compact {
            Vec::new()
        } else {
            self.dosage_rows(&ex.dosage, text_x, text_w)
        };
        // Text beside a drawn figure (short and wide) flows back to the
        // full width below it; beside a picture it keeps its column.
        let columns = Columns {
            narrow: (text_x, text_w),
            full: match picture {
                Some(p) if p.drawn => (full_x, self.right - full_x),
                _ => (text_x, text_w),
            },
            until: picture.map_or(0.0, |p| p.size.1),
            start: above + body.iter().map(|r| r.height).sum::<f32>(),
        };
        body.extend(self.instruction_rows(ex, &columns));
        body
    }

    /// Numbered steps, bulleted cues, then "Stop if:" and "Note:" when given.
    fn instruction_rows(&self, ex: &ExerciseContent, columns: &Columns) -> Vec<Row> {
        let s = &self.s;
        let mut body: Vec<Row> = Vec::new();
        let column = |body: &[Row]| columns.at(body.iter().map(|r| r.height).sum());
        let group_gap = 1.5 * MM;
        let item_gap = self.lh(s.body) * 0.12;
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
        // Compact print is for patients who know their exercises: the
        // steps and the warning stay, the tips go.
        let cues: &[String] = if self.c.compact { &[] } else { &ex.cues };
        for (k, cue) in cues.iter().enumerate() {
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

/// How much wider than a photograph's box a drawn figure's box is.
const FIGURE_WIDER: f32 = 1.35;

/// An exercise's picture or drawn figure, placed and sized.
struct Picture {
    element: Element,
    size: (f32, f32),
    /// A drawn figure (text may flow under it) rather than a photograph.
    drawn: bool,
}

/// Where instruction text goes: in the narrow column beside a picture until
/// the body is `until` tall, then in the full column.
struct Columns {
    narrow: (f32, f32),
    full: (f32, f32),
    until: f32,
    /// Height of the rows above the instructions (heading, dosage line).
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
