//! The type scale and spacing of the handout, for standard, compact and
//! large print: font sizes, leading, margins, gaps and the boxes of
//! pictures, logo, QR code and log-grid rows.

use super::MM;

/// Type scale and spacing for standard, compact or large print.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub(super) clinic: f32,
    pub(super) title: f32,
    pub(super) section: f32,
    pub(super) heading: f32,
    pub(super) body: f32,
    pub(super) small: f32,
    pub(super) leading: f32,
    pub(super) margin_x: f32,
    pub(super) margin_top: f32,
    pub(super) margin_bottom: f32,
    pub(super) section_gap: f32,
    pub(super) block_gap: f32,
    pub(super) image_w: f32,
    pub(super) image_h: f32,
    pub(super) logo_w: f32,
    pub(super) logo_h: f32,
    pub(super) qr: f32,
    pub(super) log_row: f32,
    pub(super) tick: f32,
}

impl Style {
    pub(super) fn new(large: bool, compact: bool) -> Self {
        // Set as a careful designer would for paper: 10 pt body on a
        // 12.5 pt line, the picture beside the steps, tight gaps between
        // exercises, so ten exercises with the avoid box and the log fit
        // three pages.
        let base = Style {
            clinic: 13.5,
            title: 17.0,
            section: 13.0,
            heading: 11.5,
            body: 10.0,
            small: 8.0,
            leading: 1.25,
            margin_x: 15.0 * MM,
            margin_top: 12.0 * MM,
            margin_bottom: 10.0 * MM,
            section_gap: 5.0 * MM,
            block_gap: 3.0 * MM,
            image_w: 38.0 * MM,
            image_h: 26.0 * MM,
            logo_w: 40.0 * MM,
            logo_h: 15.0 * MM,
            qr: 16.0 * MM,
            log_row: 6.0 * MM,
            tick: 4.0 * MM,
        };
        if compact && !large {
            // For patients who know their exercises: a reminder of what
            // and how much, at 9 pt beside smaller pictures.
            return Style {
                clinic: 12.5,
                title: 15.0,
                section: 12.0,
                heading: 10.5,
                body: 9.0,
                small: 7.5,
                leading: 1.22,
                margin_x: 13.0 * MM,
                margin_top: 11.0 * MM,
                margin_bottom: 9.0 * MM,
                section_gap: 4.0 * MM,
                block_gap: 2.2 * MM,
                image_w: 30.0 * MM,
                image_h: 20.0 * MM,
                log_row: 5.0 * MM,
                tick: 3.4 * MM,
                ..base
            };
        }
        if large {
            Style {
                clinic: 20.0,
                title: 26.0,
                section: 20.0,
                heading: 18.0,
                body: 16.0,
                small: 12.0,
                leading: 1.32,
                section_gap: 9.0 * MM,
                block_gap: 8.0 * MM,
                image_w: 50.0 * MM,
                image_h: 45.0 * MM,
                qr: 20.0 * MM,
                log_row: 11.0 * MM,
                tick: 6.0 * MM,
                ..base
            }
        } else {
            base
        }
    }

    pub(super) fn lh(&self, size: f32) -> f32 {
        size * self.leading
    }
}
