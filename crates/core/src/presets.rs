//! Named moods from Russell's circumplex, placed on the plane by their angle around the
//! centre (0° = pleasant, 90° = aroused), at radius 0.4, rounded to the shared 1/1000 grid.

use crate::mood::Mood;

/// A named mood a person can jump to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    pub name: &'static str,
    pub mood: Mood,
}

/// (name, angle in degrees) in circumplex order.
const ANGLES: [(&str, f64); 8] = [
    ("happy", 10.0),
    ("excited", 50.0),
    ("tense", 100.0),
    ("angry", 125.0),
    ("sad", 200.0),
    ("depressed", 235.0),
    ("calm", 300.0),
    ("relaxed", 330.0),
];

const RADIUS: f64 = 0.4;

/// The presets, in circumplex order.
pub fn presets() -> Vec<Preset> {
    ANGLES
        .iter()
        .map(|&(name, degrees)| {
            let a = degrees.to_radians();
            Preset {
                name,
                mood: Mood::clamped(0.5 + RADIUS * a.cos(), 0.5 + RADIUS * a.sin()).rounded(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_sit_in_their_quadrants() {
        let by_name = |n: &str| presets().into_iter().find(|p| p.name == n).unwrap().mood;
        // cos 10° = 0.98481, sin 10° = 0.17365 → (0.894, 0.569)
        assert_eq!(by_name("happy"), Mood::new(0.894, 0.569).unwrap());
        assert_eq!(by_name("excited").quadrant_name(), "happy / excited");
        assert_eq!(by_name("angry").quadrant_name(), "tense / angry");
        assert_eq!(by_name("sad").quadrant_name(), "sad / depressed");
        assert_eq!(by_name("relaxed").quadrant_name(), "calm / relaxed");
        assert_eq!(presets().len(), 8);
    }
}
