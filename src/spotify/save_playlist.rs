//! "Save as Spotify playlist" for a list (the results or the crate): name, description
//! and private/public chosen by the person; the playlist scope is asked for only now,
//! through a fresh login when this one lacks it, and the pending save survives that round
//! trip. A partial failure says how many tracks were added, and Retry adds only the rest.
//! The requests and their order are the core's (`moodplane_core::spotify::playlist`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::export::ExportRow;
use moodplane_core::sources::lookup::MAX_AUTOMATIC_RETRIES;
use moodplane_core::spotify::api::{wait_is_automatic, ApiFailure, Endpoint};
use moodplane_core::spotify::playlist::{
    has_scope, required_scope, PlaylistDraft, PlaylistForm, PlaylistSave, SaveRequest,
};

use super::client;
use super::login_status::{LoginStatus, SpotifyContext};
use super::session::granted_scope;
use crate::storage::{session_set, session_take, PENDING_SAVE_KEY};

/// Where a save stands.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Idle,
    Running(String),
    /// A failure part-way: the save can go on from where it stopped.
    Stopped {
        message: String,
        save: PlaylistSave,
    },
    Done {
        message: String,
        url: Option<String>,
    },
}

/// Runs the save's requests in order until done or a failure (rate limits waited out,
/// at most [`MAX_AUTOMATIC_RETRIES`] times a request).
async fn run_save(mut save: PlaylistSave, state: RwSignal<SaveState>) {
    let mut waits = 0;
    loop {
        state.set(SaveState::Running(save.progress()));
        let result = match save.next_request() {
            SaveRequest::Done => break,
            SaveRequest::Create { body } => {
                client::post(Endpoint::Playlist, "/v1/me/playlists", &body)
                    .await
                    .and_then(|answer| {
                        save.created(&answer)
                            .map_err(|detail| ApiFailure::BadAnswer { detail })
                    })
            }
            SaveRequest::AddItems { path, body, count } => {
                client::post(Endpoint::Playlist, &path, &body)
                    .await
                    .map(|_| save.added_batch(count))
            }
        };
        match result {
            Ok(()) => waits = 0,
            Err(ApiFailure::RateLimited { retry_after_secs })
                if wait_is_automatic(retry_after_secs) && waits < MAX_AUTOMATIC_RETRIES =>
            {
                waits += 1;
                state.set(SaveState::Running(format!(
                    "Spotify asks this page to slow down; going on in {retry_after_secs} s. {}",
                    save.progress()
                )));
                crate::timers::sleep(1000 * retry_after_secs.max(1) as i32).await;
            }
            Err(failure) => {
                let message = format!("{failure} {}", save.progress());
                state.set(SaveState::Stopped { message, save });
                return;
            }
        }
    }
    let url = save.playlist.as_ref().and_then(|p| p.url.clone());
    state.set(SaveState::Done {
        message: save.progress(),
        url,
    });
}

#[component]
pub fn SavePlaylist(
    spotify: SpotifyContext,
    /// The list's rows, read when Save is pressed.
    rows: Signal<Vec<ExportRow>>,
    empty: Signal<bool>,
    /// Read only when saving (not during a drag).
    default_name: Signal<String>,
    /// A link back to the view, for the description.
    view_link: Signal<String>,
    /// `results` or `crate`: which list a pending save belongs to.
    id_prefix: &'static str,
) -> impl IntoView {
    let state = RwSignal::new(SaveState::Idle);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let public = RwSignal::new(false);
    let start = move |save: PlaylistSave| {
        let needed = required_scope(save.draft.public);
        if !spotify.is_logged_in() || !has_scope(&granted_scope(), needed) {
            // Ask for the playlist permission now, and carry on after the login.
            session_set(
                PENDING_SAVE_KEY,
                &format!("{id_prefix}\n{}", save.to_storage()),
            );
            spotify.log_in_with_scope(needed);
            return;
        }
        spawn_local(run_save(save, state));
    };
    let save_now = move |_| {
        let rows = rows.get_untracked();
        let draft = PlaylistDraft::from_form(
            PlaylistForm {
                name: &name.get_untracked(),
                description: &description.get_untracked(),
                public: public.get_untracked(),
            },
            &default_name.get_untracked(),
            &view_link.get_untracked(),
            rows.iter().map(|r| &r.id),
        );
        start(PlaylistSave::new(draft));
    };
    // Back from the login a save asked for: carry on with it, once logged in.
    Effect::new(move |resumed: Option<bool>| {
        if resumed == Some(true) {
            return true;
        }
        if !matches!(spotify.status.get(), LoginStatus::LoggedIn { .. }) {
            return false;
        }
        let Some(pending) = session_take(PENDING_SAVE_KEY) else {
            return true;
        };
        let Some((owner, text)) = pending.split_once('\n') else {
            return true;
        };
        if owner != id_prefix {
            session_set(PENDING_SAVE_KEY, &pending);
            return true;
        }
        if let Some(save) = PlaylistSave::from_storage(text) {
            let needed = required_scope(save.draft.public);
            if has_scope(&granted_scope(), needed) {
                spawn_local(run_save(save, state));
            } else {
                state.set(SaveState::Stopped {
                    message: format!("Spotify did not grant permission to change playlists ({needed}), so nothing was saved. Save again and accept that permission, or use Copy links instead."),
                    save,
                });
            }
        }
        true
    });
    view! {
        <div class="save-playlist-box">
        <details class="save-playlist" id=format!("{id_prefix}-save")>
            <summary>"Save as Spotify playlist"</summary>
            <label for=format!("{id_prefix}-playlist-name")>"Name"</label>
            <input id=format!("{id_prefix}-playlist-name") type="text"
                placeholder="Leave empty for a name from the mood (or “Moodplane crate”)"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev)) />
            <label for=format!("{id_prefix}-playlist-description")>"Description"</label>
            <input id=format!("{id_prefix}-playlist-description") type="text"
                placeholder="Made with Moodplane and a link back to this view"
                prop:value=move || description.get()
                on:input=move |ev| description.set(event_target_value(&ev)) />
            <label for=format!("{id_prefix}-playlist-public")>
                <input id=format!("{id_prefix}-playlist-public") type="checkbox"
                    prop:checked=move || public.get()
                    on:change=move |ev| public.set(event_target_checked(&ev)) />
                " Public (private unless you tick this)"
            </label>
            <button type="button" id=format!("{id_prefix}-save-playlist") disabled=empty on:click=save_now>"Save to Spotify"</button>
            <p class="hint">"Needs a Spotify login with permission to change your playlists; the page asks for it only now."</p>
        </details>
            // Outside the disclosure, so a save resumed after the login is seen.
            {move || match state.get() {
                SaveState::Idle => ().into_any(),
                SaveState::Running(progress) => view! {
                    <p id=format!("{id_prefix}-save-status") role="status">{progress}</p>
                }.into_any(),
                SaveState::Stopped { message, save } => view! {
                    <div role="alert">
                        <p id=format!("{id_prefix}-save-status")>{message}</p>
                        <button type="button" id=format!("{id_prefix}-save-retry") on:click=move |_| start(save.clone())>"Retry"</button>
                    </div>
                }.into_any(),
                SaveState::Done { message, url } => view! {
                    <p id=format!("{id_prefix}-save-status") role="status">
                        {message}" "
                        {url.map(|u| view! { <a href=u target="_blank" rel="noopener noreferrer">"Open the playlist"</a> })}
                    </p>
                }.into_any(),
            }}
        </div>
    }
}
