//! The tiled catalog, end to end natively: the embedded catalog cut into small tiles (so
//! every query crosses several), its manifest read back through JSON, and a reader that
//! fetches byte ranges of the archive only when the ranking asks, as the page will.
//! Ranking equals brute force over the same catalog under every option; a pasted id
//! costs one shard; the details of every match come from the chunks.

use std::cell::Cell;
use std::io::Read;
use std::path::PathBuf;

use flate2::read::GzDecoder;
use moodplane_catalog_builder::build_catalog;
use moodplane_catalog_builder::tiled::{build_tiled, TileSizes, TiledCatalog};
use moodplane_core::catalog::genre_cell;
use moodplane_core::catalog::id_shard::from_slot;
use moodplane_core::catalog::{DetailChunk, MoodTile};
use moodplane_core::features::{Feature, FeatureTable};
use moodplane_core::first_list::{
    gzip_in_slot, FirstList, FirstRow, FirstStep, NoFirstList, Piece, PieceForm,
};
use moodplane_core::rank_options::{GenreFilter, RankOptions};
use moodplane_core::ranker::rank;
use moodplane_core::tiled_manifest::{Blob, ManifestError, TiledManifest};
use moodplane_core::tiles::{Density, TiledRanking};
use moodplane_core::{Catalog, Mood, Query, QuerySource, TrackId, ViewState};
use proptest::prelude::*;

/// Tiles and chunks of the sizes a big catalog gets.
const BIG: TileSizes = TileSizes {
    tracks_per_tile: 2048,
    tracks_per_chunk: 64,
    ids_per_shard: 1024,
    load_whole_up_to: 0,
};

const SMALL: TileSizes = TileSizes {
    tracks_per_tile: 64,
    tracks_per_chunk: 32,
    ids_per_shard: 16,
    load_whole_up_to: 0,
};

fn embedded() -> Catalog {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/valence_arousal_11k.csv");
    let text = std::fs::read_to_string(path).unwrap();
    build_catalog(&text, "valence_arousal_11k.csv")
        .unwrap()
        .catalog
}

/// The archive as a host serves it: byte ranges, counted.
struct Host<'a> {
    archive: &'a [u8],
    requests: Cell<usize>,
}

impl Host<'_> {
    fn fetch(&self, blob: Blob) -> Vec<u8> {
        self.requests.set(self.requests.get() + 1);
        let start = blob.offset() as usize;
        gunzip(&self.archive[start..start + blob.length() as usize])
    }

    /// An id shard's slot, one request, inflated (empty for an empty shard).
    fn fetch_shard(&self, slot: Blob) -> Vec<u8> {
        self.requests.set(self.requests.get() + 1);
        let start = slot.offset() as usize;
        let packed = from_slot(&self.archive[start..start + slot.length() as usize]).unwrap();
        if packed.is_empty() {
            return Vec::new();
        }
        gunzip(packed)
    }
}

fn gunzip(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(packed).read_to_end(&mut out).unwrap();
    out
}

fn built() -> (TiledCatalog, TiledManifest) {
    let tiled = build_tiled(embedded(), SMALL);
    let text = serde_json::to_string(&tiled.manifest).unwrap();
    let manifest = TiledManifest::from_json(&text).unwrap();
    assert_eq!(manifest, tiled.manifest);
    (tiled, manifest)
}

/// Ranks as the page will: fetch the tile the walk needs, ask again.
fn rank_tiled(
    manifest: &TiledManifest,
    host: &Host,
    query: Query,
    n: usize,
    options: &RankOptions,
) -> Vec<moodplane_core::rank::Match> {
    let mut tiles = manifest.tile_set();
    loop {
        match tiles.rank(query, n, options) {
            TiledRanking::Ranked { matches, .. } => return matches,
            TiledRanking::Needs(number) => {
                let bytes = host.fetch(manifest.tiles[number].blob);
                let tile = MoodTile::from_bytes(&bytes, &manifest.tile_shape(number)).unwrap();
                tiles.insert(number, tile);
            }
        }
    }
}

#[test]
fn the_embedded_catalog_cut_small_covers_every_track_once() {
    let (tiled, manifest) = built();
    assert_eq!(tiled.ordered.len(), embedded().len());
    assert!(manifest.tiles.len() > 100, "{} tiles", manifest.tiles.len());
    assert!(manifest.tiles.iter().all(|t| t.count <= 64));
    // 16 ids a shard (SMALL), each shard in a slot of one size.
    assert_eq!(
        manifest.shard_count as usize,
        tiled.ordered.len().div_ceil(16)
    );
    let slots = u64::from(manifest.shard_count) * u64::from(manifest.shard_slot);
    assert_eq!(manifest.shards_start + slots, manifest.archive_bytes);
    assert!(manifest.archive.starts_with("catalog-") && manifest.archive.ends_with(".tiles"));
    assert_eq!(manifest.archive_bytes, tiled.archive.len() as u64);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Exactly brute force's list over the whole (leaf-ordered) catalog, whatever the
    /// point and options, and the walk reads several tiles.
    #[test]
    fn ranking_over_fetched_tiles_equals_brute_force(
        q in (0u16..=1000, 0u16..=1000),
        n in 1usize..40,
        z_score in any::<bool>(),
        mood_weight in prop::sample::select(vec![0.0, 1.0, 2.0]),
        genre in proptest::option::of(0usize..6),
        exclude_genre in any::<bool>(),
        cap in proptest::option::of(1usize..3),
        rerank in proptest::option::of(5usize..30),
        track in proptest::option::of(0usize..11_000),
    ) {
        let (tiled, manifest) = shared();
        let host = Host { archive: &tiled.archive, requests: Cell::new(0) };
        let mut options = RankOptions {
            z_score,
            max_per_artist: cap,
            popularity_rerank: rerank,
            ..RankOptions::default()
        };
        options.weights[Feature::Valence] = mood_weight;
        options.weights[Feature::Energy] = mood_weight.max(0.5);
        if let Some(g) = genre {
            options.genres = if exclude_genre {
                GenreFilter { include: vec![], exclude: vec![g] }
            } else {
                GenreFilter { include: vec![g], exclude: vec![] }
            };
        }
        let query = Query {
            mood: Mood::new(q.0 as f64 / 1000.0, q.1 as f64 / 1000.0).unwrap(),
            track: track.filter(|&t| t < tiled.ordered.len()),
        };
        let features = FeatureTable::new(&tiled.ordered);
        let tiled_list = rank_tiled(manifest, &host, query, n, &options);
        prop_assert_eq!(&tiled_list, &rank(&tiled.ordered, &features, query, n, &options));
        prop_assert!(host.requests.get() >= 1);
    }
}

/// Built once for the property test's many cases.
fn shared() -> &'static (TiledCatalog, TiledManifest) {
    static BUILT: std::sync::OnceLock<(TiledCatalog, TiledManifest)> = std::sync::OnceLock::new();
    BUILT.get_or_init(built)
}

#[test]
fn a_plain_query_crosses_tiles_and_reads_few() {
    let (tiled, manifest) = shared();
    let host = Host {
        archive: &tiled.archive,
        requests: Cell::new(0),
    };
    let list = rank_tiled(
        manifest,
        &host,
        Query::at(Mood::new(0.5, 0.5).unwrap()),
        20,
        &RankOptions::default(),
    );
    assert_eq!(list.len(), 20);
    let read = host.requests.get();
    assert!(
        read > 1 && read * 20 < manifest.tiles.len(),
        "read {read} of {}",
        manifest.tiles.len()
    );
}

#[test]
fn a_pasted_id_costs_one_shard_found_or_not_and_its_details_one_chunk_its_tile_lists() {
    let (tiled, manifest) = shared();
    let host = Host {
        archive: &tiled.archive,
        requests: Cell::new(0),
    };
    let find = |id: &TrackId| {
        let number = manifest.shard_for(id);
        let slot = manifest.shard_slot_of(number).unwrap();
        let bytes = host.fetch_shard(slot);
        if bytes.is_empty() {
            return None;
        }
        manifest.id_shard(number, &bytes).unwrap().entry(id)
    };
    for i in (0..tiled.ordered.len()).step_by(997) {
        let id = tiled.ordered.track(i).id;
        let before = host.requests.get();
        // Its place and mood, and its genre and extra features as the catalog has them.
        let entry = find(&id).unwrap();
        assert_eq!((entry.index, entry.mood), (i, tiled.ordered.moods()[i]));
        assert_eq!(manifest.genres[entry.genre], tiled.ordered.track(i).genre);
        assert_eq!(entry.extras, tiled.ordered.extras(i));
        assert_eq!(host.requests.get(), before + 1);
        // Its details: the tile lists where its chunks lie.
        let tile_number = manifest.tile_set().tile_of(i).unwrap();
        let tile_bytes = host.fetch(manifest.tiles[tile_number].blob);
        let tile = MoodTile::from_bytes(&tile_bytes, &manifest.tile_shape(tile_number)).unwrap();
        let (blob, tracks) = manifest.detail_chunk_of(tile_number, &tile, i).unwrap();
        assert!(tracks.len() <= SMALL.tracks_per_chunk);
        let chunk = DetailChunk::from_bytes(&host.fetch(blob), tracks).unwrap();
        let details = chunk.track(i).unwrap();
        let whole = tiled.ordered.track(i);
        assert_eq!(
            (details.id, details.name, details.artist),
            (whole.id, whole.name, whole.artist)
        );
    }
    let absent = TrackId::parse("0000000000000000000000").unwrap();
    let before = host.requests.get();
    assert_eq!(find(&absent), None);
    assert_eq!(host.requests.get(), before + 1);
}

#[test]
fn a_damaged_manifest_says_what_is_wrong() {
    let (_, manifest) = shared();
    let error = |edit: &dyn Fn(&mut TiledManifest)| {
        let mut m = manifest.clone();
        edit(&mut m);
        TiledManifest::from_json(&serde_json::to_string(&m).unwrap()).unwrap_err()
    };
    // A tile's first track is the sum of the counts before it: an empty tile, or counts
    // that miss tracks, are what can break the run.
    assert_eq!(
        error(&|m| m.tiles[3].count = 0),
        ManifestError::NotContiguous {
            part: "tile",
            position: 3
        }
    );
    assert_eq!(
        error(&|m| m.tiles[3].count += 1),
        ManifestError::NotContiguous {
            part: "tile",
            position: manifest.tiles.len()
        }
    );
    let mut columns: serde_json::Value = serde_json::to_value(manifest).unwrap();
    columns["tiles"]["blob_length"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert!(matches!(
        TiledManifest::from_json(&columns.to_string()),
        Err(ManifestError::NotJson { detail }) if detail.contains("the tiles' columns differ in length")
    ));
    assert_eq!(
        error(&|m| m.archive = "../../etc/passwd".to_owned()).to_string(),
        "the tiled catalog's archive is named “../../etc/passwd”, which is not a plain file name"
    );
    assert_eq!(
        error(&|m| m.archive_bytes = 10),
        ManifestError::BlobPastEnd {
            part: "tile",
            position: 0
        }
    );
    assert_eq!(
        error(&|m| m.tiles[0].genres.push(999)),
        ManifestError::BadGenre {
            tile: 0,
            genre: 999
        }
    );
    assert_eq!(
        error(&|m| m.shard_count = 0),
        ManifestError::BadShards {
            count: 0,
            slot: manifest.shard_slot
        }
    );
    assert_eq!(
        error(&|m| m.shard_count += 1),
        ManifestError::BlobPastEnd {
            part: "id shards",
            position: 0
        }
    );
    assert_eq!(
        error(&|m| m.analysis.as_mut().unwrap().valence_bins[3] += 1),
        ManifestError::BadAnalysis
    );
    assert_eq!(
        error(&|m| m.analysis.as_mut().unwrap().centroids[0].genre = "polka".into()),
        ManifestError::BadAnalysis
    );
    assert_eq!(
        error(&|m| m.order = Some(Blob(m.archive_bytes, 4))),
        ManifestError::BlobPastEnd {
            part: "track order",
            position: 0
        }
    );
    assert_eq!(
        TiledManifest::from_json(r#"{"format":"moodplane-catalog","version":1}"#).unwrap_err().to_string(),
        "the file is not a tiled Moodplane catalog (format is “moodplane-catalog”, expected “moodplane-tiles”)"
    );
    assert!(matches!(
        TiledManifest::from_json("{"),
        Err(ManifestError::NotJson { .. })
    ));
}

#[test]
fn a_tiny_catalog_with_undefined_statistics_travels_through_json() {
    // Two tracks: skewness is undefined (NaN), which JSON can only say as null.
    let built = build_catalog(
        "id,genre,track_name,artist_name,valence,energy,danceability\n\
         0000000000000000000001,pop,A,X,0.1,0.2,0.5\n\
         0000000000000000000002,pop,B,Y,0.3,0.4,0.5\n",
        "tiny.csv",
    )
    .unwrap();
    let tiled = build_tiled(built.catalog, TileSizes::default());
    let skew = tiled.manifest.scale.summaries[Feature::Danceability]
        .unwrap()
        .skewness;
    assert!(skew.is_nan());
    let text = serde_json::to_string(&tiled.manifest).unwrap();
    let back = TiledManifest::from_json(&text).unwrap();
    assert!(back.scale.summaries[Feature::Danceability]
        .unwrap()
        .skewness
        .is_nan());
    assert_eq!(back.tiles, tiled.manifest.tiles);
    assert_eq!(
        (
            back.shard_count,
            back.shards_start + u64::from(back.shard_slot)
        ),
        (1, back.archive_bytes)
    );
}

#[test]
fn the_shown_tracks_gathered_from_tiles_and_chunks_are_the_catalogs_own() {
    use moodplane_core::tiled_shown::{gather, Missing};
    use std::collections::HashMap;
    let (tiled, manifest) = shared();
    let host = Host {
        archive: &tiled.archive,
        requests: Cell::new(0),
    };
    let ordered = &tiled.ordered;
    let query = Query::at(Mood::new(0.3, 0.7).unwrap());
    let matches = rank_tiled(manifest, &host, query, 12, &RankOptions::default());
    let indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
    let mut tiles = manifest.tile_set();
    let mut chunks: HashMap<u64, DetailChunk> = HashMap::new();
    let mut rounds = 0;
    let shown = loop {
        rounds += 1;
        assert!(rounds < 10, "gathering never finished");
        match gather(manifest, &tiles, |at| chunks.get(&at), &indices) {
            Ok(catalog) => break catalog,
            Err(missing) => {
                for piece in missing {
                    match piece {
                        Missing::Tile(number) => {
                            let bytes = host.fetch(manifest.tiles[number].blob);
                            let shape = manifest.tile_shape(number);
                            tiles.insert(number, MoodTile::from_bytes(&bytes, &shape).unwrap());
                        }
                        Missing::Chunk { blob, tracks } => {
                            let bytes = host.fetch(blob);
                            let chunk = DetailChunk::from_bytes(&bytes, tracks).unwrap();
                            chunks.insert(blob.offset(), chunk);
                        }
                    }
                }
            }
        }
    };
    // Tiles first, then their chunks: two rounds of fetching, then the answer.
    assert_eq!(rounds, 3);
    assert_eq!(shown.len(), indices.len());
    assert_eq!(shown.genres(), ordered.genres());
    for (k, &index) in indices.iter().enumerate() {
        assert_eq!(
            shown.record(k),
            ordered.record(index),
            "track {k} ({index})"
        );
        assert_eq!(shown.genre_index(k), ordered.genre_index(index));
    }
}

#[test]
fn the_manifest_carries_genre_counts_a_density_grid_and_the_feature_table_it_implies() {
    let (tiled, manifest) = shared();
    let ordered = &tiled.ordered;
    let counts: Vec<u32> = ordered.genre_counts().iter().map(|&c| c as u32).collect();
    assert_eq!(manifest.genre_counts, counts);
    let cells = manifest.density_size as usize;
    assert!(cells >= 32);
    assert_eq!(manifest.density.len(), cells * cells);
    assert_eq!(
        manifest.density.iter().map(|&c| c as usize).sum::<usize>(),
        ordered.len()
    );
    // Energy is high in this catalog: the top half of the grid (row 0 = energy 1) holds more.
    let top: u32 = manifest.density[..cells * cells / 2].iter().sum();
    assert!(top as usize > ordered.len() / 2);
    let whole = FeatureTable::new(ordered);
    let implied = FeatureTable::of_scale(&manifest.scale);
    for feature in Feature::ALL {
        assert_eq!(implied.has(feature), whole.has(feature), "{feature:?}");
        assert_eq!(
            implied.summary(feature).map(|s| s.mean.to_bits()),
            whole.summary(feature).map(|s| s.mean.to_bits())
        );
    }
    assert_eq!(implied.tempo_bpm(0.5), whole.tempo_bpm(0.5));

    let mut short = manifest.clone();
    short.density.pop();
    assert!(matches!(
        short.check(),
        Err(ManifestError::WrongLength {
            what: "density grid",
            ..
        })
    ));
    let mut short = manifest.clone();
    short.genre_counts.pop();
    let message = short.check().unwrap_err().to_string();
    assert!(message.contains("genre counts"), "{message}");
}

/// Every piece of a whole read, inflated, by the offset it was read from.
fn inflated_pieces(
    manifest: &TiledManifest,
    archive: &[u8],
) -> std::collections::HashMap<u64, Vec<u8>> {
    let host = Host {
        archive,
        requests: Cell::new(0),
    };
    let end = moodplane_core::tiled_whole::leading_bytes(manifest).unwrap();
    assert!(
        end < manifest.archive_bytes,
        "the id shards are not part of a whole read"
    );
    moodplane_core::tiled_whole::pieces(manifest)
        .unwrap()
        .into_iter()
        .inspect(|blob| assert!(blob.offset() + u64::from(blob.length()) <= end))
        .map(|blob| (blob.offset(), host.fetch(blob)))
        .collect()
}

#[test]
fn a_small_catalog_read_whole_is_the_very_catalog_it_was_built_from() {
    for tracks_per_tile in [4096, 64] {
        let sizes = TileSizes {
            tracks_per_tile,
            ..TileSizes::default()
        };
        let tiled = build_tiled(embedded(), sizes);
        let manifest = &tiled.manifest;
        assert!(
            manifest.order.is_some(),
            "11k tracks are under the whole-read limit"
        );
        let pieces = inflated_pieces(manifest, &tiled.archive);
        let whole = moodplane_core::tiled_whole::assemble(manifest, |blob| {
            pieces.get(&blob.offset()).map(Vec::as_slice)
        })
        .unwrap();
        // The packed form holds every id, name, table and value, in order.
        assert_eq!(
            manifest.analysis.as_ref(),
            Some(&moodplane_core::analysis::MoodAnalysis::of(&whole)),
            "the manifest's analysis is the whole catalog's"
        );
        assert!(
            whole.to_packed() == embedded().to_packed(),
            "{tracks_per_tile}-track tiles read whole differ from the catalog"
        );
    }
}

#[test]
fn a_whole_read_refuses_a_big_catalog_a_missing_piece_and_a_damaged_order() {
    use moodplane_core::tiled_whole::{assemble, WholeError};
    let (tiled, _) = shared();
    assert!(matches!(
        assemble(&tiled.manifest, |_| None),
        Err(WholeError::NotWhole)
    ));
    let whole = build_tiled(embedded(), TileSizes::default());
    let pieces = inflated_pieces(&whole.manifest, &whole.archive);
    let order = whole.manifest.order.unwrap();
    let missing = assemble(&whole.manifest, |blob| {
        (blob != order).then(|| pieces[&blob.offset()].as_slice())
    });
    assert!(
        matches!(missing, Err(WholeError::MissingPiece { offset }) if offset == order.offset())
    );
    let mut swapped = pieces[&order.offset()].clone();
    swapped.copy_within(4..8, 0);
    let damaged = assemble(&whole.manifest, |blob| {
        Some(if blob == order {
            swapped.as_slice()
        } else {
            pieces[&blob.offset()].as_slice()
        })
    });
    let error = damaged.unwrap_err();
    assert!(matches!(error, WholeError::BadOrder { .. }), "{error:?}");
    assert!(error.to_string().contains("given twice"), "{error}");
}

/// Every tile of `tiled`, read from its archive.
fn every_tile(tiled: &TiledCatalog) -> Vec<MoodTile> {
    let manifest = &tiled.manifest;
    (0..manifest.tiles.len())
        .map(|n| {
            let blob = manifest.tiles[n].blob;
            let bytes = &tiled.archive[blob.offset() as usize..blob.end() as usize];
            MoodTile::from_bytes(&gunzip(bytes), &manifest.tile_shape(n)).unwrap()
        })
        .collect()
}

/// The 10 nearest tracks to `query` (default options) when all of them lie in tile
/// `number`, whose details windows are then worth judging by them.
fn list_within_tile(
    tiled: &TiledCatalog,
    features: &FeatureTable,
    query: Query,
    number: usize,
) -> Option<Vec<usize>> {
    let directory = tiled.manifest.tile_set();
    let list = rank(&tiled.ordered, features, query, 10, &RankOptions::default());
    list.iter()
        .all(|m| directory.tile_of(m.index) == Some(number))
        .then(|| list.iter().map(|m| m.index).collect())
}

#[test]
fn the_details_fetched_with_a_pasted_tracks_tile_hold_its_chunk_and_mostly_its_list() {
    // Tiles and chunks of the sizes a big catalog gets, over the 11k catalog.
    let sizes = BIG;
    let tiled = build_tiled(embedded(), sizes);
    let manifest = &tiled.manifest;
    let directory = manifest.tile_set();
    let tiles = every_tile(&tiled);
    let features = FeatureTable::new(&tiled.ordered);
    let (mut lists, mut lists_held) = (0, 0);
    for index in (0..tiled.ordered.len()).step_by(7) {
        let number = directory.tile_of(index).unwrap();
        let near = manifest.details_near(number, index).unwrap();
        let details = manifest.tiles[number].details;
        assert!(near.offset() >= details.offset());
        assert!(
            near.offset() + u64::from(near.length())
                <= details.offset() + u64::from(details.length())
        );
        // What the page cuts the window into (TiledManifest::chunks_within).
        let within = manifest.chunks_within(number, &tiles[number], near);
        let inside = |track: usize| {
            let chunk = manifest
                .detail_chunk_of(number, &tiles[number], track)
                .unwrap();
            within.contains(&chunk)
        };
        assert!(
            inside(index),
            "track {index}: its own chunk lies outside {near:?}"
        );
        // Its list (the 10 nearest, default options) where it lies in the same tile.
        let query = Query {
            mood: tiled.ordered.moods()[index],
            track: Some(index),
        };
        if let Some(list) = list_within_tile(&tiled, &features, query, number) {
            lists += 1;
            lists_held += usize::from(list.iter().all(|&m| inside(m)));
        }
    }
    assert!(manifest
        .details_near(0, manifest.tiles[0].count as usize)
        .is_none());
    // Z-order keeps most lists within a few chunks of their track.
    println!("lists within the window: {lists_held} of {lists}");
    assert!(lists_held * 10 >= lists * 8, "{lists_held} of {lists}");
}

/// Runs the page's first list as the first-list wasm does: reads every piece it asks for
/// as its form says (counting the round trips: a piece cut from one kept is not read),
/// until it gives its rows and heading.
fn first_list_run(
    tiled: &TiledCatalog,
    search: &str,
) -> Result<(Vec<FirstRow>, usize, String), NoFirstList> {
    let text = serde_json::to_string(&tiled.manifest).unwrap();
    let mut list = FirstList::new(&text, search)?;
    let mut kept: Vec<(u64, &[u8])> = Vec::new();
    let mut round_trips = 0;
    loop {
        match list.step()? {
            FirstStep::Done(rows) => return Ok((rows, round_trips, list.heading())),
            FirstStep::Read(pieces) => {
                let mut read = false;
                for Piece { blob, form } in pieces {
                    let (start, end) = (blob.offset(), blob.offset() + u64::from(blob.length()));
                    let cut = kept.iter().find_map(|(at, bytes)| {
                        (start >= *at && end <= at + bytes.len() as u64)
                            .then(|| &bytes[(start - at) as usize..(end - at) as usize])
                    });
                    read |= cut.is_none();
                    let bytes = cut.unwrap_or(&tiled.archive[start as usize..end as usize]);
                    match form {
                        PieceForm::Gzip => list.put(blob.offset(), &gunzip(bytes))?,
                        PieceForm::Slot => {
                            let gzip = gzip_in_slot(bytes)?;
                            let inflated = if gzip.is_empty() {
                                Vec::new()
                            } else {
                                gunzip(gzip)
                            };
                            list.put(blob.offset(), &inflated)?
                        }
                        PieceForm::Kept => kept.push((blob.offset(), bytes)),
                    }
                }
                round_trips += usize::from(read);
            }
        }
    }
}

fn first_list_rows(
    tiled: &TiledCatalog,
    search: &str,
) -> Result<(Vec<FirstRow>, usize), NoFirstList> {
    first_list_run(tiled, search).map(|(rows, round_trips, _)| (rows, round_trips))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The first list is brute force's list over the whole catalog, for the link's point,
    /// count and options, in the app's row texts.
    #[test]
    fn the_first_list_is_brute_forces_list_for_the_links_point_and_options(
        q in (0u16..=1000, 0u16..=1000),
        n in 1usize..=50,
        z_score in any::<bool>(),
        weights in prop::sample::select(vec!["", "&w=valence:0", "&w=energy:2,danceability:1", "&w=popularity:1"]),
        genre in proptest::option::of((0usize..6, any::<bool>())),
        cap in proptest::option::of(1usize..3),
        rerank in proptest::option::of(5usize..30),
    ) {
        let (tiled, _) = shared();
        let catalog = &tiled.ordered;
        let mut search = format!("?v={:.3}&e={:.3}&n={n}{weights}", q.0 as f64 / 1000.0, q.1 as f64 / 1000.0);
        if z_score { search.push_str("&z=1"); }
        if let Some((g, exclude)) = genre {
            search.push_str(&format!("&{}={}", if exclude { "gx" } else { "gi" }, catalog.genres()[g]));
        }
        if let Some(m) = cap { search.push_str(&format!("&ma={m}")); }
        if let Some(k) = rerank { search.push_str(&format!("&rr={k}")); }

        let (view, notices) = ViewState::parse(&search);
        prop_assert!(notices.is_empty(), "{search}: {notices:?}");
        let features = FeatureTable::new(catalog);
        let (options, option_notices) = view.options.to_options(catalog, |f| features.has(f));
        if !option_notices.is_empty() {
            // The app explains them beside its own list.
            prop_assert_eq!(first_list_rows(tiled, &search).err(), Some(NoFirstList::NotAPoint));
            return Ok(());
        }
        let QuerySource::Point(mood) = view.query else { unreachable!() };
        let expected: Vec<(String, String, String)> = rank(catalog, &features, Query::at(mood), n, &options)
            .iter()
            .map(|m| {
                let t = catalog.track(m.index);
                (t.id.to_string(), t.shown_name().to_owned(), format!("{:.3}", m.distance))
            })
            .collect();
        let (rows, round_trips) = first_list_rows(tiled, &search).unwrap();
        let got: Vec<(String, String, String)> = rows.iter().map(|r| (r.id.clone(), r.name.clone(), r.distance.clone())).collect();
        prop_assert_eq!(got, expected, "{}", search);
        // The tiles with the details around the point, then what they lacked, if anything.
        prop_assert!(round_trips >= 1, "nothing read: {round_trips}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// A shared link to a catalog track gets a first list too: its id shard read first,
    /// as the app finds it, then brute force's list for its mood (the track itself left
    /// out) under the link's count and options, headed by the track's name.
    #[test]
    fn a_linked_tracks_first_list_is_brute_forces_list_for_its_mood(
        k in 0usize..11_000,
        n in 1usize..=40,
        z_score in any::<bool>(),
        genre in proptest::option::of((0usize..6, any::<bool>())),
    ) {
        let (tiled, _) = shared();
        let catalog = &tiled.ordered;
        let index = k % catalog.len();
        let track = catalog.track(index);
        let mut search = format!("?track={}&n={n}", track.id);
        if z_score { search.push_str("&z=1"); }
        if let Some((g, exclude)) = genre {
            search.push_str(&format!("&{}={}", if exclude { "gx" } else { "gi" }, catalog.genres()[g]));
        }
        let (view, notices) = ViewState::parse(&search);
        prop_assert!(notices.is_empty(), "{search}: {notices:?}");
        let features = FeatureTable::new(catalog);
        let (options, _) = view.options.to_options(catalog, |f| features.has(f));
        let query = Query { mood: catalog.moods()[index], track: Some(index) };
        let expected: Vec<(String, String, String)> = rank(catalog, &features, query, n, &options)
            .iter()
            .map(|m| {
                let t = catalog.track(m.index);
                (t.id.to_string(), t.shown_name().to_owned(), format!("{:.3}", m.distance))
            })
            .collect();
        let (rows, round_trips, heading) = first_list_run(tiled, &search).unwrap();
        let got: Vec<(String, String, String)> = rows.iter().map(|r| (r.id.clone(), r.name.clone(), r.distance.clone())).collect();
        prop_assert_eq!(got, expected, "{}", search);
        prop_assert!(rows.iter().all(|r| r.id != track.id.to_string()), "the track is not its own match");
        let tracks = if n == 1 { "The track".to_owned() } else { format!("The {n} tracks") };
        prop_assert_eq!(heading, format!("{tracks} nearest {} by {}", track.shown_name(), track.artist));
        // The shard, then at least the tiles with the details around the track.
        prop_assert!(round_trips >= 2, "{round_trips} round trips");
    }
}

#[test]
fn the_details_fetched_with_a_pasted_tracks_tile_around_it_and_its_mood_hold_its_chunk_and_more_of_its_list(
) {
    let tiled = build_tiled(embedded(), BIG);
    let manifest = &tiled.manifest;
    let directory = manifest.tile_set();
    let tiles = every_tile(&tiled);
    let features = FeatureTable::new(&tiled.ordered);
    let (mut lists, mut held_by_own, mut held_by_all) = (0, 0, 0);
    for index in (0..tiled.ordered.len()).step_by(7) {
        let number = directory.tile_of(index).unwrap();
        let mood = tiled.ordered.moods()[index];
        let windows = manifest.details_near_track(number, index, mood, 10);
        let details = manifest.tiles[number].details;
        assert!(
            windows.iter().all(|w| details.holds(*w)),
            "{windows:?} outside {details:?}"
        );
        assert!(
            windows.windows(2).all(|w| w[0].end() < w[1].offset()),
            "{windows:?} overlap, touch or are out of order"
        );
        let own = manifest.details_near(number, index).unwrap();
        assert!(
            windows.iter().any(|w| w.holds(own)),
            "its own window is not among {windows:?}"
        );
        let chunk_of = |track: usize| {
            manifest
                .detail_chunk_of(number, &tiles[number], track)
                .unwrap()
        };
        let within = |windows: &[Blob]| -> Vec<_> {
            windows
                .iter()
                .flat_map(|&w| manifest.chunks_within(number, &tiles[number], w))
                .collect()
        };
        let (by_own, by_all) = (within(&[own]), within(&windows));
        assert!(
            by_all.contains(&chunk_of(index)),
            "track {index}: its own chunk is not read"
        );
        let query = Query {
            mood,
            track: Some(index),
        };
        if let Some(list) = list_within_tile(&tiled, &features, query, number) {
            lists += 1;
            held_by_own += usize::from(list.iter().all(|&m| by_own.contains(&chunk_of(m))));
            held_by_all += usize::from(list.iter().all(|&m| by_all.contains(&chunk_of(m))));
        }
    }
    println!("lists within the windows: {held_by_all} of {lists} ({held_by_own} within its own)");
    assert!(
        held_by_all > held_by_own,
        "{held_by_all} of {lists}, {held_by_own} by its own"
    );
    assert!(held_by_all * 10 >= lists * 9, "{held_by_all} of {lists}");
    assert!(manifest
        .details_near_track(0, manifest.tiles[0].count as usize, Mood::CENTRE, 10)
        .is_empty());
}

#[test]
fn the_details_fetched_with_a_points_first_tile_lie_in_its_details_and_mostly_hold_its_list() {
    let tiled = build_tiled(embedded(), BIG);
    let manifest = &tiled.manifest;
    let directory = manifest.tile_set();
    let tiles = every_tile(&tiled);
    let features = FeatureTable::new(&tiled.ordered);
    let (mut lists, mut lists_held) = (0, 0);
    for step in 0..=400 {
        // Points over the whole plane, the corners included.
        let mood = Mood::new(f64::from(step % 20) / 19.0, f64::from(step / 20) / 20.0).unwrap();
        let list = rank(
            &tiled.ordered,
            &features,
            Query::at(mood),
            10,
            &RankOptions::default(),
        );
        let number = directory.tile_of(list[0].index).unwrap();
        let windows = manifest.details_near_mood(number, mood, 10);
        assert!(!windows.is_empty(), "{mood:?}: no window");
        let details = manifest.tiles[number].details;
        assert!(
            windows.iter().all(|w| details.holds(*w)),
            "{mood:?}: {windows:?} outside {details:?}"
        );
        assert!(
            windows.windows(2).all(|w| w[0].end() < w[1].offset()),
            "{mood:?}: {windows:?} overlap or are out of order"
        );
        if let Some(list) = list_within_tile(&tiled, &features, Query::at(mood), number) {
            lists += 1;
            let within: Vec<_> = windows
                .iter()
                .flat_map(|&w| manifest.chunks_within(number, &tiles[number], w))
                .collect();
            let chunk_of = |track| manifest.detail_chunk_of(number, &tiles[number], track);
            lists_held += usize::from(list.iter().all(|&m| within.contains(&chunk_of(m).unwrap())));
        }
    }
    // 79 % over this small catalog (its density grid counts about two tracks a cell);
    // 85 % at 1.2M and 10M tracks (`--example first_list_trips`).
    println!("points' lists within the windows: {lists_held} of {lists}");
    assert!(lists_held * 4 >= lists * 3, "{lists_held} of {lists}");
    assert!(manifest
        .details_near_mood(manifest.tiles.len(), Mood::CENTRE, 10)
        .is_empty());
    // A tile beside the point's: its windows when the list's likely radius reaches it
    // (always, for a point inside it), none when the point lies across the plane.
    let bounds = |n: usize| {
        let t = &manifest.tiles[n];
        (
            t.bounds[Feature::Valence].unwrap(),
            t.bounds[Feature::Energy].unwrap(),
        )
    };
    let mut checked_far = 0;
    for number in 0..manifest.tiles.len() {
        let ((v0, v1), (e0, e1)) = bounds(number);
        let inside = Mood::new((v0 + v1) / 2.0, (e0 + e1) / 2.0).unwrap();
        assert_eq!(
            manifest.details_beside_mood(number, inside, 10),
            manifest.details_near_mood(number, inside, 10)
        );
        let across = Mood::new(
            if v0 + v1 > 1.0 { 0.0 } else { 1.0 },
            if e0 + e1 > 1.0 { 0.0 } else { 1.0 },
        )
        .unwrap();
        let far = (across.valence - across.valence.clamp(v0, v1))
            .hypot(across.energy - across.energy.clamp(e0, e1));
        if far > 0.3 {
            checked_far += 1;
            assert!(
                manifest.details_beside_mood(number, across, 10).is_empty(),
                "tile {number}"
            );
        }
    }
    assert!(checked_far > 0);
}

#[test]
fn a_points_first_list_mostly_takes_one_round_trip_its_names_cut_from_the_details_read_with_its_tiles(
) {
    let tiled = build_tiled(embedded(), BIG);
    let points: Vec<String> = (0..=400)
        .map(|step| {
            format!(
                "?v={:.3}&e={:.3}",
                f64::from(step % 20) / 19.0,
                f64::from(step / 20) / 20.0
            )
        })
        .collect();
    let one = points
        .iter()
        .filter(|search| first_list_run(&tiled, search).unwrap().1 == 1)
        .count();
    // 78 % here (66 % with the first tile's windows alone; every list read two round
    // trips before the windows), 96 % at 1.2M and 90 % at 10M tracks (`--example
    // first_list_trips`): the rest reach past the tiles the windows were read from, or
    // past the windows.
    println!("one round trip: {one} of {}", points.len());
    assert!(one * 10 >= points.len() * 7, "{one} of {}", points.len());
}

#[test]
fn a_linked_tracks_first_list_mostly_takes_two_round_trips_its_names_cut_from_the_details_read_with_its_tiles(
) {
    // Tiles and chunks of the sizes a big catalog gets, over the 11k catalog.
    let sizes = BIG;
    let tiled = build_tiled(embedded(), sizes);
    let catalog = &tiled.ordered;
    let tracks: Vec<usize> = (0..catalog.len()).step_by(37).collect();
    let two = tracks
        .iter()
        .filter(|&&k| {
            let search = format!("?track={}", catalog.track(k).id);
            first_list_run(&tiled, &search).unwrap().1 == 2
        })
        .count();
    println!("two round trips: {two} of {}", tracks.len());
    assert!(two * 10 >= tracks.len() * 7, "{two} of {}", tracks.len());
}

#[test]
fn a_query_tracks_first_wave_holds_the_tiles_around_it_unless_its_own_features_are_the_targets() {
    let (tiled, manifest) = shared();
    let tiles = manifest.tile_set();
    let density = Density {
        counts: &manifest.density,
        size: manifest.density_size as usize,
    };
    let mut weighted = RankOptions::default();
    weighted.weights[Feature::Danceability] = 1.0;
    let mut wider = 0;
    for index in (0..tiled.ordered.len()).step_by(101) {
        let mood = tiled.ordered.moods()[index];
        let track = Query {
            mood,
            track: Some(index),
        };
        // Before its tile is read: the waves of its point, for its list and itself.
        let wave = tiles.first_wave(track, &RankOptions::default(), 10, density);
        assert_eq!(
            wave,
            tiles.first_wave(Query::at(mood), &RankOptions::default(), 11, density)
        );
        assert!(wave.contains(&tiles.tile_of(index).unwrap()));
        wider += usize::from(wave.len() > 1);
        // Its own danceability is the target: its tile alone comes first.
        assert_eq!(
            tiles.first_wave(track, &weighted, 10, density),
            vec![tiles.tile_of(index).unwrap()]
        );
    }
    assert!(wider > 10, "{wider}");
}

#[test]
fn a_linked_track_the_catalog_lacks_or_a_damaged_shard_gets_no_first_list() {
    let (tiled, _) = shared();
    let catalog = &tiled.ordered;
    // Well-formed ids that are not in the catalog, beside ones that are.
    let absent: Vec<String> = (0..catalog.len())
        .map(|k| {
            let id = catalog.track(k).id.to_string();
            let last = if id.ends_with('A') { 'B' } else { 'A' };
            format!("{}{last}", &id[..21])
        })
        .filter(|id| catalog.index_of(&TrackId::parse(id).unwrap()).is_none())
        .take(20)
        .collect();
    assert_eq!(absent.len(), 20);
    for id in &absent {
        assert_eq!(
            first_list_run(tiled, &format!("?track={id}")).err(),
            Some(NoFirstList::NotInCatalog),
            "{id}"
        );
    }
    let text = serde_json::to_string(&tiled.manifest).unwrap();
    let mut list = FirstList::new(&text, &format!("?track={}", catalog.track(5).id)).unwrap();
    let FirstStep::Read(pieces) = list.step().unwrap() else {
        panic!("the id shard is read first")
    };
    assert_eq!(pieces.len(), 1);
    assert_eq!(pieces[0].form, PieceForm::Slot);
    assert!(matches!(
        list.put(pieces[0].blob.offset(), b"not a shard"),
        Err(NoFirstList::Piece(_))
    ));
    assert!(matches!(
        gzip_in_slot(b"\x09\0\0\0short"),
        Err(NoFirstList::Piece(_))
    ));
}

#[test]
fn a_first_list_shows_each_rows_artist_genre_and_popularity_as_the_catalog_has_them() {
    let (tiled, _) = shared();
    let (rows, round_trips) = first_list_rows(tiled, "").unwrap();
    // The app's default: ten tracks nearest the centre.
    assert_eq!(rows.len(), 10);
    assert!(round_trips <= 4, "{round_trips} round trips");
    let catalog = &tiled.ordered;
    for row in &rows {
        let index = catalog.index_of(&TrackId::parse(&row.id).unwrap()).unwrap();
        let t = catalog.track(index);
        assert_eq!(
            (row.artist.as_str(), row.name.as_str()),
            (t.artist, t.shown_name())
        );
        assert_eq!(
            row.genre,
            genre_cell(t.genre, catalog.extras(index).popularity)
        );
    }
}

#[test]
fn only_a_links_point_gets_a_first_list_and_a_damaged_piece_ends_it() {
    let (tiled, _) = shared();
    for search in [
        "?path=0.1,0.1;0.9,0.9",
        "?v=0.5&e=0.5&r=0.05",
        "?lasso=0.1,0.1;0.5,0.1;0.3,0.5",
        // A bad parameter: the app shows its notice beside its own list.
        "?v=2&e=0.5",
        "?v=0.5&e=0.5&gi=no-such-genre",
        "?track=not-an-id",
    ] {
        assert_eq!(
            first_list_rows(tiled, search).err(),
            Some(NoFirstList::NotAPoint),
            "{search}"
        );
    }
    assert!(matches!(
        first_list_rows(tiled, "?v=0.5&e=0.5&n=5&z=1"),
        Ok((rows, _)) if rows.len() == 5
    ));

    // A catalog read whole: the app's one download brings it all.
    let whole = build_tiled(
        embedded(),
        TileSizes {
            load_whole_up_to: 20_000,
            ..SMALL
        },
    );
    let whole_text = serde_json::to_string(&whole.manifest).unwrap();
    assert!(
        whole_text.contains("\"order\":["),
        "first-list.js looks for this"
    );
    assert_eq!(
        FirstList::new(&whole_text, "").err(),
        Some(NoFirstList::ReadWhole)
    );
    assert!(!serde_json::to_string(&tiled.manifest)
        .unwrap()
        .contains("\"order\""));

    let text = serde_json::to_string(&tiled.manifest).unwrap();
    assert!(matches!(
        FirstList::new("{\"format\": 1}", ""),
        Err(NoFirstList::Manifest(_))
    ));
    let mut list = FirstList::new(&text, "").unwrap();
    let FirstStep::Read(pieces) = list.step().unwrap() else {
        panic!("nothing is at hand before the first read")
    };
    assert!(matches!(
        list.put(pieces[0].blob.offset(), b"not a tile"),
        Err(NoFirstList::Piece(_))
    ));
    assert!(matches!(list.put(1, b""), Err(NoFirstList::Piece(_))));
}
