//! The person's open libraries: opened from files (read by the import worker), restored
//! from this browser's storage on load, removed on request; where the list draws its
//! tracks from (the catalog, only the libraries, or the catalog without them); and what
//! that means for the ranking: the catalog and ranker listed, and the options used.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::features::FeatureTable;
use moodplane_core::library::{members_in_catalog, union_catalog, union_ranker, LibraryFile};
use moodplane_core::rank_options::{RankOptions, TrackSet};
use moodplane_core::ranker::Ranker;
use moodplane_core::sources::lookup::Consent;
use moodplane_core::sources::pasted_block::LineOutcome;
use moodplane_core::{Catalog, Mood, Query, TrackId};
use web_sys::File;

use crate::pasted_tracks::PastedTracks;
use crate::{library_import, library_store};

/// One open library.
#[derive(Clone)]
pub struct OpenLibrary {
    /// Unique while the page lives (the list's key).
    pub id: u64,
    /// Its key in the browser's storage, once stored.
    pub key: Option<f64>,
    pub file: Arc<LibraryFile>,
}

/// Where the list draws its tracks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The catalog; library tracks in it are marked.
    Everything,
    /// Only the libraries' tracks ("Only my library").
    OnlyMine,
    /// The catalog without the libraries' tracks ("Leave my library out").
    AllButMine,
}

/// The import in progress, or how the last one ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportStatus {
    Idle,
    Reading { name: String, fraction: f64 },
    Failed { name: String, message: String },
}

/// The union of the open libraries, ready to rank.
pub struct Union {
    pub catalog: Arc<Catalog>,
    pub ranker: Arc<Ranker>,
    /// The catalog's tracks that are in a library.
    pub members: TrackSet,
    /// The middle of the libraries' moods.
    pub centre: Option<Mood>,
}

/// A [`Union`] shared by memos (equal when it is the same one).
#[derive(Clone)]
pub struct SharedUnion(pub Arc<Union>);

impl PartialEq for SharedUnion {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The catalog the list shows tracks of, and the ranker over it.
#[derive(Clone)]
pub struct Listed {
    pub catalog: Arc<Catalog>,
    pub ranker: Arc<Ranker>,
    /// Whether it is the libraries' union rather than the catalog.
    pub mine: bool,
}

impl PartialEq for Listed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.catalog, &other.catalog) && self.mine == other.mine
    }
}

impl Listed {
    /// `query` in the listed catalog's terms: a catalog track is the union's same track
    /// (so it is still left out of its own matches), or a free point when it is not there.
    pub fn query_of(&self, catalog: &Catalog, query: Query) -> Query {
        if !self.mine {
            return query;
        }
        Query {
            track: query
                .track
                .and_then(|i| self.catalog.index_of(&catalog.track(i).id)),
            ..query
        }
    }
}

#[derive(Clone, Copy)]
pub struct Libraries {
    pub open: RwSignal<Vec<OpenLibrary>>,
    pub scope: RwSignal<Scope>,
    /// Whether the plane shows the libraries' layer.
    pub shown: RwSignal<bool>,
    pub status: RwSignal<ImportStatus>,
    /// What the browser's storage said, when it did not do as asked.
    pub store_note: RwSignal<Option<String>>,
    /// The lookup of a library's tracks without a mood (ReccoBeats, with consent).
    pub lookup: PastedTracks,
    /// Which library the lookup is for.
    pub looking_up: RwSignal<Option<u64>>,
    /// Until the libraries stored in this browser are read back (or cannot be).
    pub restoring: RwSignal<bool>,
    next_id: StoredValue<u64>,
}

impl Libraries {
    /// The libraries, with those stored in this browser being restored.
    pub fn restored(consent: RwSignal<Consent>) -> Libraries {
        let libraries = Libraries {
            open: RwSignal::new(Vec::new()),
            scope: RwSignal::new(Scope::Everything),
            shown: RwSignal::new(true),
            status: RwSignal::new(ImportStatus::Idle),
            store_note: RwSignal::new(None),
            lookup: PastedTracks::new(consent),
            looking_up: RwSignal::new(None),
            restoring: RwSignal::new(true),
            next_id: StoredValue::new(0),
        };
        libraries.keep_found();
        spawn_local(async move {
            // No storage, nothing to restore: said only when a library is opened.
            if let Ok(stored) = library_store::all().await {
                let mut damaged = 0;
                for (key, bytes) in stored {
                    match LibraryFile::from_bytes(&bytes) {
                        Ok(file) => {
                            libraries.add(Some(key), file);
                        }
                        Err(_) => damaged += 1,
                    }
                }
                if damaged > 0 {
                    libraries.store_note.set(Some(format!(
                        "{damaged} library stored in this browser could not be read back and was left out; open its file again"
                    )));
                }
            }
            libraries.restoring.set(false);
        });
        libraries
    }

    fn add(self, key: Option<f64>, file: LibraryFile) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.open.update(|open| {
            open.push(OpenLibrary {
                id,
                key,
                file: Arc::new(file),
            })
        });
        id
    }

    /// Reads the files one after the other, keeping each in this browser's storage.
    pub fn open_files(self, files: Vec<File>) {
        spawn_local(async move {
            for file in files {
                let name = file.name();
                self.status.set(ImportStatus::Reading {
                    name: name.clone(),
                    fraction: 0.0,
                });
                let status = self.status;
                let shown_name = name.clone();
                let read = library_import::import(file, move |fraction| {
                    status.set(ImportStatus::Reading {
                        name: shown_name.clone(),
                        fraction,
                    })
                })
                .await;
                match read {
                    Ok((library, bytes)) => {
                        self.status.set(ImportStatus::Idle);
                        let id = self.add(None, library);
                        match library_store::put(&bytes).await {
                            Ok(key) => self.open.update(|open| {
                                if let Some(o) = open.iter_mut().find(|o| o.id == id) {
                                    o.key = Some(key);
                                }
                            }),
                            Err(error) => self.store_note.set(Some(error.to_string())),
                        }
                    }
                    Err(error) => {
                        self.status.set(ImportStatus::Failed {
                            name,
                            message: error.to_string(),
                        });
                        return;
                    }
                }
            }
        });
    }

    /// Asks ReccoBeats (after the person's consent) for the moods of a library's tracks
    /// that have none here, in batches of 40; what it places joins the library.
    pub fn look_up(self, id: u64, catalog: &Catalog) {
        let links = self.open.with_untracked(|open| {
            open.iter()
                .find(|o| o.id == id)
                .map(|o| {
                    o.file
                        .unknown(catalog)
                        .map(|t| format!("spotify:track:{}", t.id))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default()
        });
        self.looking_up.set(Some(id));
        self.lookup.start(&links, catalog);
    }

    /// When a lookup has answered every id it sent, the tracks it placed move into their
    /// library (and its stored copy).
    fn keep_found(self) {
        Effect::new(move |_| {
            let found: Vec<(TrackId, Mood)> = self.lookup.block.with(|block| {
                let Some(block) = block.as_ref().filter(|b| b.pending_count() == 0) else {
                    return Vec::new();
                };
                block
                    .tracks
                    .iter()
                    .filter_map(|t| match (&t.id, &t.outcome) {
                        (Some(id), LineOutcome::Placed { mood, .. }) => Some((id.clone(), *mood)),
                        _ => None,
                    })
                    .collect()
            });
            let Some(id) = self
                .looking_up
                .get_untracked()
                .filter(|_| !found.is_empty())
            else {
                return;
            };
            let mut stored = None;
            self.open.update(|open| {
                if let Some(o) = open.iter_mut().find(|o| o.id == id) {
                    let updated = o.file.with_moods_found(&found);
                    if updated.summary.looked_up != o.file.summary.looked_up {
                        stored = o.key.map(|key| (key, updated.to_bytes()));
                        o.file = Arc::new(updated);
                    }
                }
            });
            if let Some((key, bytes)) = stored {
                spawn_local(async move {
                    if let Err(error) = library_store::replace(key, &bytes).await {
                        self.store_note.set(Some(error.to_string()));
                    }
                });
            }
        });
    }

    /// Forgets a library in this browser, then closes it: it leaves the page only once
    /// the browser's storage no longer holds it, so a reload right after cannot bring it
    /// back.
    pub fn remove(self, id: u64) {
        if self.looking_up.get_untracked() == Some(id) {
            self.lookup.clear();
            self.looking_up.set(None);
        }
        let key = self
            .open
            .with_untracked(|open| open.iter().find(|o| o.id == id).and_then(|o| o.key));
        spawn_local(async move {
            if let Some(key) = key {
                if let Err(error) = library_store::remove(key).await {
                    self.store_note.set(Some(error.to_string()));
                }
            }
            self.open.update(|open| open.retain(|o| o.id != id));
            if self.open.with_untracked(Vec::is_empty) {
                self.scope.set(Scope::Everything);
            }
        });
    }

    /// The union of the open libraries, rebuilt when one opens or closes (or the catalog
    /// tracks they name change: over tiles, as the id shards find them).
    pub fn union(
        self,
        catalog: Signal<Arc<Catalog>>,
        features: Arc<FeatureTable>,
    ) -> Memo<Option<SharedUnion>> {
        Memo::new(move |_| {
            let catalog = catalog.get();
            self.open.with(|open| {
                (!open.is_empty()).then(|| {
                    let union = union_catalog(open.iter().map(|o| &*o.file), &catalog);
                    let ranker = union_ranker(&union, &features);
                    SharedUnion(Arc::new(Union {
                        members: members_in_catalog(&union, &catalog),
                        centre: moodplane_core::blend::centre_of(union.moods()),
                        ranker: Arc::new(ranker),
                        catalog: Arc::new(union),
                    }))
                })
            })
        })
    }

    /// The libraries' moods for the plane's layer, while it is shown.
    pub fn layer_points(self, union: Memo<Option<SharedUnion>>) -> Memo<Vec<Mood>> {
        Memo::new(move |_| {
            if !self.shown.get() {
                return Vec::new();
            }
            union.with(|u| {
                u.as_ref()
                    .map(|u| u.0.catalog.moods().to_vec())
                    .unwrap_or_default()
            })
        })
    }

    /// The catalog the list shows: the union with "Only my library", else the catalog.
    pub fn listed(
        self,
        catalog: Arc<Catalog>,
        ranker: Arc<Ranker>,
        union: Memo<Option<SharedUnion>>,
    ) -> Memo<Listed> {
        Memo::new(move |_| match (self.scope.get(), union.get()) {
            (Scope::OnlyMine, Some(SharedUnion(u))) => Listed {
                catalog: u.catalog.clone(),
                ranker: u.ranker.clone(),
                mine: true,
            },
            _ => Listed {
                catalog: catalog.clone(),
                ranker: ranker.clone(),
                mine: false,
            },
        })
    }

    /// The options the ranking uses: the person's, leaving the libraries' tracks out
    /// when asked.
    pub fn ranked_options(
        self,
        options: RwSignal<RankOptions>,
        union: Memo<Option<SharedUnion>>,
    ) -> Memo<RankOptions> {
        Memo::new(move |_| {
            let left_out = match (self.scope.get(), union.get()) {
                (Scope::AllButMine, Some(SharedUnion(u))) => Some(u.members.clone()),
                _ => None,
            };
            RankOptions {
                left_out,
                ..options.get()
            }
        })
    }
}
