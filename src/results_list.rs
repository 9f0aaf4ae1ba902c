//! The ordered list of matches: rank, track, artist, genre (and popularity when known),
//! distance and a Spotify link. A row is selected (for the player) by a click, a tap, or
//! Enter/Space on the focused row; Up/Down move the focus through the rows (one Tab stop
//! for the whole list).

use leptos::prelude::*;
use moodplane_core::export::rows_of_matches;
use moodplane_core::features::Feature;
use moodplane_core::rank_options::{RankOptions, TrackSet};
use moodplane_core::track_crate::{Crate, CrateEntry};
use moodplane_core::Match;
use moodplane_core::Query;
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
                // The catalog is followed too: a new list of other tracks can have equal
                // matches (a tiled list numbers its tracks 0, 1, … afresh, and where many
                // tracks share a mood every distance is 0), and it must still be shown.
                each=move || {
                    listed.track();
                    matches.get().into_iter().enumerate()
                }
                // A row is rebuilt only when its rank or track (or the catalog it comes
                // from) changed; while the point moves, a row that keeps its track only
                // updates its distance. The track is named by its id: a tiled catalog's
                // list numbers its tracks afresh each time, so an index alone can repeat
                // (at one rank it is the same: such a list numbers its tracks by rank).
                key=move |(rank, m)| (
                    *rank,
                    listed.with_untracked(|l| l.catalog.track(m.index).id.clone()),
                    listed.with_untracked(|l| l.mine),
                )
                children=move |(rank, m)| {
                    let Listed { catalog, ranker, mine: listing_mine } = listed.get_untracked();
                    let has_popularity = ranker.features.has(Feature::Popularity);
                    // Marked as the person's own (every track is, when only theirs are listed).
                    let is_mine = listing_mine
                        || mine.with_untracked(|set| set.as_ref().is_some_and(|set| set.contains(m.index)));
                    let t = catalog.track(m.index);
                    let popularity = catalog.extras(m.index).popularity.filter(|_| has_popularity);
                    let name = if t.name.is_empty() { "(untitled)".to_owned() } else { t.name.to_owned() };
                    // Every row's link reads “Open”; its spoken name says which track it opens.
                    let link_name = format!(" {name} by {} in Spotify", t.artist);
                    let index = m.index;
                    // This rank's match as it is now (its distance follows the point).
                    let current = move || matches.with(|all| all.get(rank).copied()).unwrap_or(m);
                    let in_crate_id = t.id.clone();
                    let add_catalog = catalog.clone();
                    let add = move |ev: web_sys::MouseEvent| {
                        // Adding is not selecting: the row's click stays with the player.
                        ev.stop_propagation();
                        let found_at = query.get_untracked().mood;
                        let now = matches.with_untracked(|all| all.get(rank).copied()).unwrap_or(m);
                        let row = rows_of_matches(&add_catalog, std::slice::from_ref(&now), found_at);
                        crate_list.update(|c| {
                            c.add_all(row.iter().map(CrateEntry::from_row));
                        });
                    };
                    let add_label = format!("Add {name} to the crate");
                    view! {
                        <li
                            tabindex=if rank == 0 { "0" } else { "-1" }
                            class:selected=move || selected.get() == Some(index)
                            aria-current=move || (selected.get() == Some(index)).then_some("true")
                            on:click=move |_| selected.set(Some(index))
                            data-track-id=t.id.to_string()
                            data-distance=move || current().distance.to_string()
                            data-genre=t.genre.to_owned()
                            data-popularity=popularity.map(|p| p.to_string())
                            data-mine=is_mine.then_some("true")
                        >
                            <span class="rank">{rank + 1}</span>
                            <span class="track">
                                <span class="name">{name}</span>
                                {is_mine.then(|| view! { <span class="mine-badge">"★ in your library"</span> })}
                                <span class="artist">{t.artist.to_owned()}</span>
                            </span>
                            <span class="genre">
                                {t.genre.to_owned()}
                                {popularity.map(|p| format!(" · popularity {p:.0}"))}
                            </span>
                            <span class="distance" title=distance_title>{move || format!("{:.3}", current().distance)}</span>
                            <a class="open" href=t.id.open_url() target="_blank" rel="noopener noreferrer">
                                "Open"<span class="visually-hidden">{link_name}</span>
                            </a>
                            <button type="button" class="add-to-crate" aria-label=add_label
                                disabled=move || crate_list.with(|c| c.contains(&in_crate_id))
                                on:click=add>"+"</button>
                        </li>
                    }
                }
            />
        </ol>
        {move || matches.with(Vec::is_empty).then(|| view! {
            <p class="empty" id="results-empty">"No tracks to show: the catalog is empty."</p>
        })}
    }
}
