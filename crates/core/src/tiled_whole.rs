//! A small tiled catalog read whole (issue 14: one layout for every size). A manifest
//! with an `order` blob ([`crate::tiled_manifest::LOAD_WHOLE_UP_TO`]) keeps each tile's
//! details in one chunk, so every piece a page needs is named by the manifest itself
//! ([`pieces`]) and lies in the archive's first bytes ([`leading_bytes`]): one download.
//! [`assemble`] reads every tile and chunk and puts the tracks back in the catalog's own
//! order, giving the very catalog the builder started from, which the page then explores
//! with every find mode.

use std::collections::HashMap;
use std::fmt;

use crate::catalog::{CatalogError, DetailChunk, MoodTile};
use crate::tiled_manifest::{Blob, TiledManifest};
use crate::tiled_shown::gather;
use crate::Catalog;

/// Why a tiled catalog could not be read whole.
#[derive(Debug, Clone, PartialEq)]
pub enum WholeError {
    /// The manifest does not offer it (a big catalog, read tile by tile).
    NotWhole,
    /// A piece the manifest names was not handed over.
    MissingPiece { offset: u64 },
    /// A tile or a detail chunk is damaged.
    Damaged {
        part: &'static str,
        tile: usize,
        error: CatalogError,
    },
    /// The order blob is not one position per track, each used once.
    BadOrder { detail: String },
    /// A tile keeps its details in more than one chunk.
    SplitDetails { tile: usize },
}

impl fmt::Display for WholeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WholeError::NotWhole => write!(f, "the tiled catalog is too big to be read whole"),
            WholeError::MissingPiece { offset } => write!(
                f,
                "the piece of the tiled catalog at byte {offset} did not arrive"
            ),
            WholeError::Damaged { part, tile, error } => {
                write!(f, "the {part} of tile {tile} is damaged: {error}")
            }
            WholeError::BadOrder { detail } => {
                write!(f, "the tiled catalog's track order is damaged ({detail})")
            }
            WholeError::SplitDetails { tile } => write!(
                f,
                "tile {tile} keeps its details in several chunks, which a whole read does not expect"
            ),
        }
    }
}

impl std::error::Error for WholeError {}

/// Every blob a whole read inflates: each tile, each tile's details, then the order.
pub fn pieces(manifest: &TiledManifest) -> Result<Vec<Blob>, WholeError> {
    let order = manifest.order.ok_or(WholeError::NotWhole)?;
    let mut blobs: Vec<Blob> = manifest
        .tiles
        .iter()
        .flat_map(|tile| [tile.blob, tile.details])
        .collect();
    blobs.push(order);
    Ok(blobs)
}

/// The length of the archive's start that holds every piece of a whole read.
pub fn leading_bytes(manifest: &TiledManifest) -> Result<u64, WholeError> {
    Ok(pieces(manifest)?
        .iter()
        .map(|b| b.offset() + u64::from(b.length()))
        .max()
        .unwrap_or(0))
}

/// The whole catalog, in its own order, from the inflated bytes of every piece
/// (`inflated` finds them by the blob they came from).
pub fn assemble<'a>(
    manifest: &TiledManifest,
    inflated: impl Fn(Blob) -> Option<&'a [u8]>,
) -> Result<Catalog, WholeError> {
    let order_blob = manifest.order.ok_or(WholeError::NotWhole)?;
    let piece = |blob: Blob| {
        inflated(blob).ok_or(WholeError::MissingPiece {
            offset: blob.offset(),
        })
    };
    let mut tiles = manifest.tile_set();
    let mut chunks = HashMap::new();
    for (number, entry) in manifest.tiles.iter().enumerate() {
        let damaged = |part, error| WholeError::Damaged {
            part,
            tile: number,
            error,
        };
        let tile = MoodTile::from_bytes(piece(entry.blob)?, &manifest.tile_shape(number))
            .map_err(|e| damaged("mood data", e))?;
        if tile.chunk_lengths.len() != 1 {
            return Err(WholeError::SplitDetails { tile: number });
        }
        let tracks = entry.first..entry.first + entry.count;
        let details = DetailChunk::from_bytes(piece(entry.details)?, tracks)
            .map_err(|e| damaged("details", e))?;
        chunks.insert(entry.details.offset(), details);
        tiles.insert(number, tile);
    }
    let in_tile_order = positions(piece(order_blob)?, manifest.tracks as usize)?;
    gather(manifest, &tiles, |at| chunks.get(&at), &in_tile_order).map_err(|missing| {
        WholeError::BadOrder {
            detail: format!(
                "{} pieces still missing after every tile was read",
                missing.len()
            ),
        }
    })
}

/// For each catalog position, the tiled track that holds it: the inverse of the order
/// blob (tiled track k sits at catalog position `order[k]`), checked to be a permutation.
fn positions(bytes: &[u8], tracks: usize) -> Result<Vec<usize>, WholeError> {
    if bytes.len() != tracks * 4 {
        return Err(WholeError::BadOrder {
            detail: format!("{} bytes for {tracks} tracks", bytes.len()),
        });
    }
    let mut tiled_at = vec![usize::MAX; tracks];
    for (tiled, word) in bytes.chunks_exact(4).enumerate() {
        let position = u32::from_le_bytes([word[0], word[1], word[2], word[3]]) as usize;
        match tiled_at.get_mut(position) {
            Some(slot) if *slot == usize::MAX => *slot = tiled,
            Some(_) => {
                return Err(WholeError::BadOrder {
                    detail: format!("position {position} is given twice"),
                })
            }
            None => {
                return Err(WholeError::BadOrder {
                    detail: format!("position {position} is past the last track"),
                })
            }
        }
    }
    Ok(tiled_at)
}

/// The order blob's bytes (before compression) for tiles cut from a catalog in which
/// tiled track k was catalog track `catalog_index[k]`.
pub fn order_bytes(catalog_index: impl Iterator<Item = u32>) -> Vec<u8> {
    catalog_index.flat_map(u32::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_inverted_and_must_be_a_permutation() {
        let bytes = order_bytes([2, 0, 1].into_iter());
        assert_eq!(positions(&bytes, 3), Ok(vec![1, 2, 0]));
        let twice = order_bytes([0, 0, 1].into_iter());
        assert!(
            matches!(positions(&twice, 3), Err(WholeError::BadOrder { detail }) if detail.contains("twice"))
        );
        let past = order_bytes([0, 3, 1].into_iter());
        assert!(
            matches!(positions(&past, 3), Err(WholeError::BadOrder { detail }) if detail.contains("past"))
        );
        assert!(matches!(
            positions(&bytes[..8], 3),
            Err(WholeError::BadOrder { .. })
        ));
    }
}
