//! The PDF file itself: metadata and file name free of patient data,
//! embedded font subsets, pictures embedded once as JPEG, the share link's
//! QR code as a vector drawing, and the paper size.

use super::*;

#[test]
fn metadata_has_the_title_and_no_patient_data() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_object(info_ref).unwrap().as_dict().unwrap();
    let text = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .unwrap_or_default()
    };
    assert_eq!(text(b"Title"), "Home exercise program");
    assert!(text(b"Author").is_empty() || text(b"Author") == clinic.name);
    assert!(text(b"Subject").is_empty());
    assert!(text(b"Keywords").is_empty());
    for (key, value) in info.iter() {
        let value = lopdf::decode_text_string(value).unwrap_or_default();
        for secret in ["Zoë", "Zoe", "José", "Hip strengthening"] {
            assert!(
                !value.contains(secret),
                "{secret} in /{}",
                String::from_utf8_lossy(key)
            );
        }
    }
    // Nor anywhere outside the page content (e.g. XMP metadata).
    assert!(!pdf.windows("Zoë".len()).any(|w| w == "Zoë".as_bytes()));
}

#[test]
fn file_names_carry_no_patient_data() {
    assert_eq!(file_name(3, false), "home-exercise-program-v3.pdf");
    assert_eq!(file_name(3, true), "home-exercise-program-draft.pdf");
}

#[test]
fn the_fonts_are_embedded_as_unicode_subsets() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let pdf = render(&request(&clinic, &v, &images)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        fonts += 1;
        let name =
            String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        assert!(
            name.contains('+') && name.contains("DejaVuSans"),
            "subset tag in {name}"
        );
        assert!(dict.get(b"ToUnicode").is_ok(), "{name} has a ToUnicode map");
    }
    assert_eq!(fonts, 2, "regular and bold");
    for obj in doc.objects.values() {
        if let Ok(stream) = obj.as_stream() {
            if let Ok(len) = stream.dict.get(b"Length1").and_then(|l| l.as_i64()) {
                assert!(
                    len < 150_000,
                    "a font program of {len} bytes is not a subset"
                );
            }
        }
    }
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
}

#[test]
fn exercise_images_and_the_logo_are_embedded_once_each_as_jpeg() {
    let clinic = ClinicInfo {
        logo: Some(png(300, 120, 9)),
        ..clinic()
    };
    let v = standard_version();
    let shared = png(600, 400, 1);
    let images: HashMap<ExerciseId, Picture> = [
        (
            ExerciseId::builtin("ex-0"),
            Picture::from_bytes(shared.clone()),
        ),
        (ExerciseId::builtin("ex-2"), Picture::from_bytes(shared)),
        (
            ExerciseId::builtin("ex-3"),
            Picture::from_bytes(png(400, 600, 2)),
        ),
        (
            ExerciseId::builtin("ex-4"),
            Picture::from_bytes(b"not an image".to_vec()),
        ),
    ]
    .into();
    let req = request(&clinic, &v, &images);
    let layout = layout_for(&req);
    let placed = layout
        .pages
        .iter()
        .flat_map(|p| &p.elements)
        .filter(|e| matches!(e, Element::Image(_)))
        .count();
    assert_eq!(
        placed, 4,
        "three exercise pictures and the logo; the broken one is left out"
    );
    assert_inside_the_page(&layout);
    let pdf = render(&req).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let xobjects = image_xobjects(&doc);
    assert_eq!(xobjects.len(), 3, "the shared picture is embedded once");
    for x in xobjects {
        assert_eq!(
            x.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"DCTDecode"
        );
    }
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
}

#[test]
fn the_footer_qr_code_is_a_vector_drawing_of_exactly_the_share_link() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let req = request(&clinic, &v, &images);
    let pdf = render(&req).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(
        image_xobjects(&doc).is_empty(),
        "no raster image for the QR code"
    );
    let forms: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Form".as_slice())
        })
        .collect();
    assert_eq!(forms.len(), 1, "one vector drawing, placed on every page");
    let drawn = forms[0].decompressed_content().unwrap();

    // Read the module grid back from the drawing and compare it with the
    // qrcode crate's own symbol for the link.
    let qr = qr::QrMatrix::new(URL).unwrap();
    assert_eq!(drawn, pdf::qr_form_content(&qr));
    let reference = qrcode::QrCode::with_error_correction_level(URL, qrcode::EcLevel::M).unwrap();
    let (w, q) = (reference.width(), qr::QUIET_ZONE);
    let n = w + 2 * q;
    let mut grid = vec![false; n * n];
    for line in String::from_utf8(drawn).unwrap().lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        if parts.last() != Some(&"re") {
            continue;
        }
        let num = |i: usize| parts[i].parse::<usize>().unwrap();
        let (x, y_up, len) = (num(0), num(1), num(2));
        assert_eq!(parts[3], "1");
        let row = n - 1 - y_up;
        for c in x..x + len {
            assert!(!grid[row * n + c]);
            grid[row * n + c] = true;
        }
    }
    let colors = reference.to_colors();
    for y in 0..n {
        for x in 0..n {
            let inside = (q..q + w).contains(&x) && (q..q + w).contains(&y);
            let dark = inside && colors[(y - q) * w + (x - q)] == qrcode::Color::Dark;
            assert_eq!(grid[y * n + x], dark, "module ({x}, {y})");
        }
    }

    // On every page: one code of about 16 mm, nothing drawn over it.
    let layout = layout_for(&req);
    for page in &layout.pages {
        let els: Vec<_> = page
            .elements
            .iter()
            .filter_map(|e| match e {
                Element::Qr(q) => Some(*q),
                _ => None,
            })
            .collect();
        assert_eq!(els.len(), 1, "one QR code per page");
        let el = els[0];
        assert!((el.size / layout::MM - 16.0).abs() < 0.5, "about 16 mm");
        for e in &page.elements {
            if let Element::Text(t) = e {
                let overlaps = t.right() > el.x
                    && t.x < el.x + el.size
                    && t.bottom() > el.y
                    && t.top() < el.y + el.size;
                assert!(!overlaps, "{:?} overlaps the QR code", t.text);
            }
        }
    }
}

#[test]
fn a4_pages_are_a4_and_letter_pages_are_letter() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    for (paper, w, h) in [(Paper::Letter, 612.0, 792.0), (Paper::A4, 595.28, 841.89)] {
        let mut req = request(&clinic, &v, &images);
        req.paper = paper;
        let doc = lopdf::Document::load_mem(&render(&req).unwrap()).unwrap();
        for (_, id) in doc.get_pages() {
            let page = doc.get_dictionary(id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let num =
                |o: &lopdf::Object| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32);
            assert!(
                (num(&mb[2]) - w).abs() < 0.1 && (num(&mb[3]) - h).abs() < 0.1,
                "{paper:?}"
            );
        }
    }
}

fn image_xobjects(doc: &lopdf::Document) -> Vec<&lopdf::Stream> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image".as_slice())
        })
        .collect()
}
