//! Spotify track ids: exactly 22 base62 characters.

use std::fmt;

/// A syntactically valid Spotify track id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackId(String);

/// Length of every Spotify id.
pub const TRACK_ID_LEN: usize = 22;

/// Why a string is not a Spotify track id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackIdError {
    WrongLength { found: usize },
    BadCharacter { found: char },
}

impl fmt::Display for TrackIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackIdError::WrongLength { found } => write!(
                f,
                "a Spotify track id has {TRACK_ID_LEN} letters and digits; this one has {found}"
            ),
            TrackIdError::BadCharacter { found } => write!(
                f,
                "a Spotify track id uses only letters and digits, not “{found}”"
            ),
        }
    }
}

impl std::error::Error for TrackIdError {}

impl TrackId {
    /// Checks `text` is 22 ASCII letters or digits.
    pub fn parse(text: &str) -> Result<TrackId, TrackIdError> {
        if let Some(bad) = text.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(TrackIdError::BadCharacter { found: bad });
        }
        if text.len() != TRACK_ID_LEN {
            return Err(TrackIdError::WrongLength { found: text.len() });
        }
        Ok(TrackId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The track's public page on Spotify.
    pub fn open_url(&self) -> String {
        format!("https://open.spotify.com/track/{}", self.0)
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_22_base62() {
        let id = TrackId::parse("0KpfYajJVVGgQ32Dby7e9i").unwrap();
        assert_eq!(
            id.open_url(),
            "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i"
        );
    }

    #[test]
    fn rejects_other_lengths_and_characters() {
        assert_eq!(
            TrackId::parse("abc"),
            Err(TrackIdError::WrongLength { found: 3 })
        );
        assert_eq!(
            TrackId::parse("0KpfYajJVVGgQ32Dby7e9-"),
            Err(TrackIdError::BadCharacter { found: '-' })
        );
    }
}
