//! Moodplane's browser front end: thin Leptos components over `moodplane-core`.

mod analysis_panel;
mod app;
mod catalog_loader;
mod count_picker;
mod explorer;
mod options_panel;
mod paste_box;
mod plot;
mod presets_bar;
mod results_list;
mod spotify;
mod url_sync;

pub use app::App;
