//! The body model: segments with lengths from standard anthropometric
//! proportions (Winter, as fractions of standing height), joints with
//! human ranges of motion, and forward kinematics from joint angles to the
//! 2D points a figure is drawn from. Two views: from the side (sagittal
//! plane: flexion and extension) and from the front (frontal plane:
//! abduction and side bending).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Which plane the figure is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// Seen from the side: flexion and extension show.
    Side,
    /// Seen from the front: abduction and side bending show.
    Front,
}

/// A joint angle a pose sets. Limbs come in a near side (toward the viewer,
/// drawn on top) and a far side (drawn lighter, behind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Joint {
    /// The whole body's lean: 0 upright; from the side +90 face down (lying
    /// prone, hands and knees), -90 on the back; from the front +90 on the
    /// right side.
    Body,
    /// The lower back: + flexion (rounding), - extension; from the front,
    /// side bending.
    Lumbar,
    /// The upper back, as the lower.
    Thoracic,
    /// The neck: + flexion, - extension; from the front, side bending.
    Neck,
    HipNear,
    HipFar,
    KneeNear,
    KneeFar,
    AnkleNear,
    AnkleFar,
    /// From the side + raises the arm forward; from the front + raises it
    /// out to the side, and below 0 it reaches across the front of the
    /// chest (an arm held across the body, seen from the front).
    ShoulderNear,
    ShoulderFar,
    ElbowNear,
    ElbowFar,
    /// + bends the hand back (extension), as on hands and knees.
    WristNear,
    WristFar,
    /// Turning the head about the neck: + toward the viewer from the side,
    /// toward the picture's right from the front.
    NeckTurn,
    /// Turning the chest about the spine, as the neck.
    TrunkTurn,
    /// Turning the thigh about its length: + outward (external rotation).
    HipTurnNear,
    HipTurnFar,
    /// Turning the forearm: + palm up (supination), - palm down.
    ForearmTurnNear,
    ForearmTurnFar,
    /// Tilting the sole: + inward (inversion), - outward (eversion).
    AnkleTurnNear,
    AnkleTurnFar,
    /// From the front, how far the arm reaches toward the viewer (90
    /// straight at them), so it is drawn shorter.
    ReachNear,
    ReachFar,
    /// The head nodding on the top of the neck: + chin down. With the neck
    /// tipped back (- `neck`) it draws the head straight back, a chin tuck.
    Nod,
}

impl Joint {
    pub const ALL: [Joint; 27] = [
        Joint::Body,
        Joint::Lumbar,
        Joint::Thoracic,
        Joint::Neck,
        Joint::HipNear,
        Joint::HipFar,
        Joint::KneeNear,
        Joint::KneeFar,
        Joint::AnkleNear,
        Joint::AnkleFar,
        Joint::ShoulderNear,
        Joint::ShoulderFar,
        Joint::ElbowNear,
        Joint::ElbowFar,
        Joint::WristNear,
        Joint::WristFar,
        Joint::NeckTurn,
        Joint::TrunkTurn,
        Joint::HipTurnNear,
        Joint::HipTurnFar,
        Joint::ForearmTurnNear,
        Joint::ForearmTurnFar,
        Joint::AnkleTurnNear,
        Joint::AnkleTurnFar,
        Joint::ReachNear,
        Joint::ReachFar,
        Joint::Nod,
    ];

    /// The turns about a segment's own length: a flat picture cannot show
    /// them as a change of angle, so they are drawn as a turning arrow.
    pub const TURNS: [Joint; 8] = [
        Joint::NeckTurn,
        Joint::TrunkTurn,
        Joint::HipTurnNear,
        Joint::HipTurnFar,
        Joint::ForearmTurnNear,
        Joint::ForearmTurnFar,
        Joint::AnkleTurnNear,
        Joint::AnkleTurnFar,
    ];

    /// The name a pose file uses.
    pub fn name(self) -> &'static str {
        match self {
            Joint::Body => "body",
            Joint::Lumbar => "lumbar",
            Joint::Thoracic => "thoracic",
            Joint::Neck => "neck",
            Joint::HipNear => "hip_near",
            Joint::HipFar => "hip_far",
            Joint::KneeNear => "knee_near",
            Joint::KneeFar => "knee_far",
            Joint::AnkleNear => "ankle_near",
            Joint::AnkleFar => "ankle_far",
            Joint::ShoulderNear => "shoulder_near",
            Joint::ShoulderFar => "shoulder_far",
            Joint::ElbowNear => "elbow_near",
            Joint::ElbowFar => "elbow_far",
            Joint::WristNear => "wrist_near",
            Joint::WristFar => "wrist_far",
            Joint::NeckTurn => "neck_turn",
            Joint::TrunkTurn => "trunk_turn",
            Joint::HipTurnNear => "hip_turn_near",
            Joint::HipTurnFar => "hip_turn_far",
            Joint::ForearmTurnNear => "forearm_turn_near",
            Joint::ForearmTurnFar => "forearm_turn_far",
            Joint::AnkleTurnNear => "ankle_turn_near",
            Joint::AnkleTurnFar => "ankle_turn_far",
            Joint::ReachNear => "reach_near",
            Joint::ReachFar => "reach_far",
            Joint::Nod => "nod",
        }
    }

    /// The keys that set a joint on both sides at once.
    const PAIRS: [(&'static str, Joint, Joint); 10] = [
        ("hip", Joint::HipNear, Joint::HipFar),
        ("knee", Joint::KneeNear, Joint::KneeFar),
        ("ankle", Joint::AnkleNear, Joint::AnkleFar),
        ("shoulder", Joint::ShoulderNear, Joint::ShoulderFar),
        ("elbow", Joint::ElbowNear, Joint::ElbowFar),
        ("wrist", Joint::WristNear, Joint::WristFar),
        ("hip_turn", Joint::HipTurnNear, Joint::HipTurnFar),
        (
            "forearm_turn",
            Joint::ForearmTurnNear,
            Joint::ForearmTurnFar,
        ),
        ("ankle_turn", Joint::AnkleTurnNear, Joint::AnkleTurnFar),
        ("reach", Joint::ReachNear, Joint::ReachFar),
    ];

    /// The joints a pose-file key sets: `hip` sets both hips, `hip_near`
    /// one. `None` for an unknown key.
    pub fn parse_key(key: &str) -> Option<Vec<Joint>> {
        if let Some((_, near, far)) = Self::PAIRS.iter().find(|(name, ..)| *name == key) {
            return Some(vec![*near, *far]);
        }
        Joint::ALL
            .iter()
            .find(|j| j.name() == key)
            .map(|j| vec![*j])
    }

    /// Every key a pose file may use, for error messages.
    pub fn keys() -> String {
        let pairs = Self::PAIRS.iter().map(|(name, ..)| *name);
        let single = Joint::ALL.iter().map(|j| j.name());
        pairs.chain(single).collect::<Vec<_>>().join(", ")
    }

    /// The human range of motion in degrees, in the given view.
    pub fn range(self, view: View) -> (f32, f32) {
        use Joint::*;
        match (self, view) {
            (Body, _) => (-180.0, 180.0),
            (Lumbar, View::Side) => (-30.0, 60.0),
            (Thoracic, View::Side) => (-25.0, 50.0),
            (Lumbar | Thoracic, View::Front) => (-35.0, 35.0),
            (Neck, View::Side) => (-70.0, 60.0),
            (Neck, View::Front) => (-45.0, 45.0),
            (HipNear | HipFar, View::Side) => (-30.0, 135.0),
            (HipNear | HipFar, View::Front) => (-30.0, 50.0),
            (KneeNear | KneeFar, _) => (0.0, 150.0),
            (AnkleNear | AnkleFar, _) => (-50.0, 30.0),
            (ShoulderNear | ShoulderFar, View::Side) => (-60.0, 180.0),
            (ShoulderNear | ShoulderFar, View::Front) => (-100.0, 180.0),
            (ElbowNear | ElbowFar, _) => (0.0, 150.0),
            (WristNear | WristFar, _) => (-80.0, 90.0),
            (NeckTurn, _) => (-80.0, 80.0),
            (TrunkTurn, _) => (-60.0, 60.0),
            (HipTurnNear | HipTurnFar, _) => (-45.0, 60.0),
            (ForearmTurnNear | ForearmTurnFar, _) => (-90.0, 90.0),
            (AnkleTurnNear | AnkleTurnFar, _) => (-25.0, 35.0),
            (ReachNear | ReachFar, View::Front) => (0.0, 80.0),
            (ReachNear | ReachFar, View::Side) => (0.0, 0.0),
            (Nod, View::Side) => (-30.0, 35.0),
            (Nod, View::Front) => (0.0, 0.0),
        }
    }
}

impl fmt::Display for Joint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Joint angles in whole degrees; a joint left out is 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Angles(pub BTreeMap<Joint, i16>);

impl Angles {
    pub fn get(&self, joint: Joint) -> f32 {
        f32::from(self.0.get(&joint).copied().unwrap_or(0))
    }

    pub fn set(&mut self, joint: Joint, degrees: i16) {
        if degrees == 0 {
            self.0.remove(&joint);
        } else {
            self.0.insert(joint, degrees);
        }
    }
}

/// Segment lengths as fractions of standing height (Winter's tables,
/// rounded); a figure is drawn 1.0 tall when standing.
pub mod length {
    pub const PELVIS: f32 = 0.06;
    pub const LUMBAR: f32 = 0.09;
    pub const THORACIC: f32 = 0.14;
    pub const NECK: f32 = 0.05;
    pub const HEAD_RADIUS: f32 = 0.062;
    pub const THIGH: f32 = 0.245;
    pub const SHANK: f32 = 0.246;
    pub const ANKLE_HEIGHT: f32 = 0.039;
    pub const FOOT: f32 = 0.13;
    pub const UPPER_ARM: f32 = 0.186;
    pub const FOREARM: f32 = 0.146;
    pub const HAND: f32 = 0.07;
    /// Half the distance between the hip joints, seen from the front.
    pub const HIP_HALF_WIDTH: f32 = 0.085;
    /// Half the distance between the shoulder joints, seen from the front.
    pub const SHOULDER_HALF_WIDTH: f32 = 0.125;
    /// The shoulder joint sits this far below the top of the upper trunk.
    pub const SHOULDER_DROP: f32 = 0.03;
}

/// A point in figure space: x to the facing direction, y up.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// The point `len` away in the direction `deg` (0 = straight up,
    /// positive turning toward +x).
    fn toward(self, deg: f32, len: f32) -> Self {
        let r = deg.to_radians();
        Self::new(self.x + len * r.sin(), self.y + len * r.cos())
    }
}

/// The points of a posed body, before it is placed on its support.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skeleton {
    pub hip_center: Point,
    pub lumbar_base: Point,
    pub thoracic_base: Point,
    pub neck_base: Point,
    pub head: Point,
    pub shoulder: [Point; 2],
    pub elbow: [Point; 2],
    pub wrist: [Point; 2],
    pub hand: [Point; 2],
    pub hip: [Point; 2],
    pub knee: [Point; 2],
    pub ankle: [Point; 2],
    pub heel: [Point; 2],
    pub toe: [Point; 2],
    /// The eyes that face the viewer (none from behind), so a patient sees
    /// which way the figure looks: face up or face down, head turned.
    pub eyes: Vec<Point>,
    /// The tip of the nose when the face is seen in profile.
    pub nose: Option<Point>,
}

/// Near is index 0, far index 1.
pub const NEAR: usize = 0;
pub const FAR: usize = 1;

impl Skeleton {
    /// Every point, for bounds and placement.
    pub fn points(&self) -> Vec<Point> {
        let mut all = vec![
            self.hip_center,
            self.lumbar_base,
            self.thoracic_base,
            self.neck_base,
        ];
        let (head, r) = (self.head, length::HEAD_RADIUS);
        all.extend([
            Point::new(head.x, head.y - r),
            Point::new(head.x, head.y + r),
            Point::new(head.x - r, head.y),
            Point::new(head.x + r, head.y),
        ]);
        for side in [NEAR, FAR] {
            all.extend([
                self.shoulder[side],
                self.elbow[side],
                self.wrist[side],
                self.hand[side],
                self.hip[side],
                self.knee[side],
                self.ankle[side],
                self.heel[side],
                self.toe[side],
            ]);
        }
        all
    }

    /// The same skeleton moved by (dx, dy).
    pub fn shifted(&self, dx: f32, dy: f32) -> Self {
        let m = |p: Point| Point::new(p.x + dx, p.y + dy);
        let both = |a: [Point; 2]| [m(a[0]), m(a[1])];
        Self {
            hip_center: m(self.hip_center),
            lumbar_base: m(self.lumbar_base),
            thoracic_base: m(self.thoracic_base),
            neck_base: m(self.neck_base),
            head: m(self.head),
            shoulder: both(self.shoulder),
            elbow: both(self.elbow),
            wrist: both(self.wrist),
            hand: both(self.hand),
            hip: both(self.hip),
            knee: both(self.knee),
            ankle: both(self.ankle),
            heel: both(self.heel),
            toe: both(self.toe),
            eyes: self.eyes.iter().copied().map(m).collect(),
            nose: self.nose.map(m),
        }
    }
}

/// Forward kinematics: the points of a body posed by `angles`, with the
/// middle of the hips at the origin.
pub fn pose(view: View, angles: &Angles) -> Skeleton {
    use length::*;
    let a = |j| angles.get(j);
    let origin = Point::default();
    // The trunk chain: pelvis, lower back, upper back, neck, head. Flexion
    // turns toward the facing direction (+x) in the side view, and in the
    // front view bends toward the figure's right (+x).
    let body = a(Joint::Body);
    let lumbar_dir = body + a(Joint::Lumbar);
    let thoracic_dir = lumbar_dir + a(Joint::Thoracic);
    let neck_dir = thoracic_dir + a(Joint::Neck);
    let lumbar_base = origin.toward(body, PELVIS);
    let thoracic_base = lumbar_base.toward(lumbar_dir, LUMBAR);
    let neck_base = thoracic_base.toward(thoracic_dir, THORACIC);
    let head_dir = neck_dir + a(Joint::Nod);
    let head = neck_base
        .toward(neck_dir, NECK)
        .toward(head_dir, HEAD_RADIUS);
    let side = |near: Joint, far: Joint| [a(near), a(far)];
    let hips = side(Joint::HipNear, Joint::HipFar);
    let knees = side(Joint::KneeNear, Joint::KneeFar);
    let ankles = side(Joint::AnkleNear, Joint::AnkleFar);
    let shoulders = side(Joint::ShoulderNear, Joint::ShoulderFar);
    let elbows = side(Joint::ElbowNear, Joint::ElbowFar);
    let wrists = side(Joint::WristNear, Joint::WristFar);
    let reach = side(Joint::ReachNear, Joint::ReachFar);
    let shoulder_top = thoracic_base.toward(thoracic_dir, THORACIC - SHOULDER_DROP);
    let mut s = Skeleton {
        hip_center: origin,
        lumbar_base,
        thoracic_base,
        neck_base,
        head,
        shoulder: [shoulder_top; 2],
        elbow: [origin; 2],
        wrist: [origin; 2],
        hand: [origin; 2],
        hip: [origin; 2],
        knee: [origin; 2],
        ankle: [origin; 2],
        heel: [origin; 2],
        toe: [origin; 2],
        eyes: Vec::new(),
        nose: None,
    };
    face(view, &mut s, head_dir, a(Joint::NeckTurn));
    // Turning the chest moves the shoulders: from the side they part (the
    // near one back), from the front they come closer.
    let chest_turn = a(Joint::TrunkTurn).to_radians();
    for i in [NEAR, FAR] {
        match view {
            View::Side => {
                // A leg hangs opposite the pelvis axis; hip flexion swings
                // it forward, knee flexion back, the foot points forward.
                let thigh_dir = body + 180.0 - hips[i];
                let shank_dir = thigh_dir + knees[i];
                let foot_dir = shank_dir - 90.0 - ankles[i];
                s.hip[i] = origin;
                s.knee[i] = origin.toward(thigh_dir, THIGH);
                s.ankle[i] = s.knee[i].toward(shank_dir, SHANK);
                s.heel[i] = s.ankle[i].toward(shank_dir, ANKLE_HEIGHT);
                s.toe[i] = s.heel[i].toward(foot_dir, FOOT);
                // An arm hangs along the upper back; flexion swings it
                // forward and up, the elbow bends it forward.
                let out = if i == NEAR { 1.0 } else { -1.0 };
                s.shoulder[i] = shoulder_top.toward(
                    thoracic_dir + 90.0,
                    -out * SHOULDER_HALF_WIDTH * chest_turn.sin(),
                );
                let upper_dir = thoracic_dir + 180.0 - shoulders[i];
                let fore_dir = upper_dir - elbows[i];
                s.elbow[i] = s.shoulder[i].toward(upper_dir, UPPER_ARM);
                s.wrist[i] = s.elbow[i].toward(fore_dir, FOREARM);
                s.hand[i] = s.wrist[i].toward(fore_dir - wrists[i], HAND);
            }
            View::Front => {
                // Near is the figure's right (+x side of the picture when
                // facing the viewer is mirrored by the renderer as needed).
                let out = if i == NEAR { 1.0 } else { -1.0 };
                let across = body + 90.0 * out;
                s.hip[i] = origin.toward(across, HIP_HALF_WIDTH);
                let thigh_dir = body + 180.0 - out * hips[i];
                // From the front a bent knee points outward a little, so the
                // bend reads; a straight leg stays straight.
                let shank_dir = thigh_dir - out * knees[i] * 0.5;
                s.knee[i] = s.hip[i].toward(thigh_dir, THIGH);
                s.ankle[i] = s.knee[i].toward(shank_dir, SHANK);
                s.heel[i] = s.ankle[i].toward(shank_dir, ANKLE_HEIGHT);
                s.toe[i] = s.heel[i].toward(shank_dir + 90.0 * out, FOOT * 0.45);
                let across_top = thoracic_dir + 90.0 * out;
                s.shoulder[i] =
                    shoulder_top.toward(across_top, SHOULDER_HALF_WIDTH * chest_turn.cos());
                let upper_dir = thoracic_dir + 180.0 - out * shoulders[i];
                let fore_dir = upper_dir - out * elbows[i];
                // An arm reaching toward the viewer looks shorter.
                let seen = reach[i].to_radians().cos();
                s.elbow[i] = s.shoulder[i].toward(upper_dir, UPPER_ARM * seen);
                s.wrist[i] = s.elbow[i].toward(fore_dir, FOREARM * seen);
                s.hand[i] = s.wrist[i].toward(fore_dir - out * wrists[i], HAND * seen);
            }
        }
    }
    s
}

/// Sets the eyes and nose of a head whose crown points `neck_dir`, turned
/// `turn` degrees (toward the viewer from the side, toward the picture's
/// right from the front). Each eye sits 32° either side of the nose; what
/// faces away from the viewer is hidden.
fn face(view: View, s: &mut Skeleton, neck_dir: f32, turn: f32) {
    use length::HEAD_RADIUS as R;
    // (across the picture, toward the viewer) of a direction `deg` around
    // the head from straight ahead.
    let seen = |deg: f32| {
        let (sin, cos) = deg.to_radians().sin_cos();
        match view {
            View::Side => (cos, sin),
            View::Front => (sin, cos),
        }
    };
    for offset in [-32.0, 32.0] {
        let (across, toward) = seen(turn + offset);
        if toward > 0.05 {
            s.eyes.push(
                s.head
                    .toward(neck_dir + 90.0, 0.6 * R * across)
                    .toward(neck_dir, 0.2 * R),
            );
        }
    }
    let (across, _) = seen(turn);
    if across.abs() > 0.5 {
        s.nose = Some(
            s.head
                .toward(neck_dir + 90.0, R * across)
                .toward(neck_dir, -0.05 * R),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn standing_is_about_one_tall_with_the_head_on_top() {
        let s = pose(View::Side, &Angles::default());
        let lowest = s.points().iter().map(|p| p.y).fold(f32::MAX, f32::min);
        let highest = s.points().iter().map(|p| p.y).fold(f32::MIN, f32::max);
        assert!(
            (highest - lowest - 1.0).abs() < 0.05,
            "{}",
            highest - lowest
        );
        assert!(close(s.head.x, 0.0) && s.head.y > s.neck_base.y);
        // The foot points forward, the arm hangs by the side.
        assert!(s.toe[NEAR].x > s.heel[NEAR].x);
        assert!(close(s.hand[NEAR].x, 0.0) && s.hand[NEAR].y < s.shoulder[NEAR].y);
    }

    #[test]
    fn flexing_the_hip_and_shoulder_swings_them_forward() {
        let mut angles = Angles::default();
        angles.set(Joint::HipNear, 90);
        angles.set(Joint::ShoulderNear, 180);
        let s = pose(View::Side, &angles);
        assert!(close(s.knee[NEAR].y, 0.0) && s.knee[NEAR].x > 0.2);
        assert!(s.hand[NEAR].y > s.head.y, "the arm is overhead");
        // Lying on the back: the head goes behind, face up.
        angles = Angles::default();
        angles.set(Joint::Body, -90);
        let s = pose(View::Side, &angles);
        assert!(s.head.x < -0.3 && close(s.head.y, 0.0));
    }
}
