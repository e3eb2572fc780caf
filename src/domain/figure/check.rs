//! A figure checked against the body and against the exercise's movement
//! tags: what the drawing shows must be what the tags say, so a figure can
//! catch a missing tag (an arm drawn overhead on an exercise not tagged
//! `overhead`) and a wrong drawing.

use super::body::{Joint, View, FAR, NEAR};
use super::scene::{skeletons, surface};
use super::spec::{Figure, Support};

/// How far a resting part may be from its surface and still touch it.
const TOUCH: f32 = 0.06;

/// Every disagreement between the figure and the tags, and every part that
/// floats where it should rest; empty when the figure is consistent.
pub fn problems(figure: &Figure, movement: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let has = |tags: &[&str]| tags.iter().any(|t| movement.iter().any(|m| m == t));
    let mut need = |shown: bool, tags: &[&str], what: &str| {
        if shown && !has(tags) {
            out.push(format!(
                "the figure shows {what}, so the movement tags need one of {}",
                tags.join(", ")
            ));
        }
    };
    let arm_up = figure
        .max(Joint::ShoulderNear)
        .max(figure.max(Joint::ShoulderFar))
        > 150.0;
    need(
        arm_up,
        &["overhead", "assisted-overhead", "overhead-loaded"],
        "an arm raised past 150°",
    );
    let turned = |joint: Joint| figure.max(joint).abs().max(figure.min(joint).abs());
    need(
        turned(Joint::NeckTurn) > 30.0,
        &["neck-rotation"],
        "the head turned",
    );
    need(
        turned(Joint::TrunkTurn) > 20.0,
        &["trunk-rotation"],
        "the trunk twisted",
    );
    if figure.view == View::Side {
        let hip = figure.max(Joint::HipNear).max(figure.max(Joint::HipFar));
        need(
            hip > 100.0,
            &["hip-flexion-past-90", "chair-rise"],
            "a hip bent past 90°",
        );
        need(
            figure.max(Joint::Lumbar) > 20.0,
            &["low-back-flexion"],
            "the lower back rounded",
        );
        need(
            figure.max(Joint::Thoracic) > 20.0,
            &["upper-back-flexion"],
            "the upper back rounded",
        );
        need(
            figure.min(Joint::Lumbar) < -15.0,
            &["low-back-extension"],
            "the lower back arched",
        );
        need(
            figure.min(Joint::Thoracic) < -15.0,
            &["upper-back-extension"],
            "the upper back arched",
        );
        // Where the head points: the neck's tilt and the nod on top of it
        // (a chin tuck tips the neck back and nods, the face stays level).
        let head = |f: &super::spec::Frame| f.angles.get(Joint::Neck) + f.angles.get(Joint::Nod);
        let head_max = figure.frames.iter().map(head).fold(f32::MIN, f32::max);
        let head_min = figure.frames.iter().map(head).fold(f32::MAX, f32::min);
        need(
            head_max > 30.0,
            &["neck-flexion", "neck-retraction"],
            "the neck bent forward",
        );
        need(
            head_min < -25.0,
            &["neck-extension"],
            "the neck tipped back",
        );
    }
    let bodies = skeletons(figure);
    // The drawn edge of a part above the surface the body rests on.
    let gap = |p: super::body::Point, r: f32| p.y - r - surface(figure.support);
    let kneels = figure.support == Support::Floor
        && bodies.iter().any(|b| {
            let knee = gap(b.knee[0], 0.033).min(gap(b.knee[1], 0.033));
            let foot = [b.heel[0], b.heel[1], b.toe[0], b.toe[1]]
                .into_iter()
                .map(|p| gap(p, 0.018))
                .fold(f32::MAX, f32::min);
            knee < 0.01 && knee <= foot + 0.01
        });
    need(kneels, &["kneeling"], "weight on a knee");
    let lying = |deg: f32| deg.abs() >= 60.0;
    let on_floor_low = figure.support == Support::Floor
        && (kneels
            || figure
                .frames
                .iter()
                .any(|f| lying(f.angles.get(Joint::Body))));
    need(
        on_floor_low,
        &["floor-transfer"],
        "the body down on the floor",
    );
    for (frame, body) in figure.frames.iter().zip(&bodies) {
        let lean = frame.angles.get(Joint::Body);
        if matches!(figure.support, Support::Floor | Support::Bed) && lying(lean) {
            // From the front the trunk is as wide as the hips and shoulders,
            // and a body lying on its side rests on them.
            let trunk = [
                body.hip_center,
                body.lumbar_base,
                body.thoracic_base,
                body.neck_base,
                body.hip[0],
                body.hip[1],
                body.shoulder[0],
                body.shoulder[1],
            ]
            .into_iter()
            .map(|p| gap(p, 0.062))
            .fold(f32::MAX, f32::min);
            // Lying on the back or front the trunk rests; on hands and
            // knees (a bent hip) it is held up by the limbs.
            // Held up: on hands and knees (a bent hip), or on the hands or
            // forearms (an arm reaching down to the floor), as in a plank.
            let arm_down = |joint: Joint| (20.0..=120.0).contains(&frame.angles.get(joint));
            let held_up = figure.view == View::Side
                && lean > 0.0
                && (frame
                    .angles
                    .get(Joint::HipNear)
                    .max(frame.angles.get(Joint::HipFar))
                    > 60.0
                    || arm_down(Joint::ShoulderNear)
                    || arm_down(Joint::ShoulderFar));
            // From the front, a body propped on one forearm (a side plank)
            // is held up by that arm.
            let propped = figure.view == View::Front
                && [(Joint::ShoulderNear, NEAR), (Joint::ShoulderFar, FAR)]
                    .into_iter()
                    .any(|(joint, side)| {
                        (45.0..=135.0).contains(&frame.angles.get(joint))
                            && gap(body.elbow[side], 0.026).min(gap(body.wrist[side], 0.022))
                                <= TOUCH
                    });
            if !held_up && !propped && trunk > TOUCH {
                out.push(format!(
                    "{}: the trunk floats {trunk:.2} above what it lies on",
                    frame.label
                ));
            }
            if held_up {
                // The arm that holds the body up (the other may reach out).
                let holding = [(Joint::ShoulderNear, NEAR), (Joint::ShoulderFar, FAR)]
                    .into_iter()
                    .filter(|(joint, _)| arm_down(*joint))
                    .map(|(_, side)| {
                        gap(body.hand[side], 0.018)
                            .min(gap(body.wrist[side], 0.022))
                            .min(gap(body.elbow[side], 0.026))
                    })
                    .fold(None, |low: Option<f32>, g| {
                        Some(low.map_or(g, |l| l.min(g)))
                    });
                if let Some(hand) = holding.filter(|h| *h > TOUCH) {
                    out.push(format!(
                        "{}: the supporting arm floats {hand:.2} above the floor",
                        frame.label
                    ));
                }
            }
        }
    }
    out
}
