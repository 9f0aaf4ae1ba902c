//! The tracks a tiled page shows (its matches, a pasted track), gathered from the tiles
//! and detail chunks at hand into one small [`Catalog`], so that the list, the player,
//! the plane's overlay and the exports read a tiled catalog's tracks exactly as they read
//! a loaded one's. What is not at hand yet is named, for the page to fetch.

use std::ops::Range;

use crate::catalog::{CatalogBuilder, DetailChunk, ExtraFeatures, TrackRecord};
use crate::tiled_manifest::{Blob, TiledManifest};
use crate::tiles::TileSet;
use crate::{Catalog, Match};

/// A piece of the archive a gathering needs first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A mood tile, by number.
    Tile(usize),
    /// A detail chunk: where it lies and the tracks it holds.
    Chunk { blob: Blob, tracks: Range<u32> },
}

/// `matches` numbered as [`gather`] numbers their tracks when given their indices in
/// order: match k is track k of the gathered catalog, at the same distance.
pub fn in_gathered_order(matches: &[Match]) -> Vec<Match> {
    matches
        .iter()
        .enumerate()
        .map(|(k, m)| Match {
            index: k,
            distance: m.distance,
        })
        .collect()
}

/// Track `indices[k]` (distinct) of the tiled catalog as track k of a new catalog (same genre table,
/// so genre indices keep their meaning), or every piece still missing. `chunk_at` finds a
/// fetched detail chunk by the archive offset it was read from.
pub fn gather<'a>(
    manifest: &TiledManifest,
    tiles: &TileSet,
    chunk_at: impl Fn(u64) -> Option<&'a DetailChunk>,
    indices: &[usize],
) -> Result<Catalog, Vec<Missing>> {
    let mut missing = Vec::new();
    let mut records = Vec::with_capacity(indices.len());
    for &index in indices {
        let Some(number) = tiles.tile_of(index) else {
            continue;
        };
        let Some(tile) = tiles.tile(number) else {
            push_new(&mut missing, Missing::Tile(number));
            continue;
        };
        let Some((blob, tracks)) = manifest.detail_chunk_of(number, tile, index) else {
            continue;
        };
        let Some(details) = chunk_at(blob.offset()).and_then(|c| c.track(index)) else {
            push_new(&mut missing, Missing::Chunk { blob, tracks });
            continue;
        };
        let row = index - tile.first as usize;
        records.push(TrackRecord {
            id: details.id,
            name: details.name.to_owned(),
            artist: details.artist.to_owned(),
            genre: manifest.genres[tile.genre_of[row] as usize].clone(),
            mood: tile.moods[row],
            extras: ExtraFeatures::at_row(&tile.extras, row),
        });
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut builder = CatalogBuilder::with_genres(manifest.source.clone(), &manifest.genres);
    for record in records {
        builder.push(record);
    }
    Ok(builder.finish().0)
}

fn push_new(missing: &mut Vec<Missing>, piece: Missing) {
    if !missing.contains(&piece) {
        missing.push(piece);
    }
}
