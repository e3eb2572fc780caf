//! The "Goals and notes" block: the therapist's notes as paragraphs under a
//! section heading.

use super::builder::Builder;
use super::pagination::{keep_first, Block};
use super::text::Metrics;
use super::{palette, BlockKind};

impl<M: Metrics + ?Sized> Builder<'_, M> {
    pub(super) fn notes_block(&self) -> Block {
        let mut rows = self.section_heading("Goals and notes");
        let mut body = self.paragraph_rows(
            &self.c.notes,
            self.left,
            self.width(),
            self.s.body,
            palette::TEXT,
        );
        keep_first(&mut body, 2);
        rows.extend(body);
        Block {
            kind: BlockKind::Notes,
            space_before: self.s.section_gap,
            separator: None,
            rows,
            continuation: vec![self.continued_row(
                "Goals and notes (continued)",
                self.left,
                palette::MUTED,
            )],
            frame: None,
        }
    }
}
