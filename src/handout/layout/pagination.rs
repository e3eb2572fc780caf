//! Pagination: content arrives as blocks of rows, and `Paginator` fills
//! pages with them. A block that fits a fresh page moves there whole,
//! unless that would leave more than a quarter of this page empty; then,
//! like a block taller than a page, it breaks
//! between rows where `keep_with_prev` allows (never leaving one row alone
//! on the next page), repeating its continuation rows (and its frame) on
//! every page it reaches.

use std::ops::Range;

use super::{BlockInfo, BlockKind, Element, Ink, LineEl, Page, RectEl, Stroke, EPS};

/// The share of a page a block may leave empty by moving to the next.
const MOST_LEFT_EMPTY: f32 = 0.25;

/// A horizontal slice of a block: the unit of pagination.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    pub(super) height: f32,
    /// Positions relative to the row's top.
    pub(super) elements: Vec<Element>,
    /// A page break may not fall between this row and the one before.
    pub(super) keep_with_prev: bool,
}

impl Row {
    pub(super) fn spacer(height: f32) -> Self {
        Row {
            height,
            ..Row::default()
        }
    }

    pub(super) fn pad_top(&mut self, gap: f32) {
        self.height += gap;
        for e in &mut self.elements {
            e.shift(gap);
        }
    }
}

pub(super) fn keep_first(rows: &mut [Row], n: usize) {
    for r in rows.iter_mut().take(n) {
        r.keep_with_prev = true;
    }
}

/// A background drawn around each fragment of a block.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub(super) x: f32,
    pub(super) w: f32,
    pub(super) pad: f32,
    pub(super) fill: Ink,
    pub(super) stroke: Stroke,
}

#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) kind: BlockKind,
    pub(super) space_before: f32,
    /// Drawn in the middle of `space_before` unless the block starts a page.
    pub(super) separator: Option<LineEl>,
    pub(super) rows: Vec<Row>,
    /// Repeated at the top of every fragment after the first.
    pub(super) continuation: Vec<Row>,
    pub(super) frame: Option<Frame>,
}

fn rows_height(rows: &[Row]) -> f32 {
    rows.iter().map(|r| r.height).sum()
}

/// Places blocks on pages.
pub(super) struct Paginator {
    first_top: f32,
    next_top: f32,
    bottom: f32,
    pub(super) pages: Vec<Page>,
    y: f32,
    pub(super) blocks: Vec<BlockInfo>,
}

impl Paginator {
    pub(super) fn new(first_top: f32, next_top: f32, bottom: f32) -> Self {
        Paginator {
            first_top,
            next_top,
            bottom,
            pages: vec![Page::default()],
            y: first_top,
            blocks: Vec::new(),
        }
    }

    fn top(&self) -> f32 {
        if self.pages.len() == 1 {
            self.first_top
        } else {
            self.next_top
        }
    }

    fn at_top(&self) -> bool {
        self.y <= self.top() + EPS
    }

    pub(super) fn fresh_capacity(&self) -> f32 {
        self.bottom - self.next_top
    }

    fn new_page(&mut self) {
        self.close_page();
        self.pages.push(Page::default());
        self.y = self.next_top;
    }

    fn close_page(&mut self) {
        let empty = (self.bottom - self.y).max(0.0);
        if let Some(page) = self.pages.last_mut() {
            page.empty_below = empty;
        }
    }

    /// The pages, the last one closed, and how each block was placed.
    pub(super) fn finish(mut self) -> (Vec<Page>, Vec<BlockInfo>) {
        self.close_page();
        (self.pages, self.blocks)
    }

    fn gap(&self, block: &Block) -> f32 {
        if self.at_top() {
            0.0
        } else {
            block.space_before
        }
    }

    pub(super) fn place(&mut self, block: Block) {
        let pad = block.frame.map_or(0.0, |f| 2.0 * f.pad);
        let total = rows_height(&block.rows) + pad;
        let mut info = BlockInfo {
            kind: block.kind,
            height: total,
            pages: Vec::new(),
        };
        let n = block.rows.len();
        let leaves_too_much = self.bottom - self.y > MOST_LEFT_EMPTY * self.fresh_capacity();
        if self.y + self.gap(&block) + total <= self.bottom + EPS {
            self.emit(&block, 0..n, false, &mut info);
        } else if total <= self.fresh_capacity() + EPS && !leaves_too_much {
            self.new_page();
            self.emit(&block, 0..n, false, &mut info);
        } else {
            let mut i = 0;
            let mut first = true;
            while i < n {
                let cont = if first {
                    0.0
                } else {
                    rows_height(&block.continuation)
                };
                let avail = self.bottom - self.y - self.gap(&block) - pad - cont;
                let mut acc = 0.0;
                let mut best = None;
                let mut max_fit = i;
                for k in i..n {
                    acc += block.rows[k].height;
                    if acc > avail + EPS {
                        break;
                    }
                    max_fit = k + 1;
                    let alone = n - (k + 1) == 1;
                    if k + 1 == n || !block.rows[k + 1].keep_with_prev && !alone {
                        best = Some(k + 1);
                    }
                }
                let k = match best {
                    Some(k) => k,
                    // Only rows taller than a page get here; place them anyway
                    // so that layout always terminates.
                    None if self.at_top() => max_fit.max(i + 1),
                    None => {
                        self.new_page();
                        continue;
                    }
                };
                self.emit(&block, i..k, !first, &mut info);
                i = k;
                first = false;
                if i < n {
                    self.new_page();
                }
            }
        }
        self.blocks.push(info);
    }

    fn emit(&mut self, block: &Block, range: Range<usize>, continued: bool, info: &mut BlockInfo) {
        let gap = self.gap(block);
        let page_index = self.pages.len() - 1;
        let mut y = self.y + gap;
        let mut elements = Vec::new();
        if gap > 0.0 {
            if let Some(mut sep) = block.separator {
                sep.y1 = self.y + gap / 2.0;
                sep.y2 = sep.y1;
                elements.push(Element::Line(sep));
            }
        }
        let frag_top = y;
        let pad = block.frame.map_or(0.0, |f| f.pad);
        y += pad;
        let continuation = if continued {
            &block.continuation[..]
        } else {
            &[]
        };
        for row in continuation.iter().chain(&block.rows[range]) {
            for e in &row.elements {
                let mut e = e.clone();
                e.shift(y);
                elements.push(e);
            }
            y += row.height;
        }
        y += pad;
        if let Some(f) = block.frame {
            elements.insert(
                0,
                Element::Rect(RectEl {
                    x: f.x,
                    y: frag_top,
                    w: f.w,
                    h: y - frag_top,
                    fill: Some(f.fill),
                    stroke: Some(f.stroke),
                }),
            );
        }
        self.y = y;
        if let Some(page) = self.pages.get_mut(page_index) {
            page.elements.extend(elements);
        }
        info.pages.push(page_index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: BlockKind, rows: &[(f32, bool)]) -> Block {
        Block {
            kind,
            space_before: 0.0,
            separator: None,
            rows: rows
                .iter()
                .map(|&(height, keep_with_prev)| Row {
                    height,
                    elements: Vec::new(),
                    keep_with_prev,
                })
                .collect(),
            continuation: vec![Row::spacer(5.0)],
            frame: None,
        }
    }

    #[test]
    fn a_block_that_fits_a_fresh_page_moves_there_whole() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(70.0, false)]));
        p.place(block(
            BlockKind::Exercise(0),
            &[(10.0, false), (10.0, true), (10.0, true), (10.0, false)],
        ));
        assert_eq!(p.blocks[1].pages, vec![1]);
        assert_eq!(p.y, 40.0);
    }

    #[test]
    fn a_split_never_leaves_a_heading_without_two_lines() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(75.0, false)]));
        let mut rows = vec![(20.0, false), (10.0, true), (10.0, true)];
        rows.extend([(10.0, false); 15]);
        p.place(block(BlockKind::Exercise(0), &rows));
        // 25 pt are left on page 0: enough for the heading, not for the
        // heading and two lines — so the block starts on page 1.
        assert_eq!(p.blocks[1].pages, vec![1, 2]);
        // Page 1 takes the heading and 8 more rows; page 2 repeats the
        // continuation row (5) and holds the other 9.
        assert_eq!(p.y, 5.0 + 10.0 * 9.0);
    }

    #[test]
    fn a_block_that_would_leave_over_a_quarter_page_empty_starts_there() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(60.0, false)]));
        let mut rows = vec![(20.0, false), (10.0, true), (10.0, true)];
        rows.extend([(10.0, false); 6]);
        p.place(block(BlockKind::Exercise(0), &rows));
        // 40 pt left: the heading and its two lines; the continuation row
        // (5) and the other 6 rows on page 1.
        assert_eq!(p.blocks[1].pages, vec![0, 1]);
        assert_eq!(p.y, 5.0 + 10.0 * 6.0);
        let (pages, _) = p.finish();
        assert_eq!(pages[0].empty_below, 0.0);
    }

    #[test]
    fn a_split_never_carries_one_row_alone_to_the_next_page() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(60.0, false)]));
        let rows = [(20.0, false), (10.0, true), (10.0, true), (10.0, false)];
        p.place(block(BlockKind::Exercise(0), &rows));
        // The heading and its two lines fit the 40 pt left, but the last
        // row would go over alone: the block moves whole.
        assert_eq!(p.blocks[1].pages, vec![1]);
    }

    #[test]
    fn a_block_that_leaves_at_most_a_quarter_page_empty_moves_whole() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Notes, &[(76.0, false)]));
        p.place(block(BlockKind::Avoid, &[(10.0, false); 3]));
        assert_eq!(p.blocks[1].pages, vec![1]);
        let (pages, _) = p.finish();
        assert_eq!(pages[0].empty_below, 24.0);
        assert_eq!(pages[1].empty_below, 70.0);
    }

    #[test]
    fn rows_taller_than_a_page_still_terminate() {
        let mut p = Paginator::new(0.0, 0.0, 100.0);
        p.place(block(BlockKind::Log, &[(150.0, false), (150.0, false)]));
        assert_eq!(p.blocks[0].pages, vec![0, 1]);
    }
}
