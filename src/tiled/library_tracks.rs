//! The person's library over a tiled catalog: every track their libraries name is found
//! through the id shards (a few hundred at a time, counted as they come), and those the
//! catalog has are held as a small catalog of their own (named as the file names them,
//! at the catalog's mood) that the libraries are joined with as over a loaded catalog,
//! with their places in the tiled numbering ("Leave my library out").

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::catalog::{ExtraFeatures, TrackRecord};
use moodplane_core::rank_options::TrackSet;
use moodplane_core::{Catalog, CatalogBuilder, TrackId};

use super::store::TileStore;
use crate::libraries::{Libraries, OpenLibrary, SharedUnion};

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
    found: StoredValue<Vec<(TrackRecord, usize)>>,
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
        };
        Effect::new(move |_| tracks.find(libraries.open.with(|open| named_in(open))));
        tracks
    }

    /// Asks again for the ids whose shards could not be read.
    pub fn retry(self, libraries: Libraries) {
        self.find(libraries.open.with_untracked(|open| named_in(open)));
    }

    /// Looks up the named tracks not asked for yet, a batch at a time.
    fn find(self, named: Vec<(TrackId, String, String)>) {
        let fresh: Vec<_> = self
            .asked
            .try_update_value(|asked| {
                named
                    .into_iter()
                    .filter(|(id, ..)| asked.insert(id.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if fresh.is_empty() {
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
                        Ok(Some(found)) => self.found.update_value(|all| {
                            all.push((
                                TrackRecord {
                                    id: id.clone(),
                                    name: name.clone(),
                                    artist: artist.clone(),
                                    genre: String::new(),
                                    mood: found.mood,
                                    extras: ExtraFeatures::default(),
                                },
                                found.index,
                            ))
                        }),
                        Ok(None) => {}
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
        });
    }

    /// The found tracks as a catalog, and their places.
    fn publish(self) {
        let genres = self.genres.get_value();
        let mut builder = CatalogBuilder::with_genres(genres.source().to_owned(), genres.genres());
        let mut places = Places::default();
        self.found.with_value(|found| {
            for (record, index) in found {
                places.by_id.insert(record.id.clone(), *index);
                places.by_index.insert(*index, record.id.clone());
                builder.push(record.clone());
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
