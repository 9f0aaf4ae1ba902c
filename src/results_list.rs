//! The ordered list of matches: rank, track, artist, genre (and popularity when known),
//! distance and a Spotify link. A row is selected (for the player) by a click, a tap, or
//! Enter/Space on the focused row; Up/Down move the focus through the rows (one Tab stop
//! for the whole list). There is one row per rank, kept while the point moves: a row
//! whose track changes rewrites its texts, one that keeps it only its distance, so a drag
//! adds and removes no elements. A row's link and add button take their spoken names from
//! its own name and artist (`aria-labelledby`, with the words kept once for the list), so
//! a new track costs no extra strings.

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
    view! {
        <ol id="results" class="results" aria-labelledby="results-heading" on:keydown=on_key_down>
            <For
                each=move || 0..matches.with(Vec::len)
                key=|rank| *rank
                children=move |rank| view! {
                    <ResultRow rank listed mine matches selected crate_list query distance_title />
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
        {move || matches.with(Vec::is_empty).then(|| view! {
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
    fn of(listed: &Listed, mine: Option<&TrackSet>, index: usize) -> RowTrack {
        let Listed {
            catalog,
            ranker,
            mine: listing_mine,
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
            // Marked as the person's own (every track is, when only theirs are listed).
            is_mine: *listing_mine || mine.is_some_and(|set| set.contains(index)),
        }
    }
}

/// The row at `rank`: its track's texts follow the track at that rank, its distance the
/// match.
#[component]
fn ResultRow(
    rank: usize,
    listed: Memo<Listed>,
    mine: Memo<Option<TrackSet>>,
    matches: Memo<Vec<Match>>,
    selected: RwSignal<Option<usize>>,
    crate_list: RwSignal<Crate>,
    query: RwSignal<Query>,
    distance_title: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
) -> impl IntoView {
    // The match at this rank; the row outlives it by a moment when the list shortens.
    let current = move || matches.with(|all| all.get(rank).copied());
    // The track's number alone first: a move that keeps this rank's track (over a loaded
    // catalog) then builds no texts at all.
    let row_index = Memo::new(move |_| current().map(|m| m.index));
    let track = Memo::new(move |_| {
        let index = row_index.get()?;
        // The catalog is followed too: a new list of other tracks can have equal matches
        // (a tiled list numbers its tracks 0, 1, … afresh, and where many tracks share a
        // mood every distance is 0), and it must still show its own tracks.
        Some(listed.with(|l| mine.with(|set| RowTrack::of(l, set.as_ref(), index))))
    });
    let text = move |read: fn(&RowTrack) -> String| {
        move || track.with(|t| t.as_ref().map(read).unwrap_or_default())
    };
    let index = move || row_index.get();
    let is_selected = move || selected.get().is_some_and(|s| Some(s) == index());
    let is_mine = move || track.with(|t| t.as_ref().is_some_and(|t| t.is_mine));
    let popularity = move || track.with(|t| t.as_ref().and_then(|t| t.popularity));
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
            tabindex=if rank == 0 { "0" } else { "-1" }
            class:selected=is_selected
            aria-current=move || is_selected().then_some("true")
            on:click=move |_| selected.set(index())
            data-track-id=text(|t| t.id.to_string())
            data-distance=move || current().map(|m| m.distance.to_string())
            data-genre=text(|t| t.genre.clone())
            data-popularity=move || popularity().map(|p| p.to_string())
            data-mine=move || is_mine().then_some("true")
        >
            <span class="rank">{rank + 1}</span>
            <span class="track">
                <span class="name" id=name_id>{text(|t| t.name.clone())}</span>
                {move || is_mine().then(|| view! { <span class="mine-badge">"★ in your library"</span> })}
                <span class="artist" id=artist_id>{text(|t| t.artist.clone())}</span>
            </span>
            <span class="genre">
                {text(|t| t.genre.clone())}
                {move || popularity().map(|p| format!(" · popularity {p:.0}"))}
            </span>
            <span class="distance" title=distance_title>
                {move || current().map(|m| format!("{:.3}", m.distance))}
            </span>
            <a class="open" href=text(|t| t.id.open_url()) target="_blank" rel="noopener noreferrer"
                aria-labelledby=link_name>"Open"</a>
            <button type="button" class="add-to-crate" aria-labelledby=add_name
                disabled=move || track.with(|t| t.as_ref().is_some_and(|t| crate_list.with(|c| c.contains(&t.id))))
                on:click=add>"+"</button>
        </li>
    }
}
