//! The journey controls: the named journeys, a journey between two pasted tracks, the
//! number of stops, artist spacing, and undo/clear for the drawn path. The path itself
//! is drawn on the plane (plot/mod.rs); the rule lives in the core. Over a catalog read
//! tile by tile, the two tracks are found through its id shards.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::journey::{MAX_ARTIST_GAP, MIN_ARTIST_GAP};
use moodplane_core::journey_path::{
    end_ids, journey_presets, parse_stops, path_between_found, path_between_tracks, MoodPath,
    TiledEndError, MAX_STOPS, MAX_VERTICES, MIN_STOPS,
};
use moodplane_core::Catalog;

use crate::find_state::FindControls;
use crate::tiled::store::TileStore;

/// Where a journey's two pasted tracks are looked for.
#[derive(Clone)]
pub enum TrackEnds {
    /// A catalog held whole.
    Catalog(Arc<Catalog>),
    /// A catalog read tile by tile: its id shards.
    Tiles(TileStore),
}

/// The straight path between the two tracks, found through the id shards (both ends'
/// shards read side by side).
async fn path_over_tiles(
    store: TileStore,
    start: String,
    finish: String,
) -> Result<MoodPath, TiledEndError> {
    let ids = end_ids(&start, &finish).map_err(TiledEndError::Placed)?;
    // One answer per id, in their order.
    let mut moods = store.locate_many(&ids).await.into_iter().map(|answer| {
        answer
            .map(|found| found.map(|located| located.mood))
            .map_err(|error| error.to_string())
    });
    let found = [(); 2].map(|()| moods.next().unwrap_or(Ok(None)));
    path_between_found(&ids, found, store.manifest().tracks as usize)
}

#[component]
pub fn JourneyPanel(
    find: FindControls,
    /// Where "between two tracks" looks for them.
    ends: TrackEnds,
) -> impl IntoView {
    let FindControls {
        path: vertices,
        stops,
        artist_gap,
        ..
    } = find;
    let stops_message = RwSignal::new(None::<String>);
    let ends_message = RwSignal::new(None::<String>);
    let start_text = RwSignal::new(String::new());
    let finish_text = RwSignal::new(String::new());

    let on_stops = move |ev| match parse_stops(&event_target_value(&ev)) {
        Ok(n) => {
            stops.set(n);
            stops_message.set(None);
        }
        Err(error) => stops_message.set(Some(error.to_string())),
    };
    let on_gap = move |ev| {
        artist_gap.set(event_target_value(&ev).parse::<usize>().ok());
    };
    let show_path = move |path: Result<MoodPath, String>| match path {
        Ok(path) => {
            vertices.set(path.vertices().to_vec());
            ends_message.set(None);
        }
        // The typed links stay in their fields.
        Err(error) => ends_message.set(Some(error)),
    };
    let walk_between = move |ends: &TrackEnds| {
        let (start, finish) = (start_text.get_untracked(), finish_text.get_untracked());
        match ends {
            TrackEnds::Catalog(catalog) => {
                show_path(path_between_tracks(catalog, &start, &finish).map_err(|e| e.to_string()))
            }
            TrackEnds::Tiles(store) => {
                let store = *store;
                ends_message.set(Some("Looking for both tracks in the catalog…".to_owned()));
                spawn_local(async move {
                    let path = path_over_tiles(store, start, finish).await;
                    show_path(path.map_err(|e| e.to_string()));
                });
            }
        }
    };
    let path_status = move || {
        let count = vertices.with(Vec::len);
        match count {
            0 => "No path yet: draw one on the plane, or pick a journey below.".to_owned(),
            1 => "1 point: add at least one more.".to_owned(),
            n => format!("Path of {n} points (at most {MAX_VERTICES})."),
        }
    };
    let gap_options = move || {
        (MIN_ARTIST_GAP..=MAX_ARTIST_GAP)
            .map(|k| {
                view! { <option value=k.to_string() selected=move || artist_gap.get() == Some(k)>{format!("no artist twice within {k} tracks")}</option> }
            })
            .collect_view()
    };

    view! {
            <section class="journey-panel" id="journey-panel" aria-label="Journey">
                <p class="hint">
                    "Draw on the plane: press and drag for a freehand line (it is smoothed to at most "
                    {MAX_VERTICES} " points, drawn as used), or click points one by one. "
                    "With the keyboard: arrows move the cursor, Enter adds a point, Backspace removes the last."
                </p>
                <p id="journey-status" class="journey-status" aria-live="polite">{path_status}</p>
                <div class="journey-presets" role="group" aria-label="Named journeys">
                    {journey_presets()
                        .into_iter()
                        .map(|preset| view! {
                            <button type="button" class="preset" data-journey=preset.name
                                on:click=move |_| vertices.set(preset.path().vertices().to_vec())>
                                {preset.name}
                            </button>
                        })
                        .collect_view()}
                </div>
                <div class="journey-actions">
                    <button type="button" id="journey-undo" disabled=move || vertices.with(Vec::is_empty)
                        on:click=move |_| vertices.update(|v| { v.pop(); })>"Undo last point"</button>
                    <button type="button" id="journey-clear" disabled=move || vertices.with(Vec::is_empty)
                        on:click=move |_| vertices.set(Vec::new())>"Clear path"</button>
                </div>
                <details class="journey-ends">
                    <summary>"Between two tracks"</summary>
                    <label for="journey-start">"Start (a Spotify track link)"</label>
                    <input id="journey-start" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || start_text.get() on:input=move |ev| start_text.set(event_target_value(&ev)) />
                    <label for="journey-finish">"End (a Spotify track link)"</label>
                    <input id="journey-finish" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || finish_text.get() on:input=move |ev| finish_text.set(event_target_value(&ev)) />
                    <button type="button" id="journey-between" on:click=move |_| walk_between(&ends)>"Walk from start to end"</button>
                    <p id="journey-ends-message" class="field-message" role="alert">{move || ends_message.get()}</p>
                </details>
                <div class="journey-settings">
                    <label for="journey-stops">{format!("Stops ({MIN_STOPS}–{MAX_STOPS})")}</label>
                    <input id="journey-stops" type="number" min=MIN_STOPS.to_string() max=MAX_STOPS.to_string() step="1"
                        aria-describedby="journey-stops-message" value=stops.get_untracked() on:input=on_stops />
                    <p id="journey-stops-message" class="field-message" role="alert">{move || stops_message.get()}</p>
                    <label for="journey-gap">"Artist spacing"</label>
                    <select id="journey-gap" on:change=on_gap>
                        <option value="" selected=move || artist_gap.get().is_none()>"none"</option>
                        {gap_options()}
                    </select>
                </div>
            </section>
    }
}
