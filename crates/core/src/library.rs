//! A person's own music beside the catalog: what their file placed (it carried valence
//! and energy), what it only named (placed by id from the catalog, or not at all), the
//! one byte form in which a read file travels from the import worker and rests in the
//! browser's storage, and the union of every open library measured in the catalog's
//! units, which "Only my library" ranks.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, CatalogBuilder, CatalogError, ExtraFeatures, TrackRecord};
use crate::export::csv_field;
use crate::features::FeatureTable;
use crate::mood::Mood;
use crate::query::group_thousands;
use crate::rank_options::TrackSet;
use crate::ranker::Ranker;
use crate::track_id::TrackId;

/// The largest file the page reads: the worker holds the file and its parsed rows at once,
/// and a browser tab has a few GB at most. 256 MB is about 2.5 million Exportify rows.
pub const MAX_LIBRARY_BYTES: f64 = 256e6;

/// What the person is told when a file is over [`MAX_LIBRARY_BYTES`].
pub fn too_large(bytes: f64) -> Option<String> {
    (bytes > MAX_LIBRARY_BYTES).then(|| {
        format!(
            "this file is {:.0} MB; the page reads CSV files up to {:.0} MB. Split it (every part can be opened as its own library) or build a catalog from it with the catalog builder",
            bytes / 1e6,
            MAX_LIBRARY_BYTES / 1e6
        )
    })
}

/// A track the file names without a mood.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTrack {
    /// Its line in the file (header = 1).
    pub line: u64,
    pub id: TrackId,
    pub name: String,
    pub artist: String,
}

/// Rows skipped (or values left out) for one reason, with the first line numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountedReason {
    pub what: String,
    pub count: usize,
    pub lines: Vec<u64>,
}

/// How the file was read, as the page shows it: the catalog builder's report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportSummary {
    pub format: String,
    pub rows: usize,
    /// Rows placed by their own valence and energy.
    pub placed_from_file: usize,
    /// Rows naming a track without a mood.
    pub named: usize,
    pub duplicates: usize,
    pub skipped: Vec<CountedReason>,
    pub values_left_out: Vec<CountedReason>,
    /// Named tracks placed since by a lookup (ReccoBeats), now among the placed ones.
    #[serde(default)]
    pub looked_up: usize,
}

impl ImportSummary {
    pub fn skipped_total(&self) -> usize {
        self.skipped.iter().map(|s| s.count).sum()
    }
}

/// A file as read: the tracks it placed, the tracks it named, and how it was read.
#[derive(Debug, Clone)]
pub struct LibraryFile {
    /// The file's name, which names the library.
    pub name: String,
    pub placed: Catalog,
    pub named: Vec<NamedTrack>,
    pub summary: ImportSummary,
}

/// Why stored or transferred library bytes cannot be read back.
#[derive(Debug, Clone, PartialEq)]
pub enum LibraryError {
    NotALibrary,
    Tracks(CatalogError),
    Details(String),
}

impl std::fmt::Display for LibraryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LibraryError::NotALibrary => {
                write!(f, "the stored library is not in Moodplane's library form")
            }
            LibraryError::Tracks(e) => write!(f, "the stored library's tracks are damaged: {e}"),
            LibraryError::Details(e) => write!(f, "the stored library's details are damaged: {e}"),
        }
    }
}

impl std::error::Error for LibraryError {}

const MAGIC: &[u8; 8] = b"MPLIB\x001\n";

/// The part of a [`LibraryFile`] kept as JSON beside its packed tracks.
#[derive(Serialize, Deserialize)]
struct Details {
    name: String,
    /// (line, id, name, artist)
    named: Vec<(u64, String, String, String)>,
    summary: ImportSummary,
}

impl LibraryFile {
    /// One byte form: magic, the packed placed tracks' length (u64 LE), the packed
    /// tracks ([`Catalog::to_packed`]), then the rest as JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let packed = self.placed.to_packed();
        let details = Details {
            name: self.name.clone(),
            named: self
                .named
                .iter()
                .map(|t| (t.line, t.id.to_string(), t.name.clone(), t.artist.clone()))
                .collect(),
            summary: self.summary.clone(),
        };
        let mut bytes = Vec::with_capacity(MAGIC.len() + 8 + packed.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(packed.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&packed);
        bytes.extend_from_slice(
            serde_json::to_string(&details)
                .expect("plain data serialises")
                .as_bytes(),
        );
        bytes
    }

    /// Reads [`LibraryFile::to_bytes`] back, validating every part.
    pub fn from_bytes(bytes: &[u8]) -> Result<LibraryFile, LibraryError> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or(LibraryError::NotALibrary)?;
        let (length, rest) = rest.split_at_checked(8).ok_or(LibraryError::NotALibrary)?;
        let length = u64::from_le_bytes(length.try_into().expect("8 bytes"));
        let length = usize::try_from(length)
            .ok()
            .filter(|&l| l <= rest.len())
            .ok_or(LibraryError::NotALibrary)?;
        let (packed, json) = rest.split_at(length);
        let placed = Catalog::from_packed(packed).map_err(LibraryError::Tracks)?;
        let details: Details =
            serde_json::from_slice(json).map_err(|e| LibraryError::Details(e.to_string()))?;
        let named = details
            .named
            .into_iter()
            .map(|(line, id, name, artist)| {
                Ok(NamedTrack {
                    line,
                    id: TrackId::parse(&id).map_err(|e| LibraryError::Details(e.to_string()))?,
                    name,
                    artist,
                })
            })
            .collect::<Result<_, LibraryError>>()?;
        Ok(LibraryFile {
            name: details.name,
            placed,
            named,
            summary: details.summary,
        })
    }

    /// Every track of the file, placed from the file or by the catalog: (id, mood).
    pub fn tracks_placed<'a>(
        &'a self,
        catalog: &'a Catalog,
    ) -> impl Iterator<Item = (TrackId, Mood)> + 'a {
        let from_file = (0..self.placed.len()).map(|i| {
            let t = self.placed.track(i);
            (t.id, t.mood)
        });
        let from_catalog = self.named.iter().filter_map(|t| {
            catalog
                .index_of(&t.id)
                .map(|i| (t.id.clone(), catalog.moods()[i]))
        });
        from_file.chain(from_catalog)
    }

    /// The named tracks the catalog has no mood for.
    pub fn unknown<'a>(&'a self, catalog: &'a Catalog) -> impl Iterator<Item = &'a NamedTrack> {
        self.named
            .iter()
            .filter(|t| catalog.index_of(&t.id).is_none())
    }

    /// What became of the file's tracks, in one sentence.
    pub fn describe(&self, catalog: &Catalog) -> String {
        let total = self.placed.len() + self.named.len();
        let unknown = self.unknown(catalog).count();
        let joined = self.named.len() - unknown;
        let looked_up = self.summary.looked_up;
        let own = self.placed.len() - looked_up;
        let mut parts = Vec::new();
        if own > 0 {
            parts.push(format!(
                "{} by the file's own valence and energy",
                group_thousands(own)
            ));
        }
        if joined > 0 || unknown > 0 {
            parts.push(format!("{} from the catalog", group_thousands(joined)));
        }
        if looked_up > 0 {
            parts.push(format!("{} by ReccoBeats", group_thousands(looked_up)));
        }
        let placed = format!(
            "placed {} of {} ({})",
            group_thousands(self.placed.len() + joined),
            group_thousands(total),
            parts.join(", ")
        );
        match unknown {
            0 => placed,
            n => format!("{placed}; {} have no mood here", group_thousands(n)),
        }
    }

    /// The library with the named tracks of `found` placed at those moods (found by a
    /// lookup), counted in its summary; names it does not hold are ignored.
    pub fn with_moods_found(&self, found: &[(TrackId, Mood)]) -> LibraryFile {
        let mut builder = CatalogBuilder::new(self.placed.source().to_owned());
        for i in 0..self.placed.len() {
            builder.push(self.placed.record(i));
        }
        let mut named = Vec::new();
        let mut summary = self.summary.clone();
        for track in &self.named {
            match found.iter().find(|(id, _)| *id == track.id) {
                Some((_, mood)) => {
                    builder.push(TrackRecord {
                        id: track.id.clone(),
                        name: track.name.clone(),
                        artist: track.artist.clone(),
                        genre: String::new(),
                        mood: *mood,
                        extras: ExtraFeatures::default(),
                    });
                    summary.looked_up += 1;
                }
                None => named.push(track.clone()),
            }
        }
        LibraryFile {
            name: self.name.clone(),
            placed: builder.finish().0,
            named,
            summary,
        }
    }

    /// The tracks without a mood here, as CSV (line, id, name, artists, link), to look up
    /// elsewhere.
    pub fn unknown_csv(&self, catalog: &Catalog) -> String {
        let mut out = String::from("line,id,name,artists,link\n");
        for t in self.unknown(catalog) {
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                t.line,
                t.id,
                csv_field(&t.name),
                csv_field(&t.artist),
                t.id.open_url()
            ));
        }
        out
    }
}

/// The union of open libraries as one searchable catalog: each library's placed tracks,
/// then the catalog's tracks it named; an id met twice keeps the first. Genre indices are
/// the catalog's, so its genre filter applies unchanged.
pub fn union_catalog<'a>(
    libraries: impl IntoIterator<Item = &'a LibraryFile>,
    catalog: &Catalog,
) -> Catalog {
    let mut builder = CatalogBuilder::with_genres("your library", catalog.genres());
    for library in libraries {
        for i in 0..library.placed.len() {
            builder.push(library.placed.record(i));
        }
        for t in &library.named {
            if let Some(i) = catalog.index_of(&t.id) {
                builder.push(catalog.record(i));
            }
        }
    }
    builder.finish().0
}

/// A ranker over the union, measured in the catalog's units (its spreads for z-scores,
/// its tempo range), so a track is as near a point whether or not "Only my library" is on.
pub fn union_ranker(union: &Catalog, catalog_features: &FeatureTable) -> Ranker {
    Ranker::with_features(union, FeatureTable::measured_like(union, catalog_features))
}

/// The catalog's tracks that belong to any of the libraries, by id.
pub fn members_in_catalog(union: &Catalog, catalog: &Catalog) -> TrackSet {
    TrackSet::new(
        catalog.len(),
        (0..union.len()).filter_map(|i| catalog.index_of(&union.track(i).id)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> TrackId {
        TrackId::parse(&format!("{n:0>22}")).unwrap()
    }

    fn record(n: u32, v: f64, e: f64, genre: &str) -> TrackRecord {
        TrackRecord {
            id: id(n),
            name: format!("t{n}"),
            artist: format!("a{n}"),
            genre: genre.to_owned(),
            mood: Mood::new(v, e).unwrap(),
            extras: ExtraFeatures::default(),
        }
    }

    fn catalog() -> Catalog {
        Catalog::from_records(
            "c",
            vec![
                record(1, 0.1, 0.1, "pop"),
                record(2, 0.9, 0.9, "rock"),
                record(3, 0.5, 0.5, "jazz"),
            ],
        )
        .0
    }

    fn library() -> LibraryFile {
        LibraryFile {
            name: "mine.csv".into(),
            placed: Catalog::from_records(
                "f",
                vec![record(7, 0.3, 0.7, "rock"), record(2, 0.2, 0.2, "")],
            )
            .0,
            named: vec![
                NamedTrack {
                    line: 4,
                    id: id(3),
                    name: "n3".into(),
                    artist: "x, y".into(),
                },
                NamedTrack {
                    line: 5,
                    id: id(9),
                    name: "Say \"hi\"".into(),
                    artist: "z".into(),
                },
            ],
            summary: ImportSummary {
                format: "Exportify".into(),
                rows: 4,
                placed_from_file: 2,
                named: 2,
                ..ImportSummary::default()
            },
        }
    }

    #[test]
    fn the_byte_form_reads_back_and_refuses_damage() {
        let lib = library();
        let bytes = lib.to_bytes();
        let back = LibraryFile::from_bytes(&bytes).unwrap();
        assert_eq!(
            (back.name.as_str(), back.named.clone(), back.summary.clone()),
            ("mine.csv", lib.named.clone(), lib.summary.clone())
        );
        assert_eq!(back.placed.len(), 2);
        assert_eq!(back.placed.track(0).mood, Mood::new(0.3, 0.7).unwrap());
        assert_eq!(
            LibraryFile::from_bytes(b"nonsense").unwrap_err(),
            LibraryError::NotALibrary
        );
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 3);
        assert!(matches!(
            LibraryFile::from_bytes(&cut),
            Err(LibraryError::Details(_))
        ));
        let mut long = bytes.clone();
        long[MAGIC.len() + 7] = 0xff;
        assert_eq!(
            LibraryFile::from_bytes(&long).unwrap_err(),
            LibraryError::NotALibrary
        );
    }

    #[test]
    fn a_library_of_named_tracks_only_travels_too() {
        let lib = LibraryFile {
            placed: Catalog::from_records("f", vec![]).0,
            ..library()
        };
        assert_eq!(
            LibraryFile::from_bytes(&lib.to_bytes())
                .unwrap()
                .placed
                .len(),
            0
        );
    }

    #[test]
    fn named_tracks_join_the_catalog_by_id() {
        let (lib, c) = (library(), catalog());
        assert_eq!(lib.describe(&c), "placed 3 of 4 (2 by the file's own valence and energy, 1 from the catalog); 1 have no mood here");
        assert_eq!(lib.unknown(&c).map(|t| t.line).collect::<Vec<_>>(), vec![5]);
        assert_eq!(
            lib.unknown_csv(&c),
            format!("line,id,name,artists,link\n5,{},\"Say \"\"hi\"\"\",z,https://open.spotify.com/track/{}\n", id(9), id(9))
        );
    }

    #[test]
    fn the_union_keeps_the_first_mood_and_the_catalogs_genres() {
        let (lib, c) = (library(), catalog());
        let union = union_catalog([&lib, &lib], &c);
        // 7 and 2 from the file (the file's mood for 2), 3 from the catalog; 9 unknown.
        assert_eq!(union.len(), 3);
        let two = union.index_of(&id(2)).unwrap();
        assert_eq!(union.moods()[two], Mood::new(0.2, 0.2).unwrap());
        let three = union.index_of(&id(3)).unwrap();
        assert_eq!(union.genres()[union.genre_index(three)], "jazz");
        assert_eq!(&union.genres()[..3], c.genres());
        let members = members_in_catalog(&union, &c);
        assert_eq!(
            (
                members.len(),
                members.contains(1),
                members.contains(2),
                members.contains(0)
            ),
            (2, true, true, false)
        );
    }

    #[test]
    fn the_size_limit_is_said_with_its_figure() {
        assert_eq!(too_large(1e6), None);
        assert!(too_large(300e6)
            .unwrap()
            .contains("this file is 300 MB; the page reads CSV files up to 256 MB"));
    }

    #[test]
    fn tracks_found_by_a_lookup_join_the_placed_ones() {
        let (lib, c) = (library(), catalog());
        let found = lib.with_moods_found(&[
            (id(9), Mood::new(0.6, 0.4).unwrap()),
            (id(42), Mood::CENTRE),
        ]);
        assert_eq!(
            (
                found.placed.len(),
                found.named.len(),
                found.summary.looked_up
            ),
            (3, 1, 1)
        );
        let nine = found.placed.index_of(&id(9)).unwrap();
        assert_eq!(
            (found.placed.track(nine).name, found.placed.moods()[nine]),
            ("Say \"hi\"", Mood::new(0.6, 0.4).unwrap())
        );
        assert_eq!(found.describe(&c), "placed 4 of 4 (2 by the file's own valence and energy, 1 from the catalog, 1 by ReccoBeats)");
        let back = LibraryFile::from_bytes(&found.to_bytes()).unwrap();
        assert_eq!(back.summary.looked_up, 1);
    }
}
