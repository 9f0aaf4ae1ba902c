//! Conversion between a [`Catalog`] and its JSON interchange form ([`CatalogFile`]):
//! parsing and validating on the way in, writing on the way out.

use super::validate::check_indices;
use super::{json_view, Catalog, CatalogError};
use crate::catalog_file::{CatalogFile, TrackColumns, CATALOG_FORMAT, CATALOG_VERSION};
use crate::mood::Mood;
use crate::track_id::{TrackId, TRACK_ID_LEN};

impl Catalog {
    /// Parses and validates catalog JSON.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = serde_json::from_str(text).map_err(|e| CatalogError::NotJson {
            detail: e.to_string(),
        })?;
        Catalog::from_file(file)
    }

    /// Validates a parsed catalog file: format, version, column lengths, ids, moods and
    /// string indices, and that no id repeats.
    pub fn from_file(file: CatalogFile) -> Result<Catalog, CatalogError> {
        if file.format != CATALOG_FORMAT {
            return Err(CatalogError::WrongFormat { found: file.format });
        }
        if file.version != CATALOG_VERSION {
            return Err(CatalogError::UnsupportedVersion {
                found: file.version,
            });
        }
        let t = file.tracks;
        let count = t.id.len();
        let check_len = |column: &'static str, found: usize| {
            if found == count {
                Ok(())
            } else {
                Err(CatalogError::ColumnLength {
                    column,
                    found,
                    expected: count,
                })
            }
        };
        check_len("name", t.name.len())?;
        check_len("artist", t.artist.len())?;
        check_len("genre", t.genre.len())?;
        check_len("valence", t.valence.len())?;
        check_len("energy", t.energy.len())?;
        let optional = [
            ("danceability", t.danceability),
            ("acousticness", t.acousticness),
            ("tempo", t.tempo),
            ("popularity", t.popularity),
        ];
        let mut catalog = Catalog {
            source: file.source,
            name_start: Vec::with_capacity(count + 1),
            ..Catalog::default()
        };
        for (c, (column, values)) in optional.into_iter().enumerate() {
            if let Some(values) = values {
                check_len(column, values.len())?;
                catalog.extras[c] = Some(
                    values
                        .into_iter()
                        .map(|x| x.filter(|x| x.is_finite()).unwrap_or(f64::NAN))
                        .collect(),
                );
            }
        }
        catalog.ids.reserve(count * TRACK_ID_LEN);
        for (row, raw_id) in t.id.iter().enumerate() {
            TrackId::parse(raw_id).map_err(|error| CatalogError::BadTrackId { row, error })?;
            catalog.ids.extend_from_slice(raw_id.as_bytes());
        }
        for row in 0..count {
            let mood = Mood::new(t.valence[row], t.energy[row])
                .map_err(|error| CatalogError::BadMood { row, error })?;
            catalog.moods.push(mood);
        }
        catalog.artist_of = check_indices("artist", t.artist, file.artists.len())?;
        catalog.genre_of = check_indices("genre", t.genre, file.genres.len())?;
        catalog.name_start.push(0);
        for name in &t.name {
            catalog.names.push_str(name);
            catalog.name_start.push(catalog.names.len() as u32);
        }
        catalog.genres = file.genres;
        catalog.artists = file.artists;
        if let Some(row) = catalog.sort_ids() {
            return Err(CatalogError::DuplicateId {
                row,
                id: t.id[row].clone(),
            });
        }
        Ok(catalog)
    }

    /// The interchange form of this catalog.
    pub fn to_file(&self) -> CatalogFile {
        let column = |c: usize| {
            self.extras[c].as_ref().map(|v| {
                v.iter()
                    .map(|x| Some(*x).filter(|x| !x.is_nan()))
                    .collect::<Vec<_>>()
            })
        };
        CatalogFile {
            format: CATALOG_FORMAT.to_owned(),
            version: CATALOG_VERSION,
            source: self.source.clone(),
            genres: self.genres.clone(),
            artists: self.artists.clone(),
            tracks: TrackColumns {
                id: (0..self.len()).map(|i| self.id_str(i).to_owned()).collect(),
                name: (0..self.len()).map(|i| self.name(i).to_owned()).collect(),
                artist: self.artist_of.clone(),
                genre: self.genre_of.clone(),
                valence: self.moods.iter().map(|m| m.valence).collect(),
                energy: self.moods.iter().map(|m| m.energy).collect(),
                danceability: column(0),
                acousticness: column(1),
                tempo: column(2),
                popularity: column(3),
            },
        }
    }

    /// The catalog as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.json_view()).expect("a catalog always serialises")
    }

    /// The JSON interchange form, serialisable straight from this catalog (for writing
    /// big catalogs without copying them into a [`CatalogFile`]).
    pub fn json_view(&self) -> json_view::JsonView<'_> {
        json_view::JsonView(self)
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ExtraFeatures, TrackRecord};

    fn record(id: &str, name: &str, genre: &str, v: f64, e: f64) -> TrackRecord {
        TrackRecord {
            id: TrackId::parse(id).unwrap(),
            name: name.into(),
            artist: format!("{name} artist"),
            genre: genre.into(),
            mood: Mood::new(v, e).unwrap(),
            extras: ExtraFeatures::default(),
        }
    }

    fn id(n: u32) -> String {
        format!("{n:0>22}")
    }

    #[test]
    fn records_round_trip_through_json() {
        let mut with_extras = record(&id(2), "B", "rock", 0.9, 0.2);
        with_extras.extras.popularity = Some(71.0);
        let (catalog, dups) = Catalog::from_records(
            "fixture",
            vec![
                record(&id(1), "A", "pop", 0.1, 0.2),
                with_extras,
                record(&id(1), "A again", "pop", 0.5, 0.5),
            ],
        );
        assert_eq!(dups, 1);
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.genres(), ["pop", "rock"]);
        let back = Catalog::from_json(&catalog.to_json()).unwrap();
        assert_eq!(back.to_file(), catalog.to_file());
        assert_eq!(back.track(1).genre, "rock");
        assert_eq!(back.extras(1).popularity, Some(71.0));
        assert_eq!(back.extras(0).popularity, None);
        assert_eq!(back.index_of(&TrackId::parse(&id(2)).unwrap()), Some(1));
    }

    #[test]
    fn rejects_wrong_format_version_and_lengths() {
        let (catalog, _) = Catalog::from_records("f", vec![record(&id(1), "A", "pop", 0.1, 0.2)]);
        let mut file = catalog.to_file();
        file.format = "other".into();
        assert!(matches!(
            Catalog::from_file(file.clone()),
            Err(CatalogError::WrongFormat { .. })
        ));
        file.format = CATALOG_FORMAT.into();
        file.version = 9;
        assert_eq!(
            Catalog::from_file(file.clone()).unwrap_err(),
            CatalogError::UnsupportedVersion { found: 9 }
        );
        file.version = CATALOG_VERSION;
        file.tracks.energy.push(0.3);
        assert_eq!(
            Catalog::from_file(file).unwrap_err(),
            CatalogError::ColumnLength {
                column: "energy",
                found: 2,
                expected: 1
            }
        );
    }

    #[test]
    fn rejects_bad_values_indices_and_duplicates() {
        let (catalog, _) = Catalog::from_records(
            "f",
            vec![
                record(&id(1), "A", "pop", 0.1, 0.2),
                record(&id(2), "B", "pop", 0.3, 0.4),
            ],
        );
        let good = catalog.to_file();
        let mut bad = good.clone();
        bad.tracks.valence[1] = 1.5;
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadMood { row: 1, .. }
        ));
        let mut bad = good.clone();
        bad.tracks.genre[0] = 7;
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadStringIndex {
                column: "genre",
                row: 0,
                index: 7,
                table_len: 1
            }
        ));
        let mut bad = good.clone();
        bad.tracks.id[1] = id(1);
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::DuplicateId { row: 1, .. }
        ));
        let mut bad = good;
        bad.tracks.id[0] = "short".into();
        assert!(matches!(
            Catalog::from_file(bad).unwrap_err(),
            CatalogError::BadTrackId { row: 0, .. }
        ));
        assert!(matches!(
            Catalog::from_json("{nope").unwrap_err(),
            CatalogError::NotJson { .. }
        ));
    }
}
