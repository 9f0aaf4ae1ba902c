//! The page's first list, ranked before the app has started: the small first-list wasm
//! (crates/first-list) holds one of these, gives it the tiled catalog's manifest and the
//! page's link, reads the archive pieces it asks for and shows the rows it returns. It
//! ranks exactly as the app does (`TileSet::rank` under the link's options, the shown
//! tracks gathered by `tiled_shown::gather`), so the app's list, when it comes, is the
//! same list. Only a link that lists a point's nearest tracks gets a first list: a
//! pasted track, a journey or a region waits for the app.

use std::fmt;

use serde::Serialize;

use crate::catalog::{genre_cell, DetailChunk, MoodTile};
use crate::features::{Feature, FeatureTable};
use crate::rank_options::RankOptions;
use crate::tiled_manifest::{Blob, TiledManifest};
use crate::tiled_shown::{gather, Missing};
use crate::tiles::{Density, TileSet, TiledRanking};
use crate::view_state::{QuerySource, ViewState};
use crate::{CatalogBuilder, Mood, Query};

/// More round trips than a first list ever needs (a manifest's first wave, a few asks of
/// the walk, the details): past it the app is left to finish.
const MOST_READS: u32 = 12;

/// Why a page has no first list; the app then shows its list as it comes.
#[derive(Debug, Clone, PartialEq)]
pub enum NoFirstList {
    /// The link asks for more than a point's nearest tracks (a track, a journey, a
    /// region), or has parameters the app will explain.
    NotAPoint,
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

/// What the list needs next.
#[derive(Debug, Clone, PartialEq)]
pub enum FirstStep {
    /// Read these pieces of the archive (side by side), give each to [`FirstList::put`]
    /// inflated, and step again.
    Read(Vec<Blob>),
    /// The list, nearest first.
    Done(Vec<FirstRow>),
}

/// A point's nearest tracks, ranked over the tiles as they arrive.
pub struct FirstList {
    manifest: TiledManifest,
    tiles: TileSet,
    chunks: Vec<(u64, DetailChunk)>,
    /// What each asked-for piece is, by its offset in the archive.
    asked: Vec<(u64, Missing)>,
    query: Query,
    count: usize,
    options: RankOptions,
    shows_popularity: bool,
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
        let QuerySource::Point(mood) = view.query else {
            return Err(NoFirstList::NotAPoint);
        };
        if !notices.is_empty() || view.journey.is_some() || view.region.is_some() {
            return Err(NoFirstList::NotAPoint);
        }
        Self::at(manifest, mood, view.count, &view)
    }

    fn at(
        manifest: TiledManifest,
        mood: Mood,
        count: usize,
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
            query: Query::at(mood),
            count,
            options,
            reads: 0,
        })
    }

    /// The archive the pieces are read from (relative to the page).
    pub fn archive(&self) -> &str {
        &self.manifest.archive
    }

    /// What the list is, in words: "The 10 tracks nearest valence 0.500, energy 0.500".
    pub fn heading(&self) -> String {
        let mood = self.query.mood;
        let tracks = match self.count {
            1 => "The track".to_owned(),
            n => format!("The {n} tracks"),
        };
        format!(
            "{tracks} nearest valence {:.3}, energy {:.3}",
            mood.valence, mood.energy
        )
    }

    /// What to read next, or the list.
    pub fn step(&mut self) -> Result<FirstStep, NoFirstList> {
        if self.reads >= MOST_READS {
            return Err(NoFirstList::TooManyReads);
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
                let indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
                let chunks = &self.chunks;
                let chunk_at = |at: u64| chunks.iter().find(|(o, _)| *o == at).map(|(_, c)| c);
                match gather(&self.manifest, &self.tiles, chunk_at, &indices) {
                    Ok(shown) => {
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
        let blobs: Vec<Blob> = missing.iter().map(|piece| self.blob_of(piece)).collect();
        self.asked = blobs.iter().map(|b| b.offset()).zip(missing).collect();
        Ok(FirstStep::Read(blobs))
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
            Missing::Tile(number) => {
                let tile = MoodTile::from_bytes(bytes, &self.manifest.tile_shape(number))
                    .map_err(broken)?;
                self.tiles.insert(number, tile);
            }
            Missing::Chunk { tracks, .. } => {
                let chunk = DetailChunk::from_bytes(bytes, tracks).map_err(broken)?;
                self.chunks.push((offset, chunk));
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
