//! The player: Spotify's embed for the selected result (no login; Spotify plays a preview,
//! or the whole track for a person logged in to Spotify in this browser), one at a time,
//! with links to open the track on the web or in the desktop app.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::Catalog;

/// The embed player's origin; the page's CSP allows exactly this `frame-src`.
pub const EMBED_ORIGIN: &str = "https://open.spotify.com";

#[component]
pub fn Player(catalog: Arc<Catalog>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    move || {
        let index = selected.get()?;
        let track = catalog.track(index);
        let id = track.id.to_string();
        let label = format!("{} — {}", track.name, track.artist);
        Some(view! {
            <aside class="player" id="player" aria-label="Player">
                <iframe
                    id="player-frame"
                    title=format!("Spotify player: {label}")
                    src=format!("{EMBED_ORIGIN}/embed/track/{id}")
                    width="100%"
                    height="152"
                    allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture"
                ></iframe>
                <p class="player-links">
                    <a href=track.id.open_url() target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                    " · "
                    <a href=format!("spotify:track:{id}")>"Open in the Spotify app"</a>
                    " · "
                    <button type="button" id="player-close" on:click=move |_| selected.set(None)>"Close player"</button>
                </p>
            </aside>
        })
    }
}
