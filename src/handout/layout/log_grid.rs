//! The weekly log grid: one row per exercise with a tick box per day and a
//! pain score box; the column labels repeat on every page the grid reaches.

use super::builder::Builder;
use super::pagination::{keep_first, Block, Row};
use super::text::{truncate, Face, Metrics};
use super::{palette, BlockKind, Element, LineEl, RectEl, Stroke, MM};

const PAIN_LABEL: &str = "Pain 0-10";

/// The grid's columns: exercise name, seven days, pain score.
struct Columns {
    left: f32,
    name_w: f32,
    day_w: f32,
    pain_w: f32,
    /// Days labelled "1".."7" instead of "Day 1".."Day 7", for narrow pages.
    short: bool,
}

impl Columns {
    fn day_x(&self, d: usize) -> f32 {
        self.left + self.name_w + d as f32 * self.day_w
    }

    fn pain_x(&self) -> f32 {
        self.left + self.name_w + 7.0 * self.day_w
    }
}

fn day_label(d: usize, short: bool) -> String {
    if short {
        d.to_string()
    } else {
        format!("Day {d}")
    }
}

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn log_block(&self) -> Block {
        let s = &self.s;
        let mut rows = self.section_heading("Weekly log");
        let heading_rows = rows.len();
        rows.extend(self.text_rows(
            "Tick a box each time you do the exercise. At the end of the week, write down how much it hurt: 0 = no pain, 10 = worst pain.",
            self.left,
            self.width(),
            s.body,
            Face::Regular,
            palette::MUTED,
        ));

        let cols = self.log_columns();
        let mut header = self.log_labels(&cols);
        let mut continuation = header.clone();
        continuation.keep_with_prev = false;
        header.pad_top(2.0 * MM);
        rows.push(header);
        let first_grid_row = rows.len();
        for (i, ex) in self.c.exercises.iter().enumerate() {
            rows.push(self.log_row(i, &ex.name, &cols));
        }
        // The heading keeps its explanation, the column labels and the
        // first grid row; later grid rows may break.
        let keep = (first_grid_row + 1).min(rows.len()) - heading_rows;
        keep_first(&mut rows[heading_rows..], keep);
        Block {
            kind: BlockKind::Log,
            space_before: s.section_gap,
            separator: None,
            rows,
            continuation: vec![continuation],
            frame: None,
        }
    }

    /// Day and pain columns as wide as their labels (or a tick box); the
    /// name column takes the rest, and if that leaves it under 45 mm the
    /// day labels are shortened.
    fn log_columns(&self) -> Columns {
        let s = &self.s;
        let label_size = s.small;
        let day_w_for = |short: bool| {
            self.m
                .width(Face::Bold, label_size, &day_label(7, short))
                .max(s.tick)
                + 3.0 * MM
        };
        let pain_w = (self.m.width(Face::Bold, label_size, PAIN_LABEL) + 4.0 * MM).max(20.0 * MM);
        let mut short = false;
        let mut day_w = day_w_for(false).max(12.0 * MM);
        if self.width() - 7.0 * day_w - pain_w < 45.0 * MM {
            short = true;
            day_w = day_w_for(true).max(s.tick + 4.0 * MM);
        }
        Columns {
            left: self.left,
            name_w: self.width() - 7.0 * day_w - pain_w,
            day_w,
            pain_w,
            short,
        }
    }

    /// The column labels over a grid line; kept with the row before.
    fn log_labels(&self, cols: &Columns) -> Row {
        let label_size = self.s.small;
        let lh = self.lh(label_size);
        let mut header = Row {
            height: lh + 2.5 * MM,
            elements: Vec::new(),
            keep_with_prev: true,
        };
        let top = 1.0 * MM;
        header.elements.push(self.measured(
            self.left + 1.5 * MM,
            top,
            label_size,
            Face::Bold,
            palette::MUTED,
            if cols.short {
                "Exercise / day"
            } else {
                "Exercise"
            },
        ));
        for d in 0..7 {
            let label = day_label(d + 1, cols.short);
            let w = self.m.width(Face::Bold, label_size, &label);
            header.elements.push(self.run(
                cols.day_x(d) + (cols.day_w - w) / 2.0,
                top,
                label_size,
                Face::Bold,
                palette::MUTED,
                label,
                w,
            ));
        }
        let w = self.m.width(Face::Bold, label_size, PAIN_LABEL);
        header.elements.push(self.run(
            cols.pain_x() + (cols.pain_w - w) / 2.0,
            top,
            label_size,
            Face::Bold,
            palette::MUTED,
            PAIN_LABEL.to_owned(),
            w,
        ));
        let hy = header.height - 0.5;
        header.elements.push(Element::Line(LineEl {
            x1: self.left,
            y1: hy,
            x2: self.right,
            y2: hy,
            stroke: Stroke {
                ink: palette::GRID,
                width: 1.0,
            },
        }));
        header
    }

    /// The grid row of exercise `i`: its numbered name (truncated), seven
    /// tick boxes and a pain box; every other row on a zebra tint.
    fn log_row(&self, i: usize, name: &str, cols: &Columns) -> Row {
        let s = &self.s;
        let box_stroke = Stroke {
            ink: palette::GRID,
            width: 0.8,
        };
        let h = s.log_row;
        let mut row = Row {
            height: h,
            elements: Vec::new(),
            keep_with_prev: false,
        };
        if i % 2 == 1 {
            row.elements.push(Element::Rect(RectEl {
                x: self.left,
                y: 0.0,
                w: self.width(),
                h,
                fill: Some(palette::ZEBRA),
                stroke: None,
            }));
        }
        let size = s.body;
        let (name, w) = truncate(
            self.m,
            Face::Regular,
            size,
            &format!("{}. {}", i + 1, name),
            cols.name_w - 3.0 * MM,
        );
        row.elements.push(self.run(
            self.left + 1.5 * MM,
            (h - self.lh(size)) / 2.0,
            size,
            Face::Regular,
            palette::TEXT,
            name,
            w,
        ));
        let by = (h - s.tick) / 2.0;
        for d in 0..7 {
            row.elements.push(Element::Rect(RectEl {
                x: cols.day_x(d) + (cols.day_w - s.tick) / 2.0,
                y: by,
                w: s.tick,
                h: s.tick,
                fill: Some(palette::WHITE),
                stroke: Some(box_stroke),
            }));
        }
        row.elements.push(Element::Rect(RectEl {
            x: cols.pain_x() + 2.0 * MM,
            y: by,
            w: cols.pain_w - 4.0 * MM,
            h: s.tick,
            fill: Some(palette::WHITE),
            stroke: Some(box_stroke),
        }));
        row.elements.push(Element::Line(LineEl {
            x1: self.left,
            y1: h,
            x2: self.right,
            y2: h,
            stroke: Stroke {
                ink: palette::RULE,
                width: 0.5,
            },
        }));
        row
    }
}
