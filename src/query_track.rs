//! The line under the plane naming the query's own track (a pasted or shared one), with
//! its link; shared by the explorer over a loaded catalog and the one over tiles.

use leptos::prelude::*;
use moodplane_core::catalog::TrackView;

/// The line for track `t`, the query's own.
pub fn query_track_line(t: TrackView<'_>) -> impl IntoView {
    let name = t.shown_name().to_owned();
    view! {
        <p id="query-track" class="query-track">
            "Query track: " <strong>{name}</strong> " — " {t.artist.to_owned()}
            <span class="genre">{format!(" · {}", t.genre)}</span>
            " (not listed among its own matches) "
            <a href=t.id.open_url() target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
        </p>
    }
}
