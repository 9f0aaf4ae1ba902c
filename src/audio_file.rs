//! "Find the mood of an audio file": the person picks a file, is told exactly what will be
//! sent where, confirms, and ReccoBeats analyses its first 30 seconds; the mood found
//! becomes the query. Nothing is sent before the confirmation, and a file over 5 MB is
//! refused before any upload.

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::sources::reccobeats::{
    check_upload_size, parse_file_features, FeaturesOutcome,
};
use moodplane_core::{Mood, Query};
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::lookup::Lookup;
use crate::reccobeats;

#[derive(Debug, Clone, PartialEq)]
enum AudioState {
    Idle,
    Confirm { name: String, megabytes: f64 },
    Sending { name: String },
    Placed { name: String, mood: Mood },
    Failed { name: String, message: String },
}

async fn analyse(file: File) -> Result<Mood, String> {
    let body = reccobeats::analyse_file(&file)
        .await
        .map_err(|e| e.to_string())?;
    match parse_file_features(&body).map_err(|e| e.to_string())? {
        FeaturesOutcome::Found(features) => Ok(features.mood),
        other => Err(other.why_no_mood().unwrap_or_default()),
    }
}

#[component]
pub fn AudioFileBox(query: RwSignal<Query>, lookup: Lookup) -> impl IntoView {
    let state = RwSignal::new(AudioState::Idle);
    let picked = StoredValue::new_local(None::<File>);
    let on_pick = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        let size = file.size();
        match check_upload_size(size) {
            Ok(()) => {
                state.set(AudioState::Confirm {
                    name,
                    megabytes: size / (1024.0 * 1024.0),
                });
                picked.set_value(Some(file));
            }
            Err(problem) => {
                picked.set_value(None);
                state.set(AudioState::Failed {
                    name,
                    message: problem.to_string(),
                });
            }
        }
    };
    let send = move |_| {
        let Some(file) = picked.get_value() else {
            return;
        };
        let name = file.name();
        state.set(AudioState::Sending { name: name.clone() });
        spawn_local(async move {
            match analyse(file).await {
                Ok(mood) => {
                    lookup.clear();
                    query.set(Query::at(mood));
                    state.set(AudioState::Placed { name, mood });
                }
                Err(message) => state.set(AudioState::Failed { name, message }),
            }
        });
    };
    let cancel = move |_| {
        picked.set_value(None);
        state.set(AudioState::Idle);
    };
    view! {
        <details class="audio-file" id="audio-file">
            <summary>"Find the mood of an audio file"</summary>
            <label for="audio-file-input">"An audio file (MP3, OGG, WAV or AIFF, at most 5 MB)"</label>
            <input id="audio-file-input" type="file" accept="audio/*,.mp3,.ogg,.wav,.aif,.aiff" on:change=on_pick />
            {move || match state.get() {
                AudioState::Idle => ().into_any(),
                AudioState::Confirm { name, megabytes } => view! {
                    <div id="audio-confirm" role="group" aria-labelledby="audio-confirm-question">
                        <p id="audio-confirm-question">{format!("Send “{name}” ({megabytes:.1} MB) to ReccoBeats, a free third-party service? It analyses the first 30 seconds and answers with its mood; nothing else leaves this page.")}</p>
                        <button type="button" id="audio-send" on:click=send>"Send to ReccoBeats"</button>
                        <button type="button" id="audio-cancel" on:click=cancel>"Cancel"</button>
                    </div>
                }.into_any(),
                AudioState::Sending { name } => view! {
                    <p id="audio-status" role="status">{format!("ReccoBeats is analysing “{name}”…")}</p>
                }.into_any(),
                AudioState::Placed { name, mood } => view! {
                    <p id="audio-status" role="status">{format!("“{name}” placed at its mood (from ReccoBeats): valence {:.3}, energy {:.3}.", mood.valence, mood.energy)}</p>
                }.into_any(),
                AudioState::Failed { name, message } => view! {
                    <p id="audio-message" class="field-message" role="alert">{format!("“{name}”: {message}")}</p>
                }.into_any(),
            }}
        </details>
    }
}
