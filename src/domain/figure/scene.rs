//! A figure drawn: each frame's skeleton placed on its support, turned
//! into shapes in one style (filled rounded limbs, the far side lighter,
//! the moving parts in the accent colour, props in pale grey), panels side
//! by side with their labels. The same shapes become SVG here and vector
//! paths in the handout; both are deterministic.

use std::fmt::Write;

use super::body::{length, pose, Joint, Point, Skeleton, View, FAR, NEAR};
use super::spec::{Figure, Support};

/// Colours, as RGB.
pub mod ink {
    pub const BODY: (u8, u8, u8) = (0x4a, 0x5a, 0x66);
    pub const BODY_FAR: (u8, u8, u8) = (0xb4, 0xbe, 0xc6);
    pub const MOVING: (u8, u8, u8) = (0x0f, 0x6c, 0x74);
    pub const MOVING_FAR: (u8, u8, u8) = (0x86, 0xbc, 0xc0);
    pub const PROP: (u8, u8, u8) = (0xe3, 0xe8, 0xeb);
    pub const PROP_EDGE: (u8, u8, u8) = (0x9a, 0xa7, 0xb0);
    pub const FLOOR: (u8, u8, u8) = (0x9a, 0xa7, 0xb0);
    pub const LABEL: (u8, u8, u8) = (0x1d, 0x2a, 0x33);
}

/// One thing to draw, in figure units (a standing body is 1.0 tall), y up.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A limb: a line with round ends.
    Capsule {
        from: Point,
        to: Point,
        width: f32,
        ink: (u8, u8, u8),
    },
    Disc {
        center: Point,
        radius: f32,
        ink: (u8, u8, u8),
    },
    /// A prop's outline: a filled rectangle with an edge.
    Block {
        min: Point,
        max: Point,
        fill: (u8, u8, u8),
        edge: (u8, u8, u8),
    },
    /// A thin line (floor, band, strap).
    Line {
        from: Point,
        to: Point,
        width: f32,
        ink: (u8, u8, u8),
    },
    Label {
        at: Point,
        text: String,
    },
}

/// A drawn figure: shapes within `width` × `height`, y up from 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

/// Which segments move between frames, so they are drawn in the accent.
#[derive(Debug, Clone, Copy, Default)]
struct Moving {
    trunk: bool,
    head: bool,
    thigh: [bool; 2],
    shank: [bool; 2],
    foot: [bool; 2],
    upper_arm: [bool; 2],
    forearm: [bool; 2],
}

fn moving(figure: &Figure) -> Moving {
    let changes = |joint: Joint| figure.max(joint) - figure.min(joint) >= 5.0;
    let mut m = Moving {
        trunk: changes(Joint::Lumbar) || changes(Joint::Thoracic),
        head: changes(Joint::Neck),
        ..Moving::default()
    };
    let limbs = [
        [
            Joint::HipNear,
            Joint::KneeNear,
            Joint::AnkleNear,
            Joint::ShoulderNear,
            Joint::ElbowNear,
            Joint::WristNear,
        ],
        [
            Joint::HipFar,
            Joint::KneeFar,
            Joint::AnkleFar,
            Joint::ShoulderFar,
            Joint::ElbowFar,
            Joint::WristFar,
        ],
    ];
    for (i, [hip, knee, ankle, shoulder, elbow, wrist]) in limbs.into_iter().enumerate() {
        m.thigh[i] = changes(hip);
        m.shank[i] = m.thigh[i] || changes(knee);
        m.foot[i] = m.shank[i] || changes(ankle);
        m.upper_arm[i] = changes(shoulder);
        m.forearm[i] = m.upper_arm[i] || changes(elbow) || changes(wrist);
    }
    // A whole-body movement with the limbs still (sit to stand, a bridge)
    // shows in the trunk.
    if !m.trunk && changes(Joint::Body) {
        m.trunk = true;
    }
    m
}

/// Where the body's resting points meet its support, and how high that
/// surface is above the floor.
pub fn surface(support: Support) -> f32 {
    match support {
        Support::Floor => 0.0,
        Support::Bed => 0.3,
        Support::Chair => 0.26,
        Support::Ball => 0.3,
        Support::Roller => 0.09,
    }
}

/// Every point of the body with the half-thickness drawn around it, so
/// resting means the drawn outline touches, not the centre line.
pub fn outline(b: &Skeleton) -> Vec<(Point, f32)> {
    let mut all = vec![
        (b.hip_center, TRUNK),
        (b.lumbar_base, TRUNK),
        (b.thoracic_base, TRUNK),
        (b.neck_base, TRUNK),
        (b.head, length::HEAD_RADIUS),
    ];
    for i in [NEAR, FAR] {
        all.extend([
            (b.shoulder[i], TRUNK),
            (b.elbow[i], 0.026),
            (b.wrist[i], 0.022),
            (b.hand[i], 0.018),
            (b.knee[i], 0.033),
            (b.ankle[i], 0.029),
            (b.heel[i], 0.018),
            (b.toe[i], 0.018),
        ]);
    }
    all
}

/// Half the trunk's drawn thickness from the side.
const TRUNK: f32 = 0.062;

/// The lowest drawn edge of `parts`.
fn lowest(parts: &[(Point, f32)]) -> f32 {
    parts.iter().map(|(p, r)| p.y - r).fold(f32::MAX, f32::min)
}

/// Places a skeleton on its support: its resting parts touch the surface
/// and nothing goes below the floor.
pub fn place(skeleton: &Skeleton, support: Support) -> Skeleton {
    let top = surface(support);
    let all = outline(skeleton);
    let resting: Vec<(Point, f32)> = match support {
        Support::Floor | Support::Bed => all.clone(),
        // Sitting: the buttocks, just below the hip joints.
        Support::Chair | Support::Ball => vec![(skeleton.hip_center, 0.045)],
        Support::Roller => vec![
            (skeleton.lumbar_base, TRUNK),
            (skeleton.thoracic_base, TRUNK),
        ],
    };
    let placed = skeleton.shifted(0.0, top - lowest(&resting));
    // Feet may hang above the floor from a chair, never below it.
    let floor = lowest(&outline(&placed));
    if floor < 0.0 {
        placed.shifted(0.0, -floor)
    } else {
        placed
    }
}

/// The posed, placed skeleton of every frame.
pub fn skeletons(figure: &Figure) -> Vec<Skeleton> {
    figure
        .frames
        .iter()
        .map(|f| place(&pose(figure.view, &f.angles), figure.support))
        .collect()
}

const PANEL_GAP: f32 = 0.25;
const MARGIN: f32 = 0.08;
const LABEL_SPACE: f32 = 0.16;

/// Draws the figure: one panel per frame, left to right, each mirrored
/// when `mirror` (the exercise done on the other side of the body).
pub fn draw(figure: &Figure, mirror: bool) -> Scene {
    let m = moving(figure);
    let bodies = skeletons(figure);
    let mut shapes = Vec::new();
    let mut x = MARGIN;
    let mut height: f32 = 0.0;
    for (frame, body) in figure.frames.iter().zip(&bodies) {
        let mut panel = Vec::new();
        props(figure, body, &mut panel);
        limbs(figure.view, body, &m, &mut panel);
        if mirror {
            panel = panel.into_iter().map(flip).collect();
        }
        let (min_x, max_x, max_y) = bounds(&panel);
        let dx = x - min_x;
        for shape in panel {
            shapes.push(shift(shape, dx, LABEL_SPACE));
        }
        shapes.push(Shape::Label {
            at: Point::new(x + (max_x - min_x) / 2.0, 0.03),
            text: frame.label.clone(),
        });
        height = height.max(max_y + LABEL_SPACE + MARGIN);
        x += max_x - min_x + PANEL_GAP;
    }
    Scene {
        width: x - PANEL_GAP + MARGIN,
        height,
        shapes,
    }
}

fn bounds(shapes: &[Shape]) -> (f32, f32, f32) {
    let mut min_x = f32::MAX;
    let mut max_x = f32::MIN;
    let mut max_y: f32 = 0.0;
    let mut grow = |p: Point, pad: f32| {
        min_x = min_x.min(p.x - pad);
        max_x = max_x.max(p.x + pad);
        max_y = max_y.max(p.y + pad);
    };
    for shape in shapes {
        match shape {
            Shape::Capsule {
                from, to, width, ..
            }
            | Shape::Line {
                from, to, width, ..
            } => {
                grow(*from, width / 2.0);
                grow(*to, width / 2.0);
            }
            Shape::Disc { center, radius, .. } => grow(*center, *radius),
            Shape::Block { min, max, .. } => {
                grow(*min, 0.0);
                grow(*max, 0.0);
            }
            Shape::Label { at, .. } => grow(*at, 0.0),
        }
    }
    (min_x, max_x, max_y)
}

/// The shape with every point moved by `f`; a block keeps its corners in
/// order (a mirror swaps its left and right).
fn transform(shape: Shape, f: impl Fn(Point) -> Point) -> Shape {
    match shape {
        Shape::Capsule {
            from,
            to,
            width,
            ink,
        } => Shape::Capsule {
            from: f(from),
            to: f(to),
            width,
            ink,
        },
        Shape::Line {
            from,
            to,
            width,
            ink,
        } => Shape::Line {
            from: f(from),
            to: f(to),
            width,
            ink,
        },
        Shape::Disc {
            center,
            radius,
            ink,
        } => Shape::Disc {
            center: f(center),
            radius,
            ink,
        },
        Shape::Block {
            min,
            max,
            fill,
            edge,
        } => {
            let (a, b) = (f(min), f(max));
            Shape::Block {
                min: Point::new(a.x.min(b.x), a.y.min(b.y)),
                max: Point::new(a.x.max(b.x), a.y.max(b.y)),
                fill,
                edge,
            }
        }
        Shape::Label { at, text } => Shape::Label { at: f(at), text },
    }
}

/// The shape seen in a mirror (x negated).
fn flip(shape: Shape) -> Shape {
    transform(shape, |p| Point::new(-p.x, p.y))
}

fn shift(shape: Shape, dx: f32, dy: f32) -> Shape {
    transform(shape, |p| Point::new(p.x + dx, p.y + dy))
}

fn limbs(view: View, b: &Skeleton, m: &Moving, out: &mut Vec<Shape>) {
    let cap = |from, to, width, moving: bool, far: bool| Shape::Capsule {
        from,
        to,
        width,
        ink: match (moving, far) {
            (false, false) => ink::BODY,
            (false, true) => ink::BODY_FAR,
            (true, false) => ink::MOVING,
            (true, true) => ink::MOVING_FAR,
        },
    };
    // From the side the far limbs go behind the trunk; from the front both
    // sides are equally near.
    let far_side = view == View::Side;
    let order = [FAR, NEAR];
    for i in order {
        let far = far_side && i == FAR;
        out.push(cap(b.hip[i], b.knee[i], 0.075, m.thigh[i], far));
        out.push(cap(b.knee[i], b.ankle[i], 0.058, m.shank[i], far));
        out.push(cap(b.heel[i], b.toe[i], 0.035, m.foot[i], far));
        if i == FAR && far_side {
            out.push(cap(b.shoulder[i], b.elbow[i], 0.052, m.upper_arm[i], true));
            out.push(cap(b.elbow[i], b.wrist[i], 0.044, m.forearm[i], true));
            out.push(cap(b.wrist[i], b.hand[i], 0.036, m.forearm[i], true));
        }
    }
    let trunk = if m.trunk { ink::MOVING } else { ink::BODY };
    out.push(Shape::Capsule {
        from: b.hip_center,
        to: b.lumbar_base,
        width: if view == View::Front { 0.2 } else { 0.13 },
        ink: trunk,
    });
    out.push(Shape::Capsule {
        from: b.lumbar_base,
        to: b.thoracic_base,
        width: if view == View::Front { 0.19 } else { 0.12 },
        ink: trunk,
    });
    out.push(Shape::Capsule {
        from: b.thoracic_base,
        to: b.neck_base,
        width: if view == View::Front { 0.22 } else { 0.13 },
        ink: trunk,
    });
    let head = if m.head { ink::MOVING } else { ink::BODY };
    out.push(Shape::Capsule {
        from: b.neck_base,
        to: b.head,
        width: 0.045,
        ink: head,
    });
    out.push(Shape::Disc {
        center: b.head,
        radius: length::HEAD_RADIUS,
        ink: head,
    });
    let arms: &[usize] = if far_side { &[NEAR] } else { &[FAR, NEAR] };
    for &i in arms {
        out.push(cap(b.shoulder[i], b.elbow[i], 0.052, m.upper_arm[i], false));
        out.push(cap(b.elbow[i], b.wrist[i], 0.044, m.forearm[i], false));
        out.push(cap(b.wrist[i], b.hand[i], 0.036, m.forearm[i], false));
    }
}

fn block(min: Point, max: Point) -> Shape {
    Shape::Block {
        min,
        max,
        fill: ink::PROP,
        edge: ink::PROP_EDGE,
    }
}

fn line(from: Point, to: Point, width: f32) -> Shape {
    Shape::Line {
        from,
        to,
        width,
        ink: ink::PROP_EDGE,
    }
}

/// The props of a frame, placed against the body: drawn first, behind it.
fn props(figure: &Figure, b: &Skeleton, out: &mut Vec<Shape>) {
    let points = b.points();
    let min_x = points.iter().map(|p| p.x).fold(f32::MAX, f32::min);
    let max_x = points.iter().map(|p| p.x).fold(f32::MIN, f32::max);
    let has = |name: &str| figure.props.iter().any(|p| p == name);
    let hand = b.hand[NEAR];
    match figure.support {
        Support::Chair => {
            let seat = surface(Support::Chair);
            // Risen from the chair (sit to stand): it stays behind the legs.
            let risen = b.hip_center.y > seat + 0.15;
            let at = b.hip_center.x - if risen { 0.2 } else { 0.0 };
            let front = at + 0.12;
            let back = at - 0.16;
            out.push(block(
                Point::new(back, seat - 0.03),
                Point::new(front, seat),
            ));
            out.push(block(
                Point::new(back - 0.03, seat),
                Point::new(back, seat + 0.3),
            ));
            out.push(line(
                Point::new(back, 0.0),
                Point::new(back, seat - 0.03),
                0.02,
            ));
            out.push(line(
                Point::new(front - 0.02, 0.0),
                Point::new(front - 0.02, seat - 0.03),
                0.02,
            ));
        }
        Support::Bed => {
            let top = surface(Support::Bed);
            out.push(block(
                Point::new(min_x - 0.05, top - 0.1),
                Point::new(max_x + 0.05, top),
            ));
            out.push(line(
                Point::new(min_x, 0.0),
                Point::new(min_x, top - 0.1),
                0.03,
            ));
            out.push(line(
                Point::new(max_x, 0.0),
                Point::new(max_x, top - 0.1),
                0.03,
            ));
        }
        Support::Ball => {
            out.push(Shape::Disc {
                center: Point::new(b.hip_center.x, surface(Support::Ball) / 2.0),
                radius: surface(Support::Ball) / 2.0,
                ink: ink::PROP,
            });
        }
        Support::Roller => {
            let under = Point::new(
                (b.lumbar_base.x + b.thoracic_base.x) / 2.0,
                surface(Support::Roller) / 2.0,
            );
            out.push(Shape::Disc {
                center: under,
                radius: surface(Support::Roller) / 2.0,
                ink: ink::PROP_EDGE,
            });
        }
        Support::Floor => {}
    }
    if has("mat") {
        out.push(block(
            Point::new(min_x - 0.06, 0.0),
            Point::new(max_x + 0.06, 0.015),
        ));
    }
    if has("pillow") {
        out.push(block(
            Point::new(b.head.x - 0.09, b.head.y - length::HEAD_RADIUS - 0.05),
            Point::new(b.head.x + 0.09, b.head.y - length::HEAD_RADIUS),
        ));
    }
    if has("wall") {
        // Against the hands when they reach forward, else behind the back.
        let x = if hand.x > b.hip_center.x + 0.15 {
            hand.x + 0.02
        } else {
            min_x - 0.02
        };
        let (x0, x1) = if x > b.hip_center.x {
            (x, x + 0.05)
        } else {
            (x - 0.05, x)
        };
        out.push(block(Point::new(x0, 0.0), Point::new(x1, 1.15)));
    }
    if has("doorway") {
        let x = hand.x.max(b.shoulder[NEAR].x) + 0.02;
        out.push(block(Point::new(x, 0.0), Point::new(x + 0.05, 1.2)));
    }
    if has("counter") {
        let x = hand.x;
        out.push(block(
            Point::new(x - 0.02, hand.y - 0.05),
            Point::new(x + 0.35, hand.y),
        ));
        out.push(line(
            Point::new(x + 0.3, 0.0),
            Point::new(x + 0.3, hand.y - 0.05),
            0.03,
        ));
    }
    if has("step") {
        // Under the higher foot, if one is raised; else in front.
        let (near, far) = (b.heel[NEAR], b.heel[FAR]);
        let raised = if near.y > far.y { NEAR } else { FAR };
        let top = b.heel[raised].y.max(b.toe[raised].y) - 0.018;
        let top = if top > 0.04 { top } else { 0.12 };
        let x = b.heel[raised].x.min(b.toe[raised].x);
        out.push(block(Point::new(x - 0.05, 0.0), Point::new(x + 0.25, top)));
    }
    if has("chair") && figure.support != Support::Chair {
        // A chair to hold or lean on, at the hands.
        let seat = surface(Support::Chair);
        let x = hand.x;
        out.push(block(
            Point::new(x - 0.05, seat - 0.03),
            Point::new(x + 0.25, seat),
        ));
        out.push(block(
            Point::new(x + 0.22, seat),
            Point::new(x + 0.25, seat + 0.3),
        ));
        out.push(line(
            Point::new(x - 0.04, 0.0),
            Point::new(x - 0.04, seat - 0.03),
            0.02,
        ));
        out.push(line(
            Point::new(x + 0.23, 0.0),
            Point::new(x + 0.23, seat - 0.03),
            0.02,
        ));
    }
    if has("foam-roller") && figure.support != Support::Roller {
        out.push(Shape::Disc {
            center: Point::new(hand.x, 0.045),
            radius: 0.045,
            ink: ink::PROP_EDGE,
        });
    }
    if has("ball") && figure.support != Support::Ball {
        out.push(Shape::Disc {
            center: Point::new(hand.x, hand.y),
            radius: 0.05,
            ink: ink::PROP_EDGE,
        });
    }
    if has("band") {
        // To an anchor in front at the height of the hand.
        out.push(line(hand, Point::new(max_x + 0.3, hand.y), 0.012));
        out.push(block(
            Point::new(max_x + 0.3, hand.y - 0.04),
            Point::new(max_x + 0.33, hand.y + 0.04),
        ));
    }
    if has("dumbbell") {
        out.push(block(
            Point::new(hand.x - 0.035, hand.y - 0.02),
            Point::new(hand.x + 0.035, hand.y + 0.02),
        ));
    }
    if has("strap") {
        out.push(line(hand, b.toe[NEAR], 0.012));
    }
    if has("stick") {
        out.push(line(b.hand[NEAR], b.hand[FAR], 0.02));
    }
    // The floor.
    let floor_ink = ink::FLOOR;
    out.push(Shape::Line {
        from: Point::new(min_x - 0.12, 0.0),
        to: Point::new(max_x + 0.12, 0.0),
        width: 0.008,
        ink: floor_ink,
    });
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The scene as a standalone SVG, 100 units per figure unit.
pub fn svg(scene: &Scene, title: &str) -> String {
    let scale = 100.0;
    let w = scene.width * scale;
    let h = scene.height * scale;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" aria-label="{t}"><title>{t}</title><g stroke-linecap="round">"#,
        t = escape(title)
    );
    let x = |p: Point| p.x * scale;
    let y = |p: Point| h - p.y * scale;
    for shape in &scene.shapes {
        match shape {
            Shape::Capsule {
                from,
                to,
                width,
                ink,
            }
            | Shape::Line {
                from,
                to,
                width,
                ink,
            } => {
                let _ = write!(
                    out,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="{:.1}"/>"#,
                    x(*from),
                    y(*from),
                    x(*to),
                    y(*to),
                    hex(*ink),
                    width * scale
                );
            }
            Shape::Disc {
                center,
                radius,
                ink,
            } => {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="{}"/>"#,
                    x(*center),
                    y(*center),
                    radius * scale,
                    hex(*ink)
                );
            }
            Shape::Block {
                min,
                max,
                fill,
                edge,
            } => {
                let (x0, x1) = (x(*min), x(*max));
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="1.5" fill="{}" stroke="{}" stroke-width="0.8"/>"#,
                    x0,
                    y(*max),
                    x1 - x0,
                    (max.y - min.y) * scale,
                    hex(*fill),
                    hex(*edge)
                );
            }
            Shape::Label { at, text } => {
                let _ = write!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="9" font-weight="600" text-anchor="middle" fill="{}">{}</text>"#,
                    x(*at),
                    y(*at),
                    hex(ink::LABEL),
                    escape(text)
                );
            }
        }
    }
    out.push_str("</g></svg>");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::super::body::{Angles, Joint, View};
    use super::super::spec::{Figure, Frame, Support};
    use super::*;
    use proptest::prelude::*;

    fn figure(view: View, support: Support, frames: Vec<Angles>) -> Figure {
        Figure {
            view,
            support,
            props: vec!["mat".into(), "wall".into(), "band".into()],
            frames: frames
                .into_iter()
                .enumerate()
                .map(|(i, angles)| Frame {
                    label: format!("F{i}"),
                    angles,
                })
                .collect(),
        }
    }

    fn angles_within_limits(view: View) -> impl Strategy<Value = Angles> {
        let joints: Vec<BoxedStrategy<(Joint, i16)>> = Joint::ALL
            .iter()
            .map(|&joint| {
                let (lo, hi) = joint.range(view);
                ((lo as i16)..=(hi as i16))
                    .prop_map(move |d| (joint, d))
                    .boxed()
            })
            .collect();
        joints.prop_map(|pairs| {
            let mut angles = Angles::default();
            for (joint, degrees) in pairs {
                angles.set(joint, degrees);
            }
            angles
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_pose_within_the_limits_rests_with_nothing_below_the_floor(
            side in angles_within_limits(View::Side),
            front in angles_within_limits(View::Front),
            support in proptest::sample::select(vec![
                Support::Floor, Support::Bed, Support::Chair, Support::Ball, Support::Roller,
            ]),
        ) {
            for (view, angles) in [(View::Side, side), (View::Front, front)] {
                let placed = place(&super::super::body::pose(view, &angles), support);
                let low = lowest(&outline(&placed));
                prop_assert!(low >= -1e-4, "{view:?} {support:?}: {low}");
                let f = figure(view, support, vec![angles.clone(), angles]);
                let scene = draw(&f, false);
                prop_assert!(scene.width > 0.0 && scene.height > 0.0);
                let svg = svg(&scene, "t");
                prop_assert!(!svg.contains("NaN") && !svg.contains("inf"));
            }
        }
    }

    #[test]
    fn the_right_side_is_the_mirror_image_of_the_left() {
        let mut lift = Angles::default();
        lift.set(Joint::HipNear, 60);
        lift.set(Joint::ShoulderNear, 45);
        let f = figure(View::Side, Support::Floor, vec![lift]);
        let left = draw(&f, false);
        let right = draw(&f, true);
        assert_eq!(left.width, right.width);
        assert_eq!(left.shapes.len(), right.shapes.len());
        // Every point of one panel is reflected about the panel's middle.
        let xs = |scene: &Scene| -> Vec<(f32, f32)> {
            scene
                .shapes
                .iter()
                .filter_map(|s| match s {
                    Shape::Capsule { from, .. } => Some((from.x, from.y)),
                    _ => None,
                })
                .collect()
        };
        let (a, b) = (xs(&left), xs(&right));
        let middle = a[0].0 + b[0].0;
        for ((xa, ya), (xb, yb)) in a.iter().zip(&b) {
            assert!((ya - yb).abs() < 1e-4);
            assert!((xa + xb - middle).abs() < 1e-3, "{xa} + {xb} != {middle}");
        }
        assert_ne!(svg(&left, "t"), svg(&right, "t"));
        // Drawing is deterministic.
        assert_eq!(svg(&draw(&f, true), "t"), svg(&right, "t"));
    }
}
