//! The import worker's wasm: reads a person's CSV with the catalog builder's own code (same
//! formats, checks and report as a catalog build) and answers with the library's byte
//! form (`moodplane_core::library::LibraryFile`). `static/import-worker.js` runs it in a
//! Web Worker, so a big file never holds up the page.

use wasm_bindgen::prelude::*;

/// Nothing runs on load: the worker's script calls [`read_library`] per file.
fn main() {}

/// Reads `bytes`, the file `name`, calling `progress(bytes_read)` now and then. Returns the
/// library's bytes, or throws the builder's message for people.
#[wasm_bindgen]
pub fn read_library(
    bytes: &[u8],
    name: &str,
    progress: &js_sys::Function,
) -> Result<Vec<u8>, String> {
    let report = |done: u64| {
        // A failing progress callback must not stop the reading.
        let _ = progress.call1(&JsValue::NULL, &JsValue::from_f64(done as f64));
    };
    moodplane_catalog_builder::library::read_library(bytes, name, report)
        .map(|library| library.to_bytes())
        .map_err(|error| error.to_string())
}
