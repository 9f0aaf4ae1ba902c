//! The mapping between the plane (valence, energy in 0..1) and canvas pixels, both ways,
//! so drawing, pointer input and hit tests agree.

use crate::mood::Mood;

/// The pixel rectangle that shows the unit square; y grows downwards on screen while
/// energy grows upwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotArea {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl PlotArea {
    /// The pixel position of a mood.
    pub fn to_pixel(&self, mood: Mood) -> (f64, f64) {
        (
            self.left + mood.valence * self.width,
            self.top + (1.0 - mood.energy) * self.height,
        )
    }

    /// [`PlotArea::to_mood`] for an (x, y) pair.
    pub fn to_mood_at(&self, (x, y): (f64, f64)) -> Mood {
        self.to_mood(x, y)
    }

    /// The mood under a pixel, clamped onto the plane.
    pub fn to_mood(&self, x: f64, y: f64) -> Mood {
        Mood::clamped(
            (x - self.left) / self.width,
            1.0 - (y - self.top) / self.height,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_flips_y() {
        let area = PlotArea {
            left: 60.0,
            top: 20.0,
            width: 500.0,
            height: 400.0,
        };
        let m = Mood::new(0.25, 0.75).unwrap();
        assert_eq!(area.to_pixel(m), (185.0, 120.0));
        assert_eq!(area.to_mood(185.0, 120.0), m);
        assert_eq!(area.to_mood(0.0, 1000.0), Mood::new(0.0, 0.0).unwrap());
        assert_eq!(area.to_pixel(Mood::new(1.0, 1.0).unwrap()), (560.0, 20.0));
    }
}
