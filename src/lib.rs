//! Moodplane's browser front end: thin Leptos components over `moodplane-core`.

mod app;
mod catalog_loader;
mod count_picker;
mod explorer;
mod paste_box;
mod plot;
mod results_list;
mod url_sync;

pub use app::App;
