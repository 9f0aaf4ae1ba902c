//! What the list holds, in words: the four find modes (the n nearest, a radius, a
//! journey, a region), and for the list as it stands its heading, its title (the default
//! playlist name and export title) and what its exports are named after.

use crate::export::ExportOf;
use crate::journey::Journey;
use crate::mood::Mood;
use crate::query::group_thousands;
use crate::region::Region;

/// What the person asked the list to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindMode {
    Nearest,
    Radius,
    Journey,
    Lasso,
}

/// The list as it stands: the mode, and the complete journey or region when there is one
/// (a journey or region still being drawn lists the cursor's nearest).
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub mode: FindMode,
    pub journey: Option<&'a Journey>,
    pub region: Option<&'a Region>,
    /// The point (the cursor, in drawing modes).
    pub point: Mood,
}

impl Listing<'_> {
    /// The heading above the list, with its length.
    pub fn heading(&self, total: usize) -> String {
        let n = group_thousands(total);
        match (self.journey, self.region, self.mode) {
            (Some(_), ..) => {
                format!("Journey: {n} tracks in path order (distance from each waypoint)")
            }
            (None, Some(Region::Radius(r)), _) => format!("Within {r:.3}: {n} tracks"),
            (None, Some(Region::Lasso(_)), _) => {
                format!("In the region: {n} tracks (nearest its centre first)")
            }
            (None, None, FindMode::Journey) => {
                "Nearest to the cursor (draw a path for a journey)".to_owned()
            }
            (None, None, FindMode::Lasso) => {
                "Nearest to the cursor (draw round a region to list what is in it)".to_owned()
            }
            (None, None, _) => "Nearest in mood".to_owned(),
        }
    }

    /// The list's title: the default playlist name, and the JSPF title.
    pub fn title(&self) -> String {
        match (self.journey, self.region) {
            (Some(j), _) => format!(
                "Moodplane journey: valence {:.2}, energy {:.2} to valence {:.2}, energy {:.2}",
                j.path.start().valence,
                j.path.start().energy,
                j.path.end().valence,
                j.path.end().energy
            ),
            (None, Some(Region::Lasso(lasso))) => format!(
                "Moodplane region around valence {:.2}, energy {:.2}",
                lasso.centre().valence,
                lasso.centre().energy
            ),
            _ => format!(
                "Moodplane: valence {:.2}, energy {:.2}",
                self.point.valence, self.point.energy
            ),
        }
    }

    /// What the exports are named after.
    pub fn export_of(&self) -> ExportOf {
        match (self.journey, self.region) {
            (Some(j), _) => ExportOf::Journey {
                from: j.path.start(),
                to: j.path.end(),
            },
            (None, Some(Region::Lasso(lasso))) => ExportOf::Results(lasso.centre()),
            _ => ExportOf::Results(self.point),
        }
    }

    /// Where a row of the list was found: a region's rows at its centre, the others at
    /// the point (a journey's rows carry their own waypoints).
    pub fn found_at(&self) -> Mood {
        match self.region {
            Some(Region::Lasso(lasso)) => lasso.centre(),
            _ => self.point,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::file_name;
    use crate::journey::JourneyRule;
    use crate::journey_path::MoodPath;
    use crate::region::Lasso;

    fn listing(mode: FindMode) -> Listing<'static> {
        Listing {
            mode,
            journey: None,
            region: None,
            point: Mood::new(0.304, 0.058).unwrap(),
        }
    }

    #[test]
    fn each_list_says_what_it_holds() {
        assert_eq!(listing(FindMode::Nearest).heading(10), "Nearest in mood");
        assert_eq!(
            listing(FindMode::Journey).heading(10),
            "Nearest to the cursor (draw a path for a journey)"
        );
        let radius = Region::Radius(0.08);
        let r = Listing {
            region: Some(&radius),
            ..listing(FindMode::Radius)
        };
        assert_eq!(r.heading(1234), "Within 0.080: 1,234 tracks");
        assert_eq!(r.title(), "Moodplane: valence 0.30, energy 0.06");
        let lasso = Region::Lasso(Lasso::parse("0.1,0.1;0.5,0.1;0.3,0.4").unwrap());
        let l = Listing {
            region: Some(&lasso),
            ..listing(FindMode::Lasso)
        };
        assert_eq!(
            l.heading(2068),
            "In the region: 2,068 tracks (nearest its centre first)"
        );
        assert_eq!(l.found_at(), Mood::new(0.3, 0.2).unwrap());
        assert_eq!(file_name(l.export_of(), "csv"), "moodplane-v0.30-e0.20.csv");
        let journey = Journey {
            path: MoodPath::parse("0.757,0.806;0.7,0.154").unwrap(),
            rule: JourneyRule {
                stops: 20,
                artist_gap: None,
            },
        };
        let j = Listing {
            journey: Some(&journey),
            ..listing(FindMode::Journey)
        };
        assert_eq!(
            j.heading(20),
            "Journey: 20 tracks in path order (distance from each waypoint)"
        );
        assert_eq!(
            j.title(),
            "Moodplane journey: valence 0.76, energy 0.81 to valence 0.70, energy 0.15"
        );
        assert_eq!(
            file_name(j.export_of(), "jspf"),
            "moodplane-journey-v0.76-e0.81-to-v0.70-e0.15.jspf"
        );
    }
}
