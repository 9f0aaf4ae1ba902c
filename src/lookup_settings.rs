//! The privacy setting for tracks outside the catalog: whether ReccoBeats may receive a
//! pasted track's id (ask each time, always, never), kept in this browser and revocable.

use leptos::prelude::*;
use moodplane_core::sources::lookup::Consent;

use crate::reccobeats::set_consent;

/// `choice` is shared with the lookup card, so either place shows the other's change.
#[component]
pub fn LookupSettings(choice: RwSignal<Consent>) -> impl IntoView {
    let option = move |value: Consent, id: &'static str, label: &'static str| {
        view! {
            <label for=id>
                <input
                    type="radio"
                    name="reccobeats-consent"
                    id=id
                    prop:checked=move || choice.get() == value
                    on:change=move |_| {
                        set_consent(value);
                        choice.set(value);
                    }
                />
                {label}
            </label>
        }
    };
    view! {
        <details class="lookup-settings" id="lookup-settings">
            <summary>"Lookups outside the catalog"</summary>
            <fieldset>
                <legend>"May ReccoBeats, a free third-party service, receive the id of a pasted track that is not in the catalog, to give its mood?"</legend>
                {option(Consent::Ask, "consent-setting-ask", "Ask me each time")}
                {option(Consent::Always, "consent-setting-always", "Always ask ReccoBeats")}
                {option(Consent::Never, "consent-setting-never", "Never ask ReccoBeats")}
            </fieldset>
            <p class="hint">"Kept in this browser only. ReccoBeats receives only the track's id (and, like any website, your IP address); the rest of the page never leaves your browser."</p>
        </details>
    }
}
