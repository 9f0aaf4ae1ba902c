//! Taking a list away without a login: the rows of a list (results, a crate) as Spotify
//! links one per line, as CSV (RFC 4180) and as JSPF (the JSON form of XSPF, as
//! ListenBrainz uses it), under file names that say what they hold.

use serde_json::json;

use crate::catalog::Catalog;
use crate::mood::Mood;
use crate::rank::Match;
use crate::sources::MoodSource;
use crate::track_id::TrackId;

/// One track of an exported list.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub id: TrackId,
    pub name: String,
    pub artists: String,
    pub genre: String,
    pub mood: Mood,
    /// Distance from the query (or the point it was found at), in ranking units.
    pub distance: Option<f64>,
    pub source: MoodSource,
    /// The query point it was found at.
    pub found_at: Mood,
}

/// The rows of a results list, in rank order, found at `query`.
pub fn rows_of_matches(catalog: &Catalog, matches: &[Match], query: Mood) -> Vec<ExportRow> {
    matches
        .iter()
        .map(|m| {
            let track = catalog.track(m.index);
            ExportRow {
                id: track.id.clone(),
                name: track.name.to_owned(),
                artists: track.artist.to_owned(),
                genre: track.genre.to_owned(),
                mood: track.mood,
                distance: Some(m.distance),
                source: MoodSource::Catalog,
                found_at: query,
            }
        })
        .collect()
}

/// A journey's rows, in path order: each found at its own waypoint.
pub fn rows_of_stops(catalog: &Catalog, stops: &[crate::journey::Stop]) -> Vec<ExportRow> {
    stops
        .iter()
        .flat_map(|stop| {
            rows_of_matches(catalog, std::slice::from_ref(&stop.chosen), stop.waypoint)
        })
        .collect()
}

/// `https://open.spotify.com/track/…`, one per line: pasting them into a playlist in the
/// Spotify desktop app adds them all.
pub fn links(rows: &[ExportRow]) -> String {
    rows.iter()
        .map(|r| r.id.open_url())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
/// Written out rather than taken from the `csv` crate: these ten lines cost the page
/// nothing, the crate's writer would add to the wasm every visitor downloads.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The CSV header of [`csv`].
pub const CSV_HEADER: &str =
    "rank,id,name,artists,genre,valence,energy,distance,mood_source,query_valence,query_energy";

/// The rows as CSV: rank, id, name, artists, genre, valence, energy, distance, where the
/// mood came from, and the query point each was found at.
pub fn csv(rows: &[ExportRow]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for (rank, r) in rows.iter().enumerate() {
        let fields = [
            (rank + 1).to_string(),
            r.id.to_string(),
            csv_field(&r.name),
            csv_field(&r.artists),
            csv_field(&r.genre),
            format!("{}", r.mood.valence),
            format!("{}", r.mood.energy),
            r.distance.map_or(String::new(), |d| format!("{d}")),
            csv_field(r.source.key()),
            format!("{:.3}", r.found_at.valence),
            format!("{:.3}", r.found_at.energy),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The rows as a JSPF playlist, each track identified by its Spotify link.
pub fn jspf(rows: &[ExportRow], title: &str, annotation: &str) -> String {
    let tracks: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "title": r.name,
                "creator": r.artists,
                "identifier": [r.id.open_url()],
                "annotation": format!(
                    "valence {:.3}, energy {:.3} ({})",
                    r.mood.valence,
                    r.mood.energy,
                    r.source
                ),
            })
        })
        .collect();
    let playlist = json!({
        "playlist": {
            "title": title,
            "annotation": annotation,
            "track": tracks,
        }
    });
    serde_json::to_string(&playlist).unwrap_or_default()
}

/// What a downloaded file holds, for its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExportOf {
    /// The results around a query point.
    Results(Mood),
    /// A journey, from the first waypoint to the last.
    Journey {
        from: Mood,
        to: Mood,
    },
    Crate,
}

/// `moodplane-v0.30-e0.06.csv`, `moodplane-crate.jspf`.
pub fn file_name(of: ExportOf, extension: &str) -> String {
    match of {
        ExportOf::Results(mood) => format!(
            "moodplane-v{:.2}-e{:.2}.{extension}",
            mood.valence, mood.energy
        ),
        ExportOf::Journey { from, to } => format!(
            "moodplane-journey-v{:.2}-e{:.2}-to-v{:.2}-e{:.2}.{extension}",
            from.valence, from.energy, to.valence, to.energy
        ),
        ExportOf::Crate => format!("moodplane-crate.{extension}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> ExportRow {
        ExportRow {
            id: TrackId::parse("0KpfYajJVVGgQ32Dby7e9i").unwrap(),
            name: name.into(),
            artists: "Train".into(),
            genre: "pop".into(),
            mood: Mood::new(0.795, 0.886).unwrap(),
            distance: Some(0.0125),
            source: MoodSource::Catalog,
            found_at: Mood::new(0.8, 0.9).unwrap(),
        }
    }

    #[test]
    fn links_one_per_line() {
        assert_eq!(
            links(&[row("a"), row("b")]),
            "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i\nhttps://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i"
        );
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let text = csv(&[row("Hey, Soul \"Sister\"")]);
        let mut lines = text.split("\r\n");
        assert_eq!(lines.next(), Some(CSV_HEADER));
        assert_eq!(
            lines.next(),
            Some("1,0KpfYajJVVGgQ32Dby7e9i,\"Hey, Soul \"\"Sister\"\"\",Train,pop,0.795,0.886,0.0125,catalog,0.800,0.900")
        );
    }

    #[test]
    fn jspf_identifies_tracks_by_their_spotify_link() {
        let text = jspf(
            &[row("Hey, Soul Sister")],
            "Moodplane: valence 0.80, energy 0.90",
            "made at …",
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let track = &value["playlist"]["track"][0];
        assert_eq!(
            track["identifier"][0],
            "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i"
        );
        assert_eq!(track["creator"], "Train");
        assert_eq!(
            value["playlist"]["title"],
            "Moodplane: valence 0.80, energy 0.90"
        );
    }

    #[test]
    fn file_names_say_what_they_hold() {
        let at = Mood::new(0.304, 0.058).unwrap();
        assert_eq!(
            file_name(ExportOf::Results(at), "csv"),
            "moodplane-v0.30-e0.06.csv"
        );
        assert_eq!(file_name(ExportOf::Crate, "jspf"), "moodplane-crate.jspf");
        let journey = ExportOf::Journey {
            from: Mood::new(0.806, 0.757).unwrap(),
            to: Mood::new(0.7, 0.154).unwrap(),
        };
        assert_eq!(
            file_name(journey, "csv"),
            "moodplane-journey-v0.81-e0.76-to-v0.70-e0.15.csv"
        );
    }
}
