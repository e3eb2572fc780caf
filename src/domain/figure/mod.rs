//! Exercise figures drawn from poses: a 2D body model (side and front
//! views) posed by joint angles, placed on what it rests on, and drawn in
//! one style as shapes that become SVG for the web and vector paths in the
//! handout. Figures are data, so they can be checked against an exercise's
//! movement tags.

pub mod body;
pub mod check;
pub mod scene;
pub mod spec;

pub use body::{Joint, View};
pub use spec::{BasePose, Figure, FigureInput, Support};

/// The figure as SVG, mirrored for the other side of the body.
pub fn svg(figure: &Figure, title: &str, mirror: bool) -> String {
    scene::svg(&scene::draw(figure, mirror), title)
}
