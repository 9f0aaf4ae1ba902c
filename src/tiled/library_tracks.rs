//! The person's library over a tiled catalog: every track their libraries name is found
//! through the id shards (a few hundred at a time, counted as they come), and those the
//! catalog has are held as a small catalog of their own (named as the file names them,
//! at the catalog's mood) that the libraries are joined with as over a loaded catalog,
//! with their places in the tiled numbering ("Leave my library out"). What the shards
//! said is kept in this browser for this catalog (`library_store` "places", pruned to the
//! open libraries' ids), so a return visit finds every track without asking a shard.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::catalog::TrackRecord;
use moodplane_core::library_places::{FoundPlace, FoundPlaces};
use moodplane_core::rank_options::TrackSet;
use moodplane_core::{Catalog, CatalogBuilder, TrackId};

use super::store::{Located, TileStore};
use crate::libraries::{Libraries, OpenLibrary, SharedUnion};
use crate::library_store;

/// Ids asked of the id shards at once: the progress line moves after each such batch.
const IDS_AT_ONCE: usize = 256;

/// Every track the libraries hold: (id, name, artist), as their files have them.
fn named_in(open: &[OpenLibrary]) -> Vec<(TrackId, String, String)> {
    let mut named = Vec::new();
    for library in open {
        let file = &library.file;
        for i in 0..file.placed.len() {
            let t = file.placed.track(i);
            named.push((t.id.clone(), t.name.to_owned(), t.artist.to_owned()));
        }
        for t in &file.named {
            named.push((t.id.clone(), t.name.clone(), t.artist.clone()));
        }
    }
    named
}

/// How the finding goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Idle,
    Looking {
        done: usize,
        total: usize,
    },
    /// Some ids could not be looked up (their shards could not be read).
    Failed {
        ids: usize,
        error: String,
    },
}

/// Where the found tracks are in the tiled catalog, both ways.
#[derive(Debug, Default)]
pub struct Places {
    pub by_id: HashMap<TrackId, usize>,
    pub by_index: HashMap<usize, TrackId>,
}

#[derive(Clone, Copy)]
pub struct LibraryTracks {
    /// The catalog's tracks the libraries name, found so far, as a catalog of their own.
    pub known: RwSignal<Arc<Catalog>>,
    pub places: RwSignal<Arc<Places>>,
    pub finding: RwSignal<Finding>,
    store: TileStore,
    /// No tracks: the catalog's source and genre table, for the known tracks' catalog.
    genres: StoredValue<Arc<Catalog>>,
    /// Ids asked for (or being asked for); a failed one is asked again on a retry.
    asked: StoredValue<HashSet<TrackId>>,
    /// Each found track's id, name and artist (as the file has them) and what its
    /// shard said.
    found: StoredValue<Vec<(TrackId, String, String, Located)>>,
    /// Ids the catalog does not hold.
    absent: StoredValue<Vec<TrackId>>,
    /// What an earlier visit's shards said (`None`: the catalog lacks the id); read before
    /// anything is asked.
    kept: StoredValue<HashMap<TrackId, Option<Located>>>,
    /// Whether the kept places have been read (or found missing).
    kept_read: RwSignal<bool>,
    /// The places last written, so an unchanged answer is not written again.
    written: StoredValue<Option<Vec<u8>>>,
}

impl LibraryTracks {
    /// Follows the open libraries: every id they name that was not asked for yet is
    /// looked up in the id shards.
    pub fn follow(libraries: Libraries, store: TileStore, genres: Arc<Catalog>) -> LibraryTracks {
        let tracks = LibraryTracks {
            known: RwSignal::new(genres.clone()),
            places: RwSignal::new(Arc::new(Places::default())),
            finding: RwSignal::new(Finding::Idle),
            store,
            genres: StoredValue::new(genres),
            asked: StoredValue::new(HashSet::new()),
            found: StoredValue::new(Vec::new()),
            absent: StoredValue::new(Vec::new()),
            kept: StoredValue::new(HashMap::new()),
            kept_read: RwSignal::new(false),
            written: StoredValue::new(None),
        };
        let manifest = store.manifest();
        spawn_local(async move {
            // Unreadable or damaged: the shards are asked, as on a first visit.
            if let Ok(Some(bytes)) = library_store::places_for(&manifest.archive).await {
                if let Ok(places) =
                    FoundPlaces::from_bytes(&bytes, manifest.tracks, manifest.genres.len())
                {
                    tracks.written.set_value(Some(bytes));
                    tracks.kept.set_value(kept_answers(places));
                }
            }
            tracks.kept_read.set(true);
        });
        Effect::new(move |_| {
            if !tracks.kept_read.get() {
                return;
            }
            let named = libraries.open.with(|open| named_in(open));
            let restoring = libraries.restoring.get();
            tracks.find(named, !restoring);
        });
        tracks
    }

    /// Asks again for the ids whose shards could not be read.
    pub fn retry(self, libraries: Libraries) {
        let named = libraries.open.with_untracked(|open| named_in(open));
        self.find(named, !libraries.restoring.get_untracked());
    }

    /// Keeps what the shards said of the open libraries' ids for this catalog (once the
    /// stored libraries are back: before, none would look open).
    fn keep(self, named: &[(TrackId, String, String)]) {
        let wanted: HashSet<&TrackId> = named.iter().map(|(id, ..)| id).collect();
        let mut places = FoundPlaces::default();
        self.found.with_value(|found| {
            for (id, _, _, entry) in found.iter().filter(|(id, ..)| wanted.contains(id)) {
                places.found.push(FoundPlace {
                    id: id.clone(),
                    entry: *entry,
                });
            }
        });
        self.absent.with_value(|absent| {
            places
                .absent
                .extend(absent.iter().filter(|id| wanted.contains(id)).cloned());
        });
        places
            .found
            .sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        places.found.dedup_by(|a, b| a.id == b.id);
        places.absent.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        places.absent.dedup();
        let bytes = (!wanted.is_empty()).then(|| places.to_bytes());
        if self.written.with_value(|w| *w == bytes) {
            return;
        }
        self.written.set_value(bytes.clone());
        let archive = self.store.manifest().archive.clone();
        // Not kept (no storage here): the next visit asks the shards again.
        spawn_local(async move {
            let _ = library_store::keep_places(&archive, bytes.as_deref()).await;
        });
    }

    /// Looks up the named tracks not asked for yet, a batch at a time: first among the
    /// kept answers, then in the id shards. Keeps the answers when `keep`.
    fn find(self, named: Vec<(TrackId, String, String)>, keep: bool) {
        let fresh: Vec<_> = self
            .asked
            .try_update_value(|asked| {
                named
                    .iter()
                    .filter(|(id, ..)| asked.insert(id.clone()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        // Answered on an earlier visit: no shard is read for these.
        let (known, fresh): (Vec<_>, Vec<_>) = fresh
            .into_iter()
            .partition(|(id, ..)| self.kept.with_value(|k| k.contains_key(id)));
        for (id, name, artist) in &known {
            let answer = self.kept.with_value(|k| k.get(id).cloned().flatten());
            self.record(id, name, artist, answer);
        }
        if !known.is_empty() {
            self.publish();
        }
        if fresh.is_empty() {
            if keep {
                self.keep(&named);
            }
            return;
        }
        spawn_local(async move {
            let total = fresh.len();
            let mut failed = 0;
            let mut error = None;
            for (done, batch) in fresh.chunks(IDS_AT_ONCE).enumerate() {
                self.finding.set(Finding::Looking {
                    done: done * IDS_AT_ONCE,
                    total,
                });
                let ids: Vec<TrackId> = batch.iter().map(|(id, ..)| id.clone()).collect();
                let answers = self.store.locate_many(&ids).await;
                for ((id, name, artist), answer) in batch.iter().zip(answers) {
                    match answer {
                        Ok(answer) => self.record(id, name, artist, answer),
                        Err(e) => {
                            failed += 1;
                            error.get_or_insert(e.to_string());
                            self.asked.update_value(|asked| {
                                asked.remove(id);
                            });
                        }
                    }
                }
                self.publish();
            }
            self.finding.set(match error {
                Some(error) => Finding::Failed { ids: failed, error },
                None => Finding::Idle,
            });
            if keep {
                self.keep(&named);
            }
        });
    }

    /// Holds one id's answer: the track found (named as the file names it), or absent.
    fn record(self, id: &TrackId, name: &str, artist: &str, answer: Option<Located>) {
        match answer {
            Some(found) => self.found.update_value(|all| {
                all.push((id.clone(), name.to_owned(), artist.to_owned(), found))
            }),
            None => self.absent.update_value(|absent| absent.push(id.clone())),
        }
    }

    /// The found tracks as a catalog, and their places.
    fn publish(self) {
        let genres = self.genres.get_value();
        let mut builder = CatalogBuilder::with_genres(genres.source().to_owned(), genres.genres());
        let mut places = Places::default();
        self.found.with_value(|found| {
            for (id, name, artist, entry) in found {
                places.by_id.insert(id.clone(), entry.index);
                places.by_index.insert(entry.index, id.clone());
                // Its genre and extra features as the catalog has them (the shard's), so
                // filters, weights and a re-rank treat it as the catalog's tracks.
                builder.push(TrackRecord {
                    id: id.clone(),
                    name: name.clone(),
                    artist: artist.clone(),
                    genre: genres
                        .genres()
                        .get(entry.genre)
                        .cloned()
                        .unwrap_or_default(),
                    mood: entry.mood,
                    extras: entry.extras,
                });
            }
        });
        self.known.set(Arc::new(builder.finish().0));
        self.places.set(Arc::new(places));
    }

    /// The union's tracks that are the catalog's, by their index in the tiled catalog, of
    /// a catalog of `tracks` tracks.
    pub fn members(self, union: &SharedUnion, tracks: usize) -> TrackSet {
        let union = &union.0.catalog;
        self.places.with(|places| {
            TrackSet::new(
                tracks,
                (0..union.len()).filter_map(|i| places.by_id.get(&union.track(i).id).copied()),
            )
        })
    }
}

/// Kept places as answers by id.
fn kept_answers(places: FoundPlaces) -> HashMap<TrackId, Option<Located>> {
    let found = places.found.into_iter().map(|p| (p.id, Some(p.entry)));
    found
        .chain(places.absent.into_iter().map(|id| (id, None)))
        .collect()
}
