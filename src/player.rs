//! The player: Spotify's embed for the selected result (no login; Spotify plays a preview,
//! or the whole track for a person logged in to Spotify in this browser), one at a time,
//! with links to open the track on the web or in the desktop app.

use leptos::prelude::*;

use crate::libraries::Listed;

/// The embed player's origin; the page's CSP allows exactly this `frame-src`.
pub const EMBED_ORIGIN: &str = "https://open.spotify.com";

#[component]
pub fn Player(listed: Memo<Listed>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    // The player is built when a track is first selected and then only updated: choosing
    // another track changes the frame's address in place rather than making a new frame.
    let shown = Memo::new(move |_| selected.get().is_some());
    let track = Memo::new(move |_| {
        // An index from before the listed catalog changed may be out of range until the
        // explorer clears the selection.
        selected.get().and_then(|index| {
            listed.with(|l| {
                (index < l.catalog.len()).then(|| {
                    let t = l.catalog.track(index);
                    (t.id.clone(), format!("{} — {}", t.name, t.artist))
                })
            })
        })
    });
    let id = move || track.with(|t| t.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default());
    let label = move || {
        track.with(|t| {
            t.as_ref()
                .map(|(_, label)| label.clone())
                .unwrap_or_default()
        })
    };
    move || {
        shown.get().then(|| {
            view! {
                <aside class="player" id="player" aria-label="Player">
                    <iframe
                        id="player-frame"
                        title=move || format!("Spotify player: {}", label())
                        src=move || format!("{EMBED_ORIGIN}/embed/track/{}", id())
                        width="100%"
                        height="152"
                        allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture"
                    ></iframe>
                    <p class="player-links">
                        <a href=move || track.with(|t| t.as_ref().map(|(id, _)| id.open_url())) target="_blank" rel="noopener noreferrer">"Open in Spotify"</a>
                        " · "
                        <a href=move || format!("spotify:track:{}", id())>"Open in the Spotify app"</a>
                        " · "
                        <button type="button" id="player-close" on:click=move |_| selected.set(None)>"Close player"</button>
                    </p>
                </aside>
            }
        })
    }
}
