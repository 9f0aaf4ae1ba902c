//! Moodplane's pure core: the catalog and its JSON schema, nearest-mood ranking, Spotify
//! link parsing, the shareable view state and the plot's coordinate mapping.
//!
//! Architecture invariant: this crate knows nothing about the browser, Leptos or the
//! network. Everything here runs under native `cargo test`.

pub mod analysis;
pub mod blend;
pub mod catalog;
pub mod catalog_file;
pub mod density;
pub mod export;
pub mod features;
pub mod find;
pub mod first_list;
pub mod genre_filter;
pub mod grid_index;
pub mod journey;
pub mod journey_path;
pub mod library;
pub mod library_places;
pub mod mood;
pub mod options_state;
pub mod plot_area;
pub mod presets;
pub mod query;
pub mod query_string;
pub mod rank;
pub mod rank_options;
pub mod ranker;
pub mod region;
pub mod sources;
pub mod spotify;
pub mod spotify_link;
pub mod stats;
pub mod tile_columns;
pub mod tile_tree;
pub mod tiled_manifest;
pub mod tiled_region;
pub mod tiled_shown;
pub mod tiled_whole;
pub mod tiles;
pub mod track_crate;
pub mod track_id;
pub mod view_state;

pub use catalog::{
    Catalog, CatalogBuilder, CatalogError, ExtraFeatures, PackedSource, TrackRecord, TrackView,
};
pub use catalog_file::{CatalogFile, CATALOG_FORMAT, CATALOG_VERSION};
pub use mood::{Mood, MoodError};
pub use plot_area::PlotArea;
pub use query::{arrow_key_step, group_thousands, parse_count, CountError, PasteError, Query};
pub use rank::{nearest, Match};
pub use spotify_link::{parse_track_link, LinkError};
pub use track_id::{TrackId, TrackIdError};
pub use view_state::{QuerySource, StateNotice, ViewState};
