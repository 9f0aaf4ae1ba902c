//! A tiled catalog in the page (issue 14): the manifest and byte ranges read over HTTP
//! (`archive`), the pieces held and fetched on demand (`store`), the person's library's
//! catalog tracks found in it (`library_tracks`), and the explorer that ranks over them
//! (`explorer`).

pub mod archive;
pub mod explorer;
pub mod library_tracks;
pub mod store;
