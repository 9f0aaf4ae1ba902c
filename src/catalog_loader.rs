//! Reads a small tiled catalog whole (the build's manifest says so): the archive's first
//! bytes in one download, reporting progress (XMLHttpRequest, whose progress events fetch
//! lacks); each tile and detail chunk inflated, then put back in catalog order by the core
//! ([`moodplane_core::tiled_whole`]).

use std::collections::HashMap;
use std::fmt;

use js_sys::{Function, Promise, Uint8Array};
use leptos::prelude::*;
use moodplane_core::tiled_manifest::TiledManifest;
use moodplane_core::tiled_whole::{self, WholeError};
use moodplane_core::Catalog;

use crate::tiled::archive::{inflate, FetchError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

/// What the page's `<meta name="{name}">` says, if it has one (a deployable build names
/// its content-hashed files so).
pub fn declared_in_page(name: &str) -> Option<String> {
    document()
        .query_selector(&format!("meta[name='{name}']"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
}

/// Where a load is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LoadProgress {
    /// Bytes received, and the total when the server says it.
    Downloading { loaded: f64, total: Option<f64> },
    /// Downloaded; decoding and indexing.
    Preparing,
}

/// Why the catalog could not be loaded.
#[derive(Debug, Clone)]
pub enum LoadError {
    /// The page names no catalog (built without the catalog step).
    NotDeclared,
    Network(String),
    Status {
        code: u16,
        file: String,
    },
    /// The server sent fewer bytes than the catalog needs.
    Short {
        got: u64,
        expected: u64,
    },
    Invalid(WholeError),
    /// A tiled catalog's manifest could not be read.
    Tiled(FetchError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Network(detail) => write!(
                f,
                "The track catalog could not be downloaded ({detail}). Check the connection and try again."
            ),
            LoadError::NotDeclared => write!(
                f,
                "This page names no track catalog (its <meta name=\"moodplane-tiles\"> is missing or not a tiles-<hash>.json name); build it with Trunk, which adds one."
            ),
            LoadError::Status { code, file } => write!(
                f,
                "The server answered {code} when asked for the track catalog ({file})."
            ),
            LoadError::Short { got, expected } => write!(
                f,
                "The track catalog arrived cut short ({got} of {expected} bytes). Try again."
            ),
            LoadError::Invalid(error) => {
                write!(f, "The track catalog arrived but cannot be used: {error}.")
            }
            LoadError::Tiled(error) => error.fmt(f),
        }
    }
}

fn network(what: &str) -> LoadError {
    LoadError::Network(what.to_owned())
}

/// Lets the browser paint (the progress bar) before a long synchronous step.
async fn next_frame() {
    let promise = Promise::new(&mut |resolve: Function, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// The whole catalog a manifest offers to be read whole, from its archive beside it.
pub async fn fetch_whole(
    manifest: &TiledManifest,
    progress: RwSignal<Option<LoadProgress>>,
) -> Result<Catalog, LoadError> {
    let leading = tiled_whole::leading_bytes(manifest).map_err(LoadError::Invalid)?;
    let archive = &manifest.archive;
    let xhr = XmlHttpRequest::new().map_err(|_| network("this browser cannot make requests"))?;
    xhr.open("GET", archive)
        .map_err(|_| network("the request could not be opened"))?;
    xhr.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    if leading > 0 {
        // The id shards at the archive's end are not needed: the catalog finds ids itself.
        let _ = xhr.set_request_header("Range", &format!("bytes=0-{}", leading - 1));
    }
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        let total = e.length_computable().then(|| e.total());
        progress.set(Some(LoadProgress::Downloading {
            loaded: e.loaded(),
            total,
        }));
    });
    xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let finished = Promise::new(&mut |resolve: Function, reject: Function| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    xhr.send()
        .map_err(|_| network("the request could not be sent"))?;
    let outcome = JsFuture::from(finished).await;
    drop(on_progress);
    outcome.map_err(|_| network("the connection failed"))?;
    // 206: the range asked for; 200: a host that ignores Range sent the whole archive.
    let status = xhr.status().unwrap_or(0);
    if status != 206 && status != 200 {
        return Err(LoadError::Status {
            code: status,
            file: archive.clone(),
        });
    }
    let body = xhr
        .response()
        .map_err(|_| network("the answer could not be read"))?;
    let bytes = Uint8Array::new(&body);
    if u64::from(bytes.length()) < leading {
        return Err(LoadError::Short {
            got: bytes.length().into(),
            expected: leading,
        });
    }
    progress.set(Some(LoadProgress::Preparing));
    next_frame().await;
    let mut inflated = HashMap::new();
    for blob in tiled_whole::pieces(manifest).map_err(LoadError::Invalid)? {
        let start = blob.offset() as u32;
        let packed = bytes.subarray(start, start + blob.length()).to_vec();
        let unpacked = inflate(packed).await.map_err(|_| {
            LoadError::Tiled(FetchError::Inflate {
                what: "track catalog",
            })
        })?;
        inflated.insert(blob.offset(), unpacked);
    }
    tiled_whole::assemble(manifest, |blob| {
        inflated.get(&blob.offset()).map(Vec::as_slice)
    })
    .map_err(LoadError::Invalid)
}
