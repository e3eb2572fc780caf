//! `hep catalog figures`: every exercise's figure as SVG, the base poses
//! alone, and a contact sheet of them all for a reviewer to look at — as a
//! page (`index.html`) and as one picture (`contact-sheet.png`), drawn from
//! an SVG of the same grid with resvg and the handout's DejaVu Sans, so the
//! picture does not depend on the fonts or the browser of the machine.

use std::fmt::Write;
use std::sync::Arc;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};
use resvg::{tiny_skia, usvg};

use crate::catalog::Catalog;
use crate::domain::figure::spec::{Figure, Frame};
use crate::domain::figure::svg;
use crate::handout::fonts;
use crate::handout::layout::{truncate, wrap, Face, Metrics};

/// Width of the contact sheet picture in pixels.
pub const PNG_WIDTH: u32 = 1200;

/// The sheet's typeface, loaded from the bytes the handout embeds.
const FAMILY: &str = "DejaVu Sans";

// The sheet's geometry in SVG units (pixels at `PNG_WIDTH`).
const WIDTH: f32 = 1200.0;
const MARGIN: f32 = 16.0;
const GAP: f32 = 12.0;
const COLUMNS: usize = 4;
const CELL_WIDTH: f32 = (WIDTH - 2.0 * MARGIN - (COLUMNS as f32 - 1.0) * GAP) / COLUMNS as f32;
const PAD: f32 = 8.0;
const TEXT_WIDTH: f32 = CELL_WIDTH - 2.0 * PAD;
const FIGURE_HEIGHT: f32 = 170.0;
const HEADING_SIZE: f32 = 28.0;
const NAME_SIZE: f32 = 14.0;
const NAME_LINE: f32 = 18.0;
const NAME_LINES: usize = 3;
const TAG_SIZE: f32 = 11.5;
const TAG_LINE: f32 = 14.5;
const TAG_LINES: usize = 6;
const BORDER: &str = "#d5dde2";
const GREY: &str = "#52616b";

/// (file name, contents) of every file of the sheet: `<slug>.svg`,
/// `pose-<name>.svg`, `index.html` and `contact-sheet.png`.
pub fn contact_sheet(catalog: &Catalog) -> Result<Vec<(String, Vec<u8>)>, String> {
    let (mut files, svg) = sheet(catalog);
    files.push(("contact-sheet.png".into(), render_png(&svg, PNG_WIDTH)?));
    Ok(files)
}

/// One cell of the grid: a figure's SVG, a bold caption and grey tags.
struct Cell {
    figure: String,
    name: String,
    tags: String,
}

/// The text files of the sheet (figures and `index.html`) and the sheet as
/// one SVG document.
fn sheet(catalog: &Catalog) -> (Vec<(String, Vec<u8>)>, String) {
    let mut files = Vec::new();
    let mut html = String::from(
        "<!doctype html><meta charset=\"utf-8\"><title>hep figures</title>\
         <style>body{font:14px sans-serif;margin:16px;background:#fff}\
         .grid{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}\
         figure{margin:0;border:1px solid #d5dde2;border-radius:8px;padding:6px}\
         img{width:100%;height:170px;object-fit:contain}figcaption{font-weight:600}\
         small{display:block;color:#52616b;font-weight:400}</style>",
    );
    let drawn = catalog
        .exercises
        .iter()
        .filter(|e| e.figure.is_some())
        .count();
    let heading = format!("Exercise figures ({drawn} of {})", catalog.exercises.len());
    let _ = write!(
        html,
        "<h1>{heading}</h1><p>The same sheet as one picture: \
         <a href=\"contact-sheet.png\">contact-sheet.png</a></p><div class=\"grid\">"
    );
    let mut exercises = Vec::new();
    for exercise in &catalog.exercises {
        let Some(figure) = &exercise.figure else {
            continue;
        };
        let name = format!("{}.svg", exercise.slug);
        let drawing = svg(figure, &exercise.name, false);
        let tags = exercise.movement.join(", ");
        let _ = write!(
            html,
            "<figure><img src=\"{name}\" alt=\"\"><figcaption>{}<small>{}</small></figcaption></figure>",
            escape(&exercise.name),
            escape(&tags)
        );
        exercises.push(Cell {
            figure: drawing.clone(),
            name: exercise.name.clone(),
            tags,
        });
        files.push((name, drawing.into_bytes()));
    }
    html.push_str("</div><h1>Base poses</h1><div class=\"grid\">");
    let mut poses = Vec::new();
    for (pose_name, pose) in &catalog.poses {
        let alone = Figure {
            view: pose.view,
            support: pose.support,
            props: Vec::new(),
            frames: vec![Frame {
                label: pose_name.clone(),
                angles: pose.angles.clone(),
                hand: None,
            }],
        };
        let name = format!("pose-{pose_name}.svg");
        let drawing = svg(&alone, pose_name, false);
        let _ = write!(
            html,
            "<figure><img src=\"{name}\" alt=\"\"><figcaption>{pose_name}</figcaption></figure>"
        );
        poses.push(Cell {
            figure: drawing.clone(),
            name: pose_name.clone(),
            tags: String::new(),
        });
        files.push((name, drawing.into_bytes()));
    }
    html.push_str("</div>");
    files.push(("index.html".into(), html.into_bytes()));
    let svg = sheet_svg(&[(&heading, &exercises), ("Base poses", &poses)]);
    (files, svg)
}

/// The sheet as one SVG, `WIDTH` wide: each section a heading and a grid
/// of bordered cells, a row as tall as its tallest cell.
fn sheet_svg(sections: &[(&str, &[Cell])]) -> String {
    let rough = Rough;
    let metrics: &dyn Metrics = match fonts::get() {
        Some(fonts) => fonts,
        None => &rough,
    };
    let mut body = String::new();
    let mut y = MARGIN;
    for (heading, cells) in sections {
        let _ = write!(
            body,
            r#"<text x="{MARGIN}" y="{:.1}" font-size="{HEADING_SIZE}" font-weight="bold">{}</text>"#,
            y + HEADING_SIZE,
            escape(heading)
        );
        y += HEADING_SIZE + 26.0;
        for row in cells.chunks(COLUMNS) {
            let captions: Vec<(Vec<String>, Vec<String>)> = row
                .iter()
                .map(|cell| {
                    (
                        lines(metrics, Face::Bold, NAME_SIZE, &cell.name, NAME_LINES),
                        lines(metrics, Face::Regular, TAG_SIZE, &cell.tags, TAG_LINES),
                    )
                })
                .collect();
            let height = captions
                .iter()
                .map(|(name, tags)| cell_height(name.len(), tags.len()))
                .fold(0.0, f32::max);
            for (column, (cell, (name, tags))) in row.iter().zip(&captions).enumerate() {
                let x = MARGIN + column as f32 * (CELL_WIDTH + GAP);
                draw_cell(&mut body, x, y, height, cell, name, tags);
            }
            y += height + GAP;
        }
        y += 16.0;
    }
    let height = (y - 16.0 - GAP + MARGIN).ceil();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FAMILY}"><rect width="100%" height="100%" fill="#fff"/>{body}</svg>"##
    )
}

/// Height of a cell with that many name and tag lines.
fn cell_height(name_lines: usize, tag_lines: usize) -> f32 {
    let tags = if tag_lines == 0 {
        0.0
    } else {
        3.0 + tag_lines as f32 * TAG_LINE
    };
    PAD + FIGURE_HEIGHT + 8.0 + name_lines as f32 * NAME_LINE + tags + PAD
}

fn draw_cell(
    out: &mut String,
    x: f32,
    y: f32,
    height: f32,
    cell: &Cell,
    name: &[String],
    tags: &[String],
) {
    let _ = write!(
        out,
        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="none" stroke="{BORDER}"/>"#,
        x + 0.5,
        y + 0.5,
        CELL_WIDTH - 1.0,
        height - 1.0
    );
    if let Some(nested) = nested(&cell.figure, x + PAD, y + PAD, TEXT_WIDTH, FIGURE_HEIGHT) {
        out.push_str(&nested);
    }
    let mut baseline = y + PAD + FIGURE_HEIGHT + 8.0 + NAME_SIZE;
    for line in name {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{baseline:.1}" font-size="{NAME_SIZE}" font-weight="bold" fill="#000">{}</text>"##,
            x + PAD,
            escape(line)
        );
        baseline += NAME_LINE;
    }
    baseline += 3.0 + TAG_SIZE - NAME_SIZE;
    for line in tags {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{baseline:.1}" font-size="{TAG_SIZE}" fill="{GREY}">{}</text>"#,
            x + PAD,
            escape(line)
        );
        baseline += TAG_LINE;
    }
}

/// `figure` (a standalone SVG, kept as it is) scaled to fit the box and
/// centred in it: a nested `<svg>` whose view box is the figure's own size.
/// None when the figure is not an SVG with a size.
fn nested(figure: &str, x: f32, y: f32, width: f32, height: f32) -> Option<String> {
    let doc = usvg::roxmltree::Document::parse(figure).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return None;
    }
    let length = |name: &str| {
        root.attribute(name)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f32>().ok())
            .filter(|v| *v > 0.0)
    };
    let view_box = root.attribute("viewBox").and_then(|v| {
        let n: Vec<f32> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match n[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    // The figure is drawn at its width and height if it has them (its
    // view box scaled into them), else it fills whatever holds it.
    let (w, h) = match (length("width"), length("height")) {
        (Some(w), Some(h)) => (w, h),
        _ => view_box?,
    };
    Some(format!(
        r#"<svg x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" viewBox="0 0 {w} {h}">{}</svg>"#,
        &figure[root.range()]
    ))
}

/// `text` wrapped to a cell's width in at most `max` lines, the last one
/// shortened with an ellipsis if the text goes on.
fn lines(metrics: &dyn Metrics, face: Face, size: f32, text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = wrap(metrics, face, size, text, TEXT_WIDTH)
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    if lines.len() > max {
        let rest = lines.split_off(max - 1).join(" ");
        lines.push(truncate(metrics, face, size, &rest, TEXT_WIDTH).0);
    }
    lines
}

/// Widths for when the handout font cannot be parsed (it is compiled in,
/// so never in practice): generous, so text still fits.
struct Rough;

impl Metrics for Rough {
    fn advance(&self, face: Face, _: char) -> f32 {
        match face {
            Face::Regular => 0.62,
            Face::Bold => 0.7,
        }
    }
    fn ascent(&self) -> f32 {
        0.93
    }
    fn descent(&self) -> f32 {
        0.24
    }
}

/// Parsing options with DejaVu Sans, regular and bold, as the only font,
/// also standing for `sans-serif` (the figures' frame labels): no system
/// fonts, so the picture is the same on every machine.
fn options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: FAMILY.into(),
        ..usvg::Options::default()
    };
    let db = options.fontdb_mut();
    for face in [dejavu::sans::regular(), dejavu::sans::bold()] {
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(face)));
    }
    db.set_sans_serif_family(FAMILY);
    options
}

/// `svg` rendered `width` pixels wide (height in proportion) on white, as
/// an RGB PNG.
pub fn render_png(svg: &str, width: u32) -> Result<Vec<u8>, String> {
    let tree =
        usvg::Tree::from_str(svg, &options()).map_err(|e| format!("contact sheet SVG: {e}"))?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("contact sheet: cannot make a {width}×{height} picture"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque (drawn on white), so premultiplied RGBA is plain RGB plus 255.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Default, FilterType::Adaptive)
        .write_image(&rgb, width, height, ExtendedColorType::Rgb8)
        .map_err(|e| format!("contact sheet PNG: {e}"))?;
    Ok(png)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink(pixel: &image::Rgb<u8>) -> bool {
        pixel.0.iter().any(|&c| c < 200)
    }

    #[test]
    fn the_contact_sheet_png_shows_every_figure_of_the_catalog() {
        let catalog = crate::catalog::checked_builtin();
        let files = contact_sheet(&catalog).expect("contact sheet");
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert!(names.contains(&"index.html"), "{names:?}");
        let (_, png) = files
            .iter()
            .find(|(name, _)| name == "contact-sheet.png")
            .expect("a contact-sheet.png");
        let picture = image::load_from_memory(png).expect("a PNG").to_rgb8();
        let (width, height) = picture.dimensions();
        assert_eq!(width, PNG_WIDTH);
        assert!(width >= 1000);

        let figures = catalog
            .exercises
            .iter()
            .filter(|e| e.figure.is_some())
            .count();
        assert!(figures > 100, "{figures} figures");
        let rows = figures.div_ceil(COLUMNS) + catalog.poses.len().div_ceil(COLUMNS);
        let smallest_row = cell_height(1, 0) + GAP;
        assert!(
            height as f32 >= rows as f32 * smallest_row,
            "{height} px is too short for {rows} rows"
        );

        let inked = picture.pixels().filter(|p| ink(p)).count();
        let share = inked as f64 / f64::from(width * height);
        assert!(
            share > 0.03,
            "only {:.2} % of the pixels are drawn",
            share * 100.0
        );
        // The last rows (base poses) are drawn too, not cut off or blank.
        let bottom = picture
            .enumerate_pixels()
            .filter(|(_, y, p)| *y > height - 200 && ink(p))
            .count();
        assert!(bottom > 2_000, "{bottom} drawn pixels in the last 200 rows");
    }

    #[test]
    fn each_figure_is_nested_in_the_sheet_svg_once() {
        let catalog = crate::catalog::checked_builtin();
        let (_, svg) = sheet(&catalog);
        let figures = catalog
            .exercises
            .iter()
            .filter(|e| e.figure.is_some())
            .count();
        let nested = svg.matches(r#"<svg x=""#).count();
        assert_eq!(nested, figures + catalog.poses.len());
        assert!(svg.contains(r#"font-family="DejaVu Sans""#));
        usvg::Tree::from_str(&svg, &options()).expect("the sheet SVG parses");
    }

    #[test]
    fn a_figure_is_scaled_into_its_box_by_its_own_size() {
        let figure = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" width="300" height="150"><title>A &amp; B</title><g><line x1="0" y1="0" x2="300" y2="150" stroke="#000"/></g></svg>"##;
        let nested = nested(figure, 10.0, 20.0, 200.0, 170.0).expect("nested");
        assert!(
            nested.starts_with(
                r#"<svg x="10.0" y="20.0" width="200.0" height="170.0" viewBox="0 0 300 150">"#
            ),
            "{nested}"
        );
        assert!(nested.contains(figure));
        // Only a view box: it sizes the figure.
        let bare = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 40"><g/></svg>"#;
        assert!(nested_view_box(bare).contains(r#"viewBox="0 0 80 40""#));
        assert_eq!(super::nested("not svg", 0.0, 0.0, 1.0, 1.0), None);
        assert_eq!(super::nested("<svg/>", 0.0, 0.0, 1.0, 1.0), None);
    }

    fn nested_view_box(figure: &str) -> String {
        nested(figure, 0.0, 0.0, 100.0, 100.0).expect("nested")
    }

    #[test]
    fn long_names_wrap_and_are_shortened_within_a_cell() {
        let fonts = fonts::get().expect("fonts");
        let name = "Side-lying shoulder outward turn with weight and a band, slowly, \
                    both sides, holding at the end of the movement for five seconds";
        let wrapped = lines(fonts, Face::Bold, NAME_SIZE, name, NAME_LINES);
        assert_eq!(wrapped.len(), NAME_LINES);
        assert!(wrapped[NAME_LINES - 1].ends_with('…'), "{wrapped:?}");
        for line in &wrapped {
            assert!(
                fonts.width(Face::Bold, NAME_SIZE, line) <= TEXT_WIDTH + 0.1,
                "{line}"
            );
        }
        let unbroken = "x".repeat(200);
        for line in lines(fonts, Face::Regular, TAG_SIZE, &unbroken, TAG_LINES) {
            assert!(fonts.width(Face::Regular, TAG_SIZE, &line) <= TEXT_WIDTH + 0.1);
        }
        assert!(lines(fonts, Face::Regular, TAG_SIZE, "", TAG_LINES).is_empty());
    }

    #[test]
    fn sans_serif_text_renders_without_system_fonts() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="sans-serif" font-size="24">Start</text></svg>"#;
        let png = render_png(svg, 200).expect("render");
        let picture = image::load_from_memory(&png).expect("a PNG").to_rgb8();
        assert_eq!(picture.dimensions(), (200, 40));
        let inked = picture.pixels().filter(|p| ink(p)).count();
        assert!(
            inked > 100,
            "{inked} drawn pixels: the label did not render"
        );
    }
}
