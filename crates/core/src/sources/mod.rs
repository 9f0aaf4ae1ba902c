//! Where a pasted track's mood can come from besides the catalog, and which one a placed
//! point's mood came from.

pub mod lookup;
pub mod pasted_block;
pub mod reccobeats;

use std::fmt;

/// The source of a placed point's mood, shown beside it and in every exported row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoodSource {
    Catalog,
    ReccoBeats,
    Spotify,
    ByHand,
}

impl MoodSource {
    /// The word used in exports and labels.
    pub fn key(self) -> &'static str {
        match self {
            MoodSource::Catalog => "catalog",
            MoodSource::ReccoBeats => "reccobeats",
            MoodSource::Spotify => "spotify",
            MoodSource::ByHand => "by hand",
        }
    }
}

impl fmt::Display for MoodSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoodSource::Catalog => "from the catalog",
            MoodSource::ReccoBeats => "from ReccoBeats",
            MoodSource::Spotify => "from Spotify",
            MoodSource::ByHand => "placed by hand",
        })
    }
}
