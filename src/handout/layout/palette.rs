//! The palette: one calm accent, near-black text, and tints light enough
//! to print as a faint grey (or nothing) in black and white.

use super::Ink;

/// Body text.
pub const TEXT: Ink = Ink(0x1B, 0x24, 0x2A);
/// Secondary text; still above 7:1 contrast on white.
pub const MUTED: Ink = Ink(0x4B, 0x57, 0x5E);
/// The accent: rules, badges, bullets.
pub const ACCENT: Ink = Ink(0x1F, 0x6F, 0x78);
/// Accent for text (section headings, the dosage line).
pub const ACCENT_DARK: Ink = Ink(0x12, 0x4B, 0x52);
/// Background of the info panel and the dosage line.
pub const TINT: Ink = Ink(0xE6, 0xF1, 0xF2);
/// Every other row of the log grid.
pub const ZEBRA: Ink = Ink(0xF2, 0xF7, 0xF8);
/// Thin separators.
pub const RULE: Ink = Ink(0xBF, 0xCC, 0xCF);
/// Tick boxes and grid lines that must survive photocopying.
pub const GRID: Ink = Ink(0x5F, 0x6E, 0x73);
/// Border of the "Avoid" box.
pub const AVOID_BORDER: Ink = Ink(0xB4, 0x53, 0x09);
/// Background of the "Avoid" box.
pub const AVOID_TINT: Ink = Ink(0xFD, 0xF4, 0xE8);
/// "Avoid" and "Stop if" labels.
pub const AVOID_TEXT: Ink = Ink(0x8A, 0x2C, 0x0D);
/// "Do this instead" labels.
pub const INSTEAD_TEXT: Ink = Ink(0x1D, 0x65, 0x36);
/// Text on the accent badge.
pub const WHITE: Ink = Ink(0xFF, 0xFF, 0xFF);
/// The DRAFT watermark, drawn over everything at low opacity.
pub const WATERMARK: Ink = Ink(0x5F, 0x6E, 0x73);
