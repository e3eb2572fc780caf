//! Printable PDF handouts of a published program version. `render` cleans
//! every text for the font (`fonts`), prepares images (`images`), lays the
//! pages out (`layout`, pure and unit-tested) and writes the PDF (`pdf`,
//! with the share-link QR code from `qr`). Patient data appears on the
//! pages only — never in the file name or the PDF metadata. Equal requests
//! give equal bytes; `fingerprint` names them before rendering (the ETag).

mod embed;
pub(crate) mod fonts;
mod images;
pub mod layout;
mod pdf;
pub mod qr;
mod sfnt;
#[cfg(test)]
mod tests;
mod zlib;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::domain::ids::{ExerciseId, PictureId};
use crate::domain::program::Version;

pub use crate::domain::paper::Paper;

pub use images::clear_cache as clear_image_cache;

use layout::{Content, ExerciseContent, ImageRef, PrecautionContent, MM};

/// The handout engine's revision, part of every fingerprint: raise it with
/// any change that gives other bytes for the same inputs, so a browser's
/// cached copy is not answered 304 by a server that now prints otherwise.
const REVISION: u32 = 2;

/// Width and height of the paper in points.
fn size_pt(paper: Paper) -> (f32, f32) {
    let (w, h) = paper.size_mm();
    (w * MM, h * MM)
}

/// The clinic as printed in the handout header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicInfo {
    /// Clinic name.
    pub name: String,
    /// Address, phone, web — one line, wrapped if long.
    pub contact_line: String,
    /// Logo as PNG or JPEG bytes, printed top right.
    pub logo: Option<Vec<u8>>,
}

/// Everything one handout needs.
#[derive(Debug, Clone)]
pub struct HandoutRequest<'a> {
    /// The clinic.
    pub clinic: &'a ClinicInfo,
    /// The published version to print.
    pub version: &'a Version,
    /// Paper size.
    pub paper: Paper,
    /// Body text at 16 pt, everything else scaled up.
    pub large_print: bool,
    /// Smaller type and pictures, no tips, for patients who know their
    /// exercises; large print wins over it.
    pub compact: bool,
    /// "DRAFT" diagonally on every page.
    pub draft: bool,
    /// When given, printed with its QR code in every page footer.
    pub share_url: Option<&'a str>,
    /// Exercise id → its picture.
    pub images: &'a HashMap<ExerciseId, Picture>,
    /// The print date.
    pub date: chrono::NaiveDate,
}

/// An exercise picture to print: PNG or JPEG bytes and what names them in
/// the cache of pictures already scaled and re-encoded for print.
#[derive(Debug, Clone)]
pub struct Picture {
    key: [u8; 32],
    bytes: Arc<[u8]>,
}

impl Picture {
    /// Named by its content (the bytes are hashed once, here).
    pub fn from_bytes(bytes: impl Into<Arc<[u8]>>) -> Self {
        let bytes = bytes.into();
        Self {
            key: images::content_key(&bytes),
            bytes,
        }
    }

    /// A picture whose bytes never change under `id` (stored pictures are
    /// immutable): named by the id, so a repeat print hashes nothing.
    pub fn stored(id: &PictureId, bytes: Arc<[u8]>) -> Self {
        Self {
            key: images::id_key(id.as_str()),
            bytes,
        }
    }
}

/// Why a handout could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum HandoutError {
    /// The embedded font failed to parse (a build problem, not user input).
    #[error("the handout font could not be loaded")]
    Font,
    /// The share link does not fit in a QR code.
    #[error("the share link cannot be encoded as a QR code")]
    ShareUrl(#[source] qrcode::types::QrError),
    /// The PDF writer produced nothing.
    #[error("the PDF could not be written")]
    Pdf,
}

/// File name for the download; carries no patient data.
pub fn file_name(version: i32, draft: bool) -> String {
    if draft {
        "home-exercise-program-draft.pdf".to_owned()
    } else {
        format!("home-exercise-program-v{version}.pdf")
    }
}

/// Collects prepared images, each distinct one once.
struct ImageSet {
    prepared: Vec<Arc<images::PreparedImage>>,
}

impl ImageSet {
    /// Prepares `bytes` (named `key`) for a box of `box_pt`; a broken image
    /// is left out (and logged) rather than failing the whole handout.
    fn add(
        &mut self,
        key: [u8; 32],
        bytes: &[u8],
        box_pt: (f32, f32),
        what: &str,
    ) -> Option<ImageRef> {
        let img = match images::prepare(key, bytes, images::pixels_for(box_pt.0, box_pt.1)) {
            Ok(img) => img,
            Err(e) => {
                tracing::warn!(image = what, error = %e, "handout image left out: cannot decode");
                return None;
            }
        };
        let index = match self.prepared.iter().position(|p| Arc::ptr_eq(p, &img)) {
            Some(i) => i,
            None => {
                self.prepared.push(Arc::clone(&img));
                self.prepared.len() - 1
            }
        };
        Some(ImageRef {
            index,
            px_w: img.width,
            px_h: img.height,
        })
    }
}

/// Renders the handout as PDF bytes.
#[tracing::instrument(
    skip_all,
    fields(version = req.version.version, items = req.version.items.len(), large_print = req.large_print)
)]
pub fn render(req: &HandoutRequest<'_>) -> Result<Vec<u8>, HandoutError> {
    let fonts = fonts::get().ok_or(HandoutError::Font)?;
    let qr = req
        .share_url
        .map(qr::cached)
        .transpose()
        .map_err(HandoutError::ShareUrl)?;
    let (content, images) = prepare(req, fonts);
    let pages = layout::layout(&content, fonts);
    let timestamp = req
        .date
        .and_hms_opt(0, 0, 0)
        .map_or(0, |d| d.and_utc().timestamp());
    pdf::write(
        &pages,
        &images.prepared,
        qr.as_deref(),
        fonts,
        &pdf::Meta {
            author: &content.clinic_name,
            timestamp,
            id: fingerprint(req).first_chunk().copied().unwrap_or_default(),
        },
    )
}

/// A hash of everything that decides a handout's bytes: the engine's
/// release and revision, the clinic as printed (logo included), the version, the
/// options, the link, the pictures and the print date. `render` gives equal
/// bytes for equal fingerprints, so this is the download's ETag, computed
/// without rendering.
pub fn fingerprint(req: &HandoutRequest<'_>) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    // Every field is length-prefixed, so no two inputs run together alike.
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).as_bytes());
    field(&REVISION.to_le_bytes());
    field(req.clinic.name.as_bytes());
    field(req.clinic.contact_line.as_bytes());
    field(
        &req.clinic
            .logo
            .as_deref()
            .map(images::content_key)
            .unwrap_or_default(),
    );
    // The publishing time is not printed, and a draft preview's is "now":
    // left out, so a preview's fingerprint changes only with the draft.
    let version = Version {
        published_at: chrono::NaiveDateTime::default(),
        ..req.version.clone()
    };
    // A version that cannot be serialised (it always can) still differs by
    // its Debug text, so equal fingerprints still mean equal versions.
    field(&serde_json::to_vec(&version).unwrap_or_else(|_| format!("{version:?}").into_bytes()));
    field(req.paper.as_str().as_bytes());
    field(&[
        u8::from(req.large_print),
        u8::from(req.draft),
        u8::from(req.compact),
    ]);
    field(req.share_url.unwrap_or_default().as_bytes());
    field(&[u8::from(req.share_url.is_some())]);
    let mut pictures: Vec<(&ExerciseId, &Picture)> = req.images.iter().collect();
    pictures.sort_by(|a, b| a.0.cmp(b.0));
    for (exercise, picture) in pictures {
        field(exercise.to_string().as_bytes());
        field(&picture.key);
    }
    field(req.date.to_string().as_bytes());
    hash.finalize().into()
}

/// Cleans every text for the font and prepares the images.
fn prepare(req: &HandoutRequest<'_>, fonts: &fonts::Fonts) -> (Content, ImageSet) {
    let mut missing = BTreeSet::new();
    let mut clean = |text: &str| fonts.clean(text, &mut missing);
    let mut images = ImageSet {
        prepared: Vec::new(),
    };
    let image_box = layout::image_box(req.large_print, req.compact);
    let v = req.version;

    let exercises = v
        .items
        .iter()
        .map(|vi| ExerciseContent {
            name: clean(&vi.exercise.name),
            image: req.images.get(&vi.item.exercise_id).and_then(|p| {
                let what = vi.item.exercise_id.to_string();
                images.add(p.key, &p.bytes, image_box, &what)
            }),
            figure: vi.exercise.figure.as_ref().map(|figure| {
                let mirror = vi.item.side == Some(crate::domain::program::Side::Right);
                let mut scene = crate::domain::figure::scene::draw(figure, mirror);
                for shape in &mut scene.shapes {
                    if let crate::domain::figure::scene::Shape::Label { text, .. } = shape {
                        *text = clean(text);
                    }
                }
                std::sync::Arc::new(scene)
            }),
            dosage: clean(&vi.item.dosage_line()),
            steps: vi.exercise.steps.iter().map(|s| clean(s)).collect(),
            cues: vi.exercise.cues.iter().map(|s| clean(s)).collect(),
            stop_if: vi.exercise.stop_if.as_deref().map(&mut clean),
            note: vi.item.notes.as_deref().map(&mut clean),
        })
        .collect();
    let precautions = v
        .precautions
        .iter()
        .map(|p| PrecautionContent {
            label: clean(&p.label),
            avoid: clean(&p.patient_avoid),
            instead: clean(&p.patient_instead),
            take_care: p.patient_caution.as_deref().map(&mut clean),
            see_therapist_if: p.see_therapist_if.as_deref().map(&mut clean),
        })
        .collect();
    let logo = req.clinic.logo.as_deref().and_then(|bytes| {
        images.add(
            images::content_key(bytes),
            bytes,
            layout::logo_box(),
            "logo",
        )
    });
    let content = Content {
        page: size_pt(req.paper),
        large_print: req.large_print,
        compact: req.compact && !req.large_print,
        draft: req.draft,
        clinic_name: clean(&req.clinic.name),
        contact_line: clean(&req.clinic.contact_line),
        logo,
        title: clean(&v.title),
        patient: clean(&v.patient_display_name),
        date: req.date.format("%-d %B %Y").to_string(),
        therapist: clean(&v.therapist_name),
        version: v.version,
        notes: clean(&v.notes),
        exercises,
        precautions,
        share_url: req.share_url.map(&mut clean),
    };
    (content, images)
}
