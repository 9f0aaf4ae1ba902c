//! Take a list away without a login: copy its Spotify links, or download it as CSV or
//! JSPF. The contents come from the core (`moodplane_core::export`); this module only
//! reaches the clipboard and starts downloads.

use std::rc::Rc;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::export::{csv, file_name, jspf, links, ExportOf, ExportRow};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Starts the download of `text` as `name` (an object URL, revoked right after).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "this browser cannot build the file".to_owned())?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| "this browser cannot offer the file".to_owned())?;
    let anchor: HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "this browser cannot offer the file".to_owned())?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// Every row of a list the page shows a page at a time (a region over a tiled catalog):
/// `Some` of the rows' coming (their details read when asked) while the shown rows are
/// only part of the list, `None` when they are all of it.
pub type AllRows = Rc<dyn Fn() -> Option<LocalBoxFuture<'static, Result<Vec<ExportRow>, String>>>>;

/// The export buttons for a list; `rows` gives its current rows (read only when a button
/// is pressed, so a drag costs nothing here), `empty` whether there are any, `of` what
/// the list is; `all_rows`, for a list shown a page at a time, the whole list's.
#[component]
pub fn ExportBar(
    rows: Signal<Vec<ExportRow>>,
    empty: Signal<bool>,
    of: Signal<ExportOf>,
    /// Prefix of the element ids (`results`, `crate`), so each bar is addressable.
    id_prefix: &'static str,
    title: Signal<String>,
    #[prop(optional)] all_rows: Option<AllRows>,
) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let all_rows = StoredValue::new_local(all_rows);
    // The whole list's rows, then `then` with them; a failure to read them is told.
    let with_rows = move |what: String, then: Rc<dyn Fn(Vec<ExportRow>)>| {
        let coming = all_rows.with_value(|all| all.as_ref().and_then(|all| all()));
        let Some(coming) = coming else {
            return then(rows.get_untracked());
        };
        status.set(Some(format!(
            "Reading the names of every track for {what}…"
        )));
        spawn_local(async move {
            match coming.await {
                Ok(list) => then(list),
                Err(problem) => status.set(Some(format!(
                    "Could not read every track's name for {what}, so nothing was saved. {problem}"
                ))),
            }
        });
    };
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let write = Rc::new(move |list: Vec<ExportRow>| {
            let text = links(&list);
            let count = list.len();
            let clipboard = clipboard.clone();
            spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
                status.set(Some(match done {
                    Ok(_) => format!("Copied {count} Spotify links, one per line: paste them into a playlist in the Spotify app."),
                    Err(_) => "The browser did not allow copying to the clipboard; use the CSV or JSPF download instead.".to_owned(),
                }));
            });
        });
        with_rows("the links".to_owned(), write);
    };
    let save = move |extension: &'static str| {
        let name = file_name(of.get_untracked(), extension);
        let title = title.get_untracked();
        let write_name = name.clone();
        let write = Rc::new(move |list: Vec<ExportRow>| {
            let (mime, text) = match extension {
                "csv" => ("text/csv", csv(&list)),
                _ => (
                    "application/jspf+json",
                    jspf(&list, &title, "Made with Moodplane"),
                ),
            };
            status.set(Some(match download(&write_name, mime, &text) {
                Ok(()) => format!("Saved {} tracks as {write_name}.", list.len()),
                Err(problem) => format!("Could not save {write_name}: {problem}."),
            }));
        });
        with_rows(name, write);
    };
    view! {
        <div class="export-bar" role="group" aria-label="Take this list away">
            <button type="button" id=format!("{id_prefix}-copy") on:click=copy disabled=empty>"Copy links"</button>
            <button type="button" id=format!("{id_prefix}-csv") on:click=move |_| save("csv") disabled=empty>"Download CSV"</button>
            <button type="button" id=format!("{id_prefix}-jspf") on:click=move |_| save("jspf") disabled=empty>"Download JSPF"</button>
            <p class="field-message" id=format!("{id_prefix}-export-status") role="status">{move || status.get()}</p>
        </div>
    }
}
