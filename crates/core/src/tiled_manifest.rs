//! The manifest of a tiled catalog (issue 14): the small JSON a page reads first. It
//! names the archive beside it and says where in it each piece lies (byte ranges of
//! gzip-compressed blobs): the mood tiles with their bounds and genres, where each tile's
//! detail chunks lie (the tile itself lists their lengths), and the id shards; and it carries what ranking needs of the whole catalog (its size,
//! genre table, feature scale). [`TiledManifest::check`] validates all of it, so a page
//! can trust every range and index it reads from a manifest that passed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::MoodAnalysis;
use crate::catalog::id_shard::{shard_of, IdShard, IdSpan, MAX_SHARDS, PLACES};
use crate::catalog::{CatalogError, MoodTile, TileShape};
use crate::features::{Feature, FeatureMap, FeatureScale};
use crate::mood::Mood;
use crate::tiles::{z_order, TileEntry, TileSet};
use crate::track_id::TrackId;

/// The value of `format` in every manifest.
pub const TILED_FORMAT: &str = "moodplane-tiles";
/// The manifest version this code writes and reads.
pub const TILED_VERSION: u32 = 3;

/// A byte range of the archive: `[offset, length]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob(pub u64, pub u32);

impl Blob {
    pub fn offset(self) -> u64 {
        self.0
    }
    pub fn length(self) -> u32 {
        self.1
    }
    /// Where it ends (its last byte's offset + 1).
    pub fn end(self) -> u64 {
        self.0 + u64::from(self.1)
    }

    /// Whether `other` lies wholly inside it.
    pub fn holds(self, other: Blob) -> bool {
        other.offset() >= self.offset() && other.end() <= self.end()
    }
}

/// Tracks either side of a pasted track whose details are fetched with its tile
/// ([`TiledManifest::details_near`]): three chunks of the builder's 64.
pub const NEAR_TRACKS: u64 = 192;

/// Places a side of the grid [`TiledManifest::details_near_mood`] spreads a tile's
/// tracks over.
pub const PLACE_SAMPLES: u64 = 64;

/// (lowest, highest) of a tile along one dimension.
type Span = (f64, f64);

/// Tracks either side of a run of rows [`TiledManifest::details_near_mood`] estimates:
/// a chunk and a half of the builder's 64 (`cargo run --release -p
/// moodplane-catalog-builder --example first_list_trips`: with 96, 85 % of points need one
/// round trip at 1.2M and at 10M; 64 gives 76 % and 78 %, 128 87 % and 89 %).
pub const RUN_MARGIN: u64 = 96;

/// Half-open spans `[start, end)` in order, those that overlap or touch made one.
fn joined(mut spans: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    spans.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The bytes of about [`NEAR_TRACKS`] tracks either side of the place `part / whole` of
/// the way through `tile`'s details.
fn window_at(tile: &TileRef, part: u64, whole: u64) -> Blob {
    let length = u64::from(tile.details.length());
    let count = u64::from(tile.count).max(1);
    let estimate = length * part / whole;
    let half = (length * NEAR_TRACKS).div_ceil(count);
    let start = estimate.saturating_sub(half);
    let end = (estimate + half).min(length);
    Blob(tile.details.offset() + start, (end - start) as u32)
}

/// A mood tile's entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TileRef {
    pub first: u32,
    pub count: u32,
    /// (lowest, highest) of each rankable dimension in ranking units; null where the
    /// catalog lacks the feature.
    pub bounds: FeatureMap<Option<(f64, f64)>>,
    /// Genre indices present, ascending.
    pub genres: Vec<u32>,
    pub blob: Blob,
    /// The tile's detail chunks, end to end.
    pub details: Blob,
}

/// A tiled catalog's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TiledManifest {
    pub format: String,
    pub version: u32,
    /// Where the tracks came from, for people.
    pub source: String,
    pub tracks: u32,
    pub genres: Vec<String>,
    /// Length of the catalog's artist table (tiles index it).
    pub artists: u32,
    /// The catalog's extra feature columns (bit c: danceability, acousticness, tempo,
    /// popularity).
    pub extras_mask: u8,
    pub scale: FeatureScale,
    /// The archive's file name, beside the manifest, and its length in bytes.
    pub archive: String,
    pub archive_bytes: u64,
    /// Written and read as columns ([`crate::tile_columns`]).
    #[serde(with = "crate::tile_columns")]
    pub tiles: Vec<TileRef>,
    /// Ids are split into `shard_count` runs of the id order
    /// ([`crate::catalog::id_shard`]); the shards lie from `shards_start`, in shard order,
    /// each in a slot of `shard_slot` bytes.
    pub shard_count: u32,
    pub shard_slot: u32,
    pub shards_start: u64,
    /// The places the catalog's ids span, which its shards cut.
    pub shard_span: IdSpan,
    /// Tracks per genre, in the order of `genres` (for the genre filter's counts).
    #[serde(default)]
    pub genre_counts: Vec<u32>,
    /// The plane's density background: tracks per cell of a `density_size` square grid
    /// over the unit square, row 0 at energy 1 ([`crate::density::count_per_pixel`]), so
    /// a page draws a big catalog without holding its points.
    #[serde(default)]
    pub density_size: u32,
    #[serde(default)]
    pub density: Vec<u32>,
    /// Present when the catalog is small enough for a page to read whole
    /// ([`LOAD_WHOLE_UP_TO`]): the catalog position of each tiled track, u32
    /// little-endian, so the page puts the tracks back in the catalog's own order
    /// ([`crate::tiled_whole`]). Such a catalog keeps each tile's details in one chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Blob>,
    /// The analysis panel's figures over every track (histograms, line, centroids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<MoodAnalysis>,
}

/// Catalogs of at most this many tracks are read whole by the page (one download, every
/// find mode); bigger ones are read tile by tile as ranking needs them.
pub const LOAD_WHOLE_UP_TO: u32 = 150_000;

/// Cells per side of the density grid a builder puts in a manifest.
pub const DENSITY_SIZE: u32 = 80;

/// What is wrong with a manifest.
#[derive(Debug, Clone, PartialEq)]
pub enum ManifestError {
    NotJson {
        detail: String,
    },
    WrongFormat {
        found: String,
    },
    UnsupportedVersion {
        found: u32,
    },
    /// Tiles do not follow one another from track 0 to the last.
    NotContiguous {
        part: &'static str,
        position: usize,
    },
    BadBounds {
        tile: usize,
    },
    BadGenre {
        tile: usize,
        genre: u32,
    },
    BadArchiveName {
        name: String,
    },
    BlobPastEnd {
        part: &'static str,
        position: usize,
    },
    BadShards {
        count: u32,
        slot: u32,
    },
    /// The span of id places the shards cut is empty or beyond every place.
    BadShardSpan {
        first: u64,
        last: u64,
    },
    /// The analysis does not count every track, or names a genre the catalog lacks.
    BadAnalysis,
    /// A per-genre or per-cell list has the wrong length.
    WrongLength {
        what: &'static str,
        expected: usize,
        found: usize,
    },
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ManifestError::*;
        match self {
            NotJson { detail } => write!(f, "the tiled catalog's manifest is not valid JSON ({detail})"),
            WrongFormat { found } => write!(
                f,
                "the file is not a tiled Moodplane catalog (format is “{found}”, expected “{TILED_FORMAT}”)"
            ),
            UnsupportedVersion { found } => write!(
                f,
                "the tiled catalog has version {found}; this page reads version {TILED_VERSION}"
            ),
            NotContiguous { part, position } => write!(
                f,
                "the tiled catalog's {part} {position} does not start where the one before ends"
            ),
            BadBounds { tile } => write!(f, "tile {tile} of the tiled catalog has bounds that are not numbers in order"),
            BadGenre { tile, genre } => write!(
                f,
                "tile {tile} of the tiled catalog names genre {genre}, which the catalog does not list"
            ),
            BadArchiveName { name } => write!(
                f,
                "the tiled catalog's archive is named “{name}”, which is not a plain file name"
            ),
            BlobPastEnd { part, position } => write!(
                f,
                "the tiled catalog's {part} {position} lies past the end of its archive"
            ),
            BadShards { count, slot } => write!(
                f,
                "the tiled catalog has {count} id shards in slots of {slot} bytes; it needs 1 to {MAX_SHARDS} shards in slots of at least 4 bytes"
            ),
            BadShardSpan { first, last } => write!(
                f,
                "the tiled catalog's id shards cut the places {first} to {last}, which is no span of id places (at most {})",
                PLACES - 1
            ),
            BadAnalysis => write!(
                f,
                "the tiled catalog's analysis does not fit it (histograms that miss tracks, or centroids off the plane or of unknown genres)"
            ),
            WrongLength { what, expected, found } => write!(
                f,
                "the tiled catalog's {what} has {found} entries; it should have {expected}"
            ),
        }
    }
}

impl std::error::Error for ManifestError {}

impl TiledManifest {
    /// Reads and checks a manifest.
    pub fn from_json(text: &str) -> Result<TiledManifest, ManifestError> {
        // The format and version first, so that another kind of file says what it is.
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| ManifestError::NotJson {
            detail: e.to_string(),
        })?;
        if head.format.as_deref() != Some(TILED_FORMAT) {
            return Err(ManifestError::WrongFormat {
                found: head.format.unwrap_or_default(),
            });
        }
        if head.version != Some(TILED_VERSION) {
            return Err(ManifestError::UnsupportedVersion {
                found: head.version.unwrap_or(0),
            });
        }
        let manifest: TiledManifest =
            serde_json::from_str(text).map_err(|e| ManifestError::NotJson {
                detail: e.to_string(),
            })?;
        manifest.check()?;
        Ok(manifest)
    }

    /// Checks that tiles cover the tracks in order, that bounds and genres
    /// make sense, that every blob lies inside the archive, and that the shards' count and
    /// slots do.
    pub fn check(&self) -> Result<(), ManifestError> {
        if self.format != TILED_FORMAT {
            return Err(ManifestError::WrongFormat {
                found: self.format.clone(),
            });
        }
        if self.version != TILED_VERSION {
            return Err(ManifestError::UnsupportedVersion {
                found: self.version,
            });
        }
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if self.archive.is_empty()
            || self.archive.starts_with('.')
            || !self.archive.chars().all(plain)
        {
            return Err(ManifestError::BadArchiveName {
                name: self.archive.clone(),
            });
        }
        contiguous(
            "tile",
            self.tiles.iter().map(|t| (t.first, t.count)),
            self.tracks,
        )?;
        for (i, tile) in self.tiles.iter().enumerate() {
            let in_order = |b: &Option<(f64, f64)>| {
                b.is_none_or(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo <= hi)
            };
            if !tile.bounds.iter().all(|(_, b)| in_order(b)) {
                return Err(ManifestError::BadBounds { tile: i });
            }
            if let Some(&genre) = tile
                .genres
                .iter()
                .find(|&&g| g as usize >= self.genres.len())
            {
                return Err(ManifestError::BadGenre { tile: i, genre });
            }
        }
        let inside = |part: &'static str, blobs: Vec<Blob>| match blobs
            .iter()
            .position(|b| b.end() > self.archive_bytes)
        {
            Some(position) => Err(ManifestError::BlobPastEnd { part, position }),
            None => Ok(()),
        };
        inside("tile", self.tiles.iter().map(|t| t.blob).collect())?;
        inside(
            "tile's details",
            self.tiles.iter().map(|t| t.details).collect(),
        )?;
        if !self.shard_span.is_valid() {
            return Err(ManifestError::BadShardSpan {
                first: self.shard_span.first,
                last: self.shard_span.last,
            });
        }
        if !(1..=MAX_SHARDS).contains(&self.shard_count) || self.shard_slot < 4 {
            return Err(ManifestError::BadShards {
                count: self.shard_count,
                slot: self.shard_slot,
            });
        }
        let shards_end = u64::from(self.shard_count) * u64::from(self.shard_slot);
        if self.shards_start.saturating_add(shards_end) > self.archive_bytes {
            return Err(ManifestError::BlobPastEnd {
                part: "id shards",
                position: 0,
            });
        }
        inside("track order", self.order.into_iter().collect())?;
        if let Some(analysis) = &self.analysis {
            if !analysis.fits(self.tracks, &self.genres) {
                return Err(ManifestError::BadAnalysis);
            }
        }
        let length = |what, expected: usize, found: usize| {
            if found == expected || found == 0 {
                Ok(())
            } else {
                Err(ManifestError::WrongLength {
                    what,
                    expected,
                    found,
                })
            }
        };
        length("genre counts", self.genres.len(), self.genre_counts.len())?;
        let cells = (self.density_size as usize).saturating_mul(self.density_size as usize);
        length("density grid", cells, self.density.len())?;
        if cells > 0 && self.density.is_empty() {
            return Err(ManifestError::WrongLength {
                what: "density grid",
                expected: cells,
                found: 0,
            });
        }
        Ok(())
    }

    /// The shape tile `number` must have.
    pub fn tile_shape(&self, number: usize) -> TileShape {
        let tile = &self.tiles[number];
        TileShape {
            first: tile.first,
            count: tile.count,
            artists: self.artists as usize,
            genres: self.genres.len(),
            extras_mask: self.extras_mask,
            detail_bytes: tile.details.length().into(),
        }
    }

    /// A tile set holding no tile yet, ready to rank as tiles arrive.
    pub fn tile_set(&self) -> TileSet {
        let directory = (0..self.tiles.len())
            .map(|n| TileEntry {
                shape: self.tile_shape(n),
                bounds: self.tiles[n].bounds,
                genres: self.tiles[n].genres.clone(),
            })
            .collect();
        TileSet::new(directory, self.scale.clone())
    }

    /// Where the details of track `index` lie, given its tile (number and content): the
    /// chunk's byte range in the archive and the tracks it holds.
    pub fn detail_chunk_of(
        &self,
        tile_number: usize,
        tile: &MoodTile,
        index: usize,
    ) -> Option<(Blob, std::ops::Range<u32>)> {
        let (offset, length, tracks) = tile.detail_chunk_of(index)?;
        let start = self.tiles.get(tile_number)?.details.offset() + offset;
        Some((Blob(start, length), tracks))
    }

    /// The part of tile `number`'s details most likely to hold track `index`'s chunk and
    /// those of its nearest neighbours (which the tile's Z-order puts nearby): the bytes
    /// of about [`NEAR_TRACKS`] tracks either side of its estimated place. Fetched with the
    /// tile for a pasted track, before the tile can say where each chunk lies; the chunks
    /// wholly inside are kept. None for a track outside the tile.
    pub fn details_near(&self, number: usize, index: usize) -> Option<Blob> {
        let tile = self.tiles.get(number)?;
        let row = (index as u64).checked_sub(u64::from(tile.first))?;
        let count = u64::from(tile.count);
        if row >= count {
            return None;
        }
        Some(window_at(tile, 2 * row + 1, 2 * count))
    }

    /// The parts of tile `number`'s details most likely to hold track `index`'s chunk and
    /// those of its list of `listed` tracks nearest it (its `mood`): the window around its
    /// own place ([`TiledManifest::details_near`]) and those around where its mood falls
    /// ([`TiledManifest::details_near_mood`], for the list and the track itself), which
    /// reach the runs of rows the Z-order curve puts its neighbours in on the far side of
    /// a quadrant's edge; in order, those that overlap or touch made one. Empty for a
    /// track outside the tile.
    pub fn details_near_track(
        &self,
        number: usize,
        index: usize,
        mood: Mood,
        listed: usize,
    ) -> Vec<Blob> {
        let Some(own) = self.details_near(number, index) else {
            return Vec::new();
        };
        let spans = self
            .details_near_mood(number, mood, listed + 1)
            .into_iter()
            .chain([own])
            .map(|w| (w.offset(), w.end()))
            .collect();
        joined(spans)
            .into_iter()
            .map(|(start, end)| Blob(start, (end - start) as u32))
            .collect()
    }

    /// The parts of tile `number`'s details most likely to hold the chunks of the
    /// `wanted` tracks nearest `mood` that lie in the tile, as
    /// [`TiledManifest::details_near`] for a track. The tile's tracks are taken to lie
    /// over a grid of [`PLACE_SAMPLES`]² places on its bounds as the catalog's density
    /// grid spreads them, each place given its rows on the tile's Z-order curve; the
    /// places within the radius that likely holds the tracks (from the density grid;
    /// around `mood` brought inside the bounds) give runs of rows, and each run, widened
    /// by [`RUN_MARGIN`] tracks either side, a window.
    /// A disc's places make a few runs: the Z-order curve leaves and re-enters it where
    /// it crosses its quadrants' edges. Fetched with a point's first tile, so that a
    /// jump's list mostly needs no round trip of its own for its names. Empty when the
    /// tile has no valence and energy bounds.
    pub fn details_near_mood(&self, number: usize, mood: Mood, wanted: usize) -> Vec<Blob> {
        let Some((tile, (v0, v1), (e0, e1))) = self.plane_bounds(number) else {
            return Vec::new();
        };
        let side = PLACE_SAMPLES as usize;
        let place = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * (k as f64 + 0.5) / side as f64;
        // Each place weighs what the density grid counts in its cell (a little at least,
        // so that a tile over empty cells still spreads its tracks).
        let size = self.density_size as usize;
        let weight = |at: Mood| {
            let cell = |x: f64| ((x * size as f64) as usize).min(size.saturating_sub(1));
            let counted = self
                .density
                .get(cell(1.0 - at.energy) * size + cell(at.valence))
                .copied()
                .unwrap_or(0);
            f64::from(counted) + 0.5
        };
        let mut curve: Vec<(u64, f64, usize)> = (0..side * side)
            .map(|k| {
                let at = Mood {
                    valence: place(v0, v1, k % side),
                    energy: place(e0, e1, k / side),
                };
                (z_order(at), weight(at), k)
            })
            .collect();
        curve.sort_unstable_by_key(|&(z, _, k)| (z, k));
        let total: f64 = curve.iter().map(|c| c.1).sum();
        // Each place's share of the tile before it and its own, by its grid number.
        let mut share = vec![(0.0, 0.0); side * side];
        let mut before = 0.0;
        for &(_, w, k) in &curve {
            share[k] = (before / total, w / total);
            before += w;
        }
        // The grid places whose cells the disc's box covers (at least the nearest one).
        let radius = self.likely_reach(mood, wanted);
        let cells = |x: f64, lo: f64, hi: f64| {
            let at = |x: f64| {
                let k = ((x - lo) / (hi - lo) * side as f64).floor();
                if k.is_finite() {
                    k.clamp(0.0, side as f64 - 1.0) as usize
                } else {
                    0
                }
            };
            let centre = x.clamp(lo, hi);
            at(centre - radius)..=at(centre + radius)
        };
        let count = u64::from(tile.count);
        let mut rows: Vec<(u64, u64)> = Vec::new();
        for j in cells(mood.energy, e0, e1) {
            for i in cells(mood.valence, v0, v1) {
                let (start, own) = share[j * side + i];
                let first = (count as f64 * start).floor() as u64;
                let last = (count as f64 * (start + own)).ceil() as u64;
                rows.push((
                    first.saturating_sub(RUN_MARGIN),
                    (last + RUN_MARGIN).min(count),
                ));
            }
        }
        let length = u64::from(tile.details.length());
        joined(rows)
            .into_iter()
            .map(|(first, last)| {
                let start = length * first / count.max(1);
                let end = (length * last).div_ceil(count.max(1)).min(length);
                Blob(tile.details.offset() + start, (end - start) as u32)
            })
            .filter(|window| window.length() > 0)
            .collect()
    }

    /// Tile `number`'s entry and its valence and energy bounds, when it has both.
    fn plane_bounds(&self, number: usize) -> Option<(&TileRef, Span, Span)> {
        let tile = self.tiles.get(number)?;
        Some((
            tile,
            tile.bounds[Feature::Valence]?,
            tile.bounds[Feature::Energy]?,
        ))
    }

    /// The radius around `mood` that likely holds `wanted` tracks, by the density grid
    /// ([`crate::density::likely_radius`]); 0 where its cell is empty.
    fn likely_reach(&self, mood: Mood, wanted: usize) -> f64 {
        crate::density::likely_radius(&self.density, self.density_size as usize, mood, wanted)
            .unwrap_or(0.0)
    }

    /// The details windows a point's first wave reads with its tiles, tile by tile: the
    /// first tile's ([`TiledManifest::details_near_mood`]) and those of the tiles
    /// `beside` it that the list's likely radius reaches
    /// ([`TiledManifest::details_beside_mood`]). The app and the first list both ask for
    /// these, so the app finds the first list's among what it was handed.
    pub fn first_wave_windows(
        &self,
        first: usize,
        beside: &[usize],
        mood: Mood,
        wanted: usize,
    ) -> Vec<(usize, Vec<Blob>)> {
        std::iter::once((first, self.details_near_mood(first, mood, wanted)))
            .chain(
                beside
                    .iter()
                    .map(|&number| (number, self.details_beside_mood(number, mood, wanted))),
            )
            .filter(|(_, windows)| !windows.is_empty())
            .collect()
    }

    /// [`TiledManifest::details_near_mood`] for a tile beside the one `mood` falls in:
    /// its windows when the list's likely radius reaches it, none when it does not.
    pub fn details_beside_mood(&self, number: usize, mood: Mood, wanted: usize) -> Vec<Blob> {
        let Some((_, (v0, v1), (e0, e1))) = self.plane_bounds(number) else {
            return Vec::new();
        };
        let radius = self.likely_reach(mood, wanted);
        let gap = (mood.valence - mood.valence.clamp(v0, v1))
            .hypot(mood.energy - mood.energy.clamp(e0, e1));
        match gap <= radius {
            true => self.details_near_mood(number, mood, wanted),
            false => Vec::new(),
        }
    }

    /// The detail chunks of tile `number` (read as `tile`) that lie wholly inside `window`
    /// of the archive, each as its byte range and the tracks it holds: what a details
    /// window fetched with the tile ([`TiledManifest::details_near`]) can be cut into.
    pub fn chunks_within(
        &self,
        number: usize,
        tile: &MoodTile,
        window: Blob,
    ) -> Vec<(Blob, std::ops::Range<u32>)> {
        let Some(entry) = self.tiles.get(number) else {
            return Vec::new();
        };
        tile.detail_chunks()
            .map(|(offset, length, tracks)| (Blob(entry.details.offset() + offset, length), tracks))
            .filter(|(chunk, _)| window.holds(*chunk))
            .collect()
    }

    /// The slot of shard `number` ([`crate::catalog::id_shard::from_slot`] reads it), or
    /// None when there is no such shard.
    pub fn shard_slot_of(&self, number: usize) -> Option<Blob> {
        (number < self.shard_count as usize).then(|| {
            Blob(
                self.shards_start + number as u64 * u64::from(self.shard_slot),
                self.shard_slot,
            )
        })
    }

    /// Id shard `number` of this catalog from its inflated bytes, checked against the
    /// manifest (its number, the shard count and span, the tracks and genres).
    pub fn id_shard(&self, number: usize, bytes: &[u8]) -> Result<IdShard, CatalogError> {
        IdShard::from_bytes(
            bytes,
            number as u32,
            self.shard_count,
            self.shard_span,
            self.tracks as usize,
            self.genres.len(),
        )
    }

    /// The id shard that would hold `id`.
    pub fn shard_for(&self, id: &TrackId) -> usize {
        shard_of(id.as_str().as_bytes(), self.shard_count, self.shard_span)
    }
}

/// Checks that runs `(first, count)` follow one another from 0 and end at `tracks`.
fn contiguous(
    part: &'static str,
    runs: impl Iterator<Item = (u32, u32)>,
    tracks: u32,
) -> Result<(), ManifestError> {
    let mut next = 0u64;
    let mut seen = 0;
    for (position, (first, count)) in runs.enumerate() {
        if u64::from(first) != next || count == 0 {
            return Err(ManifestError::NotContiguous { part, position });
        }
        next += u64::from(count);
        seen = position + 1;
    }
    if next != u64::from(tracks) {
        return Err(ManifestError::NotContiguous {
            part,
            position: seen,
        });
    }
    Ok(())
}
