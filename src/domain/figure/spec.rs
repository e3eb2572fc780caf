//! A figure as an exercise declares it: a view, what the body rests on,
//! props, and 2–3 frames, each a named base pose plus the joints that
//! differ. Resolved against the base poses into full joint angles, checked
//! against the ranges of motion and, by the catalog, against the tags.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::body::{Angles, Joint, View};
use crate::domain::FieldError;

/// What the body rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    Floor,
    Bed,
    Chair,
    Ball,
    Roller,
}

impl Support {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "floor" => Some(Self::Floor),
            "bed" => Some(Self::Bed),
            "chair" => Some(Self::Chair),
            "ball" => Some(Self::Ball),
            "roller" => Some(Self::Roller),
            _ => None,
        }
    }
}

/// Things drawn with the body, each placed against the body part it serves.
pub const PROPS: [&str; 14] = [
    "mat",
    "chair",
    "wall",
    "counter",
    "step",
    "doorway",
    "foam-roller",
    "ball",
    "band",
    "dumbbell",
    "strap",
    "pillow",
    "bed",
    "stick",
];

/// A base pose: what it rests on and its joint angles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasePose {
    pub view: View,
    pub support: Support,
    pub angles: Angles,
}

/// What the fingers do, shown in a close-up circle beside the body: too
/// small to read at the end of a whole arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hand {
    /// Seen from the thumb side: fingers straight.
    Open,
    /// Fingers bent at the middle and end joints, knuckles straight.
    Hook,
    /// A full fist.
    Fist,
    /// A fist around a soft ball.
    Squeeze,
    /// Thumb tip to finger tips around a small ball.
    Pinch,
    /// Seen from the palm: fingers straight and together.
    Flat,
    /// Seen from the palm: fingers spread against a band around them.
    Spread,
    /// Seen from the palm: the thumb tip touching the little finger.
    Oppose,
}

impl Hand {
    pub const NAMES: [&'static str; 8] = [
        "open", "hook", "fist", "squeeze", "pinch", "flat", "spread", "oppose",
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "open" => Self::Open,
            "hook" => Self::Hook,
            "fist" => Self::Fist,
            "squeeze" => Self::Squeeze,
            "pinch" => Self::Pinch,
            "flat" => Self::Flat,
            "spread" => Self::Spread,
            "oppose" => Self::Oppose,
            _ => return None,
        })
    }
}

/// One frame as written: a base pose and the joints that differ.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FrameInput {
    #[serde(default)]
    pub label: Option<String>,
    pub pose: String,
    /// The near hand's fingers in a close-up (`open`, `fist`, …).
    #[serde(default)]
    pub hand: Option<String>,
    /// Joint angles in whole degrees, by key (`knee`, `hip_near`, …).
    #[serde(flatten)]
    pub joints: BTreeMap<String, i64>,
}

/// A `[figure]` table as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureInput {
    /// Overrides the base pose's support (e.g. `bed` for a lying exercise).
    #[serde(default)]
    pub support: Option<String>,
    #[serde(default)]
    pub props: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub frame: Vec<FrameInput>,
}

/// One resolved frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub label: String,
    pub angles: Angles,
    /// The fingers in a close-up, when the exercise is about them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand: Option<Hand>,
}

/// A checked figure, self-contained (its base poses resolved), so a
/// published version keeps drawing it the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub view: View,
    pub support: Support,
    pub props: Vec<String>,
    pub frames: Vec<Frame>,
}

/// Longest frame label, in characters (it sits under a small panel).
pub const LABEL_MAX: usize = 16;

/// Frames per figure.
pub const FRAMES: (usize, usize) = (2, 3);

impl Figure {
    /// Resolves `input` against the base poses, checking every value.
    pub fn parse(
        input: &FigureInput,
        poses: &BTreeMap<String, BasePose>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let err = |errors: &mut Vec<FieldError>, message: String| {
            errors.push(FieldError::new("figure", message));
        };
        if input.frame.len() < FRAMES.0 || input.frame.len() > FRAMES.1 {
            err(
                &mut errors,
                format!(
                    "needs {} to {} frames (got {})",
                    FRAMES.0,
                    FRAMES.1,
                    input.frame.len()
                ),
            );
        }
        for prop in &input.props {
            if !PROPS.contains(&prop.as_str()) {
                err(
                    &mut errors,
                    format!("unknown prop `{prop}`; use one of {}", PROPS.join(", ")),
                );
            }
        }
        let mut view = None;
        let mut support = None;
        let mut frames = Vec::new();
        for (i, frame) in input.frame.iter().enumerate() {
            let n = i + 1;
            let Some(base) = poses.get(&frame.pose) else {
                let known: Vec<&str> = poses.keys().map(String::as_str).collect();
                err(
                    &mut errors,
                    format!(
                        "frame {n}: unknown pose `{}`; use one of {}",
                        frame.pose,
                        known.join(", ")
                    ),
                );
                continue;
            };
            match view {
                None => view = Some(base.view),
                Some(v) if v != base.view => err(
                    &mut errors,
                    format!(
                        "frame {n}: pose `{}` is drawn from the {:?} but the first frame from the {v:?}; one figure has one view",
                        frame.pose, base.view
                    ),
                ),
                Some(_) => {}
            }
            support.get_or_insert(base.support);
            let mut angles = base.angles.clone();
            for (key, degrees) in &frame.joints {
                match Joint::parse_key(key) {
                    None => err(
                        &mut errors,
                        format!(
                            "frame {n}: unknown joint `{key}`; use one of {}",
                            Joint::keys()
                        ),
                    ),
                    Some(joints) => match i16::try_from(*degrees) {
                        Ok(degrees) => {
                            for joint in joints {
                                angles.set(joint, degrees);
                            }
                        }
                        Err(_) => err(
                            &mut errors,
                            format!("frame {n}: {key} = {degrees} is not an angle"),
                        ),
                    },
                }
            }
            let view = view.unwrap_or(base.view);
            for joint in Joint::ALL {
                let (lo, hi) = joint.range(view);
                let value = angles.get(joint);
                if !(lo..=hi).contains(&value) {
                    err(
                        &mut errors,
                        format!("frame {n}: {joint} at {value}° is outside the human range {lo}° to {hi}°"),
                    );
                }
            }
            if frame
                .label
                .as_ref()
                .is_some_and(|l| l.trim().is_empty() || l.chars().count() > LABEL_MAX)
            {
                err(
                    &mut errors,
                    format!("frame {n}: a label has 1 to {LABEL_MAX} characters"),
                );
            }
            let hand = frame.hand.as_deref().and_then(|raw| {
                Hand::parse(raw).or_else(|| {
                    err(
                        &mut errors,
                        format!(
                            "frame {n}: unknown hand `{raw}`; use one of {}",
                            Hand::NAMES.join(", ")
                        ),
                    );
                    None
                })
            });
            frames.push(Frame {
                label: frame
                    .label
                    .clone()
                    .unwrap_or_else(|| default_label(i, input.frame.len())),
                angles,
                hand,
            });
        }
        let hands = frames.iter().filter(|f| f.hand.is_some()).count();
        if hands != 0 && hands != frames.len() {
            err(
                &mut errors,
                "a hand close-up needs a hand in every frame".into(),
            );
        }
        if frames.len() >= 2
            && frames
                .windows(2)
                .any(|w| same(&w[0].angles, &w[1].angles) && w[0].hand == w[1].hand)
        {
            err(
                &mut errors,
                "two frames in a row are the same pose; show what moves".into(),
            );
        }
        let support = match &input.support {
            Some(raw) => Support::parse(raw).or_else(|| {
                err(
                    &mut errors,
                    format!("unknown support `{raw}`; use floor, bed, chair, ball or roller"),
                );
                None
            }),
            None => support,
        };
        match (view, support) {
            (Some(view), Some(support)) if errors.is_empty() => Ok(Self {
                view,
                support,
                props: input.props.clone(),
                frames,
            }),
            _ => Err(errors),
        }
    }

    /// The largest value of `joint` over the frames.
    pub fn max(&self, joint: Joint) -> f32 {
        self.frames
            .iter()
            .map(|f| f.angles.get(joint))
            .fold(f32::MIN, f32::max)
    }

    /// The smallest value of `joint` over the frames.
    pub fn min(&self, joint: Joint) -> f32 {
        self.frames
            .iter()
            .map(|f| f.angles.get(joint))
            .fold(f32::MAX, f32::min)
    }
}

fn default_label(index: usize, count: usize) -> String {
    match (index, count) {
        (0, _) => "Start".into(),
        (i, n) if i + 1 == n => "Finish".into(),
        _ => "Then".into(),
    }
}

fn same(a: &Angles, b: &Angles) -> bool {
    Joint::ALL
        .iter()
        .all(|j| (a.get(*j) - b.get(*j)).abs() < 0.5)
}

/// The base poses of `poses.toml`: each a table with `view`, `support` and
/// joint angles.
pub fn parse_poses(text: &str) -> Result<BTreeMap<String, BasePose>, String> {
    #[derive(Deserialize)]
    struct Raw {
        view: View,
        support: String,
        #[serde(flatten)]
        joints: BTreeMap<String, i64>,
    }
    let raw: BTreeMap<String, Raw> = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    let mut poses = BTreeMap::new();
    for (name, pose) in raw {
        let support = Support::parse(&pose.support)
            .ok_or_else(|| format!("{name}: unknown support `{}`", pose.support))?;
        let mut angles = Angles::default();
        for (key, degrees) in pose.joints {
            let joints = Joint::parse_key(&key).ok_or_else(|| {
                format!(
                    "{name}: unknown joint `{key}`; use one of {}",
                    Joint::keys()
                )
            })?;
            let degrees = i16::try_from(degrees)
                .map_err(|_| format!("{name}: {key} = {degrees} is not an angle"))?;
            for joint in joints {
                angles.set(joint, degrees);
            }
        }
        for joint in Joint::ALL {
            let (lo, hi) = joint.range(pose.view);
            let value = angles.get(joint);
            if !(lo..=hi).contains(&value) {
                return Err(format!(
                    "{name}: {joint} at {value}° is outside the human range {lo}° to {hi}°"
                ));
            }
        }
        poses.insert(
            name,
            BasePose {
                view: pose.view,
                support,
                angles,
            },
        );
    }
    Ok(poses)
}
