//! Entry point: installs the panic hook and mounts the app; everything else is in the library.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    // The page's static "Starting…" line (index.html) stays only if the wasm never runs.
    if let Some(message) = document().get_element_by_id("boot-message") {
        message.remove();
    }
    // Into its place above the page's first list (static/first-list.js), if there is one.
    match document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(place) => leptos::mount::mount_to(place, moodplane::App).forget(),
        None => leptos::mount::mount_to_body(moodplane::App),
    }
}
