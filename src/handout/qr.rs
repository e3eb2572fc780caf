//! The share-link QR code as vector geometry: the qrcode crate builds the
//! symbol, and each horizontal run of dark modules becomes one rectangle in
//! module units, with the four-module quiet zone included in the size.
//! Recent symbols are kept, because choosing the mask is the costly part
//! and the same link is printed again and again.

use std::sync::{Arc, OnceLock};

use qrcode::{Color, EcLevel, QrCode};
use quick_cache::sync::Cache;

/// Symbols kept for links printed again.
const RECENT: usize = 32;

/// The symbol for `data`, from the recent ones when it was built before.
pub fn cached(data: &str) -> Result<Arc<QrMatrix>, qrcode::types::QrError> {
    static RECENT_CODES: OnceLock<Cache<String, Arc<QrMatrix>>> = OnceLock::new();
    RECENT_CODES
        .get_or_init(|| Cache::new(RECENT))
        .get_or_insert_with(data, || QrMatrix::new(data).map(Arc::new))
}

/// Light modules around the symbol, as the QR specification requires.
pub const QUIET_ZONE: usize = 4;

/// A QR symbol, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    dark: Vec<bool>,
}

/// A run of dark modules: row, first column, length (quiet zone included
/// in the coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Row from the top.
    pub row: usize,
    /// First column from the left.
    pub col: usize,
    /// Number of modules.
    pub len: usize,
}

impl QrMatrix {
    /// Encodes `data` exactly (byte mode as needed), error correction M.
    pub fn new(data: &str) -> Result<Self, qrcode::types::QrError> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix { width, dark })
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn size_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Whether the module at (`x`, `y`) of the symbol (no quiet zone) is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.width
            && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// Horizontal runs of dark modules, in quiet-zone coordinates.
    pub fn runs(&self) -> Vec<Run> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push(Run {
                        row: y + QUIET_ZONE,
                        col: start + QUIET_ZONE,
                        len: x - start,
                    });
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules_inside_the_quiet_zone() {
        let qr = QrMatrix::new("https://hep.example/p/3f9c2b7a-long-token").unwrap();
        let n = qr.size_with_quiet_zone();
        let mut painted = vec![false; n * n];
        for r in qr.runs() {
            for x in r.col..r.col + r.len {
                assert!(!painted[r.row * n + x], "module painted twice");
                painted[r.row * n + x] = true;
            }
        }
        for y in 0..n {
            for x in 0..n {
                let inside = (QUIET_ZONE..QUIET_ZONE + qr.width).contains(&x)
                    && (QUIET_ZONE..QUIET_ZONE + qr.width).contains(&y);
                let expected = inside && qr.is_dark(x - QUIET_ZONE, y - QUIET_ZONE);
                assert_eq!(painted[y * n + x], expected, "module ({x}, {y})");
            }
        }
        // The finder pattern's top-left corner is dark: a real symbol.
        assert!(qr.is_dark(0, 0) && qr.is_dark(6, 6) && !qr.is_dark(7, 7));
    }

    #[test]
    fn a_link_printed_again_reuses_its_symbol() {
        let a = cached("https://hep.example/p/again").unwrap();
        let b = cached("https://hep.example/p/again").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*a, QrMatrix::new("https://hep.example/p/again").unwrap());
        assert_ne!(*a, *cached("https://hep.example/p/other").unwrap());
    }
}
