//! Entry point: installs the panic hook and mounts the app; everything else is in the library.

fn main() {
    console_error_panic_hook::set_once();
    // The page's static "Starting…" line (index.html) stays only if the wasm never runs.
    if let Some(message) = leptos::prelude::document().get_element_by_id("boot-message") {
        message.remove();
    }
    leptos::mount::mount_to_body(moodplane::App);
}
