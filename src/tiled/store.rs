//! The tiles, detail chunks and id shards a page holds of a tiled catalog: each fetched
//! when first needed (once, however often it is asked for), kept within a memory budget
//! (the least recently used tiles go first), and a failed fetch held for the person to
//! retry, so nothing they see is lost.

use std::collections::{HashMap, HashSet, VecDeque};
use std::pin::pin;
use std::sync::Arc;

use futures::channel::oneshot;
use futures::future::{join, join_all, select};
use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::catalog::id_shard::from_slot;
use moodplane_core::catalog::{DetailChunk, IdShard, MoodTile};
use moodplane_core::tiled_manifest::{Blob, TiledManifest};
use moodplane_core::tiled_shown::{gather, Missing};
use moodplane_core::tiles::TileSet;
use moodplane_core::{Catalog, Mood, TrackId};

use super::archive::{self, FetchError};

/// What detail chunks are called in messages.
const DETAILS: &str = "track details";
/// Marks the in-flight key of a details window fetched with a tile.
const WINDOW_KEY: u64 = 1 << 63;

/// Tracks held in fetched tiles before the least recently used tiles are let go (about
/// 100 bytes each in wasm memory).
pub const TRACKS_HELD: usize = 600_000;
/// How long a tile fetched ahead may wait for the page to be idle before it is read anyway.
const AHEAD_WAITS_MOST_MS: u32 = 100;
/// Detail chunks held before the oldest are let go.
pub const CHUNKS_HELD: usize = 512;

/// Id shards a pasted block reads side by side.
const SHARDS_AT_ONCE: usize = 8;
/// Tiles' details an export of a whole region reads side by side.
const DETAILS_AT_ONCE: usize = 6;

/// What a paste of a catalog id finds: its place, mood, genre and extra features.
pub use moodplane_core::catalog::id_shard::ShardEntry as Located;

/// How soon a fetched piece is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Urgency {
    /// A list waits for it: a failure is shown.
    Now,
    /// A list will likely read it in a moment (fetched ahead; a failure is not shown).
    Soon,
    /// For a later move: fetched ahead and read when the page is idle.
    WhenIdle,
}

#[derive(Clone, Copy)]
pub struct TileStore {
    manifest: StoredValue<Arc<TiledManifest>>,
    tiles: StoredValue<TileSet>,
    chunks: StoredValue<HashMap<u64, DetailChunk>>,
    chunk_order: StoredValue<VecDeque<u64>>,
    /// Id shards read, by number (None: an empty shard).
    shards: StoredValue<HashMap<usize, Option<IdShard>>>,
    /// Archive offsets of the pieces being fetched.
    in_flight: StoredValue<HashSet<u64>>,
    /// The details windows being fetched with a tile: a chunk inside one
    /// comes with it, and is not asked for on its own meanwhile.
    windows: StoredValue<Vec<Blob>>,
    /// Pieces being fetched ahead that a list has since asked for: their failure is shown.
    wanted_now: StoredValue<HashSet<u64>>,
    /// Tiles fetched ahead that wait for the page to be idle before they are read; a
    /// list asking for one reads it at once.
    idle_waits: StoredValue<HashMap<u64, oneshot::Sender<()>>>,
    /// Tiles held, least recently used first.
    recent: StoredValue<VecDeque<usize>>,
    /// Counts arrivals: what reads the store tracks this to look again.
    pub arrived: RwSignal<u64>,
    /// The last fetch that failed, until the person retries.
    pub failure: RwSignal<Option<FetchError>>,
}

impl TileStore {
    pub fn new(manifest: Arc<TiledManifest>) -> TileStore {
        TileStore {
            tiles: StoredValue::new(manifest.tile_set()),
            manifest: StoredValue::new(manifest),
            chunks: StoredValue::new(HashMap::new()),
            chunk_order: StoredValue::new(VecDeque::new()),
            shards: StoredValue::new(HashMap::new()),
            in_flight: StoredValue::new(HashSet::new()),
            windows: StoredValue::new(Vec::new()),
            wanted_now: StoredValue::new(HashSet::new()),
            idle_waits: StoredValue::new(HashMap::new()),
            recent: StoredValue::new(VecDeque::new()),
            arrived: RwSignal::new(0),
            failure: RwSignal::new(None),
        }
    }

    pub fn manifest(&self) -> Arc<TiledManifest> {
        self.manifest.get_value()
    }

    pub fn with_tiles<R>(&self, read: impl FnOnce(&TileSet) -> R) -> R {
        self.tiles.with_value(read)
    }

    /// Gathers `indices` into a small catalog, or names what must be fetched first.
    pub fn gather(&self, indices: &[usize]) -> Result<Catalog, Vec<Missing>> {
        let manifest = self.manifest();
        self.tiles.with_value(|tiles| {
            self.chunks.with_value(|chunks| {
                moodplane_core::tiled_shown::gather(&manifest, tiles, |at| chunks.get(&at), indices)
            })
        })
    }

    /// Tiles the latest answer read: they become the most recently used, and tiles beyond
    /// the budget go, least recently used first (never these).
    pub fn used(&self, tiles_read: &[usize]) {
        let manifest = self.manifest();
        let held = |n: &usize| manifest.tiles[*n].count as usize;
        self.recent.update_value(|recent| {
            recent.retain(|n| !tiles_read.contains(n));
            recent.extend(tiles_read.iter().copied());
            let mut total: usize = recent.iter().map(held).sum();
            while total > TRACKS_HELD && recent.len() > tiles_read.len() {
                let Some(oldest) = recent.pop_front() else {
                    break;
                };
                total -= held(&oldest);
                self.tiles.update_value(|t| t.evict(oldest));
            }
        });
    }

    /// Starts fetching a missing piece, unless it is already on its way or a failure
    /// waits for a retry. Its arrival bumps [`TileStore::arrived`].
    pub fn fetch(&self, piece: Missing) {
        self.start(piece, Urgency::Now);
    }

    /// Fetches a tile a list is likely to read in a moment (a point's first wave, a
    /// journey's waypoints); a failure is not shown (the tile is asked for again when a
    /// list needs it).
    pub fn prefetch(&self, tile: usize) {
        if !self.tiles.with_value(|t| t.is_loaded(tile)) {
            self.start(Missing::Tile(tile), Urgency::Soon);
        }
    }

    /// Fetches a tile for the point's next move, and reads it when the page is idle.
    pub fn fetch_ahead(&self, tile: usize) {
        if !self.tiles.with_value(|t| t.is_loaded(tile)) {
            self.start(Missing::Tile(tile), Urgency::WhenIdle);
        }
    }

    fn start(&self, piece: Missing, urgency: Urgency) {
        if self.failure.get_untracked().is_some() {
            return;
        }
        let key = match &piece {
            Missing::Tile(n) => self.manifest.with_value(|m| m.tiles[*n].blob.offset()),
            Missing::Chunk { blob, .. } => blob.offset(),
        };
        if let Missing::Chunk { blob, .. } = &piece {
            if self
                .windows
                .with_value(|w| w.iter().any(|w| w.holds(*blob)))
            {
                // Its window's arrival brings it, and the list looks again.
                return;
            }
        }
        let fresh = self
            .in_flight
            .try_update_value(|f| f.insert(key))
            .unwrap_or(false);
        if !fresh {
            if urgency == Urgency::Now {
                // Fetched ahead, and now a list waits for it.
                self.wanted_now.update_value(|w| {
                    w.insert(key);
                });
                if let Some(waiting) = self
                    .idle_waits
                    .try_update_value(|w| w.remove(&key))
                    .flatten()
                {
                    let _ = waiting.send(());
                }
            }
            return;
        }
        let store = *self;
        spawn_local(async move {
            let outcome = match piece {
                // A tile fetched ahead joins the held tiles as the least recently used:
                // were it the most, a drag's fetching ahead would push out the tiles its
                // lists read, and fetch them again on the way back.
                Missing::Tile(n) => store.load_tile(n, urgency).await,
                Missing::Chunk { blob, tracks } => store.load_chunk(blob, tracks).await,
            };
            let wanted = store.finish(&[key], key);
            match outcome {
                Ok(()) => store.arrived.update(|a| *a += 1),
                Err(error) if urgency == Urgency::Now || wanted => store.failure.set(Some(error)),
                Err(_) => {}
            }
        });
    }

    /// Ends a fetch: its keys are no longer in flight. Whether a list asked for `asked`
    /// while it was on its way (its failure is then shown).
    fn finish(&self, keys: &[u64], asked: u64) -> bool {
        self.in_flight.update_value(|f| {
            for key in keys {
                f.remove(key);
            }
        });
        self.wanted_now
            .try_update_value(|w| w.remove(&asked))
            .unwrap_or(false)
    }

    /// Forgets a failure and lets what needs fetching ask again.
    pub fn retry(&self) {
        self.failure.set(None);
        self.arrived.update(|a| *a += 1);
    }

    async fn load_tile(&self, number: usize, urgency: Urgency) -> Result<(), FetchError> {
        const WHAT: &str = "catalog tile";
        if self.tiles.with_value(|t| t.is_loaded(number)) {
            return Ok(());
        }
        let manifest = self.manifest();
        let blob = manifest.tiles[number].blob;
        let bytes = archive::blob(&manifest.archive, blob, WHAT).await?;
        if urgency == Urgency::WhenIdle {
            // A tile fetched ahead is read and scaled when the page is idle: not in the
            // frame of a drag's move, whose list would wait for it; unless a list asks
            // for it meanwhile.
            let (asked, asked_for) = oneshot::channel();
            self.idle_waits.update_value(|w| {
                w.insert(blob.offset(), asked);
            });
            select(pin!(crate::timers::idle(AHEAD_WAITS_MOST_MS)), asked_for).await;
            self.idle_waits.update_value(|w| {
                w.remove(&blob.offset());
            });
            if self.tiles.with_value(|t| t.is_loaded(number)) {
                return Ok(());
            }
        }
        let tile = MoodTile::from_bytes(&bytes, &manifest.tile_shape(number)).map_err(|e| {
            FetchError::Invalid {
                what: WHAT,
                detail: e.to_string(),
            }
        })?;
        self.tiles.update_value(|t| t.insert(number, tile));
        self.recent.update_value(|r| {
            if !r.contains(&number) {
                if urgency != Urgency::Now {
                    r.push_front(number);
                } else {
                    r.push_back(number);
                }
            }
        });
        Ok(())
    }

    async fn load_chunk(&self, blob: Blob, tracks: std::ops::Range<u32>) -> Result<(), FetchError> {
        let bytes = archive::blob(&self.manifest().archive, blob, DETAILS).await?;
        self.hold_chunk(blob.offset(), &bytes, tracks)
    }

    /// Fetches tile `number` and the parts of its details in `windows` in the same round
    /// trip (range requests side by side): for a pasted track the details around it
    /// ([`TiledManifest::details_near_track`]), for a point the details around where it falls
    /// ([`TiledManifest::details_near_mood`]). A list mostly lies there, and its names
    /// then need no round trip of their own. A window's failure is not shown (a list asks
    /// for what it lacks on its own); the tile's is when a list waits for it.
    pub fn fetch_with_details(&self, number: usize, windows: Vec<Blob>) {
        if self.failure.get_untracked().is_some() {
            return;
        }
        let tile_key = self.manifest.with_value(|m| m.tiles[number].blob.offset());
        let loaded = self.tiles.with_value(|t| t.is_loaded(number));
        if !loaded && self.in_flight.with_value(|f| f.contains(&tile_key)) {
            // The tile is on its way without them, and only the tile says where its
            // chunks lie in them: the list asks for its chunks itself.
            return;
        }
        let claim = |key: u64| self.in_flight.try_update_value(|f| f.insert(key)) == Some(true);
        // Apart from the keys of chunks, which are archive offsets too.
        let windows: Vec<Blob> = windows
            .into_iter()
            .filter(|near| claim(near.offset() | WINDOW_KEY))
            .collect();
        if windows.is_empty() {
            return;
        }
        let fetch_tile = !loaded && claim(tile_key);
        self.windows.update_value(|w| w.extend(&windows));
        let store = *self;
        spawn_local(async move {
            let tile_outcome = store.load_with_details(number, &windows, fetch_tile).await;
            store
                .windows
                .update_value(|w| w.retain(|other| !windows.contains(other)));
            let mut fetched: Vec<u64> = windows
                .iter()
                .map(|near| near.offset() | WINDOW_KEY)
                .collect();
            if fetch_tile {
                fetched.push(tile_key);
            }
            let tile_wanted = store.finish(&fetched, tile_key);
            match tile_outcome {
                // A list waited for this tile: it is fetched afresh on "Try again".
                Err(error) if tile_wanted => store.failure.set(Some(error)),
                // Whatever came (the tile, some details) is looked at again.
                _ => store.arrived.update(|a| *a += 1),
            }
        });
    }

    /// Fetches a point's first tile and the tiles `beside` it with the details where its
    /// list of `listed` tracks likely lies ([`TiledManifest::first_wave_windows`], as the
    /// first list reads them). Nothing is estimated once the first tile is held or on its
    /// way: a drag's later moves towards the same tile ask again for each new point.
    pub fn fetch_first_wave_details(
        &self,
        first: usize,
        beside: &[usize],
        mood: Mood,
        listed: usize,
    ) {
        let first_key = self.manifest.with_value(|m| m.tiles[first].blob.offset());
        if self.tiles.with_value(|t| t.is_loaded(first))
            || self.in_flight.with_value(|f| f.contains(&first_key))
        {
            return;
        }
        let waves = self
            .manifest()
            .first_wave_windows(first, beside, mood, listed);
        for (number, windows) in waves {
            self.fetch_with_details(number, windows);
        }
    }

    /// The tile's outcome; the details' are left out (a list asks for what it lacks).
    async fn load_with_details(
        &self,
        number: usize,
        windows: &[Blob],
        fetch_tile: bool,
    ) -> Result<(), FetchError> {
        let manifest = self.manifest();
        let tile = async {
            match fetch_tile {
                true => self.load_tile(number, Urgency::Now).await,
                false => Ok(()),
            }
        };
        let details = join_all(
            windows
                .iter()
                .map(|&near| archive::packed(&manifest.archive, near, DETAILS)),
        );
        let (tile, packed) = join(tile, details).await;
        tile?;
        for (&near, packed) in windows.iter().zip(packed) {
            if let Ok(packed) = packed {
                let _ = self.hold_details_near(number, near, &packed).await;
            }
        }
        Ok(())
    }

    /// Cuts the detail chunks wholly inside a tile's details window out and holds them.
    async fn hold_details_near(
        &self,
        number: usize,
        near: Blob,
        packed: &[u8],
    ) -> Result<(), FetchError> {
        let manifest = self.manifest();
        // The tile says where each chunk lies; fetched elsewhere and not here yet, these
        // details go unused (the list asks for its chunks on its own).
        let chunks = self.tiles.with_value(|t| {
            t.tile(number)
                .map(|tile| manifest.chunks_within(number, tile, near))
                .unwrap_or_default()
        });
        let held = |chunk: Blob| self.chunks.with_value(|c| c.contains_key(&chunk.offset()));
        let pieces =
            chunks
                .into_iter()
                .filter(|(chunk, _)| !held(*chunk))
                .map(|(chunk, tracks)| {
                    let from = (chunk.offset() - near.offset()) as usize;
                    let piece = packed[from..from + chunk.length() as usize].to_vec();
                    async move {
                        let bytes = archive::inflate(piece)
                            .await
                            .map_err(|_| FetchError::Inflate { what: DETAILS })?;
                        Ok::<_, FetchError>((chunk.offset(), bytes, tracks))
                    }
                });
        for inflated in join_all(pieces).await {
            let (at, bytes, tracks) = inflated?;
            self.hold_chunk(at, &bytes, tracks)?;
        }
        Ok(())
    }

    /// Reads a detail chunk and holds it (the oldest go beyond the budget).
    fn hold_chunk(
        &self,
        key: u64,
        bytes: &[u8],
        tracks: std::ops::Range<u32>,
    ) -> Result<(), FetchError> {
        let chunk = DetailChunk::from_bytes(bytes, tracks).map_err(|e| FetchError::Invalid {
            what: DETAILS,
            detail: e.to_string(),
        })?;
        if self
            .chunks
            .try_update_value(|c| c.insert(key, chunk).is_some())
            .unwrap_or(true)
        {
            return Ok(());
        }
        self.chunk_order.update_value(|order| {
            order.push_back(key);
            while order.len() > CHUNKS_HELD {
                if let Some(oldest) = order.pop_front() {
                    self.chunks.update_value(|c| {
                        c.remove(&oldest);
                    });
                }
            }
        });
        Ok(())
    }

    /// Tracks `indices` of the catalog with their details, as [`gather`] gives them (track
    /// k of the result is `indices[k]`), for an export of a whole region: the chunks
    /// held are used, and each tile's missing details are read whole, one range a tile,
    /// [`DETAILS_AT_ONCE`] side by side, and let go after (the store's budget is for
    /// what the page shows).
    pub async fn gather_all(&self, indices: &[usize]) -> Result<Catalog, FetchError> {
        let manifest = self.manifest();
        let mut read: HashMap<u64, DetailChunk> = HashMap::new();
        // Tiles let go since the region was read come back first, then their details.
        for _ in 0..3 {
            let missing = self.tiles.with_value(|tiles| {
                self.chunks.with_value(|held| {
                    let chunk_at = |at: u64| read.get(&at).or_else(|| held.get(&at));
                    gather(&manifest, tiles, chunk_at, indices)
                })
            });
            let missing = match missing {
                Ok(catalog) => return Ok(catalog),
                Err(missing) => missing,
            };
            let mut tiles_wanted: Vec<usize> = Vec::new();
            for piece in &missing {
                let number = match piece {
                    Missing::Tile(number) => {
                        self.load_tile(*number, Urgency::Now).await?;
                        continue;
                    }
                    Missing::Chunk { tracks, .. } => {
                        self.tiles.with_value(|t| t.tile_of(tracks.start as usize))
                    }
                };
                if let Some(number) = number.filter(|n| !tiles_wanted.contains(n)) {
                    tiles_wanted.push(number);
                }
            }
            let reads = tiles_wanted
                .into_iter()
                .map(|number| self.tile_details(number));
            let answers = futures::stream::iter(reads)
                .buffer_unordered(DETAILS_AT_ONCE)
                .collect::<Vec<_>>()
                .await;
            for chunks in answers {
                read.extend(chunks?);
            }
        }
        Err(FetchError::Invalid {
            what: DETAILS,
            detail: "the details read do not hold every track asked for".to_owned(),
        })
    }

    /// Every detail chunk of tile `number` (held), by archive offset: its details read
    /// in one range and cut where the tile says its chunks lie.
    async fn tile_details(&self, number: usize) -> Result<Vec<(u64, DetailChunk)>, FetchError> {
        let manifest = self.manifest();
        let whole = manifest.tiles[number].details;
        let packed = archive::packed(&manifest.archive, whole, DETAILS).await?;
        let chunks = self.tiles.with_value(|t| {
            t.tile(number)
                .map(|tile| manifest.chunks_within(number, tile, whole))
                .unwrap_or_default()
        });
        let mut out = Vec::with_capacity(chunks.len());
        for (chunk, tracks) in chunks {
            let from = (chunk.offset() - whole.offset()) as usize;
            let piece = packed[from..from + chunk.length() as usize].to_vec();
            let bytes = archive::inflate(piece)
                .await
                .map_err(|_| FetchError::Inflate { what: DETAILS })?;
            let details =
                DetailChunk::from_bytes(&bytes, tracks).map_err(|e| FetchError::Invalid {
                    what: DETAILS,
                    detail: e.to_string(),
                })?;
            out.push((chunk.offset(), details));
        }
        Ok(out)
    }

    /// Finds a pasted id through its id shard (one small request, found or not), and
    /// starts fetching the found track's tile and the details around it, for its list of
    /// `listed` tracks.
    pub async fn locate(&self, id: &TrackId, listed: usize) -> Result<Option<Located>, FetchError> {
        let found = self.find_in_shards(id).await?;
        if let Some(found) = found {
            if let Some(tile) = self.tiles.with_value(|t| t.tile_of(found.index)) {
                let near =
                    self.manifest()
                        .details_near_track(tile, found.index, found.mood, listed);
                self.fetch_with_details(tile, near);
            }
        }
        Ok(found)
    }

    /// Finds each of `ids` through the id shards, each shard read once however many of
    /// the ids fall in it, [`SHARDS_AT_ONCE`] shards side by side; the answers come in
    /// the order of `ids`. Nothing else is fetched: a pasted block's lines and a
    /// journey's ends need only their moods.
    pub async fn locate_many(&self, ids: &[TrackId]) -> Vec<Result<Option<Located>, FetchError>> {
        let manifest = self.manifest();
        let mut by_shard: HashMap<usize, Vec<usize>> = HashMap::new();
        for (position, id) in ids.iter().enumerate() {
            by_shard
                .entry(manifest.shard_for(id))
                .or_default()
                .push(position);
        }
        let reads = by_shard.into_iter().map(|(number, positions)| async move {
            let read = self.read_shard(number).await;
            positions
                .into_iter()
                .map(|at| (at, read.clone().map(|()| self.held_find(number, &ids[at]))))
                .collect::<Vec<_>>()
        });
        let mut answers: Vec<Result<Option<Located>, FetchError>> = vec![Ok(None); ids.len()];
        // A long block (up to 5,000 lines) would otherwise start thousands of requests.
        let answered = futures::stream::iter(reads)
            .buffer_unordered(SHARDS_AT_ONCE)
            .collect::<Vec<_>>()
            .await;
        for (at, answer) in answered.into_iter().flatten() {
            answers[at] = answer;
        }
        answers
    }

    /// Finds `id` in its id shard, reading the shard first unless it is held.
    async fn find_in_shards(&self, id: &TrackId) -> Result<Option<Located>, FetchError> {
        let number = self.manifest().shard_for(id);
        self.read_shard(number).await?;
        Ok(self.held_find(number, id))
    }

    /// Finds `id` in id shard `number` (its own), which has been read.
    fn held_find(&self, number: usize, id: &TrackId) -> Option<Located> {
        self.shards
            .with_value(|s| s.get(&number).and_then(|shard| shard.as_ref()?.entry(id)))
    }

    /// Reads id shard `number`, unless it is held already.
    async fn read_shard(&self, number: usize) -> Result<(), FetchError> {
        const WHAT: &str = "catalog's id index";
        let manifest = self.manifest();
        let Some(slot) = manifest.shard_slot_of(number) else {
            self.shards.update_value(|s| {
                s.insert(number, None);
            });
            return Ok(());
        };
        if self.shards.with_value(|s| s.contains_key(&number)) {
            return Ok(());
        }
        let invalid = |detail: String| FetchError::Invalid { what: WHAT, detail };
        let packed = archive::packed(&manifest.archive, slot, WHAT).await?;
        let gzip = from_slot(&packed).map_err(|e| invalid(e.to_string()))?;
        // An empty shard: no id of the catalog falls in it.
        let shard = match gzip.is_empty() {
            true => None,
            false => {
                let bytes = archive::inflate(gzip.to_vec())
                    .await
                    .map_err(|_| FetchError::Inflate { what: WHAT })?;
                let shard = manifest
                    .id_shard(number, &bytes)
                    .map_err(|e| invalid(e.to_string()))?;
                Some(shard)
            }
        };
        self.shards.update_value(|s| {
            s.insert(number, shard);
        });
        Ok(())
    }
}
