//! Buttons for named moods (happy, excited, tense, …) that move the point there.

use leptos::prelude::*;
use moodplane_core::presets::presets;
use moodplane_core::Query;

#[component]
pub fn PresetsBar(query: RwSignal<Query>) -> impl IntoView {
    view! {
        <div class="presets" role="group" aria-label="Jump to a mood">
            {presets()
                .into_iter()
                .map(|preset| {
                    view! {
                        <button
                            type="button"
                            class="preset"
                            data-preset=preset.name
                            title=format!("valence {:.3}, energy {:.3}", preset.mood.valence, preset.mood.energy)
                            on:click=move |_| query.set(Query::at(preset.mood))
                        >
                            {preset.name}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
