//! `hep catalog figures`: every exercise's figure as SVG, the base poses
//! alone, and a contact sheet page of them all for a reviewer to look at.

use std::fmt::Write;

use super::Catalog;
use crate::domain::figure::spec::{Figure, Frame};
use crate::domain::figure::svg;

/// (file name, contents) of every file of the sheet: `<slug>.svg`,
/// `pose-<name>.svg` and `index.html`.
pub fn contact_sheet(catalog: &Catalog) -> Vec<(String, String)> {
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
    let _ = write!(
        html,
        "<h1>Exercise figures ({drawn} of {})</h1><div class=\"grid\">",
        catalog.exercises.len()
    );
    for exercise in &catalog.exercises {
        let Some(figure) = &exercise.figure else {
            continue;
        };
        let name = format!("{}.svg", exercise.slug);
        files.push((name.clone(), svg(figure, &exercise.name, false)));
        let _ = write!(
            html,
            "<figure><img src=\"{name}\" alt=\"\"><figcaption>{}<small>{}</small></figcaption></figure>",
            escape(&exercise.name),
            escape(&exercise.movement.join(", "))
        );
    }
    html.push_str("</div><h1>Base poses</h1><div class=\"grid\">");
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
        files.push((name.clone(), svg(&alone, pose_name, false)));
        let _ = write!(
            html,
            "<figure><img src=\"{name}\" alt=\"\"><figcaption>{pose_name}</figcaption></figure>"
        );
    }
    html.push_str("</div>");
    files.push(("index.html".into(), html));
    files
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}
