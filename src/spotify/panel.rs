//! The Spotify box: who is logged in, log in / log out, login problems in words, and the
//! settings for people hosting their own copy (client ID, the redirect URI to register).

use leptos::prelude::*;

use super::config::{client_id, redirect_uri};
use super::login_status::{LoginStatus, SpotifyContext};
use crate::storage::{local_set, CLIENT_ID_KEY};
use moodplane_core::spotify::oauth::ClientId;

#[component]
pub fn SpotifyPanel(spotify: SpotifyContext) -> impl IntoView {
    let client_id_text = RwSignal::new(client_id());
    let saved_note = RwSignal::new(None::<String>);
    let save_client_id = move |_| {
        let entered = client_id_text.get_untracked();
        if entered.trim().is_empty() {
            local_set(CLIENT_ID_KEY, "");
            saved_note.set(Some(
                "Cleared: the next login uses this page's built-in client ID, if it has one."
                    .to_owned(),
            ));
            return;
        }
        match ClientId::parse(&entered) {
            Ok(id) => {
                local_set(CLIENT_ID_KEY, id.as_str());
                saved_note.set(Some(
                    "Saved in this browser; the next login uses it.".to_owned(),
                ));
            }
            // The text stays in the box to be corrected.
            Err(problem) => saved_note.set(Some(problem.to_string())),
        }
    };
    let status_line = move || {
        match spotify.status.get() {
        LoginStatus::LoggedOut => view! {
            <p id="spotify-status">"Not logged in. Everything works without Spotify; a login only looks up pasted tracks that are not in the catalog."</p>
            <button type="button" id="spotify-login" on:click=move |_| spotify.log_in(None)>"Log in with Spotify"</button>
        }.into_any(),
        LoginStatus::Completing => view! {
            <p id="spotify-status">"Finishing the Spotify login…"</p>
        }.into_any(),
        LoginStatus::LoggedIn { name } => view! {
            <p id="spotify-status">
                {format!("Logged in to Spotify as {}.", name.unwrap_or_else(|| "…".to_owned()))}
            </p>
            <button type="button" id="spotify-logout" on:click=move |_| spotify.log_out()>"Log out"</button>
        }.into_any(),
    }
    };
    view! {
        <section class="spotify-panel" aria-labelledby="spotify-heading">
            <h2 id="spotify-heading">"Spotify"</h2>
            {status_line}
            <p id="spotify-message" class="field-message" role="alert">{move || spotify.message.get()}</p>
            <details class="spotify-settings" id="spotify-settings">
                <summary>"Spotify settings"</summary>
                <label for="client-id">"Client ID of your Spotify app"</label>
                <div class="paste-row">
                    <input
                        id="client-id"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || client_id_text.get()
                        on:input=move |ev| client_id_text.set(event_target_value(&ev))
                    />
                    <button type="button" id="save-client-id" on:click=save_client_id>"Save"</button>
                </div>
                <p class="hint" id="client-id-note" role="status">{move || saved_note.get()}</p>
                <p class="hint">
                    "Register this exact redirect URI in the Spotify developer dashboard: "
                    <code id="redirect-uri">{redirect_uri()}</code>
                    ". Spotify accepts http only for loopback addresses such as 127.0.0.1 (not “localhost”); anything else needs https. A client ID is public; no client secret is ever needed or asked for."
                </p>
            </details>
        </section>
    }
}
