//! The paste box: a Spotify track link becomes the query; a bad one gets the parser's
//! specific message and the typed text stays where it is.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::{Catalog, Query};
use wasm_bindgen::JsCast;
use web_sys::{Event, InputEvent};

#[component]
pub fn PasteBox(catalog: Arc<Catalog>, query: RwSignal<Query>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let look_up = move || match Query::from_pasted(&catalog, &text.get_untracked()) {
        Ok(found) => {
            query.set(found);
            message.set(None);
        }
        Err(error) => message.set(Some(error.to_string())),
    };
    let look_up_on_submit = look_up.clone();
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
                />
                <button type="submit">"Find matches"</button>
            </div>
            <p id="link-message" class="field-message" role="alert">{move || message.get()}</p>
        </form>
    }
}
