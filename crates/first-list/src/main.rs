//! The first list's wasm: `moodplane_core::first_list::FirstList` for the page's script
//! (`static/first-list.js`), which reads the archive pieces it asks for and shows its rows
//! before the app's much larger wasm has arrived. No DOM and no network here: the script
//! does both, so this stays small.

use moodplane_core::first_list::{self, FirstStep, PieceForm};
use wasm_bindgen::prelude::*;

/// Nothing runs on load: the page's script makes a [`FirstList`].
fn main() {}

/// A point's nearest tracks over a tiled catalog, as the app will list them.
#[wasm_bindgen]
pub struct FirstList {
    list: first_list::FirstList,
    rows: Option<String>,
}

#[wasm_bindgen]
impl FirstList {
    /// The first list of the link whose query string is `search`, over the catalog
    /// `manifest` (its JSON) describes; throws why there is none.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &str, search: &str) -> Result<FirstList, String> {
        first_list::FirstList::new(manifest, search)
            .map(|list| FirstList { list, rows: None })
            .map_err(|why| why.to_string())
    }

    /// The archive the pieces are read from (relative to the page).
    pub fn archive(&self) -> String {
        self.list.archive().to_owned()
    }

    /// What the list is, in words.
    pub fn heading(&self) -> String {
        self.list.heading()
    }

    /// The archive's pieces to read next, as `[offset, length, form, …]` (form 0: one
    /// gzip blob, to inflate and `put`; 1: an id shard's slot, whose `gzip_in_slot` to
    /// inflate and `put`; 2: blobs to keep as read, later pieces inside them cut from
    /// them, never `put`); empty once the rows are ready ([`FirstList::rows`]).
    pub fn wanted(&mut self) -> Result<Vec<f64>, String> {
        match self.list.step().map_err(|why| why.to_string())? {
            FirstStep::Read(pieces) => Ok(pieces
                .iter()
                .flat_map(|p| {
                    let form = match p.form {
                        PieceForm::Gzip => 0.0,
                        PieceForm::Slot => 1.0,
                        PieceForm::Kept => 2.0,
                    };
                    [p.blob.offset() as f64, f64::from(p.blob.length()), form]
                })
                .collect()),
            FirstStep::Done(rows) => {
                self.rows = Some(serde_json::to_string(&rows).map_err(|e| e.to_string())?);
                Ok(Vec::new())
            }
        }
    }

    /// The gzip bytes inside an id shard's slot (empty for an empty shard).
    pub fn gzip_in_slot(slot: &[u8]) -> Result<Vec<u8>, String> {
        first_list::gzip_in_slot(slot)
            .map(<[u8]>::to_vec)
            .map_err(|why| why.to_string())
    }

    /// Takes the inflated bytes of the piece read from `offset`.
    pub fn put(&mut self, offset: f64, bytes: &[u8]) -> Result<(), String> {
        self.list
            .put(offset as u64, bytes)
            .map_err(|why| why.to_string())
    }

    /// The rows, as JSON (`[{id, url, name, artist, genre, distance, exact_distance}]`), once `wanted` is empty.
    pub fn rows(&self) -> Option<String> {
        self.rows.clone()
    }
}
