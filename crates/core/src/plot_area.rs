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

    /// The index of the mood drawn nearest to `pixel`, if within `reach` pixels of it
    /// (ties to the first): the hit test for markers on the plane.
    pub fn nearest_within(
        &self,
        moods: impl IntoIterator<Item = Mood>,
        (x, y): (f64, f64),
        reach: f64,
    ) -> Option<usize> {
        moods
            .into_iter()
            .enumerate()
            .map(|(i, mood)| {
                let (px, py) = self.to_pixel(mood);
                ((px - x).powi(2) + (py - y).powi(2), i)
            })
            .filter(|(d2, _)| *d2 <= reach * reach)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, i)| i)
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

    #[test]
    fn hit_tests_markers_within_reach() {
        let area = PlotArea {
            left: 0.0,
            top: 0.0,
            width: 100.0,
            height: 100.0,
        };
        let moods = [
            Mood::new(0.5, 0.5).unwrap(),
            Mood::new(0.53, 0.5).unwrap(),
            Mood::new(0.1, 0.1).unwrap(),
        ];
        assert_eq!(area.nearest_within(moods, (52.5, 50.0), 4.0), Some(1));
        assert_eq!(area.nearest_within(moods, (50.0, 50.0), 4.0), Some(0));
        assert_eq!(area.nearest_within(moods, (30.0, 30.0), 4.0), None);
    }
}
