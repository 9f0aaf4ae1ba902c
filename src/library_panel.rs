//! "Your library": open a CSV of your own music (file picker, or drop it anywhere on the
//! page), see how it was read, list only its tracks or leave them out, go to its mood
//! centre, download the tracks without a mood here, and remove it.

use leptos::ev;
use leptos::prelude::*;
use moodplane_core::library::LibraryFile;
use moodplane_core::query::group_thousands;
use moodplane_core::{Catalog, Query};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};

use crate::export_bar::download;
use crate::libraries::{ImportStatus, Libraries, Scope, SharedUnion};
use crate::pasted_tracks::LookupStatus;

fn files_of(list: Option<FileList>) -> Vec<File> {
    list.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

/// How the file was read: the builder's report, in a list.
fn report_view(file: &LibraryFile) -> impl IntoView {
    let s = &file.summary;
    let reasons = |title: &'static str, reasons: &[moodplane_core::library::CountedReason]| {
        (!reasons.is_empty()).then(|| {
            let items = reasons
                .iter()
                .map(|r| {
                    let lines: Vec<String> = r.lines.iter().map(u64::to_string).collect();
                    let more = if r.count > r.lines.len() { ", …" } else { "" };
                    view! { <li>{format!("{} × {} (lines {}{more})", group_thousands(r.count), r.what, lines.join(", "))}</li> }
                })
                .collect_view();
            view! { <li>{title}<ul>{items}</ul></li> }
        })
    };
    view! {
        <ul class="library-report">
            <li>{format!("Format: {}", s.format)}</li>
            <li class="rows-read">{format!("Rows read: {}", group_thousands(s.rows))}</li>
            <li>{format!("With their own valence and energy: {}", group_thousands(s.placed_from_file))}</li>
            <li>{format!("Without a mood in the file: {}", group_thousands(s.named))}</li>
            <li class="rows-skipped">{format!("Rows skipped: {}", group_thousands(s.skipped_total()))}</li>
            {reasons("Skipped:", &s.skipped)}
            {reasons("Values left out (the track stays):", &s.values_left_out)}
            <li>{format!("Repeated tracks left out (first kept): {}", group_thousands(s.duplicates))}</li>
        </ul>
    }
}

#[component]
pub fn LibraryPanel(
    libraries: Libraries,
    /// The catalog tracks the libraries are joined with (over tiles, those its id shards
    /// found).
    catalog: Signal<Arc<Catalog>>,
    union: Memo<Option<SharedUnion>>,
    query: RwSignal<Query>,
    /// Whether `catalog` has every track it will have (over tiles, once the id shards
    /// have all answered): until then no track is offered to ReccoBeats as unknown.
    #[prop(optional, into)]
    settled: Option<Signal<bool>>,
) -> impl IntoView {
    let settled = settled.unwrap_or(Signal::derive(|| true));
    // A file dropped anywhere on the page opens as a library.
    let drag_over = window_event_listener(ev::dragover, |ev: DragEvent| {
        ev.prevent_default();
        if let Some(transfer) = ev.data_transfer() {
            transfer.set_drop_effect("copy");
        }
    });
    let dropped = window_event_listener(ev::drop, move |ev: DragEvent| {
        ev.prevent_default();
        let files = files_of(ev.data_transfer().and_then(|t| t.files()));
        if !files.is_empty() {
            libraries.open_files(files);
        }
    });
    on_cleanup(move || {
        drag_over.remove();
        dropped.remove();
    });
    let on_pick = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let files = files_of(input.files());
        // Cleared, so choosing the same file again opens it again.
        input.set_value("");
        libraries.open_files(files);
    };
    let status = move || {
        match libraries.status.get() {
        ImportStatus::Idle => None,
        ImportStatus::Reading { name, fraction } => Some(view! {
            <div id="library-reading" role="status">
                <p>{format!("Reading {name} in this page: {:.0} %", fraction * 100.0)}</p>
                <progress id="library-progress" max="1" value=fraction></progress>
            </div>
        }.into_any()),
        ImportStatus::Failed { name, message } => Some(view! {
            <p id="library-error" class="error" role="alert">{format!("{name} could not be opened: {message}.")}</p>
        }.into_any()),
    }
    };
    let rows = move || {
        let list_catalog = catalog.get();
        libraries
            .open
            .get()
            .into_iter()
            .map(|open| {
                let file = open.file.clone();
                let unknown = file.unknown(&list_catalog).count();
                let summary = file.describe(&list_catalog);
                let download_catalog = list_catalog.clone();
                let download_file = file.clone();
                let save_unknown = move |_| {
                    let name = format!("{}-without-mood.csv", download_file.name.trim_end_matches(".csv"));
                    let _ = download(&name, "text/csv", &download_file.unknown_csv(&download_catalog));
                };
                let id = open.id;
                let lookup_catalog = list_catalog.clone();
                let lookup = libraries.lookup;
                let lookup_status = move || {
                    (libraries.looking_up.get() == Some(id)).then(|| {
                        let pending = lookup.block.with(|b| b.as_ref().map_or(0, |b| b.pending_count()));
                        view! {
                            <div class="library-lookup">
                                <p id="library-lookup-summary" role="status">
                                    {move || lookup.block.with(|b| b.as_ref().map(|b| b.summary()))}
                                </p>
                                <LookupStatus lookup consent_id="library-consent" prefix="library-lookup" pending />
                            </div>
                        }
                    })
                };
                view! {
                    <li class="library" data-library=file.name.clone()>
                        <h3 class="library-name">{file.name.clone()}</h3>
                        <p class="library-summary">{summary}</p>
                        <details>
                            <summary>"How the file was read"</summary>
                            {report_view(&file)}
                        </details>
                        {(unknown > 0 && settled.get()).then(|| view! {
                            <button type="button" class="library-look-up" on:click=move |_| libraries.look_up(id, &lookup_catalog)>
                                {format!("Ask ReccoBeats for the {} without a mood", group_thousands(unknown))}
                            </button>
                            <button type="button" class="library-unknown" on:click=save_unknown>
                                {format!("Download the {} without a mood here (CSV)", group_thousands(unknown))}
                            </button>
                        })}
                        {lookup_status}
                        <button type="button" class="library-remove" on:click=move |_| libraries.remove(id)>
                            {format!("Remove {}", file.name)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let any_open = move || libraries.open.with(|o| !o.is_empty());
    let toggle = move |scope: Scope| {
        move |ev: ev::Event| {
            let on = event_target_checked(&ev);
            libraries
                .scope
                .set(if on { scope } else { Scope::Everything });
        }
    };
    let near_mine = move |_| {
        if let Some(centre) = union.with(|u| u.as_ref().and_then(|u| u.0.centre)) {
            libraries.scope.set(Scope::AllButMine);
            query.set(Query::at(centre));
        }
    };
    view! {
        <section class="libraries" id="libraries" aria-labelledby="libraries-heading">
            <h2 id="libraries-heading">"Your library"</h2>
            <p class="library-privacy">
                "Open a CSV of your own music (an Exportify export of a playlist, or any file the catalog builder reads), or drop it on the page. It is read inside this page and kept only in this browser (IndexedDB) until you remove it: nothing is uploaded."
            </p>
            <label class="library-pick">
                "Open a CSV… "
                <input type="file" id="library-file" accept=".csv,text/csv,.txt" multiple on:change=on_pick />
            </label>
            {status}
            {move || libraries.store_note.get().map(|note| view! { <p id="library-store-note" role="status">{note}</p> })}
            <ul id="library-list" class="library-list">{rows}</ul>
            {move || any_open().then(|| view! {
                <div class="library-controls">
                    <label>
                        <input type="checkbox" id="only-mine"
                            prop:checked=move || libraries.scope.get() == Scope::OnlyMine
                            on:change=toggle(Scope::OnlyMine) />
                        " Only my library"
                    </label>
                    <label>
                        <input type="checkbox" id="without-mine"
                            prop:checked=move || libraries.scope.get() == Scope::AllButMine
                            on:change=toggle(Scope::AllButMine) />
                        " Leave my library out"
                    </label>
                    <label>
                        <input type="checkbox" id="library-layer"
                            prop:checked=move || libraries.shown.get()
                            on:change=move |ev| libraries.shown.set(event_target_checked(&ev)) />
                        " " <span class="library-swatch" aria-hidden="true"></span>
                        " Show my library on the plane"
                    </label>
                    <button type="button" id="near-mine" on:click=near_mine>"Near my library"</button>
                    <p class="hint">"“Near my library” moves the point to your library's mood centre and lists the catalog's nearest tracks that are not in it."</p>
                </div>
            })}
        </section>
    }
}
