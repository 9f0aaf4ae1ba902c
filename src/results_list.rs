//! The ordered list of matches: rank, track, artist, genre (and popularity when known),
//! distance and a Spotify link. A row is selected (for the player) by a click, a tap, or
//! Enter/Space on the focused row; Up/Down move the focus through the rows (one Tab stop
//! for the whole list). There is one row per rank, kept while the point moves: a row
//! whose track changes rewrites its texts, one that keeps it only its distance, so a drag
//! adds and removes no elements. One effect writes every row (what differs from what it
//! wrote last), so a move costs the list one effect, not several per row. A row's link
//! and add button take their spoken names from its own name and artist
//! (`aria-labelledby`, with the words kept once for the list), so a new track costs no
//! extra strings.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::export::rows_of_matches;
use moodplane_core::features::Feature;
use moodplane_core::rank_options::{RankOptions, TrackSet};
use moodplane_core::track_crate::{Crate, CrateEntry};
use moodplane_core::{Match, Query, TrackId};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::libraries::Listed;

#[component]
pub fn ResultsList(
    /// The catalog the matches index (the loaded one, or the person's libraries).
    listed: Memo<Listed>,
    /// The loaded catalog's tracks that are in the person's libraries, to mark.
    mine: Memo<Option<TrackSet>>,
    matches: Memo<Vec<Match>>,
    options: RwSignal<RankOptions>,
    selected: RwSignal<Option<usize>>,
    crate_list: RwSignal<Crate>,
    query: RwSignal<Query>,
    /// Whether the list is still on its way (a tiled catalog's first tiles): nothing is
    /// said of an empty list until it has come.
    #[prop(optional, into)]
    pending: Option<Signal<bool>>,
) -> impl IntoView {
    // Up/Down move the focus to the neighbouring row; Enter/Space select the focused one.
    let on_key_down = move |ev: KeyboardEvent| {
        let Some(row) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
            .filter(|el| el.tag_name() == "LI")
        else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowDown" => row.next_element_sibling(),
            "ArrowUp" => row.previous_element_sibling(),
            "Enter" | " " => {
                ev.prevent_default();
                row.click();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        // Rows other than the first are focusable without being Tab stops (tabindex -1).
        if let Some(next) = next.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            let _ = next.focus();
        }
    };
    let distance_title = move || {
        if options.with(|o| o.z_score) {
            "Distance in standard deviations"
        } else {
            "Distance on the plane"
        }
    };
    // Every row on the page, by rank, with what was last written into it; a row joins
    // when it is built (and `mounted` moves), leaves when the list shortens.
    let rows = StoredValue::new(Vec::<Option<MountedRow>>::new());
    let mounted = RwSignal::new(0u32);
    Effect::new(move |_| {
        mounted.track();
        let is_selected = selected.get();
        matches.with(|all| {
            listed.with(|listed| {
                mine.with(|set| {
                    crate_list.with(|collected| {
                        rows.update_value(|rows| {
                            for (rank, row) in rows.iter_mut().enumerate() {
                                let Some(row) = row else { continue };
                                let now = all.get(rank).copied();
                                row.show(now, listed, set.as_ref(), collected, is_selected);
                            }
                        })
                    })
                })
            })
        });
    });
    view! {
        <ol id="results" class="results" aria-labelledby="results-heading" on:keydown=on_key_down>
            <For
                each=move || 0..matches.with(Vec::len)
                key=|rank| *rank
                children=move |rank| view! {
                    <ResultRow rank listed matches selected crate_list query distance_title rows mounted />
                }
            />
        </ol>
        // The words of the rows' spoken names, once for the whole list.
        <div hidden>
            <span id="results-word-open">"Open"</span>
            <span id="results-word-by">"by"</span>
            <span id="results-word-in-spotify">"in Spotify"</span>
            <span id="results-word-add">"Add"</span>
            <span id="results-word-to-crate">"to the crate"</span>
        </div>
        {move || (matches.with(Vec::is_empty) && !pending.is_some_and(|p| p.get())).then(|| view! {
            <p class="empty" id="results-empty">"No tracks to show: the catalog is empty."</p>
        })}
    }
}

/// What a row shows of its track: it changes only when another track takes the rank (or
/// the person's library marks it), not while the point moves.
#[derive(Clone, PartialEq)]
struct RowTrack {
    id: TrackId,
    name: String,
    artist: String,
    genre: String,
    popularity: Option<f64>,
    is_mine: bool,
}

impl RowTrack {
    /// Whether track `index` of `listed` is marked as the person's own (every track is,
    /// when only theirs are listed).
    fn is_mine(listed: &Listed, mine: Option<&TrackSet>, index: usize) -> bool {
        listed.mine || mine.is_some_and(|set| set.contains(index))
    }

    fn of(listed: &Listed, mine: Option<&TrackSet>, index: usize) -> RowTrack {
        let Listed {
            catalog, ranker, ..
        } = listed;
        let t = catalog.track(index);
        RowTrack {
            id: t.id.clone(),
            name: t.shown_name().to_owned(),
            artist: t.artist.to_owned(),
            genre: t.genre.to_owned(),
            popularity: catalog
                .extras(index)
                .popularity
                .filter(|_| ranker.features.has(Feature::Popularity)),
            is_mine: RowTrack::is_mine(listed, mine, index),
        }
    }

    /// The genre cell: the genre, and the popularity when it is known.
    fn genre_text(&self) -> String {
        moodplane_core::catalog::genre_cell(&self.genre, self.popularity)
    }
}

/// The cells a row writes itself, found once when the row is built.
#[derive(Clone)]
struct RowCells {
    row: HtmlElement,
    name: HtmlElement,
    artist: HtmlElement,
    badge: HtmlElement,
    genre: HtmlElement,
    distance: HtmlElement,
    link: HtmlElement,
    add: HtmlElement,
}

impl RowCells {
    fn of(row: HtmlElement) -> Option<RowCells> {
        let cell = |selector: &str| {
            row.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
        };
        Some(RowCells {
            name: cell(".name")?,
            artist: cell(".artist")?,
            badge: cell(".mine-badge")?,
            genre: cell(".genre")?,
            distance: cell(".distance")?,
            link: cell(".open")?,
            add: cell(".add-to-crate")?,
            row,
        })
    }

    /// Writes what differs between the track shown (`was`) and the one to show.
    fn show_track(&self, was: Option<&RowTrack>, now: Option<&RowTrack>) {
        // A field differs when the two tracks' values do (no track reads as empty); only
        // what differs is built and written.
        let differs = |read: fn(&RowTrack) -> &str| was.map_or("", read) != now.map_or("", read);
        let text_of = |read: fn(&RowTrack) -> &str| now.map_or("", read);
        if was.map(|t| &t.id) != now.map(|t| &t.id) {
            let id = now.map(|t| t.id.to_string()).unwrap_or_default();
            set_or_remove(&self.row, "data-track-id", Some(&id));
            let href = now.map(|t| t.id.open_url()).unwrap_or_default();
            set_or_remove(&self.link, "href", Some(&href));
        }
        if differs(|t| &t.name) {
            write_text(&self.name, text_of(|t| &t.name));
        }
        if differs(|t| &t.artist) {
            write_text(&self.artist, text_of(|t| &t.artist));
        }
        let popularity = |t: Option<&RowTrack>| t.and_then(|t| t.popularity);
        let popularity_differs = popularity(was) != popularity(now);
        if differs(|t| &t.genre) {
            set_or_remove(&self.row, "data-genre", Some(text_of(|t| &t.genre)));
        }
        if popularity_differs {
            let shown = popularity(now).map(|p| p.to_string());
            set_or_remove(&self.row, "data-popularity", shown.as_deref());
        }
        if differs(|t| &t.genre) || popularity_differs {
            write_text(
                &self.genre,
                &now.map(RowTrack::genre_text).unwrap_or_default(),
            );
        }
        let is_mine = now.is_some_and(|t| t.is_mine);
        if was.is_some_and(|t| t.is_mine) != is_mine || was.is_none() {
            self.show_mine(is_mine);
        }
    }

    /// Marks the row as the person's own, or not.
    fn show_mine(&self, is_mine: bool) {
        set_or_remove(&self.row, "data-mine", is_mine.then_some("true"));
        self.badge.set_hidden(!is_mine);
    }
}

/// Sets an attribute to `value`, or removes it when there is none.
fn set_or_remove(el: &HtmlElement, attribute: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            let _ = el.set_attribute(attribute, value);
        }
        None => {
            let _ = el.remove_attribute(attribute);
        }
    }
}

/// Replaces an element's text, keeping its one text node (as a reactive text does).
fn write_text(el: &HtmlElement, text: &str) {
    match el.first_child() {
        Some(node) if node.node_type() == web_sys::Node::TEXT_NODE => {
            node.set_node_value(Some(text))
        }
        _ => el.set_text_content(Some(text)),
    }
}

/// A row on the page: its cells, and what the list's effect last wrote into them.
struct MountedRow {
    cells: RowCells,
    track: Option<RowTrack>,
    /// Where `track` was read: its index, in which catalog and ranker. A move that keeps
    /// the row's track (over a loaded catalog) builds none of its texts again.
    source: Option<(usize, Listed)>,
    added: Option<bool>,
    distance: String,
    selected: Option<bool>,
}

impl MountedRow {
    /// Writes the row for the match at its rank (`None`: the row is about to go), each
    /// cell only when it differs from what it shows.
    fn show(
        &mut self,
        now: Option<Match>,
        listed: &Listed,
        mine: Option<&TrackSet>,
        collected: &Crate,
        selected: Option<usize>,
    ) {
        let same_track = now
            .zip(self.source.as_ref())
            .is_some_and(|(m, (index, from))| {
                m.index == *index
                    && Arc::ptr_eq(&from.catalog, &listed.catalog)
                    && Arc::ptr_eq(&from.ranker, &listed.ranker)
            });
        match (same_track, self.track.as_mut(), now) {
            // Only whether it is the person's can have changed.
            (true, Some(shown), Some(m)) => {
                let is_mine = RowTrack::is_mine(listed, mine, m.index);
                if shown.is_mine != is_mine {
                    shown.is_mine = is_mine;
                    self.cells.show_mine(is_mine);
                }
            }
            _ => {
                let track = now.map(|m| RowTrack::of(listed, mine, m.index));
                if track != self.track {
                    self.cells.show_track(self.track.as_ref(), track.as_ref());
                    self.track = track;
                }
                self.source = now.map(|m| (m.index, listed.clone()));
            }
        }
        let added = self
            .track
            .as_ref()
            .is_some_and(|t| collected.contains(&t.id));
        if self.added != Some(added) {
            set_or_remove(&self.cells.add, "disabled", added.then_some(""));
            self.added = Some(added);
        }
        let distance = now.map(|m| m.distance.to_string()).unwrap_or_default();
        if distance != self.distance {
            set_or_remove(
                &self.cells.row,
                "data-distance",
                now.is_some().then_some(&distance),
            );
            let shown = now
                .map(|m| format!("{:.3}", m.distance))
                .unwrap_or_default();
            write_text(&self.cells.distance, &shown);
            self.distance = distance;
        }
        let is_selected = selected.is_some_and(|s| Some(s) == now.map(|m| m.index));
        if self.selected != Some(is_selected) {
            set_or_remove(&self.cells.row, "class", is_selected.then_some("selected"));
            set_or_remove(
                &self.cells.row,
                "aria-current",
                is_selected.then_some("true"),
            );
            self.selected = Some(is_selected);
        }
    }
}

/// The row at `rank`: its markup and its two buttons. The list's one effect writes its
/// cells (the track at that rank, its distance, whether it is selected or in the crate);
/// the row joins that effect's rows once built, and leaves them when it goes.
#[component]
fn ResultRow(
    rank: usize,
    listed: Memo<Listed>,
    matches: Memo<Vec<Match>>,
    selected: RwSignal<Option<usize>>,
    crate_list: RwSignal<Crate>,
    query: RwSignal<Query>,
    distance_title: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
    rows: StoredValue<Vec<Option<MountedRow>>>,
    mounted: RwSignal<u32>,
) -> impl IntoView {
    let row_ref = NodeRef::<leptos::html::Li>::new();
    Effect::new(move |joined: Option<bool>| {
        if joined == Some(true) {
            return true;
        }
        let Some(cells) = row_ref.get().and_then(|li| RowCells::of(li.into())) else {
            return false;
        };
        rows.update_value(|rows| {
            if rows.len() <= rank {
                rows.resize_with(rank + 1, || None);
            }
            rows[rank] = Some(MountedRow {
                cells,
                track: None,
                source: None,
                added: None,
                distance: String::new(),
                selected: None,
            });
        });
        mounted.update(|n| *n += 1);
        true
    });
    on_cleanup(move || {
        rows.try_update_value(|rows| {
            if let Some(row) = rows.get_mut(rank) {
                *row = None;
            }
        });
    });
    let add = move |ev: web_sys::MouseEvent| {
        // Adding is not selecting: the row's click stays with the player.
        ev.stop_propagation();
        let Some(now) = matches.with_untracked(|all| all.get(rank).copied()) else {
            return;
        };
        let found_at = query.get_untracked().mood;
        let row = listed
            .with_untracked(|l| rows_of_matches(&l.catalog, std::slice::from_ref(&now), found_at));
        crate_list.update(|c| {
            c.add_all(row.iter().map(CrateEntry::from_row));
        });
    };
    // The link reads “Open N by A in Spotify”, the button “Add N to the crate”, from the
    // row's own name and artist: nothing to write when the track changes.
    let name_id = format!("results-{rank}-name");
    let artist_id = format!("results-{rank}-artist");
    let link_name =
        format!("results-word-open {name_id} results-word-by {artist_id} results-word-in-spotify");
    let add_name = format!("results-word-add {name_id} results-word-to-crate");
    view! {
        <li
            node_ref=row_ref
            tabindex=if rank == 0 { "0" } else { "-1" }
            on:click=move |_| selected.set(matches.with_untracked(|all| all.get(rank).map(|m| m.index)))
        >
            <span class="rank">{rank + 1}</span>
            <span class="track">
                <span class="name" id=name_id></span>
                <span class="mine-badge" hidden>"★ in your library"</span>
                <span class="artist" id=artist_id></span>
            </span>
            <span class="genre"></span>
            <span class="distance" title=distance_title></span>
            <a class="open" target="_blank" rel="noopener noreferrer"
                aria-labelledby=link_name>"Open"</a>
            <button type="button" class="add-to-crate" aria-labelledby=add_name
                on:click=add>"+"</button>
        </li>
    }
}
