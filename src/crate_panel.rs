//! The crate panel: the tracks collected from several queries, reorderable (buttons, so
//! the keyboard works too), removable and clearable, kept in this browser's localStorage
//! across reloads and taken away like any list. The rules live in the core
//! (`moodplane_core::track_crate`).

use leptos::prelude::*;
use moodplane_core::export::{ExportOf, ExportRow};
use moodplane_core::track_crate::Crate;

use crate::export_bar::ExportBar;
use crate::spotify::login_status::SpotifyContext;
use crate::spotify::save_playlist::SavePlaylist;
use crate::storage::{local_get, local_set};

/// localStorage key of the crate.
pub const CRATE_KEY: &str = "moodplane.crate.v1";

/// The crate kept in this browser, and a notice when the kept text could not be read
/// (it is set aside under another key, never overwritten).
pub fn load_crate() -> (Crate, Option<String>) {
    let Some(text) = local_get(CRATE_KEY) else {
        return (Crate::default(), None);
    };
    match Crate::from_storage(&text) {
        Ok(found) => (found, None),
        Err(problem) => {
            local_set(&format!("{CRATE_KEY}.unreadable"), &text);
            (
                Crate::default(),
                Some(format!("Your crate starts empty: {problem}. The old text is kept in this browser's storage under “{CRATE_KEY}.unreadable”.")),
            )
        }
    }
}

/// Keeps the crate in localStorage whenever it changes.
pub fn keep_crate_saved(crate_list: RwSignal<Crate>) {
    Effect::new(move |previous: Option<String>| {
        let text = crate_list.with(Crate::to_storage);
        if previous.as_ref() != Some(&text) && previous.is_some() {
            local_set(CRATE_KEY, &text);
        }
        text
    });
}

#[component]
pub fn CratePanel(
    crate_list: RwSignal<Crate>,
    /// The current results, for "Add all results".
    result_rows: Signal<Vec<ExportRow>>,
    notice: Option<String>,
    spotify: SpotifyContext,
    view_link: Signal<String>,
) -> impl IntoView {
    let added = RwSignal::new(None::<String>);
    let add_all = move |_| {
        let rows = result_rows.get_untracked();
        let mut count = 0;
        crate_list.update(|c| {
            count = c.add_all(
                rows.iter()
                    .map(moodplane_core::track_crate::CrateEntry::from_row),
            );
        });
        added.set(Some(format!(
            "Added {count} of {} results (the others were already in).",
            rows.len()
        )));
    };
    let rows = Signal::derive(move || crate_list.with(Crate::export_rows));
    let empty = Signal::derive(move || crate_list.with(Crate::is_empty));
    let title = Signal::derive(|| "Moodplane crate".to_owned());
    view! {
        <section class="crate" id="crate" aria-labelledby="crate-heading">
            <h2 id="crate-heading">{move || format!("Crate ({})", crate_list.with(Crate::len))}</h2>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <p class="hint">"Collect tracks from several moods: “+” on a result, or all of them at once. Kept in this browser only."</p>
            <button type="button" id="crate-add-all" on:click=add_all>"Add all results"</button>
            <p class="field-message" id="crate-added" role="status">{move || added.get()}</p>
            <ol id="crate-tracks">
                {move || crate_list.with(|c| c.entries().iter().enumerate().map(|(i, e)| {
                    let id = e.id.clone();
                    let last = i + 1 == c.len();
                    let label = format!("{} — {}", e.name, e.artists);
                    view! {
                        <li data-track-id=e.id.to_string()>
                            <span class="title">{label.clone()}</span>
                            <span class="meta">{format!(" · valence {:.3}, energy {:.3} · found at {:.3}, {:.3}", e.mood.valence, e.mood.energy, e.found_at.valence, e.found_at.energy)}</span>
                            <span class="crate-actions">
                                <button type="button" class="crate-up" aria-label=format!("Move {label} up") disabled=i == 0 on:click=move |_| crate_list.update(|c| c.shift(i, true))>"↑"</button>
                                <button type="button" class="crate-down" aria-label=format!("Move {label} down") disabled=last on:click=move |_| crate_list.update(|c| c.shift(i, false))>"↓"</button>
                                <button type="button" class="crate-remove" aria-label=format!("Remove {label} from the crate") on:click=move |_| crate_list.update(|c| c.remove(&id))>"Remove"</button>
                            </span>
                        </li>
                    }
                }).collect_view())}
            </ol>
            <ExportBar rows=rows empty=empty of=Signal::derive(|| ExportOf::Crate) id_prefix="crate" title=title />
            <SavePlaylist spotify rows=rows empty=empty default_name=title view_link id_prefix="crate" />
            <button type="button" id="crate-clear" disabled=empty on:click=move |_| crate_list.update(Crate::clear)>"Clear the crate"</button>
        </section>
    }
}
