//! The clinical verdicts the built-in catalog must give, pair by pair, each
//! with the one-line reason a cautious orthopaedic therapist would accept.
//! The table was written blind (from the exercise texts and the
//! precautions' descriptions, not from the tags) and reconciled once; a
//! change of tags or rules that flips one of these is a clinical change and
//! needs the same review.

use super::{candidate, checked_builtin, rule, Catalog};
use crate::domain::ids::ExerciseId;
use crate::domain::rules::{alternatives, verdict, VerdictKind};
use VerdictKind::{Avoid, Caution, Neutral, Prefer};

/// (exercise slug, precaution id, expected verdict, why).
const CASES: &[(&str, &str, VerdictKind, &str)] = &[
    ("abdominal-bracing", "abdominal-hernia", Neutral, "Gentle low-effort tightening with steady breathing is how the abdominal wall is retrained"),
    ("curl-up", "abdominal-hernia", Avoid, "Curling the head and shoulders up raises abdominal pressure and pushes the belly wall out at the hernia"),
    ("dead-bug", "abdominal-hernia", Caution, "Lowering a leg and arm while lying on the back loads the abdominal wall; small range, breathing out"),
    ("diaphragmatic-breathing", "abdominal-hernia", Neutral, "Relaxed breathing with no effort or bearing down"),
    ("farmer-carry", "abdominal-hernia", Avoid, "Heavy two-handed carrying makes people brace and strain, the classic hernia-provoking load"),
    ("full-squat", "abdominal-hernia", Avoid, "A deep squat holding weights is heavy lifting that raises abdominal pressure"),
    ("glute-bridge", "abdominal-hernia", Neutral, "Hip lift with the breath out and no heavy load on the abdominal wall"),
    ("hop-in-place", "abdominal-hernia", Caution, "Landing jolts raise abdominal pressure in spikes; start small and stop if a bulge appears"),
    ("lower-trunk-rotation", "abdominal-hernia", Caution, "Twisting stretches the belly wall and a fresh scar; keep it small and stop at any pull"),
    ("mini-squat", "abdominal-hernia", Neutral, "Light body-weight squats with steady breathing do not strain the abdominal wall"),
    ("plank", "abdominal-hernia", Avoid, "A long near-maximal hold with the belly wall facing the floor invites breath holding and bearing down"),
    ("prone-press-up", "abdominal-hernia", Caution, "Pressing up from lying face down stretches the belly wall and a fresh repair; keep it small"),
    ("push-up", "abdominal-hernia", Avoid, "Holding the trunk rigid face down loads the whole abdominal wall; a wall push-up spares it"),
    ("side-plank-knees", "abdominal-hernia", Avoid, "A straining side hold with the breath held loads the belly wall and groin"),
    ("single-leg-bridge", "abdominal-hernia", Caution, "Holding one leg out while bridging raises the pressure in the belly; keep it short and breathe out"),
    ("sit-to-stand", "abdominal-hernia", Neutral, "Rhythmic body-weight movement, breathing out as you stand, with no held breath"),
    ("standing-back-extension", "abdominal-hernia", Caution, "Leaning back stretches the abdominal wall over the hernia or scar; go only a little way"),
    ("straight-leg-raise", "abdominal-hernia", Caution, "Lifting a straight leg from lying pulls on the lower abdominal wall and groin; go slowly, no breath holding"),
    ("wall-sit", "abdominal-hernia", Avoid, "A long hard thigh hold invites breath holding and bearing down against the hernia"),
    ("chin-tuck", "acute-neck-radicular", Prefer, "Gentle chin tucks in mid-range are first-line care and often ease arm symptoms"),
    ("farmer-carry", "acute-neck-radicular", Avoid, "Carried weights drag the shoulders down and load the spine, tensioning the irritated root"),
    ("gaze-stabilisation", "acute-neck-radicular", Caution, "Repeated head turns can flare an irritated root; keep them small and stop at any arm symptoms"),
    ("median-nerve-glide", "acute-neck-radicular", Caution, "Nerve gliding can help but may flare an irritated root; keep it small and stop at any tingling"),
    ("neck-extension-active", "acute-neck-radicular", Caution, "Tipping the head back narrows the foramen; keep it small and stop at any arm symptoms"),
    ("neck-isometrics", "acute-neck-radicular", Neutral, "Light isometrics with the head still in neutral spare the nerve root"),
    ("neck-rotation-stretch", "acute-neck-radicular", Avoid, "A held stretch at the end of neck rotation narrows the space where the nerve root exits"),
    ("scalene-stretch", "acute-neck-radicular", Avoid, "Held side-bend with chin lift and collarbone fixation narrows the foramen and tensions the plexus"),
    ("scapular-squeeze", "acute-neck-radicular", Neutral, "Gentle shoulder blade work with the neck still; no end-range or loading"),
    ("upper-trapezius-stretch", "acute-neck-radicular", Avoid, "Sustained side-bend stretch with hand overpressure tensions the irritated nerve root"),
    ("cross-body-stretch", "anatomic-shoulder-replacement", Avoid, "A hard end-range stretch strains the healing capsule and tendon repair"),
    ("doorway-pec-stretch", "anatomic-shoulder-replacement", Avoid, "The arm turned out in a doorway stretches the repaired front tendon"),
    ("pendulum", "anatomic-shoulder-replacement", Neutral, "Relaxed swings in front of the body"),
    ("prone-press-up", "anatomic-shoulder-replacement", Avoid, "Pushing up through the arms loads the repaired front tendon"),
    ("push-up", "anatomic-shoulder-replacement", Avoid, "Body weight through the arms in a pushing position strains the repair"),
    ("scapular-squeeze", "anatomic-shoulder-replacement", Neutral, "Shoulder blade work with the arms by the sides"),
    ("shoulder-internal-rotation-band", "anatomic-shoulder-replacement", Caution, "Turning in against a band works the repaired tendon; keep it light and in front of the body"),
    ("table-slide", "anatomic-shoulder-replacement", Neutral, "Supported forward reach on a table, the standard early motion"),
    ("towel-internal-rotation-stretch", "anatomic-shoulder-replacement", Avoid, "Pulling the hand up behind the back is a hard end-range stretch on the new joint"),
    ("ankle-pumps", "anterior-hip-precautions", Neutral, "Ankle movement with the hip still; the first exercise after the operation"),
    ("clamshell", "anterior-hip-precautions", Avoid, "Opening the knee turns the thigh out, stressing the front of a hip opened from the front"),
    ("forward-lunge", "anterior-hip-precautions", Avoid, "The back leg of a lunge takes the hip behind the body, the direction an anterior hip dislocates"),
    ("glute-bridge", "anterior-hip-precautions", Neutral, "Lifting the hips only to a straight line keeps the hip at neutral, not behind it"),
    ("heel-slide", "anterior-hip-precautions", Neutral, "Bending the hip and knee on the bed is allowed after an anterior approach"),
    ("hip-flexor-stretch-half-kneeling", "anterior-hip-precautions", Avoid, "Kneeling and stretching the hip back behind the body is the position the precautions bar"),
    ("piriformis-stretch", "anterior-hip-precautions", Avoid, "The figure-4 turns the thigh out at the hip"),
    ("plantar-fascia-stretch", "anterior-hip-precautions", Avoid, "Crossing the ankle over the other knee turns the thigh out at the new hip"),
    ("prone-hip-extension", "anterior-hip-precautions", Avoid, "Lifting the leg back lying face down takes the hip past neutral"),
    ("quad-set", "anterior-hip-precautions", Neutral, "Thigh tightening with the leg still on the bed"),
    ("single-leg-stance", "anterior-hip-precautions", Caution, "Standing on the new hip alone only as the surgeon allows, beside a counter"),
    ("sit-to-stand", "anterior-hip-precautions", Neutral, "Chair stands with the knees forward are the daily task the hip must relearn"),
    ("standing-hip-extension", "anterior-hip-precautions", Avoid, "Kicking the leg back past the line of the body stretches the front of the new hip"),
    ("balance-pad-stance", "anticoagulation", Caution, "Unstable surface raises fall risk; only with a hand ready on the counter"),
    ("foam-roller-upper-back-release", "anticoagulation", Caution, "Firm rolling pressure can bruise on blood thinners; press gently"),
    ("forward-lunge", "anticoagulation", Caution, "Stepping into a lunge briefly loads one leg and can tip a patient off balance"),
    ("glute-bridge", "anticoagulation", Neutral, "Done lying on a firm bed, with no fall or impact risk"),
    ("heel-drop-step", "anticoagulation", Caution, "Lowering on one leg at a step edge risks a fall; hold the rail the whole time"),
    ("heel-toe-walk", "anticoagulation", Caution, "Walking on a narrow line challenges balance; keep a hand by the counter"),
    ("hop-in-place", "anticoagulation", Avoid, "Impact and brief flight phases risk a fall or joint bleed while anticoagulated"),
    ("marching-in-place", "anticoagulation", Neutral, "Marching beside a counter keeps one foot down with no impact"),
    ("plank", "anticoagulation", Neutral, "A static hold on the forearms has no fall or impact risk"),
    ("seated-ball-march", "anticoagulation", Caution, "Sitting on a ball with a foot lifted can tip a patient off; keep a support within reach"),
    ("single-leg-stance", "anticoagulation", Caution, "Balance work is fine beside a counter, but a fall on blood thinners can bleed badly"),
    ("sit-to-stand", "anticoagulation", Neutral, "Chair stands on solid ground carry little fall or impact risk"),
    ("step-down-forward", "anticoagulation", Caution, "Balancing on one leg on a step can end in a fall; keep a hand on the rail"),
    ("tandem-stance", "anticoagulation", Caution, "Narrow-base balance work only beside a counter, since a fall can cause serious bleeding"),
    ("walking-program", "anticoagulation", Neutral, "Steady walking on level ground has no impact, the kind of activity this precaution recommends"),
    ("walking-with-head-turns", "anticoagulation", Caution, "Head turns while walking can make a patient stagger; stay within touch of the wall"),
    ("balance-pad-stance", "cervical-myelopathy", Avoid, "Unstable surface with impaired leg sensation; a fall can injure the cord"),
    ("chin-tuck", "cervical-myelopathy", Neutral, "A small, gentle retraction in mid-range without end-range or load"),
    ("curl-up", "cervical-myelopathy", Avoid, "Curling the head up from lying loads the neck in flexion"),
    ("farmer-carry", "cervical-myelopathy", Avoid, "Heavy carried weights drag on the neck and load the spine"),
    ("gaze-stabilisation", "cervical-myelopathy", Caution, "Repeated head turns must stay small and slow; stop at any electric or arm symptoms"),
    ("heel-drop-step", "cervical-myelopathy", Caution, "One-leg work on a step edge with clumsy legs; only while holding the rail"),
    ("hop-in-place", "cervical-myelopathy", Avoid, "Landing jolts travel up the spine to a compressed or unstable neck"),
    ("levator-scapulae-stretch", "cervical-myelopathy", Avoid, "Chin down and turned to end range with hand pressure stretches the cord and loads the neck"),
    ("median-nerve-glide", "cervical-myelopathy", Caution, "Nerve glides tension neural tissue; keep them small and symptom-free"),
    ("neck-extension-active", "cervical-myelopathy", Avoid, "Tipping the head back narrows the spinal canal and can compress the cord"),
    ("neck-isometrics", "cervical-myelopathy", Neutral, "Gentle holds with the head still in neutral steady the neck without moving it"),
    ("neck-rotation-stretch", "cervical-myelopathy", Avoid, "A held end-range turn strains an unstable or narrowed neck"),
    ("neck-side-bend-active", "cervical-myelopathy", Caution, "Gentle tilting in mid-range only; stop at any electric or arm symptoms"),
    ("prone-t-raise", "cervical-myelopathy", Caution, "Face down, the neck must stay level on a towel, not turned or tipped back"),
    ("scapular-squeeze", "cervical-myelopathy", Neutral, "Shoulder blade work with the head still and level"),
    ("seated-forward-bend", "cervical-myelopathy", Avoid, "Letting the head hang takes the neck into full flexion, which stretches the cord"),
    ("sit-to-stand", "cervical-myelopathy", Neutral, "Leg strength for transfers with the neck still"),
    ("step-down-forward", "cervical-myelopathy", Caution, "Single-leg control on a step with clumsy legs; hold the rail and keep the step low"),
    ("suboccipital-release", "cervical-myelopathy", Avoid, "The head's weight on a ball under the skull presses on the upper neck, unsafe with instability or a narrowed canal"),
    ("supine-chin-tuck-head-lift", "cervical-myelopathy", Avoid, "Lifting the head against gravity loads the neck in flexion, which stretches the cord"),
    ("tandem-stance", "cervical-myelopathy", Caution, "Narrow-base balance with myelopathic legs only beside a counter"),
    ("upper-trapezius-stretch", "cervical-myelopathy", Avoid, "An end-range neck stretch with hand pressure is barred with cord compression or instability"),
    ("walking-with-head-turns", "cervical-myelopathy", Caution, "Small head turns while walking challenge both the neck and impaired balance"),
    ("cat-camel", "deep-knee-restricted", Avoid, "Requires kneeling on hands and knees, which aggravates knee OA and kneecap pain"),
    ("child-pose", "deep-knee-restricted", Avoid, "Kneeling and sitting back on the heels forces the knee into full flexion"),
    ("forward-lunge", "deep-knee-restricted", Avoid, "Deep lunge with the back knee toward the floor loads both knees in deep flexion"),
    ("full-squat", "deep-knee-restricted", Avoid, "Deep loaded squatting maximises kneecap joint load and provokes OA and patellofemoral pain"),
    ("heel-drop-step", "deep-knee-restricted", Neutral, "Calf loading with the knee straight; no deep bending, kneeling or impact"),
    ("heel-raise", "deep-knee-restricted", Neutral, "Calf strengthening with knees straight; no deep knee bending or impact"),
    ("hop-in-place", "deep-knee-restricted", Avoid, "Repetitive landing impact aggravates knee osteoarthritis and kneecap pain"),
    ("knee-bend-slide-seated", "deep-knee-restricted", Neutral, "The knee bends past a right angle only while sitting, with no body weight on it"),
    ("knee-straightening-stretch", "deep-knee-restricted", Neutral, "Straightening the knee lying down; no bending, kneeling or impact"),
    ("quadruped-plus", "deep-knee-restricted", Avoid, "Hands-and-knees position puts direct pressure on the kneecaps; use a wall version instead"),
    ("stationary-bike", "deep-knee-restricted", Neutral, "Cycling bends the knee without body weight or impact, a mainstay for knee OA"),
    ("step-down-forward", "deep-knee-restricted", Neutral, "A low step keeps the knee well short of deep bending, with no kneeling or landing"),
    ("thoracic-extension-chair", "deep-knee-restricted", Avoid, "Kneeling on the floor loads the front of the knee; a seated extension stretch avoids it"),
    ("ankle-pumps", "diabetic-feet", Neutral, "Seated ankle movement with no load through the feet"),
    ("ball-roll-foot", "diabetic-feet", Avoid, "Pressing a numb sole onto a ball can bruise or break skin the patient cannot feel"),
    ("balance-pad-stance", "diabetic-feet", Caution, "A soft pad hides what numb feet already cannot feel; only beside a counter"),
    ("heel-drop-step", "diabetic-feet", Caution, "Body weight on the ball of one foot at a step edge, where ulcers form; in shoes, holding the rail"),
    ("heel-raise", "diabetic-feet", Caution, "Rising on tiptoe narrows the base and loads the forefoot where ulcers form; hold the counter"),
    ("heel-toe-walk", "diabetic-feet", Caution, "Balance walking with reduced foot feeling; keep a hand by the counter"),
    ("hop-in-place", "diabetic-feet", Avoid, "Repeated landing pounds feet that cannot feel damage, risking ulcers and Charcot foot"),
    ("marching-in-place", "diabetic-feet", Neutral, "Low-impact marching with one foot always down and a counter to hold"),
    ("plantar-fascia-stretch", "diabetic-feet", Neutral, "The hand stretches the toes; no load or pressure on the sole"),
    ("seated-heel-toe-raise", "diabetic-feet", Neutral, "Seated calf and shin work with little load on the soles"),
    ("side-stepping", "diabetic-feet", Caution, "Sideways walking challenges balance with poor foot feeling; stay beside the counter"),
    ("single-leg-stance", "diabetic-feet", Caution, "Poor foot sensation impairs balance; stand beside a counter in shoes"),
    ("sit-to-stand", "diabetic-feet", Neutral, "Chair stands load the feet gently with no pounding"),
    ("stationary-bike", "diabetic-feet", Neutral, "Cycling in shoes takes body weight off feet that cannot feel damage"),
    ("step-down-forward", "diabetic-feet", Caution, "One-leg balance on a step with reduced foot feeling; in shoes, holding the rail"),
    ("step-up", "diabetic-feet", Neutral, "Controlled stepping with no landing jolt"),
    ("tandem-stance", "diabetic-feet", Caution, "Narrow-base balance with numb feet; only beside a counter with a hand ready"),
    ("towel-scrunch", "diabetic-feet", Avoid, "Bare toes gripping a towel on the floor can rub or cut skin that has lost feeling"),
    ("cat-camel", "extension-intolerant", Avoid, "The sagging phase arches the lower back, the movement stenosis and facet pain do not tolerate"),
    ("clamshell", "extension-intolerant", Neutral, "Side-lying hip work with the spine in neutral; no back arching involved"),
    ("double-knee-to-chest", "extension-intolerant", Prefer, "Gentle lumbar flexion opens the canal and usually eases stenosis and facet symptoms"),
    ("plank", "extension-intolerant", Caution, "A sagging trunk arches the low back; brace, keep hips level, or hold on the knees"),
    ("posterior-pelvic-tilt", "extension-intolerant", Prefer, "Flattens the lumbar curve and trains the core in a flexion-biased, symptom-easing position"),
    ("prone-hip-extension", "extension-intolerant", Avoid, "Lifting the leg while lying face down arches the lower back"),
    ("prone-opposite-arm-leg", "extension-intolerant", Avoid, "Lifting arm and leg face down extends the lumbar spine, provocative in stenosis or facet pain"),
    ("prone-press-up", "extension-intolerant", Avoid, "Repeated lumbar extension narrows the canal and loads the facets, provoking symptoms"),
    ("prone-y-raise", "extension-intolerant", Caution, "Face-down lying with arm lift can extend the low back; pillow under belly, keep chest down"),
    ("push-up", "extension-intolerant", Caution, "Plank position: a sagging trunk arches the low back; brace firmly or do it on the knees"),
    ("seated-forward-bend", "extension-intolerant", Prefer, "Seated forward bending is the classic symptom-easing position in stenosis and facet pain"),
    ("standing-back-extension", "extension-intolerant", Avoid, "Leaning back in standing is the provoking movement in stenosis and facet pain"),
    ("stationary-bike", "extension-intolerant", Neutral, "Sitting on a bike keeps the back upright or slightly forward, which stenosis usually tolerates"),
    ("quadruped-plus", "fall-risk", Avoid, "Getting down to hands and knees on the floor and back up is a fall risk alone"),
    ("thoracic-extension-chair", "fall-risk", Avoid, "Kneeling on the floor means getting down and up again, a fall risk alone"),
    ("cat-camel", "fall-risk", Avoid, "A hands-and-knees floor exercise needs a floor transfer, a fall risk alone"),
    ("forward-lunge", "fall-risk", Avoid, "Stepping out into a lunge puts the weight on one leg mid-step, a fall risk alone"),
    ("full-squat", "fall-risk", Caution, "A deep squat challenges balance on the way up; only beside a counter"),
    ("balance-pad-stance", "fall-risk", Avoid, "Standing on a soft foam pad is an unstable-surface task unsuitable without supervision"),
    ("clock-reach", "fall-risk", Avoid, "Single-leg stance while reaching out with the other foot is a high fall risk unsupervised"),
    ("gaze-stabilisation", "fall-risk", Neutral, "Done sitting in a chair with the back supported, so no balance demand"),
    ("glute-bridge", "fall-risk", Neutral, "Done on a firm bed, so no floor transfer or balance demand"),
    ("heel-drop-step", "fall-risk", Avoid, "Lowering on one leg at the edge of a step is a fall risk unsupervised at home"),
    ("heel-slide", "fall-risk", Neutral, "Bed exercise with no balance demand or floor transfer"),
    ("heel-toe-walk", "fall-risk", Caution, "Walking balance task on a narrow line: keep a hand on the counter the whole way"),
    ("hop-in-place", "fall-risk", Avoid, "Hopping combines impact with brief airborne single-support phases; high fall risk"),
    ("knee-bend-slide-seated", "fall-risk", Neutral, "Chair exercise with no balance demand"),
    ("knee-straightening-stretch", "fall-risk", Neutral, "Lying on a firm bed with no balance demand or floor transfer"),
    ("plantar-fascia-stretch", "fall-risk", Neutral, "Done sitting in a chair; no balance demand"),
    ("quad-set", "fall-risk", Neutral, "Lying on a firm bed with no balance demand"),
    ("seated-ball-march", "fall-risk", Avoid, "Sitting on an unstable ball with one foot lifted is a fall risk when exercising alone"),
    ("single-leg-stance", "fall-risk", Avoid, "Standing on one leg unsupervised at home is a fall risk for this patient"),
    ("sit-to-stand", "fall-risk", Prefer, "Chair stands build leg strength for transfers and are a core fall-prevention exercise"),
    ("step-down-forward", "fall-risk", Avoid, "Standing on one leg on a step while the other reaches down is a high fall risk alone"),
    ("straight-leg-raise", "fall-risk", Neutral, "Done lying on a firm bed; no balance demand"),
    ("tandem-stance", "fall-risk", Caution, "Narrow-base balance work only right beside a counter with a hand ready to hold"),
    ("walking-with-head-turns", "fall-risk", Caution, "Head turns while walking challenge balance; stay within touch of the wall and go slowly"),
    ("cat-camel", "flexion-intolerant", Avoid, "The rounding (cat) phase reinforces the rounded upper back; keep only the arching part"),
    ("chin-tuck", "flexion-intolerant", Prefer, "Seated chin tucks retrain the deep neck flexors and counter forward head posture"),
    ("doorway-pec-stretch", "flexion-intolerant", Prefer, "Stretches tight pectorals that pull the shoulders forward in the upper crossed pattern"),
    ("mid-back-stretch", "flexion-intolerant", Avoid, "Sustained upper back rounding with shoulder blades spread reinforces the rounded posture"),
    ("push-up", "flexion-intolerant", Avoid, "Chest-dominant pressing pulls the shoulders forward and reinforces the rounded posture"),
    ("scalene-stretch", "flexion-intolerant", Neutral, "Neck side-bend stretch; no trunk rounding or chest pressing, but not a key postural target"),
    ("scapular-squeeze", "flexion-intolerant", Prefer, "Shoulder blade retraction training directly counters rounded shoulders"),
    ("single-knee-to-chest", "flexion-intolerant", Neutral, "Supported lumbar flexion lying down; does not round the upper back or load the neck"),
    ("standing-row", "flexion-intolerant", Prefer, "Band rows strengthen the shoulder blade retractors to counter rounded shoulders"),
    ("supine-chin-tuck-head-lift", "flexion-intolerant", Prefer, "Deep neck flexor training is first-line care for forward head posture; no trunk rounding"),
    ("thoracic-extension-chair", "flexion-intolerant", Prefer, "Mobilises the stiff upper back into extension, the main target in upper crossed posture"),
    ("wall-angel", "flexion-intolerant", Prefer, "Trains upper back extension and shoulder blade control against the wall"),
    ("wall-push-up", "flexion-intolerant", Avoid, "Push-ups of any kind train the chest and draw the shoulders forward; rows instead"),
    ("cat-camel", "head-down-restricted", Avoid, "Dropping the head on hands and knees takes it below the heart in every rounding, raising eye pressure"),
    ("child-pose", "head-down-restricted", Avoid, "Resting the forehead on the floor puts the head well below the heart"),
    ("chin-tuck", "head-down-restricted", Neutral, "A small head movement with the head level or raised"),
    ("double-knee-to-chest", "head-down-restricted", Neutral, "Lying with the head resting on the bed keeps it level with the heart"),
    ("farmer-carry", "head-down-restricted", Avoid, "Heavy carrying invites breath holding and straining, which raise eye pressure"),
    ("hip-hinge-dowel", "head-down-restricted", Neutral, "A part hinge with the head in line with the back keeps it above the heart"),
    ("hop-in-place", "head-down-restricted", Avoid, "Jolting landings are kept out while a repaired retina heals"),
    ("marching-in-place", "head-down-restricted", Neutral, "Upright and steady with the head up"),
    ("pendulum", "head-down-restricted", Neutral, "Leaning a little on a counter keeps the head above the heart"),
    ("plank", "head-down-restricted", Avoid, "A long straining hold with the breath held raises eye pressure"),
    ("seated-forward-bend", "head-down-restricted", Avoid, "Letting the head hang towards the floor takes it below the heart"),
    ("sit-to-stand", "head-down-restricted", Neutral, "Upright chair stands, breathing out on the way up"),
    ("stationary-bike", "head-down-restricted", Neutral, "Upright easy pedalling with the head up"),
    ("suitcase-carry", "head-down-restricted", Caution, "A light carried weight is fine with the breath let out; keep it light"),
    ("thoracic-extension-chair", "head-down-restricted", Avoid, "Sinking the chest between the arms at a chair drops the head below the heart"),
    ("diaphragmatic-breathing", "heart-failure", Neutral, "Relaxed seated breathing with no strain"),
    ("farmer-carry", "heart-failure", Avoid, "Heavy gripping carry invites breath holding and a pressor surge the failing heart handles poorly"),
    ("glute-bridge", "heart-failure", Caution, "Lying flat may bring on breathlessness; raise the head and chest on pillows"),
    ("heel-raise", "heart-failure", Neutral, "Light rhythmic calf work standing at a counter"),
    ("hop-in-place", "heart-failure", Caution, "Hopping is a burst of high effort; only if the heart team has cleared it"),
    ("knee-straightening-stretch", "heart-failure", Caution, "Lying flat for minutes may bring on breathlessness; sit up with the back on pillows"),
    ("marching-in-place", "heart-failure", Neutral, "Steady low-intensity conditioning, the mainstay of heart failure rehab"),
    ("overhead-press-seated", "heart-failure", Caution, "Loaded overhead pressing raises heart work; light weights, few reps, breathe out"),
    ("plank", "heart-failure", Avoid, "A sustained near-maximal hold invites breath holding and raises afterload"),
    ("prone-press-up", "heart-failure", Caution, "Lying face down can be hard to breathe in with heart failure; keep it short"),
    ("quad-set", "heart-failure", Caution, "Done lying flat, which may bring on breathlessness; raise the head or do it sitting"),
    ("seated-knee-extension", "heart-failure", Neutral, "Light seated leg work with easy breathing"),
    ("side-plank-knees", "heart-failure", Avoid, "A straining side hold invites breath holding and a pressor surge"),
    ("single-leg-bridge", "heart-failure", Caution, "Lying flat with a harder effort; raise the head if breathless and keep breathing"),
    ("sit-to-stand", "heart-failure", Neutral, "Rhythmic moderate leg work, breathing out as you stand"),
    ("stationary-bike", "heart-failure", Neutral, "Steady cycling at a talking pace is standard heart failure rehab"),
    ("suitcase-carry", "heart-failure", Caution, "Carrying a weight needs a sustained grip; keep it light and keep breathing"),
    ("triceps-extension-seated", "heart-failure", Caution, "Holding a weight overhead raises blood pressure more than arm work at the side; keep it light"),
    ("walking-program", "heart-failure", Neutral, "Steady walking at a talking pace is the mainstay of heart failure rehab"),
    ("wall-sit", "heart-failure", Avoid, "A long hard isometric hold raises blood pressure sharply"),
    ("abdominal-bracing", "hypertension-uncontrolled", Neutral, "Gentle quarter-effort contraction with breathing throughout; no straining"),
    ("child-pose", "hypertension-uncontrolled", Caution, "Resting with the head below the heart raises pressure in the head; keep it short and rise slowly"),
    ("diaphragmatic-breathing", "hypertension-uncontrolled", Neutral, "Relaxed slow breathing with no effort or strain"),
    ("farmer-carry", "hypertension-uncontrolled", Avoid, "Sustained two-handed loaded carry with gripping raises blood pressure; wait until controlled"),
    ("heel-raise", "hypertension-uncontrolled", Neutral, "Light rhythmic calf work with no breath-holding"),
    ("plank", "hypertension-uncontrolled", Avoid, "Sustained isometric hold encourages breath-holding and raises blood pressure sharply"),
    ("side-plank-knees", "hypertension-uncontrolled", Avoid, "A sustained side-plank hold invites breath-holding and a blood pressure surge"),
    ("sit-to-stand", "hypertension-uncontrolled", Neutral, "Rhythmic bodyweight movement; breathe out as you stand"),
    ("wall-sit", "hypertension-uncontrolled", Avoid, "Long near-maximal thigh hold provokes a marked pressor response"),
    ("forward-lunge", "impact-restricted", Neutral, "Controlled step with no flight phase or landing jolt"),
    ("heel-drop-step", "impact-restricted", Neutral, "Slow lowering with no jump or landing"),
    ("heel-raise", "impact-restricted", Neutral, "Slow rise and lower with no impact"),
    ("hop-in-place", "impact-restricted", Avoid, "Repeated hopping lands with a jolt, exactly what this precaution restricts"),
    ("side-stepping", "impact-restricted", Neutral, "Controlled sideways steps with no impact"),
    ("single-leg-heel-raise", "impact-restricted", Neutral, "Slow controlled calf work with no landing impact"),
    ("stationary-bike", "impact-restricted", Neutral, "The feet stay on the pedals with no landing"),
    ("step-down-forward", "impact-restricted", Neutral, "The heel touches down slowly; no jump or landing"),
    ("walking-program", "impact-restricted", Neutral, "Walking keeps one foot on the ground with no flight phase or landing jolt"),
    ("walking-with-head-turns", "impact-restricted", Neutral, "Slow walking with no jolt or landing"),
    ("child-pose", "knee-replacement-early", Avoid, "Kneeling and sitting back on the heels force the new knee into loaded full bending"),
    ("forward-lunge", "knee-replacement-early", Avoid, "A deep lunge loads the new knee in deep bending, and the back knee nears the floor"),
    ("full-squat", "knee-replacement-early", Avoid, "A deep squat with body weight is too much for a knee weeks after replacement"),
    ("heel-slide", "knee-replacement-early", Neutral, "Unloaded knee bending on the bed is the core exercise after a knee replacement"),
    ("hop-in-place", "knee-replacement-early", Avoid, "Landing jolts are barred while the new joint and wound heal"),
    ("knee-bend-slide-seated", "knee-replacement-early", Neutral, "Sliding the foot back under the chair is unloaded knee bending, the core early exercise"),
    ("knee-straightening-stretch", "knee-replacement-early", Neutral, "Letting the knee straighten with the heel propped regains the straight knee a new joint needs"),
    ("quad-set", "knee-replacement-early", Neutral, "Thigh tightening with the leg straight is started the day after surgery"),
    ("seated-knee-extension", "knee-replacement-early", Neutral, "Straightening the knee from sitting is unloaded quad work"),
    ("single-leg-stance", "knee-replacement-early", Caution, "Standing on the new knee alone only beside a counter and as allowed"),
    ("sit-to-stand", "knee-replacement-early", Neutral, "Chair stands are a daily task to relearn early, with both feet down"),
    ("step-down-forward", "knee-replacement-early", Caution, "Stepping down loads the new knee on one leg; a low step, a rail and only when allowed"),
    ("straight-leg-raise", "knee-replacement-early", Neutral, "A straight-leg lift works the thigh with the knee locked straight"),
    ("walking-program", "knee-replacement-early", Neutral, "Short level walks are encouraged from the first days"),
    ("cat-camel", "limited-floor-mobility", Avoid, "Hands-and-knees floor exercise; a seated version avoids the floor transfer"),
    ("child-pose", "limited-floor-mobility", Avoid, "Requires kneeling on the floor and getting back up"),
    ("foam-roller-upper-back-release", "limited-floor-mobility", Avoid, "Needs lying on a roller on the floor and rolling off to get up"),
    ("glute-bridge", "limited-floor-mobility", Neutral, "Can be done lying on a firm bed"),
    ("hip-flexor-stretch-half-kneeling", "limited-floor-mobility", Avoid, "Half-kneeling on the floor needs a floor transfer the patient cannot make safely"),
    ("knee-straightening-stretch", "limited-floor-mobility", Neutral, "Can be done lying on a firm bed"),
    ("plank", "limited-floor-mobility", Avoid, "Floor-based hold on forearms and toes; not suitable for a bed and needs a floor transfer"),
    ("prone-press-up", "limited-floor-mobility", Caution, "Can be done face down on a firm bed, only if the patient can roll and get up easily"),
    ("quadruped-plus", "limited-floor-mobility", Avoid, "Done on hands and knees on the floor; the patient cannot safely get down or up"),
    ("seated-thoracic-rotation", "limited-floor-mobility", Neutral, "Done sitting in a chair"),
    ("sit-to-stand", "limited-floor-mobility", Neutral, "Chair-based; no floor transfer involved"),
    ("thoracic-extension-chair", "limited-floor-mobility", Avoid, "Requires kneeling on the floor, which this patient cannot do safely"),
    ("cat-camel", "lumbar-disc-extension-bias", Avoid, "The rounding phase flexes the lower back repeatedly, the direction that drives disc pain down the leg"),
    ("child-pose", "lumbar-disc-extension-bias", Avoid, "Sitting back into child's pose rounds the lower back fully"),
    ("curl-up", "lumbar-disc-extension-bias", Neutral, "The curl-up lifts the head and shoulders with the lower back kept in its curve"),
    ("double-knee-to-chest", "lumbar-disc-extension-bias", Avoid, "Hugging both knees rounds the lower back, the movement this pain does not tolerate"),
    ("glute-bridge", "lumbar-disc-extension-bias", Neutral, "Hip lift with the back in line; no rounding"),
    ("marching-in-place", "lumbar-disc-extension-bias", Neutral, "Upright stepping keeps the lower back in its curve"),
    ("posterior-pelvic-tilt", "lumbar-disc-extension-bias", Avoid, "Flattening the lower back against the floor is repeated flexion"),
    ("prone-press-up", "lumbar-disc-extension-bias", Prefer, "Repeated press-ups in lying are the classic movement that centralises extension-preference disc pain"),
    ("seated-forward-bend", "lumbar-disc-extension-bias", Avoid, "Folding forward in a chair rounds the lower back fully"),
    ("single-knee-to-chest", "lumbar-disc-extension-bias", Avoid, "Pulling a knee to the chest rounds the lower back"),
    ("standing-back-extension", "lumbar-disc-extension-bias", Prefer, "Standing back bends are the upright extension exercise for this pattern"),
    ("walking-program", "lumbar-disc-extension-bias", Neutral, "Upright walking keeps the lower back in its curve and usually eases this pain"),
    ("curl-up", "osteoporosis-spine", Avoid, "Repeated trunk flexion is the main mechanism of osteoporotic vertebral compression fracture"),
    ("double-knee-to-chest", "osteoporosis-spine", Avoid, "Pulling both knees to the chest forcibly flexes the lumbar spine, a fracture risk"),
    ("foam-roller-thoracic-extension", "osteoporosis-spine", Avoid, "Levering the thoracic spine over a roller risks vertebral fracture in fragile bone"),
    ("gaze-stabilisation", "osteoporosis-spine", Neutral, "Head turns are neck rotation, not trunk twisting, done sitting"),
    ("hop-in-place", "osteoporosis-spine", Avoid, "Repeated jolting impact through the spine is barred with raised vertebral fracture risk"),
    ("open-book-rotation", "osteoporosis-spine", Avoid, "Side-lying trunk rotation twists the spine, to be avoided with spinal osteoporosis"),
    ("prone-opposite-arm-leg", "osteoporosis-spine", Prefer, "Gentle back extensor strengthening builds postural support and lowers fracture risk"),
    ("scapular-squeeze", "osteoporosis-spine", Prefer, "Postural shoulder blade strengthening with the spine upright and unloaded"),
    ("seated-forward-bend", "osteoporosis-spine", Avoid, "Sustained forward rounding loads the front of the vertebral bodies"),
    ("seated-thoracic-rotation", "osteoporosis-spine", Avoid, "Active trunk twisting raises vertebral fracture risk in spinal osteoporosis"),
    ("standing-row", "osteoporosis-spine", Prefer, "Rows strengthen the upper back and counter the stooped posture of osteoporosis"),
    ("standing-side-bend", "osteoporosis-spine", Caution, "Side bending is allowed with care: keep it small and slow, without leaning forward or twisting"),
    ("walking-program", "osteoporosis-spine", Neutral, "Upright weight-bearing walking with no bending, twisting or impact"),
    ("walking-with-head-turns", "osteoporosis-spine", Neutral, "Head turns are neck rotation, not trunk twisting; balance work beside a wall is appropriate"),
    ("band-pull-apart", "overhead-restricted", Prefer, "Shoulder blade retraction at chest height is core rehab for a painful shoulder"),
    ("bird-dog", "overhead-restricted", Caution, "Reaching the arm overhead is full elevation; reach only to a pain-free height or move the legs only"),
    ("dead-bug", "overhead-restricted", Caution, "Lowering the arm behind the head goes overhead; keep the arms up or move the legs only"),
    ("overhead-press-seated", "overhead-restricted", Avoid, "Loaded pressing above shoulder height provokes subacromial pain"),
    ("standing-row", "overhead-restricted", Prefer, "Strengthens the shoulder blade retractors with the arms below shoulder height"),
    ("thoracic-extension-chair", "overhead-restricted", Caution, "Sinking the chest with elbows on a chair takes the shoulders overhead; ease off if it pinches"),
    ("triceps-extension-seated", "overhead-restricted", Avoid, "Holds the arm fully overhead while loading it with a weight, provoking impingement"),
    ("wall-angel", "overhead-restricted", Caution, "Sliding the arms up the wall goes overhead without load; only to a pain-free height"),
    ("wall-slide", "overhead-restricted", Caution, "Wall-supported elevation above shoulder height; slide only to a pain-free height"),
    ("wand-flexion", "overhead-restricted", Caution, "Assisted overhead motion is allowed with care; let the good arm lift and stop before pain"),
    ("ankle-alphabet", "posterior-hip-precautions", Neutral, "Ankle circles with the leg supported and uncrossed; the hip does not move"),
    ("ankle-pumps", "posterior-hip-precautions", Neutral, "Ankle movement only, in bed or a chair; no hip flexion, crossing or rotation"),
    ("clamshell", "posterior-hip-precautions", Caution, "Side-lying on a bed is allowed only with a pillow between the knees so the top leg stays apart"),
    ("full-squat", "posterior-hip-precautions", Avoid, "A deep squat takes the hip well past 90 degrees of flexion, a dislocation risk after posterior THA"),
    ("hip-flexor-stretch-half-kneeling", "posterior-hip-precautions", Avoid, "Needs getting down to the floor and kneeling, which breaks the hip precautions"),
    ("hip-internal-rotation-stretch", "posterior-hip-precautions", Avoid, "Deliberate internal rotation of the hip breaks a core posterior hip precaution"),
    ("knee-bend-slide-seated", "posterior-hip-precautions", Neutral, "Sitting upright keeps the hip at a right angle with the legs uncrossed"),
    ("knee-straightening-stretch", "posterior-hip-precautions", Neutral, "Lying on the back with the leg straight; no hip bending, crossing or turning in"),
    ("lower-trunk-rotation", "posterior-hip-precautions", Avoid, "Knees dropping to the side carry the operated hip into adduction and internal rotation"),
    ("piriformis-stretch", "posterior-hip-precautions", Avoid, "Figure-4 with the thigh pulled to the chest combines deep hip flexion with crossing the legs"),
    ("plantar-fascia-stretch", "posterior-hip-precautions", Avoid, "Resting the ankle on the other knee crosses the legs and bends the hip past 90 degrees"),
    ("seated-piriformis-stretch", "posterior-hip-precautions", Avoid, "Ankle on the opposite knee plus leaning forward crosses the legs and flexes the hip past 90 degrees"),
    ("single-knee-to-chest", "posterior-hip-precautions", Avoid, "Hugging the knee to the chest takes the hip beyond 90 degrees of flexion"),
    ("sit-to-stand", "posterior-hip-precautions", Caution, "Use a raised seat and limit the forward lean; a low chair pushes hip flexion past 90 degrees"),
    ("stationary-bike", "posterior-hip-precautions", Avoid, "At the top of each pedal stroke the hip bends past 90 degrees unless the seat is set high"),
    ("straight-leg-raise", "posterior-hip-precautions", Neutral, "Hip flexion stays well under 90 degrees with no crossing or rotation; safe on a firm bed"),
    ("balance-pad-stance", "pregnancy-later", Caution, "Unstable surface while balance is changing; hold the counter throughout"),
    ("dead-bug", "pregnancy-later", Avoid, "Lying flat on the back with heavy abdominal loading; risks supine hypotension and doming"),
    ("glute-bridge", "pregnancy-later", Avoid, "Starts and rests lying flat on the back, which is avoided from about 20 weeks"),
    ("heel-drop-step", "pregnancy-later", Caution, "One-leg lowering while balance shifts with the bump; hold the rail throughout"),
    ("hop-in-place", "pregnancy-later", Avoid, "Impact loads the pelvic floor and lax joints and is avoided in later pregnancy"),
    ("knee-straightening-stretch", "pregnancy-later", Avoid, "Lying flat on the back for minutes is avoided from about 20 weeks; do it sitting up"),
    ("plank", "pregnancy-later", Avoid, "A straining hold on a stretched belly wall is advised against in later pregnancy"),
    ("prone-press-up", "pregnancy-later", Avoid, "Lying face down on the bump is not appropriate in later pregnancy"),
    ("scapular-squeeze", "pregnancy-later", Neutral, "Sitting or standing posture work with no position, impact or straining concerns"),
    ("side-lying-hip-abduction", "pregnancy-later", Prefer, "Side-lying hip strengthening avoids lying on the back or front"),
    ("single-leg-stance", "pregnancy-later", Caution, "Balance shifts as the bump grows; keep a hand on the counter"),
    ("stationary-bike", "pregnancy-later", Neutral, "Steady stationary cycling is a standard safe exercise in later pregnancy"),
    ("step-down-forward", "pregnancy-later", Caution, "Single-leg control on a step as balance changes; hold the rail"),
    ("supine-chin-tuck-head-lift", "pregnancy-later", Avoid, "Done lying flat on the back; give the seated chin tuck instead"),
    ("doorway-pec-stretch", "reverse-shoulder-replacement", Avoid, "An end-range stretch with the arm out and back strains the reverse prosthesis"),
    ("hip-hinge-dowel", "reverse-shoulder-replacement", Avoid, "Holding the stick behind the lower back takes the hand behind the back, the dislocating position"),
    ("isometric-shoulder-external-rotation", "reverse-shoulder-replacement", Caution, "A light hold with the elbow at the side is allowed; keep it gentle"),
    ("pendulum", "reverse-shoulder-replacement", Neutral, "Relaxed swings in front of the body"),
    ("prone-press-up", "reverse-shoulder-replacement", Avoid, "Pushing up through the arms is how a reverse shoulder dislocates"),
    ("push-up", "reverse-shoulder-replacement", Avoid, "Body weight through the arms in a pushing position risks dislocation"),
    ("scapular-squeeze", "reverse-shoulder-replacement", Neutral, "Shoulder blade work with the arms by the sides"),
    ("sit-to-stand", "reverse-shoulder-replacement", Caution, "Stand up without pushing on the armrest with the operated arm"),
    ("table-slide", "reverse-shoulder-replacement", Neutral, "Sliding the hand forward on a table lifts the arm in front with support"),
    ("towel-internal-rotation-stretch", "reverse-shoulder-replacement", Avoid, "Pulling the hand up behind the back is the position in which a reverse shoulder dislocates"),
    ("wall-push-up", "reverse-shoulder-replacement", Avoid, "Pushing the body away from a wall loads the prosthesis in pushing"),
    ("biceps-curl", "rotator-cuff-repair-active", Avoid, "A weight in the hand loads the shoulder through the arm before the repair is ready"),
    ("isometric-shoulder-external-rotation", "rotator-cuff-repair-active", Avoid, "Pressing against a wall contracts the repaired cuff against resistance"),
    ("pendulum", "rotator-cuff-repair-active", Neutral, "Relaxed swings move the shoulder without working the cuff"),
    ("push-up", "rotator-cuff-repair-active", Avoid, "Body weight through the arm loads the healing tendon"),
    ("scapular-squeeze", "rotator-cuff-repair-active", Prefer, "Shoulder blade control supports the repair without loading it"),
    ("shoulder-external-rotation-band", "rotator-cuff-repair-active", Avoid, "A band works the repaired cuff against resistance, which waits for the strengthening phase"),
    ("table-slide", "rotator-cuff-repair-active", Prefer, "The table carries the arm as it moves forward, the usual step before lifting it alone"),
    ("wall-slide", "rotator-cuff-repair-active", Caution, "Active reaching up the wall is allowed in this phase but only as far as it goes without hitching or pain"),
    ("wand-flexion", "rotator-cuff-repair-active", Prefer, "The other arm lifts the operated one with a stick: assisted motion the repair tolerates"),
    ("band-pull-apart", "shoulder-instability-anterior", Avoid, "Pulling a band apart at shoulder height takes the arms out and back, the position in which the shoulder slips"),
    ("doorway-pec-stretch", "shoulder-instability-anterior", Avoid, "The arm out and turned back in a doorway is the apprehension position"),
    ("foam-roller-thoracic-extension", "shoulder-instability-anterior", Avoid, "Hands behind the head with elbows up while arching puts both shoulders out and turned back"),
    ("grip-squeeze", "shoulder-instability-anterior", Neutral, "Hand work with the arm resting at the side"),
    ("hip-hinge-dowel", "shoulder-instability-anterior", Avoid, "The hand held behind the neck puts that shoulder out to the side and turned back"),
    ("median-nerve-glide", "shoulder-instability-anterior", Avoid, "The arm out to the side with the palm up and wrist back approaches the apprehension position"),
    ("open-book-rotation", "shoulder-instability-anterior", Avoid, "The top arm opens out and back, stretching the front of the shoulder"),
    ("overhead-press-seated", "shoulder-instability-anterior", Avoid, "Pressing a weight overhead loads the shoulder in abduction and external rotation"),
    ("pendulum", "shoulder-instability-anterior", Neutral, "Relaxed small arm swings with no stretch or abduction with external rotation"),
    ("plank", "shoulder-instability-anterior", Caution, "Weight through the arms is fine with the shoulders stacked over the elbows"),
    ("prone-t-raise", "shoulder-instability-anterior", Avoid, "Arms out at shoulder height lifted back behind the body stress the front of an unstable shoulder"),
    ("push-up", "shoulder-instability-anterior", Avoid, "The bottom of a push-up drives the head of the arm bone forward against the front capsule"),
    ("scapular-squeeze", "shoulder-instability-anterior", Prefer, "Shoulder blade control with the arm at the side underpins stability rehab"),
    ("shoulder-external-rotation-band", "shoulder-instability-anterior", Caution, "Core cuff work with the elbow at the side; limit how far the arm turns out"),
    ("standing-row", "shoulder-instability-anterior", Caution, "Good shoulder blade work, but the elbows must not pull back behind the body"),
    ("table-slide", "shoulder-instability-anterior", Caution, "Assisted forward reach is a safe plane; stop before the shoulder feels loose"),
    ("ulnar-nerve-glide", "shoulder-instability-anterior", Avoid, "Bringing the palm to the ear with the arm out to the side turns the shoulder out in abduction"),
    ("wall-angel", "shoulder-instability-anterior", Avoid, "The goalpost arms slid up the wall hold the shoulder out to the side and turned back"),
    ("wand-flexion", "shoulder-instability-anterior", Caution, "Assisted lifting forward is a safe plane but keep it short of full overhead at first"),
    ("biceps-curl", "shoulder-surgery-protected", Avoid, "Lifting a weight with the operated arm is resisted work barred in the protected phase"),
    ("doorway-pec-stretch", "shoulder-surgery-protected", Avoid, "End-range stretch into turning out and opening the chest stresses a repair or front capsule"),
    ("gaze-stabilisation", "shoulder-surgery-protected", Neutral, "The target is taped to a wall, so the arms rest in the lap"),
    ("grip-squeeze", "shoulder-surgery-protected", Neutral, "Hand exercise with the arm resting keeps the hand moving without loading the shoulder"),
    ("isometric-shoulder-external-rotation", "shoulder-surgery-protected", Avoid, "Isometric cuff contraction is still resisted work; wait for surgeon clearance"),
    ("push-up", "shoulder-surgery-protected", Avoid, "Body weight through the operated arm with pushing can disrupt a repair in the protected phase"),
    ("scapular-squeeze", "shoulder-surgery-protected", Prefer, "Gentle shoulder blade setting is allowed early and maintains scapular control"),
    ("shoulder-external-rotation-band", "shoulder-surgery-protected", Avoid, "Resisted rotator cuff work can strain a fresh repair; not allowed in the protected phase"),
    ("sleeper-stretch", "shoulder-surgery-protected", Avoid, "Body-weight end-range internal rotation stretch on the operated shoulder is unsafe this early"),
    ("table-slide", "shoulder-surgery-protected", Caution, "Assisted elevation is allowed only within the range the surgeon permits"),
    ("wall-slide", "shoulder-surgery-protected", Avoid, "Active elevation above shoulder height up the wall exceeds protected-phase limits"),
    ("wand-flexion", "shoulder-surgery-protected", Caution, "Assisted motion only if the protocol allows it and within the surgeon's range limits"),
    ("abdominal-bracing", "spinal-fusion", Neutral, "Gentle tummy tightening with the spine still is first-line after fusion"),
    ("curl-up", "spinal-fusion", Avoid, "Curling up from lying flexes and loads the spine above the fusion"),
    ("dead-bug", "spinal-fusion", Neutral, "Arm and leg moves lying down with the lower back supported and still"),
    ("farmer-carry", "spinal-fusion", Avoid, "Carrying heavy weights loads the fusion, the L of the BLT rules"),
    ("foam-roller-thoracic-extension", "spinal-fusion", Avoid, "Levering the spine over a roller on the floor is not for the early months"),
    ("full-squat", "spinal-fusion", Avoid, "A deep squat holding weights loads the spine and tends to round it at the bottom"),
    ("glute-bridge", "spinal-fusion", Neutral, "Hip lift to a straight line with the spine kept neutral, a standard early fusion exercise"),
    ("hamstring-stretch-strap", "spinal-fusion", Caution, "Near the end of the stretch the pelvis tips back and the low back rounds; stop before that"),
    ("heel-slide", "spinal-fusion", Neutral, "Leg movement on the bed with the spine kept still"),
    ("hip-hinge-dowel", "spinal-fusion", Neutral, "Teaches bending at the hips with a neutral spine, the safe way to bend after fusion"),
    ("hop-in-place", "spinal-fusion", Avoid, "Landing jolts pass through the healing fusion"),
    ("lower-trunk-rotation", "spinal-fusion", Avoid, "Knees dropping to the side twist the lumbar spine across the fusion"),
    ("marching-in-place", "spinal-fusion", Neutral, "Gentle upright conditioning with the spine still"),
    ("plank", "spinal-fusion", Avoid, "A long prone hold loads the lumbar spine heavily and sags into arching; it waits until later"),
    ("plantar-fascia-stretch", "spinal-fusion", Caution, "Reaching for the toes tends to round the low back; bring the foot up to the hand"),
    ("prone-press-up", "spinal-fusion", Avoid, "Repeated arching of the lower back loads the healing segments"),
    ("prone-y-raise", "spinal-fusion", Caution, "Lifting the arms face down arches the upper back and can carry into the lower back"),
    ("push-up", "spinal-fusion", Avoid, "Holding a rigid plank while pushing loads the lumbar spine; later phase only"),
    ("seated-forward-bend", "spinal-fusion", Avoid, "Bending forward rounds the lower back, the B of the BLT rules"),
    ("seated-thoracic-rotation", "spinal-fusion", Avoid, "Active trunk twisting is barred in the early months after fusion"),
    ("sit-to-stand", "spinal-fusion", Neutral, "Chair rises with a hip hinge and straight back are taught for daily life"),
    ("standing-side-bend", "spinal-fusion", Avoid, "Side bending moves the lumbar spine across the healing fusion"),
    ("stationary-bike", "spinal-fusion", Caution, "Leaning to the handlebars can round the low back; sit tall and keep rides short at first"),
    ("triceps-extension-seated", "spinal-fusion", Caution, "A weight overhead tends to arch the low back; keep it light with the trunk braced"),
    ("walking-program", "spinal-fusion", Neutral, "Upright walking is the main exercise in the early months after fusion"),
    ("wall-sit", "spinal-fusion", Caution, "A long thigh hold is allowed with the back flat and no breath holding"),
    ("band-pull-apart", "sternal-precautions", Avoid, "Pulling a band apart across the chest pulls the two halves of the sternum apart"),
    ("clamshell", "sternal-precautions", Caution, "Side-lying is fine once the patient can roll without pushing up on the arms"),
    ("curl-up", "sternal-precautions", Avoid, "Curling up pulls the abdominal muscles on the lower sternum and invites pushing with the arms"),
    ("doorway-pec-stretch", "sternal-precautions", Avoid, "Stretching the chest open pulls across the sternal wound"),
    ("farmer-carry", "sternal-precautions", Avoid, "Carrying heavy weights is far beyond the light-load limit after sternotomy"),
    ("foam-roller-thoracic-extension", "sternal-precautions", Avoid, "Arching back over a roller with the elbows wide opens the chest and needs pushing up from the floor"),
    ("glute-bridge", "sternal-precautions", Neutral, "Lying on the back with the arms resting; legs do the work"),
    ("heel-drop-step", "sternal-precautions", Neutral, "The hands rest on the rail for balance only; the legs do the work"),
    ("heel-raise", "sternal-precautions", Neutral, "Calf work with the hands resting lightly on a counter"),
    ("marching-in-place", "sternal-precautions", Neutral, "Leg conditioning with the arms free, the core of early cardiac rehab"),
    ("open-book-rotation", "sternal-precautions", Avoid, "The top arm opening back stretches the chest across the healing sternum"),
    ("plank", "sternal-precautions", Avoid, "Body weight through the arms with a straining hold is barred after sternotomy"),
    ("prone-hamstring-curl", "sternal-precautions", Avoid, "Lying face down presses body weight on the healing breastbone"),
    ("prone-press-up", "sternal-precautions", Avoid, "Lying on the chest and pushing up with the arms loads the sternum twice"),
    ("push-up", "sternal-precautions", Avoid, "Pushing body weight through the arms spreads the healing breastbone"),
    ("scapular-squeeze", "sternal-precautions", Prefer, "Unloaded shoulder blade squeezes keep posture upright without stressing the sternum"),
    ("seated-thoracic-rotation", "sternal-precautions", Caution, "Gentle twisting with the arms crossed is allowed in a small, comfortable range"),
    ("sit-to-stand", "sternal-precautions", Caution, "Allowed with the arms crossed on the chest; no pushing on the armrests"),
    ("standing-row", "sternal-precautions", Avoid, "Pulling against a band with both arms loads the healing sternum"),
    ("wall-push-up", "sternal-precautions", Avoid, "Pushing against a wall is still pushing with the arms, barred while the sternum heals"),
    ("wall-slide", "sternal-precautions", Caution, "Unloaded arm elevation is allowed within comfort; stop at any pull on the breastbone"),
    ("wand-flexion", "sternal-precautions", Caution, "Both arms lifting a light stick together is allowed only within comfort, unloaded"),
    ("bird-dog", "wrist-loading-restricted", Avoid, "Hands-and-knees position puts weight on extended wrists, more so when one arm lifts"),
    ("cat-camel", "wrist-loading-restricted", Avoid, "Hands-and-knees position loads the extended wrists throughout"),
    ("plank", "wrist-loading-restricted", Neutral, "Weight goes through the forearms, not the hands, which this precaution allows"),
    ("prone-press-up", "wrist-loading-restricted", Avoid, "Pressing up with straight arms puts upper body weight through extended wrists"),
    ("push-up", "wrist-loading-restricted", Avoid, "Body weight pressed through extended wrists and hands"),
    ("quadruped-plus", "wrist-loading-restricted", Avoid, "Body weight through straight arms on extended wrists, the loading this precaution bars"),
    ("side-plank-knees", "wrist-loading-restricted", Neutral, "Forearm support keeps load off the wrist and hand"),
    ("standing-row", "wrist-loading-restricted", Neutral, "Pulling a light band with straight wrists; no weight through the hands"),
    ("wall-push-up", "wrist-loading-restricted", Caution, "Light wall pressure is allowed but the wrist is bent back; stand close, stop if wrist pain"),
];

fn catalog() -> Catalog {
    checked_builtin()
}

#[test]
fn every_clinical_case_gets_its_verdict() {
    let catalog = catalog();
    let mut wrong = Vec::new();
    for (slug, precaution, expected, reason) in CASES {
        let exercise = catalog
            .exercises
            .iter()
            .find(|e| e.slug == *slug)
            .unwrap_or_else(|| panic!("no exercise `{slug}`"));
        let spec = catalog
            .precautions
            .iter()
            .find(|p| p.id == *precaution)
            .unwrap_or_else(|| panic!("no precaution `{precaution}`"));
        let got = verdict(&[rule(spec)], &exercise.movement);
        if got.kind != *expected {
            wrong.push(format!(
                "{slug} × {precaution}: expected {expected:?}, got {:?} ({}); because {reason}",
                got.kind,
                got.tags.join(", ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        CASES.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_table_is_large_and_covers_every_precaution_with_each_kind_of_verdict() {
    let catalog = catalog();
    assert!(CASES.len() >= 80, "{} cases", CASES.len());
    for precaution in &catalog.precautions {
        let cases: Vec<_> = CASES.iter().filter(|c| precaution.id == c.1).collect();
        assert!(
            cases.len() >= 5,
            "{} has {} cases",
            precaution.id,
            cases.len()
        );
        assert!(
            cases.iter().any(|c| c.2 == Avoid) && cases.iter().any(|c| c.2 != Avoid),
            "{} needs both avoided and allowed cases",
            precaution.id
        );
    }
    for (slug, precaution, _, reason) in CASES {
        assert!(
            !reason.is_empty() && reason.len() <= 120 && !reason.contains('\n'),
            "{slug} × {precaution}: one line, at most 120 characters"
        );
    }
}

#[test]
fn under_every_built_in_precaution_every_avoided_exercise_has_a_safe_alternative() {
    let catalog = catalog();
    let candidates: Vec<_> = catalog.exercises.iter().map(candidate).collect();
    for precaution in &catalog.precautions {
        let rules = [rule(precaution)];
        for exercise in &candidates {
            if verdict(&rules, &exercise.movement).kind != Avoid {
                continue;
            }
            let found = alternatives(&rules, exercise, &candidates, &[exercise.id], 5);
            assert!(
                !found.is_empty(),
                "{}: {} has no alternative",
                precaution.id,
                exercise.name
            );
            let swaps: Vec<_> = rules[0]
                .substitutions
                .iter()
                .filter(|(from, _)| *from == exercise.id)
                .map(|(_, to)| *to)
                .collect();
            for alternative in found {
                assert_ne!(verdict(&rules, &alternative.movement).kind, Avoid);
                // Never a harder one, unless a therapist named it: no deep
                // squat in place of a quad set.
                assert!(
                    swaps.contains(&alternative.id)
                        || alternative.difficulty <= exercise.difficulty,
                    "{}: {} offered for the easier {}",
                    precaution.id,
                    alternative.name,
                    exercise.name
                );
            }
        }
    }
}

#[test]
fn alternatives_for_a_whole_program_skip_its_own_exercises() {
    // A fall-risk program holding both swaps for single-leg stance gets
    // other balance work offered, never the ones it already has.
    let catalog = catalog();
    let candidates: Vec<_> = catalog.exercises.iter().map(candidate).collect();
    let spec = catalog
        .precautions
        .iter()
        .find(|p| p.id == "fall-risk")
        .expect("fall-risk");
    let rules = [rule(spec)];
    let stance = candidates
        .iter()
        .find(|c| c.id == ExerciseId::builtin("single-leg-stance"))
        .expect("single-leg-stance");
    let alone = alternatives(&rules, stance, &candidates, &[stance.id], 5);
    assert!(!alone.is_empty());
    let program: Vec<_> = std::iter::once(stance.id)
        .chain(alone.iter().map(|c| c.id))
        .collect();
    let next = alternatives(&rules, stance, &candidates, &program, 5);
    for alternative in &next {
        assert!(
            !program.contains(&alternative.id),
            "{} is already in the program",
            alternative.name
        );
        assert!(
            alternative.difficulty <= stance.difficulty,
            "{} is harder",
            alternative.name
        );
    }
}

/// Syllables of a word, by the usual vowel-group heuristic.
fn syllables(word: &str) -> usize {
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_lowercase)
        .collect();
    if w.is_empty() {
        return 0;
    }
    if w.len() <= 3 {
        return 1;
    }
    let mut w = w.as_str();
    for ending in ["es", "ed", "e"] {
        if let Some(stem) = w.strip_suffix(ending) {
            if !stem.ends_with(|c: char| "laeiouy".contains(c)) {
                w = stem;
                break;
            }
        }
    }
    let w = w.strip_prefix('y').unwrap_or(w);
    let mut groups: usize = 0;
    let mut run: usize = 0;
    for c in w.chars() {
        if "aeiouy".contains(c) {
            run += 1;
        } else {
            groups += run.div_ceil(2);
            run = 0;
        }
    }
    (groups + run.div_ceil(2)).max(1)
}

/// The Flesch-Kincaid grade of a text.
fn reading_grade(text: &str) -> f64 {
    let sentences = text
        .split(['.', '!', '?'])
        .filter(|s| s.chars().any(char::is_alphabetic))
        .count()
        .max(1);
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let n = words.len() as f64;
    0.39 * n / sentences as f64 + 11.8 * syllables as f64 / n - 15.59
}

#[test]
fn every_patient_text_reads_at_grade_8_or_below() {
    assert!(reading_grade("Sit on a chair. Lift your leg.") < 3.0);
    assert!(
        reading_grade(
            "Contraindicated proprioceptive neuromuscular facilitation necessitates considerable supervision."
        ) > 12.0
    );
    let catalog = catalog();
    let mut hard = Vec::new();
    for e in &catalog.exercises {
        let mut text = vec![e.summary.clone()];
        text.extend(e.steps.iter().cloned());
        text.extend(e.cues.iter().cloned());
        text.extend(e.stop_if.iter().cloned());
        let grade = reading_grade(&text.join(" "));
        if grade > 8.0 {
            hard.push(format!("{}: grade {grade:.1}", e.slug));
        }
    }
    for p in &catalog.precautions {
        let mut text = vec![p.patient_avoid.clone(), p.patient_instead.clone()];
        text.extend(p.patient_caution.iter().cloned());
        text.extend(
            p.see_therapist_if
                .iter()
                .map(|s| format!("See your therapist if {s}")),
        );
        text.extend(p.substitutions.iter().map(|s| s.reason.clone()));
        let grade = reading_grade(&text.join(" "));
        if grade > 8.0 {
            hard.push(format!("{}: grade {grade:.1}", p.id));
        }
    }
    assert!(
        hard.is_empty(),
        "texts above reading grade 8:\n{}",
        hard.join("\n")
    );
}

#[test]
fn every_floor_or_kneeling_exercise_says_how_to_get_down_and_up_and_clot_signs_mean_urgent_help() {
    let catalog = catalog();
    let mut missing = Vec::new();
    for e in &catalog.exercises {
        let text = e.steps.join(" ").to_lowercase();
        let on_floor = e
            .movement
            .iter()
            .any(|t| t == "floor-transfer" || t == "kneeling");
        let down = ["lower yourself", "lower one knee", "get down", "kneel down"]
            .iter()
            .any(|w| text.contains(w));
        let up = [
            "get up",
            "getting up",
            "stand up",
            "push up with",
            "come back up",
        ]
        .iter()
        .any(|w| text.contains(w));
        if on_floor && !(down && up) {
            missing.push(format!("{}: how to get down and back up", e.slug));
        }
        let stop = e.stop_if.as_deref().unwrap_or_default().to_lowercase();
        let alarm = ["swelling", "swollen", "chest pain", "breathless"]
            .iter()
            .any(|w| stop.contains(w));
        if alarm && !stop.contains("urgent") {
            missing.push(format!(
                "{}: stop_if names a clot or heart sign without urgent help",
                e.slug
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
