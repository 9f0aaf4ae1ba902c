//! A point on the valence–energy plane (Russell's valence–arousal model), both axes 0..=1.

use std::fmt;

/// A mood: `valence` runs sad → happy (x), `energy` runs calm → excited (y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mood {
    pub valence: f64,
    pub energy: f64,
}

/// Why a pair of numbers is not a mood.
#[derive(Debug, Clone, PartialEq)]
pub enum MoodError {
    NotFinite { axis: &'static str },
    OutOfRange { axis: &'static str, value: f64 },
}

impl fmt::Display for MoodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoodError::NotFinite { axis } => write!(f, "{axis} is not a number"),
            MoodError::OutOfRange { axis, value } => {
                write!(f, "{axis} {value} is outside 0..1")
            }
        }
    }
}

impl std::error::Error for MoodError {}

fn check_axis(axis: &'static str, value: f64) -> Result<f64, MoodError> {
    if !value.is_finite() {
        Err(MoodError::NotFinite { axis })
    } else if !(0.0..=1.0).contains(&value) {
        Err(MoodError::OutOfRange { axis, value })
    } else {
        Ok(value)
    }
}

impl Mood {
    /// The centre of the plane, the starting point of a fresh page.
    pub const CENTRE: Mood = Mood {
        valence: 0.5,
        energy: 0.5,
    };

    /// A mood from two values that must both lie in 0..=1.
    pub fn new(valence: f64, energy: f64) -> Result<Mood, MoodError> {
        Ok(Mood {
            valence: check_axis("valence", valence)?,
            energy: check_axis("energy", energy)?,
        })
    }

    /// A mood from any two numbers, pulled into 0..=1 (NaN becomes 0).
    pub fn clamped(valence: f64, energy: f64) -> Mood {
        let clamp = |v: f64| if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        Mood {
            valence: clamp(valence),
            energy: clamp(energy),
        }
    }

    /// This mood moved by the given steps, kept on the plane.
    pub fn nudged(self, d_valence: f64, d_energy: f64) -> Mood {
        Mood::clamped(self.valence + d_valence, self.energy + d_energy)
    }

    /// This mood with both coordinates rounded to 1/1000, the precision shown and shared.
    pub fn rounded(self) -> Mood {
        let r = |v: f64| (v * 1000.0).round() / 1000.0;
        Mood {
            valence: r(self.valence),
            energy: r(self.energy),
        }
    }

    /// Squared Euclidean distance; ranking compares these to avoid a square root.
    pub fn distance_squared(self, other: Mood) -> f64 {
        let dv = self.valence - other.valence;
        let de = self.energy - other.energy;
        dv * dv + de * de
    }

    /// Euclidean distance on the plane.
    pub fn distance(self, other: Mood) -> f64 {
        self.distance_squared(other).sqrt()
    }

    /// The name of the quadrant of Russell's model this mood lies in.
    pub fn quadrant_name(self) -> &'static str {
        match (self.valence >= 0.5, self.energy >= 0.5) {
            (true, true) => "happy / excited",
            (false, true) => "tense / angry",
            (false, false) => "sad / depressed",
            (true, false) => "calm / relaxed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_accepts_the_closed_unit_square() {
        assert!(Mood::new(0.0, 1.0).is_ok());
        assert_eq!(
            Mood::new(1.2, 0.5),
            Err(MoodError::OutOfRange {
                axis: "valence",
                value: 1.2
            })
        );
        assert_eq!(
            Mood::new(0.5, f64::NAN),
            Err(MoodError::NotFinite { axis: "energy" })
        );
    }

    #[test]
    fn nudged_stays_on_the_plane() {
        let m = Mood::new(0.995, 0.002).unwrap().nudged(0.01, -0.01);
        assert_eq!(m, Mood::new(1.0, 0.0).unwrap());
    }

    #[test]
    fn distance_is_euclidean() {
        let a = Mood::new(0.0, 0.0).unwrap();
        let b = Mood::new(0.3, 0.4).unwrap();
        assert!((a.distance(b) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn quadrants_follow_russell() {
        assert_eq!(Mood::clamped(0.9, 0.9).quadrant_name(), "happy / excited");
        assert_eq!(Mood::clamped(0.1, 0.9).quadrant_name(), "tense / angry");
        assert_eq!(Mood::clamped(0.1, 0.1).quadrant_name(), "sad / depressed");
        assert_eq!(Mood::clamped(0.9, 0.1).quadrant_name(), "calm / relaxed");
    }
}
