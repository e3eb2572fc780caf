//! Reproducible files: the same request gives the same bytes (so a
//! download can carry an ETag), and what the reader would see differently
//! gives different bytes and a different fingerprint.

use super::*;

/// The subset tag of each embedded font, by font name (`DejaVuSans` →
/// `ABCDEF`), as the Type0 font, its CID font and its descriptor name it.
fn subset_tags(pdf: &[u8]) -> Vec<(String, String)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut tags = Vec::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let base =
            String::from_utf8_lossy(dict.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
        let cid = dict.get(b"DescendantFonts").unwrap().as_array().unwrap()[0].clone();
        let cid = match cid {
            lopdf::Object::Reference(r) => doc.get_object(r).unwrap().as_dict().unwrap().clone(),
            other => other.as_dict().unwrap().clone(),
        };
        let cid_name = cid.get(b"BaseFont").unwrap().as_name().unwrap();
        let descriptor = doc
            .get_object(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        let font_name = descriptor.get(b"FontName").unwrap().as_name().unwrap();
        assert_eq!(cid_name, base.as_bytes(), "CID font of {base}");
        assert_eq!(font_name, base.as_bytes(), "descriptor of {base}");
        let (tag, face) = base.split_once('+').unwrap();
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{base}"
        );
        tags.push((face.to_owned(), tag.to_owned()));
    }
    tags.sort();
    tags
}

#[test]
fn the_same_request_renders_the_same_bytes() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let req = request(&clinic, &v, &images);
    let (a, b) = (render(&req).unwrap(), render(&req).unwrap());
    assert!(a == b, "two renders of one request differ");
}

#[test]
fn a_draft_with_pictures_and_a_logo_renders_the_same_bytes() {
    let mut clinic = clinic();
    clinic.logo = Some(png(300, 120, 9));
    let v = standard_version();
    let images: HashMap<_, _> = v
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            (
                it.item.exercise_id,
                Picture::from_bytes(png(60, 40, i as u8)),
            )
        })
        .collect();
    let req = HandoutRequest {
        draft: true,
        large_print: true,
        ..request(&clinic, &v, &images)
    };
    assert!(render(&req).unwrap() == render(&req).unwrap());
    assert_eq!(fingerprint(&req), fingerprint(&req));
}

#[test]
fn paper_print_size_link_and_date_each_change_the_bytes_and_the_fingerprint() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let base = request(&clinic, &v, &images);
    let variants = [
        HandoutRequest {
            paper: Paper::A4,
            ..base.clone()
        },
        HandoutRequest {
            large_print: true,
            ..base.clone()
        },
        HandoutRequest {
            compact: true,
            ..base.clone()
        },
        HandoutRequest {
            share_url: Some("https://hep.example/p/another-link"),
            ..base.clone()
        },
        HandoutRequest {
            share_url: None,
            ..base.clone()
        },
        HandoutRequest {
            date: NaiveDate::from_ymd_opt(2025, 3, 13).unwrap(),
            ..base.clone()
        },
    ];
    let pdf = render(&base).unwrap();
    for other in &variants {
        assert!(render(other).unwrap() != pdf, "{other:?} printed alike");
        assert_ne!(fingerprint(other), fingerprint(&base), "{other:?}");
    }
}

#[test]
fn the_file_identifier_names_the_inputs() {
    let (clinic, v, images) = (clinic(), standard_version(), HashMap::new());
    let req = request(&clinic, &v, &images);
    let id = |req: &HandoutRequest<'_>| {
        let doc = lopdf::Document::load_mem(&render(req).unwrap()).unwrap();
        doc.trailer.get(b"ID").unwrap().as_array().unwrap().clone()
    };
    let first = id(&req);
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].as_str().unwrap(), &fingerprint(&req)[..16]);
    let a4 = HandoutRequest {
        paper: Paper::A4,
        ..req.clone()
    };
    assert_ne!(id(&a4), first);
}

#[test]
fn subset_tags_follow_the_glyphs_the_subset_holds() {
    let (clinic, images) = (clinic(), HashMap::new());
    let v = standard_version();
    let mut same_letters = standard_version();
    same_letters.items.reverse();
    let mut other_text = standard_version();
    other_text.notes.push_str(" Quiz: jump 7×?");
    let tags = |v: &Version| subset_tags(&render(&request(&clinic, v, &images)).unwrap());
    let base = tags(&v);
    assert_eq!(base.len(), 2, "{base:?}");
    assert_ne!(base[0].1, base[1].1, "regular and bold share a tag");
    assert_eq!(tags(&same_letters), base, "the same glyphs, another tag");
    let other = tags(&other_text);
    let regular = |t: &[(String, String)]| t.iter().find(|(f, _)| f == "DejaVuSans").cloned();
    assert_ne!(regular(&other), regular(&base), "more glyphs, the same tag");
}
