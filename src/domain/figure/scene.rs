//! A figure drawn: each frame's skeleton placed on its support, turned
//! into shapes in one style (filled rounded limbs, the far side lighter,
//! the moving parts in the accent colour, props in pale grey), panels side
//! by side with their labels. The same shapes become SVG here and vector
//! paths in the handout; both are deterministic.

use std::fmt::Write;

use super::body::{length, pose, Angles, Joint, Point, Skeleton, View, FAR, NEAR};
use super::spec::{Figure, Hand, Support};

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
    /// Arrows that show a turn, warm so they stand out from the accent.
    pub const ARROW: (u8, u8, u8) = (0xc8, 0x5a, 0x12);
    pub const EYE: (u8, u8, u8) = (0xff, 0xff, 0xff);
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
    /// A stroked path with round ends and joins (a turning arrow's arc).
    Polyline {
        points: Vec<Point>,
        width: f32,
        ink: (u8, u8, u8),
    },
    /// A filled outline (an arrowhead).
    Polygon {
        points: Vec<Point>,
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
        trunk: changes(Joint::Lumbar) || changes(Joint::Thoracic) || changes(Joint::TrunkTurn),
        head: changes(Joint::Neck) || changes(Joint::NeckTurn) || changes(Joint::Nod),
        ..Moving::default()
    };
    let limbs = [
        [
            Joint::HipNear,
            Joint::HipTurnNear,
            Joint::KneeNear,
            Joint::AnkleNear,
            Joint::AnkleTurnNear,
            Joint::ShoulderNear,
            Joint::ElbowNear,
            Joint::WristNear,
            Joint::ForearmTurnNear,
            Joint::ReachNear,
        ],
        [
            Joint::HipFar,
            Joint::HipTurnFar,
            Joint::KneeFar,
            Joint::AnkleFar,
            Joint::AnkleTurnFar,
            Joint::ShoulderFar,
            Joint::ElbowFar,
            Joint::WristFar,
            Joint::ForearmTurnFar,
            Joint::ReachFar,
        ],
    ];
    for (
        i,
        [hip, hip_turn, knee, ankle, ankle_turn, shoulder, elbow, wrist, forearm_turn, reach],
    ) in limbs.into_iter().enumerate()
    {
        m.thigh[i] = changes(hip) || changes(hip_turn);
        m.shank[i] = m.thigh[i] || changes(knee);
        m.foot[i] = m.shank[i] || changes(ankle) || changes(ankle_turn);
        m.upper_arm[i] = changes(shoulder) || changes(reach);
        m.forearm[i] = m.upper_arm[i] || changes(elbow) || changes(wrist) || changes(forearm_turn);
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
/// The width of one label character, bold 9 units at 100 units a figure
/// unit, rounded up.
const LABEL_CHAR: f32 = 0.06;

/// Draws the figure: one panel per frame, left to right, each mirrored
/// when `mirror` (the exercise done on the other side of the body).
pub fn draw(figure: &Figure, mirror: bool) -> Scene {
    let m = moving(figure);
    let bodies = skeletons(figure);
    let mut shapes = Vec::new();
    let mut x = MARGIN;
    let mut height: f32 = 0.0;
    for (i, (frame, body)) in figure.frames.iter().zip(&bodies).enumerate() {
        let mut panel = Vec::new();
        props(figure, body, &m, &mut panel);
        limbs(figure.view, body, &frame.angles, &m, &mut panel);
        if let Some(before) = i.checked_sub(1).and_then(|i| figure.frames.get(i)) {
            turns(figure.view, body, &before.angles, &frame.angles, &mut panel);
            // A head that moves without turning up or down slides.
            let tilt = |a: &Angles| a.get(Joint::Neck) + a.get(Joint::Nod);
            let level = (tilt(&frame.angles) - tilt(&before.angles)).abs() < 10.0;
            if let Some(was) = bodies.get(i - 1).filter(|_| level) {
                head_slide(was, body, &mut panel);
            }
        }
        if let Some(hand) = frame.hand {
            let forearm = direction(body.wrist[NEAR], body.hand[NEAR]);
            close_up(hand, body.hand[NEAR], forearm, &mut panel);
        }
        if mirror {
            panel = panel.into_iter().map(flip).collect();
        }
        let (min_x, max_x, max_y) = bounds(&panel);
        // A narrow body (standing, from the front) under a long label: the
        // panel is as wide as the label, the body in its middle.
        let label = frame.label.chars().count() as f32 * LABEL_CHAR;
        let wide = (max_x - min_x).max(label);
        let dx = x - min_x + (wide - (max_x - min_x)) / 2.0;
        for shape in panel {
            shapes.push(shift(shape, dx, LABEL_SPACE));
        }
        shapes.push(Shape::Label {
            at: Point::new(x + wide / 2.0, 0.03),
            text: frame.label.clone(),
        });
        height = height.max(max_y + LABEL_SPACE + MARGIN);
        x += wide + PANEL_GAP;
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
            Shape::Polyline { points, width, .. } => {
                for p in points {
                    grow(*p, width / 2.0);
                }
            }
            Shape::Polygon { points, .. } => {
                for p in points {
                    grow(*p, 0.0);
                }
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
        Shape::Polyline { points, width, ink } => Shape::Polyline {
            points: points.into_iter().map(&f).collect(),
            width,
            ink,
        },
        Shape::Polygon { points, ink } => Shape::Polygon {
            points: points.into_iter().map(&f).collect(),
            ink,
        },
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

fn limbs(view: View, b: &Skeleton, angles: &Angles, m: &Moving, out: &mut Vec<Shape>) {
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
    // A turned chest shows more of its width from the side, less from the
    // front.
    let turned = angles.get(Joint::TrunkTurn).to_radians().sin().abs();
    out.push(Shape::Capsule {
        from: b.thoracic_base,
        to: b.neck_base,
        width: if view == View::Front {
            0.22 - 0.08 * turned
        } else {
            0.13 + 0.07 * turned
        },
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
    if let Some(nose) = b.nose {
        out.push(Shape::Disc {
            center: nose,
            radius: 0.015,
            ink: head,
        });
    }
    for &eye in &b.eyes {
        out.push(Shape::Disc {
            center: eye,
            radius: 0.011,
            ink: ink::EYE,
        });
    }
    let arms: &[usize] = if far_side { &[NEAR] } else { &[FAR, NEAR] };
    for &i in arms {
        out.push(cap(b.shoulder[i], b.elbow[i], 0.052, m.upper_arm[i], false));
        out.push(cap(b.elbow[i], b.wrist[i], 0.044, m.forearm[i], false));
        out.push(cap(b.wrist[i], b.hand[i], 0.036, m.forearm[i], false));
    }
}

/// A turning arrow around each part that turns about its own length
/// between the frame `before` and this one (`now`): an arc around the
/// part, its head showing the way it turns.
fn turns(view: View, b: &Skeleton, before: &Angles, now: &Angles, out: &mut Vec<Shape>) {
    for joint in Joint::TURNS {
        let change = now.get(joint) - before.get(joint);
        if change.abs() < 10.0 {
            continue;
        }
        // Where the part is, along which line it turns, and how big.
        let (center, axis, across, along) = match joint {
            Joint::NeckTurn => (
                b.head,
                direction(b.neck_base, b.head),
                length::HEAD_RADIUS * 1.7,
                length::HEAD_RADIUS * 0.55,
            ),
            Joint::TrunkTurn => (
                mid(b.thoracic_base, b.neck_base),
                direction(b.thoracic_base, b.neck_base),
                0.17,
                0.05,
            ),
            Joint::HipTurnNear | Joint::HipTurnFar => {
                let i = usize::from(joint == Joint::HipTurnFar);
                (
                    mid(b.hip[i], b.knee[i]),
                    direction(b.hip[i], b.knee[i]),
                    0.075,
                    0.028,
                )
            }
            Joint::ForearmTurnNear | Joint::ForearmTurnFar => {
                let i = usize::from(joint == Joint::ForearmTurnFar);
                (b.wrist[i], direction(b.elbow[i], b.wrist[i]), 0.06, 0.024)
            }
            _ => {
                let i = usize::from(joint == Joint::AnkleTurnFar);
                (
                    mid(b.heel[i], b.toe[i]),
                    direction(b.heel[i], b.toe[i]),
                    0.06,
                    0.024,
                )
            }
        };
        // From the side a turn toward the viewer runs clockwise, from the
        // front counter-clockwise; a far limb turns the other way round.
        let far = matches!(
            joint,
            Joint::HipTurnFar | Joint::ForearmTurnFar | Joint::AnkleTurnFar
        );
        let clockwise = ((change > 0.0) == (view == View::Side)) != far;
        arrow(center, axis, across, along, clockwise, out);
    }
}

/// The fingers drawn large in a circle above and beyond the hand, with a
/// pointer to it: from the thumb side for bending, from the palm for
/// spreading and thumb work.
fn close_up(hand: Hand, at: Point, forearm: Point, drawn: &mut Vec<Shape>) {
    const R: f32 = 0.16;
    // Drawn at this size around the circle's centre, then enlarged.
    const ZOOM: f32 = 1.5;
    let c = Point::new(at.x + 0.22, at.y + 0.38);
    drawn.push(line(
        at,
        Point::new(c.x - 0.7 * R * ZOOM, c.y - 0.7 * R * ZOOM),
        0.008,
    ));
    let mut out = Vec::new();
    let out = &mut out;
    let p = |x: f32, y: f32| Point::new(c.x + x, c.y + y);
    out.push(Shape::Disc {
        center: c,
        radius: R + 0.006,
        ink: ink::PROP_EDGE,
    });
    out.push(Shape::Disc {
        center: c,
        radius: R,
        ink: ink::EYE,
    });
    let cap = |from: Point, to: Point, width: f32, ink| Shape::Capsule {
        from,
        to,
        width,
        ink,
    };
    // A chain of finger bones from `base`, starting toward `deg` (0 up, 90
    // toward the fingertips' side), each bend turning further.
    let chain = |base: Point, deg: f32, bends: [f32; 3], lengths: [f32; 3], width: f32, ink| {
        let mut shapes = Vec::new();
        let (mut from, mut dir) = (base, deg);
        for (bend, len) in bends.into_iter().zip(lengths) {
            dir += bend;
            let r = dir.to_radians();
            let to = Point::new(from.x + len * r.sin(), from.y + len * r.cos());
            shapes.push(cap(from, to, width, ink));
            from = to;
        }
        (shapes, from)
    };
    let finger = [0.05, 0.034, 0.028];
    match hand {
        Hand::Open | Hand::Hook | Hand::Fist | Hand::Squeeze | Hand::Pinch => {
            // From the thumb side, fingers toward +x, the palm facing down;
            // turned below to point the way the hand does.
            let wrist = p(-0.11, 0.0);
            let knuckle = p(0.0, 0.0);
            if hand == Hand::Squeeze {
                out.push(Shape::Disc {
                    center: p(0.03, -0.05),
                    radius: 0.05,
                    ink: ink::PROP_EDGE,
                });
            }
            let bends = match hand {
                Hand::Open => [0.0, 0.0, 0.0],
                Hand::Hook => [0.0, 95.0, 75.0],
                Hand::Fist => [90.0, 100.0, 60.0],
                Hand::Squeeze => [55.0, 70.0, 40.0],
                _ => [35.0, 35.0, 15.0],
            };
            // The little-finger side behind, lighter; the index in front.
            let (back, _) = chain(
                p(0.0, 0.022),
                90.0,
                bends,
                [0.045, 0.03, 0.025],
                0.03,
                ink::MOVING_FAR,
            );
            let start = out.len();
            out.extend(back);
            out.push(cap(wrist, knuckle, 0.07, ink::BODY));
            let (front, tip) = chain(knuckle, 90.0, bends, finger, 0.034, ink::MOVING);
            out.extend(front);
            let thumb_base = p(-0.07, -0.025);
            let thumb = match hand {
                Hand::Fist => vec![p(-0.01, -0.05), p(0.035, -0.035)],
                Hand::Squeeze => vec![p(-0.015, -0.075), p(0.035, -0.1)],
                Hand::Pinch => {
                    out.push(Shape::Disc {
                        center: Point::new(tip.x + 0.012, tip.y - 0.025),
                        radius: 0.022,
                        ink: ink::PROP_EDGE,
                    });
                    vec![p(-0.01, -0.07), Point::new(tip.x + 0.01, tip.y - 0.05)]
                }
                _ => vec![p(-0.01, -0.05), p(0.03, -0.065)],
            };
            let thumb_ink = if hand == Hand::Pinch {
                ink::MOVING
            } else {
                ink::BODY
            };
            out.push(cap(thumb_base, thumb[0], 0.034, thumb_ink));
            out.push(cap(thumb[0], thumb[1], 0.03, thumb_ink));
            // Point the fingers the way the forearm does.
            let turn = |q: Point| {
                let (x, y) = (q.x - c.x, q.y - c.y);
                Point::new(
                    c.x + x * forearm.x - y * forearm.y,
                    c.y + x * forearm.y + y * forearm.x,
                )
            };
            let turned: Vec<Shape> = out.drain(start..).map(|s| transform(s, turn)).collect();
            out.extend(turned);
        }
        Hand::Flat | Hand::Spread | Hand::Oppose => {
            // From the palm, fingers up, the thumb to the right.
            out.push(cap(p(0.0, -0.12), p(0.0, -0.03), 0.1, ink::BODY));
            let fan = if hand == Hand::Spread { 11.0 } else { 0.0 };
            let lengths = [
                [0.045, 0.03, 0.022],
                [0.05, 0.034, 0.024],
                [0.048, 0.032, 0.023],
                [0.038, 0.025, 0.02],
            ];
            let mut little_tip = p(-0.04, 0.06);
            let mut tips = Vec::new();
            for (k, len) in lengths.into_iter().enumerate() {
                let x = 0.033 - 0.022 * k as f32;
                let spread = fan * (k as f32 - 1.5);
                let bends = if hand == Hand::Oppose && k == 3 {
                    [-20.0, -25.0, -10.0]
                } else {
                    [-spread, 0.0, 0.0]
                };
                let (bones, tip) = chain(p(x, -0.02), 0.0, bends, len, 0.022, ink::MOVING);
                out.extend(bones);
                tips.push(tip);
                if k == 3 {
                    little_tip = tip;
                }
            }
            let base = p(0.05, -0.1);
            let thumb = if hand == Hand::Oppose {
                vec![
                    p(0.02, -0.05),
                    Point::new(little_tip.x + 0.012, little_tip.y - 0.012),
                ]
            } else {
                vec![p(0.085, -0.055), p(0.1 + fan * 0.002, -0.02)]
            };
            out.push(cap(base, thumb[0], 0.03, ink::MOVING));
            out.push(cap(thumb[0], thumb[1], 0.026, ink::MOVING));
            if hand == Hand::Spread {
                // The band around the fingers, stretched.
                let y = |t: &Point| t.y - 0.035;
                let band: Vec<Point> = tips.iter().map(|t| Point::new(t.x, y(t))).collect();
                out.push(Shape::Polyline {
                    points: band,
                    width: 0.008,
                    ink: ink::ARROW,
                });
            }
        }
    }
    let zoom = |p: Point| Point::new(c.x + (p.x - c.x) * ZOOM, c.y + (p.y - c.y) * ZOOM);
    drawn.extend(out.drain(..).map(|shape| match transform(shape, zoom) {
        Shape::Capsule {
            from,
            to,
            width,
            ink,
        } => Shape::Capsule {
            from,
            to,
            width: width * ZOOM,
            ink,
        },
        Shape::Disc {
            center,
            radius,
            ink,
        } => Shape::Disc {
            center,
            radius: radius * ZOOM,
            ink,
        },
        Shape::Polyline { points, width, ink } => Shape::Polyline {
            points,
            width: width * ZOOM,
            ink,
        },
        other => other,
    }));
}

/// A straight arrow above the head when it slides (a chin tuck draws it
/// back) while the chest stays: too small a move to see otherwise.
fn head_slide(was: &Skeleton, now: &Skeleton, out: &mut Vec<Shape>) {
    let chest =
        (now.neck_base.x - was.neck_base.x).abs() + (now.neck_base.y - was.neck_base.y).abs();
    let dx = now.head.x - was.head.x;
    if dx.abs() < 0.012 || chest > 0.005 {
        return;
    }
    let y = now.head.y + length::HEAD_RADIUS * 1.7;
    let way = dx.signum();
    let from = Point::new(now.head.x - way * 0.05, y);
    let to = Point::new(now.head.x + way * 0.05, y);
    arrow_along(vec![from, to], out);
}

fn mid(a: Point, b: Point) -> Point {
    Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
}

/// The unit vector from `a` toward `b` (up when they meet).
fn direction(a: Point, b: Point) -> Point {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-6 {
        Point::new(0.0, 1.0)
    } else {
        Point::new(dx / len, dy / len)
    }
}

/// An arc of 250° around `center` in the plane across `axis` (seen a
/// little from one end: `across` wide, `along` deep), open where it passes
/// behind the part, with a head at its end.
fn arrow(
    center: Point,
    axis: Point,
    across: f32,
    along: f32,
    clockwise: bool,
    out: &mut Vec<Shape>,
) {
    let u = Point::new(axis.y, -axis.x);
    let at = |deg: f32| {
        let (sin, cos) = deg.to_radians().sin_cos();
        Point::new(
            center.x + u.x * across * cos + axis.x * along * sin,
            center.y + u.y * across * cos + axis.y * along * sin,
        )
    };
    // From 35° past the far end, under the front, to 35° short of the
    // other: the gap is at the back, where the part hides the arc.
    let (start, end) = if clockwise {
        (395.0, 145.0)
    } else {
        (145.0, 395.0)
    };
    let steps = 24;
    let points: Vec<Point> = (0..=steps)
        .map(|k| at(start + (end - start) * k as f32 / steps as f32))
        .collect();
    arrow_along(points, out);
}

/// An arrow in the arrow colour along `points` (at least two), its head
/// past the last one.
fn arrow_along(points: Vec<Point>, out: &mut Vec<Shape>) {
    let (Some(&last), Some(&before)) = (points.last(), points.iter().rev().nth(1)) else {
        return;
    };
    let tip_dir = direction(before, last);
    let normal = Point::new(-tip_dir.y, tip_dir.x);
    let size = 0.032;
    let tip = Point::new(
        last.x + tip_dir.x * size * 0.7,
        last.y + tip_dir.y * size * 0.7,
    );
    let side = |s: f32| {
        Point::new(
            last.x - tip_dir.x * size * 0.3 + normal.x * size * 0.55 * s,
            last.y - tip_dir.y * size * 0.3 + normal.y * size * 0.55 * s,
        )
    };
    out.push(Shape::Polyline {
        points,
        width: 0.012,
        ink: ink::ARROW,
    });
    out.push(Shape::Polygon {
        points: vec![tip, side(1.0), side(-1.0)],
        ink: ink::ARROW,
    });
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
fn props(figure: &Figure, b: &Skeleton, m: &Moving, out: &mut Vec<Shape>) {
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
        // To an anchor in front, from the hand or, when only a leg works,
        // from the foot.
        let arms = m.upper_arm.iter().chain(&m.forearm).any(|&a| a);
        let legs = m.thigh.iter().chain(&m.foot).any(|&a| a);
        let end = if legs && !arms { b.toe[NEAR] } else { hand };
        out.push(line(end, Point::new(max_x + 0.3, end.y), 0.012));
        out.push(block(
            Point::new(max_x + 0.3, end.y - 0.04),
            Point::new(max_x + 0.33, end.y + 0.04),
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
            Shape::Polyline { points, width, ink } => {
                let _ = write!(
                    out,
                    r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{:.1}" stroke-linejoin="round"/>"#,
                    path(points, x, y),
                    hex(*ink),
                    width * scale
                );
            }
            Shape::Polygon { points, ink } => {
                let _ = write!(
                    out,
                    r#"<polygon points="{}" fill="{}"/>"#,
                    path(points, x, y),
                    hex(*ink)
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

/// `x,y x,y …` in SVG units.
fn path(points: &[Point], x: impl Fn(Point) -> f32, y: impl Fn(Point) -> f32) -> String {
    let mut out = String::new();
    for (i, p) in points.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(out, "{sep}{:.1},{:.1}", x(*p), y(*p));
    }
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
                    hand: None,
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

    fn arcs(scene: &Scene) -> Vec<Vec<Point>> {
        scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Polyline { points, .. } => Some(points.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_turn_is_drawn_as_an_arrow_whose_way_follows_the_turn() {
        let mut turned = Angles::default();
        turned.set(Joint::NeckTurn, 60);
        let right = draw(
            &figure(
                View::Side,
                Support::Floor,
                vec![Angles::default(), turned.clone()],
            ),
            false,
        );
        turned.set(Joint::NeckTurn, -60);
        let left = draw(
            &figure(View::Side, Support::Floor, vec![Angles::default(), turned]),
            false,
        );
        let (a, b) = (arcs(&right), arcs(&left));
        assert_eq!((a.len(), b.len()), (1, 1), "one arrow, in the second panel");
        // The same arc run the other way: one's start is the other's end.
        let (a, b) = (&a[0], &b[0]);
        let near = |p: &Point, q: &Point| (p.x - q.x).abs() < 1e-4 && (p.y - q.y).abs() < 1e-4;
        assert!(near(&a[0], &b[b.len() - 1]) && near(&a[a.len() - 1], &b[0]));
        assert!(!near(&a[0], &b[0]));
        // The arrow sits around the head, which wears its eyes turned.
        let no_turn = draw(
            &figure(
                View::Side,
                Support::Floor,
                vec![Angles::default(), Angles::default()],
            ),
            false,
        );
        assert!(arcs(&no_turn).is_empty());
    }

    #[test]
    fn the_eyes_show_which_way_the_figure_faces() {
        let eyes = |view: View, body: i16, turn: i16| {
            let mut angles = Angles::default();
            angles.set(Joint::Body, body);
            angles.set(Joint::NeckTurn, turn);
            pose(view, &angles).eyes
        };
        // In profile one eye, toward the facing side; from the front two.
        let profile = eyes(View::Side, 0, 0);
        assert_eq!(profile.len(), 1);
        assert!(profile[0].x > 0.0);
        assert_eq!(eyes(View::Front, 0, 0).len(), 2);
        // Lying face up the eye is above the head's centre, face down below.
        let up = pose(View::Side, &{
            let mut a = Angles::default();
            a.set(Joint::Body, -90);
            a
        });
        assert!(up.eyes[0].y > up.head.y);
        let down = pose(View::Side, &{
            let mut a = Angles::default();
            a.set(Joint::Body, 90);
            a
        });
        assert!(down.eyes[0].y < down.head.y);
        // Turned toward the viewer, both eyes show and move toward the centre.
        let turned = eyes(View::Side, 0, 60);
        assert_eq!(turned.len(), 2);
    }
}
