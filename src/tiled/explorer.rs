//! The working page over a tiled catalog: the same plane, list, player, crate, blends,
//! audio file, exports, options, journeys, regions and analysis as over a loaded one,
//! with the ranking run over the tiles at hand (`TileSet::rank`, `TileSet::journey` and
//! `TileSet::region`, exact) and the shown tracks gathered from detail chunks (a
//! region's one page at a time; all of them when it is exported). Whatever is missing
//! is fetched;
//! until it arrives the last complete list stays, and a failed fetch keeps the point and
//! the list and offers a retry.

use std::rc::Rc;
use std::sync::Arc;

use futures::future::LocalBoxFuture;
use leptos::leptos_dom::helpers::request_idle_callback;
use leptos::prelude::*;
use moodplane_core::export::{rows_of_matches, rows_of_stops, ExportRow};
use moodplane_core::features::FeatureTable;
use moodplane_core::find::Listing;
use moodplane_core::journey::{Journey, Stop};
use moodplane_core::library::members_in_catalog;
use moodplane_core::options_state::OptionsState;
use moodplane_core::query::{group_thousands, linked_track_missing, linked_track_unreadable};
use moodplane_core::rank_options::RankOptions;
use moodplane_core::ranker::Ranker;
use moodplane_core::region::Region;
use moodplane_core::stats::Regression;
use moodplane_core::tiled_manifest::TiledManifest;
use moodplane_core::tiled_region::{ListPage, TiledRegion, REGION_TRACKS_MOST};
use moodplane_core::tiled_shown::{in_gathered_order, Missing};
use moodplane_core::tiles::{fetch_ahead_reach, Density, TiledJourney, TiledRanking};
use moodplane_core::view_state::{shown_notices, QuerySource};
use moodplane_core::{Catalog, CatalogBuilder, Match, Mood, Query, TrackId};

use super::library_tracks::{Finding, LibraryTracks};
use super::store::TileStore;
use crate::analysis_panel::AnalysisPanel;
use crate::audio_file::AudioFileBox;
use crate::blend_bar::BlendBar;
use crate::count_picker::CountPicker;
use crate::crate_panel::{keep_crate_saved, load_crate, CratePanel};
use crate::export_bar::{AllRows, ExportBar};
use crate::find_panel::FindPanel;
use crate::find_results::derive_found;
use crate::find_state::{FindControls, FindMode};
use crate::libraries::{Libraries, Listed, Scope, SharedUnion};
use crate::library_panel::LibraryPanel;
use crate::lookup::{Lookup, LookupCard};
use crate::lookup_settings::LookupSettings;
use crate::options_panel::OptionsPanel;
use crate::pager::{Pager, PAGE_SIZE};
use crate::paste_box::PasteBox;
use crate::pasted_tracks::{PastedList, PastedTracks};
use crate::player::Player;
use crate::plot::{Guides, PlotBase, PlotView, ShapeLayer};
use crate::presets_bar::PresetsBar;
use crate::query_track::query_track_line;
use crate::reccobeats;
use crate::results_list::ResultsList;
use crate::spotify::login_status::SpotifyContext;
use crate::spotify::panel::SpotifyPanel;
use crate::spotify::save_playlist::SavePlaylist;
use crate::url_sync;

/// Tiles fetched ahead of the point, nearest first, once its list is complete.
const PREFETCH: usize = 2;

/// A complete list: the shown tracks as a small catalog (the matches, then the query's
/// own track when it has one) and the matches in its numbering.
#[derive(Clone)]
struct Shown {
    listed: Listed,
    matches: Vec<Match>,
    /// The whole list's length (a region's shown page is part of it).
    total: usize,
    query_track: Option<usize>,
    /// The query the list answers, and its matches in the catalog's numbering.
    query: Query,
    found: Vec<Match>,
    /// The journey the list follows, and its stops in the list's numbering.
    journey: Option<Journey>,
    stops: Option<Vec<Stop>>,
    /// The region the list holds every track of.
    region: Option<Region>,
}

/// What the tiles at hand answer: a list in the catalog's numbering (a journey's with
/// its stops), or the tile to read next.
#[derive(Clone, PartialEq)]
enum Answer {
    /// Nothing to rank over the tiles: "Only my library" lists the libraries.
    Idle,
    Needs(usize),
    Ranked {
        matches: Vec<Match>,
        tiles_read: Vec<usize>,
    },
    Journey {
        stops: Vec<Stop>,
        tiles_read: Vec<usize>,
    },
    /// A region's shown page, the tiles it still needs, or that it is too big.
    Region(TiledRegion),
}

/// What the list is, in words and for exports: a journey's, a region's, or the point's
/// nearest (with `mode`'s hint when the journey or region is not drawn yet).
fn listing_of<'a>(
    mode: FindMode,
    journey: Option<&'a Journey>,
    region: Option<&'a Region>,
    point: Mood,
) -> Listing<'a> {
    Listing {
        mode,
        journey,
        region,
        point,
    }
}

/// Reads the list's words for its journey or region (as shown) and the mode chosen.
fn read_listing<T>(
    find: FindControls,
    journey: Memo<Option<Journey>>,
    region: Memo<Option<Region>>,
    point: Mood,
    read: impl FnOnce(&Listing) -> T,
) -> T {
    let mode = find.mode.get();
    journey.with(|j| region.with(|r| read(&listing_of(mode, j.as_ref(), r.as_ref(), point))))
}

#[component]
pub fn TiledExplorer(manifest: Arc<TiledManifest>) -> impl IntoView {
    let store = TileStore::new(manifest.clone());
    // No tracks, the catalog's genre table: what genre filters and shared links name.
    let genres_only = Arc::new(
        CatalogBuilder::with_genres(manifest.source.clone(), &manifest.genres)
            .finish()
            .0,
    );
    let features = Arc::new(FeatureTable::of_scale(&manifest.scale));
    let (initial, url_notices) = url_sync::read_view_state();
    let (initial_options, option_notices) = initial
        .options
        .to_options(&genres_only, |f| features.has(f));
    let notices = shown_notices(
        url_notices
            .iter()
            .map(ToString::to_string)
            .chain(option_notices)
            .collect(),
    );
    let initial_mood = match (&initial.journey, &initial.region, &initial.query) {
        (Some(journey), _, _) => journey.path.start(),
        (None, Some(Region::Lasso(lasso)), _) => lasso.centre(),
        (None, _, QuerySource::Point(mood)) => *mood,
        (None, _, QuerySource::Track(_)) => Mood::CENTRE,
    };
    let query = RwSignal::new(Query::at(initial_mood));
    let find = FindControls::from_link(initial.journey.as_ref(), initial.region.as_ref());
    let journey = find.journey();
    // A region is read whole (its every tile), once it is complete.
    let region = find.region();
    let count = RwSignal::new(initial.count);
    let options = RwSignal::new(initial_options);
    let consent = RwSignal::new(reccobeats::consent());
    // The person's libraries, joined with the catalog tracks the id shards find for them.
    let libraries = Libraries::restored(consent);
    let library_tracks = LibraryTracks::follow(libraries, store, genres_only.clone());
    let known = library_tracks.known;
    let union = libraries.union(Signal::derive(move || known.get()), features.clone());
    let scope = libraries.scope;
    let only_mine =
        Memo::new(move |_| scope.get() == Scope::OnlyMine && union.with(Option::is_some));
    let catalog_tracks = manifest.tracks as usize;
    // What the walk ranks with: the person's options, and "Leave my library out" leaves
    // the libraries' catalog tracks out by their place in the tiled catalog.
    let ranked = Memo::new(move |_| {
        let left_out = (scope.get() == Scope::AllButMine)
            .then(|| {
                union.with(|u| {
                    u.as_ref()
                        .map(|u| library_tracks.members(u, catalog_tracks))
                })
            })
            .flatten();
        RankOptions {
            left_out,
            ..options.get()
        }
    });
    let spotify = expect_context::<SpotifyContext>();
    let lookup = Lookup::new(query, spotify, consent);
    // A pasted block's links are looked up in the id shards before anything else.
    let pasted_tracks = PastedTracks::over_tiles(consent, store);
    let pasted_points = Memo::new(move |_| pasted_tracks.placed_queries());
    let pasted_moods =
        Memo::new(move |_| pasted_points.with(|p| p.iter().map(|q| q.mood).collect()));

    // A shared link to a track: nothing is ranked until the id shards have said where it
    // is (the centre it starts at would be listed, and its tiles fetched, for nothing).
    let finding_linked_track = RwSignal::new(matches!(initial.query, QuerySource::Track(_)));
    // The ranking (or the journey) over the tiles at hand; a missing tile is fetched, and
    // its arrival ranks again.
    let answer = Memo::new(move |_| {
        if only_mine.get() || finding_linked_track.get() {
            return Answer::Idle;
        }
        store.arrived.track();
        if let Some(j) = journey.get() {
            return ranked.with(|o| {
                store.with_tiles(|tiles| match tiles.journey(&j.path, j.rule, o) {
                    TiledJourney::Planned { stops, tiles_read } => {
                        Answer::Journey { stops, tiles_read }
                    }
                    TiledJourney::Needs(tile) => Answer::Needs(tile),
                })
            });
        }
        let q = query.get();
        if let Some(region) = region.get() {
            // One page at a time: only its rows are sorted, and only their details fetched.
            let page = ListPage {
                number: find.page.get(),
                size: PAGE_SIZE,
            };
            return ranked.with(|o| {
                store.with_tiles(|tiles| {
                    Answer::Region(tiles.region(q, &region, o, REGION_TRACKS_MOST, page))
                })
            });
        }
        let n = count.get();
        ranked.with(|o| {
            store.with_tiles(|tiles| match tiles.rank(q, n, o) {
                TiledRanking::Needs(tile) => Answer::Needs(tile),
                TiledRanking::Ranked {
                    matches,
                    tiles_read,
                } => Answer::Ranked {
                    matches,
                    tiles_read,
                },
            })
        })
    });
    let shown = RwSignal::new(None::<Shown>);
    // A region too big to read: how many tracks its tiles hold, and the radius that fits.
    let too_big = Memo::new(move |_| {
        answer.with(|a| match a {
            Answer::Region(TiledRegion::TooBig {
                tracks,
                fitting_radius,
                ..
            }) => Some((*tracks, *fitting_radius)),
            _ => None,
        })
    });
    // A ranked list whose details are still on their way.
    let waiting = RwSignal::new(false);
    // What a list's rows ask of a ranker (which features the catalog has), made once: a
    // tiled list is ranked over the tiles, so no list needs a ranker of its own.
    let list_ranker = Arc::new(Ranker::with_features(
        &genres_only,
        FeatureTable::of_scale(&manifest.scale),
    ));
    let shown_ranker = list_ranker.clone();
    // How many times in a row the walk asked for a tile for this query and options.
    let asks = StoredValue::new((None::<(Query, RankOptions)>, 0u32));
    let density_grid = Arc::new(manifest.density.clone());
    let density_size = manifest.density_size as usize;
    let wave_density = density_grid.clone();
    Effect::new(move |_| {
        store.failure.track();
        // A detail chunk's arrival leaves the ranking as it was, but completes the list.
        store.arrived.track();
        let q = query.get_untracked();
        let walked = journey.get_untracked();
        let in_region = region.get_untracked();
        let mut total = None;
        let (matches, stops) = match answer.get() {
            Answer::Idle => {
                waiting.set(false);
                return;
            }
            Answer::Region(TiledRegion::Needs(tiles)) => {
                for tile in tiles {
                    store.fetch(Missing::Tile(tile));
                }
                return;
            }
            Answer::Region(TiledRegion::TooBig { .. }) => {
                shown.set(None);
                waiting.set(false);
                return;
            }
            Answer::Region(TiledRegion::Found {
                matches,
                total: found,
                tiles_read,
                ..
            }) => {
                store.used(&tiles_read);
                total = Some(found);
                (matches, None)
            }
            Answer::Needs(tile) => {
                if let Some(j) = &walked {
                    store.fetch(Missing::Tile(tile));
                    // A journey needs the tiles along its path: the one nearest each
                    // waypoint comes in the same round trip.
                    let along = ranked.with_untracked(|o| {
                        store.with_tiles(|tiles| tiles.missing_along(&j.path, j.rule, o))
                    });
                    for next in along.into_iter().filter(|&t| t != tile) {
                        store.prefetch(next);
                    }
                    return;
                }
                // The walk asks for one tile at a time; the core's rule says what comes
                // along (the first wave, then doubling batches).
                let round = asks.try_update_value(|(asked_for, round)| {
                    let now = ranked.with_untracked(|o| (q, o.clone()));
                    if asked_for.as_ref() != Some(&now) {
                        *asked_for = Some(now);
                        *round = 0;
                    }
                    *round += 1;
                    *round
                });
                let n = count.get_untracked();
                let density = Density {
                    counts: &wave_density[..],
                    size: density_size,
                };
                let beside = ranked.with_untracked(|o| {
                    store.with_tiles(|tiles| {
                        tiles.fetch_beside(tile, round.unwrap_or(1), q, o, n, density)
                    })
                });
                // A point's first tiles come with the details around where it falls, as
                // the first list reads them: its list mostly lies there (a pasted track's
                // came with its tile already).
                if round == Some(1) && q.track.is_none() {
                    store.fetch_first_wave_details(tile, &beside, q.mood, n);
                }
                // After the windows: a tile fetched with them is now only marked wanted.
                store.fetch(Missing::Tile(tile));
                for next in beside {
                    store.prefetch(next);
                }
                return;
            }
            Answer::Ranked {
                matches,
                tiles_read,
            } => {
                store.used(&tiles_read);
                (matches, None)
            }
            Answer::Journey { stops, tiles_read } => {
                // As a list's: the journey's tiles become the most recently used, and
                // tiles beyond the budget go (a journey never held them before).
                store.used(&tiles_read);
                (stops.iter().map(|s| s.chosen).collect(), Some(stops))
            }
        };
        // An arrival that changes nothing of the list (a prefetched tile) redraws nothing.
        if shown.with_untracked(|s| {
            s.as_ref().is_some_and(|s| {
                s.found == matches
                    && s.journey == walked
                    && s.region == in_region
                    && (walked.is_some() || s.query == q)
            })
        }) {
            waiting.set(false);
            return;
        }
        let mut indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
        // A journey's list has no query track.
        let q_track = q.track.filter(|_| walked.is_none());
        indices.extend(q_track);
        match store.gather(&indices) {
            Ok(catalog) => {
                let local = in_gathered_order(&matches);
                waiting.set(false);
                let reach = fetch_ahead_reach(&matches);
                let local_stops = stops.map(|stops| {
                    stops
                        .iter()
                        .zip(&local)
                        .map(|(stop, chosen)| Stop {
                            waypoint: stop.waypoint,
                            chosen: *chosen,
                        })
                        .collect()
                });
                shown.set(Some(Shown {
                    listed: Listed {
                        catalog: Arc::new(catalog),
                        ranker: shown_ranker.clone(),
                        mine: false,
                    },
                    total: total.unwrap_or(local.len()),
                    matches: local,
                    query_track: q_track.map(|_| matches.len()),
                    query: q,
                    found: matches,
                    journey: walked.clone(),
                    stops: local_stops,
                    region: in_region.clone(),
                }));
                if walked.is_some() || in_region.is_some() {
                    return;
                }
                // Once per point, when the page is next idle (after this list is drawn, and
                // never for a point a drag has already left): the tiles next to it, for its
                // next move. Asked at once, their fetches' start lay between every move and
                // its list.
                request_idle_callback(move || {
                    if query.try_get_untracked() != Some(q)
                        || journey.try_with_untracked(Option::is_none) != Some(true)
                        || region.try_with_untracked(Option::is_none) != Some(true)
                    {
                        return;
                    }
                    let ahead = ranked.with_untracked(|o| {
                        store.with_tiles(|tiles| tiles.nearest_missing(q, o, PREFETCH, reach))
                    });
                    for tile in ahead {
                        store.fetch_ahead(tile);
                    }
                });
            }
            Err(missing) => {
                waiting.set(true);
                for piece in missing {
                    store.fetch(piece);
                }
            }
        }
    });
    // "Fetching…" only while something is really on its way (a tile the walk needs, or
    // the details of a list), never for the moment a list takes to follow the point: a
    // drag within fetched tiles adds and removes nothing above the list.
    let pending = Memo::new(move |_| {
        answer.with(|a| matches!(a, Answer::Needs(_) | Answer::Region(TiledRegion::Needs(_))))
            || waiting.get()
            || finding_linked_track.get()
    });

    let empty_listed = Listed {
        catalog: genres_only.clone(),
        ranker: list_ranker,
        mine: false,
    };
    let no_list = empty_listed.clone();
    let tiled_listed = Memo::new(move |_| {
        shown
            .with(|s| s.as_ref().map(|s| s.listed.clone()))
            .unwrap_or_else(|| no_list.clone())
    });
    let tiled_matches = Memo::new(move |_| {
        shown.with(|s| s.as_ref().map(|s| s.matches.clone()).unwrap_or_default())
    });
    // "Only my library": the union is a catalog of its own, listed as over a loaded one.
    let union_listed = Memo::new(move |_| match (only_mine.get(), union.get()) {
        (true, Some(SharedUnion(u))) => Listed {
            catalog: u.catalog.clone(),
            ranker: u.ranker.clone(),
            mine: true,
        },
        _ => empty_listed.clone(),
    });
    let places = library_tracks.places;
    // A pasted catalog track is the union's same track, when the libraries hold it. Read
    // only while the union is listed, so a drag over the tiles ranks nothing beside them.
    let union_query = Memo::new(move |_| {
        if !only_mine.get() {
            return Query::at(Mood::CENTRE);
        }
        let q = query.get();
        let track = q
            .track
            .and_then(|t| places.with(|p| p.by_index.get(&t).cloned()))
            .and_then(|id| union_listed.with(|l| l.catalog.index_of(&id)));
        Query { track, ..q }
    });
    let mine_found = derive_found(
        union_listed,
        find,
        union_query,
        count,
        Memo::new(move |_| options.get()),
    );
    let listed = Memo::new(move |_| {
        if only_mine.get() {
            union_listed.get()
        } else {
            tiled_listed.get()
        }
    });
    let matches = Memo::new(move |_| {
        if only_mine.get() {
            mine_found.shown.get()
        } else {
            tiled_matches.get()
        }
    });
    // A listed catalog track is marked when the libraries hold it.
    let marks = Memo::new(move |_| {
        union.with(|u| {
            let union = &u.as_ref()?.0.catalog;
            listed.with(|l| (!l.mine).then(|| members_in_catalog(union, &l.catalog)))
        })
    });
    let library_points = libraries.layer_points(union);
    let selected_track = RwSignal::new(None::<usize>);
    // A selection indexes the shown tracks, which every new list renumbers: the selected
    // track stays selected while it is listed.
    let selected_id = StoredValue::new(None::<TrackId>);
    Effect::new(move |_| {
        let kept = listed.with(|l| {
            selected_id
                .get_value()
                .and_then(|id| l.catalog.index_of(&id))
        });
        selected_track.set(kept);
    });
    Effect::new(move |_| {
        let id = selected_track
            .get()
            .map(|k| listed.with_untracked(|l| l.catalog.track(k).id.clone()));
        selected_id.set_value(id);
    });
    let point = move || shown.with(|s| s.as_ref().map_or(query.get().mood, |s| s.query.mood));
    let shown_journey =
        Memo::new(move |_| shown.with(|s| s.as_ref().and_then(|s| s.journey.clone())));
    let shown_region =
        Memo::new(move |_| shown.with(|s| s.as_ref().and_then(|s| s.region.clone())));
    let listing = move |read: &dyn Fn(&Listing) -> String| {
        read_listing(find, shown_journey, shown_region, point(), read)
    };
    // Where a row was found: the point, or a lasso's centre.
    let found_at = move || {
        shown_region.with(|r| listing_of(FindMode::Nearest, None, r.as_ref(), point()).found_at())
    };
    let tiled_total = Memo::new(move |_| shown.with(|s| s.as_ref().map_or(0, |s| s.total)));
    let tiled_rows = Signal::derive(move || {
        tiled_listed.with(|l| {
            shown.with(|s| match s.as_ref().and_then(|s| s.stops.as_ref()) {
                Some(stops) => rows_of_stops(&l.catalog, stops),
                None => tiled_matches.with(|m| rows_of_matches(&l.catalog, m, found_at())),
            })
        })
    });
    // Each of these follows "Only my library": the union's list, or the tiles'.
    let either = move |mine: Signal<Vec<ExportRow>>, tiled: Signal<Vec<ExportRow>>| {
        Signal::derive(move || {
            if only_mine.get() {
                mine.get()
            } else {
                tiled.get()
            }
        })
    };
    // Exports take the whole list: a region's every track, its details read when an
    // export asks (up to REGION_TRACKS_MOST); the crate takes the page.
    let export_rows = either(mine_found.rows, tiled_rows);
    let region_rows: AllRows = Rc::new(move || -> Option<LocalBoxFuture<'static, _>> {
        if only_mine.get_untracked() {
            return None;
        }
        let (query, region, total, page) = shown.with_untracked(|s| {
            let s = s.as_ref()?;
            Some((s.query, s.region.clone()?, s.total, s.found.len()))
        })?;
        if total <= page {
            return None;
        }
        let every = ListPage {
            number: 0,
            size: total,
        };
        let answer = ranked.with_untracked(|o| {
            store.with_tiles(|tiles| tiles.region(query, &region, o, REGION_TRACKS_MOST, every))
        });
        let found_at = found_at();
        Some(Box::pin(async move {
            let TiledRegion::Found { matches, .. } = answer else {
                return Err("The region's tiles are no longer at hand; draw it again.".to_owned());
            };
            let indices: Vec<usize> = matches.iter().map(|m| m.index).collect();
            let catalog = store
                .gather_all(&indices)
                .await
                .map_err(|e| e.to_string())?;
            Ok(rows_of_matches(
                &catalog,
                &in_gathered_order(&matches),
                found_at,
            ))
        }))
    });
    let crate_rows = either(mine_found.shown_rows, tiled_rows);
    let total = Memo::new(move |_| {
        if only_mine.get() {
            mine_found.total.get()
        } else {
            tiled_total.get()
        }
    });
    let results_empty = Signal::derive(move || matches.with(Vec::is_empty));
    let of = Signal::derive(move || {
        if only_mine.get() {
            return mine_found.of.get();
        }
        read_listing(find, shown_journey, shown_region, point(), |l| {
            l.export_of()
        })
    });
    let title = Signal::derive(move || {
        if only_mine.get() {
            return mine_found.title.get();
        }
        listing(&|l| l.title())
    });
    let heading = Signal::derive(move || {
        if only_mine.get() {
            return mine_found.heading.get();
        }
        match too_big.get() {
            Some(_) => "Nothing listed: the region reaches too many tracks".to_owned(),
            None => {
                let total = tiled_total.get();
                listing(&|l| l.heading(total))
            }
        }
    });
    // The journey's path, waypoints and chosen tracks, the radius or the region, on the
    // plane.
    let shape_features = features.clone();
    let tiled_shape = Memo::new(move |_| match find.mode.get() {
        FindMode::Nearest | FindMode::Radius | FindMode::Lasso => {
            options.with(|o| find.region_shape(o, &shape_features))
        }
        FindMode::Journey => Some(shown.with(|s| {
            let s = s.as_ref();
            let planned = s.and_then(|s| s.journey.as_ref().zip(s.stops.as_deref()));
            // Asked only for a planned journey's stops, which its list holds.
            ShapeLayer::journey(find.path.get(), planned, |i| {
                s.map_or(Mood::CENTRE, |s| s.listed.catalog.moods()[i])
            })
        })),
    });
    let shape = Memo::new(move |_| {
        if only_mine.get() {
            mine_found.shape.get()
        } else {
            tiled_shape.get()
        }
    });
    let (saved_crate, crate_notice) = load_crate();
    let crate_list = RwSignal::new(saved_crate);
    keep_crate_saved(crate_list);
    let crate_points = Memo::new(move |_| crate_list.with(|c| c.moods()));
    let view_link = Signal::derive(|| window().location().href().unwrap_or_default());

    // The URL: the point, or the pasted track's id once its details are here.
    let url_catalog = genres_only.clone();
    url_sync::keep_url_in_step(move || {
        let shared = options.with(|o| OptionsState::from_options(o, &url_catalog));
        let q = query.get();
        let mut state = Query::at(q.mood).to_view_state(&url_catalog, count.get(), shared);
        state.journey = journey.get();
        state.region = region.get().filter(|_| state.journey.is_none());
        if q.track.is_some() {
            if let Some(id) = shown.with(|s| {
                s.as_ref()
                    .filter(|s| s.query == q)
                    .and_then(|s| s.query_track.map(|k| s.listed.catalog.track(k).id.clone()))
            }) {
                state.query = QuerySource::Track(id);
            }
        }
        state.to_query()
    });
    // A shared link to a track: found through the id shards, as a paste is.
    // Not found, or its shard not read: the page says so.
    let linked_track_notice = RwSignal::new(None::<String>);
    if let QuerySource::Track(id) = initial.query.clone() {
        let lookup_query = query;
        leptos::task::spawn_local(async move {
            match store.locate(&id, count.get_untracked()).await {
                Ok(Some(found)) => lookup_query.set(Query {
                    mood: found.mood,
                    track: Some(found.index),
                }),
                Ok(None) => linked_track_notice.set(Some(linked_track_missing(&id))),
                Err(error) => {
                    linked_track_notice.set(Some(linked_track_unreadable(&id, &error.to_string())))
                }
            }
            // Found or not (then the centre's list), the walk may start.
            finding_linked_track.set(false);
        });
    }

    // The builder's analysis of every track (a manifest from an older builder has none:
    // then neither the panel nor the guides are shown).
    let analysis = manifest.analysis.clone().map(Arc::new);
    let guides = Arc::new(match &analysis {
        Some(analysis) => Guides::of(analysis),
        None => Guides {
            centroids: Vec::new(),
            regression: Regression {
                slope: f64::NAN,
                intercept: f64::NAN,
                r: f64::NAN,
            },
        },
    });
    let show_guides = RwSignal::new(false);
    let base = PlotBase::Density {
        size: density_size,
        counts: density_grid.clone(),
    };

    let query_track = move || {
        shown.with(|s| {
            let s = s.as_ref()?;
            Some(query_track_line(s.listed.catalog.track(s.query_track?)))
        })
    };
    let query_text = move || {
        let m = query.get().mood;
        format!(
            "Valence {:.3} · Energy {:.3} ({})",
            m.valence,
            m.energy,
            m.quadrant_name()
        )
    };
    let status = move || {
        if let Some(error) = store.failure.get() {
            return Some(view! {
                <div id="tiles-error" class="load-error" role="alert">
                    <p>{error.to_string()} " The point and the last list are kept."</p>
                    <button type="button" id="tiles-retry" on:click=move |_| store.retry()>"Try again"</button>
                </div>
            }.into_any());
        }
        if let Some((tracks, fitting)) = too_big.get() {
            let shape = if find.mode.get() == FindMode::Lasso {
                "region"
            } else {
                "radius"
            };
            return Some(view! {
                <div id="region-too-big" class="status" role="status">
                    <p>{format!(
                        "This {shape} reaches {} tracks; over a catalog this big a region may reach at most {}. Make it smaller.",
                        group_thousands(tracks as usize),
                        group_thousands(REGION_TRACKS_MOST as usize),
                    )}</p>
                    {fitting.map(|r| view! {
                        <button type="button" id="region-fit" on:click=move |_| {
                            find.radius.set(r);
                            find.page.set(0);
                        }>{format!("Use radius {r:.3}")}</button>
                    })}
                </div>
            }.into_any());
        }
        pending.get().then(|| view! {
            <p id="tiles-status" class="status" role="status">"Fetching the tracks near this point…"</p>
        }.into_any())
    };
    let summary = format!(
        "{} tracks by {} artists · {} · tiled ({} tiles)",
        group_thousands(manifest.tracks as usize),
        group_thousands(manifest.artists as usize),
        manifest.source,
        group_thousands(manifest.tiles.len()),
    );
    let genre_counts = manifest.genre_counts.iter().map(|&c| c as usize).collect();
    let genres_catalog: Arc<Catalog> = genres_only.clone();
    let panel_features = features.clone();

    view! {
        {move || {
            let notices: Vec<String> =
                notices.iter().cloned().chain(linked_track_notice.get()).collect();
            (!notices.is_empty()).then(|| view! {
                <ul id="notices" class="notices" role="status">
                    {notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            })
        }}
        <div class="explorer">
            <section class="plane-column" aria-label="Mood plane">
                <PlotView base query matches guides=guides.clone() show_guides pasted=pasted_points crate_points find shape_layer=shape listed library_points />
                <p id="query-text" class="query-text" aria-live="polite">{query_text}</p>
                {query_track}
                <PresetsBar query />
            </section>
            <section class="side-column" aria-label="Find and list matches">
                <PasteBox catalog=genres_catalog.clone() query lookup spotify pasted_tracks tiles=store count />
                <LookupCard lookup />
                <PastedList pasted=pasted_tracks query />
                <BlendBar seeds=pasted_moods query find id_prefix="pasted" />
                <AudioFileBox query lookup />
                <FindPanel catalog=genres_catalog.clone() find tiles=store />
                // The count applies to the nearest tracks only.
                {move || (find.mode.get() == FindMode::Nearest).then(|| view! { <CountPicker count /> })}
                {status}
                <h2 id="results-heading">{heading}</h2>
                <ResultsList listed mine=marks matches options selected=selected_track crate_list query pending />
                <Pager total page=find.page />
                <ExportBar rows=export_rows empty=results_empty of id_prefix="results" title all_rows=region_rows />
                <SavePlaylist spotify rows=export_rows empty=results_empty default_name=title view_link id_prefix="results" />
                <Player listed selected=selected_track />
                <CratePanel crate_list result_rows=crate_rows notice=crate_notice spotify view_link />
                <BlendBar seeds=crate_points query find id_prefix="crate" />
                <LibraryPanel libraries catalog=Signal::derive(move || known.get()) union query
                    settled=Signal::derive(move || library_tracks.finding.with(|f| *f == Finding::Idle)) />
                {move || match library_tracks.finding.get() {
                    Finding::Idle => None,
                    Finding::Looking { done, total } => Some(view! {
                        <p id="library-finding" class="status" role="status">{format!(
                            "Finding your library's tracks in the catalog: {} of {}…",
                            group_thousands(done),
                            group_thousands(total),
                        )}</p>
                    }.into_any()),
                    Finding::Failed { ids, error } => Some(view! {
                        <div id="library-finding-error" class="load-error" role="alert">
                            <p>{format!("{} of your library's tracks could not be looked up in the catalog: {error}", group_thousands(ids))}</p>
                            <button type="button" id="library-finding-retry" on:click=move |_| library_tracks.retry(libraries)>"Try again"</button>
                        </div>
                    }.into_any()),
                }}
                <OptionsPanel catalog=genres_catalog features options query genre_counts />
                <SpotifyPanel spotify />
                <LookupSettings choice=consent />
            </section>
        </div>
        {analysis.map(|analysis| view! {
            <AnalysisPanel tracks=manifest.tracks as usize analysis features=panel_features guides query show_guides />
        })}
        <footer class="catalog-summary" id="catalog-summary">{summary}</footer>
    }
}
