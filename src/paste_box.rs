//! The paste box: a catalog track's link becomes the query, any other valid track link
//! goes to the Spotify lookup, and a bad one gets the parser's specific message; the
//! typed text always stays where it is. Over a tiled catalog a link is looked up in the
//! catalog's id shards first (one small request), then goes the same way.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::spotify_link::{is_link_block, parse_track_link};
use moodplane_core::{Catalog, PasteError, Query};
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, Event, InputEvent};

use crate::lookup::Lookup;
use crate::pasted_tracks::PastedTracks;
use crate::spotify::login_status::{LoginStatus, SpotifyContext};
use crate::tiled::store::TileStore;

#[component]
pub fn PasteBox(
    catalog: Arc<Catalog>,
    query: RwSignal<Query>,
    lookup: Lookup,
    spotify: SpotifyContext,
    pasted_tracks: PastedTracks,
    /// A tiled catalog's store, when the catalog is tiled (`catalog` then holds no tracks).
    #[prop(optional)]
    tiles: Option<TileStore>,
    /// How many tracks a list shows, over a tiled catalog: the details read with a found
    /// track's tile are those its list likely needs.
    #[prop(optional)]
    count: Option<RwSignal<usize>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let look_up = move || {
        let pasted = text.get_untracked();
        if is_link_block(&pasted) {
            message.set(None);
            lookup.clear();
            pasted_tracks.start(&pasted, &catalog);
            return;
        }
        if let Some(store) = tiles {
            match parse_track_link(&pasted) {
                Ok(id) => {
                    message.set(Some("Finding the track in the catalog…".to_owned()));
                    spawn_local(async move {
                        let listed = count.map_or(0, |c| c.get_untracked());
                        match store.locate(&id, listed).await {
                            Ok(Some(found)) => {
                                query.set(Query {
                                    mood: found.mood,
                                    track: Some(found.index),
                                });
                                message.set(None);
                                lookup.clear();
                            }
                            Ok(None) => {
                                message.set(None);
                                lookup.start(id, pasted);
                            }
                            Err(error) => message.set(Some(error.to_string())),
                        }
                    });
                }
                Err(error) => message.set(Some(PasteError::Link(error).to_string())),
            }
            return;
        }
        match Query::from_pasted(&catalog, &pasted) {
            Ok(found) => {
                query.set(found);
                message.set(None);
                lookup.clear();
            }
            // A valid track outside the catalog: Spotify may know its mood.
            Err(PasteError::NotInCatalog { id, .. }) => {
                message.set(None);
                lookup.start(id, pasted);
            }
            Err(error) => message.set(Some(error.to_string())),
        }
    };
    // Back from a login that a paste asked for: put the text back and carry on (if the
    // login failed, the lookup offers it again; the text is never lost).
    let resume = look_up.clone();
    Effect::new(move |_| {
        if spotify.status.get() == LoginStatus::Completing {
            return;
        }
        if let Some(pasted) = spotify.pending_paste.get() {
            spotify.pending_paste.set(None);
            text.set(pasted);
            resume();
        }
    });
    let look_up_on_submit = look_up.clone();
    let look_up_block = look_up.clone();
    // A block of links (one per line) would lose its line breaks in a one-line box, so a
    // paste of several links is read from the clipboard as it is.
    let on_paste = move |ev: ClipboardEvent| {
        let Some(data) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if is_link_block(&data) {
            ev.prevent_default();
            text.set(data);
            look_up_block();
        }
    };
    let on_input = move |ev: Event| {
        text.set(event_target_value(&ev));
        // A paste is a complete link: look it up at once, no need to press Enter.
        let pasted = ev
            .dyn_ref::<InputEvent>()
            .is_some_and(|input| input.input_type() == "insertFromPaste");
        if pasted {
            look_up();
        }
    };

    view! {
        <form class="paste-box" on:submit=move |ev| {
            ev.prevent_default();
            look_up_on_submit();
        }>
            <label for="track-link">"Spotify track link"</label>
            <div class="paste-row">
                <input
                    id="track-link"
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="https://open.spotify.com/track/…"
                    aria-describedby="link-message"
                    prop:value=move || text.get()
                    on:input=on_input
                    on:paste=on_paste
                />
                <button type="submit">"Find matches"</button>
            </div>
            <p id="link-message" class="field-message" role="alert">{move || message.get()}</p>
        </form>
    }
}
