//! The page's first list, ranked before the app has started: the small first-list wasm
//! (crates/first-list) holds one of these, gives it the tiled catalog's manifest and the
//! page's link, reads the archive pieces it asks for and shows the rows it returns. It
//! ranks exactly as the app does (`TileSet::rank` under the link's options, the shown
//! tracks gathered by `tiled_shown::gather`), so the app's list, when it comes, is the
//! same list. A link that lists a point's nearest tracks, or a shared track's (found
//! first through its id shard, as the app finds it), gets a first list: a journey or a
//! region waits for the app.

use std::fmt;

use serde::Serialize;

use crate::catalog::id_shard::from_slot;
use crate::catalog::{genre_cell, DetailChunk, MoodTile};
use crate::features::{Feature, FeatureTable};
use crate::rank_options::RankOptions;
use crate::tiled_manifest::{Blob, TiledManifest};
use crate::tiled_shown::{gather, Missing};
use crate::tiles::{Density, TileSet, TiledRanking};
use crate::view_state::{QuerySource, ViewState};
use crate::{CatalogBuilder, Mood, Query, TrackId};

/// More round trips than a first list ever needs (a manifest's first wave, a few asks of
/// the walk, the details): past it the app is left to finish.
const MOST_READS: u32 = 12;

/// Why a page has no first list; the app then shows its list as it comes.
#[derive(Debug, Clone, PartialEq)]
pub enum NoFirstList {
    /// The link asks for more than a point's or a track's nearest tracks (a journey, a
    /// region), or has parameters the app will explain.
    NotAPoint,
    /// The linked track is not in this catalog (the app looks further, or says so).
    NotInCatalog,
    /// The catalog is read whole (its manifest has an order): the app's one download
    /// brings every track, and a first list would only read some of them twice.
    ReadWhole,
    /// The manifest is not one this build reads (the app says why).
    Manifest(String),
    /// A piece of the archive was not what the manifest says (the app says why).
    Piece(String),
    /// The walk kept asking for more (it never does: a guard against a loop).
    TooManyReads,
}

impl fmt::Display for NoFirstList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoFirstList::NotAPoint => {
                write!(f, "the link asks for more than a point's nearest tracks")
            }
            NoFirstList::NotInCatalog => write!(f, "the linked track is not in the catalog"),
            NoFirstList::ReadWhole => write!(f, "the catalog is read whole"),
            NoFirstList::Manifest(why) => write!(f, "the catalog's manifest: {why}"),
            NoFirstList::Piece(why) => write!(f, "a piece of the catalog: {why}"),
            NoFirstList::TooManyReads => write!(f, "the list needed too many round trips"),
        }
    }
}

/// A row of the first list: the texts of the app's row cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstRow {
    pub id: String,
    /// The track's page on Spotify.
    pub url: String,
    pub name: String,
    pub artist: String,
    /// The genre, and the popularity when the catalog has it.
    pub genre: String,
    /// As the app shows it: three decimals.
    pub distance: String,
    /// Unrounded, as the app's row keeps it (`data-distance`).
    pub exact_distance: f64,
}

/// How the page's script treats a piece of the archive it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceForm {
    /// One gzip blob: inflated, to [`FirstList::put`].
    Gzip,
    /// An id shard's slot: the gzip inside it ([`gzip_in_slot`]) inflated, or nothing
    /// for an empty shard, to [`FirstList::put`].
    Slot,
    /// Several gzip blobs end to end, read ahead (the details around a linked track, as
    /// the app reads them) and kept as they came: a later piece that lies wholly inside
    /// it is cut from it instead of read again. Never given to [`FirstList::put`].
    Kept,
}

/// A piece of the archive to read, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub blob: Blob,
    pub form: PieceForm,
}

/// The gzip bytes an id shard's slot holds (empty for an empty shard).
pub fn gzip_in_slot(slot: &[u8]) -> Result<&[u8], NoFirstList> {
    from_slot(slot).map_err(|e| NoFirstList::Piece(e.to_string()))
}

/// What the list needs next.
#[derive(Debug, Clone, PartialEq)]
pub enum FirstStep {
    /// Read these pieces of the archive (side by side), give each to [`FirstList::put`]
    /// as its form says, and step again.
    Read(Vec<Piece>),
    /// The list, nearest first.
    Done(Vec<FirstRow>),
}

/// Where the list is ranked from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    /// The link's point.
    Point,
    /// The linked track, while its id shard is read (`None` until asked for).
    Unfound { id: TrackId, shard: Option<usize> },
    /// The linked track, found (it is the query's track): its name and artist once its
    /// details are read.
    Track { named: Option<(String, String)> },
}

/// What an asked-for piece is.
#[derive(Debug, Clone, PartialEq)]
enum Asked {
    Piece(Missing),
    Shard(usize),
}

/// A point's or a linked track's nearest tracks, ranked over the tiles as they arrive.
pub struct FirstList {
    manifest: TiledManifest,
    tiles: TileSet,
    chunks: Vec<(u64, DetailChunk)>,
    /// What each asked-for piece is, by its offset in the archive.
    asked: Vec<(u64, Asked)>,
    origin: Origin,
    query: Query,
    count: usize,
    options: RankOptions,
    shows_popularity: bool,
    /// Whether the details around the point or the linked track were asked for (with
    /// the first tiles).
    window_asked: bool,
    /// Round trips of the walk and its details (an id shard's is not counted: the
    /// walk's asks are numbered as the app numbers them once the track is found).
    reads: u32,
}

impl FirstList {
    /// The first list of the page whose link's query string is `search`, over the
    /// catalog `manifest_json` describes.
    pub fn new(manifest_json: &str, search: &str) -> Result<FirstList, NoFirstList> {
        let manifest = TiledManifest::from_json(manifest_json)
            .map_err(|e| NoFirstList::Manifest(e.to_string()))?;
        if manifest.order.is_some() {
            return Err(NoFirstList::ReadWhole);
        }
        let (view, notices) = ViewState::parse(search);
        if !notices.is_empty() || view.journey.is_some() || view.region.is_some() {
            return Err(NoFirstList::NotAPoint);
        }
        let (mood, origin) = match &view.query {
            QuerySource::Point(mood) => (*mood, Origin::Point),
            QuerySource::Track(id) => (
                Mood::CENTRE,
                Origin::Unfound {
                    id: id.clone(),
                    shard: None,
                },
            ),
        };
        Self::at(manifest, mood, origin, &view)
    }

    fn at(
        manifest: TiledManifest,
        mood: Mood,
        origin: Origin,
        view: &ViewState,
    ) -> Result<FirstList, NoFirstList> {
        // As the app reads a link's options: over the catalog's genre table alone.
        let genres_only = CatalogBuilder::with_genres(manifest.source.clone(), &manifest.genres)
            .finish()
            .0;
        let features = FeatureTable::of_scale(&manifest.scale);
        let (options, option_notices) = view.options.to_options(&genres_only, |f| features.has(f));
        if !option_notices.is_empty() {
            return Err(NoFirstList::NotAPoint);
        }
        Ok(FirstList {
            tiles: manifest.tile_set(),
            shows_popularity: features.has(Feature::Popularity),
            manifest,
            chunks: Vec::new(),
            asked: Vec::new(),
            origin,
            query: Query::at(mood),
            count: view.count,
            options,
            window_asked: false,
            reads: 0,
        })
    }

    /// The archive the pieces are read from (relative to the page).
    pub fn archive(&self) -> &str {
        &self.manifest.archive
    }

    /// What the list is, in words: "The 10 tracks nearest valence 0.500, energy 0.500",
    /// or, for a linked track, "The 10 tracks nearest Name by Artist".
    pub fn heading(&self) -> String {
        let mood = self.query.mood;
        let tracks = match self.count {
            1 => "The track".to_owned(),
            n => format!("The {n} tracks"),
        };
        match &self.origin {
            Origin::Track {
                named: Some((name, artist)),
                ..
            } => format!("{tracks} nearest {name} by {artist}"),
            _ => format!(
                "{tracks} nearest valence {:.3}, energy {:.3}",
                mood.valence, mood.energy
            ),
        }
    }

    /// What to read next, or the list.
    pub fn step(&mut self) -> Result<FirstStep, NoFirstList> {
        if self.reads >= MOST_READS {
            return Err(NoFirstList::TooManyReads);
        }
        if let Origin::Unfound { id, shard } = &mut self.origin {
            // The track's id shard first, as the app finds it; put() says what it held.
            if shard.is_some() {
                return Err(NoFirstList::NotInCatalog);
            }
            let number = self.manifest.shard_for(id);
            let slot = self
                .manifest
                .shard_slot_of(number)
                .ok_or(NoFirstList::NotInCatalog)?;
            *shard = Some(number);
            self.asked = vec![(slot.offset(), Asked::Shard(number))];
            return Ok(FirstStep::Read(vec![Piece {
                blob: slot,
                form: PieceForm::Slot,
            }]));
        }
        let missing = match self.tiles.rank(self.query, self.count, &self.options) {
            TiledRanking::Needs(tile) => {
                let density = Density {
                    counts: &self.manifest.density,
                    size: self.manifest.density_size as usize,
                };
                // As the app asks: the tile, and what its rule fetches beside it.
                let beside = self.tiles.fetch_beside(
                    tile,
                    self.reads + 1,
                    self.query,
                    &self.options,
                    self.count,
                    density,
                );
                std::iter::once(tile)
                    .chain(beside)
                    .map(Missing::Tile)
                    .collect()
            }
            TiledRanking::Ranked { matches, .. } => {
                let mut indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
                // The linked track's own details too, for the heading.
                indices.extend(self.query.track);
                let chunks = &self.chunks;
                let chunk_at = |at: u64| chunks.iter().find(|(o, _)| *o == at).map(|(_, c)| c);
                match gather(&self.manifest, &self.tiles, chunk_at, &indices) {
                    Ok(shown) => {
                        if let Origin::Track { named, .. } = &mut self.origin {
                            let track = shown.track(matches.len());
                            *named = Some((track.shown_name().to_owned(), track.artist.to_owned()));
                        }
                        let rows = matches
                            .iter()
                            .enumerate()
                            .map(|(k, m)| {
                                let track = shown.track(k);
                                let popularity =
                                    shown.extras(k).popularity.filter(|_| self.shows_popularity);
                                FirstRow {
                                    id: track.id.to_string(),
                                    url: track.id.open_url(),
                                    name: track.shown_name().to_owned(),
                                    artist: track.artist.to_owned(),
                                    genre: genre_cell(track.genre, popularity),
                                    distance: format!("{:.3}", m.distance),
                                    exact_distance: m.distance,
                                }
                            })
                            .collect();
                        return Ok(FirstStep::Done(rows));
                    }
                    Err(missing) => missing,
                }
            }
        };
        self.reads += 1;
        let mut pieces: Vec<Piece> = missing
            .iter()
            .map(|piece| Piece {
                blob: self.blob_of(piece),
                form: PieceForm::Gzip,
            })
            .collect();
        self.asked = pieces
            .iter()
            .map(|p| p.blob.offset())
            .zip(missing.into_iter().map(Asked::Piece))
            .collect();
        // The first tiles come with the details around the linked track, or around the
        // point, as the app reads them (the list mostly lies there, so its names need no
        // round trip of their own).
        if !self.window_asked {
            let near = match (self.query.track, self.asked.first()) {
                (Some(index), _) => self
                    .tiles
                    .tile_of(index)
                    .map(|number| {
                        self.manifest
                            .details_near_track(number, index, self.query.mood, self.count)
                    })
                    .unwrap_or_default(),
                (None, Some((_, Asked::Piece(Missing::Tile(first))))) => {
                    let beside: Vec<usize> = self.asked[1..]
                        .iter()
                        .filter_map(|(_, asked)| match asked {
                            Asked::Piece(Missing::Tile(number)) => Some(*number),
                            _ => None,
                        })
                        .collect();
                    self.manifest
                        .first_wave_windows(*first, &beside, self.query.mood, self.count)
                        .into_iter()
                        .flat_map(|(_, windows)| windows)
                        .collect()
                }
                (None, _) => Vec::new(),
            };
            self.window_asked = true;
            pieces.extend(near.into_iter().map(|blob| Piece {
                blob,
                form: PieceForm::Kept,
            }));
        }
        Ok(FirstStep::Read(pieces))
    }

    /// Takes the inflated bytes of the asked-for piece read from `offset`.
    pub fn put(&mut self, offset: u64, bytes: &[u8]) -> Result<(), NoFirstList> {
        let Some(at) = self.asked.iter().position(|(o, _)| *o == offset) else {
            return Err(NoFirstList::Piece(format!(
                "nothing was asked for at byte {offset}"
            )));
        };
        let (_, piece) = self.asked.swap_remove(at);
        let broken = |e: crate::CatalogError| NoFirstList::Piece(e.to_string());
        match piece {
            Asked::Shard(number) => self.found(number, bytes).map_err(broken)?,
            Asked::Piece(piece) => self.hold(piece, bytes).map_err(broken)?,
        }
        Ok(())
    }

    /// Looks the linked track up in its id shard (inflated; empty for an empty shard).
    fn found(&mut self, number: usize, bytes: &[u8]) -> Result<(), crate::CatalogError> {
        let Origin::Unfound { id, .. } = &self.origin else {
            return Ok(());
        };
        let located = match bytes.is_empty() {
            true => None,
            false => self.manifest.id_shard(number, bytes)?.find(id),
        };
        if let Some((index, mood)) = located {
            self.query = Query {
                mood,
                track: Some(index),
            };
            self.origin = Origin::Track { named: None };
        }
        Ok(())
    }

    fn hold(&mut self, piece: Missing, bytes: &[u8]) -> Result<(), crate::CatalogError> {
        match piece {
            Missing::Tile(number) => {
                let tile = MoodTile::from_bytes(bytes, &self.manifest.tile_shape(number))?;
                self.tiles.insert(number, tile);
            }
            Missing::Chunk { blob, tracks } => {
                let chunk = DetailChunk::from_bytes(bytes, tracks)?;
                self.chunks.push((blob.offset(), chunk));
            }
        }
        Ok(())
    }

    fn blob_of(&self, piece: &Missing) -> Blob {
        match piece {
            Missing::Tile(number) => self.manifest.tiles[*number].blob,
            Missing::Chunk { blob, .. } => *blob,
        }
    }
}
