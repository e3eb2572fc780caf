//! Exercise images and clinic logos, made ready for the PDF: decoded once,
//! flattened onto white, scaled down to print resolution and re-encoded as
//! JPEG (embedded as-is with DCTDecode). Results are kept in a small
//! process-wide cache keyed by the SHA-256 of the source bytes, because the
//! same catalog images are printed over and over.

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ExtendedColorType, ImageReader, Limits};
use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};

/// Print resolution images are scaled down to.
const DPI: f32 = 200.0;
/// JPEG quality of re-encoded images.
const QUALITY: u8 = 85;
/// Prepared images kept across renders.
const CACHE_ENTRIES: usize = 128;
/// Refuse sources larger than this on either side.
const MAX_SOURCE_SIDE: u32 = 12_000;

/// A JPEG ready to embed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PreparedImage {
    pub(crate) jpeg: Vec<u8>,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) gray: bool,
}

type Key = ([u8; 32], u32, u32);

fn cache() -> &'static Cache<Key, Arc<PreparedImage>> {
    static CACHE: OnceLock<Cache<Key, Arc<PreparedImage>>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(CACHE_ENTRIES))
}

/// Empties the cache of prepared images (benchmarks use it to time the
/// cold path).
pub fn clear_cache() {
    cache().clear();
}

/// Pixel size at print resolution for a box of `w` × `h` points.
pub(crate) fn pixels_for(w_pt: f32, h_pt: f32) -> (u32, u32) {
    let px = |pt: f32| ((pt / 72.0 * DPI).round() as u32).max(1);
    (px(w_pt), px(h_pt))
}

/// What names a source image in the cache: the SHA-256 of its bytes, or
/// of a stable id whose bytes never change (then nothing big is hashed).
pub(crate) fn content_key(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// See [`content_key`].
pub(crate) fn id_key(id: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"stored picture\0");
    hasher.update(id.as_bytes());
    hasher.finalize().into()
}

/// Prepares `bytes` (PNG or JPEG), named by `source` (see [`content_key`]),
/// to fit `max_px` pixels, from the cache when it has been seen before.
pub(crate) fn prepare(
    source: [u8; 32],
    bytes: &[u8],
    max_px: (u32, u32),
) -> Result<Arc<PreparedImage>, image::ImageError> {
    let key: Key = (source, max_px.0, max_px.1);
    cache().get_or_insert_with(&key, || convert(bytes, max_px).map(Arc::new))
}

fn convert(bytes: &[u8], (max_w, max_h): (u32, u32)) -> Result<PreparedImage, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut img = reader.decode()?;
    if img.width() > max_w || img.height() > max_h {
        img = img.thumbnail(max_w, max_h);
    }
    let (width, height) = (img.width(), img.height());
    let gray = !img.color().has_color();
    let (pixels, color) = flatten(img, gray);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY).encode(&pixels, width, height, color)?;
    Ok(PreparedImage {
        jpeg,
        width,
        height,
        gray,
    })
}

/// Composites transparency onto white paper and returns 8-bit samples.
fn flatten(img: DynamicImage, gray: bool) -> (Vec<u8>, ExtendedColorType) {
    let over_white = |c: u8, a: u8| -> u8 {
        let (c, a) = (u16::from(c), u16::from(a));
        ((c * a + 255 * (255 - a) + 127) / 255) as u8
    };
    match (gray, img.color().has_alpha()) {
        (true, false) => (img.into_luma8().into_raw(), ExtendedColorType::L8),
        (true, true) => {
            let la = img.into_luma_alpha8();
            let px = la.pixels().map(|p| over_white(p.0[0], p.0[1])).collect();
            (px, ExtendedColorType::L8)
        }
        (false, false) => (img.into_rgb8().into_raw(), ExtendedColorType::Rgb8),
        (false, true) => {
            let rgba = img.into_rgba8();
            let mut px = Vec::with_capacity(rgba.len() / 4 * 3);
            for p in rgba.pixels() {
                let [r, g, b, a] = p.0;
                px.extend_from_slice(&[over_white(r, a), over_white(g, a), over_white(b, a)]);
            }
            (px, ExtendedColorType::Rgb8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: bool) -> Vec<u8> {
        let img = if alpha {
            DynamicImage::ImageRgba8(image::RgbaImage::from_fn(w, h, |x, _| {
                image::Rgba([200, 30, 30, (x % 256) as u8])
            }))
        } else {
            DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
            }))
        };
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn large_images_are_scaled_to_print_resolution_keeping_their_shape() {
        let bytes = png(1200, 800, false);
        let img = prepare(content_key(&bytes), &bytes, (354, 315)).unwrap();
        assert_eq!((img.width, img.height), (354, 236));
        assert!(img.jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");
        assert!(!img.gray);
    }

    #[test]
    fn transparent_images_are_flattened_onto_white() {
        let bytes = png(40, 10, true);
        let img = prepare(content_key(&bytes), &bytes, (354, 315)).unwrap();
        assert_eq!((img.width, img.height), (40, 10));
        let decoded = image::load_from_memory(&img.jpeg).unwrap().into_rgb8();
        // Fully transparent column 0 is paper white, not black.
        assert!(decoded.get_pixel(0, 5).0.iter().all(|&c| c > 235));
    }

    #[test]
    fn the_same_bytes_are_prepared_once() {
        let bytes = png(64, 64, false);
        let a = prepare(content_key(&bytes), &bytes, (100, 100)).unwrap();
        let b = prepare(content_key(&bytes), &bytes, (100, 100)).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn a_stored_picture_is_found_by_its_id_and_ids_do_not_collide_with_contents() {
        let bytes = png(32, 32, false);
        let by_id = prepare(id_key("picture-1"), &bytes, (100, 100)).unwrap();
        // Found again by the id alone: the bytes are not looked at.
        let again = prepare(id_key("picture-1"), b"", (100, 100)).unwrap();
        assert!(Arc::ptr_eq(&by_id, &again));
        assert_ne!(id_key("picture-1"), id_key("picture-2"));
        assert_ne!(id_key("picture-1"), content_key(b"picture-1"));
    }

    #[test]
    fn bytes_that_are_no_image_are_an_error() {
        assert!(prepare(content_key(b"not an image"), b"not an image", (100, 100)).is_err());
    }
}
