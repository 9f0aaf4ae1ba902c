//! Moodplane's browser front end: thin Leptos components over `moodplane-core`.

mod analysis_panel;
mod app;
mod audio_file;
mod blend_bar;
mod catalog_loader;
mod count_picker;
mod crate_panel;
mod explorer;
mod export_bar;
mod find_panel;
mod find_results;
mod find_state;
mod journey_panel;
mod libraries;
mod library_import;
mod library_panel;
mod library_store;
mod lookup;
mod lookup_settings;
mod options_panel;
mod pager;
mod paste_box;
mod pasted_tracks;
mod player;
mod plot;
mod presets_bar;
mod query_track;
mod reccobeats;
mod results_list;
mod spotify;
mod storage;
mod tiled;
mod timers;
mod url_sync;

pub use app::App;
