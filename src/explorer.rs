//! The working page once a catalog is loaded: owns the query and match count, derives the
//! ranking, and lays out the plane, the paste box, the count picker and the results.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::{group_thousands, nearest, Catalog, Query};

use crate::count_picker::CountPicker;
use crate::paste_box::PasteBox;
use crate::plot::PlotView;
use crate::results_list::ResultsList;
use crate::url_sync;

#[component]
pub fn Explorer(catalog: Arc<Catalog>) -> impl IntoView {
    let (initial, url_notices) = url_sync::read_view_state();
    let (initial_query, track_notice) = Query::from_view_state(&catalog, &initial);
    let notices: Vec<String> = url_notices
        .iter()
        .map(ToString::to_string)
        .chain(track_notice)
        .collect();

    let query = RwSignal::new(initial_query);
    let count = RwSignal::new(initial.count);
    let ranked_catalog = catalog.clone();
    // Recomputed only when the query or the count changes; equal results notify no one.
    let matches = Memo::new(move |_| {
        let q = query.get();
        nearest(ranked_catalog.moods(), q.mood, count.get(), q.track)
    });
    url_sync::keep_url_current(catalog.clone(), query, count);

    let track_catalog = catalog.clone();
    let query_track = move || {
        query.get().track.map(|index| {
            let t = track_catalog.track(index);
            let name = if t.name.is_empty() { "(untitled)".to_owned() } else { t.name.to_owned() };
            view! {
                <p id="query-track" class="query-track">
                    "Query track: " <strong>{name}</strong> " — " {t.artist.to_owned()}
                    <span class="genre">{format!(" · {}", t.genre)}</span>
                    " (not listed among its own matches) "
                    <a href=t.id.open_url() target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                </p>
            }
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
    let summary = format!(
        "{} tracks by {} artists · {}",
        group_thousands(catalog.len()),
        group_thousands(catalog.artist_count()),
        catalog.source()
    );

    view! {
        {(!notices.is_empty()).then(|| view! {
            <ul id="notices" class="notices" role="status">
                {notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        })}
        <div class="explorer">
            <section class="plane-column" aria-label="Mood plane">
                <PlotView catalog=catalog.clone() query matches />
                <p id="query-text" class="query-text" aria-live="polite">{query_text}</p>
                {query_track}
            </section>
            <section class="side-column" aria-label="Find and list matches">
                <PasteBox catalog=catalog.clone() query />
                <CountPicker count />
                <h2 id="results-heading">"Nearest in mood"</h2>
                <ResultsList catalog matches />
            </section>
        </div>
        <footer class="catalog-summary" id="catalog-summary">{summary}</footer>
    }
}
