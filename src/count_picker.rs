//! The “how many matches” field, 1 to 50; a bad entry keeps the old count and says why.

use leptos::prelude::*;
use moodplane_core::parse_count;

#[component]
pub fn CountPicker(count: RwSignal<usize>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let on_input = move |ev| match parse_count(&event_target_value(&ev)) {
        Ok(n) => {
            count.set(n);
            message.set(None);
        }
        Err(error) => message.set(Some(error.to_string())),
    };
    view! {
        <div class="count-picker">
            <label for="match-count">"Matches to show (1–50)"</label>
            <input
                id="match-count"
                type="number"
                min="1"
                max="50"
                step="1"
                aria-describedby="count-message"
                value=count.get_untracked()
                on:input=on_input
            />
            <p id="count-message" class="field-message" role="alert">{move || message.get()}</p>
        </div>
    }
}
