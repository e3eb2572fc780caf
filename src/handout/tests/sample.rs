//! Writes the sample handouts in `docs/` (an ignored test, run by hand),
//! with the line-drawing picture and the logo it prints.

use std::io::Cursor;

use super::*;

/// Writes `docs/handout-sample.pdf` (or into `$HANDOUT_SAMPLE_DIR`):
/// `cargo test --lib handout::tests::sample::write_sample -- --ignored`.
#[test]
#[ignore]
fn write_sample() {
    let dir = std::env::var("HANDOUT_SAMPLE_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/docs").to_owned());
    let clinic = ClinicInfo {
        logo: Some(logo()),
        ..clinic()
    };
    let mut v = standard_version();
    v.patient_display_name = "Zoë N.".into();
    v.items[0].item.notes = Some("Push through your heels, not your toes.".into());
    v.items[3].item.dosage.hold_seconds = None;
    v.items[3].item.side = None;
    let images: HashMap<ExerciseId, Picture> = [
        (
            ExerciseId::builtin("ex-0"),
            Picture::from_bytes(illustration()),
        ),
        (
            ExerciseId::builtin("ex-2"),
            Picture::from_bytes(illustration()),
        ),
    ]
    .into();
    for (name, large_print, draft) in [
        ("handout-sample", false, false),
        ("handout-sample-large-print", true, true),
    ] {
        let mut req = request(&clinic, &v, &images);
        req.large_print = large_print;
        req.draft = draft;
        let pdf = render(&req).unwrap();
        std::fs::write(format!("{dir}/{name}.pdf"), &pdf).unwrap();
        eprintln!("{name}: {} bytes", pdf.len());
    }
}

/// A simple line drawing: a figure lying on a mat, knees bent.
fn illustration() -> Vec<u8> {
    let (w, h) = (600u32, 400u32);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([250, 251, 252]));
    let mut disc = |cx: f32, cy: f32, r: f32, c: [u8; 3]| {
        let (x0, x1) = ((cx - r).max(0.0) as u32, ((cx + r) as u32 + 1).min(w));
        let (y0, y1) = ((cy - r).max(0.0) as u32, ((cy + r) as u32 + 1).min(h));
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                if dx * dx + dy * dy <= r * r {
                    img.put_pixel(x, y, image::Rgb(c));
                }
            }
        }
    };
    let limb = [31, 111, 120];
    // Mat.
    for x in 40..560 {
        for y in 330..345 {
            disc(x as f32, y as f32, 0.5, [200, 214, 217]);
        }
    }
    disc(130.0, 290.0, 34.0, [60, 70, 76]);
    let mut line = |x0: f32, y0: f32, x1: f32, y1: f32| {
        for i in 0..=120 {
            let t = i as f32 / 120.0;
            disc(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, 13.0, limb);
        }
    };
    line(165.0, 300.0, 330.0, 300.0);
    line(330.0, 300.0, 410.0, 200.0);
    line(410.0, 200.0, 470.0, 320.0);
    line(200.0, 300.0, 300.0, 320.0);
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A plain two-colour logo mark with transparency.
fn logo() -> Vec<u8> {
    let (w, h) = (360u32, 120u32);
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - 60.0, y as f32 - 60.0);
        let d = (dx * dx + dy * dy).sqrt();
        if d < 50.0 && d > 34.0 {
            image::Rgba([31, 111, 120, 255])
        } else if d <= 34.0 && (dx.abs() < 8.0 || dy.abs() < 8.0) {
            image::Rgba([180, 83, 9, 255])
        } else if x > 130 && x < 340 && (y / 12) % 3 == 1 && y > 30 && y < 100 {
            image::Rgba([18, 75, 82, 255 - (x as u8 / 3)])
        } else {
            image::Rgba([255, 255, 255, 0])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}
