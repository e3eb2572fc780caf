//! Drawn figures as the web serves them: each SVG is drawn once per
//! (figure, title, side) and kept in a bounded in-memory cache. Its key is a
//! SHA-256 of everything the drawing depends on (the figure's data, the
//! title, the side, and the release that draws it), so a changed figure is a
//! new key and never meets a stale drawing; the same key is the API
//! response's strong `ETag`.

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use quick_cache::sync::Cache;
use quick_cache::Weighter;
use sha2::{Digest, Sha256};

use crate::domain::figure::{self, Figure};
use crate::error::AppError;

/// SVG bytes kept at most; a figure is a few kilobytes.
const CACHE_BYTES: u64 = 8 * 1024 * 1024;
/// Figures the cache expects to hold: every built-in exercise on both
/// sides, with room for the clinics' own.
const CACHE_ITEMS: usize = 1024;

/// What names one drawing (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FigureKey([u8; 32]);

impl FigureKey {
    /// The strong entity tag of the drawing: the key in hex.
    pub fn etag(&self) -> EntityTag {
        EntityTag::new_strong(self.0.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// One figure to draw: under a title, mirrored or not, with its key.
pub struct Drawing<'a> {
    figure: &'a Figure,
    title: &'a str,
    mirror: bool,
    key: FigureKey,
}

impl<'a> Drawing<'a> {
    pub fn new(figure: &'a Figure, title: &'a str, mirror: bool) -> Result<Self, AppError> {
        let data = serde_json::to_vec(figure).map_err(|e| AppError::internal("figure", e))?;
        let mut hasher = Sha256::new();
        // Each part with its length first, so no two inputs run together.
        for part in [
            env!("CARGO_PKG_VERSION").as_bytes(),
            &data,
            title.as_bytes(),
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.update([u8::from(mirror)]);
        Ok(Self {
            figure,
            title,
            mirror,
            key: FigureKey(hasher.finalize().into()),
        })
    }

    pub fn key(&self) -> FigureKey {
        self.key
    }
}

/// Weighs a cached drawing by its bytes.
#[derive(Clone)]
struct BySize;

impl Weighter<FigureKey, Bytes> for BySize {
    fn weight(&self, _key: &FigureKey, svg: &Bytes) -> u64 {
        svg.len().max(1) as u64
    }
}

/// Drawn figures by key, bounded by their total size.
pub struct FigureCache(Cache<FigureKey, Bytes, BySize>);

impl Default for FigureCache {
    fn default() -> Self {
        Self(Cache::with_weighter(CACHE_ITEMS, CACHE_BYTES, BySize))
    }
}

impl FigureCache {
    /// The drawing as SVG, drawn now only if the cache does not hold it.
    pub fn svg(&self, drawing: &Drawing<'_>) -> Bytes {
        if let Some(svg) = self.0.get(&drawing.key) {
            return svg;
        }
        let svg = Bytes::from(figure::svg(drawing.figure, drawing.title, drawing.mirror));
        self.0.insert(drawing.key, svg.clone());
        svg
    }

    /// The figure as the API serves it, with its `ETag`: 304 and no body
    /// when the request's `If-None-Match` names it (the browser has it),
    /// else the SVG. Both carry the figure's headers: no sniffing, nothing
    /// it may load, cached briefly by the browser only.
    pub fn respond(&self, req: &HttpRequest, drawing: &Drawing<'_>) -> HttpResponse {
        let etag = drawing.key.etag();
        let known = match req.get_header::<IfNoneMatch>() {
            Some(IfNoneMatch::Any) => true,
            // If-None-Match compares weakly (RFC 9110, 13.1.2).
            Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&etag)),
            None => false,
        };
        let mut response = if known {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header(header::ETag(etag))
            .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ));
        if known {
            return response.finish();
        }
        response
            .content_type("image/svg+xml")
            .body(self.svg(drawing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Figure {
        let catalog = crate::catalog::builtin().unwrap();
        catalog
            .exercises
            .into_iter()
            .find_map(|e| e.figure)
            .unwrap()
    }

    #[test]
    fn the_key_changes_with_the_figure_the_title_and_the_side() {
        let figure = figure();
        let key = |f: &Figure, title: &str, mirror| Drawing::new(f, title, mirror).unwrap().key();
        let base = key(&figure, "Row", false);
        assert_eq!(base, key(&figure, "Row", false), "the same every time");
        assert_ne!(base, key(&figure, "Row", true));
        assert_ne!(base, key(&figure, "Rows", false));
        let mut moved = figure.clone();
        moved.props.push("chair".into());
        assert_ne!(base, key(&moved, "Row", false));
    }

    #[test]
    fn a_cached_drawing_is_the_drawing() {
        let figure = figure();
        let cache = FigureCache::default();
        let drawing = Drawing::new(&figure, "Row", true).unwrap();
        let first = cache.svg(&drawing);
        assert_eq!(first, cache.svg(&drawing));
        assert_eq!(first, Bytes::from(figure::svg(&figure, "Row", true)));
    }
}
