//! Conversion between a [`Catalog`] and its JSON interchange form ([`CatalogFile`]):
//! parsing and validating on the way in, writing on the way out.

use super::validate::{check_extra, check_indices};
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

    /// Validates a parsed catalog file: format, version, column lengths, ids, moods,
    /// extra features (`null` for a gap, else a number in the feature's range) and string
    /// indices, and that no id repeats.
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
        for (column, values) in &optional {
            if let Some(values) = values {
                check_len(column, values.len())?;
            }
        }
        catalog.ids.reserve(count * TRACK_ID_LEN);
        for (row, raw_id) in t.id.iter().enumerate() {
            TrackId::parse(raw_id).map_err(|error| CatalogError::BadTrackId { row, error })?;
            catalog.ids.extend_from_slice(raw_id.as_bytes());
        }
        // `null` is the only gap marker; every number present must be usable.
        for (c, (_, values)) in optional.into_iter().enumerate() {
            if let Some(values) = values {
                let column = values
                    .into_iter()
                    .enumerate()
                    .map(|(row, value)| match value {
                        None => Ok(f64::NAN),
                        Some(x) => check_extra(c, row, x, |row| t.id[row].clone()),
                    })
                    .collect::<Result<Vec<f64>, CatalogError>>()?;
                catalog.extras[c] = Some(column);
            }
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

    /// The column of `file` holding extra feature `column`, created (all missing) if absent.
    fn extra_column_mut<'a>(file: &'a mut CatalogFile, column: &str) -> &'a mut Vec<Option<f64>> {
        let count = file.tracks.id.len();
        let t = &mut file.tracks;
        let slot = match column {
            "danceability" => &mut t.danceability,
            "acousticness" => &mut t.acousticness,
            "tempo" => &mut t.tempo,
            "popularity" => &mut t.popularity,
            other => panic!("no extra feature {other}"),
        };
        slot.get_or_insert_with(|| vec![None; count])
    }

    /// Two tracks whose extra features sit on the edges of what each column accepts.
    fn file_with_edge_extras() -> CatalogFile {
        let (catalog, _) = Catalog::from_records(
            "f",
            vec![
                record(&id(1), "A", "pop", 0.1, 0.2),
                record(&id(2), "B", "pop", 0.3, 0.4),
            ],
        );
        let mut file = catalog.to_file();
        *extra_column_mut(&mut file, "danceability") = vec![Some(0.0), Some(1.0)];
        *extra_column_mut(&mut file, "acousticness") = vec![None, Some(1.0)];
        *extra_column_mut(&mut file, "tempo") = vec![Some(1000.0), Some(0.001)];
        *extra_column_mut(&mut file, "popularity") = vec![Some(0.0), Some(100.0)];
        file
    }

    #[test]
    fn accepts_extra_features_on_the_edges_of_their_ranges_and_gaps() {
        let catalog = Catalog::from_file(file_with_edge_extras()).unwrap();
        assert_eq!(catalog.extras(0).acousticness, None);
        assert_eq!(catalog.extras(0).tempo, Some(1000.0));
        assert_eq!(catalog.extras(1).popularity, Some(100.0));
        assert_eq!(catalog.to_file(), file_with_edge_extras());
    }

    #[test]
    fn rejects_extra_features_that_are_not_finite_or_out_of_range() {
        let cases = [
            ("danceability", f64::NAN, "a number from 0 to 1"),
            ("danceability", 1.001, "a number from 0 to 1"),
            ("acousticness", -0.001, "a number from 0 to 1"),
            ("acousticness", f64::INFINITY, "a number from 0 to 1"),
            (
                "tempo",
                0.0,
                "a number above 0 and at most 1000 (beats per minute)",
            ),
            (
                "tempo",
                1000.5,
                "a number above 0 and at most 1000 (beats per minute)",
            ),
            (
                "tempo",
                f64::NEG_INFINITY,
                "a number above 0 and at most 1000 (beats per minute)",
            ),
            ("popularity", 100.5, "a number from 0 to 100"),
            ("popularity", -1.0, "a number from 0 to 100"),
            ("popularity", f64::NAN, "a number from 0 to 100"),
        ];
        for (column, value, allowed) in cases {
            let mut bad = file_with_edge_extras();
            extra_column_mut(&mut bad, column)[1] = Some(value);
            match Catalog::from_file(bad) {
                Err(CatalogError::BadExtra {
                    column: c,
                    row: 1,
                    id: track_id,
                    value: v,
                    allowed: a,
                }) if c == column && track_id == id(2) && v.to_bits() == value.to_bits() => {
                    assert_eq!(a, allowed, "{column} {value}");
                }
                other => panic!("{column} {value}: {other:?}"),
            }
        }
    }

    #[test]
    fn rejects_an_out_of_range_extra_feature_in_json_text() {
        let (catalog, _) = Catalog::from_records("f", vec![record(&id(1), "A", "pop", 0.1, 0.2)]);
        let text = catalog
            .to_json()
            .replace(r#""energy":[0.2]"#, r#""energy":[0.2],"popularity":[101]"#);
        let error = Catalog::from_json(&text).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "track 0 (id {}) has popularity 101, but popularity must be a number from 0 to 100",
                id(1)
            )
        );
        // JSON has no NaN or infinity; a number too big for f64 is not JSON to serde.
        let huge = text.replace("[101]", "[1e999]");
        assert!(matches!(
            Catalog::from_json(&huge),
            Err(CatalogError::NotJson { .. })
        ));
    }

    mod arbitrary_input {
        use super::*;
        use proptest::prelude::*;
        use proptest::sample::Index;

        /// A valid file with every column, gaps included.
        fn valid_file() -> CatalogFile {
            let mut file = file_with_edge_extras();
            file.genres.push("rock".into());
            file
        }

        /// Loading must end in Ok or Err; an accepted catalog must be fully usable.
        fn load_never_panics(loaded: Result<Catalog, CatalogError>) {
            if let Ok(catalog) = loaded {
                for i in 0..catalog.len() {
                    let track = catalog.track(i);
                    assert_eq!(catalog.index_of(&track.id), Some(i));
                    let _ = catalog.extras(i);
                }
                let sum: usize = catalog.genre_counts().iter().sum();
                assert_eq!(sum, catalog.len());
                let back = Catalog::from_packed(&catalog.to_packed()).expect("packs and loads");
                assert_eq!(back.to_file(), catalog.to_file());
                // Only "loads", not "equal": without its `float_roundtrip` feature serde_json
                // may read a long float back one ulp off (e.g. 2.648719442253637e-11).
                let back = Catalog::from_json(&catalog.to_json()).expect("writes and reads");
                assert_eq!(back.len(), catalog.len());
            }
        }

        /// One change to a column of a catalog file.
        #[derive(Debug, Clone)]
        enum Change {
            Artist(Index, u32),
            Genre(Index, u32),
            Valence(Index, f64),
            Energy(Index, f64),
            Extra(Index, Index, Option<f64>),
            Id(Index, String),
            Name(Index, String),
            Lengthen(Index),
            Shorten(Index),
        }

        fn change() -> impl Strategy<Value = Change> {
            let f64s = prop_oneof![
                any::<f64>(),
                Just(f64::NAN),
                Just(f64::INFINITY),
                -1.0..1001.0f64
            ];
            prop_oneof![
                (any::<Index>(), 0u32..4).prop_map(|(i, v)| Change::Artist(i, v)),
                (any::<Index>(), any::<u32>()).prop_map(|(i, v)| Change::Genre(i, v)),
                (any::<Index>(), f64s.clone()).prop_map(|(i, v)| Change::Valence(i, v)),
                (any::<Index>(), f64s.clone()).prop_map(|(i, v)| Change::Energy(i, v)),
                (any::<Index>(), any::<Index>(), proptest::option::of(f64s))
                    .prop_map(|(c, i, v)| Change::Extra(c, i, v)),
                (any::<Index>(), "[0-9a-zA-Z]{21,23}|\\PC{0,24}")
                    .prop_map(|(i, v)| Change::Id(i, v)),
                (any::<Index>(), "\\PC{0,8}").prop_map(|(i, v)| Change::Name(i, v)),
                any::<Index>().prop_map(Change::Lengthen),
                any::<Index>().prop_map(Change::Shorten),
            ]
        }

        fn apply(file: &mut CatalogFile, change: Change) {
            let t = &mut file.tracks;
            match change {
                Change::Artist(i, v) => set(&mut t.artist, i, v),
                Change::Genre(i, v) => set(&mut t.genre, i, v),
                Change::Valence(i, v) => set(&mut t.valence, i, v),
                Change::Energy(i, v) => set(&mut t.energy, i, v),
                Change::Extra(c, i, v) => {
                    let column =
                        ["danceability", "acousticness", "tempo", "popularity"][c.index(4)];
                    set(extra_column_mut(file, column), i, v);
                }
                Change::Id(i, v) => set(&mut t.id, i, v),
                Change::Name(i, v) => set(&mut t.name, i, v),
                Change::Lengthen(c) | Change::Shorten(c) => {
                    let grow = matches!(change, Change::Lengthen(_));
                    match c.index(9) {
                        0 => resize(&mut t.id, grow, format!("{:0>22}", 7)),
                        1 => resize(&mut t.name, grow, "x".into()),
                        2 => resize(&mut t.artist, grow, 0),
                        3 => resize(&mut t.genre, grow, 0),
                        4 => resize(&mut t.valence, grow, 0.5),
                        5 => resize(&mut t.energy, grow, 0.5),
                        6 => resize(extra_column_mut(file, "tempo"), grow, None),
                        7 => resize(&mut file.artists, grow, "a".into()),
                        _ => resize(&mut file.genres, grow, "g".into()),
                    }
                }
            }
        }

        /// Sets one entry of a column (which earlier changes may have emptied).
        fn set<T>(values: &mut [T], at: Index, value: T) {
            if !values.is_empty() {
                let at = at.index(values.len());
                values[at] = value;
            }
        }

        fn resize<T>(values: &mut Vec<T>, grow: bool, filler: T) {
            if grow {
                values.push(filler);
            } else {
                values.pop();
            }
        }

        proptest! {
            #[test]
            fn changed_columns_never_panic(changes in proptest::collection::vec(change(), 1..4)) {
                let mut file = valid_file();
                for change in changes {
                    apply(&mut file, change);
                }
                load_never_panics(Catalog::from_file(file));
            }

            #[test]
            fn changed_json_text_never_panics(
                changes in proptest::collection::vec((any::<Index>(), any::<u8>(), 0u8..3), 1..4),
            ) {
                let mut bytes = Catalog::from_file(valid_file()).unwrap().to_json().into_bytes();
                for (at, value, how) in changes {
                    if bytes.is_empty() {
                        break;
                    }
                    let at = at.index(bytes.len());
                    match how {
                        0 => bytes[at] = value,
                        1 => { bytes.remove(at); }
                        _ => bytes.insert(at, value),
                    }
                }
                load_never_panics(Catalog::from_json(&String::from_utf8_lossy(&bytes)));
            }

            #[test]
            fn digit_changes_in_json_text_never_panic(at in any::<Index>(), digit in 0u8..10) {
                // Digits keep the text JSON, so the values themselves get tested.
                let text = Catalog::from_file(valid_file()).unwrap().to_json();
                let digits: Vec<usize> = text.bytes().enumerate()
                    .filter(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i).collect();
                let mut bytes = text.into_bytes();
                bytes[digits[at.index(digits.len())]] = b'0' + digit;
                load_never_panics(Catalog::from_json(&String::from_utf8(bytes).unwrap()));
            }
        }
    }
}
