//! Writes a catalog as its JSON interchange form straight from the compact catalog, with
//! no intermediate [`crate::CatalogFile`] (which would copy every id and name): what the
//! builder uses to write a million tracks in bounded extra memory. The output is
//! byte-for-byte what `serde_json::to_string(&catalog.to_file())` gives.

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::Catalog;
use crate::catalog_file::{CATALOG_FORMAT, CATALOG_VERSION};

/// A sequence serialised from a fresh iterator each time.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// The `tracks` object: one array per column.
struct Columns<'a>(&'a Catalog);

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let n = c.len();
        let present = c.extras.iter().filter(|e| e.is_some()).count();
        let mut s = serializer.serialize_struct("TrackColumns", 6 + present)?;
        s.serialize_field("id", &Seq(|| (0..n).map(|i| c.id_str(i))))?;
        s.serialize_field("name", &Seq(|| (0..n).map(|i| c.name(i))))?;
        s.serialize_field("artist", &c.artist_of)?;
        s.serialize_field("genre", &c.genre_of)?;
        s.serialize_field("valence", &Seq(|| c.moods.iter().map(|m| m.valence)))?;
        s.serialize_field("energy", &Seq(|| c.moods.iter().map(|m| m.energy)))?;
        let names = ["danceability", "acousticness", "tempo", "popularity"];
        for (name, column) in names.into_iter().zip(&c.extras) {
            match column {
                Some(values) => s.serialize_field(
                    name,
                    &Seq(|| values.iter().map(|x| Some(*x).filter(|x| !x.is_nan()))),
                )?,
                None => s.skip_field(name)?,
            }
        }
        s.end()
    }
}

/// The whole catalog file.
pub struct JsonView<'a>(pub(super) &'a Catalog);

impl Serialize for JsonView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut s = serializer.serialize_struct("CatalogFile", 6)?;
        s.serialize_field("format", CATALOG_FORMAT)?;
        s.serialize_field("version", &CATALOG_VERSION)?;
        s.serialize_field("source", &c.source)?;
        s.serialize_field("genres", &c.genres)?;
        s.serialize_field("artists", &c.artists)?;
        s.serialize_field("tracks", &Columns(c))?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Catalog, ExtraFeatures, TrackRecord};
    use crate::mood::Mood;
    use crate::track_id::TrackId;

    #[test]
    fn streams_exactly_what_the_file_form_gives() {
        let record = |n: u32, extras| TrackRecord {
            id: TrackId::parse(&format!("{n:0>22}")).unwrap(),
            name: format!("Name \"{n}\", ünïcode"),
            artist: "A".into(),
            genre: "g".into(),
            mood: Mood::new(0.1 * n as f64, 0.5).unwrap(),
            extras,
        };
        let some = ExtraFeatures {
            tempo: Some(120.5),
            popularity: Some(3.0),
            ..ExtraFeatures::default()
        };
        let (catalog, _) = Catalog::from_records(
            "s",
            vec![record(1, ExtraFeatures::default()), record(2, some)],
        );
        let streamed = serde_json::to_string(&catalog.json_view()).unwrap();
        assert_eq!(streamed, serde_json::to_string(&catalog.to_file()).unwrap());
        assert!(streamed.contains(r#""tempo":[null,120.5]"#), "{streamed}");
        let (plain, _) = Catalog::from_records("p", vec![record(1, ExtraFeatures::default())]);
        assert_eq!(
            serde_json::to_string(&plain.json_view()).unwrap(),
            plain.to_json()
        );
    }
}
